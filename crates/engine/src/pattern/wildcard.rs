//! `wildcard`: `*` stands for any run of characters; `\*` is a literal star and `\\` a literal backslash.

/// A compiled wildcard: literal pieces between the stars.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Wildcard {
    /// Literal text between stars; `pieces.len() == stars + 1`.
    pieces: Vec<String>,
}

/// Why a wildcard text is not valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum WildcardError {
    /// Two unescaped `*` next to each other (character position of the second).
    Consecutive(usize),
    /// A backslash followed by something other than `*` or `\`.
    BadEscape(usize),
    /// A backslash as the last character.
    TrailingBackslash,
}

impl Wildcard {
    /// Parses the wildcard text.
    pub fn parse(text: &str) -> Result<Wildcard, WildcardError> {
        let mut pieces = vec![String::new()];
        let mut chars = text.chars().enumerate().peekable();
        let mut last_was_star = false;
        while let Some((i, c)) = chars.next() {
            match c {
                '*' => {
                    if last_was_star {
                        return Err(WildcardError::Consecutive(i));
                    }
                    pieces.push(String::new());
                    last_was_star = true;
                    continue;
                }
                '\\' => match chars.next() {
                    Some((_, e @ ('*' | '\\'))) => push(&mut pieces, e),
                    Some(_) => return Err(WildcardError::BadEscape(i)),
                    None => return Err(WildcardError::TrailingBackslash),
                },
                c => push(&mut pieces, c),
            }
            last_was_star = false;
        }
        Ok(Wildcard { pieces })
    }

    /// Whether the whole of `s` matches.
    pub fn matches(&self, s: &str) -> bool {
        let Some((first, rest)) = self.pieces.split_first() else {
            return false;
        };
        let Some(mut s) = s.strip_prefix(first.as_str()) else {
            return false;
        };
        let Some((last, middle)) = rest.split_last() else {
            return s.is_empty(); // no star: the text is the whole value
        };
        for piece in middle {
            match s.find(piece.as_str()) {
                Some(at) => s = &s[at + piece.len()..],
                None => return false,
            }
        }
        s.ends_with(last.as_str())
    }
}

fn push(pieces: &mut [String], c: char) {
    if let Some(last) = pieces.last_mut() {
        last.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn give(w: &str, s: &str, want: bool) {
        assert_eq!(Wildcard::parse(w).unwrap().matches(s), want, "{w} vs {s}");
    }

    #[test]
    fn matching() {
        give("a*b", "ab", true);
        give("a*b", "axxb", true);
        give("a*b", "axxbc", false);
        give("*", "", true);
        give("*ab*ab", "abab", true);
        give("*ab*ab", "ab", false);
        give("a\\*b", "a*b", true);
        give("a\\*b", "axb", false);
        give("a\\\\b", "a\\b", true);
        give("abc", "abc", true);
        give("abc", "abcd", false);
        give("ab*ba", "aba", false);
    }

    #[test]
    fn errors() {
        assert_eq!(Wildcard::parse("a**b"), Err(WildcardError::Consecutive(2)));
        assert_eq!(Wildcard::parse("a\\b"), Err(WildcardError::BadEscape(1)));
        assert_eq!(
            Wildcard::parse("a\\"),
            Err(WildcardError::TrailingBackslash)
        );
        assert!(Wildcard::parse("a\\**").is_ok());
    }
}
