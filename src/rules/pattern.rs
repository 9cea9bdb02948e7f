//! The relation pattern language: parsing `relations.rules` into [`Pattern`]s.
//!
//! A line is `relation element... [; option...]`. Elements:
//!
//! | element | matches |
//! | --- | --- |
//! | `{A}`, `{B}` | an actor, or a coordinated group of them ("Estonia, Latvia and Lithuania"); `{B:place}` restricts kinds |
//! | `{AB}` | a group whose members all pair up ("Israel and Hamas agreed") |
//! | `{A^}` | an actor that is the first of its clause (the subject) |
//! | `<meet>` | any inflection of the verb (from verbs.tsv); `<meet:past>` one form (base, 3sg, past, pp, ing) |
//! | `talks`, `on\|against` | a word, or one of several |
//! | `@aid` | a word from a `define aid = ...` list |
//! | `[with]`, `[@det]` | an optional element |
//! | `...`, `...8` | up to 4 (or 8) items, not crossing a clause boundary |
//!
//! Options: `passive` (also match `{B} was <verb:pp> by {A}`), `all`, `cameo=NNN`, `conf=0.8`,
//! `modal` (match under will/would too), `undated`, `not=word,@list` (no edge when the match
//! spans one of these words), `last=kind` (B is the last actor of that kind named before).

use std::collections::HashMap;

use crate::error::{Error, Result};
use crate::model::{Kind, RelationType};

use super::Verbs;

/// The two actor slots of a pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    A,
    B,
    /// One group whose members relate pairwise.
    Both,
    /// An actor that must be there but takes no part: `{_:agreement}`.
    Context,
}

/// One element of a pattern.
#[derive(Clone, Debug, PartialEq)]
pub enum Elem {
    /// `first`: the actor must be the first of its clause (its subject): `{A:person^}`.
    Slot {
        slot: Slot,
        kinds: Vec<Kind>,
        first: bool,
    },
    /// One of these lowercase words. `verb` marks inflected verb forms (auxiliaries may precede).
    /// `ids` are the words' numbers in [`PatternSet::vocab`] (sorted), filled when the set is built.
    Words {
        words: Vec<String>,
        optional: bool,
        verb: bool,
        ids: Vec<u32>,
    },
    Gap {
        max: usize,
    },
}

/// A compiled relation pattern.
#[derive(Clone, Debug, PartialEq)]
pub struct Pattern {
    pub relation: RelationType,
    pub elems: Vec<Elem>,
    /// The element matched first (the trigger): the first non-optional word element.
    pub anchor: usize,
    /// `relations.rules:LINE`, with `(passive)` for a derived passive.
    pub id: smol_str::SmolStr,
    pub cameo: Option<smol_str::SmolStr>,
    pub confidence: f32,
    pub modal_ok: bool,
    pub undated: bool,
    /// Every pair of the actors of both slots together ("three-way cooperation").
    pub all_pairs: bool,
    /// Words that must not occur in the matched span (`not=@host`).
    pub not: Vec<String>,
    /// `last=agreement`: B is not in the sentence but the last actor of this kind named before
    /// ("X signed on behalf of Y" after the agreement was named).
    pub last: Option<Kind>,
    /// `last=met_with`: B are the actors of the last edge of this type made before ("X also
    /// joined the call").
    pub last_relation: Option<RelationType>,
    /// The words that must all occur in a sentence for the pattern to match (a quick filter):
    /// for each required word element, its word list's number in [`PatternSet::sets`] (patterns
    /// share lists, and a sentence checks each list once).
    pub required_sets: Vec<u32>,
}

/// All patterns, and the word lists they use.
#[derive(Clone, Debug, Default)]
pub struct PatternSet {
    pub patterns: Vec<Pattern>,
    pub defines: HashMap<String, Vec<String>>,
    /// Every word a pattern names, numbered: matching compares numbers, not strings.
    pub vocab: rustc_hash::FxHashMap<String, u32>,
    /// Patterns by the words of their trigger (indexed by word number), in file order.
    pub by_anchor: Vec<Vec<usize>>,
    /// The distinct word lists (as sorted word numbers) of the patterns' required elements.
    pub sets: Vec<Vec<u32>>,
    /// The numbers of the lists in `sets` each word is in (indexed by word number): a sentence
    /// marks the lists its words are in, and a pattern asks whether its lists are marked.
    pub sets_of_word: Vec<Vec<u32>>,
}

impl PatternSet {
    /// Numbers the words and indexes the patterns by trigger word.
    fn index(&mut self) {
        let mut vocab: rustc_hash::FxHashMap<String, u32> = rustc_hash::FxHashMap::default();
        let mut number = |w: &str| {
            let n = vocab.len() as u32;
            *vocab.entry(w.to_string()).or_insert(n)
        };
        for p in &mut self.patterns {
            for e in &mut p.elems {
                if let Elem::Words { words, ids, .. } = e {
                    *ids = words.iter().map(|w| number(w)).collect();
                    ids.sort_unstable();
                    ids.dedup();
                }
            }
            for w in &p.not {
                number(w);
            }
        }
        // The required elements' word lists, each numbered once.
        let mut sets: Vec<Vec<u32>> = Vec::new();
        let mut set_numbers: rustc_hash::FxHashMap<Vec<u32>, u32> = rustc_hash::FxHashMap::default();
        for p in &mut self.patterns {
            p.required_sets = p
                .elems
                .iter()
                .filter_map(|e| match e {
                    Elem::Words { ids, optional: false, .. } => {
                        Some(*set_numbers.entry(ids.clone()).or_insert_with(|| {
                            sets.push(ids.clone());
                            sets.len() as u32 - 1
                        }))
                    }
                    _ => None,
                })
                .collect();
        }
        let mut sets_of_word: Vec<Vec<u32>> = vec![Vec::new(); vocab.len()];
        for (k, set) in sets.iter().enumerate() {
            for &id in set {
                sets_of_word[id as usize].push(k as u32);
            }
        }
        self.sets = sets;
        self.sets_of_word = sets_of_word;
        let mut by_anchor: Vec<Vec<usize>> = vec![Vec::new(); vocab.len()];
        for (i, p) in self.patterns.iter().enumerate() {
            if let Elem::Words { ids, .. } = &p.elems[p.anchor] {
                for &id in ids {
                    by_anchor[id as usize].push(i);
                }
            }
        }
        self.vocab = vocab;
        self.by_anchor = by_anchor;
    }

    /// The number of a word, if a pattern names it.
    pub fn id(&self, word: &str) -> Option<u32> {
        self.vocab.get(word).copied()
    }
}

const BE: [&str; 8] = ["be", "am", "is", "are", "was", "were", "been", "being"];

/// Parses the text of a relations file.
pub fn parse(file: &str, text: &str, verbs: &Verbs) -> Result<PatternSet> {
    let mut set = PatternSet::default();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let content = raw.split(" #").next().unwrap_or("").trim();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        if let Some(rest) = content.strip_prefix("define ") {
            let (name, words) = rest
                .split_once('=')
                .ok_or_else(|| Error::rule(file, line, "a define is `define name = word word ...`"))?;
            let name = name.trim();
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
                return Err(Error::rule(file, line, format!("bad define name `{name}`")));
            }
            let words: Vec<String> = words.split_whitespace().map(str::to_lowercase).collect();
            if words.is_empty() {
                return Err(Error::rule(file, line, format!("define `{name}` has no words")));
            }
            if set.defines.insert(name.to_string(), words).is_some() {
                return Err(Error::rule(file, line, format!("`{name}` is defined twice")));
            }
            continue;
        }
        let pattern = parse_line(file, line, content, verbs, &set.defines)?;
        let passive = pattern.1;
        let pattern = pattern.0;
        if passive {
            let derived = passive_of(&pattern, verbs).ok_or_else(|| {
                Error::rule(file, line, "`passive` needs a pattern of the form `{A} <verb> [word] {B} ...`")
            })?;
            set.patterns.push(pattern);
            set.patterns.push(derived);
        } else {
            set.patterns.push(pattern);
        }
    }
    set.index();
    Ok(set)
}

fn parse_line(
    file: &str,
    line: usize,
    content: &str,
    verbs: &Verbs,
    defines: &HashMap<String, Vec<String>>,
) -> Result<(Pattern, bool)> {
    let err = |m: String| Error::rule(file, line, m);
    let (body, options) = match content.split_once(';') {
        Some((b, o)) => (b.trim(), o.trim()),
        None => (content, ""),
    };
    let mut parts = body.split_whitespace();
    let relation: RelationType = parts.next().unwrap_or("").parse().map_err(err)?;
    let mut elems = Vec::new();
    for token in parts {
        elems.push(parse_elem(token, relation, verbs, defines).map_err(err)?);
    }
    let mut p = Pattern {
        relation,
        elems,
        anchor: 0,
        id: format!("{file}:{line}").into(),
        cameo: relation.default_cameo().map(Into::into),
        confidence: 0.8,
        modal_ok: false,
        undated: false,
        all_pairs: false,
        not: Vec::new(),
        last: None,
        last_relation: None,
        required_sets: Vec::new(),
    };
    let mut passive = false;
    for opt in options.split_whitespace() {
        match opt.split_once('=') {
            None if opt == "passive" => passive = true,
            None if opt == "modal" => p.modal_ok = true,
            None if opt == "undated" => p.undated = true,
            None if opt == "all" => p.all_pairs = true,
            Some(("cameo", c)) if !c.is_empty() && c.chars().all(|c| c.is_ascii_digit()) => p.cameo = Some(c.into()),
            Some(("last", what)) => match (what.parse::<Kind>(), what.parse::<RelationType>()) {
                (Ok(kind), _) => p.last = Some(kind),
                (_, Ok(rel)) => p.last_relation = Some(rel),
                _ => return Err(err(format!("`last=` takes a kind or a relation type, not `{what}`"))),
            },
            Some(("not", list)) => {
                for w in list.split(',') {
                    match w.strip_prefix('@') {
                        Some(name) => p.not.extend(
                            defines
                                .get(name)
                                .ok_or_else(|| err(format!("`@{name}` is not defined (yet)")))?
                                .iter()
                                .cloned(),
                        ),
                        None => p.not.push(w.to_lowercase()),
                    }
                }
            }
            Some(("conf", c)) => {
                p.confidence = c
                    .parse::<f32>()
                    .ok()
                    .filter(|c| (0.0..=1.0).contains(c))
                    .ok_or_else(|| err(format!("conf must be a number from 0 to 1, not `{c}`")))?
            }
            _ => return Err(err(format!("unknown option `{opt}`"))),
        }
    }
    finish(&mut p).map_err(err)?;
    Ok((p, passive))
}

/// Checks the slots and sets the anchor.
fn finish(p: &mut Pattern) -> Result<(), String> {
    let slots: Vec<Slot> = p
        .elems
        .iter()
        .filter_map(|e| match e {
            Elem::Slot { slot, .. } if *slot != Slot::Context => Some(*slot),
            _ => None,
        })
        .collect();
    match slots.as_slice() {
        [Slot::A, Slot::B] | [Slot::B, Slot::A] | [Slot::Both] => {}
        [Slot::A] if p.last.is_some() || p.last_relation.is_some() => {}
        _ => return Err("a pattern needs the slots {A} and {B}, once each, or {AB} alone (or {A} with `last=`)".into()),
    }
    p.anchor = p
        .elems
        .iter()
        .position(|e| matches!(e, Elem::Words { optional: false, .. }))
        .ok_or("a pattern needs at least one required word")?;
    if matches!(p.elems.first(), Some(Elem::Gap { .. })) || matches!(p.elems.last(), Some(Elem::Gap { .. })) {
        return Err("a pattern cannot start or end with a gap".into());
    }
    Ok(())
}

fn default_kinds(relation: RelationType, slot: Slot) -> Vec<Kind> {
    use Kind::*;
    let actor = vec![Person, Country, Organization];
    match (relation, slot) {
        (RelationType::Visited, Slot::B) => vec![Country, Location],
        (RelationType::AffiliatedWith, Slot::A) => vec![Person, Country],
        (RelationType::AffiliatedWith, Slot::B) => vec![Country, Organization],
        (RelationType::PartOf, Slot::A) => vec![Organization],
        (RelationType::PartOf, Slot::B) => vec![Organization, Country],
        (RelationType::LocatedIn, Slot::A) => vec![Location],
        (RelationType::LocatedIn, Slot::B) => vec![Location, Country],
        (RelationType::PartyTo, Slot::B) => vec![Agreement],
        (RelationType::Criticizes | RelationType::Supports, Slot::B) => vec![Person, Country, Organization, Agreement],
        _ => actor,
    }
}

fn parse_kinds(spec: &str) -> Result<Vec<Kind>, String> {
    let mut kinds = Vec::new();
    for k in spec.split('|') {
        match k {
            "place" => kinds.extend([Kind::Country, Kind::Location]),
            "actor" => kinds.extend([Kind::Person, Kind::Country, Kind::Organization]),
            "org" => kinds.push(Kind::Organization),
            other => kinds.push(other.parse()?),
        }
    }
    Ok(kinds)
}

fn parse_elem(
    token: &str,
    relation: RelationType,
    verbs: &Verbs,
    defines: &HashMap<String, Vec<String>>,
) -> Result<Elem, String> {
    if let Some(inner) = token.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
        let (inner, first) = match inner.strip_suffix('^') {
            Some(i) => (i, true),
            None => (inner, false),
        };
        let (name, kinds) = match inner.split_once(':') {
            Some((n, k)) => (n, Some(k)),
            None => (inner, None),
        };
        let slot = match name {
            "A" => Slot::A,
            "B" => Slot::B,
            "AB" => Slot::Both,
            "_" => Slot::Context,
            _ => return Err(format!("unknown slot `{{{name}}}`: use {{A}}, {{B}}, {{AB}} or {{_:kind}}")),
        };
        if slot == Slot::Context && kinds.is_none() {
            return Err("a context slot needs kinds: `{_:agreement}`".into());
        }
        let kinds = match kinds {
            Some(k) => parse_kinds(k)?,
            None => default_kinds(relation, if slot == Slot::Both { Slot::A } else { slot }),
        };
        return Ok(Elem::Slot { slot, kinds, first });
    }
    if let Some(rest) = token.strip_prefix("...") {
        let max = if rest.is_empty() { 4 } else { rest.parse().map_err(|_| format!("bad gap `{token}`"))? };
        if max == 0 || max > 20 {
            return Err(format!("a gap is 1 to 20 items, not {max}"));
        }
        return Ok(Elem::Gap { max });
    }
    let (inner, optional) = match token.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
        Some(inner) => (inner, true),
        None => (token, false),
    };
    if inner.is_empty() {
        return Err("empty element".into());
    }
    let mut words = Vec::new();
    let mut verb = false;
    // `<provide|give>`: several verbs in one bracket.
    let alts: Vec<String> = match inner.strip_prefix('<').and_then(|t| t.strip_suffix('>')) {
        Some(lemmas) if !lemmas.contains(['<', '>']) => lemmas.split('|').map(|l| format!("<{l}>")).collect(),
        _ => inner.split('|').map(str::to_string).collect(),
    };
    for alt in alts.iter().map(String::as_str) {
        if let Some(v) = alt.strip_prefix('<').and_then(|t| t.strip_suffix('>')) {
            verb = true;
            words.extend(verb_forms(v, verbs)?);
        } else if let Some(name) = alt.strip_prefix('@') {
            words.extend(defines.get(name).ok_or_else(|| format!("`@{name}` is not defined (yet)"))?.iter().cloned());
        } else if alt.contains(['<', '>', '{', '}', '[', ']']) {
            return Err(format!("cannot read `{alt}`"));
        } else {
            words.push(alt.to_lowercase());
        }
    }
    words.sort();
    words.dedup();
    Ok(Elem::Words { words, optional, verb, ids: Vec::new() })
}

fn verb_forms(spec: &str, verbs: &Verbs) -> Result<Vec<String>, String> {
    let (lemma, form) = match spec.split_once(':') {
        Some((l, f)) => (l, Some(f)),
        None => (spec, None),
    };
    if lemma == "be" {
        return Ok(BE.iter().map(|s| s.to_string()).collect());
    }
    let forms = verbs.forms.get(lemma).ok_or_else(|| format!("`{lemma}` is not in verbs.tsv"))?;
    let wanted: Vec<usize> = match form {
        None => (0..forms.len()).collect(),
        Some(f) => f
            .split(',')
            .map(|f| {
                super::VERB_FORMS
                    .iter()
                    .position(|n| *n == f)
                    .ok_or_else(|| format!("unknown verb form `{f}` (base, 3sg, past, pp, ing)"))
            })
            .collect::<Result<_, _>>()?,
    };
    let mut out = Vec::new();
    for i in wanted {
        out.push(forms[i].clone());
        if let Some(british) = doubled_l(lemma, &forms[i]) {
            out.push(british);
        }
    }
    Ok(out)
}

/// The British spelling of an American single-l form: "traveled" -> "travelled", "canceling"
/// -> "cancelling" (verbs.tsv lists one spelling; news is written in both).
fn doubled_l(lemma: &str, form: &str) -> Option<String> {
    if !lemma.ends_with('l') || lemma.ends_with("ll") {
        return None;
    }
    let suffix = form.strip_prefix(lemma)?;
    matches!(suffix, "ed" | "ing").then(|| format!("{lemma}l{suffix}"))
}

/// `{A} <verb> [particle] {B} rest` -> `{B} <be> <verb:pp> [particle] by {A} rest`.
fn passive_of(p: &Pattern, verbs: &Verbs) -> Option<Pattern> {
    let [Elem::Slot { slot: Slot::A, kinds: ka, .. }, Elem::Words { words, verb: true, .. }, rest @ ..] =
        p.elems.as_slice()
    else {
        return None;
    };
    let b_at = rest.iter().position(|e| matches!(e, Elem::Slot { slot: Slot::B, .. }))?;
    let (between, after) = rest.split_at(b_at);
    let Elem::Slot { kinds: kb, .. } = &after[0] else { return None };
    if between.iter().any(|e| !matches!(e, Elem::Words { .. })) {
        return None;
    }
    let pp: Vec<String> =
        verbs.forms.values().filter(|f| f.iter().any(|w| words.contains(w))).map(|f| f[3].clone()).collect();
    let mut elems = vec![
        Elem::Slot { slot: Slot::B, kinds: kb.clone(), first: false },
        Elem::Words { words: BE.iter().map(|s| s.to_string()).collect(), optional: false, verb: true, ids: Vec::new() },
        Elem::Words {
            words: {
                let mut pp = pp;
                pp.sort();
                pp.dedup();
                pp
            },
            optional: false,
            verb: true,
            ids: Vec::new(),
        },
    ];
    elems.extend(between.iter().cloned());
    elems.push(Elem::Words { words: vec!["by".into()], optional: false, verb: false, ids: Vec::new() });
    elems.push(Elem::Slot { slot: Slot::A, kinds: ka.clone(), first: false });
    elems.extend(after[1..].iter().cloned());
    let mut d = Pattern { elems, id: format!("{} (passive)", p.id).into(), ..p.clone() };
    // The participle, not the auxiliary, is the trigger.
    finish(&mut d).ok()?;
    d.anchor = 2;
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verbs() -> Verbs {
        let mut v = Verbs::default();
        v.insert(["meet", "meets", "met", "met", "meeting"].map(String::from));
        v.insert(["host", "hosts", "hosted", "hosted", "hosting"].map(String::from));
        v
    }

    #[test]
    fn parses_elements_and_options() {
        let set = parse("r", "define aid = aid assistance\nmet_with {A} <meet> [with] {B} ; cameo=042\nprovides_aid_to {A} ...6 @aid to {B:country}\n", &verbs()).unwrap();
        assert_eq!(set.patterns.len(), 2);
        let p = &set.patterns[0];
        assert_eq!(p.anchor, 1);
        assert_eq!(p.cameo.as_deref(), Some("042"));
        assert_eq!(p.id, "r:2");
        assert!(matches!(&p.elems[2], Elem::Words { optional: true, .. }));
        assert!(matches!(&set.patterns[1].elems[2], Elem::Words { words, .. } if words == &["aid", "assistance"]));
    }

    #[test]
    fn passive_is_derived() {
        let set = parse("r", "met_with {A} <host> {B} ; passive\n", &verbs()).unwrap();
        assert_eq!(set.patterns.len(), 2);
        let p = &set.patterns[1];
        assert!(matches!(&p.elems[0], Elem::Slot { slot: Slot::B, .. }));
        assert!(matches!(&p.elems[2], Elem::Words { words, .. } if words == &["hosted"]));
        assert!(matches!(&p.elems[4], Elem::Slot { slot: Slot::A, .. }));
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse("r", "\nmet_with {A} <greet> {B}\n", &verbs()).unwrap_err();
        assert_eq!(e.to_string(), "r:2: `greet` is not in verbs.tsv");
        let e = parse("r", "met_with {A} {B}\n", &verbs()).unwrap_err();
        assert_eq!(e.to_string(), "r:1: a pattern needs at least one required word");
    }
}
