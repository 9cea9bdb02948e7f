//! The look shared by the visual exports (DOT, GEXF, the HTML page): a shape and colours per
//! kind of actor, a colour per relation type, so that a person is the same blue everywhere.

use crate::model::{Kind, RelationType};

/// How actors of one kind are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KindStyle {
    /// A light fill, behind dark text.
    pub fill: &'static str,
    /// A strong colour: outlines, and the node colour where there is no text on it (Gephi).
    pub stroke: &'static str,
    /// The Graphviz shape.
    pub dot_shape: &'static str,
    /// The Cytoscape.js shape.
    pub cytoscape_shape: &'static str,
}

pub fn kind_style(kind: Kind) -> KindStyle {
    let (fill, stroke, dot_shape, cytoscape_shape) = match kind {
        Kind::Person => ("#cfe2ff", "#3b73c9", "ellipse", "ellipse"),
        Kind::Country => ("#ffe5b4", "#d98200", "doubleoctagon", "octagon"),
        Kind::Organization => ("#d1f2d8", "#2e9e4f", "box", "round-rectangle"),
        Kind::Location => ("#f0e0ff", "#8e5cc7", "house", "pentagon"),
        Kind::Agreement => ("#fff7b0", "#a89400", "note", "rhomboid"),
    };
    KindStyle { fill, stroke, dot_shape, cytoscape_shape }
}

/// The colour of an edge of each relation type.
pub fn relation_color(r: RelationType) -> &'static str {
    match r {
        RelationType::MetWith => "#1f77b4",
        RelationType::Visited => "#17becf",
        RelationType::AffiliatedWith => "#7f7f7f",
        RelationType::PartOf => "#8c564b",
        RelationType::LocatedIn => "#bcbd22",
        RelationType::PartyTo => "#9467bd",
        RelationType::CooperatesWith => "#2ca02c",
        RelationType::ProvidesAidTo => "#98df8a",
        RelationType::Sanctions => "#ff7f0e",
        RelationType::Criticizes => "#d62728",
        RelationType::Supports => "#00a86b",
        RelationType::Opposes => "#e377c2",
        RelationType::Threatens => "#ff9896",
        RelationType::Attacks => "#8b0000",
    }
}

/// `#rrggbb` as red, green and blue.
pub fn rgb(hex: &str) -> (u8, u8, u8) {
    let channel = |i: usize| hex.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()).unwrap_or(0);
    (channel(1), channel(3), channel(5))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_hex_and_distinct() {
        let mut seen = std::collections::BTreeSet::new();
        for r in RelationType::ALL {
            let c = relation_color(r);
            assert!(c.len() == 7 && c.starts_with('#') && c[1..].bytes().all(|b| b.is_ascii_hexdigit()), "{c}");
            assert!(seen.insert(c), "{r}: colour {c} used twice");
        }
        for k in Kind::ALL {
            let s = kind_style(k);
            assert!(seen.insert(s.fill) && seen.insert(s.stroke), "{k}: colours used twice");
        }
        assert_eq!(rgb("#1f77b4"), (0x1f, 0x77, 0xb4));
    }
}
