//! Robustness: arbitrary bytes and text through the readers and the extractor (bounded proptest
//! runs: no panic, no hang), and the properties every output keeps: deterministic, independent
//! of the order of articles, every evidence span inside its article.

use proptest::prelude::*;

use actorgraph::export::{self, Format};
use actorgraph::{ActorGraph, Article, Rules, article, extract};

use std::sync::OnceLock;

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(Rules::builtin)
}

/// Text that looks enough like news to reach every stage: names, titles, verbs, dates,
/// punctuation, quotes, hyphens, apostrophes, other scripts.
fn newsish() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "Blinken",
        // Scraped markup.
        "<p>",
        "</p>",
        "<b>",
        "<script>",
        "</script>",
        "<style>",
        "<!--",
        "-->",
        "<a href=\"/x\">",
        "&amp;",
        "&nbsp;",
        "&#8217;",
        "<",
        ">",
        "&",
        "met",
        "with",
        "President",
        "Joe",
        "Biden",
        "the",
        "U.S.",
        "Mexico",
        "on",
        "Tuesday",
        "in",
        "March",
        "2024",
        "said",
        "he",
        "his",
        "country",
        "Kenyan",
        "Ruto",
        "hosted",
        "sanctions",
        "against",
        "Hamas",
        "Israel",
        "and",
        ",",
        ".",
        "\"",
        "'s",
        "’",
        "-",
        "(",
        ")",
        ";",
        "—",
        "who",
        "which",
        "not",
        "would",
        "if",
        "Declaration",
        "of",
        "Principles",
        "Ministry",
        "Council",
        "Secretary",
        "of",
        "State",
        "Arévalo",
        "ישראל",
        "王毅",
        "🇵🇸",
        "\n",
        "\n\n",
        "Gen.",
        "J.",
        "Jr.",
        "$5",
        "million",
        "aid",
        "to",
        "visited",
        "Kyiv",
        "Washington",
        "the",
        "two",
        "leaders",
        "agreed",
        "cooperation",
        "Mr.",
        "A",
        "a",
        "\u{202E}",
        "\u{0}",
        "</script>",
        "&amp;",
        "O'Neill",
        "al-Burhan",
        "N'Diaye",
        "?",
        "!",
        "...",
    ]);
    prop::collection::vec(words, 0..120).prop_map(|w| {
        let mut s = String::new();
        for (i, x) in w.iter().enumerate() {
            if i > 0 && !x.starts_with(['.', ',', '\'', '’', ';', ')']) {
                s.push(' ');
            }
            s.push_str(x);
        }
        s
    })
}

fn check_document(a: &Article) {
    let doc = extract(rules(), a);
    for r in &doc.relations {
        let ev = &r.evidence;
        assert!(ev.start <= ev.end && ev.end <= a.text.len(), "span {}..{} outside the article", ev.start, ev.end);
        assert_eq!(a.text.get(ev.start..ev.end), Some(ev.sentence.as_ref()), "the span is the sentence");
    }
    assert_eq!(doc, extract(rules(), a), "extraction is deterministic");
}

/// Cases per property: 300 in the test suite; `ACTORGRAPH_FUZZ_CASES=20000` for a long run.
fn cases() -> u32 {
    std::env::var("ACTORGRAPH_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(300)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_newsish_text_extracts(text in newsish()) {
        check_document(&Article::new("p", text).with_date(jiff::civil::date(2024, 5, 8)));
    }

    #[test]
    fn any_unicode_text_extracts(text in "\\PC{0,300}") {
        check_document(&Article::new("p", text));
    }

    #[test]
    fn any_bytes_read_as_txt(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(a) = article::from_txt("p", "p.txt", &bytes) {
            check_document(&a);
        }
    }

    #[test]
    fn any_json_line_reads(line in "\\PC{0,200}") {
        let _ = article::from_json_line("c.jsonl", 1, "c:1", &line);
        let wrapped = format!("{{\"text\": {}}}", serde_json::Value::String(line.clone()));
        let read = article::from_json_line("c.jsonl", 1, "c:1", &wrapped);
        if line.trim().is_empty() {
            // A blank text is reported, never an article with nothing in it.
            prop_assert!(read.is_err());
        } else {
            let a = read.expect("a text field is enough");
            prop_assert_eq!(a.text, line);
        }
    }

    #[test]
    fn the_graph_does_not_depend_on_the_order_of_articles(texts in prop::collection::vec(newsish(), 1..5)) {
        let articles: Vec<Article> = texts.iter().enumerate()
            .map(|(i, t)| Article::new(format!("a{i}"), t.clone()).with_date(jiff::civil::date(2024, 5, 8)))
            .collect();
        let build = |order: &mut dyn Iterator<Item = &Article>| {
            let mut g = ActorGraph::new();
            for a in order {
                g.merge(extract(rules(), a));
            }
            g.link_people();
            export::text(&g, Format::Json, &export::Options::default()).expect("json")
        };
        prop_assert_eq!(build(&mut articles.iter()), build(&mut articles.iter().rev()));
    }
}

#[test]
fn a_sentence_with_thousands_of_names_finishes() {
    let names: Vec<&str> =
        ["Kenya", "Uganda", "Ghana", "Togo", "Peru", "Chile"].into_iter().cycle().take(3000).collect();
    let text = format!("{} and Mali met with {} on Tuesday.", names.join(", "), names.join(" and "));
    let doc = extract(rules(), &Article::new("big", text).with_date(jiff::civil::date(2024, 5, 8)));
    assert!(doc.entities.len() >= 6);
}
