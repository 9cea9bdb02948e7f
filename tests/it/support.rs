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
        let rules: Vec<&str> = e.rules.iter().map(String::as_str).collect();
        s.push_str(&format!("edge {} {} {} {} ({})\n", a.id, e.relation, b.id, date, rules.join(", ")));
    }
    s
}
