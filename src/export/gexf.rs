//! GEXF 1.3 for Gephi: colours and sizes (`viz`), typed attributes, and time. One GEXF edge per
//! pair of actors and relation type (its `kind`), whose spells are the periods of its dates:
//! `2024-03-05` the day, `2024-03` the month, `2024` the year, so Gephi's timeline shows each
//! relation when it happened. An edge also stated without a date has no spells: it is there
//! the whole time, like undated edges. Lists (aliases, documents, rules, evidence) are JSON text.

use std::fmt::Write;

use super::style::{kind_style, relation_color, rgb};
use super::xml;
use super::{confidence, date_range};
use crate::graph::{ActorGraph, EdgeData, Node, edge_key};

const NODE_ATTRIBUTES: &[(&str, &str)] =
    &[("kind", "string"), ("aliases", "string"), ("mentions", "integer"), ("documents", "string")];

const EDGE_ATTRIBUTES: &[(&str, &str)] = &[
    ("relation", "string"),
    ("symmetric", "boolean"),
    ("dates", "string"),
    ("keys", "string"),
    ("cameo", "string"),
    ("confidence", "double"),
    ("count", "integer"),
    ("rules", "string"),
    ("evidence", "string"),
];

fn json_text<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn attvalue(s: &mut String, key: &str, value: &str) {
    let _ = writeln!(s, "          <attvalue for=\"{key}\" value=\"{}\"/>", xml::attr(value));
}

fn color(s: &mut String, indent: &str, hex: &str) {
    let (r, g, b) = rgb(hex);
    let _ = writeln!(s, "{indent}<viz:color r=\"{r}\" g=\"{g}\" b=\"{b}\"/>");
}

/// The edges of the graph grouped by source, target and relation (sorted edges are
/// consecutive in each group).
fn groups(graph: &ActorGraph) -> Vec<(&Node, &Node, Vec<&EdgeData>)> {
    let mut out: Vec<(&Node, &Node, Vec<&EdgeData>)> = Vec::new();
    for (s, t, e) in graph.sorted_edges() {
        match out.last_mut() {
            Some((ls, lt, es)) if ls.id == s.id && lt.id == t.id && es[0].relation == e.relation => es.push(e),
            _ => out.push((s, t, vec![e])),
        }
    }
    out
}

/// Periods sorted, overlapping ones merged (`2024-03` and `2024-03-05` are one spell): Gephi
/// wants the spells of an element disjoint.
fn merge(mut spells: Vec<(String, String)>) -> Vec<(String, String)> {
    spells.sort();
    let mut out: Vec<(String, String)> = Vec::new();
    for (start, end) in spells {
        match out.last_mut() {
            Some(last) if start <= last.1 => {
                if end > last.1 {
                    last.1 = end;
                }
            }
            _ => out.push((start, end)),
        }
    }
    out
}

pub fn write(graph: &ActorGraph) -> String {
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str(
        "<gexf xmlns=\"http://gexf.net/1.3\" xmlns:viz=\"http://gexf.net/1.3/viz\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" version=\"1.3\">\n",
    );
    s.push_str("  <meta>\n");
    let _ = writeln!(s, "    <creator>actorgraph {}</creator>", env!("CARGO_PKG_VERSION"));
    let docs: Vec<&str> = graph.documents().into_iter().map(|d| d.id.as_str()).collect();
    let _ = writeln!(
        s,
        "    <description>{}</description>",
        xml::text(&format!("Actors and relations of {} document(s): {}", docs.len(), docs.join(", ")))
    );
    s.push_str("  </meta>\n");
    s.push_str("  <graph defaultedgetype=\"directed\" mode=\"dynamic\" timeformat=\"date\">\n");
    for (class, attrs) in [("node", NODE_ATTRIBUTES), ("edge", EDGE_ATTRIBUTES)] {
        let _ = writeln!(s, "    <attributes class=\"{class}\" mode=\"static\">");
        for (name, kind) in attrs {
            let _ = writeln!(s, "      <attribute id=\"{name}\" title=\"{name}\" type=\"{kind}\"/>");
        }
        s.push_str("    </attributes>\n");
    }

    s.push_str("    <nodes>\n");
    for n in graph.sorted_nodes() {
        let _ = writeln!(s, "      <node id=\"{}\" label=\"{}\">", xml::attr(&n.id), xml::attr(&n.label));
        s.push_str("        <attvalues>\n");
        attvalue(&mut s, "kind", n.kind.as_str());
        attvalue(&mut s, "aliases", &json_text(&n.aliases));
        attvalue(&mut s, "mentions", &n.mentions.to_string());
        attvalue(&mut s, "documents", &json_text(&graph.node_documents(n)));
        s.push_str("        </attvalues>\n");
        color(&mut s, "        ", kind_style(n.kind).stroke);
        let size = 10.0 + 4.0 * (n.mentions.max(1) as f64).sqrt();
        let _ = writeln!(s, "        <viz:size value=\"{size:.1}\"/>");
        s.push_str("      </node>\n");
    }
    s.push_str("    </nodes>\n");

    s.push_str("    <edges>\n");
    for (i, (src, dst, es)) in groups(graph).into_iter().enumerate() {
        let relation = es[0].relation;
        let count: u64 = es.iter().map(|e| u64::from(e.count)).sum();
        let _ = writeln!(
            s,
            "      <edge id=\"e{i}\" source=\"{}\" target=\"{}\" label=\"{relation}\" kind=\"{relation}\" weight=\"{count}\">",
            xml::attr(&src.id),
            xml::attr(&dst.id)
        );
        let dates: Vec<String> = es.iter().filter_map(|e| e.date.map(|d| d.to_string())).collect();
        let keys: Vec<String> = es.iter().map(|e| edge_key(&src.id, &dst.id, e)).collect();
        let mut rules: Vec<&str> = es.iter().flat_map(|e| graph.rules(e)).collect();
        rules.sort_unstable();
        rules.dedup();
        let evidence: Vec<_> = es.iter().flat_map(|e| graph.evidence(e)).collect();
        let best = es.iter().map(|e| confidence(e)).fold(0.0f32, f32::max);
        s.push_str("        <attvalues>\n");
        attvalue(&mut s, "relation", relation.as_str());
        attvalue(&mut s, "symmetric", if relation.is_symmetric() { "true" } else { "false" });
        attvalue(&mut s, "dates", &dates.join(", "));
        attvalue(&mut s, "keys", &json_text(&keys));
        if let Some(c) = es.iter().find_map(|e| graph.cameo(e)) {
            attvalue(&mut s, "cameo", c);
        }
        attvalue(&mut s, "confidence", &best.to_string());
        attvalue(&mut s, "count", &count.to_string());
        attvalue(&mut s, "rules", &json_text(&rules));
        attvalue(&mut s, "evidence", &json_text(&evidence));
        s.push_str("        </attvalues>\n");
        // Spells only when every edge of the group is dated: an undated one is always there.
        let spells: Option<Vec<(String, String)>> = es.iter().map(|e| e.date.and_then(date_range)).collect();
        if let Some(spells) = spells {
            s.push_str("        <spells>\n");
            for (start, end) in merge(spells) {
                let _ = writeln!(s, "          <spell start=\"{start}\" end=\"{end}\"/>");
            }
            s.push_str("        </spells>\n");
        }
        color(&mut s, "        ", relation_color(relation));
        s.push_str("      </edge>\n");
    }
    s.push_str("    </edges>\n");
    s.push_str("  </graph>\n</gexf>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::merge;

    #[test]
    fn spells_merge_when_they_overlap() {
        let p = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(
            merge(vec![p("2024-03-05", "2024-03-05"), p("2024-03-01", "2024-03-31"), p("2022-01-01", "2022-12-31")]),
            vec![p("2022-01-01", "2022-12-31"), p("2024-03-01", "2024-03-31")]
        );
        assert_eq!(merge(vec![p("2024-03-31", "2024-03-31"), p("2024-04-01", "2024-04-30")]).len(), 2);
    }
}
