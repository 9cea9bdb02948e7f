//! Escaping for the XML exports (GraphML, GEXF): markup characters as entities, line breaks in
//! attributes as character references, and the characters XML 1.0 cannot carry at all (C0
//! controls other than tab, line feed and carriage return; U+FFFE, U+FFFF) dropped.

/// Whether XML 1.0 can carry the character (its `Char` production).
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Element content.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // A bare CR would be read back as LF.
            '\r' => out.push_str("&#13;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// A double-quoted attribute value. Tabs and line breaks are character references, since an
/// XML parser turns literal ones into spaces.
pub fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_what_xml_cannot_carry() {
        assert_eq!(text("a < b && c > d]]>\r\n"), "a &lt; b &amp;&amp; c &gt; d]]&gt;&#13;\n");
        assert_eq!(attr("say \"hi\"\n\tnow"), "say &quot;hi&quot;&#10;&#9;now");
        assert_eq!(text("bell\u{7} esc\u{1b} nul\u{0} \u{FFFE}ok"), "bell esc nul ok");
        assert_eq!(text("x\u{1}y\u{202E}z"), "xy\u{202E}z");
        assert_eq!(attr("حماس שלום"), "حماس שלום");
    }
}
