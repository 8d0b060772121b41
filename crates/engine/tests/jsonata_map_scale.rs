//! A JSONata Map at a size users reach (2,000 items): its outcome and history. The cost per item
//! is measured in `examples/asl_bench.rs` (issue 14); this test runs in debug builds too, so it
//! would also notice a Map whose cost per item grows with the number of items.

use serde_json::{Value, json};
use statebridge_engine::asl::StateMachine;
use statebridge_engine::asl::exec::{Execution, ExecutionOptions, Status};

fn run(definition: &Value, input: Value) -> (statebridge_engine::asl::exec::Outcome, usize) {
    let machine = StateMachine::from_value(definition).expect("valid definition");
    let mut exec = Execution::new(&machine, input, ExecutionOptions::default());
    let outcome = exec.run_to_end();
    let events = exec.history().len();
    (outcome, events)
}

#[test]
fn a_jsonata_map_of_2000_items_selects_and_outputs_each_item() {
    let n = 2_000;
    let definition = json!({
        "QueryLanguage": "JSONata",
        "StartAt": "Each",
        "States": {"Each": {
            "Type": "Map",
            "Items": "{% $states.input.orders %}",
            "MaxConcurrency": 10,
            "ItemSelector": {
                "id": "{% $states.context.Map.Item.Value.id %}",
                "position": "{% $states.context.Map.Item.Index %}",
                "currency": "{% $states.input.currency %}"
            },
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "INLINE"},
                "StartAt": "Price",
                "States": {"Price": {
                    "Type": "Pass",
                    "Output": {
                        "id": "{% $states.input.id %}",
                        "label": "{% $states.input.currency & ' ' & $string($states.input.position) %}"
                    },
                    "End": true
                }}
            },
            "Output": "{% {'count': $count($states.result), 'last': $states.result[-1]} %}",
            "End": true
        }}
    });
    let orders: Vec<Value> = (0..n)
        .map(|i| json!({"id": format!("o-{i}"), "lines": [i, i + 1]}))
        .collect();
    let (outcome, events) = run(&definition, json!({"orders": orders, "currency": "EUR"}));
    assert_eq!(outcome.status, Status::Succeeded, "{outcome:?}");
    assert_eq!(
        outcome.output,
        Some(json!({"count": n, "last": {"id": "o-1999", "label": "EUR 1999"}}))
    );
    // ExecutionStarted, MapStateEntered, MapStateStarted; per item MapIterationStarted,
    // PassStateEntered, PassStateExited, MapIterationSucceeded; MapStateSucceeded,
    // MapStateExited, ExecutionSucceeded.
    assert_eq!(events, 3 + 4 * n + 3);
}

#[test]
fn a_variable_named_after_a_function_still_hides_it() {
    // Only the variables an expression names are bound for it; a variable called like a
    // built-in function (which the analysis of what an expression reads takes for the
    // function) is still bound.
    let definition = json!({
        "QueryLanguage": "JSONata",
        "StartAt": "Set",
        "States": {
            "Set": {"Type": "Pass", "Assign": {"sum": 5, "other": [1, 2]}, "Next": "Read"},
            "Read": {"Type": "Pass", "Output": "{% [$sum, $count($other)] %}", "End": true}
        }
    });
    let (outcome, _) = run(&definition, json!({}));
    assert_eq!(outcome.output, Some(json!([5, 2])), "{outcome:?}");
}
