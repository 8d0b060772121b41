//! `system`: a whole workspace on one virtual clock, as `statebridge route WORKSPACE` runs it —
//! the event put, scheduled rules and Scheduler schedules firing over the window, the cascade of
//! executions and events, the archives and the declared replays.

use crate::error::{ApiError, ErrorKind};
use crate::input::{Input, locate};
use serde::Deserialize;
use serde_json::Value;
use statebridge_engine::system::{System, SystemError, SystemOptions};
use statebridge_engine::workspace::{DocumentError, Workspace};

/// `system`'s options, all optional.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawSystemOptions {
    start_time: Option<String>,
    seed: Option<u64>,
    max_events: Option<usize>,
    window_seconds: Option<i64>,
    max_firings: Option<usize>,
    history: Option<bool>,
}

/// Runs a workspace (`{event, rules, machines, mocks}`; `rules` may hold `Schedules`, `Archives`,
/// `Replays`, a Custom Event Bus document, `EventsV2`, and `Pipes` with their `Sources` beside
/// `Rules`; `event` may be `null`). Answers the run's record in the CLI's shape: `events`,
/// `deliveries`, `executions` (with `history` when `options.history`), `dead_letters`,
/// `schedule_window`, `firings`, `firings_cut`, `replays`, `pipes`, `put_events`, `capped`, and
/// `eventsv2` (buses, publish answers, events, each subscriber's lane, deliveries, dead letters).
pub fn system(workspace: Input, options: Option<Value>) -> Result<Value, ApiError> {
    let raw: RawSystemOptions = match options {
        None | Some(Value::Null) => RawSystemOptions::default(),
        Some(v) => serde_json::from_value(v)
            .map_err(|e| ApiError::new(ErrorKind::Options, "options", format!("options: {e}")))?,
    };
    let mut opts = SystemOptions::default();
    if let Some(t) = raw.start_time {
        if statebridge_engine::asl::time::parse_rfc3339(&t).is_none() {
            return Err(ApiError::new(
                ErrorKind::Options,
                "options.startTime",
                format!("options.startTime: `{t}` is not an RFC 3339 timestamp"),
            ));
        }
        opts.start_time = t;
    }
    opts.seed = raw.seed.unwrap_or(opts.seed);
    opts.max_events = raw.max_events.unwrap_or(opts.max_events);
    opts.max_firings = raw.max_firings.unwrap_or(opts.max_firings);
    if let Some(w) = raw.window_seconds {
        if !(1..=366 * 86_400).contains(&w) {
            return Err(ApiError::new(
                ErrorKind::Options,
                "options.windowSeconds",
                "options.windowSeconds must be from 1 to 31622400 (366 days)",
            ));
        }
        opts.window_seconds = w;
    }
    let (value, map) = workspace.parse("workspace")?;
    let ws = Workspace::from_value(&value).map_err(|e| {
        let message = format!("workspace: {e}");
        match e {
            DocumentError::Shape { path, .. } => {
                let mut err = ApiError::new(ErrorKind::Bus, "workspace", message);
                err.path = Some(path);
                err
            }
            DocumentError::Syntax { .. } => ApiError::new(ErrorKind::Syntax, "workspace", message),
        }
    })?;
    let system = System::from_workspace(&ws, opts).map_err(|e| {
        let (kind, pointer) = match &e {
            SystemError::Bus(b) => (ErrorKind::Bus, Some(format!("/rules{}", b.pointer))),
            SystemError::Machine(_) => (ErrorKind::Definition, None),
            SystemError::Mocks(m) => (ErrorKind::Mocks, Some(format!("/mocks{}", m.pointer))),
            SystemError::Event(_) => (ErrorKind::Event, Some("/event".to_owned())),
            SystemError::S3(_) => (ErrorKind::Options, Some("/s3".to_owned())),
            SystemError::EventsV2(v) => (
                ErrorKind::Bus,
                Some(format!("/rules/EventsV2{}", v.pointer)),
            ),
        };
        let err = ApiError::new(kind, "workspace", format!("workspace: {e}"));
        match pointer {
            Some(p) => locate(err.at(&p), map.as_ref()),
            None => err,
        }
    })?;
    let report = system.run();
    let mut out = serde_json::to_value(&report).unwrap_or(Value::Null);
    // The definitions that ran are the workspace's own: not printed.
    if let Some(o) = out.as_object_mut() {
        o.remove("definitions");
    }
    let history = raw.history.unwrap_or(false);
    if let Some(list) = out.get_mut("executions").and_then(Value::as_array_mut) {
        for e in list.iter_mut().filter_map(Value::as_object_mut) {
            e.remove("definition");
            if !history {
                e.remove("history");
            }
        }
    }
    Ok(out)
}
