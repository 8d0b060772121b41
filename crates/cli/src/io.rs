//! Reading the command's file arguments, with errors that name the file.

use std::io::Read;

/// Reads a file argument; `-` is standard input. The error names the file.
pub fn read_arg(path: &str) -> Result<String, String> {
    if path == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("standard input: cannot read: {e}"))?;
        Ok(text)
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("{path}: cannot read: {e}"))
    }
}

/// Reads and parses a JSON file argument; a syntax error names the file, line and column.
pub fn read_json(path: &str) -> Result<serde_json::Value, String> {
    let text = read_arg(path)?;
    serde_json::from_str(&text).map_err(|e| {
        format!(
            "{}:{}:{}: invalid JSON: {e}",
            shown(path),
            e.line(),
            e.column()
        )
    })
}

/// Reads and parses a JSON file argument that holds `what` (e.g. "the event"); the error names
/// the file and says where the JSON breaks.
pub fn read_json_as(path: &str, what: &str) -> Result<serde_json::Value, String> {
    let text = read_arg(path)?;
    statebridge_engine::source::parse_value(&text)
        .map_err(|e| format!("{}: {what} is not valid JSON: {e}", shown(path)))
}

/// The name to show for a file argument.
pub fn shown(path: &str) -> &str {
    if path == "-" { "standard input" } else { path }
}
