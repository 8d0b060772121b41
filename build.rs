//! Bundles the example workspaces (`www/examples/*.json`) into the app, so picking one needs no
//! fetch and works offline. Generates `examples.rs` in OUT_DIR with one `include_str!` per file;
//! a missing folder gives an empty list (the gallery then says so).

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
    let target = Path::new(&env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("examples.rs");
    if let Err(e) = fs::write(&target, out) {
        println!("cargo:warning=could not write {}: {e}", target.display());
    }
}
