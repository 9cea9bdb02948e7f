//! JSON string content: where the first byte is that a JSON string cannot hold as it is (both
//! reading corpus lines and writing graphs ask, for every string).

/// The index of the first byte at or after `from` that a JSON string cannot hold unescaped: a
/// control character, a quotation mark or a backslash.
pub fn first_special(b: &[u8], from: usize) -> Option<usize> {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    let from = {
        use std::arch::x86_64::{
            _mm_cmpeq_epi8, _mm_max_epu8, _mm_movemask_epi8, _mm_or_si128, _mm_set_epi64x, _mm_set1_epi8,
        };
        // Sixteen bytes at a time (SSE2, which every x86-64 has): a byte is special where it
        // equals one of the two, or where the larger of it and 0x1F is 0x1F.
        // SAFETY: these intrinsics need SSE2, which this code is compiled with (the `cfg` above;
        // every x86-64 has it); they read and write no memory.
        let special_mask = |x| unsafe {
            let special = _mm_or_si128(
                _mm_or_si128(
                    _mm_cmpeq_epi8(x, _mm_set1_epi8(b'"' as i8)),
                    _mm_cmpeq_epi8(x, _mm_set1_epi8(b'\\' as i8)),
                ),
                _mm_cmpeq_epi8(_mm_max_epu8(x, _mm_set1_epi8(0x1F)), _mm_set1_epi8(0x1F)),
            );
            _mm_movemask_epi8(special)
        };
        let mut i = from;
        while let Some(chunk) = b.get(i..i + 16) {
            let (Ok(lo), Ok(hi)) = (<[u8; 8]>::try_from(&chunk[..8]), <[u8; 8]>::try_from(&chunk[8..])) else { break };
            // SAFETY: as above.
            let x = unsafe { _mm_set_epi64x(i64::from_le_bytes(hi), i64::from_le_bytes(lo)) };
            let mask = special_mask(x);
            if mask != 0 {
                return Some(i + mask.trailing_zeros() as usize);
            }
            i += 16;
        }
        i
    };
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGHS: u64 = ONES * 0x80;
    let mut i = from;
    // Eight bytes at a time: a byte's high bit is set where it is below 0x20 or equal to one of
    // the two (the borrow of a match can set bits above it, never below: the lowest is a match).
    while let Some(chunk) = b.get(i..i + 8) {
        let Ok(bytes) = <[u8; 8]>::try_from(chunk) else { break };
        let x = u64::from_le_bytes(bytes);
        let quote = x ^ (ONES * u64::from(b'"'));
        let backslash = x ^ (ONES * u64::from(b'\\'));
        let found = ((x.wrapping_sub(ONES * 0x20) & !x)
            | (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash))
            & HIGHS;
        if found != 0 {
            return Some(i + found.trailing_zeros() as usize / 8);
        }
        i += 8;
    }
    b.get(i..)?.iter().position(|&c| c < 0x20 || c == b'"' || c == b'\\').map(|k| i + k)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The first special byte is the one a byte-by-byte look finds.
        #[test]
        fn finds_what_a_scan_finds(
            b in proptest::collection::vec(proptest::sample::select(vec![0u8, 0x1f, 0x20, b'"', b'\\', b'!', b'a', 0x7f, 0x80, 0xa2, 0xdc, 0xff]), 0..80),
            from in 0usize..85,
        ) {
            let scan = b.get(from..).and_then(|rest| rest.iter().position(|&c| c < 0x20 || c == b'"' || c == b'\\')).map(|k| from + k);
            proptest::prop_assert_eq!(first_special(&b, from), scan);
        }
    }
}
