//! Explain: what extraction saw in an article, sentence by sentence: time expressions,
//! mentions and the actors they stand for, the rules that fired (and why a match made no edge),
//! and the edges made. For users who edit the rules.

use std::fmt::Write;

use crate::mention::{Form, Mention};
use crate::{Analysis, Article, Rules};

/// A readable account of the analysis of one article.
pub fn explain(rules: &Rules, article: &Article, a: &Analysis) -> String {
    let mut s = String::new();
    let text = article.text.as_str();
    let ents = &a.resolution.entities;
    let _ = writeln!(s, "article {} ({})", article.id, article.date.map_or("no date".to_string(), |d| d.to_string()));
    for (si, sent) in a.tokens.sentences.iter().enumerate() {
        let _ = writeln!(s, "\nsentence {}: {}", si + 1, &text[sent.start..sent.end]);
        for t in &a.times[si] {
            let (b, e) = (a.tokens.tokens[t.toks.start].start, a.tokens.tokens[t.toks.end - 1].end);
            let d = t.date.map_or("?".to_string(), |d| d.to_string());
            let _ = writeln!(s, "  time     {:?} -> {d}", &text[b..e]);
        }
        let mut ms: Vec<(usize, &Mention)> = a.mentions.iter().enumerate().filter(|(_, m)| m.sentence == si).collect();
        ms.sort_by_key(|(_, m)| (m.toks.start, std::cmp::Reverse(m.toks.end)));
        for (mi, m) in ms {
            let (b, e) = (a.tokens.tokens[m.toks.start].start, a.tokens.tokens[m.toks.end - 1].end);
            let refs: Vec<&str> = a.resolution.refs[mi].iter().map(|&e| ents[e].id.as_str()).collect();
            let target = if refs.is_empty() { "(dropped)".to_string() } else { refs.join(", ") };
            let mut notes = vec![form_name(m.form).to_string()];
            if let Some(t) = m.title {
                notes.push(format!("title {}", rules.titles[t].phrase));
            }
            if m.nested {
                notes.push("nested".into());
            }
            if m.tentative {
                notes.push("tentative".into());
            }
            let _ = writeln!(s, "  mention  {:?} -> {target} [{}]", &text[b..e], notes.join(", "));
        }
        for f in a.fired.iter().filter(|f| f.sentence == si) {
            let names = |v: &[usize]| v.iter().map(|&e| ents[e].id.as_str()).collect::<Vec<_>>().join(" + ");
            let verdict = f.rejected.map_or("edge".to_string(), |r| format!("no edge: {r}"));
            let _ = writeln!(s, "  rule     {} A={} B={} -> {verdict}", f.rule, names(&f.a), names(&f.b));
        }
        for e in a.edges.iter().filter(|e| e.sentence == si) {
            let d = e.date.map_or("-".to_string(), |d| d.to_string());
            let _ =
                writeln!(s, "  edge     {} {} {} {d} ({})", ents[e.source].id, e.relation, ents[e.target].id, e.rule);
        }
    }
    s
}

fn form_name(f: Form) -> &'static str {
    match f {
        Form::Name => "name",
        Form::Demonym => "demonym",
        Form::Metonym => "metonym",
        Form::Agent => "agent",
        Form::Government => "government",
        Form::Pronoun => "pronoun",
        Form::Description => "description",
        Form::Relative => "relative",
    }
}
