//! Every input a cargo-fuzz target (crates/engine/fuzz, run by scripts/fuzz.sh) once crashed on,
//! replayed through the very check the target runs (crates/engine/fuzz/checks.rs): the inputs
//! are files under tests/fuzz_regressions/<target>/, named after what they found.

#[allow(dead_code)]
#[path = "../fuzz/checks.rs"]
mod checks;

use std::path::Path;

/// Runs `target`'s check on every kept input; returns how many there were.
fn replay(target: &str, check: checks::Check) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions")
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return 0;
    };
    let mut files: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    files.sort();
    for file in &files {
        let data = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let what = check(&data);
        println!("{target}/{}: {what}", file.display());
    }
    files.len()
}

#[test]
fn every_input_a_fuzzer_crashed_on_now_passes_its_check() {
    let mut total = 0;
    for (target, check) in checks::TARGETS {
        total += replay(target, check);
    }
    println!("{total} inputs replayed");
}
