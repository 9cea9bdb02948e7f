//! Reading the inputs of a run: walking directories, streaming `.txt` and `.jsonl` files article
//! by article (a corpus is never held whole in memory), and telling what could not be read.

use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use actorgraph::{Article, article};

/// One problem with the input, as `file:line: what is wrong`.
pub struct Problem(pub String);

/// Limits that keep a hostile input from exhausting the machine.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The largest article (a `.txt` file or a JSON line) read, in bytes.
    pub max_article_bytes: usize,
}

/// What reading yields: an article (with a warning when it had to be repaired) or a problem.
pub enum Item {
    Article(Box<Article>),
    Warning(String),
    Problem(Problem),
}

/// The input files, directories walked recursively in sorted order: (root, path).
pub fn files(inputs: &[PathBuf], problems: &mut Vec<Problem>) -> Vec<(PathBuf, PathBuf)> {
    let mut out = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            out.push((input.clone(), input.clone()));
            continue;
        }
        match fs::metadata(input) {
            Ok(m) if m.is_dir() => walk(input, input, &mut out, problems),
            Ok(_) => out.push((input.parent().map(Path::to_path_buf).unwrap_or_default(), input.clone())),
            Err(e) => problems.push(Problem(format!("{}: {e}", input.display()))),
        }
    }
    out
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, PathBuf)>, problems: &mut Vec<Problem>) {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => return problems.push(Problem(format!("{}: {e}", dir.display()))),
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

/// The total size of the input files, for progress (standard input counts nothing).
pub fn total_bytes(files: &[(PathBuf, PathBuf)]) -> u64 {
    files.iter().filter(|(_, p)| p.as_os_str() != "-").filter_map(|(_, p)| fs::metadata(p).ok()).map(|m| m.len()).sum()
}

/// The article id of a file: its path below the input root, without extension.
fn article_id(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.with_extension("").to_string_lossy().replace('\\', "/")
}

/// Reads one input file, calling `each` for every article, warning and problem, in order.
/// `.jsonl` files (and standard input that starts with `{`) are read line by line.
pub fn read(root: &Path, path: &Path, limits: Limits, each: &mut dyn FnMut(Item, u64)) {
    let name = path.display().to_string();
    let stdin = path.as_os_str() == "-";
    let mut reader: Box<dyn BufRead> = if stdin {
        Box::new(BufReader::with_capacity(1 << 16, io::stdin()))
    } else {
        match File::open(path) {
            Ok(f) => Box::new(BufReader::with_capacity(1 << 16, f)),
            Err(e) => return each(Item::Problem(Problem(format!("{name}: {e}"))), 0),
        }
    };
    let jsonl = path.extension().is_some_and(|e| e == "jsonl")
        || (stdin && reader.fill_buf().is_ok_and(|b| b.iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'{')));
    let id = if stdin { "stdin".to_string() } else { article_id(root, path) };
    if !jsonl {
        let mut bytes = Vec::new();
        let limit = limits.max_article_bytes as u64 + 1;
        if let Err(e) = reader.by_ref().take(limit).read_to_end(&mut bytes) {
            return each(Item::Problem(Problem(format!("{name}: {e}"))), 0);
        }
        let size = bytes.len() as u64;
        if bytes.len() > limits.max_article_bytes {
            let msg =
                format!("{name}: the article is larger than {} bytes (--max-article-bytes)", limits.max_article_bytes);
            return each(Item::Problem(Problem(msg)), size);
        }
        return match article::from_txt(&id, &name, &bytes) {
            Ok(mut a) => {
                if let Some(r) = a.repaired.take() {
                    each(Item::Warning(format!("{name}: {r}")), 0);
                }
                each(Item::Article(Box::new(a)), size)
            }
            Err(e) => each(Item::Problem(Problem(e.to_string())), size),
        };
    }
    let mut line = Vec::new();
    let mut fallback_id = String::new();
    let mut number = 0usize;
    loop {
        line.clear();
        number += 1;
        let (n, too_long) = match read_line(&mut reader, &mut line, limits.max_article_bytes) {
            Ok(r) => r,
            Err(e) => return each(Item::Problem(Problem(format!("{name}:{number}: {e}"))), 0),
        };
        if n == 0 {
            return;
        }
        if too_long {
            let msg = format!(
                "{name}:{number}: the line is larger than {} bytes (--max-article-bytes)",
                limits.max_article_bytes
            );
            each(Item::Problem(Problem(msg)), n as u64);
            continue;
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let (text, repaired) = match article::decode(&name, Some(number), &line) {
            Ok(t) => t,
            Err(e) => {
                each(Item::Problem(Problem(e.to_string())), n as u64);
                continue;
            }
        };
        fallback_id.clear();
        let _ = write!(fallback_id, "{id}:{number}");
        match article::from_json_line(&name, number, &fallback_id, &text) {
            Ok(a) => {
                if let Some(r) = repaired {
                    each(Item::Warning(format!("{name}:{number}: {r}")), 0);
                }
                each(Item::Article(Box::new(a)), n as u64);
            }
            Err(e) => each(Item::Problem(Problem(e.to_string())), n as u64),
        }
    }
}

/// Reads one line into `buf` without keeping more than `max` bytes of it; returns the bytes
/// consumed and whether the line was longer than `max` (then `buf` holds only its start).
fn read_line(reader: &mut dyn BufRead, buf: &mut Vec<u8>, max: usize) -> io::Result<(usize, bool)> {
    let mut consumed = 0;
    let mut too_long = false;
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            return Ok((consumed, too_long));
        }
        let (chunk, done) = match memchr::memchr(b'\n', available) {
            Some(i) => (&available[..=i], true),
            None => (available, false),
        };
        let len = chunk.len();
        if !too_long {
            if buf.len() + len > max + 1 {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(chunk);
            }
        }
        reader.consume(len);
        consumed += len;
        if done {
            if buf.last() == Some(&b'\n') {
                buf.pop();
            }
            return Ok((consumed, too_long));
        }
    }
}
