//! Exports: one file per output format, each writing the whole graph deterministically.

mod dot;
mod json;

use std::str::FromStr;

use crate::graph::ActorGraph;

pub use json::{from_json, to_json_value};

/// The output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// Node-link JSON, as NetworkX's `node_link_graph` and D3 read it.
    Json,
    /// Graphviz DOT.
    Dot,
}

impl Format {
    pub const ALL: [Format; 2] = [Format::Json, Format::Dot];

    /// The file extension, also the name on the command line.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Dot => "dot",
        }
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Format, String> {
        Format::ALL.into_iter().find(|f| f.extension() == s).ok_or_else(|| format!("unknown format `{s}` (json, dot)"))
    }
}

/// Writes the graph in a format. The result ends with a newline.
pub fn write(graph: &ActorGraph, format: Format) -> String {
    match format {
        Format::Json => json::write(graph),
        Format::Dot => dot::write(graph),
    }
}
