//! Rules: the only module that reads rule files. Built-in defaults (the files under
//! `data/rules/`, compiled in with `include_str!`) and a user's `--rules DIR` go through the same
//! parser, and everything is compiled once per run into [`Rules`].

mod gazetteer;
mod lexicon;
pub mod pattern;

use rustc_hash::FxHashMap as HashMap;

use rustc_hash::FxHashSet as HashSet;

use crate::error::{Error, Result};
use crate::model::Kind;
use crate::sentence::Abbreviations;

pub use gazetteer::{GazRef, Gazetteer, Hit, LOOK_UP, NO_LIST};
pub use pattern::{Pattern, PatternSet};

/// The rule files, by name, as text. [`RuleFiles::defaults`] holds the built-in set.
#[derive(Clone, Debug)]
pub struct RuleFiles {
    files: Vec<(&'static str, String)>,
}

/// The word classes of `words.tsv`, one bit each.
pub mod class {
    /// The class names, in bit order.
    pub const NAMES: [&str; 22] = [
        "abbrev",
        "agent",
        "agreement-head",
        "aspect",
        "attribute",
        "aux",
        "conditional",
        "connector",
        "filler",
        "locative",
        "modal",
        "negation",
        "not-name",
        "org-head",
        "particle",
        "place-head",
        "pronoun",
        "relative",
        "role",
        "speech",
        "title-abbrev",
        "title-modifier",
    ];
    pub const ABBREV: u32 = 1 << 0;
    pub const AGENT: u32 = 1 << 1;
    pub const AGREEMENT_HEAD: u32 = 1 << 2;
    pub const ASPECT: u32 = 1 << 3;
    pub const ATTRIBUTE: u32 = 1 << 4;
    pub const AUX: u32 = 1 << 5;
    pub const CONDITIONAL: u32 = 1 << 6;
    pub const CONNECTOR: u32 = 1 << 7;
    pub const FILLER: u32 = 1 << 8;
    pub const LOCATIVE: u32 = 1 << 9;
    pub const MODAL: u32 = 1 << 10;
    pub const NEGATION: u32 = 1 << 11;
    pub const NOT_NAME: u32 = 1 << 12;
    pub const ORG_HEAD: u32 = 1 << 13;
    pub const PARTICLE: u32 = 1 << 14;
    pub const PLACE_HEAD: u32 = 1 << 15;
    pub const PRONOUN: u32 = 1 << 16;
    pub const RELATIVE: u32 = 1 << 17;
    pub const ROLE: u32 = 1 << 18;
    pub const SPEECH: u32 = 1 << 19;
    pub const TITLE_ABBREV: u32 = 1 << 20;
    pub const TITLE_MODIFIER: u32 = 1 << 21;
    /// Not a class of `words.tsv`: the words a time expression can start with
    /// ([`crate::date::start_words`]), marked in the lexicon so that dates skip the rest.
    pub const DATE_START: u32 = 1 << 31;
}

/// Sentences longer than this many tokens are cut (a sentence of news rarely has 100).
pub const DEFAULT_MAX_SENTENCE_TOKENS: usize = 400;

/// The names of the rule files, in the order they are read.
pub const FILE_NAMES: [&str; 9] = [
    "countries.tsv",
    "places.tsv",
    "organizations.tsv",
    "people.tsv",
    "titles.tsv",
    "given_names.tsv",
    "words.tsv",
    "verbs.tsv",
    "relations.rules",
];

const DEFAULTS: [&str; 9] = [
    include_str!("../../data/rules/countries.tsv"),
    include_str!("../../data/rules/places.tsv"),
    include_str!("../../data/rules/organizations.tsv"),
    include_str!("../../data/rules/people.tsv"),
    include_str!("../../data/rules/titles.tsv"),
    include_str!("../../data/rules/given_names.tsv"),
    include_str!("../../data/rules/words.tsv"),
    include_str!("../../data/rules/verbs.tsv"),
    include_str!("../../data/rules/relations.rules"),
];

impl RuleFiles {
    /// The rule files built into the binary.
    pub fn defaults() -> RuleFiles {
        RuleFiles { files: FILE_NAMES.iter().zip(DEFAULTS).map(|(n, t)| (*n, t.to_string())).collect() }
    }

    /// Replaces the file called `name` (one of [`FILE_NAMES`]) by `text`.
    pub fn set(&mut self, name: &str, text: String) -> Result<()> {
        match self.files.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => {
                slot.1 = text;
                Ok(())
            }
            None => Err(Error::rule(
                name,
                1,
                format!("`{name}` is not a rule file; expected one of {}", FILE_NAMES.join(", ")),
            )),
        }
    }

    pub fn get(&self, name: &str) -> &str {
        self.files.iter().find(|(n, _)| *n == name).map_or("", |(_, t)| t.as_str())
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.files.iter().map(|(n, t)| (*n, t.as_str()))
    }
}

/// A sovereign state and the ways news names it.
#[derive(Clone, Debug)]
pub struct Country {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub demonyms: Vec<String>,
    pub seats: Vec<String>,
    /// Indexes into [`Rules::places`] of its capitals.
    pub capitals: Vec<usize>,
}

/// What sort of place a [`Place`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlaceKind {
    Capital,
    City,
    Region,
    Continent,
    Sea,
    Island,
    Site,
}

#[derive(Clone, Debug)]
pub struct Place {
    pub name: String,
    pub kind: PlaceKind,
    /// Index into [`Rules::countries`].
    pub country: Option<usize>,
    pub aliases: Vec<String>,
}

/// Where an organization belongs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Parent {
    Country(usize),
    Org(usize),
}

#[derive(Clone, Debug)]
pub struct Org {
    pub name: String,
    pub kind: String,
    pub parent: Option<Parent>,
    pub aliases: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Person {
    pub name: String,
    pub aliases: Vec<String>,
    pub country: Option<usize>,
    pub org: Option<usize>,
    pub role: String,
}

/// A title of office or honorific that stands before a name.
#[derive(Clone, Debug)]
pub struct Title {
    /// The fixed words, e.g. "Minister of" for the open title "Minister of *".
    pub phrase: String,
    pub class: String,
    /// The one country that has this office, if only one does.
    pub country: Option<usize>,
    /// Open titles continue with a capitalised name: "Minister of *" + "Energy and Mines".
    pub open: bool,
}

/// What the rules know of a word (see [`Rules::word_info`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WordInfo {
    /// Bits of [`class`].
    pub classes: u32,
    /// Its number in the patterns' vocabulary (`u32::MAX`: none).
    pub pattern: u32,
    /// Its number as the first word of gazetteer names ([`gazetteer::NO_LIST`]: none).
    pub names: u32,
}

impl WordInfo {
    pub const NONE: WordInfo = WordInfo { classes: 0, pattern: u32::MAX, names: gazetteer::NO_LIST };
}

/// Verb inflections: every form maps to its lemma and form names.
#[derive(Clone, Debug, Default)]
pub struct Verbs {
    /// lemma -> [base, 3sg, past, past participle, -ing]
    pub forms: HashMap<String, [String; 5]>,
    /// For each form, what it is: bit `i` when it is form `i` ([`VERB_FORMS`]) of some verb,
    /// [`Verbs::PRESENT_3SG`] when it is the third person of a verb whose base it is not.
    kinds: HashMap<String, u8>,
}

impl Verbs {
    /// A third person singular that is not also a base form ("meets", not "is").
    pub const PRESENT_3SG: u8 = 1 << 5;
    /// Any of the five forms of [`VERB_FORMS`].
    pub const ANY_FORM: u8 = 0b11111;

    /// Adds a verb: its five forms, base first.
    pub fn insert(&mut self, forms: [String; 5]) {
        for (i, f) in forms.iter().enumerate() {
            *self.kinds.entry(f.clone()).or_default() |= 1 << i;
        }
        if forms[1] != forms[0] {
            *self.kinds.entry(forms[1].clone()).or_default() |= Verbs::PRESENT_3SG;
        }
        self.forms.insert(forms[0].clone(), forms);
    }

    /// What a word is as a verb form (0: not a form of any verb here).
    pub fn kind(&self, word: &str) -> u8 {
        self.kinds.get(word).copied().unwrap_or(0)
    }
}

pub const VERB_FORMS: [&str; 5] = ["base", "3sg", "past", "pp", "ing"];

/// Everything extraction needs, compiled once per run.
#[derive(Debug)]
pub struct Rules {
    pub countries: Vec<Country>,
    pub places: Vec<Place>,
    pub orgs: Vec<Org>,
    pub people: Vec<Person>,
    pub titles: Vec<Title>,
    pub given_names: HashSet<String>,
    /// Word classes from words.tsv: class -> lowercase words.
    pub words: rustc_hash::FxHashMap<String, u32>,
    /// The entity each gazetteer entry starts as, made the first time an article names it.
    pub gaz_entities: crate::alias::GazEntities,
    /// `words` and the patterns' vocabulary together (see [`Rules::word_info`]).
    lexicon: lexicon::Lexicon,
    pub verbs: Verbs,
    pub patterns: PatternSet,
    pub gazetteer: Gazetteer,
    pub abbrev: Abbreviations,
    /// Surname (last name word, lowercase) -> people with it.
    pub surnames: HashMap<String, Vec<usize>>,
    /// The identifying words of each name and alias of `people` (see `alias::person_words`),
    /// joined by spaces -> people.
    pub people_by_words: HashMap<String, Vec<usize>>,
    /// (first word, last word) of each name and alias -> people with the words in between.
    pub people_by_ends: HashMap<(smol_str::SmolStr, smol_str::SmolStr), Vec<(usize, usize)>>,
}

impl Rules {
    /// Compiles the built-in rules. They are tested, so this cannot fail.
    pub fn builtin() -> Rules {
        Rules::compile(&RuleFiles::defaults()).expect("built-in rules compile")
    }

    /// Parses and compiles a set of rule files.
    pub fn compile(files: &RuleFiles) -> Result<Rules> {
        let countries = parse_countries(files.get("countries.tsv"))?;
        let country_index: HashMap<&str, usize> =
            countries.iter().enumerate().map(|(i, c)| (c.id.as_str(), i)).collect();
        let places = parse_places(files.get("places.tsv"), &country_index)?;
        let orgs = parse_orgs(files.get("organizations.tsv"), &country_index)?;
        let people = parse_people(files.get("people.tsv"), &country_index, &orgs)?;
        let titles = parse_titles(files.get("titles.tsv"), &country_index)?;
        let given_names = parse_list("given_names.tsv", files.get("given_names.tsv"))?;
        let words = parse_words(files.get("words.tsv"))?;
        let verbs = parse_verbs(files.get("verbs.tsv"))?;
        let patterns = pattern::parse("relations.rules", files.get("relations.rules"), &verbs)?;
        let mut countries = countries;
        for (i, p) in places.iter().enumerate() {
            if let (PlaceKind::Capital, Some(c)) = (p.kind, p.country) {
                countries[c].capitals.push(i);
            }
        }
        let gazetteer = Gazetteer::build(&countries, &places, &orgs, &people, &titles)
            .map_err(|m| Error::rule("gazetteer", 1, m))?;
        let class = |c: u32| Rules::class_words(&words, c);
        let abbrev = Abbreviations {
            all: class(class::ABBREV),
            titles: class(class::TITLE_ABBREV),
            particles: class(class::PARTICLE),
            max_sentence_tokens: DEFAULT_MAX_SENTENCE_TOKENS,
        };
        // Tables sized for what goes in (a name and an alias or two a person): never rehashed.
        let names = people.iter().map(|p| 1 + p.aliases.len()).sum();
        let mut surnames: HashMap<String, Vec<usize>> =
            HashMap::with_capacity_and_hasher(people.len(), rustc_hash::FxBuildHasher);
        let mut people_by_words: HashMap<String, Vec<usize>> =
            HashMap::with_capacity_and_hasher(names, rustc_hash::FxBuildHasher);
        let mut people_by_ends: HashMap<(smol_str::SmolStr, smol_str::SmolStr), Vec<(usize, usize)>> =
            HashMap::with_capacity_and_hasher(names, rustc_hash::FxBuildHasher);
        for (i, p) in people.iter().enumerate() {
            if let Some(last) = surname(&p.name) {
                surnames.entry(last).or_default().push(i);
            }
            for name in std::iter::once(&p.name).chain(p.aliases.iter()) {
                let w = crate::alias::person_words(name);
                if w.is_empty() {
                    continue;
                }
                let list = people_by_words.entry(w.join(" ")).or_default();
                if !list.contains(&i) {
                    list.push(i);
                }
                let ends = (w[0].clone(), w[w.len() - 1].clone());
                people_by_ends.entry(ends).or_default().push((i, w.len()));
            }
        }
        let mut lexicon: rustc_hash::FxHashMap<smol_str::SmolStr, WordInfo> = HashMap::with_capacity_and_hasher(
            words.len() + patterns.vocab.len() + gazetteer.len(),
            rustc_hash::FxBuildHasher,
        );
        for (w, &c) in &words {
            lexicon.entry(w.as_str().into()).or_insert(WordInfo::NONE).classes = c;
        }
        for w in crate::date::start_words() {
            lexicon.entry(w.into()).or_insert(WordInfo::NONE).classes |= class::DATE_START;
        }
        for (w, &id) in &patterns.vocab {
            lexicon.entry(w.as_str().into()).or_insert(WordInfo::NONE).pattern = id;
        }
        for (w, n) in gazetteer.first_words() {
            // First words are lowercased text: UTF-8.
            if let Ok(w) = std::str::from_utf8(w) {
                lexicon.entry(w.into()).or_insert(WordInfo::NONE).names = n;
            }
        }
        let gaz_entities = crate::alias::GazEntities::new(countries.len(), places.len(), orgs.len(), people.len());
        Ok(Rules {
            gaz_entities,
            countries,
            places,
            orgs,
            people,
            titles,
            given_names,
            words,
            lexicon: lexicon::Lexicon::new(lexicon),
            verbs,
            patterns,
            gazetteer,
            abbrev,
            surnames,
            people_by_words,
            people_by_ends,
        })
    }

    /// A word's classes, its number in the patterns' vocabulary and its number as the first
    /// word of gazetteer names (`u32::MAX`: none), in one lookup (every token of every article
    /// asks).
    pub fn word_info(&self, word: &str) -> WordInfo {
        self.lexicon.get(word).unwrap_or(WordInfo::NONE)
    }

    /// Whether `word` (lowercase) is in the words.tsv class `class`.
    pub fn is(&self, class: u32, word: &str) -> bool {
        self.words.get(word).is_some_and(|c| c & class != 0)
    }

    /// The words of a class.
    fn class_words(words: &rustc_hash::FxHashMap<String, u32>, class: u32) -> HashSet<String> {
        words.iter().filter(|(_, c)| *c & class != 0).map(|(w, _)| w.clone()).collect()
    }

    /// The kind of an organization-like name's head word, if it is one: "Ministry" ->
    /// organization, "Declaration" -> agreement, "Sea" -> location.
    pub fn head_kind(&self, word_lower: &str) -> Option<Kind> {
        Self::head_kind_of(*self.words.get(word_lower)?)
    }

    /// [`Rules::head_kind`] of a word with these classes (a token's, see
    /// [`crate::sentence::Tokens::classes`]).
    pub fn head_kind_of(classes: u32) -> Option<Kind> {
        if classes & class::AGREEMENT_HEAD != 0 {
            Some(Kind::Agreement)
        } else if classes & class::ORG_HEAD != 0 {
            Some(Kind::Organization)
        } else if classes & class::PLACE_HEAD != 0 {
            Some(Kind::Location)
        } else {
            None
        }
    }
}

/// The last word of a person's name, lowercase, skipping generational suffixes.
pub fn surname(name: &str) -> Option<String> {
    name.split_whitespace()
        .rev()
        .map(|w| w.trim_end_matches([',', '.']))
        .find(|w| !matches!(w.to_lowercase().as_str(), "jr" | "sr" | "ii" | "iii" | "iv" | ""))
        .map(str::to_lowercase)
}

/// One data line of a TSV rule file: its 1-based line number and its fields.
struct Line<'a> {
    number: usize,
    fields: Vec<&'a str>,
}

/// Reads the data lines of a TSV rule file, checking the column count.
fn tsv<'a>(file: &str, text: &'a str, columns: usize) -> Result<Vec<Line<'a>>> {
    let mut out = Vec::new();
    for (i, raw) in lines(text).enumerate() {
        // (A line that starts with a visible ASCII character is not blank: no trim needed.)
        if raw.starts_with('#') || (!raw.as_bytes().first().is_some_and(u8::is_ascii_graphic) && raw.trim().is_empty())
        {
            continue;
        }
        let mut fields: Vec<&str> = Vec::with_capacity(columns);
        let mut start = 0;
        for tab in memchr::memchr_iter(b'\t', raw.as_bytes()) {
            fields.push(&raw[start..tab]);
            start = tab + 1;
        }
        fields.push(&raw[start..]);
        if fields.len() != columns {
            return Err(Error::rule(
                file,
                i + 1,
                format!("expected {columns} tab-separated columns, found {}", fields.len()),
            ));
        }
        // (A field between visible ASCII characters has no white space around it.)
        let visible = |b: Option<&u8>| b.is_some_and(u8::is_ascii_graphic);
        if let Some(f) = fields.iter().find(|f| {
            !(visible(f.as_bytes().first()) && visible(f.as_bytes().last()))
                && (f.starts_with(char::is_whitespace) || f.ends_with(char::is_whitespace))
        }) {
            return Err(Error::rule(file, i + 1, format!("field `{f}` has white space around it")));
        }
        if fields[0].is_empty() {
            return Err(Error::rule(file, i + 1, "the first column is empty"));
        }
        out.push(Line { number: i + 1, fields });
    }
    Ok(out)
}

/// The lines of `text` as `str::lines` gives them (a line break is `\n` or `\r\n`), found
/// with `memchr` (rule files have tens of thousands of lines, read at every start).
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let mut breaks = memchr::memchr_iter(b'\n', text.as_bytes());
    std::iter::from_fn(move || {
        let end = match breaks.next() {
            Some(end) => end,
            None if start < text.len() => text.len(),
            None => return None,
        };
        let line = &text[start..end];
        start = end + 1;
        Some(if end < text.len() { line.strip_suffix('\r').unwrap_or(line) } else { line })
    })
}

fn list(field: &str) -> Vec<String> {
    field.split('|').filter(|s| !s.is_empty()).map(str::to_string).collect()
}

fn country_ref(file: &str, line: usize, field: &str, index: &HashMap<&str, usize>) -> Result<Option<usize>> {
    if field.is_empty() {
        return Ok(None);
    }
    index.get(field).copied().map(Some).ok_or_else(|| Error::rule(file, line, format!("unknown country id `{field}`")))
}

fn parse_countries(text: &str) -> Result<Vec<Country>> {
    let lines = tsv("countries.tsv", text, 5)?;
    let mut ids = std::collections::HashSet::new();
    for l in &lines {
        if !ids.insert(l.fields[0]) {
            return Err(Error::rule("countries.tsv", l.number, format!("country id `{}` appears twice", l.fields[0])));
        }
    }
    Ok(lines
        .into_iter()
        .map(|l| Country {
            id: l.fields[0].to_string(),
            name: l.fields[1].to_string(),
            aliases: list(l.fields[2]),
            demonyms: list(l.fields[3]),
            seats: list(l.fields[4]),
            capitals: Vec::new(),
        })
        .collect())
}

fn parse_places(text: &str, countries: &HashMap<&str, usize>) -> Result<Vec<Place>> {
    tsv("places.tsv", text, 4)?
        .into_iter()
        .map(|l| {
            let kind = match l.fields[1] {
                "capital" => PlaceKind::Capital,
                "city" => PlaceKind::City,
                "region" => PlaceKind::Region,
                "continent" => PlaceKind::Continent,
                "sea" => PlaceKind::Sea,
                "island" => PlaceKind::Island,
                "site" => PlaceKind::Site,
                other => return Err(Error::rule("places.tsv", l.number, format!("unknown place kind `{other}`"))),
            };
            Ok(Place {
                name: l.fields[0].to_string(),
                kind,
                country: country_ref("places.tsv", l.number, l.fields[2], countries)?,
                aliases: list(l.fields[3]),
            })
        })
        .collect()
}

fn parse_orgs(text: &str, countries: &HashMap<&str, usize>) -> Result<Vec<Org>> {
    let lines = tsv("organizations.tsv", text, 4)?;
    let names: HashMap<&str, usize> = lines.iter().enumerate().map(|(i, l)| (l.fields[0], i)).collect();
    lines
        .iter()
        .map(|l| {
            let parent = match l.fields[2] {
                "" => None,
                p => match countries.get(p) {
                    Some(&c) => Some(Parent::Country(c)),
                    None => match names.get(p) {
                        Some(&o) => Some(Parent::Org(o)),
                        None => {
                            return Err(Error::rule(
                                "organizations.tsv",
                                l.number,
                                format!("parent `{p}` is neither a country id nor an organization name"),
                            ));
                        }
                    },
                },
            };
            Ok(Org { name: l.fields[0].to_string(), kind: l.fields[1].to_string(), parent, aliases: list(l.fields[3]) })
        })
        .collect()
}

fn parse_people(text: &str, countries: &HashMap<&str, usize>, orgs: &[Org]) -> Result<Vec<Person>> {
    let mut org_names: HashMap<&str, usize> = HashMap::default();
    for (i, o) in orgs.iter().enumerate() {
        org_names.insert(o.name.as_str(), i);
        for a in &o.aliases {
            org_names.entry(a.as_str()).or_insert(i);
        }
    }
    tsv("people.tsv", text, 5)?
        .into_iter()
        .map(|l| {
            let org =
                match l.fields[3] {
                    "" => None,
                    name => Some(*org_names.get(name).ok_or_else(|| {
                        Error::rule("people.tsv", l.number, format!("unknown organization `{name}`"))
                    })?),
                };
            Ok(Person {
                name: l.fields[0].to_string(),
                aliases: list(l.fields[1]),
                country: country_ref("people.tsv", l.number, l.fields[2], countries)?,
                org,
                role: l.fields[4].to_string(),
            })
        })
        .collect()
}

fn parse_titles(text: &str, countries: &HashMap<&str, usize>) -> Result<Vec<Title>> {
    tsv("titles.tsv", text, 3)?
        .into_iter()
        .map(|l| {
            let (phrase, open) = match l.fields[0].strip_suffix(" *") {
                Some(p) => (p, true),
                None => (l.fields[0], false),
            };
            Ok(Title {
                phrase: phrase.to_string(),
                class: l.fields[1].to_string(),
                country: country_ref("titles.tsv", l.number, l.fields[2], countries)?,
                open,
            })
        })
        .collect()
}

fn parse_list(file: &str, text: &str) -> Result<HashSet<String>> {
    Ok(tsv(file, text, 1)?.into_iter().map(|l| l.fields[0].to_string()).collect())
}

fn parse_words(text: &str) -> Result<rustc_hash::FxHashMap<String, u32>> {
    let mut words: rustc_hash::FxHashMap<String, u32> = rustc_hash::FxHashMap::default();
    for l in tsv("words.tsv", text, 2)? {
        for name in l.fields[1].split('|') {
            let bit = class::NAMES.iter().position(|n| *n == name).ok_or_else(|| {
                Error::rule(
                    "words.tsv",
                    l.number,
                    format!("unknown class `{name}` (one of {})", class::NAMES.join(", ")),
                )
            })?;
            *words.entry(l.fields[0].to_lowercase()).or_default() |= 1 << bit;
        }
    }
    Ok(words)
}

fn parse_verbs(text: &str) -> Result<Verbs> {
    let mut verbs = Verbs::default();
    for l in tsv("verbs.tsv", text, 5)? {
        verbs.insert([0, 1, 2, 3, 4].map(|i| l.fields[i].to_lowercase()));
    }
    Ok(verbs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_what_str_lines_gives() {
        for text in ["", "a", "a\n", "a\nb", "a\r\nb\r\n", "\n\n", "a\r", "a\rb\n\r\n", "\r\n", "é\tx\r\n\nz\r"] {
            assert_eq!(lines(text).collect::<Vec<_>>(), text.lines().collect::<Vec<_>>(), "{text:?}");
        }
    }

    #[test]
    fn surnames_skip_suffixes() {
        assert_eq!(surname("Lloyd J. Austin III").as_deref(), Some("austin"));
        assert_eq!(surname("Teodoro Locsin, Jr.").as_deref(), Some("locsin"));
    }
}
