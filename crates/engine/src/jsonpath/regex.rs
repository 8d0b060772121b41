//! A small backtracking regular-expression matcher for Jayway's `=~` filter operator.
//!
//! Jayway uses Java's `Pattern.matcher(s).matches()`: the whole string must match. This covers the
//! common subset (literals, `.`, classes, `\d\w\s`, groups, `|`, `* + ? {n,m}` greedy and lazy,
//! anchors) without pulling a regex crate into the wasm bundle. Matching has a step budget, so a
//! pathological pattern gives "no match" rather than hanging the page.

/// The most matching steps one [`Regex::is_match`] call may take.
const BUDGET: usize = 200_000;
/// Deepest group nesting accepted.
const MAX_DEPTH: usize = 32;

#[derive(Debug, Clone)]
enum Node {
    Char(char),
    Any,
    Class(Vec<ClassItem>, bool),
    Start,
    End,
    Group(Vec<Vec<Node>>),
    Repeat(Box<Node>, usize, Option<usize>),
}

#[derive(Debug, Clone)]
enum ClassItem {
    Range(char, char),
    Digit(bool),
    Word(bool),
    Space(bool),
}

/// A pattern compiled when its path is parsed: matching does not parse it again.
#[derive(Debug, Clone)]
pub(crate) struct Regex {
    pattern: String,
    ignore_case: bool,
    /// The pattern as one group; `None` when it is not a pattern this matcher reads.
    program: Option<Vec<Node>>,
}

impl PartialEq for Regex {
    fn eq(&self, other: &Self) -> bool {
        self.pattern == other.pattern && self.ignore_case == other.ignore_case
    }
}

impl Regex {
    /// Compiles `pattern`; an invalid one is kept and matches nothing.
    pub(super) fn new(pattern: String, ignore_case: bool) -> Regex {
        let chars: Vec<char> = pattern.chars().collect();
        let mut pos = 0;
        let program = parse_alternatives(&chars, &mut pos, 0)
            .filter(|_| pos == chars.len())
            .map(|alternatives| vec![Node::Group(alternatives)]);
        Regex {
            pattern,
            ignore_case,
            program,
        }
    }

    /// Whether `text` matches the pattern as a whole.
    pub(super) fn is_match(&self, text: &str) -> bool {
        let Some(seq) = &self.program else {
            return false;
        };
        let text: Vec<char> = text.chars().collect();
        let mut m = Matcher {
            text: &text,
            ignore_case: self.ignore_case,
            steps: 0,
        };
        m.seq(seq, 0, &mut |end| end == text.len())
    }
}

fn parse_alternatives(p: &[char], pos: &mut usize, depth: usize) -> Option<Vec<Vec<Node>>> {
    if depth > MAX_DEPTH {
        return None;
    }
    let mut alternatives = vec![Vec::new()];
    while let Some(&c) = p.get(*pos) {
        match c {
            ')' => break,
            '|' => {
                *pos += 1;
                alternatives.push(Vec::new());
                continue;
            }
            _ => {}
        }
        let atom = parse_atom(p, pos, depth)?;
        let atom = parse_quantifier(p, pos, atom)?;
        alternatives.last_mut()?.push(atom);
    }
    Some(alternatives)
}

fn parse_atom(p: &[char], pos: &mut usize, depth: usize) -> Option<Node> {
    let c = *p.get(*pos)?;
    *pos += 1;
    Some(match c {
        '.' => Node::Any,
        '^' => Node::Start,
        '$' => Node::End,
        '(' => {
            // Non-capturing and named groups behave alike here.
            if p.get(*pos) == Some(&'?') {
                *pos += 1;
                if p.get(*pos) == Some(&':') {
                    *pos += 1;
                } else {
                    return None;
                }
            }
            let inner = parse_alternatives(p, pos, depth + 1)?;
            if p.get(*pos) != Some(&')') {
                return None;
            }
            *pos += 1;
            Node::Group(inner)
        }
        '[' => parse_class(p, pos)?,
        '\\' => {
            let e = *p.get(*pos)?;
            *pos += 1;
            match escape_class(e) {
                Some(item) => Node::Class(vec![item], false),
                None => Node::Char(escape_char(e)),
            }
        }
        '*' | '+' | '?' | '{' | ')' => return None,
        other => Node::Char(other),
    })
}

fn escape_class(e: char) -> Option<ClassItem> {
    Some(match e {
        'd' => ClassItem::Digit(true),
        'D' => ClassItem::Digit(false),
        'w' => ClassItem::Word(true),
        'W' => ClassItem::Word(false),
        's' => ClassItem::Space(true),
        'S' => ClassItem::Space(false),
        _ => return None,
    })
}

fn escape_char(e: char) -> char {
    match e {
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        other => other,
    }
}

fn parse_class(p: &[char], pos: &mut usize) -> Option<Node> {
    let negated = p.get(*pos) == Some(&'^');
    if negated {
        *pos += 1;
    }
    let mut items = Vec::new();
    let mut first = true;
    loop {
        let c = *p.get(*pos)?;
        *pos += 1;
        if c == ']' && !first {
            return Some(Node::Class(items, negated));
        }
        first = false;
        let low = if c == '\\' {
            let e = *p.get(*pos)?;
            *pos += 1;
            if let Some(item) = escape_class(e) {
                items.push(item);
                continue;
            }
            escape_char(e)
        } else {
            c
        };
        if p.get(*pos) == Some(&'-') && p.get(*pos + 1).is_some_and(|c| *c != ']') {
            *pos += 1;
            let mut high = *p.get(*pos)?;
            *pos += 1;
            if high == '\\' {
                high = escape_char(*p.get(*pos)?);
                *pos += 1;
            }
            items.push(ClassItem::Range(low, high));
        } else {
            items.push(ClassItem::Range(low, low));
        }
    }
}

fn parse_quantifier(p: &[char], pos: &mut usize, atom: Node) -> Option<Node> {
    let (min, max) = match p.get(*pos) {
        Some('*') => (0, None),
        Some('+') => (1, None),
        Some('?') => (0, Some(1)),
        Some('{') => {
            let close = p[*pos..].iter().position(|c| *c == '}')? + *pos;
            let body: String = p[*pos + 1..close].iter().collect();
            let (min, max) = match body.split_once(',') {
                Some((a, "")) => (a.trim().parse().ok()?, None),
                Some((a, b)) => (a.trim().parse().ok()?, Some(b.trim().parse().ok()?)),
                None => {
                    let n = body.trim().parse().ok()?;
                    (n, Some(n))
                }
            };
            *pos = close;
            (min, max)
        }
        _ => return Some(atom),
    };
    *pos += 1;
    // A lazy quantifier matches the same strings as a greedy one when the whole string must match.
    if p.get(*pos) == Some(&'?') {
        *pos += 1;
    }
    Some(Node::Repeat(Box::new(atom), min, max))
}

struct Matcher<'a> {
    text: &'a [char],
    ignore_case: bool,
    steps: usize,
}

impl Matcher<'_> {
    /// Matches `seq` from `at`, calling `k` with each possible end until it accepts.
    fn seq(&mut self, seq: &[Node], at: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
        self.steps += 1;
        if self.steps > BUDGET {
            return false;
        }
        let Some((node, rest)) = seq.split_first() else {
            return k(at);
        };
        match node {
            Node::Group(alternatives) => {
                for alt in alternatives {
                    let mut joined = alt.clone();
                    joined.extend_from_slice(rest);
                    if self.seq(&joined, at, k) {
                        return true;
                    }
                }
                false
            }
            Node::Repeat(inner, min, max) => self.repeat(inner, (*min, *max), rest, at, 0, k),
            Node::Start => at == 0 && self.seq(rest, at, k),
            Node::End => at == self.text.len() && self.seq(rest, at, k),
            single => match self.text.get(at) {
                Some(c) if self.single(single, *c) => self.seq(rest, at + 1, k),
                _ => false,
            },
        }
    }

    /// Greedy or lazy makes no difference to a whole-string yes/no, so this tries longer first.
    fn repeat(
        &mut self,
        inner: &Node,
        bounds: (usize, Option<usize>),
        rest: &[Node],
        at: usize,
        count: usize,
        k: &mut dyn FnMut(usize) -> bool,
    ) -> bool {
        self.steps += 1;
        if self.steps > BUDGET {
            return false;
        }
        let (min, max) = bounds;
        if max.is_none_or(|m| count < m) {
            let once = [inner.clone()];
            let mut ends = Vec::new();
            self.seq(&once, at, &mut |end| {
                ends.push(end);
                false
            });
            for end in ends {
                // An empty iteration cannot make progress; stop there to avoid looping.
                if end != at && self.repeat(inner, bounds, rest, end, count + 1, k) {
                    return true;
                }
            }
        }
        count >= min && self.seq(rest, at, k)
    }

    fn single(&self, node: &Node, c: char) -> bool {
        match node {
            Node::Char(x) => self.same(*x, c),
            Node::Any => c != '\n',
            Node::Class(items, negated) => items.iter().any(|i| self.in_class(i, c)) != *negated,
            _ => false,
        }
    }

    fn same(&self, a: char, b: char) -> bool {
        a == b || (self.ignore_case && a.to_lowercase().eq(b.to_lowercase()))
    }

    fn in_class(&self, item: &ClassItem, c: char) -> bool {
        match item {
            ClassItem::Range(low, high) => {
                (*low..=*high).contains(&c)
                    || (self.ignore_case
                        && c.to_lowercase()
                            .chain(c.to_uppercase())
                            .any(|x| (*low..=*high).contains(&x)))
            }
            ClassItem::Digit(yes) => c.is_ascii_digit() == *yes,
            ClassItem::Word(yes) => (c.is_alphanumeric() || c == '_') == *yes,
            ClassItem::Space(yes) => c.is_whitespace() == *yes,
        }
    }
}
