//! Reading JSON with positions whatever its layout: the same documents minified (one line) and
//! pretty-printed, side by side, and their ratio (the goal: within 1.5x of each other).
//!
//! ```text
//! reading_bench [--rules 10000] [--rounds 5]
//! ```
//!
//! Three documents, each read both ways:
//! - a bus of N rules, read as `route` reads it (`str::parse::<Bus>`: positions for every value,
//!   so an error can say where), then routing one event through it;
//! - a ~250 KB event (just under EventBridge's 256 KiB), read with positions (`source::parse`);
//! - the same event read as `match` reads it (`source::parse_value`, no map).
//!
//! A one-line document used to cost one pass per value over its line (52.6 s for 10,000 rules
//! against 2 s pretty-printed). The figure is the best of several rounds; `scripts/bench-reading.sh`
//! runs it.

use serde_json::{Value, json};
use statebridge_engine::bus::Bus;
use statebridge_engine::source;
use std::time::Instant;

fn main() {
    let mut rules = 10_000usize;
    let mut rounds = 5usize;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let n = it.next().and_then(|v| v.parse::<usize>().ok());
        match (a.as_str(), n) {
            ("--rules", Some(n)) => rules = n,
            ("--rounds", Some(n)) => rounds = n.max(1),
            _ => {
                eprintln!("usage: reading_bench [--rules N] [--rounds N]");
                std::process::exit(2);
            }
        }
    }
    let event = json!({
        "version": "0", "id": "1", "source": "shop7", "detail-type": "OrderCreated",
        "account": "123456789012", "time": "2026-01-01T00:00:00Z", "region": "eu-west-1",
        "resources": [], "detail": {"amount": 50}
    });
    let bus = bus(rules);
    let big = big_event(&event);
    println!(
        "reading the same document minified (one line) and pretty-printed; best of {rounds} rounds\n"
    );
    println!("| document | bytes (min / pretty) | minified | pretty | min / pretty |");
    println!("|---|---:|---:|---:|---:|");
    row(
        &format!("bus of {rules} rules: parse + route"),
        &bus,
        rounds,
        |text| {
            let bus: Bus = text.parse().map_err(|e| format!("{e}"))?;
            Ok(bus.route(&event).matched.len())
        },
    );
    row(
        "event with positions (source::parse)",
        &big,
        rounds,
        |text| {
            let (value, _) = source::parse(text).map_err(|e| e.to_string())?;
            Ok(value.as_object().map_or(0, |o| o.len()))
        },
    );
    row(
        "event, no positions (source::parse_value)",
        &big,
        rounds,
        |text| {
            let value = source::parse_value(text).map_err(|e| e.to_string())?;
            Ok(value.as_object().map_or(0, |o| o.len()))
        },
    );
}

/// Times `read` on the document minified and pretty-printed and prints one table row.
fn row(name: &str, doc: &Value, rounds: usize, read: impl Fn(&str) -> Result<usize, String>) {
    let min = doc.to_string();
    let pretty = serde_json::to_string_pretty(doc).unwrap_or_default();
    let best = |text: &str| {
        let mut best = f64::INFINITY;
        let mut answer = Ok(0);
        for _ in 0..rounds {
            let start = Instant::now();
            answer = read(text);
            best = best.min(start.elapsed().as_secs_f64());
        }
        (best, answer)
    };
    let (t_min, a_min) = best(&min);
    let (t_pretty, a_pretty) = best(&pretty);
    if a_min != a_pretty || a_min.is_err() {
        eprintln!("{name}: the two layouts disagree: {a_min:?} / {a_pretty:?}");
        std::process::exit(1);
    }
    println!(
        "| {name} | {} / {} | {:.1} ms | {:.1} ms | {:.2}x |",
        min.len(),
        pretty.len(),
        t_min * 1e3,
        t_pretty * 1e3,
        t_min / t_pretty
    );
}

/// N rules, each with a pattern of three fields and one target with an `InputPath`.
fn bus(rules: usize) -> Value {
    let list: Vec<Value> = (0..rules)
        .map(|i| {
            json!({
                "Name": format!("r{i}"),
                "EventPattern": {
                    "source": [format!("shop{}", i % 50)],
                    "detail-type": ["OrderCreated"],
                    "detail": {"amount": [{"numeric": [">", i % 100]}]}
                },
                "Targets": [{"Id": "t", "Arn": "arn:aws:sqs:us-east-1:123456789012:q",
                             "InputPath": "$.detail"}]
            })
        })
        .collect();
    json!({ "Rules": list })
}

/// The event with ~250 KB of order lines in its detail (non-ASCII text included).
fn big_event(event: &Value) -> Value {
    let items: Vec<Value> = (0..2900)
        .map(|i| {
            json!({"sku": format!("SKU-{i}"), "qty": i % 7, "price": f64::from(i) * 1.25,
                   "tags": ["a", "b", "ü"], "meta": {"k": format!("v{i}")}})
        })
        .collect();
    let mut big = event.clone();
    big["detail"] = json!({"amount": 50, "items": items});
    big
}
