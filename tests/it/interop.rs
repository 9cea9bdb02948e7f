//! Interop: the JSON graph loads in NetworkX (pip, installed by `.ci/run`) with every node,
//! edge and label as written. The other formats, each in its own consumer: `exports.rs`.

use std::process::Command;

use actorgraph::export::{self, Format, Options};

use super::support::{graphs, need, temp_dir};

#[test]
fn json_loads_in_networkx() {
    need("python3", &["-c", "import networkx"]);
    let dir = temp_dir("interop-nx");
    for (name, g) in graphs() {
        let path = dir.join(format!("{name}.json"));
        std::fs::write(&path, export::text(&g, Format::Json, &Options::default()).expect("one file")).expect("written");
        let script = "import json, sys, networkx as nx\n\
            data = json.load(open(sys.argv[1], encoding='utf-8'))\n\
            g = nx.node_link_graph(data)\n\
            assert g.is_directed() and g.is_multigraph()\n\
            kinds = sorted({d['kind'] for _, d in g.nodes(data=True)})\n\
            rels = sorted({d['relation'] for _, _, d in g.edges(data=True)})\n\
            labels = sorted(d['label'] for _, d in g.nodes(data=True))\n\
            print(g.number_of_nodes(), g.number_of_edges(), ','.join(kinds), ','.join(rels), json.dumps(labels))\n";
        let out = Command::new("python3").arg("-c").arg(script).arg(&path).output().expect("python runs");
        assert!(
            out.status.success(),
            "{name}: NetworkX could not load the JSON: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let line = String::from_utf8_lossy(&out.stdout);
        let f: Vec<&str> = line.splitn(5, ' ').collect();
        assert_eq!(f[0].parse::<usize>().ok(), Some(g.node_count()), "{name}: node count");
        assert_eq!(f[1].parse::<usize>().ok(), Some(g.edge_count()), "{name}: edge count");
        let labels: Vec<String> = serde_json::from_str(f[4]).expect("labels");
        let mut expected: Vec<String> = g.sorted_nodes().iter().map(|n| n.label.clone()).collect();
        expected.sort();
        assert_eq!(labels, expected, "{name}: labels");
    }
}
