//! JSONPath behaviour, one line per rule: reading, errors, ResultPath, path kinds.

use serde_json::{Map, Value, json};
use statebridge_engine::jsonpath::{Path, PathError, Root, Scope, parse, set_result};

fn store() -> Value {
    json!({
        "store": {
            "book": [
                {"category": "reference", "author": "Nigel Rees", "title": "Sayings", "price": 8.95},
                {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword", "price": 12.99},
                {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick",
                 "isbn": "0-553-21311-3", "price": 8.99},
                {"category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord",
                 "isbn": "0-395-19395-8", "price": 22.99}
            ],
            "bicycle": {"color": "red", "price": 19.95}
        },
        "expensive": 10
    })
}

fn eval_with(
    path: &str,
    input: &Value,
    context: &Value,
    vars: &Map<String, Value>,
) -> Result<Value, PathError> {
    let scope = Scope {
        input,
        context,
        variables: vars,
    };
    parse(path)?.evaluate(&scope)
}

/// `path` read from `input` gives `expected`.
fn give(path: &str, input: Value, expected: Value) {
    let got = eval_with(path, &input, &json!({}), &Map::new());
    assert_eq!(got, Ok(expected), "{path}");
}

/// `path` read from `input` fails with this Jayway detail.
fn fails(path: &str, input: Value, detail: &str) {
    match eval_with(path, &input, &json!({}), &Map::new()) {
        Err(PathError::NotFound { detail: d, .. }) => assert_eq!(d, detail, "{path}"),
        other => panic!("{path}: expected a NotFound error, got {other:?}"),
    }
}

fn syntax_error(path: &str) {
    assert!(
        matches!(parse(path), Err(PathError::Syntax { .. })),
        "{path} should not parse"
    );
}

fn reference(path: &str, is_reference: bool, is_definite: bool) {
    let p = parse(path).unwrap();
    assert_eq!(p.is_reference_path(), is_reference, "{path} reference");
    assert_eq!(p.is_definite(), is_definite, "{path} definite");
}

fn set(input: Value, path: &str, result: Value, expected: Value) {
    let p = parse(path).unwrap();
    assert_eq!(set_result(&input, &p, result), Ok(expected), "{path}");
}

fn set_fails(input: Value, path: &str) {
    let p = parse(path).unwrap();
    let err = set_result(&input, &p, json!(1)).unwrap_err();
    assert_eq!(err.error_name(), "States.ResultPathMatchFailure", "{path}");
}

#[test]
fn reads_definite_paths() {
    give("$", json!({"a": 1}), json!({"a": 1}));
    give("$.a", json!({"a": 1}), json!(1));
    give("$.a.b", json!({"a": {"b": [1, 2]}}), json!([1, 2]));
    give("$['a']", json!({"a": 1}), json!(1));
    give("$[\"a\"]", json!({"a": 1}), json!(1));
    give("$['a b']", json!({"a b": 1}), json!(1));
    give("$.a[1]", json!({"a": [1, 2]}), json!(2));
    give("$.a[-1]", json!({"a": [1, 2, 3]}), json!(3));
    give("$[0]", json!([7, 8]), json!(7));
    give(
        "$.delivery-partner",
        json!({"delivery-partner": "x"}),
        json!("x"),
    );
    give("$.a.null", json!({"a": {"null": null}}), json!(null));
    give(
        "$.n",
        json!({"n": 12345678901234567_i64}),
        json!(12345678901234567_i64),
    );
    give("$.f", json!({"f": 1.5}), json!(1.5));
    // Jayway keeps a backslash that does not escape the quote (recorded on AWS).
    give(
        "$['Test\\\"\"Name\"']",
        json!({"Test\\\"\"Name\"": "v"}),
        json!("v"),
    );
    give("$['it\\'s']", json!({"it's": 1}), json!(1));
    // A union of names at the end merges them into one object (Jayway).
    give(
        "$['a','c']",
        json!({"a": 1, "b": 2, "c": 3}),
        json!({"a": 1, "c": 3}),
    );
}

#[test]
fn reads_indefinite_paths_as_arrays() {
    give(
        "$.store.book[*].author",
        store(),
        json!([
            "Nigel Rees",
            "Evelyn Waugh",
            "Herman Melville",
            "J. R. R. Tolkien"
        ]),
    );
    give(
        "$..author",
        store(),
        json!([
            "Nigel Rees",
            "Evelyn Waugh",
            "Herman Melville",
            "J. R. R. Tolkien"
        ]),
    );
    give(
        "$.store.*",
        json!({"store": {"a": 1, "b": [2]}}),
        json!([1, [2]]),
    );
    give(
        "$.store..price",
        store(),
        json!([8.95, 12.99, 8.99, 22.99, 19.95]),
    );
    give("$..book[2].title", store(), json!(["Moby Dick"]));
    give("$..book[-1:].title", store(), json!(["The Lord"]));
    give("$..book[0,1].title", store(), json!(["Sayings", "Sword"]));
    give("$..book[:2].title", store(), json!(["Sayings", "Sword"]));
    give("$..book[1:3].title", store(), json!(["Sword", "Moby Dick"]));
    give("$.a[::2]", json!({"a": [0, 1, 2, 3, 4]}), json!([0, 2, 4]));
    give("$.a[::-1]", json!({"a": [0, 1, 2]}), json!([2, 1, 0]));
    give(
        "$..book[?(@.isbn)].title",
        store(),
        json!(["Moby Dick", "The Lord"]),
    );
    give(
        "$..book[?(!@.isbn)].title",
        store(),
        json!(["Sayings", "Sword"]),
    );
    give(
        "$.store.book[?(@.price < 10)].title",
        store(),
        json!(["Sayings", "Moby Dick"]),
    );
    give(
        "$.store.book[?(@.price <= $.expensive)].title",
        store(),
        json!(["Sayings", "Moby Dick"]),
    );
    give(
        "$..book[?(@.price > 10 && @.category == 'fiction')].title",
        store(),
        json!(["Sword", "The Lord"]),
    );
    give(
        "$..book[?(@.price > 20 || @.author == \"Nigel Rees\")].title",
        store(),
        json!(["Sayings", "The Lord"]),
    );
    give(
        "$..book[?(@.author =~ /.*REES/i)].title",
        store(),
        json!(["Sayings"]),
    );
    give(
        "$..book[?(@.author =~ /Herman .+/)].title",
        store(),
        json!(["Moby Dick"]),
    );
    give(
        "$..book[?(@.category in ['reference'])].title",
        store(),
        json!(["Sayings"]),
    );
    give(
        "$..book[?(@.category nin ['fiction'])].title",
        store(),
        json!(["Sayings"]),
    );
    give("$.a[?(@ > 1)]", json!({"a": [1, 2, 3]}), json!([2, 3]));
    give(
        "$.a[?(@.t size 2)]",
        json!({"a": [{"t": [1, 2]}, {"t": [1]}]}),
        json!([{"t": [1, 2]}]),
    );
    give(
        "$.a[?(@.t empty true)]",
        json!({"a": [{"t": []}, {"t": [1]}]}),
        json!([{"t": []}]),
    );
    give(
        "$.a[?(@.t subsetof [1, 2, 3])]",
        json!({"a": [{"t": [1, 2]}, {"t": [4]}]}),
        json!([{"t": [1, 2]}]),
    );
    give(
        "$.a[?(@.t anyof [4])]",
        json!({"a": [{"t": [1, 2]}, {"t": [4]}]}),
        json!([{"t": [4]}]),
    );
    give(
        "$.a[?(@.t noneof [4])]",
        json!({"a": [{"t": [1, 2]}, {"t": [4]}]}),
        json!([{"t": [1, 2]}]),
    );
    give(
        "$.users[?(@.status == 0)]",
        json!({"users": [{"status": 0}, {"status": 1}]}),
        json!([{"status": 0}]),
    );
    // Jayway: a number equals a string holding that number.
    give(
        "$.a[?(@.v == '1')]",
        json!({"a": [{"v": 1}, {"v": 2}]}),
        json!([{"v": 1}]),
    );
    // Missing fields on the way make an indefinite path empty, not an error (recorded on AWS).
    give("$.item.items[1:5].itemValue", json!({}), json!([]));
    give("$.items[*]", json!({}), json!([]));
    give("$[*]", json!({}), json!([]));
    give("$.a[5:]", json!({"a": [1]}), json!([]));
}

#[test]
fn applies_trailing_functions() {
    give("$.a.length()", json!({"a": [1, 2, 3]}), json!(3));
    give("$.a.sum()", json!({"a": [1, 2, 3]}), json!(6.0));
    give("$.a.min()", json!({"a": [3, 1, 2]}), json!(1.0));
    give("$.a.max()", json!({"a": [3, 1, 2]}), json!(3.0));
    give("$.a.avg()", json!({"a": [1, 2, 3]}), json!(2.0));
    give(
        "$.o.keys()",
        json!({"o": {"x": 1, "y": 2}}),
        json!(["x", "y"]),
    );
    give("$.a.first()", json!({"a": [1, 2]}), json!(1));
    give("$.a.last()", json!({"a": [1, 2]}), json!(2));
    give(
        "$.a[*].b.length()",
        json!({"a": [{"b": 1}, {"b": 2}]}),
        json!(2),
    );
}

#[test]
fn fails_like_jayway_on_definite_paths() {
    fails(
        "$.NoSuchInputPath",
        json!({"int-literal": 0}),
        "No results for path: $['NoSuchInputPath']",
    );
    fails(
        "$.no.such.result.path",
        json!({}),
        "Missing property in path $['no']",
    );
    fails(
        "$.a.b",
        json!({"a": {}}),
        "No results for path: $['a']['b']",
    );
    fails(
        "$.items[20]",
        json!({"items": [1]}),
        "No results for path: $['items'][20]",
    );
    fails("$.a[0]", json!({"a": null}), "The path $['a'] is null");
    fails(
        "$.a.length()",
        json!({"a": 5}),
        "length() needs an array, an object or a string",
    );
}

#[test]
fn reads_context_and_variables() {
    let mut vars = Map::new();
    vars.insert("answer".into(), json!({"x": [10, 20]}));
    let context = json!({"Execution": {"Input": {"k": "v"}}, "State": {"Name": "S"}});
    let read = |p: &str| eval_with(p, &json!({"in": 1}), &context, &vars);
    assert_eq!(read("$$.State.Name"), Ok(json!("S")));
    assert_eq!(read("$$.Execution.Input.k"), Ok(json!("v")));
    assert_eq!(read("$$"), Ok(context.clone()));
    assert_eq!(read("$answer.x[1]"), Ok(json!(20)));
    assert_eq!(read("$answer"), Ok(json!({"x": [10, 20]})));
    assert!(matches!(
        read("$nothing"),
        Err(PathError::UndefinedVariable { .. })
    ));
    assert_eq!(
        parse("$answer.x").unwrap().root(),
        &Root::Variable("answer".into())
    );
    assert_eq!(parse("$$.a").unwrap().root(), &Root::Context);
    assert_eq!(parse("$.a").unwrap().root(), &Root::Input);
}

#[test]
fn tells_reference_paths_and_definite_paths() {
    reference("$", true, true);
    reference("$.a.b", true, true);
    reference("$['a'].b[0]", true, true);
    reference("$$.Execution.Input", true, true);
    reference("$var.a", true, true);
    reference("$.a[*]", false, false);
    reference("$..a", false, false);
    reference("$.a[0,1]", false, false);
    reference("$.a[1:2]", false, false);
    reference("$.a[?(@.b)]", false, false);
    reference("$['a','b']", false, true);
    reference("$.a.length()", false, true);
}

#[test]
fn rejects_malformed_paths() {
    for bad in [
        "",
        "a",
        "$.",
        "$a..",
        "$[",
        "$['a'",
        "$[a]",
        "$.a[?(@.b ==)]",
        "$.a[1:2",
        "$.a b",
        "$.x.nofunc()",
        "$.a[?(@.b == 'x)]",
        "$[-]",
        "$.a[0:1:0]",
    ] {
        syntax_error(bad);
    }
    assert_eq!(parse("$.a['b']").unwrap().to_string(), "$.a['b']");
    assert_eq!("$.a".parse::<Path>().unwrap().normalized(), "$['a']");
    let err = parse("$.a[").unwrap_err();
    assert!(err.to_string().contains("$.a["), "{err}");
}

#[test]
fn applies_result_paths() {
    set(json!({"a": 1}), "$", json!("r"), json!("r"));
    set(
        json!({"a": 1}),
        "$.b",
        json!("r"),
        json!({"a": 1, "b": "r"}),
    );
    set(json!({"a": 1}), "$.a", json!("r"), json!({"a": "r"}));
    set(
        json!({"a": 1}),
        "$.x.y.z",
        json!(2),
        json!({"a": 1, "x": {"y": {"z": 2}}}),
    );
    set(
        json!({"a": {"k": 1}}),
        "$.a.b",
        json!(2),
        json!({"a": {"k": 1, "b": 2}}),
    );
    set(
        json!({"a": [1, 2]}),
        "$.a[1]",
        json!(9),
        json!({"a": [1, 9]}),
    );
    set(
        json!({"a": null}),
        "$.a.b",
        json!(1),
        json!({"a": {"b": 1}}),
    );
    set(json!("text"), "$", json!(1), json!(1));
    set_fails(json!("text"), "$.a");
    set_fails(json!({"a": "s"}), "$.a.b");
    set_fails(json!({"a": [1]}), "$.a[3]");
    set_fails(json!({"a": 1}), "$.a[*]");
    set_fails(json!({"a": 1}), "$$.a");
}

#[test]
fn errors_say_where_and_what() {
    let err = eval_with("$.x", &json!({}), &json!({}), &Map::new()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Invalid path '$.x' : No results for path: $['x']"
    );
    assert_eq!(err.error_name(), "States.Runtime");
    assert_eq!(err.path(), "$.x");
}

/// The `=~` filter operator: `pattern` must match the whole of `text` (Java's `matches()`).
fn re(pattern: &str, text: &str, expected: bool) {
    let path = format!("$[?(@ =~ {pattern})]");
    let got = eval_with(&path, &json!([text]), &json!({}), &Map::new());
    let want = if expected { json!([text]) } else { json!([]) };
    assert_eq!(got, Ok(want), "{pattern} on {text:?}");
}

#[test]
fn matches_regular_expressions() {
    re("/a.c/", "abc", true);
    re("/a.c/", "abcd", false);
    re("/[0-9]{3}-\\d+/", "123-45", true);
    re("/(foo|bar)+/", "foobarfoo", true);
    re("/(?:foo|bar)+/", "foobaz", false);
    re("/^x?y$/", "y", true);
    re("/[^a-c]+/", "xyz", true);
    re("/[^a-c]+/", "xaz", false);
    re("/colou?r/i", "COLOR", true);
    re("/colou?r/", "COLOR", false);
    re("/\\w+@\\w+\\.com/", "a@b.com", true);
    re("/.*/", "", true);
    re("/a{2,}/", "aaa", true);
    re("/a{2,}/", "a", false);
    re("/a{1,2}b*?/", "aabb", true);
    re("/[a-]+/", "a-a", true);
    re("/\\s\\S\\D/", " xy", true);
    re("/(unclosed/", "(unclosed", false);
    re("/a\\/b/", "a/b", true);
}
