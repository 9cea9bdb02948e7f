//! The graph: documents merged into one petgraph graph with stable, readable node ids. The same
//! actor from two articles is one node; the same relation on the same date is one edge whose
//! evidence grows.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap as HashMap;

use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};
use petgraph::visit::{EdgeRef, IntoEdgeReferences};
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;
use smol_str::SmolStr;

use crate::model::{Document, Evidence, Kind, PartialDate, RelationType};

/// An actor of the graph.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub id: String,
    pub label: String,
    pub kind: Kind,
    pub aliases: BTreeSet<String>,
    pub mentions: usize,
    /// The documents that name it, ascending: indexes into the graph's document ids
    /// ([`ActorGraph::document_id`], [`ActorGraph::node_documents`] for the ids). An actor of a
    /// million articles costs four bytes per article here.
    pub documents: Vec<DocIndex>,
}

/// Inserts evidence at its sorted place `at`, keeping at most `cap`. Lists grow one at a time:
/// a corpus makes millions of short lists, and none should have room to spare.
fn insert_evidence(list: &mut SmallVec<[Evidence; 1]>, at: usize, ev: Evidence, cap: Option<usize>) {
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

/// A relation between two actors on one date, with every sentence that states it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EdgeData {
    pub relation: RelationType,
    pub date: Option<PartialDate>,
    /// Sorted; most edges have one, held inline.
    pub evidence: SmallVec<[Evidence; 1]>,
    /// How many sentences state it (evidence may be capped; the count is not).
    pub count: usize,
    /// The rules that made it, sorted, without duplicates (see [`EdgeData::add_rule`]).
    pub rules: SmallVec<[SmolStr; 1]>,
    pub cameo: Option<SmolStr>,
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

    /// Adds the name of a rule that made the edge, keeping the list sorted and unique.
    pub fn add_rule(&mut self, rule: SmolStr) {
        if let Err(at) = self.rules.binary_search(&rule) {
            self.rules.insert(at, rule);
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

/// The actor graph.
#[derive(Clone, Debug, Default)]
pub struct ActorGraph {
    pub graph: StableDiGraph<Node, EdgeData>,
    nodes: HashMap<String, NodeIndex>,
    edges: HashMap<EdgeKey, EdgeIndex>,
    pub documents: BTreeMap<SmolStr, DocInfo>,
    /// Document ids by [`DocIndex`], and the index of each id.
    doc_ids: Vec<SmolStr>,
    doc_index: HashMap<SmolStr, DocIndex>,
    /// The most evidence sentences kept per edge (`None`: all).
    pub evidence_cap: Option<usize>,
}

impl ActorGraph {
    pub fn new() -> ActorGraph {
        ActorGraph::default()
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

    /// The index of a document id, given one if it has none yet.
    pub fn document_index(&mut self, id: &str) -> DocIndex {
        if let Some(&i) = self.doc_index.get(id) {
            return i;
        }
        // More than four billion documents cannot be held in memory anyway; saturate.
        let i = DocIndex::try_from(self.doc_ids.len()).unwrap_or(DocIndex::MAX);
        let id = SmolStr::from(id);
        self.doc_ids.push(id.clone());
        self.doc_index.insert(id, i);
        i
    }

    /// The id of a document index ("" for an index the graph never gave).
    pub fn document_id(&self, i: DocIndex) -> &str {
        self.doc_ids.get(i as usize).map_or("", SmolStr::as_str)
    }

    /// The ids of the documents that name a node, sorted.
    pub fn node_documents(&self, n: &Node) -> Vec<&str> {
        let mut ids: Vec<&str> = n.documents.iter().map(|&i| self.document_id(i)).collect();
        ids.sort_unstable();
        ids
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
    pub fn merge(&mut self, doc: Document) {
        let id = SmolStr::from(doc.id.as_str());
        self.documents.insert(id.clone(), DocInfo { id, date: doc.date, title: doc.title.clone() });
        let d = self.document_index(&doc.id);
        for e in &doc.entities {
            let i = self.add_node(&e.id, &e.label, e.kind);
            let n = &mut self.graph[i];
            n.aliases.extend(e.aliases.iter().cloned());
            n.mentions += e.mentions;
            add_document(&mut n.documents, d);
        }
        for r in doc.relations {
            let (Some(&s), Some(&t)) = (self.nodes.get(&r.source), self.nodes.get(&r.target)) else { continue };
            let (s, t) = if r.relation.is_symmetric() && self.graph[t].id < self.graph[s].id { (t, s) } else { (s, t) };
            let key = (s, t, r.relation, r.date);
            let ei = match self.edges.get(&key) {
                Some(&ei) => ei,
                None => {
                    let ei = self.graph.add_edge(
                        s,
                        t,
                        EdgeData {
                            relation: r.relation,
                            date: r.date,
                            evidence: SmallVec::new(),
                            count: 0,
                            rules: SmallVec::new(),
                            cameo: r.cameo.clone(),
                            confidence: 0.0,
                        },
                    );
                    self.edges.insert(key, ei);
                    ei
                }
            };
            let cap = self.evidence_cap;
            let edge = &mut self.graph[ei];
            if let Err(at) = edge.evidence.binary_search(&r.evidence) {
                edge.count += 1;
                insert_evidence(&mut edge.evidence, at, r.evidence, cap);
            }
            edge.add_rule(r.rule);
            edge.confidence = edge.confidence.max(r.confidence);
            if edge.cameo.is_none() {
                edge.cameo = r.cameo;
            }
        }
    }

    /// Adds another graph (a shard built elsewhere): the same actors become one node, mentions
    /// and documents add up, the same relation on the same date is one edge whose counts add up
    /// and whose evidence joins. Merging is associative and does not depend on the order.
    pub fn merge_graph(&mut self, mut other: ActorGraph) {
        if self.graph.node_count() == 0 && self.documents.is_empty() {
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
        self.documents.append(&mut other.documents);
        // The other graph's document indexes, in this graph.
        let remap: Vec<DocIndex> = other.doc_ids.iter().map(|id| self.document_index(id)).collect();
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
        // The edge data moves out of the other graph (which is dropped after), not copied.
        let indices: Vec<EdgeIndex> = other.graph.edge_indices().collect();
        let mut edges: Vec<(String, String, EdgeData)> = Vec::with_capacity(indices.len());
        for ei in indices {
            let Some((s, t)) = other.graph.edge_endpoints(ei) else { continue };
            let (s, t) = (other.graph[s].id.clone(), other.graph[t].id.clone());
            let Some(data) = other.graph.edge_weight_mut(ei) else { continue };
            edges.push((s, t, data.take()));
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
    pub fn insert_edge(&mut self, source: &str, target: &str, data: EdgeData) -> Result<(), InsertEdge> {
        let (Some(&s), Some(&t)) = (self.nodes.get(source), self.nodes.get(target)) else {
            return Err(InsertEdge::NoNode);
        };
        let key = (s, t, data.relation, data.date);
        if self.edges.contains_key(&key) {
            return Err(InsertEdge::Twice);
        }
        let ei = self.graph.add_edge(s, t, data);
        self.edges.insert(key, ei);
        Ok(())
    }

    /// Merges node `from` into node `into`: aliases, mentions and documents add up, edges move
    /// (joining an edge `into` already has), and `from`'s id then names `into`.
    pub fn absorb(&mut self, from: NodeIndex, into: NodeIndex) {
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
            let Some((s, t)) = self.graph.edge_endpoints(e) else { continue };
            let Some(data) = self.graph.remove_edge(e) else { continue };
            self.edges.remove(&(s, t, data.relation, data.date));
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
    }

    /// Adds an edge, or joins it to the edge with the same ends, relation and date.
    fn add_edge_data(&mut self, s: NodeIndex, t: NodeIndex, data: EdgeData) {
        let key = (s, t, data.relation, data.date);
        match self.edges.get(&key) {
            Some(&ei) => {
                let cap = self.evidence_cap;
                let edge = &mut self.graph[ei];
                // Counts add up, less the sentences both edges hold.
                let mut shared = 0;
                for ev in data.evidence {
                    match edge.evidence.binary_search(&ev) {
                        Ok(_) => shared += 1,
                        Err(at) => insert_evidence(&mut edge.evidence, at, ev, cap),
                    }
                }
                edge.count = edge.count + data.count - shared.min(data.count);
                if let Some(cap) = cap {
                    edge.evidence.truncate(cap);
                }
                for rule in data.rules {
                    edge.add_rule(rule);
                }
                edge.confidence = edge.confidence.max(data.confidence);
            }
            None => {
                let ei = self.graph.add_edge(s, t, data);
                self.edges.insert(key, ei);
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
        let mut v: Vec<(&Node, &Node, &EdgeData)> = self
            .graph
            .edge_references()
            .map(|e| (&self.graph[e.source()], &self.graph[e.target()], e.weight()))
            .collect();
        v.sort_by(|a, b| (&a.0.id, &a.1.id, a.2.relation, a.2.date).cmp(&(&b.0.id, &b.1.id, b.2.relation, b.2.date)));
        v
    }
}

/// A unique, readable key for an edge: `source|relation|target|date`.
pub fn edge_key(source: &str, target: &str, e: &EdgeData) -> String {
    let date = e.date.map_or_else(|| "-".to_string(), |d| d.to_string());
    format!("{source}|{}|{target}|{date}", e.relation)
}
