//! Memory a pattern costs, counted by this test binary's own allocator: a pattern's memory grows
//! with its text, not with the square of it. The `pattern_match` fuzz target found a 37 KB
//! pattern whose field name holds 5,106 dots taking 300 MB (every dotted prefix of the name was
//! kept as a string of its own, in the pattern and again in a rule set).

use statebridge_engine::pattern::{Pattern, RuleSet};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static NOW: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed to the system allocator unchanged; only byte counts are kept.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = NOW.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        NOW.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Bytes allocated at the peak of `f`, above what was allocated before it.
fn peak_of(f: impl FnOnce()) -> usize {
    let before = NOW.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    f();
    PEAK.load(Ordering::Relaxed).saturating_sub(before)
}

#[test]
fn a_field_name_with_thousands_of_dots_costs_memory_in_proportion_to_its_length() {
    let input = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fuzz_regressions/pattern_match/dotted-name-square-memory"
    ))
    .unwrap_or_default();
    let text = String::from_utf8_lossy(&input);
    let (pattern_text, event_text) = text.split_once('\0').unwrap_or_default();
    assert!(
        pattern_text.matches('.').count() > 5_000,
        "the fuzzer's input"
    );
    let peak = peak_of(|| {
        let pattern: Pattern = pattern_text.parse().expect("the fuzzer's pattern parses");
        let mut set = RuleSet::new();
        set.add("r", pattern.clone());
        let _ = pattern.matches_text(event_text);
        let _ = set.matching_rules_text(event_text);
    });
    // The text is 37,773 bytes; it now peaks at about 2.6 MB (the parsed JSON with positions,
    // the pattern, its tree of names, a copy in the rule set and the matching). It was 300 MB.
    assert!(
        peak < 200 * pattern_text.len(),
        "peak {peak} bytes for a pattern of {} bytes",
        pattern_text.len()
    );
}
