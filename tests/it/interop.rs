//! Interop: the exports load in the tools people use. Graphviz `dot` (Debian's graphviz) and
//! NetworkX (pip) are installed by `.ci/run`.

use std::process::Command;

use actorgraph::export::{self, Format, Options};
use actorgraph::{ActorGraph, Rules};

use super::support::{article_of, gold_files, graph_of, root, temp_dir};

fn need(tool: &str, args: &[&str]) {
    let ok = Command::new(tool).args(args).output().is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "`{tool}` is needed for this test: run `bash .ci/run`, or install it (graphviz from Debian, networkx from pip)"
    );
}

/// The seed article and the fixtures with awkward names, as one graph each.
fn graphs() -> Vec<(String, ActorGraph)> {
    let rules = Rules::builtin();
    let mut out = Vec::new();
    let seed = std::fs::read(root().join("data/articles/guatemala-2024-05-08.txt")).expect("seed");
    let a = actorgraph::article::from_txt("guatemala-2024-05-08", "seed", &seed).expect("seed parses");
    out.push(("seed".to_string(), graph_of(&rules, &a)));
    for (path, gold) in gold_files(&root().join("tests/fixtures/articles")) {
        let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or("").to_string();
        if name.contains("senegal") || name.contains("beijing-declaration") {
            out.push((name, graph_of(&rules, &article_of(&gold))));
        }
    }
    assert!(out.len() >= 3, "the awkward-name fixtures are missing");
    out
}

#[test]
fn dot_renders_with_graphviz() {
    need("dot", &["-V"]);
    let dir = temp_dir("interop-dot");
    for (name, g) in graphs() {
        let path = dir.join(format!("{name}.dot"));
        std::fs::write(&path, export::text(&g, Format::Dot, &Options::default()).expect("one file")).expect("written");
        let out = Command::new("dot").arg("-Tsvg").arg(&path).output().expect("dot runs");
        assert!(out.status.success(), "{name}: dot failed: {}", String::from_utf8_lossy(&out.stderr));
        let svg = decode_entities(&String::from_utf8_lossy(&out.stdout));
        assert!(svg.contains("<svg"), "{name}: no SVG");
        // Every node label made it into the picture.
        for n in g.sorted_nodes() {
            let escaped = n.label.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
            assert!(svg.contains(&escaped), "{name}: label {:?} missing from the SVG", n.label);
        }
    }
}

#[test]
fn json_loads_in_networkx() {
    need("python3", &["-c", "import networkx"]);
    let dir = temp_dir("interop-nx");
    for (name, g) in graphs() {
        let path = dir.join(format!("{name}.json"));
        std::fs::write(&path, export::text(&g, Format::Json, &Options::default()).expect("one file")).expect("written");
        let script = "import json, sys, networkx as nx\n\
            data = json.load(open(sys.argv[1], encoding='utf-8'))\n\
            g = nx.node_link_graph(data)\n\
            assert g.is_directed() and g.is_multigraph()\n\
            kinds = sorted({d['kind'] for _, d in g.nodes(data=True)})\n\
            rels = sorted({d['relation'] for _, _, d in g.edges(data=True)})\n\
            print(g.number_of_nodes(), g.number_of_edges(), ','.join(kinds), ','.join(rels))\n";
        let out = Command::new("python3").arg("-c").arg(script).arg(&path).output().expect("python runs");
        assert!(
            out.status.success(),
            "{name}: NetworkX could not load the JSON: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let line = String::from_utf8_lossy(&out.stdout);
        let f: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(f[0].parse::<usize>().ok(), Some(g.node_count()), "{name}: node count");
        assert_eq!(f[1].parse::<usize>().ok(), Some(g.edge_count()), "{name}: edge count");
    }
}

/// Numeric character references (`&#45;`) as characters, as a browser shows them.
fn decode_entities(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(at) = rest.find("&#") {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 2..];
        let end = tail.find(';').unwrap_or(0);
        let code = if let Some(hex) = tail[..end].strip_prefix('x') {
            u32::from_str_radix(hex, 16).ok()
        } else {
            tail[..end].parse().ok()
        };
        match code.and_then(char::from_u32) {
            Some(c) if end > 0 => {
                out.push(c);
                rest = &tail[end + 1..];
            }
            _ => {
                out.push_str("&#");
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out.replace("&quot;", "\"").replace("&#39;", "'")
}
