//! Every export format loaded by its real consumer, on the seed, the awkward-name fixtures and
//! the hostile fixtures (tests/fixtures/hostile/): DOT and SVG through Graphviz, GraphML, GEXF
//! and Cytoscape JSON through NetworkX, the CSV as Python's csv module (and so neo4j-admin)
//! reads it, and the HTML page in headless Chromium. Names and sentences must come out as they
//! went in, less only the characters a format cannot carry. Also the `export` command.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use actorgraph::ActorGraph;
use actorgraph::export::{self, ClusterBy, Format, Options};
use serde_json::{Value, json};

use super::support::{fnv, graphs, hostile_graph, need, python_json, root, run, temp_dir};

fn write(dir: &Path, name: &str, g: &ActorGraph, format: Format, options: &Options) -> PathBuf {
    let path = dir.join(format!("{name}.{}", format.extension()));
    std::fs::write(&path, export::text(g, format, options).expect("one file")).expect("written");
    path
}

/// What XML can carry of a text (its `Char` production).
fn xml_clean(s: &str) -> String {
    s.chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
        })
        .collect()
}

/// What the CSV keeps of a text: no control characters but tab and line breaks.
fn csv_clean(s: &str) -> String {
    s.chars().filter(|&c| !c.is_control() || matches!(c, '\t' | '\n' | '\r')).collect()
}

/// The lines Graphviz draws for a label: control and bidirectional control characters dropped,
/// a line per line break.
fn dot_lines(s: &str) -> Vec<String> {
    let kept: String = s
        .chars()
        .filter(|&c| c == '\n' || !(c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')))
        .collect();
    kept.split('\n').map(str::to_string).filter(|l| !l.trim().is_empty()).collect()
}

/// The text of an SVG as a browser shows it: entities and character references decoded.
fn svg_text(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 1..];
        let end = tail.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|end| {
            let name = &tail[..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => match name.strip_prefix("#x") {
                    Some(hex) => u32::from_str_radix(hex, 16).ok().and_then(char::from_u32),
                    None => name.strip_prefix('#').and_then(|d| d.parse().ok()).and_then(char::from_u32),
                },
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &tail[end + 1..];
            }
            None => {
                out.push('&');
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Renders DOT text with Graphviz.
fn graphviz(dot: &Path, format: &str) -> Vec<u8> {
    let out = Command::new("dot").arg(format!("-T{format}")).arg(dot).output().expect("dot runs");
    assert!(out.status.success(), "{}: dot failed: {}", dot.display(), String::from_utf8_lossy(&out.stderr));
    out.stdout
}

fn sorted(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = v.as_array().expect("a list").iter().map(|x| x.to_string()).collect();
    out.sort();
    out
}

#[test]
fn dot_and_svg_render_in_graphviz() {
    need("dot", &["-V"]);
    let dir = temp_dir("exports-dot");
    for (name, g) in graphs() {
        for (suffix, options) in
            [("", Options::default()), ("-clustered", Options { cluster_by: Some(ClusterBy::Country) })]
        {
            let path = write(&dir, &format!("{name}{suffix}"), &g, Format::Dot, &options);
            let svg = String::from_utf8(graphviz(&path, "svg")).expect("UTF-8 SVG");
            assert!(svg.contains("<svg"), "{name}: no SVG");
            let text = svg_text(&svg);
            for n in g.sorted_nodes() {
                for line in dot_lines(&n.label) {
                    assert!(
                        text.contains(&format!(">{line}<")),
                        "{name}{suffix}: label line {line:?} missing from the SVG"
                    );
                }
            }
            // One node and one edge drawn per node and edge of the graph, plus the legend.
            let nodes = svg.matches("class=\"node\"").count();
            let kinds: BTreeSet<_> = g.sorted_nodes().iter().map(|n| n.kind).collect();
            let legend = kinds.len() + usize::from(g.edge_count() > 0);
            assert_eq!(nodes, g.node_count() + legend, "{name}{suffix}: nodes drawn");
            // Invisible edges (the legend's and the unrelated actors' rows) are not drawn.
            let edges = svg.matches("class=\"edge\"").count();
            assert_eq!(edges, g.edge_count(), "{name}{suffix}: edges drawn");
            assert!(text.contains(">Legend<"), "{name}{suffix}: no legend");
            for (_, _, e) in g.sorted_edges() {
                assert!(
                    text.contains(&format!(">{}", e.relation)),
                    "{name}{suffix}: relation {} not in the legend",
                    e.relation
                );
            }
        }
    }
}

#[test]
fn clusters_group_actors_with_their_country() {
    need("dot", &["-V"]);
    let (_, seed) = graphs().into_iter().next().expect("seed");
    let of = export::country_of(&seed);
    let expected = [
        ("person:antony-blinken", "country:united-states"),
        ("person:joe-biden", "country:united-states"),
        ("organization:us-customs-and-border-protection", "country:united-states"),
        ("location:california", "country:united-states"),
        ("person:bernardo-arevalo", "country:guatemala"),
        ("location:guatemala-city", "country:guatemala"),
    ];
    for (member, country) in expected {
        assert_eq!(of.get(member).map(String::as_str), Some(country), "{member}");
    }
    assert!(!of.contains_key("person:donald-trump"), "Trump is affiliated with a party, not a country");
    let dot = export::text(&seed, Format::Dot, &Options { cluster_by: Some(ClusterBy::Country) }).expect("dot");
    let block = dot.split("subgraph \"cluster_country:united-states\"").nth(1).expect("a US cluster");
    let block = &block[..block.find("\n  }").expect("closed")];
    for member in ["person:antony-blinken", "person:joe-biden", "country:united-states"] {
        assert!(block.contains(&format!("\"{member}\" [")), "{member} not in the US cluster:\n{block}");
    }
    let dir = temp_dir("exports-cluster");
    std::fs::write(dir.join("c.dot"), &dot).expect("written");
    let svg = String::from_utf8(graphviz(&dir.join("c.dot"), "svg")).expect("svg");
    assert!(svg.contains("<title>cluster_country:united&#45;states</title>"), "no US cluster drawn");
    assert!(svg_text(&svg).contains(">United States</text>"));
}

#[test]
fn svg_and_png_come_from_graphviz_and_say_when_it_is_missing() {
    need("dot", &["-V"]);
    let dir = temp_dir("exports-pictures");
    let out = run(
        &root(),
        &["build", "data", "-f", "svg,png", "--cluster-by", "country", "-o", dir.to_str().expect("utf-8"), "-q"],
        None,
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let svg = std::fs::read_to_string(dir.join("graph.svg")).expect("graph.svg");
    assert!(svg.contains("<svg") && svg.contains("Antony Blinken") && svg.contains("cluster_country:"));
    let png = std::fs::read(dir.join("graph.png")).expect("graph.png");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");

    // Without Graphviz: a clear message, exit 2, nothing written.
    let missing = temp_dir("exports-no-dot");
    let out = Command::new(env!("CARGO_BIN_EXE_actorgraph"))
        .args(["build", "data", "-f", "json,svg", "-o", missing.join("out").to_str().expect("utf-8")])
        .current_dir(root())
        .env("GRAPHVIZ_DOT", missing.join("no-such-dot"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--format svg needs Graphviz's `dot` program") && err.contains("install Graphviz"), "{err}");
    assert!(!missing.join("out").exists(), "nothing is written when a picture cannot be made");
}

const GRAPHML_CHECK: &str = r#"
import json, sys, networkx as nx
g = nx.read_graphml(sys.argv[1])
types = {}
for _, d in g.nodes(data=True):
    for k, v in d.items():
        types.setdefault('node ' + k, set()).add(type(v).__name__)
for _, _, d in g.edges(data=True):
    for k, v in d.items():
        types.setdefault('edge ' + k, set()).add(type(v).__name__)
print(json.dumps({
    "directed": g.is_directed(), "multigraph": g.is_multigraph(),
    "nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
    "generator": g.graph.get("generator"),
    "labels": {n: d["label"] for n, d in g.nodes(data=True)},
    "aliases": {n: json.loads(d["aliases"]) for n, d in g.nodes(data=True)},
    "edge_data": [[u, v, d["relation"], d.get("date", ""), d["symmetric"], d["count"], d["key"],
                   [e["sentence"] for e in json.loads(d["evidence"])]] for u, v, d in g.edges(data=True)],
    "types": {k: sorted(v) for k, v in types.items()},
}))
"#;

#[test]
fn graphml_loads_in_networkx() {
    need("python3", &["-c", "import networkx"]);
    let dir = temp_dir("exports-graphml");
    for (name, g) in graphs() {
        let path = write(&dir, &name, &g, Format::Graphml, &Options::default());
        let v = python_json(GRAPHML_CHECK, &[&path]);
        assert_eq!(v["directed"], true, "{name}");
        assert_eq!(v["nodes"], g.node_count(), "{name}: node count");
        assert_eq!(v["edges"], g.edge_count(), "{name}: edge count");
        assert_eq!(v["generator"], format!("actorgraph {}", env!("CARGO_PKG_VERSION")));
        let labels: BTreeMap<String, String> =
            g.sorted_nodes().iter().map(|n| (xml_clean(&n.id), xml_clean(&n.label))).collect();
        assert_eq!(v["labels"], json!(labels), "{name}: labels");
        let aliases: BTreeMap<String, Vec<String>> =
            g.sorted_nodes().iter().map(|n| (xml_clean(&n.id), n.aliases.iter().cloned().collect())).collect();
        assert_eq!(v["aliases"], json!(aliases), "{name}: aliases (JSON text, exact)");
        let edges: Vec<Value> = g
            .sorted_edges()
            .iter()
            .map(|(s, t, e)| {
                json!([
                    xml_clean(&s.id),
                    xml_clean(&t.id),
                    e.relation.as_str(),
                    e.date.map(|d| d.to_string()).unwrap_or_default(),
                    e.relation.is_symmetric(),
                    e.count,
                    xml_clean(&actorgraph::graph::edge_key(&s.id, &t.id, e)),
                    g.evidence(e).iter().map(|x| x.sentence.clone()).collect::<Vec<_>>()
                ])
            })
            .collect();
        assert_eq!(sorted(&v["edge_data"]), sorted(&json!(edges)), "{name}: edges");
        let types = &v["types"];
        for (field, ty) in [
            ("node mentions", "int"),
            ("node label", "str"),
            ("edge count", "int"),
            ("edge weight", "float"),
            ("edge confidence", "float"),
            ("edge symmetric", "bool"),
        ] {
            assert_eq!(types[field], json!([ty]), "{name}: {field} is typed");
        }
    }
}

const GEXF_CHECK: &str = r#"
import json, sys, networkx as nx
g = nx.read_gexf(sys.argv[1], version="1.3")
print(json.dumps({
    "directed": g.is_directed(), "mode": g.graph.get("mode"),
    "nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
    "labels": {n: d["label"] for n, d in g.nodes(data=True)},
    "kinds": {n: d["kind"] for n, d in g.nodes(data=True)},
    "colors": {n: d["viz"]["color"] for n, d in g.nodes(data=True)},
    "edge_data": [[u, v, d["relation"], d["label"], d["symmetric"], d["count"], d["weight"],
                   [list(s) for s in d.get("spells", [])], sorted(json.loads(d["keys"])),
                   [e["sentence"] for e in json.loads(d["evidence"])]] for u, v, d in g.edges(data=True)],
}))
"#;

#[test]
fn gexf_loads_in_networkx_with_time_spells() {
    need("python3", &["-c", "import networkx"]);
    let dir = temp_dir("exports-gexf");
    for (name, g) in graphs() {
        let path = write(&dir, &name, &g, Format::Gexf, &Options::default());
        let v = python_json(GEXF_CHECK, &[&path]);
        assert_eq!(v["directed"], true);
        assert_eq!(v["mode"], "dynamic");
        assert_eq!(v["nodes"], g.node_count(), "{name}: node count");
        let labels: BTreeMap<String, String> =
            g.sorted_nodes().iter().map(|n| (xml_clean(&n.id), xml_clean(&n.label))).collect();
        assert_eq!(v["labels"], json!(labels), "{name}: labels");
        let kinds: BTreeMap<String, &str> =
            g.sorted_nodes().iter().map(|n| (xml_clean(&n.id), n.kind.as_str())).collect();
        assert_eq!(v["kinds"], json!(kinds), "{name}: kinds");
        // One GEXF edge per source, target and relation; its spells are its dates' periods.
        let mut groups: BTreeMap<(String, String, &str), Vec<&actorgraph::graph::EdgeData>> = BTreeMap::new();
        let edges = g.sorted_edges();
        for (s, t, e) in &edges {
            groups.entry((s.id.clone(), t.id.clone(), e.relation.as_str())).or_default().push(e);
        }
        assert_eq!(v["edges"], groups.len(), "{name}: edge count");
        let expected: Vec<Value> = groups
            .iter()
            .map(|((s, t, r), es)| {
                let all_dated = es.iter().all(|e| e.date.is_some());
                let mut spells: Vec<(String, String)> = if all_dated {
                    es.iter().filter_map(|e| e.date.and_then(export::date_range)).collect()
                } else {
                    Vec::new()
                };
                spells.sort();
                let mut merged: Vec<(String, String)> = Vec::new();
                for (a, b) in spells {
                    match merged.last_mut() {
                        Some(last) if a <= last.1 => last.1 = last.1.clone().max(b),
                        _ => merged.push((a, b)),
                    }
                }
                let count: u64 = es.iter().map(|e| u64::from(e.count)).sum();
                let mut keys: Vec<String> = es.iter().map(|e| actorgraph::graph::edge_key(s, t, e)).collect();
                keys.sort();
                json!([
                    xml_clean(s),
                    xml_clean(t),
                    r,
                    r,
                    es[0].relation.is_symmetric(),
                    count,
                    count as f64,
                    merged.iter().map(|(a, b)| vec![a.clone(), b.clone()]).collect::<Vec<_>>(),
                    keys,
                    es.iter().flat_map(|e| g.evidence(e).into_iter().map(|x| x.sentence)).collect::<Vec<_>>()
                ])
            })
            .collect();
        assert_eq!(sorted(&v["edge_data"]), sorted(&json!(expected)), "{name}: edges");
    }
    // Dates of each precision become the period they name.
    let path = write(&dir, "hostile-dates", &hostile_graph(), Format::Gexf, &Options::default());
    let gexf = std::fs::read_to_string(path).expect("gexf");
    for spell in [
        "<spell start=\"2024-06-03\" end=\"2024-06-03\"/>",
        "<spell start=\"2024-03-01\" end=\"2024-03-31\"/>",
        "<spell start=\"2022-01-01\" end=\"2022-12-31\"/>",
        "<spell start=\"2024-05-01\" end=\"2024-05-31\"/>",
    ] {
        assert!(gexf.contains(spell), "{spell} missing");
    }
}

const CYTOSCAPE_CHECK: &str = r#"
import json, sys, networkx as nx
data = json.load(open(sys.argv[1], encoding="utf-8"))
g = nx.cytoscape_graph(data)
print(json.dumps({
    "directed": g.is_directed(), "multigraph": g.is_multigraph(),
    "nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
    "labels": {n: d["label"] for n, d in g.nodes(data=True)},
    "names": {n: d["name"] for n, d in g.nodes(data=True)},
    "edge_data": [[u, v, k, d["relation"], d.get("date", ""), d["evidence"]] for u, v, k, d in g.edges(keys=True, data=True)],
    "ids_unique": len({e["data"]["id"] for e in data["elements"]["edges"]} | {n["data"]["id"] for n in data["elements"]["nodes"]})
        == len(data["elements"]["edges"]) + len(data["elements"]["nodes"]),
}))
"#;

#[test]
fn cytoscape_json_loads_in_networkx() {
    need("python3", &["-c", "import networkx"]);
    let dir = temp_dir("exports-cytoscape");
    for (name, g) in graphs() {
        let path = write(&dir, &name, &g, Format::Cytoscape, &Options::default());
        let v = python_json(CYTOSCAPE_CHECK, &[&path]);
        assert_eq!(v["directed"], true);
        assert_eq!(v["multigraph"], true);
        assert_eq!(v["ids_unique"], true, "{name}: Cytoscape.js needs every element id unique");
        assert_eq!(v["nodes"], g.node_count(), "{name}: node count");
        assert_eq!(v["edges"], g.edge_count(), "{name}: edge count");
        let labels: BTreeMap<&str, &str> = g.sorted_nodes().iter().map(|n| (n.id.as_str(), n.label.as_str())).collect();
        assert_eq!(v["labels"], json!(labels), "{name}: labels, exact");
        assert_eq!(v["names"], json!(labels), "{name}: names (what Cytoscape desktop shows)");
        let edges: Vec<Value> = g
            .sorted_edges()
            .iter()
            .map(|(s, t, e)| {
                json!([
                    s.id,
                    t.id,
                    actorgraph::graph::edge_key(&s.id, &t.id, e),
                    e.relation.as_str(),
                    e.date.map(|d| d.to_string()).unwrap_or_default(),
                    g.evidence(e).iter().map(|x| x.sentence.clone()).collect::<Vec<_>>()
                ])
            })
            .collect();
        assert_eq!(sorted(&v["edge_data"]), sorted(&json!(edges)), "{name}: edges, exact");
    }
}

const CSV_CHECK: &str = r#"
import csv, json, os, sys
d = sys.argv[1]
def rows(name):
    with open(os.path.join(d, name), newline="", encoding="utf-8") as f:
        return list(csv.reader(f, strict=True))
nodes, rels = rows("nodes.csv"), rows("relationships.csv")
nh, rh = nodes[0], rels[0]
def col(h, r, name):
    return r[h.index(name)]
split = lambda s: s.split("\x1f") if s else []
print(json.dumps({
    "node_header": nh, "rel_header": rh,
    "widths": sorted({len(r) for r in nodes[1:]} | {len(r) for r in rels[1:]} | {len(nh), len(rh)}),
    "nodes": {col(nh, r, "id:ID"): [col(nh, r, "label"), split(col(nh, r, ":LABEL")), split(col(nh, r, "aliases:string[]")), col(nh, r, "mentions:int")] for r in nodes[1:]},
    "rels": [[col(rh, r, ":START_ID"), col(rh, r, ":END_ID"), col(rh, r, ":TYPE"), col(rh, r, "date"), col(rh, r, "first_day:date"),
              col(rh, r, "last_day:date"), split(col(rh, r, "evidence:string[]"))] for r in rels[1:]],
}))
"#;

#[test]
fn csv_reads_as_neo4j_admin_import_expects() {
    need("python3", &["-c", "import csv"]);
    for (name, g) in graphs() {
        let dir = temp_dir(&format!("exports-csv-{name}"));
        for f in export::files(&g, Format::Csv, &Options::default()) {
            std::fs::write(dir.join(&f.name), &f.text).expect("written");
        }
        let v = python_json(CSV_CHECK, &[&dir]);
        assert_eq!(v["node_header"][0], "id:ID");
        assert!(sorted(&v["node_header"]).contains(&"\":LABEL\"".to_string()));
        assert_eq!(
            v["rel_header"].as_array().map(|h| h[..3].to_vec()),
            Some(vec![json!(":START_ID"), json!(":END_ID"), json!(":TYPE")])
        );
        assert_eq!(v["widths"].as_array().map(Vec::len), Some(2), "{name}: every row as wide as its header");
        let nodes: BTreeMap<String, Value> = g
            .sorted_nodes()
            .iter()
            .map(|n| {
                let label = match n.kind {
                    actorgraph::Kind::Person => "Person",
                    actorgraph::Kind::Country => "Country",
                    actorgraph::Kind::Organization => "Organization",
                    actorgraph::Kind::Location => "Location",
                    actorgraph::Kind::Agreement => "Agreement",
                };
                let aliases: Vec<String> = n.aliases.iter().map(|a| csv_clean(a)).collect();
                (csv_clean(&n.id), json!([csv_clean(&n.label), ["Actor", label], aliases, n.mentions.to_string()]))
            })
            .collect();
        assert_eq!(v["nodes"], json!(nodes), "{name}: nodes");
        let rels: Vec<Value> = g
            .sorted_edges()
            .iter()
            .map(|(s, t, e)| {
                let range = e.date.and_then(export::date_range).unwrap_or_default();
                json!([
                    csv_clean(&s.id),
                    csv_clean(&t.id),
                    e.relation.as_str().to_ascii_uppercase(),
                    e.date.map(|d| d.to_string()).unwrap_or_default(),
                    range.0,
                    range.1,
                    g.evidence(e).iter().map(|x| csv_clean(&x.sentence)).collect::<Vec<_>>()
                ])
            })
            .collect();
        assert_eq!(sorted(&v["rels"]), sorted(&json!(rels)), "{name}: relationships");
        let cypher = std::fs::read_to_string(dir.join("import.cypher")).expect("import.cypher");
        assert!(cypher.contains("LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row"));
        for (_, _, e) in g.sorted_edges() {
            let t = e.relation.as_str().to_ascii_uppercase();
            assert!(cypher.contains(&format!("MERGE (s)-[r:{t} {{key: row.key}}]->(t)")), "{name}: no MERGE for {t}");
        }
        assert_eq!(cypher.matches('(').count(), cypher.matches(')').count(), "balanced parentheses");
        assert_eq!(cypher.matches('[').count(), cypher.matches(']').count(), "balanced brackets");
    }
}

/// Opens a page in headless Chromium through tests/it/browser.py; what it saw.
fn browse(page: &Path, screenshot: &Path, extra: &[&str]) -> Value {
    need("python3", &["-c", "import selenium"]);
    need("chromium", &["--version"]);
    need("chromedriver", &["--version"]);
    let script = root().join("tests/it/browser.py");
    let out =
        Command::new("python3").arg(&script).arg(page).arg(screenshot).args(extra).output().expect("python3 runs");
    assert!(
        out.status.success(),
        "{}: the browser check failed:\n{}",
        page.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

/// What every page must show: every actor drawn with its label exactly, the evidence of the
/// clicked edge, no script of the article's run, no error.
fn check_page(name: &str, g: &ActorGraph, v: &Value) {
    assert_eq!(v["nodes_drawn"], g.node_count(), "{name}: actors drawn");
    assert_eq!(v["nodes_drawn_text"], g.node_count().to_string(), "{name}: the count shown");
    assert_eq!(v["edges_drawn"], g.edge_count(), "{name}: relations drawn");
    assert!(
        v["title"].as_str().is_some_and(|t| t.starts_with(&format!("{} of {} actors", g.node_count(), g.node_count()))),
        "{name}: {}",
        v["title"]
    );
    let mut labels: Vec<String> = g.sorted_nodes().iter().map(|n| n.label.clone()).collect();
    labels.sort();
    assert_eq!(v["labels"], json!(labels), "{name}: labels, exact");
    assert_eq!(v["canvas_drawn"], true, "{name}: nothing drawn");
    assert_eq!(v["pwned"], false, "{name}: article text ran as script");
    assert_eq!(v["pwned_after"], false, "{name}: article text ran as script");
    assert_eq!(v["console_errors"], json!([]), "{name}: errors in the browser console");
    if g.edge_count() > 0 {
        let id = v["clicked_edge"].as_str().unwrap_or_else(|| panic!("{name}: clicking an edge selected nothing"));
        let edge = g
            .sorted_edges()
            .into_iter()
            .find(|(s, t, e)| actorgraph::graph::edge_key(&s.id, &t.id, e) == id)
            .unwrap_or_else(|| panic!("{name}: clicked {id}, which is no edge"));
        let details = v["details"].as_str().unwrap_or("");
        for ev in &g.evidence(edge.2) {
            assert!(details.contains(&*ev.sentence), "{name}: evidence {:?} not shown:\n{details}", ev.sentence);
        }
        assert!(details.contains(edge.2.relation.as_str()));
    }
}

#[test]
fn html_page_in_chromium() {
    let dir = temp_dir("exports-html");
    let page = dir.join("graph.html");
    let out = run(&root(), &["build", "data", "-f", "html", "-o", page.to_str().expect("utf-8"), "-q"], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let html = std::fs::read(&page).expect("page");
    let shot = dir.join("page.png");
    let edge = "person:antony-blinken|visited|country:guatemala|2024-05-07";
    let v = browse(&page, &shot, &["--filter", "affiliated_with", "--edge", edge, "--stamp", &fnv(&html)]);
    assert_eq!(v["clicked_edge"], edge);
    let (_, seed) = graphs().into_iter().next().expect("seed");
    check_page("seed", &seed, &v);
    // Trump's party is tied to the graph only by `affiliated_with`: turning it off hides it.
    let after = v["after_filter_click"].as_u64().expect("a count");
    assert!(after < seed.node_count() as u64, "turning affiliated_with off changed nothing: {v}");
    assert_eq!(v["after_filter_click_text"], after.to_string());
    assert!(v["after_filter_title"].as_str().is_some_and(|t| t.starts_with(&format!("{after} of"))));
    assert_eq!(v["after_second_click"], seed.node_count(), "turning it on again brings them back");
    assert!(v["after_date_range"].as_u64().is_some_and(|n| n < seed.node_count() as u64), "the date range hid nothing");
    assert_eq!(v["search_result"], "1 match");
    let png = std::fs::read(&shot).expect("screenshot");
    assert!(png.starts_with(b"\x89PNG") && png.len() > 20_000, "the screenshot is not a picture");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(root().join("output/page.png"), &png).expect("output/page.png written");
    }
}

#[test]
fn hostile_names_stay_text_in_the_page() {
    let dir = temp_dir("exports-html-hostile");
    for (name, g) in graphs().into_iter().filter(|(n, _)| n.starts_with("hostile")) {
        let page = write(&dir, &name, &g, Format::Html, &Options::default());
        let html = std::fs::read_to_string(&page).expect("page");
        // The data block holds no markup: every `<` of the articles is an escape.
        let start = html.find("<script type=\"application/json\" id=\"graph-data\">").expect("data block");
        let block = &html[start + 50..];
        let block = &block[..block.find("</script>").expect("end of the data block")];
        assert!(!block.contains('<') && !block.contains('>') && !block.contains('&'), "{name}: raw markup in the data");
        let v = browse(&page, &dir.join(format!("{name}.png")), &[]);
        check_page(&name, &g, &v);
    }
}

#[test]
fn csp_hashes_match_the_scripts() {
    need("python3", &["-c", "import hashlib"]);
    let (_, seed) = graphs().into_iter().next().expect("seed");
    let html = export::text(&seed, Format::Html, &Options::default()).expect("page");
    let dir = temp_dir("exports-csp");
    std::fs::write(dir.join("page.html"), &html).expect("written");
    let v = python_json(
        r#"
import base64, hashlib, json, re, sys
html = open(sys.argv[1], encoding="utf-8").read()
csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html).group(1)
scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
print(json.dumps({"csp": csp, "hashes": ["sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in scripts]}))
"#,
        &[&dir.join("page.html")],
    );
    let csp = v["csp"].as_str().expect("a policy");
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
    let hashes = v["hashes"].as_array().expect("hashes");
    assert_eq!(hashes.len(), 2, "two inline scripts: Cytoscape.js and the page's");
    for h in hashes {
        let h = h.as_str().expect("hash");
        assert!(
            csp.contains(h),
            "the Content-Security-Policy lacks '{h}': update CYTOSCAPE_JS_SHA256 / PAGE_JS_SHA256 in src/export/html.rs"
        );
    }
}

#[test]
fn export_converts_a_saved_graph() {
    let dir = temp_dir("exports-command");
    let out =
        run(&root(), &["build", "data", "-f", "json", "-o", dir.join("g.json").to_str().expect("utf-8"), "-q"], None);
    assert!(out.status.success());
    // Next to the input by default, named after it; formats by commas or repeated flags.
    let out = run(&dir, &["export", "g.json", "-f", "graphml,gexf", "--format", "cytoscape", "-f", "csv"], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for f in ["g.graphml", "g.gexf", "g.cyjs", "nodes.csv", "relationships.csv", "import.cypher"] {
        assert!(dir.join(f).exists(), "{f} not written");
    }
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("19 actors, 15 relations"), "{err}");
    // The same bytes as build writes.
    let built = temp_dir("exports-command-built");
    let out = run(&root(), &["build", "data", "-f", "all", "-o", built.to_str().expect("utf-8"), "-q"], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let exported = temp_dir("exports-command-exported");
    let out = run(&dir, &["export", "g.json", "-f", "all", "-o", exported.to_str().expect("utf-8"), "-q"], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!exported.join("g.json").exists(), "export's `all` leaves out json");
    let out = run(&dir, &["export", "g.json", "-f", "json", "-o", exported.to_str().expect("utf-8"), "-q"], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for f in ["json", "dot", "graphml", "gexf", "cyjs", "html"] {
        let a = std::fs::read(built.join(format!("graph.{f}"))).expect("built");
        let b = std::fs::read(exported.join(format!("g.{f}"))).expect("exported");
        assert!(a == b, "graph.{f} differs between build and export");
    }
    for f in ["nodes.csv", "relationships.csv", "import.cypher"] {
        assert!(std::fs::read(built.join(f)).ok() == std::fs::read(exported.join(f)).ok(), "{f} differs");
    }
    // The output's extension names the format; `-` is standard output; stdin works.
    let out = run(&dir, &["export", "g.json", "-o", "picked.gexf"], None);
    assert!(
        out.status.success() && std::fs::read_to_string(dir.join("picked.gexf")).is_ok_and(|s| s.contains("<gexf"))
    );
    let out = run(
        &dir,
        &["export", "-", "-f", "dot", "-o", "-"],
        Some(&std::fs::read_to_string(dir.join("g.json")).expect("json")),
    );
    assert!(out.status.success() && String::from_utf8_lossy(&out.stdout).starts_with("digraph actorgraph {"));

    // Mistakes get a message and exit 2.
    let fails = |args: &[&str], wanted: &str| {
        let out = run(&dir, args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(wanted), "{args:?}: {err}");
    };
    fails(&["export", "g.json", "-f", "csv", "-o", "one.csv"], "takes one file, but csv makes 3: give a directory");
    fails(&["export", "g.json", "-f", "csv", "-o", "-"], "takes one file");
    fails(&["export", "g.json", "-f", "json"], "would overwrite the graph being exported");
    fails(&["export", "g.json", "-f", "graphml", "--cluster-by", "country"], "--cluster-by changes only the diagram");
    fails(&["export", "g.json", "-f", "pdf"], "unknown format `pdf`");
    fails(&["export", "g.json"], "give --format");
    fails(&["export", "missing.json", "-f", "dot"], "cannot read missing.json");
    std::fs::write(dir.join("bad.json"), "{\"nodes\": [}").expect("written");
    fails(&["export", "bad.json", "-f", "dot"], "bad.json:1: not an actorgraph JSON graph");
    let mut dup: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("g.json")).expect("json")).expect("json");
    let first = dup["nodes"][0].clone();
    dup["nodes"].as_array_mut().expect("nodes").push(first);
    std::fs::write(dir.join("dup.json"), dup.to_string()).expect("written");
    fails(&["export", "dup.json", "-f", "dot"], "appears twice");
}
