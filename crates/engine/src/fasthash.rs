//! FxHash (the hash rustc uses): a multiply and a rotate per word, for the engine's maps keyed by
//! short texts. Pattern matching hashes field paths and values for every event (SipHash cost
//! about a quarter of the matching time); the interpreter looks up state names, mocked states
//! and path texts on every transition and task call (SipHash was 5% of an execution). These maps
//! hold the user's own patterns and definitions, not data an attacker picks to collide, so
//! SipHash's resistance buys nothing for a local tool.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A word at a time: rotate, mix in, multiply by an odd constant.
#[derive(Debug, Default, Clone, Copy)]
pub struct FxHasher(u64);

const MULTIPLIER: u64 = 0xf135_7aea_2e62_a9c5;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(MULTIPLIER);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let mut b = [0u8; 8];
            b.copy_from_slice(w);
            self.add(u64::from_le_bytes(b));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(b) ^ ((rest.len() as u64) << 59));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        // The table uses the top bits for its control bytes and the low bits for the bucket:
        // spread the last multiply's high bits down.
        self.0.rotate_left(26)
    }
}

/// A `HashMap` with [`FxHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;
/// A `HashSet` with [`FxHasher`].
pub type FastSet<K> = HashSet<K, BuildHasherDefault<FxHasher>>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, BuildHasherDefault};

    #[test]
    fn names_that_differ_hash_apart_and_a_map_finds_them() {
        let b = BuildHasherDefault::<FxHasher>::default();
        let names = [
            "ChargeCard",
            "ChargeCards",
            "chargecard",
            "",
            "a",
            "ab",
            "Validate Order",
        ];
        let hashes: std::collections::HashSet<u64> = names.iter().map(|n| b.hash_one(n)).collect();
        assert_eq!(hashes.len(), names.len());
        let mut m = FastMap::default();
        for (i, n) in names.iter().enumerate() {
            m.insert(n.to_string(), i);
        }
        for (i, n) in names.iter().enumerate() {
            assert_eq!(m.get(*n), Some(&i));
        }
    }
}
