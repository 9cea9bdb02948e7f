//! The name index: every name, alias, demonym, seat and title of the gazetteers, found in a
//! text ASCII-case-insensitively at word starts by a hash lookup of the word there; callers
//! check case after.

use rustc_hash::FxHashMap;

use super::{Country, Org, Person, Place, Title};

/// What a gazetteer surface form refers to. Indexes point into the lists of [`super::Rules`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GazRef {
    /// A country's name or alias.
    Country(usize),
    /// A demonym ("Guatemalan"): mentions the country without naming it.
    Demonym(usize),
    /// A seat of government ("White House"): the country as actor, or a place.
    Seat(usize),
    Place(usize),
    Org(usize),
    Person(usize),
    /// A title of office; matched in any case.
    Title(usize),
}

/// One gazetteer hit in a text: byte span and what the surface form may refer to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit<'g> {
    pub start: usize,
    pub end: usize,
    pub refs: &'g [GazRef],
    /// The form as written in the gazetteer (for the case check).
    pub form: &'g str,
}

#[derive(Debug)]
pub struct Gazetteer {
    forms: Vec<String>,
    refs: Vec<Vec<GazRef>>,
    /// Form numbers by the form's first word, ASCII-lowercased (a form that starts with a
    /// symbol: by that symbol), then by the (up to) two bytes after it. A form can only match
    /// where the text's word is its first word.
    index: FxHashMap<Box<[u8]>, u32>,
    /// The buckets of each first word, by the number `index` gives it.
    lists: Vec<Vec<Bucket>>,
}

#[derive(Debug)]
struct Bucket {
    /// The bytes after the first word (lowercase), as [`after_code`] packs them.
    after: u32,
    forms: Vec<Candidate>,
}

/// A form of a bucket, with the (up to) four bytes after its key, so that most forms that do
/// not match are told by one comparison of numbers.
#[derive(Clone, Copy, Debug)]
struct Candidate {
    /// Those bytes, as [`next_code`] packs them.
    next: u32,
    /// Which bytes of a text's `next_code` the form has (all four, or as many as it has left).
    mask: u32,
    form: u32,
}

/// Up to four bytes, ASCII-lowercased, as one little-endian number (zeros after them).
fn next_code(bytes: &[u8]) -> u32 {
    let mut code = [0u8; 4];
    for (c, b) in code.iter_mut().zip(bytes) {
        *c = b.to_ascii_lowercase();
    }
    u32::from_le_bytes(code)
}

/// Up to [`KEY_EXTRA`] bytes and how many, in one number (compared without a call).
fn after_code(bytes: &[u8]) -> u32 {
    bytes.iter().fold(bytes.len() as u32, |code, &b| (code << 8) | u32::from(b))
}

/// No first word of a form (see [`Gazetteer::first_words`]).
pub const NO_LIST: u32 = u32::MAX;

/// Not known: a start [`Gazetteer::find_at_tokens`] looks up itself.
pub const LOOK_UP: u32 = u32::MAX - 1;

/// How many bytes after the first word are part of a form's key.
const KEY_EXTRA: usize = 2;

/// The first word of `s` (its leading run of letters and digits; the first character when it
/// is not one), as the gazetteer indexes it.
fn first_word(s: &str) -> &str {
    // Most words are ASCII: bytes, not characters, until one is not.
    let bytes = s.as_bytes();
    let mut ascii = 0;
    while ascii < bytes.len() && bytes[ascii].is_ascii_alphanumeric() {
        ascii += 1;
    }
    if ascii < bytes.len() && !bytes[ascii].is_ascii() {
        return first_word_chars(s);
    }
    if ascii > 0 {
        return &s[..ascii];
    }
    s.chars().next().map_or("", |c| &s[..c.len_utf8()])
}

fn first_word_chars(s: &str) -> &str {
    let end = s.char_indices().find(|&(_, c)| !is_word_char(c)).map_or(s.len(), |(i, _)| i);
    if end > 0 {
        return &s[..end];
    }
    s.chars().next().map_or("", |c| &s[..c.len_utf8()])
}

impl Gazetteer {
    pub fn build<'a>(
        countries: &'a [Country],
        places: &'a [Place],
        orgs: &'a [Org],
        people: &'a [Person],
        titles: &'a [Title],
    ) -> Result<Gazetteer, String> {
        let mut index: FxHashMap<&str, usize> = FxHashMap::default();
        let mut forms: Vec<String> = Vec::new();
        let mut refs: Vec<Vec<GazRef>> = Vec::new();
        let mut add = |form: &'a str, r: GazRef| {
            let form = form.trim();
            if form.is_empty() {
                return;
            }
            let i = *index.entry(form).or_insert_with(|| {
                forms.push(form.to_string());
                refs.push(Vec::new());
                forms.len() - 1
            });
            if !refs[i].contains(&r) {
                refs[i].push(r);
            }
        };
        for (i, c) in countries.iter().enumerate() {
            add(&c.name, GazRef::Country(i));
            c.aliases.iter().for_each(|a| add(a, GazRef::Country(i)));
            c.demonyms.iter().for_each(|a| add(a, GazRef::Demonym(i)));
            c.seats.iter().for_each(|a| add(a, GazRef::Seat(i)));
        }
        for (i, p) in places.iter().enumerate() {
            add(&p.name, GazRef::Place(i));
            p.aliases.iter().for_each(|a| add(a, GazRef::Place(i)));
        }
        for (i, o) in orgs.iter().enumerate() {
            add(&o.name, GazRef::Org(i));
            o.aliases.iter().for_each(|a| add(a, GazRef::Org(i)));
        }
        for (i, p) in people.iter().enumerate() {
            add(&p.name, GazRef::Person(i));
            p.aliases.iter().for_each(|a| add(a, GazRef::Person(i)));
        }
        for (i, t) in titles.iter().enumerate() {
            add(&t.phrase, GazRef::Title(i));
        }
        for r in &mut refs {
            r.sort();
        }
        let mut index: FxHashMap<Box<[u8]>, u32> =
            FxHashMap::with_capacity_and_hasher(forms.len(), rustc_hash::FxBuildHasher);
        let mut lists: Vec<Vec<Bucket>> = Vec::with_capacity(forms.len());
        for (i, f) in forms.iter().enumerate() {
            let n = u32::try_from(i).map_err(|_| "more than four billion names".to_string())?;
            let word = first_word(f).len();
            let key = f.as_bytes()[..f.len().min(word + KEY_EXTRA)].to_ascii_lowercase();
            let after = after_code(&key[word..]);
            let next = u32::try_from(lists.len()).map_err(|_| "more than four billion names".to_string())?;
            let at = *index.entry(key[..word].into()).or_insert(next);
            if at == next {
                lists.push(Vec::new());
            }
            let list = &mut lists[at as usize];
            let rest = &f.as_bytes()[key.len()..];
            let mask = if rest.len() >= 4 { u32::MAX } else { (1u32 << (8 * rest.len())) - 1 };
            let candidate = Candidate { next: next_code(rest), mask, form: n };
            match list.iter_mut().find(|b| b.after == after) {
                Some(b) => b.forms.push(candidate),
                None => list.push(Bucket { after, forms: vec![candidate] }),
            }
        }
        Ok(Gazetteer { forms, refs, index, lists })
    }

    /// Every occurrence of every form in `text`, overlapping ones included, that starts and ends
    /// at a word boundary. Case is not checked here (ASCII letters match in any case).
    pub fn find<'g>(&'g self, text: &str) -> Vec<Hit<'g>> {
        let starts = text.char_indices().map(|(i, _)| i).filter(|&i| boundary_before(text, i));
        self.find_at(text, starts)
    }

    /// [`Gazetteer::find`], for hits that start at `starts` only (ascending byte offsets in
    /// `text`, such as the starts of its tokens): a hash lookup per start, where a scan of the
    /// whole text with an automaton costs several times more.
    pub fn find_at<'g>(&'g self, text: &str, starts: impl Iterator<Item = usize>) -> Vec<Hit<'g>> {
        self.find_at_tokens(text, starts.map(|s| (s, s, LOOK_UP)))
    }

    /// The first words of the forms, lowercase, with their numbers: a caller that looks words up
    /// anyway (the tokenizer's word classes) learns a token's number with them, and gives it to
    /// [`Gazetteer::find_at_tokens`].
    pub fn first_words(&self) -> impl Iterator<Item = (&[u8], u32)> {
        self.index.iter().map(|(w, &n)| (&w[..], n))
    }

    /// [`Gazetteer::find_at`] for tokens: (start, end, what the caller knows of the token). A
    /// token that is a whole word of ASCII letters and digits (what comes after it is neither)
    /// comes with the number [`Gazetteer::first_words`] gives its lowercase text, or [`NO_LIST`]
    /// when it has none, and is not looked up again; any other start comes with [`LOOK_UP`] and
    /// is read as `find_at` reads it.
    pub fn find_at_tokens<'g>(&'g self, text: &str, tokens: impl Iterator<Item = (usize, usize, u32)>) -> Vec<Hit<'g>> {
        let mut hits = Vec::new();
        self.find_at_tokens_into(text, tokens, &mut hits);
        hits
    }

    /// [`Gazetteer::find_at_tokens`] into a list the caller keeps (cleared first), so that one
    /// list serves every sentence.
    pub fn find_at_tokens_into<'g>(
        &'g self,
        text: &str,
        tokens: impl Iterator<Item = (usize, usize, u32)>,
        hits: &mut Vec<Hit<'g>>,
    ) {
        hits.clear();
        let bytes = text.as_bytes();
        // The lowercase first word of a start that is not a whole ASCII word.
        let mut key: Vec<u8> = Vec::new();
        for (s, end, known) in tokens {
            // A whole ASCII word is its own first word: its number came with it, and most words
            // have none.
            if known == NO_LIST {
                continue;
            }
            let Some(rest) = text.get(s..) else { continue };
            if rest.is_empty() || !boundary_before(text, s) {
                continue;
            }
            let (word, list) = if known != LOOK_UP && end > s && end <= bytes.len() {
                (end - s, known)
            } else {
                let word = first_word(rest).len();
                key.clear();
                key.extend(rest.as_bytes()[..word].iter().map(u8::to_ascii_lowercase));
                let Some(&n) = self.index.get(&key[..]) else { continue };
                (word, n)
            };
            let Some(list) = self.lists.get(list as usize) else { continue };
            // The codes of no, one and two bytes after the word in the text.
            let after = &rest.as_bytes()[word..];
            let b = |k: usize| u32::from(after[k].to_ascii_lowercase());
            let codes = [
                0,
                if after.is_empty() { u32::MAX } else { (1 << 8) | b(0) },
                if after.len() < 2 { u32::MAX } else { (((2 << 8) | b(0)) << 8) | b(1) },
            ];
            for bucket in list {
                if !codes.contains(&bucket.after) {
                    continue;
                }
                // The first word and the bytes of the bucket's code are the form's already (in
                // any case): the rest is compared.
                let known = word
                    + match bucket.after {
                        0 => 0,
                        a if a < 1 << 16 => 1,
                        _ => 2,
                    };
                let next = next_code(bytes.get(s + known..).unwrap_or_default());
                for c in &bucket.forms {
                    if next & c.mask != c.next {
                        continue;
                    }
                    let i = c.form;
                    let form = &self.forms[i as usize];
                    let e = s + form.len();
                    if e <= bytes.len()
                        && form.len() >= known
                        && bytes[s + known..e].eq_ignore_ascii_case(&form.as_bytes()[known..])
                        && text.is_char_boundary(e)
                        && boundary_after(text, e)
                    {
                        hits.push(Hit { start: s, end: e, refs: &self.refs[i as usize], form });
                    }
                }
            }
        }
        hits.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
    }

    /// The references of an exact form, if it is in the gazetteer.
    pub fn lookup(&self, form: &str) -> Option<&[GazRef]> {
        self.forms.iter().position(|f| f == form).map(|i| self.refs[i].as_slice())
    }

    /// The forms, in the order of their numbers.
    pub fn forms(&self) -> &[String] {
        &self.forms
    }

    pub fn len(&self) -> usize {
        self.forms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn boundary_before(text: &str, at: usize) -> bool {
    match at.checked_sub(1).map(|i| text.as_bytes()[i]) {
        None => true,
        Some(b) if b.is_ascii() => !b.is_ascii_alphanumeric(),
        Some(_) => text[..at].chars().next_back().is_none_or(|c| !is_word_char(c)),
    }
}

fn boundary_after(text: &str, at: usize) -> bool {
    let prev = text[..at].chars().next_back();
    let next = text[at..].chars().next();
    match next {
        None => true,
        // "U.S." ends with a dot: anything may follow.
        Some(_) if prev == Some('.') => true,
        Some(c) => !is_word_char(c),
    }
}

#[cfg(test)]
mod tests {
    use aho_corasick::{AhoCorasickBuilder, MatchKind};
    use proptest::prelude::*;

    use super::*;

    /// What the index must find: every ASCII-case-insensitive occurrence of every form,
    /// overlapping ones included, starting and ending at word boundaries, as an Aho-Corasick
    /// automaton (which the index replaced for speed) finds them.
    fn reference(g: &Gazetteer, text: &str) -> Vec<(usize, usize, String)> {
        static AC: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
        let ac = AC.get_or_init(|| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(g.forms())
                .expect("automaton")
        });
        let mut v: Vec<(usize, usize, String)> = ac
            .find_overlapping_iter(text)
            .filter(|m| boundary_before(text, m.start()) && boundary_after(text, m.end()))
            .map(|m| (m.start(), m.end(), g.forms()[m.pattern().as_usize()].clone()))
            .collect();
        v.sort_by(|a, b| (a.0, std::cmp::Reverse(a.1), &a.2).cmp(&(b.0, std::cmp::Reverse(b.1), &b.2)));
        v
    }

    fn found(g: &Gazetteer, text: &str) -> Vec<(usize, usize, String)> {
        let mut v: Vec<(usize, usize, String)> =
            g.find(text).into_iter().map(|h| (h.start, h.end, h.form.to_string())).collect();
        v.sort_by(|a, b| (a.0, std::cmp::Reverse(a.1), &a.2).cmp(&(b.0, std::cmp::Reverse(b.1), &b.2)));
        v
    }

    fn rules() -> &'static crate::Rules {
        static RULES: std::sync::OnceLock<crate::Rules> = std::sync::OnceLock::new();
        RULES.get_or_init(crate::Rules::builtin)
    }

    #[test]
    fn finds_what_an_automaton_finds_in_the_fixture_articles() {
        let g = &rules().gazetteer;
        let mut texts = 0;
        let dirs = ["tests/fixtures/articles", "tests/fixtures/relations"];
        let paths = dirs.iter().flat_map(|d| {
            std::fs::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(d)).expect("fixtures")
        });
        for entry in paths {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "json") {
                let json: serde_json::Value =
                    serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture")).expect("json");
                let text = json["text"].as_str().expect("text").to_string();
                let want = reference(g, &text);
                assert!(!want.is_empty(), "{}: no names at all", path.display());
                assert_eq!(found(g, &text), want, "{}", path.display());
                texts += 1;
            }
        }
        assert!(texts > 20, "{texts} fixture articles");
    }

    /// Tokens that bring their first-word number from the word lookup find what a lookup at
    /// each token start finds.
    #[test]
    fn tokens_with_known_first_words_find_the_same() {
        let rules = rules();
        let g = &rules.gazetteer;
        let texts = [
            "U.S. Secretary of State Antony Blinken met the president of the United States in The Hague.",
            "Guinea-Bissau's al-Burhan said the U.S.-led talks doesn't involve Côte d'Ivoire or São Tomé.",
            "THE UNITED NATIONS SECURITY COUNCIL met; the European Union's foreign ministers did not.",
        ];
        for text in texts {
            let tokens = crate::sentence::split(text, &rules.abbrev);
            let starts: Vec<usize> = tokens.tokens.iter().map(|t| t.start).collect();
            let known = tokens
                .tokens
                .iter()
                .map(|t| (t.start, t.end, if t.ascii_word { rules.word_info(&t.lower).names } else { LOOK_UP }));
            let key = |h: &Hit<'_>| (h.start, h.end, h.form.to_string());
            let with: Vec<_> = g.find_at_tokens(text, known).iter().map(key).collect();
            let without: Vec<_> = g.find_at(text, starts.into_iter()).iter().map(key).collect();
            assert!(!with.is_empty());
            assert_eq!(with, without, "{text}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Names in any case, glued to punctuation, cut short, next to non-ASCII letters.
        #[test]
        fn finds_what_an_automaton_finds_in_any_text(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("United States".to_string()), Just("u.s.".to_string()), Just("U.S.-led".to_string()),
                    Just("the President".to_string()), Just("THE HAGUE".to_string()), Just("al-".to_string()),
                    Just("Ünited".to_string()), Just("Guinea-Bissau".to_string()), Just("é".to_string()),
                    "[ ,.'\"()-]{0,2}", "[A-Za-z]{1,8}",
                ],
                0..40,
            )
        ) {
            let g = &rules().gazetteer;
            let text = parts.join(" ");
            prop_assert_eq!(found(g, &text), reference(g, &text));
        }
    }
}
