//! JSONata syntax errors in a definition are diagnostics that name the state, the field, and the
//! position inside the expression; line and column point at the offending character.

use statebridge_engine::asl::validate;

/// `(state, field, pointer, line, column)` of every diagnostic for `text`.
fn found(text: &str) -> Vec<(String, String, String, u32, u32)> {
    validate(text)
        .into_iter()
        .map(|d| {
            (
                d.state.unwrap_or_default(),
                d.field.unwrap_or_default(),
                d.pointer,
                d.line.unwrap_or(0),
                d.column.unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn a_bad_expression_in_arguments_is_located_inside_the_expression() {
    let text = r#"{"QueryLanguage": "JSONata", "StartAt": "Call", "States": {
  "Call": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
    "Arguments": {"id": "{% $states.input.( %}"}, "End": true}}}"#;
    let diags = validate(text);
    assert_eq!(diags.len(), 1, "{diags:?}");
    let d = &diags[0];
    assert_eq!(d.code, "INVALID_EXPRESSION");
    assert_eq!(d.state.as_deref(), Some("Call"));
    assert_eq!(d.field.as_deref(), Some("Arguments"));
    assert_eq!(d.pointer, "/States/Call/Arguments/id");
    assert!(d.message.contains("$states.input.("), "{}", d.message);
    assert!(d.message.contains("at character"), "{}", d.message);
    // The string's quote is at column 25 of line 3, the expression `$states.input.(` spans
    // columns 29 to 43: the error is at its dangling `(` or just past it, not at the string.
    assert_eq!(d.line, Some(3));
    let column = d.column.unwrap_or(0);
    assert!((43..=44).contains(&column), "column {column}");
    assert!(d.value_offset.is_some());
}

#[test]
fn every_jsonata_field_is_checked_and_jsonpath_states_are_not() {
    let text = r#"{"StartAt": "P", "States": {
  "P": {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% 1 + %}", "Assign": {"x": "{% [1, 2 %}"}, "Next": "C"},
  "C": {"Type": "Choice", "QueryLanguage": "JSONata",
        "Choices": [{"Condition": "{% $states.input.a = = 1 %}", "Next": "J"}], "Default": "J"},
  "J": {"Type": "Pass", "Parameters": {"text": "{% not an expression here %}"}, "End": true}}}"#;
    let got = found(text);
    let fields: Vec<(&str, &str, &str)> = got
        .iter()
        .map(|(s, f, p, _, _)| (s.as_str(), f.as_str(), p.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("P", "Output", "/States/P/Output"),
            ("P", "Assign", "/States/P/Assign/x"),
            ("C", "Choices", "/States/C/Choices/0/Condition"),
        ]
    );
    assert!(got.iter().all(|(_, _, _, line, _)| *line > 1));
}

#[test]
fn expressions_inside_map_and_parallel_are_checked_and_good_ones_pass() {
    let text = r#"{"QueryLanguage": "JSONata", "StartAt": "M", "States": {
  "M": {"Type": "Map", "Items": "{% $states.input.items %}", "ItemProcessor": {"StartAt": "In", "States": {
      "In": {"Type": "Pass", "Output": "{% $states.input ~> | x | %}", "End": true}}}, "Next": "Par"},
  "Par": {"Type": "Parallel", "Branches": [{"StartAt": "B", "States": {
      "B": {"Type": "Pass", "Output": "{% $sum($states.input.n) %}", "End": true}}}], "End": true}}}"#;
    let got = found(text);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(
        (got[0].0.as_str(), got[0].2.as_str()),
        ("In", "/States/M/ItemProcessor/States/In/Output")
    );
}

#[test]
fn escapes_before_the_error_move_the_column() {
    // `\"` takes two characters of text for one of the expression.
    let plain = r#"{"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass", "Output": "{% 'a' & ( %}", "End": true}}}"#;
    let escaped = r#"{"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass", "Output": "{% \"a\" & ( %}", "End": true}}}"#;
    let (a, b) = (found(plain), found(escaped));
    assert_eq!((a.len(), b.len()), (1, 1));
    assert_eq!(b[0].4, a[0].4 + 2, "{a:?} {b:?}");
}
