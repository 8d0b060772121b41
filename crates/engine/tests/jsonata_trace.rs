//! The expression trace the app's inspector shows: each JSONata expression a state evaluated,
//! with its field path and its value or error, recorded only when asked for.

use serde_json::{Value, json};
use statebridge_engine::asl::exec::EvaluatedExpression;
use statebridge_engine::asl::{Execution, ExecutionOptions, StateMachine};

fn run(def: Value, input: Value, trace: bool) -> Execution {
    let machine = StateMachine::from_value(&def).expect("valid definition");
    let options = ExecutionOptions {
        trace_expressions: trace,
        ..ExecutionOptions::default()
    };
    let mut exec = Execution::new(&machine, input, options);
    exec.run_to_end();
    exec
}

fn traced(exec: &Execution, state: &str) -> Vec<EvaluatedExpression> {
    exec.state_runs()
        .into_iter()
        .filter(|r| r.name == state)
        .flat_map(|r| r.inspection.expressions.clone())
        .collect()
}

fn order_machine() -> Value {
    json!({
        "QueryLanguage": "JSONata",
        "StartAt": "Price",
        "States": {
            "Price": {
                "Type": "Task",
                "Resource": "arn:aws:lambda:us-east-1:123456789012:function:price",
                "Arguments": {"orderId": "{% $states.input.id %}", "count": "{% $count($states.input.items) %}", "currency": "EUR"},
                "Output": "{% $merge([$states.input, {'total': $sum($states.input.items.price)}]) %}",
                "Assign": {"total": "{% $sum($states.input.items.price) %}"},
                "Next": "Big?"
            },
            "Big?": {
                "Type": "Choice",
                "Choices": [
                    {"Condition": "{% $total > 100 %}", "Next": "Review"},
                    {"Condition": "{% $total > 10 %}", "Next": "Each"}
                ],
                "Default": "Review"
            },
            "Review": {"Type": "Succeed"},
            "Each": {
                "Type": "Map",
                "Items": "{% $states.input.items %}",
                "ItemSelector": {"sku": "{% $states.context.Map.Item.Value.sku %}"},
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"},
                    "StartAt": "Ship",
                    "States": {"Ship": {"Type": "Pass", "Output": "{% $states.input.sku %}", "End": true}}
                },
                "End": true
            }
        }
    })
}

fn order_input() -> Value {
    json!({"id": "o-1", "items": [{"sku": "a", "price": 20}, {"sku": "b", "price": 30}]})
}

#[test]
fn each_expression_is_recorded_with_its_field_and_value() {
    let exec = run(order_machine(), order_input(), true);
    let price = traced(&exec, "Price");
    let rows: Vec<(&str, &str, Option<&Value>)> = price
        .iter()
        .map(|e| (e.field.as_str(), e.expression.as_str(), e.value.as_ref()))
        .collect();
    assert_eq!(
        rows,
        vec![
            ("Arguments.orderId", "$states.input.id", Some(&json!("o-1"))),
            (
                "Arguments.count",
                "$count($states.input.items)",
                Some(&json!(2))
            ),
            (
                "Output",
                "$merge([$states.input, {'total': $sum($states.input.items.price)}])",
                Some(
                    &json!({"id": "o-1", "items": [{"sku": "a", "price": 20}, {"sku": "b", "price": 30}], "total": 50})
                )
            ),
            (
                "Assign.total",
                "$sum($states.input.items.price)",
                Some(&json!(50))
            ),
        ]
    );
    assert!(price.iter().all(|e| e.error.is_none()));
    // The Arguments are known once the state is entered; Output and Assign after the task.
    assert!(price[0].after_event_id < price[2].after_event_id);

    // Choice: each Condition tried, in order, until one is true.
    let choice = traced(&exec, "Big?");
    let conds: Vec<(&str, Option<&Value>)> = choice
        .iter()
        .map(|e| (e.field.as_str(), e.value.as_ref()))
        .collect();
    assert_eq!(
        conds,
        vec![
            ("Choices[0].Condition", Some(&json!(false))),
            ("Choices[1].Condition", Some(&json!(true)))
        ]
    );

    // Map: Items once, ItemSelector once per item; the iterations' own states have theirs.
    let map = traced(&exec, "Each");
    assert_eq!(map[0].field, "Items");
    assert_eq!(map[0].value, Some(order_input()["items"].clone()));
    let selected: Vec<_> = map[1..]
        .iter()
        .map(|e| (e.field.as_str(), e.value.clone()))
        .collect();
    assert_eq!(
        selected,
        vec![
            ("ItemSelector.sku", Some(json!("a"))),
            ("ItemSelector.sku", Some(json!("b")))
        ]
    );
    let ship: Vec<_> = traced(&exec, "Ship").into_iter().map(|e| e.value).collect();
    assert_eq!(ship, vec![Some(json!("a")), Some(json!("b"))]);
}

#[test]
fn nothing_is_recorded_unless_asked() {
    let exec = run(order_machine(), order_input(), false);
    assert!(
        exec.state_runs()
            .iter()
            .all(|r| r.inspection.expressions.is_empty())
    );
    // The same run either way.
    let traced_run = run(order_machine(), order_input(), true);
    assert_eq!(exec.history(), traced_run.history());
}

#[test]
fn a_failing_expression_shows_its_error_and_a_catch_its_output() {
    let def = json!({
        "QueryLanguage": "JSONata",
        "StartAt": "Charge",
        "States": {
            "Charge": {
                "Type": "Task",
                "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge",
                "Arguments": {"ok": true, "amount": "{% $states.input.amount * 'x' %}"},
                "Catch": [{"ErrorEquals": ["States.ALL"], "Output": "{% $states.errorOutput.Error %}", "Assign": {"why": "{% $states.errorOutput.Cause %}"}, "Next": "Give up"}],
                "Next": "Give up"
            },
            "Give up": {"Type": "Fail", "Error": "{% 'Failed' %}", "Cause": "{% $missing.deep %}"}
        }
    });
    let exec = run(def, json!({"amount": 3}), true);
    let charge = traced(&exec, "Charge");
    assert_eq!(charge[0].field, "Arguments.amount");
    assert_eq!(charge[0].value, None);
    assert_eq!(
        charge[0].error.as_deref(),
        Some("States.QueryEvaluationError")
    );
    let cause = charge[0].cause.as_deref().unwrap_or_default();
    assert!(
        cause.contains("'Arguments/amount'") && cause.contains("T2002"),
        "{cause}"
    );
    assert_eq!(charge[1].field, "Catch[0].Output");
    assert_eq!(charge[1].value, Some(json!("States.QueryEvaluationError")));
    assert_eq!(charge[2].field, "Catch[0].Assign.why");

    let give_up = traced(&exec, "Give up");
    assert_eq!(give_up[0].field, "Error");
    assert_eq!(give_up[0].value, Some(json!("Failed")));
    assert_eq!(give_up[1].field, "Cause");
    assert!(give_up[1].value.is_none());
    assert!(
        give_up[1]
            .cause
            .as_deref()
            .is_some_and(|c| c.contains("undefined")),
        "{:?}",
        give_up[1]
    );
}
