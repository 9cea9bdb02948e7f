//! Dates: time expressions in a sentence ("Tuesday", "in March", "March 15-16", "since 2023",
//! "the month before") resolved against the article date and the last date the text mentioned.

use std::ops::Range;

use jiff::ToSpan;
use jiff::civil::{Date, Weekday};

use crate::model::PartialDate;
use crate::sentence::{TokKind, Token};

/// A time expression: its tokens (with its preposition) and the date it resolves to, if any.
#[derive(Clone, Debug, PartialEq)]
pub struct TimeExpr {
    pub toks: Range<usize>,
    pub date: Option<PartialDate>,
    /// For "a day after <clause>": the date of the clause that follows (a day before `date`).
    pub inner: Option<PartialDate>,
}

/// What resolution needs to know: the article date and the last date mentioned before.
#[derive(Clone, Debug, Default)]
pub struct DateContext {
    pub article: Option<Date>,
    pub last: Option<PartialDate>,
    /// The last date of day precision, and the paragraph's last date (reset at a line break).
    pub last_day: Option<PartialDate>,
    pub paragraph: Option<PartialDate>,
}

/// The date a sentence without a time expression of its own is told at: the last date of its
/// paragraph, else the last full date of the article so far, else the article date. News is
/// told in order; background is told in other tenses, which the relation stage leaves undated.
pub fn narrative(toks: &[Token], first: usize, ctx: &DateContext) -> Option<PartialDate> {
    let new_paragraph = toks.get(first).is_some_and(|t| t.newline_before);
    // Only a full date sets the scene: "since 2021" or "in 2004" is background.
    let paragraph = if new_paragraph { None } else { ctx.paragraph.filter(|d| d.day.is_some()) };
    paragraph.or(ctx.last_day).or(ctx.article.map(PartialDate::day))
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
const MONTH_ABBR: [&str; 12] =
    ["jan.", "feb.", "mar.", "apr.", "may", "jun.", "jul.", "aug.", "sept.", "oct.", "nov.", "dec."];
const WEEKDAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Monday),
    ("tuesday", Weekday::Tuesday),
    ("wednesday", Weekday::Wednesday),
    ("thursday", Weekday::Thursday),
    ("friday", Weekday::Friday),
    ("saturday", Weekday::Saturday),
    ("sunday", Weekday::Sunday),
];
const PREPS: [&str; 8] = ["on", "in", "since", "by", "during", "until", "from", "at"];
const FUTURE: [&str; 5] = ["will", "next", "to", "'ll", "coming"];

/// A word without its possessive "'s" ("March's" -> "march").
fn bare(mut word: &str) -> &str {
    while let Some(w) = word.strip_suffix("'s") {
        word = w;
    }
    word
}

fn month_of(word: &str) -> Option<i8> {
    let w = bare(word);
    MONTHS
        .iter()
        .position(|m| *m == w)
        .or_else(|| MONTH_ABBR.iter().position(|m| *m == w))
        .or_else(|| (w == "sept").then_some(8))
        .map(|i| i as i8 + 1)
}

fn weekday_of(word: &str) -> Option<Weekday> {
    let w = bare(word);
    WEEKDAYS.iter().find(|(n, _)| *n == w).map(|(_, d)| *d)
}

fn number(t: &Token) -> Option<i64> {
    if t.kind != TokKind::Number {
        return None;
    }
    let digits = &t.lower[..t.lower.bytes().take_while(u8::is_ascii_digit).count()];
    let rest = &t.lower[digits.len()..];
    if !matches!(rest, "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    digits.parse().ok()
}

fn year_of(t: &Token) -> Option<i16> {
    let n = number(t)?;
    (t.lower.len() == 4 && (1800..=2200).contains(&n)).then_some(n as i16)
}

/// The words before a time expression, or first in one, that are not month or weekday names.
const LEAD_WORDS: [&str; 25] = [
    "on",
    "in",
    "since",
    "by",
    "during",
    "until",
    "from",
    "at",
    "last",
    "next",
    "this",
    "early",
    "mid",
    "late",
    "earlier",
    "later",
    "today",
    "tonight",
    "yesterday",
    "tomorrow",
    "the",
    "a",
    "one",
    "two",
    "three",
];

/// The words other than numbers a time expression can start with: [`LEAD_WORDS`], months and
/// weekdays (which start one when capitalised).
pub fn start_words() -> impl Iterator<Item = &'static str> {
    LEAD_WORDS.into_iter().chain(MONTHS).chain(MONTH_ABBR).chain(["sept"]).chain(WEEKDAYS.iter().map(|(w, _)| *w))
}

/// Finds the time expressions of one sentence (tokens `range`), updating the context's last
/// date as it goes.
pub fn find(toks: &[Token], range: Range<usize>, ctx: &mut DateContext) -> Vec<TimeExpr> {
    find_classed(toks, None, range, ctx)
}

/// [`find`], given the tokens' word classes (`Tokens::classes`): then a time expression is
/// looked for only at a number or a [`crate::rules::class::DATE_START`] word, not at every
/// token whose text might start one.
pub fn find_classed(
    toks: &[Token],
    classes: Option<&[u32]>,
    range: Range<usize>,
    ctx: &mut DateContext,
) -> Vec<TimeExpr> {
    let mut out = Vec::new();
    if toks.get(range.start).is_some_and(|t| t.newline_before) {
        ctx.paragraph = None;
    }
    let mut i = range.start;
    let at = |i: usize| toks.get(i).filter(|_| i < range.end);
    let lower = |i: usize| at(i).map_or("", |t| t.lower.as_str());
    while i < range.end {
        let start = i;
        // Most tokens cannot start a time expression: skip them quickly.
        let t = &toks[i];
        let classed = classes.and_then(|c| c.get(i)).map(|c| c & crate::rules::class::DATE_START != 0);
        let can_start = match classed {
            // A capitalised word starts one only as a month or weekday, possibly possessive
            // ("March's"): a date word, or one with an apostrophe to look at.
            // (A whole ASCII word has no apostrophe.)
            Some(date_word) => {
                date_word
                    || t.kind == TokKind::Number
                    || (t.cap && !t.ascii_word && t.lower.as_bytes().contains(&b'\''))
            }
            None => can_start(t),
        };
        if !can_start {
            i += 1;
            continue;
        }
        let mut j = i;
        // An optional preposition or modifier.
        let mut modifier = "";
        if PREPS.contains(&lower(j)) {
            j += 1;
        }
        if matches!(lower(j), "last" | "next" | "this" | "early" | "mid" | "late" | "earlier" | "later") {
            modifier = lower(j);
            j += 1;
            if lower(j) == "this" || lower(j) == "in" {
                j += 1;
            }
        }
        if let Some((end, date)) = expression(toks, j, range.end, modifier, ctx, start) {
            let inner = clause_date(toks, j, end, range.end, ctx);
            if let Some(d) = date {
                ctx.last = Some(d);
                ctx.paragraph = Some(d);
                if d.day.is_some() {
                    ctx.last_day = Some(d);
                }
            }
            out.push(TimeExpr { toks: start..end, date, inner });
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

/// Whether a token may start a time expression, read from its text.
fn can_start(t: &Token) -> bool {
    t.cap || t.kind == TokKind::Number || LEAD_WORDS.contains(&t.lower.as_str())
}

/// Whether a future word comes just before an expression ("will meet on Friday", "to travel
/// to Kyiv on Monday"). "to" counts only as an infinitive, before a lowercase word that is not
/// a determiner: "sent aid to Gaza on Monday" and "to the summit" are not future.
fn future_before(toks: &[Token], start: usize, lo: usize) -> bool {
    (start.saturating_sub(4).max(lo)..start).any(|k| {
        let w = toks[k].lower.as_str();
        if w != "to" {
            return FUTURE.contains(&w);
        }
        toks.get(k + 1)
            .filter(|_| k + 1 < start)
            .is_some_and(|n| n.kind == TokKind::Word && !n.cap && !DETERMINERS.contains(&n.lower.as_str()))
    })
}

/// Words that start a noun phrase, so that "to" before them is a preposition.
const DETERMINERS: [&str; 14] =
    ["a", "an", "the", "his", "her", "its", "their", "our", "this", "that", "these", "those", "some", "all"];

/// One expression starting at token `j` (after an optional preposition and modifier).
fn expression(
    toks: &[Token],
    j: usize,
    end: usize,
    modifier: &str,
    ctx: &DateContext,
    start: usize,
) -> Option<(usize, Option<PartialDate>)> {
    let at = |i: usize| toks.get(i).filter(|_| i < end);
    let lower = |i: usize| at(i).map_or("", |t| t.lower.as_str());
    let article = ctx.article;
    let w = lower(j);
    // today, yesterday, tomorrow, tonight, this morning.
    match w {
        "today" | "tonight" if modifier.is_empty() => return Some((j + 1, article.map(PartialDate::day))),
        "yesterday" => return Some((j + 1, article.and_then(|d| d.yesterday().ok()).map(PartialDate::day))),
        "tomorrow" => return Some((j + 1, article.and_then(|d| d.tomorrow().ok()).map(PartialDate::day))),
        "morning" | "afternoon" | "evening" if modifier == "this" => {
            return Some((j + 1, article.map(PartialDate::day)));
        }
        _ => {}
    }
    // last week, this month, earlier this year, next year.
    if matches!(w, "week" | "month" | "year") && !modifier.is_empty() {
        let d = article?;
        let date = match (modifier, w) {
            ("last", "week") => d.checked_sub(7.days()).ok().map(|x| PartialDate::month(x.year(), x.month())),
            ("this" | "earlier" | "later", "week") => Some(PartialDate::month(d.year(), d.month())),
            ("next", "week") => d.checked_add(7.days()).ok().map(|x| PartialDate::month(x.year(), x.month())),
            ("last", "month") => d.checked_sub(1.month()).ok().map(|x| PartialDate::month(x.year(), x.month())),
            ("this" | "earlier" | "later", "month") => Some(PartialDate::month(d.year(), d.month())),
            ("next", "month") => d.checked_add(1.month()).ok().map(|x| PartialDate::month(x.year(), x.month())),
            ("last", "year") => Some(PartialDate::year(d.year() - 1)),
            ("this" | "earlier" | "later", "year") => Some(PartialDate::year(d.year())),
            ("next", "year") => Some(PartialDate::year(d.year() + 1)),
            _ => None,
        };
        return Some((j + 1, date));
    }
    // The month before, the previous month, the day before, the following day.
    if matches!(w, "the" | "a" | "one" | "two" | "three") {
        let (unit, dir, len) = match (lower(j + 1).trim_end_matches('s'), lower(j + 2)) {
            (u @ ("month" | "day" | "year" | "week"), "before" | "earlier") => (u, -1, 3),
            (u @ ("month" | "day" | "year" | "week"), "after" | "later") => (u, 1, 3),
            ("previous" | "preceding", "month" | "day" | "year" | "week") => (lower(j + 2), -1, 3),
            ("following" | "next", "month" | "day" | "year" | "week") => (lower(j + 2), 1, 3),
            _ => return None,
        };
        let last = ctx.last.or(article.map(PartialDate::day))?;
        let n = match w {
            "two" => 2,
            "three" => 3,
            _ => 1,
        };
        // "a day after <clause>" dates the main clause now; its clause a day before.
        let clause_follows = lower(j + 3).chars().next().is_some_and(char::is_alphanumeric);
        if clause_follows && matches!(lower(j + 2), "after" | "before") && w != "the" {
            return Some((j + len, Some(last)));
        }
        let mut d = Some(last);
        for _ in 0..n {
            d = d.and_then(|d| shift(d, unit, dir));
        }
        return Some((j + len, d));
    }
    // Weekdays: "Tuesday", "on Tuesday", "last Tuesday", "Tuesday's talks".
    if let Some(wd) = weekday_of(w).filter(|_| toks[j].cap) {
        let mut e = j + 1;
        if matches!(lower(e), "morning" | "afternoon" | "evening" | "night") {
            e += 1;
        }
        let date = article.and_then(|d| {
            let forward = modifier == "next" || (modifier.is_empty() && future_before(toks, start, 0));
            let r = if modifier == "last" {
                d.nth_weekday(-1, wd)
            } else if forward {
                d.nth_weekday(1, wd)
            } else {
                d.tomorrow().and_then(|t| t.nth_weekday(-1, wd))
            };
            r.ok().map(PartialDate::day)
        });
        return Some((e, date));
    }
    // Months: "March", "March 15", "March 15-16", "March 2020", "March 4, 2025", "July 29 and 30".
    if let Some(month) = month_of(w) {
        // "may" is a modal too: months are capitalised.
        if !toks[j].cap {
            return None;
        }
        let mut e = j + 1;
        let mut day = None;
        if let Some(n) =
            at(e).and_then(number).filter(|n| (1..=31).contains(n) && at(e).is_some_and(|t| year_of(t).is_none()))
        {
            day = Some(n as i8);
            e += 1;
            // A range or a pair: "15-16", "29 and 30".
            if matches!(lower(e), "-" | "\u{2014}" | "and" | "to")
                && at(e + 1).and_then(number).is_some_and(|n| n <= 31)
            {
                e += 2;
            }
        }
        let mut year = None;
        let mut k = e;
        if lower(k) == "," {
            k += 1;
        }
        if let Some(y) = at(k).and_then(year_of) {
            year = Some(y);
            e = k + 1;
        }
        let year = year.or_else(|| {
            let d = article?;
            let forward = modifier == "next" || future_before(toks, start, 0);
            Some(if month > d.month() && !forward {
                d.year() - 1
            } else if month < d.month() && forward {
                d.year() + 1
            } else {
                d.year()
            })
        });
        let date = year.and_then(|y| match day {
            Some(d) => Date::new(y, month, d).ok().map(PartialDate::day),
            None => Some(PartialDate::month(y, month)),
        });
        return Some((e, date));
    }
    // "15 March", "8th May, 2024".
    if let Some(n) = at(j).and_then(number).filter(|n| (1..=31).contains(n))
        && let Some(month) = month_of(lower(j + 1)).filter(|_| at(j + 1).is_some_and(|t| t.cap))
    {
        let mut e = j + 2;
        let mut k = e;
        if lower(k) == "," {
            k += 1;
        }
        let year = match at(k).and_then(year_of) {
            Some(y) => {
                e = k + 1;
                Some(y)
            }
            None => article.map(|d| if month > d.month() { d.year() - 1 } else { d.year() }),
        };
        let date = year.and_then(|y| Date::new(y, month, n as i8).ok()).map(PartialDate::day);
        return Some((e, date));
    }
    // Years: "in 2022", "since 2023", "the 2024 election".
    if let Some(y) = at(j).and_then(year_of) {
        // Not an amount: "$2024", "2024 people".
        if j > 0 && toks[j - 1].lower == "$" {
            return None;
        }
        return Some((j + 1, Some(PartialDate::year(y))));
    }
    None
}

/// "a day after North Korea warned ...": the expression dates the main clause at the current
/// date, and the clause it introduces one unit before (or after, for "before").
fn clause_date(toks: &[Token], j: usize, end: usize, limit: usize, ctx: &DateContext) -> Option<PartialDate> {
    let w = |i: usize| toks.get(i).filter(|_| i < limit).map_or("", |t| t.lower.as_str());
    let n: i64 = match w(j) {
        "a" | "one" => 1,
        "two" => 2,
        "three" => 3,
        _ => return None,
    };
    let unit = w(j + 1).trim_end_matches('s');
    let dir = match w(j + 2) {
        "after" => -1,
        "before" => 1,
        _ => return None,
    };
    if end != j + 3 || !matches!(unit, "day" | "week" | "month" | "year") {
        return None;
    }
    let base = ctx.last.or(ctx.article.map(PartialDate::day))?;
    let mut d = base;
    for _ in 0..n {
        d = shift(d, unit, dir)?;
    }
    Some(d)
}

fn shift(d: PartialDate, unit: &str, dir: i64) -> Option<PartialDate> {
    let first = d.first_day()?;
    match unit {
        "month" => {
            let x = first.checked_add((dir as i32).months()).ok()?;
            Some(PartialDate::month(x.year(), x.month()))
        }
        "year" => Some(PartialDate::year(d.year + dir as i16)),
        "day" | "week" if d.day.is_some() => {
            let days = if unit == "week" { 7 * dir } else { dir };
            first.checked_add(days.days()).ok().map(PartialDate::day)
        }
        _ => Some(d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sentence::{Abbreviations, split};

    fn dates(text: &str, article: Date, last: Option<PartialDate>) -> Vec<String> {
        let t = split(text, &Abbreviations::default());
        let mut ctx = DateContext { article: Some(article), last, ..DateContext::default() };
        find(&t.tokens, 0..t.tokens.len(), &mut ctx)
            .into_iter()
            .map(|e| e.date.map_or("-".into(), |d| d.to_string()))
            .collect()
    }

    #[test]
    fn weekdays_and_months() {
        let wed = jiff::civil::date(2024, 5, 8);
        assert_eq!(dates("said Tuesday", wed, None), ["2024-05-07"]);
        assert_eq!(dates("said Wednesday", wed, None), ["2024-05-08"]);
        assert_eq!(dates("will meet Monday", wed, None), ["2024-05-13"]);
        assert_eq!(dates("in March", wed, None), ["2024-03"]);
        assert_eq!(dates("in November", wed, None), ["2023-11"]);
        assert_eq!(dates("on March 15-16", wed, None), ["2024-03-15"]);
        assert_eq!(dates("on July 29 and 30", jiff::civil::date(2021, 7, 31), None), ["2021-07-29"]);
        assert_eq!(dates("March 4, 2025", wed, None), ["2025-03-04"]);
        assert_eq!(dates("in 2022 and since 2023", wed, None), ["2022", "2023"]);
        assert_eq!(dates("8th May, 2024", wed, None), ["2024-05-08"]);
    }

    /// The lexicon's date words let `find_classed` skip tokens: it finds what `find` finds.
    #[test]
    fn date_words_skip_nothing_that_starts_a_date() {
        let rules = crate::Rules::builtin();
        let wed = jiff::civil::date(2024, 5, 8);
        for text in [
            "Ministers may meet in March, and March's talks start Monday; monday is not a date.",
            "On Tuesday's summit, Sept. 3 and 8th May, 2024 came up; the day before, talks ended.",
            "Early this year the envoy said he would travel next week, two days after the vote.",
            "In 2022, since 2023, $2024 and the 2024 election; Jan. 5 or JANUARY or Yesterday.",
        ] {
            let t = split(text, &rules.abbrev);
            let classes: Vec<u32> = t.tokens.iter().map(|k| rules.word_info(&k.lower).classes).collect();
            let run = |classes: Option<&[u32]>| {
                let mut ctx = DateContext { article: Some(wed), ..DateContext::default() };
                find_classed(&t.tokens, classes, 0..t.tokens.len(), &mut ctx)
            };
            assert_eq!(run(Some(&classes)), run(None), "{text}");
        }
    }

    #[test]
    fn relative_to_the_last_date() {
        let wed = jiff::civil::date(2024, 5, 8);
        assert_eq!(dates("The month before", wed, Some(PartialDate::month(2024, 3))), ["2024-02"]);
        assert_eq!(dates("earlier this month", wed, None), ["2024-05"]);
        assert_eq!(dates("last year", wed, None), ["2023"]);
        assert_eq!(dates("yesterday", wed, None), ["2024-05-07"]);
    }
}
