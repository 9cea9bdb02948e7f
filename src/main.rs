//! The actorgraph binary: the only place that knows flags, files, printing and exit codes.

mod cli;
mod input;
mod mimalloc;
mod query_cmd;

/// A faster allocator: extraction makes many small, short-lived allocations.
#[global_allocator]
static GLOBAL: mimalloc::Mimalloc = mimalloc::Mimalloc;

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
        Command::Merge(args) => merge(args),
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

/// Reports what went wrong while reading inputs, and counts it: each bad input is skipped and
/// named (`file:line: what is wrong`); with `--strict` the first one ends the run.
#[derive(Default)]
pub struct Reporter {
    pub skipped: usize,
    pub warnings: usize,
    pub strict: bool,
    /// The progress bar, which reports must not tear.
    pub bar: Option<indicatif::ProgressBar>,
}

impl Reporter {
    fn say(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("actorgraph: {line}")),
            None => eprintln!("actorgraph: {line}"),
        }
    }

    /// A bad input, skipped. Under `--strict`, an error that ends the run.
    pub fn problem(&mut self, p: input::Problem) -> anyhow::Result<()> {
        if self.strict {
            bail!("{} (--strict: stopping at the first bad input)", p.0);
        }
        self.say(&p.0);
        self.skipped += 1;
        Ok(())
    }

    /// Something repaired on the way, reported but not skipped.
    pub fn warning(&mut self, w: &str) {
        self.say(&format!("warning: {w}"));
        self.warnings += 1;
    }
}

/// Reads every article of the inputs in order, calling `each` with it; problems go to the
/// reporter. Returns how many articles were read.
pub fn read_all(
    inputs: &[PathBuf],
    limits: input::Limits,
    reporter: &mut Reporter,
    each: &mut dyn FnMut(Article, u64) -> anyhow::Result<()>,
) -> anyhow::Result<usize> {
    let files = input_files(inputs, reporter)?;
    read_files(&files, limits, reporter, each)
}

/// The input files (directories walked); a path that cannot be read goes to the reporter.
fn input_files(inputs: &[PathBuf], reporter: &mut Reporter) -> anyhow::Result<Vec<(PathBuf, PathBuf)>> {
    let mut problems = Vec::new();
    let files = input::files(inputs, &mut problems);
    for p in problems {
        reporter.problem(p)?;
    }
    Ok(files)
}

/// [`read_all`] over files already found (`input::files`).
fn read_files(
    files: &[(PathBuf, PathBuf)],
    limits: input::Limits,
    reporter: &mut Reporter,
    each: &mut dyn FnMut(Article, u64) -> anyhow::Result<()>,
) -> anyhow::Result<usize> {
    let mut count = 0;
    let mut failure: Option<anyhow::Error> = None;
    for (root, path) in files {
        input::read(root, path, limits, &mut |item, bytes| {
            if failure.is_some() {
                return;
            }
            let result = match item {
                input::Item::Article(a) => {
                    count += 1;
                    each(*a, bytes)
                }
                input::Item::Warning(w) => {
                    reporter.warning(&w);
                    Ok(())
                }
                input::Item::Problem(p) => reporter.problem(p),
            };
            if let Err(e) = result {
                failure = Some(e);
            }
        });
        if let Some(e) = failure.take() {
            return Err(e);
        }
    }
    Ok(count)
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

/// What a file holds: bytes made already, or the graph's JSON, written straight to the file
/// (a large graph's JSON is many times the size of its articles, and never held in memory).
enum Content<'g> {
    Bytes(Vec<u8>),
    Json(&'g ActorGraph),
}

impl Content<'_> {
    fn write_to(&self, out: &mut (dyn Write + Send)) -> io::Result<()> {
        match self {
            Content::Bytes(b) => out.write_all(b),
            Content::Json(g) => {
                let mut w = io::BufWriter::with_capacity(1 << 16, out);
                export::write_json(g, &mut w)?;
                w.flush()
            }
        }
    }
}

/// The files a target makes: a name in an output directory and the content.
type Produced<'g> = Vec<(Target, Vec<(String, Content<'g>)>)>;

/// The files of each target, named for an output directory (`<stem>.<ext>`, csv's own names).
fn produce<'g>(
    graph: &'g ActorGraph,
    targets: &[Target],
    options: &export::Options,
    stem: &str,
) -> anyhow::Result<Produced<'g>> {
    let mut out = Vec::new();
    let mut dot: Option<String> = None;
    for &t in targets {
        let files = match t {
            Target::Export(Format::Json) => vec![(format!("{stem}.json"), Content::Json(graph))],
            Target::Export(f) => export::files(graph, f, options)
                .into_iter()
                .map(|file| {
                    let name = if f.is_one_file() { format!("{stem}.{}", f.extension()) } else { file.name };
                    (name, Content::Bytes(file.text.into_bytes()))
                })
                .collect(),
            Target::Picture(p) => {
                let text = dot.get_or_insert_with(|| export::text(graph, Format::Dot, options).unwrap_or_default());
                vec![(format!("{stem}.{}", p.name()), Content::Bytes(graphviz(text, p)?))]
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
        let mut stdout = io::stdout();
        for (_, files) in produced {
            for (_, content) in files {
                content.write_to(&mut stdout)?;
            }
        }
        stdout.flush()?;
        return Ok(Vec::new());
    }
    let is_dir = output.is_dir() || output.extension().is_none();
    let mut dests: Vec<(PathBuf, Content)> = Vec::new();
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

/// A new file written from its start, its disk space claimed ahead of the writes, a few dozen
/// megabytes at a time: a filesystem that allocates blocks as pages are written (ext4) writes a
/// large graph several times faster so. Where space cannot be claimed ahead, it is written as
/// any file is.
struct Preallocated {
    file: fs::File,
    /// Bytes written, and bytes claimed.
    written: u64,
    claimed: u64,
    /// Whether space is claimed ahead (until the filesystem, or the system, says it cannot).
    claims: bool,
}

impl Preallocated {
    fn new(file: fs::File) -> Preallocated {
        Preallocated { file, written: 0, claimed: 0, claims: true }
    }

    /// Claims room for `more` bytes past what is written.
    fn claim(&mut self, more: u64) {
        if !self.claims || self.written + more <= self.claimed {
            return;
        }
        // A quarter of what is written, at least 32 MiB: few calls, little left unused.
        let step = (self.written / 4).max(32 << 20).max(more);
        if claim_space(&self.file, self.claimed, self.written + step - self.claimed) {
            self.claimed = self.written + step;
        } else {
            self.claims = false;
        }
    }

    /// Flushes, and gives back the room claimed past the end.
    fn finish(mut self) -> io::Result<()> {
        self.file.flush()?;
        if self.claimed > self.written {
            self.file.set_len(self.written)?;
        }
        Ok(())
    }
}

impl Write for Preallocated {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.claim(buf.len() as u64);
        let n = self.file.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// Gives `file` disk space for `len` bytes from `offset` (its size grows to cover them);
/// `false` where the filesystem cannot.
#[cfg(target_os = "linux")]
fn claim_space(file: &fs::File, offset: u64, len: u64) -> bool {
    use std::os::fd::AsRawFd;
    let (Ok(offset), Ok(len)) = (libc::off_t::try_from(offset), libc::off_t::try_from(len)) else { return false };
    // SAFETY: fallocate(2) reads only its integer arguments; the descriptor is open for writing
    // for as long as `file` lives.
    unsafe { libc::fallocate(file.as_raw_fd(), 0, offset, len) == 0 }
}

#[cfg(not(target_os = "linux"))]
fn claim_space(_file: &fs::File, _offset: u64, _len: u64) -> bool {
    false
}

/// Writes `content` to `path` through a temporary file, so that a failed run leaves the old file.
fn write_atomic(path: &Path, content: &Content) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let tmp = path.with_extension(format!("{}.tmp", path.extension().and_then(|e| e.to_str()).unwrap_or("")));
    let written = fs::File::create(&tmp).and_then(|f| {
        let mut f = Preallocated::new(f);
        content.write_to(&mut f)?;
        f.finish()
    });
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("cannot write {}", tmp.display()));
    }
    fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// A progress bar on standard error when it is a terminal and the run lasts: articles, MB, rate
/// and, for files of known size, the time left.
fn progress_bar(total_bytes: u64, quiet: bool) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if quiet || !io::stderr().is_terminal() {
        return None;
    }
    let bar =
        if total_bytes > 0 { indicatif::ProgressBar::new(total_bytes) } else { indicatif::ProgressBar::no_length() };
    let template = if total_bytes > 0 {
        "{spinner} {msg} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} {wide_bar} {eta}"
    } else {
        "{spinner} {msg} {binary_bytes} {binary_bytes_per_sec}"
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template(template).unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    // Hidden until the run has lasted a moment.
    bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    Some(bar)
}

fn build(args: BuildArgs) -> anyhow::Result<ExitCode> {
    use rayon::prelude::*;
    let started = Instant::now();
    let mut rules = load_rules(args.rules.as_deref())?;
    rules.abbrev.max_sentence_tokens = args.max_sentence_tokens;
    let rules_time = started.elapsed();
    let targets =
        targets(&args.formats, &args.output, &[Target::Export(Format::Json), Target::Export(Format::Dot)], &[])?;
    let options = options(&args.formats, &targets)?;
    check_output(&args.output, &targets)?;
    let threads =
        if args.threads == 0 { std::thread::available_parallelism().map_or(1, |n| n.get()) } else { args.threads };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().context("cannot start threads")?;
    let limits = input::Limits { max_article_bytes: args.max_article_bytes };
    let mut reporter = Reporter { strict: args.strict, ..Reporter::default() };
    let files = input_files(&args.inputs, &mut reporter)?;
    let bar = progress_bar(input::total_bytes(&files), args.quiet);
    reporter.bar = bar.clone();
    let (store, _spill) = spill_store(&args.output)?;
    let mut graph = ActorGraph::with_sentences(store);
    // Room for the graph of inputs of known size, so that its tables do not grow by copying
    // themselves (news makes well under one edge per 100 bytes, and an article is more than
    // 400): up to 16 million edges, a gigabyte of address space, which a system refusing to
    // overcommit would still give. Past that, or for standard input, they grow as they must.
    let input_bytes = usize::try_from(input::total_bytes(&files)).unwrap_or(usize::MAX);
    graph.reserve((input_bytes / 100).min(1 << 24), (input_bytes / 400).min(1 << 22), input_bytes);
    graph.evidence_cap = (args.evidence > 0).then_some(args.evidence);
    let mut timings = actorgraph::StageTimes::default();
    let mut merge_time = std::time::Duration::ZERO;
    let mut batch_time = std::time::Duration::ZERO;
    // Articles are extracted in parallel in batches, and merged in input order: the graph is
    // the same whatever the number of threads, and memory holds two batches of text at a time.
    // A batch's documents are merged while the next batch is extracted, and batches are long
    // enough to keep every thread busy between two merges. One thread extracts and merges each
    // article in turn instead (see run_batch).
    let batch_len = if threads == 1 { 32 } else { 256 };
    let mut batch: Vec<Article> = Vec::with_capacity(batch_len);
    let mut pending: Vec<(actorgraph::Document, actorgraph::StageTimes)> = Vec::new();
    let mut run_batch = |batch: &mut Vec<Article>, graph: &mut ActorGraph| {
        if threads == 1 {
            // One thread extracts and merges each article in turn, here: nothing handed to the
            // pool's thread (waiting for it to wake costs more than a small batch's work, and
            // a document merged at once is still in the cache).
            let mut merged = std::time::Duration::ZERO;
            for a in batch.iter() {
                let (doc, st) = actorgraph::extract_timed(&rules, a);
                let t = Instant::now();
                timings.add(&st);
                graph.merge(doc);
                merged += t.elapsed();
            }
            merge_time += merged;
            batch.clear();
            return;
        }
        let waiting = std::mem::take(&mut pending);
        let (docs, merged) = pool.install(|| {
            rayon::join(
                || batch.par_iter().map(|a| actorgraph::extract_timed(&rules, a)).collect(),
                || {
                    let t = Instant::now();
                    for (doc, st) in waiting {
                        timings.add(&st);
                        graph.merge(doc);
                    }
                    t.elapsed()
                },
            )
        });
        merge_time += merged;
        pending = docs;
        batch.clear();
    };
    let mut bytes_read = 0u64;
    let mut seen = 0usize;
    let mut last = Instant::now();
    let reading = Instant::now();
    let articles = read_files(&files, limits, &mut reporter, &mut |a, bytes| {
        bytes_read += bytes;
        seen += 1;
        batch.push(a);
        if batch.len() == batch_len {
            let t = Instant::now();
            run_batch(&mut batch, &mut graph);
            batch_time += t.elapsed();
        }
        if let Some(bar) = &bar {
            if started.elapsed().as_millis() > 700 && bar.is_hidden() {
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
            if last.elapsed().as_millis() > 100 {
                bar.set_position(bytes_read);
                bar.set_message(format!("{seen} articles"));
                last = Instant::now();
            }
        }
        Ok(())
    })?;
    let read_time = reading.elapsed().saturating_sub(batch_time);
    let t = Instant::now();
    // The last batch, then an empty one to merge it.
    run_batch(&mut batch, &mut graph);
    run_batch(&mut batch, &mut graph);
    batch_time += t.elapsed();
    if let Some(bar) = &bar {
        bar.set_message(format!("{articles} articles"));
        bar.finish_and_clear();
    }
    let t = Instant::now();
    graph.link_people();
    // Nothing is added from here on: the table finding edges is memory the export can use.
    graph.release_edge_index();
    merge_time += t.elapsed();
    if articles == 0 {
        eprintln!(
            "actorgraph: no article could be read from {}",
            args.inputs.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
        );
        return Ok(ExitCode::from(2));
    }
    let t = Instant::now();
    let produced = produce(&graph, &targets, &options, "graph")?;
    if let Some(e) = graph.sentences.error() {
        bail!("cannot keep the evidence sentences in a file beside the output: {e}");
    }
    let written = pool.install(|| deliver(&args.output, produced, None))?;
    let export_time = t.elapsed();
    let elapsed = started.elapsed();
    if !args.quiet {
        eprintln!(
            "actorgraph: {articles} article{}, {} actors, {} relations in {:.2}s{}{}{}",
            if articles == 1 { "" } else { "s" },
            graph.node_count(),
            graph.edge_count(),
            elapsed.as_secs_f64(),
            if written.is_empty() { String::new() } else { format!(" -> {}", written.join(", ")) },
            if reporter.skipped > 0 { format!("; {} input(s) skipped", reporter.skipped) } else { String::new() },
            if reporter.warnings > 0 { format!("; {} repaired", reporter.warnings) } else { String::new() },
        );
    }
    if args.timings {
        // Extraction stages are summed over threads (CPU time); the rest is wall time.
        let mb = bytes_read as f64 / 1e6;
        eprintln!(
            "actorgraph: {mb:.1} MB, {articles} articles, {threads} thread(s): {:.1} MB/s, {:.0} articles/s",
            mb / elapsed.as_secs_f64(),
            articles as f64 / elapsed.as_secs_f64()
        );
        eprintln!("  {:<10} {:>8.3}s", "rules", rules_time.as_secs_f64());
        eprintln!("  {:<10} {:>8.3}s", "read", read_time.as_secs_f64());
        eprintln!("  {:<10} {:>8.3}s (wall; extraction and merging overlap)", "extract", batch_time.as_secs_f64());
        eprintln!("  per stage, summed over threads:");
        for (stage, d) in timings.stages() {
            eprintln!("    {stage:<10} {:>8.3}s", d.as_secs_f64());
        }
        eprintln!("    {:<10} {:>8.3}s (and linking people)", "merge", merge_time.as_secs_f64());
        eprintln!("  {:<10} {:>8.3}s", "export", export_time.as_secs_f64());
        eprintln!("  {:<10} {:>8.3}s", "total", elapsed.as_secs_f64());
    }
    // The process ends here: the graph and the rules are left to it to free (a large graph is
    // millions of allocations, freed one by one for nothing). The spill file is still removed.
    std::mem::forget(graph);
    std::mem::forget(rules);
    Ok(if reporter.skipped > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// A temporary file that is removed when dropped (on Unix it is removed at once and lives on
/// while open).
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

/// How many bytes of evidence sentences a graph keeps in memory before the rest go to its spill
/// file: enough for the graph of a few dozen megabytes of news, a small part of a large one's.
const SENTENCES_IN_MEMORY: usize = 32 << 20;

/// The windows in which ACTORGRAPH_STAGE_SPILL=1 reads sentences back (see `spill_store`).
const STAGED_WINDOW: usize = 1 << 20;

/// A sentence store that spills to a temporary file beside the output (the disk the user chose
/// for the graph, not a `/tmp` that may be memory), so that a large corpus's evidence sentences
/// are not held in memory.
fn spill_store(output: &Path) -> anyhow::Result<(actorgraph::evidence::SentenceStore, TempFile)> {
    let dir = if output.as_os_str() == "-" {
        std::env::temp_dir()
    } else if output.is_dir() || output.extension().is_none() {
        output.to_path_buf()
    } else {
        output.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf()
    };
    // Nothing is created before the run succeeds: a directory still to be made is replaced by
    // the nearest one that exists.
    let dir = dir.ancestors().find(|d| d.is_dir()).unwrap_or(Path::new(".")).to_path_buf();
    static NUMBER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NUMBER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = dir.join(format!(".actorgraph-sentences-{}-{n}.tmp", std::process::id()));
    let file = fs::File::options()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    let guard = TempFile(path);
    if cfg!(unix) {
        let _ = fs::remove_file(&guard.0);
    }
    // ACTORGRAPH_STAGE_SPILL=1 sends every sentence to the file and reads them back in small
    // windows: the path of a corpus of gigabytes, taken by a small one (tests, and the training
    // run of scripts/pgo.sh).
    let staged = std::env::var_os("ACTORGRAPH_STAGE_SPILL").is_some_and(|v| v == "1");
    let mut store = actorgraph::evidence::SentenceStore::spill(file, if staged { 0 } else { SENTENCES_IN_MEMORY })
        .with_context(|| format!("cannot read back {}", guard.0.display()))?;
    if staged {
        store.set_read_back(0, STAGED_WINDOW);
    }
    Ok((store, guard))
}

/// Merges saved graphs (shards built anywhere) into one.
fn merge(args: cli::MergeArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let targets = targets(&args.formats, &args.output, &[Target::Export(Format::Json)], &[])?;
    let options = options(&args.formats, &targets)?;
    check_output(&args.output, &targets)?;
    let mut graph = ActorGraph::new();
    graph.evidence_cap = (args.evidence > 0).then_some(args.evidence);
    // The first graph's sentences stay in a file (it becomes the merged graph); each other
    // graph's go to a file of its own while it is read, then join the first's.
    let mut first_spill = None;
    for path in &args.graphs {
        let (store, spill) = spill_store(&args.output)?;
        graph.merge_graph(query_cmd::read_graph_into(path, ActorGraph::with_sentences(store))?);
        // Another graph's file goes when its sentences have joined the merged graph's.
        first_spill.get_or_insert(spill);
    }
    if let Some(e) = graph.sentences.error() {
        bail!("cannot keep the evidence sentences in a file beside the output: {e}");
    }
    graph.link_people();
    graph.release_edge_index();
    let produced = produce(&graph, &targets, &options, "graph")?;
    let written = deliver(&args.output, produced, None)?;
    if !args.quiet {
        eprintln!(
            "actorgraph: {} graphs, {} documents, {} actors, {} relations in {:.2}s{}",
            args.graphs.len(),
            graph.document_count(),
            graph.node_count(),
            graph.edge_count(),
            started.elapsed().as_secs_f64(),
            if written.is_empty() { String::new() } else { format!(" -> {}", written.join(", ")) },
        );
    }
    Ok(ExitCode::SUCCESS)
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
    let mut reporter = Reporter::default();
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
        let limits = input::Limits { max_article_bytes: cli::DEFAULT_MAX_ARTICLE_BYTES };
        read_all(&args.inputs, limits, &mut reporter, &mut |a, _| {
            articles.push(a);
            Ok(())
        })?;
    }
    let mut out = io::stdout().lock();
    for a in &articles {
        let analysis = actorgraph::analyze(&rules, a);
        writeln!(out, "{}", actorgraph::explain::explain(&rules, a, &analysis))?;
    }
    Ok(if reporter.skipped > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file written through `Preallocated` holds what was written, no more.
    #[test]
    fn preallocated_files_end_where_the_writing_ends() {
        let path = std::env::temp_dir().join(format!("actorgraph-prealloc-{}", std::process::id()));
        let mut f = Preallocated::new(fs::File::create(&path).expect("temp file"));
        let part = vec![b'x'; 3 << 20];
        for _ in 0..5 {
            f.write_all(&part).expect("write");
        }
        f.write_all(b"end").expect("write");
        f.finish().expect("finish");
        let bytes = fs::read(&path).expect("read back");
        let _ = fs::remove_file(&path);
        assert_eq!(bytes.len(), 15 * (1 << 20) + 3);
        assert!(bytes.ends_with(b"xend"));
    }
}
