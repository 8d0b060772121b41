//! Definition parsing and validation (text → diagnostics with line and column): never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        for d in statebridge_engine::asl::validate(text) {
            // Every diagnostic must render (Display walks every field).
            let _ = d.to_string();
        }
    }
});
