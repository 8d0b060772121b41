//! Flattening an event straight from its text, reading only the fields some pattern names.
//!
//! Matching many events is mostly parsing them. Like EventBridge's matcher, this reads the text
//! once, checks its syntax everywhere, but builds values only at the paths the patterns use:
//! other members are skipped without allocating (a GeoJSON polygon costs a scan, not a tree).

use super::event::{FlatEvent, PathFilter, Scalar};
use crate::source::{self, JsonSyntaxError, MAX_DEPTH};
use std::borrow::Cow;

/// Flattens the event text for the filter's paths; a text that is not JSON is an error with the
/// same message [`source::parse`] gives.
pub(crate) fn flatten_text<'t>(
    text: &'t str,
    filter: &PathFilter,
) -> Result<FlatEvent<'t>, JsonSyntaxError> {
    let mut s = Skim {
        text,
        b: text.as_bytes(),
        pos: 0,
        filter,
        flat: FlatEvent::default(),
        path: String::new(),
        arrays: Vec::new(),
        next_array: 0,
    };
    match s.document() {
        Some(()) => Ok(s.flat),
        None => Err(match source::parse_value(text) {
            Err(e) => e,
            Ok(_) => JsonSyntaxError {
                line: 1,
                column: 1,
                offset: 0,
                message: "the text is not valid JSON".into(),
            },
        }),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// Check the syntax only.
    Skip,
    /// Walk into objects and arrays; `true` also records scalars at this path.
    Walk(bool),
}

struct Skim<'t, 'f> {
    text: &'t str,
    b: &'t [u8],
    pos: usize,
    filter: &'f PathFilter,
    flat: FlatEvent<'t>,
    path: String,
    arrays: Vec<(u32, u32)>,
    next_array: u32,
}

impl<'t> Skim<'t, '_> {
    fn document(&mut self) -> Option<()> {
        self.ws();
        if self.b.get(self.pos) == Some(&b'{') {
            self.object(Mode::Walk(false), 1, true)?;
        } else {
            self.value(Mode::Skip, 0)?; // only objects have fields
        }
        self.ws();
        (self.pos == self.b.len()).then_some(())
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.pos) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        (self.b.get(self.pos) == Some(&c)).then(|| self.pos += 1)
    }

    fn value(&mut self, mode: Mode, depth: usize) -> Option<()> {
        match *self.b.get(self.pos)? {
            b'{' => self.object(mode, depth + 1, false),
            b'[' => self.array(mode, depth + 1),
            b'"' => {
                let s = self.string(mode != Mode::Skip)?;
                if mode == Mode::Walk(true) {
                    self.record(Scalar::Str(s));
                }
                Some(())
            }
            b'-' | b'0'..=b'9' => self.number(mode == Mode::Walk(true)),
            b't' => self.word(b"true", Scalar::Bool(true), mode),
            b'f' => self.word(b"false", Scalar::Bool(false), mode),
            b'n' => self.word(b"null", Scalar::Null, mode),
            _ => None,
        }
    }

    fn record(&mut self, value: Scalar<'t>) {
        let arrays = self.arrays.clone();
        self.flat.push_str(&self.path, value, arrays);
    }

    fn word(&mut self, w: &[u8], value: Scalar<'t>, mode: Mode) -> Option<()> {
        if !self.b.get(self.pos..)?.starts_with(w) {
            return None;
        }
        self.pos += w.len();
        if mode == Mode::Walk(true) {
            self.record(value);
        }
        Some(())
    }

    fn object(&mut self, mode: Mode, depth: usize, top: bool) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.pos += 1;
        self.ws();
        if self.eat(b'}').is_some() {
            return Some(());
        }
        loop {
            self.ws();
            if self.b.get(self.pos) != Some(&b'"') {
                return None;
            }
            let key = self.string(mode != Mode::Skip)?;
            self.ws();
            self.eat(b':')?;
            self.ws();
            if mode == Mode::Skip {
                self.value(Mode::Skip, depth)?;
            } else {
                let base = self.path.len();
                if !top {
                    self.path.push('.');
                }
                self.path.push_str(&key);
                let inner = if self.filter.keep(&self.path) {
                    Mode::Walk(self.filter.wants(&self.path))
                } else {
                    Mode::Skip
                };
                self.value(inner, depth)?;
                self.path.truncate(base);
            }
            self.ws();
            match self.b.get(self.pos)? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    fn array(&mut self, mode: Mode, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.pos += 1;
        self.ws();
        if self.eat(b']').is_some() {
            return Some(());
        }
        let id = self.next_array;
        self.next_array += 1;
        let mut index = 0u32;
        loop {
            self.ws();
            if mode == Mode::Skip {
                self.value(Mode::Skip, depth)?;
            } else {
                self.arrays.push((id, index));
                self.value(mode, depth)?;
                self.arrays.pop();
            }
            index += 1;
            self.ws();
            match self.b.get(self.pos)? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// Reads a string (the opening quote is at `pos`); decodes it only when `want`.
    fn string(&mut self, want: bool) -> Option<Cow<'t, str>> {
        self.pos += 1;
        let start = self.pos;
        loop {
            match *self.b.get(self.pos)? {
                b'"' => {
                    let s = self.text.get(start..self.pos)?;
                    self.pos += 1;
                    return Some(Cow::Borrowed(s));
                }
                b'\\' => break,
                c if c < 0x20 => return None,
                _ => self.pos += 1,
            }
        }
        // Escapes: decode from here on.
        let mut out = String::from(self.text.get(start..self.pos)?);
        loop {
            let c = *self.b.get(self.pos)?;
            match c {
                b'"' => {
                    self.pos += 1;
                    return Some(if want {
                        Cow::Owned(out)
                    } else {
                        Cow::Borrowed("")
                    });
                }
                b'\\' => {
                    self.pos += 1;
                    let e = *self.b.get(self.pos)?;
                    self.pos += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => out.push(self.unicode()?),
                        _ => return None,
                    }
                }
                c if c < 0x20 => return None,
                _ => {
                    let run = self.pos;
                    while let Some(&c) = self.b.get(self.pos) {
                        if c == b'"' || c == b'\\' || c < 0x20 {
                            break;
                        }
                        self.pos += 1;
                    }
                    out.push_str(self.text.get(run..self.pos)?);
                }
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.text.get(self.pos..self.pos + 4)?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        self.pos += 4;
        u32::from_str_radix(digits, 16).ok()
    }

    fn unicode(&mut self) -> Option<char> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if self.b.get(self.pos..self.pos + 2)? != b"\\u" {
                    return None;
                }
                self.pos += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return None;
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return None,
            c => c,
        };
        char::from_u32(code)
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.b.get(self.pos) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self, want: bool) -> Option<()> {
        let start = self.pos;
        self.eat(b'-');
        let int_start = self.pos;
        let n = self.digits();
        if n == 0 || (n > 1 && self.b.get(int_start) == Some(&b'0')) {
            return None;
        }
        if self.eat(b'.').is_some() && self.digits() == 0 {
            return None;
        }
        let mut big_exponent = false;
        if let Some(b'e' | b'E') = self.b.get(self.pos) {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.b.get(self.pos) {
                self.pos += 1;
            }
            let d = self.digits();
            if d == 0 {
                return None;
            }
            big_exponent = d >= 3;
        }
        if want || big_exponent {
            // serde_json reads the number, as for patterns, so both sides round alike.
            let x: f64 = serde_json::from_str(self.text.get(start..self.pos)?).ok()?;
            if want {
                self.record(Scalar::Num(x));
            }
        }
        Some(())
    }
}
