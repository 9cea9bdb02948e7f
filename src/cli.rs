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

    /// Output format; repeat for several. Default: json and dot.
    #[arg(short, long = "format", value_name = "FORMAT")]
    pub formats: Vec<String>,

    /// A file (with one format), a directory (gets `graph.<ext>` per format), or `-` for
    /// standard output.
    #[arg(short, long, default_value = "output")]
    pub output: PathBuf,

    /// A directory of rule files replacing the built-in ones of the same name.
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,

    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
}
