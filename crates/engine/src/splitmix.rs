//! SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", 2014):
//! the engine's one deterministic random generator. The intrinsics' `States.MathRandom` and
//! `States.UUID`, the interpreter's retry jitter and per-branch seeds, the synthetic machines of
//! the layout benchmarks and the system's event ids all draw from it, so a seed always gives the
//! same sequence, on every platform. Conformance cases and layout snapshots depend on the exact
//! bits: change nothing here without regenerating them.

/// A SplitMix64 generator: the state advances by a fixed odd constant, and each output is that
/// state through a mixing function.
#[derive(Debug, Clone)]
// The field is the whole state, crate-visible so `Rng64(seed)` constructs one where the
// interpreter names it that way.
pub struct SplitMix64(pub(crate) u64);

impl SplitMix64 {
    /// What the state advances by on every draw (the golden ratio's 64 fractional bits).
    pub const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The generator's whole state: `SplitMix64::new(rng.state())` continues the same sequence
    /// (used to hand the generator to a JSONata engine in another module and back).
    pub fn state(&self) -> u64 {
        self.0
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(Self::GAMMA);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A float uniformly distributed in `[0, 1)` (the top 53 bits of the next draw).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A number in `0..n` (0 when `n` is 0), by remainder.
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// A version-4-shaped UUID text from the next two draws (system event and execution ids,
    /// the made-up message ids of a `.waitForTaskToken` send).
    pub fn uuid(&mut self) -> String {
        let (a, b) = (self.next_u64(), self.next_u64());
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            0x8000 | ((b >> 48) & 0x3fff),
            b & 0xffff_ffff_ffff
        )
    }
}

#[cfg(test)]
mod tests {
    use super::SplitMix64;

    #[test]
    fn the_reference_sequence_for_seed_zero_and_for_a_seed() {
        // The published outputs of SplitMix64 from state 0 (as in the reference implementation
        // that seeds xoshiro).
        let mut r = SplitMix64::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(r.next_u64(), 0x06C4_5D18_8009_454F);
        assert_eq!(r.state(), SplitMix64::GAMMA.wrapping_mul(3));
        let mut a = SplitMix64::new(42);
        let mut b = SplitMix64::new(a.state());
        assert_eq!(a.next_u64(), b.next_u64());
        let f = SplitMix64::new(7).next_f64();
        assert!((0.0..1.0).contains(&f));
        assert_eq!(SplitMix64::new(7).below(0), 0);
        assert!(SplitMix64::new(7).below(5) < 5);
    }
}
