//! `cidr` and IP address values: an address range of one family.

use std::net::IpAddr;

/// An inclusive range of IPv4 or IPv6 addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct IpRange {
    v6: bool,
    low: u128,
    high: u128,
}

/// Why a `cidr` text is not valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CidrError {
    /// No `/`, or more than one.
    Slash,
    /// The address part is not a standard IPv4 or IPv6 address.
    Address(String),
    /// The prefix length is not a number in range for the family (EventBridge's matcher wants
    /// fewer than 32 bits for IPv4 and fewer than 128 for IPv6: a single address is written alone).
    Bits { v6: bool },
}

/// Reads an address as EventBridge does: IPv4 octets may carry leading zeros (`10.0.0.01` is
/// `10.0.0.1`, read in decimal); IPv6 in any standard form.
fn parse_ip(text: &str) -> Option<(bool, u128)> {
    if text.contains(':') {
        return match text.parse::<IpAddr>().ok()? {
            IpAddr::V6(a) => Some((true, u128::from(a))),
            IpAddr::V4(_) => None,
        };
    }
    let mut n: u128 = 0;
    let mut parts = 0;
    for part in text.split('.') {
        if part.is_empty() || part.len() > 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let octet: u128 = part.parse().ok()?;
        if octet > 255 {
            return None;
        }
        n = (n << 8) | octet;
        parts += 1;
    }
    (parts == 4).then_some((false, n))
}

impl IpRange {
    /// A single address, when `text` is one (EventBridge compares such pattern strings as addresses).
    pub fn address(text: &str) -> Option<IpRange> {
        let (v6, n) = parse_ip(text)?;
        Some(IpRange {
            v6,
            low: n,
            high: n,
        })
    }

    /// Parses `address/bits`.
    pub fn cidr(text: &str) -> Result<IpRange, CidrError> {
        let mut parts = text.split('/');
        let (Some(addr), Some(len), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(CidrError::Slash);
        };
        let (v6, n) = parse_ip(addr).ok_or_else(|| CidrError::Address(addr.to_owned()))?;
        let width = if v6 { 128 } else { 32 };
        let len: u32 = match len.parse() {
            Ok(l) if l < width && len.bytes().all(|b| b.is_ascii_digit()) => l,
            _ => return Err(CidrError::Bits { v6 }),
        };
        let host_bits = width - len;
        let host_mask: u128 = if host_bits >= 128 {
            u128::MAX
        } else {
            (1u128 << host_bits) - 1
        };
        let low = n & !host_mask;
        let high = if v6 {
            low | host_mask
        } else {
            (low | host_mask) & u32::MAX as u128
        };
        Ok(IpRange { v6, low, high })
    }

    /// Whether `text` is an address inside the range.
    ///
    /// EventBridge's matcher compares addresses as hex digit strings, and an IPv4 range accepts an
    /// IPv6 address whose first 32 bits fall inside it (so `0.0.0.0/0` matches `fe80::1`); an
    /// IPv4 address never falls in an IPv6 range.
    pub fn contains_text(&self, text: &str) -> bool {
        let Some((v6, n)) = parse_ip(text) else {
            return false;
        };
        let n = match (self.v6, v6) {
            (false, true) => n >> 96,
            (true, false) => return false,
            _ => n,
        };
        self.low <= n && n <= self.high
    }

    /// Whether a number of the event, written as `text`, falls in the range the way
    /// event-ruler's automaton lets it in when the field has no numeric test.
    ///
    /// Here we follow event-ruler's observed behaviour, not the user guide (which says `cidr`
    /// matches IP addresses only). event-ruler compiles a range into an automaton over its bounds
    /// written as upper-case hex digits (8 for IPv4, 32 for IPv6) that reports a match as soon as
    /// a prefix of the value is known to lie strictly between them (or, after every digit, inside
    /// them). A number's text is not an address, so it is fed to that automaton as it is, and its
    /// leading digits are read as hex digits: `5.0` is inside `0.0.0.0/0` after its first digit
    /// (`"0" < "5" < "F"`), `123` inside `16.0.0.0/4` after two (`"10" < "12" < "1F"`), and a
    /// negative number never (`-` is not a digit). The conformance corpus records 5.0 in
    /// `0.0.0.0/0` (generated-1.json/gen-1-1299) and no number in any narrower range it tried.
    pub fn contains_number_text(&self, text: &str) -> bool {
        let width = if self.v6 { 32 } else { 8 };
        let (low, high) = if self.v6 {
            (format!("{:032X}", self.low), format!("{:032X}", self.high))
        } else {
            (format!("{:08X}", self.low), format!("{:08X}", self.high))
        };
        let digits = text
            .bytes()
            .take_while(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(b))
            .count()
            .min(width);
        (1..=digits).any(|m| {
            let (Some(q), Some(lo), Some(hi)) = (text.get(..m), low.get(..m), high.get(..m)) else {
                return false;
            };
            if m < width {
                lo < q && q < hi
            } else {
                lo <= q && q <= hi
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        let table = [
            ("10.0.0.0/24", "10.0.0.255", true),
            ("10.0.0.0/24", "10.0.1.0", false),
            ("0.0.0.0/0", "255.255.255.255", true),
            ("2001:db8::/32", "2001:db8:ffff::1", true),
            ("2001:db8::/32", "2001:db9::1", false),
            ("10.0.0.0/8", "::1", false),
            ("0.0.0.0/0", "fe80::1", true), // observed in event-ruler: IPv4 ranges see an IPv6 address's top 32 bits
            ("10.0.0.0/24", "10.0.0.01", true),
            ("2001:db8::/32", "10.0.0.1", false),
            ("10.0.0.0/8", "10.1", false),
        ];
        for (cidr, ip, want) in table {
            assert_eq!(
                IpRange::cidr(cidr).unwrap().contains_text(ip),
                want,
                "{cidr} {ip}"
            );
        }
    }

    /// A number's text read by event-ruler's range automaton (see `contains_number_text`).
    #[test]
    fn number_texts() {
        let table = [
            ("0.0.0.0/0", "5.0", true),
            ("0.0.0.0/0", "1", true),
            ("0.0.0.0/0", "0", false), // on the lower bound's path, never decided
            ("0.0.0.0/0", "-1", false),
            ("10.0.0.0/8", "10", false), // the bounds start 0A
            ("16.0.0.0/4", "123", true), // "10" < "12" < "1F"
            ("16.0.0.0/4", "1", false),
            ("17.0.0.0/31", "11000000", true), // every digit read: 0x11000000 is 17.0.0.0
            ("172.16.0.0/12", "123456789", false),
            ("2001:db8::/32", "2001", false),
            ("::/0", "7", true),
        ];
        for (cidr, text, want) in table {
            assert_eq!(
                IpRange::cidr(cidr).unwrap().contains_number_text(text),
                want,
                "{cidr} {text}"
            );
        }
    }

    #[test]
    fn errors() {
        assert_eq!(IpRange::cidr("foo"), Err(CidrError::Slash));
        assert_eq!(
            IpRange::cidr("10.0.0/8"),
            Err(CidrError::Address("10.0.0".into()))
        );
        assert_eq!(
            IpRange::cidr("10.0.0.1/32"),
            Err(CidrError::Bits { v6: false })
        );
        assert_eq!(IpRange::cidr("::1/128"), Err(CidrError::Bits { v6: true }));
    }
}
