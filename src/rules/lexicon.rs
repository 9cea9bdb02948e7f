//! The lexicon every token is looked up in: words to what the rules know of them, in an
//! open-addressing table keyed by the word's bytes as numbers (a lookup compares three numbers,
//! where a general hash map hashes the bytes and compares them with `memcmp`).

use rustc_hash::FxHashMap;

use super::WordInfo;

/// Words of up to this many bytes are in the table; longer ones in a map.
const SHORT: usize = 24;

/// Words (lowercase) and their [`WordInfo`].
#[derive(Clone, Debug, Default)]
pub struct Lexicon {
    /// A power of two long, at most half full (empty: no word at all).
    slots: Vec<Slot>,
    /// `64 - log2(slots.len())`: a hash's top bits are its slot.
    shift: u32,
    /// Words longer than [`SHORT`] bytes, and the empty word.
    long: FxHashMap<Box<str>, WordInfo>,
}

#[derive(Clone, Copy, Debug)]
struct Slot {
    /// The word's bytes as three little-endian numbers, zeros after its end.
    key: [u64; 3],
    /// Its length in bytes (0: an empty slot).
    len: u32,
    info: WordInfo,
}

const EMPTY: Slot = Slot { key: [0; 3], len: 0, info: WordInfo::NONE };

/// A short word's bytes as three numbers.
#[inline]
fn key(word: &[u8]) -> [u64; 3] {
    let len = word.len().min(SHORT);
    let (a, b) = (len.min(8), len.min(16));
    [partial(&word[..a]), partial(&word[a..b]), partial(&word[b..len])]
}

/// Up to eight bytes as a little-endian number, zeros after them: loads of fixed sizes that
/// overlap (their shared bytes are the same), where a copy of a variable length calls `memcpy`.
#[inline]
fn partial(bytes: &[u8]) -> u64 {
    let n = bytes.len();
    let at = |i: usize, w: usize| -> u64 {
        let mut buf = [0u8; 8];
        buf[..w].copy_from_slice(&bytes[i..i + w]);
        u64::from_le_bytes(buf) << (8 * i)
    };
    match n {
        0 => 0,
        1..=3 => at(0, 1) | at(n / 2, 1) | at(n - 1, 1),
        4..=7 => at(0, 4) | at(n - 4, 4),
        _ => at(0, 8),
    }
}

fn hash(key: &[u64; 3], len: usize) -> u64 {
    (key[0] ^ key[1].rotate_left(21) ^ key[2].rotate_left(42) ^ len as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

impl Lexicon {
    pub fn new(words: FxHashMap<smol_str::SmolStr, WordInfo>) -> Lexicon {
        let short = words.keys().filter(|w| (1..=SHORT).contains(&w.len())).count();
        let size = (2 * short).next_power_of_two().max(2);
        let mut lexicon =
            Lexicon { slots: vec![EMPTY; size], shift: 64 - size.trailing_zeros(), long: FxHashMap::default() };
        for (w, info) in words {
            if (1..=SHORT).contains(&w.len()) {
                let key = key(w.as_bytes());
                let mut at = lexicon.slot_of(&key, w.len());
                while lexicon.slots[at].len != 0 {
                    at = (at + 1) & (size - 1);
                }
                lexicon.slots[at] = Slot { key, len: w.len() as u32, info };
            } else {
                lexicon.long.insert(w.as_str().into(), info);
            }
        }
        lexicon
    }

    fn slot_of(&self, key: &[u64; 3], len: usize) -> usize {
        (hash(key, len) >> self.shift) as usize
    }

    /// What the lexicon knows of `word`, if it has it.
    pub fn get(&self, word: &str) -> Option<WordInfo> {
        let len = word.len();
        if !(1..=SHORT).contains(&len) || self.slots.is_empty() {
            return self.long.get(word).copied();
        }
        let key = key(word.as_bytes());
        let mask = self.slots.len() - 1;
        let mut at = self.slot_of(&key, len);
        loop {
            let slot = &self.slots[at];
            if slot.len == 0 {
                return None;
            }
            if slot.len as usize == len && slot.key == key {
                return Some(slot.info);
            }
            at = (at + 1) & mask;
        }
    }

    /// How many words it has.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.slots.iter().filter(|s| s.len != 0).count() + self.long.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(n: u32) -> WordInfo {
        WordInfo { classes: n, pattern: n + 1, names: n + 2 }
    }

    #[test]
    fn finds_every_word_and_only_them() {
        let words: Vec<String> = (0..3000)
            .map(|i| match i % 5 {
                0 => format!("w{i}"),
                1 => "x".repeat(i % 40),
                2 => format!("{i}-é-{}", "y".repeat(i % 23)),
                3 => format!("{:0>24}", i),
                _ => format!("long word number {i} of the lexicon"),
            })
            .collect();
        let map: FxHashMap<smol_str::SmolStr, WordInfo> =
            words.iter().enumerate().map(|(i, w)| (w.as_str().into(), info(i as u32))).collect();
        let lexicon = Lexicon::new(map.clone());
        assert_eq!(lexicon.len(), map.len());
        for (w, i) in &map {
            assert_eq!(lexicon.get(w), Some(*i), "{w}");
        }
        for absent in ["", "w1", "x".repeat(41).as_str(), "w0 ", "W0", "00000000000000000000000", "long word number 4"]
        {
            assert_eq!(lexicon.get(absent), map.get(absent).copied(), "{absent:?}");
        }
        assert_eq!(Lexicon::new(FxHashMap::default()).get("a"), None);
    }

    #[test]
    fn keys_are_the_bytes_padded_with_zeros() {
        for len in 0..=SHORT {
            let word: Vec<u8> = (0..len as u8).map(|i| b'a' + i).collect();
            let mut padded = [0u8; SHORT];
            padded[..len].copy_from_slice(&word);
            let number = |i: usize| u64::from_le_bytes(padded[i * 8..i * 8 + 8].try_into().unwrap());
            assert_eq!(key(&word), [number(0), number(1), number(2)], "{len}");
        }
    }
}
