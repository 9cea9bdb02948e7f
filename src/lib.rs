//! actorgraph turns news articles into a graph of actors (people, countries, organizations,
//! places, agreements) and their typed, dated relations, each edge carrying the sentence that
//! states it.
//!
//! The pipeline is plain functions called in order from [`analyze`]: [`sentence::split`] cuts
//! the text into tokens and sentences, [`date::find`] reads time expressions, [`mention::find`]
//! finds where actors are named, [`alias::resolve`] links mentions to actors, and
//! [`relation::extract`] finds the edges. [`extract`] turns that into a [`Document`], a pure
//! function of the article and the compiled [`Rules`]; [`ActorGraph::merge`] adds documents to one
//! graph, and [`export`] writes it.
//!
//! ```
//! use actorgraph::{extract, Article, ActorGraph, Rules, export::{self, Format, Options}};
//!
//! let rules = Rules::builtin();
//! let article = Article::new("a1", "Secretary of State Antony Blinken met with Mexican \
//!     President Andrés Manuel López Obrador in Mexico City on Monday.")
//!     .with_date(jiff::civil::date(2023, 12, 29));
//! let doc = extract(&rules, &article);
//! let mut graph = ActorGraph::new();
//! graph.merge(doc);
//! assert!(graph.node("person:antony-blinken").is_some());
//! let json = export::text(&graph, Format::Json, &Options::default()).expect("one file");
//! assert!(json.contains("\"met_with\""));
//! ```

pub mod alias;
pub mod article;
pub mod date;
pub mod error;
pub mod eval;
pub mod evidence;
pub mod explain;
pub mod export;
pub mod graph;
pub mod json_text;
pub mod mention;
pub mod model;
pub mod query;
pub mod relation;
pub mod rules;
pub mod sentence;

/// Asks the processor to bring `x` (its first two cache lines) into its cache, without waiting
/// for it (x86-64; elsewhere nothing).
#[inline(always)]
pub(crate) fn prefetch<T>(x: &T) {
    prefetch_at((x as *const T).cast());
}

/// Asks the processor to bring the two cache lines at `p` into its cache, without waiting for
/// them; `p` may be any address (nothing is read, nothing can fault).
#[inline(always)]
pub(crate) fn prefetch_at(p: *const u8) {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse"))]
    {
        let p = p.cast::<i8>();
        // SAFETY: a prefetch reads nothing the program sees and cannot fault.
        unsafe {
            std::arch::x86_64::_mm_prefetch(p, std::arch::x86_64::_MM_HINT_T0);
            std::arch::x86_64::_mm_prefetch(p.wrapping_add(64), std::arch::x86_64::_MM_HINT_T0);
        }
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse")))]
    let _ = p;
}

pub use article::Article;
pub use error::{Error, Result};
pub use graph::ActorGraph;
pub use model::{Document, Entity, Evidence, Kind, PartialDate, Relation, RelationType};
pub use rules::{RuleFiles, Rules};

use alias::Resolution;
use date::{DateContext, TimeExpr};
use mention::Mention;
use relation::{Edge, Fired};
use sentence::Tokens;

/// Everything extraction found in one article, stage by stage (what `explain` shows).
#[derive(Debug)]
pub struct Analysis {
    pub tokens: Tokens,
    pub times: Vec<Vec<TimeExpr>>,
    pub mentions: Vec<Mention>,
    pub resolution: Resolution,
    pub edges: Vec<Edge>,
    pub fired: Vec<Fired>,
    /// For each sentence, the date it is told at when it has no time expression of its own.
    pub narrative: Vec<Option<PartialDate>>,
    /// How long each stage took.
    pub timings: StageTimes,
}

/// Time spent in each stage of extraction, to see where it goes (`build --timings`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StageTimes {
    pub sentences: std::time::Duration,
    pub dates: std::time::Duration,
    pub mentions: std::time::Duration,
    pub aliases: std::time::Duration,
    pub relations: std::time::Duration,
    pub document: std::time::Duration,
}

impl StageTimes {
    pub fn add(&mut self, o: &StageTimes) {
        self.sentences += o.sentences;
        self.dates += o.dates;
        self.mentions += o.mentions;
        self.aliases += o.aliases;
        self.relations += o.relations;
        self.document += o.document;
    }

    /// (stage, time) pairs in pipeline order.
    pub fn stages(&self) -> [(&'static str, std::time::Duration); 6] {
        [
            ("sentences", self.sentences),
            ("dates", self.dates),
            ("mentions", self.mentions),
            ("aliases", self.aliases),
            ("relations", self.relations),
            ("document", self.document),
        ]
    }
}

/// Runs every stage on one article.
pub fn analyze(rules: &Rules, article: &Article) -> Analysis {
    analyze_keeping(rules, article, true)
}

/// [`analyze`], keeping the pattern matches ([`Analysis::fired`]) only if `fired` (they are for
/// `explain`; a graph does not need them).
fn analyze_keeping(rules: &Rules, article: &Article, fired: bool) -> Analysis {
    use std::time::Instant;
    let mut timings = StageTimes::default();
    let mut clock = Instant::now();
    let mut lap = |slot: &mut std::time::Duration| {
        let now = Instant::now();
        *slot += now - clock;
        clock = now;
    };
    let text = article.text.as_str();
    let mut tokens = sentence::split(text, &rules.abbrev);
    let n = tokens.tokens.len();
    let (mut classes, mut pattern_words, mut name_lists) =
        (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    for t in &tokens.tokens {
        let w = rules.word_info(&t.lower);
        classes.push(w.classes);
        pattern_words.push(w.pattern);
        // The name index takes a whole ASCII word's number as it is, and looks up the rest.
        name_lists.push(if t.ascii_word { w.names } else { rules::LOOK_UP });
    }
    (tokens.classes, tokens.pattern_words, tokens.name_lists) = (classes, pattern_words, name_lists);
    lap(&mut timings.sentences);
    let mut ctx = DateContext { article: article.date, ..DateContext::default() };
    let mut narrative = Vec::with_capacity(tokens.sentences.len());
    let mut times: Vec<Vec<TimeExpr>> = Vec::with_capacity(tokens.sentences.len());
    for s in &tokens.sentences {
        narrative.push(date::narrative(&tokens.tokens, s.tokens.start, &ctx));
        times.push(date::find_classed(&tokens.tokens, Some(&tokens.classes), s.tokens.clone(), &mut ctx));
    }
    lap(&mut timings.dates);
    let mut mentions = mention::find(rules, text, &tokens);
    lap(&mut timings.mentions);
    let resolution = alias::resolve(rules, text, &tokens, &mut mentions);
    lap(&mut timings.aliases);
    let mut matches = Vec::new();
    let edges = relation::extract(
        &relation::Input {
            rules,
            text,
            tokens: &tokens,
            mentions: &mentions,
            res: &resolution,
            times: &times,
            article_date: article.date,
            narrative: &narrative,
        },
        fired.then_some(&mut matches),
    );
    lap(&mut timings.relations);
    Analysis { tokens, times, mentions, resolution, edges, fired: matches, narrative, timings }
}

/// Extracts the actors and relations of one article.
pub fn extract(rules: &Rules, article: &Article) -> Document {
    extract_timed(rules, article).0
}

/// [`extract`], with the time each stage took.
pub fn extract_timed(rules: &Rules, article: &Article) -> (Document, StageTimes) {
    let a = analyze_keeping(rules, article, false);
    let started = std::time::Instant::now();
    let mut t = a.timings;
    let doc = document(article, a);
    t.document = started.elapsed();
    (doc, t)
}

/// The [`Document`] of an analysed article (the analysis is used up: its entities move into
/// the document).
pub fn document(article: &Article, mut a: Analysis) -> Document {
    let mut ents = std::mem::take(&mut a.resolution.entities);
    // Nodes: what the article names, not what it only names inside other names or by a demonym
    // ("Palestinians", "Colombian executives"), unless an edge needs it.
    let mut used: Vec<bool> = ents.iter().map(|e| !e.embedded_only && !e.demonym_only && e.mentions > 0).collect();
    for e in &a.edges {
        used[e.source] = true;
        used[e.target] = true;
    }
    // Entities ranked by id (the same id, the same rank): relations are sorted by their ends'
    // ranks, numbers, which order them as their ids would.
    let mut by_id: Vec<usize> = (0..ents.len()).collect();
    by_id.sort_by(|&x, &y| ents[x].id.cmp(&ents[y].id));
    let mut rank = vec![0u32; ents.len()];
    for w in by_id.windows(2) {
        rank[w[1]] = rank[w[0]] + u32::from(ents[w[1]].id != ents[w[0]].id);
    }
    // (source, target) of each edge, a symmetric relation's ends in id order.
    let ends = |e: &relation::Edge| {
        if e.relation.is_symmetric() && rank[e.target] < rank[e.source] {
            (e.target, e.source)
        } else {
            (e.source, e.target)
        }
    };
    // Each edge's sort key, ends by rank, packed in a number (then the sentence, the edge).
    let date_key = |d: Option<PartialDate>| -> u128 {
        let part = |p: Option<i8>| p.map_or(0, |v| i32::from(v) + 129) as u128;
        d.map_or(0, |d| 1 << 40 | ((i32::from(d.year) + 32768) as u128) << 20 | part(d.month) << 10 | part(d.day))
    };
    let mut order: Vec<(u128, usize, usize)> = a
        .edges
        .iter()
        .enumerate()
        .map(|(x, e)| {
            let (s, t) = ends(e);
            let key =
                u128::from(rank[s]) << 81 | (e.relation as u128) << 73 | u128::from(rank[t]) << 41 | date_key(e.date);
            (key, a.tokens.sentences[e.sentence].start, x)
        })
        .collect();
    order.sort_by(|x, y| (x.0, x.1).cmp(&(y.0, y.1)).then_with(|| a.edges[x.2].rule.cmp(&a.edges[y.2].rule)));
    order.dedup_by(|x, y| (x.0, x.1) == (y.0, y.1) && a.edges[x.2].rule == a.edges[y.2].rule);
    let document_id = smol_str::SmolStr::from(article.id.as_str());
    // One copy of each sentence, shared by every edge it states.
    let mut sentences: Vec<Option<std::sync::Arc<str>>> = vec![None; a.tokens.sentences.len()];
    let relations: Vec<Relation> = order
        .iter()
        .map(|&(.., x)| {
            let e = &a.edges[x];
            let (s, t) = ends(e);
            let sentence = &a.tokens.sentences[e.sentence];
            Relation {
                source: ents[s].id.clone(),
                target: ents[t].id.clone(),
                relation: e.relation,
                date: e.date,
                evidence: Evidence {
                    document: document_id.clone(),
                    sentence: sentences[e.sentence]
                        .get_or_insert_with(|| article.text[sentence.start..sentence.end].into())
                        .clone(),
                    start: sentence.start,
                    end: sentence.end,
                },
                rule: e.rule.clone(),
                cameo: e.cameo.clone(),
                confidence: e.confidence,
            }
        })
        .collect();
    // Each entity is used once: its strings move into the document, in id order.
    let entities: Vec<Entity> = by_id
        .iter()
        .copied()
        .filter(|&e| used[e])
        .map(|e| {
            let d = &mut ents[e];
            Entity {
                id: std::mem::take(&mut d.id),
                kind: d.kind,
                label: std::mem::take(&mut d.label),
                aliases: std::mem::take(&mut d.aliases),
                mentions: d.mentions.max(1),
            }
        })
        .collect();
    Document {
        id: article.id.clone(),
        date: article.date.map(PartialDate::day),
        title: article.title.clone(),
        entities,
        relations,
    }
}
