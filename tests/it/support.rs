//! Helpers shared by the tests: paths, running the binary, comparing with expected files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use actorgraph::eval::GoldDoc;
use actorgraph::{ActorGraph, Article, Rules, article};

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the actorgraph binary with `args` in `dir`, feeding `stdin`.
pub fn run(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    use std::io::Write;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_actorgraph"));
    cmd.args(args).current_dir(dir);
    cmd.stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("the binary runs");
    if let Some(input) = stdin {
        child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("stdin written");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("the binary finishes")
}

/// A fresh temporary directory under target/.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = root().join("target").join("test-tmp").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Compares `actual` with the file at `path`; with UPDATE_EXPECT=1 rewrites it instead.
pub fn expect_file(path: &Path, actual: &str) {
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("expected dir");
        std::fs::write(path, actual).expect("expected file written");
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    if expected != actual {
        let diff: Vec<String> = diff_lines(&expected, actual);
        panic!(
            "{} differs from what the code produces (UPDATE_EXPECT=1 cargo test rewrites it):\n{}",
            path.display(),
            diff.join("\n")
        );
    }
}

fn diff_lines(expected: &str, actual: &str) -> Vec<String> {
    let e: std::collections::BTreeSet<&str> = expected.lines().collect();
    let a: std::collections::BTreeSet<&str> = actual.lines().collect();
    let mut out: Vec<String> = e.difference(&a).map(|l| format!("- {l}")).collect();
    out.extend(a.difference(&e).map(|l| format!("+ {l}")));
    out
}

/// Gold-format fixture files of a folder, sorted.
pub fn gold_files(dir: &Path) -> Vec<(PathBuf, GoldDoc)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("fixture readable");
            let doc: GoldDoc = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p, doc)
        })
        .collect()
}

/// The article a gold file annotates.
pub fn article_of(gold: &GoldDoc) -> Article {
    let mut a = Article::new(gold.id.clone(), gold.text.clone());
    a.date = article::parse_date(&gold.date);
    a
}

/// The graph of one article.
pub fn graph_of(rules: &Rules, a: &Article) -> ActorGraph {
    let mut g = ActorGraph::new();
    g.merge(actorgraph::extract(rules, a));
    g
}

/// A readable, stable dump of a graph: one line per node and per edge.
pub fn dump(graph: &ActorGraph) -> String {
    let mut s = String::new();
    for n in graph.sorted_nodes() {
        let aliases: Vec<&str> = n.aliases.iter().map(String::as_str).filter(|a| *a != n.label).collect();
        s.push_str(&format!("node {} [{}] {}", n.id, n.kind, n.label));
        if !aliases.is_empty() {
            s.push_str(&format!(" | {}", aliases.join("; ")));
        }
        s.push('\n');
    }
    for (a, b, e) in graph.sorted_edges() {
        let date = e.date.map_or("-".to_string(), |d| d.to_string());
        let rules = graph.rules(e);
        s.push_str(&format!("edge {} {} {} {} ({})\n", a.id, e.relation, b.id, date, rules.join(", ")));
    }
    s
}

/// Fails with a clear message unless `tool args` runs.
pub fn need(tool: &str, args: &[&str]) {
    let ok = Command::new(tool).args(args).output().is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "`{tool} {}` is needed for this test: run `bash .ci/run`, which installs it (Graphviz and Chromium \
         from Debian, NetworkX and selenium from pip)",
        args.join(" ")
    );
}

/// The graphs every export is tested on: the seed article, the fixtures with awkward names, the
/// hostile article (markup, control characters and right-to-left text in its sentences) and the
/// hostile saved graph (the same in names, ids, aliases and document ids, which no extraction
/// rule produces).
pub fn graphs() -> Vec<(String, ActorGraph)> {
    let rules = Rules::builtin();
    let mut out = Vec::new();
    let seed = std::fs::read(root().join("data/articles/guatemala-2024-05-08.txt")).expect("seed");
    let a = article::from_txt("guatemala-2024-05-08", "seed", &seed).expect("seed parses");
    out.push(("seed".to_string(), graph_of(&rules, &a)));
    for (path, gold) in gold_files(&root().join("tests/fixtures/articles")) {
        let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or("").to_string();
        if name.contains("senegal") || name.contains("beijing-declaration") {
            out.push((name, graph_of(&rules, &article_of(&gold))));
        }
    }
    let hostile = std::fs::read(root().join("tests/fixtures/hostile/hostile.txt")).expect("hostile article");
    let a = article::from_txt("hostile", "hostile.txt", &hostile).expect("hostile article parses");
    out.push(("hostile-article".to_string(), graph_of(&rules, &a)));
    out.push(("hostile-graph".to_string(), hostile_graph()));
    assert!(out.len() >= 5, "the awkward-name fixtures are missing");
    out
}

/// tests/fixtures/hostile/graph.json.
pub fn hostile_graph() -> ActorGraph {
    let path = root().join("tests/fixtures/hostile/graph.json");
    let text = std::fs::read_to_string(&path).expect("hostile graph");
    actorgraph::export::from_json("graph.json", &text).expect("the hostile graph loads")
}

/// Runs a Python script with arguments and parses the JSON it prints.
pub fn python_json(script: &str, args: &[&Path]) -> serde_json::Value {
    let out = Command::new("python3").arg("-c").arg(script).args(args).output().expect("python3 runs");
    assert!(out.status.success(), "the Python check failed:\n{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

/// FNV-1a, 64 bits, in hex: which page a screenshot shows (output/page.png records it).
pub fn fnv(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// The text of a PNG's `tEXt` chunk with this keyword.
pub fn png_text(png: &[u8], keyword: &str) -> Option<String> {
    let mut at = 8;
    while at + 8 <= png.len() {
        let len = u32::from_be_bytes(png[at..at + 4].try_into().ok()?) as usize;
        let kind = &png[at + 4..at + 8];
        let data = png.get(at + 8..at + 8 + len)?;
        if kind == b"tEXt" {
            let nul = data.iter().position(|&b| b == 0)?;
            if &data[..nul] == keyword.as_bytes() {
                return Some(String::from_utf8_lossy(&data[nul + 1..]).into_owned());
            }
        }
        at += 12 + len;
    }
    None
}

/// A PNG's width and height.
pub fn png_size(png: &[u8]) -> Option<(u32, u32)> {
    let w = u32::from_be_bytes(png.get(16..20)?.try_into().ok()?);
    let h = u32::from_be_bytes(png.get(20..24)?.try_into().ok()?);
    Some((w, h))
}
