//! Intrinsic functions, one line per behaviour: results, AWS's argument checks, parsing.

use serde_json::{Map, Value, json};
use statebridge_engine::intrinsics::{
    self, IntrinsicError, Rng, evaluate_str, is_intrinsic, parse,
};
use statebridge_engine::jsonpath::Scope;

fn input() -> Value {
    json!({
        "s": "input data", "n": 3, "f": 1.5, "arr": [1, 2, 3, 2, 1], "obj": {"a": 1, "b": [true]},
        "empty": "", "csv": "a,b,,c", "tpl": "Hi {}!", "big": "x".repeat(10_001)
    })
}

fn run(text: &str) -> Result<Value, IntrinsicError> {
    let input = input();
    let mut vars = Map::new();
    vars.insert("who".into(), json!("Ada"));
    let context = json!({"Execution": {"Id": "arn:x", "Input": {"k": "v"}}});
    let scope = Scope {
        input: &input,
        context: &context,
        variables: &vars,
    };
    evaluate_str(text, &scope, &mut Rng::new(42))
}

/// `text` evaluates to `expected`.
fn give(text: &str, expected: Value) {
    assert_eq!(run(text), Ok(expected), "{text}");
}

/// `text` fails with `States.IntrinsicFailure` and a message containing `words`.
fn fails(text: &str, words: &str) {
    match run(text) {
        Err(e) => {
            assert_eq!(e.error_name(), "States.IntrinsicFailure", "{text}: {e}");
            assert!(
                e.to_string().contains(words),
                "{text}: '{e}' lacks '{words}'"
            );
        }
        Ok(v) => panic!("{text}: expected a failure, got {v}"),
    }
}

#[test]
fn formats() {
    give("States.Format('Hello {}', $.s)", json!("Hello input data"));
    give("States.Format('{} and {}', $.n, $.f)", json!("3 and 1.5"));
    give("States.Format('{}', null)", json!("null"));
    give("States.Format('{}', true)", json!("true"));
    give("States.Format('{}', $.obj)", json!("{a=1, b=[true]}"));
    give("States.Format('{}', $.arr)", json!("[1, 2, 3, 2, 1]"));
    give("States.Format('\\{\\} {}', 1)", json!("{} 1"));
    give("States.Format('It\\'s {}', $who)", json!("It's Ada"));
    give("States.Format('back\\\\slash')", json!("back\\slash"));
    give("States.Format($.tpl, $$.Execution.Id)", json!("Hi arn:x!"));
    give("States.Format('no placeholders')", json!("no placeholders"));
    fails("States.Format('{} {}', 1)", "placeholders");
    fails("States.Format('{}', 1, 2)", "placeholder");
    fails("States.Format()", "at least 1");
    fails("States.Format(1)", "must be a string");
}

#[test]
fn converts_json() {
    give(
        "States.StringToJson('{\"a\": [1, 2.5]}')",
        json!({"a": [1, 2.5]}),
    );
    give("States.StringToJson('-0')", json!(0));
    give("States.StringToJson(' ')", json!(null));
    give("States.StringToJson($.empty)", json!(null));
    give(
        "States.JsonToString($.obj)",
        json!("{\"a\":1,\"b\":[true]}"),
    );
    give("States.JsonToString($.s)", json!("\"input data\""));
    give("States.JsonToString($.f)", json!("1.5"));
    fails("States.StringToJson('{')", "not valid JSON");
    fails("States.StringToJson($.n)", "must be a string");
    fails("States.JsonToString()", "takes 1 argument");
}

#[test]
fn builds_and_reads_arrays() {
    give("States.Array()", json!([]));
    give(
        "States.Array('a', 1, null, $.obj.a, States.Array())",
        json!(["a", 1, null, 1, []]),
    );
    give(
        "States.ArrayPartition($.arr, 2)",
        json!([[1, 2], [3, 2], [1]]),
    );
    give("States.ArrayPartition(States.Array(), 2)", json!([]));
    give("States.ArrayContains($.arr, 3)", json!(true));
    give("States.ArrayContains($.arr, 4)", json!(false));
    give(
        "States.ArrayContains(States.Array($.obj), $.obj)",
        json!(true),
    );
    give("States.ArrayRange(1, 9, 2)", json!([1, 3, 5, 7, 9]));
    give("States.ArrayRange(0, 10, 3)", json!([0, 3, 6, 9]));
    give("States.ArrayRange(5, 1, -2)", json!([5, 3, 1]));
    give("States.ArrayRange(5, 1, 2)", json!([]));
    give(
        "States.ArrayRange(1, 1000, 1)",
        Value::Array((1..=1000).map(Value::from).collect()),
    );
    give("States.ArrayGetItem($.arr, 2)", json!(3));
    give("States.ArrayLength($.arr)", json!(5));
    give("States.ArrayUnique($.arr)", json!([1, 2, 3]));
    give(
        "States.ArrayUnique(States.Array($.obj, $.obj, 1))",
        json!([{"a": 1, "b": [true]}, 1]),
    );
    fails("States.ArrayPartition($.arr, 0)", "positive");
    // AWS rounds non-integers to the nearest integer (documented), halves up.
    give(
        "States.ArrayPartition($.arr, 1.5)",
        json!([[1, 2], [3, 2], [1]]),
    );
    give("States.ArrayRange(0.5, 4.4, 1.5)", json!([1, 3]));
    fails("States.ArrayPartition($.arr, 0.4)", "positive");
    fails("States.ArrayPartition($.arr, '2')", "must be an integer");
    fails("States.ArrayPartition($.s, 1)", "must be an array");
    fails("States.ArrayRange(1, 1001, 1)", "at most 1000");
    fails("States.ArrayRange(1, 5, 0)", "must not be 0");
    fails("States.ArrayRange(1, 5)", "takes 3 arguments");
    fails("States.ArrayGetItem($.arr, 5)", "outside");
    fails("States.ArrayGetItem($.arr, -1)", "outside");
    fails("States.ArrayLength($.obj)", "must be an array");
}

#[test]
fn encodes_and_hashes() {
    give(
        "States.Base64Encode('Data to encode')",
        json!("RGF0YSB0byBlbmNvZGU="),
    );
    give("States.Base64Encode('')", json!(""));
    give("States.Base64Encode('ab')", json!("YWI="));
    give(
        "States.Base64Decode('RGF0YSB0byBlbmNvZGU=')",
        json!("Data to encode"),
    );
    give("States.Base64Decode('YWI')", json!("ab"));
    give(
        "States.Hash($.s, 'MD5')",
        json!("812f45842bc6d66ee14572ce20db8e86"),
    );
    give(
        "States.Hash($.s, 'SHA-1')",
        json!("aaff4a450a104cd177d28d18d74485e8cae074b7"),
    );
    give(
        "States.Hash($.s, 'SHA-256')",
        json!("b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"),
    );
    fails("States.Base64Decode('***')", "not valid base64");
    fails("States.Base64Encode($.big)", "limit is 10000");
    fails("States.Hash($.big, 'MD5')", "limit is 10000");
    fails("States.Hash($.s, 'SHA-3')", "algorithms are");
    fails("States.Hash($.n, 'MD5')", "must be a string");
}

#[test]
fn merges_objects_shallowly() {
    give(
        "States.JsonMerge($.obj, States.StringToJson('{\"b\": 2, \"c\": 3}'), false)",
        json!({"a": 1, "b": 2, "c": 3}),
    );
    fails(
        "States.JsonMerge($.obj, $.obj, true)",
        "deep merging is not supported",
    );
    fails("States.JsonMerge($.obj, $.arr, false)", "must be an object");
    fails("States.JsonMerge($.obj, $.obj)", "takes 3 arguments");
}

#[test]
fn does_math() {
    give("States.MathAdd(1, 2)", json!(3));
    give("States.MathAdd($.n, -1)", json!(2));
    // AWS rounds each argument half up (Java's Math.round) before adding (recorded).
    give("States.MathAdd(1.5, 1.51)", json!(4));
    give("States.MathAdd(-1.5, 0)", json!(-1));
    give("States.MathAdd(-2.5, 0)", json!(-2));
    give("States.MathAdd(-0.5, 0.5)", json!(1));
    fails("States.MathAdd(2147483647, 1)", "outside the range");
    fails("States.MathAdd('1', 2)", "must be a number");
    fails("States.MathAdd(1)", "takes 2 arguments");
    let seeded = run("States.MathRandom(0, 1000, 7)").unwrap();
    assert_eq!(
        run("States.MathRandom(0, 1000, 7)").unwrap(),
        seeded,
        "same seed, same number"
    );
    for text in [
        "States.MathRandom(1, 10)",
        "States.MathRandom(12.5, 44.51)",
        "States.MathRandom(-99999, -9999, 3)",
    ] {
        let n = run(text).unwrap().as_i64().unwrap();
        assert!((-99999..45).contains(&n), "{text} gave {n}");
    }
    fails("States.MathRandom(5, 5)", "greater than");
    fails("States.MathRandom(1)", "takes 2 or 3 arguments");
}

#[test]
fn splits_strings_and_makes_uuids() {
    give("States.StringSplit($.csv, ',')", json!(["a", "b", "c"]));
    give(
        "States.StringSplit('This.is+a,test=string', '.+,=')",
        json!(["This", "is", "a", "test", "string"]),
    );
    give("States.StringSplit(', , ,', ',')", json!([" ", " "]));
    give("States.StringSplit('abc', '')", json!(["abc"]));
    give(
        "States.StringSplit($$.Execution.Input.k, ',')",
        json!(["v"]),
    );
    fails("States.StringSplit($.n, ',')", "must be a string");
    let uuid = run("States.UUID()").unwrap();
    let uuid = uuid.as_str().unwrap();
    assert_eq!(uuid.len(), 36);
    assert_eq!(&uuid[14..15], "4", "version 4: {uuid}");
    assert!("89ab".contains(&uuid[19..20]), "variant: {uuid}");
    assert_eq!(
        run("States.UUID()").unwrap(),
        json!(uuid),
        "same seed, same UUID"
    );
    fails("States.UUID(1)", "takes 0 arguments");
}

#[test]
fn parses_calls() {
    assert!(is_intrinsic("States.Format('x')"));
    assert!(is_intrinsic(" States.UUID() "));
    assert!(!is_intrinsic("$.States"));
    assert!(
        is_intrinsic("States.Format"),
        "meant as a call; parse says what is missing"
    );
    give("States.Format('\\u0041\\u00e9 {}', 1)", json!("Aé 1"));
    let call =
        parse("States.Format('a\\'b {}', $.x[0], States.Array(1, -2.5e1), true, null)").unwrap();
    assert_eq!(call.name, "States.Format");
    assert_eq!(call.args.len(), 5);
    assert_eq!(
        call.to_string(),
        "States.Format('a\\'b {}', $.x[0], States.Array(1, -25.0), true, null)"
    );
    assert!(matches!(
        parse("States.Nope(1)"),
        Err(IntrinsicError::UnknownFunction { .. })
    ));
    for bad in [
        "States.Format(",
        "States.Format('x'",
        "States.Format('x') extra",
        "States.Format(x)",
        "States.Format('a' 'b')",
        "Format('a')",
        "States.Format(1..2)",
        "States.Format($.a b)",
    ] {
        let err = parse(bad).unwrap_err();
        assert_eq!(err.error_name(), "States.IntrinsicFailure", "{bad}: {err}");
    }
    // A path inside a call may hold commas, parentheses and quotes.
    give("States.ArrayLength($.arr[?(@ > 1)])", json!(3));
    give(
        "States.Array($.obj['a','b'], $['n'])",
        json!([{"a": 1, "b": [true]}, 3]),
    );
}

#[test]
fn missing_paths_are_runtime_errors() {
    let err = run("States.Format('{}', $.nope)").unwrap_err();
    assert_eq!(err.error_name(), "States.Runtime");
    assert!(err.to_string().contains("$.nope"), "{err}");
    let _ = intrinsics::Rng::new(1).next_f64();
}
