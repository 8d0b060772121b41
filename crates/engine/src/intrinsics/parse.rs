//! The intrinsic call parser: `States.Name(arg, …)` with string literals, numbers, booleans, null,
//! paths and nested calls as arguments.

use serde_json::{Number, Value};

use super::functions::is_known;
use super::{Arg, Call, IntrinsicError};
use crate::jsonpath;

/// Deepest nesting of calls accepted.
const MAX_DEPTH: usize = 32;

/// Parses a whole call; text after the closing parenthesis is an error.
pub fn parse(text: &str) -> Result<Call, IntrinsicError> {
    let mut p = Parser {
        text,
        chars: text.chars().collect(),
        pos: 0,
    };
    p.skip_spaces();
    let call = p.call(0)?;
    p.skip_spaces();
    if p.pos < p.chars.len() {
        return Err(p.error("unexpected text after the call"));
    }
    Ok(call)
}

struct Parser<'t> {
    text: &'t str,
    chars: Vec<char>,
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn starts_with(&self, s: &str) -> bool {
        s.chars()
            .enumerate()
            .all(|(i, c)| self.chars.get(self.pos + i) == Some(&c))
    }

    fn error(&self, message: &str) -> IntrinsicError {
        let message = match self.peek() {
            Some(c) => format!("{message}, found '{c}'"),
            None => format!("{message}, found the end of the text"),
        };
        IntrinsicError::Syntax {
            text: self.text.to_owned(),
            offset: self.pos,
            message,
        }
    }

    fn call(&mut self, depth: usize) -> Result<Call, IntrinsicError> {
        if depth > MAX_DEPTH {
            return Err(self.error("calls are nested too deeply"));
        }
        if !self.starts_with("States.") {
            return Err(self.error("expected an intrinsic function such as States.Format("));
        }
        let begin = self.pos;
        self.pos += "States.".len();
        while self.peek().is_some_and(|c| c.is_alphanumeric() || c == '_') {
            self.pos += 1;
        }
        let name: String = self.chars[begin..self.pos].iter().collect();
        if !is_known(&name) {
            return Err(IntrinsicError::UnknownFunction { name });
        }
        self.skip_spaces();
        if self.peek() != Some('(') {
            return Err(self.error(&format!("expected '(' after {name}")));
        }
        self.pos += 1;
        let mut args = Vec::new();
        self.skip_spaces();
        if self.peek() == Some(')') {
            self.pos += 1;
            return Ok(Call { name, args });
        }
        loop {
            self.skip_spaces();
            args.push(self.arg(depth)?);
            self.skip_spaces();
            match self.peek() {
                Some(',') => self.pos += 1,
                Some(')') => {
                    self.pos += 1;
                    return Ok(Call { name, args });
                }
                _ => return Err(self.error("expected ',' or ')' after an argument")),
            }
        }
    }

    fn arg(&mut self, depth: usize) -> Result<Arg, IntrinsicError> {
        match self.peek() {
            Some('\'') => self.string(),
            Some('$') => self.path(),
            Some(c) if c == '-' || c.is_ascii_digit() => self.number(),
            _ if self.starts_with("States.") => Ok(Arg::Call(Box::new(self.call(depth + 1)?))),
            _ => {
                for (word, value) in [
                    ("true", Value::Bool(true)),
                    ("false", Value::Bool(false)),
                    ("null", Value::Null),
                ] {
                    if self.starts_with(word) {
                        self.pos += word.len();
                        return Ok(Arg::Literal(value));
                    }
                }
                Err(self.error(
                    "expected an argument: a 'string', a number, true, false, null, a path or a call",
                ))
            }
        }
    }

    /// `'…'`: a backslash escapes the next character (`\'`, `\{`, `\}`, `\\`); `\uXXXX` names one.
    fn string(&mut self) -> Result<Arg, IntrinsicError> {
        self.pos += 1;
        let mut value = String::new();
        let mut raw = String::new();
        loop {
            match self.peek() {
                None => return Err(self.error("unterminated string literal")),
                Some('\'') => {
                    self.pos += 1;
                    return Ok(Arg::Text { value, raw });
                }
                Some('\\') => {
                    self.pos += 1;
                    let Some(c) = self.peek() else {
                        return Err(self.error("unterminated string literal"));
                    };
                    self.pos += 1;
                    if c == 'u'
                        && let Some(decoded) = self.unicode_escape()
                    {
                        value.push(decoded);
                        if "{}\\".contains(decoded) {
                            raw.push('\\');
                        }
                        raw.push(decoded);
                        continue;
                    }
                    value.push(c);
                    if c != '\'' {
                        raw.push('\\');
                    }
                    raw.push(c);
                }
                Some(c) => {
                    self.pos += 1;
                    value.push(c);
                    raw.push(c);
                }
            }
        }
    }

    /// After `\u`: four hex digits naming a character (surrogates are not characters).
    fn unicode_escape(&mut self) -> Option<char> {
        let digits: String = self.chars.get(self.pos..self.pos + 4)?.iter().collect();
        let code = u32::from_str_radix(&digits, 16).ok()?;
        let c = char::from_u32(code)?;
        self.pos += 4;
        Some(c)
    }

    /// A path runs to the next `,` or `)` outside brackets, parentheses and quotes.
    fn path(&mut self) -> Result<Arg, IntrinsicError> {
        let begin = self.pos;
        let mut depth = 0usize;
        let mut quote: Option<char> = None;
        while let Some(c) = self.peek() {
            match (quote, c) {
                (Some(q), '\\') if self.chars.get(self.pos + 1) == Some(&q) => self.pos += 1,
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '\'' | '"') => quote = Some(c),
                (None, '[' | '(') => depth += 1,
                (None, ']') => depth = depth.saturating_sub(1),
                (None, ')') if depth == 0 => break,
                (None, ')') => depth -= 1,
                (None, ',') if depth == 0 => break,
                (None, c) if c.is_whitespace() && depth == 0 => break,
                _ => {}
            }
            self.pos += 1;
        }
        let text: String = self.chars[begin..self.pos].iter().collect();
        jsonpath::parse(&text)
            .map(Arg::Path)
            .map_err(IntrinsicError::Path)
    }

    fn number(&mut self) -> Result<Arg, IntrinsicError> {
        let begin = self.pos;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_digit() || "+-.eE".contains(c))
        {
            self.pos += 1;
        }
        let text: String = self.chars[begin..self.pos].iter().collect();
        match serde_json::from_str::<Number>(&text) {
            Ok(n) => Ok(Arg::Literal(Value::Number(n))),
            Err(_) => {
                self.pos = begin;
                Err(self.error(&format!("'{text}' is not a number")))
            }
        }
    }
}
