//! Collecting values whose number is not known in advance (or is only claimed), with a
//! peak memory of at most twice what is finally kept, plus one block.
//!
//! A `Vec` grown by doubling reallocates from `c` to `2c` elements with both alive at
//! once: `3c` for as few as `c + 1` kept. Here values go into blocks of a fixed byte size
//! instead, which are never reallocated; [`Blocks::into_vec`] then moves them into one
//! `Vec` of the exact length, freeing each block once copied. The peak is the blocks
//! (the values plus at most one part-filled block) and the final `Vec` (the values).

/// The bytes of one block: small against any data set worth a loader, large enough that
/// the list of blocks (24 bytes per block) is negligible.
const BLOCK_BYTES: usize = 1 << 16;

/// Values collected in fixed-size blocks.
pub(super) struct Blocks<V> {
    full: Vec<Vec<V>>,
    current: Vec<V>,
    len: usize,
}

impl<V> Blocks<V> {
    /// No values yet; nothing is allocated until the first push.
    pub(super) fn new() -> Self {
        Self { full: Vec::new(), current: Vec::new(), len: 0 }
    }

    /// Room for `total` values at once, for a count whose bytes are known to exist (a
    /// file's length, or bytes in memory, has been checked against it).
    pub(super) fn with_capacity(total: usize) -> Self {
        Self { full: Vec::new(), current: Vec::with_capacity(total), len: 0 }
    }

    /// Values per block (at least one, however large a value is).
    fn per_block() -> usize {
        (BLOCK_BYTES / size_of::<V>().max(1)).max(1)
    }

    /// Appends `value`.
    pub(super) fn push(&mut self, value: V) {
        if self.current.len() == self.current.capacity() {
            let full = std::mem::replace(&mut self.current, Vec::with_capacity(Self::per_block()));
            if !full.is_empty() {
                self.full.push(full);
            }
        }
        self.current.push(value);
        self.len += 1;
    }

    /// The values in order, in one `Vec` of exactly their number.
    pub(super) fn into_vec(self) -> Vec<V> {
        if self.full.is_empty() {
            // One block (or the room made by `with_capacity`): no copy needed.
            return self.current;
        }
        let mut all = Vec::with_capacity(self.len);
        for block in self.full {
            all.extend(block);
        }
        all.extend(self.current);
        all
    }
}
