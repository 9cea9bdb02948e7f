//! The command line: flags parsed into plain structs. Nothing here does any work.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "actorgraph", version, about = "News articles in, a graph of actors and their relations out")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Extract actors and relations from articles and write the graph.
    Build(BuildArgs),
    /// Convert a saved JSON graph (what `build` writes) to other formats, without re-reading
    /// the articles.
    Export(ExportArgs),
    /// Score extraction against gold-annotated articles (the guidelines' JSON format).
    Eval(EvalArgs),
    /// Show what extraction sees in an article or a sentence: mentions, rules fired, edges.
    Explain(ExplainArgs),
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Articles to explain (as for `build`); none with --text.
    pub inputs: Vec<PathBuf>,

    /// Explain this text instead of files.
    #[arg(long)]
    pub text: Option<String>,

    /// The article date for --text (YYYY-MM-DD).
    #[arg(long)]
    pub date: Option<String>,

    /// A directory of rule files replacing the built-in ones of the same name.
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// A directory of gold `.json` files (or one file).
    pub gold: PathBuf,

    /// List the missed and spurious entities and relations of each article.
    #[arg(long)]
    pub errors: bool,

    /// Print the score as JSON.
    #[arg(long)]
    pub json: bool,

    /// A directory of rule files replacing the built-in ones of the same name.
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Articles: `.txt` files (one article; a leading `date YYYY-MM-DD` gives its date),
    /// `.jsonl` files (one `{"id","date","title","text"}` per line), directories (walked for
    /// both), or `-` for standard input.
    #[arg(default_value = "data")]
    pub inputs: Vec<PathBuf>,

    #[command(flatten)]
    pub formats: FormatArgs,

    /// A directory (gets `graph.<ext>` per format; csv's `nodes.csv`, `relationships.csv`,
    /// `import.cypher`), a file (with one one-file format), or `-` for standard output.
    #[arg(short, long, default_value = "output")]
    pub output: PathBuf,

    /// A directory of rule files replacing the built-in ones of the same name.
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,

    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// A JSON graph written by `actorgraph build` (or `-` for standard input).
    pub graph: PathBuf,

    #[command(flatten)]
    pub formats: FormatArgs,

    /// A directory (gets `<name>.<ext>` per format, `<name>` from GRAPH; csv's `nodes.csv`,
    /// `relationships.csv`, `import.cypher`), a file (with one one-file format), or `-` for
    /// standard output. Default: the directory of GRAPH (standard output for `-`).
    #[arg(short, long)]
    pub output: Option<PathBuf>,

    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct FormatArgs {
    /// Output format: json, dot, svg, png (drawn by Graphviz's `dot`), graphml, gexf,
    /// cytoscape, csv (for Neo4j), html, or all (for export, all but json); repeat or separate
    /// with commas. Default: the format the --output file's extension names; else, for build,
    /// json and dot.
    #[arg(short, long = "format", value_name = "FORMAT", value_delimiter = ',')]
    pub formats: Vec<String>,

    /// Group the diagram (dot, svg, png) by country: people, organizations and places in a box
    /// with the country they are affiliated with, part of or located in.
    #[arg(long, value_name = "country")]
    pub cluster_by: Option<String>,
}
