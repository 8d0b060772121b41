//! A fast hash for the interpreter's own maps keyed by names it reads (state names, mocked
//! states, path texts): looked up on every state transition and task call, where the standard
//! library's SipHash was 5% of an execution. These maps hold the user's own definition, not
//! data an attacker picks to collide, so a multiply-and-rotate hash (as rustc uses) is enough.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A word at a time: rotate, mix in, multiply by an odd constant.
#[derive(Debug, Default, Clone, Copy)]
pub struct FastHasher(u64);

const MULTIPLIER: u64 = 0xf135_7aea_2e62_a9c5;

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(MULTIPLIER);
    }
}

impl Hasher for FastHasher {
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

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        // The table uses the top bits for its control bytes and the low bits for the bucket:
        // spread the last multiply's high bits down.
        self.0.rotate_left(26)
    }
}

/// A `HashMap` with [`FastHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, BuildHasherDefault};

    #[test]
    fn names_that_differ_hash_apart_and_a_map_finds_them() {
        let b = BuildHasherDefault::<FastHasher>::default();
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
