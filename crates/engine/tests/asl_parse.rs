//! `asl::parse` never fails: every state of a half-written machine is in the model, with the
//! same diagnostics validation gives, and the layout draws it.

use serde_json::json;
use statebridge_engine::asl::{self, definition::Kind, definition::Transition};
use statebridge_engine::layout;

const HALF: &str = r#"{"StartAt": "A", "States": {
  "A": {"Type": "Pas", "Next": "B"},
  "B": {"Next": "C"},
  "C": 7,
  "D": {"Type": "Wait", "Next": "A"},
  "E": {"Type": "Map", "End": true}
}}"#;

#[test]
fn every_state_is_kept_whatever_is_wrong() {
    let (m, found) = asl::parse(HALF);
    let names: Vec<&str> = m.states.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["A", "B", "C", "D", "E"]);
    assert!(m.states.iter().all(|s| s.incomplete));
    assert_eq!(m.states[0].kind.written_type(), "Pas");
    assert_eq!(m.states[0].transition, Transition::Next("B".into()));
    assert!(matches!(m.states[1].kind, Kind::Unknown(None)));
    assert!(matches!(m.states[3].kind, Kind::Wait(_)));
    assert!(matches!(m.states[4].kind, Kind::Map(_)));
    // The diagnostics are validation's, positions included: one per broken state, and `StartAt`
    // names a state validation leaves out.
    assert_eq!(found, asl::validate(HALF));
    assert_eq!(found.len(), 6, "{found:#?}");
    assert_eq!((found[0].line, found[0].column), (Some(2), Some(17)));
    assert!(asl::StateMachine::from_value(&serde_json::from_str(HALF).unwrap()).is_err());
}

#[test]
fn a_half_written_machine_draws_from_the_model() {
    let (m, _) = asl::parse(HALF);
    let l = layout::layout_machine(&m);
    let kind = |id: &str| l.nodes.iter().find(|n| n.id == id).map(|n| n.kind.as_str());
    assert_eq!(kind("A"), Some("Pas"));
    assert_eq!(kind("B"), Some("Unknown"));
    assert_eq!(kind("E"), Some("Map"));
    assert!(l.edges.iter().any(|e| e.from == "A" && e.to == "B"));
    assert!(l.edges.iter().any(|e| e.from == "D" && e.to == "A"));
    assert_eq!(l, layout::layout(&serde_json::from_str(HALF).unwrap()));
}

#[test]
fn text_that_is_not_json_gives_an_empty_machine() {
    let (m, found) = asl::parse("{\"StartAt\": ");
    assert!(m.states.is_empty());
    assert_eq!(found[0].code, "INVALID_JSON_DESCRIPTION");
}

#[test]
fn a_value_twin_reads_the_same() {
    let v: serde_json::Value = serde_json::from_str(HALF).unwrap();
    let (m, found) = asl::parse_value(&v);
    assert_eq!(m.states.len(), 5);
    let texts: Vec<_> = found.iter().map(|d| (&d.pointer, &d.message)).collect();
    let (_, with_lines) = asl::parse(HALF);
    let expected: Vec<_> = with_lines
        .iter()
        .map(|d| (&d.pointer, &d.message))
        .collect();
    assert_eq!(texts, expected);
    let ok = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}});
    assert!(asl::parse_value(&ok).1.is_empty());
}
