//! Each intrinsic function, with AWS's argument checks.

use serde_json::{Map, Number, Value};

use super::codec::{hash_hex, java_string};
use super::{Arg, Call, IntrinsicError, Rng};
use crate::base64::{self, Alphabet};
use crate::jsonpath::Scope;

/// The most items `States.ArrayRange` may produce.
const MAX_RANGE_ITEMS: i64 = 1000;
/// The longest string `States.Base64Encode`, `States.Base64Decode` and `States.Hash` accept.
const MAX_INPUT_CHARS: usize = 10_000;

const NAMES: [&str; 18] = [
    "States.Format",
    "States.StringToJson",
    "States.JsonToString",
    "States.Array",
    "States.ArrayPartition",
    "States.ArrayContains",
    "States.ArrayRange",
    "States.ArrayGetItem",
    "States.ArrayLength",
    "States.ArrayUnique",
    "States.Base64Encode",
    "States.Base64Decode",
    "States.Hash",
    "States.JsonMerge",
    "States.MathRandom",
    "States.MathAdd",
    "States.StringSplit",
    "States.UUID",
];

/// Whether `name` is one of the intrinsic functions.
pub(super) fn is_known(name: &str) -> bool {
    NAMES.contains(&name)
}

/// The evaluated arguments of one call, with helpers that check them the way AWS does.
struct Args<'c> {
    function: &'c str,
    values: Vec<Value>,
}

impl Args<'_> {
    fn invalid(&self, position: usize, message: impl Into<String>) -> IntrinsicError {
        IntrinsicError::InvalidArgument {
            function: self.function.to_owned(),
            position,
            message: message.into(),
        }
    }

    fn count(&self, allowed: &[usize]) -> Result<(), IntrinsicError> {
        if allowed.contains(&self.values.len()) {
            return Ok(());
        }
        let expected = match allowed {
            [one] => one.to_string(),
            [a, b] => format!("{a} or {b}"),
            _ => format!("{allowed:?}"),
        };
        Err(IntrinsicError::ArgumentCount {
            function: self.function.to_owned(),
            expected,
            found: self.values.len(),
        })
    }

    fn get(&self, position: usize) -> &Value {
        self.values.get(position - 1).unwrap_or(&Value::Null)
    }

    fn wrong_type(&self, position: usize, wanted: &str) -> IntrinsicError {
        let found = crate::jsonpath::type_name(self.get(position));
        self.invalid(position, format!("must be {wanted}, but it is {found}"))
    }

    fn string(&self, position: usize) -> Result<&str, IntrinsicError> {
        self.get(position)
            .as_str()
            .ok_or_else(|| self.wrong_type(position, "a string"))
    }

    fn limited_string(&self, position: usize) -> Result<&str, IntrinsicError> {
        let s = self.string(position)?;
        let length = s.chars().count();
        if length > MAX_INPUT_CHARS {
            return Err(self.invalid(
                position,
                format!("is {length} characters long; the limit is {MAX_INPUT_CHARS}"),
            ));
        }
        Ok(s)
    }

    fn array(&self, position: usize) -> Result<&Vec<Value>, IntrinsicError> {
        self.get(position)
            .as_array()
            .ok_or_else(|| self.wrong_type(position, "an array"))
    }

    fn object(&self, position: usize) -> Result<&Map<String, Value>, IntrinsicError> {
        self.get(position)
            .as_object()
            .ok_or_else(|| self.wrong_type(position, "an object"))
    }

    fn number(&self, position: usize) -> Result<f64, IntrinsicError> {
        self.get(position)
            .as_f64()
            .ok_or_else(|| self.wrong_type(position, "a number"))
    }

    /// An integer. AWS documents that a non-integer is "rounded off to the nearest integer", and
    /// the recordings show halves going up (Java's `Math.round`).
    fn integer(&self, position: usize) -> Result<i64, IntrinsicError> {
        let value = self.get(position);
        if let Some(n) = value.as_i64() {
            return Ok(n);
        }
        match value.as_f64() {
            Some(x) if x.is_finite() && x.abs() < 9.0e18 => Ok((x + 0.5).floor() as i64),
            Some(x) => Err(self.invalid(position, format!("is {x}, too large for an integer"))),
            None => Err(self.wrong_type(position, "an integer")),
        }
    }

    /// A number rounded as Java's `Math.round` does (halves go up), within Java's `int` range.
    fn rounded_int(&self, position: usize) -> Result<i64, IntrinsicError> {
        self.number(position)?;
        let rounded = self.integer(position)?;
        check_int_range(rounded).map_err(|message| self.invalid(position, message))
    }
}

fn check_int_range(n: i64) -> Result<i64, String> {
    if (i64::from(i32::MIN)..=i64::from(i32::MAX)).contains(&n) {
        Ok(n)
    } else {
        Err(format!(
            "is {n}, outside the range {} to {}",
            i32::MIN,
            i32::MAX
        ))
    }
}

/// Evaluates one call; `depth` bounds recursion through nested calls.
pub(super) fn evaluate(
    call: &Call,
    scope: &Scope,
    rng: &mut Rng,
    depth: usize,
) -> Result<Value, IntrinsicError> {
    let mut values = Vec::with_capacity(call.args.len());
    for arg in &call.args {
        values.push(match arg {
            Arg::Literal(value) => value.clone(),
            Arg::Text { value, .. } => Value::String(value.clone()),
            Arg::Path(path) => path.evaluate(scope)?,
            Arg::Call(inner) if depth < 64 => evaluate(inner, scope, rng, depth + 1)?,
            Arg::Call(inner) => {
                return Err(IntrinsicError::InvalidArgument {
                    function: inner.name.clone(),
                    position: 1,
                    message: "is nested too deeply".to_owned(),
                });
            }
        });
    }
    let args = Args {
        function: &call.name,
        values,
    };
    dispatch(&args, call.args.first(), rng)
}

/// Runs the named function on evaluated arguments.
fn dispatch(args: &Args, first: Option<&Arg>, rng: &mut Rng) -> Result<Value, IntrinsicError> {
    match args.function {
        "States.Format" => format(args, first),
        "States.StringToJson" => string_to_json(args),
        "States.JsonToString" => {
            args.count(&[1])?;
            Ok(Value::String(
                serde_json::to_string(args.get(1)).unwrap_or_default(),
            ))
        }
        "States.Array" => Ok(Value::Array(args.values.clone())),
        "States.ArrayPartition" => array_partition(args),
        "States.ArrayContains" => {
            args.count(&[2])?;
            Ok(Value::Bool(args.array(1)?.contains(args.get(2))))
        }
        "States.ArrayRange" => array_range(args),
        "States.ArrayGetItem" => array_get_item(args),
        "States.ArrayLength" => {
            args.count(&[1])?;
            Ok(Value::from(args.array(1)?.len()))
        }
        "States.ArrayUnique" => array_unique(args),
        "States.Base64Encode" => {
            args.count(&[1])?;
            let text = args.limited_string(1)?;
            Ok(Value::String(base64::encode(
                text.as_bytes(),
                Alphabet::Standard,
                true,
            )))
        }
        "States.Base64Decode" => base64_decode_fn(args),
        "States.Hash" => hash(args),
        "States.JsonMerge" => json_merge(args),
        "States.MathRandom" => math_random(args, rng),
        "States.MathAdd" => math_add(args),
        "States.StringSplit" => string_split(args),
        "States.UUID" => {
            args.count(&[0])?;
            Ok(Value::String(uuid_v4(rng)))
        }
        name => Err(IntrinsicError::UnknownFunction {
            name: name.to_owned(),
        }),
    }
}

fn array_unique(args: &Args) -> Result<Value, IntrinsicError> {
    args.count(&[1])?;
    let mut unique: Vec<Value> = Vec::new();
    for item in args.array(1)? {
        if !unique.contains(item) {
            unique.push(item.clone());
        }
    }
    Ok(Value::Array(unique))
}

fn math_add(args: &Args) -> Result<Value, IntrinsicError> {
    args.count(&[2])?;
    let sum = args.rounded_int(1)? + args.rounded_int(2)?;
    check_int_range(sum)
        .map(Value::from)
        .map_err(|m| args.invalid(2, format!("gives a sum that {m}")))
}

/// `States.Format(template, args…)`: each unescaped `{}` takes the next argument.
fn format(args: &Args, template_arg: Option<&Arg>) -> Result<Value, IntrinsicError> {
    if args.values.is_empty() {
        return Err(IntrinsicError::ArgumentCount {
            function: args.function.to_owned(),
            expected: "at least 1".to_owned(),
            found: 0,
        });
    }
    // A literal template keeps its escapes (`\{` is a brace, not a placeholder).
    let template = match template_arg {
        Some(Arg::Text { raw, .. }) => raw.clone(),
        _ => args.string(1)?.to_owned(),
    };
    let mut out = String::new();
    let mut next = 1;
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(escaped) = chars.next() {
                    out.push(escaped);
                }
            }
            '{' if chars.peek() == Some(&'}') => {
                chars.next();
                next += 1;
                if next > args.values.len() {
                    break;
                }
                out.push_str(&java_string(args.get(next)));
            }
            other => out.push(other),
        }
    }
    let placeholders = next - 1;
    let given = args.values.len() - 1;
    if placeholders != given {
        let placeholders = template_placeholders(&template);
        return Err(args.invalid(
            1,
            format!(
                "has {placeholders} placeholder{} '{{}}' but {given} value{} {} given",
                if placeholders == 1 { "" } else { "s" },
                if given == 1 { "" } else { "s" },
                if given == 1 { "was" } else { "were" },
            ),
        ));
    }
    Ok(Value::String(out))
}

fn template_placeholders(template: &str) -> usize {
    let mut count = 0;
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '{' if chars.peek() == Some(&'}') => {
                chars.next();
                count += 1;
            }
            _ => {}
        }
    }
    count
}

fn string_to_json(args: &Args) -> Result<Value, IntrinsicError> {
    args.count(&[1])?;
    let text = args.string(1)?;
    // Jackson reads blank text as no value at all, which AWS returns as null.
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    let value = serde_json::from_str::<Value>(text)
        .map_err(|e| args.invalid(1, format!("is not valid JSON text ({e})")))?;
    // serde reads the integer `-0` as the float -0.0; Jackson (AWS) reads it as the integer 0.
    let has_float_zero = text.contains("-0.") || text.contains("-0e") || text.contains("-0E");
    Ok(if has_float_zero {
        value
    } else {
        integer_zeros(value)
    })
}

fn integer_zeros(value: Value) -> Value {
    match value {
        Value::Number(n) if n.as_f64().is_some_and(|x| x == 0.0 && x.is_sign_negative()) => {
            Value::from(0)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(integer_zeros).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, integer_zeros(v)))
                .collect(),
        ),
        other => other,
    }
}

fn array_partition(args: &Args) -> Result<Value, IntrinsicError> {
    args.count(&[2])?;
    let items = args.array(1)?;
    let size = args.integer(2)?;
    let Some(size) = usize::try_from(size).ok().filter(|s| *s > 0) else {
        return Err(args.invalid(
            2,
            format!("must be a positive chunk size, but it is {size}"),
        ));
    };
    Ok(Value::Array(
        items
            .chunks(size)
            .map(|c| Value::Array(c.to_vec()))
            .collect(),
    ))
}

fn array_range(args: &Args) -> Result<Value, IntrinsicError> {
    args.count(&[3])?;
    let (start, end, step) = (args.integer(1)?, args.integer(2)?, args.integer(3)?);
    if step == 0 {
        return Err(args.invalid(3, "must not be 0"));
    }
    let count = if (step > 0 && start > end) || (step < 0 && start < end) {
        0
    } else {
        (i128::from(end) - i128::from(start)) / i128::from(step) + 1
    };
    if count > i128::from(MAX_RANGE_ITEMS) {
        return Err(args.invalid(
            3,
            format!("would make {count} items; States.ArrayRange makes at most {MAX_RANGE_ITEMS}"),
        ));
    }
    let items = (0..count as i64)
        .map(|i| Value::from(start + i * step))
        .collect();
    Ok(Value::Array(items))
}

fn array_get_item(args: &Args) -> Result<Value, IntrinsicError> {
    args.count(&[2])?;
    let items = args.array(1)?;
    let index = args.integer(2)?;
    usize::try_from(index)
        .ok()
        .and_then(|i| items.get(i))
        .cloned()
        .ok_or_else(|| {
            args.invalid(
                2,
                format!(
                    "is {index}, outside the array's indexes 0 to {}",
                    items.len() as i64 - 1
                ),
            )
        })
}

fn base64_decode_fn(args: &Args) -> Result<Value, IntrinsicError> {
    args.count(&[1])?;
    let text = args.limited_string(1)?;
    let bytes = base64::decode(text, Alphabet::Standard)
        .ok_or_else(|| args.invalid(1, "is not valid base64"))?;
    String::from_utf8(bytes)
        .map(Value::String)
        .map_err(|_| args.invalid(1, "does not decode to UTF-8 text"))
}

fn hash(args: &Args) -> Result<Value, IntrinsicError> {
    args.count(&[2])?;
    let data = args.limited_string(1)?;
    let algorithm = args.string(2)?;
    hash_hex(algorithm, data.as_bytes())
        .map(Value::String)
        .ok_or_else(|| {
            args.invalid(
                2,
                format!(
                    "is '{algorithm}'; the algorithms are MD5, SHA-1, SHA-256, SHA-384 and SHA-512"
                ),
            )
        })
}

fn json_merge(args: &Args) -> Result<Value, IntrinsicError> {
    args.count(&[3])?;
    let mut merged = args.object(1)?.clone();
    let second = args.object(2)?;
    match args.get(3) {
        Value::Bool(false) => {}
        Value::Bool(true) => {
            return Err(args.invalid(3, "must be false: deep merging is not supported"));
        }
        _ => return Err(args.wrong_type(3, "a boolean")),
    }
    for (key, value) in second {
        merged.insert(key.clone(), value.clone());
    }
    Ok(Value::Object(merged))
}

fn math_random(args: &Args, rng: &mut Rng) -> Result<Value, IntrinsicError> {
    args.count(&[2, 3])?;
    let start = args.rounded_int(1)?;
    let end = args.rounded_int(2)?;
    if start >= end {
        return Err(args.invalid(2, format!("must be greater than the start {start}")));
    }
    let fraction = if args.values.len() == 3 {
        // The same seed gives the same number, whatever came before in the execution.
        let seed = args.integer(3)?;
        Rng::new(seed as u64 ^ 0x5EED_5EED_5EED_5EED).next_f64()
    } else {
        rng.next_f64()
    };
    let span = (end - start) as f64;
    let offset = ((fraction * span) as i64).min(end - start - 1);
    Ok(Value::Number(Number::from(start + offset)))
}

/// Splits on any of the delimiter characters and drops empty pieces, as Java's StringTokenizer.
fn string_split(args: &Args) -> Result<Value, IntrinsicError> {
    args.count(&[2])?;
    let text = args.string(1)?;
    let delimiters: Vec<char> = args.string(2)?.chars().collect();
    let pieces = text
        .split(|c| delimiters.contains(&c))
        .filter(|piece| !piece.is_empty())
        .map(|piece| Value::String(piece.to_owned()))
        .collect();
    Ok(Value::Array(pieces))
}

/// A version 4 UUID drawn from the execution's generator.
fn uuid_v4(rng: &mut Rng) -> String {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&rng.next_u64().to_le_bytes());
    bytes[8..].copy_from_slice(&rng.next_u64().to_le_bytes());
    bytes[6] = (bytes[6] & 0x0F) | 0x40;
    bytes[8] = (bytes[8] & 0x3F) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}
