//! Encodings the intrinsics need: base64, hashes as hex, and Java's `toString` of JSON values
//! (what `States.Format` prints for numbers, objects and arrays, since AWS runs on Java).

use md5::Md5;
use serde_json::{Number, Value};
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha384, Sha512};

/// The digest of `data` as lowercase hex, for the algorithms `States.Hash` accepts.
pub(super) fn hash_hex(algorithm: &str, data: &[u8]) -> Option<String> {
    let digest: Vec<u8> = match algorithm {
        "MD5" => Md5::digest(data).to_vec(),
        "SHA-1" => Sha1::digest(data).to_vec(),
        "SHA-256" => Sha256::digest(data).to_vec(),
        "SHA-384" => Sha384::digest(data).to_vec(),
        "SHA-512" => Sha512::digest(data).to_vec(),
        _ => return None,
    };
    Some(digest.iter().map(|b| format!("{b:02x}")).collect())
}

/// How Java prints a value: strings bare, `{a=1, b=[x, y]}` for objects, `[1, 2]` for arrays.
pub(super) fn java_string(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => java_number(n),
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(java_string).collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Object(map) => {
            let parts: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{k}={}", java_string(v)))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
    }
}

/// Integers as written; floats as Java's `Double.toString` (`1.0`, `1.5E-4`, `1.0E7`).
pub(super) fn java_number(n: &Number) -> String {
    if n.is_i64() || n.is_u64() {
        return n.to_string();
    }
    let Some(x) = n.as_f64() else {
        return n.to_string();
    };
    if !x.is_finite() {
        return n.to_string();
    }
    let magnitude = x.abs();
    if x == 0.0 || (1e-3..1e7).contains(&magnitude) {
        let text = format!("{x}");
        if text.contains('.') {
            text
        } else {
            format!("{text}.0")
        }
    } else {
        let text = format!("{x:e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let mantissa = if mantissa.contains('.') {
            mantissa.to_owned()
        } else {
            format!("{mantissa}.0")
        };
        format!("{mantissa}E{exponent}")
    }
}
