//! Extraction quality on the fixture articles we wrote (tests/fixtures/*/): scored like the
//! evaluation set, with floors that only go up, and each article's graph kept as an expected
//! file (tests/expected/) so that every change to what is extracted shows in review.

use std::path::Path;

use actorgraph::Rules;
use actorgraph::eval::{self, Score};

use super::support::{article_of, dump, expect_file, gold_files, graph_of, root};

/// Scores every gold file of a fixture folder and checks its expected graphs.
fn score_dir(rules: &Rules, dir: &str) -> Score {
    let mut score = Score::default();
    for (path, gold) in gold_files(&root().join("tests/fixtures").join(dir)) {
        let graph = graph_of(rules, &article_of(&gold));
        let stem = path.file_stem().and_then(|s| s.to_str()).expect("file name");
        expect_file(&root().join("tests/expected").join(dir).join(format!("{stem}.txt")), &dump(&graph));
        let (nodes, edges) = eval::pred_from_json(&actorgraph::export::to_json_value(&graph));
        score.add(eval::score_doc(&gold, &nodes, &edges));
    }
    score
}

/// Floors, as `set metric value` lines in tests/fixtures/floors.tsv. Raise them when the
/// extractor gets better; never lower them.
fn floors(set: &str) -> Vec<(String, f64)> {
    let text = std::fs::read_to_string(root().join("tests/fixtures/floors.tsv")).expect("floors.tsv");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f.len() == 3 && f[0] == set).then(|| (f[1].to_string(), f[2].parse().expect("a number")))
        })
        .collect()
}

fn check(set: &str) {
    let rules = Rules::builtin();
    let score = score_dir(&rules, set);
    let report = eval::report(&score, true);
    let value = |metric: &str| -> f64 {
        match metric {
            "entity_f1" => score.entities.prf().2,
            "relation_f1" => score.relations.prf().2,
            "relation_precision" => score.relations.prf().0,
            "date_accuracy" => score.date_accuracy().unwrap_or(0.0),
            other => panic!("unknown metric {other}"),
        }
    };
    let floors = floors(set);
    assert!(!floors.is_empty(), "no floors for {set} in tests/fixtures/floors.tsv");
    for (metric, floor) in floors {
        let v = value(&metric);
        assert!(v >= floor, "{set}: {metric} fell to {v:.3}, below its floor {floor:.3}\n{report}");
    }
}

#[test]
fn entity_fixtures() {
    check("articles");
}

#[test]
fn relation_fixtures() {
    check("relations");
}

#[test]
fn fixture_files_are_valid_annotations() {
    for dir in ["articles", "relations"] {
        for (path, gold) in gold_files(&root().join("tests/fixtures").join(dir)) {
            let ids: std::collections::BTreeSet<&str> = gold.entities.iter().map(|e| e.id.as_str()).collect();
            for r in &gold.relations {
                assert!(
                    ids.contains(r.source.as_str()) && ids.contains(r.target.as_str()),
                    "{}: {} {} {}",
                    path.display(),
                    r.source,
                    r.relation,
                    r.target
                );
                if let Some(ev) = &r.evidence {
                    assert!(gold.text.contains(ev.as_str()), "{}: evidence not in text: {ev}", path.display());
                }
            }
        }
    }
    let _ = Path::new(".");
}

/// `actorgraph eval` counts what `shared/eval/score.py` counts, on the development set.
#[test]
fn eval_agrees_with_score_py() {
    let shared = root().join("../shared/eval");
    assert!(shared.join("score.py").exists(), "../shared/eval/score.py is needed beside the project");
    let dir = super::support::temp_dir("eval-agreement");
    let bin = env!("CARGO_BIN_EXE_actorgraph");
    let py = |args: &[&str]| {
        let out = std::process::Command::new("python3")
            .arg(shared.join("score.py"))
            .args(args)
            .output()
            .expect("python3 runs");
        assert!(out.status.success(), "score.py {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    };
    let dev = shared.join("dev");
    let (dev_s, dir_s) = (dev.to_str().expect("utf-8"), dir.to_str().expect("utf-8"));
    py(&["run", dev_s, dir_s, "--", bin, "build", "{in}", "--format", "json", "--output", "{out}", "--quiet"]);
    let theirs: serde_json::Value = serde_json::from_slice(&py(&["score", dev_s, dir_s, "--json"])).expect("JSON");
    let out = super::support::run(&root(), &["eval", dev_s, "--json"], None);
    assert!(out.status.success());
    let ours: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let counts = |v: &serde_json::Value| [v["tp"].clone(), v["fp"].clone(), v["fn_"].clone()];
    assert_eq!(serde_json::Value::from(counts(&ours["entities"]).to_vec()), theirs["entity_counts"], "entity counts");
    assert_eq!(
        serde_json::Value::from(counts(&ours["relations"]).to_vec()),
        theirs["relation_counts"],
        "relation counts"
    );
    assert_eq!(serde_json::json!([ours["dates_ok"], ours["dates_total"]]), theirs["date_counts"], "date counts");
    for (t, c) in theirs["by_type"].as_object().expect("by_type") {
        assert_eq!(serde_json::Value::from(counts(&ours["by_type"][t]).to_vec()), c["tp_fp_fn"], "{t}");
    }
}
