//! `route`: an event through the bus, and the whole cascade it causes.
//!
//! `statebridge route BUS [EVENT] [--mocks FILE] [--max-events N] [--replay FROM,TO] [--history]`
//!
//! BUS is a bus file (`{"Rules": [...]}`, a target may carry its machine's definition, a rule
//! its `EventBusName`) or a workspace (`{"event", "rules", "machines", "mocks"}`, whose event is
//! used when EVENT is not given). EVENT is a full event, a PutEvents entry (`Source`,
//! `DetailType`, `Detail` as JSON text, `EventBusName`, `Resources`, `Time`), a list of up to 10
//! entries, or `{"Entries": [...]}`. Prints one JSON object: the first event's routing (`bus`,
//! `matched`, `not_matched`, `disabled`), `routings` (every put event's, when there are several),
//! `put_events` (PutEvents' answer, when EVENT was entries: `FailedEntryCount` and per entry
//! `EventId` or `ErrorCode`/`ErrorMessage`), then the cascade on one virtual clock: `events`
//! (every bus's log, each event with its `bus`), `deliveries` (each target's attempts and how
//! they ended), `executions` (with `history` when asked), `dead_letters`, and `capped` when the
//! loop cap stopped the run. Scheduled rules (`ScheduleExpression`) and the rules document's
//! `Schedules` (EventBridge Scheduler) fire over the run's window (`--window SECONDS`, default a
//! day; at most `--max-firings N` times each, default 10): `schedule_window`, `firings`,
//! `firings_cut`; its `Archives` keep events and its `Replays` run once the run is quiet:
//! `replays`. Its `Pipes` (EventBridge Pipes, `CreatePipe`'s requests) read the records of its
//! `Sources` (SQS queues, Kinesis and DynamoDB streams), filter, batch, enrich and deliver them:
//! `pipes` (each record's fate, each batch's enrichment and target input), with each batch's
//! delivery on the pipe's lane of `events`. A document with schedules or pipes needs no EVENT
//! (a workspace's `event` may then be `null`). Exit 0 when a rule matched a put event, a schedule
//! fired or a pipe delivered a batch, 1 when none of these happened (or PutEvents refused every
//! entry), 2 when an input is invalid.

use crate::io::{check_event, position, read_arg, read_json, read_json_as, shown};
use serde_json::{Map, Value};
use statebridge_engine::asl::mocks::Mocks;
use statebridge_engine::asl::time;
use statebridge_engine::bus::Bus;
use statebridge_engine::put_events::Put;
use statebridge_engine::source;
use statebridge_engine::system::{System, SystemError, SystemOptions};
use statebridge_engine::workspace::Workspace;

const USAGE: &str = "usage: statebridge route BUS [EVENT] [--mocks FILE] [--max-events N] [--window SECONDS] [--max-firings N] [--replay FROM,TO] [--history]";

#[derive(Debug, Default)]
struct Args {
    files: Vec<String>,
    mocks: Option<String>,
    max_events: Option<usize>,
    window: Option<i64>,
    max_firings: Option<usize>,
    replay: Option<(i64, i64)>,
    history: bool,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut out = Args::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("`{name}` needs a value"))
        };
        match a.as_str() {
            "--mocks" => out.mocks = Some(value("--mocks")?),
            "--max-events" => {
                let v = value("--max-events")?;
                out.max_events = Some(
                    v.parse::<usize>()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or_else(|| format!("--max-events: `{v}` is not a positive number"))?,
                );
            }
            "--window" => {
                let v = value("--window")?;
                out.window = Some(
                    v.parse::<i64>()
                        .ok()
                        .filter(|n| (1..=366 * 86_400).contains(n))
                        .ok_or_else(|| {
                            format!("--window: `{v}` is not a number of seconds from 1 to 31622400 (366 days)")
                        })?,
                );
            }
            "--max-firings" => {
                let v = value("--max-firings")?;
                out.max_firings = Some(
                    v.parse::<usize>()
                        .ok()
                        .filter(|n| (1..=10_000).contains(n))
                        .ok_or_else(|| {
                            format!("--max-firings: `{v}` is not a number from 1 to 10000")
                        })?,
                );
            }
            "--replay" => {
                let v = value("--replay")?;
                let range = v.split_once(',').and_then(|(a, b)| {
                    Some((
                        time::parse_rfc3339(a.trim())?,
                        time::parse_rfc3339(b.trim())?,
                    ))
                });
                out.replay = Some(range.ok_or_else(|| {
                    format!("--replay: `{v}` is not FROM,TO (two RFC 3339 timestamps)")
                })?);
            }
            "--history" => out.history = true,
            flag if flag.starts_with("--") => return Err(format!("unknown option `{flag}`")),
            _ => out.files.push(a.clone()),
        }
    }
    if out.files.is_empty() || out.files.len() > 2 {
        return Err(USAGE.to_owned());
    }
    Ok(out)
}

/// The system to run and the event to put, from the arguments.
fn prepare(args: &Args) -> Result<(System, Bus, Option<Put>), String> {
    let bus_path = args.files.first().map_or("-", String::as_str);
    let text = read_arg(bus_path)?;
    let doc = source::parse_value(&text)
        .map_err(|e| format!("{}: the bus is not valid JSON: {e}", shown(bus_path)))?;
    let is_workspace = doc.get("machines").is_some() && doc.get("rules").is_some();
    let event = match args.files.get(1) {
        Some(p) => Some(read_json_as(p, "the event")?),
        None => None,
    };
    let mocks_doc = match &args.mocks {
        Some(p) => Some((p.as_str(), read_json(p)?)),
        None => None,
    };
    let mut options = SystemOptions::default();
    if let Some(n) = args.max_events {
        options.max_events = n;
    }
    if let Some(n) = args.window {
        options.window_seconds = n;
    }
    if let Some(n) = args.max_firings {
        options.max_firings = n;
    }
    let (bus, machines, mocks_value, ws_event) = if is_workspace {
        let ws = Workspace::from_value(&doc).map_err(|e| format!("{}: {e}", shown(bus_path)))?;
        let bus =
            Bus::parse(&ws.rules_document()).map_err(|e| located_rules(&text, bus_path, e))?;
        (bus, ws.machines, Value::Object(ws.mocks), Some(ws.event))
    } else {
        // From the text, so that errors carry the line and column.
        let bus = text
            .parse::<Bus>()
            .map_err(|e| format!("{}: {e}", shown(bus_path)))?;
        (bus, Map::new(), Value::Object(Map::new()), None)
    };
    let mocks = match &mocks_doc {
        Some((p, (value, map))) => Mocks::from_value(value, None)
            .map_err(|e| located(shown(p), position(map, &e.pointer), &e))?,
        // A workspace's own mocks: find the place in the bus file only when there is an error.
        None => Mocks::from_value(&mocks_value, None).map_err(|e| {
            let place = source::parse(&text)
                .ok()
                .and_then(|(_, map)| position(&map, &format!("/mocks{}", e.pointer)));
            located(shown(bus_path), place, &e)
        })?,
    };
    let timed = !bus.schedules.is_empty()
        || bus.rules.iter().any(|r| r.schedule.is_some())
        || bus.eventsv2.is_some()
        || !bus.pipes.is_empty();
    let ws_event = ws_event.filter(|e| !e.is_null());
    // An `EventsV2` error with its line and column in the file.
    let setup_error = |e: SystemError| match &e {
        SystemError::EventsV2(inner) => {
            let base = if is_workspace {
                "/rules/EventsV2"
            } else {
                "/EventsV2"
            };
            let place = source::parse(&text)
                .ok()
                .and_then(|(_, map)| position(&map, &format!("{base}{}", inner.pointer)));
            located(shown(bus_path), place, &e)
        }
        _ => format!("{}: {e}", shown(bus_path)),
    };
    let (event, event_path) = match (event, ws_event) {
        (Some(e), _) => (e, args.files.get(1).map_or("-", String::as_str)),
        (None, Some(e)) => (e, bus_path),
        (None, None) if timed => {
            let system =
                System::new(bus.clone(), &machines, mocks, options).map_err(setup_error)?;
            return Ok((system, bus, None));
        }
        (None, None) => {
            return Err(format!(
                "{}: a bus file holds no event (and no schedule or pipe): give EVENT too",
                shown(bus_path)
            ));
        }
    };
    if event.is_object() && event.get("Entries").is_none() {
        check_event(&event, event_path)?;
    }
    let system = System::new(bus.clone(), &machines, mocks, options).map_err(setup_error)?;
    let put = system.read_events(&event).map_err(|e| {
        // The place of the offending member, in the event file or in the workspace's `event`.
        let (file, prefix) = match args.files.get(1) {
            Some(p) => (p.as_str(), ""),
            None => (bus_path, "/event"),
        };
        let place = e.pointer().and_then(|pointer| {
            let text = if file == bus_path {
                Some(text.clone())
            } else {
                std::fs::read_to_string(file).ok()
            }?;
            let (_, map) = source::parse(&text).ok()?;
            position(&map, &format!("{prefix}{pointer}"))
        });
        located(shown(event_path), place, &e)
    })?;
    Ok((system, bus, Some(put)))
}

/// A workspace's rules error with the line and column in the workspace's text.
fn located_rules(text: &str, path: &str, mut e: statebridge_engine::bus::BusError) -> String {
    let place = source::parse(text)
        .ok()
        .and_then(|(_, map)| position(&map, &format!("/rules{}", e.pointer)));
    e.position = None;
    located(shown(path), place, &format_args!("in `rules`: {e}"))
}

/// `FILE:LINE:COLUMN: what` (the place left out when unknown), as `run --mocks` reads.
fn located(file: &str, place: Option<(u32, u32)>, what: &dyn std::fmt::Display) -> String {
    match place {
        Some((line, column)) => format!("{file}:{line}:{column}: {what}"),
        None => format!("{file}: {what}"),
    }
}

fn fail(message: &str) -> u8 {
    eprintln!("statebridge route: {message}");
    2
}

/// `statebridge route BUS [EVENT] …`: prints the routing and the cascade; exit 0 when a rule matched.
pub fn route_cmd(args: &[String]) -> u8 {
    let parsed = match parse_args(args) {
        Ok(a) => a,
        Err(e) => return fail(&e),
    };
    let (system, bus, put) = match prepare(&parsed) {
        Ok(p) => p,
        Err(e) => return fail(&e),
    };
    let routings: Vec<Value> = put
        .iter()
        .flat_map(|p| p.events.iter())
        .map(|e| {
            let mut r = serde_json::to_value(bus.route_on(&e.bus, &e.event)).unwrap_or_default();
            if let Some(obj) = r.as_object_mut() {
                obj.insert("entry".into(), e.entry.into());
                obj.insert("bus".into(), e.bus.clone().into());
            }
            r
        })
        .collect();
    let any_matched = routings
        .iter()
        .any(|r| r["matched"].as_array().is_some_and(|m| !m.is_empty()));
    let mut run = system.start();
    run.play(put.as_ref());
    if let Some((from, to)) = parsed.replay {
        run.replay("cli-replay", from, to);
        run.run();
    }
    let report = run.into_report();
    let Ok(Value::Object(cascade)) = serde_json::to_value(&report) else {
        return fail("cannot print the routing");
    };
    // The first put event's routing at the top, as for one event; every one's when several.
    let mut out = routings.first().cloned().unwrap_or_else(
        || serde_json::json!({"bus": null, "matched": [], "not_matched": [], "disabled": []}),
    );
    if let Some(obj) = out.as_object_mut() {
        obj.remove("entry");
        if routings.len() > 1 {
            obj.insert("routings".into(), Value::Array(routings.clone()));
        }
        for (k, mut v) in cascade {
            // The definitions that ran are the workspace's own: not printed.
            if k == "definitions" {
                continue;
            }
            if k == "executions"
                && let Some(list) = v.as_array_mut()
            {
                for e in list.iter_mut().filter_map(Value::as_object_mut) {
                    e.remove("definition");
                    if !parsed.history {
                        e.remove("history");
                    }
                }
            }
            obj.insert(k, v);
        }
    }
    outln!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    let fired = !report.firings.is_empty();
    let delivered_v2 = report
        .eventsv2
        .as_ref()
        .is_some_and(|r| r.subscribers.iter().any(|s| s.lane.delivered > 0));
    let piped = report.pipes.iter().any(|p| {
        p.batches
            .iter()
            .any(|b| b.status == statebridge_engine::system::BatchStatus::Delivered)
    });
    if any_matched || fired || delivered_v2 || piped {
        0
    } else {
        1
    }
}
