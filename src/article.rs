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
    let mut fields = match flat_record(json) {
        Some(fields) => fields,
        None => {
            let value: Value = serde_json::from_str(json).map_err(|e| bad(format!("malformed JSON: {e}")))?;
            let Value::Object(fields) = value else {
                return Err(bad("a record must be a JSON object".into()));
            };
            fields
        }
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

/// A JSON object whose values are all strings or null (what a corpus line nearly always is),
/// read without serde_json's general machinery; `None` for anything else, valid or not, which
/// serde_json then reads (or says what is wrong with). The fields are what serde_json would make
/// of the same text (a test compares them on arbitrary input).
fn flat_record(json: &str) -> Option<serde_json::Map<String, Value>> {
    let b = json.as_bytes();
    let mut fields = serde_json::Map::new();
    let mut i = skip_space(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_space(b, i + 1);
    if b.get(i) == Some(&b'}') {
        i += 1;
    } else {
        loop {
            let (key, after) = json_string(json, i)?;
            i = skip_space(b, after);
            if b.get(i) != Some(&b':') {
                return None;
            }
            i = skip_space(b, i + 1);
            let value = if b[i..].starts_with(b"null") {
                i += 4;
                Value::Null
            } else {
                let (v, after) = json_string(json, i)?;
                i = after;
                Value::String(v)
            };
            fields.insert(key, value);
            i = skip_space(b, i);
            match b.get(i) {
                Some(b',') => i = skip_space(b, i + 1),
                Some(b'}') => {
                    i += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    (skip_space(b, i) == b.len()).then_some(fields)
}

/// The index of the first byte at or after `i` that is not JSON white space.
fn skip_space(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// The JSON string starting at byte `i` (its opening quote), unescaped, and the index after its
/// closing quote; `None` if there is none there or it is not valid JSON.
fn json_string(json: &str, i: usize) -> Option<(String, usize)> {
    let b = json.as_bytes();
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let mut out = String::new();
    let mut run = i + 1;
    let mut k = run;
    loop {
        k = crate::json_text::first_special(b, k)?;
        match b[k] {
            b'"' => {
                out.push_str(&json[run..k]);
                return Some((out, k + 1));
            }
            b'\\' => {
                if out.capacity() == 0 {
                    // Room for the rest of the line, once: a text's escapes are many.
                    out.reserve(b.len() - run);
                }
                out.push_str(&json[run..k]);
                let (c, len) = json_escape(b, k)?;
                out.push(c);
                k += len;
                run = k;
            }
            // A control character.
            _ => return None,
        }
    }
}

/// The char a JSON escape at byte `i` (its backslash) stands for, and the escape's length;
/// `None` for an invalid one or a lone surrogate.
fn json_escape(b: &[u8], i: usize) -> Option<(char, usize)> {
    let hex = |at: usize| -> Option<u32> {
        let digits = b.get(at..at + 4)?;
        digits.iter().try_fold(0u32, |n, &d| Some(n * 16 + char::from(d).to_digit(16)?))
    };
    Some(match *b.get(i + 1)? {
        b'"' => ('"', 2),
        b'\\' => ('\\', 2),
        b'/' => ('/', 2),
        b'b' => ('\u{8}', 2),
        b'f' => ('\u{c}', 2),
        b'n' => ('\n', 2),
        b'r' => ('\r', 2),
        b't' => ('\t', 2),
        b'u' => {
            let unit = hex(i + 2)?;
            match unit {
                0xD800..0xDC00 => {
                    if b.get(i + 6..i + 8) != Some(b"\\u") {
                        return None;
                    }
                    let low = hex(i + 8)?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return None;
                    }
                    (char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))?, 12)
                }
                _ => (char::from_u32(unit)?, 6),
            }
        }
        _ => return None,
    })
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
/// invalid) is an error. Text that is UTF-8 already is borrowed, not copied.
pub fn decode<'a>(
    source: &str,
    line: Option<usize>,
    bytes: &'a [u8],
) -> Result<(std::borrow::Cow<'a, str>, Option<String>)> {
    if line.is_none()
        && let Some((text, note)) = utf16(bytes)
    {
        return Ok((text.into(), note));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((s.into(), None)),
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
            Ok((text.into(), Some(note)))
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
    fn flat_records_are_read_as_serde_json_reads_them() {
        let lines = [
            r#"{"id":"a","date":"2021-01-02","text":"Line one.\nLine \"two\" \u00e9\ud83d\ude00 \/ \\ \t"}"#,
            " { \"text\" : \"T\" , \"title\" : null , \"text\" : \"last wins\" } \n",
            r#"{}"#,
            r#"{"k\u0041y":"v","url":"https://example.org/a?b=c"}"#,
        ];
        for line in lines {
            let fast = flat_record(line).expect("a flat record");
            assert_eq!(Value::Object(fast), serde_json::from_str::<Value>(line).unwrap(), "{line}");
        }
        // Anything else is left to serde_json, valid or not.
        for line in [
            r#"{"id":7,"text":"T"}"#,
            r#"{"text":"T","tags":["a"]}"#,
            r#"{"text":"T"} x"#,
            r#"{"text":"a\qb"}"#,
            r#"{"text":"\ud800"}"#,
            r#"{"text":"\udc00x"}"#,
            "{\"text\":\"tab\tinside\"}",
            r#"{"text":"T",}"#,
            r#"{"text":"T""#,
            r#"["text"]"#,
            r#"{"text":nul}"#,
        ] {
            assert_eq!(flat_record(line), None, "{line}");
        }
    }

    use proptest::strategy::Strategy as _;

    /// Text inside a JSON string: characters, escapes, and now and then something invalid there.
    fn string_content() -> impl proptest::strategy::Strategy<Value = String> {
        proptest::collection::vec(
            proptest::prop_oneof![
                4 => proptest::string::string_regex("[ -!#-\\[\\]-~é😀]{0,8}").unwrap().boxed(),
                2 => proptest::sample::select(vec!["\\\"", "\\\\", "\\n", "\\/", "\\u00e9", "\\ud83d\\ude00", "\\u0041"])
                    .prop_map(String::from)
                    .boxed(),
                1 => proptest::sample::select(vec!["\\ud83d", "\\udc00", "\\x", "\\u12", "\t", "\"", "\\"])
                    .prop_map(String::from)
                    .boxed(),
            ],
            0..6,
        )
        .prop_map(|p| p.concat())
    }

    proptest::proptest! {
        /// On records with any strings, and on any text, a record read the fast way is what
        /// serde_json reads.
        #[test]
        fn flat_record_agrees_with_serde_json(
            fields in proptest::collection::vec(
                (string_content(), proptest::option::of(string_content()), proptest::sample::select(vec!["", " ", "\n "])),
                0..4,
            ),
            noise in proptest::string::string_regex("[ -~]{0,30}").unwrap(),
        ) {
            let record = fields
                .iter()
                .map(|(k, v, sp)| match v {
                    Some(v) => format!("{sp}\"{k}\"{sp}:{sp}\"{v}\"{sp}"),
                    None => format!("\"{k}\":null"),
                })
                .collect::<Vec<_>>()
                .join(",");
            for line in [format!("{{{record}}}"), noise] {
                let fast = flat_record(&line).map(Value::Object);
                let slow = serde_json::from_str::<Value>(&line).ok().filter(|v| v.is_object());
                // Every object of strings and nulls is read the fast way, and as serde_json reads it.
                let flat = |v: &Value| v.as_object().is_some_and(|o| o.values().all(|v| v.is_string() || v.is_null()));
                if fast.is_some() || slow.as_ref().is_some_and(flat) {
                    proptest::prop_assert_eq!(&fast, &slow, "{}", line);
                }
            }
        }
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
