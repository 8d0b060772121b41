//! The hash of the engine's maps keyed by short texts: foldhash's fast variant with a fixed seed.
//! Pattern matching hashes field paths and values for every event (SipHash cost about a quarter
//! of the matching time); the interpreter looks up state names, mocked states and path texts on
//! every transition and task call (SipHash was 5% of an execution). These maps hold the user's
//! own patterns and definitions, not data an attacker picks to collide, so SipHash's resistance
//! buys nothing for a local tool; a fixed seed keeps every run (and any iteration order) the same.

use std::collections::{HashMap, HashSet};

/// The hasher's builder: foldhash, seeded the same in every run.
pub type FastState = foldhash::fast::FixedState;
/// A `HashMap` with [`FastState`].
pub type FastMap<K, V> = HashMap<K, V, FastState>;
/// A `HashSet` with [`FastState`].
pub type FastSet<K> = HashSet<K, FastState>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn names_that_differ_hash_apart_and_a_map_finds_them() {
        let b = FastState::default();
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
