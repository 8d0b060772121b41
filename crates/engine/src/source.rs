//! JSON text with positions: parse once, then find the line and column of any JSON pointer.
//!
//! serde_json gives values but forgets where they came from; editors and error messages need
//! both. [`parse`] reads RFC 8259 JSON into a [`serde_json::Value`] (numbers are read by serde_json
//! itself, so they come out exactly as `serde_json::from_str` would give them; a duplicate member
//! name keeps the last value, as serde_json does) and records, for every JSON pointer (RFC 6901), the
//! span of the value and of its member name.
//!
//! ```
//! use statebridge_engine::source::parse;
//! let (value, map) = parse("{\n  \"States\": {\"A\": {\"Next\": \"B\"}}\n}").unwrap();
//! assert_eq!(value["States"]["A"]["Next"], "B");
//! let span = map.value_span("/States/A/Next").unwrap();
//! assert_eq!((span.line, span.column), (2, 28));
//! ```

use serde_json::{Map, Value};
use std::cell::Cell;
use std::collections::HashMap;
use std::fmt;

/// How deeply arrays and objects may nest before the text is rejected (stack safety).
/// 128, as serde_json, so a text one accepts the other accepts too.
pub const MAX_DEPTH: usize = 128;

/// A piece of the source text: byte offsets `start..end`, and the 1-based line and column
/// (counted in characters) where it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset just past the last byte.
    pub end: usize,
    /// 1-based line of `start`.
    pub line: u32,
    /// 1-based column of `start`, in characters.
    pub column: u32,
}

/// Where each value (and member name) of a parsed document sits in its text.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    values: HashMap<String, Span>,
    keys: HashMap<String, Span>,
    text: String,
}

impl SourceMap {
    /// The span of the value at `pointer` (`""` is the whole document).
    pub fn value_span(&self, pointer: &str) -> Option<Span> {
        self.values.get(pointer).copied()
    }

    /// The span of the member name (with its quotes) of the pointer's last segment, when that
    /// segment names an object member.
    pub fn key_span(&self, pointer: &str) -> Option<Span> {
        self.keys.get(pointer).copied()
    }

    /// Converts a byte offset into a UTF-16 code unit offset (CodeMirror counts positions that way).
    /// Offsets past the end or inside a character are clamped to the previous character boundary.
    pub fn utf16_offset(&self, byte: usize) -> usize {
        let mut end = byte.min(self.text.len());
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        self.text[..end].chars().map(char::len_utf16).sum()
    }

    /// The text this map describes.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// Why a text is not JSON, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonSyntaxError {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// Byte offset.
    pub offset: usize,
    /// What is wrong, in plain words.
    pub message: String,
}

impl fmt::Display for JsonSyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for JsonSyntaxError {}

/// Parses JSON text into a value and the map of where each part of it is.
pub fn parse(text: &str) -> Result<(Value, SourceMap), JsonSyntaxError> {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        line: 1,
        line_start: 0,
        column_mark: Cell::new((0, 1)),
        map: SourceMap::default(),
        record: true,
    };
    let value = p.document()?;
    p.map.text = text.to_owned();
    Ok((value, p.map))
}

/// Parses JSON text into a value without building a source map (same errors as [`parse`]).
pub fn parse_value(text: &str) -> Result<Value, JsonSyntaxError> {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        line: 1,
        line_start: 0,
        column_mark: Cell::new((0, 1)),
        map: SourceMap::default(),
        record: false,
    };
    p.document()
}

/// Turns a JSON pointer into the dotted path people read: `/detail/items/0` → `detail.items[0]`.
/// The empty pointer is the whole document, shown as `$`.
pub fn pointer_to_path(pointer: &str) -> String {
    if pointer.is_empty() {
        return "$".to_owned();
    }
    let mut out = String::new();
    for raw in pointer.split('/').skip(1) {
        let seg = raw.replace("~1", "/").replace("~0", "~");
        let is_index = !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit());
        let plain = !seg.is_empty()
            && seg
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '$' || c == '@');
        if is_index {
            out.push_str(&format!("[{seg}]"));
        } else if plain {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&seg);
        } else {
            out.push_str(&format!("[{}]", Value::String(seg)));
        }
    }
    out
}

/// Escapes one member name as a JSON pointer segment.
pub fn escape_segment(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// A duplicate member name replaces the earlier value: drop the earlier value's descendants.
/// Walks that value rather than the whole map, so many duplicates stay linear.
fn forget_children(map: &mut SourceMap, pointer: &mut String, earlier: &Value) {
    let base = pointer.len();
    let forget = |map: &mut SourceMap, pointer: &mut String, segment: &str, child: &Value| {
        pointer.push('/');
        pointer.push_str(segment);
        map.values.remove(pointer.as_str());
        map.keys.remove(pointer.as_str());
        forget_children(map, pointer, child);
        pointer.truncate(base);
    };
    match earlier {
        Value::Object(members) => {
            for (name, child) in members {
                forget(map, pointer, &escape_segment(name), child);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                forget(map, pointer, &i.to_string(), child);
            }
        }
        _ => {}
    }
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    line: u32,
    line_start: usize,
    /// The last offset whose column was asked for on the current line, and that column: the
    /// next question counts characters from there, not from the line's start, so a document on
    /// one line costs one pass over its text instead of one pass per value.
    column_mark: Cell<(usize, u32)>,
    map: SourceMap,
    record: bool,
}

impl Parser<'_> {
    fn document(&mut self) -> Result<Value, JsonSyntaxError> {
        if self.bytes.starts_with("\u{feff}".as_bytes()) {
            self.pos = 3;
            self.line_start = 3;
            self.column_mark.set((3, 1));
        }
        self.skip_ws();
        if self.pos >= self.bytes.len() {
            return Err(self.error_here("the text is empty: expected a JSON value"));
        }
        let mut pointer = String::new();
        let value = self.value(&mut pointer, 0)?;
        self.skip_ws();
        if self.pos < self.bytes.len() {
            return Err(self.error_here("unexpected text after the JSON value"));
        }
        Ok(value)
    }

    /// The 1-based column, in characters, of `offset` on the current line. Values and member
    /// names are asked for in increasing order, so each call counts only the characters since
    /// the previous one; an offset behind the mark (an error pointing back at an opening quote)
    /// is counted from the line's start.
    fn column_at(&self, offset: usize) -> u32 {
        let (mark, column) = self.column_mark.get();
        if mark >= self.line_start
            && let Some(slice) = self.text.get(mark..offset)
        {
            let column = column + slice.chars().count() as u32;
            self.column_mark.set((offset, column));
            return column;
        }
        let start = self.line_start.min(offset);
        let slice = self.text.get(start..offset).unwrap_or("");
        slice.chars().count() as u32 + 1
    }

    fn error_at(&self, offset: usize, message: impl Into<String>) -> JsonSyntaxError {
        JsonSyntaxError {
            line: self.line,
            column: self.column_at(offset),
            offset,
            message: message.into(),
        }
    }

    fn error_here(&self, message: impl Into<String>) -> JsonSyntaxError {
        self.error_at(self.pos, message)
    }

    /// Where the parser stands, to report an error there later (from another line).
    fn mark(&self) -> (usize, u32, usize) {
        (self.pos, self.line, self.line_start)
    }

    /// A trailing comma, reported at the comma itself: the closing bracket may be lines below.
    fn trailing_comma(&self, (offset, line, line_start): (usize, u32, usize)) -> JsonSyntaxError {
        let before = self.text.get(line_start..offset).unwrap_or("");
        JsonSyntaxError {
            line,
            column: before.chars().count() as u32 + 1,
            offset,
            message: "trailing comma is not allowed in JSON: remove this `,`".into(),
        }
    }

    fn span_from(&self, start: usize, line: u32, column: u32) -> Span {
        Span {
            start,
            end: self.pos,
            line,
            column,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'\n' => {
                    self.pos += 1;
                    self.line += 1;
                    self.line_start = self.pos;
                    self.column_mark.set((self.pos, 1));
                }
                _ => break,
            }
        }
    }

    fn value(&mut self, pointer: &mut String, depth: usize) -> Result<Value, JsonSyntaxError> {
        let start = self.pos;
        // Without a map, no position is needed unless there is an error.
        let (line, column) = if self.record {
            (self.line, self.column_at(start))
        } else {
            (0, 0)
        };
        let value = match self.peek() {
            Some(b'{') => self.object(pointer, depth + 1)?,
            Some(b'[') => self.array(pointer, depth + 1)?,
            Some(b'"') => Value::String(self.string()?),
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(b't') => self.literal("true", Value::Bool(true))?,
            Some(b'f') => self.literal("false", Value::Bool(false))?,
            Some(b'n') => self.literal("null", Value::Null)?,
            Some(b'}' | b']') => return Err(self.error_here("expected a value here")),
            Some(b',') => return Err(self.error_here("expected a value before `,`")),
            Some(b'\'') => {
                return Err(self.error_here("strings must use double quotes (\") in JSON"));
            }
            Some(b) if b.is_ascii_alphabetic() => {
                let word: String = self.text[self.pos..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .take(20)
                    .collect();
                return Err(self.error_here(format!(
                    "unknown word `{word}`: JSON words are lowercase true, false and null, and strings need double quotes"
                )));
            }
            Some(_) => {
                return Err(self.error_here(
                    "expected a JSON value (object, array, string, number, true, false or null)",
                ));
            }
            None => return Err(self.error_here("the text ends where a value was expected")),
        };
        if self.record {
            let span = self.span_from(start, line, column);
            self.map.values.insert(pointer.clone(), span);
        }
        Ok(value)
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, JsonSyntaxError> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error_here(format!("unknown word: expected `{word}`")))
        }
    }

    fn object(&mut self, pointer: &mut String, depth: usize) -> Result<Value, JsonSyntaxError> {
        if depth > MAX_DEPTH {
            return Err(self.error_here(format!(
                "objects and arrays nest more than {MAX_DEPTH} levels deep"
            )));
        }
        self.pos += 1; // `{`
        let mut map = Map::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(map));
        }
        let mut comma = self.mark();
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'"') => {}
                Some(b'}') => return Err(self.trailing_comma(comma)),
                None => return Err(self.error_here("the text ends inside an object: missing `}`")),
                Some(b'\'') => {
                    return Err(self.error_here("member names must use double quotes (\") in JSON"));
                }
                Some(_) => {
                    return Err(
                        self.error_here("expected a member name in double quotes, like \"name\"")
                    );
                }
            }
            let key_start = self.pos;
            let (kline, kcol) = if self.record {
                (self.line, self.column_at(key_start))
            } else {
                (0, 0)
            };
            let key = self.string()?;
            let key_span = self.span_from(key_start, kline, kcol);
            self.skip_ws();
            match self.peek() {
                Some(b':') => self.pos += 1,
                None => {
                    return Err(self.error_here("the text ends after a member name: missing `:`"));
                }
                Some(_) => return Err(self.error_here("expected `:` after the member name")),
            }
            self.skip_ws();
            let base = pointer.len();
            pointer.push('/');
            pointer.push_str(&escape_segment(&key));
            if self.record {
                if let Some(earlier) = map.get(&key) {
                    forget_children(&mut self.map, pointer, earlier);
                }
                self.map.keys.insert(pointer.clone(), key_span);
            }
            let value = self.value(pointer, depth)?;
            pointer.truncate(base);
            map.insert(key, value);
            self.skip_ws();
            match self.peek() {
                Some(b',') => {
                    comma = self.mark();
                    self.pos += 1;
                }
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(map));
                }
                None => return Err(self.error_here("the text ends inside an object: missing `}`")),
                Some(b'"') => {
                    return Err(self.error_here("expected `,` between object members"));
                }
                Some(_) => {
                    return Err(self.error_here("expected `,` or `}` after an object member"));
                }
            }
        }
    }

    fn array(&mut self, pointer: &mut String, depth: usize) -> Result<Value, JsonSyntaxError> {
        if depth > MAX_DEPTH {
            return Err(self.error_here(format!(
                "objects and arrays nest more than {MAX_DEPTH} levels deep"
            )));
        }
        self.pos += 1; // `[`
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        let mut comma = self.mark();
        loop {
            self.skip_ws();
            if self.peek() == Some(b']') {
                return Err(self.trailing_comma(comma));
            }
            let base = pointer.len();
            if self.record {
                pointer.push('/');
                pointer.push_str(&items.len().to_string());
            }
            let value = self.value(pointer, depth)?;
            pointer.truncate(base);
            items.push(value);
            self.skip_ws();
            match self.peek() {
                Some(b',') => {
                    comma = self.mark();
                    self.pos += 1;
                }
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                None => return Err(self.error_here("the text ends inside an array: missing `]`")),
                Some(_) => return Err(self.error_here("expected `,` or `]` after an array item")),
            }
        }
    }

    fn number(&mut self) -> Result<Value, JsonSyntaxError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        self.digits();
        if self.pos == int_start {
            return Err(self.error_here("expected a digit after `-`"));
        }
        if self.bytes[int_start] == b'0' && self.pos - int_start > 1 {
            return Err(self.error_at(int_start, "numbers must not start with a leading zero"));
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            let frac = self.pos;
            self.digits();
            if self.pos == frac {
                return Err(self.error_here("expected a digit after the decimal point"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            let exp = self.pos;
            self.digits();
            if self.pos == exp {
                return Err(self.error_here("expected a digit in the exponent"));
            }
        }
        let token = &self.text[start..self.pos];
        // serde_json reads the token so numbers are exactly what `serde_json::from_str` gives.
        match serde_json::from_str::<serde_json::Number>(token) {
            Ok(n) => Ok(Value::Number(n)),
            Err(_) => Err(self.error_at(start, format!("the number {token} is out of range"))),
        }
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    fn string(&mut self) -> Result<String, JsonSyntaxError> {
        let open = self.pos;
        self.pos += 1; // opening quote
        let mut out = String::new();
        loop {
            let chunk_start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(&self.text[chunk_start..self.pos]);
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => self.escape(&mut out)?,
                Some(b'\n') | None => {
                    return Err(self.error_at(open, "unterminated string"));
                }
                Some(_) => {
                    return Err(self.error_here(
                        "control characters must be escaped inside strings (for example \\t, \\n)",
                    ));
                }
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), JsonSyntaxError> {
        let at = self.pos;
        self.pos += 1; // backslash
        let Some(b) = self.peek() else {
            return Err(self.error_at(at, "unterminated string"));
        };
        self.pos += 1;
        let c = match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.unicode_escape(at, out),
            _ => {
                return Err(self.error_at(
                    at,
                    "unknown escape: a backslash in a string must be followed by one of \" \\ / b f n r t u",
                ));
            }
        };
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self, at: usize) -> Result<u16, JsonSyntaxError> {
        let digits = self.bytes.get(self.pos..self.pos + 4);
        let parsed = digits
            .and_then(|d| std::str::from_utf8(d).ok())
            .filter(|s| s.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|s| u16::from_str_radix(s, 16).ok());
        match parsed {
            Some(v) => {
                self.pos += 4;
                Ok(v)
            }
            None => Err(self.error_at(at, "\\u must be followed by four hexadecimal digits")),
        }
    }

    fn unicode_escape(&mut self, at: usize, out: &mut String) -> Result<(), JsonSyntaxError> {
        let first = self.hex4(at)?;
        let code = if (0xD800..0xDC00).contains(&first) {
            if !self.bytes[self.pos..].starts_with(b"\\u") {
                return Err(self.error_at(at, "lone leading surrogate in a \\u escape"));
            }
            let second_at = self.pos;
            self.pos += 2;
            let second = self.hex4(second_at)?;
            if !(0xDC00..0xE000).contains(&second) {
                return Err(self.error_at(second_at, "invalid trailing surrogate in a \\u escape"));
            }
            0x10000 + (((first as u32) - 0xD800) << 10) + ((second as u32) - 0xDC00)
        } else if (0xDC00..0xE000).contains(&first) {
            return Err(self.error_at(at, "lone trailing surrogate in a \\u escape"));
        } else {
            first as u32
        };
        match char::from_u32(code) {
            Some(c) => {
                out.push(c);
                Ok(())
            }
            None => Err(self.error_at(at, "invalid \\u escape")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        match parse(text) {
            Ok(_) => "ok".into(),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn errors_say_where_and_what() {
        let table = [
            (
                "{\"a\": 1,}",
                "line 1, column 8: trailing comma is not allowed in JSON: remove this `,`",
            ),
            (
                "[1,]",
                "line 1, column 3: trailing comma is not allowed in JSON: remove this `,`",
            ),
            // At the comma, not at the closing bracket lines below it.
            (
                "{\n  \"a\": [1, 2],\n  \"b\": \"é\",\n}",
                "line 3, column 11: trailing comma is not allowed in JSON: remove this `,`",
            ),
            (
                "[\n  1,\n\n]",
                "line 2, column 4: trailing comma is not allowed in JSON: remove this `,`",
            ),
            (
                "{\"a\": 1 \"b\": 2}",
                "line 1, column 9: expected `,` between object members",
            ),
            (
                "{\"a\": 1 x}",
                "line 1, column 9: expected `,` or `}` after an object member",
            ),
            ("\n\n  \"abc", "line 3, column 3: unterminated string"),
            (
                "",
                "line 1, column 1: the text is empty: expected a JSON value",
            ),
            (
                "{} x",
                "line 1, column 4: unexpected text after the JSON value",
            ),
            (
                "[01]",
                "line 1, column 2: numbers must not start with a leading zero",
            ),
            (
                "1e999",
                "line 1, column 1: the number 1e999 is out of range",
            ),
            (
                "{'a': 1}",
                "line 1, column 2: member names must use double quotes (\") in JSON",
            ),
            (
                "[True]",
                "line 1, column 2: unknown word `True`: JSON words are lowercase true, false and null, and strings need double quotes",
            ),
            ("[tru]", "line 1, column 2: unknown word: expected `true`"),
            (
                "\"\\ud800\"",
                "line 1, column 2: lone leading surrogate in a \\u escape",
            ),
            (
                "{\"é\": [1 2]}",
                "line 1, column 10: expected `,` or `]` after an array item",
            ),
        ];
        for (text, want) in table {
            assert_eq!(err(text), want, "{text}");
        }
    }

    #[test]
    fn values_agree_with_serde_json() {
        let table = [
            "{\"a\":[1,2.5,-0,1e3,18446744073709551615,18446744073709551616,-9223372036854775808]}",
            "\"\\u00e9\\ud83d\\ude00\\n\\\"\"",
            "{\"a\":1,\"b\":{\"c\":null},\"a\":2}",
            "[true,false,null,\"x\",{},[]]",
            "0.30000000000000001",
            "3.018e2",
        ];
        for text in table {
            let want: Value = serde_json::from_str(text).unwrap();
            assert_eq!(parse(text).unwrap().0, want, "{text}");
            assert_eq!(parse_value(text).unwrap(), want, "{text}");
        }
    }

    #[test]
    fn spans_of_values_and_keys() {
        let text = "{\n  \"a\": {\"b~/\": [10, \"é\", 30]}\n}";
        let (_, map) = parse(text).unwrap();
        let span = |p: &str| {
            map.value_span(p)
                .map(|s| (s.line, s.column, &text[s.start..s.end]))
        };
        assert_eq!(span(""), Some((1, 1, text)));
        assert_eq!(span("/a/b~0~1/2"), Some((2, 26, "30")));
        assert_eq!(span("/a/b~0~1/1"), Some((2, 21, "\"é\"")));
        let key = map.key_span("/a/b~0~1").unwrap();
        assert_eq!(&text[key.start..key.end], "\"b~/\"");
        assert_eq!(map.key_span("/a/b~0~1/0"), None);
        assert_eq!(
            map.utf16_offset(text.find("30").unwrap()),
            text.find("30").unwrap() - 1
        );
    }

    /// The column counted from the line's start, as every span's column must be.
    fn naive_column(text: &str, offset: usize) -> u32 {
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_start = if line_start == 0 && text.starts_with('\u{feff}') {
            3
        } else {
            line_start
        };
        text[line_start..offset].chars().count() as u32 + 1
    }

    #[test]
    fn columns_count_characters_from_the_line_start_whatever_the_layout() {
        let texts = [
            "{\"é\": [1, \"日本\", {\"k\": [true, null]}], \"b\": \"😀\", \"c\": {\"d\": -1.5e3}}",
            "{\n  \"é\": [1,\n \"日本\", {\"k\":\n [true, null]}],\n\"b\": \"😀\", \"c\": {\"d\": 2}}",
            "\u{feff}{\"a\": [\"é\", 1], \"b\": {\"c\": 2}}",
        ];
        for text in texts {
            let (value, map) = parse(text).unwrap();
            let mut pointers = vec![String::new()];
            let mut stack = vec![(String::new(), &value)];
            while let Some((at, v)) = stack.pop() {
                let children: Vec<(String, &Value)> = match v {
                    Value::Object(m) => m.iter().map(|(k, c)| (escape_segment(k), c)).collect(),
                    Value::Array(a) => a
                        .iter()
                        .enumerate()
                        .map(|(i, c)| (i.to_string(), c))
                        .collect(),
                    _ => vec![],
                };
                for (seg, c) in children {
                    let p = format!("{at}/{seg}");
                    pointers.push(p.clone());
                    stack.push((p, c));
                }
            }
            for p in pointers {
                let span = map.value_span(&p).unwrap();
                let line = text[..span.start].matches('\n').count() as u32 + 1;
                assert_eq!(
                    (span.line, span.column),
                    (line, naive_column(text, span.start)),
                    "{text} {p}"
                );
                if let Some(key) = map.key_span(&p) {
                    assert_eq!(key.column, naive_column(text, key.start), "{text} key {p}");
                }
            }
        }
        // An error that points back at an opening quote after the scan moved on.
        assert_eq!(
            err("[1, \"é\", \"abc"),
            "line 1, column 10: unterminated string"
        );
        assert_eq!(
            err("[1, \"é\",\n 2, \"abc"),
            "line 2, column 5: unterminated string"
        );
    }

    #[test]
    fn duplicate_keys_forget_the_earlier_value() {
        let (v, map) = parse("{\"a\": {\"x\": 1}, \"a\": 2}").unwrap();
        assert_eq!(v, serde_json::json!({"a": 2}));
        assert_eq!(map.value_span("/a/x"), None);
        let (v, map) = parse("{\"a\": {\"x\": [1, {\"y\": 2}]}, \"b\": 1, \"a\": [3]}").unwrap();
        assert_eq!(v, serde_json::json!({"a": [3], "b": 1}));
        assert_eq!(map.value_span("/a/x/1/y"), None);
        assert_eq!(map.key_span("/a/x"), None);
        assert_eq!(map.value_span("/a/0").map(|s| s.column), Some(43));
        assert!(map.value_span("/b").is_some());
    }

    #[test]
    fn pointers_read_as_paths() {
        let table = [
            ("", "$"),
            ("/detail/items/0", "detail.items[0]"),
            ("/detail-type", "detail-type"),
            ("/a~1b/c d", "[\"a/b\"][\"c d\"]"),
        ];
        for (pointer, path) in table {
            assert_eq!(pointer_to_path(pointer), path);
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(100_000);
        assert!(err(&text).contains("nest more than 128"));
        let ok = format!("{}{}", "[".repeat(128), "]".repeat(128));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn fuzz_never_panics_and_agrees_with_serde_json() {
        let seeds = [
            "{\"a\": [1, 2.5e-3, \"x\\u00e9\\n\"], \"b\": {\"c\": null, \"d\": true}}",
            "[{\"k\": \"v\"}, -0.0, 123456789012345678901234567890, \"\\ud83d\\ude00\"]",
            "{\"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"B\"}}, \"ü\": \"日本\"}",
        ];
        let inserts = [
            "{", "}", "[", "]", "\"", "\\", ",", ":", "é", "日", "\u{feff}", "\\u", "1e", "-", "\n",
        ];
        let mut rng = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng
        };
        for i in 0..6000 {
            let mut text = seeds[i % seeds.len()].to_string();
            for _ in 0..(next() % 4 + 1) {
                let at = (next() as usize) % (text.len() + 1);
                let at = (0..=at)
                    .rev()
                    .find(|&k| text.is_char_boundary(k))
                    .unwrap_or(0);
                match next() % 3 {
                    0 => text.truncate(at),
                    1 => text.insert_str(at, inserts[(next() as usize) % inserts.len()]),
                    _ => {
                        let end = (at + 1..=text.len()).find(|&k| text.is_char_boundary(k));
                        if let Some(end) = end {
                            text.replace_range(at..end, "");
                        }
                    }
                }
            }
            if text.starts_with('\u{feff}') {
                continue; // we skip a byte order mark; serde_json does not
            }
            let ours = parse(&text);
            let theirs = serde_json::from_str::<Value>(&text);
            assert_eq!(ours.is_ok(), theirs.is_ok(), "{text:?}: {ours:?}");
            if let (Ok((v, map)), Ok(w)) = (ours, theirs) {
                assert_eq!(v, w);
                let _ = map.utf16_offset((next() as usize) % (text.len() + 2));
            }
        }
    }
}
