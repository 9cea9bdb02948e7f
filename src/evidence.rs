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
        /// The longest file mapped (see [`Mapped::AT_MOST`]).
        map_at_most: u64,
        /// The bytes of text a [`Staging`] window holds, about.
        window_bytes: usize,
        /// The [`Staging`]s reading the file: how many, and the bytes their regions take past
        /// the sentences (given back when the last one ends).
        staging: Mutex<(usize, u64)>,
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
                map_at_most: Mapped::AT_MOST,
                window_bytes: WINDOW_BYTES,
                staging: Mutex::new((0, 0)),
            },
            failed: Mutex::new(None),
        })
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// How a spill file is read back: through a memory mapping if it is at most `map_at_most`
    /// bytes long (0: never; default 128 MB), else by [`SentenceStore::stage`] in windows of
    /// about `window_bytes` of text (default [`WINDOW_BYTES`]). Only before the first read.
    pub fn set_read_back(&mut self, map_at_most: u64, window_bytes: usize) {
        if let Backend::File { map_at_most: m, window_bytes: w, .. } = &mut self.backend {
            *m = map_at_most;
            *w = window_bytes.max(1);
        }
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
            Backend::File { writer, reader, dirty, mapped, map_at_most, .. } => {
                flush(writer, dirty)?;
                // Past the head, an offset less the head's length is an offset in the file.
                let at = start - self.head.len() as u64;
                let mapped = mapped.get_or_init(|| Mapped::new(reader, *map_at_most));
                match mapped.as_ref().and_then(|m| m.get(at, end - start)) {
                    Some(bytes) => bytes,
                    None => {
                        buf.resize((end - start) as usize, 0);
                        read_exact_at(writer, reader, buf, at)?;
                        buf
                    }
                }
            }
        };
        std::str::from_utf8(bytes).map_err(|_| changed_under_us())
    }

    /// The bytes of sentences in the spill file.
    fn file_len(&self) -> u64 {
        let head = self.head.len() as u64;
        self.ends.last().map_or(0, |&end| end.saturating_sub(head))
    }

    /// Plans reading the sentences of `items` (each an iterator of sentence numbers) back in
    /// their order, in windows (see [`Staging`]): `None` when every sentence is read without a
    /// system call anyway (in memory, or in a mapped file), or there would be more than 65,535
    /// windows. Takes one pass over the items and one over the file, and writes the windows'
    /// sentences past the file's end; memory holds two bytes per sentence of the file meanwhile.
    pub fn stage<I>(&self, items: I) -> io::Result<Option<Staging<'_>>>
    where
        I: IntoIterator,
        I::Item: IntoIterator<Item = SentenceId>,
    {
        let Backend::File { writer, reader, dirty, mapped, map_at_most, window_bytes, staging, .. } = &self.backend
        else {
            return Ok(None);
        };
        flush(writer, dirty)?;
        if mapped.get_or_init(|| Mapped::new(reader, *map_at_most)).is_some() {
            return Ok(None);
        }
        let head = self.head.len() as u64;
        // The sentences in the file: `first` on.
        let first = self.ends.partition_point(|&end| end <= head);
        let spilled = self.ends.len() - first;
        if spilled == 0 {
            return Ok(None);
        }
        let len_of =
            |id: usize| self.span(SentenceId::try_from(id).unwrap_or(SentenceId::MAX)).map_or(0, |(s, e)| e - s);
        // The first window (plus one; 0: none) each sentence of the file is wanted in, and the
        // later windows wanting it again (rare: a sentence stating several relations).
        let mut first_window = vec![0u16; spilled];
        let mut again: Vec<(SentenceId, u16)> = Vec::new();
        let mut windows: Vec<(usize, u64)> = Vec::new();
        let mut used = 0u64;
        let mut count = 0usize;
        for (i, item) in items.into_iter().enumerate() {
            count = i + 1;
            if windows.is_empty() || used >= *window_bytes as u64 {
                windows.push((i, 0));
                used = 0;
            }
            let Ok(w) = u16::try_from(windows.len()) else { return Ok(None) };
            for id in item {
                let Some(k) = (id as usize).checked_sub(first).filter(|&k| k < spilled) else { continue };
                match first_window[k] {
                    0 => first_window[k] = w,
                    seen if seen == w => continue,
                    _ => again.push((id, w)),
                }
                used += RECORD + len_of(id as usize);
            }
        }
        windows.push((count, 0));
        again.sort_unstable();
        again.dedup();
        // Each window's bytes, then where its region starts: past the file's sentences and the
        // regions of other stagings still reading.
        let mut sizes = vec![0u64; windows.len()];
        for (k, &w) in first_window.iter().enumerate() {
            if w > 0 {
                sizes[w as usize - 1] += RECORD + len_of(first + k);
            }
        }
        for &(id, w) in &again {
            sizes[w as usize - 1] += RECORD + len_of(id as usize);
        }
        let total: u64 = sizes.iter().sum();
        let base = {
            let mut staging = staging.lock().unwrap_or_else(|e| e.into_inner());
            let base = (self.file_len() + staging.1).next_multiple_of(4096);
            staging.0 += 1;
            staging.1 = base + total - self.file_len();
            base
        };
        let mut at = base;
        for (window, size) in windows.iter_mut().zip(&sizes) {
            window.1 = at;
            at += size;
        }
        let plan = Staging { store: self, windows };
        // One pass over the file, a block at a time, each sentence appended to the buffer of
        // each window wanting it, a full buffer written at its region's end.
        const BLOCK: u64 = 2 << 20;
        const FULL: usize = 1 << 16;
        let mut cursor: Vec<u64> = plan.windows.iter().map(|w| w.1).collect();
        let mut buffers: Vec<Vec<u8>> = vec![Vec::new(); plan.windows()];
        let mut put = |w: usize, id: SentenceId, text: &[u8]| -> io::Result<()> {
            let buf = &mut buffers[w];
            buf.extend_from_slice(&id.to_le_bytes());
            buf.extend_from_slice(&u32::try_from(text.len()).map_err(io::Error::other)?.to_le_bytes());
            buf.extend_from_slice(text);
            if buf.len() >= FULL {
                write_all_at(writer, reader, buf, cursor[w])?;
                cursor[w] += buf.len() as u64;
                buf.clear();
            }
            Ok(())
        };
        let mut block = Vec::new();
        let mut next_again = again.iter().peekable();
        let mut k = 0;
        while k < spilled {
            // Sentence `first + k` starts where the one before it ends (the head's end for the
            // first in the file).
            let start = if first + k == 0 { 0 } else { self.ends[first + k - 1].max(head) - head };
            let mut j = k + 1;
            while j < spilled && self.ends[first + j] - head - start <= BLOCK {
                j += 1;
            }
            let end = self.ends[first + j - 1] - head;
            block.resize(usize::try_from(end - start).map_err(io::Error::other)?, 0);
            read_exact_at(writer, reader, &mut block, start)?;
            let mut from = 0usize;
            for (s, &w) in first_window.iter().enumerate().take(j).skip(k) {
                let to = (self.ends[first + s] - head - start) as usize;
                let text = block.get(from..to).unwrap_or_default();
                from = to;
                let id = SentenceId::try_from(first + s).unwrap_or(SentenceId::MAX);
                if w > 0 {
                    put(w as usize - 1, id, text)?;
                }
                while let Some(&(_, w)) = next_again.next_if(|a| a.0 == id) {
                    put(w as usize - 1, id, text)?;
                }
            }
            k = j;
        }
        for (w, buf) in buffers.iter().enumerate() {
            write_all_at(writer, reader, buf, cursor[w])?;
        }
        Ok(Some(plan))
    }

    /// The text of a sentence from a staged window if it holds it, else as
    /// [`read_into`](SentenceStore::read_into) reads it.
    pub fn read_staged<'b>(&'b self, window: &'b Window, id: SentenceId, buf: &'b mut Vec<u8>) -> io::Result<&'b str> {
        match window.get(id) {
            Some(bytes) => std::str::from_utf8(bytes).map_err(|_| changed_under_us()),
            None => self.read_into(id, buf),
        }
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

/// What a read of the spill file that does not give back what was written says.
fn changed_under_us() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, "sentence file changed under us")
}

/// Writes what the spill file's writer holds, if anything, so that reads find it in the file.
fn flush(writer: &Mutex<BufWriter<File>>, dirty: &AtomicBool) -> io::Result<()> {
    if dirty.load(Ordering::Acquire) {
        let mut writer = writer.lock().unwrap_or_else(|e| e.into_inner());
        if dirty.load(Ordering::Acquire) {
            writer.flush()?;
            dirty.store(false, Ordering::Release);
        }
    }
    Ok(())
}

#[cfg(unix)]
fn write_all_at(_writer: &Mutex<BufWriter<File>>, reader: &File, buf: &[u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(reader, buf, at)
}

#[cfg(not(unix))]
fn write_all_at(writer: &Mutex<BufWriter<File>>, _reader: &File, buf: &[u8], at: u64) -> io::Result<()> {
    use std::io::{Seek, SeekFrom};
    // As read_exact_at: under the writer's lock, the cursor put back at the end of the sentences.
    let mut writer = writer.lock().unwrap_or_else(|e| e.into_inner());
    let file = writer.get_mut();
    let end = file.stream_position()?;
    file.seek(SeekFrom::Start(at))?;
    let written = file.write_all(buf);
    file.seek(SeekFrom::Start(end))?;
    written
}

/// The bytes of text a [`Staging`] window holds by default, about: the memory reading a large
/// spill file back in an order of one's own costs.
pub const WINDOW_BYTES: usize = 16 << 20;

/// The bytes before each sentence in a staged region: its number and length.
const RECORD: u64 = 8;

/// A plan for reading the sentences of a spill file back in an order known beforehand (an
/// export's, edge by edge), made by [`SentenceStore::stage`]. The items (edges) are cut into
/// windows of about [`WINDOW_BYTES`] of text; the sentences each window needs are copied, in
/// one pass over the file in its order, to a region of their own past its end, and a window's
/// region is read whole when its turn comes ([`Staging::load`]). Reading the sentences one at a
/// time instead, in an order unrelated to the file's, costs a system call and a cold page each:
/// with a gigabyte of spilled sentences, most of the time an export took (measured).
pub struct Staging<'s> {
    store: &'s SentenceStore,
    /// Each window's first item and where its region starts; a last entry closes the last one.
    windows: Vec<(usize, u64)>,
}

/// The sentences of one window of a [`Staging`], in memory.
#[derive(Default)]
pub struct Window {
    /// Records of a sentence number, a length (four bytes each, little-endian) and the text.
    records: Vec<u8>,
    /// Where each record starts, by sentence number.
    index: hashbrown::HashTable<u32>,
}

fn hash_sentence(id: SentenceId) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(id)
}

fn le_u32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

impl Window {
    /// The bytes of a sentence, if the window holds it.
    fn get(&self, id: SentenceId) -> Option<&[u8]> {
        let records = &self.records;
        let &at = self.index.find(hash_sentence(id), |&at| le_u32(records, at as usize) == Some(id))?;
        let at = at as usize;
        let len = le_u32(records, at + 4)? as usize;
        records.get(at + RECORD as usize..at + RECORD as usize + len)
    }

    /// Asks the processor to bring a sentence of the window into its cache.
    pub(crate) fn prefetch(&self, id: SentenceId) {
        if self.index.is_empty() {
            return;
        }
        if let Some(text) = self.get(id) {
            for line in text.iter().step_by(128) {
                crate::prefetch(line);
            }
        }
    }
}

impl Staging<'_> {
    /// How many windows the items are cut into.
    pub fn windows(&self) -> usize {
        self.windows.len().saturating_sub(1)
    }

    /// The items (numbered from 0 in the order given) of window `k`.
    pub fn items(&self, k: usize) -> std::ops::Range<usize> {
        match (self.windows.get(k), self.windows.get(k + 1)) {
            (Some(a), Some(b)) => a.0..b.0,
            _ => 0..0,
        }
    }

    /// Reads window `k`'s sentences into `window` (replacing what it held).
    pub fn load(&self, k: usize, window: &mut Window) -> io::Result<()> {
        window.records.clear();
        window.index.clear();
        let (Some(&(_, at)), Some(&(_, end))) = (self.windows.get(k), self.windows.get(k + 1)) else { return Ok(()) };
        let Backend::File { writer, reader, .. } = &self.store.backend else { return Ok(()) };
        let len = usize::try_from(end - at).map_err(io::Error::other)?;
        window.records.resize(len, 0);
        read_exact_at(writer, reader, &mut window.records, at)?;
        let records = &window.records;
        let mut pos = 0usize;
        while let (Some(id), Some(n)) = (le_u32(records, pos), le_u32(records, pos + 4)) {
            let here = u32::try_from(pos).map_err(io::Error::other)?;
            window
                .index
                .insert_unique(hash_sentence(id), here, |&at| le_u32(records, at as usize).map_or(0, hash_sentence));
            pos += RECORD as usize + n as usize;
        }
        if pos != len {
            return Err(changed_under_us());
        }
        Ok(())
    }
}

impl Drop for Staging<'_> {
    fn drop(&mut self) {
        let Backend::File { reader, staging, .. } = &self.store.backend else { return };
        let mut staging = staging.lock().unwrap_or_else(|e| e.into_inner());
        staging.0 = staging.0.saturating_sub(1);
        if staging.0 == 0 {
            // The last one gives the regions' room back.
            staging.1 = 0;
            let _ = reader.set_len(self.store.file_len());
        }
    }
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
    fn new(file: &File, at_most: u64) -> Option<Mapped> {
        let len = file.metadata().ok()?.len();
        let size = usize::try_from(len).ok().filter(|&n| n > 0 && len <= at_most)?;
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
    fn new(_file: &File, _at_most: u64) -> Option<Mapped> {
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
pub(crate) mod tests {
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
    pub(crate) fn spilling(name: &str, budget: usize) -> SentenceStore {
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

    /// Sentences staged in windows read back as they were, whether a window needs them once,
    /// twice, or again after other windows, and whether they are in memory or in the file.
    #[test]
    fn staged_sentences_read_back_window_by_window() {
        let mut store = spilling("staged", 40);
        store.set_read_back(0, 60);
        let texts: Vec<String> =
            (0..30).map(|i| format!("Sentence number {i} — «ünïcode» {}.", "x".repeat(i % 7))).collect();
        let ids: Vec<SentenceId> = texts.iter().map(|t| store.push(t)).collect();
        // Items of one to three sentences, in an order unrelated to the file's, with repeats.
        let items: Vec<Vec<SentenceId>> =
            (0..45u32).map(|i| (0..1 + i % 3).map(|k| ids[((i * 7 + k * 11) % 30) as usize]).collect()).collect();
        let staging = store.stage(items.iter().map(|item| item.iter().copied())).expect("staged").expect("a plan");
        assert!(staging.windows() > 3, "{} windows", staging.windows());
        let mut window = Window::default();
        let mut seen = 0;
        let mut buf = Vec::new();
        for k in 0..staging.windows() {
            staging.load(k, &mut window).expect("loaded");
            for i in staging.items(k) {
                seen += 1;
                for &id in &items[i] {
                    assert_eq!(store.read_staged(&window, id, &mut buf).expect("read"), texts[id as usize]);
                }
            }
        }
        assert_eq!(seen, items.len());
        drop(staging);
        // The sentences read back as before once the staging is over, and again staged.
        assert_eq!(store.get(ids[29]).expect("read"), texts[29]);
        assert!(store.stage(items.iter().map(|item| item.iter().copied())).expect("staged").is_some());
        assert_eq!(store.error(), None);
    }

    /// A store in memory, or a file small enough to be mapped, needs no staging.
    #[test]
    fn sentences_at_hand_are_not_staged() {
        let mut memory = SentenceStore::in_memory();
        let a = memory.push("One.");
        assert!(memory.stage([[a]]).expect("staged").is_none());
        let mut mapped = spilling("mapped", 0);
        let a = mapped.push("One.");
        let staged = mapped.stage([[a]]).expect("staged");
        assert_eq!(staged.is_none(), cfg!(target_os = "linux"));
    }
}
