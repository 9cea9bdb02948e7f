//! Shards merge into the graph of the whole corpus: `actorgraph merge` is associative, does not
//! depend on the order of its inputs, and equals `build` over every article at once.

use super::support::{root, run, temp_dir};

fn read(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn ok(out: &std::process::Output) {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// The fixture corpus's articles, in name order.
fn corpus() -> Vec<String> {
    let dir = root().join("tests/fixtures/corpus");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("corpus")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| p.display().to_string())
        .collect();
    files.sort();
    files
}

fn build(dir: &std::path::Path, name: &str, inputs: &[String], extra: &[&str]) -> std::path::PathBuf {
    let out = dir.join(name);
    let mut args: Vec<&str> = vec!["build"];
    args.extend(inputs.iter().map(String::as_str));
    args.extend(["--format", "json", "--quiet", "--output"]);
    let path = out.display().to_string();
    args.push(&path);
    args.extend(extra);
    ok(&run(dir, &args, None));
    out
}

fn merge(dir: &std::path::Path, name: &str, inputs: &[&std::path::Path]) -> std::path::PathBuf {
    let out = dir.join(name);
    let paths: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
    let mut args: Vec<&str> = vec!["merge"];
    args.extend(paths.iter().map(String::as_str));
    let path = out.display().to_string();
    args.extend(["--output", &path]);
    ok(&run(dir, &args, None));
    out
}

#[test]
fn merged_shards_equal_the_whole_corpus() {
    let dir = temp_dir("merge-shards");
    let files = corpus();
    assert!(files.len() >= 10, "the fixture corpus has {} articles", files.len());
    let third = files.len() / 3;
    let (a, rest) = files.split_at(third);
    let (b, c) = rest.split_at(third);
    let whole = build(&dir, "whole.json", &files, &[]);
    let a = build(&dir, "a.json", a, &[]);
    let b = build(&dir, "b.json", b, &[]);
    let c = build(&dir, "c.json", c, &[]);

    let ab = merge(&dir, "ab.json", &[&a, &b]);
    let ab_c = merge(&dir, "ab_c.json", &[&ab, &c]);
    let bc = merge(&dir, "bc.json", &[&b, &c]);
    let a_bc = merge(&dir, "a_bc.json", &[&a, &bc]);
    let cba = merge(&dir, "cba.json", &[&c, &b, &a]);

    let expected = read(&whole);
    assert!(expected.contains("\"met_with\""), "the corpus has meetings");
    for merged in [&ab_c, &a_bc, &cba] {
        assert_eq!(read(merged), expected, "{} differs from the graph of the whole corpus", merged.display());
    }
}

#[test]
fn merging_a_graph_with_itself_adds_counts_not_edges() {
    let dir = temp_dir("merge-self");
    let files = corpus();
    let g = build(&dir, "g.json", &files[..3], &[]);
    let twice = merge(&dir, "twice.json", &[&g, &g]);
    let one: serde_json::Value = serde_json::from_str(&read(&g)).expect("json");
    let two: serde_json::Value = serde_json::from_str(&read(&twice)).expect("json");
    let edges = |v: &serde_json::Value| v["edges"].as_array().expect("edges").len();
    let nodes = |v: &serde_json::Value| v["nodes"].as_array().expect("nodes").len();
    assert_eq!(edges(&one), edges(&two));
    assert_eq!(nodes(&one), nodes(&two));
}

#[test]
fn thread_count_does_not_change_the_graph() {
    let dir = temp_dir("merge-threads");
    let files = corpus();
    let one = build(&dir, "one.json", &files, &["--threads", "1"]);
    let two = build(&dir, "two.json", &files, &["--threads", "2"]);
    let four = build(&dir, "four.json", &files, &["--threads", "4"]);
    assert_eq!(read(&one), read(&two));
    assert_eq!(read(&one), read(&four));
}

#[test]
fn a_saved_graph_reads_in_any_field_order_and_names_bad_edges() {
    let dir = temp_dir("merge-order");
    let files = corpus();
    let g = build(&dir, "g.json", &files[..4], &[]);
    let text = read(&g);
    let value: serde_json::Value = serde_json::from_str(&text).expect("json");
    // Edges before nodes, as a hand-edited or re-serialized file may have them.
    let reordered = format!(
        "{{\"edges\": {}, \"graph\": {}, \"nodes\": {}, \"directed\": true, \"multigraph\": true}}",
        value["edges"], value["graph"], value["nodes"]
    );
    std::fs::write(dir.join("r.json"), reordered).expect("written");
    let again = merge(&dir, "again.json", &[&dir.join("r.json")]);
    assert_eq!(read(&again), text, "field order changed the graph");

    let mut broken = value.clone();
    broken["edges"][0]["target"] = serde_json::Value::String("person:nobody".into());
    std::fs::write(dir.join("broken.json"), broken.to_string()).expect("written");
    let out = run(&dir, &["merge", "broken.json", "-o", "x.json"], None);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("broken.json:1:") && err.contains("names a node that is not in the graph"), "{err}");
}

#[test]
fn merge_keeps_at_most_the_evidence_asked_for() {
    let dir = temp_dir("merge-cap");
    let files = corpus();
    let g = build(&dir, "g.json", &files, &["--evidence", "0"]);
    let out = run(&dir, &["merge", &g.display().to_string(), "--evidence", "1", "-o", "one.json"], None);
    ok(&out);
    let v: serde_json::Value = serde_json::from_str(&read(&dir.join("one.json"))).expect("json");
    let edges = v["edges"].as_array().expect("edges");
    assert!(edges.iter().all(|e| e["evidence"].as_array().is_some_and(|a| a.len() == 1)));
    assert!(edges.iter().any(|e| e["count"].as_u64().is_some_and(|c| c > 1)), "counts stay exact");
}

#[test]
fn timings_name_every_stage() {
    let dir = temp_dir("merge-timings");
    let files = corpus();
    let mut args: Vec<&str> = vec!["build"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["-f", "json", "-o", "-", "--timings", "--threads", "2"]);
    let out = run(&dir, &args, None);
    ok(&out);
    let err = String::from_utf8_lossy(&out.stderr);
    for stage in [
        "MB/s",
        "articles/s",
        "rules",
        "read",
        "extract",
        "sentences",
        "mentions",
        "aliases",
        "relations",
        "merge",
        "export",
        "total",
    ] {
        assert!(err.contains(stage), "no `{stage}` in:\n{err}");
    }
    assert!(out.stdout.starts_with(b"{"), "the graph still goes to standard output");
}
