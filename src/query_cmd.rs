//! The `query` command: reads a saved graph or articles, runs one of the library's queries and
//! prints the answers as an aligned table, JSON Lines or CSV.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use serde::Serialize;

use actorgraph::query::{DateRange, Direction, EdgeFilter, Lookup, Ranking};
use actorgraph::{ActorGraph, Evidence, Kind, PartialDate, RelationType};

use crate::cli::{OutputFormat, QueryArgs, QueryCommand, QuerySource};

/// Loads the graph a query runs on: `--graph FILE`, or the articles of `--input`, or
/// `output/graph.json` when neither is given.
fn load(source: &QuerySource) -> anyhow::Result<ActorGraph> {
    if !source.input.is_empty() {
        let rules = crate::load_rules(source.rules.as_deref())?;
        let mut reporter = crate::Reporter::default();
        let mut graph = ActorGraph::new();
        let limits = crate::input::Limits { max_article_bytes: crate::cli::DEFAULT_MAX_ARTICLE_BYTES };
        crate::read_all(&source.input, limits, &mut reporter, &mut |a, _| {
            graph.merge(actorgraph::extract(&rules, &a));
            Ok(())
        })?;
        graph.link_people();
        return Ok(graph);
    }
    let path = source.graph.clone().unwrap_or_else(|| PathBuf::from("output/graph.json"));
    if source.graph.is_none() && !path.exists() {
        bail!(
            "no graph to query: output/graph.json does not exist; give --graph FILE or --input ARTICLES (or run `actorgraph build` first)"
        );
    }
    read_graph(&path)
}

/// Reads a saved JSON graph, naming the file in errors.
pub fn read_graph(path: &Path) -> anyhow::Result<ActorGraph> {
    read_graph_into(path, ActorGraph::new())
}

/// [`read_graph`] into an empty graph made as the caller wants it.
pub fn read_graph_into(path: &Path, graph: ActorGraph) -> anyhow::Result<ActorGraph> {
    let file = std::fs::File::open(path).with_context(|| format!("cannot read the graph {}", path.display()))?;
    Ok(actorgraph::export::from_json_reader_into(&path.display().to_string(), file, graph)?)
}

fn date(s: &Option<String>, what: &str) -> anyhow::Result<Option<PartialDate>> {
    s.as_deref().map(|d| d.parse::<PartialDate>().map_err(|e| anyhow::anyhow!("{what}: {e}"))).transpose()
}

fn relations(names: &[String]) -> anyhow::Result<Vec<RelationType>> {
    names.iter().map(|r| r.parse::<RelationType>().map_err(anyhow::Error::msg)).collect()
}

/// Resolves a name, or says why it cannot.
fn actor(graph: &ActorGraph, name: &str) -> anyhow::Result<petgraph::stable_graph::NodeIndex> {
    match graph.lookup(name) {
        Lookup::Found(i) => Ok(i),
        Lookup::NotFound => bail!("no actor answers to `{name}`"),
        Lookup::Ambiguous(c) => {
            let list: Vec<String> =
                c.iter().map(|&i| format!("  {} ({})", graph.node_at(i).label, graph.node_at(i).id)).collect();
            bail!("`{name}` could be any of:\n{}\nask again with a fuller name or the id", list.join("\n"))
        }
    }
}

/// One answer, as a row of text cells and as a JSON object.
struct Row {
    cells: Vec<String>,
    json: serde_json::Value,
}

fn d(date: Option<PartialDate>) -> String {
    date.map_or_else(|| "-".to_string(), |d| d.to_string())
}

fn first_sentence(ev: &[Evidence]) -> String {
    ev.first().map_or(String::new(), |e| e.sentence.to_string())
}

fn row<T: Serialize>(cells: Vec<String>, value: &T) -> Row {
    Row { cells, json: serde_json::to_value(value).unwrap_or(serde_json::Value::Null) }
}

pub fn run(args: QueryArgs) -> anyhow::Result<ExitCode> {
    let (header, rows): (Vec<&str>, Vec<Row>) = match &args.command {
        QueryCommand::Met { name, since, until, source } => {
            let graph = load(source)?;
            let who = name.as_deref().map(|n| actor(&graph, n)).transpose()?;
            let range = DateRange { since: date(since, "--since")?, until: date(until, "--until")? };
            let rows = graph
                .meetings(who, &range)
                .iter()
                .map(|m| {
                    row(
                        vec![
                            d(m.date),
                            m.actor.label.clone(),
                            m.other.label.clone(),
                            m.places.join("; "),
                            first_sentence(&m.evidence),
                        ],
                        m,
                    )
                })
                .collect();
            (vec!["DATE", "ACTOR", "MET", "WHERE", "EVIDENCE"], rows)
        }
        QueryCommand::Neighbors { name, relation, direction, source } => {
            let graph = load(source)?;
            let who = actor(&graph, name)?;
            let dir = match direction.as_str() {
                "in" => Direction::In,
                "out" => Direction::Out,
                "both" => Direction::Both,
                other => bail!("--direction is in, out or both, not `{other}`"),
            };
            let rows = graph
                .neighbors(who, &relations(relation)?, dir)
                .iter()
                .map(|n| {
                    row(
                        vec![
                            n.relation.to_string(),
                            n.direction.to_string(),
                            n.other.label.clone(),
                            d(n.date),
                            first_sentence(&n.evidence),
                        ],
                        n,
                    )
                })
                .collect();
            (vec!["RELATION", "DIRECTION", "OTHER", "DATE", "EVIDENCE"], rows)
        }
        QueryCommand::Path { from, to, relation, source } => {
            let graph = load(source)?;
            let (a, b) = (actor(&graph, from)?, actor(&graph, to)?);
            let hops = graph.path(a, b, &relations(relation)?).unwrap_or_default();
            let rows = hops
                .iter()
                .enumerate()
                .map(|(i, h)| {
                    row(
                        vec![
                            (i + 1).to_string(),
                            h.source.label.clone(),
                            h.relation.to_string(),
                            h.target.label.clone(),
                            d(h.date),
                            first_sentence(&h.evidence),
                        ],
                        h,
                    )
                })
                .collect();
            (vec!["HOP", "SOURCE", "RELATION", "TARGET", "DATE", "EVIDENCE"], rows)
        }
        QueryCommand::Edges { relation, kind, since, until, min_evidence, source } => {
            let graph = load(source)?;
            let kinds: Vec<Kind> =
                kind.iter().map(|k| k.parse::<Kind>().map_err(anyhow::Error::msg)).collect::<Result<_, _>>()?;
            let filter = EdgeFilter {
                relations: relations(relation)?,
                kinds,
                dates: DateRange { since: date(since, "--since")?, until: date(until, "--until")? },
                min_evidence: *min_evidence,
            };
            let rows = graph
                .edges_where(&filter)
                .iter()
                .map(|e| {
                    row(
                        vec![
                            d(e.date),
                            e.source.label.clone(),
                            e.relation.to_string(),
                            e.target.label.clone(),
                            e.count.to_string(),
                            first_sentence(&e.evidence),
                        ],
                        e,
                    )
                })
                .collect();
            (vec!["DATE", "SOURCE", "RELATION", "TARGET", "SENTENCES", "EVIDENCE"], rows)
        }
        QueryCommand::Actors { kind, top, by, source } => {
            let graph = load(source)?;
            let kind = kind.as_deref().map(|k| k.parse::<Kind>().map_err(anyhow::Error::msg)).transpose()?;
            let by = match by.as_str() {
                "degree" => Ranking::Degree,
                "evidence" => Ranking::Evidence,
                other => bail!("--by is degree or evidence, not `{other}`"),
            };
            let rows = graph
                .actors(kind, by, *top)
                .iter()
                .map(|a| {
                    row(
                        vec![
                            a.actor.label.clone(),
                            a.actor.kind.to_string(),
                            a.degree.to_string(),
                            a.evidence.to_string(),
                            a.documents.to_string(),
                        ],
                        a,
                    )
                })
                .collect();
            (vec!["ACTOR", "KIND", "EDGES", "SENTENCES", "DOCUMENTS"], rows)
        }
    };
    print(&header, &rows, args.format)?;
    Ok(ExitCode::SUCCESS)
}

fn print(header: &[&str], rows: &[Row], format: OutputFormat) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match format {
        OutputFormat::Json => {
            for r in rows {
                writeln!(out, "{}", serde_json::to_string(&r.json)?)?;
            }
        }
        OutputFormat::Csv => {
            writeln!(out, "{}", header.iter().map(|h| csv_cell(&h.to_lowercase())).collect::<Vec<_>>().join(","))?;
            for r in rows {
                writeln!(out, "{}", r.cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(","))?;
            }
        }
        OutputFormat::Table => {
            if rows.is_empty() {
                writeln!(out, "no results")?;
                return Ok(());
            }
            // The last column (evidence) is not padded; the others are aligned.
            let n = header.len();
            let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
            for r in rows {
                for (i, c) in r.cells.iter().enumerate().take(n - 1) {
                    widths[i] = widths[i].max(c.chars().count());
                }
            }
            let line = |cells: &[String]| {
                let mut s = String::new();
                for (i, c) in cells.iter().enumerate() {
                    if i + 1 < n {
                        s.push_str(c);
                        s.push_str(&" ".repeat(widths[i] - c.chars().count() + 2));
                    } else {
                        s.push_str(c);
                    }
                }
                s.trim_end().to_string()
            };
            writeln!(out, "{}", line(&header.iter().map(|h| h.to_string()).collect::<Vec<_>>()))?;
            for r in rows {
                let mut cells = r.cells.clone();
                // Evidence is shortened in the table; JSON and CSV keep it whole.
                if let Some(last) = cells.last_mut()
                    && last.chars().count() > 100
                {
                    *last = last.chars().take(99).collect::<String>() + "\u{2026}";
                }
                writeln!(out, "{}", line(&cells))?;
            }
        }
    }
    Ok(())
}

/// A CSV cell, quoted when it needs to be (RFC 4180).
fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}
