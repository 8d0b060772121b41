//! Completion and hover, as an editor asks for them.

use super::*;
use crate::asl;

fn at(json: &str) -> Request {
    serde_json::from_str(json).unwrap()
}

fn labels(lang: Language, json: &str) -> Vec<String> {
    complete(lang, &at(json))
        .items
        .into_iter()
        .map(|i| i.label)
        .collect()
}

#[test]
fn a_state_offers_its_fields_and_type_first_of_all() {
    let got = labels(
        Language::Asl,
        r#"{"path": ["States", "Check"], "key": true, "prefix": "Ty"}"#,
    );
    assert!(got.contains(&"Type".to_owned()), "{got:?}");
}

#[test]
fn a_task_offers_only_what_a_task_may_have_and_not_what_is_written() {
    let got = labels(
        Language::Asl,
        r#"{"path": ["States", "Charge"], "key": true, "seen": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke"}}"#,
    );
    for want in ["ResultSelector", "Retry", "Catch", "TimeoutSeconds", "Next"] {
        assert!(got.contains(&want.to_owned()), "{want} in {got:?}");
    }
    for not in ["Resource", "Type", "Choices", "Seconds", "Branches"] {
        assert!(!got.contains(&not.to_owned()), "{not} in {got:?}");
    }
}

#[test]
fn type_next_and_error_names_complete_as_values() {
    let types = labels(
        Language::Asl,
        r#"{"path": ["States", "A", "Type"], "prefix": "Pa"}"#,
    );
    assert_eq!(types.len(), 8);
    let next = labels(
        Language::Asl,
        r#"{"path": ["States", "A", "Next"], "states": ["A", "Ship", "Refund"]}"#,
    );
    assert_eq!(next, ["A", "Ship", "Refund"]);
    let errors = labels(
        Language::Asl,
        r#"{"path": ["States", "A", "Retry", 0, "ErrorEquals", 0], "prefix": "States.T"}"#,
    );
    assert!(errors.contains(&"States.TaskFailed".to_owned()));
}

#[test]
fn nested_machines_are_machines_too() {
    // A state inside a Parallel's branch and inside a Map's item processor.
    let branch = labels(
        Language::Asl,
        r#"{"path": ["States", "Both", "Branches", 1, "States", "Left"], "key": true}"#,
    );
    assert!(branch.contains(&"Type".to_owned()));
    let map = labels(
        Language::Asl,
        r#"{"path": ["States", "Each", "ItemProcessor"], "key": true}"#,
    );
    assert!(map.contains(&"StartAt".to_owned()) && map.contains(&"ProcessorConfig".to_owned()));
    let rule = labels(
        Language::Asl,
        r#"{"path": ["States", "Pick", "Choices", 0, "And", 1], "key": true}"#,
    );
    assert!(rule.contains(&"NumericGreaterThan".to_owned()));
}

#[test]
fn strings_complete_intrinsics_states_and_the_context_object() {
    let c = complete(
        Language::Asl,
        &at(r#"{"path": ["States", "A", "Parameters", "msg.$"], "prefix": "States.For"}"#),
    );
    assert_eq!(c.back, "States.For".len());
    let format = c.items.iter().find(|i| i.label == "States.Format").unwrap();
    assert_eq!(format.detail, "States.Format(template, value…)");
    let c = complete(
        Language::Asl,
        &at(r#"{"path": ["States", "A", "Output"], "prefix": "{% $states.in"}"#),
    );
    assert_eq!(c.back, "$states.in".len());
    assert!(c.items.iter().any(|i| i.label == "$states.input"));
    let c = complete(
        Language::Asl,
        &at(r#"{"path": ["States", "A", "Parameters", "id.$"], "prefix": "$$.Exec"}"#),
    );
    assert!(c.items.iter().any(|i| i.label == "$$.Execution.Id"));
    // A plain string value offers nothing.
    assert!(
        labels(
            Language::Asl,
            r#"{"path": ["States", "A", "Comment"], "prefix": "Sta"}"#
        )
        .is_empty()
    );
}

#[test]
fn hover_explains_fields_types_and_expressions() {
    let doc = hover(
        Language::Asl,
        &at(r#"{"path": ["States", "Charge"], "key": true, "prefix": "ResultSelector"}"#),
    )
    .unwrap();
    assert!(doc.starts_with("ResultSelector\n"), "{doc}");
    let doc = hover(
        Language::Asl,
        &at(r#"{"path": ["States", "A", "Type"], "prefix": "Map"}"#),
    )
    .unwrap();
    assert!(doc.starts_with("Map\n"));
    let doc = hover(
        Language::Asl,
        &at(r#"{"path": ["States", "A", "Parameters", "m.$"], "prefix": "States.Format('{}', $.a)", "offset": 9}"#),
    )
    .unwrap();
    assert!(doc.starts_with("States.Format(template"), "{doc}");
    let doc = hover(
        Language::Asl,
        &at(r#"{"path": ["States", "A", "Output"], "prefix": "{% $states.context.Execution.Id %}", "offset": 20}"#),
    )
    .unwrap();
    assert!(doc.starts_with("$states.context.Execution.Id"), "{doc}");
}

#[test]
fn patterns_offer_operators_inside_a_leaf_and_fields_outside() {
    let ops = labels(
        Language::Rules,
        r#"{"path": ["Rules", 0, "EventPattern", "detail", "state", 0], "key": true}"#,
    );
    assert!(ops.contains(&"anything-but".to_owned()) && ops.contains(&"numeric".to_owned()));
    let fields = labels(
        Language::Rules,
        r#"{"path": ["Rules", 0, "EventPattern"], "key": true}"#,
    );
    assert!(fields.contains(&"detail-type".to_owned()));
    let doc = hover(
        Language::Rules,
        &at(r#"{"path": ["Rules", 0, "EventPattern", "detail", "state", 0], "key": true, "prefix": "anything-but"}"#),
    )
    .unwrap();
    assert!(
        doc.contains("\"anything-but\": [\"stopped\""),
        "an example: {doc}"
    );
    // Every operator's text carries a one-line example.
    for (name, _, text) in docs::PATTERN_OPERATORS {
        assert!(text.contains('`'), "{name} has an example");
    }
}

#[test]
fn mocks_offer_responses() {
    let got = labels(Language::Mocks, r#"{"path": ["Charge", "0"], "key": true}"#);
    assert!(got.contains(&"Return".to_owned()) && got.contains(&"Throw".to_owned()));
    let doc = hover(
        Language::Mocks,
        &at(r#"{"path": ["Charge"], "key": true, "prefix": "1-2"}"#),
    )
    .unwrap();
    assert!(doc.starts_with("Call numbers"));
}

fn fixes(definition: &str) -> Vec<QuickFix> {
    let (machine, found) = asl::parse(definition);
    found
        .iter()
        .filter_map(|d| quick_fix(&machine, d))
        .collect()
}

#[test]
fn input_where_input_path_was_meant() {
    let got = fixes(
        r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "Input": "$.order", "End": true}}}"#,
    );
    assert_eq!(
        got,
        [QuickFix {
            title: "Rename to \"InputPath\"".into(),
            find: "\"Input\"".into(),
            replace: "\"InputPath\"".into()
        }]
    );
}

#[test]
fn a_next_naming_a_missing_state_gets_the_closest_name() {
    let got = fixes(
        r#"{"StartAt": "Charge", "States": {
            "Charge": {"Type": "Pass", "Next": "ShipOrdr"},
            "ShipOrder": {"Type": "Pass", "Next": "Done"},
            "Done": {"Type": "Succeed"}}}"#,
    );
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].find, "\"ShipOrdr\"");
    assert_eq!(got[0].replace, "\"ShipOrder\"");
    // Between equally near names, the one that shares more of its start.
    let got = fixes(
        r#"{"StartAt": "Step1", "States": {"Step1": {"Type": "Pass", "Next": "Step1511"},
            "Step111": {"Type": "Succeed"}, "Step151": {"Type": "Succeed"}}}"#,
    );
    assert_eq!(got[0].replace, "\"Step151\"");
    // Inside a branch, only the branch's states are candidates.
    let got = fixes(
        r#"{"StartAt": "P", "States": {"Ship": {"Type": "Succeed"}, "P": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "Pack", "States": {"Pack": {"Type": "Pass", "Next": "Shp"}, "Label": {"Type": "Succeed"}}}]}}}"#,
    );
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].replace, "\"Label\"");
}

#[test]
fn a_field_far_from_any_gets_no_fix() {
    assert!(
        fixes(r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Zebra": 1, "End": true}}}"#)
            .is_empty()
    );
}
