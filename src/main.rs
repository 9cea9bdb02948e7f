//! The actorgraph binary: the only place that knows flags, files, printing and exit codes.

mod cli;

/// A faster allocator: extraction makes many small, short-lived allocations.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
mod query_cmd;

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Parser;

use actorgraph::export::{self, Format};
use actorgraph::{ActorGraph, Article, RuleFiles, Rules, article, extract};

use cli::{BuildArgs, Cli, Command, EvalArgs, ExplainArgs};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(args) => build(args),
        Command::Eval(args) => eval(args),
        Command::Explain(args) => explain(args),
        Command::Query(args) => query_cmd::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("actorgraph: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Loads the rules: built-in, with the files of `dir` replacing those of the same name.
fn load_rules(dir: Option<&Path>) -> anyhow::Result<Rules> {
    let mut files = RuleFiles::defaults();
    if let Some(dir) = dir {
        let mut found = 0;
        for name in actorgraph::rules::FILE_NAMES {
            let path = dir.join(name);
            if path.exists() {
                let text = fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
                files.set(name, text)?;
                found += 1;
            }
        }
        if found == 0 {
            bail!("{} holds none of the rule files ({})", dir.display(), actorgraph::rules::FILE_NAMES.join(", "));
        }
    }
    Ok(Rules::compile(&files)?)
}

/// Counts of what went wrong while reading inputs.
#[derive(Default)]
struct Problems {
    skipped: usize,
}

impl Problems {
    fn report(&mut self, e: impl std::fmt::Display) {
        eprintln!("actorgraph: {e}");
        self.skipped += 1;
    }
}

/// The input files, directories walked recursively in sorted order.
fn input_files(inputs: &[PathBuf], problems: &mut Problems) -> Vec<(PathBuf, PathBuf)> {
    let mut out = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            out.push((input.clone(), input.clone()));
            continue;
        }
        match fs::metadata(input) {
            Ok(m) if m.is_dir() => walk(input, input, &mut out, problems),
            Ok(_) => out.push((input.parent().map(Path::to_path_buf).unwrap_or_default(), input.clone())),
            Err(e) => problems.report(format!("{}: {e}", input.display())),
        }
    }
    out
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, PathBuf)>, problems: &mut Problems) {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => return problems.report(format!("{}: {e}", dir.display())),
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            walk(root, &p, out, problems);
        } else if matches!(p.extension().and_then(|e| e.to_str()), Some("txt" | "jsonl")) {
            out.push((root.to_path_buf(), p));
        }
    }
}

/// The article id of a file: its path below the input root, without extension.
fn article_id(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let rel = rel.with_extension("");
    rel.to_string_lossy().replace('\\', "/")
}

/// Reads the articles of one input file.
fn read_articles(root: &Path, path: &Path, problems: &mut Problems) -> Vec<Article> {
    let name = path.display().to_string();
    let bytes = if path.as_os_str() == "-" {
        let mut b = Vec::new();
        if let Err(e) = io::stdin().read_to_end(&mut b) {
            problems.report(format!("-: {e}"));
            return Vec::new();
        }
        b
    } else {
        match fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                problems.report(format!("{name}: {e}"));
                return Vec::new();
            }
        }
    };
    let jsonl = path.extension().is_some_and(|e| e == "jsonl")
        || (path.as_os_str() == "-" && bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{'));
    let id = if path.as_os_str() == "-" { "stdin".to_string() } else { article_id(root, path) };
    if !jsonl {
        return match article::from_txt(&id, &name, &bytes) {
            Ok(a) => vec![a],
            Err(e) => {
                problems.report(e);
                Vec::new()
            }
        };
    }
    let mut out = Vec::new();
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let Ok(line) = std::str::from_utf8(line) else {
            problems.report(format!("{name}:{}: not valid UTF-8", i + 1));
            continue;
        };
        match article::from_json_line(&name, i + 1, &format!("{id}:{}", i + 1), line) {
            Ok(a) => out.push(a),
            Err(e) => problems.report(e),
        }
    }
    out
}

/// Where each format goes.
fn destinations(output: &Path, formats: &[Format]) -> anyhow::Result<Vec<(Format, Option<PathBuf>)>> {
    if output.as_os_str() == "-" {
        return Ok(formats.iter().map(|&f| (f, None)).collect());
    }
    let is_dir = output.is_dir() || output.extension().is_none();
    if is_dir {
        return Ok(formats.iter().map(|&f| (f, Some(output.join(format!("graph.{}", f.extension()))))).collect());
    }
    if formats.len() > 1 {
        bail!(
            "--output {} is a file, but {} formats were asked for: give a directory",
            output.display(),
            formats.len()
        );
    }
    Ok(vec![(formats[0], Some(output.to_path_buf()))])
}

/// Writes `text` to `path` through a temporary file, so that a failed run leaves the old file.
fn write_atomic(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let tmp = path.with_extension(format!("{}.tmp", path.extension().and_then(|e| e.to_str()).unwrap_or("")));
    fs::write(&tmp, text).with_context(|| format!("cannot write {}", tmp.display()))?;
    fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

fn build(args: BuildArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let rules = load_rules(args.rules.as_deref())?;
    let mut formats: Vec<Format> = Vec::new();
    for f in &args.formats {
        let f: Format = f.parse().map_err(anyhow::Error::msg)?;
        if !formats.contains(&f) {
            formats.push(f);
        }
    }
    if formats.is_empty() {
        formats = vec![Format::Json, Format::Dot];
    }
    let dests = destinations(&args.output, &formats)?;
    let mut problems = Problems::default();
    let files = input_files(&args.inputs, &mut problems);
    let mut graph = ActorGraph::new();
    let mut articles = 0usize;
    for (root, path) in &files {
        for a in read_articles(root, path, &mut problems) {
            articles += 1;
            graph.merge(extract(&rules, &a));
        }
    }
    graph.link_people();
    if articles == 0 {
        eprintln!(
            "actorgraph: no article could be read from {}",
            args.inputs.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
        );
        return Ok(ExitCode::from(2));
    }
    let mut written = Vec::new();
    for (format, dest) in dests {
        let text = export::write(&graph, format);
        match dest {
            None => io::stdout().write_all(text.as_bytes())?,
            Some(path) => {
                write_atomic(&path, &text)?;
                written.push(path.display().to_string());
            }
        }
    }
    if !args.quiet {
        eprintln!(
            "actorgraph: {articles} article{}, {} actors, {} relations in {:.2}s{}{}",
            if articles == 1 { "" } else { "s" },
            graph.node_count(),
            graph.edge_count(),
            started.elapsed().as_secs_f64(),
            if written.is_empty() { String::new() } else { format!(" -> {}", written.join(", ")) },
            if problems.skipped > 0 { format!("; {} input(s) skipped", problems.skipped) } else { String::new() },
        );
    }
    Ok(if problems.skipped > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Reads gold files: one file, or the `.json` files of a directory in sorted order.
fn gold_docs(path: &Path) -> anyhow::Result<Vec<actorgraph::eval::GoldDoc>> {
    let mut files = Vec::new();
    if path.is_dir() {
        for e in fs::read_dir(path).with_context(|| format!("cannot read {}", path.display()))? {
            let p = e?.path();
            if p.extension().is_some_and(|x| x == "json") {
                files.push(p);
            }
        }
        files.sort();
    } else {
        files.push(path.to_path_buf());
    }
    let mut docs = Vec::new();
    for f in files {
        let text = fs::read_to_string(&f).with_context(|| format!("cannot read {}", f.display()))?;
        let doc =
            serde_json::from_str(&text).with_context(|| format!("{}: not a gold annotation file", f.display()))?;
        docs.push(doc);
    }
    Ok(docs)
}

fn eval(args: EvalArgs) -> anyhow::Result<ExitCode> {
    use actorgraph::eval;
    let rules = load_rules(args.rules.as_deref())?;
    let mut score = eval::Score::default();
    for gold in gold_docs(&args.gold)? {
        let mut article = Article::new(gold.id.clone(), gold.text.clone());
        article.date = article::parse_date(&gold.date);
        let mut graph = ActorGraph::new();
        graph.merge(extract(&rules, &article));
        let (nodes, edges) = eval::pred_from_json(&export::to_json_value(&graph));
        score.add(eval::score_doc(&gold, &nodes, &edges));
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&score)?);
        return Ok(ExitCode::SUCCESS);
    }
    print!("{}", eval::report(&score, args.errors));
    Ok(ExitCode::SUCCESS)
}

fn explain(args: ExplainArgs) -> anyhow::Result<ExitCode> {
    let rules = load_rules(args.rules.as_deref())?;
    let mut problems = Problems::default();
    let mut articles = Vec::new();
    if let Some(text) = &args.text {
        let mut a = Article::new("text", text.clone());
        if let Some(d) = &args.date {
            a.date = Some(article::parse_date(d).with_context(|| format!("--date {d} is not YYYY-MM-DD"))?);
        }
        articles.push(a);
    } else {
        if args.inputs.is_empty() {
            bail!("give articles to explain, or --text");
        }
        for (root, path) in input_files(&args.inputs, &mut problems) {
            articles.extend(read_articles(&root, &path, &mut problems));
        }
    }
    let mut out = io::stdout().lock();
    for a in &articles {
        let analysis = actorgraph::analyze(&rules, a);
        writeln!(out, "{}", actorgraph::explain::explain(&rules, a, &analysis))?;
    }
    Ok(if problems.skipped > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
