//! Bundles the examples' index (`www/examples/index.json`: names, titles, descriptions) and the
//! first example it lists into the app, so the playground opens with a workspace and no fetch.
//! The other examples and the workshop's exercises are copied beside the page by Trunk
//! (`dist/examples/`, `dist/exercises/`) and fetched when picked (src/fetch.rs): they stay out
//! of the first download. Generates `examples.rs` in OUT_DIR with `INDEX` and `FIRST`.
//!
//! The bundled copies are minified (whitespace outside strings removed, nothing else touched).

use std::{env, fs, path::Path};

fn main() {
    let root = env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let dir = Path::new(&root).join("www/examples");
    println!("cargo:rerun-if-changed={}", dir.display());
    let out_dir = env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    let copies = Path::new(&out_dir).join("examples");
    let index = dir.join("index.json");
    println!("cargo:rerun-if-changed={}", index.display());
    let first = fs::read_to_string(&index)
        .ok()
        .and_then(|t| first_listed(&t))
        .map(|name| dir.join(format!("{name}.json")))
        .filter(|p| p.is_file());
    let bundled = |path: Option<&Path>| match path {
        Some(p) if p.is_file() => {
            println!("cargo:rerun-if-changed={}", p.display());
            format!(
                "Some(include_str!({:?}))",
                minified_copy(p, &copies).display().to_string()
            )
        }
        _ => "None".to_owned(),
    };
    let out = format!(
        "/// `www/examples/index.json`, when there is one.\npub static INDEX: Option<&str> = {};\n\
         /// The first example the index lists.\npub static FIRST: Option<&str> = {};\n",
        bundled(Some(&index)),
        bundled(first.as_deref()),
    );
    let target = Path::new(&out_dir).join("examples.rs");
    if let Err(e) = fs::write(&target, out) {
        println!("cargo:warning=could not write {}: {e}", target.display());
    }
}

/// The `name` of the first entry of `{"examples": [{"name": …}, …]}` (or of a bare list, whose
/// entries may also be file names).
fn first_listed(index: &str) -> Option<String> {
    // A build script without serde_json: the index's first "name" value (or first string).
    let list = index.find('[').map(|i| &index[i + 1..])?;
    let entry = list.trim_start();
    let text = if entry.starts_with('{') {
        let at = entry.find("\"name\"")?;
        let rest = entry[at + 6..].trim_start().strip_prefix(':')?.trim_start();
        rest.strip_prefix('"')?
    } else {
        entry.strip_prefix('"')?
    };
    let name = &text[..text.find('"')?];
    Some(name.trim_end_matches(".json").to_owned())
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
