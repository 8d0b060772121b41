//! The path parser: text to [`Path`], with Jayway's syntax.

use super::filter;
use super::{Function, Path, PathError, Root, Selector, Step};

/// Deepest nesting of filters accepted, so hostile input cannot exhaust the stack.
pub(super) const MAX_DEPTH: usize = 32;

/// Parses a whole path; trailing text is an error.
/// Like Jayway, surrounding whitespace is ignored.
pub(super) fn parse_path(text: &str) -> Result<Path, PathError> {
    let mut parser = Parser::new(text.trim());
    let mut path = parser.path(false, 0)?;
    if parser.peek().is_some() {
        return Err(parser.error("unexpected text after the path"));
    }
    text.clone_into(&mut path.text);
    Ok(path)
}

/// A cursor over the characters of a path (or of a filter expression holding paths).
pub(super) struct Parser<'t> {
    text: &'t str,
    chars: Vec<char>,
    pub(super) pos: usize,
}

impl<'t> Parser<'t> {
    pub(super) fn new(text: &'t str) -> Self {
        Parser {
            text,
            chars: text.chars().collect(),
            pos: 0,
        }
    }

    pub(super) fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    pub(super) fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    pub(super) fn bump(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    pub(super) fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    pub(super) fn eat_str(&mut self, s: &str) -> bool {
        let n = s.chars().count();
        let matches = s
            .chars()
            .enumerate()
            .all(|(i, c)| self.chars.get(self.pos + i) == Some(&c));
        if matches {
            self.pos += n;
        }
        matches
    }

    pub(super) fn skip_spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    pub(super) fn require(&mut self, c: char) -> Result<(), PathError> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(self.error(&format!("expected '{c}'")))
        }
    }

    pub(super) fn error(&self, message: &str) -> PathError {
        let found = match self.peek() {
            Some(c) => format!("{message}, found '{c}'"),
            None => format!("{message}, found the end of the path"),
        };
        PathError::Syntax {
            path: self.text.to_owned(),
            offset: self.pos,
            message: found,
        }
    }

    /// Parses a path starting at the cursor: `$`, `$$`, `$name` or (in a filter) `@`, then steps.
    /// In a filter, names stop at operators and spaces rather than running to the next `.` or `[`.
    pub(super) fn path(&mut self, in_filter: bool, depth: usize) -> Result<Path, PathError> {
        let start = self.pos;
        let relative = in_filter && self.eat('@');
        let root = if relative { Root::Input } else { self.root()? };
        let mut steps = Vec::new();
        let mut function = None;
        loop {
            match self.peek() {
                Some('.') if self.peek_at(1) == Some('.') => {
                    self.pos += 2;
                    let selector = if self.peek() == Some('[') {
                        self.bracket(depth)?
                    } else {
                        self.dot_selector(in_filter, &mut function)?
                    };
                    if function.is_some() {
                        break;
                    }
                    steps.push(Step::Descendant(selector));
                }
                Some('.') => {
                    self.pos += 1;
                    let selector = self.dot_selector(in_filter, &mut function)?;
                    if function.is_some() {
                        break;
                    }
                    steps.push(Step::Child(selector));
                }
                Some('[') => steps.push(Step::Child(self.bracket(depth)?)),
                _ => break,
            }
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        Ok(Path {
            text,
            root,
            relative,
            steps,
            function,
        })
    }

    fn root(&mut self) -> Result<Root, PathError> {
        if !self.eat('$') {
            return Err(self.error("a path starts with '$'"));
        }
        if self.eat('$') {
            return Ok(Root::Context);
        }
        let begin = self.pos;
        while self.peek().is_some_and(|c| c.is_alphanumeric() || c == '_') {
            self.pos += 1;
        }
        if self.pos == begin {
            Ok(Root::Input)
        } else {
            Ok(Root::Variable(self.chars[begin..self.pos].iter().collect()))
        }
    }

    /// After a `.`: a name, `*`, or a function call such as `length()`.
    fn dot_selector(
        &mut self,
        in_filter: bool,
        function: &mut Option<Function>,
    ) -> Result<Selector, PathError> {
        if self.eat('*') {
            return Ok(Selector::Wildcard);
        }
        let begin = self.pos;
        while let Some(c) = self.peek() {
            let stop = c == '.'
                || c == '['
                || c == '('
                || (in_filter && (c.is_whitespace() || "=!<>&|),]".contains(c)));
            if stop {
                break;
            }
            self.pos += 1;
        }
        let name: String = self.chars[begin..self.pos].iter().collect();
        if name.is_empty() {
            return Err(self.error("expected a property name after '.'"));
        }
        if let Some(blank) = name.find(char::is_whitespace) {
            self.pos = begin + name[..blank].chars().count();
            return Err(self.error("a name with blanks needs brackets, as in ['my name']"));
        }
        if self.peek() == Some('(') {
            let Some(f) = function_named(&name) else {
                return Err(self.error(&format!("'{name}' is not a JSONPath function")));
            };
            self.pos += 1;
            self.skip_spaces();
            self.require(')')?;
            *function = Some(f);
        }
        Ok(Selector::Names(vec![name]))
    }

    /// A bracketed selector: names, indexes, `*`, a slice or a filter.
    fn bracket(&mut self, depth: usize) -> Result<Selector, PathError> {
        self.require('[')?;
        self.skip_spaces();
        let selector = match self.peek() {
            Some('\'') | Some('"') => self.quoted_names()?,
            Some('*') => {
                self.pos += 1;
                Selector::Wildcard
            }
            Some('?') => {
                self.pos += 1;
                self.skip_spaces();
                self.require('(')?;
                if depth >= MAX_DEPTH {
                    return Err(self.error("filters are nested too deeply"));
                }
                let expr = filter::parse_expr(self, depth + 1)?;
                self.skip_spaces();
                self.require(')')?;
                Selector::Filter(Box::new(expr))
            }
            Some(c) if c == '-' || c == ':' || c.is_ascii_digit() => self.indexes_or_slice()?,
            _ => return Err(self.error("expected a name, index, '*', slice or filter after '['")),
        };
        self.skip_spaces();
        self.require(']')?;
        Ok(selector)
    }

    /// `'a'` or `'a', 'b'`. Jayway keeps a backslash literally unless it escapes the quote.
    fn quoted_names(&mut self) -> Result<Selector, PathError> {
        let mut names = Vec::new();
        loop {
            self.skip_spaces();
            let Some(quote) = self.bump().filter(|q| *q == '\'' || *q == '"') else {
                return Err(self.error("expected a quoted name"));
            };
            let mut name = String::new();
            loop {
                match self.bump() {
                    None => return Err(self.error("unterminated quoted name")),
                    Some('\\') if self.peek() == Some(quote) => {
                        self.pos += 1;
                        name.push(quote);
                    }
                    Some(c) if c == quote => break,
                    Some(c) => name.push(c),
                }
            }
            names.push(name);
            self.skip_spaces();
            if !self.eat(',') {
                return Ok(Selector::Names(names));
            }
        }
    }

    /// `[0]`, `[0,2]`, `[1:3]`, `[:2]`, `[-1:]`, `[::2]`.
    fn indexes_or_slice(&mut self) -> Result<Selector, PathError> {
        let first = self.integer()?;
        self.skip_spaces();
        if self.peek() == Some(':') {
            self.pos += 1;
            self.skip_spaces();
            let end = self.integer()?;
            self.skip_spaces();
            let mut step = None;
            if self.eat(':') {
                self.skip_spaces();
                step = self.integer()?;
                if step == Some(0) {
                    return Err(self.error("a slice step cannot be 0"));
                }
            }
            return Ok(Selector::Slice(first, end, step));
        }
        let Some(first) = first else {
            return Err(self.error("expected an index"));
        };
        let mut indexes = vec![first];
        while self.eat(',') {
            self.skip_spaces();
            match self.integer()? {
                Some(n) => indexes.push(n),
                None => return Err(self.error("expected an index after ','")),
            }
            self.skip_spaces();
        }
        Ok(Selector::Indexes(indexes))
    }

    /// An optional signed integer.
    fn integer(&mut self) -> Result<Option<i64>, PathError> {
        let begin = self.pos;
        self.eat('-');
        let digits = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        if self.pos == digits {
            if self.pos != begin {
                return Err(self.error("expected digits after '-'"));
            }
            return Ok(None);
        }
        let text: String = self.chars[begin..self.pos].iter().collect();
        text.parse::<i64>()
            .map(Some)
            .map_err(|_| self.error("index out of range"))
    }
}

fn function_named(name: &str) -> Option<Function> {
    Some(match name {
        "length" | "size" => Function::Length,
        "min" => Function::Min,
        "max" => Function::Max,
        "avg" => Function::Avg,
        "sum" => Function::Sum,
        "stddev" => Function::Stddev,
        "keys" => Function::Keys,
        "first" => Function::First,
        "last" => Function::Last,
        _ => return None,
    })
}
