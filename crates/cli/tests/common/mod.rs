//! What every CLI test needs: files in a private temporary folder, and the binary run from the
//! outside. Each test binary includes this with `mod common;` and uses what it needs.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Writes `text` to `name` in a temporary folder of this test binary (`tag` keeps the binaries
/// apart, the process id keeps runs apart) and returns its path.
pub fn file(tag: &str, name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("statebridge-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Tests run in parallel in one process: each writes under its own name (the test's), or
    // one could read another's half-written file of the same name.
    let test = std::thread::current()
        .name()
        .unwrap_or("main")
        .replace("::", "-");
    let path = dir.join(format!("{test}-{name}"));
    std::fs::write(&path, text).unwrap();
    path
}

/// Runs `statebridge ARGS`: (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_statebridge"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A path as a command-line argument.
pub fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}
