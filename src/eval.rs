//! Evaluation: scoring extracted graphs against gold annotations in the format of the
//! annotation guidelines, the way `shared/eval/score.py` does (same matching, same counts).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::alias::fold;
use crate::model::{Kind, RelationType};

/// A gold-annotated article.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct GoldDoc {
    pub id: String,
    pub date: String,
    #[serde(default)]
    pub title: Option<String>,
    pub text: String,
    pub entities: Vec<GoldEntity>,
    pub relations: Vec<GoldRelation>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct GoldEntity {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub optional: bool,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct GoldRelation {
    pub source: String,
    #[serde(rename = "type")]
    pub relation: String,
    pub target: String,
    #[serde(default)]
    pub evidence: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub optional: bool,
}

/// A predicted node, as the exported JSON has it.
#[derive(Clone, Debug)]
pub struct PredNode {
    pub id: String,
    pub label: String,
    /// `None` for kinds outside the five scored ones.
    pub kind: Option<Kind>,
    pub aliases: Vec<String>,
}

/// A predicted edge.
#[derive(Clone, Debug)]
pub struct PredEdge {
    pub source: String,
    pub target: String,
    pub relation: String,
    pub date: Option<String>,
}

/// True positives, false positives, false negatives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    pub fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }

    /// Precision, recall and F1, rounded to three places as score.py prints them.
    pub fn prf(&self) -> (f64, f64, f64) {
        let p = if self.tp + self.fp > 0 { self.tp as f64 / (self.tp + self.fp) as f64 } else { 0.0 };
        let r = if self.tp + self.fn_ > 0 { self.tp as f64 / (self.tp + self.fn_) as f64 } else { 0.0 };
        let f = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        (round3(p), round3(r), round3(f))
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The errors of one article, for `--errors`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Errors {
    pub spurious_entities: Vec<String>,
    pub duplicate_entities: Vec<String>,
    pub missed_entities: Vec<String>,
    pub spurious_relations: Vec<(String, String, String)>,
    pub missed_relations: Vec<(String, String, String)>,
    pub wrong_dates: Vec<(String, String, String, String)>,
}

/// The score of one article.
#[derive(Clone, Debug, Default, Serialize)]
pub struct DocScore {
    pub id: String,
    pub entities: Counts,
    pub relations: Counts,
    /// Dated gold relations found, and how many of them with the right date.
    pub dates_ok: usize,
    pub dates_total: usize,
    pub by_type: BTreeMap<String, Counts>,
    pub errors: Errors,
}

/// The score of a set of articles.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Score {
    pub articles: usize,
    pub entities: Counts,
    pub relations: Counts,
    pub dates_ok: usize,
    pub dates_total: usize,
    pub by_type: BTreeMap<String, Counts>,
    pub per_article: Vec<DocScore>,
}

impl Score {
    pub fn add(&mut self, d: DocScore) {
        self.articles += 1;
        self.entities.add(d.entities);
        self.relations.add(d.relations);
        self.dates_ok += d.dates_ok;
        self.dates_total += d.dates_total;
        for (t, c) in &d.by_type {
            self.by_type.entry(t.clone()).or_default().add(*c);
        }
        self.per_article.push(d);
    }

    pub fn date_accuracy(&self) -> Option<f64> {
        (self.dates_total > 0).then(|| round3(self.dates_ok as f64 / self.dates_total as f64))
    }
}

/// Normalises a name as score.py does: diacritics folded, lowercase, dots and possessives
/// dropped, other punctuation to spaces, a leading "the" dropped.
pub fn norm(s: &str) -> String {
    let s = fold(s).to_lowercase().replace('.', "").replace("'s ", " ");
    let mut out = String::new();
    let mut space = false;
    for c in s.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        } else {
            space = true;
        }
    }
    match out.strip_prefix("the ") {
        Some(rest) => rest.to_string(),
        None => out,
    }
}

const SYMMETRIC: [&str; 3] = ["met_with", "cooperates_with", "opposes"];

fn triple(s: &str, t: &str, o: &str) -> (String, String, String) {
    if SYMMETRIC.contains(&t) && o < s {
        (o.to_string(), t.to_string(), s.to_string())
    } else {
        (s.to_string(), t.to_string(), o.to_string())
    }
}

/// Scores one article's prediction against its gold annotation.
pub fn score_doc(gold: &GoldDoc, nodes: &[PredNode], edges: &[PredEdge]) -> DocScore {
    let ents: HashMap<&str, &GoldEntity> = gold.entities.iter().map(|e| (e.id.as_str(), e)).collect();
    let mut forms: HashMap<String, Vec<&str>> = HashMap::new();
    for e in &gold.entities {
        for f in std::iter::once(&e.name).chain(e.aliases.iter()) {
            let ids = forms.entry(norm(f)).or_default();
            if !ids.contains(&e.id.as_str()) {
                ids.push(&e.id);
            }
        }
    }
    let mut node_gold: HashMap<&str, &str> = HashMap::new();
    for pass_aliases in [false, true] {
        for n in nodes {
            if node_gold.contains_key(n.id.as_str()) {
                continue;
            }
            let cands: Vec<&String> = if pass_aliases { n.aliases.iter().collect() } else { vec![&n.label] };
            for c in cands {
                if let Some(ids) = forms.get(&norm(c)) {
                    node_gold.insert(&n.id, ids[0]);
                    break;
                }
            }
        }
    }
    let mut score = DocScore { id: gold.id.clone(), ..DocScore::default() };
    let mut taken: HashMap<&str, &str> = HashMap::new();
    for n in nodes {
        if n.kind.is_none() {
            continue;
        }
        match node_gold.get(n.id.as_str()) {
            None => {
                score.entities.fp += 1;
                score.errors.spurious_entities.push(n.label.clone());
            }
            Some(g) if ents[g].optional => {}
            Some(g) if taken.contains_key(g) => {
                score.entities.fp += 1;
                score.errors.duplicate_entities.push(n.label.clone());
            }
            Some(g) => {
                taken.insert(g, &n.id);
                score.entities.tp += 1;
            }
        }
    }
    for e in &gold.entities {
        if !e.optional && !taken.contains_key(e.id.as_str()) {
            score.entities.fn_ += 1;
            score.errors.missed_entities.push(e.name.clone());
        }
    }
    // visited targets fold to their country through the first located_in edge of each place.
    let mut parent: HashMap<&str, &str> = HashMap::new();
    for r in &gold.relations {
        if r.relation == "located_in" {
            parent.entry(&r.source).or_insert(&r.target);
        }
    }
    let top = |x: &str| -> String {
        let mut x: &str = parent.get_key_value(x).map_or(x, |(k, _)| k);
        let mut seen = BTreeSet::new();
        while let Some(p) = parent.get(x) {
            if !seen.insert(x) {
                break;
            }
            x = p;
        }
        x.to_string()
    };
    let key = |s: &str, t: &str, o: &str| {
        if t == "visited" { triple(s, t, &top(o)) } else { triple(s, t, o) }
    };
    let mut gold_req: BTreeSet<(String, String, String)> = BTreeSet::new();
    let mut gold_opt: BTreeSet<(String, String, String)> = BTreeSet::new();
    let mut dates: HashMap<(String, String, String), String> = HashMap::new();
    for r in &gold.relations {
        let (Some(se), Some(te)) = (ents.get(r.source.as_str()), ents.get(r.target.as_str())) else { continue };
        let k = key(&r.source, &r.relation, &r.target);
        let optional = r.optional || se.optional || te.optional;
        if optional {
            gold_opt.insert(k.clone());
        } else {
            gold_req.insert(k.clone());
        }
        if let Some(d) = &r.date
            && !optional
        {
            dates.insert(k, d.clone());
        }
    }
    gold_opt.retain(|k| !gold_req.contains(k));
    let kinds: HashMap<&str, Option<Kind>> = nodes.iter().map(|n| (n.id.as_str(), n.kind)).collect();
    let labels: HashMap<&str, &str> = nodes.iter().map(|n| (n.id.as_str(), n.label.as_str())).collect();
    let mut pred_keys: BTreeSet<(String, String, String)> = BTreeSet::new();
    let mut pred_dates: HashMap<(String, String, String), BTreeSet<String>> = HashMap::new();
    let mut unmatched_fp: Vec<(String, String, String)> = Vec::new();
    for e in edges {
        let gs = node_gold.get(e.source.as_str()).copied();
        let go = node_gold.get(e.target.as_str()).copied();
        let (Some(gs), Some(go)) = (gs, go) else {
            let unscored = (gs.is_none() && kinds.get(e.source.as_str()).copied().flatten().is_none())
                || (go.is_none() && kinds.get(e.target.as_str()).copied().flatten().is_none());
            if !unscored {
                let k = (
                    labels.get(e.source.as_str()).unwrap_or(&e.source.as_str()).to_string(),
                    e.relation.clone(),
                    labels.get(e.target.as_str()).unwrap_or(&e.target.as_str()).to_string(),
                );
                if pred_keys.insert(k.clone()) {
                    unmatched_fp.push(k);
                }
            }
            continue;
        };
        if ents[gs].optional || ents[go].optional {
            continue;
        }
        let k = key(gs, &e.relation, go);
        if gold_opt.contains(&k) {
            continue;
        }
        pred_keys.insert(k.clone());
        if let Some(d) = &e.date {
            pred_dates.entry(k).or_default().insert(d.clone());
        }
    }
    let name = |id: &str| ents.get(id).map_or(id.to_string(), |e| e.name.clone());
    for k in &pred_keys {
        let t = k.1.clone();
        if gold_req.contains(k) {
            score.relations.tp += 1;
            score.by_type.entry(t).or_default().tp += 1;
            if let Some(d) = dates.get(k) {
                score.dates_total += 1;
                if pred_dates.get(k).is_some_and(|s| s.contains(d)) {
                    score.dates_ok += 1;
                } else {
                    let got =
                        pred_dates.get(k).map_or("-".to_string(), |s| s.iter().cloned().collect::<Vec<_>>().join(","));
                    score.errors.wrong_dates.push((
                        format!("{} {} {}", name(&k.0), k.1, name(&k.2)),
                        d.clone(),
                        got,
                        String::new(),
                    ));
                }
            }
        } else {
            score.relations.fp += 1;
            score.by_type.entry(t).or_default().fp += 1;
            if !unmatched_fp.contains(k) {
                score.errors.spurious_relations.push((name(&k.0), k.1.clone(), name(&k.2)));
            }
        }
    }
    score.errors.spurious_relations.splice(0..0, unmatched_fp);
    for k in &gold_req {
        if !pred_keys.contains(k) {
            score.relations.fn_ += 1;
            score.by_type.entry(k.1.clone()).or_default().fn_ += 1;
            score.errors.missed_relations.push((name(&k.0), k.1.clone(), name(&k.2)));
        }
    }
    score
}

/// The nodes and edges of an exported node-link JSON graph.
pub fn pred_from_json(v: &serde_json::Value) -> (Vec<PredNode>, Vec<PredEdge>) {
    let s = |v: &serde_json::Value, k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
    let nodes = v
        .get("nodes")
        .and_then(|n| n.as_array())
        .map(|a| {
            a.iter()
                .map(|n| PredNode {
                    id: s(n, "id").unwrap_or_default(),
                    label: s(n, "label").or_else(|| s(n, "id")).unwrap_or_default(),
                    kind: s(n, "kind").or_else(|| s(n, "type")).and_then(|k| k.parse().ok()),
                    aliases: n
                        .get("aliases")
                        .and_then(|x| x.as_array())
                        .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
                        .unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default();
    let edges = v
        .get("edges")
        .or_else(|| v.get("links"))
        .and_then(|e| e.as_array())
        .map(|a| {
            a.iter()
                .map(|e| PredEdge {
                    source: s(e, "source").unwrap_or_default(),
                    target: s(e, "target").unwrap_or_default(),
                    relation: s(e, "relation").or_else(|| s(e, "type")).unwrap_or_default(),
                    date: s(e, "date"),
                })
                .collect()
        })
        .unwrap_or_default();
    (nodes, edges)
}

/// Every relation type name, for per-type tables.
pub fn relation_names() -> Vec<&'static str> {
    RelationType::ALL.iter().map(|r| r.as_str()).collect()
}

/// The score as text, in the layout of score.py.
pub fn report(score: &Score, errors: bool) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(s, "articles {}", score.articles);
    for (name, c) in [("entity", score.entities), ("relation", score.relations)] {
        let (p, r, f) = c.prf();
        let _ = writeln!(s, "{name:9} P {p:.3}  R {r:.3}  F1 {f:.3}   tp/fp/fn [{}, {}, {}]", c.tp, c.fp, c.fn_);
    }
    let acc = score.date_accuracy().map_or("None".to_string(), |a| format!("{a}"));
    let _ = writeln!(s, "dates     accuracy {acc}  [{}, {}]", score.dates_ok, score.dates_total);
    for (t, c) in &score.by_type {
        let (p, r, f) = c.prf();
        let _ = writeln!(s, "  {t:16} P {p:.3} R {r:.3} F1 {f:.3}  [{}, {}, {}]", c.tp, c.fp, c.fn_);
    }
    if errors {
        for d in &score.per_article {
            let (_, _, ef) = d.entities.prf();
            let (_, _, rf) = d.relations.prf();
            let _ = writeln!(s, "\n{}: entities F1 {ef:.3} relations F1 {rf:.3}", d.id);
            let e = &d.errors;
            for x in &e.spurious_entities {
                let _ = writeln!(s, "  spurious_entity: {x}");
            }
            for x in &e.duplicate_entities {
                let _ = writeln!(s, "  duplicate_entity: {x}");
            }
            for x in &e.missed_entities {
                let _ = writeln!(s, "  missed_entity: {x}");
            }
            for (a, t, b) in &e.spurious_relations {
                let _ = writeln!(s, "  spurious_relation: {a} {t} {b}");
            }
            for (a, t, b) in &e.missed_relations {
                let _ = writeln!(s, "  missed_relation: {a} {t} {b}");
            }
            for (r, want, got, _) in &e.wrong_dates {
                let _ = writeln!(s, "  wrong_date: {r}: gold {want}, got {got}");
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::norm;

    #[test]
    fn norm_matches_the_scorer() {
        assert_eq!(norm("the U.S."), "us");
        assert_eq!(norm("Arévalo's new administration"), "arevalo new administration");
        assert_eq!(norm("US-Mexico border"), "us mexico border");
        assert_eq!(norm("The United States"), "united states");
    }
}
