//! Evidence as the graph holds it: sixteen bytes per sentence (document number, byte span,
//! sentence number), the sentence text itself in a [`SentenceStore`] kept in memory or spilled
//! to a file, and short strings (rule names, CAMEO codes) interned as [`Sym`]s.
//!
//! A graph of a large corpus holds millions of evidence sentences; as text they would be most of
//! its memory. Here an edge's evidence is numbers, and the text is read back when it is written
//! out.

use std::borrow::Cow;
use std::fmt;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};

use rustc_hash::FxHashMap as HashMap;
use smol_str::SmolStr;

use crate::graph::DocIndex;

/// The number of a sentence in a [`SentenceStore`].
pub type SentenceId = u32;

/// One evidence sentence of an edge: the document (see [`crate::ActorGraph::document_id`]), the
/// sentence's byte span in the article, and where its text is in the graph's sentence store.
/// The span identifies the sentence; the text is a function of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StoredEvidence {
    pub document: DocIndex,
    pub start: u32,
    pub end: u32,
    pub sentence: SentenceId,
}

/// Sentence texts, numbered in the order they are added, in memory or, past a budget of memory,
/// in a file.
pub struct SentenceStore {
    /// The end offset of each sentence in the text (its start is the previous one's end).
    ends: Vec<u64>,
    /// The text of the first sentences (all of them for a store in memory).
    head: String,
    backend: Backend,
    /// The first failure to write or read the spill file (see [`SentenceStore::error`]).
    failed: Mutex<Option<io::Error>>,
}

enum Backend {
    Memory,
    File {
        /// How many bytes of text `head` may hold; later sentences go to the file.
        budget: usize,
        /// Whether a sentence went to the file: every later one does too, so that offsets past
        /// the head are offsets in the file.
        spilled: bool,
        writer: Mutex<BufWriter<File>>,
        /// The same file, read at offsets (by any number of threads at once on Unix).
        reader: File,
        /// Whether bytes are waiting in the writer's buffer (reading needs them in the file).
        dirty: AtomicBool,
        /// The file as it was at the first read, mapped into memory where the system allows:
        /// a sentence in it is read without a system call (later ones are read from the file).
        mapped: OnceLock<Option<Mapped>>,
    },
}

impl Default for SentenceStore {
    fn default() -> SentenceStore {
        SentenceStore::in_memory()
    }
}

impl fmt::Debug for SentenceStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.backend {
            Backend::Memory => "memory",
            Backend::File { .. } => "file",
        };
        f.debug_struct("SentenceStore").field("sentences", &self.ends.len()).field("in", &kind).finish()
    }
}

impl SentenceStore {
    /// A store that keeps the text in memory.
    pub fn in_memory() -> SentenceStore {
        SentenceStore { ends: Vec::new(), head: String::new(), backend: Backend::Memory, failed: Mutex::new(None) }
    }

    /// A store that keeps up to `budget` bytes of text in memory and writes the rest to `file`
    /// (empty, opened for reading and writing; a temporary file the caller removes), reading it
    /// back when asked: memory then holds the budget and eight bytes per sentence. (Text in
    /// memory is read back without a system call, and most graphs are small.)
    pub fn spill(file: File, budget: usize) -> io::Result<SentenceStore> {
        let reader = file.try_clone()?;
        Ok(SentenceStore {
            ends: Vec::new(),
            head: String::new(),
            backend: Backend::File {
                budget,
                spilled: false,
                writer: Mutex::new(BufWriter::with_capacity(1 << 16, file)),
                reader,
                dirty: AtomicBool::new(false),
                mapped: OnceLock::new(),
            },
            failed: Mutex::new(None),
        })
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Makes room for `sentences` more, of `bytes` of text in all (as far as memory is to hold
    /// them).
    pub fn reserve(&mut self, sentences: usize, bytes: usize) {
        self.ends.reserve(sentences);
        let room = match &self.backend {
            Backend::Memory => bytes,
            Backend::File { budget, spilled, .. } => {
                if *spilled {
                    0
                } else {
                    bytes.min(budget.saturating_sub(self.head.len()))
                }
            }
        };
        self.head.reserve(room);
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    fn span(&self, id: SentenceId) -> Option<(u64, u64)> {
        let i = id as usize;
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        Some((start, end))
    }

    /// Adds a sentence and returns its number. A spill file that cannot be written is
    /// remembered as the store's [`error`](SentenceStore::error).
    pub fn push(&mut self, text: &str) -> SentenceId {
        let start = self.ends.last().copied().unwrap_or(0);
        match &mut self.backend {
            Backend::Memory => self.head.push_str(text),
            Backend::File { budget, spilled, .. } if !*spilled && self.head.len() + text.len() <= *budget => {
                self.head.push_str(text);
            }
            Backend::File { writer, dirty, spilled, .. } => {
                *spilled = true;
                let writer = writer.get_mut().unwrap_or_else(|e| e.into_inner());
                *dirty.get_mut() = true;
                if let Err(e) = writer.write_all(text.as_bytes()) {
                    self.fail(e);
                }
            }
        }
        self.ends.push(start + text.len() as u64);
        // More than four billion sentences do not fit in memory anyway; the last number is
        // shared rather than wrapping around.
        SentenceId::try_from(self.ends.len() - 1).unwrap_or(SentenceId::MAX)
    }

    /// Asks the processor to bring where a sentence is into its cache, ahead of reading it.
    pub(crate) fn prefetch(&self, id: SentenceId) {
        if let Some(end) = self.ends.get(id as usize) {
            crate::prefetch(end);
        }
    }

    /// Asks the processor to bring a sentence's text into its cache when it is in memory (best
    /// after [`SentenceStore::prefetch`], which brings where it is).
    pub(crate) fn prefetch_text(&self, id: SentenceId) {
        let Some((start, end)) = self.span(id) else { return };
        let text = if end <= self.head.len() as u64 {
            self.head.as_bytes().get(start as usize..end as usize)
        } else if let Backend::File { mapped, .. } = &self.backend {
            let head = self.head.len() as u64;
            mapped.get().and_then(Option::as_ref).and_then(|m| m.get(start.saturating_sub(head), end - start))
        } else {
            None
        };
        if let Some(text) = text {
            for line in text.iter().step_by(128) {
                crate::prefetch(line);
            }
        }
    }

    /// The text of a sentence ("" for a number the store never gave).
    pub fn get(&self, id: SentenceId) -> io::Result<Cow<'_, str>> {
        let Some((start, end)) = self.span(id) else { return Ok(Cow::Borrowed("")) };
        match &self.backend {
            _ if end <= self.head.len() as u64 => {
                Ok(Cow::Borrowed(self.head.get(start as usize..end as usize).unwrap_or("")))
            }
            Backend::Memory => Ok(Cow::Borrowed("")),
            Backend::File { .. } => {
                let mut buf = Vec::new();
                Ok(Cow::Owned(self.read_into(id, &mut buf)?.to_string()))
            }
        }
    }

    /// The text of a sentence: in memory as it is, from the file into `buf` (replacing what it
    /// held; no allocation once the buffer is large enough).
    pub fn read_into<'b>(&'b self, id: SentenceId, buf: &'b mut Vec<u8>) -> io::Result<&'b str> {
        buf.clear();
        let Some((start, end)) = self.span(id) else { return Ok("") };
        let bytes: &[u8] = match &self.backend {
            _ if end <= self.head.len() as u64 => return Ok(self.head.get(start as usize..end as usize).unwrap_or("")),
            Backend::Memory => return Ok(""),
            Backend::File { writer, reader, dirty, mapped, .. } => {
                if dirty.load(Ordering::Acquire) {
                    let mut writer = writer.lock().unwrap_or_else(|e| e.into_inner());
                    if dirty.load(Ordering::Acquire) {
                        writer.flush()?;
                        dirty.store(false, Ordering::Release);
                    }
                }
                // Past the head, an offset less the head's length is an offset in the file.
                let at = start - self.head.len() as u64;
                match mapped.get_or_init(|| Mapped::new(reader)).as_ref().and_then(|m| m.get(at, end - start)) {
                    Some(bytes) => bytes,
                    None => {
                        buf.resize((end - start) as usize, 0);
                        read_exact_at(writer, reader, buf, at)?;
                        buf
                    }
                }
            }
        };
        std::str::from_utf8(bytes)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "sentence file changed under us"))
    }

    /// [`get`](SentenceStore::get) for writers that cannot fail: a read error gives "" and is
    /// remembered as the store's [`error`](SentenceStore::error), which the caller checks
    /// before it trusts what it wrote.
    pub fn get_or_note(&self, id: SentenceId) -> Cow<'_, str> {
        self.get(id).unwrap_or_else(|e| {
            self.fail(e);
            Cow::Borrowed("")
        })
    }

    /// Records a failure met elsewhere with this store's sentences (merging from another store).
    pub fn note_error(&self, message: String) {
        self.fail(io::Error::other(message));
    }

    fn fail(&self, e: io::Error) {
        let mut failed = self.failed.lock().unwrap_or_else(|e| e.into_inner());
        if failed.is_none() {
            *failed = Some(e);
        }
    }

    /// The first error writing or reading the spill file, if there was one: text written since
    /// may miss sentences.
    pub fn error(&self) -> Option<String> {
        self.failed.lock().unwrap_or_else(|e| e.into_inner()).as_ref().map(|e| e.to_string())
    }
}

#[cfg(unix)]
fn read_exact_at(_writer: &Mutex<BufWriter<File>>, reader: &File, buf: &mut [u8], at: u64) -> io::Result<()> {
    // A positioned read: no cursor moves, so readers and the writer do not meet.
    std::os::unix::fs::FileExt::read_exact_at(reader, buf, at)
}

#[cfg(not(unix))]
fn read_exact_at(writer: &Mutex<BufWriter<File>>, _reader: &File, buf: &mut [u8], at: u64) -> io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    // The handles share one cursor here: read under the writer's lock, and put the cursor back
    // at the end, where writes go.
    let mut writer = writer.lock().unwrap_or_else(|e| e.into_inner());
    let file = writer.get_mut();
    file.seek(SeekFrom::Start(at))?;
    let read = file.read_exact(buf);
    file.seek(SeekFrom::End(0))?;
    read
}

/// A spill file mapped into memory, read only, as long as it was when mapped (Linux, and a file
/// of at most [`Mapped::AT_MOST`] bytes; otherwise never made, and every sentence is read from
/// the file).
struct Mapped {
    ptr: std::ptr::NonNull<u8>,
    len: u64,
}

// SAFETY: the mapping is read only and its bytes never change (the file only grows past them,
// and nobody else has it: it is removed as soon as it is made); `munmap` is called once, in drop.
unsafe impl Send for Mapped {}
// SAFETY: as for Send: shared reads of bytes that never change.
unsafe impl Sync for Mapped {}

impl Mapped {
    /// The longest file mapped. The pages read stay mapped (and count in the process's resident
    /// memory, though the system may drop them from its cache at any time); a larger file is
    /// read a sentence at a time, as letting go of pages to bound memory costs more page faults
    /// than the reads save (measured).
    const AT_MOST: u64 = 128 << 20;

    #[cfg(target_os = "linux")]
    fn new(file: &File) -> Option<Mapped> {
        let len = file.metadata().ok()?.len();
        let size = usize::try_from(len).ok().filter(|&n| n > 0 && len <= Self::AT_MOST)?;
        // SAFETY: a fresh read-only shared mapping of a file we hold open; the result is
        // checked for failure before use.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                size,
                libc::PROT_READ,
                libc::MAP_SHARED,
                std::os::fd::AsRawFd::as_raw_fd(file),
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return None;
        }
        Some(Mapped { ptr: std::ptr::NonNull::new(ptr.cast())?, len })
    }

    #[cfg(not(target_os = "linux"))]
    fn new(_file: &File) -> Option<Mapped> {
        None
    }

    /// The `len` bytes at `at`, if the mapping holds them.
    fn get(&self, at: u64, len: u64) -> Option<&[u8]> {
        if at.checked_add(len)? > self.len {
            return None;
        }
        // SAFETY: `at..at + len` lies within the mapping (checked above, and fits in usize as
        // the mapping's length did), which lives as long as `self`.
        Some(unsafe { std::slice::from_raw_parts(self.ptr.as_ptr().add(at as usize), len as usize) })
    }
}

impl Drop for Mapped {
    fn drop(&mut self) {
        #[cfg(target_os = "linux")]
        // SAFETY: the mapping made in `new`, unmapped once; no slice of it outlives `self`.
        unsafe {
            libc::munmap(self.ptr.as_ptr().cast(), self.len as usize);
        }
    }
}

/// An interned short string (a rule name, a CAMEO code) of one graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Sym(NonZeroU32);

/// Short strings, each held once, numbered by [`Sym`].
#[derive(Clone, Debug, Default)]
pub struct Interner {
    names: Vec<SmolStr>,
    index: HashMap<SmolStr, Sym>,
}

impl Interner {
    pub fn intern(&mut self, s: &str) -> Sym {
        if let Some(&sym) = self.index.get(s) {
            return sym;
        }
        // Four billion distinct rule names cannot be held; the last one is shared past that.
        let n = u32::try_from(self.names.len() + 1).unwrap_or(u32::MAX);
        let sym = Sym(NonZeroU32::new(n).unwrap_or(NonZeroU32::MAX));
        let s = SmolStr::from(s);
        self.names.push(s.clone());
        self.index.insert(s, sym);
        sym
    }

    pub fn name(&self, sym: Sym) -> &str {
        self.names.get(sym.0.get() as usize - 1).map_or("", SmolStr::as_str)
    }
}

/// A set of rules (the rules that made one edge), interned: most edges share a handful of sets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RuleSet(u32);

impl RuleSet {
    pub const EMPTY: RuleSet = RuleSet(0);
}

/// The rule sets of one graph, each held once.
#[derive(Clone, Debug)]
pub struct RuleSets {
    sets: Vec<Box<[Sym]>>,
    index: HashMap<Box<[Sym]>, RuleSet>,
    /// The set of each rule alone, by symbol (`EMPTY`: not made yet): every new edge starts
    /// with one.
    singles: Vec<RuleSet>,
}

impl Default for RuleSets {
    fn default() -> RuleSets {
        let empty: Box<[Sym]> = Box::new([]);
        let mut index = HashMap::default();
        index.insert(empty.clone(), RuleSet::EMPTY);
        RuleSets { sets: vec![empty], index, singles: Vec::new() }
    }
}

impl RuleSets {
    /// The rules of a set, sorted by symbol.
    pub fn get(&self, set: RuleSet) -> &[Sym] {
        self.sets.get(set.0 as usize).map_or(&[], |s| &s[..])
    }

    /// The set of these rules (in any order, repeats allowed).
    pub fn set_of(&mut self, mut rules: Vec<Sym>) -> RuleSet {
        rules.sort_unstable();
        rules.dedup();
        if let Some(&set) = self.index.get(&rules[..]) {
            return set;
        }
        // Four billion different sets cannot be held; the last one is shared past that.
        let set = RuleSet(u32::try_from(self.sets.len()).unwrap_or(u32::MAX));
        let rules: Box<[Sym]> = rules.into();
        self.sets.push(rules.clone());
        self.index.insert(rules, set);
        set
    }

    /// `set` with `rule` added.
    pub fn with(&mut self, set: RuleSet, rule: Sym) -> RuleSet {
        if set == RuleSet::EMPTY {
            let at = rule.0.get() as usize;
            if let Some(&single) = self.singles.get(at).filter(|s| **s != RuleSet::EMPTY) {
                return single;
            }
            let single = self.set_of(vec![rule]);
            if self.singles.len() <= at {
                self.singles.resize(at + 1, RuleSet::EMPTY);
            }
            self.singles[at] = single;
            return single;
        }
        let rules = self.get(set);
        if rules.binary_search(&rule).is_ok() {
            return set;
        }
        let mut v = rules.to_vec();
        v.push(rule);
        self.set_of(v)
    }

    /// The union of two sets.
    pub fn union(&mut self, a: RuleSet, b: RuleSet) -> RuleSet {
        if a == b || b == RuleSet::EMPTY {
            return a;
        }
        if a == RuleSet::EMPTY {
            return b;
        }
        let v = self.get(a).iter().chain(self.get(b)).copied().collect();
        self.set_of(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(mut store: SentenceStore) {
        let texts = ["Ministers met in Lima.", "", "Ünïcode — text.", "The last one."];
        let ids: Vec<SentenceId> = texts.iter().map(|t| store.push(t)).collect();
        assert_eq!(ids, [0, 1, 2, 3]);
        for (id, t) in ids.iter().zip(texts) {
            assert_eq!(store.get(*id).expect("read"), t);
        }
        // Adding after reading still reads back.
        let more = store.push("After a read.");
        assert_eq!(store.get(more).expect("read"), "After a read.");
        assert_eq!(store.get(0).expect("read"), texts[0]);
        assert_eq!(store.get(99).expect("read"), "");
        assert_eq!(store.error(), None);
    }

    #[test]
    fn sentences_read_back_from_memory() {
        round_trip(SentenceStore::in_memory());
    }

    /// A store spilling to a temporary file (removed at once) past `budget` bytes.
    fn spilling(name: &str, budget: usize) -> SentenceStore {
        let path = std::env::temp_dir().join(format!("actorgraph-store-test-{name}-{}", std::process::id()));
        let file = File::options().read(true).write(true).create(true).truncate(true).open(&path).expect("temp file");
        let _ = std::fs::remove_file(&path);
        SentenceStore::spill(file, budget).expect("store")
    }

    #[test]
    fn sentences_read_back_from_a_spill_file() {
        round_trip(spilling("file", 0));
    }

    #[test]
    fn sentences_read_back_from_memory_then_a_spill_file() {
        // The first two sentences fit in the budget; the third does not, so the fourth (which
        // would) follows it into the file.
        round_trip(spilling("head", 36));
    }

    #[test]
    fn interned_names_are_held_once() {
        let mut i = Interner::default();
        let a = i.intern("relations.rules:3");
        let b = i.intern("title");
        assert_ne!(a, b);
        assert_eq!(i.intern("relations.rules:3"), a);
        assert_eq!((i.name(a), i.name(b)), ("relations.rules:3", "title"));
        let mut sets = RuleSets::default();
        let ab = sets.set_of(vec![b, a, b]);
        assert_eq!(sets.set_of(vec![a, b]), ab);
        assert_eq!(sets.get(ab), [a, b]);
        let only_a = sets.with(RuleSet::EMPTY, a);
        assert_eq!(sets.get(only_a), [a]);
        assert_eq!(sets.with(only_a, b), ab);
        assert_eq!(sets.with(ab, a), ab);
        let only_b = sets.set_of(vec![b]);
        assert_eq!(sets.union(only_a, only_b), ab);
    }
}
