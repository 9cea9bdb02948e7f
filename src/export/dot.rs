//! Graphviz DOT, written from the graph by hand so that every name and sentence is quoted and
//! escaped: shape and colour by kind, label and colour by relation, symmetric relations without
//! arrowheads.

use std::fmt::Write;

use crate::graph::ActorGraph;
use crate::model::{Kind, RelationType};

/// A DOT double-quoted string: backslashes and quotes escaped, line breaks as `\n`, other
/// control characters dropped.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            // Bidirectional controls would reorder the rest of the file in some viewers.
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn kind_style(kind: Kind) -> (&'static str, &'static str) {
    match kind {
        Kind::Person => ("ellipse", "#cfe2ff"),
        Kind::Country => ("doubleoctagon", "#ffe5b4"),
        Kind::Organization => ("box", "#d1f2d8"),
        Kind::Location => ("house", "#f0e0ff"),
        Kind::Agreement => ("note", "#fff7b0"),
    }
}

/// The colour of an edge of each relation type.
pub fn relation_color(r: RelationType) -> &'static str {
    match r {
        RelationType::MetWith => "#1f77b4",
        RelationType::Visited => "#17becf",
        RelationType::AffiliatedWith => "#7f7f7f",
        RelationType::PartOf => "#8c564b",
        RelationType::LocatedIn => "#bcbd22",
        RelationType::PartyTo => "#9467bd",
        RelationType::CooperatesWith => "#2ca02c",
        RelationType::ProvidesAidTo => "#98df8a",
        RelationType::Sanctions => "#ff7f0e",
        RelationType::Criticizes => "#d62728",
        RelationType::Supports => "#00a86b",
        RelationType::Opposes => "#e377c2",
        RelationType::Threatens => "#ff9896",
        RelationType::Attacks => "#8b0000",
    }
}

pub fn write(graph: &ActorGraph) -> String {
    let mut s = String::new();
    s.push_str("digraph actorgraph {\n");
    s.push_str("  graph [rankdir=LR, overlap=false, fontname=\"Helvetica\"];\n");
    s.push_str("  node [style=filled, fontname=\"Helvetica\"];\n");
    s.push_str("  edge [fontname=\"Helvetica\", fontsize=10];\n");
    for n in graph.sorted_nodes() {
        let (shape, fill) = kind_style(n.kind);
        let _ = writeln!(
            s,
            "  {} [label={}, shape={shape}, fillcolor=\"{fill}\", tooltip={}];",
            quote(&n.id),
            quote(&n.label),
            quote(n.kind.as_str())
        );
    }
    for (src, dst, e) in graph.sorted_edges() {
        let label = match e.date {
            Some(d) => format!("{} ({d})", e.relation),
            None => e.relation.to_string(),
        };
        let dir = if e.relation.is_symmetric() { ", dir=none" } else { "" };
        let tip = e.evidence.first().map_or(String::new(), |ev| ev.sentence.clone());
        let _ = writeln!(
            s,
            "  {} -> {} [label={}, color=\"{}\", fontcolor=\"{}\"{dir}, tooltip={}];",
            quote(&src.id),
            quote(&dst.id),
            quote(&label),
            relation_color(e.relation),
            relation_color(e.relation),
            quote(&tip)
        );
    }
    s.push_str("}\n");
    s
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quotes_escape_everything() {
        assert_eq!(quote(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(quote("line\nbreak\u{7}\u{202E}"), r#""line\nbreak""#);
    }
}
