//! Queries over a multi-article corpus we wrote (tests/fixtures/corpus, facts in EXPECTED.md):
//! who met whom across articles, names in any form, the two Souzas kept apart, date filters,
//! paths, and the same answers from a saved graph as from the articles.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use actorgraph::query::{DateRange, Lookup};
use actorgraph::{ActorGraph, Rules, export};

use super::support::{root, run, temp_dir};

fn corpus() -> &'static ActorGraph {
    static GRAPH: OnceLock<ActorGraph> = OnceLock::new();
    GRAPH.get_or_init(|| {
        let rules = Rules::builtin();
        let dir = root().join("tests/fixtures/corpus");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("corpus")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        let mut g = ActorGraph::new();
        for f in files {
            let id = f.file_stem().and_then(|s| s.to_str()).unwrap_or("").to_string();
            let a = actorgraph::article::from_txt(&id, &id, &std::fs::read(&f).expect("read")).expect("article");
            g.merge(actorgraph::extract(&rules, &a));
        }
        g.link_people();
        g
    })
}

fn found(g: &ActorGraph, name: &str) -> petgraph::stable_graph::NodeIndex {
    match g.lookup(name) {
        Lookup::Found(i) => i,
        other => panic!("`{name}`: {other:?}"),
    }
}

/// (person, person, date) of every meeting, each pair in name order.
fn meetings(g: &ActorGraph, who: Option<&str>, range: DateRange) -> BTreeSet<(String, String, String)> {
    let who = who.map(|n| found(g, n));
    g.meetings(who, &range)
        .into_iter()
        .map(|m| {
            let (a, b) = if m.actor.label <= m.other.label {
                (m.actor.label, m.other.label)
            } else {
                (m.other.label, m.actor.label)
            };
            (a, b, m.date.map_or("-".into(), |d| d.to_string()))
        })
        .collect()
}

fn date(s: &str) -> Option<actorgraph::PartialDate> {
    Some(s.parse().expect("date"))
}

#[test]
fn who_met_whom_across_the_corpus() {
    let expected: BTreeSet<(String, String, String)> =
        std::fs::read_to_string(root().join("tests/fixtures/corpus/meetings.tsv"))
            .expect("meetings.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                (f[0].to_string(), f[1].to_string(), f[2].to_string())
            })
            .collect();
    assert_eq!(meetings(corpus(), None, DateRange::default()), expected);
}

#[test]
fn names_resolve_in_any_form() {
    let g = corpus();
    let blinken = found(g, "Antony Blinken");
    for form in ["Blinken", "Antony J. Blinken", "antony blinken", "person:antony-blinken"] {
        assert_eq!(found(g, form), blinken, "{form}");
    }
    let amlo = found(g, "Andrés Manuel López Obrador");
    for form in ["Lopez Obrador", "López Obrador", "Andres Manuel Lopez Obrador"] {
        assert_eq!(found(g, form), amlo, "{form}");
    }
    assert_eq!(g.node_at(found(g, "the US")).id, "country:united-states");
    assert_eq!(g.node_at(found(g, "Washington")).id, "country:united-states", "the government, not the place");
    assert_eq!(g.node_at(found(g, "the Kremlin")).id, "country:russia");
    assert_eq!(g.lookup("Atlantis"), Lookup::NotFound);
}

#[test]
fn two_people_named_souza_stay_apart() {
    let g = corpus();
    let Lookup::Ambiguous(c) = g.lookup("Souza") else { panic!("Souza should be ambiguous") };
    let labels: BTreeSet<&str> = c.iter().map(|&i| g.node_at(i).label.as_str()).collect();
    assert_eq!(labels, BTreeSet::from(["Carla Souza", "Miguel Souza"]));
    // The surname-only articles went to the right one.
    let carla = meetings(g, Some("Carla Souza"), DateRange::default());
    assert!(carla.iter().any(|m| m.1 == "Valdis Dombrovskis"), "{carla:?}");
    let miguel = meetings(g, Some("Miguel Souza"), DateRange::default());
    assert!(miguel.iter().any(|m| m.0 == "Alicia Bárcena"), "{miguel:?}");
    assert!(!carla.iter().any(|m| m.0 == "Miguel Souza" || m.1 == "Miguel Souza"));
}

#[test]
fn meetings_the_text_denies_are_not_there() {
    let g = corpus();
    let all = meetings(g, None, DateRange::default());
    for (a, b) in [
        ("Antony Blinken", "Sergei Lavrov"),
        ("Antony Blinken", "Raila Odinga"),
        ("Olaf Scholz", "William Ruto"),
        ("Andrés Manuel López Obrador", "Justin Trudeau"),
    ] {
        assert!(!all.iter().any(|m| m.0 == a && m.1 == b), "{a} did not meet {b}");
    }
}

#[test]
fn date_filters() {
    let g = corpus();
    let others = |range: DateRange| -> BTreeSet<String> {
        meetings(g, Some("Ruto"), range).into_iter().map(|m| if m.0 == "William Ruto" { m.1 } else { m.0 }).collect()
    };
    assert_eq!(
        others(DateRange { since: None, until: date("2023-12-31") }),
        BTreeSet::from(["Antony Blinken".into(), "Ursula von der Leyen".into()])
    );
    assert_eq!(
        others(DateRange { since: date("2024"), until: None }),
        BTreeSet::from(["Antony Blinken".into(), "Joe Biden".into()])
    );
    assert!(others(DateRange { since: date("2025"), until: None }).is_empty());
}

#[test]
fn the_shortest_path_between_two_who_never_met() {
    let g = corpus();
    let (a, b) = (found(g, "Carla Souza"), found(g, "Claudia Sheinbaum"));
    let hops = g.path(a, b, &[actorgraph::RelationType::MetWith]).expect("a path");
    let chain: Vec<(&str, &str)> = hops.iter().map(|h| (h.source.label.as_str(), h.target.label.as_str())).collect();
    assert_eq!(
        chain,
        [
            ("Carla Souza", "Antony Blinken"),
            ("Antony Blinken", "Andrés Manuel López Obrador"),
            ("Andrés Manuel López Obrador", "Claudia Sheinbaum")
        ]
    );
    assert!(hops.iter().all(|h| !h.evidence.is_empty()), "every hop has its evidence");
}

#[test]
fn neighbors_and_actors() {
    let g = corpus();
    let n = g.neighbors(found(g, "Blinken"), &[actorgraph::RelationType::MetWith], actorgraph::query::Direction::Both);
    let names: BTreeSet<&str> = n.iter().map(|x| x.other.label.as_str()).collect();
    assert_eq!(
        names,
        BTreeSet::from([
            "Alicia Bárcena",
            "Andrés Manuel López Obrador",
            "Carla Souza",
            "Josep Borrell",
            "Luiz Inácio Lula da Silva",
            "William Ruto"
        ])
    );
    let top = g.actors(Some(actorgraph::Kind::Person), actorgraph::query::Ranking::Degree, 1);
    assert_eq!(top[0].actor.label, "Antony Blinken");
}

#[test]
fn a_saved_graph_answers_like_the_articles() {
    let g = corpus();
    let json = export::text(g, export::Format::Json, &export::Options::default()).expect("json");
    let loaded = export::from_json("corpus.json", &json).expect("loads");
    assert_eq!(
        export::text(&loaded, export::Format::Json, &export::Options::default()).expect("json"),
        json,
        "JSON round trip"
    );
    assert_eq!(meetings(&loaded, None, DateRange::default()), meetings(g, None, DateRange::default()));
    assert_eq!(
        meetings(&loaded, Some("Blinken"), DateRange::default()),
        meetings(g, Some("Blinken"), DateRange::default())
    );
}

#[test]
fn the_query_command() {
    let dir = temp_dir("query-cli");
    let graph = dir.join("graph.json");
    let out = run(
        &root(),
        &["build", "tests/fixtures/corpus", "-f", "json", "-o", graph.to_str().expect("utf-8"), "-q"],
        None,
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let g = graph.to_str().expect("utf-8");
    // Table: a header and one line per meeting.
    let out = run(&root(), &["query", "met", "Blinken", "--graph", g], None);
    assert!(out.status.success());
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.starts_with("DATE "), "{table}");
    assert_eq!(table.lines().count(), 1 + 8, "{table}");
    // JSON Lines, with evidence; the same answers from the articles directly.
    let json = run(&root(), &["query", "met", "Blinken", "--graph", g, "--format", "json"], None);
    let direct =
        run(&root(), &["query", "met", "Blinken", "--input", "tests/fixtures/corpus", "--format", "json"], None);
    assert_eq!(String::from_utf8_lossy(&json.stdout), String::from_utf8_lossy(&direct.stdout));
    let first: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&json.stdout).lines().next().expect("a line")).expect("JSON");
    assert!(first["evidence"][0]["sentence"].as_str().is_some_and(|s| s.contains("Ruto")), "{first}");
    // CSV.
    let csv = run(
        &root(),
        &["query", "edges", "--relation", "met_with", "--since", "2024-09", "--graph", g, "--format", "csv"],
        None,
    );
    let csv = String::from_utf8_lossy(&csv.stdout);
    assert_eq!(csv.lines().next(), Some("date,source,relation,target,sentences,evidence"));
    assert_eq!(csv.lines().count(), 1 + 3, "{csv}");
    // Paths and neighbours.
    let path =
        run(&root(), &["query", "path", "Carla Souza", "Sheinbaum", "--relation", "met_with", "--graph", g], None);
    assert_eq!(String::from_utf8_lossy(&path.stdout).lines().count(), 1 + 3);
    let none = run(&root(), &["query", "met", "Mauro Vieira", "--since", "2024", "--graph", g], None);
    assert!(none.status.success());
    assert_eq!(String::from_utf8_lossy(&none.stdout).trim(), "no results");
    // Ambiguous and unknown names, unreadable graphs: clear errors.
    let amb = run(&root(), &["query", "met", "Souza", "--graph", g], None);
    assert!(!amb.status.success());
    let err = String::from_utf8_lossy(&amb.stderr);
    assert!(err.contains("Carla Souza") && err.contains("Miguel Souza"), "{err}");
    std::fs::write(dir.join("broken.json"), "{\"nodes\": [").expect("write");
    let bad = run(&root(), &["query", "actors", "--graph", dir.join("broken.json").to_str().expect("utf-8")], None);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("broken.json"), "{}", String::from_utf8_lossy(&bad.stderr));
}
