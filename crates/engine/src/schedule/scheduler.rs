//! EventBridge Scheduler schedules, read from `CreateSchedule`'s JSON: `Name`, `GroupName`,
//! `ScheduleExpression`, `ScheduleExpressionTimezone`, `StartDate`, `EndDate`, `State`,
//! `FlexibleTimeWindow` and `Target` (`Arn`, `Input`, `RetryPolicy`, `DeadLetterConfig`,
//! `EventBridgeParameters`). A schedule invokes its target with its `Input` directly: no event,
//! no bus (an event bus target is the exception: Scheduler puts the Input on it as an event's
//! `detail`, with `EventBridgeParameters`' `Source` and `DetailType`).

use super::{Expression, TimeZone};
use crate::asl::time::{self, Millis};
use crate::bus::{self, BusError, BusProblem, RetryPolicy, Target};
use crate::transform::InputSpec;
use serde_json::{Map, Value};

/// One Scheduler schedule.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// `Name`.
    pub name: String,
    /// `GroupName` (`default` when absent).
    pub group: String,
    /// `ScheduleExpression` as written.
    pub expression_text: String,
    /// `ScheduleExpression` parsed.
    pub expression: Expression,
    /// `ScheduleExpressionTimezone` (`UTC` when absent).
    pub time_zone: String,
    /// The zone, read.
    pub zone: TimeZone,
    /// `StartDate`: no firing before it; a rate counts from it.
    pub start: Option<Millis>,
    /// `EndDate`: no firing after it.
    pub end: Option<Millis>,
    /// `State` is `ENABLED` (the default).
    pub enabled: bool,
    /// `FlexibleTimeWindow`'s `MaximumWindowInMinutes` when its `Mode` is `FLEXIBLE`.
    pub flexible_minutes: Option<u32>,
    /// What it invokes.
    pub target: SchedulerTarget,
}

/// A schedule's `Target`.
#[derive(Debug, Clone)]
pub struct SchedulerTarget {
    /// The target as the delivery machinery knows targets (`Id` is the schedule's name).
    pub target: Target,
    /// `Input`: the text the target receives, before context attributes are put in.
    pub input: Option<String>,
    /// `EventBridgeParameters`' `Source` and `DetailType`, for an event bus target.
    pub event_bridge: Option<(String, String)>,
}

fn err(at: &str, problem: BusProblem) -> BusError {
    BusError {
        pointer: at.to_owned(),
        position: None,
        problem,
    }
}

fn expected(at: &str, what: &'static str) -> BusError {
    err(at, BusProblem::Expected(what))
}

fn string(map: &Map<String, Value>, key: &str, at: &str) -> Result<Option<String>, BusError> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(expected(&format!("{at}/{key}"), "a string")),
    }
}

/// A timestamp as the API's JSON has it (epoch seconds) or as people write it (RFC 3339).
pub(crate) fn timestamp(
    map: &Map<String, Value>,
    key: &str,
    at: &str,
) -> Result<Option<Millis>, BusError> {
    let here = format!("{at}/{key}");
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => time::parse_rfc3339(s)
            .map(Some)
            .ok_or_else(|| expected(&here, "an RFC 3339 timestamp such as 2026-01-01T00:00:00Z")),
        Some(Value::Number(n)) => n
            .as_f64()
            .filter(|f| f.is_finite() && f.abs() < 1e13)
            .map(|f| Some((f * 1000.0) as Millis))
            .ok_or_else(|| expected(&here, "a timestamp (seconds since 1970, or RFC 3339 text)")),
        Some(_) => Err(expected(
            &here,
            "a timestamp (RFC 3339 text, or seconds since 1970)",
        )),
    }
}

fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

impl Schedule {
    /// Reads one `CreateSchedule` request at JSON pointer `at`.
    pub fn parse(json: &Value, at: &str) -> Result<Schedule, BusError> {
        let Value::Object(map) = json else {
            return Err(expected(at, "a schedule object (CreateSchedule's fields)"));
        };
        let name =
            string(map, "Name", at)?.ok_or_else(|| expected(&format!("{at}/Name"), "a string"))?;
        if !valid_name(&name) {
            return Err(err(&format!("{at}/Name"), BusProblem::BadName(name)));
        }
        let group = string(map, "GroupName", at)?.unwrap_or_else(|| "default".to_owned());
        let expr_at = format!("{at}/ScheduleExpression");
        let expression_text = string(map, "ScheduleExpression", at)?.ok_or_else(|| {
            expected(&expr_at, "a schedule expression: rate(…), cron(…) or at(…)")
        })?;
        let expression = Expression::parse(&expression_text)
            .map_err(|e| err(&expr_at, BusProblem::Schedule(e)))?;
        let time_zone =
            string(map, "ScheduleExpressionTimezone", at)?.unwrap_or_else(|| "UTC".to_owned());
        let zone = TimeZone::parse(&time_zone).map_err(|e| {
            err(
                &format!("{at}/ScheduleExpressionTimezone"),
                BusProblem::Schedule(e),
            )
        })?;
        let start = timestamp(map, "StartDate", at)?;
        let end = timestamp(map, "EndDate", at)?;
        if let (Some(s), Some(e)) = (start, end)
            && e <= s
        {
            return Err(expected(
                &format!("{at}/EndDate"),
                "an EndDate after the StartDate",
            ));
        }
        let enabled = match string(map, "State", at)?.as_deref() {
            None | Some("ENABLED") => true,
            Some("DISABLED") => false,
            Some(other) => {
                return Err(err(
                    &format!("{at}/State"),
                    BusProblem::BadState(other.to_owned()),
                ));
            }
        };
        let flexible_minutes = flexible(map.get("FlexibleTimeWindow"), at)?;
        let target = SchedulerTarget::parse(map.get("Target"), &name, &format!("{at}/Target"))?;
        Ok(Schedule {
            name,
            group,
            expression_text,
            expression,
            time_zone,
            zone,
            start,
            end,
            enabled,
            flexible_minutes,
            target,
        })
    }

    /// The schedule's ARN.
    pub fn arn(&self, region: &str, account: &str) -> String {
        format!(
            "arn:aws:scheduler:{region}:{account}:schedule/{}/{}",
            self.group, self.name
        )
    }
}

/// `FlexibleTimeWindow`: `{"Mode": "OFF"}` or `{"Mode": "FLEXIBLE", "MaximumWindowInMinutes": 1–1440}`.
/// CreateSchedule requires it; statebridge takes its absence as `OFF`.
fn flexible(json: Option<&Value>, at: &str) -> Result<Option<u32>, BusError> {
    let at = format!("{at}/FlexibleTimeWindow");
    let Some(json) = json else { return Ok(None) };
    let Value::Object(map) = json else {
        return Err(expected(&at, "an object with `Mode` (OFF or FLEXIBLE)"));
    };
    match string(map, "Mode", &at)?.as_deref() {
        Some("OFF") => Ok(None),
        Some("FLEXIBLE") => match map.get("MaximumWindowInMinutes").and_then(Value::as_u64) {
            Some(n @ 1..=1440) => Ok(Some(n as u32)),
            _ => Err(err(
                &format!("{at}/MaximumWindowInMinutes"),
                BusProblem::OutOfRange {
                    field: "MaximumWindowInMinutes (required when Mode is FLEXIBLE)",
                    min: 1,
                    max: 1440,
                },
            )),
        },
        _ => Err(expected(&format!("{at}/Mode"), "OFF or FLEXIBLE")),
    }
}

impl SchedulerTarget {
    fn parse(json: Option<&Value>, name: &str, at: &str) -> Result<SchedulerTarget, BusError> {
        let Some(Value::Object(map)) = json else {
            return Err(expected(at, "a target object with `Arn` (and `Input`)"));
        };
        let arn =
            string(map, "Arn", at)?.ok_or_else(|| expected(&format!("{at}/Arn"), "a string"))?;
        // Input is JSON text in the API; a learner may paste the object itself.
        let input = match map.get("Input") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(v) => Some(v.to_string()),
        };
        let retry_policy = RetryPolicy::parse(map.get("RetryPolicy"), at)?;
        let dead_letter_arn = match map.get("DeadLetterConfig") {
            None => None,
            Some(Value::Object(d)) => string(d, "Arn", &format!("{at}/DeadLetterConfig"))?,
            Some(_) => {
                return Err(expected(
                    &format!("{at}/DeadLetterConfig"),
                    "an object with the queue's `Arn`",
                ));
            }
        };
        let event_bridge = match map.get("EventBridgeParameters") {
            None => None,
            Some(Value::Object(p)) => {
                let here = format!("{at}/EventBridgeParameters");
                let source = string(p, "Source", &here)?
                    .ok_or_else(|| expected(&format!("{here}/Source"), "a string"))?;
                let detail_type = string(p, "DetailType", &here)?
                    .ok_or_else(|| expected(&format!("{here}/DetailType"), "a string"))?;
                Some((source, detail_type))
            }
            Some(_) => {
                return Err(expected(
                    &format!("{at}/EventBridgeParameters"),
                    "an object with Source and DetailType",
                ));
            }
        };
        if bus::bus_target(&arn).is_some() && event_bridge.is_none() {
            return Err(expected(
                &format!("{at}/EventBridgeParameters"),
                "EventBridgeParameters (Source and DetailType): an event bus target needs them",
            ));
        }
        Ok(SchedulerTarget {
            target: Target {
                id: name.to_owned(),
                arn,
                input: InputSpec::WholeEvent,
                state_machine: None,
                retry_policy,
                dead_letter_arn,
            },
            input,
            event_bridge,
        })
    }
}
