//! Cytoscape.js elements JSON (`{"elements": {"nodes": [...], "edges": [...]}}`), which is also
//! the `.cyjs` file Cytoscape desktop imports and what `networkx.cytoscape_graph` reads: nodes
//! carry `value` (the id, as NetworkX wants) and `name` (the label, as Cytoscape shows), edges
//! a unique `key`. Lists are JSON arrays of strings, the one list Cytoscape desktop keeps.

use serde::Serialize;

use super::{confidence, date_range, keyed_edges};
use crate::graph::{ActorGraph, edge_key};

#[derive(Serialize)]
struct CyGraph<'a> {
    format_version: &'static str,
    generated_by: String,
    target_cytoscapejs_version: &'static str,
    data: GraphData<'a>,
    directed: bool,
    multigraph: bool,
    elements: Elements<'a>,
}

#[derive(Serialize)]
struct GraphData<'a> {
    name: &'static str,
    documents: Vec<&'a str>,
}

#[derive(Serialize)]
struct Elements<'a> {
    nodes: Vec<Element<NodeData<'a>>>,
    edges: Vec<Element<EdgeData<'a>>>,
}

#[derive(Serialize)]
struct Element<T> {
    data: T,
}

#[derive(Serialize)]
struct NodeData<'a> {
    id: &'a str,
    value: &'a str,
    name: &'a str,
    label: &'a str,
    kind: &'static str,
    aliases: Vec<&'a str>,
    mentions: usize,
    documents: Vec<&'a str>,
}

#[derive(Serialize)]
struct EdgeData<'a> {
    id: String,
    source: &'a str,
    target: &'a str,
    key: String,
    name: String,
    interaction: &'static str,
    relation: &'static str,
    symmetric: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_day: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_day: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cameo: Option<&'a str>,
    confidence: f32,
    count: u32,
    rules: Vec<&'a str>,
    /// The sentences that state the relation...
    evidence: Vec<String>,
    /// ...and the document of each.
    evidence_documents: Vec<String>,
}

pub fn write(graph: &ActorGraph) -> String {
    let nodes = graph
        .sorted_nodes()
        .into_iter()
        .map(|n| Element {
            data: NodeData {
                id: &n.id,
                value: &n.id,
                name: &n.label,
                label: &n.label,
                kind: n.kind.as_str(),
                aliases: n.aliases.iter().map(String::as_str).collect(),
                mentions: n.mentions,
                documents: graph.node_documents(n),
            },
        })
        .collect();
    let edges = keyed_edges(graph)
        .into_iter()
        .map(|(id, s, t, e)| {
            let range = e.date.and_then(date_range);
            let evidence = graph.evidence(e);
            Element {
                data: EdgeData {
                    id,
                    source: &s.id,
                    target: &t.id,
                    key: edge_key(&s.id, &t.id, e),
                    name: format!("{} ({}) {}", s.label, e.relation, t.label),
                    interaction: e.relation.as_str(),
                    relation: e.relation.as_str(),
                    symmetric: e.relation.is_symmetric(),
                    date: e.date.map(|d| d.to_string()),
                    first_day: range.as_ref().map(|r| r.0.clone()),
                    last_day: range.map(|r| r.1),
                    cameo: graph.cameo(e),
                    confidence: confidence(e),
                    count: e.count,
                    rules: graph.rules(e),
                    evidence: evidence.iter().map(|v| v.sentence.to_string()).collect(),
                    evidence_documents: evidence.iter().map(|v| v.document.to_string()).collect(),
                },
            }
        })
        .collect();
    let g = CyGraph {
        format_version: "1.0",
        generated_by: format!("actorgraph-{}", env!("CARGO_PKG_VERSION")),
        target_cytoscapejs_version: "~3",
        data: GraphData {
            name: "actorgraph",
            documents: graph.documents().into_iter().map(|d| d.id.as_str()).collect(),
        },
        directed: true,
        multigraph: true,
        elements: Elements { nodes, edges },
    };
    let mut s = serde_json::to_string_pretty(&g).unwrap_or_default();
    s.push('\n');
    s
}
