//! Who met whom in the articles of `data/`: the library's `meetings` query, from Rust.
//!
//! Run with `cargo run --example who_met_whom` (or give another directory as the argument).

use std::path::{Path, PathBuf};

use actorgraph::query::DateRange;
use actorgraph::{ActorGraph, Rules, article, extract};

fn txt_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            txt_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "txt") {
            out.push(p);
        }
    }
}

fn main() {
    let dir = std::env::args().nth(1).map_or_else(|| PathBuf::from("data"), PathBuf::from);
    let rules = Rules::builtin();
    let mut graph = ActorGraph::new();
    let mut files = Vec::new();
    txt_files(&dir, &mut files);
    for path in files {
        let name = path.display().to_string();
        let bytes = std::fs::read(&path).unwrap_or_default();
        match article::from_txt(&name, &name, &bytes) {
            Ok(a) => graph.merge(extract(&rules, &a)),
            Err(e) => eprintln!("{e}"),
        }
    }
    graph.link_people();
    for m in graph.meetings(None, &DateRange::default()) {
        let when = m.date.map_or_else(|| "undated".to_string(), |d| d.to_string());
        println!("{} met {} ({when})", m.actor.label, m.other.label);
        for ev in &m.evidence {
            println!("    {}: {}", ev.document, ev.sentence);
        }
    }
}
