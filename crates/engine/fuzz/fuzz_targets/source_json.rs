//! Fuzz target `source_json`: the check is `checks::source_json` (../checks.rs), shared word for word with the
//! engine's regression test, which replays the inputs this target once crashed on.
#![no_main]

#[allow(dead_code)]
#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    checks::source_json(data);
});
