//! The graph: documents merged into one petgraph graph with stable, readable node ids. The same
//! actor from two articles is one node; the same relation on the same date is one edge whose
//! evidence grows.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use rustc_hash::FxHashMap as HashMap;

use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};
use petgraph::visit::{EdgeRef, NodeIndexable};
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;
use smol_str::SmolStr;

use crate::evidence::{Interner, RuleSet, RuleSets, SentenceId, SentenceStore, StoredEvidence, Sym};
use crate::model::{Document, Evidence, Kind, PartialDate, RelationType};

/// An actor of the graph.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub id: String,
    pub label: String,
    pub kind: Kind,
    pub aliases: BTreeSet<String>,
    pub mentions: usize,
    /// The documents that name it, ascending: indexes into the graph's document table
    /// ([`ActorGraph::document_id`], [`ActorGraph::node_documents`] for the ids). An actor of a
    /// million articles costs four bytes per article here.
    pub documents: Vec<DocIndex>,
}

/// Inserts evidence at its sorted place `at`, keeping at most `cap`. Lists grow one at a time:
/// a corpus makes millions of short lists, and none should have room to spare.
fn insert_evidence(list: &mut SmallVec<[StoredEvidence; 1]>, at: usize, ev: StoredEvidence, cap: Option<usize>) {
    if cap.is_some_and(|cap| at >= cap) {
        return;
    }
    match cap {
        // Full: the last one makes room (it sorts after the new one).
        Some(cap) if list.len() >= cap => list.truncate(cap.saturating_sub(1)),
        _ => list.reserve_exact(1),
    }
    list.insert(at.min(list.len()), ev);
}

/// `name` interned, the `last` name interned remembered (and asked first).
fn intern_last<'d>(last: &mut Option<(&'d str, Sym)>, symbols: &mut Interner, name: &'d str) -> Sym {
    match *last {
        Some((n, sym)) if n == name => sym,
        _ => {
            let sym = symbols.intern(name);
            *last = Some((name, sym));
            sym
        }
    }
}

/// Why [`ActorGraph::insert_edge`] refused an edge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InsertEdge {
    /// An end is not a node of the graph.
    NoNode,
    /// The graph has an edge with the same ends, relation and date.
    Twice,
}

/// A document's number in one graph, in the order documents were added.
pub type DocIndex = u32;

/// Adds `i` to an ascending list of document indexes (an append, unless a document is added
/// twice or shards interleave).
fn add_document(list: &mut Vec<DocIndex>, i: DocIndex) {
    match list.last() {
        None => list.push(i),
        Some(&last) if last < i => list.push(i),
        _ => {
            if let Err(at) = list.binary_search(&i) {
                list.insert(at, i);
            }
        }
    }
}

/// A relation between two actors on one date, with every sentence that states it. Names are
/// the graph's ([`ActorGraph::evidence`], [`ActorGraph::rules`], [`ActorGraph::cameo`] read them).
#[derive(Clone, Debug, PartialEq)]
pub struct EdgeData {
    pub relation: RelationType,
    pub date: Option<PartialDate>,
    /// Sorted by document id and place in the document; most edges have one, held inline.
    pub evidence: SmallVec<[StoredEvidence; 1]>,
    /// How many sentences state it (evidence may be capped; the count is not).
    pub count: u32,
    /// The rules that made it (see [`ActorGraph::rules`]).
    pub rules: RuleSet,
    pub cameo: Option<Sym>,
    pub confidence: f32,
}

impl EdgeData {
    /// Moves the data out, leaving an edge with no evidence, rules or count.
    fn take(&mut self) -> EdgeData {
        EdgeData {
            relation: self.relation,
            date: self.date,
            evidence: std::mem::take(&mut self.evidence),
            count: std::mem::take(&mut self.count),
            rules: std::mem::take(&mut self.rules),
            cameo: self.cameo.take(),
            confidence: self.confidence,
        }
    }
}

/// What the graph keeps of each document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocInfo {
    pub id: SmolStr,
    pub date: Option<PartialDate>,
    pub title: Option<String>,
}

type EdgeKey = (NodeIndex, NodeIndex, RelationType, Option<PartialDate>);

/// An edge key and the edge it found, if any.
type KeyFound = (EdgeKey, Option<EdgeIndex>);

/// An id's first eight bytes as a number (zeros past its end): numbers in the order of the ids,
/// equal only for ids that share those bytes.
fn id_prefix(id: &str) -> u64 {
    let mut p = [0u8; 8];
    let n = id.len().min(8);
    p[..n].copy_from_slice(&id.as_bytes()[..n]);
    u64::from_be_bytes(p)
}

/// The order of evidence in an edge: by document id, then place in the document. `keys` are the
/// documents' [`id_prefix`]es: most comparisons end there, without reading the documents.
fn evidence_order(docs: &[DocInfo], keys: &[u64], a: &StoredEvidence, b: &StoredEvidence) -> Ordering {
    if a.document == b.document {
        return (a.start, a.end).cmp(&(b.start, b.end));
    }
    let key = |d: DocIndex| keys.get(d as usize).copied().unwrap_or(0);
    let id = |d: DocIndex| docs.get(d as usize).map_or("", |d| d.id.as_str());
    key(a.document)
        .cmp(&key(b.document))
        .then_with(|| id(a.document).cmp(id(b.document)))
        .then((a.start, a.end).cmp(&(b.start, b.end)))
}

fn edge_key_of(g: &StableDiGraph<Node, EdgeData>, ei: EdgeIndex) -> Option<EdgeKey> {
    let (s, t) = g.edge_endpoints(ei)?;
    let e = g.edge_weight(ei)?;
    Some((s, t, e.relation, e.date))
}

fn hash_key(key: &EdgeKey) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(key)
}

/// The hash of an edge of `g` by its key (what the edge table asks when it grows).
fn edge_hasher(g: &StableDiGraph<Node, EdgeData>) -> impl Fn(&EdgeIndex) -> u64 + '_ {
    move |&e| edge_key_of(g, e).map_or(0, |k| hash_key(&k))
}

pub(crate) fn span_u32(n: usize) -> u32 {
    // Articles are limited far below 4 GB; a larger offset saturates rather than wraps.
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Where each edge's data lies in memory, worked out from two edges, so that an edge can be
/// asked for ahead of its turn without reading any of it (asking the graph for an edge's data
/// reads whether it has any, and so waits for memory: a tenth of a large graph's export went
/// there). An address only: a wrong one costs a useless prefetch, nothing else.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct EdgePlaces {
    base: usize,
    stride: usize,
}

impl EdgePlaces {
    /// Asks the processor for edge `ei`'s data.
    #[inline(always)]
    pub(crate) fn prefetch(&self, ei: EdgeIndex) {
        if self.stride != 0 {
            let at = self.base.wrapping_add(ei.index().wrapping_mul(self.stride));
            crate::prefetch_at(std::ptr::without_provenance(at));
        }
    }
}

/// The actor graph.
#[derive(Debug, Default)]
pub struct ActorGraph {
    pub graph: StableDiGraph<Node, EdgeData>,
    nodes: HashMap<String, NodeIndex>,
    /// Each edge by its ends, relation and date: the table holds edge indexes only, the key is
    /// read from the graph (four bytes per edge, not twenty-four).
    edges: hashbrown::HashTable<EdgeIndex>,
    /// Documents by [`DocIndex`], and a table finding the index of an id (the id held once).
    docs: Vec<DocInfo>,
    /// Each document's [`id_prefix`], by [`DocIndex`]: evidence is kept in document id order,
    /// and comparing these (eight bytes a document, mostly in the cache) settles most of it.
    doc_keys: Vec<u64>,
    doc_table: hashbrown::HashTable<DocIndex>,
    /// The text of the evidence sentences (in memory unless the graph is given a spill file).
    pub sentences: SentenceStore,
    symbols: Interner,
    rule_sets: RuleSets,
    /// The most evidence sentences kept per edge (`None`: all).
    pub evidence_cap: Option<usize>,
    /// Whether `edges` was let go of ([`ActorGraph::release_edge_index`]): made again before
    /// an edge is looked up.
    edges_released: bool,
    /// Whether an id in `nodes` leads to a node of another id (an actor [`ActorGraph::absorb`]ed
    /// into another): until then a node's id is the id it was found by.
    redirected: bool,
}

fn hash_id(id: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(id)
}

impl ActorGraph {
    pub fn new() -> ActorGraph {
        ActorGraph::default()
    }

    /// An empty graph whose evidence sentences go to `store` (see [`SentenceStore::spill`]).
    pub fn with_sentences(store: SentenceStore) -> ActorGraph {
        ActorGraph { sentences: store, ..ActorGraph::default() }
    }

    /// Makes room for about `edges` edges and `documents` documents at once, and for
    /// `sentence_bytes` of evidence text (what the sentence store keeps in memory). The lists then
    /// never grow by copying themselves whole, which for a graph of millions of edges holds
    /// the old and the new copy in memory together; room that is never used is address space,
    /// not memory. (The hash tables are not reserved: they are filled all over, so their room
    /// would be memory, up to twice what the graph needs (measured: 40 MB more at 1 GB); they
    /// hold four bytes an entry and grow in a few steps.)
    pub fn reserve(&mut self, edges: usize, documents: usize, sentence_bytes: usize) {
        self.ensure_edge_index();
        self.graph.reserve_edges(edges);
        // The index too: growing it rehashes every edge, reading each one's key from the graph.
        let g = &self.graph;
        self.edges.reserve(edges, edge_hasher(g));
        self.docs.reserve(documents);
        self.doc_keys.reserve(documents);
        self.sentences.reserve(edges, sentence_bytes);
    }

    /// The node with this id.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.get(id).map(|&i| &self.graph[i])
    }

    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    fn find_document(&self, id: &str) -> Option<DocIndex> {
        self.doc_table.find(hash_id(id), |&i| self.docs[i as usize].id == id).copied()
    }

    /// The index of a document id, given one (with no date or title) if it has none yet.
    pub fn document_index(&mut self, id: &str) -> DocIndex {
        match self.find_document(id) {
            Some(i) => i,
            None => self.add_document(DocInfo { id: id.into(), date: None, title: None }),
        }
    }

    /// Adds a document, or replaces what the graph knows of it (its date and title); its index.
    pub fn add_document(&mut self, info: DocInfo) -> DocIndex {
        if let Some(i) = self.find_document(&info.id) {
            self.docs[i as usize] = info;
            return i;
        }
        // More than four billion documents cannot be held in memory anyway; saturate.
        let i = DocIndex::try_from(self.docs.len()).unwrap_or(DocIndex::MAX);
        let docs = &self.docs;
        self.doc_table.insert_unique(hash_id(&info.id), i, |&j| hash_id(&docs[j as usize].id));
        self.doc_keys.push(id_prefix(&info.id));
        self.docs.push(info);
        i
    }

    /// Where the edges' data lie (see [`EdgePlaces`]).
    pub(crate) fn edge_places(&self) -> EdgePlaces {
        let mut indices = self.graph.edge_indices();
        let (Some(a), Some(b)) = (indices.next(), indices.next()) else { return EdgePlaces::default() };
        let at = |e: EdgeIndex| self.graph.edge_weight(e).map(|w| (w as *const EdgeData).addr());
        let (Some(pa), Some(pb)) = (at(a), at(b)) else { return EdgePlaces::default() };
        let (ia, ib) = (a.index(), b.index());
        if pb <= pa || ib <= ia || (pb - pa) % (ib - ia) != 0 {
            return EdgePlaces::default();
        }
        let stride = (pb - pa) / (ib - ia);
        EdgePlaces { base: pa.wrapping_sub(ia.wrapping_mul(stride)), stride }
    }

    /// Asks the processor to bring an edge's evidence (its documents, where its sentences are)
    /// into its cache, ahead of writing it out.
    pub(crate) fn prefetch_evidence(&self, e: &EdgeData) {
        for ev in e.evidence.iter().take(2) {
            if let Some(d) = self.docs.get(ev.document as usize) {
                crate::prefetch(d);
            }
            self.sentences.prefetch(ev.sentence);
        }
    }

    /// Asks the processor to bring an edge's evidence sentences, where in memory, into its
    /// cache (best after [`ActorGraph::prefetch_evidence`]).
    pub(crate) fn prefetch_sentences(&self, e: &EdgeData) {
        for ev in e.evidence.iter().take(2) {
            self.sentences.prefetch_text(ev.sentence);
        }
    }

    /// Plans reading back the evidence sentences of `edges`, in that order, a window of edges
    /// at a time (see [`crate::evidence::Staging`]; `None` when the sentences are at hand
    /// anyway): for writing out a graph whose sentences are in a large spill file.
    pub fn stage_evidence(&self, edges: &[EdgeIndex]) -> std::io::Result<Option<crate::evidence::Staging<'_>>> {
        let places = self.edge_places();
        let items = edges.iter().enumerate().map(move |(k, &ei)| {
            // Edges in key order are scattered in memory: each one's data asked for ahead.
            if let Some(&next) = edges.get(k + 8) {
                places.prefetch(next);
            }
            self.graph.edge_weight(ei).into_iter().flat_map(|e| e.evidence.iter().map(|ev| ev.sentence))
        });
        self.sentences.stage(items)
    }

    /// The id of a document index ("" for an index the graph never gave).
    pub fn document_id(&self, i: DocIndex) -> &str {
        self.docs.get(i as usize).map_or("", |d| d.id.as_str())
    }

    /// The documents, sorted by id.
    pub fn documents(&self) -> Vec<&DocInfo> {
        self.document_order().into_iter().filter_map(|i| self.document(i)).collect()
    }

    /// The document indexes, sorted by document id.
    pub fn document_order(&self) -> Vec<DocIndex> {
        // Sorted by the ids' first eight bytes, held beside the index, and only equal ones by
        // reading the ids: a corpus's millions of documents are not read all over memory at
        // each comparison.
        let mut v: Vec<(u64, DocIndex)> = (0..self.docs.len())
            .filter_map(|i| Some((self.doc_keys.get(i).copied().unwrap_or(0), DocIndex::try_from(i).ok()?)))
            .collect();
        v.sort_unstable_by(|a, b| {
            a.0.cmp(&b.0).then_with(|| self.docs[a.1 as usize].id.cmp(&self.docs[b.1 as usize].id))
        });
        v.into_iter().map(|(_, i)| i).collect()
    }

    /// What the graph knows of a document.
    pub fn document(&self, i: DocIndex) -> Option<&DocInfo> {
        self.docs.get(i as usize)
    }

    pub fn document_count(&self) -> usize {
        self.docs.len()
    }

    /// The ids of the documents that name a node, sorted.
    pub fn node_documents(&self, n: &Node) -> Vec<&str> {
        let mut ids: Vec<&str> = n.documents.iter().map(|&i| self.document_id(i)).collect();
        ids.sort_unstable();
        ids
    }

    /// An edge's evidence with its document ids and sentence texts, in order. A sentence the
    /// spill file cannot give back is "" and noted in [`SentenceStore::error`].
    pub fn evidence(&self, e: &EdgeData) -> Vec<Evidence> {
        e.evidence
            .iter()
            .map(|ev| Evidence {
                document: self.document_id(ev.document).into(),
                sentence: self.sentences.get_or_note(ev.sentence).into(),
                start: ev.start as usize,
                end: ev.end as usize,
            })
            .collect()
    }

    /// The names of the rules that made an edge, sorted.
    pub fn rules(&self, e: &EdgeData) -> Vec<&str> {
        let mut v: Vec<&str> = self.rule_sets.get(e.rules).iter().map(|&r| self.symbols.name(r)).collect();
        v.sort_unstable();
        v
    }

    /// An edge's CAMEO code.
    pub fn cameo(&self, e: &EdgeData) -> Option<&str> {
        e.cameo.map(|c| self.symbols.name(c))
    }

    /// The symbol of a rule name or CAMEO code in this graph (for building [`EdgeData`]).
    pub fn intern(&mut self, name: &str) -> Sym {
        self.symbols.intern(name)
    }

    /// The rule set of these rule names in this graph (for building [`EdgeData`]).
    pub fn rule_set<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) -> RuleSet {
        let syms = names.into_iter().map(|n| self.symbols.intern(n)).collect();
        self.rule_sets.set_of(syms)
    }

    fn add_node(&mut self, id: &str, label: &str, kind: Kind) -> NodeIndex {
        if let Some(&i) = self.nodes.get(id) {
            let n = &mut self.graph[i];
            // Keep the fullest label whatever the order of documents.
            if (label.len(), std::cmp::Reverse(label)) > (n.label.len(), std::cmp::Reverse(n.label.as_str())) {
                n.label = label.to_string();
            }
            return i;
        }
        let i = self.graph.add_node(Node {
            id: id.to_string(),
            label: label.to_string(),
            kind,
            aliases: BTreeSet::new(),
            mentions: 0,
            documents: Vec::new(),
        });
        self.nodes.insert(id.to_string(), i);
        i
    }

    /// Adds one document's actors and relations.
    pub fn merge(&mut self, mut doc: Document) {
        self.ensure_edge_index();
        let d = self.add_document(DocInfo { id: doc.id.as_str().into(), date: doc.date, title: doc.title.take() });
        // The node of each entity, in the document's order: its relations' ends are found here
        // (the document's few ids, at hand) before the graph's table of every id.
        let mut local: Vec<NodeIndex> = Vec::with_capacity(doc.entities.len());
        for e in &doc.entities {
            let i = self.add_node(&e.id, &e.label, e.kind);
            local.push(i);
            // The end of its list of documents, scattered in a large graph, asked for ahead.
            if let Some(last) = self.graph[i].documents.last() {
                crate::prefetch(last);
            }
        }
        for (e, &i) in doc.entities.iter_mut().zip(&local) {
            let n = &mut self.graph[i];
            // Most aliases are known already: moved in only when new.
            for a in std::mem::take(&mut e.aliases) {
                if !n.aliases.contains(&a) {
                    n.aliases.insert(a);
                }
            }
            n.mentions += e.mentions;
            add_document(&mut n.documents, d);
        }
        // A few entities are read through (most ids differ in length), many searched (they
        // come sorted by id); an id not found among them is looked up in the table.
        let entities = &doc.entities;
        let node_of = |nodes: &HashMap<String, NodeIndex>, id: &str| {
            let found = if entities.len() <= 16 {
                entities.iter().position(|e| e.id.len() == id.len() && e.id == id)
            } else {
                entities.binary_search_by(|e| e.id.as_str().cmp(id)).ok()
            };
            match found {
                Some(k) => Some(local[k]),
                None => nodes.get(id).copied(),
            }
        };
        // The sentences of this document already in the store, by (document, start).
        let mut stored: Vec<((DocIndex, u32), SentenceId)> = Vec::new();
        // Relations come sorted by source: the last one's source node, rule and CAMEO code are
        // often this one's.
        let mut last_source: Option<(&str, NodeIndex)> = None;
        let mut last_rule: Option<(&str, Sym)> = None;
        let mut last_cameo: Option<(&str, Sym)> = None;
        // Each relation's key and edge first, looked up one after another: in a large graph
        // every lookup misses the processor's caches, and lookups that do not wait for each
        // other overlap. (An edge this document adds is looked up again by the relations after.)
        let mut keys: SmallVec<[Option<KeyFound>; 16]> = SmallVec::new();
        for r in &doc.relations {
            let s = match &last_source {
                Some((id, n)) if *id == r.source => Some(*n),
                _ => node_of(&self.nodes, &r.source),
            };
            let (Some(s), Some(t)) = (s, node_of(&self.nodes, &r.target)) else {
                keys.push(None);
                continue;
            };
            last_source = Some((&r.source, s));
            // The ids the nodes were found by are theirs (unless an actor was absorbed): compared
            // here, not read from the graph.
            let swap = r.relation.is_symmetric()
                && if self.redirected { self.graph[t].id < self.graph[s].id } else { r.target < r.source };
            let (s, t) = if swap { (t, s) } else { (s, t) };
            let key = (s, t, r.relation, r.date);
            let found = self.find_edge(&key);
            // An edge found (in the cache now) has its evidence's documents compared with this
            // one's: asked for ahead.
            if let Some(e) = found.and_then(|ei| self.graph.edge_weight(ei)) {
                for ev in e.evidence.iter().take(2) {
                    if let Some(key) = self.doc_keys.get(ev.document as usize) {
                        crate::prefetch(key);
                    }
                }
            }
            keys.push(Some((key, found)));
        }
        let mut added = false;
        for (r, found) in doc.relations.iter().zip(keys) {
            let Some((key, found)) = found else { continue };
            let (s, t) = (key.0, key.1);
            let cameo = r.cameo.as_deref().map(|c| intern_last(&mut last_cameo, &mut self.symbols, c));
            let found = if found.is_none() && added { self.find_edge(&key) } else { found };
            let ei = match found {
                Some(ei) => ei,
                None => {
                    added = true;
                    let ei = self.graph.add_edge(
                        s,
                        t,
                        EdgeData {
                            relation: r.relation,
                            date: r.date,
                            evidence: SmallVec::new(),
                            count: 0,
                            rules: RuleSet::EMPTY,
                            cameo,
                            confidence: 0.0,
                        },
                    );
                    self.index_edge(&key, ei);
                    ei
                }
            };
            let ev_doc = if r.evidence.document == doc.id { d } else { self.document_index(&r.evidence.document) };
            let mut ev = StoredEvidence {
                document: ev_doc,
                start: span_u32(r.evidence.start),
                end: span_u32(r.evidence.end),
                sentence: 0,
            };
            let rule = intern_last(&mut last_rule, &mut self.symbols, &r.rule);
            let cap = self.evidence_cap;
            let edge = &mut self.graph[ei];
            if let Err(at) = edge.evidence.binary_search_by(|x| evidence_order(&self.docs, &self.doc_keys, x, &ev)) {
                edge.count = edge.count.saturating_add(1);
                if cap.is_none_or(|cap| at < cap) {
                    let place = (ev.document, ev.start);
                    ev.sentence = match stored.iter().find(|(p, _)| *p == place) {
                        Some(&(_, id)) => id,
                        None => {
                            let id = self.sentences.push(&r.evidence.sentence);
                            stored.push((place, id));
                            id
                        }
                    };
                    insert_evidence(&mut edge.evidence, at, ev, cap);
                }
            }
            edge.rules = self.rule_sets.with(edge.rules, rule);
            edge.confidence = edge.confidence.max(r.confidence);
            if edge.cameo.is_none() {
                edge.cameo = cameo;
            }
        }
    }

    /// Adds another graph (a shard built elsewhere): the same actors become one node, mentions
    /// and documents add up, the same relation on the same date is one edge whose counts add up
    /// and whose evidence joins. Merging is associative and does not depend on the order.
    pub fn merge_graph(&mut self, mut other: ActorGraph) {
        if self.graph.node_count() == 0 && self.docs.is_empty() && self.sentences.is_empty() {
            // Into an empty graph: the other one as it is, under this graph's evidence cap.
            let cap = self.evidence_cap;
            *self = other;
            self.evidence_cap = cap;
            if let Some(cap) = cap {
                for e in self.graph.edge_weights_mut() {
                    e.evidence.truncate(cap);
                }
            }
            return;
        }
        // The other graph's document indexes, in this graph.
        let remap: Vec<DocIndex> = std::mem::take(&mut other.docs).into_iter().map(|d| self.add_document(d)).collect();
        let mut ids: Vec<NodeIndex> = other.graph.node_indices().collect();
        ids.sort_by(|a, b| other.graph[*a].id.cmp(&other.graph[*b].id));
        for i in ids {
            let n = &other.graph[i];
            let at = self.add_node(&n.id, &n.label, n.kind);
            let mine = &mut self.graph[at];
            mine.aliases.extend(n.aliases.iter().cloned());
            mine.mentions += n.mentions;
            for &d in &n.documents {
                if let Some(&d) = remap.get(d as usize) {
                    add_document(&mut mine.documents, d);
                }
            }
        }
        // The edge data moves out of the other graph (which is dropped after), not copied; its
        // documents, sentences and names are renumbered into this graph's.
        let mut sentences: HashMap<SentenceId, SentenceId> = HashMap::default();
        let mut symbols: HashMap<Sym, Sym> = HashMap::default();
        let mut rule_sets: HashMap<RuleSet, RuleSet> = HashMap::default();
        let indices: Vec<EdgeIndex> = other.graph.edge_indices().collect();
        let mut edges: Vec<(String, String, EdgeData)> = Vec::with_capacity(indices.len());
        for ei in indices {
            let Some((s, t)) = other.graph.edge_endpoints(ei) else { continue };
            let (s, t) = (other.graph[s].id.clone(), other.graph[t].id.clone());
            let Some(data) = other.graph.edge_weight_mut(ei) else { continue };
            let mut data = data.take();
            for ev in &mut data.evidence {
                ev.document = remap.get(ev.document as usize).copied().unwrap_or(DocIndex::MAX);
                ev.sentence = *sentences
                    .entry(ev.sentence)
                    .or_insert_with(|| self.sentences.push(&other.sentences.get_or_note(ev.sentence)));
            }
            let mut sym = |s: Sym| *symbols.entry(s).or_insert_with(|| self.symbols.intern(other.symbols.name(s)));
            data.cameo = data.cameo.map(&mut sym);
            data.rules = match rule_sets.get(&data.rules) {
                Some(&set) => set,
                None => {
                    let mine = other.rule_sets.get(data.rules).iter().map(|&r| sym(r)).collect();
                    let set = self.rule_sets.set_of(mine);
                    rule_sets.insert(data.rules, set);
                    set
                }
            };
            edges.push((s, t, data));
        }
        if let Some(e) = other.sentences.error() {
            self.sentences.note_error(e);
        }
        edges.sort_by(|a, b| (&a.0, &a.1, a.2.relation, a.2.date).cmp(&(&b.0, &b.1, b.2.relation, b.2.date)));
        for (s, t, data) in edges {
            let (Some(&s), Some(&t)) = (self.nodes.get(&s), self.nodes.get(&t)) else { continue };
            let (s, t) =
                if data.relation.is_symmetric() && self.graph[t].id < self.graph[s].id { (t, s) } else { (s, t) };
            self.add_edge_data(s, t, data);
        }
    }

    /// Adds nodes as they are (loading a saved graph).
    pub fn insert_nodes(&mut self, nodes: Vec<Node>) {
        for n in nodes {
            let id = n.id.clone();
            let i = self.graph.add_node(n);
            self.nodes.insert(id, i);
        }
    }

    /// Adds an edge as it is (loading a saved graph).
    pub fn insert_edge(&mut self, source: &str, target: &str, mut data: EdgeData) -> Result<(), InsertEdge> {
        self.ensure_edge_index();
        let (Some(&s), Some(&t)) = (self.nodes.get(source), self.nodes.get(target)) else {
            return Err(InsertEdge::NoNode);
        };
        // In this graph's order, each sentence once (a file may have been edited by hand).
        data.evidence.sort_by(|a, b| evidence_order(&self.docs, &self.doc_keys, a, b));
        data.evidence.dedup_by(|a, b| (a.document, a.start, a.end) == (b.document, b.start, b.end));
        let key = (s, t, data.relation, data.date);
        if self.find_edge(&key).is_some() {
            return Err(InsertEdge::Twice);
        }
        let ei = self.graph.add_edge(s, t, data);
        self.index_edge(&key, ei);
        Ok(())
    }

    /// Merges node `from` into node `into`: aliases, mentions and documents add up, edges move
    /// (joining an edge `into` already has), and `from`'s id then names `into`.
    pub fn absorb(&mut self, from: NodeIndex, into: NodeIndex) {
        self.ensure_edge_index();
        if from == into {
            return;
        }
        let Some(old) = self.graph.node_weight(from).cloned() else { return };
        {
            let n = &mut self.graph[into];
            n.aliases.extend(old.aliases.iter().cloned());
            n.mentions += old.mentions;
            for &d in &old.documents {
                add_document(&mut n.documents, d);
            }
        }
        let edges: Vec<EdgeIndex> = self
            .graph
            .edges_directed(from, petgraph::Direction::Outgoing)
            .chain(self.graph.edges_directed(from, petgraph::Direction::Incoming))
            .map(|e| e.id())
            .collect();
        for e in edges {
            let Some(key) = edge_key_of(&self.graph, e) else { continue };
            self.unindex_edge(&key);
            let Some(data) = self.graph.remove_edge(e) else { continue };
            let (s, t) = (key.0, key.1);
            let s = if s == from { into } else { s };
            let t = if t == from { into } else { t };
            if s == t {
                continue;
            }
            let (s, t) =
                if data.relation.is_symmetric() && self.graph[t].id < self.graph[s].id { (t, s) } else { (s, t) };
            self.add_edge_data(s, t, data);
        }
        self.graph.remove_node(from);
        self.nodes.insert(old.id, into);
        self.redirected = true;
    }

    /// Lets go of the table finding an edge by its ends, relation and date (four bytes an edge
    /// and room to spare: 80 MB for a graph of seven million edges), for a graph only written
    /// out from here on; it is made again if edges are added.
    pub fn release_edge_index(&mut self) {
        self.edges = hashbrown::HashTable::new();
        self.edges_released = true;
    }

    /// Makes the table of edges again if it was let go of.
    fn ensure_edge_index(&mut self) {
        if !std::mem::take(&mut self.edges_released) {
            return;
        }
        let g = &self.graph;
        let mut table = hashbrown::HashTable::with_capacity(g.edge_count());
        for ei in g.edge_indices() {
            if let Some(key) = edge_key_of(g, ei) {
                table.insert_unique(hash_key(&key), ei, edge_hasher(g));
            }
        }
        self.edges = table;
    }

    fn find_edge(&self, key: &EdgeKey) -> Option<EdgeIndex> {
        let g = &self.graph;
        self.edges.find(hash_key(key), |&ei| edge_key_of(g, ei).as_ref() == Some(key)).copied()
    }

    /// Indexes a new edge (already in the graph) under its key.
    fn index_edge(&mut self, key: &EdgeKey, ei: EdgeIndex) {
        let g = &self.graph;
        self.edges.insert_unique(hash_key(key), ei, edge_hasher(g));
    }

    /// Removes an edge (still in the graph) from the index.
    fn unindex_edge(&mut self, key: &EdgeKey) {
        let g = &self.graph;
        if let Ok(entry) = self.edges.find_entry(hash_key(key), |&ei| edge_key_of(g, ei).as_ref() == Some(key)) {
            entry.remove();
        }
    }

    /// Adds an edge, or joins it to the edge with the same ends, relation and date.
    fn add_edge_data(&mut self, s: NodeIndex, t: NodeIndex, data: EdgeData) {
        self.ensure_edge_index();
        let key = (s, t, data.relation, data.date);
        match self.find_edge(&key) {
            Some(ei) => {
                let cap = self.evidence_cap;
                let edge = &mut self.graph[ei];
                // Counts add up, less the sentences both edges hold.
                let mut shared = 0u32;
                for ev in data.evidence {
                    match edge.evidence.binary_search_by(|x| evidence_order(&self.docs, &self.doc_keys, x, &ev)) {
                        Ok(_) => shared += 1,
                        Err(at) => insert_evidence(&mut edge.evidence, at, ev, cap),
                    }
                }
                edge.count = edge.count.saturating_add(data.count).saturating_sub(shared.min(data.count));
                if let Some(cap) = cap {
                    edge.evidence.truncate(cap);
                }
                edge.rules = self.rule_sets.union(edge.rules, data.rules);
                edge.confidence = edge.confidence.max(data.confidence);
            }
            None => {
                let ei = self.graph.add_edge(s, t, data);
                self.index_edge(&key, ei);
            }
        }
    }

    /// Nodes sorted by id.
    pub fn sorted_nodes(&self) -> Vec<&Node> {
        let mut v: Vec<&Node> = self.graph.node_weights().collect();
        v.sort_by(|a, b| a.id.cmp(&b.id));
        v
    }

    /// Edges as (source, target, data), sorted by source id, target id, relation and date.
    pub fn sorted_edges(&self) -> Vec<(&Node, &Node, &EdgeData)> {
        self.sorted_edge_indices()
            .into_iter()
            .filter_map(|e| {
                let (s, t) = self.graph.edge_endpoints(e)?;
                Some((&self.graph[s], &self.graph[t], &self.graph[e]))
            })
            .collect()
    }

    /// The edges' indexes in the order of [`ActorGraph::sorted_edges`]: four bytes per edge,
    /// for writing graphs of millions of edges.
    pub fn sorted_edge_indices(&self) -> Vec<EdgeIndex> {
        use rayon::prelude::*;
        let mut by_id: Vec<NodeIndex> = self.graph.node_indices().collect();
        by_id.par_sort_unstable_by(|a, b| self.graph[*a].id.cmp(&self.graph[*b].id));
        let mut rank = vec![0u32; self.graph.node_bound()];
        for (r, n) in by_id.iter().enumerate() {
            rank[n.index()] = u32::try_from(r).unwrap_or(u32::MAX);
        }
        // Sources in id order, and each source's edges sorted on their own: every edge's key
        // is read once (a sort of all edges would read two keys per comparison, all over a
        // graph of millions of edges), and only one node's edges are held at a time, in the
        // place of the list they fill. Node ids are unique, and so is (source, target, relation,
        // date): the order is total, the same however the work is cut up (on the current rayon
        // pool's threads).
        // Each source's place: its out-degree, counted in one pass over the edges in memory order;
        // then its edges put there in a second pass (not found by walking each node's list of
        // edges, where each step waits for the edge before it to come from memory).
        let mut degree = vec![0usize; self.graph.node_bound()];
        for e in petgraph::visit::IntoEdgeReferences::edge_references(&self.graph) {
            degree[e.source().index()] += 1;
        }
        let mut out = vec![EdgeIndex::end(); self.graph.edge_count()];
        let mut next = vec![0usize; self.graph.node_bound()];
        let mut at = 0;
        for &n in &by_id {
            next[n.index()] = at;
            at += degree[n.index()];
        }
        for e in petgraph::visit::IntoEdgeReferences::edge_references(&self.graph) {
            let slot = &mut next[e.source().index()];
            if let Some(o) = out.get_mut(*slot) {
                *o = e.id();
            }
            *slot += 1;
        }
        drop(next);
        let edge_places = self.edge_places();
        let mut places: Vec<&mut [EdgeIndex]> = Vec::with_capacity(by_id.len());
        let mut rest = &mut out[..];
        for &n in &by_id {
            let len = degree[n.index()].min(rest.len());
            let (mine, after) = std::mem::take(&mut rest).split_at_mut(len);
            places.push(mine);
            rest = after;
        }
        places.into_par_iter().for_each_init(Vec::new, |keyed, place| {
            keyed.clear();
            keyed.extend(place.iter().enumerate().filter_map(|(k, &ei)| {
                // Scattered in memory: each edge asked for ahead.
                if let Some(&next) = place.get(k + 8) {
                    edge_places.prefetch(next);
                }
                let (_, t) = self.graph.edge_endpoints(ei)?;
                let w = &self.graph[ei];
                Some(((rank[t.index()], w.relation, w.date), ei))
            }));
            keyed.sort_unstable_by_key(|&(key, _)| key);
            for (slot, &(_, e)) in place.iter_mut().zip(keyed.iter()) {
                *slot = e;
            }
        });
        out
    }
}

/// A unique, readable key for an edge: `source|relation|target|date`.
pub fn edge_key(source: &str, target: &str, e: &EdgeData) -> String {
    let mut key = String::new();
    edge_key_into(&mut key, source, target, e);
    key
}

/// [`edge_key`] into `key` (cleared first), for writing millions of them.
pub fn edge_key_into(key: &mut String, source: &str, target: &str, e: &EdgeData) {
    let relation = e.relation.as_str();
    key.clear();
    key.reserve(source.len() + target.len() + relation.len() + 14);
    for part in [source, "|", relation, "|", target, "|"] {
        key.push_str(part);
    }
    match e.date {
        Some(d) => d.push_to(key),
        None => key.push('-'),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Edges come out sorted by source id, target id, relation and date, whatever the order
    /// they were added in (the sort works source by source).
    #[test]
    fn edges_sort_by_source_target_relation_and_date() {
        use crate::model::{Entity, Evidence, Relation};
        let ids = ["country:b", "person:a", "country:c", "organization:z", "country:a"];
        let mut graph = ActorGraph::new();
        for d in 0..3usize {
            let mut relations = Vec::new();
            for (i, s) in ids.iter().enumerate() {
                for (j, t) in ids.iter().enumerate() {
                    if i == j || (i * 7 + j * 3 + d) % 4 == 0 {
                        continue;
                    }
                    let relation =
                        [RelationType::MetWith, RelationType::Criticizes, RelationType::Visited][(i + j + d) % 3];
                    let (s, t) = if relation.is_symmetric() && t < s { (t, s) } else { (s, t) };
                    relations.push(Relation {
                        source: s.to_string(),
                        target: t.to_string(),
                        relation,
                        date: (d > 0).then(|| PartialDate::month(2024, d as i8)),
                        evidence: Evidence {
                            document: format!("d{d}").into(),
                            sentence: "A sentence.".into(),
                            start: i * 10 + j,
                            end: i * 10 + j + 5,
                        },
                        rule: "test".into(),
                        cameo: None,
                        confidence: 0.5,
                    });
                }
            }
            let entities = ids
                .iter()
                .map(|id| Entity {
                    id: id.to_string(),
                    kind: Kind::Country,
                    label: id.to_string(),
                    aliases: BTreeSet::new(),
                    mentions: 1,
                })
                .collect();
            graph.merge(Document { id: format!("d{d}"), date: None, title: None, entities, relations });
        }
        let key = |e: EdgeIndex| {
            let (s, t) = graph.graph.edge_endpoints(e).expect("an edge");
            let w = &graph.graph[e];
            (graph.graph[s].id.clone(), graph.graph[t].id.clone(), w.relation, w.date)
        };
        let got: Vec<_> = graph.sorted_edge_indices().into_iter().map(key).collect();
        let mut want: Vec<_> = graph.graph.edge_indices().map(key).collect();
        want.sort();
        assert!(want.len() > 20);
        assert_eq!(got, want);
    }

    /// After an actor is absorbed into another, a document naming it by its old id joins the
    /// edges of the one it became, symmetric ones in the order of the nodes' own ids.
    #[test]
    fn a_document_naming_an_absorbed_actor_joins_its_edges() {
        use crate::model::{Entity, Evidence, Relation};
        let doc = |id: &str, a: &str, b: &str| Document {
            id: id.into(),
            date: None,
            title: None,
            entities: [a, b]
                .iter()
                .map(|e| Entity {
                    id: e.to_string(),
                    kind: Kind::Person,
                    label: e.to_string(),
                    aliases: BTreeSet::new(),
                    mentions: 1,
                })
                .collect(),
            relations: vec![Relation {
                source: a.into(),
                target: b.into(),
                relation: RelationType::MetWith,
                date: Some(PartialDate::month(2024, 5)),
                evidence: Evidence { document: id.into(), sentence: "They met.".into(), start: 0, end: 9 },
                rule: "test".into(),
                cameo: None,
                confidence: 0.5,
            }],
        };
        let mut graph = ActorGraph::new();
        graph.merge(doc("d1", "person:a", "person:k"));
        graph.merge(doc("d2", "person:k", "person:m"));
        let (m, a) = (graph.nodes["person:m"], graph.nodes["person:a"]);
        graph.absorb(m, a);
        assert_eq!(graph.edge_count(), 1);
        // "person:k" < "person:m" in the document, but the node is "person:a" now.
        graph.merge(doc("d3", "person:k", "person:m"));
        assert_eq!(graph.edge_count(), 1);
        let e = graph.graph.edge_indices().next().expect("an edge");
        assert_eq!(graph.graph[e].count, 3);
        let (s, t) = graph.graph.edge_endpoints(e).expect("ends");
        assert_eq!((graph.graph[s].id.as_str(), graph.graph[t].id.as_str()), ("person:a", "person:k"));
    }

    /// A corpus makes millions of edges and evidence entries: their size is the graph's memory.
    #[test]
    fn edges_and_evidence_stay_small() {
        assert_eq!(std::mem::size_of::<StoredEvidence>(), 16);
        let edge = std::mem::size_of::<EdgeData>();
        assert!(edge <= 48, "EdgeData is {edge} bytes");
    }

    /// An actor of a test document, named once.
    fn country(id: &str) -> crate::model::Entity {
        crate::model::Entity {
            id: id.to_string(),
            kind: Kind::Country,
            label: id.to_string(),
            aliases: BTreeSet::new(),
            mentions: 1,
        }
    }

    /// `n` documents of a few actors each, their relations dated by document, some sentences
    /// stating two relations, some actors named by several documents.
    pub(crate) fn sample_documents(n: usize) -> Vec<Document> {
        use crate::model::{Evidence, Relation};
        let actors = ["country:a", "country:b", "person:c", "organization:d", "person:é-ü", "country:f"];
        (0..n)
            .map(|d| {
                let id = format!("doc-{:03}", (d * 37) % n.max(1));
                let names: Vec<&str> = (0..3).map(|k| actors[(d + k * (d % 4 + 1)) % actors.len()]).collect();
                let mut relations = Vec::new();
                for (k, pair) in names.windows(2).enumerate() {
                    let (s, t) = (pair[0], pair[1]);
                    if s == t {
                        continue;
                    }
                    // The document's first sentence states both relations; the second, one.
                    let sentence = if k == 0 || d % 3 == 0 {
                        format!("Sentence {d} of «{s}» and {t}, which \"quoted\" both.")
                    } else {
                        format!("Another sentence {d}: {s} then {t}.")
                    };
                    let start = if k == 0 || d % 3 == 0 { 0 } else { 100 };
                    let relation =
                        [RelationType::MetWith, RelationType::Criticizes, RelationType::Visited][(d + k) % 3];
                    let (s, t) = if relation.is_symmetric() && t < s { (t, s) } else { (s, t) };
                    relations.push(Relation {
                        source: s.to_string(),
                        target: t.to_string(),
                        relation,
                        date: Some(PartialDate::month(2020 + (d % 3) as i16, 1 + (d % 12) as i8)),
                        evidence: Evidence {
                            document: id.as_str().into(),
                            end: start + sentence.len(),
                            sentence: sentence.into(),
                            start,
                        },
                        rule: "test".into(),
                        cameo: None,
                        confidence: 0.5,
                    });
                }
                relations.sort_by(|a, b| a.source.cmp(&b.source));
                let mut ids: Vec<&str> = names.clone();
                ids.sort_unstable();
                ids.dedup();
                let entities = ids.iter().map(|e| country(e)).collect();
                Document { id, date: None, title: None, entities, relations }
            })
            .collect()
    }

    /// A graph that let go of its table of edges and is then added to is the graph that kept it.
    #[test]
    fn a_released_edge_index_is_made_again_when_edges_are_added() {
        let docs = sample_documents(40);
        let mut kept = ActorGraph::new();
        let mut released = ActorGraph::new();
        for (i, d) in docs.into_iter().enumerate() {
            kept.merge(d.clone());
            if i % 7 == 0 {
                released.release_edge_index();
            }
            released.merge(d);
        }
        assert!(kept.edge_count() > 20);
        let json = |g: &ActorGraph| {
            let mut out = Vec::new();
            crate::export::write_json(g, &mut out).expect("written");
            out
        };
        assert_eq!(json(&kept), json(&released));
    }

    /// A relation a document states twice, and one stated by its first sentence and found
    /// again in the graph, are one edge each, their sentences and counts added up.
    #[test]
    fn a_relation_stated_twice_in_a_document_is_one_edge() {
        use crate::model::{Evidence, Relation};
        let relation = |doc: &str, start: usize| Relation {
            source: "country:a".into(),
            target: "country:b".into(),
            relation: RelationType::Criticizes,
            date: None,
            evidence: Evidence {
                document: doc.into(),
                sentence: format!("Sentence at {start}.").into(),
                start,
                end: start + 10,
            },
            rule: "test".into(),
            cameo: None,
            confidence: 0.5,
        };
        let doc = |id: &str, starts: &[usize]| Document {
            id: id.into(),
            date: None,
            title: None,
            entities: vec![country("country:a"), country("country:b")],
            relations: starts.iter().map(|&s| relation(id, s)).collect(),
        };
        let mut graph = ActorGraph::new();
        graph.merge(doc("d1", &[0, 40, 80]));
        assert_eq!(graph.edge_count(), 1);
        graph.merge(doc("d2", &[5, 5]));
        assert_eq!(graph.edge_count(), 1);
        let e = graph.graph.edge_weights().next().expect("an edge");
        assert_eq!(e.count, 4);
        assert_eq!(graph.evidence(e).len(), 4);
    }

    /// Evidence is kept in document id order whether ids differ in their first eight bytes or
    /// only after them, or one is the start of another.
    #[test]
    fn evidence_is_in_document_id_order() {
        use crate::model::{Evidence, Relation};
        let ids = ["wire-2024-05-10", "a", "wire-2024-05-09", "wire-2024", "wire-2024-05-09b", "b-1", "wire-20"];
        let mut graph = ActorGraph::new();
        for id in ids {
            graph.merge(Document {
                id: id.into(),
                date: None,
                title: None,
                entities: vec![country("country:a"), country("country:b")],
                relations: vec![Relation {
                    source: "country:a".into(),
                    target: "country:b".into(),
                    relation: RelationType::Sanctions,
                    date: None,
                    evidence: Evidence { document: id.into(), sentence: format!("In {id}.").into(), start: 0, end: 9 },
                    rule: "test".into(),
                    cameo: None,
                    confidence: 0.5,
                }],
            });
        }
        let e = graph.graph.edge_weights().next().expect("an edge");
        let got: Vec<String> = graph.evidence(e).into_iter().map(|ev| ev.document.to_string()).collect();
        let mut want: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(got, want);
    }
}
