//! Node-link JSON: `{"directed", "multigraph", "graph", "nodes", "edges"}`, loadable as it is by
//! `networkx.node_link_graph` (NetworkX 3.6 defaults) and by D3.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use smol_str::SmolStr;

use crate::error::{Error, Location};
use crate::evidence::{SentenceId, StoredEvidence, Window};
use crate::graph::{ActorGraph, DocIndex, DocInfo, EdgeData, InsertEdge, Node};
use crate::model::{Evidence, Kind, PartialDate, RelationType};

/// The parts of a saved graph as they are read back (see [`from_json`]).
#[derive(Serialize, Deserialize)]
struct GraphMeta {
    generator: String,
    version: String,
    documents: Vec<DocInfo>,
}

#[derive(Serialize, Deserialize)]
struct JsonNode {
    id: String,
    label: String,
    kind: Kind,
    aliases: Vec<String>,
    mentions: usize,
    documents: Vec<SmolStr>,
}

#[derive(Serialize, Deserialize)]
struct JsonEdge {
    source: String,
    target: String,
    key: String,
    relation: RelationType,
    symmetric: bool,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    date: Option<PartialDate>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    cameo: Option<SmolStr>,
    confidence: f32,
    count: usize,
    rules: Vec<SmolStr>,
    evidence: Vec<Evidence>,
}

#[cfg(test)]
/// The top of the graph's JSON as serde_json writes it (with [`RecordLines`]), borrowing from the
/// graph: what [`write_head`] writes by hand (a test compares them). `GraphMeta`, `JsonNode` and
/// `JsonEdge` read the same shape back.
#[derive(Serialize)]
struct JsonHeadRef<'a> {
    directed: bool,
    multigraph: bool,
    graph: GraphMetaRef<'a>,
    nodes: Vec<JsonNodeRef<'a>>,
}

#[cfg(test)]
#[derive(Serialize)]
struct GraphMetaRef<'a> {
    generator: &'a str,
    version: &'a str,
    documents: Vec<&'a DocInfo>,
}

#[cfg(test)]
#[derive(Serialize)]
struct JsonNodeRef<'a> {
    id: &'a str,
    label: &'a str,
    kind: Kind,
    aliases: &'a std::collections::BTreeSet<String>,
    mentions: usize,
    documents: NodeDocuments<'a>,
}

#[cfg(test)]
/// A node's document ids, sorted as they are written: the lists of all nodes together hold as
/// many entries as the corpus has (actor, article) pairs, and are never made all at once.
struct NodeDocuments<'a>(&'a ActorGraph, &'a Node);

#[cfg(test)]
impl Serialize for NodeDocuments<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.node_documents(self.1).serialize(serializer)
    }
}

#[cfg(test)]
fn json_head(graph: &ActorGraph) -> JsonHeadRef<'_> {
    JsonHeadRef {
        directed: true,
        multigraph: true,
        graph: GraphMetaRef {
            generator: "actorgraph",
            version: env!("CARGO_PKG_VERSION"),
            documents: graph.documents(),
        },
        nodes: graph
            .sorted_nodes()
            .into_iter()
            .map(|n| JsonNodeRef {
                id: &n.id,
                label: &n.label,
                kind: n.kind,
                aliases: &n.aliases,
                mentions: n.mentions,
                documents: NodeDocuments(graph, n),
            })
            .collect(),
    }
}

/// The graph as a JSON value: what [`write_to`] writes, read back.
pub fn to_json_value(graph: &ActorGraph) -> Value {
    let mut bytes = Vec::new();
    match write_to(graph, &mut bytes) {
        Ok(()) => serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        Err(_) => Value::Null,
    }
}

/// Writes the graph as JSON with one record per line (each top-level field, document, node and
/// edge), ending with a newline: a third smaller and faster to write than indented JSON, and
/// still read and diffed line by line.
///
/// The edges, most of a large graph's JSON, are made on the current rayon pool's threads, a wave
/// of chunks at a time, and written in order: the file is the same whatever the threads.
pub fn write_to(graph: &ActorGraph, out: &mut (impl std::io::Write + Send)) -> std::io::Result<()> {
    use rayon::prelude::*;
    // Everything but the edges, the top object left open for them.
    write_head(graph, &mut *out)?;
    out.write_all(b",\n\"edges\":[")?;
    let edges = graph.sorted_edge_indices();
    // Chunks of about 128 KB, their buffers handed back by the writer and filled again: the
    // export's memory stays a few megabytes, warm in the cache, however large the graph (fresh
    // buffers for every chunk made a 10 MB corpus's peak memory 89 MB, a third of it chunks
    // waiting to be written). 100 MB, one thread, same-time medians: chunks of 2048 edges 6.57 s,
    // 512 5.93 / 5.48 / 5.70 s, 256 5.30 / 5.45 s, 128 5.39 s.
    const CHUNK: usize = 256;
    let wave = CHUNK * 2 * rayon::current_num_threads().max(1);
    let spare: std::sync::Mutex<Vec<Vec<u8>>> = std::sync::Mutex::new(Vec::new());
    // A graph whose sentences are in a large file has them read back a window of edges at a
    // time, in the file's order (see Staging).
    let read_back =
        |e: std::io::Error| std::io::Error::new(e.kind(), format!("cannot read back the evidence sentences: {e}"));
    let staging = graph.stage_evidence(&edges).map_err(read_back)?;
    let windows: Vec<std::ops::Range<usize>> = match &staging {
        Some(s) => (0..s.windows()).map(|k| s.items(k)).collect(),
        None => std::iter::once(0..edges.len()).collect(),
    };
    let mut window = Window::default();
    let places = graph.edge_places();
    // The edges of `group`, the first of them `edges[start]`, in chunks made in parallel.
    let make =
        |start: usize, group: &[petgraph::stable_graph::EdgeIndex], window: &Window| -> Vec<std::io::Result<Vec<u8>>> {
            group
                .par_chunks(CHUNK)
                .enumerate()
                .map(|(c, chunk)| {
                    // About 500 bytes an edge with one sentence of evidence: a chunk is rarely copied to grow.
                    let mut buf = spare
                        .lock()
                        .ok()
                        .and_then(|mut s| s.pop())
                        .unwrap_or_else(|| Vec::with_capacity(chunk.len() * 512));
                    let mut scratch = EdgeScratch::default();
                    for (k, &ei) in chunk.iter().enumerate() {
                        // Edges are written in key order, scattered in memory: each one's data is
                        // asked for eight edges ahead, and its evidence's places four ahead.
                        if let Some(&next) = chunk.get(k + 8) {
                            places.prefetch(next);
                        }
                        if let Some(w) = chunk.get(k + 4).and_then(|&next| graph.graph.edge_weight(next)) {
                            graph.prefetch_evidence(w);
                        }
                        if let Some(w) = chunk.get(k + 2).and_then(|&next| graph.graph.edge_weight(next)) {
                            graph.prefetch_sentences(w);
                            for ev in w.evidence.iter().take(2) {
                                window.prefetch(ev.sentence);
                            }
                        }
                        // The sorted indexes are all edges of the graph.
                        let Some((s, t)) = graph.graph.edge_endpoints(ei) else { continue };
                        // Each edge on a line of its own, as the formatter puts records.
                        buf.extend_from_slice(if start + c * CHUNK + k == 0 { b"\n" } else { b",\n" });
                        let e = &graph.graph[ei];
                        write_edge(&mut buf, graph, &graph.graph[s], &graph.graph[t], e, window, &mut scratch)?;
                    }
                    Ok(buf)
                })
                .collect()
        };
    // A thread of its own writes the chunks in order while the next ones are made: writing a
    // large graph's JSON takes about as long as making it.
    std::thread::scope(|scope| -> std::io::Result<()> {
        let (send, receive) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
        let out = &mut *out;
        let spare = &spare;
        let writer = scope.spawn(move || -> std::io::Result<()> {
            for mut part in receive {
                out.write_all(&part)?;
                part.clear();
                if let Ok(mut s) = spare.lock() {
                    s.push(part);
                }
            }
            Ok(())
        });
        let mut made = Ok(());
        'waves: for (k, range) in windows.into_iter().enumerate() {
            if let Some(Err(e)) = staging.as_ref().map(|s| s.load(k, &mut window)) {
                made = Err(read_back(e));
                break 'waves;
            }
            for (w, group) in edges[range.clone()].chunks(wave).enumerate() {
                for part in make(range.start + w * wave, group, &window) {
                    match part {
                        Ok(part) => {
                            // A closed channel: the writer failed, and says why below.
                            if send.send(part).is_err() {
                                break 'waves;
                            }
                        }
                        Err(e) => {
                            made = Err(e);
                            break 'waves;
                        }
                    }
                }
            }
        }
        if made.is_ok() {
            // The end, once everything before it is made (a failed graph is not closed).
            let tail: &[u8] = if edges.is_empty() { b"]\n}\n" } else { b"\n]\n}\n" };
            let _ = send.send(tail.to_vec());
        }
        drop(send);
        let written = writer.join().unwrap_or_else(|_| Err(std::io::Error::other("the JSON writer stopped")));
        made.and(written)
    })
}

/// The graph's JSON up to the edges (the top object left open for them): its documents and
/// nodes, one on each line, written by hand (the bytes serde_json writes of [`JsonHeadRef`]: a
/// test compares them). A large corpus's lists of documents are long: written a buffer at a time.
fn write_head(graph: &ActorGraph, out: &mut impl std::io::Write) -> std::io::Result<()> {
    const FULL: usize = 1 << 16;
    let mut buf = Vec::with_capacity(2 * FULL);
    let mut text = String::new();
    buf.extend_from_slice(
        b"{\n\"directed\":true,\n\"multigraph\":true,\n\"graph\":{\"generator\":\"actorgraph\",\"version\":",
    );
    push_str(&mut buf, env!("CARGO_PKG_VERSION"));
    buf.extend_from_slice(b",\"documents\":[");
    let order = graph.document_order();
    // Each document's place in id order: a node's documents are listed in it.
    let mut rank = vec![0u32; graph.document_count()];
    for (k, &i) in order.iter().enumerate() {
        rank[i as usize] = k as u32;
    }
    let docs: Vec<&DocInfo> = order.iter().filter_map(|&i| graph.document(i)).collect();
    // Each document's id as JSON, in id order, one after the other (`ids[at[r]..at[r + 1]]`):
    // the nodes' lists of documents are copied from here, not from documents all over memory.
    let mut ids: Vec<u8> = Vec::new();
    let mut at: Vec<usize> = Vec::with_capacity(docs.len() + 1);
    at.push(0);
    for (k, d) in docs.iter().enumerate() {
        buf.extend_from_slice(if k == 0 { b"\n{\"id\":" } else { b",\n{\"id\":" });
        let from = buf.len();
        push_str(&mut buf, &d.id);
        ids.extend_from_slice(&buf[from..]);
        at.push(ids.len());
        buf.extend_from_slice(b",\"date\":");
        match d.date {
            Some(date) => {
                text.clear();
                date.push_to(&mut text);
                push_str(&mut buf, &text);
            }
            None => buf.extend_from_slice(b"null"),
        }
        buf.extend_from_slice(b",\"title\":");
        match &d.title {
            Some(t) => {
                push_str(&mut buf, t);
            }
            None => buf.extend_from_slice(b"null"),
        }
        buf.push(b'}');
        if buf.len() >= FULL {
            out.write_all(&buf)?;
            buf.clear();
        }
    }
    buf.extend_from_slice(if docs.is_empty() { b"]},\n\"nodes\":[" } else { b"\n]},\n\"nodes\":[" });
    let nodes = graph.sorted_nodes();
    let mut ranks: Vec<u32> = Vec::new();
    for (k, n) in nodes.iter().enumerate() {
        buf.extend_from_slice(if k == 0 { b"\n{\"id\":" } else { b",\n{\"id\":" });
        push_str(&mut buf, &n.id);
        buf.extend_from_slice(b",\"label\":");
        push_str(&mut buf, &n.label);
        buf.extend_from_slice(b",\"kind\":\"");
        buf.extend_from_slice(n.kind.as_str().as_bytes());
        buf.extend_from_slice(b"\",\"aliases\":[");
        for (j, a) in n.aliases.iter().enumerate() {
            if j > 0 {
                buf.push(b',');
            }
            push_str(&mut buf, a);
        }
        buf.extend_from_slice(b"],\"mentions\":");
        push_number(&mut buf, n.mentions as u64);
        buf.extend_from_slice(b",\"documents\":[");
        ranks.clear();
        ranks.extend(n.documents.iter().filter_map(|&d| rank.get(d as usize)));
        ranks.sort_unstable();
        for (j, &r) in ranks.iter().enumerate() {
            if j > 0 {
                buf.push(b',');
            }
            buf.extend_from_slice(&ids[at[r as usize]..at[r as usize + 1]]);
        }
        buf.extend_from_slice(b"]}");
        if buf.len() >= FULL {
            out.write_all(&buf)?;
            buf.clear();
        }
    }
    buf.extend_from_slice(if nodes.is_empty() { b"]" } else { b"\n]" });
    out.write_all(&buf)
}

/// A JSON string: as it is when nothing in it needs escaping (the common case, found by
/// [`crate::json_text::first_special`]), else escaped by serde_json. Returns whether the string
/// was written as it is.
fn push_str(buf: &mut Vec<u8>, s: &str) -> bool {
    let plain = crate::json_text::first_special(s.as_bytes(), 0).is_none();
    if plain {
        buf.reserve(s.len() + 2);
        buf.push(b'"');
        buf.extend_from_slice(s.as_bytes());
        buf.push(b'"');
    } else {
        // Writing to memory cannot fail.
        let _ = serde_json::to_writer(&mut *buf, s);
    }
    plain
}

/// A count or a byte offset, in decimal.
fn push_number(buf: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.extend_from_slice(&digits[at..]);
}

/// What [`write_edge`] reuses from one edge to the next: buffers, and the JSON of the rule
/// sets and confidences already written (a graph has a handful of each).
#[derive(Default)]
struct EdgeScratch {
    sentence: Vec<u8>,
    text: String,
    rules: rustc_hash::FxHashMap<crate::evidence::RuleSet, Vec<u8>>,
    confidences: Vec<(u32, Vec<u8>)>,
}

/// One edge as serde_json writes [`JsonEdge`] (the same bytes; a test compares them),
/// written by hand: most of a large graph's JSON is edges.
fn write_edge(
    buf: &mut Vec<u8>,
    graph: &ActorGraph,
    s: &Node,
    t: &Node,
    e: &EdgeData,
    window: &Window,
    scratch: &mut EdgeScratch,
) -> std::io::Result<()> {
    buf.extend_from_slice(b"{\"source\":");
    let plain_source = push_str(buf, &s.id);
    buf.extend_from_slice(b",\"target\":");
    let plain_target = push_str(buf, &t.id);
    buf.extend_from_slice(b",\"key\":");
    let relation = e.relation.as_str().as_bytes();
    scratch.text.clear();
    if let Some(d) = e.date {
        d.push_to(&mut scratch.text);
    }
    // The key (graph::edge_key) is made of parts already checked: written as it is when the ids
    // need no escaping (dates and relation names never do).
    if plain_source && plain_target {
        buf.push(b'"');
        for part in [s.id.as_bytes(), b"|", relation, b"|", t.id.as_bytes(), b"|"] {
            buf.extend_from_slice(part);
        }
        buf.extend_from_slice(if e.date.is_some() { scratch.text.as_bytes() } else { b"-" });
        buf.push(b'"');
    } else {
        let mut key = String::new();
        crate::graph::edge_key_into(&mut key, &s.id, &t.id, e);
        push_str(buf, &key);
    }
    buf.extend_from_slice(b",\"relation\":\"");
    buf.extend_from_slice(relation);
    buf.extend_from_slice(if e.relation.is_symmetric() { b"\",\"symmetric\":true" } else { b"\",\"symmetric\":false" });
    if e.date.is_some() {
        buf.extend_from_slice(b",\"date\":\"");
        buf.extend_from_slice(scratch.text.as_bytes());
        buf.push(b'"');
    }
    if let Some(c) = graph.cameo(e) {
        buf.extend_from_slice(b",\"cameo\":");
        push_str(buf, c);
    }
    buf.extend_from_slice(b",\"confidence\":");
    let confidence = super::confidence(e);
    let bits = confidence.to_bits();
    match scratch.confidences.iter().find(|(b, _)| *b == bits) {
        Some((_, json)) => buf.extend_from_slice(json),
        None => {
            let mut json = Vec::new();
            // Writing to memory cannot fail.
            let _ = serde_json::to_writer(&mut json, &confidence);
            buf.extend_from_slice(&json);
            scratch.confidences.push((bits, json));
        }
    }
    buf.extend_from_slice(b",\"count\":");
    push_number(buf, u64::from(e.count));
    buf.extend_from_slice(b",\"rules\":");
    let rules = scratch.rules.entry(e.rules).or_insert_with(|| {
        let mut json = vec![b'['];
        for (i, r) in graph.rules(e).into_iter().enumerate() {
            if i > 0 {
                json.push(b',');
            }
            push_str(&mut json, r);
        }
        json.push(b']');
        json
    });
    buf.extend_from_slice(rules);
    buf.extend_from_slice(b",\"evidence\":[");
    for (i, ev) in e.evidence.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        buf.extend_from_slice(b"{\"document\":");
        push_str(buf, graph.document_id(ev.document));
        buf.extend_from_slice(b",\"sentence\":");
        let text = graph
            .sentences
            .read_staged(window, ev.sentence, &mut scratch.sentence)
            .map_err(|err| std::io::Error::new(err.kind(), format!("cannot read back an evidence sentence: {err}")))?;
        push_str(buf, text);
        buf.extend_from_slice(b",\"start\":");
        push_number(buf, u64::from(ev.start));
        buf.extend_from_slice(b",\"end\":");
        push_number(buf, u64::from(ev.end));
        buf.push(b'}');
    }
    buf.extend_from_slice(b"]}");
    Ok(())
}

/// A JSON formatter that puts each field of the top object, and each object of an array near
/// the top (documents, nodes), on a line of its own, and nothing else; it leaves the top object
/// open for [`write_to`] to add the edges.
#[cfg(test)]
#[derive(Default)]
struct RecordLines {
    /// The open arrays (`true`) and objects (`false`), outermost first.
    open: Vec<bool>,
    /// Whether the innermost open array has put its objects on lines.
    lines: Vec<bool>,
}

#[cfg(test)]
impl serde_json::ser::Formatter for RecordLines {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open.push(true);
        self.lines.push(false);
        w.write_all(b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open.pop();
        if self.lines.pop() == Some(true) {
            w.write_all(b"\n")?;
        }
        w.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        if first { Ok(()) } else { w.write_all(b",") }
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        if self.open.last() == Some(&true) && self.open.len() <= 3 {
            if let Some(l) = self.lines.last_mut() {
                *l = true;
            }
            w.write_all(b"\n")?;
        }
        self.open.push(false);
        w.write_all(b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open.pop();
        // The top object is left open: the caller writes the edges and closes it.
        if self.open.is_empty() { Ok(()) } else { w.write_all(b"}") }
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        if self.open.len() == 1 { w.write_all(b"\n") } else { Ok(()) }
    }
}

pub fn write(graph: &ActorGraph) -> String {
    let mut bytes = Vec::new();
    // Writing to memory fails only if serialization does, which it cannot for these types.
    let _ = write_to(graph, &mut bytes);
    String::from_utf8(bytes).unwrap_or_default()
}

/// Reads a graph written by [`write`]. `source` names the file in errors.
pub fn from_json(source: &str, text: &str) -> Result<ActorGraph, Error> {
    from_parsed(source, serde_json::from_str(text))
}

/// [`from_json`] from a reader (a file of any size is read as it is parsed, never held whole).
/// The reader is buffered here.
pub fn from_json_reader(source: &str, reader: impl std::io::Read) -> Result<ActorGraph, Error> {
    from_json_reader_into(source, reader, ActorGraph::new())
}

/// [`from_json_reader`] into `graph`, an empty graph made as the caller wants it (with a
/// sentence store that spills to a file, see [`ActorGraph::with_sentences`]).
pub fn from_json_reader_into(source: &str, reader: impl std::io::Read, graph: ActorGraph) -> Result<ActorGraph, Error> {
    use serde::de::DeserializeSeed;
    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::with_capacity(1 << 16, reader));
    let parsed = GraphSeed(graph).deserialize(&mut de).and_then(|g| de.end().map(|()| g));
    from_parsed(source, parsed)
}

/// Reads a graph into a given empty graph.
struct GraphSeed(ActorGraph);

impl<'de> serde::de::DeserializeSeed<'de> for GraphSeed {
    type Value = ActorGraph;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<ActorGraph, D::Error> {
        deserializer.deserialize_map(GraphVisitor(self.0))
    }
}

fn from_parsed(source: &str, parsed: serde_json::Result<ActorGraph>) -> Result<ActorGraph, Error> {
    parsed.map_err(|e| Error::Graph {
        at: Location::new(source, Some(e.line())),
        message: format!("not an actorgraph JSON graph: {e}"),
    })
}

/// Reading a saved graph puts each edge into the graph as soon as it is parsed, so that a graph
/// file of gigabytes is never held as parsed JSON as well: memory is the graph's.
impl<'de> Deserialize<'de> for ActorGraph {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<ActorGraph, D::Error> {
        deserializer.deserialize_map(GraphVisitor(ActorGraph::new()))
    }
}

/// What reading a graph keeps on the way: the graph, each sentence once, and edges read before
/// the nodes they join (a hand-edited file may put `edges` first).
#[derive(Default)]
struct Loader {
    graph: ActorGraph,
    /// The sentences read so far, by document and span.
    sentences: rustc_hash::FxHashMap<(DocIndex, u32, u32), SentenceId>,
    waiting: Vec<JsonEdge>,
    has_nodes: bool,
}

impl Loader {
    fn nodes(&mut self, nodes: Vec<JsonNode>) -> Result<(), String> {
        let mut seen = std::collections::BTreeSet::new();
        for n in &nodes {
            if !seen.insert(n.id.as_str()) || self.graph.node(&n.id).is_some() {
                return Err(format!("node `{}` appears twice", n.id));
            }
        }
        let mut built = Vec::with_capacity(nodes.len());
        for n in nodes {
            let mut documents: Vec<_> = n.documents.iter().map(|d| self.graph.document_index(d)).collect();
            documents.sort_unstable();
            documents.dedup();
            built.push(Node {
                id: n.id,
                label: n.label,
                kind: n.kind,
                aliases: n.aliases.into_iter().collect(),
                mentions: n.mentions,
                documents,
            });
        }
        self.graph.insert_nodes(built);
        self.has_nodes = true;
        for e in std::mem::take(&mut self.waiting) {
            self.edge(e)?;
        }
        Ok(())
    }

    fn edge(&mut self, e: JsonEdge) -> Result<(), String> {
        if !self.has_nodes {
            self.waiting.push(e);
            return Ok(());
        }
        // One copy of each sentence, shared by the edges it states, as in a graph built from
        // articles.
        let mut evidence: smallvec::SmallVec<[StoredEvidence; 1]> = smallvec::SmallVec::with_capacity(e.evidence.len());
        for ev in e.evidence {
            let document = self.graph.document_index(&ev.document);
            let (start, end) = (crate::graph::span_u32(ev.start), crate::graph::span_u32(ev.end));
            let graph = &mut self.graph;
            let sentence =
                *self.sentences.entry((document, start, end)).or_insert_with(|| graph.sentences.push(&ev.sentence));
            evidence.push(StoredEvidence { document, start, end, sentence });
        }
        let data = EdgeData {
            relation: e.relation,
            date: e.date,
            evidence,
            count: u32::try_from(e.count).unwrap_or(u32::MAX),
            rules: self.graph.rule_set(e.rules.iter().map(SmolStr::as_str)),
            cameo: e.cameo.as_deref().map(|c| self.graph.intern(c)),
            confidence: e.confidence,
        };
        match self.graph.insert_edge(&e.source, &e.target, data) {
            Ok(()) => Ok(()),
            Err(InsertEdge::Twice) => Err(format!("edge `{}` appears twice", e.key)),
            Err(InsertEdge::NoNode) => Err(format!("edge `{}` names a node that is not in the graph", e.key)),
        }
    }
}

struct GraphVisitor(ActorGraph);

impl<'de> serde::de::Visitor<'de> for GraphVisitor {
    type Value = ActorGraph;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an actorgraph JSON graph (an object with `graph`, `nodes` and `edges`)")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<ActorGraph, A::Error> {
        use serde::de::Error as _;
        let mut loader = Loader { graph: self.0, ..Loader::default() };
        let (mut has_graph, mut has_edges) = (false, false);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "graph" => {
                    let meta: GraphMeta = map.next_value()?;
                    for d in meta.documents {
                        loader.graph.add_document(d);
                    }
                    has_graph = true;
                }
                "nodes" => {
                    let nodes: Vec<JsonNode> = map.next_value()?;
                    loader.nodes(nodes).map_err(A::Error::custom)?;
                }
                "edges" => {
                    map.next_value_seed(EdgesSeed(&mut loader))?;
                    has_edges = true;
                }
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        if !has_graph {
            return Err(A::Error::missing_field("graph"));
        }
        if !loader.has_nodes {
            return Err(A::Error::missing_field("nodes"));
        }
        if !has_edges {
            return Err(A::Error::missing_field("edges"));
        }
        Ok(loader.graph)
    }
}

/// The `edges` array, each edge into the graph as it is read.
struct EdgesSeed<'l>(&'l mut Loader);

impl<'de> serde::de::DeserializeSeed<'de> for EdgesSeed<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for EdgesSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of edges")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        use serde::de::Error as _;
        while let Some(e) = seq.next_element::<JsonEdge>()? {
            self.0.edge(e).map_err(A::Error::custom)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::edge_key;
    use crate::model::{Document, Entity, Relation};

    #[test]
    fn numbers_are_written_in_decimal() {
        for n in [0, 7, 10, 99, 100, 4_294_967_295, u64::MAX] {
            let mut buf = b"x".to_vec();
            push_number(&mut buf, n);
            assert_eq!(String::from_utf8(buf).unwrap(), format!("x{n}"));
        }
    }

    #[test]
    fn the_head_written_by_hand_is_what_serde_writes() {
        let serde_head = |graph: &ActorGraph| {
            let mut theirs = Vec::new();
            let mut ser = serde_json::Serializer::with_formatter(&mut theirs, RecordLines::default());
            json_head(graph).serialize(&mut ser).expect("serialized");
            String::from_utf8(theirs).expect("UTF-8")
        };
        let hand_head = |graph: &ActorGraph| {
            let mut mine = Vec::new();
            write_head(graph, &mut mine).expect("written");
            String::from_utf8(mine).expect("UTF-8")
        };
        let empty = ActorGraph::new();
        assert_eq!(hand_head(&empty), serde_head(&empty));
        let mut graph = ActorGraph::new();
        let ids = ["person:plain", "person:q\"uote\\back", "org:ctl\u{1}\t\n", "place:ünïcode-אב"];
        // Documents added out of id order, with and without dates and titles, some naming no one.
        let docs = ["d9", "d10", "doc \"1\"", "a\\b", "d2"];
        for (k, doc) in docs.iter().enumerate() {
            let entities = ids
                .iter()
                .enumerate()
                .filter(|(j, _)| (j + k) % 3 != 0)
                .map(|(j, id)| Entity {
                    id: id.to_string(),
                    kind: Kind::ALL[j % Kind::ALL.len()],
                    label: format!("{id} «{k}»"),
                    aliases: [id.to_string(), format!("alias \"{k}\"")].into(),
                    mentions: j + k,
                })
                .collect();
            graph.merge(Document {
                id: doc.to_string(),
                date: (k % 2 == 0).then(|| PartialDate::day(jiff::civil::date(2024, 5, k as i8 + 1))),
                title: (k % 3 == 1).then(|| format!("Title \"{k}\"\n")),
                entities,
                relations: Vec::new(),
            });
        }
        assert_eq!(graph.document_count(), docs.len());
        assert_eq!(hand_head(&graph), serde_head(&graph));
    }

    /// Edges written by hand are the bytes serde_json writes, for names and sentences that need
    /// escaping (quotes, backslashes, control characters) and for those that do not.
    #[test]
    fn edges_written_by_hand_are_what_serde_writes() {
        let entity = |id: &str| Entity {
            id: id.to_string(),
            kind: Kind::Person,
            label: id.to_string(),
            aliases: [id.to_string()].into(),
            mentions: 1,
        };
        let ids = ["person:plain", "person:q\"uote\\back", "person:ctl\u{1}\t\n", "person:ünïcode-אב"];
        let sentences = ["A plain sentence.", "She said \"no\" \\ then\tleft\r\n.", "\u{7f}\u{1f} Ünïcode — «text»."];
        let mut relations = Vec::new();
        let mut at = 0;
        for (i, s) in ids.iter().enumerate() {
            for t in &ids[i + 1..] {
                let sentence = sentences[at % sentences.len()];
                relations.push(Relation {
                    source: s.to_string(),
                    target: t.to_string(),
                    relation: if at % 2 == 0 { RelationType::MetWith } else { RelationType::Criticizes },
                    date: (at % 3 != 0).then(|| PartialDate::month(2024, 5)),
                    evidence: Evidence {
                        document: "doc \"1\"".into(),
                        sentence: sentence.into(),
                        start: at * 10,
                        end: at * 10 + 5,
                    },
                    rule: if at % 2 == 0 { "relations.rules:1".into() } else { "weird \"rule\"".into() },
                    cameo: (at % 2 == 0).then(|| "042".into()),
                    confidence: 0.123 * at as f32,
                });
                at += 1;
            }
        }
        let mut graph = ActorGraph::new();
        graph.merge(Document {
            id: "doc \"1\"".into(),
            date: None,
            title: None,
            entities: ids.iter().map(|i| entity(i)).collect(),
            relations,
        });
        assert!(graph.edge_count() >= 6);
        let mut scratch = EdgeScratch::default();
        for ei in graph.sorted_edge_indices() {
            let (s, t) = graph.graph.edge_endpoints(ei).expect("edge");
            let (s, t, e) = (&graph.graph[s], &graph.graph[t], &graph.graph[ei]);
            let mut mine = Vec::new();
            write_edge(&mut mine, &graph, s, t, e, &Window::default(), &mut scratch).expect("written");
            let reference = JsonEdge {
                source: s.id.clone(),
                target: t.id.clone(),
                key: edge_key(&s.id, &t.id, e),
                relation: e.relation,
                symmetric: e.relation.is_symmetric(),
                date: e.date,
                cameo: graph.cameo(e).map(Into::into),
                confidence: super::super::confidence(e),
                count: e.count as usize,
                rules: graph.rules(e).into_iter().map(Into::into).collect(),
                evidence: graph.evidence(e),
            };
            let theirs = serde_json::to_vec(&reference).expect("serialized");
            assert_eq!(String::from_utf8_lossy(&mine), String::from_utf8_lossy(&theirs));
        }
    }

    /// A graph whose sentences went to a spill file read back in windows writes the JSON of
    /// the same graph held in memory, whatever the windows' size (one sentence each, a few,
    /// all), and leaves the file as it was: a second export is the same.
    #[test]
    fn sentences_read_back_in_windows_write_the_same_json() {
        let docs = crate::graph::tests::sample_documents(60);
        let mut memory = ActorGraph::new();
        for d in docs.clone() {
            memory.merge(d);
        }
        let want = write(&memory);
        for (k, window) in [1usize, 200, 1 << 20].into_iter().enumerate() {
            let mut store = crate::evidence::tests::spilling(&format!("json-window-{k}"), 300);
            store.set_read_back(0, window);
            let mut spilled = ActorGraph::with_sentences(store);
            for d in docs.clone() {
                spilled.merge(d);
            }
            spilled.release_edge_index();
            assert_eq!(write(&spilled), want, "windows of {window} bytes");
            assert_eq!(write(&spilled), want, "again, windows of {window} bytes");
            assert_eq!(spilled.sentences.error(), None);
        }
    }
}
