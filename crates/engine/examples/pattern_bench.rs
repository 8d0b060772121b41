//! Pattern matcher benchmark: event-ruler's 14 citylots rule groups, and scaling with the number
//! of rules (against a naive loop over the patterns).
//!
//! ```text
//! pattern_bench --data citylots.jsonl [--rules rulesets.json] [--rounds 7] [--json] [--no-scaling]
//!               [--scaling-lines N]
//! ```
//!
//! `scripts/bench-patterns.sh` writes the synthetic citylots file (`shared/bench/make_citylots.py`)
//! into the target directory and runs this natively and as wasm32-wasip1 under Node's `node:wasi`,
//! so the example does no I/O beyond reading two files (WASI has no processes). Every line is
//! matched from its text, JSON parsing included, as event-ruler's benchmark does: one `RuleSet`
//! per group of five rules; the figure is the best of several passes over all lines.

use serde_json::{Value, json};
use statebridge_engine::pattern::{Pattern, RuleSet};
use std::time::Instant;

/// event-ruler's groups, in its benchmark's order.
const GROUPS: [&str; 14] = [
    "EXACT",
    "WILDCARD",
    "PREFIX",
    "PREFIX_EQUALS_IGNORE_CASE",
    "SUFFIX",
    "SUFFIX_EQUALS_IGNORE_CASE",
    "EQUALS_IGNORE_CASE",
    "COMPLEX_ARRAYS",
    "NUMERIC",
    "ANYTHING_BUT",
    "ANYTHING_BUT_IGNORE_CASE",
    "ANYTHING_BUT_PREFIX",
    "ANYTHING_BUT_SUFFIX",
    "ANYTHING_BUT_WILDCARD",
];

struct Args {
    data: String,
    rules: String,
    rounds: usize,
    json: bool,
    scaling: bool,
    scaling_lines: usize,
}

fn args() -> Result<Args, String> {
    let mut out = Args {
        data: String::new(),
        rules: concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/bench/rulesets.json"
        )
        .into(),
        rounds: 7,
        json: false,
        scaling: true,
        scaling_lines: usize::MAX,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--data" => out.data = it.next().ok_or("--data needs a file")?,
            "--rules" => out.rules = it.next().ok_or("--rules needs a file")?,
            "--rounds" => {
                out.rounds = it
                    .next()
                    .and_then(|n| n.parse().ok())
                    .ok_or("--rounds needs a number")?
            }
            "--json" => out.json = true,
            "--no-scaling" => out.scaling = false,
            "--scaling-lines" => {
                out.scaling_lines = it
                    .next()
                    .and_then(|n| n.parse().ok())
                    .ok_or("--scaling-lines needs a number")?
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if out.data.is_empty() {
        return Err("usage: pattern_bench --data citylots.jsonl [--rules rulesets.json] [--rounds N] [--json] [--no-scaling] [--scaling-lines N]".into());
    }
    Ok(out)
}

/// CPU time of this thread (native) or process (WASI), in seconds, when the platform tells it.
/// The machines these figures come from are shared by several jobs: wall time would also count
/// other processes' turns on the CPU, CPU time counts only the matcher's own work.
#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
fn cpu_time() -> Option<f64> {
    #[repr(C)]
    struct Timespec {
        sec: i64,
        nsec: i64,
    }
    unsafe extern "C" {
        fn clock_gettime(clock: i32, ts: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut ts = Timespec { sec: 0, nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the call.
    let rc = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    (rc == 0).then_some(ts.sec as f64 + ts.nsec as f64 * 1e-9)
}

#[cfg(target_os = "wasi")]
fn cpu_time() -> Option<f64> {
    #[link(wasm_import_module = "wasi_snapshot_preview1")]
    unsafe extern "C" {
        fn clock_time_get(id: u32, precision: u64, time: *mut u64) -> u16;
    }
    const CLOCK_PROCESS_CPUTIME_ID: u32 = 2;
    let mut t = 0u64;
    // SAFETY: `t` is a valid, writable u64 for the duration of the call.
    let rc = unsafe { clock_time_get(CLOCK_PROCESS_CPUTIME_ID, 1, &mut t) };
    (rc == 0).then_some(t as f64 * 1e-9)
}

#[cfg(not(any(
    all(target_os = "linux", target_pointer_width = "64"),
    target_os = "wasi"
)))]
fn cpu_time() -> Option<f64> {
    None
}

/// Seconds of CPU (or, where the platform does not say, of wall clock) and of wall clock.
struct Stopwatch(Instant, Option<f64>);

impl Stopwatch {
    fn start() -> Stopwatch {
        Stopwatch(Instant::now(), cpu_time())
    }

    fn stop(&self) -> (f64, f64) {
        let wall = self.0.elapsed().as_secs_f64();
        let cpu = match (self.1, cpu_time()) {
            (Some(a), Some(b)) if b > a => b - a,
            _ => wall,
        };
        (cpu, wall)
    }
}

/// Lines timed together: short enough that some pass over each chunk runs undisturbed on a busy
/// machine, long enough for the clocks (WASI's CPU clock counts microseconds).
const CHUNK: usize = 2_000;

/// `rounds` passes over the lines; each chunk of lines counts at its fastest pass (the usual
/// best-of-N, per chunk, so every line is timed): (events per CPU second, per wall second,
/// matches in one pass).
fn time_set(set: &RuleSet, lines: &[&str], rounds: usize) -> (f64, f64, usize) {
    let chunks: Vec<&[&str]> = lines.chunks(CHUNK).collect();
    let mut cpu = vec![f64::MAX; chunks.len()];
    let mut wall = vec![f64::MAX; chunks.len()];
    let mut matches = 0;
    for _ in 0..rounds.max(1) {
        matches = 0;
        for (i, chunk) in chunks.iter().enumerate() {
            let watch = Stopwatch::start();
            for line in *chunk {
                matches += set.matching_rules_text(line).map_or(0, |m| m.len());
            }
            let (c, w) = watch.stop();
            if let (Some(best_c), Some(best_w)) = (cpu.get_mut(i), wall.get_mut(i)) {
                *best_c = best_c.min(c);
                *best_w = best_w.min(w);
            }
        }
    }
    let n = lines.len() as f64;
    (
        n / cpu.iter().sum::<f64>(),
        n / wall.iter().sum::<f64>(),
        matches,
    )
}

/// A naive loop: parse each event into a tree once, then try every pattern.
fn time_naive(patterns: &[Pattern], lines: &[&str]) -> (f64, usize) {
    let watch = Stopwatch::start();
    let mut matches = 0;
    for line in lines {
        if let Ok(event) = serde_json::from_str::<Value>(line) {
            matches += patterns.iter().filter(|p| p.matches(&event)).count();
        }
    }
    (lines.len() as f64 / watch.stop().0, matches)
}

fn groups(rules: &Value, lines: &[&str], rounds: usize) -> Result<Vec<Value>, String> {
    let mut out = Vec::new();
    for name in GROUPS {
        let list = rules
            .get(format!("{name}_RULES"))
            .and_then(Value::as_array)
            .ok_or(format!("rulesets has no {name}_RULES"))?;
        let mut set = RuleSet::new();
        for (i, r) in list.iter().enumerate() {
            let p = Pattern::parse(r).map_err(|e| format!("{name} rule {i}: {e}"))?;
            set.add(format!("{name}-{i}"), p);
        }
        time_set(&set, lines, 1); // warm up
        let (rate, wall, matches) = time_set(&set, lines, rounds);
        out.push(json!({"group": name, "matches": matches, "events_per_s": rate.round(), "wall_events_per_s": wall.round()}));
    }
    Ok(out)
}

/// Rule `i` of the scaling set: an exact block-lot and a street prefix, or every tenth rule a
/// block-number prefix; values come from the data so some rules match.
fn scaling_rule(i: usize, events: &[Value]) -> Value {
    let props = events
        .get(i % events.len().max(1))
        .and_then(|e| e.get("properties"))
        .cloned()
        .unwrap_or(Value::Null);
    let street = props["STREET"].as_str().unwrap_or("X");
    if i % 10 == 9 {
        json!({"properties": {"BLOCK_NUM": [{"prefix": props["BLOCK_NUM"]}], "ODD_EVEN": ["E"]}})
    } else {
        json!({"properties": {"MAPBLKLOT": [props["MAPBLKLOT"]], "STREET": [{"prefix": street.get(..1).unwrap_or("X")}]}})
    }
}

fn scaling(lines: &[&str], rounds: usize) -> Result<Vec<Value>, String> {
    // Only the properties: whole parsed events would hold every polygon in memory.
    let events: Vec<Value> = lines
        .iter()
        .take(10_000)
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .map(|mut e| json!({"properties": e["properties"].take()}))
        .collect();
    let mut out = Vec::new();
    for n in [1usize, 100, 1000, 10_000] {
        let texts: Vec<String> = (0..n)
            .map(|i| scaling_rule(i, &events).to_string())
            .collect();
        // Compile time: pattern text to a ready matcher.
        let watch = Stopwatch::start();
        let mut set = RuleSet::new();
        let mut patterns = Vec::with_capacity(n);
        for (i, t) in texts.iter().enumerate() {
            let p: Pattern = t.parse().map_err(|e| format!("scaling rule {i}: {e}"))?;
            patterns.push(p.clone());
            set.add(format!("r{i}"), p);
        }
        let compile = watch.stop().0;
        time_set(&set, lines, 1);
        let (rate, _, matches) = time_set(&set, lines, rounds.min(3));
        // The naive loop gets fewer events as it slows down, to keep the run short.
        let naive_lines = &lines[..lines.len().min(2_000_000 / n).max(50).min(lines.len())];
        let (naive, naive_matches) = time_naive(&patterns, naive_lines);
        let set_matches: usize = naive_lines
            .iter()
            .map(|l| set.matching_rules_text(l).map_or(0, |m| m.len()))
            .sum();
        if set_matches != naive_matches {
            return Err(format!(
                "{n} rules: RuleSet found {set_matches} matches, the naive loop {naive_matches}"
            ));
        }
        out.push(json!({
            "rules": n,
            "compile_ms": compile * 1e3,
            "events_per_s": rate.round(),
            "matches": matches,
            "naive_events_per_s": naive.round(),
        }));
    }
    Ok(out)
}

fn run() -> Result<(), String> {
    let a = args()?;
    let text = std::fs::read_to_string(&a.data).map_err(|e| format!("{}: {e}", a.data))?;
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let rules: Value = serde_json::from_str(
        &std::fs::read_to_string(&a.rules).map_err(|e| format!("{}: {e}", a.rules))?,
    )
    .map_err(|e| format!("{}: {e}", a.rules))?;
    let groups = groups(&rules, &lines, a.rounds)?;
    let scaling = if a.scaling {
        scaling(&lines[..lines.len().min(a.scaling_lines)], a.rounds)?
    } else {
        Vec::new()
    };
    let avg = lines.iter().map(|l| l.len()).sum::<usize>() / lines.len().max(1);
    if a.json {
        let out = json!({
            "lines": lines.len(),
            "avg_bytes": avg,
            "groups": groups,
            "scaling": scaling,
            "scaling_lines": lines.len().min(a.scaling_lines),
        });
        println!("{out}");
        return Ok(());
    }
    println!(
        "{} citylots-shaped lines, {avg} bytes on average",
        lines.len()
    );
    println!("\n| group | matches | events/s |\n|---|---:|---:|");
    for g in &groups {
        println!(
            "| {} | {} | {:.0}K |",
            g["group"].as_str().unwrap_or("?"),
            g["matches"],
            g["events_per_s"].as_f64().unwrap_or(0.0) / 1e3
        );
    }
    if !scaling.is_empty() {
        println!("\n| rules | compile ms | events/s | vs 1 rule | naive loop events/s |");
        println!("|---:|---:|---:|---:|---:|");
        let one = scaling
            .first()
            .and_then(|s| s["events_per_s"].as_f64())
            .unwrap_or(1.0);
        for s in &scaling {
            let rate = s["events_per_s"].as_f64().unwrap_or(0.0);
            println!(
                "| {} | {:.1} | {:.0}K | {:.2} | {:.1}K |",
                s["rules"],
                s["compile_ms"].as_f64().unwrap_or(0.0),
                rate / 1e3,
                rate / one,
                s["naive_events_per_s"].as_f64().unwrap_or(0.0) / 1e3
            );
        }
    }
    Ok(())
}

fn main() {
    if let Err(e) = run() {
        eprintln!("pattern_bench: {e}");
        std::process::exit(2);
    }
}
