//! Sentences: splitting an article's text into tokens with byte spans, and tokens into sentences.
//!
//! Tokens keep their byte span in the article text, so every later stage can point back at the
//! words it used. Abbreviations ("U.S.", "Gen.", "J.") stay one token and do not end sentences.

use rustc_hash::FxHashSet as HashSet;
use std::ops::Range;

/// What a token is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokKind {
    Word,
    Number,
    Punct,
}

/// One token: a word, a number or a punctuation mark.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// Byte span in the article text.
    pub start: usize,
    pub end: usize,
    pub kind: TokKind,
    /// Lowercase form, with typographic quotes and dashes folded (`’` to `'`, `“` to `"`).
    pub lower: smol_str::SmolStr,
    /// Whether white space separates this token from the previous one.
    pub space_before: bool,
    /// Whether a line break separates this token from the previous one.
    pub newline_before: bool,
    /// Whether the token starts with an uppercase letter.
    pub cap: bool,
    /// Whether the token is a word of ASCII letters and digits only.
    pub ascii_word: bool,
}

impl Token {
    /// Whether the token starts with an uppercase letter.
    pub fn is_capitalized(&self) -> bool {
        self.cap
    }
}

/// A sentence: its byte span and its tokens (a range into [`Tokens::tokens`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    pub tokens: Range<usize>,
}

/// An article's tokens and sentences.
#[derive(Clone, Debug, Default)]
pub struct Tokens {
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
    /// For each token, the word classes of `words.tsv` it is in (bits; filled by the caller that
    /// has the rules, see `crate::analyze`).
    pub classes: Vec<u32>,
    /// For each token, its number in the relation patterns' vocabulary (`u32::MAX`: none;
    /// filled with `classes`).
    pub pattern_words: Vec<u32>,
    /// For each token, what [`crate::rules::Gazetteer::find_at_tokens`] is to know of it: for a
    /// whole ASCII word, its number as the first word of gazetteer names (`NO_LIST`: none), for
    /// any other token `LOOK_UP` (filled with `classes`).
    pub name_lists: Vec<u32>,
}

/// Abbreviations that end with a dot and stay one token; `titles` never end a sentence.
#[derive(Clone, Debug, Default)]
pub struct Abbreviations {
    /// Lowercase, without the dot: `mr`, `gen`, `jr`, `inc`.
    pub all: HashSet<String>,
    /// Those that never end a sentence (titles before a name): `mr`, `gen`, `sen`.
    pub titles: HashSet<String>,
    /// Name particles that a hyphen joins to the name after them: `al` in "al-Burhan".
    pub particles: HashSet<String>,
    /// Longer runs without a sentence end are cut into sentences of this many tokens, so that
    /// no input makes a stage quadratic in its length (0: no limit).
    pub max_sentence_tokens: usize,
}

impl Abbreviations {
    /// Whether a word (as written) is in [`Abbreviations::all`].
    fn is_abbreviation(&self, word: &str) -> bool {
        // A word before a dot ends most sentences: lowered without an allocation when short.
        if word.len() <= 23 && word.is_ascii() {
            self.all.contains(smol_str::StrExt::to_ascii_lowercase_smolstr(word).as_str())
        } else {
            self.all.contains(&word.to_lowercase())
        }
    }
}

/// Splits `text` into tokens and sentences.
pub fn split(text: &str, abbrev: &Abbreviations) -> Tokens {
    let tokens = tokenize(text, abbrev);
    let sentences = sentences(text, &tokens, abbrev);
    Tokens { tokens, sentences, classes: Vec::new(), pattern_words: Vec::new(), name_lists: Vec::new() }
}

fn fold_char(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' | '`' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '«' | '»' => '"',
        '\u{2010}' | '\u{2011}' => '-',
        '\u{2013}' | '\u{2014}' | '\u{2015}' => '\u{2014}',
        _ => c,
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}')
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

// (The general path, rare: kept out of the tokenizer's loop.)
#[inline(never)]
fn lower(s: &str) -> smol_str::SmolStr {
    // Most tokens are short and ASCII: no allocation for them.
    if s.len() <= 23 && s.bytes().all(|b| b.is_ascii() && b != b'`') {
        return smol_str::StrExt::to_ascii_lowercase_smolstr(s);
    }
    s.chars().flat_map(|c| fold_char(c).to_lowercase()).collect::<String>().into()
}

/// The text being tokenized, read a char at a time at byte offsets (which always fall on char
/// boundaries: every step moves by the width of the char it read).
struct Cursor<'a> {
    text: &'a str,
    bytes: &'a [u8],
}

impl Cursor<'_> {
    /// The char starting at byte `i`.
    #[inline]
    fn at(&self, i: usize) -> Option<char> {
        let &b = self.bytes.get(i)?;
        if b < 0x80 { Some(char::from(b)) } else { self.text.get(i..).and_then(|s| s.chars().next()) }
    }

    /// The char ending at byte `i`.
    fn before(&self, i: usize) -> Option<char> {
        self.text.get(..i).and_then(|s| s.chars().next_back())
    }

    /// Whether the byte at `i` is `b`.
    #[inline]
    fn byte_is(&self, i: usize, b: u8) -> bool {
        self.bytes.get(i) == Some(&b)
    }
}

/// What each byte is in an ASCII word: a lowercase letter or digit, a capital, or neither.
const WORD_BYTE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = if c.is_ascii_uppercase() {
            UPPER
        } else if c.is_ascii_lowercase() || c.is_ascii_digit() {
            LOWER
        } else {
            0
        };
        b += 1;
    }
    table
};
const LOWER: u8 = 1;
const UPPER: u8 = 2;

// (Kept out of its caller, as `sentences` is: measured, the caller runs fewer instructions.)
#[inline(never)]
fn tokenize(text: &str, abbrev: &Abbreviations) -> Vec<Token> {
    let cur = Cursor { text, bytes: text.as_bytes() };
    // About one token in five or six bytes of news text: room for one in four.
    let mut tokens = Vec::with_capacity(text.len() / 4 + 1);
    let mut i = 0;
    let mut space_before = true;
    let mut newline_before = true;
    while let Some(c) = cur.at(i) {
        // A space, and ASCII punctuation that is a token of its own whatever is around it (not
        // markup, an apostrophe or a backquote), are most of what is not a word.
        if c == ' ' {
            space_before = true;
            i += 1;
            continue;
        }
        if c.is_ascii_punctuation() && !matches!(c, '<' | '&' | '\'' | '`') {
            tokens.push(Token {
                start: i,
                end: i + 1,
                kind: TokKind::Punct,
                lower: smol_str::SmolStr::new_inline(&text[i..i + 1]),
                space_before,
                newline_before,
                cap: false,
                ascii_word: false,
            });
            space_before = false;
            newline_before = false;
            i += 1;
            continue;
        }
        // Most of news text is ASCII words between spaces: an ASCII word that nothing after it
        // can continue (no dot, apostrophe or hyphen, no other letter) is taken at once.
        if c.is_ascii_alphabetic() {
            let bytes = cur.bytes;
            // The word, and whether it has a capital to lower.
            let (mut end, mut upper) = (i + 1, c.is_ascii_uppercase());
            while let Some(&b) = bytes.get(end) {
                match WORD_BYTE[usize::from(b)] {
                    LOWER => {}
                    UPPER => upper = true,
                    _ => break,
                }
                end += 1;
            }
            // A word before a dot that is no abbreviation (and no initial: two letters at
            // least) ends there too: what the general path finds for it.
            let next = bytes.get(end);
            if next.is_none_or(|&b| b.is_ascii() && !matches!(b, b'.' | b'\'' | b'-'))
                || (next == Some(&b'.') && end - i >= 2 && !abbrev.is_abbreviation(&text[i..end]))
            {
                let word = &text[i..end];
                tokens.push(Token {
                    start: i,
                    end,
                    kind: TokKind::Word,
                    lower: if upper {
                        smol_str::StrExt::to_ascii_lowercase_smolstr(word)
                    } else if word.len() <= 23 {
                        // Straight into the inline buffer (`new` first checks for white space).
                        smol_str::SmolStr::new_inline(word)
                    } else {
                        smol_str::SmolStr::new(word)
                    },
                    space_before,
                    newline_before,
                    cap: c.is_ascii_uppercase(),
                    ascii_word: true,
                });
                space_before = false;
                newline_before = false;
                i = end;
                continue;
            }
        }
        let width = c.len_utf8();
        if c.is_whitespace() {
            space_before = true;
            newline_before |= c == '\n' || c == '\u{2029}' || c == '\u{2028}';
            i += width;
            continue;
        }
        // Markup in scraped text: a tag is space (a block tag ends the paragraph), a script or
        // style element is skipped whole, a character reference is one token.
        if c == '<'
            && let Some((end, block)) = html_tag(&cur, i)
        {
            space_before = true;
            newline_before |= block;
            i = end;
            continue;
        }
        let entity = if c == '&' { html_entity(&cur, i) } else { None };
        if let Some((len, " ")) = entity {
            space_before = true;
            i += len;
            continue;
        }
        let start = i;
        let kind;
        let mut ascii_word = false;
        if let Some((len, _)) = entity {
            kind = TokKind::Punct;
            i += len;
        } else if c.is_alphabetic() {
            kind = TokKind::Word;
            // Dotted abbreviations: U.S., U.N., D.C., U.S.A. (letters each followed by a dot).
            let (mut j, mut dotted) = (i, 0);
            while let Some(l) = cur.at(j).filter(|l| l.is_alphabetic())
                && cur.byte_is(j + l.len_utf8(), b'.')
            {
                j += l.len_utf8() + 1;
                dotted += 1;
            }
            if dotted >= 2 || (dotted == 1 && c.is_uppercase() && !cur.at(j).is_some_and(char::is_alphabetic)) {
                // Two or more dotted letters, or a single initial such as "J.".
                i = j;
            } else {
                let ascii_end = i + text.as_bytes()[i..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
                i = scan_word(&cur, start, ascii_end, &abbrev.particles);
                ascii_word = i == ascii_end;
                if cur.byte_is(i, b'.') && abbrev.is_abbreviation(&text[start..i]) {
                    i += 1;
                    ascii_word = false;
                }
            }
        } else if c.is_ascii_digit() {
            kind = TokKind::Number;
            i += 1;
            while let Some(d) = cur.at(i) {
                if d.is_alphanumeric() {
                    i += d.len_utf8();
                } else if matches!(d, ',' | '.') && cur.bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
                    i += 2;
                } else {
                    break;
                }
            }
            ascii_word = text.as_bytes()[start..i].iter().all(u8::is_ascii_alphanumeric);
        } else if is_apostrophe(c) && cur.at(i + width).is_some_and(char::is_alphabetic) && !space_before {
            // Clitics split off a word: 's, 're, 've, 'll, 'd, 'm.
            kind = TokKind::Word;
            i += width;
            while let Some(l) = cur.at(i).filter(|l| l.is_alphabetic()) {
                i += l.len_utf8();
            }
        } else {
            kind = TokKind::Punct;
            i += width;
        }
        if i == start {
            // Never loop on a token of no length, whatever the input.
            i += width;
        }
        tokens.push(Token {
            start,
            end: i,
            kind,
            lower: match entity {
                Some((_, decoded)) => decoded.into(),
                None => lower(&text[start..i]),
            },
            space_before,
            newline_before,
            cap: c.is_uppercase(),
            ascii_word,
        });
        space_before = false;
        newline_before = false;
    }
    tokens
}

/// Tags that end a paragraph.
const BLOCK_TAGS: &[&str] = &[
    "article",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "ol",
    "p",
    "section",
    "table",
    "td",
    "th",
    "title",
    "tr",
    "ul",
];

/// The longest tag taken for one: longer runs between `<` and `>` are text.
const MAX_TAG_CHARS: usize = 512;

/// An HTML tag (or comment) starting at byte `i`: the byte offset after it, and whether it ends
/// a paragraph. `<script>` and `<style>` elements are taken whole. `None` when `<` starts no
/// tag ("x < 5", "<3").
#[inline(never)]
fn html_tag(cur: &Cursor, i: usize) -> Option<(usize, bool)> {
    let (text, bytes) = (cur.text, cur.bytes);
    let next = *bytes.get(i + 1)?;
    if !(next.is_ascii_alphabetic() || next == b'/' || next == b'!') {
        return None;
    }
    let (mut j, mut chars) = (i + 1, 1);
    while j < bytes.len() && chars <= MAX_TAG_CHARS {
        match bytes[j] {
            b'>' => break,
            b'<' => return None,
            _ => {
                j += cur.at(j).map_or(1, char::len_utf8);
                chars += 1;
            }
        }
    }
    if !cur.byte_is(j, b'>') {
        return None;
    }
    let inner = &text[i + 1..j];
    let name: String = inner
        .trim_start_matches('/')
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let end = j + 1;
    if !inner.starts_with('/') && (name == "script" || name == "style") {
        // Skip to the closing tag, or to the end of the text.
        let close = format!("</{name}");
        let rest = text[end..].to_ascii_lowercase();
        return Some((rest.find(&close).map_or(text.len(), |k| end + k), true));
    }
    Some((end, BLOCK_TAGS.contains(&name.as_str())))
}

/// A character reference (`&amp;`, `&#8217;`) starting at byte `i`: its length in bytes and
/// what it stands for (a space for `&nbsp;`).
#[inline(never)]
fn html_entity(cur: &Cursor, i: usize) -> Option<(usize, &'static str)> {
    let len = html_entity_len(cur.bytes, i);
    if len == 0 {
        return None;
    }
    let name = cur.text[i + 1..i + len - 1].to_ascii_lowercase();
    let decoded = match name.as_str() {
        "nbsp" | "#160" | "ensp" | "emsp" | "thinsp" => " ",
        "amp" | "#38" => "&",
        "quot" | "#34" | "ldquo" | "rdquo" | "#8220" | "#8221" => "\"",
        "apos" | "#39" | "lsquo" | "rsquo" | "#8216" | "#8217" => "'",
        "ndash" | "mdash" | "#8211" | "#8212" => "-",
        "lt" | "#60" => "<",
        "gt" | "#62" => ">",
        _ => "&",
    };
    Some((len, decoded))
}

/// The length in bytes of `&name;` or `&#123;` at byte `i`, or 0.
fn html_entity_len(bytes: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    if bytes.get(j) == Some(&b'#') {
        j += 1;
    }
    let body = j;
    while j < bytes.len() && j - body < 8 && bytes[j].is_ascii_alphanumeric() {
        j += 1;
    }
    if j > body && bytes.get(j) == Some(&b';') { j + 1 - i } else { 0 }
}

/// The end (exclusive byte offset) of the word starting at `start`, read on from `i` (where its
/// leading ASCII letters and digits end). Words keep inner apostrophes (O'Brien, d'Affaires) and
/// inner hyphens between lowercase parts (cease-fire, three-way); they split off clitics ('s,
/// n't) and hyphens next to a capital (U.S.-Japanese, Biden-Harris).
#[inline(never)]
fn scan_word(cur: &Cursor, start: usize, mut i: usize, particles: &HashSet<String>) -> usize {
    loop {
        while cur.bytes.get(i).is_some_and(u8::is_ascii_alphanumeric) {
            i += 1;
        }
        while let Some(c) = cur.at(i).filter(|&c| c.is_alphanumeric() || c == '\u{301}' || c == '\u{300}') {
            i += c.len_utf8();
        }
        let Some(c) = cur.at(i) else { return i };
        let after = i + c.len_utf8();
        let next = cur.at(after);
        if is_apostrophe(c) && next.is_some_and(char::is_alphabetic) {
            // 's and other clitics end the word; n't takes the n with it.
            let mut j = after;
            while let Some(l) = cur.at(j).filter(|l| l.is_alphabetic()) {
                j += l.len_utf8();
            }
            let clitic = &cur.text[after..j];
            if ["s", "re", "ve", "ll", "d", "m"].iter().any(|k| clitic.eq_ignore_ascii_case(k)) {
                return i;
            }
            if clitic.eq_ignore_ascii_case("t") && cur.byte_is(i - 1, b'n') {
                // "doesn't": "does" + "n't"; the "n't" token itself ends after the t.
                return if i - 1 > start { i - 1 } else { j };
            }
            i = j;
            continue;
        }
        if is_hyphen(c)
            && let Some(next) = next.filter(|n| n.is_alphanumeric())
        {
            let prev = cur.before(i).unwrap_or(' ');
            if prev.is_lowercase()
                && (next.is_lowercase() || next.is_ascii_digit())
                && !cur.at(start).is_some_and(char::is_uppercase)
            {
                i = after;
                continue;
            }
            // "al-Burhan": a lowercase name particle glued to a name.
            if next.is_uppercase() && particles.contains(&cur.text[start..i]) {
                i = after;
                continue;
            }
        }
        return i;
    }
}

/// Words that start most sentences; after an abbreviation such as "U.S." they mark a new one.
const STARTERS: &[&str] = &[
    "a",
    "after",
    "also",
    "an",
    "and",
    "as",
    "at",
    "but",
    "during",
    "for",
    "he",
    "her",
    "his",
    "however",
    "i",
    "if",
    "in",
    "it",
    "its",
    "meanwhile",
    "no",
    "on",
    "she",
    "since",
    "so",
    "that",
    "the",
    "their",
    "there",
    "these",
    "they",
    "this",
    "those",
    "to",
    "we",
    "when",
    "while",
    "with",
    "you",
];

#[inline(never)]
fn sentences(text: &str, tokens: &[Token], abbrev: &Abbreviations) -> Vec<Sentence> {
    // Sentences of news are 80 to 200 bytes long.
    let mut out = Vec::with_capacity(text.len() / 64 + 1);
    let mut first = 0;
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        let mut end_here = false;
        let mut last = i;
        // (A number, or a word of ASCII letters and digits only, ends no sentence itself.)
        if t.kind == TokKind::Number || t.ascii_word {
            if tokens.get(i + 1).is_some_and(|n| n.newline_before) {
                push_sentence(&mut out, tokens, first..i + 1, abbrev.max_sentence_tokens);
                first = i + 1;
            }
            i += 1;
            continue;
        }
        let terminal = t.kind == TokKind::Punct && matches!(t.lower.as_str(), "." | "?" | "!" | "…");
        let abbrev_end = t.kind == TokKind::Word && t.lower.ends_with('.') && {
            let bare = t.lower.trim_end_matches('.');
            !abbrev.titles.contains(bare) && bare.len() != 1
        };
        if terminal || abbrev_end {
            // Take closing quotes and brackets with the sentence.
            while last + 1 < tokens.len() && closes(text, tokens, last + 1) {
                last += 1;
            }
            match tokens.get(last + 1) {
                None => end_here = true,
                Some(next) => {
                    let starts_upper = text[next.start..].chars().next().is_some_and(|c| {
                        c.is_uppercase() || c.is_ascii_digit() || matches!(fold_char(c), '"' | '\'' | '(')
                    });
                    end_here = if terminal {
                        starts_upper || next.newline_before
                    } else {
                        next.newline_before || (starts_upper && STARTERS.contains(&next.lower.as_str()))
                    };
                }
            }
        }
        if !end_here && tokens.get(i + 1).is_some_and(|n| n.newline_before) {
            end_here = true;
        }
        if end_here {
            push_sentence(&mut out, tokens, first..last + 1, abbrev.max_sentence_tokens);
            first = last + 1;
            i = last + 1;
        } else {
            i += 1;
        }
    }
    if first < tokens.len() {
        push_sentence(&mut out, tokens, first..tokens.len(), abbrev.max_sentence_tokens);
    }
    out
}

/// Whether token `i` is a closing quote or bracket that belongs to the sentence before it.
fn closes(text: &str, tokens: &[Token], i: usize) -> bool {
    let t = &tokens[i];
    if t.newline_before || t.space_before || !matches!(t.lower.as_str(), "\"" | "'" | ")" | "]") {
        return false;
    }
    let raw = text[t.start..t.end].chars().next();
    if matches!(raw, Some('\u{201C}' | '\u{2018}' | '«')) {
        return false;
    }
    // A straight quote glued to the next word opens the next sentence.
    tokens.get(i + 1).is_none_or(|n| n.space_before || n.newline_before || n.kind == TokKind::Punct)
}

fn push_sentence(out: &mut Vec<Sentence>, tokens: &[Token], range: Range<usize>, max: usize) {
    let step = if max == 0 { range.len().max(1) } else { max };
    let mut start = range.start;
    while start < range.end {
        let end = (start + step).min(range.end);
        out.push(Sentence { start: tokens[start].start, end: tokens[end - 1].end, tokens: start..end });
        start = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn abbrev() -> Abbreviations {
        let mut a = Abbreviations::default();
        for w in ["mr", "gen", "jr", "sen"] {
            a.all.insert(w.into());
        }
        for w in ["mr", "gen", "sen"] {
            a.titles.insert(w.into());
        }
        a
    }

    fn words(text: &str) -> Vec<String> {
        split(text, &abbrev()).tokens.iter().map(|t| text[t.start..t.end].to_string()).collect()
    }

    fn sents(text: &str) -> Vec<String> {
        split(text, &abbrev()).sentences.iter().map(|s| text[s.start..s.end].to_string()).collect()
    }

    #[test]
    fn abbreviations_and_clitics() {
        assert_eq!(words("the U.S.-Japanese base"), ["the", "U.S.", "-", "Japanese", "base"]);
        assert_eq!(words("Lloyd J. Austin didn't"), ["Lloyd", "J.", "Austin", "did", "n't"]);
        assert_eq!(words("Israel’s cease-fire"), ["Israel", "’s", "cease-fire"]);
        assert_eq!(words("Hamas doesn’t"), ["Hamas", "does", "n’t"]);
        assert_eq!(words("Chargé d’Affaires Gen. Smith"), ["Chargé", "d’Affaires", "Gen.", "Smith"]);
        assert_eq!(words("$2.5 million, 17,000"), ["$", "2.5", "million", ",", "17,000"]);
    }

    #[test]
    fn ascii_words_are_marked() {
        let text = "Israel’s U.S. cease-fire in 2024, José and Jr. Smith's";
        let t = split(text, &abbrev());
        let marked: Vec<(&str, bool)> = t.tokens.iter().map(|t| (&text[t.start..t.end], t.ascii_word)).collect();
        assert_eq!(
            marked,
            [
                ("Israel", true),
                ("’s", false),
                ("U.S.", false),
                ("cease-fire", false),
                ("in", true),
                ("2024", true),
                (",", false),
                ("José", false),
                ("and", true),
                ("Jr.", false),
                ("Smith", true),
                ("'s", false)
            ]
        );
    }

    #[test]
    fn words_before_a_dot() {
        // A word that ends a sentence is a whole ASCII word; an abbreviation or an initial keeps
        // its dot.
        let text = "They met Gen. Smith and J. Doe in Paris. TALKS. Go. 2024.";
        let t = split(text, &abbrev());
        let marked: Vec<(&str, bool, &str)> =
            t.tokens.iter().map(|t| (&text[t.start..t.end], t.ascii_word, t.lower.as_str())).collect();
        assert_eq!(
            marked,
            [
                ("They", true, "they"),
                ("met", true, "met"),
                ("Gen.", false, "gen."),
                ("Smith", true, "smith"),
                ("and", true, "and"),
                ("J.", false, "j."),
                ("Doe", true, "doe"),
                ("in", true, "in"),
                ("Paris", true, "paris"),
                (".", false, "."),
                ("TALKS", true, "talks"),
                (".", false, "."),
                ("Go", true, "go"),
                (".", false, "."),
                ("2024", true, "2024"),
                (".", false, ".")
            ]
        );
        assert_eq!(sents(text).len(), 4);
    }

    #[test]
    fn markup_is_space_and_block_tags_end_sentences() {
        let html = "<div class=\"x\"><p>Ruto <b>met</b> Blinken</p><p>Then&nbsp;they&rsquo;d left &amp; went</p></div>";
        assert_eq!(words(html), ["Ruto", "met", "Blinken", "Then", "they", "&rsquo;", "d", "left", "&amp;", "went"]);
        assert_eq!(sents(html).len(), 2);
        let t = split("A &amp; B", &abbrev());
        assert_eq!(t.tokens[1].lower, "&");
        // Scripts and styles are skipped whole; a `<` that starts no tag is text.
        assert_eq!(words("a<script>var s = '<p>x</p>';</script>b"), ["a", "b"]);
        assert_eq!(words("<style>p { color: red }</style>x"), ["x"]);
        assert_eq!(words("x < 5 and y<3"), ["x", "<", "5", "and", "y", "<", "3"]);
        assert_eq!(words("a <b never closed"), ["a", "<", "b", "never", "closed"]);
        assert_eq!(words("a &unknown; b &; c"), ["a", "&unknown;", "b", "&", ";", "c"]);
        assert_eq!(words("<!-- note --> a"), ["a"]);
    }

    #[test]
    fn sentence_ends() {
        assert_eq!(
            sents("He met Gen. Smith in the U.S. on Monday. The talks ended.\nNext line"),
            ["He met Gen. Smith in the U.S. on Monday.", "The talks ended.", "Next line"]
        );
        assert_eq!(sents("Talks with the U.S. The end."), ["Talks with the U.S.", "The end."]);
        assert_eq!(sents("He said \"no.\" Then left."), ["He said \"no.\"", "Then left."]);
        assert_eq!(sents("the Agreement.“A strong"), ["the Agreement.", "“A strong"]);
    }

    proptest::proptest! {
        /// Any text, markup and odd characters included: tokens in order, apart, on character
        /// boundaries, and sentences that cover them.
        #[test]
        fn tokens_are_ordered_spans_of_any_text(text in "(\\PC|[<>&;#’'.\\-]|U\\.S\\.|&amp;|<p>|</script>| ){0,60}") {
            let t = split(&text, &abbrev());
            let mut last = 0;
            for tok in &t.tokens {
                proptest::prop_assert!(last <= tok.start && tok.start < tok.end && tok.end <= text.len());
                proptest::prop_assert!(text.is_char_boundary(tok.start) && text.is_char_boundary(tok.end));
                last = tok.end;
            }
            let covered: usize = t.sentences.iter().map(|s| s.tokens.len()).sum();
            proptest::prop_assert_eq!(covered, t.tokens.len());
        }
    }

    #[test]
    fn long_runs_are_cut() {
        let a = Abbreviations { max_sentence_tokens: 4, ..Abbreviations::default() };
        let t = split("a b c d e f g h i j", &a);
        assert_eq!(t.sentences.len(), 3);
    }
}
