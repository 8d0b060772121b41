//! Base64 in its two alphabets: the standard one (`States.Base64Encode`/`Decode`, padded) and the
//! URL-safe one (the playground's share links, unpadded).

/// Which 64 characters stand for the six-bit groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alphabet {
    /// `A–Z a–z 0–9 + /`.
    Standard,
    /// `A–Z a–z 0–9 - _`.
    Url,
}

impl Alphabet {
    fn chars(self) -> &'static [u8; 64] {
        match self {
            Self::Standard => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
            Self::Url => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
        }
    }
}

/// Encodes `bytes`; `pad` adds the `=` that fill the last group of four.
///
/// ```
/// use statebridge_engine::base64::{Alphabet, encode};
/// assert_eq!(encode(b"hi?", Alphabet::Standard, true), "aGk/");
/// assert_eq!(encode(b"hi", Alphabet::Standard, true), "aGk=");
/// assert_eq!(encode(b"hi", Alphabet::Url, false), "aGk");
/// ```
pub fn encode(bytes: &[u8], alphabet: Alphabet, pad: bool) -> String {
    let chars = alphabet.chars();
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(char::from(chars[((n >> (18 - 6 * i)) & 63) as usize]));
        }
        if pad {
            out.extend(std::iter::repeat_n('=', 3 - chunk.len()));
        }
    }
    out
}

/// Decodes base64 in `alphabet`; padding is optional (at most two `=`). `None` for any other
/// character, or a lone trailing character, which cannot encode a whole byte.
///
/// ```
/// use statebridge_engine::base64::{Alphabet, decode};
/// assert_eq!(decode("aGk=", Alphabet::Standard), Some(b"hi".to_vec()));
/// assert_eq!(decode("aGk", Alphabet::Url), Some(b"hi".to_vec()));
/// assert_eq!(decode("aGk/a", Alphabet::Standard), None);
/// ```
pub fn decode(text: &str, alphabet: Alphabet) -> Option<Vec<u8>> {
    let chars = alphabet.chars();
    let trimmed = text.trim_end_matches('=');
    if text.len() - trimmed.len() > 2 || trimmed.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(trimmed.len() / 4 * 3 + 2);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in trimmed.bytes() {
        let value = chars.iter().position(|&a| a == c)? as u32;
        acc = (acc << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}
