//! Syntax colouring for the editors: JSON text (possibly broken, mid-edit) to escaped HTML spans,
//! with JSONata `{% … %}` strings set apart and the engine's diagnostics underlined; and YAML (a
//! SAM or CloudFormation template: keys, strings, numbers, comments, tags such as `!Sub`), line
//! by line. Both are one pass over the text.
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
    Comment,
    Tag,
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
            Kind::Comment => "t-comment",
            Kind::Tag => "t-tag",
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

/// YAML's runs, line by line: a block scalar's lines (after `|` or `>`) are string text; on
/// other lines a comment, a `- ` item, a key before its `: `, tags (`!Sub`, `!GetAtt`), anchors
/// and aliases, quoted and plain scalars (numbers, booleans, null), and flow punctuation.
fn yaml_tokens(text: &str) -> Vec<(Kind, usize, usize)> {
    let mut out = Vec::new();
    // The indent of the line that opened a block scalar: deeper lines (and blank ones) are its text.
    let mut block: Option<usize> = None;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let indent = body.len() - body.trim_start_matches(' ').len();
        let blank = body.trim().is_empty();
        if let Some(b) = block {
            if blank || indent > b {
                out.push((Kind::Str, at, at + line.len()));
                at += line.len();
                continue;
            }
            block = None;
        }
        if yaml_line(body, at, &mut out) {
            block = Some(indent);
        }
        if line.len() > body.len() {
            out.push((Kind::Space, at + body.len(), at + line.len()));
        }
        at += line.len();
    }
    out
}

/// The runs of one line (`base`: its offset in the text); true when it opens a block scalar.
fn yaml_line(line: &str, base: usize, out: &mut Vec<(Kind, usize, usize)>) -> bool {
    let b = line.as_bytes();
    let mut i = 0;
    // Flow depth (`[`, `{`): there a `,` ends a plain scalar.
    let mut flow = 0usize;
    let mut opens_block = false;
    let space = |c: u8| c == b' ' || c == b'\t';
    let ends_key = |j: usize| b.get(j) == Some(&b':') && b.get(j + 1).is_none_or(|&c| space(c));
    while i < b.len() {
        let start = i;
        let c = b[i];
        let prev_space = i == 0 || space(b[i - 1]);
        let kind = if space(c) {
            while i < b.len() && space(b[i]) {
                i += 1;
            }
            Kind::Space
        } else if c == b'#' && prev_space {
            i = b.len();
            Kind::Comment
        } else if c == b'"' || c == b'\'' {
            i += 1;
            while i < b.len() {
                if c == b'"' && b[i] == b'\\' {
                    i += 2;
                    continue;
                }
                if b[i] == c {
                    // ('' inside single quotes is one quote.)
                    if c == b'\'' && b.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                i += 1;
            }
            i = i.min(b.len());
            if ends_key(i) { Kind::Key } else { Kind::Str }
        } else if matches!(c, b'!' | b'&' | b'*') && prev_space {
            while i < b.len() && !space(b[i]) && !matches!(b[i], b',' | b'[' | b']' | b'{' | b'}') {
                i += 1;
            }
            Kind::Tag
        } else if matches!(c, b'[' | b'{') {
            flow += 1;
            i += 1;
            Kind::Punct
        } else if matches!(c, b']' | b'}') {
            flow = flow.saturating_sub(1);
            i += 1;
            Kind::Punct
        } else if (c == b',' && flow > 0)
            || ((c == b'-' || c == b':' || c == b'?') && b.get(i + 1).is_none_or(|&n| space(n)))
        {
            i += 1;
            Kind::Punct
        } else if (c == b'|' || c == b'>') && flow == 0 && {
            let rest = line[i + 1..]
                .trim_start_matches(['-', '+', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
            rest.trim().is_empty() || rest.trim_start().starts_with('#')
        } {
            i += 1;
            while i < b.len() && matches!(b[i], b'-' | b'+' | b'0'..=b'9') {
                i += 1;
            }
            opens_block = true;
            Kind::Punct
        } else {
            // A plain scalar: to a `: `, a ` #`, the line's end, or (in flow) a `,` or bracket.
            let stops = |i: usize| {
                ends_key(i)
                    || (b[i] == b'#' && space(b[i - 1]))
                    || (flow > 0 && matches!(b[i], b',' | b']' | b'}'))
            };
            while i < b.len() && !stops(i) {
                i += 1;
            }
            // Trailing blanks are not the scalar's.
            while i > start + 1 && space(b[i - 1]) {
                i -= 1;
            }
            if ends_key(i) {
                Kind::Key
            } else {
                match line[start..i].trim() {
                    "true" | "false" | "True" | "False" | "yes" | "no" => Kind::Bool,
                    "null" | "~" | "Null" => Kind::Null,
                    w if w.parse::<f64>().is_ok() || w.starts_with("0x") => Kind::Num,
                    "---" | "..." => Kind::Punct,
                    _ => Kind::Str,
                }
            }
        };
        if i == start {
            i += line[i..].chars().next().map_or(1, char::len_utf8);
        }
        out.push((kind, base + start, base + i));
    }
    opens_block
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
    render(text, &tokens(text), marks)
}

/// [`to_html`] for YAML.
pub fn yaml_to_html(text: &str, marks: &[Mark]) -> String {
    render(text, &yaml_tokens(text), marks)
}

/// Whether a template's text is YAML rather than JSON (JSON starts with `{`; YAML with a key,
/// a comment or `---`).
pub fn looks_like_yaml(text: &str) -> bool {
    !matches!(
        text.trim_start().as_bytes().first(),
        Some(b'{' | b'[') | None
    )
}

fn render(text: &str, toks: &[(Kind, usize, usize)], marks: &[Mark]) -> String {
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
    for &(kind, start, end) in toks {
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
    fn colours_a_template_as_yaml() {
        let text = "# the bus\nResources:\n  Rule:\n    Type: AWS::Events::Rule # a rule\n    Properties:\n      Name: !Sub '${Env}-orders'\n      Arn: !GetAtt [Queue, Arn]\n      Count: 3\n      On: true\n      Def: |\n        {\"StartAt\": \"A\"}\n        # not a comment\n      After: \"x: y\"\n";
        let h = yaml_to_html(text, &[]);
        for (needle, class) in [
            ("# the bus", "t-comment"),
            ("Resources", "t-key"),
            ("Type", "t-key"),
            ("AWS::Events::Rule", "t-str"),
            ("# a rule", "t-comment"),
            ("!Sub", "t-tag"),
            ("&#39;${Env}-orders&#39;", "t-str"),
            ("!GetAtt", "t-tag"),
            ("Queue", "t-str"),
            ("3", "t-num"),
            ("true", "t-bool"),
            ("After", "t-key"),
            ("&quot;x: y&quot;", "t-str"),
        ] {
            let want = format!(
                "<span class=\"{class}\">{}</span>",
                needle.replace("&#39;", "'")
            );
            assert!(h.contains(&want), "{needle} as {class} in {h}");
        }
        // A block scalar's lines are its text, even one that looks like a comment.
        assert!(
            h.contains("<span class=\"t-str\">        # not a comment\n</span>"),
            "{h}"
        );
        assert!(looks_like_yaml("Resources: {}") && !looks_like_yaml("  {\"a\": 1}"));
    }

    #[test]
    fn yaml_colouring_covers_every_byte_and_survives_broken_text() {
        for text in [
            "",
            ":",
            "- ",
            "a: 'b",
            "a: \"b\\",
            "  - [a, {b: c",
            "k: |\n",
            "é: ü # ä",
            "!",
            "a:b: c",
        ] {
            let toks = yaml_tokens(text);
            let mut at = 0;
            for (_, s, e) in &toks {
                assert_eq!(*s, at, "{text:?}: {toks:?}");
                assert!(e > s && text.is_char_boundary(*e), "{text:?}: {toks:?}");
                at = *e;
            }
            assert_eq!(at, text.len(), "{text:?}");
            let _ = yaml_to_html(
                text,
                &[Mark {
                    line: 1,
                    column: 2,
                    message: String::new(),
                    fix: None,
                }],
            );
        }
    }

    /// A 2 MB template colours in one pass (linear: no line is read twice).
    #[test]
    fn yaml_colouring_is_linear() {
        let big: String = (0..40_000)
            .map(|i| format!("  Key{i}: !Ref Value{i} # note\n"))
            .collect();
        assert!(big.len() > 1_000_000);
        let toks = yaml_tokens(&big);
        assert_eq!(toks.iter().filter(|t| t.0 == Kind::Tag).count(), 40_000);
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
