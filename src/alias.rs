//! Aliases: linking mentions to the actors of an article. Surnames to full names, acronyms to
//! what they abbreviate, capitals and "the X administration" to countries, "the Secretary" to the
//! last secretary named, pronouns to the person they stand for.

use std::collections::BTreeSet;

use smol_str::SmolStr;
use std::ops::Range;

use crate::mention::{Form, Mention, Target};
use crate::model::Kind;
use crate::rules::{GazRef, Parent, Rules};
use crate::sentence::Tokens;

/// One actor of an article.
#[derive(Clone, Debug, PartialEq)]
pub struct DocEntity {
    pub id: String,
    pub kind: Kind,
    pub label: String,
    pub aliases: BTreeSet<String>,
    pub mentions: usize,
    /// The gazetteer entry it is, if any.
    pub gaz: Option<GazRef>,
    /// Titles seen before its name (indexes into `Rules::titles`).
    pub titles: Vec<usize>,
    /// For people: the country they serve, as far as the article tells (qualifiers, titles);
    /// failing that, the gazetteer's.
    pub country: Option<usize>,
    /// Whether every mention is inside another name: then it is no node of the graph.
    pub embedded_only: bool,
    /// Whether the article only names it by a demonym ("Guatemalan").
    pub demonym_only: bool,
    /// Lowercase name words without initials and suffixes (people), or of the name (others);
    /// a gazetteer entity shares its entry's.
    words: Words,
}

/// Mentions linked to entities.
#[derive(Clone, Debug, Default)]
pub struct Resolution {
    pub entities: Vec<DocEntity>,
    /// For each mention, the entities it stands for: none (dropped), one, or two ("the two leaders").
    pub refs: Vec<Refs>,
}

/// The entities of one mention: most have one, none has many, so they are held inline.
pub type Refs = smallvec::SmallVec<[usize; 2]>;

/// Links every mention to an entity.
pub fn resolve(rules: &Rules, text: &str, tokens: &Tokens, mentions: &mut [Mention]) -> Resolution {
    let mut r = Resolver {
        rules,
        text,
        tokens,
        res: Resolution::default(),
        // An article has fewer actors than mentions: its tables never grow by rehashing.
        index: hashbrown::HashTable::with_capacity(mentions.len()),
        by_gaz: rustc_hash::FxHashMap::with_capacity_and_hasher(mentions.len(), rustc_hash::FxBuildHasher),
        salience: Vec::with_capacity(mentions.len()),
        seen: Vec::with_capacity(mentions.len()),
    };
    r.res.refs = vec![Refs::new(); mentions.len()];
    let mut order: Vec<usize> = (0..mentions.len()).collect();
    order.sort_by_key(|&i| (mentions[i].toks.start, std::cmp::Reverse(mentions[i].toks.end), mentions[i].nested));
    // Full names first, so that a surname before its full name still finds it.
    for &i in &order {
        let m = &mentions[i];
        if m.kind == Kind::Person && m.form == Form::Name && !m.tentative && m.name.len() >= 2 {
            r.person_entity(m);
        }
    }
    for &i in &order {
        let refs = r.resolve_one(mentions, i);
        if let Some(&e) = refs.first() {
            let m = &mentions[i];
            if r.res.entities[e].kind == Kind::Person {
                r.salience.push((m.toks.start, m.sentence, e));
            }
            r.seen.push((m.toks.start, m.sentence, e));
        }
        r.res.refs[i] = refs;
    }
    // "Arevalo's new administration", "the Biden administration": a person's government.
    r.administrations(mentions);
    r.finish(mentions);
    r.res
}

struct Resolver<'a> {
    rules: &'a Rules,
    text: &'a str,
    tokens: &'a Tokens,
    res: Resolution,
    /// The entities by id: the table holds their numbers, the id is read from the entity.
    index: hashbrown::HashTable<usize>,
    /// Entities of gazetteer entries already made.
    by_gaz: rustc_hash::FxHashMap<GazRef, usize>,
    /// Person references in text order: (token, sentence, entity).
    salience: Vec<(usize, usize, usize)>,
    /// Every reference in text order: (token, sentence, entity).
    seen: Vec<(usize, usize, usize)>,
}

fn hash_id(id: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(id)
}

/// Name words, shared.
type Words = std::sync::Arc<[SmolStr]>;

/// What the entity of a gazetteer entry starts as: id, kind, label and name words.
#[derive(Debug)]
pub struct GazEntity {
    id: String,
    kind: Kind,
    label: String,
    words: Words,
}

/// The [`GazEntity`] of each gazetteer entry, made once per run, the first time an article
/// names the entry (making ids and name words is most of the cost of an entity).
#[derive(Debug, Default)]
pub struct GazEntities {
    countries: Vec<std::sync::OnceLock<Option<GazEntity>>>,
    seats: Vec<std::sync::OnceLock<Option<GazEntity>>>,
    places: Vec<std::sync::OnceLock<Option<GazEntity>>>,
    orgs: Vec<std::sync::OnceLock<Option<GazEntity>>>,
    people: Vec<std::sync::OnceLock<Option<GazEntity>>>,
}

impl GazEntities {
    /// Room for the entries of gazetteers of these sizes.
    pub fn new(countries: usize, places: usize, orgs: usize, people: usize) -> GazEntities {
        let slots = |n: usize| (0..n).map(|_| std::sync::OnceLock::new()).collect();
        GazEntities {
            countries: slots(countries),
            seats: slots(countries),
            places: slots(places),
            orgs: slots(orgs),
            people: slots(people),
        }
    }

    fn get(&self, rules: &Rules, r: GazRef) -> Option<&GazEntity> {
        let make = |kind: Kind, prefix: &str, name: &str| GazEntity {
            id: format!("{prefix}:{}", slug(name)),
            kind,
            label: name.to_string(),
            words: name_words(name).into(),
        };
        match r {
            GazRef::Country(c) | GazRef::Demonym(c) => self.countries.get(c)?.get_or_init(|| {
                let c = rules.countries.get(c)?;
                Some(GazEntity {
                    id: format!("country:{}", c.id),
                    kind: Kind::Country,
                    label: c.name.clone(),
                    words: name_words(&c.name).into(),
                })
            }),
            GazRef::Seat(c) => self.seats.get(c)?.get_or_init(|| {
                let name = rules.countries.get(c)?.seats.first()?;
                Some(make(Kind::Location, "location", name))
            }),
            GazRef::Place(p) => {
                self.places.get(p)?.get_or_init(|| Some(make(Kind::Location, "location", &rules.places.get(p)?.name)))
            }
            GazRef::Org(o) => self
                .orgs
                .get(o)?
                .get_or_init(|| Some(make(Kind::Organization, "organization", &rules.orgs.get(o)?.name))),
            GazRef::Person(p) => self.people.get(p)?.get_or_init(|| {
                let name = &rules.people.get(p)?.name;
                Some(GazEntity {
                    id: format!("person:{}", slug(&person_words(name).join(" "))),
                    kind: Kind::Person,
                    label: name.clone(),
                    words: person_words(name).into(),
                })
            }),
            GazRef::Title(_) => return None,
        }
        .as_ref()
    }
}

/// Folds Latin diacritics: "Arévalo" -> "Arevalo".
pub fn fold(s: &str) -> String {
    if s.is_ascii() {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let f = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
            'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ă' | 'Ą' => "A",
            'ç' | 'ć' | 'č' | 'ĉ' | 'ċ' => "c",
            'Ç' | 'Ć' | 'Č' | 'Ĉ' | 'Ċ' => "C",
            'ď' | 'đ' => "d",
            'Ď' | 'Đ' => "D",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
            'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ĕ' | 'Ė' | 'Ę' | 'Ě' => "E",
            'ğ' | 'ĝ' | 'ġ' | 'ģ' => "g",
            'Ğ' | 'Ĝ' | 'Ġ' | 'Ģ' => "G",
            'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
            'Ì' | 'Í' | 'Î' | 'Ï' | 'Ĩ' | 'Ī' | 'Ĭ' | 'Į' | 'İ' => "I",
            'ł' | 'ľ' | 'ĺ' | 'ļ' => "l",
            'Ł' | 'Ľ' | 'Ĺ' | 'Ļ' => "L",
            'ñ' | 'ń' | 'ň' | 'ņ' => "n",
            'Ñ' | 'Ń' | 'Ň' | 'Ņ' => "N",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
            'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' | 'Ŏ' | 'Ő' => "O",
            'ŕ' | 'ř' | 'ŗ' => "r",
            'Ŕ' | 'Ř' | 'Ŗ' => "R",
            'ś' | 'š' | 'ş' | 'ŝ' | 'ș' => "s",
            'Ś' | 'Š' | 'Ş' | 'Ŝ' | 'Ș' => "S",
            'ť' | 'ţ' | 'ț' => "t",
            'Ť' | 'Ţ' | 'Ț' => "T",
            'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
            'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ũ' | 'Ū' | 'Ŭ' | 'Ů' | 'Ű' | 'Ų' => "U",
            'ý' | 'ÿ' | 'ŷ' => "y",
            'Ý' | 'Ÿ' | 'Ŷ' => "Y",
            'ź' | 'ż' | 'ž' => "z",
            'Ź' | 'Ż' | 'Ž' => "Z",
            'ß' => "ss",
            'æ' => "ae",
            'Æ' => "AE",
            'œ' => "oe",
            'Œ' => "OE",
            '’' | '‘' => "'",
            '\u{300}'..='\u{36F}' => "",
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push_str(f);
    }
    out
}

/// A readable, stable id part: "Antony J. Blinken" -> "antony-j-blinken".
pub fn slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut push = |c: char| {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() && c != '\'' && c != '.' {
            out.push('-');
        }
    };
    if s.is_ascii() {
        // An ASCII name has nothing to fold, and lowercases char by char.
        s.chars().map(|c| c.to_ascii_lowercase()).for_each(&mut push);
    } else {
        fold(s).chars().flat_map(char::to_lowercase).for_each(&mut push);
    }
    let kept = out.trim_end_matches('-').len();
    out.truncate(kept);
    out
}

/// The words of a person's name that identify them: lowercase, folded, without initials,
/// generational suffixes and a trailing comma. "Lloyd J. Austin III" -> [lloyd, austin].
pub fn person_words(name: &str) -> Vec<SmolStr> {
    // An ASCII name (most) has nothing to fold, and its white space is bytes.
    if name.is_ascii() {
        let space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\x0B' | '\x0C' | '\r');
        return name.split(space).filter_map(person_word_ascii).collect();
    }
    fold(name).split(|c: char| c.is_whitespace()).filter_map(person_word).collect()
}

/// Generational suffixes, which identify nobody.
const SUFFIXES: [&str; 5] = ["jr", "sr", "ii", "iii", "iv"];

/// One word of a (folded) name as [`person_words`] keeps it, if it keeps it: without commas and
/// dots around it, lowercase, more than one letter, not a suffix.
fn person_word(word: &str) -> Option<SmolStr> {
    if word.is_ascii() {
        return person_word_ascii(word);
    }
    let w = smol_str::StrExt::to_lowercase_smolstr(word.trim_matches(|c: char| c == ',' || c == '.'));
    let kept = !w.is_empty() && w.chars().count() != 1 && !SUFFIXES.contains(&w.as_str());
    kept.then_some(w)
}

/// [`person_word`] of an ASCII word, on bytes (an ASCII word keeps its length when lowercased).
fn person_word_ascii(word: &str) -> Option<SmolStr> {
    let b = word.as_bytes();
    let keep = |c: &u8| *c != b',' && *c != b'.';
    let (Some(from), Some(to)) = (b.iter().position(keep), b.iter().rposition(keep)) else { return None };
    let w = &word[from..=to];
    let kept = w.len() > 1 && (w.len() > 3 || !SUFFIXES.iter().any(|s| w.eq_ignore_ascii_case(s)));
    kept.then(|| smol_str::StrExt::to_ascii_lowercase_smolstr(w))
}

fn name_words(name: &str) -> Vec<SmolStr> {
    let lower = fold(name).to_lowercase();
    let mut words: Vec<SmolStr> =
        lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(SmolStr::new).collect();
    if words.first().is_some_and(|w| w == "the") {
        words.remove(0);
    }
    words
}

impl Resolver<'_> {
    fn surface(&self, r: &Range<usize>) -> String {
        let toks = &self.tokens.tokens;
        let mut s = String::new();
        for i in r.clone() {
            if i > r.start && toks[i].space_before {
                s.push(' ');
            }
            s.push_str(&self.text[toks[i].start..toks[i].end]);
        }
        s
    }

    /// The entity with this id, created if new.
    fn entity(&mut self, id: String, kind: Kind, label: &str, gaz: Option<GazRef>, words: Words) -> usize {
        let hash = hash_id(&id);
        let ents = &self.res.entities;
        if let Some(&e) = self.index.find(hash, |&e| ents[e].id == id) {
            return e;
        }
        let e = self.res.entities.len();
        self.res.entities.push(DocEntity {
            id,
            kind,
            label: label.to_string(),
            aliases: BTreeSet::new(),
            mentions: 0,
            gaz,
            titles: Vec::new(),
            country: None,
            embedded_only: true,
            demonym_only: true,
            words,
        });
        let ents = &self.res.entities;
        self.index.insert_unique(hash, e, |&j| hash_id(&ents[j].id));
        e
    }

    fn gaz_entity(&mut self, r: GazRef) -> Option<usize> {
        let key = match r {
            GazRef::Demonym(c) => GazRef::Country(c),
            r => r,
        };
        if let Some(&e) = self.by_gaz.get(&key) {
            return Some(e);
        }
        let e = self.make_gaz_entity(r)?;
        self.by_gaz.insert(key, e);
        Some(e)
    }

    fn make_gaz_entity(&mut self, r: GazRef) -> Option<usize> {
        let rules = self.rules;
        let t = rules.gaz_entities.get(rules, r)?;
        let gaz = match r {
            // Country ids are unique (the rules refuse a second one).
            GazRef::Demonym(c) => GazRef::Country(c),
            r => r,
        };
        let e = self.entity(t.id.clone(), t.kind, &t.label, Some(gaz), t.words.clone());
        if let GazRef::Person(p) = r
            && self.res.entities[e].country.is_none()
        {
            self.res.entities[e].country = rules.people[p].country;
        }
        Some(e)
    }

    /// The person a full name stands for: a person of the article with the same name words (or a
    /// shorter or longer form of it), a gazetteer person, or a new one.
    fn person_entity(&mut self, m: &Mention) -> usize {
        if let Target::Gaz(r @ GazRef::Person(_)) = m.target
            && let Some(e) = self.gaz_entity(r)
        {
            return e;
        }
        let surface = self.surface(&m.name);
        let words = person_words(&surface);
        if words.is_empty() {
            return self.entity(format!("person:{}", slug(&surface)), Kind::Person, &surface, None, words.into());
        }
        // Same person already in the article.
        if let Some(e) = self.find_person(&words) {
            let ent = &mut self.res.entities[e];
            if words.len() > ent.words.len() && ent.gaz.is_none() {
                // A fuller form of a name seen shorter: keep the id, take the longer label.
                ent.words = words.into();
                ent.label = surface;
            } else if words.len() == ent.words.len() && surface.len() > ent.label.len() && ent.gaz.is_none() {
                ent.label = surface;
            }
            return e;
        }
        // A gazetteer person by their full name words.
        let title = m.title.map(|t| self.rules.titles[t].phrase.as_str());
        if let Some(p) = self.gaz_person(&words, title) {
            return self.gaz_entity(GazRef::Person(p)).unwrap_or(0);
        }
        self.entity(format!("person:{}", slug(&words.join(" "))), Kind::Person, &surface, None, words.into())
    }

    /// A person of the article whose name words end with `words`, or are ended by them.
    fn find_person(&self, words: &[SmolStr]) -> Option<usize> {
        let people = self.res.entities.iter().enumerate().filter(|(_, e)| e.kind == Kind::Person);
        let mut best: Option<usize> = None;
        for (i, e) in people {
            let w = &e.words;
            if w.is_empty() {
                continue;
            }
            let same = &w[..] == words
                || (words.len() < w.len() && w.ends_with(words))
                || (w.len() < words.len() && words.ends_with(w))
                // "Padrino López" for "Vladimir Padrino López": a two-word surname.
                || (words.len() == 1 && w.len() >= 3 && w[w.len() - 2] == words[0]);
            if same && best.is_none() {
                best = Some(i);
            }
        }
        if best.is_none() && words.len() == 1 {
            // "Samia" for "Samia Suluhu Hassan": a first name, when one person of the article has it.
            let firsts: Vec<usize> = self
                .res
                .entities
                .iter()
                .enumerate()
                .filter(|(_, e)| e.kind == Kind::Person && e.words.len() >= 2 && e.words[0] == words[0])
                .map(|(i, _)| i)
                .collect();
            if firsts.len() == 1 {
                best = Some(firsts[0]);
            }
        }
        best
    }

    /// A gazetteer person whose name (or alias) has these words, or, for one word, the only
    /// person with that surname.
    fn gaz_person(&self, words: &[SmolStr], title: Option<&str>) -> Option<usize> {
        let rules = self.rules;
        if words.len() == 1 {
            // One surname, several people: the one whose office the title names, else the only
            // head of state or government among them ("Trump", "President Trump").
            let cands = rules.surnames.get(words[0].as_str())?;
            if cands.len() == 1 {
                return Some(cands[0]);
            }
            let pick = |f: &dyn Fn(&str) -> bool| {
                let v: Vec<usize> =
                    cands.iter().copied().filter(|&c| f(&rules.people[c].role.to_lowercase())).collect();
                (v.len() == 1).then(|| v[0])
            };
            if let Some(t) = title.map(str::to_lowercase)
                && let Some(p) = pick(&|role| role.starts_with(&t))
            {
                return Some(p);
            }
            return pick(&|role| {
                ["president of", "prime minister of", "king of", "chancellor of", "supreme leader"]
                    .iter()
                    .any(|h| role.starts_with(h))
            });
        }
        // The same name words, or a longer name with the same first and last words
        // ("Rodrigo Duterte" for "Rodrigo Roa Duterte").
        let mut found: Vec<usize> = rules.people_by_words.get(&words.join(" ")).cloned().unwrap_or_default();
        let ends = (words[0].clone(), words[words.len() - 1].clone());
        for &(p, len) in rules.people_by_ends.get(&ends).map_or(&[][..], |v| v.as_slice()) {
            if len > words.len() && !found.contains(&p) {
                found.push(p);
            }
        }
        (found.len() == 1).then(|| found[0])
    }

    /// An organization, agreement or place name that repeats or abbreviates one seen before.
    fn named_entity(&mut self, kind: Kind, name: &str) -> usize {
        let words = name_words(name);
        for (i, e) in self.res.entities.iter().enumerate() {
            if e.kind != kind || e.words.is_empty() {
                continue;
            }
            if *e.words == *words || same_name(&e.words, &words) {
                let longer = words.len() > e.words.len();
                if longer && e.gaz.is_none() {
                    self.res.entities[i].label = name.to_string();
                    self.res.entities[i].words = words.into();
                }
                return i;
            }
        }
        self.entity(format!("{}:{}", kind.as_str(), slug(name)), kind, name, None, words.into())
    }

    fn resolve_one(&mut self, mentions: &[Mention], i: usize) -> Refs {
        let m = &mentions[i];
        if m.dropped {
            return Refs::new();
        }
        let one = |e: Option<usize>| e.into_iter().collect::<Refs>();
        match (&m.target, m.form) {
            (Target::Gaz(r), _) => {
                if let Some(p) = self.surname_over_place(m, *r) {
                    return smallvec::smallvec![p];
                }
                let e = self.gaz_entity(*r);
                if let (Some(e), Some(t)) = (e, m.title) {
                    self.res.entities[e].titles.push(t);
                }
                if let Some(e) = e.filter(|&e| self.res.entities[e].kind == Kind::Person) {
                    self.note_country(mentions, m, e);
                }
                one(e)
            }
            (Target::Name(name), _) if m.tentative => one(self.tentative(m, name)),
            (Target::Name(_), _) if m.kind == Kind::Person => {
                let e = self.person_entity(m);
                if let Some(t) = m.title {
                    self.res.entities[e].titles.push(t);
                }
                self.note_country(mentions, m, e);
                smallvec::smallvec![e]
            }
            (Target::Name(name), _) => smallvec::smallvec![self.named_entity(m.kind, name)],
            (Target::Unresolved, Form::Pronoun) => one(self.pronoun(m)),
            (Target::Unresolved, Form::Relative) => one(self.relative(mentions, m)),
            (Target::Unresolved, Form::Description) => self.description(m),
            (Target::Unresolved, Form::Government) => {
                let name = m.description.clone().unwrap_or_default();
                let words = person_words(&name);
                let person = self.find_person(&words).or_else(|| {
                    let p = self.gaz_person(&words[words.len().saturating_sub(1)..], None)?;
                    self.gaz_entity(GazRef::Person(p))
                });
                let country = person.and_then(|p| self.res.entities[p].country);
                one(country.and_then(|c| self.gaz_entity(GazRef::Country(c))))
            }
            _ => Refs::new(),
        }
    }

    /// "Montenegro" after "Portuguese Prime Minister Luis Montenegro": a one-word country or
    /// place name that is the surname of a person the article names in full is that person.
    fn surname_over_place(&self, m: &Mention, r: GazRef) -> Option<usize> {
        if !matches!(r, GazRef::Country(_) | GazRef::Place(_)) || m.form != Form::Name || m.name.len() != 1 {
            return None;
        }
        // Most articles name nobody in full by the time a place is named: then no word to make.
        if !self.res.entities.iter().any(|e| e.kind == Kind::Person && e.words.len() >= 2) {
            return None;
        }
        let t = &self.tokens.tokens[m.name.start];
        let surface = &self.text[t.start..t.end];
        // The word as `person_words` reads it (an ASCII token, most, has nothing to fold).
        let word = if surface.is_ascii() { person_word(surface) } else { person_words(surface).pop() }?;
        let mut people = self
            .res
            .entities
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind == Kind::Person && e.words.len() >= 2 && e.words.last() == Some(&word));
        let (p, _) = people.next()?;
        // Two people of that surname: no way to choose, keep the place.
        people.next().is_none().then_some(p)
    }

    /// The country a person serves, from the qualifier or title of this mention.
    fn note_country(&mut self, mentions: &[Mention], m: &Mention, e: usize) {
        let from_qualifier = m.qualifier.and_then(|q| match mentions[q].target {
            Target::Gaz(GazRef::Country(c) | GazRef::Demonym(c)) => Some(c),
            _ => None,
        });
        let from_title = m.title.and_then(|t| self.rules.titles[t].country);
        if let Some(c) = from_qualifier.or(from_title) {
            self.res.entities[e].country = Some(c);
        }
    }

    /// A word or two no rule could read: the surname of a person of the article, an acronym of
    /// one of its organizations, or the surname of a known public figure.
    fn tentative(&mut self, m: &Mention, name: &str) -> Option<usize> {
        let words = person_words(name);
        if words.is_empty() {
            return None;
        }
        if let Some(e) = self.find_person(&words) {
            return Some(e);
        }
        // An acronym: "CBP", "EHRC".
        if name.len() >= 2 && name.chars().all(|c| c.is_ascii_uppercase()) {
            let found = self
                .res
                .entities
                .iter()
                .position(|e| matches!(e.kind, Kind::Organization | Kind::Agreement) && initials(&e.label) == name);
            if found.is_some() {
                return found;
            }
        }
        let toks = &self.tokens.tokens;
        let initial = m.name.start == 0 || toks[m.name.start].newline_before || {
            let s = &self.tokens.sentences[m.sentence];
            m.name.start == s.tokens.start
        };
        if !initial
            && words.len() == 1
            && m.kind == Kind::Person
            && let Some(p) = self.gaz_person(&words, None)
        {
            return self.gaz_entity(GazRef::Person(p));
        }
        // A place after "in", "to": kept as a place when it is nobody's name.
        if m.kind == Kind::Location {
            return Some(self.named_entity(Kind::Location, name));
        }
        None
    }

    /// The person a pronoun stands for.
    fn pronoun(&self, m: &Mention) -> Option<usize> {
        let word = &self.tokens.tokens[m.toks.start].lower;
        let before: Vec<&(usize, usize, usize)> = self.salience.iter().filter(|(t, _, _)| *t < m.toks.start).collect();
        let same: Vec<&&(usize, usize, usize)> = before.iter().filter(|(_, s, _)| *s == m.sentence).collect();
        match word.as_str() {
            "him" | "her" => {
                // The object: not the subject just before the verb.
                let mut cands = same.clone();
                if let Some(last) = cands.last()
                    && m.toks.start - last.0 <= 4
                {
                    let subject = last.2;
                    cands.retain(|c| c.2 != subject);
                }
                cands.last().map(|c| c.2).or_else(|| {
                    let prev = before.iter().rev().find(|(_, s, _)| *s < m.sentence)?;
                    Some(prev.2)
                })
            }
            _ => {
                // A subject pronoun or "his": the first person of this sentence before it, or the
                // first person of the last sentence that has one.
                if let Some(first) = same.first() {
                    return Some(first.2);
                }
                let last_sentence = before.iter().rev().find(|(_, s, _)| *s < m.sentence)?.1;
                before.iter().find(|(_, s, _)| *s == last_sentence).map(|c| c.2)
            }
        }
    }

    /// "who", "which" after ", ": the actor right before the comma, or before an acronym in
    /// brackets ("the Economic Community of West African States (ECOWAS), which").
    fn relative(&self, mentions: &[Mention], m: &Mention) -> Option<usize> {
        let mut comma = m.toks.start.checked_sub(1)?;
        let toks = &self.tokens.tokens;
        if comma >= 1 && toks[comma - 1].lower == ")" {
            // Back over "(ECOWAS)" or "(محمود العالول)".
            if let Some(open) = (comma.saturating_sub(12)..comma - 1).rev().find(|&k| toks[k].lower == "(") {
                comma = open;
            }
        }
        let (j, _) = mentions
            .iter()
            .enumerate()
            .filter(|(_, x)| x.sentence == m.sentence && x.toks.end == comma && !x.nested)
            .max_by_key(|(_, x)| x.toks.len())?;
        self.res.refs.get(j)?.first().copied()
    }

    /// "the Secretary", "the Ukrainian leader", "the two leaders", "the Declaration".
    fn description(&mut self, m: &Mention) -> Refs {
        let desc = m.description.clone().unwrap_or_default();
        if desc == "pronoun-country" {
            let mut p = m.clone();
            p.toks = m.toks.start..m.toks.start + 1;
            let country = self.pronoun(&p).and_then(|e| self.res.entities[e].country);
            return country.and_then(|c| self.gaz_entity(GazRef::Country(c))).into_iter().collect();
        }
        if desc == "country" {
            // The country named last; not the one right before, which is the subject of the
            // verb ("since Russia launched its invasion of the country").
            let before: Vec<&(usize, usize, usize)> = self
                .seen
                .iter()
                .filter(|(t, _, e)| *t < m.toks.start && self.res.entities[*e].kind == Kind::Country)
                .collect();
            let mut cands = before.clone();
            if let Some(last) = cands.last()
                && last.1 == m.sentence
                && m.toks.start - last.0 <= 8
                && cands.iter().any(|c| c.2 != last.2)
            {
                let subject = last.2;
                cands.retain(|c| c.2 != subject);
            }
            return cands.last().map(|c| c.2).into_iter().collect();
        }
        if m.kind != Kind::Person {
            // A head word alone: the last organization or agreement with it in its name
            // ("the Declaration", "the accords"), else the only agreement of the article.
            let stem = desc.trim_end_matches('s');
            let named = self
                .res
                .entities
                .iter()
                .rposition(|e| e.kind == m.kind && e.words.iter().any(|w| w.trim_end_matches('s') == stem));
            let only = || {
                let all: Vec<usize> =
                    (0..self.res.entities.len()).filter(|&e| self.res.entities[e].kind == Kind::Agreement).collect();
                (m.kind == Kind::Agreement && all.len() == 1).then(|| all[0])
            };
            return named.or_else(only).into_iter().collect();
        }
        let before: Vec<usize> = self.salience.iter().filter(|(t, _, _)| *t < m.toks.start).map(|x| x.2).collect();
        if desc == "leaders" && m.country.is_some() {
            // "the Indian leaders": every person of that country named before.
            let mut out = Refs::new();
            for &e in &before {
                if self.res.entities[e].country == m.country && !out.contains(&e) {
                    out.push(e);
                }
            }
            return out;
        }
        let count = match desc.split(' ').next() {
            Some("two") => 2,
            Some("three") => 3,
            Some("four") => 4,
            _ => 0,
        };
        if count > 0 {
            // "the two leaders", "the three visitors": the last people named.
            let mut out = Refs::new();
            for &e in before.iter().rev() {
                if !out.contains(&e) {
                    out.push(e);
                }
                if out.len() == count {
                    break;
                }
            }
            return if out.len() == count { out } else { Refs::new() };
        }
        let rules = self.rules;
        let fits = |e: usize| {
            let ent = &self.res.entities[e];
            if let Some(c) = m.country
                && ent.country != Some(c)
            {
                return false;
            }
            let generic = matches!(desc.as_str(), "leader" | "diplomat" | "official" | "chief" | "envoy");
            generic && m.country.is_some()
                || ent.titles.iter().any(|&t| {
                    let phrase = rules.titles[t].phrase.to_lowercase();
                    phrase == desc
                        || phrase.split_whitespace().any(|w| w == desc)
                        || (desc == "leader"
                            && matches!(rules.titles[t].class.as_str(), "head-of-state" | "head-of-government"))
                        || (desc == "diplomat" && rules.titles[t].class == "diplomat")
                })
        };
        before.iter().rev().copied().find(|&e| fits(e)).into_iter().collect()
    }

    /// "Arevalo's new administration", "the Biden administration", "Maduro's government": the
    /// country of the person named.
    fn administrations(&mut self, mentions: &mut [Mention]) {
        let toks = &self.tokens.tokens;
        for (i, m) in mentions.iter_mut().enumerate() {
            // "Ortega-Murillo government": a person named first in a hyphenated pair.
            let e = match self.res.refs[i].first() {
                Some(&e) => e,
                None if m.tentative => {
                    let name = self.surface(&m.name);
                    let first = name.split('-').next().unwrap_or("").to_string();
                    let words = person_words(&first);
                    match (name.contains('-'), self.find_person(&words)) {
                        (true, Some(e)) => e,
                        _ => continue,
                    }
                }
                None => continue,
            };
            if self.res.entities[e].kind != Kind::Person || m.nested {
                continue;
            }
            let mut j = m.toks.end;
            let sentence_end = self.tokens.sentences[m.sentence].tokens.end;
            if j < sentence_end && toks[j].lower == "'s" {
                j += 1;
            }
            if j < sentence_end && matches!(toks[j].lower.as_str(), "new" | "own" | "former" | "current" | "previous") {
                j += 1;
            }
            if j >= sentence_end || !matches!(toks[j].lower.as_str(), "administration" | "government") {
                continue;
            }
            let Some(country) = self.res.entities[e].country else { continue };
            let Some(c) = self.gaz_entity(GazRef::Country(country)) else { continue };
            m.toks.end = j + 1;
            m.kind = Kind::Country;
            m.form = Form::Government;
            self.res.refs[i] = smallvec::smallvec![c];
        }
    }

    /// Aliases, counts and the affiliations the article states; drops what is no actor.
    fn finish(&mut self, mentions: &[Mention]) {
        // The surface of a mention, made in one buffer (most are aliases known already).
        let mut s = String::new();
        for (i, m) in mentions.iter().enumerate() {
            for &e in &self.res.refs[i] {
                let ent = &mut self.res.entities[e];
                ent.mentions += 1;
                if !m.embedded {
                    ent.embedded_only = false;
                }
                if !matches!(m.form, Form::Demonym) || m.kind == Kind::Location {
                    ent.demonym_only = false;
                }
                if matches!(m.form, Form::Name | Form::Metonym | Form::Government) {
                    let toks = if m.form == Form::Government { m.toks.clone() } else { m.name.clone() };
                    s.clear();
                    let tk = &self.tokens.tokens;
                    for k in toks.clone() {
                        if k > toks.start && tk[k].space_before {
                            s.push(' ');
                        }
                        s.push_str(&self.text[tk[k].start..tk[k].end]);
                    }
                    let mut rest = s.as_str();
                    while let Some(r) = rest.strip_prefix("the ") {
                        rest = r;
                    }
                    while let Some(r) = rest.strip_prefix("The ") {
                        rest = r;
                    }
                    if !rest.is_empty() && !ent.aliases.contains(rest) {
                        ent.aliases.insert(rest.to_string());
                    }
                }
            }
        }
        for e in &mut self.res.entities {
            // A person known only by surname carries the country the article gives them
            // ("person:souza--brazil"): two articles' different Souzas stay apart until
            // `ActorGraph::link_people` finds who each is.
            if e.kind == Kind::Person
                && e.gaz.is_none()
                && e.words.len() == 1
                && let Some(c) = e.country
            {
                e.id = format!("{}--{}", e.id, self.rules.countries[c].id);
            }
            if !e.aliases.contains(&e.label) {
                e.aliases.insert(e.label.clone());
            }
            // (An ASCII label folds to itself.)
            if !e.label.is_ascii() {
                let folded = fold(&e.label);
                if folded != e.label {
                    e.aliases.insert(folded);
                }
            }
        }
        // Organizations whose gazetteer parent is a country: for people in them.
        let _ = Parent::Country(0);
    }
}

/// Whether two name word lists name the same body: one is the other with a qualifier dropped
/// ("Customs and Border Protection" / "US Customs and Border Protection"), a prefix of it ("Los
/// Angeles Declaration" / "... on Migration and Protection"), or abbreviates words of it ("LA
/// Declaration").
fn same_name(a: &[SmolStr], b: &[SmolStr]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.is_empty() {
        return false;
    }
    if short.len() >= 2 && (long.ends_with(short) || long.starts_with(short)) {
        return true;
    }
    // Abbreviated leading words: "la declaration" ~ "los angeles declaration ...".
    if short.len() >= 2 {
        let head = &short[short.len() - 1];
        if let Some(pos) = long.iter().position(|w| w == head) {
            let abbr: String = long[..pos].iter().filter_map(|w| w.chars().next()).collect();
            let given = short[..short.len() - 1].concat();
            if given.len() >= 2 && abbr == given {
                return true;
            }
        }
    }
    false
}

/// The initials of a name's capitalised words: "Ethiopian Human Rights Commission" -> "EHRC".
pub fn initials(name: &str) -> String {
    name.split(|c: char| c.is_whitespace() || c == '-')
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_words() {
        assert_eq!(slug("Bernardo Arévalo"), "bernardo-arevalo");
        assert_eq!(slug("Côte d’Ivoire"), "cote-divoire");
        assert_eq!(person_words("Lloyd J. Austin III"), ["lloyd", "austin"]);
        assert_eq!(person_words("Teodoro Locsin, Jr."), ["teodoro", "locsin"]);
        // The ASCII path reads what the general one reads.
        assert_eq!(person_words(" ,.Ana\t\x0Bde  la.,  Cruz  II ,. X"), ["ana", "de", "la", "cruz"]);
        assert_eq!(person_words("Ánä\x0Bde  la.,  Crúz  II ,. X"), ["ana", "de", "la", "cruz"]);
        assert_eq!(initials("Customs and Border Protection"), "CBP");
    }

    #[test]
    fn same_names() {
        let w = |s: &str| name_words(s);
        assert!(same_name(&w("LA Declaration"), &w("Los Angeles Declaration on Migration and Protection")));
        assert!(same_name(&w("Customs and Border Protection"), &w("US Customs and Border Protection")));
        assert!(!same_name(&w("Security Council"), &w("National Security Council of Sudan Forces")));
    }
}
