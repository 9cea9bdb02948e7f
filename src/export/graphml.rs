//! GraphML: typed `<key>` declarations for every node and edge field, one `<data>` per value,
//! readable by Gephi, yEd, Cytoscape desktop and `networkx.read_graphml`. Lists (aliases,
//! documents, rules, evidence) are JSON text, since GraphML has no list type.

use std::fmt::Write;

use super::xml;
use super::{confidence, date_range};
use crate::graph::{ActorGraph, edge_key};

/// A key: its id, what it is for, its name and its GraphML type.
struct Key {
    id: &'static str,
    domain: &'static str,
    name: &'static str,
    kind: &'static str,
}

const KEYS: &[Key] = &[
    Key { id: "g_generator", domain: "graph", name: "generator", kind: "string" },
    Key { id: "g_documents", domain: "graph", name: "documents", kind: "string" },
    Key { id: "n_label", domain: "node", name: "label", kind: "string" },
    Key { id: "n_kind", domain: "node", name: "kind", kind: "string" },
    Key { id: "n_aliases", domain: "node", name: "aliases", kind: "string" },
    Key { id: "n_mentions", domain: "node", name: "mentions", kind: "int" },
    Key { id: "n_documents", domain: "node", name: "documents", kind: "string" },
    Key { id: "e_label", domain: "edge", name: "label", kind: "string" },
    Key { id: "e_key", domain: "edge", name: "key", kind: "string" },
    Key { id: "e_relation", domain: "edge", name: "relation", kind: "string" },
    Key { id: "e_symmetric", domain: "edge", name: "symmetric", kind: "boolean" },
    Key { id: "e_date", domain: "edge", name: "date", kind: "string" },
    Key { id: "e_first_day", domain: "edge", name: "first_day", kind: "string" },
    Key { id: "e_last_day", domain: "edge", name: "last_day", kind: "string" },
    Key { id: "e_cameo", domain: "edge", name: "cameo", kind: "string" },
    Key { id: "e_confidence", domain: "edge", name: "confidence", kind: "double" },
    Key { id: "e_count", domain: "edge", name: "count", kind: "int" },
    Key { id: "e_weight", domain: "edge", name: "weight", kind: "double" },
    Key { id: "e_rules", domain: "edge", name: "rules", kind: "string" },
    Key { id: "e_evidence", domain: "edge", name: "evidence", kind: "string" },
];

fn data(s: &mut String, indent: &str, key: &str, value: &str) {
    let _ = writeln!(s, "{indent}<data key=\"{key}\">{}</data>", xml::text(value));
}

fn json_text<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

pub fn write(graph: &ActorGraph) -> String {
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str(
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns \
         http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
    );
    for k in KEYS {
        let _ = writeln!(
            s,
            "  <key id=\"{}\" for=\"{}\" attr.name=\"{}\" attr.type=\"{}\"/>",
            k.id, k.domain, k.name, k.kind
        );
    }
    s.push_str("  <graph id=\"actorgraph\" edgedefault=\"directed\">\n");
    data(&mut s, "    ", "g_generator", &format!("actorgraph {}", env!("CARGO_PKG_VERSION")));
    let docs: Vec<_> = graph.documents();
    data(&mut s, "    ", "g_documents", &json_text(&docs));
    for n in graph.sorted_nodes() {
        let _ = writeln!(s, "    <node id=\"{}\">", xml::attr(&n.id));
        data(&mut s, "      ", "n_label", &n.label);
        data(&mut s, "      ", "n_kind", n.kind.as_str());
        data(&mut s, "      ", "n_aliases", &json_text(&n.aliases));
        data(&mut s, "      ", "n_mentions", &n.mentions.to_string());
        data(&mut s, "      ", "n_documents", &json_text(&graph.node_documents(n)));
        s.push_str("    </node>\n");
    }
    for (i, (src, dst, e)) in graph.sorted_edges().into_iter().enumerate() {
        let _ =
            writeln!(s, "    <edge id=\"e{i}\" source=\"{}\" target=\"{}\">", xml::attr(&src.id), xml::attr(&dst.id));
        let label = match e.date {
            Some(d) => format!("{} {d}", e.relation),
            None => e.relation.to_string(),
        };
        data(&mut s, "      ", "e_label", &label);
        data(&mut s, "      ", "e_key", &edge_key(&src.id, &dst.id, e));
        data(&mut s, "      ", "e_relation", e.relation.as_str());
        data(&mut s, "      ", "e_symmetric", if e.relation.is_symmetric() { "true" } else { "false" });
        if let Some(d) = e.date {
            data(&mut s, "      ", "e_date", &d.to_string());
            if let Some((first, last)) = date_range(d) {
                data(&mut s, "      ", "e_first_day", &first);
                data(&mut s, "      ", "e_last_day", &last);
            }
        }
        if let Some(c) = graph.cameo(e) {
            data(&mut s, "      ", "e_cameo", c);
        }
        data(&mut s, "      ", "e_confidence", &confidence(e).to_string());
        data(&mut s, "      ", "e_count", &e.count.to_string());
        data(&mut s, "      ", "e_weight", &e.count.to_string());
        data(&mut s, "      ", "e_rules", &json_text(&graph.rules(e)));
        data(&mut s, "      ", "e_evidence", &json_text(&graph.evidence(e)));
        s.push_str("    </edge>\n");
    }
    s.push_str("  </graph>\n</graphml>\n");
    s
}
