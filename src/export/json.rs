//! Node-link JSON: `{"directed", "multigraph", "graph", "nodes", "edges"}`, loadable as it is by
//! `networkx.node_link_graph` (NetworkX 3.6 defaults) and by D3.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use smol_str::SmolStr;

use crate::error::{Error, Location};
use crate::graph::{ActorGraph, DocInfo, EdgeData, Node, edge_key};
use crate::model::{Evidence, Kind, PartialDate, RelationType};

#[derive(Serialize, Deserialize)]
struct JsonGraph {
    directed: bool,
    multigraph: bool,
    graph: GraphMeta,
    nodes: Vec<JsonNode>,
    edges: Vec<JsonEdge>,
}

#[derive(Serialize, Deserialize)]
struct GraphMeta {
    generator: String,
    version: String,
    documents: Vec<DocInfo>,
}

#[derive(Serialize, Deserialize)]
struct JsonNode {
    id: String,
    label: String,
    kind: Kind,
    aliases: Vec<String>,
    mentions: usize,
    documents: Vec<SmolStr>,
}

#[derive(Serialize, Deserialize)]
struct JsonEdge {
    source: String,
    target: String,
    key: String,
    relation: RelationType,
    symmetric: bool,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    date: Option<PartialDate>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    cameo: Option<SmolStr>,
    confidence: f32,
    count: usize,
    rules: Vec<SmolStr>,
    evidence: Vec<Evidence>,
}

/// The same shape as [`JsonGraph`], borrowing from the graph: writing a large graph copies
/// nothing but the bytes of the output.
#[derive(Serialize)]
struct JsonGraphRef<'a> {
    directed: bool,
    multigraph: bool,
    graph: GraphMetaRef<'a>,
    nodes: Vec<JsonNodeRef<'a>>,
    edges: LazyEdges<'a>,
}

/// The sorted edges, each made into its JSON object only as it is written, so that a graph of
/// millions of edges is not copied before it is written.
struct LazyEdges<'a>(Vec<(&'a Node, &'a Node, &'a EdgeData)>);

impl Serialize for LazyEdges<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for &(s, t, e) in &self.0 {
            seq.serialize_element(&JsonEdgeRef {
                source: &s.id,
                target: &t.id,
                key: edge_key(&s.id, &t.id, e),
                relation: e.relation,
                symmetric: e.relation.is_symmetric(),
                date: e.date,
                cameo: e.cameo.as_deref(),
                confidence: super::confidence(e),
                count: e.count,
                rules: &e.rules,
                evidence: &e.evidence,
            })?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct GraphMetaRef<'a> {
    generator: &'a str,
    version: &'a str,
    documents: Vec<&'a DocInfo>,
}

#[derive(Serialize)]
struct JsonNodeRef<'a> {
    id: &'a str,
    label: &'a str,
    kind: Kind,
    aliases: &'a std::collections::BTreeSet<String>,
    mentions: usize,
    documents: Vec<&'a str>,
}

#[derive(Serialize)]
struct JsonEdgeRef<'a> {
    source: &'a str,
    target: &'a str,
    key: String,
    relation: RelationType,
    symmetric: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<PartialDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cameo: Option<&'a str>,
    confidence: f32,
    count: usize,
    rules: &'a [SmolStr],
    evidence: &'a [Evidence],
}

fn to_json_graph(graph: &ActorGraph) -> JsonGraphRef<'_> {
    JsonGraphRef {
        directed: true,
        multigraph: true,
        graph: GraphMetaRef {
            generator: "actorgraph",
            version: env!("CARGO_PKG_VERSION"),
            documents: graph.documents.values().collect(),
        },
        nodes: graph
            .sorted_nodes()
            .into_iter()
            .map(|n| JsonNodeRef {
                id: &n.id,
                label: &n.label,
                kind: n.kind,
                aliases: &n.aliases,
                mentions: n.mentions,
                documents: graph.node_documents(n),
            })
            .collect(),
        edges: LazyEdges(graph.sorted_edges()),
    }
}

/// The graph as a JSON value.
pub fn to_json_value(graph: &ActorGraph) -> Value {
    serde_json::to_value(to_json_graph(graph)).unwrap_or(Value::Null)
}

/// Writes the graph as pretty-printed JSON, ending with a newline.
pub fn write_to(graph: &ActorGraph, out: &mut impl std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &to_json_graph(graph))?;
    out.write_all(b"\n")
}

pub fn write(graph: &ActorGraph) -> String {
    let mut bytes = Vec::new();
    // Writing to memory fails only if serialization does, which it cannot for these types.
    let _ = write_to(graph, &mut bytes);
    String::from_utf8(bytes).unwrap_or_default()
}

/// Reads a graph written by [`write`]. `source` names the file in errors.
pub fn from_json(source: &str, text: &str) -> Result<ActorGraph, Error> {
    let g: JsonGraph = serde_json::from_str(text).map_err(|e| Error::Graph {
        at: Location::new(source, Some(e.line())),
        message: format!("not an actorgraph JSON graph: {e}"),
    })?;
    let mut graph = ActorGraph::new();
    for d in g.graph.documents {
        graph.document_index(&d.id);
        graph.documents.insert(d.id.clone(), d);
    }
    let mut seen = std::collections::BTreeSet::new();
    for n in &g.nodes {
        if !seen.insert(n.id.as_str()) {
            return Err(Error::Graph {
                at: Location::new(source, None),
                message: format!("node `{}` appears twice", n.id),
            });
        }
    }
    let mut keys = std::collections::BTreeSet::new();
    for e in &g.edges {
        if !keys.insert((&e.source, &e.target, e.relation, e.date)) {
            return Err(Error::Graph {
                at: Location::new(source, None),
                message: format!("edge `{}` appears twice", e.key),
            });
        }
    }
    let mut docs = Vec::new();
    for n in g.nodes {
        docs.push(Node {
            id: n.id,
            label: n.label,
            kind: n.kind,
            aliases: n.aliases.into_iter().collect(),
            mentions: n.mentions,
            documents: {
                let mut ds: Vec<_> = n.documents.iter().map(|d| graph.document_index(d)).collect();
                ds.sort_unstable();
                ds.dedup();
                ds
            },
        });
    }
    graph.insert_nodes(docs);
    for e in g.edges {
        let data = EdgeData {
            relation: e.relation,
            date: e.date,
            evidence: e.evidence.into(),
            count: e.count,
            rules: {
                let mut rules = e.rules;
                rules.sort();
                rules.dedup();
                rules.into()
            },
            cameo: e.cameo,
            confidence: e.confidence,
        };
        if !graph.insert_edge(&e.source, &e.target, data) {
            return Err(Error::Graph {
                at: Location::new(source, None),
                message: format!("edge `{}` names a node that is not in the graph", e.key),
            });
        }
    }
    Ok(graph)
}
