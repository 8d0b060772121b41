//! Flattening an event straight from its text, reading only the fields some pattern names.
//!
//! Matching many events is mostly parsing them. Like EventBridge's matcher, this reads the text
//! once, checks its syntax everywhere, but builds values only at the paths the patterns use:
//! other members are skipped without allocating (a GeoJSON polygon costs a scan, not a tree).

use super::event::{FlatEvent, PathFilter, ROOT, Scalar};
use crate::source::{self, JsonSyntaxError, MAX_DEPTH};
use std::borrow::Cow;

/// Flattens the event text for the filter's paths; a text that is not JSON is an error with the
/// same message [`source::parse`] gives.
pub(crate) fn flatten_text<'t>(
    text: &'t str,
    filter: &'t PathFilter,
) -> Result<FlatEvent<'t>, JsonSyntaxError> {
    let mut s = Skim {
        text,
        b: text.as_bytes(),
        pos: 0,
        filter,
        flat: FlatEvent::default(),
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

struct Skim<'t> {
    text: &'t str,
    b: &'t [u8],
    pos: usize,
    filter: &'t PathFilter,
    flat: FlatEvent<'t>,
    arrays: Vec<(u32, u32)>,
    next_array: u32,
}

impl<'t> Skim<'t> {
    fn document(&mut self) -> Option<()> {
        self.ws();
        if self.peek() == Some(b'{') && self.filter.node(ROOT).is_some() {
            self.object(ROOT, 1)?;
        } else {
            self.skip(0)?; // only objects have fields
        }
        self.ws();
        (self.pos == self.b.len()).then_some(())
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    #[inline]
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.pos) {
            self.pos += 1;
        }
    }

    #[inline]
    fn eat(&mut self, c: u8) -> Option<()> {
        (self.peek() == Some(c)).then(|| self.pos += 1)
    }

    /// A value at a path some pattern goes through (`node` of the filter's tree).
    fn value(&mut self, node: usize, depth: usize) -> Option<()> {
        let wanted = self.filter.node(node).and_then(|n| n.wanted.as_deref());
        match self.peek()? {
            b'{' => self.object(node, depth + 1),
            b'[' => self.array(node, depth + 1),
            b'"' => {
                let s = self.string(true)?;
                if let Some(path) = wanted {
                    self.record(path, Scalar::Str(s));
                }
                Some(())
            }
            b'-' | b'0'..=b'9' => {
                let start = self.pos;
                self.skip_number()?;
                if let Some(path) = wanted {
                    // serde_json reads the number, as for patterns, so both sides round alike.
                    let x: f64 = serde_json::from_str(self.text.get(start..self.pos)?).ok()?;
                    self.record(path, Scalar::Num(x));
                }
                Some(())
            }
            c => {
                let (word, value): (&[u8], _) = match c {
                    b't' => (b"true", Scalar::Bool(true)),
                    b'f' => (b"false", Scalar::Bool(false)),
                    b'n' => (b"null", Scalar::Null),
                    _ => return None,
                };
                self.word(word)?;
                if let Some(path) = wanted {
                    self.record(path, value);
                }
                Some(())
            }
        }
    }

    fn record(&mut self, path: &'t str, value: Scalar<'t>) {
        let arrays = self.arrays.clone();
        self.flat.push_str(path, value, arrays);
    }

    #[inline]
    fn word(&mut self, w: &[u8]) -> Option<()> {
        if !self.b.get(self.pos..)?.starts_with(w) {
            return None;
        }
        self.pos += w.len();
        Some(())
    }

    fn object(&mut self, node: usize, depth: usize) -> Option<()> {
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
            if self.peek() != Some(b'"') {
                return None;
            }
            let key = self.string(true)?;
            self.ws();
            self.eat(b':')?;
            self.ws();
            match self.filter.child(node, &key) {
                Some(inner) => self.value(inner, depth)?,
                None => self.skip(depth)?,
            }
            self.ws();
            match self.peek()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    fn array(&mut self, node: usize, depth: usize) -> Option<()> {
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
            self.arrays.push((id, index));
            self.value(node, depth)?;
            self.arrays.pop();
            index += 1;
            self.ws();
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// Checks the syntax of a value no pattern looks into, without building anything.
    fn skip(&mut self, depth: usize) -> Option<()> {
        match self.peek()? {
            b'{' => self.skip_object(depth + 1),
            b'[' => self.skip_array(depth + 1),
            b'"' => self.string(false).map(drop),
            b'-' | b'0'..=b'9' => self.skip_number(),
            b't' => self.word(b"true"),
            b'f' => self.word(b"false"),
            b'n' => self.word(b"null"),
            _ => None,
        }
    }

    fn skip_object(&mut self, depth: usize) -> Option<()> {
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
            if self.peek() != Some(b'"') {
                return None;
            }
            self.string(false)?;
            self.ws();
            self.eat(b':')?;
            self.ws();
            self.skip(depth)?;
            self.ws();
            match self.peek()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    fn skip_array(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.pos += 1;
        self.ws();
        if self.eat(b']').is_some() {
            return Some(());
        }
        loop {
            self.ws();
            // Numbers fill most skipped arrays (coordinates): take them without the dispatch.
            match self.peek()? {
                b'-' | b'0'..=b'9' => self.skip_number()?,
                _ => self.skip(depth)?,
            }
            self.ws();
            match self.peek()? {
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
        // Eight bytes at a time up to the first quote, backslash or control character.
        while let Some(word) = self.word8() {
            let run = plain_run(word);
            self.pos += run;
            if run < 8 {
                break;
            }
        }
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
        // Eight bytes at a time while they are all digits (coordinates have 15 or so).
        while let Some(word) = self.word8() {
            let run = digit_run(word);
            self.pos += run;
            if run < 8 {
                return self.pos - start;
            }
        }
        while let Some(b'0'..=b'9') = self.b.get(self.pos) {
            self.pos += 1;
        }
        self.pos - start
    }

    /// The eight bytes at `pos`, little-endian, if there are eight.
    #[inline]
    fn word8(&self) -> Option<u64> {
        let bytes: [u8; 8] = self.b.get(self.pos..self.pos + 8)?.try_into().ok()?;
        Some(u64::from_le_bytes(bytes))
    }

    /// Checks a number's syntax (RFC 8259), and that serde_json can read it (a huge exponent
    /// is out of its range), as [`source::parse`] would.
    fn skip_number(&mut self) -> Option<()> {
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
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            let d = self.digits();
            if d == 0 {
                return None;
            }
            if d >= 3 {
                serde_json::from_str::<f64>(self.text.get(start..self.pos)?).ok()?;
            }
        }
        Some(())
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// A word with the high bit set in each byte of `x` that is not zero.
#[inline]
fn nonzero_bytes(x: u64) -> u64 {
    (((x & !HIGHS).wrapping_add(!HIGHS)) | x) & HIGHS
}

/// How many of the word's bytes, from the first, are ASCII digits.
#[inline]
fn digit_run(word: u64) -> usize {
    // A digit is 0x30..=0x39: high nibble 3, and low nibble + 6 without a carry into bit 4.
    let high = (word & 0xF0F0_F0F0_F0F0_F0F0) ^ (0x30 * ONES);
    let low = ((word & 0x0F0F_0F0F_0F0F_0F0F) + 0x06 * ONES) & (0x10 * ONES);
    let bad = nonzero_bytes(high | low);
    (bad.trailing_zeros() / 8) as usize
}

/// How many of the word's bytes, from the first, can sit in a string as they are (not `"`,
/// `\`, or a control character below 0x20).
#[inline]
fn plain_run(word: u64) -> usize {
    let quote = !nonzero_bytes(word ^ (u64::from(b'"') * ONES)) & HIGHS;
    let backslash = !nonzero_bytes(word ^ (u64::from(b'\\') * ONES)) & HIGHS;
    // Bytes below 0x20: none of bits 5, 6, 7 set.
    let control = !nonzero_bytes(word & (0xE0 * ONES)) & HIGHS;
    ((quote | backslash | control).trailing_zeros() / 8) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(bytes: &[u8]) -> u64 {
        let mut w = [0u8; 8];
        w.copy_from_slice(bytes);
        u64::from_le_bytes(w)
    }

    /// The eight-at-a-time scans agree with a byte loop on every byte in every position.
    #[test]
    fn word_scans_agree_with_byte_loops() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut bytes = *b"12345678";
                bytes[at] = b;
                let digits = bytes.iter().take_while(|c| c.is_ascii_digit()).count();
                assert_eq!(
                    digit_run(word(&bytes)),
                    digits,
                    "digits, byte {b:#x} at {at}"
                );
                let mut bytes = *b"abcdefgh";
                bytes[at] = b;
                let plain = bytes
                    .iter()
                    .take_while(|&&c| c != b'"' && c != b'\\' && c >= 0x20)
                    .count();
                assert_eq!(plain_run(word(&bytes)), plain, "plain, byte {b:#x} at {at}");
            }
        }
    }
}
