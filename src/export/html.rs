//! One self-contained, offline HTML page that shows the graph: Cytoscape.js (vendored in
//! `assets/cytoscape/`, MIT) and the page's own script and style (`assets/page/`) are inlined,
//! and the graph is a JSON block (`<script type="application/json">`) with `<`, `>`, `&`,
//! U+2028 and U+2029 escaped, so no name or sentence can close the block or run as script. The
//! page puts text into the document only as `textContent`, and its Content-Security-Policy
//! allows no network access and no script but its own two, named by their SHA-256.

use serde::Serialize;

use super::style::{kind_style, relation_color};
use super::{confidence, date_range, keyed_edges};
use crate::graph::{ActorGraph, DocInfo};
use crate::model::{Evidence, Kind, RelationType};

/// Cytoscape.js 3.35.0, `dist/cytoscape.min.js` of the npm package.
pub const CYTOSCAPE_JS: &str = include_str!("../../assets/cytoscape/cytoscape.min.js");
/// The page's script.
pub const PAGE_JS: &str = include_str!("../../assets/page/page.js");
const PAGE_CSS: &str = include_str!("../../assets/page/page.css");

/// The SHA-256 of [`CYTOSCAPE_JS`] and of [`PAGE_JS`], base64, for the Content-Security-Policy.
/// A test checks them: change them with the scripts.
pub const CYTOSCAPE_JS_SHA256: &str = "cfqevsIafKLEDP9qrMMNH2Rk42NmKtSywZfhrcdwzZQ=";
pub const PAGE_JS_SHA256: &str = "mfmwTN92b+3gcENlcQ4TKZLM1cxWbJ8KYbx0ge0wGv0=";

#[derive(Serialize)]
struct PageData<'a> {
    generator: String,
    documents: Vec<&'a DocInfo>,
    kinds: Vec<KindData>,
    relations: Vec<RelationData>,
    nodes: Vec<NodeData<'a>>,
    edges: Vec<EdgeData<'a>>,
}

#[derive(Serialize)]
struct KindData {
    kind: Kind,
    fill: &'static str,
    stroke: &'static str,
    shape: &'static str,
}

#[derive(Serialize)]
struct RelationData {
    relation: RelationType,
    color: &'static str,
    symmetric: bool,
}

#[derive(Serialize)]
struct NodeData<'a> {
    id: &'a str,
    label: &'a str,
    kind: Kind,
    aliases: Vec<&'a str>,
    mentions: usize,
    documents: Vec<&'a str>,
}

#[derive(Serialize)]
struct EdgeData<'a> {
    id: String,
    source: &'a str,
    target: &'a str,
    relation: RelationType,
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
    evidence: Vec<Evidence>,
}

/// JSON that can sit inside a `<script>` element: the characters that could end it or start
/// markup are `\u` escapes, as are the two line terminators older JavaScript rejects. They can
/// only occur inside JSON strings, where the escape means the same character.
pub fn script_json<T: Serialize>(value: &T) -> String {
    let json = serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".to_string());
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

fn page_data(graph: &ActorGraph) -> PageData<'_> {
    let nodes = graph.sorted_nodes();
    let edges = keyed_edges(graph);
    let mut kinds: Vec<Kind> = nodes.iter().map(|n| n.kind).collect();
    kinds.sort();
    kinds.dedup();
    let mut relations: Vec<RelationType> = edges.iter().map(|e| e.3.relation).collect();
    relations.sort();
    relations.dedup();
    PageData {
        generator: format!("actorgraph {}", env!("CARGO_PKG_VERSION")),
        documents: graph.documents(),
        kinds: kinds
            .into_iter()
            .map(|kind| {
                let s = kind_style(kind);
                KindData { kind, fill: s.fill, stroke: s.stroke, shape: s.cytoscape_shape }
            })
            .collect(),
        relations: relations
            .into_iter()
            .map(|relation| RelationData {
                relation,
                color: relation_color(relation),
                symmetric: relation.is_symmetric(),
            })
            .collect(),
        nodes: nodes
            .into_iter()
            .map(|n| NodeData {
                id: &n.id,
                label: &n.label,
                kind: n.kind,
                aliases: n.aliases.iter().map(String::as_str).collect(),
                mentions: n.mentions,
                documents: graph.node_documents(n),
            })
            .collect(),
        edges: edges
            .into_iter()
            .map(|(id, s, t, e)| {
                let range = e.date.and_then(date_range);
                EdgeData {
                    id,
                    source: &s.id,
                    target: &t.id,
                    relation: e.relation,
                    date: e.date.map(|d| d.to_string()),
                    first_day: range.as_ref().map(|r| r.0.clone()),
                    last_day: range.map(|r| r.1),
                    cameo: graph.cameo(e),
                    confidence: confidence(e),
                    count: e.count,
                    rules: graph.rules(e),
                    evidence: graph.evidence(e),
                }
            })
            .collect(),
    }
}

pub fn write(graph: &ActorGraph) -> String {
    let csp = format!(
        "default-src 'none'; script-src 'sha256-{CYTOSCAPE_JS_SHA256}' 'sha256-{PAGE_JS_SHA256}'; \
         style-src 'unsafe-inline'; img-src data: blob:; base-uri 'none'; form-action 'none'"
    );
    let mut s = String::with_capacity(CYTOSCAPE_JS.len() + 64 * 1024);
    s.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    s.push_str(&format!("<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n"));
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    s.push_str(&format!("<meta name=\"generator\" content=\"actorgraph {}\">\n", env!("CARGO_PKG_VERSION")));
    s.push_str("<title>actorgraph</title>\n<style>\n");
    s.push_str(PAGE_CSS);
    s.push_str("</style>\n</head>\n");
    s.push_str(BODY);
    s.push_str("<script type=\"application/json\" id=\"graph-data\">\n");
    s.push_str(&script_json(&page_data(graph)));
    s.push_str("\n</script>\n<script>");
    s.push_str(CYTOSCAPE_JS);
    s.push_str("</script>\n<script>");
    s.push_str(PAGE_JS);
    s.push_str("</script>\n</body>\n</html>\n");
    s
}

/// The page's markup: no graph text in it, only places the script fills.
const BODY: &str = r#"<body data-ready="false">
<header>
  <h1>actorgraph</h1>
  <span class="summary" id="summary"></span>
  <div class="search">
    <input id="search" type="search" placeholder="Search actors and aliases" aria-label="Search actors" autocomplete="off">
    <span id="search-result" aria-live="polite"></span>
  </div>
</header>
<nav id="filters" aria-label="Filters">
  <h2>Relations</h2>
  <div id="relation-filters"></div>
  <div class="buttons"><button type="button" id="relations-all">All</button><button type="button" id="relations-none">None</button></div>
  <h2>Dates</h2>
  <div class="dates">
    <label>from <input type="date" id="date-from"></label>
    <label>to <input type="date" id="date-to"></label>
  </div>
  <label><input type="checkbox" id="undated" checked> relations without a date</label>
  <div class="buttons"><button type="button" id="dates-clear">Any date</button></div>
  <p class="source" id="date-span"></p>
  <h2>Actors</h2>
  <div id="kind-filters"></div>
  <label><input type="checkbox" id="isolated" checked> actors without relations</label>
  <p id="status" aria-live="polite">Showing <b id="nodes-drawn">0</b> of <span id="nodes-total">0</span> actors and <b id="edges-drawn">0</b> of <span id="edges-total">0</span> relations.</p>
</nav>
<main id="graph-area">
  <div class="tools"><button type="button" id="fit">Fit</button><button type="button" id="relayout">Lay out again</button></div>
  <div id="cy"></div>
</main>
<aside id="details" aria-live="polite"></aside>
<noscript>This page draws the graph with JavaScript; the data is in the <code>graph-data</code> block of its source.</noscript>
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_end_the_script() {
        let s = script_json(&vec!["</script><script>alert(1)</script>", "<!-- a & b -->", "\u{2028}\u{2029}"]);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'), "{s}");
        assert!(!s.contains('\u{2028}') && !s.contains('\u{2029}'));
        let back: Vec<String> = serde_json::from_str(&s).expect("still JSON");
        assert_eq!(back, ["</script><script>alert(1)</script>", "<!-- a & b -->", "\u{2028}\u{2029}"]);
    }

    #[test]
    fn inlined_scripts_cannot_end_early() {
        for (name, js) in [("cytoscape.min.js", CYTOSCAPE_JS), ("page.js", PAGE_JS)] {
            let lower = js.to_ascii_lowercase();
            assert!(!lower.contains("</script") && !lower.contains("<!--"), "{name} would end its <script>");
        }
    }
}
