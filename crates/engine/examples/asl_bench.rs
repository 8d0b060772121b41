//! The interpreter's side of `bench/asl` (run by `scripts/bench-asl.sh`, natively and as
//! wasm32-wasip1 under Node): the order-processing example with every Task answered by a mock,
//! and a Map over 10,000 items. Prints one JSON object: microseconds per order execution and per
//! Map item, plus the outputs so the Node script can check that both interpreters agree. The
//! same Map written in JSONata is timed too, at 1,000 and at 10,000 items: its cost per item
//! should not grow with the number of items, and should stay near the JSONPath Map's.
//!
//! `asl_bench [ORDER_RUNS] [MAP_RUNS] [ITEMS]` (defaults 2000, 5, 10000). The machines are compiled
//! in, so the wasm build needs no file system.
//!
//! `asl_bench --order RUNS` times only the order machine (for a profiler); `asl_bench --map ITEMS
//! RUNS [--jsonata]` only the Map.
//!
//! `asl_bench --map-memory ITEMS [--no-inspect]` runs the JSONPath Map once over ITEMS items in
//! this fresh process, with inspection on (the CLI's default) unless `--no-inspect`, and prints
//! `{"items", "inspect", "peak_rss_bytes", "output_len"}`: the process's peak resident memory
//! (Linux's `VmHWM` in `/proc/self/status`, the same figure as getrusage's `ru_maxrss`; null where
//! there is none, as in wasm). The Node script compares it with aws-local-stepfunctions' peak on
//! the same Map, measured the same way in a fresh child process.

use serde_json::{Value, json};
use statebridge_engine::asl::StateMachine;
use statebridge_engine::asl::exec::{Execution, ExecutionOptions, Status};
use statebridge_engine::asl::mocks::Mocks;
use std::time::Instant;

// Natively, the allocator the `statebridge` command uses (crates/cli): the interpreter's time is
// half allocation, and glibc's malloc makes it ~25% slower. The wasm side keeps its default.
#[cfg(not(target_family = "wasm"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const WORKSPACE: &str = include_str!("../../../www/examples/order-processing.json");
const MAP_MACHINE: &str = include_str!("../../../bench/asl/map-machine.json");
const JSONATA_MAP_MACHINE: &str = include_str!("../../../bench/asl/map-machine-jsonata.json");

/// The Map's input: `items` items.
fn items_input(items: u64) -> Value {
    json!({"items": (0..items)
        .map(|i| json!({"sku": format!("SKU-{i}"), "quantity": i % 7 + 1}))
        .collect::<Vec<_>>()})
}

/// The Map's options for `items` items: every iteration's Task mocked.
fn items_options(items: u64) -> ExecutionOptions {
    let last = items.saturating_sub(1);
    ExecutionOptions {
        mocks: Mocks::from_value(
            &json!({"PriceItem": {format!("0-{last}"): {"Return": {"total": 42, "currency": "EUR"}}}}),
            None,
        )
        .unwrap_or_else(|e| fail(&e.to_string())),
        // 10,000 iterations exceed AWS's 25,000 history events and 256 KiB payloads: the
        // benchmark measures the interpreter, so both limits are lifted here.
        max_history_events: usize::MAX,
        max_payload_bytes: usize::MAX,
        max_steps: u64::MAX,
        inspect: false,
        ..ExecutionOptions::default()
    }
}

/// What every Task of the order machine answers (the happy path, no throttling: both interpreters
/// would otherwise spend the retry intervals differently — virtual here, real there).
fn order_mocks() -> Value {
    json!({
        "ValidateOrder": {"0": {"Return": {"orderId": "12345", "customerId": "cust-999",
            "totalAmount": 129.99, "cardToken": "tok_visa_xxx", "valid": true}}},
        "ChargeCard": {"0": {"Return": {"orderId": "12345", "chargeId": "ch_3Nf9x2",
            "status": "new", "amount": 129.99}}},
        "FulfillOrder": {"0": {"Return": {"orderId": "12345", "shipmentId": "SHP-7781",
            "warehouse": "DUB-2"}}},
        "SendConfirmationEmail": {"0": {"Return": {"Output": "{\"messageId\":\"0100018e3f\"}",
            "Status": "SUCCEEDED"}}},
        "MarkOrderComplete": {"0": {"Return": {"orderId": "12345", "status": "COMPLETE"}}}
    })
}

fn arg(n: usize, default: u64) -> u64 {
    std::env::args()
        .nth(n)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

fn fail(what: &str) -> ! {
    eprintln!("asl_bench: {what}");
    std::process::exit(2)
}

/// Seconds of CPU time this thread has used, where the system says (Linux's
/// `/proc/thread-self/schedstat`; not in wasm): on a loaded machine wall time includes waiting.
fn cpu_seconds() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: f64 = text.split_whitespace().next()?.parse().ok()?;
    Some(nanos / 1e9)
}

/// How many batches the runs are split into; the fastest batch's time per run is reported (the
/// Node side does the same), so a batch slowed by other work on a shared machine does not count.
const BATCHES: u64 = 5;

/// Runs `machine` `runs` times in up to [`BATCHES`] batches: microseconds per run in wall time
/// (the fastest batch) and, where the system says, in this thread's CPU time (all runs); and the
/// last outcome's output.
fn time_runs(
    machine: &StateMachine,
    input: &Value,
    options: &ExecutionOptions,
    runs: u64,
) -> (f64, Option<f64>, Value) {
    let mut output = Value::Null;
    let runs = runs.max(1);
    let batches = BATCHES.min(runs);
    let cpu_started = cpu_seconds();
    let mut best = f64::INFINITY;
    let mut done = 0;
    for batch in 0..batches {
        let size = (runs - done) / (batches - batch);
        let started = Instant::now();
        for _ in 0..size {
            // The machine is compiled once and every run borrows it, as aws-local-stepfunctions
            // reuses its StateMachine object; the history is recorded on every run all the same.
            let (outcome, history) = Execution::run_once(machine, input, options);
            if history.is_empty() {
                fail("the execution recorded no history");
            }
            if outcome.status != Status::Succeeded {
                fail(&format!(
                    "the execution ended {:?}: {:?} {:?}",
                    outcome.status, outcome.error, outcome.cause
                ));
            }
            output = outcome.output.unwrap_or(Value::Null);
        }
        done += size;
        best = best.min(started.elapsed().as_secs_f64() * 1e6 / size.max(1) as f64);
    }
    let cpu = match (cpu_started, cpu_seconds()) {
        (Some(a), Some(b)) => Some((b - a) * 1e6 / runs as f64),
        _ => None,
    };
    (best, cpu, output)
}

/// This process's peak resident memory in bytes, where the system says (Linux's `VmHWM`).
fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// `--map-memory ITEMS [--no-inspect]`: one run of the JSONPath Map over ITEMS items, then this
/// process's peak memory. Every limit is lifted (100,000 iterations pass AWS's 25,000 history
/// events and statebridge's memory budget), as for the timed Map.
fn map_memory(items: u64, inspect: bool) {
    let map_json: Value =
        serde_json::from_str(MAP_MACHINE).unwrap_or_else(|e| fail(&e.to_string()));
    let map = StateMachine::from_value(&map_json).unwrap_or_else(|d| fail(&d.to_string()));
    let input = items_input(items);
    let options = ExecutionOptions {
        inspect,
        max_memory_bytes: usize::MAX,
        ..items_options(items)
    };
    // Kept as the CLI keeps it: the execution holds its history and (with inspection) its state
    // runs until it is dropped.
    let mut execution = Execution::new(&map, input, options);
    let outcome = execution.run_to_end();
    if outcome.status != Status::Succeeded {
        fail(&format!(
            "the execution ended {:?}: {:?} {:?}",
            outcome.status, outcome.error, outcome.cause
        ));
    }
    let output_len = outcome
        .output
        .as_ref()
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let peak = peak_rss_bytes();
    let report = json!({
        "items": items,
        "inspect": inspect,
        "history_events": execution.history().len(),
        "state_runs": execution.state_runs().len(),
        "peak_rss_bytes": peak,
        "output_len": output_len,
    });
    println!("{report}");
}

fn main() {
    if std::env::args().nth(1).as_deref() == Some("--map-memory") {
        let items = arg(2, 100_000);
        let inspect = std::env::args().nth(3).as_deref() != Some("--no-inspect");
        map_memory(items, inspect);
        return;
    }
    // `--map ITEMS RUNS [--jsonata]`: only the Map's runs (no warm-up, no inspection), to see with a
    // profiler how its cost per item changes with the number of items.
    if std::env::args().nth(1).as_deref() == Some("--map") {
        let (items, runs) = (arg(2, 10_000), arg(3, 1));
        let text = match std::env::args().nth(4).as_deref() {
            Some("--jsonata") => JSONATA_MAP_MACHINE,
            _ => MAP_MACHINE,
        };
        let json: Value = serde_json::from_str(text).unwrap_or_else(|e| fail(&e.to_string()));
        let map = StateMachine::from_value(&json).unwrap_or_else(|d| fail(&d.to_string()));
        let (us, cpu, _) = time_runs(&map, &items_input(items), &items_options(items), runs);
        let per_item = |us: f64| us / items.max(1) as f64;
        println!(
            "{}",
            json!({"items": items, "runs": runs, "us_per_item": per_item(us), "cpu_us_per_item": cpu.map(per_item)})
        );
        return;
    }
    // `--order RUNS`: only the order machine's timed runs (no warm-up, no inspection, no Map), to
    // profile them (`perf record`, `valgrind --tool=callgrind`).
    let order_only = std::env::args().nth(1).as_deref() == Some("--order");
    let (order_runs, map_runs, items) = if order_only {
        (arg(2, 2000), 0, 0)
    } else {
        (arg(1, 2000), arg(2, 5), arg(3, 10_000))
    };
    let workspace: Value = serde_json::from_str(WORKSPACE).unwrap_or_else(|e| fail(&e.to_string()));
    let order = StateMachine::from_value(&workspace["machines"]["order-processor"])
        .unwrap_or_else(|d| fail(&d.to_string()));
    let order_input = workspace["event"]["detail"].clone();
    let order_options = ExecutionOptions {
        mocks: Mocks::from_value(&order_mocks(), None).unwrap_or_else(|e| fail(&e.to_string())),
        // The history is recorded (aws-local-stepfunctions keeps its event log too); the
        // inspector's per-state data-flow copies are not (measured separately below).
        inspect: false,
        ..ExecutionOptions::default()
    };
    if order_only {
        let (order_us, _, _) = time_runs(&order, &order_input, &order_options, order_runs);
        println!(
            "{}",
            json!({"order_runs": order_runs, "order_us_per_execution": order_us})
        );
        return;
    }
    // Warm-up, then the measured runs.
    time_runs(
        &order,
        &order_input,
        &order_options,
        (order_runs / 10).max(1),
    );
    let (order_us, order_cpu, order_output) =
        time_runs(&order, &order_input, &order_options, order_runs);
    // The same with the app's per-state inspection data recorded too (aws-local-stepfunctions
    // has no counterpart to it; reported for reference).
    let order_inspecting = ExecutionOptions {
        inspect: true,
        ..order_options.clone()
    };
    let (order_inspect_us, _, _) = time_runs(&order, &order_input, &order_inspecting, order_runs);

    let map_json: Value =
        serde_json::from_str(MAP_MACHINE).unwrap_or_else(|e| fail(&e.to_string()));
    let map = StateMachine::from_value(&map_json).unwrap_or_else(|d| fail(&d.to_string()));
    let map_input = items_input(items);
    let map_options = items_options(items);
    time_runs(&map, &map_input, &map_options, 1);
    let (map_us, map_cpu, map_output) = time_runs(&map, &map_input, &map_options, map_runs);
    let map_inspecting = ExecutionOptions {
        inspect: true,
        ..map_options.clone()
    };
    let (map_inspect_us, _, _) = time_runs(&map, &map_input, &map_inspecting, map_runs);
    let per_item = |us: f64| us / items.max(1) as f64;

    // The JSONata Map at 1,000 items and at `items` items (10,000 by default).
    let jsonata_json: Value =
        serde_json::from_str(JSONATA_MAP_MACHINE).unwrap_or_else(|e| fail(&e.to_string()));
    let jsonata_map =
        StateMachine::from_value(&jsonata_json).unwrap_or_else(|d| fail(&d.to_string()));
    let mut jsonata_per_item = Vec::new();
    for (n, runs) in [(1_000, map_runs * 10), (items, map_runs)] {
        let (input, options) = (items_input(n), items_options(n));
        time_runs(&jsonata_map, &input, &options, 1);
        let (us, cpu, output) = time_runs(&jsonata_map, &input, &options, runs);
        if output.get(0) != map_output.get(0) {
            fail("the JSONata Map's output differs from the JSONPath Map's");
        }
        let per = |us: f64| us / n.max(1) as f64;
        jsonata_per_item
            .push(json!({"items": n, "us_per_item": per(us), "cpu_us_per_item": cpu.map(per)}));
    }
    let report = json!({
        "order_runs": order_runs,
        "order_us_per_execution": order_us,
        "order_cpu_us_per_execution": order_cpu,
        "order_inspect_us_per_execution": order_inspect_us,
        "order_output": order_output,
        "map_runs": map_runs,
        "map_items": items,
        "map_us_per_item": per_item(map_us),
        "map_cpu_us_per_item": map_cpu.map(per_item),
        "map_inspect_us_per_item": per_item(map_inspect_us),
        "map_output_first": map_output.get(0).cloned().unwrap_or(Value::Null),
        "map_output_len": map_output.as_array().map_or(0, Vec::len),
        "jsonata_map": jsonata_per_item,
    });
    println!("{report}");
}
