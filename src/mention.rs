//! Mentions: where a sentence names an actor, from the gazetteers, titles, head words and name
//! shapes, before anything is linked to anything.
//!
//! A sentence is cut into capitalised chunks ("Guatemalan President Bernardo Arevalo", "Los Angeles
//! Declaration on Migration and Protection"); each chunk is read with the gazetteer hits inside it.
//! Lowercase context decides the rest: "the Guatemalan capital", "Chinese officials", "in
//! Washington" (a place) against "Washington announced" (the government).

use std::ops::Range;

use crate::model::Kind;
use crate::rules::class;
use crate::rules::{GazRef, PlaceKind, Rules};
use crate::sentence::{TokKind, Token, Tokens};

/// How a mention names its actor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// A name or alias: "Antony Blinken", "the US", "CBP".
    Name,
    /// A nationality adjective: "Guatemalan". Mentions the country without naming it.
    Demonym,
    /// A capital or seat of government standing for the government: "Washington said".
    Metonym,
    /// A group acting for a country or body: "Chinese officials", "the Ukrainian government".
    Agent,
    /// "the Biden administration", "Government of Rwanda": the government of a country.
    Government,
    /// he, she, him, her, his.
    Pronoun,
    /// A title or head word without a name: "the Secretary", "the Ukrainian leader", "the Declaration".
    Description,
    /// who, which, after an actor: stands for that actor.
    Relative,
}

/// What a mention refers to, before coreference.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// An entry of the gazetteers (a country, place, organization or person).
    Gaz(GazRef),
    /// A name no list knows.
    Name(String),
    /// To be resolved by the alias stage (pronouns, descriptions, relatives, "X administration").
    Unresolved,
}

/// One mention of an actor in the text.
#[derive(Clone, Debug, PartialEq)]
pub struct Mention {
    pub sentence: usize,
    /// All the tokens of the mention, title and qualifiers included.
    pub toks: Range<usize>,
    /// The tokens of the name proper.
    pub name: Range<usize>,
    pub kind: Kind,
    pub form: Form,
    pub target: Target,
    /// For people: the title before the name (index into `Rules::titles`), if any.
    pub title: Option<usize>,
    /// A lowercase title or role word ("predecessor", "leader") that qualifies the person.
    pub role: Option<String>,
    /// The mention (index in the list) of the country or body that qualifies this one:
    /// "Guatemalan" in "Guatemalan President X", "US" in "US Customs and Border Protection".
    pub qualifier: Option<usize>,
    /// Inside another mention (a qualifier, or a name inside a name): not an actor of the
    /// sentence on its own.
    pub nested: bool,
    /// Named only inside another name ("Pakistan" in "Pakistan Point News"): no node of its own
    /// unless the article names it elsewhere.
    pub embedded: bool,
    /// For descriptions and "X administration": the words that describe (lowercase), and the person
    /// name for an administration.
    pub description: Option<String>,
    /// For descriptions: the country they name ("the Ukrainian leader").
    pub country: Option<usize>,
    /// A capitalised word or two no rule could read; kept only if coreference finds what it is
    /// (a surname of a person named elsewhere, an acronym).
    pub tentative: bool,
    /// Superseded by a reading of the same words made later (it stays in the list so that
    /// indexes into it hold).
    pub dropped: bool,
}

impl Mention {
    fn new(sentence: usize, toks: Range<usize>, kind: Kind, form: Form, target: Target) -> Mention {
        Mention {
            sentence,
            name: toks.clone(),
            toks,
            kind,
            form,
            target,
            title: None,
            role: None,
            qualifier: None,
            nested: false,
            embedded: false,
            description: None,
            country: None,
            tentative: false,
            dropped: false,
        }
    }
}

/// A gazetteer hit mapped onto tokens.
#[derive(Clone, Debug)]
struct TokHit<'r> {
    toks: Range<usize>,
    refs: &'r [GazRef],
}

/// Finds every mention in an article.
pub fn find(rules: &Rules, text: &str, tokens: &Tokens) -> Vec<Mention> {
    // News names an actor every four or five tokens.
    let mut out = Vec::with_capacity(tokens.tokens.len() / 4);
    // One set of lists serves every sentence, with room for the longest.
    let longest = tokens.sentences.iter().map(|s| s.tokens.len()).max().unwrap_or(0);
    let (mut raw, mut found, mut chosen, mut covering) = (
        Vec::with_capacity(longest),
        Vec::with_capacity(longest),
        Vec::with_capacity(longest),
        Vec::with_capacity(longest),
    );
    for (si, sentence) in tokens.sentences.iter().enumerate() {
        let toks = &tokens.tokens;
        hits(rules, text, tokens, sentence.tokens.clone(), (&mut raw, &mut found), &mut chosen);
        covering.clear();
        covering.resize(sentence.tokens.len(), 0);
        for (n, h) in chosen.iter().enumerate() {
            for i in h.toks.clone() {
                covering[i - sentence.tokens.start] = n as u32 + 1;
            }
        }
        let ctx = Ctx {
            rules,
            text,
            toks,
            sentence: si,
            range: sentence.tokens.clone(),
            hits: &chosen,
            covering: &covering,
            first: out.len(),
            classes: &tokens.classes,
        };
        ctx.sentence_mentions(&mut out);
    }
    out
}

/// Gazetteer hits of a sentence that pass the case check, mapped to token ranges, non-overlapping
/// (leftmost, then longest), titles included: into `chosen` (`scratch` holds the work lists).
fn hits<'r>(
    rules: &'r Rules,
    text: &str,
    tokens: &Tokens,
    range: Range<usize>,
    scratch: (&mut Vec<crate::rules::Hit<'r>>, &mut Vec<TokHit<'r>>),
    chosen: &mut Vec<TokHit<'r>>,
) {
    let (raw, found) = scratch;
    chosen.clear();
    let toks = &tokens.tokens[..];
    if range.is_empty() {
        return;
    }
    let (s, e) = (toks[range.start].start, toks[range.end - 1].end);
    found.clear();
    let lists = &tokens.name_lists;
    let starts = range.clone().map(|i| {
        let t = &toks[i];
        (t.start - s, t.end - s, lists.get(i).copied().unwrap_or(crate::rules::LOOK_UP))
    });
    rules.gazetteer.find_at_tokens_into(&text[s..e], starts, raw);
    for h in raw.iter() {
        let (hs, he) = (h.start + s, h.end + s);
        // Tokens are in text order: find the ones the hit starts and ends on.
        let sentence = &toks[range.clone()];
        let Ok(ts) = sentence.binary_search_by_key(&hs, |t| t.start) else { continue };
        let Ok(te) = sentence.binary_search_by_key(&he, |t| t.end) else { continue };
        let (ts, te) = (range.start + ts, range.start + te);
        if te < ts {
            continue;
        }
        let surface = &text[hs..he];
        let refs: &'r [GazRef] = if case_matches(h.form, surface) {
            h.refs
        } else {
            // Titles match in any case ("the president"); keep only them.
            let titles = h.refs.iter().filter(|r| matches!(r, GazRef::Title(_))).count();
            if titles == 0 {
                continue;
            }
            let first = h.refs.iter().position(|r| matches!(r, GazRef::Title(_))).unwrap_or(0);
            &h.refs[first..first + titles]
        };
        found.push(TokHit { toks: ts..te + 1, refs });
    }
    // Leftmost-longest selection.
    found.sort_by_key(|h| (h.toks.start, std::cmp::Reverse(h.toks.end)));
    for h in found.drain(..) {
        if chosen.last().is_some_and(|c| h.toks.start < c.toks.end) {
            continue;
        }
        chosen.push(h);
    }
}

/// A gazetteer form matches a surface when every capital letter of the form is a capital in the
/// text: "US" does not match "us"; an all-caps dateline ("SEOUL") matches "Seoul".
fn case_matches(form: &str, surface: &str) -> bool {
    // Most names are written as the gazetteer writes them.
    if form == surface {
        return true;
    }
    if form.is_ascii() && surface.is_ascii() {
        // The same test on bytes.
        let (f, s) = (form.as_bytes(), surface.as_bytes());
        if f.len() != s.len() {
            return false;
        }
        let letters = s.iter().filter(|b| b.is_ascii_alphabetic()).count();
        let all_caps = letters > 3 && s.iter().filter(|b| b.is_ascii_alphabetic()).all(u8::is_ascii_uppercase);
        return f.iter().zip(s).all(|(&f, &s)| {
            if f.is_ascii_uppercase() {
                s.is_ascii_uppercase()
            } else if f.is_ascii_lowercase() && s.is_ascii_uppercase() {
                all_caps || f.to_ascii_uppercase() == s
            } else {
                true
            }
        });
    }
    if form.chars().count() != surface.chars().count() {
        return false;
    }
    let all_caps = surface.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase)
        && surface.chars().filter(|c| c.is_alphabetic()).count() > 3;
    form.chars().zip(surface.chars()).all(|(f, s)| {
        if f.is_uppercase() {
            s.is_uppercase()
        } else if f.is_lowercase() && s.is_uppercase() {
            // "Of" in a heading, or an all-caps line.
            all_caps || f.to_uppercase().eq(s.to_uppercase())
        } else {
            true
        }
    })
}

struct Ctx<'a, 'r> {
    rules: &'r Rules,
    text: &'a str,
    toks: &'a [Token],
    sentence: usize,
    range: Range<usize>,
    hits: &'a [TokHit<'r>],
    /// For each token of the sentence, 1 + the number of the hit that covers it (0: none).
    covering: &'a [u32],
    /// Where this sentence's mentions start in the list: scans look no further back.
    first: usize,
    /// The word classes of every token of the article (see `rules::class`).
    classes: &'a [u32],
}

impl Ctx<'_, '_> {
    // Token accessors are total: outside the sentence there is nothing ("", not capitalised),
    // so lookahead and lookbehind never index out of bounds.
    fn word(&self, i: usize) -> &str {
        if !self.range.contains(&i) {
            return "";
        }
        &self.text[self.toks[i].start..self.toks[i].end]
    }

    /// Whether token `i` (in this sentence) is a word of the class.
    fn is(&self, class: u32, i: usize) -> bool {
        self.range.contains(&i) && self.classes[i] & class != 0
    }

    fn lower(&self, i: usize) -> &str {
        if !self.range.contains(&i) {
            return "";
        }
        &self.toks[i].lower
    }

    fn is_cap(&self, i: usize) -> bool {
        if !self.range.contains(&i) {
            return false;
        }
        let t = &self.toks[i];
        t.kind == TokKind::Word && t.is_capitalized()
    }

    fn hit_at(&self, i: usize) -> Option<&TokHit<'_>> {
        self.hit_covering(i).filter(|h| h.toks.start == i)
    }

    fn hit_covering(&self, i: usize) -> Option<&TokHit<'_>> {
        let n = *self.covering.get(i.checked_sub(self.range.start)?)?;
        self.hits.get((n as usize).checked_sub(1)?)
    }

    /// The kind of name token `i` heads, if it is a head word (see [`Rules::head_kind`]).
    fn head_kind(&self, i: usize) -> Option<Kind> {
        if !self.range.contains(&i) {
            return None;
        }
        Rules::head_kind_of(self.classes[i])
    }

    fn is_not_name(&self, i: usize) -> bool {
        self.is(class::NOT_NAME, i) && self.hit_covering(i).is_none()
    }

    /// Whether token `i` could start or continue a name.
    #[inline(always)]
    fn name_word(&self, i: usize) -> bool {
        // Most tokens are lowercase ASCII words or marks that no gazetteer hit covers: none.
        let t = &self.toks[i];
        if !t.cap && (t.ascii_word || t.kind != TokKind::Word) && self.hit_covering(i).is_none() {
            return false;
        }
        self.name_word_slow(i)
    }

    /// [`Ctx::name_word`], the whole reading.
    fn name_word_slow(&self, i: usize) -> bool {
        let t = &self.toks[i];
        if self
            .hit_covering(i)
            .is_some_and(|h| !h.refs.iter().all(|r| matches!(r, GazRef::Title(_))) || self.is_cap(h.toks.start))
        {
            return true;
        }
        if t.kind == TokKind::Word && !self.is_cap(i) {
            // "al-Aloul", "bin-Salman": a particle glued to a capitalised name. (Most words have
            // no hyphen: a whole ASCII word has none, and a look at the bytes of others says so.)
            if t.ascii_word {
                return false;
            }
            let lower = t.lower.as_str();
            let hyphen = lower.as_bytes().iter().position(|&b| b == b'-');
            return hyphen.map(|k| (&lower[..k], &lower[k + 1..])).is_some_and(|(p, rest)| {
                !rest.is_empty()
                    && self.rules.is(class::PARTICLE, p)
                    && self.text[t.start + p.len() + 1..t.end].starts_with(char::is_uppercase)
            });
        }
        t.kind == TokKind::Word && self.is_cap(i) && !self.is_not_name(i)
    }

    /// Capitalised chunks of the sentence, as token ranges.
    fn chunks(&self) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut i = self.range.start;
        while i < self.range.end {
            if !self.name_word(i) {
                i += 1;
                continue;
            }
            let mut start = i;
            let mut end = self.hit_at(i).map_or(i + 1, |h| h.toks.end.max(i + 1));
            loop {
                if end >= self.range.end {
                    break;
                }
                let t = &self.toks[end];
                if let Some(h) = self.hit_at(end) {
                    let joined = !t.space_before && !t.newline_before;
                    if (self.name_word(end) && !t.newline_before) || joined {
                        end = h.toks.end;
                        continue;
                    }
                }
                if t.newline_before {
                    break;
                }
                if self.name_word(end) {
                    end += 1;
                    continue;
                }
                // A quoted name inside a name: the "Justice First" Movement.
                if t.lower == "\""
                    && !t.space_before
                    && start > self.range.start
                    && self.lower(start - 1) == "\""
                    && !self.toks[start].space_before
                    && end + 1 < self.range.end
                    && self.name_word(end + 1)
                {
                    start -= 1;
                    end += 1;
                    continue;
                }
                // Hyphen between capitals without spaces: Indo-Pacific, Biden-Harris.
                if t.lower == "-"
                    && !t.space_before
                    && end + 1 < self.range.end
                    && !self.toks[end + 1].space_before
                    && self.name_word(end + 1)
                {
                    end += 2;
                    continue;
                }
                // Connectors inside names: "Department of State", "Office of the High
                // Commissioner", "Declaration on Migration and Protection", "bin Salman".
                if t.kind == TokKind::Word && !self.is_cap(end) {
                    let next_ok = |j: usize| j < self.range.end && self.name_word(j) && !self.toks[j].newline_before;
                    let joins = if self.is(class::CONNECTOR, end) {
                        let j =
                            if self.lower(end + 1) == "the" && end + 2 < self.range.end { end + 2 } else { end + 1 };
                        next_ok(j).then_some(j)
                    } else {
                        let particle = self.is(class::PARTICLE, end);
                        let and = (t.lower == "and" || t.lower == "&") && self.and_joins(start, end);
                        ((particle || and) && next_ok(end + 1)).then_some(end + 1)
                    };
                    if let Some(j) = joins {
                        end = j;
                        continue;
                    }
                }
                break;
            }
            out.push(start..end);
            i = end;
        }
        out
    }

    /// Whether "and" at `and` continues the name that starts at `start`: inside a complement
    /// ("Ministry of Energy and Mines") or between a lone word and a name built on a head word
    /// ("Immigration and Nationality Act"), but not between two names ("Israel and Hamas").
    fn and_joins(&self, start: usize, and: usize) -> bool {
        if self.lower(and + 1) == "the" {
            return false;
        }
        let complement = (start..and).any(|i| !self.is_cap(i) && self.is(class::CONNECTOR, i));
        if complement {
            return true;
        }
        let lone = and == start + 1
            && self.hit_covering(start).is_none()
            && !self.rules.given_names.contains(self.word(start));
        if !lone {
            return false;
        }
        let mut j = and + 1;
        while j < self.range.end && (self.name_word(j) || (self.is(class::CONNECTOR, j) && !self.is_cap(j))) {
            j += 1;
        }
        j > and + 1 && self.head_kind(j - 1).is_some() && self.is_cap(j - 1)
    }

    fn sentence_mentions(&self, out: &mut Vec<Mention>) {
        for chunk in self.chunks() {
            let chunk = self.trim_chunk(chunk);
            if chunk.is_empty() {
                continue;
            }
            self.analyze(chunk, out);
        }
        self.appositions(out);
        self.place_phrases(out);
        self.pronouns(out);
    }

    /// "the Mexican president, Andrés Manuel López Obrador", "Ethiopia's ambassador, X", "his
    /// Azerbaijani counterpart, X": a role in apposition before a name qualifies the person.
    fn appositions(&self, out: &mut [Mention]) {
        // "Marco Rubio, Secretary of State": a title after the name and a comma.
        for m in out.iter_mut().skip(self.first) {
            if m.sentence != self.sentence || m.kind != Kind::Person || m.form != Form::Name || m.title.is_some() {
                continue;
            }
            let e = m.toks.end;
            if e + 1 < self.range.end
                && self.lower(e) == ","
                && let Some(h) = self.hit_at(e + 1)
                && let Some(t) = self.title_class(h)
                && (h.toks.end == self.range.end || matches!(self.lower(h.toks.end), "," | "." | ";"))
            {
                m.title = Some(t);
            }
        }
        // "Minister of External Affairs, S. Jaishankar": a title, a comma, the name.
        for m in out.iter_mut().skip(self.first) {
            if m.sentence != self.sentence || m.kind != Kind::Person || m.form != Form::Name || m.title.is_some() {
                continue;
            }
            let s = m.toks.start;
            if s < self.range.start + 2 || self.lower(s - 1) != "," {
                continue;
            }
            let comma = s - 1;
            let title = self.hits.iter().rev().find(|h| {
                h.toks.end <= comma
                    && comma - h.toks.start <= 6
                    && self.is_cap(h.toks.start)
                    && self.title_class(h).is_some()
                    && (h.toks.end..comma).all(|i| self.is_cap(i) || self.is(class::CONNECTOR, i))
            });
            if let Some(h) = title {
                m.title = self.title_class(h);
            }
        }
        for p in self.first..out.len() {
            let m = &out[p];
            let person_like = m.kind == Kind::Person || m.tentative;
            if m.sentence != self.sentence || !person_like || m.form != Form::Name || m.qualifier.is_some() {
                continue;
            }
            let s = m.toks.start;
            if s < self.range.start + 3 || self.lower(s - 1) != "," || m.name.len() > 4 {
                continue;
            }
            // The role words before the comma: "foreign minister", "ambassador", "counterpart",
            // "minister for overseas development".
            let end = s - 1;
            let mut k = end;
            let mut role_at = None;
            while k > self.range.start && end - k < 6 {
                let i = k - 1;
                let t = &self.toks[i];
                if t.kind != TokKind::Word || self.is_cap(i) || t.lower == "and" {
                    break;
                }
                let titled = self.hit_covering(i).is_some_and(|h| self.title_class(h).is_some());
                if titled || self.is(class::ROLE, i) {
                    role_at = Some(i);
                }
                k = i;
            }
            // The phrase starts at its first role word or the words right before it.
            let Some(first_role) = role_at else { continue };
            let mut k = first_role;
            while k > self.range.start
                && !self.is_cap(k - 1)
                && self.toks[k - 1].kind == TokKind::Word
                && !matches!(self.lower(k - 1), "'s" | "the" | "his" | "her" | "its" | "their" | "and" | "a")
                && first_role - k < 2
            {
                k -= 1;
            }
            if k == self.range.start {
                continue;
            }
            // What qualifies the role: "Ethiopia's", "the French", "his Azerbaijani".
            let q_end = if self.lower(k - 1) == "'s" { k - 1 } else { k };
            let Some(q) = out[self.first..]
                .iter()
                .position(|x| {
                    x.sentence == self.sentence
                        && x.toks.end == q_end
                        && matches!(x.form, Form::Name | Form::Demonym)
                        && matches!(x.kind, Kind::Country | Kind::Organization)
                })
                .map(|p| p + self.first)
            else {
                continue;
            };
            // "his Estonian and Lithuanian counterparts, X and Y": respectively.
            let plural = self.lower(first_role).ends_with('s') && !self.lower(first_role).ends_with("ss");
            let q_first = out[self.first..]
                .iter()
                .position(|x| {
                    x.sentence == self.sentence
                        && q >= 1
                        && x.toks.end + 1 == out[q].toks.start
                        && self.lower(x.toks.end) == "and"
                        && matches!(x.kind, Kind::Country | Kind::Organization)
                })
                .map(|p| p + self.first);
            let next_person = out[self.first..]
                .iter()
                .position(|x| {
                    x.sentence == self.sentence
                        && x.kind == Kind::Person
                        && x.form == Form::Name
                        && x.toks.start == out[p].toks.end + 1
                        && self.lower(out[p].toks.end) == "and"
                })
                .map(|p| p + self.first);
            // The whole apposition is one mention of the person: "the Mexican president, X".
            let mut span_start = out[q].toks.start.min(k);
            if let Some(f) = q_first {
                span_start = span_start.min(out[f].toks.start);
            }
            if span_start > self.range.start
                && matches!(self.lower(span_start - 1), "the" | "his" | "her" | "its" | "their")
            {
                span_start -= 1;
            }
            let role = (k..end).map(|i| self.lower(i)).collect::<Vec<_>>().join(" ");
            let (mine, other) = match (plural, q_first, next_person) {
                (true, Some(f), Some(n)) => (Some(f), Some((n, q))),
                (true, _, _) => (None, None),
                _ => (Some(q), None),
            };
            out[q].nested = true;
            if let Some(f) = q_first {
                out[f].nested = true;
            }
            let m = &mut out[p];
            m.qualifier = mine;
            m.role = Some(role.clone());
            m.toks.start = span_start;
            if m.tentative {
                // A role in apposition makes the name a person's.
                m.tentative = false;
                m.kind = Kind::Person;
            }
            if let Some((n, q2)) = other {
                out[n].qualifier = Some(q2);
                out[n].role = Some(role);
            }
        }
    }

    /// Drops connector words at the ends and a sentence-initial word that is no name.
    fn trim_chunk(&self, mut c: Range<usize>) -> Range<usize> {
        let quoted =
            |c: &Range<usize>| self.lower(c.start) == "\"" && (c.start + 1..c.end).any(|i| self.lower(i) == "\"");
        while !c.is_empty() && !self.is_cap(c.start) && self.hit_at(c.start).is_none() && !quoted(&c) {
            c.start += 1;
        }
        while !c.is_empty() && !self.is_cap(c.end - 1) && self.hit_covering(c.end - 1).is_none() {
            c.end -= 1;
        }
        c
    }

    /// The hits inside `r`: a run of the sentence's hits, which are in order and apart.
    fn hits_in(&self, r: &Range<usize>) -> &[TokHit<'_>] {
        let lo = self.hits.partition_point(|h| h.toks.start < r.start);
        let hi = lo + self.hits[lo..].partition_point(|h| h.toks.end <= r.end);
        &self.hits[lo..hi]
    }

    fn push(&self, out: &mut Vec<Mention>, m: Mention) -> usize {
        out.push(m);
        out.len() - 1
    }

    /// Reads one chunk and pushes its mentions.
    fn analyze(&self, chunk: Range<usize>, out: &mut Vec<Mention>) {
        let hits = self.hits_in(&chunk);
        // 1. The chunk is one gazetteer name.
        if let [h] = hits
            && h.toks == chunk
        {
            self.gaz_mention(h, out);
            return;
        }
        // 2. Qualifier + title + name: a person.
        if self.person_with_title(&chunk, hits, out) {
            return;
        }
        // 2b. A name with a given name inside, after words no list knows:
        // "U.S. Embassy Charge d'Affaires John Law".
        if self.person_after_prefix(&chunk, hits, out) {
            return;
        }
        // 3. "Trump Administration", "Government of Rwanda".
        if self.government(&chunk, hits, out) {
            return;
        }
        // 4. A name built on a head word: an organization, agreement or place.
        if self.headed_name(&chunk, out) {
            return;
        }
        // 5. A person by the shape of the name.
        if self.person_by_shape(&chunk, hits, out) {
            return;
        }
        // 6. An unknown name after "in", "to": a place.
        if hits.is_empty() && self.unknown_place(&chunk, out) {
            return;
        }
        // 7. Whatever the gazetteers know inside the chunk.
        let mut any = false;
        for h in hits {
            if !h.refs.iter().all(|r| matches!(r, GazRef::Title(_))) {
                self.gaz_mention(h, out);
                any = true;
            }
        }
        // 8. Unknown words: a surname or acronym, perhaps; coreference decides.
        if !any && chunk.len() <= 3 {
            let mut c = chunk.clone();
            if c.len() >= 2 && self.is(class::NOT_NAME, c.start) {
                c.start += 1;
            }
            let mut m =
                Mention::new(self.sentence, c.clone(), Kind::Person, Form::Name, Target::Name(self.name_text(&c)));
            m.tentative = true;
            self.push(out, m);
        }
    }

    /// The first reference of a hit that is not a title, preferring countries, then orgs,
    /// people, places, seats and demonyms.
    fn best_ref(refs: &[GazRef]) -> Option<GazRef> {
        refs.iter().copied().find(|r| !matches!(r, GazRef::Title(_)))
    }

    /// A mention from a gazetteer hit, read with its context.
    fn gaz_mention(&self, h: &TokHit<'_>, out: &mut Vec<Mention>) -> Option<usize> {
        let r = Self::best_ref(h.refs)?;
        let toks = h.toks.clone();
        let after = toks.end;
        let next = (after < self.range.end).then(|| self.lower(after));
        let m = match r {
            GazRef::Country(_) => {
                let mut m = Mention::new(self.sentence, toks, Kind::Country, Form::Name, Target::Gaz(r));
                self.absorb_agent(&mut m);
                m
            }
            GazRef::Demonym(c) => {
                let mut m = Mention::new(
                    self.sentence,
                    toks.clone(),
                    Kind::Country,
                    Form::Demonym,
                    Target::Gaz(GazRef::Country(c)),
                );
                if next == Some("capital")
                    && let Some(&cap) = self.rules.countries[c].capitals.first()
                {
                    let mut p = Mention::new(
                        self.sentence,
                        toks.start..after + 1,
                        Kind::Location,
                        Form::Description,
                        Target::Gaz(GazRef::Place(cap)),
                    );
                    p.name = toks;
                    return Some(self.push(out, p));
                }
                self.absorb_agent(&mut m);
                m
            }
            GazRef::Seat(c) | GazRef::Place(c) => {
                let (place, country) = match r {
                    GazRef::Seat(_) => (None, Some(c)),
                    _ => {
                        let p = &self.rules.places[c];
                        (Some(c), (p.kind == PlaceKind::Capital).then_some(p.country).flatten())
                    }
                };
                if country.is_some() && !self.place_context(&toks) {
                    let mut m = Mention::new(
                        self.sentence,
                        toks,
                        Kind::Country,
                        Form::Metonym,
                        Target::Gaz(GazRef::Country(country?)),
                    );
                    self.absorb_agent(&mut m);
                    m
                } else if let Some(end) = self.armed_group_after(toks.end) {
                    // "Amhara regional forces": a body named after its region.
                    let name = toks.start..end;
                    let mut m = Mention::new(
                        self.sentence,
                        name.clone(),
                        Kind::Organization,
                        Form::Name,
                        Target::Name(self.name_text(&name)),
                    );
                    m.name = name;
                    m
                } else {
                    let target = match place {
                        Some(p) => GazRef::Place(p),
                        None => GazRef::Seat(c),
                    };
                    Mention::new(self.sentence, toks, Kind::Location, Form::Name, Target::Gaz(target))
                }
            }
            GazRef::Org(_) => {
                let mut m = Mention::new(self.sentence, toks, Kind::Organization, Form::Name, Target::Gaz(r));
                self.absorb_agent(&mut m);
                m
            }
            GazRef::Person(_) => {
                let mut m = Mention::new(self.sentence, toks.clone(), Kind::Person, Form::Name, Target::Gaz(r));
                m.qualifier = self.role_qualifier_before(toks.start, out);
                if let Some(q) = m.qualifier {
                    m.toks.start = m.toks.start.min(out[q].toks.start);
                }
                m
            }
            GazRef::Title(_) => return None,
        };
        Some(self.push(out, m))
    }

    /// The end of "(regional) forces|militia|fighters" after a place name, if there.
    fn armed_group_after(&self, i: usize) -> Option<usize> {
        let group = |j: usize| {
            j < self.range.end && matches!(self.lower(j), "forces" | "militia" | "militias" | "fighters" | "rebels")
        };
        if group(i) {
            return Some(i + 1);
        }
        (i + 1 < self.range.end && !self.is_cap(i) && self.toks[i].kind == TokKind::Word && group(i + 1))
            .then_some(i + 2)
    }

    /// "Chinese officials", "the U.S. government", "Hamas fighters": the group noun joins the
    /// mention, and a demonym becomes the country acting.
    fn absorb_agent(&self, m: &mut Mention) {
        let mut j = m.toks.end;
        let end = self.range.end;
        // "Iran's foreign ministry condemned": the body speaks for the country (not before a
        // name: "China's foreign ministry spokesman Lin Jian" is a person's title).
        if j + 1 < end && self.lower(j) == "'s" {
            let k = if self.is(class::AGENT, j + 1) && !self.is_cap(j + 1) {
                Some(j + 2)
            } else if j + 2 < end
                && !self.is_cap(j + 1)
                && self.toks[j + 1].kind == TokKind::Word
                && self.is(class::AGENT, j + 2)
                && !self.is_cap(j + 2)
            {
                Some(j + 3)
            } else {
                None
            };
            if let Some(k) = k
                && !(k < end && (self.is_cap(k) || self.is(class::ROLE, k)))
            {
                m.toks.end = k;
                if m.form == Form::Demonym {
                    m.form = Form::Agent;
                }
                return;
            }
        }
        // Skip one adjective or compound word: "Russian military forces", "Israeli security cabinet".
        if j < end && self.is(class::AGENT, j) && !self.is_cap(j) {
            j += 1;
        } else if j + 1 < end
            && !self.is_cap(j)
            && self.toks[j].kind == TokKind::Word
            && self.is(class::AGENT, j + 1)
            && !self.is_cap(j + 1)
            && !self.is(class::NOT_NAME, j)
        {
            j += 2;
        } else {
            return;
        }
        m.toks.end = j;
        if m.form == Form::Demonym {
            m.form = Form::Agent;
        }
    }

    /// Whether a capital or seat of government is named as a place rather than standing for its
    /// government: after a locative preposition ("in Washington", "to the White House"), in
    /// apposition to "capital" ("the capital, Kyiv"), before a comma and a country ("Almaty,
    /// Kazakhstan") or a place word ("Kyiv region").
    fn place_context(&self, toks: &Range<usize>) -> bool {
        if self.locative_before(toks.start) || self.dateline(toks) {
            return true;
        }
        let before = |k: usize| toks.start.checked_sub(k).filter(|&i| i >= self.range.start).map(|i| self.lower(i));
        if before(1) == Some(",") && matches!(before(2), Some("capital" | "city")) {
            return true;
        }
        if before(1) == Some("of")
            && matches!(before(2), Some("capital" | "city" | "streets" | "outskirts" | "centre" | "center"))
        {
            return true;
        }
        let after = toks.end;
        if after < self.range.end {
            let next = self.lower(after);
            if matches!(next, "region" | "city" | "area" | "province" | "oblast" | "airport" | "-based") {
                return true;
            }
            if next == ","
                && self.hit_at(after + 1).is_some_and(|h| matches!(Self::best_ref(h.refs), Some(GazRef::Country(_))))
            {
                return true;
            }
        }
        false
    }

    /// Whether a locative preposition ("in", "to", "at") stands right before token `i` (skipping "the").
    fn locative_before(&self, i: usize) -> bool {
        let mut j = i;
        while j > self.range.start {
            j -= 1;
            let w = self.lower(j);
            if w == "the" {
                continue;
            }
            return self.rules.is(class::LOCATIVE, w);
        }
        false
    }

    /// A place name opening the article and followed by a comma or dash is a dateline.
    fn dateline(&self, toks: &Range<usize>) -> bool {
        toks.start == 0
            && self.sentence == 0
            && self.toks.get(toks.end).is_some_and(|t| matches!(t.lower.as_str(), "," | "-" | "\u{2014}" | "(" | ":"))
    }

    fn title_class(&self, h: &TokHit<'_>) -> Option<usize> {
        h.refs.iter().find_map(|r| match r {
            GazRef::Title(t) => Some(*t),
            _ => None,
        })
    }

    /// "Guatemalan President Bernardo Arevalo", "Secretary of State Antony Blinken",
    /// "Palestinian Authority President Mahmoud Abbas", "Senior Advisor for Africa Massad Boulos".
    fn person_with_title(&self, chunk: &Range<usize>, hits: &[TokHit<'_>], out: &mut Vec<Mention>) -> bool {
        // The last title followed by a plausible name.
        for (hi, h) in hits.iter().enumerate().rev() {
            let Some(t) = self.title_class(h) else { continue };
            if !self.is_cap(h.toks.start) {
                continue;
            }
            let title = &self.rules.titles[t];
            let mut name_start = h.toks.end;
            if title.open {
                // "Minister of" + portfolio or place; the name is what follows.
                name_start = self.open_title_end(h.toks.end, chunk.end);
            }
            let open_part = h.toks.end..name_start;
            if name_start >= chunk.end {
                continue;
            }
            if !self.is_cap(name_start) || self.is(class::CONNECTOR, name_start) {
                continue;
            }
            let name = name_start..chunk.end;
            // The name must not be a country, place or organization.
            // (Hits are in order: the name's, if it is one, comes after the title's.)
            let name_hits = &hits[hi + 1..];
            if name_hits.iter().any(|x| x.toks == name && !x.refs.iter().any(|r| matches!(r, GazRef::Person(_)))) {
                continue;
            }
            if self.head_kind(name.end - 1).is_some() {
                continue;
            }
            // Qualifier: what stands before the title (and its modifiers).
            let mut title_start = h.toks.start;
            while title_start > chunk.start && self.is(class::TITLE_MODIFIER, title_start - 1) {
                title_start -= 1;
            }
            let qualifier =
                if title_start > chunk.start { self.qualifier(chunk.start..title_start, out) } else { None };
            // A place named in the title ("Special Envoy for the Horn of Africa") is still named.
            for ih in hits.iter().filter(|x| x.toks.start >= open_part.start && x.toks.end <= open_part.end) {
                if matches!(Self::best_ref(ih.refs), Some(GazRef::Place(_) | GazRef::Country(_))) {
                    let before = out.len();
                    self.gaz_mention(ih, out);
                    for m in &mut out[before..] {
                        m.nested = true;
                        m.kind =
                            if matches!(m.target, Target::Gaz(GazRef::Place(_))) { Kind::Location } else { m.kind };
                    }
                }
            }
            let mut m = self.person_name(name.clone(), name_hits);
            m.toks = chunk.start..chunk.end;
            m.title = Some(t);
            m.qualifier = qualifier.or_else(|| self.role_qualifier_before(chunk.start, out));
            if let Some(q) = m.qualifier {
                m.toks.start = m.toks.start.min(out[q].toks.start);
            }
            self.push(out, m);
            return true;
        }
        false
    }

    fn person_after_prefix(&self, chunk: &Range<usize>, hits: &[TokHit<'_>], out: &mut Vec<Mention>) -> bool {
        let Some(k) = (chunk.start + 1..chunk.end.saturating_sub(1))
            .find(|&k| self.rules.given_names.contains(self.word(k)) && self.hit_covering(k).is_none())
        else {
            return false;
        };
        let name = k..chunk.end;
        if name.len() > 4 || !(k..chunk.end).all(|i| self.is_cap(i) || self.is(class::PARTICLE, i)) {
            return false;
        }
        if hits
            .iter()
            .any(|h| h.toks.start >= k && Self::best_ref(h.refs).is_some_and(|r| !matches!(r, GazRef::Person(_))))
        {
            return false;
        }
        if self.head_kind(chunk.end - 1).is_some() {
            return false;
        }
        // The prefix must be something a list knows ("U.S. Embassy ..."); otherwise the unknown
        // words are part of the name ("Muktar Mohamed Ware").
        if !hits.iter().any(|h| h.toks.end <= k) {
            return false;
        }
        let qualifier = self.qualifier(chunk.start..k, out);
        let mut m = self.person_name(name, hits);
        m.toks = chunk.clone();
        m.qualifier = qualifier;
        self.push(out, m);
        true
    }

    /// Where an open title ("Minister of *") stops and the name begins.
    fn open_title_end(&self, from: usize, end: usize) -> usize {
        let mut i = from;
        // A gazetteer name first ("for Africa", "of Ukraine").
        if let Some(h) = self.hit_at(i) {
            i = h.toks.end;
            while i < end && self.is(class::CONNECTOR, i) && !self.is_cap(i) {
                match self.hit_at(i + 1) {
                    Some(h) => i = h.toks.end,
                    None => break,
                }
            }
            return i;
        }
        // Otherwise a portfolio: stop before a given name, or leave two words for the name.
        while i < end {
            if self.rules.given_names.contains(self.word(i)) && i > from {
                return i;
            }
            let remaining = (i..end).filter(|&j| self.is_cap(j)).count();
            if remaining <= 2 {
                return i;
            }
            i += 1;
        }
        i
    }

    /// A person mention for the name tokens, using a gazetteer person when it is one.
    fn person_name(&self, name: Range<usize>, hits: &[TokHit<'_>]) -> Mention {
        let target = hits
            .iter()
            .find(|h| h.toks == name)
            .and_then(|h| h.refs.iter().find(|r| matches!(r, GazRef::Person(_))).copied())
            .map_or_else(|| Target::Name(self.name_text(&name)), Target::Gaz);
        Mention::new(self.sentence, name, Kind::Person, Form::Name, target)
    }

    /// The text of a name, white space normalised.
    fn name_text(&self, r: &Range<usize>) -> String {
        // At most the bytes the tokens span.
        let span = match (self.toks.get(r.start), r.end.checked_sub(1).and_then(|e| self.toks.get(e))) {
            (Some(a), Some(b)) if !r.is_empty() => b.end.saturating_sub(a.start),
            _ => 0,
        };
        let mut s = String::with_capacity(span);
        for i in r.clone() {
            let t = &self.toks[i];
            if i > r.start && t.space_before {
                s.push(' ');
            }
            s.push_str(self.word(i));
        }
        s
    }

    /// The qualifier before a title: a country, demonym or organization (pushed as a nested
    /// mention), or an unknown body name.
    fn qualifier(&self, r: Range<usize>, out: &mut Vec<Mention>) -> Option<usize> {
        let hits = self.hits_in(&r);
        let idx = if let [h] = hits
            && h.toks == r
        {
            self.gaz_mention(h, out)
        } else if self.head_kind(r.end - 1) == Some(Kind::Organization) {
            let before = out.len();
            self.headed_name(&r, out);
            (out.len() > before).then(|| out.len() - 1)
        } else {
            hits.last().and_then(|h| self.gaz_mention(h, out))
        }?;
        out[idx].nested = true;
        Some(idx)
    }

    /// "Republican predecessor Donald Trump": a qualifier chunk and a lowercase role right before.
    fn role_qualifier_before(&self, start: usize, out: &mut [Mention]) -> Option<usize> {
        if start < self.range.start + 2 {
            return None;
        }
        let role = start - 1;
        let w = self.lower(role);
        let is_role =
            self.rules.is(class::ROLE, w) || self.hit_covering(role).is_some_and(|h| self.title_class(h).is_some());
        if !is_role || self.is_cap(role) {
            return None;
        }
        // "Senegalese opposition leader X": up to two lowercase words before the role word.
        let mut q_end = self.hit_covering(role).map_or(role, |h| h.toks.start);
        for _ in 0..2 {
            if out[self.first..].iter().any(|m| m.toks.end == q_end && !m.nested) {
                break;
            }
            if q_end > self.range.start && !self.is_cap(q_end - 1) && self.toks[q_end - 1].kind == TokKind::Word {
                q_end -= 1;
            }
        }
        let q = self.first + out[self.first..].iter().rposition(|m| m.toks.end == q_end && !m.nested)?;
        if !matches!(out[q].form, Form::Name | Form::Demonym | Form::Agent | Form::Metonym)
            || out[q].kind == Kind::Person
        {
            return None;
        }
        out[q].nested = true;
        Some(q)
    }

    /// "Trump Administration", "Biden-Harris administration" (when the word is capitalised and
    /// inside the chunk) and "Government of the DRC".
    fn government(&self, chunk: &Range<usize>, hits: &[TokHit<'_>], out: &mut Vec<Mention>) -> bool {
        let first = self.lower(chunk.start);
        if (first == "government" || first == "administration")
            && chunk.len() > 2
            && self.lower(chunk.start + 1) == "of"
        {
            let rest = chunk.start + 2..chunk.end;
            if let Some(h) = hits.iter().find(|h| h.toks.start >= rest.start)
                && let Some(GazRef::Country(c)) = h.refs.iter().find(|r| matches!(r, GazRef::Country(_)))
            {
                let m = Mention::new(
                    self.sentence,
                    chunk.clone(),
                    Kind::Country,
                    Form::Government,
                    Target::Gaz(GazRef::Country(*c)),
                );
                self.push(out, m);
                return true;
            }
        }
        let last = self.lower(chunk.end - 1);
        if (last == "administration" || last == "government") && chunk.len() >= 2 {
            let name = chunk.start..chunk.end - 1;
            let mut m = Mention::new(self.sentence, chunk.clone(), Kind::Country, Form::Government, Target::Unresolved);
            m.name = name.clone();
            if let [h] = hits
                && h.toks == name
                && let Some(GazRef::Country(c) | GazRef::Demonym(c)) = Self::best_ref(h.refs)
            {
                m.target = Target::Gaz(GazRef::Country(c));
            } else {
                m.description = Some(self.name_text(&name));
            }
            self.push(out, m);
            return true;
        }
        false
    }

    /// The head word of a name and the kind it gives, if the chunk is built on one.
    fn head(&self, chunk: &Range<usize>) -> Option<(usize, Kind)> {
        let mut found = None;
        for i in chunk.clone() {
            if !self.is_cap(i) {
                continue;
            }
            let Some(kind) = self.head_kind(i) else { continue };
            let next = i + 1;
            if next == chunk.end || (!self.is_cap(next) && self.is(class::CONNECTOR, next)) {
                found = Some((i, kind));
            } else if self.head_kind(next).is_some() {
                continue;
            }
        }
        found
    }

    /// Organizations, agreements and places named by a head word: "Ethiopian Human Rights
    /// Commission", "Declaration of Principles", "Misawa Air Base", "Rewards for Justice program".
    fn headed_name(&self, chunk: &Range<usize>, out: &mut Vec<Mention>) -> bool {
        // "U.S. Department of Veterans Affairs Manila Outpatient Clinic": a known body, then a
        // name of its own.
        if let Some(h) = self.hit_at(chunk.start).filter(|h| h.toks.end < chunk.end)
            && matches!(Self::best_ref(h.refs), Some(GazRef::Org(_)))
            && self.is_cap(h.toks.end)
            && self.head(&(h.toks.end..chunk.end)).is_some()
        {
            let h = h.clone();
            self.gaz_mention(&h, out);
            self.headed_name(&(h.toks.end..chunk.end), out);
            return true;
        }
        // Split "American Battle Monuments Commission Manila American Cemetery" after a head
        // followed by a new capitalised name.
        for i in chunk.start..chunk.end.saturating_sub(1) {
            if self.is_cap(i)
                && self.head_kind(i).is_some()
                && self.is_cap(i + 1)
                && self.head_kind(i + 1).is_none()
                && self.hit_covering(i).is_none_or(|h| h.toks.end == i + 1)
            {
                let rest_head = self.head(&(i + 1..chunk.end));
                if rest_head.is_some() {
                    let a = self.headed_name(&(chunk.start..i + 1), out);
                    let b = self.headed_name(&(i + 1..chunk.end), out);
                    return a || b;
                }
            }
        }
        let (kind, lowercase_head) = match self.head(chunk) {
            Some((_, kind)) => (kind, false),
            None => {
                // A lowercase head after the chunk: "the Rewards for Justice program".
                let next = chunk.end;
                // Not "a U.S.-Philippine agreement" or "the US-China deal": descriptions.
                let only_hits =
                    (chunk.start..chunk.end).all(|i| self.hit_covering(i).is_some() || self.lower(i) == "-");
                let indefinite = chunk.start > self.range.start && matches!(self.lower(chunk.start - 1), "a" | "an");
                if next < self.range.end
                    && !self.is_cap(next)
                    && self.is(class::AGREEMENT_HEAD, next)
                    && !only_hits
                    && !indefinite
                {
                    (Kind::Agreement, true)
                } else {
                    return false;
                }
            }
        };
        let mut name = chunk.clone();
        if self.lower(name.start) == "the" {
            name.start += 1;
        }
        if name.is_empty() {
            return false;
        }
        // "a Foreign Terrorist Organization" is a category, not a name; so is "Executive Order 14175".
        if kind == Kind::Organization
            && name.start > self.range.start
            && matches!(self.lower(name.start - 1), "a" | "an")
        {
            return false;
        }
        if name.end < self.range.end && self.toks[name.end].kind == TokKind::Number {
            return false;
        }
        // A lone head word: "the Declaration", "the Department" refers back.
        if name.len() == 1 && self.head_kind(name.start).is_some() {
            if name.start > self.range.start && self.lower(name.start - 1) == "the" {
                let mut m = Mention::new(self.sentence, name.clone(), kind, Form::Description, Target::Unresolved);
                m.description = Some(self.lower(name.start).to_string());
                self.push(out, m);
                return true;
            }
            return false;
        }
        let toks = if lowercase_head { name.start..name.end + 1 } else { name.clone() };
        let mut m = Mention::new(self.sentence, toks, kind, Form::Name, Target::Name(self.label_text(&name)));
        m.name = name.clone();
        let at = self.push(out, m);
        // Countries, demonyms and bodies named inside: qualifiers of the new name.
        let inner: Vec<TokHit<'_>> = self.hits_in(&name).to_vec();
        let mut qualifier = None;
        for h in &inner {
            let Some(r) = Self::best_ref(h.refs) else { continue };
            if !matches!(r, GazRef::Country(_) | GazRef::Demonym(_) | GazRef::Org(_)) {
                continue;
            }
            let target = match r {
                GazRef::Demonym(c) => GazRef::Country(c),
                r => r,
            };
            let kind = if matches!(r, GazRef::Org(_)) { Kind::Organization } else { Kind::Country };
            let form = if matches!(r, GazRef::Demonym(_)) { Form::Demonym } else { Form::Name };
            let mut q = Mention::new(self.sentence, h.toks.clone(), kind, form, Target::Gaz(target));
            q.nested = true;
            q.embedded = true;
            let qi = self.push(out, q);
            if qualifier.is_none() {
                qualifier = Some(qi);
            }
        }
        out[at].qualifier = qualifier;
        true
    }

    /// A label from tokens: all-caps words of a heading become title case.
    fn label_text(&self, r: &Range<usize>) -> String {
        let raw = self.name_text(r);
        // All capitals (more than four letters): a heading's or dateline's name.
        let (mut letters, mut capitals) = (0, 0);
        for c in raw.chars().filter(|c| c.is_alphabetic()) {
            letters += 1;
            capitals += usize::from(c.is_uppercase());
        }
        if letters > 4 && capitals == letters && r.len() > 1 {
            raw.split(' ')
                .map(|w| {
                    let mut cs = w.chars();
                    match cs.next() {
                        Some(f) => f.to_uppercase().chain(cs.flat_map(char::to_lowercase)).collect(),
                        None => String::new(),
                    }
                })
                .collect::<Vec<String>>()
                .join(" ")
        } else {
            raw
        }
    }

    /// People recognised by their name alone: a known given name first ("Rosario Murillo"), an
    /// initial ("S. Jaishankar"), a gazetteer person, or an unknown two- or three-word name
    /// inside a sentence.
    fn person_by_shape(&self, chunk: &Range<usize>, hits: &[TokHit<'_>], out: &mut Vec<Mention>) -> bool {
        let mut c = chunk.clone();
        if c.len() >= 2 && self.is(class::NOT_NAME, c.start) {
            c.start += 1;
        }
        let first = self.word(c.start);
        let words_ok = (c.start..c.end).all(|i| {
            let t = &self.toks[i];
            (t.kind == TokKind::Word && (self.is_cap(i) || self.is(class::PARTICLE, i) || self.name_word(i)))
                || (t.lower == "-" && !t.space_before)
        });
        if !words_ok || c.len() > 5 {
            return false;
        }
        // A given name first or second: "Rosario Murillo", "Muktar Mohamed Ware".
        let given = c.len() >= 2
            && (self.rules.given_names.contains(first)
                || (c.len() >= 3 && hits.is_empty() && self.rules.given_names.contains(self.word(c.start + 1))));
        let initial = first.len() == 2 && first.ends_with('.') && c.len() >= 2;
        if !(given || initial) {
            return false;
        }
        let mut m = self.person_name(c.clone(), hits);
        m.toks = chunk.clone();
        m.qualifier = self.role_qualifier_before(chunk.start, out);
        if let Some(q) = m.qualifier {
            m.toks.start = m.toks.start.min(out[q].toks.start);
        }
        self.push(out, m);
        true
    }

    /// "in Ramallah", "the eastern city of Bakhmut": a single unknown name after a locative
    /// preposition or "city of" is a place.
    fn unknown_place(&self, chunk: &Range<usize>, out: &mut Vec<Mention>) -> bool {
        // A dateline: "PUERTO BARRIOS, Guatemala -".
        if self.sentence == 0
            && chunk.start == self.range.start
            && chunk.len() <= 3
            && self.country_after_comma(chunk.end)
        {
            let m = Mention::new(
                self.sentence,
                chunk.clone(),
                Kind::Location,
                Form::Name,
                Target::Name(self.label_text(chunk)),
            );
            self.push(out, m);
            return true;
        }
        if chunk.len() > 3 || chunk.start <= self.range.start {
            return false;
        }
        let prev = self.lower(chunk.start - 1);
        let place_of =
            prev == "of" && chunk.start >= self.range.start + 2 && is_place_noun(self.lower(chunk.start - 2));
        let after_prep = matches!(prev, "in" | "to" | "near" | "outside" | "from")
            && (chunk.len() == 1 || self.country_after_comma(chunk.end));
        if !(place_of || after_prep) {
            return false;
        }
        // Not a person or a known word.
        let w = self.word(chunk.start);
        if self.rules.given_names.contains(w) || w.chars().all(|c| c.is_uppercase()) {
            return false;
        }
        // A surname of someone named elsewhere wins ("to Biden's policies"): coreference decides.
        let mut m = Mention::new(
            self.sentence,
            chunk.clone(),
            Kind::Location,
            Form::Name,
            Target::Name(self.label_text(chunk)),
        );
        m.tentative = true;
        self.push(out, m);
        true
    }

    /// Whether ", <country>" follows token `i`: "Almaty, Kazakhstan".
    fn country_after_comma(&self, i: usize) -> bool {
        i + 1 < self.range.end
            && self.lower(i) == ","
            && self.hit_at(i + 1).is_some_and(|h| matches!(Self::best_ref(h.refs), Some(GazRef::Country(_))))
    }

    /// "the Kenyan port city of Mombasa", "Ethiopia's Tigray region": a place named with the
    /// country it is in, which qualifies it (and gives `located_in`).
    fn place_phrases(&self, out: &mut [Mention]) {
        for p in self.first..out.len() {
            let m = &out[p];
            if m.sentence != self.sentence || m.kind != Kind::Location || m.qualifier.is_some() || m.nested {
                continue;
            }
            let s = m.toks.start;
            let mut q_end = None;
            let mut start = s;
            if s >= self.range.start + 3 && self.lower(s - 1) == "of" && is_place_noun(self.lower(s - 2)) {
                // Back over the place noun and its adjectives to the country.
                let mut k = s - 2;
                while k > self.range.start && !self.is_cap(k - 1) && self.toks[k - 1].kind == TokKind::Word && s - k < 5
                {
                    if out[self.first..].iter().any(|x| x.toks.end == k) {
                        break;
                    }
                    k -= 1;
                }
                q_end = Some(k);
                start = k;
            } else if s >= self.range.start + 2 && self.lower(s - 1) == "'s" {
                // "Ethiopia's Tigray region".
                q_end = Some(s - 1);
                start = s - 1;
            }
            let Some(q_end) = q_end else { continue };
            let Some(q) = out[self.first..]
                .iter()
                .position(|x| {
                    x.sentence == self.sentence
                        && x.toks.end == q_end
                        && x.kind == Kind::Country
                        && matches!(x.form, Form::Name | Form::Demonym)
                })
                .map(|p| p + self.first)
            else {
                continue;
            };
            let q_start = out[q].toks.start;
            out[q].nested = true;
            let m = &mut out[p];
            m.qualifier = Some(q);
            m.toks.start = q_start.min(start);
            if m.toks.start > self.range.start && self.lower(m.toks.start - 1) == "the" {
                m.toks.start -= 1;
            }
        }
    }

    /// Pronouns and relative pronouns of the sentence.
    fn pronouns(&self, out: &mut Vec<Mention>) {
        for i in self.range.clone() {
            if self.classes[i] & (class::PRONOUN | class::RELATIVE) == 0 {
                continue;
            }
            let w = self.lower(i);
            if self.is(class::PRONOUN, i) {
                let next = if i + 1 < self.range.end { self.lower(i + 1) } else { "" };
                if matches!(w, "his" | "her") && matches!(next, "country" | "government" | "nation" | "administration")
                {
                    // "his country": the country of the person the pronoun stands for.
                    let mut m =
                        Mention::new(self.sentence, i..i + 2, Kind::Country, Form::Description, Target::Unresolved);
                    m.description = Some("pronoun-country".into());
                    out.push(m);
                    continue;
                }
                let m = Mention::new(self.sentence, i..i + 1, Kind::Person, Form::Pronoun, Target::Unresolved);
                out.push(m);
            } else if self.is(class::RELATIVE, i) && i >= self.range.start + 2 && self.lower(i - 1) == "," {
                let mut m = Mention::new(self.sentence, i..i + 1, Kind::Person, Form::Relative, Target::Unresolved);
                m.description = Some(w.to_string());
                out.push(m);
            }
        }
        self.descriptions(out);
    }

    /// "the secretary", "the Ukrainian leader", "the two leaders": a title or role without a name.
    fn descriptions(&self, out: &mut Vec<Mention>) {
        let mut i = self.range.start;
        while i < self.range.end {
            // (The length in the text first: most words are not three bytes long, and only "t",
            // "h", "e" and their capitals lowercase to those letters.)
            let t = &self.toks[i];
            if t.end - t.start != 3 || self.lower(i) != "the" {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            // "the presidents of Kenya and Uganda", "the foreign ministers of X": the countries.
            if let Some(h) = self.hit_at(j).filter(|h| self.title_class(h).is_some() && !self.is_cap(h.toks.start))
                && self.lower(h.toks.end) == "of"
                && let Some(c) = out[self.first..]
                    .iter()
                    .position(|m| {
                        m.sentence == self.sentence
                            && m.toks.start == h.toks.end + 1
                            && matches!(m.kind, Kind::Country | Kind::Organization)
                            && !m.nested
                    })
                    .map(|p| p + self.first)
            {
                out[c].toks.start = i;
                i = h.toks.end + 1;
                continue;
            }
            // "the agreement", "the accords": the agreement named before.
            if j < self.range.end
                && !self.is_cap(j)
                && self.is(class::AGREEMENT_HEAD, j)
                && !(j + 1 < self.range.end
                    && (self.is_cap(j + 1) || matches!(self.lower(j + 1), "of" | "between" | "with")))
                && !out[self.first..].iter().any(|m| m.toks.contains(&j))
            {
                let mut m =
                    Mention::new(self.sentence, i + 1..j + 1, Kind::Agreement, Form::Description, Target::Unresolved);
                m.description = Some(self.lower(j).to_string());
                out.push(m);
                i = j + 1;
                continue;
            }
            let mut country = None;
            if let Some(h) = self.hit_at(j)
                && let Some(r @ (GazRef::Demonym(_) | GazRef::Country(_))) = Self::best_ref(h.refs)
                && !out[self.first..].iter().any(|m| m.toks.contains(&j) && m.kind == Kind::Location)
            {
                country = Some(r);
                j = h.toks.end;
            }
            // "the Indian leaders": the people of that country named before, not the country.
            if country.is_some() && j < self.range.end && self.lower(j) == "leaders" {
                for m in &mut out[self.first..] {
                    if m.toks.start == i + 1 && m.form == Form::Agent {
                        m.dropped = true;
                    }
                }
            }
            // "the country": the country named last.
            if country.is_none()
                && j < self.range.end
                && matches!(self.lower(j), "country" | "nation")
                && !self.is_cap(j)
            {
                let mut m =
                    Mention::new(self.sentence, i + 1..j + 1, Kind::Country, Form::Description, Target::Unresolved);
                m.description = Some("country".into());
                out.push(m);
                i = j + 1;
                continue;
            }
            let numeral =
                (j < self.range.end).then(|| self.lower(j)).filter(|w| matches!(*w, "two" | "three" | "four"));
            let numeral = numeral.map(str::to_string);
            if numeral.is_some() {
                j += 1;
            }
            let role_end = if let Some(h) = self.hit_at(j).filter(|h| self.title_class(h).is_some()) {
                Some(h.toks.end)
            } else if j < self.range.end
                && (self.is(class::ROLE, j)
                    || matches!(
                        self.lower(j),
                        "leaders" | "ministers" | "diplomat" | "visitors" | "guests" | "presidents"
                    ))
            {
                Some(j + 1)
            } else {
                None
            };
            let Some(end) = role_end else {
                i += 1;
                continue;
            };
            // Not followed by a name (then it is a title of that name, already read).
            if end < self.range.end && self.is_cap(end) && !self.is_not_name(end) {
                i = end;
                continue;
            }
            if out.iter().skip(self.first).any(|m| {
                m.sentence == self.sentence
                    && !m.dropped
                    && m.toks.start < end
                    && i < m.toks.end
                    && m.form != Form::Demonym
            }) {
                i = end;
                continue;
            }
            // Drop a demonym mention the description absorbs.
            if country.is_some() {
                for m in &mut out[self.first..] {
                    if m.toks.start == i + 1 && m.form == Form::Demonym {
                        m.dropped = true;
                    }
                }
            }
            let mut m = Mention::new(self.sentence, i + 1..end, Kind::Person, Form::Description, Target::Unresolved);
            let words: Vec<&str> = (j..end).map(|k| self.lower(k)).collect();
            m.description = Some(match &numeral {
                Some(n) => format!("{n} {}", words.join(" ")),
                None => words.join(" "),
            });
            if let Some(GazRef::Country(c) | GazRef::Demonym(c)) = country {
                m.country = Some(c);
            }
            out.push(m);
            i = end;
        }
    }
}

/// Nouns for kinds of place: "the port of X", "the eastern city of X".
fn is_place_noun(w: &str) -> bool {
    matches!(
        w,
        "city"
            | "town"
            | "village"
            | "province"
            | "region"
            | "capital"
            | "state"
            | "island"
            | "district"
            | "port"
            | "department"
            | "county"
            | "prefecture"
            | "oblast"
            | "governorate"
            | "municipality"
            | "enclave"
            | "territory"
            | "islands"
            | "archipelago"
    )
}

#[cfg(test)]
mod tests {
    use super::case_matches;

    #[test]
    fn capitals_of_a_form_must_be_capitals_in_the_text() {
        // (form, surface, matches): ASCII and not, so that both ways of reading agree.
        let cases = [
            ("US", "US", true),
            ("US", "us", false),
            ("Seoul", "SEOUL", true),
            ("Sea", "SEA", true),
            ("SEA", "Sea", false),
            ("Ministry of Defence", "Ministry Of Defence", true),
            ("Ministry of Defence", "ministry of defence", false),
            ("the Hague", "The Hague", true),
            ("São Tomé", "São Tomé", true),
            ("São Tomé", "são tomé", false),
            ("Côte d'Ivoire", "CÔTE D'IVOIRE", true),
            ("Peru", "Perus", false),
        ];
        for (form, surface, want) in cases {
            assert_eq!(case_matches(form, surface), want, "{form} / {surface}");
        }
    }
}
