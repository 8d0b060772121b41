//! Bundles the example workspaces (`www/examples/*.json`) into the app, so picking one needs no
//! fetch and works offline. Generates `examples.rs` in OUT_DIR with one `include_str!` per file;
//! a missing folder gives an empty list (the gallery then says so).
//!
//! The app includes minified copies (OUT_DIR/examples, OUT_DIR/exercises: whitespace outside
//! strings removed, nothing else touched), which takes ~3 KB gzip off the wasm.

use std::{env, fs, path::Path};

fn main() {
    let root = env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let dir = Path::new(&root).join("www/examples");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let out_dir = env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    let files: Vec<_> = files
        .iter()
        .map(|p| minified_copy(p, &Path::new(&out_dir).join("examples")))
        .collect();
    let exercises = Path::new(&root).join("www/exercises");
    println!("cargo:rerun-if-changed={}", exercises.display());
    if let Ok(rd) = fs::read_dir(&exercises) {
        for p in rd.filter_map(Result::ok).map(|e| e.path()) {
            if p.extension().is_some_and(|x| x == "json") {
                println!("cargo:rerun-if-changed={}", p.display());
                minified_copy(&p, &Path::new(&out_dir).join("exercises"));
            }
        }
    }
    let mut out = String::from(
        "/// `(file stem, JSON text)` of every bundled example file.\npub static FILES: &[(&str, &str)] = &[\n",
    );
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("example");
        out.push_str(&format!(
            "    ({stem:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    out.push_str("];\n");
    let target = Path::new(&out_dir).join("examples.rs");
    if let Err(e) = fs::write(&target, out) {
        println!("cargo:warning=could not write {}: {e}", target.display());
    }
}

/// Writes `path`'s JSON without the whitespace between tokens into `dir` (same file name) and
/// gives the copy's path; on any I/O error, the original's path.
fn minified_copy(path: &Path, dir: &Path) -> std::path::PathBuf {
    let (Ok(text), Some(name)) = (fs::read_to_string(path), path.file_name()) else {
        return path.to_path_buf();
    };
    let target = dir.join(name);
    match fs::create_dir_all(dir).and_then(|()| fs::write(&target, minify(&text))) {
        Ok(()) => target,
        Err(_) => path.to_path_buf(),
    }
}

/// JSON text without whitespace outside strings (strings, numbers and order untouched).
fn minify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}
