//! Synthetic state machines of any size, for layout benchmarks, property tests and the app's
//! "draw a 100-state machine" measurement.

use serde_json::{Map, Value, json};

/// The generator of synthetic machines (SplitMix64), so a seed always gives the same machine.
pub use crate::splitmix::SplitMix64 as Rng;

/// A state machine of `states` top-level states with the shapes real machines have: chains of
/// Tasks, Choices with two or three rules, Catches to error handlers, retry loops back to earlier
/// states, and (from 12 states on) a Parallel and a Map with small inner machines.
pub fn generate_machine(states: usize, seed: u64) -> Value {
    let mut rng = Rng::new(seed);
    let states = states.max(1);
    json!({"Comment": format!("generated: {states} states, seed {seed}"), "StartAt": "S0", "States": scope(&mut rng, "S", states, 1)})
}

/// A chain of `n` states (`S0` … `S{n-1}`): Pass states, each to the next, ending in a Succeed;
/// the longest drawing a machine of `n` states makes.
pub fn chain_machine(n: usize) -> Value {
    let n = n.max(1);
    let states: Map<String, Value> = (0..n)
        .map(|i| {
            let s = if i + 1 < n {
                json!({"Type": "Pass", "Next": format!("S{}", i + 1)})
            } else {
                json!({"Type": "Succeed"})
            };
            (format!("S{i}"), s)
        })
        .collect();
    json!({"StartAt": "S0", "States": states})
}

/// The `States` object of one scope; `depth` bounds container nesting.
fn scope(rng: &mut Rng, prefix: &str, n: usize, depth: usize) -> Value {
    let name = |i: usize| format!("{prefix}{i}");
    let mut out = Map::new();
    for i in 0..n {
        let last = i + 1 == n;
        // Forward targets keep the graph flowing down, mostly to the next state so that nearly
        // every state is reachable, as in real machines; Waits jump back (poll loops).
        let forward = |rng: &mut Rng| name((i + 1 + rng.below(4).saturating_sub(2)).min(n - 1));
        let roll = rng.below(20);
        let state = if last {
            json!({"Type": if rng.below(2) == 0 { "Succeed" } else { "Fail" }})
        } else if roll < 3 && n > 3 {
            let rules: Vec<Value> = (0..2 + rng.below(2))
                .map(|r| json!({"Variable": format!("$.v{r}"), "NumericGreaterThan": r * 10, "Next": forward(rng)}))
                .collect();
            json!({"Type": "Choice", "Choices": rules, "Default": forward(rng)})
        } else if roll == 3 && i > 2 {
            // A poll loop: wait, then go back a few states.
            json!({"Type": "Wait", "Seconds": 5, "Next": name(i - 1 - rng.below(3))})
        } else if roll == 4 && depth > 0 && n >= 12 {
            let branches: Vec<Value> = (0..2 + rng.below(2))
                .map(|b| {
                    let p = format!("{prefix}{i}b{b}_");
                    let size = 2 + rng.below(3);
                    json!({"StartAt": format!("{p}0"), "States": scope(rng, &p, size, depth - 1)})
                })
                .collect();
            json!({"Type": "Parallel", "Branches": branches, "Next": forward(rng)})
        } else if roll == 5 && depth > 0 && n >= 12 {
            let p = format!("{prefix}{i}m_");
            let size = 2 + rng.below(4);
            let inner =
                json!({"StartAt": format!("{p}0"), "States": scope(rng, &p, size, depth - 1)});
            json!({"Type": "Map", "ItemProcessor": inner, "Next": forward(rng)})
        } else if roll < 9 {
            let handler = name((i + 2 + rng.below(5)).min(n - 1));
            json!({"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
                   "Catch": [{"ErrorEquals": ["States.ALL"], "Next": handler}], "Next": forward(rng)})
        } else {
            let mut s = json!({"Type": "Pass", "Next": forward(rng)});
            if roll < 16 {
                s["Type"] = json!("Task");
                s["Resource"] = json!("arn:aws:lambda:us-east-1:123456789012:function:f");
            }
            s
        };
        out.insert(name(i), state);
    }
    Value::Object(out)
}
