//! Exports: one file per output format, each writing the whole graph deterministically (sorted,
//! no timestamps), escaping every name and sentence for its format.
//!
//! [`files`] writes the graph in a [`Format`] as the files that format makes: one for every
//! format but [`Format::Csv`], which makes `nodes.csv`, `relationships.csv` and `import.cypher`.
//! [`text`] is the text of a one-file format. Nothing here opens a file or runs a program: the
//! binary writes the files, and pipes the DOT text to Graphviz for SVG and PNG.

mod csv;
mod cytoscape;
mod dot;
mod gexf;
mod graphml;
mod html;
mod json;
mod style;
mod xml;

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use crate::graph::{ActorGraph, EdgeData, Node, edge_key};
use crate::model::PartialDate;

pub use dot::country_of;
pub use json::{from_json, from_json_reader, from_json_reader_into, to_json_value, write_to as write_json};
pub use style::{KindStyle, kind_style, relation_color};

/// The output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// Node-link JSON, as NetworkX's `node_link_graph` and D3 read it.
    Json,
    /// Graphviz DOT: a diagram with a legend, optionally clustered by country.
    Dot,
    /// GraphML with typed keys (Gephi, yEd, Cytoscape, `networkx.read_graphml`).
    Graphml,
    /// GEXF 1.3 with colours and time spells (Gephi's timeline, `networkx.read_gexf`).
    Gexf,
    /// Cytoscape.js elements JSON, also the `.cyjs` Cytoscape desktop imports.
    Cytoscape,
    /// CSV for Neo4j: `nodes.csv`, `relationships.csv` (`neo4j-admin database import`
    /// headers) and `import.cypher` (LOAD CSV).
    Csv,
    /// One self-contained, offline HTML page showing the graph.
    Html,
}

impl Format {
    pub const ALL: [Format; 7] =
        [Format::Json, Format::Dot, Format::Graphml, Format::Gexf, Format::Cytoscape, Format::Csv, Format::Html];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Dot => "dot",
            Format::Graphml => "graphml",
            Format::Gexf => "gexf",
            Format::Cytoscape => "cytoscape",
            Format::Csv => "csv",
            Format::Html => "html",
        }
    }

    /// The file extension of a one-file format (`cyjs` for Cytoscape); `csv` for Csv, whose
    /// files have names of their own.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Cytoscape => "cyjs",
            f => f.name(),
        }
    }

    /// The names of the files a format makes in an output directory, `stem` naming the
    /// one-file formats' (`graph` gives `graph.dot`).
    pub fn file_names(self, stem: &str) -> Vec<String> {
        match self {
            Format::Csv => csv::FILE_NAMES.iter().map(|s| s.to_string()).collect(),
            f => vec![format!("{stem}.{}", f.extension())],
        }
    }

    /// Whether the format is one file (all but csv).
    pub fn is_one_file(self) -> bool {
        self != Format::Csv
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Format, String> {
        Format::ALL.into_iter().find(|f| f.name() == s || f.extension() == s).ok_or_else(|| {
            let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
            format!("unknown format `{s}` ({})", names.join(", "))
        })
    }
}

/// What the DOT diagram groups actors by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ClusterBy {
    /// People, organizations and places in a box with their country (see [`country_of`]).
    Country,
}

impl FromStr for ClusterBy {
    type Err = String;
    fn from_str(s: &str) -> Result<ClusterBy, String> {
        match s {
            "country" => Ok(ClusterBy::Country),
            _ => Err(format!("unknown cluster `{s}` (country)")),
        }
    }
}

/// Choices that change an export.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Group the DOT diagram's actors (only DOT uses it).
    pub cluster_by: Option<ClusterBy>,
}

/// One file of an export: its name in an output directory and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    pub name: String,
    pub text: String,
}

/// Writes the graph in a format: the files it makes, each text ending with a newline. One-file
/// formats are named `graph.<extension>`.
pub fn files(graph: &ActorGraph, format: Format, options: &Options) -> Vec<File> {
    let one = |text: String| vec![File { name: format!("graph.{}", format.extension()), text }];
    match format {
        Format::Json => one(json::write(graph)),
        Format::Dot => one(dot::write(graph, options)),
        Format::Graphml => one(graphml::write(graph)),
        Format::Gexf => one(gexf::write(graph)),
        Format::Cytoscape => one(cytoscape::write(graph)),
        Format::Csv => csv::write(graph),
        Format::Html => one(html::write(graph)),
    }
}

/// The text of a one-file format; `None` for csv, which makes several files.
pub fn text(graph: &ActorGraph, format: Format, options: &Options) -> Option<String> {
    if !format.is_one_file() {
        return None;
    }
    files(graph, format, options).into_iter().next().map(|f| f.text)
}

/// The first and last day of the period a date names, as `YYYY-MM-DD`: `2024-03` is
/// 2024-03-01 to 2024-03-31, `2024` the whole year, a day is itself.
pub fn date_range(date: PartialDate) -> Option<(String, String)> {
    let first = date.first_day()?;
    let last = match (date.month, date.day) {
        (Some(_), Some(_)) => first,
        (Some(_), None) => first.last_of_month(),
        _ => jiff::civil::Date::new(date.year, 12, 31).ok()?,
    };
    Some((first.to_string(), last.to_string()))
}

/// An edge's confidence rounded to two decimals, as every export writes it.
fn confidence(e: &EdgeData) -> f32 {
    (e.confidence * 100.0).round() / 100.0
}

/// Sorted edges with an id each that no node has: the edge key, made unique if a node of a
/// hand-edited graph happens to carry it.
fn keyed_edges(graph: &ActorGraph) -> Vec<(String, &Node, &Node, &EdgeData)> {
    let node_ids: BTreeSet<&str> = graph.graph.node_weights().map(|n| n.id.as_str()).collect();
    graph
        .sorted_edges()
        .into_iter()
        .map(|(s, t, e)| {
            let mut id = edge_key(&s.id, &t.id, e);
            while node_ids.contains(id.as_str()) {
                id.push('#');
            }
            (id, s, t, e)
        })
        .collect()
}

/// A prefix no node id starts with, for ids the export adds itself (legend entries, clusters).
fn fresh_prefix(graph: &ActorGraph, base: &str) -> String {
    let mut prefix = base.to_string();
    while graph.graph.node_weights().any(|n| n.id.starts_with(&prefix)) {
        prefix.push('_');
    }
    prefix
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_by_name_and_extension() {
        for f in Format::ALL {
            assert_eq!(f.name().parse::<Format>(), Ok(f));
            assert_eq!(f.extension().parse::<Format>(), Ok(f));
        }
        assert!("svg".parse::<Format>().unwrap_err().contains("graphml"));
        assert_eq!(Format::Csv.file_names("graph"), ["nodes.csv", "relationships.csv", "import.cypher"]);
        assert_eq!(Format::Cytoscape.file_names("x"), ["x.cyjs"]);
    }

    #[test]
    fn date_ranges() {
        let r = |s: &str| date_range(s.parse().expect("date"));
        assert_eq!(r("2024-05-07"), Some(("2024-05-07".into(), "2024-05-07".into())));
        assert_eq!(r("2024-02"), Some(("2024-02-01".into(), "2024-02-29".into())));
        assert_eq!(r("2023-02"), Some(("2023-02-01".into(), "2023-02-28".into())));
        assert_eq!(r("2022"), Some(("2022-01-01".into(), "2022-12-31".into())));
    }
}
