//! Fuzz target `transform`: the check is `checks::transform` (../checks.rs), shared word for word with the
//! engine's regression test, which replays the inputs this target once crashed on.
#![no_main]

#[allow(dead_code)]
#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    checks::transform(data);
});
