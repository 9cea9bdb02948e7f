//! Bad input never loses good input: a corpus of broken files mixed with good articles gives
//! the graph of the good ones alone, and every bad one is reported with its file and line.

use super::support::{root, run, temp_dir};

fn read(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The good articles: (relative path, bytes).
fn good() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("good/one.txt", b"date 2024-02-06 Kenyan President William Ruto hosted Antony Blinken in Nairobi on Monday.".to_vec()),
        (
            "good/two.txt",
            b"date 2024-02-07 Mexico and Guatemala agreed to cooperate on migration, officials said on Tuesday.".to_vec(),
        ),
        (
            "good/corpus.jsonl",
            concat!(
                r#"{"id": "c1", "date": "2024-03-01", "text": "The European Union imposed sanctions on Belarus on Friday."}"#,
                "\n",
                r#"{"id": "c2", "text": "Le ministre a rencontré son homologue à Paris."}"#,
                "\n"
            )
            .as_bytes()
            .to_vec(),
        ),
        // One invalid byte in an otherwise good article: repaired and reported, not skipped.
        (
            "good/repaired.txt",
            b"date 2024-04-02 Japanese Prime Minister Fumio Kishida met Philippine President Ferdinand Marcos Jr. \xff in Manila on Monday."
                .to_vec(),
        ),
    ]
}

/// The bad inputs, and what the report must say about each.
fn bad() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    vec![
        ("bad/empty.txt", Vec::new(), "bad/empty.txt:1: no text"),
        (
            "bad/binary.txt",
            b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\xff\xfe\x00\x01".to_vec(),
            "bad/binary.txt:1: a binary file, not text",
        ),
        (
            "bad/latin1.txt",
            b"date 2024-01-01 \xe9\xe8\xe0\xf9 \xe7\xe9 \xe0\xe9\xe8".to_vec(),
            "bad/latin1.txt:1: not UTF-8 text",
        ),
        (
            "bad/date.txt",
            b"date 2024-13-45 Ruto met Blinken.".to_vec(),
            "bad/date.txt:1: date marker `2024-13-45` is not YYYY-MM-DD",
        ),
        (
            "bad/huge.txt",
            format!("date 2024-01-01 {}", "Ruto met Blinken. ".repeat(200)).into_bytes(),
            "bad/huge.txt: the article is larger than 2000 bytes",
        ),
        (
            "bad/broken.jsonl",
            concat!(
                "{\"text\": \"Ruto met Blin\n",
                "{\"date\": \"2024-01-01\"}\n",
                "{\"text\": \"Ruto met Blinken.\", \"date\": \"yesterday\"}\n",
                "[1, 2, 3]\n",
                "{\"text\": \"\"}\n"
            )
            .as_bytes()
            .to_vec(),
            "bad/broken.jsonl:1: malformed JSON",
        ),
    ]
}

const MORE: [&str; 4] = [
    "bad/broken.jsonl:2: no `text` field",
    "bad/broken.jsonl:3: `date` is `yesterday`, not a date",
    "bad/broken.jsonl:4: a record must be a JSON object",
    "bad/broken.jsonl:5: `text` is empty",
];

fn write(dir: &std::path::Path, files: &[(&str, Vec<u8>)]) {
    for (path, bytes) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("dir");
        std::fs::write(p, bytes).expect("write");
    }
}

#[test]
fn the_good_articles_give_the_same_graph_with_or_without_the_bad() {
    let mixed = temp_dir("bad-mixed");
    write(&mixed, &good());
    write(&mixed, &bad().into_iter().map(|(p, b, _)| (p, b)).collect::<Vec<_>>());
    // The huge one as a JSON line too, in a file of its own.
    let long_line = format!("{{\"text\": \"{}\"}}\n", "Ruto met Blinken. ".repeat(200));
    write(&mixed, &[("bad/long.jsonl", long_line.into_bytes())]);
    let clean = temp_dir("bad-clean");
    write(&clean, &good());

    let args = |dir: &std::path::Path| {
        vec![
            "build".to_string(),
            dir.display().to_string(),
            "-f".into(),
            "json".into(),
            "-o".into(),
            "-".into(),
            "--max-article-bytes".into(),
            "2000".into(),
        ]
    };
    let a = args(&mixed);
    let out = run(&root(), &a.iter().map(String::as_str).collect::<Vec<_>>(), None);
    assert_eq!(out.status.code(), Some(1), "some inputs skipped: exit 1");
    let err = String::from_utf8_lossy(&out.stderr).replace(&format!("{}/", mixed.display()), "");
    for (_, _, said) in bad() {
        assert!(err.contains(said), "missing `{said}` in:\n{err}");
    }
    for said in MORE {
        assert!(err.contains(said), "missing `{said}` in:\n{err}");
    }
    assert!(err.contains("bad/long.jsonl:1: the line is larger than 2000 bytes"), "{err}");
    assert!(err.contains("warning: good/repaired.txt: 1 invalid UTF-8 sequence replaced (line 1)"), "{err}");
    assert!(err.contains("11 input(s) skipped"), "{err}");

    let b = args(&clean);
    let alone = run(&root(), &b.iter().map(String::as_str).collect::<Vec<_>>(), None);
    assert_eq!(alone.status.code(), Some(0));
    assert!(out.stdout == alone.stdout, "the bad inputs changed the graph of the good ones");
    let graph: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(graph["graph"]["documents"].as_array().map(Vec::len), Some(5), "every good article is in");
}

#[test]
fn strict_stops_at_the_first_bad_input_and_writes_nothing() {
    let dir = temp_dir("bad-strict");
    write(&dir, &good());
    write(&dir, &[("bad/empty.txt", Vec::new())]);
    let out = run(&dir, &["build", ".", "--strict", "-o", "out"], None);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad/empty.txt:1: no text") && err.contains("--strict"), "{err}");
    assert!(!dir.join("out").exists(), "no output on a failed run");
}

#[test]
fn a_failed_run_leaves_the_old_graph() {
    let dir = temp_dir("bad-keep");
    write(&dir, &good());
    let out = run(&dir, &["build", "good", "-o", "out"], None);
    assert!(out.status.success());
    let before = read(&dir.join("out/graph.json"));
    let out = run(&dir, &["build", "nothing-here", "-o", "out"], None);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(read(&dir.join("out/graph.json")), before);
    assert!(
        std::fs::read_dir(dir.join("out")).expect("dir").all(|e| !e
            .expect("entry")
            .path()
            .to_string_lossy()
            .ends_with(".tmp"))
    );
}

/// (source, relation, target, date) of every edge.
fn edges(graph: &[u8]) -> Vec<(String, String, String, String)> {
    let g: serde_json::Value = serde_json::from_slice(graph).expect("JSON");
    let s = |v: &serde_json::Value| v.as_str().unwrap_or("-").to_string();
    g["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| (s(&e["source"]), s(&e["relation"]), s(&e["target"]), s(&e["date"])))
        .collect()
}

#[test]
fn scraped_html_gives_the_graph_of_its_text() {
    let plain = "date 2025-03-04 Chilean President Gabriel Boric hosted Argentine President Javier Milei in \
                 Santiago on Monday.\n\nThe two leaders agreed to cooperate on lithium mining, officials said.";
    let html = "date 2025-03-04 <html><head><style>p { margin: 0 }</style>\
                <script>var ads = \"<p>Lula met Petro</p>\";</script></head><body><article><p>Chilean \
                President <a href=\"/boric\">Gabriel Boric</a> hosted Argentine President <b>Javier Milei</b> \
                in Santiago on&nbsp;Monday.</p><!-- ad --><p>The two leaders agreed to cooperate on lithium \
                mining, officials said.</p></article></body></html>";
    let build = |text: &str| run(&root(), &["build", "-", "-f", "json", "-o", "-"], Some(text));
    let (a, b) = (build(plain), build(html));
    assert!(a.status.success() && b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
    let expected = edges(&a.stdout);
    assert!(expected.iter().any(|e| e.1 == "met_with"), "{expected:?}");
    assert!(expected.iter().any(|e| e.1 == "cooperates_with"), "{expected:?}");
    assert_eq!(edges(&b.stdout), expected, "markup changed what was found");
    assert!(!String::from_utf8_lossy(&b.stdout).contains("petro"), "the script's text is not an article's");
}
