//! Queries over the graph: who met whom, an actor's neighbours, the shortest chain of relations
//! between two actors, filtered edges and the most connected actors. Names resolve through
//! labels and aliases, diacritics and case aside.
//!
//! ```
//! use actorgraph::{extract, ActorGraph, Article, Rules};
//! use actorgraph::query::{DateRange, Lookup};
//!
//! let rules = Rules::builtin();
//! let mut graph = ActorGraph::new();
//! graph.merge(extract(&rules, &Article::new("a", "Kenyan President William Ruto hosted Antony Blinken on Monday.")
//!     .with_date(jiff::civil::date(2024, 3, 20))));
//! let Lookup::Found(ruto) = graph.lookup("ruto") else { panic!("Ruto is in the graph") };
//! let meetings = graph.meetings(Some(ruto), &DateRange::default());
//! assert_eq!(meetings[0].other.label, "Antony Blinken");
//! assert_eq!(meetings[0].date.map(|d| d.to_string()).as_deref(), Some("2024-03-18"));
//! ```

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use petgraph::Direction as PgDirection;
use petgraph::stable_graph::{EdgeIndex, NodeIndex};
use petgraph::visit::{EdgeRef, IntoEdgeReferences};
use serde::Serialize;

use crate::alias::fold;
use crate::graph::{ActorGraph, EdgeData, Node};
use crate::model::{Evidence, Kind, PartialDate, RelationType};

/// What a name found in the graph.
#[derive(Clone, Debug, PartialEq)]
pub enum Lookup {
    Found(NodeIndex),
    /// Several actors answer to the name: their nodes, sorted by id.
    Ambiguous(Vec<NodeIndex>),
    NotFound,
}

/// An inclusive date range; either end may be open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DateRange {
    pub since: Option<PartialDate>,
    pub until: Option<PartialDate>,
}

impl DateRange {
    pub fn is_open(&self) -> bool {
        self.since.is_none() && self.until.is_none()
    }

    /// Whether an edge date falls in the range (any overlap); undated edges only match an open
    /// range.
    pub fn contains(&self, date: Option<PartialDate>) -> bool {
        if self.is_open() {
            return true;
        }
        let Some(d) = date else { return false };
        let (first, last) = span(d);
        self.since.is_none_or(|s| last >= span(s).0) && self.until.is_none_or(|u| first <= span(u).1)
    }
}

/// The first and last day a partial date covers, as comparable (year, month, day).
fn span(d: PartialDate) -> ((i16, i8, i8), (i16, i8, i8)) {
    let first = (d.year, d.month.unwrap_or(1), d.day.unwrap_or(1));
    let last = (d.year, d.month.unwrap_or(12), d.day.unwrap_or(31));
    (first, last)
}

/// A node as queries report it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Actor {
    pub id: String,
    pub label: String,
    pub kind: Kind,
}

impl Actor {
    fn of(n: &Node) -> Actor {
        Actor { id: n.id.clone(), label: n.label.clone(), kind: n.kind }
    }
}

/// One meeting: who met whom, when, where, and the sentences that say so.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Meeting {
    /// The actor asked about (or the first of the pair, by id).
    pub actor: Actor,
    pub other: Actor,
    pub date: Option<PartialDate>,
    /// Places the evidence names for the meeting.
    pub places: Vec<String>,
    pub evidence: Vec<Evidence>,
}

/// Which edges of a node to follow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Direction {
    In,
    Out,
    #[default]
    Both,
}

/// An edge seen from one of its ends.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Neighbor {
    pub relation: RelationType,
    /// `out` when the actor asked about is the source, `in` when it is the target, `both` for
    /// symmetric relations.
    pub direction: &'static str,
    pub other: Actor,
    pub date: Option<PartialDate>,
    pub evidence: Vec<Evidence>,
}

/// One edge of the graph with both ends.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EdgeView {
    pub source: Actor,
    pub relation: RelationType,
    pub target: Actor,
    pub date: Option<PartialDate>,
    pub count: usize,
    pub evidence: Vec<Evidence>,
}

/// Filters for [`ActorGraph::edges_where`].
#[derive(Clone, Debug, Default)]
pub struct EdgeFilter {
    /// Relation types to keep; empty keeps all.
    pub relations: Vec<RelationType>,
    /// Kinds of which at least one end must be; empty keeps all.
    pub kinds: Vec<Kind>,
    pub dates: DateRange,
    pub min_evidence: usize,
}

/// How to rank actors.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Ranking {
    /// By the number of edges.
    #[default]
    Degree,
    /// By the number of evidence sentences.
    Evidence,
}

/// An actor with its connections.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ActorRank {
    pub actor: Actor,
    pub degree: usize,
    pub evidence: usize,
    pub documents: usize,
}

/// Normalises a name for lookup: diacritics folded, lowercase, punctuation out, a leading "the".
pub fn normalize(s: &str) -> String {
    let folded = fold(s).to_lowercase().replace(['.', '\''], "");
    let words: Vec<&str> = folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let words = match words.first() {
        Some(&"the") => &words[1..],
        _ => &words[..],
    };
    words.join(" ")
}

impl ActorGraph {
    /// The node answering to a name: a label, else an alias, else every word of the name in the
    /// label. A country wins over a place of the same name ("Washington").
    pub fn lookup(&self, name: &str) -> Lookup {
        let q = normalize(name);
        if q.is_empty() {
            return Lookup::NotFound;
        }
        let mut nodes: Vec<NodeIndex> = self.graph.node_indices().collect();
        nodes.sort_by(|a, b| self.graph[*a].id.cmp(&self.graph[*b].id));
        let by = |f: &dyn Fn(&Node) -> bool| -> Vec<NodeIndex> {
            nodes.iter().copied().filter(|&i| f(&self.graph[i])).collect()
        };
        if let Some(&i) = nodes.iter().find(|&&i| self.graph[i].id == name) {
            return Lookup::Found(i);
        }
        // Labels and aliases together: "Washington" is the government's alias as well as the
        // city's label, and the actor is meant.
        let mut cands = by(&|n| normalize(&n.label) == q || n.aliases.iter().any(|a| normalize(a) == q));
        if cands.is_empty() {
            let words: BTreeSet<&str> = q.split(' ').collect();
            cands = by(&|n| {
                let label = normalize(&n.label);
                let lw: BTreeSet<&str> = label.split(' ').collect();
                words.is_subset(&lw)
            });
        }
        if cands.len() > 1 {
            let actors: Vec<NodeIndex> =
                cands.iter().copied().filter(|&i| self.graph[i].kind != Kind::Location).collect();
            if actors.len() == 1 {
                cands = actors;
            }
        }
        match cands.len() {
            0 => Lookup::NotFound,
            1 => Lookup::Found(cands[0]),
            _ => Lookup::Ambiguous(cands),
        }
    }

    /// The node at an index.
    pub fn node_at(&self, i: NodeIndex) -> &Node {
        &self.graph[i]
    }

    /// Who met whom: every `met_with` edge of `who` (or of everyone), in the date range, sorted
    /// by date then name.
    pub fn meetings(&self, who: Option<NodeIndex>, dates: &DateRange) -> Vec<Meeting> {
        let mut out = Vec::new();
        for e in self.graph.edge_references() {
            let d = e.weight();
            if d.relation != RelationType::MetWith || !dates.contains(d.date) {
                continue;
            }
            let (a, b) = (e.source(), e.target());
            let (me, other) = match who {
                Some(w) if w == a => (a, b),
                Some(w) if w == b => (b, a),
                Some(_) => continue,
                None => (a, b),
            };
            out.push(Meeting {
                actor: Actor::of(&self.graph[me]),
                other: Actor::of(&self.graph[other]),
                date: d.date,
                places: self.places_of(me, other, d),
                evidence: self.evidence(d),
            });
        }
        out.sort_by(|x, y| {
            (x.date.is_none(), x.date, &x.actor.id, &x.other.id).cmp(&(
                y.date.is_none(),
                y.date,
                &y.actor.id,
                &y.other.id,
            ))
        });
        out
    }

    /// Where a meeting took place: places the participants `visited` in the same sentence, or
    /// places named in the evidence.
    fn places_of(&self, a: NodeIndex, b: NodeIndex, meeting: &EdgeData) -> Vec<String> {
        let sentences: BTreeSet<(u32, u32)> = meeting.evidence.iter().map(|e| (e.document, e.start)).collect();
        let mut places = BTreeSet::new();
        for who in [a, b] {
            for e in self.graph.edges_directed(who, PgDirection::Outgoing) {
                if e.weight().relation == RelationType::Visited
                    && e.weight().evidence.iter().any(|ev| sentences.contains(&(ev.document, ev.start)))
                {
                    places.insert(self.graph[e.target()].label.clone());
                }
            }
        }
        if places.is_empty() {
            let evidence = self.evidence(meeting);
            for i in self.graph.node_indices() {
                let n = &self.graph[i];
                if n.kind != Kind::Location {
                    continue;
                }
                // Named as where it happened: "in X", "at the X", or the dateline.
                let named = evidence.iter().any(|ev| {
                    n.aliases.iter().chain(std::iter::once(&n.label)).any(|a| {
                        ev.sentence.match_indices(a.as_str()).any(|(at, _)| {
                            let before = &ev.sentence[..at];
                            let after = ev.sentence[at + a.len()..].chars().next();
                            let whole = !before.chars().next_back().is_some_and(char::is_alphanumeric)
                                && !after.is_some_and(char::is_alphanumeric);
                            let lead = before.trim_end().to_lowercase();
                            let venue = lead.ends_with(" in")
                                || lead.ends_with(" at")
                                || lead.ends_with(" at the")
                                || lead.ends_with(" in the")
                                || (at == 0 && ev.start == 0);
                            whole && venue
                        })
                    })
                });
                if named {
                    places.insert(n.label.clone());
                }
            }
        }
        places.into_iter().collect()
    }

    /// The edges of a node, filtered by relation type and direction, sorted.
    pub fn neighbors(&self, who: NodeIndex, relations: &[RelationType], direction: Direction) -> Vec<Neighbor> {
        let mut out = Vec::new();
        let mut add = |e: petgraph::stable_graph::EdgeReference<'_, EdgeData>, outgoing: bool| {
            let d = e.weight();
            if !relations.is_empty() && !relations.contains(&d.relation) {
                return;
            }
            let other = if outgoing { e.target() } else { e.source() };
            let dir = if d.relation.is_symmetric() {
                "both"
            } else if outgoing {
                "out"
            } else {
                "in"
            };
            out.push(Neighbor {
                relation: d.relation,
                direction: dir,
                other: Actor::of(&self.graph[other]),
                date: d.date,
                evidence: self.evidence(d),
            });
        };
        for e in self.graph.edges_directed(who, PgDirection::Outgoing) {
            if direction != Direction::In || e.weight().relation.is_symmetric() {
                add(e, true);
            }
        }
        for e in self.graph.edges_directed(who, PgDirection::Incoming) {
            if direction != Direction::Out || e.weight().relation.is_symmetric() {
                add(e, false);
            }
        }
        out.sort_by(|x, y| (x.relation, &x.other.id, x.date).cmp(&(y.relation, &y.other.id, y.date)));
        out
    }

    /// The shortest chain of relations from `a` to `b`, following edges in either direction
    /// (breadth-first, neighbours in id order, so the answer is deterministic).
    pub fn path(&self, a: NodeIndex, b: NodeIndex, relations: &[RelationType]) -> Option<Vec<EdgeView>> {
        let mut prev: HashMap<NodeIndex, (NodeIndex, EdgeIndex)> = HashMap::new();
        let mut queue = VecDeque::from([a]);
        let mut seen = BTreeSet::from([a]);
        while let Some(n) = queue.pop_front() {
            if n == b {
                break;
            }
            let mut next: Vec<(&str, EdgeIndex, NodeIndex)> = Vec::new();
            for dir in [PgDirection::Outgoing, PgDirection::Incoming] {
                for e in self.graph.edges_directed(n, dir) {
                    if !relations.is_empty() && !relations.contains(&e.weight().relation) {
                        continue;
                    }
                    let other = if dir == PgDirection::Outgoing { e.target() } else { e.source() };
                    next.push((self.graph[other].id.as_str(), e.id(), other));
                }
            }
            next.sort_by(|x, y| (x.0, self.edge_sort_key(x.1)).cmp(&(y.0, self.edge_sort_key(y.1))));
            for (_, e, other) in next {
                if seen.insert(other) {
                    prev.insert(other, (n, e));
                    queue.push_back(other);
                }
            }
        }
        if a != b && !prev.contains_key(&b) {
            return None;
        }
        let mut hops = Vec::new();
        let mut at = b;
        while at != a {
            let (p, e) = prev[&at];
            let mut hop = self.edge_view(e);
            // A symmetric relation reads in the direction of travel.
            if hop.relation.is_symmetric() && hop.source.id != self.graph[p].id {
                std::mem::swap(&mut hop.source, &mut hop.target);
            }
            hops.push(hop);
            at = p;
        }
        hops.reverse();
        Some(hops)
    }

    fn edge_sort_key(&self, e: EdgeIndex) -> (RelationType, Option<PartialDate>) {
        let d = &self.graph[e];
        (d.relation, d.date)
    }

    fn edge_view(&self, e: EdgeIndex) -> EdgeView {
        let (s, t) = self.graph.edge_endpoints(e).unwrap_or_default();
        let d = &self.graph[e];
        EdgeView {
            source: Actor::of(&self.graph[s]),
            relation: d.relation,
            target: Actor::of(&self.graph[t]),
            date: d.date,
            count: d.count as usize,
            evidence: self.evidence(d),
        }
    }

    /// Edges matching a filter, sorted by date then source, relation, target.
    pub fn edges_where(&self, f: &EdgeFilter) -> Vec<EdgeView> {
        let mut out: Vec<EdgeView> = self
            .graph
            .edge_indices()
            .filter(|&e| {
                let d = &self.graph[e];
                let (s, t) = self.graph.edge_endpoints(e).unwrap_or_default();
                (f.relations.is_empty() || f.relations.contains(&d.relation))
                    && (f.kinds.is_empty()
                        || f.kinds.contains(&self.graph[s].kind)
                        || f.kinds.contains(&self.graph[t].kind))
                    && f.dates.contains(d.date)
                    && d.count as usize >= f.min_evidence
            })
            .map(|e| self.edge_view(e))
            .collect();
        out.sort_by(|x, y| {
            (x.date.is_none(), x.date, &x.source.id, x.relation, &x.target.id).cmp(&(
                y.date.is_none(),
                y.date,
                &y.source.id,
                y.relation,
                &y.target.id,
            ))
        });
        out
    }

    /// The most connected actors (of a kind), by degree or by evidence.
    pub fn actors(&self, kind: Option<Kind>, by: Ranking, top: usize) -> Vec<ActorRank> {
        let mut ranks: Vec<ActorRank> = self
            .graph
            .node_indices()
            .filter(|&i| kind.is_none_or(|k| self.graph[i].kind == k))
            .map(|i| {
                let edges: Vec<&EdgeData> = self
                    .graph
                    .edges_directed(i, PgDirection::Outgoing)
                    .map(|e| e.weight())
                    .chain(self.graph.edges_directed(i, PgDirection::Incoming).map(|e| e.weight()))
                    .collect();
                ActorRank {
                    actor: Actor::of(&self.graph[i]),
                    degree: edges.len(),
                    evidence: edges.iter().map(|e| e.count as usize).sum(),
                    documents: self.graph[i].documents.len(),
                }
            })
            .collect();
        ranks.sort_by(|x, y| {
            let key = |r: &ActorRank| match by {
                Ranking::Degree => (r.degree, r.evidence),
                Ranking::Evidence => (r.evidence, r.degree),
            };
            key(y).cmp(&key(x)).then_with(|| x.actor.id.cmp(&y.actor.id))
        });
        ranks.truncate(top);
        ranks
    }

    /// Folds people named by surname alone in some articles into the one person of the graph
    /// with that surname and a full name ("Blinken" into "Antony Blinken"). Two people who
    /// share the surname stay apart, and the surname-only node stays too (it is ambiguous).
    pub fn link_people(&mut self) {
        let people: Vec<NodeIndex> =
            self.graph.node_indices().filter(|&i| self.graph[i].kind == Kind::Person).collect();
        let words = |n: &Node| crate::alias::person_words(&n.label);
        let mut full: BTreeMap<smol_str::SmolStr, Vec<NodeIndex>> = BTreeMap::new();
        for &i in &people {
            let w = words(&self.graph[i]);
            if w.len() >= 2 {
                full.entry(w[w.len() - 1].clone()).or_default().push(i);
            }
        }
        // What a person is affiliated with, for telling two of the same surname apart.
        let affiliations = |i: NodeIndex| -> BTreeSet<NodeIndex> {
            self.graph
                .edges_directed(i, PgDirection::Outgoing)
                .filter(|e| e.weight().relation == RelationType::AffiliatedWith)
                .map(|e| e.target())
                .collect()
        };
        let mut merges: Vec<(NodeIndex, NodeIndex)> = Vec::new();
        for &i in &people {
            let w = words(&self.graph[i]);
            if w.len() != 1 {
                continue;
            }
            let Some(c) = full.get(&w[0]) else { continue };
            let mine = affiliations(i);
            // One candidate whose affiliations do not contradict, or several of which only one
            // shares an affiliation ("Brazilian Finance Minister Souza" is Carla Souza).
            let sharing: Vec<NodeIndex> = c.iter().copied().filter(|&x| !mine.is_disjoint(&affiliations(x))).collect();
            let pick = match (c.as_slice(), sharing.as_slice()) {
                ([one], _) if mine.is_empty() || affiliations(*one).is_empty() || !sharing.is_empty() => Some(*one),
                (_, [one]) => Some(*one),
                _ => None,
            };
            if let Some(p) = pick {
                merges.push((i, p));
            }
        }
        merges.sort_by(|a, b| self.graph[a.0].id.cmp(&self.graph[b.0].id));
        for (from, into) in merges {
            self.absorb(from, into);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pd(s: &str) -> PartialDate {
        s.parse().expect("date")
    }

    #[test]
    fn date_ranges_overlap() {
        let r = DateRange { since: Some(pd("2024-03")), until: Some(pd("2024-03-31")) };
        assert!(r.contains(Some(pd("2024-03-05"))));
        assert!(r.contains(Some(pd("2024"))));
        assert!(!r.contains(Some(pd("2024-04-01"))));
        assert!(!r.contains(None));
        assert!(DateRange::default().contains(None));
    }

    #[test]
    fn names_normalize() {
        assert_eq!(normalize("Bernardo Arévalo"), "bernardo arevalo");
        assert_eq!(normalize("the U.S."), "us");
        assert_eq!(normalize("O'Neill"), "oneill");
    }
}
