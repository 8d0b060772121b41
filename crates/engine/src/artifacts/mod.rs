//! What people bring from AWS: an execution's history as the CLI prints it ([`history`]), SAM
//! and CloudFormation templates read into a workspace and written back ([`template`], with the
//! YAML subset templates use in [`yaml`]), and many sample events against every rule
//! ([`matrix`]). Every error names a line:column and, where there is one, the JSON path.

pub mod history;
pub mod matrix;
pub mod template;
pub mod yaml;

use crate::source::{self, JsonSyntaxError};
use std::fmt;

/// A problem in a pasted artifact: where (1-based line and column, JSON path when known) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArtifactError {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// The dotted path of the value (`events[3].timestamp`), empty when the text itself is wrong.
    pub path: String,
    /// What is wrong, in plain words.
    pub message: String,
}

impl ArtifactError {
    pub(crate) fn new(line: u32, column: u32, path: &str, message: impl Into<String>) -> Self {
        ArtifactError {
            line,
            column,
            path: path.to_owned(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ArtifactError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)?;
        if !self.path.is_empty() {
            write!(f, " ({})", self.path)?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ArtifactError {}

/// One JSON document of a text holding several one after another (pages pasted in a row).
pub(crate) struct Doc<'a> {
    /// The document's text.
    pub text: &'a str,
    /// Line (0-based count of newlines before it) and the column of its first character.
    pub line0: u32,
    pub col0: u32,
}

impl Doc<'_> {
    /// A syntax error inside this document, placed in the whole text.
    pub fn syntax(&self, e: &JsonSyntaxError) -> ArtifactError {
        let column = if e.line == 1 {
            e.column + self.col0 - 1
        } else {
            e.column
        };
        ArtifactError::new(e.line + self.line0, column, "", e.message.clone())
    }
}

/// Splits a text into its top-level JSON documents, linearly (strings and escapes respected).
/// Whatever is not a document's start between documents is left to the JSON parser's message.
pub(crate) fn documents(text: &str) -> Result<Vec<Doc<'_>>, ArtifactError> {
    let bytes = text.as_bytes();
    let mut docs = vec![];
    let (mut line, mut line_start) = (0u32, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\n' {
            line += 1;
            line_start = i + 1;
            i += 1;
            continue;
        }
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let (start_line, col0) = (line, text[line_start..start].chars().count() as u32 + 1);
        let (mut depth, mut in_str, mut escaped) = (0usize, false, false);
        while i < bytes.len() {
            let c = bytes[i];
            if c == b'\n' {
                line += 1;
                line_start = i + 1;
            }
            i += 1;
            if in_str {
                if escaped {
                    escaped = false;
                } else if c == b'\\' {
                    escaped = true;
                } else if c == b'"' {
                    in_str = false;
                }
                continue;
            }
            match c {
                b'"' => in_str = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break;
                    }
                }
                _ if depth == 0 => {
                    // A scalar at the top: run to the next whitespace.
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    break;
                }
                _ => {}
            }
        }
        docs.push(Doc {
            text: &text[start..i],
            line0: start_line,
            col0,
        });
    }
    Ok(docs)
}

/// Places a problem found at `pointer` of document `doc`: parses that document again with a
/// source map (only on error, so the fast path builds none).
pub(crate) fn locate(
    _text: &str,
    docs: &[Doc<'_>],
    doc: usize,
    pointer: &str,
    message: String,
) -> ArtifactError {
    let path = source::pointer_to_path(pointer);
    let path = if path == "$" { String::new() } else { path };
    let Some(d) = docs.get(doc) else {
        return ArtifactError::new(1, 1, &path, message);
    };
    let span = source::parse(d.text).ok().and_then(|(_, map)| {
        let mut p = pointer.to_owned();
        loop {
            if let Some(s) = map.value_span(&p) {
                return Some(s);
            }
            let cut = p.rfind('/')?;
            p.truncate(cut);
        }
    });
    match span {
        Some(s) => {
            let column = if s.line == 1 {
                s.column + d.col0 - 1
            } else {
                s.column
            };
            ArtifactError::new(s.line + d.line0, column, &path, message)
        }
        None => ArtifactError::new(d.line0 + 1, d.col0, &path, message),
    }
}
