//! Input: turning the bytes of a `.txt` article or one JSON Lines record into an [`Article`].
//!
//! The library never opens files; the caller hands it bytes and a name for error messages.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::{Error, Result};

/// One news article: its text and what is known about it.
#[derive(Clone, Debug, PartialEq)]
pub struct Article {
    /// Unique within a run: the file path without extension, or the JSON `id`.
    pub id: String,
    /// The publication date, against which relative dates ("Tuesday") are resolved.
    pub date: Option<jiff::civil::Date>,
    pub title: Option<String>,
    /// The body. Evidence spans are byte offsets into this string.
    pub text: String,
    /// Other fields of a JSON Lines record, kept as document metadata.
    pub meta: BTreeMap<String, Value>,
    /// What reading had to repair, to be reported: "3 invalid UTF-8 sequences replaced".
    pub repaired: Option<String>,
}

impl Article {
    /// An article from its text alone, with no date.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Article {
        Article { id: id.into(), date: None, title: None, text: text.into(), meta: BTreeMap::new(), repaired: None }
    }

    pub fn with_date(mut self, date: jiff::civil::Date) -> Article {
        self.date = Some(date);
        self
    }
}

/// Parses a plain-text article. A leading `date YYYY-MM-DD` marker (after optional white space)
/// gives the date; everything after it is the text. `source` names the file in errors.
pub fn from_txt(id: &str, source: &str, bytes: &[u8]) -> Result<Article> {
    let (text, repaired) = decode(source, None, bytes)?;
    let (date, body) = split_date_marker(source, &text)?;
    if body.trim().is_empty() {
        return Err(Error::article(source, Some(1), "no text"));
    }
    Ok(Article { id: id.to_string(), date, title: None, text: body.to_string(), meta: BTreeMap::new(), repaired })
}

/// Parses one line of a JSON Lines corpus: `{"id", "date", "title", "text"}`, only `text`
/// required. `line` is 1-based; `fallback_id` is used when the record has no `id`.
pub fn from_json_line(source: &str, line: usize, fallback_id: &str, json: &str) -> Result<Article> {
    let bad = |message: String| Error::article(source, Some(line), message);
    let value: Value = serde_json::from_str(json).map_err(|e| bad(format!("malformed JSON: {e}")))?;
    let Value::Object(mut fields) = value else {
        return Err(bad("a record must be a JSON object".into()));
    };
    let text = match fields.remove("text") {
        Some(Value::String(text)) if text.trim().is_empty() => return Err(bad("`text` is empty".into())),
        Some(Value::String(text)) => text,
        Some(_) => return Err(bad("`text` must be a string".into())),
        None => return Err(bad("no `text` field".into())),
    };
    let id = match fields.remove("id") {
        Some(Value::String(id)) if !id.trim().is_empty() => id,
        Some(Value::Number(n)) => n.to_string(),
        None | Some(Value::Null) => fallback_id.to_string(),
        Some(_) => return Err(bad("`id` must be a string or a number".into())),
    };
    let date = match fields.remove("date") {
        Some(Value::String(d)) => {
            Some(parse_date(&d).ok_or_else(|| bad(format!("`date` is `{d}`, not a date (YYYY-MM-DD)")))?)
        }
        None | Some(Value::Null) => None,
        Some(other) => return Err(bad(format!("`date` is {other}, not a date string"))),
    };
    let title = match fields.remove("title") {
        Some(Value::String(t)) => Some(t),
        None | Some(Value::Null) => None,
        Some(_) => return Err(bad("`title` must be a string".into())),
    };
    Ok(Article { id, date, title, text, meta: fields.into_iter().collect(), repaired: None })
}

/// Reads a date written `YYYY-MM-DD`, optionally followed by a time (`2024-05-08T10:00:00Z`).
pub fn parse_date(s: &str) -> Option<jiff::civil::Date> {
    let s = s.trim();
    let day = s.get(..10)?;
    if s.len() > 10 && !matches!(s.as_bytes()[10], b'T' | b't' | b' ') {
        return None;
    }
    let b = day.as_bytes();
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let p = &day[r];
        p.bytes().all(|c| c.is_ascii_digit()).then(|| p.parse().ok())?
    };
    jiff::civil::Date::new(num(0..4)? as i16, num(5..7)? as i8, num(8..10)? as i8).ok()
}

/// A whole file in UTF-16 with its byte-order mark (what some Windows tools save), decoded;
/// unpaired surrogates are replaced and said.
fn utf16(bytes: &[u8]) -> Option<(String, Option<String>)> {
    let little = match bytes.get(..2)? {
        [0xFF, 0xFE] => true,
        [0xFE, 0xFF] => false,
        _ => return None,
    };
    let units: Vec<u16> = bytes[2..]
        .chunks(2)
        .map(|c| {
            let pair = [c[0], c.get(1).copied().unwrap_or(0)];
            if little { u16::from_le_bytes(pair) } else { u16::from_be_bytes(pair) }
        })
        .collect();
    let text = String::from_utf16_lossy(&units);
    let replaced = text.matches('\u{FFFD}').count();
    let note = (replaced > 0)
        .then(|| format!("UTF-16: {replaced} invalid sequence{} replaced", if replaced == 1 { "" } else { "s" }));
    Some((text, note))
}

/// Decodes text. A few invalid UTF-8 sequences in an otherwise good article are replaced (and
/// said, with the line of the first); a file that is not text at all (NUL bytes, or mostly
/// invalid) is an error.
pub fn decode(source: &str, line: Option<usize>, bytes: &[u8]) -> Result<(String, Option<String>)> {
    if line.is_none()
        && let Some(text) = utf16(bytes)
    {
        return Ok(text);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((s.to_string(), None)),
        Err(e) => {
            let at = line.unwrap_or_else(|| 1 + bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count());
            if bytes.contains(&0) {
                return Err(Error::article(source, Some(at), "a binary file, not text"));
            }
            let text = String::from_utf8_lossy(bytes).into_owned();
            let replaced = text.matches('\u{FFFD}').count();
            if replaced * 20 > text.chars().count().max(1) {
                return Err(Error::article(source, Some(at), "not UTF-8 text"));
            }
            let note = format!(
                "{replaced} invalid UTF-8 sequence{} replaced (line {at})",
                if replaced == 1 { "" } else { "s" }
            );
            Ok((text, Some(note)))
        }
    }
}

/// Splits `date YYYY-MM-DD rest` into the date and the rest.
fn split_date_marker<'a>(source: &str, text: &'a str) -> Result<(Option<jiff::civil::Date>, &'a str)> {
    let trimmed = text.trim_start();
    let Some(after) = trimmed.strip_prefix("date") else {
        return Ok((None, text));
    };
    if !after.starts_with([' ', '\t']) {
        return Ok((None, text));
    }
    let after = after.trim_start_matches([' ', '\t']);
    let end = after.find(char::is_whitespace).unwrap_or(after.len());
    let value = &after[..end];
    let line = 1 + text[..text.len() - trimmed.len()].matches('\n').count();
    let date = parse_date(value)
        .filter(|_| value.len() == 10)
        .ok_or_else(|| Error::article(source, Some(line), format!("date marker `{value}` is not YYYY-MM-DD")))?;
    Ok((Some(date), after[end..].trim_start()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_marker_is_split_off() {
        let a = from_txt("a", "a.txt", b" date 2024-05-08 Guatemala City, (APP) Text.").unwrap();
        assert_eq!(a.date, Some(jiff::civil::date(2024, 5, 8)));
        assert_eq!(a.text, "Guatemala City, (APP) Text.");
    }

    #[test]
    fn no_marker_no_date() {
        let a = from_txt("a", "a.txt", b"dated material arrived.").unwrap();
        assert_eq!(a.date, None);
        assert_eq!(a.text, "dated material arrived.");
    }

    #[test]
    fn invalid_utf8_is_repaired_binary_is_refused() {
        let a = from_txt("a", "a.txt", b"date 2024-05-08 Blinken \xff met Ruto.").unwrap();
        assert_eq!(a.text, "Blinken \u{FFFD} met Ruto.");
        assert_eq!(a.repaired.as_deref(), Some("1 invalid UTF-8 sequence replaced (line 1)"));
        let e = from_txt("b", "b.bin", b"\x7fELF\x02\x01\x00\x00\xff\xfe").unwrap_err();
        assert_eq!(e.to_string(), "b.bin:1: a binary file, not text");
    }

    #[test]
    fn utf16_files_with_a_byte_order_mark_are_text() {
        let text = "date 2024-05-08 Blinken met Arévalo.";
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        for bytes in [le, be] {
            let a = from_txt("u", "u.txt", &bytes).unwrap();
            assert_eq!(a.text, "Blinken met Arévalo.");
            assert_eq!(a.date, Some(jiff::civil::date(2024, 5, 8)));
            assert_eq!(a.repaired, None);
        }
    }

    #[test]
    fn bad_marker_names_the_line() {
        let e = from_txt("a", "a.txt", b"\n\ndate 2024-13-40 text").unwrap_err();
        assert_eq!(e.to_string(), "a.txt:3: date marker `2024-13-40` is not YYYY-MM-DD");
    }

    #[test]
    fn json_line_keeps_metadata() {
        let a = from_json_line("c.jsonl", 4, "c:4", r#"{"text":"T","date":"2021-01-02","url":"u"}"#).unwrap();
        assert_eq!(a.id, "c:4");
        assert_eq!(a.date, Some(jiff::civil::date(2021, 1, 2)));
        assert_eq!(a.meta["url"], Value::String("u".into()));
        let e = from_json_line("c.jsonl", 4, "c:4", r#"{"date":"x","text":"T"}"#).unwrap_err();
        assert_eq!(e.to_string(), "c.jsonl:4: `date` is `x`, not a date (YYYY-MM-DD)");
    }
}
