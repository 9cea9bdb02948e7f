//! Relations: typed edges between the actors of an article, from the patterns of
//! `relations.rules` and from the structure of names (titles give roles, qualifiers give
//! membership, the gazetteer gives geography the article relies on).

use std::ops::Range;

use crate::alias::{DocEntity, Resolution};
use crate::date::TimeExpr;
use crate::mention::{Form, Mention, Target};
use crate::model::{Kind, PartialDate, RelationType};
use crate::rules::class;
use crate::rules::pattern::{Elem, Slot};
use crate::rules::{GazRef, Parent, Pattern, Rules};
use crate::sentence::{TokKind, Tokens};

/// An edge found in an article, before it becomes a [`crate::model::Relation`].
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    pub source: usize,
    pub target: usize,
    pub relation: RelationType,
    pub date: Option<PartialDate>,
    pub sentence: usize,
    pub rule: smol_str::SmolStr,
    pub cameo: Option<smol_str::SmolStr>,
    pub confidence: f32,
}

/// One unit a pattern matches: an actor, a word, or a time expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// An actor mention (its entities are the resolution's `refs[mention]`).
    Ent {
        mention: usize,
    },
    Word(usize),
    Time(usize),
}

/// A sentence as patterns see it.
#[derive(Clone, Debug, Default)]
pub struct Items {
    pub items: Vec<Item>,
    /// The token range of each item.
    pub spans: Vec<Range<usize>>,
    /// For word items, the word's number in the patterns' vocabulary (`NO_WORD` otherwise).
    pub ids: Vec<u32>,
    /// For word items, what kind of word it is (`FILLER`, `AUX`, ... bits).
    pub flags: Vec<u8>,
}

/// Not a word any pattern names.
pub const NO_WORD: u32 = u32::MAX;
const FILLER: u8 = 1;
const AUX: u8 = 2;
const BOUNDARY: u8 = 4;
// The words groups of actors are made of, flagged so that a match tests a bit, not a string:
/// ",".
const COMMA: u8 = 8;
/// "and", "or".
const CONJ: u8 = 16;
/// "'s".
const POSSESSIVE: u8 = 32;
/// "as" (of "as well as").
const AS: u8 = 64;

impl Items {
    #[inline]
    fn push(&mut self, item: Item, span: Range<usize>) {
        self.items.push(item);
        self.spans.push(span);
        self.ids.push(NO_WORD);
        self.flags.push(0);
    }

    fn clear(&mut self) {
        self.items.clear();
        self.spans.clear();
        self.ids.clear();
        self.flags.clear();
    }

    fn pop(&mut self) {
        self.items.pop();
        self.spans.pop();
        self.ids.pop();
        self.flags.pop();
    }
}

/// What one pattern match found, for `explain`.
#[derive(Clone, Debug, PartialEq)]
pub struct Fired {
    pub sentence: usize,
    pub rule: smol_str::SmolStr,
    pub a: Vec<usize>,
    pub b: Vec<usize>,
    /// Why the match made no edge, if it made none.
    pub rejected: Option<&'static str>,
}

/// Everything the relation stage needs about one article.
pub struct Input<'a> {
    pub rules: &'a Rules,
    pub text: &'a str,
    pub tokens: &'a Tokens,
    pub mentions: &'a [Mention],
    pub res: &'a Resolution,
    pub times: &'a [Vec<TimeExpr>],
    pub article_date: Option<jiff::civil::Date>,
    /// For each sentence, the date it is told at when it has no time expression of its own.
    pub narrative: &'a [Option<PartialDate>],
}

/// Finds the relations of an article; `fired`, if given, collects pattern matches for `explain`.
pub fn extract(inp: &Input<'_>, mut fired: Option<&mut Vec<Fired>>) -> Vec<Edge> {
    let mut edges = Vec::new();
    // One set of lists serves every sentence, with room for the longest.
    let longest = inp.tokens.sentences.iter().map(|s| s.tokens.len()).max().unwrap_or(0);
    let mut items = Items {
        items: Vec::with_capacity(longest),
        spans: Vec::with_capacity(longest),
        ids: Vec::with_capacity(longest),
        flags: Vec::with_capacity(longest),
    };
    let set = &inp.rules.patterns;
    let mut scratch = Scratch {
        at: Vec::with_capacity(longest),
        tries: Vec::with_capacity(4 * longest),
        taken: Vec::with_capacity(8),
        lists: Vec::with_capacity(set.sets.len()),
    };
    for si in 0..inp.tokens.sentences.len() {
        items_into(inp, si, &mut items, &mut scratch.at);
        patterns(inp, si, &items, &mut edges, fired.as_deref_mut(), &mut scratch);
    }
    structural(inp, &mut edges);
    edges
}

fn entity<'a>(inp: &'a Input<'_>, e: usize) -> &'a DocEntity {
    &inp.res.entities[e]
}

/// A possessive pronoun that opens the noun phrase of a named person ("met his Brazilian
/// counterpart Mauro Vieira") is part of that phrase, not an actor of its own: otherwise the
/// nearest actor after "met" would be "his".
fn possessive_before_actor(inp: &Input<'_>, mi: usize, sentence: std::ops::Range<usize>) -> bool {
    let m = &inp.mentions[mi];
    let toks = &inp.tokens.tokens;
    if m.form != Form::Pronoun
        || m.toks.len() != 1
        || !matches!(toks[m.toks.start].lower.as_str(), "his" | "her" | "its" | "their")
    {
        return false;
    }
    let after = m.toks.end;
    inp.mentions[sentence].iter().any(|n| {
        n.toks.start >= after
            && n.toks.start <= after + 3
            && !n.nested
            && n.form == Form::Name
            && n.kind == Kind::Person
            && (after..n.toks.start).all(|k| toks[k].kind == TokKind::Word)
    })
}

/// The items of sentence `si`: top-level mentions become actors, "the" before an actor goes with
/// it, time expressions are one item.
pub fn items(inp: &Input<'_>, si: usize) -> Items {
    let mut out = Items::default();
    items_into(inp, si, &mut out, &mut Vec::new());
    out
}

/// Lists a sentence's work needs, kept from one sentence to the next.
#[derive(Default)]
struct Scratch {
    /// The mention [`items_into`] takes at each token.
    at: Vec<Option<usize>>,
    /// (pattern, item) pairs to try, each as `pattern << 32 | item`.
    tries: Vec<u64>,
    /// The (relation, trigger item) readings made (a handful per sentence).
    taken: Vec<(RelationType, usize)>,
    /// Per required word list of the patterns, whether the sentence has one of its words.
    lists: Vec<bool>,
}

/// [`items`] into `out` (cleared first); `at` is room for a list it needs.
fn items_into(inp: &Input<'_>, si: usize, out: &mut Items, at: &mut Vec<Option<usize>>) {
    let sentence = &inp.tokens.sentences[si];
    let toks = &inp.tokens.tokens;
    // The longest usable mention starting at each token.
    at.clear();
    at.resize(sentence.tokens.len(), None);
    // Mentions are listed sentence by sentence.
    let lo = inp.mentions.partition_point(|m| m.sentence < si);
    let hi = inp.mentions.partition_point(|m| m.sentence <= si);
    for (mi, m) in inp.mentions.iter().enumerate().take(hi).skip(lo) {
        if m.nested || inp.res.refs[mi].is_empty() {
            continue;
        }
        if m.form == Form::Demonym && !hyphen_compound(inp, m) {
            continue;
        }
        if possessive_before_actor(inp, mi, lo..hi) {
            continue;
        }
        let k = m.toks.start - sentence.tokens.start;
        if at[k].is_none_or(|o| inp.mentions[o].toks.len() < m.toks.len()) {
            at[k] = Some(mi);
        }
    }
    out.clear();
    let mut i = sentence.tokens.start;
    while i < sentence.tokens.end {
        let k = i - sentence.tokens.start;
        if let Some(t) = inp.times[si].iter().position(|t| t.toks.start == i) {
            let end = inp.times[si][t].toks.end;
            out.push(Item::Time(t), i..end);
            i = end;
            continue;
        }
        if let Some(mi) = at[k] {
            let m = &inp.mentions[mi];
            // "the", "a" before an actor belong to it, and so does a possessive ("his
            // counterpart X").
            if out.items.last() == Some(&Item::Word(i.wrapping_sub(1)))
                && i > 0
                && matches!(toks[i - 1].lower.as_str(), "the" | "a" | "an" | "his" | "her" | "its" | "their")
            {
                out.pop();
            }
            out.push(Item::Ent { mention: mi }, m.toks.clone());
            i = m.toks.end.max(i + 1);
            // "the Democratic Republic of the Congo (DRC)": the acronym in brackets goes with it.
            if i + 2 < sentence.tokens.end
                && toks[i].lower == "("
                && toks[i + 2].lower == ")"
                && at[i + 1 - sentence.tokens.start].is_some_and(|a| inp.res.refs[a] == inp.res.refs[mi])
            {
                if let Some(span) = out.spans.last_mut() {
                    span.end = i + 3;
                }
                i += 3;
            }
            continue;
        }
        // Quotation marks say who speaks, not who acts: patterns read through them.
        if toks[i].kind == TokKind::Punct && matches!(toks[i].lower.as_str(), "\"" | "'") {
            i += 1;
            continue;
        }
        out.push(Item::Word(i), i..i + 1);
        let w = toks[i].lower.as_str();
        let c = inp.tokens.classes[i];
        let last = out.ids.len() - 1;
        out.ids[last] = inp.tokens.pattern_words.get(i).copied().unwrap_or(NO_WORD);
        out.flags[last] = if c & class::FILLER != 0 { FILLER } else { 0 }
            | if c & (class::AUX | class::NEGATION | class::MODAL | class::ASPECT) != 0 { AUX } else { 0 }
            | match w {
                "," => COMMA,
                "and" | "or" => CONJ,
                "'s" => POSSESSIVE,
                "as" => AS,
                _ if boundary(w) => BOUNDARY,
                _ => 0,
            };
        i += 1;
    }
}

/// "U.S.-Japanese", "U.S.-Philippine": a demonym joined to a name by a hyphen stands for its country.
fn hyphen_compound(inp: &Input<'_>, m: &Mention) -> bool {
    let toks = &inp.tokens.tokens;
    let before = m.toks.start >= 1
        && toks[m.toks.start - 1].lower == "-"
        && !toks[m.toks.start].space_before
        && !toks[m.toks.start - 1].space_before;
    // "British-owned tanker", "Iran-linked ship": an attribute of a thing (`attribute` words),
    // not the country taking part.
    let attribute = |k: usize| inp.tokens.classes.get(k).is_some_and(|c| c & class::ATTRIBUTE != 0);
    let after = m.toks.end < toks.len()
        && toks[m.toks.end].lower == "-"
        && !toks[m.toks.end].space_before
        && m.toks.end + 1 < toks.len()
        && !toks[m.toks.end + 1].space_before
        && !attribute(m.toks.end + 1);
    before || after
}

/// Words that end a clause: gaps do not cross them.
#[inline]
fn boundary(word: &str) -> bool {
    matches!(word, ";" | ":" | "(" | ")" | "\u{2014}" | "but" | "while" | "whereas" | "although" | "though" | "because")
}

struct Matcher<'a, 'b> {
    inp: &'a Input<'b>,
    items: &'a Items,
    p: &'a Pattern,
    sentence_end: usize,
    /// The first and last items that are actors (a slot is filled by actors only).
    actors: (usize, usize),
}

/// The actors of a slot: a few at most.
type Members = smallvec::SmallVec<[usize; 4]>;

/// Coordinated groups at an item: (where the group ends or starts, its members), a few at most.
type Groups = smallvec::SmallVec<[(usize, Members); 2]>;

#[derive(Clone, Debug, Default)]
struct Bind {
    a: Members,
    b: Members,
    /// Item index range the match covers.
    lo: usize,
    hi: usize,
    /// Item positions of the slots.
    a_at: Option<usize>,
}

impl Bind {
    /// Puts `members` (found at item `at`) in the slot, and returns what the slot held. A match
    /// that fails leaves the binding as it found it, so giving that back undoes the try.
    fn fill(&mut self, slot: &Slot, members: Members, at: usize) -> (Members, Option<usize>) {
        match slot {
            Slot::A | Slot::Both => (std::mem::replace(&mut self.a, members), self.a_at.replace(at)),
            Slot::B => (std::mem::replace(&mut self.b, members), None),
            Slot::Context => (Members::new(), None),
        }
    }

    /// Undoes [`Bind::fill`].
    fn restore(&mut self, slot: &Slot, (members, at): (Members, Option<usize>)) {
        match slot {
            Slot::A | Slot::Both => (self.a, self.a_at) = (members, at),
            Slot::B => self.b = members,
            Slot::Context => {}
        }
    }
}

impl Matcher<'_, '_> {
    fn word(&self, i: usize) -> Option<&str> {
        match self.items.items.get(i)? {
            Item::Word(t) => Some(self.inp.tokens.tokens[*t].lower.as_str()),
            _ => None,
        }
    }

    /// Whether item `i` is a word with one of these flags (`COMMA`, `CONJ`, ...).
    #[inline]
    fn flagged(&self, i: usize, flags: u8) -> bool {
        self.items.flags.get(i).is_some_and(|f| f & flags != 0)
    }

    /// Whether item `i` may be skipped before element `e` (a verb element allows auxiliaries).
    fn skippable(&self, i: usize, e: Option<&Elem>) -> bool {
        match self.items.items.get(i) {
            Some(Item::Time(_)) => true,
            Some(Item::Word(_)) => {
                let f = self.items.flags[i];
                f & FILLER != 0 || (f & AUX != 0 && matches!(e, Some(Elem::Words { verb: true, .. })))
            }
            _ => false,
        }
    }

    /// Whether item `i` is one of the words with these numbers.
    fn is_word(&self, i: usize, ids: &[u32]) -> bool {
        self.items.ids.get(i).is_some_and(|id| *id != NO_WORD && ids.contains(id))
    }

    fn ent(&self, i: usize) -> Option<&crate::alias::Refs> {
        match self.items.items.get(i)? {
            Item::Ent { mention } => self.inp.res.refs.get(*mention),
            _ => None,
        }
    }

    /// Whether actors (already of the slot's kinds) fill a slot that starts at item `at`: some
    /// actor, two or more for a group slot (`{AB}`), the first of its clause for `{A^}`.
    fn fills(&self, slot: &Slot, members: &[usize], first: bool, at: usize) -> bool {
        let needed = if matches!(slot, Slot::Both) { 2 } else { 1 };
        members.len() >= needed && (!first || self.first_in_clause(at))
    }

    fn kinds_ok(&self, ents: &[usize], kinds: &[Kind]) -> Members {
        ents.iter().copied().filter(|&e| kinds.contains(&entity(self.inp, e).kind)).collect()
    }

    /// The kind of the (first) entity of item `i`.
    fn kind_at(&self, i: usize) -> Option<Kind> {
        self.ent(i).and_then(|e| e.first()).map(|&e| entity(self.inp, e).kind)
    }

    /// "Maduro's Minister of Interior Diosdado Cabello", "Ethiopia's ambassador, Muktar Mohamed
    /// Ware": an actor's person is the one meant.
    fn possessed(&self, i: usize) -> usize {
        let mut i = i;
        loop {
            if !self.flagged(i + 1, POSSESSIVE) {
                return i;
            }
            if self.ent(i + 2).is_some() && self.kind_at(i + 2) == Some(Kind::Person) {
                i += 2;
                continue;
            }
            // A role in apposition: "'s attorney general, Consuelo Porras".
            let mut j = i + 2;
            while j < i + 6 && self.word(j).is_some_and(|w| w.chars().all(|c| c.is_lowercase() || c == '-')) {
                j += 1;
            }
            if j > i + 2 && self.flagged(j, COMMA) && self.kind_at(j + 1) == Some(Kind::Person) {
                i = j + 1;
                continue;
            }
            return i;
        }
    }

    /// Coordinated groups starting at `i`, longest first: "Estonia, Latvia and Lithuania".
    fn groups_fwd(&self, i: usize) -> Groups {
        let mut out = Groups::new();
        let i = self.possessed(i);
        let Some(first) = self.ent(i) else { return out };
        let mut members: Members = first.iter().copied().collect();
        let mut end = i + 1;
        out.push((end, members.clone()));
        loop {
            let mut j = end;
            // "Estonia Latvia Lithuania": names of one kind side by side.
            if self.ent(j).is_some()
                && self.kind_at(j) == self.kind_at(end - 1)
                && self.kind_at(j) == Some(Kind::Country)
            {
                members.extend(self.ent(j).into_iter().flatten().copied());
                end = j + 1;
                out.push((end, members.clone()));
                continue;
            }
            let mut joined = false;
            if self.flagged(j, COMMA) {
                j += 1;
            }
            if self.flagged(j, CONJ) {
                j += 1;
                joined = true;
            } else if self.flagged(j, AS) && self.word(j + 1) == Some("well") && self.flagged(j + 2, AS) {
                j += 3;
                joined = true;
            }
            if j == end {
                break;
            }
            let j = self.possessed(j);
            let Some(next) = self.ent(j) else { break };
            members.extend(next.iter().copied());
            end = j + 1;
            out.push((end, members.clone()));
            if joined {
                break;
            }
        }
        out.reverse();
        out
    }

    /// Coordinated groups ending at `i` (inclusive), longest first.
    fn groups_bwd(&self, i: usize) -> Groups {
        let mut out = Groups::new();
        let Some(last) = self.ent(i) else { return out };
        let mut members: Members = last.iter().copied().collect();
        let mut start = i;
        out.push((start, members.clone()));
        let mut seen_and = false;
        loop {
            if start == 0 {
                break;
            }
            let mut j = start - 1;
            if self.ent(j).is_some() && self.kind_at(j) == self.kind_at(start) && self.kind_at(j) == Some(Kind::Country)
            {
                let mut m: Members = self.ent(j).into_iter().flatten().copied().collect();
                m.extend(members.iter().copied());
                members = m;
                start = j;
                out.push((start, members.clone()));
                continue;
            }
            let conj = self.flagged(j, CONJ);
            if conj {
                if seen_and || j == 0 {
                    break;
                }
                seen_and = true;
                j -= 1;
                if self.flagged(j, COMMA) && j > 0 {
                    j -= 1;
                }
            } else if self.flagged(j, COMMA) && seen_and && j > 0 {
                j -= 1;
            } else {
                break;
            }
            let Some(prev) = self.ent(j) else { break };
            let mut m: Members = prev.iter().copied().collect();
            m.extend(members.iter().copied());
            members = m;
            start = j;
            out.push((start, members.clone()));
        }
        out.reverse();
        out
    }

    /// Whether no actor stands between the start of the clause and item `i`.
    fn first_in_clause(&self, i: usize) -> bool {
        for j in (0..i).rev() {
            // (";" is a boundary word.)
            if self.flagged(j, BOUNDARY) {
                return true;
            }
            if let Some(Item::Ent { mention, .. }) = self.items.items.get(j)
                && self.inp.mentions[*mention].form != Form::Relative
            {
                return false;
            }
        }
        true
    }

    fn fwd(&self, e: usize, pos: usize, b: &mut Bind) -> bool {
        let elems = &self.p.elems;
        if e == elems.len() {
            b.hi = b.hi.max(pos);
            return true;
        }
        let mut p = pos;
        loop {
            if self.fwd_at(e, p, b) {
                return true;
            }
            if p < self.sentence_end && self.skippable(p, elems.get(e)) {
                p += 1;
            } else {
                return false;
            }
        }
    }

    fn fwd_at(&self, e: usize, p: usize, b: &mut Bind) -> bool {
        match &self.p.elems[e] {
            Elem::Words { ids, optional, .. } => {
                if self.is_word(p, ids) && self.fwd(e + 1, p + 1, b) {
                    return true;
                }
                *optional && self.fwd(e + 1, p, b)
            }
            Elem::Slot { slot, kinds, first } => {
                for &(end, ref members) in &self.groups_fwd(p) {
                    let members = self.kinds_ok(members, kinds);
                    if !self.fills(slot, &members, *first, p) {
                        continue;
                    }
                    let saved = b.fill(slot, members, p);
                    if self.fwd(e + 1, end, b) {
                        return true;
                    }
                    b.restore(slot, saved);
                }
                false
            }
            Elem::Gap { max } => {
                for k in 0..=*max {
                    if k > 0 {
                        let at = p + k - 1;
                        if at >= self.sentence_end || self.items.flags[at] & BOUNDARY != 0 {
                            return false;
                        }
                    }
                    if self.fwd(e + 1, p + k, b) {
                        return true;
                    }
                }
                false
            }
        }
    }

    /// Matches elements `..=e` right to left, the last ending just before item `pos`.
    fn bwd(&self, e: Option<usize>, pos: usize, b: &mut Bind) -> bool {
        let Some(e) = e else {
            b.lo = b.lo.min(pos);
            return true;
        };
        let next = self.p.elems.get(e + 1);
        let mut p = pos;
        loop {
            if p == 0 {
                return false;
            }
            if self.bwd_at(e, p - 1, b) {
                return true;
            }
            if self.skippable(p - 1, next) {
                p -= 1;
            } else {
                return false;
            }
        }
    }

    fn bwd_at(&self, e: usize, q: usize, b: &mut Bind) -> bool {
        let prev = e.checked_sub(1);
        match &self.p.elems[e] {
            Elem::Words { ids, optional, .. } => {
                if self.is_word(q, ids) && self.bwd(prev, q, b) {
                    return true;
                }
                *optional && self.bwd(prev, q + 1, b)
            }
            Elem::Slot { slot, kinds, first } => {
                let verb_after = matches!(self.p.elems.get(e + 1), Some(Elem::Words { verb: true, .. }));
                let mut ends: smallvec::SmallVec<[usize; 3]> = smallvec::smallvec![q];
                // "Biden, who met Arevalo in March, said": skip the parenthetical after the subject.
                if verb_after && self.flagged(q, COMMA) {
                    let lo = q.saturating_sub(16);
                    let mut opening = None;
                    for c in (lo..q).rev() {
                        if self.flagged(c, BOUNDARY) {
                            break;
                        }
                        if self.flagged(c, COMMA) {
                            opening = Some(c);
                            break;
                        }
                    }
                    // "X and his counterpart, Y, held talks": the name between the commas acts.
                    // "Bill Nelson, the administrator of NASA, travelled": a description between
                    // them (it starts with a word, not a name) describes the subject before it.
                    let describes = opening.is_some_and(|c| c + 1 < q && self.ent(c + 1).is_none());
                    if q > 0 && self.ent(q - 1).is_some() && !describes {
                        ends.push(q - 1);
                    }
                    if let Some(c) = opening.filter(|&c| c > 0 && self.ent(c - 1).is_some()) {
                        ends.push(c - 1);
                    }
                }
                for end in ends {
                    for &(start, ref members) in &self.groups_bwd(end) {
                        let members = self.kinds_ok(members, kinds);
                        if !self.fills(slot, &members, *first, start) {
                            continue;
                        }
                        let saved = b.fill(slot, members, start);
                        if self.bwd(prev, start, b) {
                            return true;
                        }
                        b.restore(slot, saved);
                    }
                }
                false
            }
            Elem::Gap { max } => {
                for k in 0..=*max {
                    if k > 0 {
                        if q + 1 < k {
                            return false;
                        }
                        let at = q + 1 - k;
                        if self.items.flags[at] & BOUNDARY != 0 {
                            return false;
                        }
                    }
                    if self.bwd(prev, q + 1 - k, b) {
                        return true;
                    }
                }
                false
            }
        }
    }

    /// Tries the pattern with its anchor at item `i`.
    fn at(&self, i: usize) -> Option<Bind> {
        let Elem::Words { ids, .. } = &self.p.elems[self.p.anchor] else { return None };
        if !self.is_word(i, ids) {
            return None;
        }
        // A slot before the trigger needs an actor before it, one after it an actor after it.
        let slot = |e: &Elem| matches!(e, Elem::Slot { .. });
        let (before, after) = self.p.elems.split_at(self.p.anchor);
        if (self.actors.0 >= i && before.iter().any(slot)) || (self.actors.1 <= i && after[1..].iter().any(slot)) {
            return None;
        }
        let mut b = Bind { lo: i, hi: i + 1, ..Bind::default() };
        if !self.bwd(self.p.anchor.checked_sub(1), i, &mut b) {
            return None;
        }
        if !self.fwd(self.p.anchor + 1, i + 1, &mut b) {
            return None;
        }
        Some(b)
    }
}

fn patterns(
    inp: &Input<'_>,
    si: usize,
    items: &Items,
    edges: &mut Vec<Edge>,
    mut fired: Option<&mut Vec<Fired>>,
    scratch: &mut Scratch,
) {
    let is_actor = |it: &Item| matches!(it, Item::Ent { .. });
    let (Some(first_actor), Some(last_actor)) =
        (items.items.iter().position(is_actor), items.items.iter().rposition(is_actor))
    else {
        return;
    };
    let set = &inp.rules.patterns;
    // Which required word lists of the patterns have a word in the sentence.
    let lists = &mut scratch.lists;
    lists.clear();
    lists.resize(set.sets.len(), false);
    for &id in &items.ids {
        for &k in set.sets_of_word.get(id as usize).map_or(&[][..], Vec::as_slice) {
            lists[k as usize] = true;
        }
    }
    // The patterns whose trigger word is in the sentence and whose required words are too,
    // with where, in file order.
    let tries = &mut scratch.tries;
    tries.clear();
    for (i, &id) in items.ids.iter().enumerate() {
        if let Some(ps) = set.by_anchor.get(id as usize) {
            // (pattern, item) as one number, which sorts as the pair.
            tries.extend(
                ps.iter()
                    .filter(|&&p| set.patterns[p].required_sets.iter().all(|&k| lists[k as usize]))
                    .map(|&p| (p as u64) << 32 | i as u64),
            );
        }
    }
    tries.sort_unstable();
    let question = items.spans.last().is_some_and(|s| inp.tokens.tokens[s.end - 1].lower == "?");
    // A trigger word gives one reading per relation type: the first pattern (in file order)
    // that makes an edge there wins, so specific patterns go first.
    let taken = &mut scratch.taken;
    taken.clear();
    for &t in tries.iter() {
        let (pi, i) = ((t >> 32) as usize, (t & u64::from(u32::MAX)) as usize);
        let p = &set.patterns[pi];
        let m = Matcher { inp, items, p, sentence_end: items.items.len(), actors: (first_actor, last_actor) };
        {
            if taken.contains(&(p.relation, i)) {
                continue;
            }
            let Some(mut b) = m.at(i) else { continue };
            // The excluded words count in the match and just before it ("a call for talks between").
            let excluded = !p.not.is_empty()
                && (b.lo.saturating_sub(3)..b.hi).any(|k| match items.items.get(k) {
                    Some(Item::Word(t)) => p.not.iter().any(|w| *w == inp.tokens.tokens[*t].lower),
                    _ => false,
                });
            let rejected = if question {
                Some("question")
            } else if excluded {
                Some("excluded word")
            } else {
                hedged(inp, items, &b, i, p)
            };
            if let Some(fired) = fired.as_deref_mut() {
                fired.push(Fired { sentence: si, rule: p.id.clone(), a: b.a.to_vec(), b: b.b.to_vec(), rejected });
            }
            if rejected.is_some() {
                continue;
            }
            taken.push((p.relation, i));
            if let Some(kind) = p.last
                && b.b.is_empty()
            {
                let before = items.spans[i].start;
                match last_named(inp, kind, before) {
                    Some(e) => b.b = smallvec::smallvec![e],
                    None => continue,
                }
            }
            if let Some(rel) = p.last_relation
                && b.b.is_empty()
            {
                // The actors of the last such edge of an earlier sentence.
                match edges.iter().rev().find(|e| e.relation == rel && e.sentence < si) {
                    Some(e) => b.b = smallvec::smallvec![e.source, e.target],
                    None => continue,
                }
            }
            let date = if p.undated || !p.relation.is_event() {
                None
            } else {
                date_near(inp, si, items, i, &b)
                    .or_else(|| news_date(inp, items, i))
                    .or_else(|| if past_tense(inp, items, i) { inp.narrative[si] } else { None })
            };
            // State instruments are acts of the state: "Blinken announced sanctions on X" is the
            // United States sanctioning X.
            if matches!(p.relation, RelationType::Sanctions | RelationType::ProvidesAidTo) {
                for a in &mut b.a {
                    let ent = entity(inp, *a);
                    if ent.kind == Kind::Person
                        && let Some(c) = ent.country
                        && let Some(ce) = inp.res.entities.iter().position(|x| x.gaz == Some(GazRef::Country(c)))
                    {
                        *a = ce;
                    }
                }
            }
            let mut edge = |s: usize, t: usize| {
                if s != t {
                    edges.push(Edge {
                        source: s,
                        target: t,
                        relation: p.relation,
                        date,
                        sentence: si,
                        rule: p.id.clone(),
                        cameo: p.cameo.clone(),
                        confidence: p.confidence,
                    });
                }
            };
            if b.b.is_empty() || p.all_pairs {
                // Every pair of the actors, in order.
                let all: Members = b.a.iter().chain(b.b.iter()).copied().collect();
                for (x, &s) in all.iter().enumerate() {
                    for &t in &all[x + 1..] {
                        edge(s, t);
                    }
                }
            } else {
                for &s in &b.a {
                    for &t in &b.b {
                        edge(s, t);
                    }
                }
            }
        }
    }
}

/// The last entity of a kind named before token `before`.
fn last_named(inp: &Input<'_>, kind: Kind, before: usize) -> Option<usize> {
    inp.mentions
        .iter()
        .enumerate()
        .filter(|(_, m)| m.toks.end <= before)
        .filter_map(|(mi, m)| inp.res.refs[mi].first().map(|&e| (m.toks.start, e)))
        .filter(|&(_, e)| entity(inp, e).kind == kind)
        .max_by_key(|&(t, _)| t)
        .map(|(_, e)| e)
}

/// Why a match states no fact: negation, a modal or infinitive, a condition.
fn hedged(inp: &Input<'_>, items: &Items, b: &Bind, anchor: usize, p: &Pattern) -> Option<&'static str> {
    let word = |i: usize| match items.items.get(i) {
        Some(Item::Word(t)) => Some(inp.tokens.tokens[*t].lower.as_str()),
        _ => None,
    };
    let rules = inp.rules;
    let from = b.a_at.map_or(b.lo, |a| a.min(anchor)).min(b.lo);
    for i in from..anchor {
        let Some(w) = word(i) else { continue };
        if rules.is(class::NEGATION, w) {
            return Some("negated");
        }
        if rules.is(class::MODAL, w) && !p.modal_ok {
            // "said the U.S. would provide": an announcement in reported speech.
            let instrument = matches!(p.relation, RelationType::Sanctions | RelationType::ProvidesAidTo);
            let reported = instrument
                && w == "would"
                && (i.saturating_sub(10)..i).any(|j| word(j).is_some_and(|x| rules.is(class::SPEECH, x)));
            if !reported {
                return Some("modal");
            }
        }
    }
    // "to meet", "going to visit": not (yet) a fact; "began to fire" is.
    let aspect = anchor >= 2 && word(anchor - 2).is_some_and(|w| rules.is(class::ASPECT, w));
    if anchor > 0 && word(anchor - 1) == Some("to") && !p.modal_ok && !aspect {
        let Elem::Words { verb, .. } = &p.elems[p.anchor] else { return None };
        let to_in_pattern = p.anchor > 0
            && matches!(p.elems.get(p.anchor - 1), Some(Elem::Words { words, .. }) if words.iter().any(|w| w == "to"));
        if *verb && !to_in_pattern {
            return Some("infinitive");
        }
    }
    // A condition in the clause: "if elected, X would meet Y" (not "whether X, which has fought
    // Y, would ...": the relative clause is a clause of its own).
    for i in b.lo.saturating_sub(3)..anchor {
        if word(i).is_some_and(|w| rules.is(class::CONDITIONAL, w)) {
            return Some("conditional");
        }
    }
    // "did not", "never" right after the anchor's auxiliary: "X has not met".
    if word(anchor + 1).is_some_and(|w| rules.is(class::NEGATION, w)) {
        return Some("negated");
    }
    None
}

/// Whether the trigger is a simple past ("met", "hosted") or a participle of one: a narrated
/// event, not background ("has long criticized" is caught as present perfect before).
fn past_tense(inp: &Input<'_>, items: &Items, anchor: usize) -> bool {
    // Past (form 2) or -ing (form 4) of some verb.
    let is_past = |w: &str| inp.rules.verbs.kind(w) & (1 << 2 | 1 << 4) != 0;
    let Some(Item::Word(t)) = items.items.get(anchor) else { return false };
    let w = inp.tokens.tokens[*t].lower.as_str();
    if inp.rules.verbs.kind(w) & crate::rules::Verbs::ANY_FORM != 0 {
        return is_past(w);
    }
    // A noun trigger ("a US-Kenya agreement"): the tense of the sentence's verbs.
    items.items.iter().any(|it| match it {
        Item::Word(t) => {
            let tok = &inp.tokens.tokens[*t];
            is_past(&tok.lower) || (tok.lower.len() > 4 && tok.lower.ends_with("ed") && tok.kind == TokKind::Word)
        }
        _ => false,
    })
}

/// The date of a match: the time expression nearest after the trigger ("met X on Monday",
/// "has accused Y since 2021"), else the nearest before it ("On Monday, X met Y"); one inside
/// the subject's relative clause ("X, which joined in 2004, has ...") dates that clause, not this.
fn date_near(inp: &Input<'_>, si: usize, items: &Items, anchor: usize, _b: &Bind) -> Option<PartialDate> {
    let date_at = |i: usize| match items.items.get(i) {
        Some(Item::Time(t)) => {
            let t = &inp.times[si][*t];
            if i < anchor { t.inner.or(t.date) } else { t.date }
        }
        _ => None,
    };
    if let Some(d) = (anchor + 1..items.items.len()).find_map(date_at) {
        return Some(d);
    }
    (0..anchor).rev().find_map(date_at)
}

/// The article date for an event the article reports as its own news: a trigger in the present
/// ("rejects", "is visiting") or the present perfect ("has welcomed").
fn news_date(inp: &Input<'_>, items: &Items, anchor: usize) -> Option<PartialDate> {
    let article = inp.article_date?;
    let word = |i: usize| match items.items.get(i) {
        Some(Item::Word(t)) => Some(inp.tokens.tokens[*t].lower.as_str()),
        _ => None,
    };
    let w = word(anchor)?;
    let present = inp.rules.verbs.kind(w) & crate::rules::Verbs::PRESENT_3SG != 0;
    let aux = (anchor.saturating_sub(3)..anchor).filter_map(word).any(|x| matches!(x, "has" | "have" | "is" | "are"));
    (present || aux).then(|| PartialDate::day(article))
}

/// Relations that names carry: roles from titles and qualifiers, bodies inside countries, places
/// inside countries the article names.
fn structural(inp: &Input<'_>, edges: &mut Vec<Edge>) {
    let rules = inp.rules;
    let res = inp.res;
    // An entity the article names (not only inside another name, not only by a demonym).
    let node = |e: usize| !res.entities[e].embedded_only && !res.entities[e].demonym_only;
    let mut push =
        |source: usize, target: usize, relation: RelationType, sentence: usize, rule: &str, confidence: f32| {
            if source != target {
                edges.push(Edge {
                    source,
                    target,
                    relation,
                    date: None,
                    sentence,
                    rule: rule.into(),
                    cameo: None,
                    confidence,
                });
            }
        };
    for (mi, m) in inp.mentions.iter().enumerate() {
        let Some(&e) = res.refs[mi].first() else { continue };
        let ent = &res.entities[e];
        // "Guatemalan President X", "Palestinian Authority President X", "Republican predecessor X".
        if let Some(q) = m.qualifier
            && let Some(&qe) = res.refs[q].first()
        {
            let qk = res.entities[qe].kind;
            match (ent.kind, qk) {
                (Kind::Person, Kind::Country | Kind::Organization) => {
                    push(e, qe, RelationType::AffiliatedWith, m.sentence, "qualifier", 0.9)
                }
                (Kind::Organization, Kind::Country | Kind::Organization)
                    if node(qe) || inp.mentions[q].form == Form::Demonym =>
                {
                    push(e, qe, RelationType::PartOf, m.sentence, "qualifier", 0.9)
                }
                (Kind::Location, Kind::Country) if !inp.mentions[q].embedded => {
                    push(e, qe, RelationType::LocatedIn, m.sentence, "qualifier", 0.9)
                }
                _ => {}
            }
        }
        // A title that only one country has: "Secretary of State X".
        if ent.kind == Kind::Person
            && m.qualifier.is_none()
            && let Some(t) = m.title
        {
            let country = rules.titles[t].country.or_else(|| match ent.gaz {
                Some(GazRef::Person(p)) => rules.people[p].country,
                _ => None,
            });
            if let Some(c) = country
                && let Some(ce) = res.entities.iter().position(|x| x.gaz == Some(GazRef::Country(c)))
                && node(ce)
            {
                push(e, ce, RelationType::AffiliatedWith, m.sentence, "title", 0.7);
            }
        }
    }
    // What the gazetteers know, where the article names both sides (stated in the sentence of
    // the first mention that stands for the entity).
    let mut first_sentences: Vec<Option<usize>> = vec![None; res.entities.len()];
    for (mi, m) in inp.mentions.iter().enumerate() {
        for &e in &res.refs[mi] {
            first_sentences[e].get_or_insert(m.sentence);
        }
    }
    for (e, ent) in res.entities.iter().enumerate() {
        if ent.embedded_only {
            continue;
        }
        let first_sentence = first_sentences[e].unwrap_or(0);
        let find =
            |r: GazRef| res.entities.iter().position(|x| x.gaz == Some(r) && !x.embedded_only && !x.demonym_only);
        match ent.gaz {
            Some(GazRef::Place(p)) => {
                if let Some(c) = rules.places[p].country
                    && let Some(ce) = find(GazRef::Country(c))
                {
                    push(e, ce, RelationType::LocatedIn, first_sentence, "gazetteer", 0.6);
                }
            }
            Some(GazRef::Org(o))
                if matches!(rules.orgs[o].kind.as_str(), "igo" | "agency" | "legislature" | "court" | "military") =>
            {
                let parent = match rules.orgs[o].parent {
                    Some(Parent::Country(c)) => find(GazRef::Country(c)),
                    Some(Parent::Org(p)) => find(GazRef::Org(p)),
                    None => None,
                };
                if let Some(pe) = parent {
                    push(e, pe, RelationType::PartOf, first_sentence, "gazetteer", 0.6);
                }
            }
            _ => {}
        }
    }
    let _ = Target::Unresolved;
    let _ = TokKind::Word;
}
