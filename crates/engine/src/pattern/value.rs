//! Value tests: one element of a pattern field's list, applied to one scalar of the event.

use super::cidr::IpRange;
use super::event::Scalar;
use super::wildcard::Wildcard;

/// One test from a field's list; the field matches when any of its tests matches.
#[derive(Debug, Clone)]
pub(crate) enum Test {
    /// A string equal to this one.
    Str(String),
    /// A number equal by value (`300`, `3.0e2` and `300.0` are equal).
    Num(f64),
    /// `true` or `false`.
    Bool(bool),
    /// A present `null`.
    Null,
    /// A string naming an IP address inside the range (`cidr`, or a plain IP address string,
    /// which EventBridge compares as an address, not as text). The flag says whether a number
    /// of the event is read against the range as text: only when the field's list has no
    /// numeric test (see [`IpRange::contains_number_text`]).
    Ip(IpRange, NumbersAsText),
    Prefix(String),
    PrefixIgnoreCase(String),
    Suffix(String),
    SuffixIgnoreCase(String),
    EqualsIgnoreCase(String),
    Wildcard(Wildcard),
    Numeric(Range),
    /// `exists: true` (any leaf value, `null` included) or `exists: false` (handled per field).
    Exists(bool),
    AnythingBut(AnythingBut),
}

/// Whether numbers meet an IP range as text: event-ruler encodes a number as a number (and
/// then no range of addresses takes it) when the field's list holds a numeric test (`numeric`,
/// a number, or `anything-but` numbers), and otherwise feeds its text to the range.
pub(crate) type NumbersAsText = bool;

/// The forms of `anything-but`: each matches a present value the inner test rejects.
#[derive(Debug, Clone)]
pub(crate) enum AnythingBut {
    Strings(Vec<String>),
    Numbers(Vec<f64>),
    Prefix(Vec<String>),
    Suffix(Vec<String>),
    IgnoreCase(Vec<String>),
    Wildcard(Vec<Wildcard>),
}

/// A numeric interval; `None` is unbounded.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Range {
    pub low: Option<(f64, bool)>,
    pub high: Option<(f64, bool)>,
}

impl Range {
    fn contains(&self, x: f64) -> bool {
        let low_ok = match self.low {
            None => true,
            Some((b, inclusive)) => x > b || (inclusive && x == b),
        };
        let high_ok = match self.high {
            None => true,
            Some((b, inclusive)) => x < b || (inclusive && x == b),
        };
        low_ok && high_ok
    }
}

/// Case folding for the `equals-ignore-case` family: each character lowercased.
pub(crate) fn fold(s: &str) -> String {
    s.chars().flat_map(char::to_lowercase).collect()
}

/// `fold(s).starts_with(p)` for a folded `p`, without building `fold(s)`.
pub(crate) fn folded_starts_with(s: &str, p: &str) -> bool {
    // ASCII fast path: ASCII characters fold to one ASCII byte each, so when `p` and the first
    // `p.len()` bytes of `s` are ASCII, the folded prefix is those bytes lowercased.
    if let Some(head) = s.as_bytes().get(..p.len())
        && p.is_ascii()
        && head.is_ascii()
    {
        return head.eq_ignore_ascii_case(p.as_bytes());
    }
    let mut folded = s.chars().flat_map(char::to_lowercase);
    p.chars().all(|c| folded.next() == Some(c))
}

/// `fold(s).ends_with(p)` for a folded `p`, without building `fold(s)`.
pub(crate) fn folded_ends_with(s: &str, p: &str) -> bool {
    if let Some(tail) = s
        .len()
        .checked_sub(p.len())
        .and_then(|from| s.as_bytes().get(from..))
        && p.is_ascii()
        && tail.is_ascii()
    {
        return tail.eq_ignore_ascii_case(p.as_bytes());
    }
    let mut folded = s.chars().rev().flat_map(|c| c.to_lowercase().rev());
    p.chars().rev().all(|c| folded.next() == Some(c))
}

/// `fold(s) == p` for a folded `p`, without building `fold(s)`.
pub(crate) fn folded_equals(s: &str, p: &str) -> bool {
    if p.is_ascii() && s.is_ascii() {
        return s.eq_ignore_ascii_case(p);
    }
    s.chars().flat_map(char::to_lowercase).eq(p.chars())
}

/// A number as event-ruler's automaton would read it: its shortest round-trip form (only its
/// leading digits matter, and they are the same as the event's own text unless the event
/// wrote an exponent, like `1E5`).
fn number_text(x: f64) -> String {
    serde_json::Number::from_f64(x).map_or_else(String::new, |n| n.to_string())
}

impl Test {
    /// Whether this test is one that makes event-ruler read the field's numbers as numbers.
    pub fn is_numeric(&self) -> bool {
        matches!(
            self,
            Test::Num(_) | Test::Numeric(_) | Test::AnythingBut(AnythingBut::Numbers(_))
        )
    }

    /// Whether this test accepts one scalar leaf of the event.
    pub fn accepts(&self, v: &Scalar) -> bool {
        match self {
            Test::Str(s) => v.as_str() == Some(s.as_str()),
            Test::Num(n) => v.as_f64() == Some(*n),
            Test::Bool(b) => *v == Scalar::Bool(*b),
            Test::Null => *v == Scalar::Null,
            // Here we follow event-ruler, where the user guide says a `cidr` matches IP
            // addresses only: a number of the event is read as text against the range when the
            // field has no numeric test (5.0 is in 0.0.0.0/0), and never when it has one
            // (`[{"numeric": [">", 100]}, {"cidr": "0.0.0.0/0"}]` does not match 5).
            Test::Ip(r, numbers_as_text) => match v {
                Scalar::Str(s) => r.contains_text(s),
                Scalar::Num(x) => *numbers_as_text && r.contains_number_text(&number_text(*x)),
                _ => false,
            },
            Test::Prefix(p) => v.as_str().is_some_and(|s| s.starts_with(p.as_str())),
            Test::Suffix(p) => v.as_str().is_some_and(|s| s.ends_with(p.as_str())),
            Test::PrefixIgnoreCase(p) => v.as_str().is_some_and(|s| folded_starts_with(s, p)),
            Test::SuffixIgnoreCase(p) => v.as_str().is_some_and(|s| folded_ends_with(s, p)),
            Test::EqualsIgnoreCase(p) => v.as_str().is_some_and(|s| folded_equals(s, p)),
            Test::Wildcard(w) => v.as_str().is_some_and(|s| w.matches(s)),
            Test::Numeric(r) => v.as_f64().is_some_and(|x| r.contains(x)),
            Test::Exists(present) => *present,
            Test::AnythingBut(ab) => ab.accepts(v),
        }
    }
}

impl AnythingBut {
    fn accepts(&self, v: &Scalar) -> bool {
        match self {
            AnythingBut::Strings(set) => match v.as_str() {
                Some(s) => !set.iter().any(|x| x == s),
                None => true,
            },
            AnythingBut::Numbers(set) => match v.as_f64() {
                Some(n) => !set.contains(&n),
                None => true,
            },
            AnythingBut::Prefix(ps) => match v.as_str() {
                Some(s) => !ps.iter().any(|p| s.starts_with(p.as_str())),
                None => true,
            },
            AnythingBut::Suffix(ps) => match v.as_str() {
                Some(s) => !ps.iter().any(|p| s.ends_with(p.as_str())),
                None => true,
            },
            AnythingBut::IgnoreCase(set) => match v.as_str() {
                Some(s) => !set.iter().any(|x| folded_equals(s, x)),
                None => true,
            },
            AnythingBut::Wildcard(ws) => match v.as_str() {
                Some(s) => !ws.iter().any(|w| w.matches(s)),
                None => true,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The non-allocating comparisons agree with folding first, ASCII or not.
    #[test]
    fn folded_comparisons_agree_with_fold() {
        let texts = [
            "",
            "a",
            "A",
            "Ab",
            "aB",
            "STREET",
            "street",
            "\u{212A}elvin",
            "kelvin",
            "ΣΑΣ",
            "σας",
            "İi",
            "i̇",
            "straße",
            "STRASSE",
            "ǅ",
            "ǆ",
            "xK",
            "x\u{212A}",
        ];
        for s in texts {
            for p in texts.map(fold) {
                assert_eq!(
                    folded_starts_with(s, &p),
                    fold(s).starts_with(&p),
                    "{s} / {p}"
                );
                assert_eq!(folded_ends_with(s, &p), fold(s).ends_with(&p), "{s} / {p}");
                assert_eq!(folded_equals(s, &p), fold(s) == p, "{s} / {p}");
            }
        }
    }
}
