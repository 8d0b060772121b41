//! Syntax colouring for the editors: JSON text (possibly broken, mid-edit) to escaped HTML spans,
//! with JSONata `{% … %}` strings set apart and the engine's diagnostics underlined.
//!
//! Pure string work, so it is tested natively; the editor puts the result in a `<pre>` behind its
//! transparent-text textarea.

/// A place the engine complained about: 1-based line and column (in characters) and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// What is wrong, in plain words.
    pub message: String,
    /// The editor's quick fix for it, when there is an obvious one.
    pub fix: Option<statebridge_engine::assist::QuickFix>,
}

/// What a run of characters is, for colouring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Key,
    Str,
    JsonAta,
    Num,
    Bool,
    Null,
    Punct,
    Space,
    Other,
}

impl Kind {
    fn class(self) -> Option<&'static str> {
        Some(match self {
            Kind::Key => "t-key",
            Kind::Str => "t-str",
            Kind::JsonAta => "t-ata",
            Kind::Num => "t-num",
            Kind::Bool => "t-bool",
            Kind::Null => "t-null",
            Kind::Punct => "t-punct",
            Kind::Other => "t-other",
            Kind::Space => return None,
        })
    }
}

/// Splits `text` into coloured runs as `(kind, start, end)` byte ranges covering the whole text.
fn tokens(text: &str) -> Vec<(Kind, usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let kind = match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(bytes.len());
                let inner = text.get(start + 1..i.saturating_sub(1)).unwrap_or("");
                if is_key(bytes, i) {
                    Kind::Key
                } else if inner.trim_start().starts_with("{%") && inner.trim_end().ends_with("%}") {
                    Kind::JsonAta
                } else {
                    Kind::Str
                }
            }
            b'{' | b'}' | b'[' | b']' | b':' | b',' => {
                i += 1;
                Kind::Punct
            }
            b' ' | b'\t' | b'\r' | b'\n' => {
                while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\r' | b'\n') {
                    i += 1;
                }
                Kind::Space
            }
            b'-' | b'0'..=b'9' => {
                while i < bytes.len()
                    && matches!(bytes[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    i += 1;
                }
                Kind::Num
            }
            _ => {
                while i < bytes.len()
                    && !matches!(
                        bytes[i],
                        b'"' | b'{'
                            | b'}'
                            | b'['
                            | b']'
                            | b':'
                            | b','
                            | b' '
                            | b'\t'
                            | b'\r'
                            | b'\n'
                    )
                {
                    i += 1;
                }
                match &text[start..i] {
                    "true" | "false" => Kind::Bool,
                    "null" => Kind::Null,
                    _ => Kind::Other,
                }
            }
        };
        out.push((kind, start, i));
    }
    out
}

/// Whether the next non-blank byte from `from` is a colon (the string before it is a member name).
fn is_key(bytes: &[u8], from: usize) -> bool {
    bytes
        .get(from..)
        .unwrap_or(&[])
        .iter()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        == Some(&b':')
}

/// Byte offset of a 1-based line and character column, clamped to the text.
pub fn offset_of(text: &str, line: u32, column: u32) -> usize {
    let mut offset = 0;
    for (n, l) in text.split_inclusive('\n').enumerate() {
        if n + 1 == line as usize {
            let body = l.trim_end_matches('\n');
            return offset
                + body
                    .char_indices()
                    .nth(column.saturating_sub(1) as usize)
                    .map_or(body.len(), |(i, _)| i);
        }
        offset += l.len();
    }
    text.len()
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

/// The coloured HTML of `text`, with each mark underlined from its column to the end of the
/// token there (at least one character, so a mark at the end of the text still shows).
pub fn to_html(text: &str, marks: &[Mark]) -> String {
    let toks = tokens(text);
    // Underlined byte ranges, widened to the token that holds each mark's start.
    let mut under: Vec<(usize, usize)> = marks
        .iter()
        .map(|m| {
            let at = offset_of(text, m.line, m.column);
            let end = toks
                .iter()
                .find(|(k, s, e)| *s <= at && at < *e && *k != Kind::Space)
                .map_or(at, |t| t.2);
            (at, end.max(at))
        })
        .collect();
    under.sort_unstable();
    let mut out = String::with_capacity(text.len() * 2);
    for (kind, start, end) in toks {
        // Cut the token where an underline starts or ends, so underlines need no nesting.
        let mut cuts = vec![start, end];
        for &(a, b) in &under {
            for c in [a, b] {
                if c > start && c < end && text.is_char_boundary(c) {
                    cuts.push(c);
                }
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        for w in cuts.windows(2) {
            let (s, e) = (w[0], w[1]);
            let marked = under.iter().any(|&(a, b)| a <= s && s < b.max(a + 1));
            let piece = &text[s..e];
            let class = kind.class();
            if class.is_none() && !marked {
                escape_into(&mut out, piece);
                continue;
            }
            out.push_str("<span class=\"");
            out.push_str(class.unwrap_or(""));
            if marked {
                out.push_str(" t-diag");
            }
            out.push_str("\">");
            escape_into(&mut out, piece);
            out.push_str("</span>");
        }
    }
    // A mark past the last character (e.g. "unexpected end of input") still needs something to underline.
    if under.iter().any(|&(a, _)| a >= text.len()) {
        out.push_str("<span class=\"t-diag\"> </span>");
    }
    // A trailing newline in a <pre> collapses; keep the last empty line as tall as the textarea's.
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(text: &str) -> String {
        to_html(text, &[])
    }

    #[test]
    fn colours_json_by_kind() {
        let h = html(r#"{"a": "b", "n": -1.5e3, "t": true, "z": null}"#);
        for (needle, class) in [
            ("&quot;a&quot;", "t-key"),
            ("&quot;b&quot;", "t-str"),
            ("-1.5e3", "t-num"),
            ("true", "t-bool"),
            ("null", "t-null"),
        ] {
            assert!(
                h.contains(&format!("<span class=\"{class}\">{needle}</span>")),
                "{needle} in {h}"
            );
        }
    }

    #[test]
    fn sets_jsonata_apart() {
        let h = html(r#"{"Output": "{% $states.input.x %}"}"#);
        assert!(h.contains("t-ata"), "{h}");
    }

    #[test]
    fn escapes_markup() {
        assert!(html(r#"["<b>&"]"#).contains("&lt;b&gt;&amp;"));
    }

    #[test]
    fn survives_broken_text() {
        for text in [
            "",
            "\"",
            "{\"a\": \"\\",
            "{\"é",
            "]]]",
            "tru",
            "\"\u{1F600}",
        ] {
            let _ = to_html(
                text,
                &[Mark {
                    line: 1,
                    column: 3,
                    message: String::new(),
                    fix: None,
                }],
            );
        }
    }

    #[test]
    fn underlines_the_token_at_a_mark() {
        let text = "{\n  \"a\": tru\n}";
        let h = to_html(
            text,
            &[Mark {
                line: 2,
                column: 8,
                message: "x".into(),
                fix: None,
            }],
        );
        assert!(
            h.contains("<span class=\"t-other t-diag\">tru</span>"),
            "{h}"
        );
    }

    #[test]
    fn finds_offsets_by_line_and_column() {
        let text = "ab\ncdé\nf";
        assert_eq!(offset_of(text, 1, 1), 0);
        assert_eq!(offset_of(text, 2, 3), 5);
        assert_eq!(offset_of(text, 2, 9), 7);
        assert_eq!(offset_of(text, 9, 1), text.len());
    }
}
