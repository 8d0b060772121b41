//! The functions Step Functions adds to JSONata (`$partition`, `$range`, `$hash`, `$random`,
//! `$uuid`, `$parse`) and the one it takes away (`$eval`), registered as host functions.

use std::cell::RefCell;
use std::sync::OnceLock;

use jlens_core::{Bindings, Error, HostFunction};
use md5::Md5;
use serde_json::{Number, Value};
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha384, Sha512};

use crate::intrinsics::Rng;

/// The most items `$range` builds, as JSONata's own range operator (`[a..b]`) allows.
const MAX_RANGE_ITEMS: f64 = 1e7;

/// Mixed into a `$random(seed)` seed so that it does not replay the execution's own sequence.
const SEED_MIX: u64 = 0x5EED_5EED_5EED_5EED;

type HostResult = jlens_core::Result<Option<Value>>;

/// A stateless AWS function: its arguments as JSON (`None` for undefined) to its result.
type Stateless = fn(&[Option<Value>]) -> HostResult;

thread_local! {
    /// The generator of the evaluation running on this thread, moved here for its duration
    /// ([`with_rng`]).
    static RNG: RefCell<Rng> = RefCell::new(Rng::new(0));
}

/// The library, built once: the stateless functions, and `$random`/`$uuid` drawing from the
/// generator of the evaluation running ([`with_rng`]). Cloning it shares the functions.
pub(super) fn library() -> Bindings {
    static LIBRARY: OnceLock<Bindings> = OnceLock::new();
    LIBRARY
        .get_or_init(|| {
            let mut library = stateless();
            if let Ok(f) = HostFunction::with_signature("<n?:n>", |args, _| {
                RNG.with(|rng| random(args, &mut rng.borrow_mut()))
            }) {
                library = library.function("random", f.without_input());
            }
            if let Ok(f) = HostFunction::with_signature("<:s>", |_, _| {
                Ok(Some(Value::String(
                    RNG.with(|rng| uuid_v4(&mut rng.borrow_mut())),
                )))
            }) {
                library = library.function("uuid", f.without_input());
            }
            library
        })
        .clone()
}

/// Runs `evaluate` with `rng` as the generator of `$random()` and `$uuid()`, and moves `rng` on
/// as they drew from it, so that a later expression continues the same sequence.
pub(super) fn with_rng<R>(rng: &mut Rng, evaluate: impl FnOnce() -> R) -> R {
    let saved = RNG.with(|r| r.replace(rng.clone()));
    let result = evaluate();
    *rng = RNG.with(|r| r.replace(saved));
    result
}

fn stateless() -> Bindings {
    let mut library = Bindings::new();
    let functions: [(&str, &str, Stateless); 4] = [
        ("partition", "<an:a>", partition),
        ("range", "<nnn:x>", range),
        ("hash", "<ss:s>", hash),
        ("parse", "<s:x>", parse),
    ];
    for (name, signature, imp) in functions {
        if let Ok(f) = HostFunction::with_signature(signature, move |args, _| imp(args)) {
            library = library.function(name, f.without_input());
        }
    }
    // AWS refuses `$eval`: JSON text is read with `$parse` instead.
    let eval = HostFunction::new(2, |_, _| {
        Err(failure(
            "$eval is not supported by Step Functions; use $parse to read JSON text",
        ))
    });
    library.function("eval", eval.without_input())
}

/// An error with a message of our own (`D3137` is the code `$error()` raises).
fn failure(message: impl Into<String>) -> Error {
    Error::new("D3137").with("message", message.into())
}

fn number_arg(args: &[Option<Value>], index: usize) -> Option<f64> {
    args.get(index)?.as_ref()?.as_f64()
}

/// A JSON number for `x`, written as an integer when it is one (as JSON.stringify would).
fn json_number(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        Value::Number(Number::from(x as i64))
    } else {
        Number::from_f64(x).map_or(Value::Null, Value::Number)
    }
}

/// `$partition(array, size)`: the array cut into chunks of `size` items, the last one shorter.
fn partition(args: &[Option<Value>]) -> HostResult {
    let items = match args.first() {
        Some(Some(Value::Array(items))) => items,
        _ => return Ok(None),
    };
    let size = number_arg(args, 1).unwrap_or(0.0);
    if size < 1.0 || size.fract() != 0.0 {
        return Err(failure(format!(
            "$partition: the chunk size must be a positive integer, not {size}"
        )));
    }
    let chunks = items
        .chunks(size as usize)
        .map(|chunk| Value::Array(chunk.to_vec()))
        .collect();
    Ok(Some(Value::Array(chunks)))
}

/// `$range(start, end, step)`: `start`, `start + step`, … up to and including `end`.
fn range(args: &[Option<Value>]) -> HostResult {
    let (Some(start), Some(end), Some(step)) = (
        number_arg(args, 0),
        number_arg(args, 1),
        number_arg(args, 2),
    ) else {
        return Ok(None);
    };
    if [start, end, step].iter().any(|x| x.fract() != 0.0) {
        return Err(failure("$range: the start, end and step must be integers"));
    }
    if step == 0.0 {
        return Err(failure("$range: the step must not be 0"));
    }
    let count = ((end - start) / step).floor() + 1.0;
    if count > MAX_RANGE_ITEMS {
        return Err(failure(format!(
            "$range: {count} items is more than the {MAX_RANGE_ITEMS} allowed"
        )));
    }
    let mut items: Vec<Value> = (0..count.max(0.0) as u64)
        .map(|k| json_number(start + k as f64 * step))
        .collect();
    // AWS returns a JSONata sequence, so one item stands alone and none is undefined:
    // `$range(1, 9, 9)` gives `1`, not `[1]` (recorded on AWS).
    Ok(match items.len() {
        0 => None,
        1 => items.pop(),
        _ => Some(Value::Array(items)),
    })
}

/// `$hash(text, algorithm)`: the digest of the UTF-8 text as lowercase hex.
fn hash(args: &[Option<Value>]) -> HostResult {
    let (Some(Some(Value::String(text))), Some(Some(Value::String(algorithm)))) =
        (args.first(), args.get(1))
    else {
        return Ok(None);
    };
    let data = text.as_bytes();
    let digest: Vec<u8> = match algorithm.as_str() {
        "MD5" => Md5::digest(data).to_vec(),
        "SHA-1" => Sha1::digest(data).to_vec(),
        "SHA-256" => Sha256::digest(data).to_vec(),
        "SHA-384" => Sha384::digest(data).to_vec(),
        "SHA-512" => Sha512::digest(data).to_vec(),
        other => {
            return Err(failure(format!(
                "$hash: the algorithm is '{other}'; it must be one of MD5, SHA-1, SHA-256, \
                 SHA-384 and SHA-512"
            )));
        }
    };
    Ok(Some(Value::String(
        digest.iter().map(|b| format!("{b:02x}")).collect(),
    )))
}

/// `$parse(text)`: the JSON value the text holds.
fn parse(args: &[Option<Value>]) -> HostResult {
    let Some(Some(Value::String(text))) = args.first() else {
        return Ok(None);
    };
    match serde_json::from_str::<Value>(text) {
        Ok(value) => Ok(Some(without_negative_zero(value))),
        Err(e) => Err(failure(format!("$parse: the text is not valid JSON: {e}"))),
    }
}

/// JSON `-0` reads as the float -0.0, which would print as `-0.0`; AWS gives `0`.
fn without_negative_zero(value: Value) -> Value {
    match value {
        Value::Number(n) if n.as_f64() == Some(0.0) && n.is_f64() => json_number(0.0),
        Value::Array(items) => Value::Array(items.into_iter().map(without_negative_zero).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, without_negative_zero(v)))
                .collect(),
        ),
        other => other,
    }
}

/// `$random([seed])`: a number in `[0, 1)`; the same seed always gives the same number.
fn random(args: &[Option<Value>], rng: &mut Rng) -> HostResult {
    let fraction = match args.first() {
        Some(Some(Value::Number(seed))) => {
            let bits = match seed.as_i64() {
                Some(integer) => integer as u64,
                None => seed.as_f64().unwrap_or(0.0).to_bits(),
            };
            Rng::new(bits ^ SEED_MIX).next_f64()
        }
        _ => rng.next_f64(),
    };
    Ok(Some(json_number(fraction)))
}

/// A version 4 UUID from the execution's generator.
fn uuid_v4(rng: &mut Rng) -> String {
    let mut bytes = [0u8; 16];
    let (high, low) = bytes.split_at_mut(8);
    high.copy_from_slice(&rng.next_u64().to_le_bytes());
    low.copy_from_slice(&rng.next_u64().to_le_bytes());
    bytes[6] = (bytes[6] & 0x0F) | 0x40;
    bytes[8] = (bytes[8] & 0x3F) | 0x80;
    let mut text = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            text.push('-');
        }
        text.push_str(&format!("{b:02x}"));
    }
    text
}
