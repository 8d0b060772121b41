//! Decimal text to `f64` with the same parser that reads the JSON documents (serde_json's), so
//! a number written in a path filter or held in a string compares equal to the same number in
//! the input. It also keeps core's `str::parse::<f64>` out of the build: that one links about
//! 20 KB of power-of-five tables into the wasm, which compress poorly.

/// Reads a decimal number: an optional sign, digits with an optional fraction (`5`, `-1.25`,
/// `.5`, `5.`), and an optional exponent (`2e3`, `1.5E-4`). Surrounding whitespace, `inf`, `NaN`,
/// hexadecimal and anything out of `f64`'s range give `None`.
///
/// ```
/// use statebridge_engine::number::parse_f64;
/// assert_eq!(parse_f64("+.5e1"), Some(5.0));
/// assert_eq!(parse_f64("NaN"), None);
/// ```
pub fn parse_f64(text: &str) -> Option<f64> {
    let (sign, rest) = match text.as_bytes().first()? {
        b'-' => ("-", &text[1..]),
        b'+' => ("", &text[1..]),
        _ => ("", text),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() && frac.is_none_or(str::is_empty) || !digits(int) || !frac.is_none_or(digits)
    {
        return None;
    }
    // JSON's grammar: no leading zeros, digits on both sides of the point, an unsigned exponent
    // sign only as `+`/`-` followed by digits.
    let int = int.trim_start_matches('0');
    let mut json = String::with_capacity(text.len() + 3);
    json.push_str(sign);
    json.push_str(if int.is_empty() { "0" } else { int });
    if let Some(f) = frac.filter(|f| !f.is_empty()) {
        json.push('.');
        json.push_str(f);
    }
    if let Some(e) = exponent {
        let unsigned = e.strip_prefix(['+', '-']).unwrap_or(e);
        if unsigned.is_empty() || !digits(unsigned) {
            return None;
        }
        json.push('e');
        json.push_str(e);
    }
    serde_json::from_str::<f64>(&json)
        .ok()
        .filter(|f| f.is_finite())
}

#[cfg(test)]
mod tests {
    use super::parse_f64;

    #[test]
    fn reads_what_core_reads_for_finite_decimals() {
        for text in [
            "0",
            "-0",
            "7",
            "+7",
            "007",
            "1.5",
            "-1.25",
            ".5",
            "5.",
            "-.5",
            "1e3",
            "1E-3",
            "2.5e+2",
            "1.e2",
            "0.1",
            "123456789012345678901234567890",
            "1.7976931348623157e308",
            "5e-324",
            "3.141592653589793",
        ] {
            assert_eq!(parse_f64(text), text.parse::<f64>().ok(), "{text}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_finite_decimal() {
        for text in [
            "", "-", "+", ".", "-.", "e5", "1e", "1e+", "1.2.3", "1,5", " 1", "1 ", "inf", "-inf",
            "NaN", "infinity", "0x10", "1e400", "--1", "+-1", "1e5.5", "١",
        ] {
            assert_eq!(parse_f64(text), None, "{text}");
        }
    }
}
