//! The command line as users run it: `build` with defaults, the scored form, inputs of each
//! kind, outputs, exit codes, and the graph of `data/` kept in `output/`.

use super::support::{root, run, temp_dir};

fn read(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn output_holds_the_graph_of_data() {
    let dir = temp_dir("cli-output");
    let out = run(&root(), &["build", "data", "--output", dir.to_str().expect("utf-8"), "--quiet"], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for name in ["graph.json", "graph.dot"] {
        assert!(
            read(&dir.join(name)) == read(&root().join("output").join(name)),
            "output/{name} is stale: run `cargo run --release -- build`"
        );
    }
}

#[test]
fn build_with_no_arguments_reads_data_and_writes_output() {
    let dir = temp_dir("cli-defaults");
    std::fs::create_dir_all(dir.join("data")).expect("dir");
    std::fs::copy(root().join("data/articles/guatemala-2024-05-08.txt"), dir.join("data/seed.txt")).expect("copy");
    let out = run(&dir, &["build"], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary = String::from_utf8_lossy(&out.stderr);
    assert!(summary.contains("1 article,") && summary.contains("actors") && summary.contains("relations"), "{summary}");
    assert!(read(&dir.join("output/graph.json")).contains("person:antony-blinken"));
    assert!(read(&dir.join("output/graph.dot")).starts_with("digraph"));
}

#[test]
fn the_scored_form_writes_one_json_file() {
    let dir = temp_dir("cli-scored");
    let input = dir.join("article.txt");
    std::fs::write(
        &input,
        "date 2024-05-08 Washington hosted Mexican President Andrés Manuel López Obrador on Tuesday.",
    )
    .expect("write");
    let out = run(&dir, &["build", "article.txt", "--format", "json", "--output", "out.json"], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_str(&read(&dir.join("out.json"))).expect("JSON");
    let edges = v["edges"].as_array().expect("edges");
    assert!(edges.iter().any(|e| e["relation"] == "met_with" && e["date"] == "2024-05-07"), "{v}");
}

#[test]
fn jsonl_corpus_and_stdin() {
    let dir = temp_dir("cli-jsonl");
    let corpus = concat!(
        r#"{"id": "a", "date": "2024-03-02", "text": "Kenyan President William Ruto hosted Antony Blinken in Nairobi on Friday."}"#,
        "\n",
        r#"{"id": "b", "title": "t", "text": "Antony Blinken met Ruto again.", "url": "https://example.org"}"#,
        "\n"
    );
    std::fs::write(dir.join("corpus.jsonl"), corpus).expect("write");
    let out = run(&dir, &["build", "corpus.jsonl", "-f", "json", "-o", "-"], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let blinken = v["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .find(|n| n["id"] == "person:antony-blinken")
        .expect("one Blinken node");
    assert_eq!(blinken["documents"], serde_json::json!(["a", "b"]));
    let out = run(&dir, &["build", "-", "-f", "dot", "-o", "-"], Some("date 2024-01-01 Blinken visited Ukraine."));
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("country:ukraine"));
}

#[test]
fn bad_inputs_are_reported_and_skipped() {
    let dir = temp_dir("cli-bad");
    std::fs::write(dir.join("good.txt"), "date 2024-05-08 Antony Blinken visited Kenya.").expect("write");
    std::fs::write(dir.join("bad.txt"), b"date 2024-05-08 \xff\xfe broken").expect("write");
    std::fs::write(dir.join("c.jsonl"), "{\"text\": \"Ruto met Blinken.\"}\n{not json\n{\"date\": \"2024\"}\n")
        .expect("write");
    let out = run(&dir, &["build", ".", "-o", "out"], None);
    assert_eq!(out.status.code(), Some(1), "some inputs skipped: exit 1");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.txt:1: not valid UTF-8"), "{err}");
    assert!(err.contains("c.jsonl:2: malformed JSON"), "{err}");
    assert!(err.contains("c.jsonl:3: no `text` field"), "{err}");
    assert!(read(&dir.join("out/graph.json")).contains("country:kenya"));
    let out = run(&dir, &["build", "missing-dir", "-o", "out2"], None);
    assert_eq!(out.status.code(), Some(2), "nothing usable: exit 2");
    assert!(!dir.join("out2").exists());
}

#[test]
fn output_is_deterministic() {
    // The fixture articles as one corpus, in two orders: the same bytes out.
    let dir = temp_dir("cli-determinism");
    let mut lines: Vec<String> = super::support::gold_files(&root().join("tests/fixtures/articles"))
        .into_iter()
        .map(|(_, g)| serde_json::json!({"id": g.id, "date": g.date, "text": g.text}).to_string())
        .collect();
    std::fs::write(dir.join("a.jsonl"), lines.join("\n")).expect("write");
    lines.reverse();
    std::fs::write(dir.join("b.jsonl"), lines.join("\n")).expect("write");
    let a = run(&dir, &["build", "a.jsonl", "-f", "json", "-o", "-"], None);
    let b = run(&dir, &["build", "b.jsonl", "-f", "json", "-o", "-"], None);
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    assert!(a.stdout == b.stdout, "the graph depends on the order of the articles");
    let dot_a = run(&dir, &["build", "a.jsonl", "-f", "dot", "-o", "-"], None);
    let dot_b = run(&dir, &["build", "a.jsonl", "-f", "dot", "-o", "-"], None);
    assert!(dot_a.stdout == dot_b.stdout);
}
