//! The actorgraph binary: the only place that knows flags, files, printing and exit codes.

mod cli;
mod query_cmd;

/// A faster allocator: extraction makes many small, short-lived allocations.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Parser;

use actorgraph::export::{self, Format};
use actorgraph::{ActorGraph, Article, RuleFiles, Rules, article, extract};

use cli::{BuildArgs, Cli, Command, EvalArgs, ExplainArgs, ExportArgs, FormatArgs};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(args) => build(args),
        Command::Export(args) => export_graph(args),
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

/// A picture Graphviz draws from the DOT export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Picture {
    Svg,
    Png,
}

impl Picture {
    fn name(self) -> &'static str {
        match self {
            Picture::Svg => "svg",
            Picture::Png => "png",
        }
    }
}

/// What `--format` names: an export the library writes, or a picture of the DOT export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Export(Format),
    Picture(Picture),
}

impl Target {
    /// Every target, in the order `all` writes them.
    const ALL: [Target; 9] = [
        Target::Export(Format::Json),
        Target::Export(Format::Dot),
        Target::Picture(Picture::Svg),
        Target::Picture(Picture::Png),
        Target::Export(Format::Graphml),
        Target::Export(Format::Gexf),
        Target::Export(Format::Cytoscape),
        Target::Export(Format::Csv),
        Target::Export(Format::Html),
    ];

    fn name(self) -> &'static str {
        match self {
            Target::Export(f) => f.name(),
            Target::Picture(p) => p.name(),
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Target::Export(f) => f.extension(),
            Target::Picture(p) => p.name(),
        }
    }

    fn parse(s: &str) -> anyhow::Result<Vec<Target>> {
        if s == "all" {
            return Ok(Target::ALL.to_vec());
        }
        Target::ALL.into_iter().find(|t| t.name() == s || t.extension() == s).map(|t| vec![t]).ok_or_else(|| {
            let names: Vec<&str> = Target::ALL.iter().map(|t| t.name()).collect();
            anyhow::anyhow!("unknown format `{s}` ({}, or all)", names.join(", "))
        })
    }
}

/// The targets asked for: `--format` values in order without repeats (`all` but the targets
/// `not_in_all`); without any, the format the output file's extension names, else `default`.
fn targets(args: &FormatArgs, output: &Path, default: &[Target], not_in_all: &[Target]) -> anyhow::Result<Vec<Target>> {
    let mut out: Vec<Target> = Vec::new();
    for f in &args.formats {
        let all = f.trim() == "all";
        for t in Target::parse(f.trim())? {
            let left_out = all && not_in_all.contains(&t);
            if !out.contains(&t) && !left_out {
                out.push(t);
            }
        }
    }
    if out.is_empty() {
        let by_extension = output.extension().and_then(|e| e.to_str()).and_then(|e| Target::parse(e).ok());
        out = match by_extension {
            Some(t) if !output.is_dir() => t,
            _ => default.to_vec(),
        };
    }
    if out.is_empty() {
        bail!("give --format (json, dot, svg, png, graphml, gexf, cytoscape, csv, html, or all)");
    }
    Ok(out)
}

/// Fails early when the output cannot take what the targets make: `-` and a file path take one
/// file (csv makes three).
fn check_output(output: &Path, targets: &[Target]) -> anyhow::Result<()> {
    let one_place = output.as_os_str() == "-" || !(output.is_dir() || output.extension().is_none());
    let files: usize = targets.iter().map(|t| if *t == Target::Export(Format::Csv) { 3 } else { 1 }).sum();
    if one_place && files != 1 {
        let names: Vec<&str> = targets.iter().map(|t| t.name()).collect();
        bail!(
            "--output {} takes one file, but {} make{} {files}: give a directory",
            output.display(),
            names.join(", "),
            if names.len() == 1 { "s" } else { "" }
        );
    }
    Ok(())
}

/// The export options `--cluster-by` asks for.
fn options(args: &FormatArgs, targets: &[Target]) -> anyhow::Result<export::Options> {
    let mut options = export::Options::default();
    if let Some(c) = &args.cluster_by {
        options.cluster_by = Some(c.parse().map_err(anyhow::Error::msg)?);
        let drawn = targets.iter().any(|t| matches!(t, Target::Export(Format::Dot) | Target::Picture(_)));
        if !drawn {
            bail!("--cluster-by changes only the diagram: use it with --format dot, svg or png");
        }
    }
    Ok(options)
}

/// Runs Graphviz's `dot` (or the program `GRAPHVIZ_DOT` names) on DOT text.
fn graphviz(dot: &str, picture: Picture) -> anyhow::Result<Vec<u8>> {
    use std::process::{Command, Stdio};
    let program = std::env::var_os("GRAPHVIZ_DOT").unwrap_or_else(|| "dot".into());
    let shown = Path::new(&program).display().to_string();
    let spawned = Command::new(&program)
        .arg(format!("-T{}", picture.name()))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(e) if e.kind() == io::ErrorKind::NotFound => bail!(
            "--format {} needs Graphviz's `dot` program, and `{shown}` was not found: install Graphviz \
             (`apt-get install graphviz`, `brew install graphviz`, https://graphviz.org/download/) or set \
             GRAPHVIZ_DOT to the program; --format dot writes the DOT file without it",
            picture.name()
        ),
        Err(e) => bail!("cannot run Graphviz (`{shown}`) for --format {}: {e}", picture.name()),
    };
    let Some(mut stdin) = child.stdin.take() else { bail!("cannot write to Graphviz (`{shown}`)") };
    let text = dot.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
    let out = child.wait_with_output().with_context(|| format!("Graphviz (`{shown}`) did not finish"))?;
    let written = writer.join();
    if !out.status.success() {
        bail!(
            "Graphviz (`{shown} -T{}`) failed ({}): {}",
            picture.name(),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    match written {
        Ok(Ok(())) => Ok(out.stdout),
        Ok(Err(e)) => bail!("cannot write to Graphviz (`{shown}`): {e}"),
        Err(_) => bail!("cannot write to Graphviz (`{shown}`)"),
    }
}

/// The files a target makes: a name in an output directory and the bytes.
type Produced = Vec<(Target, Vec<(String, Vec<u8>)>)>;

/// The files of each target, named for an output directory (`<stem>.<ext>`, csv's own names).
fn produce(graph: &ActorGraph, targets: &[Target], options: &export::Options, stem: &str) -> anyhow::Result<Produced> {
    let mut out = Vec::new();
    let mut dot: Option<String> = None;
    for &t in targets {
        let files = match t {
            Target::Export(f) => export::files(graph, f, options)
                .into_iter()
                .map(|file| {
                    let name = if f.is_one_file() { format!("{stem}.{}", f.extension()) } else { file.name };
                    (name, file.text.into_bytes())
                })
                .collect(),
            Target::Picture(p) => {
                let text = dot.get_or_insert_with(|| export::text(graph, Format::Dot, options).unwrap_or_default());
                vec![(format!("{stem}.{}", p.name()), graphviz(text, p)?)]
            }
        };
        out.push((t, files));
    }
    Ok(out)
}

/// Writes the files to the output: a directory, one file, or `-` (standard output). Returns the
/// paths written. `input` is a file that must not be overwritten.
fn deliver(output: &Path, produced: Produced, input: Option<&Path>) -> anyhow::Result<Vec<String>> {
    let count: usize = produced.iter().map(|(_, f)| f.len()).sum();
    let single = |what: &str| -> anyhow::Result<()> {
        if count != 1 {
            let names: Vec<&str> = produced.iter().map(|(t, _)| t.name()).collect();
            bail!(
                "--output {what} takes one file, but {} make{} {count}: give a directory",
                names.join(", "),
                if names.len() == 1 { "s" } else { "" }
            );
        }
        Ok(())
    };
    if output.as_os_str() == "-" {
        single("-")?;
        for (_, files) in produced {
            for (_, bytes) in files {
                io::stdout().write_all(&bytes)?;
            }
        }
        return Ok(Vec::new());
    }
    let is_dir = output.is_dir() || output.extension().is_none();
    let mut dests: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    if is_dir {
        for (_, files) in produced {
            for (name, bytes) in files {
                dests.push((output.join(name), bytes));
            }
        }
    } else {
        single(&output.display().to_string())?;
        for (_, files) in produced {
            for (_, bytes) in files {
                dests.push((output.to_path_buf(), bytes));
            }
        }
    }
    if let Some(input) = input.and_then(|i| fs::canonicalize(i).ok()) {
        for (path, _) in &dests {
            if fs::canonicalize(path).is_ok_and(|p| p == input) {
                bail!("{} would overwrite the graph being exported: give another --output", path.display());
            }
        }
    }
    let mut written = Vec::new();
    for (path, bytes) in dests {
        write_atomic(&path, &bytes)?;
        written.push(path.display().to_string());
    }
    Ok(written)
}

/// Writes `bytes` to `path` through a temporary file, so that a failed run leaves the old file.
fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let tmp = path.with_extension(format!("{}.tmp", path.extension().and_then(|e| e.to_str()).unwrap_or("")));
    fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

fn build(args: BuildArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let rules = load_rules(args.rules.as_deref())?;
    let targets =
        targets(&args.formats, &args.output, &[Target::Export(Format::Json), Target::Export(Format::Dot)], &[])?;
    let options = options(&args.formats, &targets)?;
    check_output(&args.output, &targets)?;
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
    let produced = produce(&graph, &targets, &options, "graph")?;
    let written = deliver(&args.output, produced, None)?;
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

fn export_graph(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let stdin = args.graph.as_os_str() == "-";
    let text = if stdin {
        let mut s = String::new();
        io::stdin().read_to_string(&mut s).context("cannot read the graph from standard input")?;
        s
    } else {
        fs::read_to_string(&args.graph).with_context(|| format!("cannot read {}", args.graph.display()))?
    };
    let name = if stdin { "-".to_string() } else { args.graph.display().to_string() };
    let graph = export::from_json(&name, &text)?;
    let output = match &args.output {
        Some(o) => o.clone(),
        None if stdin => PathBuf::from("-"),
        None => args.graph.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf(),
    };
    // `all` but json: the graph is JSON already.
    let targets = targets(&args.formats, &output, &[], &[Target::Export(Format::Json)])?;
    let options = options(&args.formats, &targets)?;
    check_output(&output, &targets)?;
    let stem = if stdin { "graph" } else { args.graph.file_stem().and_then(|s| s.to_str()).unwrap_or("graph") };
    let produced = produce(&graph, &targets, &options, stem)?;
    let written = deliver(&output, produced, (!stdin).then_some(args.graph.as_path()))?;
    if !args.quiet {
        eprintln!(
            "actorgraph: {} actors, {} relations{}",
            graph.node_count(),
            graph.edge_count(),
            if written.is_empty() { String::new() } else { format!(" -> {}", written.join(", ")) },
        );
    }
    Ok(ExitCode::SUCCESS)
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
