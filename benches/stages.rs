//! divan benchmarks of each pipeline stage on the user's seed article and the project's own
//! fixture corpus: `cargo bench --bench stages`. Throughput is reported in bytes of article text.

use std::path::Path;

use actorgraph::{ActorGraph, Article, Rules, alias, article, export, mention, relation, sentence};
use divan::counter::BytesCount;
use divan::{Bencher, black_box};

#[path = "../src/mimalloc.rs"]
mod mimalloc;

/// The allocator the binary uses, so that the numbers match it.
#[global_allocator]
static GLOBAL: mimalloc::Mimalloc = mimalloc::Mimalloc;

fn main() {
    divan::main();
}

/// The seed article and every fixture article: a few dozen real-looking news texts.
fn articles() -> Vec<Article> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = vec![root.join("data/articles/guatemala-2024-05-08.txt")];
    for dir in ["tests/fixtures/corpus", "tests/fixtures/articles", "tests/fixtures/relations"] {
        if let Ok(entries) = std::fs::read_dir(root.join(dir)) {
            let mut found: Vec<_> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "txt"))
                .collect();
            found.sort();
            paths.extend(found);
        }
    }
    paths
        .iter()
        .filter_map(|p| {
            let bytes = std::fs::read(p).ok()?;
            let name = p.display().to_string();
            article::from_txt(&name, &name, &bytes).ok()
        })
        .collect()
}

fn bytes(articles: &[Article]) -> BytesCount {
    BytesCount::new(articles.iter().map(|a| a.text.len()).sum::<usize>())
}

#[divan::bench(sample_count = 10)]
fn compile_rules() -> Rules {
    Rules::builtin()
}

#[divan::bench]
fn sentences(bencher: Bencher) {
    let rules = Rules::builtin();
    let articles = articles();
    bencher.counter(bytes(&articles)).bench(|| {
        for a in &articles {
            black_box(sentence::split(&a.text, &rules.abbrev));
        }
    });
}

#[divan::bench]
fn mentions(bencher: Bencher) {
    let rules = Rules::builtin();
    let articles = articles();
    let tokens: Vec<_> = articles.iter().map(|a| actorgraph::analyze(&rules, a).tokens).collect();
    bencher.counter(bytes(&articles)).bench(|| {
        for (a, t) in articles.iter().zip(&tokens) {
            black_box(mention::find(&rules, &a.text, t));
        }
    });
}

#[divan::bench]
fn aliases(bencher: Bencher) {
    let rules = Rules::builtin();
    let articles = articles();
    let analyses: Vec<_> = articles.iter().map(|a| actorgraph::analyze(&rules, a)).collect();
    // Resolution marks the mentions it reads, so each run starts from freshly found ones.
    let found: Vec<_> =
        articles.iter().zip(&analyses).map(|(a, an)| mention::find(&rules, &a.text, &an.tokens)).collect();
    bencher.counter(bytes(&articles)).with_inputs(|| found.clone()).bench_values(|mut found| {
        for ((a, an), mentions) in articles.iter().zip(&analyses).zip(&mut found) {
            black_box(alias::resolve(&rules, &a.text, &an.tokens, mentions));
        }
    });
}

#[divan::bench]
fn relations(bencher: Bencher) {
    let rules = Rules::builtin();
    let articles = articles();
    let analyses: Vec<_> = articles.iter().map(|a| actorgraph::analyze(&rules, a)).collect();
    bencher.counter(bytes(&articles)).bench(|| {
        for (a, an) in articles.iter().zip(&analyses) {
            let input = relation::Input {
                rules: &rules,
                text: &a.text,
                tokens: &an.tokens,
                mentions: &an.mentions,
                res: &an.resolution,
                times: &an.times,
                article_date: a.date,
                narrative: &an.narrative,
            };
            black_box(relation::extract(&input, None));
        }
    });
}

#[divan::bench]
fn extract(bencher: Bencher) {
    let rules = Rules::builtin();
    let articles = articles();
    bencher.counter(bytes(&articles)).bench(|| {
        for a in &articles {
            black_box(actorgraph::extract(&rules, a));
        }
    });
}

#[divan::bench]
fn merge(bencher: Bencher) {
    let rules = Rules::builtin();
    let articles = articles();
    let docs: Vec<_> = articles.iter().map(|a| actorgraph::extract(&rules, a)).collect();
    bencher.counter(bytes(&articles)).with_inputs(|| docs.clone()).bench_values(|docs| {
        let mut graph = ActorGraph::new();
        for d in docs {
            graph.merge(d);
        }
        graph.link_people();
        graph
    });
}

#[divan::bench]
fn export_json(bencher: Bencher) {
    let rules = Rules::builtin();
    let articles = articles();
    let mut graph = ActorGraph::new();
    for a in &articles {
        graph.merge(actorgraph::extract(&rules, a));
    }
    graph.link_people();
    bencher.counter(bytes(&articles)).bench(|| {
        let mut out = Vec::new();
        export::write_json(&graph, &mut out).expect("written to memory");
        out
    });
}
