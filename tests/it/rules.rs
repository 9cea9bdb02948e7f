//! The rule files are tested like code: each parses, is sorted, has no duplicates, and every
//! pattern compiles.

use std::collections::{BTreeMap, BTreeSet};

use actorgraph::Rules;
use actorgraph::rules::{FILE_NAMES, RuleFiles};

fn data_lines(text: &str) -> Vec<(usize, &str)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .map(|(i, l)| (i + 1, l))
        .collect()
}

#[test]
fn builtin_rules_compile() {
    let rules = Rules::builtin();
    assert!(rules.countries.len() >= 190);
    assert!(rules.patterns.patterns.len() > 50);
}

#[test]
fn tables_are_sorted_without_duplicates() {
    let files = RuleFiles::defaults();
    for name in FILE_NAMES.iter().filter(|n| n.ends_with(".tsv")) {
        let text = files.get(name);
        let keys: Vec<(usize, &str)> =
            data_lines(text).into_iter().map(|(n, l)| (n, l.split('\t').next().unwrap_or(""))).collect();
        for w in keys.windows(2) {
            assert!(
                w[0].1 < w[1].1,
                "{name}:{}: `{}` should come before `{}` (sorted, no duplicates)",
                w[1].0,
                w[1].1,
                w[0].1
            );
        }
    }
}

#[test]
fn the_files_on_disk_are_the_builtin_rules() {
    let files = RuleFiles::defaults();
    for name in FILE_NAMES {
        let path = super::support::root().join("data/rules").join(name);
        let disk = std::fs::read_to_string(&path).expect("rule file readable");
        assert_eq!(disk, files.get(name), "{name}");
    }
}

#[test]
fn names_are_unique_within_each_gazetteer() {
    let files = RuleFiles::defaults();
    // (file, name column, alias columns)
    let specs: [(&str, usize, &[usize]); 4] = [
        ("countries.tsv", 1, &[2, 3, 4]),
        ("places.tsv", 0, &[3]),
        ("organizations.tsv", 0, &[3]),
        ("people.tsv", 0, &[1]),
    ];
    for (name, col, alias_cols) in specs {
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for (n, line) in data_lines(files.get(name)) {
            let f: Vec<&str> = line.split('\t').collect();
            let mut forms = vec![f[col]];
            for &c in alias_cols {
                forms.extend(f[c].split('|').filter(|s| !s.is_empty()));
            }
            for form in forms {
                if let Some(first) = seen.insert(form.to_string(), n) {
                    panic!("{name}:{n}: `{form}` is also on line {first}");
                }
            }
        }
    }
}

#[test]
fn seats_of_government_are_not_organizations_or_places() {
    let rules = Rules::builtin();
    let seats: BTreeSet<&str> = rules.countries.iter().flat_map(|c| c.seats.iter().map(String::as_str)).collect();
    for o in &rules.orgs {
        for form in std::iter::once(&o.name).chain(o.aliases.iter()) {
            assert!(
                !seats.contains(form.as_str()),
                "organizations.tsv: `{form}` is a seat of government in countries.tsv"
            );
        }
    }
    for p in &rules.places {
        for form in std::iter::once(&p.name).chain(p.aliases.iter()) {
            assert!(!seats.contains(form.as_str()), "places.tsv: `{form}` is a seat of government in countries.tsv");
        }
    }
}

#[test]
fn every_relation_type_has_patterns() {
    let rules = Rules::builtin();
    for r in actorgraph::RelationType::ALL {
        let structural = matches!(r, actorgraph::RelationType::PartOf | actorgraph::RelationType::LocatedIn);
        let n = rules.patterns.patterns.iter().filter(|p| p.relation == r).count();
        assert!(structural || n > 0, "no pattern for {r}");
    }
}

#[test]
fn a_broken_rule_file_is_reported_with_its_line() {
    let mut files = RuleFiles::defaults();
    files.set("relations.rules", "# a comment\nmet_with {A} <meet> {C}\n".into()).expect("known file");
    let err = Rules::compile(&files).expect_err("bad slot");
    assert!(err.to_string().starts_with("relations.rules:2: unknown slot"), "{err}");
    let mut files = RuleFiles::defaults();
    files.set("places.tsv", "Atlantis\tcity\tnowhere\t\n".into()).expect("known file");
    let err = Rules::compile(&files).expect_err("bad country");
    assert_eq!(err.to_string(), "places.tsv:1: unknown country id `nowhere`");
    let mut files = RuleFiles::defaults();
    files.set("countries.tsv", "atlantis\tAtlantis\t\t\t\natlantis\tAtlantide\t\t\t\n".into()).expect("known file");
    let err = Rules::compile(&files).expect_err("one id twice");
    assert_eq!(err.to_string(), "countries.tsv:2: country id `atlantis` appears twice");
}
