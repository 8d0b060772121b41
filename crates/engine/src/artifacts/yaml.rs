//! The YAML that CloudFormation and SAM templates are written in, read into JSON values.
//!
//! A subset written for templates rather than a general YAML library (a well-kept crate would add
//! its whole loader to the wasm for features templates never use): block mappings and sequences
//! (a sequence may sit at its key's indentation), flow collections over several lines, plain,
//! single- and double-quoted scalars, `|` and `>` blocks with `-`/`+` chomping, comments, `---`,
//! and the short-form function tags, read as their JSON form (`!Ref X` → `{"Ref": "X"}`,
//! `!GetAtt A.B` → `{"Fn::GetAtt": ["A", "B"]}`, `!Sub …` → `{"Fn::Sub": …}`). Anchors and
//! aliases are refused, as CloudFormation refuses them. Errors name the line and column.
//!
//! ```
//! use statebridge_engine::artifacts::yaml::parse;
//! let (v, _) = parse("Resources:\n  Bus:\n    Type: AWS::Events::EventBus  # a comment\n    Properties: {Name: !Sub '${AWS::StackName}-bus'}\n").unwrap();
//! assert_eq!(v["Resources"]["Bus"]["Properties"]["Name"], serde_json::json!({"Fn::Sub": "${AWS::StackName}-bus"}));
//! assert_eq!(parse("a: [1, 2\nb: 3").unwrap_err().to_string(), "line 2, column 2: expected `,` or `]`");
//! ```

use super::ArtifactError;
use serde_json::{Map, Number, Value};
use std::collections::HashMap;

/// Where each value sits: JSON pointer → (line, column), both 1-based.
pub type Positions = HashMap<String, (u32, u32)>;

/// Parses a YAML template into a JSON value and the position of every value.
pub fn parse(text: &str) -> Result<(Value, Positions), ArtifactError> {
    let lines: Vec<&str> = text.lines().collect();
    let mut p = Parser {
        lines,
        row: 0,
        col: 0,
        pos: Positions::new(),
    };
    p.skip_blank();
    // A leading `---` (and directives before it).
    while p.row < p.lines.len() {
        let l = p.lines[p.row].trim_end();
        if l.starts_with('%') || l == "---" {
            p.row += 1;
            p.skip_blank();
        } else {
            break;
        }
    }
    if p.row >= p.lines.len() {
        return Ok((Value::Null, p.pos));
    }
    p.col = indent_of(p.lines[p.row]);
    let mut ptr = String::new();
    let v = p.block(&mut ptr, 0)?;
    p.skip_blank();
    if p.row < p.lines.len() {
        let l = p.lines[p.row].trim_end();
        if l != "---" && l != "..." {
            return Err(p.err(
                indent_of(p.lines[p.row]),
                "this line is indented less than the block it follows, or more than its siblings",
            ));
        }
    }
    Ok((v, p.pos))
}

struct Parser<'a> {
    lines: Vec<&'a str>,
    row: usize,
    /// Byte column where the current node starts on `row`.
    col: usize,
    pos: Positions,
}

const TAGS: &[(&str, &str)] = &[
    ("Ref", "Ref"),
    ("Condition", "Condition"),
    ("GetAtt", "Fn::GetAtt"),
    ("Sub", "Fn::Sub"),
    ("Join", "Fn::Join"),
    ("If", "Fn::If"),
    ("Select", "Fn::Select"),
    ("Split", "Fn::Split"),
    ("Equals", "Fn::Equals"),
    ("Not", "Fn::Not"),
    ("And", "Fn::And"),
    ("Or", "Fn::Or"),
    ("FindInMap", "Fn::FindInMap"),
    ("Base64", "Fn::Base64"),
    ("Cidr", "Fn::Cidr"),
    ("ImportValue", "Fn::ImportValue"),
    ("GetAZs", "Fn::GetAZs"),
    ("Transform", "Fn::Transform"),
    ("ToJsonString", "Fn::ToJsonString"),
    ("Length", "Fn::Length"),
];

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The line without its comment (a `#` at the start or after a space, outside quotes).
fn strip_comment(line: &str) -> &str {
    let b = line.as_bytes();
    let (mut sq, mut dq) = (false, false);
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' if dq => i += 1,
            b'"' if !sq => dq = !dq,
            b'\'' if !dq => sq = !sq,
            b'#' if !sq && !dq && (i == 0 || b[i - 1] == b' ' || b[i - 1] == b'\t') => {
                return line[..i].trim_end();
            }
            _ => {}
        }
        i += 1;
    }
    line.trim_end()
}

impl<'a> Parser<'a> {
    fn err(&self, col: usize, message: impl Into<String>) -> ArtifactError {
        let line = self.lines.get(self.row).copied().unwrap_or("");
        let column = line
            .get(..col.min(line.len()))
            .map_or(col, |s| s.chars().count())
            + 1;
        ArtifactError::new(self.row as u32 + 1, column as u32, "", message)
    }

    fn mark(&mut self, ptr: &str, col: usize) {
        let line = self.lines.get(self.row).copied().unwrap_or("");
        let column = line
            .get(..col.min(line.len()))
            .map_or(col, |s| s.chars().count())
            + 1;
        self.pos
            .insert(ptr.to_owned(), (self.row as u32 + 1, column as u32));
    }

    fn skip_blank(&mut self) {
        while self.row < self.lines.len() && strip_comment(self.lines[self.row]).trim().is_empty() {
            self.row += 1;
        }
    }

    /// The rest of the current line from `col`, comment removed.
    fn rest(&self) -> &'a str {
        let line = self.lines[self.row];
        strip_comment(line.get(self.col..).unwrap_or(""))
    }

    /// A block node starting at (`row`, `col`); `parent` is the indentation it must exceed.
    fn block(&mut self, ptr: &mut String, depth: usize) -> Result<Value, ArtifactError> {
        if depth > 100 {
            return Err(self.err(self.col, "nested too deeply"));
        }
        let rest = self.rest();
        self.mark(ptr, self.col);
        if rest == "-" || rest.starts_with("- ") {
            self.sequence(ptr, depth)
        } else if key_end(rest).is_some() {
            self.mapping(ptr, depth)
        } else {
            let indent = indent_of(self.lines[self.row]);
            self.inline(ptr, depth, indent)
        }
    }

    fn sequence(&mut self, ptr: &mut String, depth: usize) -> Result<Value, ArtifactError> {
        let col = self.col;
        let mut items = vec![];
        loop {
            let base = ptr.len();
            ptr.push_str(&format!("/{}", items.len()));
            let rest = self.rest();
            let after = rest[1..].len() - rest[1..].trim_start().len() + 1;
            if rest.len() == 1 {
                self.row += 1;
                self.skip_blank();
                if self.row < self.lines.len() && indent_of(self.lines[self.row]) > col {
                    self.col = indent_of(self.lines[self.row]);
                    items.push(self.block(ptr, depth + 1)?);
                } else {
                    self.mark(ptr, col);
                    items.push(Value::Null);
                }
            } else {
                self.col = col + after;
                items.push(self.block(ptr, depth + 1)?);
            }
            ptr.truncate(base);
            self.skip_blank();
            if self.row >= self.lines.len() {
                break;
            }
            let line = self.lines[self.row];
            let ind = indent_of(line);
            let r = strip_comment(&line[ind..]);
            if ind == col && (r == "-" || r.starts_with("- ")) {
                self.col = col;
            } else if ind > col {
                return Err(self.err(
                    ind,
                    "this line is indented more than the list item before it",
                ));
            } else {
                break;
            }
        }
        Ok(Value::Array(items))
    }

    fn mapping(&mut self, ptr: &mut String, depth: usize) -> Result<Value, ArtifactError> {
        let col = self.col;
        let mut map = Map::new();
        loop {
            let rest = self.rest();
            let Some(end) = key_end(rest) else {
                return Err(self.err(self.col, "expected `key: value` here"));
            };
            let key = self.key(&rest[..end], self.col)?;
            if map.contains_key(&key) {
                return Err(self.err(self.col, format!("`{key}` is given twice in this mapping")));
            }
            let base = ptr.len();
            ptr.push('/');
            ptr.push_str(&key.replace('~', "~0").replace('/', "~1"));
            let after = &rest[end + 1..];
            let value_col = self.col + end + 1 + (after.len() - after.trim_start().len());
            let value = if after.trim().is_empty() {
                self.mark(ptr, self.col);
                self.nested(ptr, depth, col)?
            } else {
                self.col = value_col;
                self.mark(ptr, value_col);
                self.inline(ptr, depth, col)?
            };
            ptr.truncate(base);
            map.insert(key, value);
            self.skip_blank();
            if self.row >= self.lines.len() {
                break;
            }
            let ind = indent_of(self.lines[self.row]);
            if ind == col && self.lines[self.row].trim_end() != "---" {
                self.col = col;
            } else if ind > col {
                return Err(self.err(ind, "this line is indented more than the key before it: is a `:` missing, or a key mis-indented?"));
            } else {
                break;
            }
        }
        Ok(Value::Object(map))
    }

    /// The value on the lines after `key:` (nothing on the key's line).
    fn nested(
        &mut self,
        ptr: &mut String,
        depth: usize,
        col: usize,
    ) -> Result<Value, ArtifactError> {
        self.row += 1;
        self.skip_blank();
        if self.row >= self.lines.len() {
            return Ok(Value::Null);
        }
        let line = self.lines[self.row];
        let ind = indent_of(line);
        let r = strip_comment(&line[ind..]);
        if ind > col || (ind == col && (r == "-" || r.starts_with("- "))) {
            self.col = ind;
            self.block(ptr, depth + 1)
        } else {
            Ok(Value::Null)
        }
    }

    fn key(&self, raw: &str, col: usize) -> Result<String, ArtifactError> {
        let raw = raw.trim_end();
        if raw.starts_with('"') || raw.starts_with('\'') {
            let (v, used) = quoted(raw).map_err(|m| self.err(col, m))?;
            if used != raw.len() {
                return Err(self.err(col, "unexpected text after the quoted key"));
            }
            Ok(v)
        } else if raw.starts_with(['&', '*']) {
            Err(self.err(
                col,
                "anchors and aliases are not allowed in CloudFormation templates",
            ))
        } else {
            Ok(raw.to_owned())
        }
    }

    /// A value that starts on the current line at `self.col`: a tag, block scalar, flow
    /// collection, quoted or plain scalar (plain scalars may continue on deeper lines).
    fn inline(
        &mut self,
        ptr: &mut String,
        depth: usize,
        parent: usize,
    ) -> Result<Value, ArtifactError> {
        let rest = self.rest();
        if let Some(tagged) = rest.strip_prefix('!') {
            let name_len = tagged.find([' ', '\t']).unwrap_or(tagged.len());
            let name = &tagged[..name_len];
            let Some((_, long)) = TAGS.iter().find(|(short, _)| *short == name) else {
                return Err(self.err(self.col, format!("unknown tag `!{name}` (CloudFormation's short forms are !Ref, !Sub, !GetAtt, !Join, !If, …)")));
            };
            let after = &tagged[name_len..];
            let inner = if after.trim().is_empty() {
                self.nested(ptr, depth, parent)?
            } else {
                self.col += 1 + name_len + (after.len() - after.trim_start().len());
                self.inline(ptr, depth + 1, parent)?
            };
            let inner = match (*long, inner) {
                ("Fn::GetAtt", Value::String(s)) => match s.split_once('.') {
                    Some((a, b)) => Value::Array(vec![a.into(), b.into()]),
                    None => Value::String(s),
                },
                (_, v) => v,
            };
            let mut m = Map::new();
            m.insert((*long).to_owned(), inner);
            return Ok(Value::Object(m));
        }
        if rest.starts_with(['&', '*']) {
            return Err(self.err(
                self.col,
                "anchors and aliases are not allowed in CloudFormation templates",
            ));
        }
        if rest.starts_with(['|', '>']) {
            return self.block_scalar(parent);
        }
        if rest.starts_with(['[', '{']) {
            return self.flow_multiline();
        }
        if rest.starts_with(['"', '\'']) {
            let start = self.col;
            // A quoted scalar may run over lines: join them (folded with spaces).
            let mut text = rest.to_owned();
            let first_row = self.row;
            loop {
                match quoted(&text) {
                    Ok((v, used)) => {
                        if !text[used..].trim().is_empty() {
                            return Err(
                                self.err(start + used, "unexpected text after the closing quote")
                            );
                        }
                        self.row += 1;
                        return Ok(Value::String(v));
                    }
                    Err(_) if self.row + 1 < self.lines.len() => {
                        self.row += 1;
                        text.push(' ');
                        text.push_str(self.lines[self.row].trim());
                    }
                    Err(m) => {
                        self.row = first_row;
                        return Err(self.err(start, m));
                    }
                }
            }
        }
        // Plain scalar, continued by deeper lines that are not keys.
        let mut text = rest.trim().to_owned();
        self.row += 1;
        while self.row < self.lines.len() {
            let line = self.lines[self.row];
            let body = strip_comment(line).trim();
            if body.is_empty() {
                break;
            }
            if indent_of(line) <= parent || key_end(body).is_some() || body.starts_with("- ") {
                break;
            }
            text.push(' ');
            text.push_str(body);
            self.row += 1;
        }
        Ok(plain(&text))
    }

    fn block_scalar(&mut self, parent: usize) -> Result<Value, ArtifactError> {
        let header = self.rest();
        let fold = header.starts_with('>');
        let mut chomp = ' ';
        let mut explicit = None;
        for c in header[1..].chars() {
            match c {
                '-' | '+' => chomp = c,
                '1'..='9' => explicit = c.to_digit(10).map(|d| d as usize),
                ' ' | '\t' => {}
                _ => {
                    return Err(self.err(
                        self.col,
                        "a block scalar's header is `|` or `>`, then `-` or `+`, then nothing else",
                    ));
                }
            }
        }
        self.row += 1;
        let mut body: Vec<&str> = vec![];
        let mut indent = explicit.map(|d| parent + d);
        while self.row < self.lines.len() {
            let line = self.lines[self.row];
            if line.trim().is_empty() {
                body.push("");
                self.row += 1;
                continue;
            }
            let ind = indent_of(line);
            let want = *indent.get_or_insert(ind);
            if ind < want || ind <= parent {
                break;
            }
            body.push(&line[want..]);
            self.row += 1;
        }
        // Trailing blank lines belong to the chomping, not the next node.
        let trailing = body.iter().rev().take_while(|l| l.is_empty()).count();
        let kept = &body[..body.len() - trailing];
        let mut out = String::new();
        for (i, l) in kept.iter().enumerate() {
            if i > 0 {
                let prev = kept[i - 1];
                let folds = fold
                    && !l.is_empty()
                    && !prev.is_empty()
                    && !l.starts_with(' ')
                    && !prev.starts_with(' ');
                // In a folded block, the break before an empty line is dropped: the empty
                // lines stand for the breaks.
                let dropped = fold && l.is_empty() && !prev.is_empty() && !prev.starts_with(' ');
                if !dropped {
                    out.push(if folds { ' ' } else { '\n' });
                }
            }
            out.push_str(l);
        }
        match chomp {
            '-' => {}
            '+' => {
                out.push('\n');
                out.extend(std::iter::repeat_n('\n', trailing));
            }
            _ if !kept.is_empty() => out.push('\n'),
            _ => {}
        }
        Ok(Value::String(out))
    }

    /// A flow collection, possibly over several lines.
    fn flow_multiline(&mut self) -> Result<Value, ArtifactError> {
        let (start_row, start_col) = (self.row, self.col);
        let mut text = String::from(self.rest());
        let mut starts = vec![(0usize, start_row, start_col)];
        loop {
            let mut f = Flow {
                s: text.as_bytes(),
                i: 0,
            };
            match f.value(0) {
                Ok(v) => {
                    f.ws();
                    if f.i < text.len() {
                        let (row, col) = place(&starts, f.i);
                        self.row = row;
                        return Err(self.err(col, "unexpected text after the closing bracket"));
                    }
                    self.row += 1;
                    return Ok(v);
                }
                Err((at, msg, eof)) => {
                    if eof && self.row + 1 < self.lines.len() {
                        self.row += 1;
                        text.push(' ');
                        let l = self.lines[self.row];
                        let ind = indent_of(l);
                        starts.push((text.len(), self.row, ind));
                        text.push_str(strip_comment(&l[ind..]));
                        continue;
                    }
                    let (row, col) = if eof {
                        (start_row, start_col)
                    } else {
                        place(&starts, at)
                    };
                    self.row = row;
                    let open = text.as_bytes()[0] as char;
                    let msg = if eof {
                        format!("this `{open}` is never closed")
                    } else {
                        msg
                    };
                    return Err(self.err(col, msg));
                }
            }
        }
    }
}

/// Maps an offset in joined flow text back to (row, byte column).
fn place(starts: &[(usize, usize, usize)], at: usize) -> (usize, usize) {
    let &(off, row, col) = starts
        .iter()
        .rev()
        .find(|(off, _, _)| *off <= at)
        .unwrap_or(&starts[0]);
    (row, col + (at - off))
}

/// Where the key of `key: value` ends (the `:`'s offset), if the text is a mapping entry.
fn key_end(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    if b.first()
        .is_some_and(|c| matches!(c, b'[' | b'{' | b'!' | b'|' | b'>'))
    {
        return None;
    }
    if b.first().is_some_and(|c| matches!(c, b'"' | b'\'')) {
        let (_, used) = quoted(text).ok()?;
        let after = text[used..].trim_start();
        let gap = text.len() - used - after.len();
        return (after == ":" || after.starts_with(": ")).then_some(used + gap);
    }
    let mut i = 0;
    while i < b.len() {
        if b[i] == b':' && (i + 1 == b.len() || b[i + 1] == b' ' || b[i + 1] == b'\t') {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// A quoted scalar at the start of `text`: its value and the bytes used.
fn quoted(text: &str) -> Result<(String, usize), String> {
    let b = text.as_bytes();
    let q = b[0];
    let mut out = String::new();
    let mut i = 1;
    let mut chars = text[1..].char_indices().peekable();
    while let Some((k, c)) = chars.next() {
        i = k + 1;
        if q == b'\'' {
            if c == '\'' {
                if chars.peek().is_some_and(|(_, n)| *n == '\'') {
                    chars.next();
                    out.push('\'');
                    continue;
                }
                return Ok((out, i + 1));
            }
            out.push(c);
        } else if c == '"' {
            return Ok((out, i + 1));
        } else if c == '\\' {
            let Some((_, e)) = chars.next() else { break };
            match e {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                '0' => out.push('\0'),
                // The rest of YAML 1.2's escapes (JSON's `\b` and `\f` among them).
                'a' => out.push('\u{7}'),
                'b' => out.push('\u{8}'),
                'v' => out.push('\u{b}'),
                'f' => out.push('\u{c}'),
                'e' => out.push('\u{1b}'),
                'N' => out.push('\u{85}'),
                '_' => out.push('\u{a0}'),
                'L' => out.push('\u{2028}'),
                'P' => out.push('\u{2029}'),
                ' ' | '"' | '\\' | '/' | '\t' => out.push(e),
                'x' | 'u' | 'U' => {
                    let n = match e {
                        'x' => 2,
                        'u' => 4,
                        _ => 8,
                    };
                    let hex: String = (0..n)
                        .filter_map(|_| chars.next().map(|(_, h)| h))
                        .collect();
                    let c = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
                    out.push(c.ok_or_else(|| format!("`\\{e}{hex}` is not a character"))?);
                }
                other => {
                    return Err(format!(
                        "unknown escape `\\{other}` in a double-quoted string"
                    ));
                }
            }
        } else {
            out.push(c);
        }
    }
    let _ = i;
    Err("this quoted string is never closed".into())
}

/// A plain scalar: null, booleans and numbers as YAML 1.2's core schema reads them, else text.
pub(crate) fn plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let numeric = text
        .bytes()
        .all(|c| c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b'e' | b'E'))
        && text.bytes().any(|c| c.is_ascii_digit());
    if numeric {
        if let Ok(i) = text.parse::<i64>() {
            // Keep leading zeros as text (account ids like 0123…).
            if !(text.starts_with('0') && text.len() > 1) {
                return Value::Number(i.into());
            }
        } else if let Some(n) = crate::number::parse_f64(text).and_then(Number::from_f64) {
            return Value::Number(n);
        }
    }
    Value::String(text.to_owned())
}

/// Flow collections: `[a, b]`, `{k: v}`, nested, with quoted and plain scalars and tags.
struct Flow<'a> {
    s: &'a [u8],
    i: usize,
}

type FlowErr = (usize, String, bool);

impl Flow<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, FlowErr> {
        if depth > 100 {
            return Err((self.i, "nested too deeply".into(), false));
        }
        self.ws();
        let Some(&c) = self.s.get(self.i) else {
            return Err((self.i, String::new(), true));
        };
        match c {
            b'[' => {
                self.i += 1;
                let mut items = vec![];
                loop {
                    self.ws();
                    match self.s.get(self.i) {
                        None => return Err((self.i, String::new(), true)),
                        Some(b']') => {
                            self.i += 1;
                            return Ok(Value::Array(items));
                        }
                        _ => {}
                    }
                    items.push(self.value(depth + 1)?);
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b']') => {}
                        None => return Err((self.i, String::new(), true)),
                        Some(_) => return Err((self.i, "expected `,` or `]`".into(), false)),
                    }
                }
            }
            b'{' => {
                self.i += 1;
                let mut map = Map::new();
                loop {
                    self.ws();
                    match self.s.get(self.i) {
                        None => return Err((self.i, String::new(), true)),
                        Some(b'}') => {
                            self.i += 1;
                            return Ok(Value::Object(map));
                        }
                        _ => {}
                    }
                    let key = match self.value(depth + 1)? {
                        Value::String(s) => s,
                        other => other.to_string(),
                    };
                    self.ws();
                    let v = if self.s.get(self.i) == Some(&b':') {
                        self.i += 1;
                        self.value(depth + 1)?
                    } else {
                        Value::Null
                    };
                    map.insert(key, v);
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b'}') => {}
                        None => return Err((self.i, String::new(), true)),
                        Some(_) => return Err((self.i, "expected `,` or `}`".into(), false)),
                    }
                }
            }
            b'"' | b'\'' => {
                let text = std::str::from_utf8(&self.s[self.i..]).unwrap_or("");
                match quoted(text) {
                    Ok((v, used)) => {
                        self.i += used;
                        Ok(Value::String(v))
                    }
                    Err(_) => Err((self.i, String::new(), true)),
                }
            }
            b'!' => {
                let start = self.i + 1;
                while self.i < self.s.len()
                    && !self.s[self.i].is_ascii_whitespace()
                    && !matches!(self.s[self.i], b',' | b']' | b'}')
                {
                    self.i += 1;
                }
                let name = std::str::from_utf8(&self.s[start..self.i]).unwrap_or("");
                let Some((_, long)) = TAGS.iter().find(|(s, _)| *s == name) else {
                    return Err((start - 1, format!("unknown tag `!{name}`"), false));
                };
                let inner = self.value(depth + 1)?;
                let inner = match (*long, inner) {
                    ("Fn::GetAtt", Value::String(s)) => match s.split_once('.') {
                        Some((a, b)) => Value::Array(vec![a.into(), b.into()]),
                        None => Value::String(s),
                    },
                    (_, v) => v,
                };
                let mut m = Map::new();
                m.insert((*long).to_owned(), inner);
                Ok(Value::Object(m))
            }
            _ => {
                let start = self.i;
                while self.i < self.s.len() {
                    let c = self.s[self.i];
                    if matches!(c, b',' | b']' | b'}')
                        || (c == b':'
                            && self.s.get(self.i + 1).is_none_or(|n| {
                                n.is_ascii_whitespace() || matches!(n, b',' | b']' | b'}')
                            }))
                    {
                        break;
                    }
                    self.i += 1;
                }
                let text = std::str::from_utf8(&self.s[start..self.i])
                    .unwrap_or("")
                    .trim();
                Ok(plain(text))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse;
    use serde_json::json;

    fn give(yaml: &str, want: serde_json::Value) {
        assert_eq!(parse(yaml).map(|(v, _)| v), Ok(want), "{yaml}");
    }

    fn fails(yaml: &str, message: &str) {
        assert_eq!(
            parse(yaml).map(|(v, _)| v).unwrap_err().to_string(),
            message,
            "{yaml}"
        );
    }

    /// Every escape of YAML 1.2's double-quoted strings, JSON's among them: the template writer
    /// quotes strings as JSON does, so `\f` and `\b` must read back (a fuzzer found `\f` refused).
    #[test]
    fn reads_every_double_quoted_escape() {
        give(
            r#"s: "\f\b\a\v\e\0\t\n\r\"\\\/\ \N\_\L\P\x41\u00e9\U0001F600""#,
            json!({"s": "\u{c}\u{8}\u{7}\u{b}\u{1b}\0\t\n\r\"\\/ \u{85}\u{a0}\u{2028}\u{2029}Aé😀"}),
        );
        for v in [
            json!("\u{c}\u{1}\u{7f}"),
            json!({"k\u{8}": ["\u{1b}x", "\"'"]}),
        ] {
            let written = crate::artifacts::template::to_yaml(&v);
            assert_eq!(parse(&written).unwrap().0, v, "{written}");
        }
    }

    #[test]
    fn reads_what_templates_use() {
        give(
            "a: 1\nb: two\nc: true\nd: ~\ne: 1.5\nf: '012'\ng: 012",
            json!({"a": 1, "b": "two", "c": true, "d": null, "e": 1.5, "f": "012", "g": "012"}),
        );
        give("l:\n- a\n- b\nm: x", json!({"l": ["a", "b"], "m": "x"}));
        give(
            "l:\n  - k: 1\n    j: 2\n  - - x\n    - y",
            json!({"l": [{"k": 1, "j": 2}, ["x", "y"]]}),
        );
        give(
            "s: |\n  line 1\n  line 2\n\nt: x",
            json!({"s": "line 1\nline 2\n", "t": "x"}),
        );
        give(
            "s: >-\n  a\n  b\n\n  c\nt: x",
            json!({"s": "a b\nc", "t": "x"}),
        );
        give("s: |+\n  a\n\nt: x", json!({"s": "a\n\n", "t": "x"}));
        give(
            "r: !Ref Bus\ng: !GetAtt Machine.Arn\nj: !Join ['', [a, !Ref B]]",
            json!({"r": {"Ref": "Bus"}, "g": {"Fn::GetAtt": ["Machine", "Arn"]}, "j": {"Fn::Join": ["", ["a", {"Ref": "B"}]]}}),
        );
        give(
            "s: !Sub |\n  {\"a\": \"${X}\"}\nn: 1",
            json!({"s": {"Fn::Sub": "{\"a\": \"${X}\"}\n"}, "n": 1}),
        );
        give(
            "s: !Sub\n  - '${A}-x'\n  - A: !Ref B",
            json!({"s": {"Fn::Sub": ["${A}-x", {"A": {"Ref": "B"}}]}}),
        );
        give(
            "# c\n---\nk: \"a # not a comment\" # comment\nu: \"\\u00e9\\n\"",
            json!({"k": "a # not a comment", "u": "é\n"}),
        );
        give(
            "p: {source: [\"shop\"],\n    detail-type: [Order Created]}",
            json!({"p": {"source": ["shop"], "detail-type": ["Order Created"]}}),
        );
        give(
            "arn: arn:aws:states:us-east-1:123:stateMachine:m\nurl: http://x",
            json!({"arn": "arn:aws:states:us-east-1:123:stateMachine:m", "url": "http://x"}),
        );
        give("k: a long\n  plain text", json!({"k": "a long plain text"}));
        give(
            "'quoted key': 1\n\"Fn::If\": [c, 1, 2]",
            json!({"quoted key": 1, "Fn::If": ["c", 1, 2]}),
        );
    }

    #[test]
    fn errors_say_where() {
        fails(
            "a:\n  b: 1\n   c: 2",
            "line 3, column 4: this line is indented more than the key before it: is a `:` missing, or a key mis-indented?",
        );
        fails(
            "a: !Reff X",
            "line 1, column 4: unknown tag `!Reff` (CloudFormation's short forms are !Ref, !Sub, !GetAtt, !Join, !If, …)",
        );
        fails(
            "a: &x 1",
            "line 1, column 4: anchors and aliases are not allowed in CloudFormation templates",
        );
        fails(
            "a: 'open",
            "line 1, column 4: this quoted string is never closed",
        );
        fails(
            "a: 1\na: 2",
            "line 2, column 1: `a` is given twice in this mapping",
        );
        fails(
            "a: [1, 2]]",
            "line 1, column 10: unexpected text after the closing bracket",
        );
        fails(
            "a: {x: 1\n  y 2 3",
            "line 1, column 4: this `{` is never closed",
        );
    }

    #[test]
    fn positions_name_every_value() {
        let (_, pos) = parse("Resources:\n  M:\n    Type: X\n    L:\n      - 1\n").unwrap();
        assert_eq!(pos.get("/Resources/M/Type"), Some(&(3, 11)));
        assert_eq!(pos.get("/Resources/M/L/0"), Some(&(5, 9)));
    }
}
