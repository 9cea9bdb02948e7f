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
    /// Ask the graph: who met whom, neighbours, paths, edges, the most connected actors.
    Query(QueryArgs),
    /// Merge graphs built on separate shards of a corpus into one.
    Merge(MergeArgs),
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

    /// Threads extracting articles in parallel (0: one per core). The graph is the same
    /// whatever the number.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,

    /// The most evidence sentences kept per edge (0: all); counts stay exact.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_EVIDENCE)]
    pub evidence: usize,

    /// Stop at the first input that cannot be read, instead of reporting it and going on.
    #[arg(long)]
    pub strict: bool,

    /// Articles (a .txt file, a JSON line) larger than this many bytes are reported and skipped.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_ARTICLE_BYTES)]
    pub max_article_bytes: usize,

    /// Longer runs of text without a sentence end are cut into sentences of this many tokens.
    #[arg(long, value_name = "TOKENS", default_value_t = actorgraph::rules::DEFAULT_MAX_SENTENCE_TOKENS)]
    pub max_sentence_tokens: usize,

    /// Print throughput and the time each stage took.
    #[arg(long)]
    pub timings: bool,
}

/// Articles larger than this are skipped (5 MB: a long news story is 50 KB).
pub const DEFAULT_MAX_ARTICLE_BYTES: usize = 5_000_000;

/// Evidence sentences kept per edge by default.
pub const DEFAULT_EVIDENCE: usize = 20;

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// JSON graphs written by `actorgraph build` (shards of a corpus).
    #[arg(required = true)]
    pub graphs: Vec<PathBuf>,

    #[command(flatten)]
    pub formats: FormatArgs,

    /// A file (with one format), a directory (gets `graph.<ext>` per format), or `-`.
    #[arg(short, long, default_value = "output")]
    pub output: PathBuf,

    /// The most evidence sentences kept per edge (0: all).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_EVIDENCE)]
    pub evidence: usize,

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

/// Where a query reads its graph.
#[derive(Debug, Args)]
pub struct QuerySource {
    /// A saved JSON graph (default: output/graph.json).
    #[arg(long, value_name = "FILE")]
    pub graph: Option<PathBuf>,

    /// Articles to read instead of a saved graph (files or directories, as for `build`).
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub input: Vec<PathBuf>,

    /// A directory of rule files, with --input.
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
}

/// How query answers are printed.
#[derive(Clone, Copy, Debug, Default, clap::ValueEnum)]
pub enum OutputFormat {
    /// An aligned table, for people.
    #[default]
    Table,
    /// One JSON object per answer, with its evidence (JSON Lines).
    Json,
    /// CSV with a header row.
    Csv,
}

#[derive(Debug, Args)]
pub struct QueryArgs {
    #[command(subcommand)]
    pub command: QueryCommand,

    /// table, json (one object per line) or csv.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table, global = true)]
    pub format: OutputFormat,
}

#[derive(Debug, Subcommand)]
pub enum QueryCommand {
    /// Who met whom: everyone NAME met (when, where, evidence), or every meeting.
    Met {
        name: Option<String>,
        /// Only meetings on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).
        #[arg(long)]
        since: Option<String>,
        /// Only meetings on or before this date.
        #[arg(long)]
        until: Option<String>,
        #[command(flatten)]
        source: QuerySource,
    },
    /// The relations of an actor.
    Neighbors {
        name: String,
        /// Only these relation types (repeat for several).
        #[arg(long)]
        relation: Vec<String>,
        /// in, out or both.
        #[arg(long, default_value = "both")]
        direction: String,
        #[command(flatten)]
        source: QuerySource,
    },
    /// The shortest chain of relations between two actors, each hop with its evidence.
    Path {
        from: String,
        to: String,
        /// Only these relation types (repeat for several).
        #[arg(long)]
        relation: Vec<String>,
        #[command(flatten)]
        source: QuerySource,
    },
    /// Edges by relation type, kind of actor, date and evidence.
    Edges {
        #[arg(long)]
        relation: Vec<String>,
        /// Keep edges with an actor of this kind at one end (repeat for several).
        #[arg(long)]
        kind: Vec<String>,
        #[arg(long)]
        since: Option<String>,
        #[arg(long)]
        until: Option<String>,
        /// Only edges stated by at least this many sentences.
        #[arg(long, default_value_t = 0)]
        min_evidence: usize,
        #[command(flatten)]
        source: QuerySource,
    },
    /// The most connected actors.
    Actors {
        #[arg(long)]
        kind: Option<String>,
        #[arg(long, default_value_t = 20)]
        top: usize,
        /// degree (edges) or evidence (sentences).
        #[arg(long, default_value = "degree")]
        by: String,
        #[command(flatten)]
        source: QuerySource,
    },
}
