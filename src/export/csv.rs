//! CSV for Neo4j: `nodes.csv` and `relationships.csv` with the headers `neo4j-admin database
//! import` reads (`:ID`, `:LABEL`, `:START_ID`, `:END_ID`, `:TYPE`, typed properties), and
//! `import.cypher`, which loads the same files with LOAD CSV and MERGE for users without admin
//! access. Fields are quoted as RFC 4180 says; list elements are joined with U+001F (the unit
//! separator, `--array-delimiter=U+001F`), which no text keeps: control characters other than
//! tab and line breaks are dropped from every value.

use std::collections::BTreeSet;
use std::fmt::Write;

use super::{File, confidence, date_range};
use crate::graph::{ActorGraph, edge_key};
use crate::model::{Kind, RelationType};

pub const FILE_NAMES: [&str; 3] = ["nodes.csv", "relationships.csv", "import.cypher"];

/// The array delimiter.
const SEP: char = '\u{1F}';

const NODE_HEADER: [&str; 7] =
    ["id:ID", ":LABEL", "label", "kind", "aliases:string[]", "mentions:int", "documents:string[]"];

const RELATIONSHIP_HEADER: [&str; 16] = [
    ":START_ID",
    ":END_ID",
    ":TYPE",
    "key",
    "relation",
    "symmetric:boolean",
    "date",
    "first_day:date",
    "last_day:date",
    "cameo",
    "confidence:double",
    "count:int",
    "rules:string[]",
    "documents:string[]",
    "evidence:string[]",
    "evidence_documents:string[]",
];

/// The Neo4j label of a kind.
pub fn label(kind: Kind) -> &'static str {
    match kind {
        Kind::Person => "Person",
        Kind::Country => "Country",
        Kind::Organization => "Organization",
        Kind::Location => "Location",
        Kind::Agreement => "Agreement",
    }
}

/// The Neo4j relationship type of a relation: `met_with` is `MET_WITH`.
pub fn rel_type(r: RelationType) -> String {
    r.as_str().to_ascii_uppercase()
}

/// A value without the control characters CSV tools choke on (tab and line breaks stay).
fn clean(s: &str) -> String {
    s.chars().filter(|&c| !c.is_control() || matches!(c, '\t' | '\n' | '\r')).collect()
}

/// Quoted when it holds a comma, a quote, a line break or outer spaces.
fn quoted(s: String) -> String {
    let needs = s.contains([',', '"', '\n', '\r']) || s.starts_with([' ', '\t']) || s.ends_with([' ', '\t']);
    if needs { format!("\"{}\"", s.replace('"', "\"\"")) } else { s }
}

/// One CSV field.
fn field(s: &str) -> String {
    quoted(clean(s))
}

/// A list field: cleaned elements joined with the array delimiter.
fn list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let v: Vec<String> = items.into_iter().map(clean).collect();
    quoted(v.join(&SEP.to_string()))
}

fn row(s: &mut String, fields: &[String]) {
    s.push_str(&fields.join(","));
    s.push('\n');
}

pub fn write(graph: &ActorGraph) -> Vec<File> {
    let mut nodes = String::new();
    row(&mut nodes, &NODE_HEADER.map(String::from));
    for n in graph.sorted_nodes() {
        row(
            &mut nodes,
            &[
                field(&n.id),
                list(["Actor", label(n.kind)]),
                field(&n.label),
                field(n.kind.as_str()),
                list(n.aliases.iter().map(String::as_str)),
                n.mentions.to_string(),
                list(graph.node_documents(n)),
            ],
        );
    }
    let mut rels = String::new();
    row(&mut rels, &RELATIONSHIP_HEADER.map(String::from));
    for (s, t, e) in graph.sorted_edges() {
        let range = e.date.and_then(date_range);
        let evidence = graph.evidence(e);
        let docs: BTreeSet<&str> = evidence.iter().map(|v| v.document.as_str()).collect();
        row(
            &mut rels,
            &[
                field(&s.id),
                field(&t.id),
                rel_type(e.relation),
                field(&edge_key(&s.id, &t.id, e)),
                e.relation.to_string(),
                e.relation.is_symmetric().to_string(),
                e.date.map(|d| d.to_string()).unwrap_or_default(),
                range.as_ref().map(|r| r.0.clone()).unwrap_or_default(),
                range.map(|r| r.1).unwrap_or_default(),
                graph.cameo(e).map(field).unwrap_or_default(),
                confidence(e).to_string(),
                e.count.to_string(),
                list(graph.rules(e)),
                list(docs),
                list(evidence.iter().map(|v| v.sentence.as_ref())),
                list(evidence.iter().map(|v| v.document.as_str())),
            ],
        );
    }
    vec![
        File { name: FILE_NAMES[0].into(), text: nodes },
        File { name: FILE_NAMES[1].into(), text: rels },
        File { name: FILE_NAMES[2].into(), text: cypher(graph) },
    ]
}

/// `import.cypher`: the same files through LOAD CSV, MERGE on actor ids and relation keys, so
/// that running it again updates rather than duplicates.
fn cypher(graph: &ActorGraph) -> String {
    let mut s = String::new();
    let _ =
        writeln!(s, "// actorgraph {}: loads nodes.csv and relationships.csv into Neo4j.", env!("CARGO_PKG_VERSION"));
    s.push_str(
        "// Put both files in Neo4j's import directory, then run this script, for example:\n\
         //   cypher-shell -u neo4j -p PASSWORD -f import.cypher\n\
         // Lists are joined with U+001F (the unit separator). Running it again updates the graph:\n\
         // actors are merged on their id, relations on their key.\n\n",
    );
    s.push_str("CREATE CONSTRAINT actor_id IF NOT EXISTS FOR (a:Actor) REQUIRE a.id IS UNIQUE;\n\n");
    let split =
        |col: &str| format!("CASE WHEN coalesce(row.`{col}`, '') = '' THEN [] ELSE split(row.`{col}`, '\\u001F') END");
    s.push_str("LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row\n");
    s.push_str("MERGE (a:Actor {id: row.`id:ID`})\n");
    s.push_str("SET a.label = row.label,\n    a.kind = row.kind,\n");
    let _ = writeln!(s, "    a.aliases = {},", split("aliases:string[]"));
    s.push_str("    a.mentions = toInteger(row.`mentions:int`),\n");
    let _ = writeln!(s, "    a.documents = {}", split("documents:string[]"));
    for k in Kind::ALL {
        let _ = writeln!(s, "FOREACH (_ IN CASE WHEN row.kind = '{k}' THEN [1] ELSE [] END | SET a:{})", label(k));
    }
    s.push_str(";\n");
    // One statement per relationship type present: types cannot be parameters in MERGE.
    let types: BTreeSet<RelationType> = graph.graph.edge_weights().map(|e| e.relation).collect();
    for r in types {
        let t = rel_type(r);
        s.push('\n');
        s.push_str("LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row\n");
        let _ = writeln!(s, "WITH row WHERE row.`:TYPE` = '{t}'");
        s.push_str("MATCH (s:Actor {id: row.`:START_ID`}), (t:Actor {id: row.`:END_ID`})\n");
        let _ = writeln!(s, "MERGE (s)-[r:{t} {{key: row.key}}]->(t)");
        s.push_str("SET r.relation = row.relation,\n");
        s.push_str("    r.symmetric = (row.`symmetric:boolean` = 'true'),\n");
        s.push_str("    r.date = row.date,\n");
        s.push_str("    r.first_day = CASE WHEN coalesce(row.`first_day:date`, '') = '' THEN null ELSE date(row.`first_day:date`) END,\n");
        s.push_str("    r.last_day = CASE WHEN coalesce(row.`last_day:date`, '') = '' THEN null ELSE date(row.`last_day:date`) END,\n");
        s.push_str("    r.cameo = row.cameo,\n");
        s.push_str("    r.confidence = toFloat(row.`confidence:double`),\n");
        s.push_str("    r.count = toInteger(row.`count:int`),\n");
        let _ = writeln!(s, "    r.rules = {},", split("rules:string[]"));
        let _ = writeln!(s, "    r.documents = {},", split("documents:string[]"));
        let _ = writeln!(s, "    r.evidence = {},", split("evidence:string[]"));
        let _ = writeln!(s, "    r.evidence_documents = {};", split("evidence_documents:string[]"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_when_needed() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a, \"b\""), "\"a, \"\"b\"\"\"");
        assert_eq!(field("line\nbreak"), "\"line\nbreak\"");
        assert_eq!(field(" pad"), "\" pad\"");
        assert_eq!(field("bell\u{7}\u{1F}"), "bell");
        assert_eq!(list(["a;b", "c\u{1F}d"]), "a;b\u{1F}cd");
        assert_eq!(rel_type(RelationType::ProvidesAidTo), "PROVIDES_AID_TO");
    }
}
