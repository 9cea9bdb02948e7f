//! Graphviz DOT, written from the graph by hand so that every name and sentence is quoted and
//! escaped: shape and colour by kind, label and colour by relation, symmetric relations without
//! arrowheads, a legend of the kinds and relations drawn, and optionally a box per country
//! holding its people, organizations and places.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use super::style::{kind_style, relation_color};
use super::{ClusterBy, Options, fresh_prefix};
use crate::graph::{ActorGraph, Node};
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

/// A tooltip: [`quote`]d, with backslashes as U+29F5 (⧵). Graphviz expands `\N`, `\G` and
/// the like in tooltips even after an escaped backslash, so a tooltip cannot carry one.
fn tooltip(s: &str) -> String {
    quote(&s.replace('\\', "\u{29F5}"))
}

/// The country each person, organization and place belongs with, by node id: the country it
/// is `affiliated_with` or `part_of` (places: `located_in`), else the country of an
/// organization it is affiliated with or part of. With several, the one stated most often
/// wins, then the first by id.
pub fn country_of(graph: &ActorGraph) -> BTreeMap<String, String> {
    let edges = graph.sorted_edges();
    let links = |member: &Node, relation: RelationType| match member.kind {
        Kind::Person | Kind::Organization => {
            matches!(relation, RelationType::AffiliatedWith | RelationType::PartOf)
        }
        Kind::Location => relation == RelationType::LocatedIn,
        Kind::Country | Kind::Agreement => false,
    };
    // Votes per member and country: how many sentences state the link.
    let mut votes: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for (s, t, e) in &edges {
        if t.kind == Kind::Country && links(s, e.relation) {
            *votes.entry(&s.id).or_default().entry(&t.id).or_default() += e.count.max(1) as usize;
        }
    }
    let winner = |v: &BTreeMap<&str, usize>| -> Option<String> {
        // Most votes, then the smallest id (max_by_key keeps the last maximum: iterate reversed).
        v.iter().rev().max_by_key(|(_, n)| **n).map(|(c, _)| c.to_string())
    };
    let mut out: BTreeMap<String, String> =
        votes.iter().filter_map(|(m, v)| winner(v).map(|c| (m.to_string(), c))).collect();
    // One hop through organizations.
    let mut indirect: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for (s, t, e) in &edges {
        if out.contains_key(&s.id) || t.kind != Kind::Organization || !links(s, e.relation) {
            continue;
        }
        if let Some(c) = out.get(&t.id) {
            *indirect.entry(&s.id).or_default().entry(c.as_str()).or_default() += e.count.max(1) as usize;
        }
    }
    let found: Vec<(String, String)> =
        indirect.iter().filter_map(|(m, v)| winner(v).map(|c| (m.to_string(), c))).collect();
    out.extend(found);
    out
}

fn node_line(s: &mut String, indent: &str, n: &Node) {
    let style = kind_style(n.kind);
    let mut tip = format!("{} ({})", n.label, n.kind);
    let others: Vec<&str> = n.aliases.iter().map(String::as_str).filter(|a| *a != n.label).collect();
    if !others.is_empty() {
        tip.push_str(&format!("\nalso: {}", others.join(", ")));
    }
    let _ = writeln!(
        s,
        "{indent}{} [label={}, shape={}, fillcolor=\"{}\", color=\"{}\", tooltip={}];",
        quote(&n.id),
        quote(&n.label),
        style.dot_shape,
        style.fill,
        style.stroke,
        tooltip(&tip)
    );
}

/// How many unrelated actors go in one row.
const ROW: usize = 4;

pub fn write(graph: &ActorGraph, options: &Options) -> String {
    let nodes = graph.sorted_nodes();
    let edges = graph.sorted_edges();
    let mut s = String::new();
    s.push_str("digraph actorgraph {\n");
    let docs = graph.document_count();
    let title = format!(
        "{} actor{}, {} relation{} from {docs} document{}",
        nodes.len(),
        if nodes.len() == 1 { "" } else { "s" },
        edges.len(),
        if edges.len() == 1 { "" } else { "s" },
        if docs == 1 { "" } else { "s" }
    );
    let _ = writeln!(
        s,
        "  graph [rankdir=LR, overlap=false, splines=true, nodesep=0.25, ranksep=0.5, pad=0.3, \
         fontname=\"Helvetica\", fontsize=12, labelloc=t, label={}];",
        quote(&title)
    );
    s.push_str("  node [style=filled, fontname=\"Helvetica\", fontsize=11, penwidth=1.2];\n");
    s.push_str("  edge [fontname=\"Helvetica\", fontsize=9, arrowsize=0.7];\n");

    // Actors, in their country's box when clustering.
    let clusters: BTreeMap<String, Vec<&Node>> = match options.cluster_by {
        Some(ClusterBy::Country) => {
            let mut c: BTreeMap<String, Vec<&Node>> = BTreeMap::new();
            for (member, country) in country_of(graph) {
                if let Some(n) = graph.node(&member) {
                    c.entry(country).or_default().push(n);
                }
            }
            c.retain(|country, _| graph.node(country).is_some());
            c
        }
        None => BTreeMap::new(),
    };
    let clustered: BTreeSet<&str> = clusters
        .iter()
        .flat_map(|(c, members)| std::iter::once(c.as_str()).chain(members.iter().map(|n| n.id.as_str())))
        .collect();
    let cluster_prefix = fresh_prefix(graph, "cluster_");
    for (country, members) in &clusters {
        let Some(c) = graph.node(country) else { continue };
        let style = kind_style(Kind::Country);
        let _ = writeln!(s, "  subgraph {} {{", quote(&format!("{cluster_prefix}{country}")));
        let _ = writeln!(
            s,
            "    graph [label={}, style=\"rounded,dashed\", color=\"{}\", fontcolor=\"{}\"];",
            quote(&c.label),
            style.stroke,
            style.stroke
        );
        node_line(&mut s, "    ", c);
        for n in members {
            node_line(&mut s, "    ", n);
        }
        s.push_str("  }\n");
    }
    // Actors named without any relation: a box of their own, in rows, so that they do not
    // stack up in one long column.
    let mut related: BTreeSet<&str> = BTreeSet::new();
    for (src, dst, _) in &edges {
        related.insert(&src.id);
        related.insert(&dst.id);
    }
    let mut unrelated: Vec<&Node> = nodes.iter().copied().filter(|n| !related.contains(n.id.as_str())).collect();
    unrelated.sort_by(|a, b| (a.kind, &a.label, &a.id).cmp(&(b.kind, &b.label, &b.id)));
    for n in &nodes {
        if !clustered.contains(n.id.as_str()) && related.contains(n.id.as_str()) {
            node_line(&mut s, "  ", n);
        }
    }
    if !unrelated.is_empty() {
        let _ = writeln!(s, "  subgraph {} {{", quote(&format!("{cluster_prefix}unrelated")));
        s.push_str(
            "    graph [label=\"named, without relations\", style=\"rounded,dotted\", color=\"#bbbbbb\", \
             fontcolor=\"#777777\", fontsize=10];\n",
        );
        for n in &unrelated {
            node_line(&mut s, "    ", n);
        }
        for row in unrelated.chunks(ROW) {
            if row.len() > 1 {
                let ids: Vec<String> = row.iter().map(|n| quote(&n.id)).collect();
                let _ = writeln!(s, "    {} [style=invis];", ids.join(" -> "));
            }
        }
        s.push_str("  }\n");
    }

    for (src, dst, e) in &edges {
        let label = match e.date {
            Some(d) => format!("{}\n{d}", e.relation),
            None => e.relation.to_string(),
        };
        let dir = if e.relation.is_symmetric() { ", dir=none" } else { "" };
        let width = 1.0 + 0.5 * (e.count.clamp(1, 5) - 1) as f32;
        let tip = e.evidence.first().map_or(String::new(), |ev| {
            format!("{}: {}", graph.document_id(ev.document), graph.sentences.get_or_note(ev.sentence))
        });
        let color = relation_color(e.relation);
        let _ = writeln!(
            s,
            "  {} -> {} [label={}, color=\"{color}\", fontcolor=\"{color}\", penwidth={width:.1}{dir}, tooltip={}];",
            quote(&src.id),
            quote(&dst.id),
            quote(&label),
            tooltip(&tip)
        );
    }

    legend(&mut s, graph);
    s.push_str("}\n");
    s
}

/// A box naming the kinds and relations the diagram shows: a sample node per kind, a coloured
/// bar per relation.
fn legend(s: &mut String, graph: &ActorGraph) {
    let kinds: BTreeSet<Kind> = graph.graph.node_weights().map(|n| n.kind).collect();
    let relations: BTreeSet<RelationType> = graph.graph.edge_weights().map(|e| e.relation).collect();
    if kinds.is_empty() {
        return;
    }
    let prefix = fresh_prefix(graph, "legend:");
    s.push_str("  subgraph cluster_legend {\n");
    s.push_str(
        "    graph [label=\"Legend\", style=\"rounded\", color=\"#bbbbbb\", fontcolor=\"#555555\", fontsize=11];\n",
    );
    for k in &kinds {
        let style = kind_style(*k);
        let _ = writeln!(
            s,
            "    {} [label=\"{k}\", shape={}, fillcolor=\"{}\", color=\"{}\", fontsize=10, tooltip=\"kind\"];",
            quote(&format!("{prefix}{k}")),
            style.dot_shape,
            style.fill,
            style.stroke
        );
    }
    if !relations.is_empty() {
        // An HTML-like table: only our own relation names go in it, which need no escaping.
        let mut rows = String::new();
        for r in &relations {
            let note = if r.is_symmetric() { " (no direction)" } else { "" };
            let _ = write!(
                rows,
                "<tr><td bgcolor=\"{}\" width=\"24\" height=\"6\" fixedsize=\"true\"></td>\
                 <td align=\"left\"><font color=\"{}\">{r}{note}</font></td></tr>",
                relation_color(*r),
                relation_color(*r)
            );
        }
        let _ = writeln!(
            s,
            "    {} [shape=plain, style=\"\", fontsize=10, label=<<table border=\"0\" cellspacing=\"3\" \
             cellpadding=\"1\">{rows}</table>>];",
            quote(&format!("{prefix}relations"))
        );
    }
    // One row: the kind samples, then the relations.
    let mut chain: Vec<String> = kinds.iter().map(|k| quote(&format!("{prefix}{k}"))).collect();
    if !relations.is_empty() {
        chain.push(quote(&format!("{prefix}relations")));
    }
    if chain.len() > 1 {
        let _ = writeln!(s, "    {} [style=invis];", chain.join(" -> "));
    }
    s.push_str("  }\n");
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quotes_escape_everything() {
        assert_eq!(quote(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(quote("line\nbreak\u{7}\u{202E}"), r#""line\nbreak""#);
        assert_eq!(super::tooltip(r"a\N"), "\"a\u{29F5}N\"");
    }
}
