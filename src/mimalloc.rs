//! The allocator of the binary and the benches: mimalloc, called the cheapest way it allows.

/// mimalloc, asked through its plain entry points whenever they give the alignment needed (at
/// most 8 bytes: every block is aligned to 8), which is nearly always; its aligned entry points
/// (what the `mimalloc` crate calls for every allocation) check more on each call.
pub struct Mimalloc;

/// The alignment every mimalloc block has.
const PLAIN_ALIGN: usize = 8;

// SAFETY: each method hands the layout's size to mimalloc, with its alignment unless that is at
// most PLAIN_ALIGN, which every mimalloc block has; blocks are freed by mimalloc, which frees
// blocks of either kind.
unsafe impl std::alloc::GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: plain FFI calls; the size is non-zero (GlobalAlloc's contract).
        unsafe {
            if layout.align() <= PLAIN_ALIGN {
                libmimalloc_sys::mi_malloc(layout.size()).cast()
            } else {
                libmimalloc_sys::mi_malloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: as in alloc.
        unsafe {
            if layout.align() <= PLAIN_ALIGN {
                libmimalloc_sys::mi_zalloc(layout.size()).cast()
            } else {
                libmimalloc_sys::mi_zalloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: std::alloc::Layout) {
        // SAFETY: `ptr` came from this allocator (GlobalAlloc's contract).
        unsafe { libmimalloc_sys::mi_free(ptr.cast()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from this allocator with `layout` (GlobalAlloc's contract).
        unsafe {
            if layout.align() <= PLAIN_ALIGN {
                libmimalloc_sys::mi_realloc(ptr.cast(), new_size).cast()
            } else {
                libmimalloc_sys::mi_realloc_aligned(ptr.cast(), new_size, layout.align()).cast()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn blocks_have_the_alignment_asked_for_and_keep_their_bytes_when_resized() {
        use super::Mimalloc;
        use std::alloc::{GlobalAlloc, Layout};
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in [1, 3, 8, 24, 40, 100, 1000, 5000, 100_000] {
                let layout = Layout::from_size_align(size, align).unwrap();
                // SAFETY: non-zero sizes; every block is freed with the layout it was made with.
                unsafe {
                    let p = Mimalloc.alloc(layout);
                    assert!(!p.is_null() && (p as usize).is_multiple_of(align), "size {size}, align {align}");
                    for i in 0..size {
                        *p.add(i) = i as u8;
                    }
                    let q = Mimalloc.realloc(p, layout, size * 3);
                    assert!(!q.is_null() && (q as usize).is_multiple_of(align), "realloc: size {size}, align {align}");
                    assert!((0..size).all(|i| *q.add(i) == i as u8));
                    Mimalloc.dealloc(q, Layout::from_size_align(size * 3, align).unwrap());
                    let z = Mimalloc.alloc_zeroed(layout);
                    assert!(!z.is_null() && (z as usize).is_multiple_of(align));
                    assert!((0..size).all(|i| *z.add(i) == 0));
                    Mimalloc.dealloc(z, layout);
                }
            }
        }
    }
}
