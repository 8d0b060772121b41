//! Archives and replays as EventBridge has them: `CreateArchive` (`ArchiveName`,
//! `EventSourceArn`: the bus, `EventPattern`, `RetentionDays`) and `StartReplay`
//! (`ReplayName`, `EventSourceArn`: the archive, `EventStartTime`, `EventEndTime`,
//! `Destination` with the bus's `Arn` and optional `FilterArns`: the rules that see the
//! replayed events).
//!
//! An archive keeps the events put on its bus that match its pattern (all of them without
//! one), except replayed events: EventBridge's managed archive rule leaves out events that carry
//! `replay-name`. A replay puts the archived events of its time range back on the bus, each with
//! `replay-name`, to every rule of the bus or only to those its `FilterArns` name.
//!
//! When a workspace declares no archive, statebridge keeps one implicit archive of every event
//! on every bus, so that the playground's replay works without set-up (it is not AWS's: a bus
//! there archives nothing until you create an archive).

use crate::asl::time::Millis;
use crate::bus::{BusError, BusProblem};
use crate::pattern::{Pattern, PatternError};
use crate::put_events::{DEFAULT_BUS, bus_name};
use crate::schedule::scheduler_timestamp;
use crate::source;
use serde_json::{Map, Value};

/// An archive on a bus.
#[derive(Debug, Clone)]
pub struct Archive {
    /// `ArchiveName`.
    pub name: String,
    /// The bus it archives (`EventSourceArn`, a bus ARN or name; `default` when absent).
    pub bus: String,
    /// `EventPattern`: which events it keeps (all without one).
    pub pattern: Option<Pattern>,
    /// `RetentionDays` (0: indefinitely).
    pub retention_days: u32,
}

/// A replay.
#[derive(Debug, Clone)]
pub struct Replay {
    /// `ReplayName`.
    pub name: String,
    /// The archive it reads (`EventSourceArn`, an archive ARN or name).
    pub archive: String,
    /// `EventStartTime`.
    pub from: Millis,
    /// `EventEndTime`.
    pub to: Millis,
    /// `Destination.Arn`'s bus.
    pub bus: String,
    /// `Destination.FilterArns`' rule names; `None`: every rule of the bus.
    pub rules: Option<Vec<String>>,
}

fn err(at: &str, problem: BusProblem) -> BusError {
    BusError {
        pointer: at.to_owned(),
        position: None,
        problem,
    }
}

fn string(map: &Map<String, Value>, key: &str, at: &str) -> Result<Option<String>, BusError> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(err(
            &format!("{at}/{key}"),
            BusProblem::Expected("a string"),
        )),
    }
}

fn name(map: &Map<String, Value>, key: &str, at: &str) -> Result<String, BusError> {
    let n = string(map, key, at)?
        .ok_or_else(|| err(&format!("{at}/{key}"), BusProblem::Expected("a name")))?;
    let ok = (1..=64).contains(&n.len())
        && n.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if ok {
        Ok(n)
    } else {
        Err(err(&format!("{at}/{key}"), BusProblem::BadName(n)))
    }
}

impl Archive {
    /// Reads one `CreateArchive` request at JSON pointer `at`.
    pub fn parse(json: &Value, at: &str) -> Result<Archive, BusError> {
        let Value::Object(map) = json else {
            return Err(err(
                at,
                BusProblem::Expected("an archive object (CreateArchive's fields)"),
            ));
        };
        let name = name(map, "ArchiveName", at)?;
        let bus = match string(map, "EventSourceArn", at)? {
            None => DEFAULT_BUS.to_owned(),
            Some(s) => bus_name(&s)
                .ok_or_else(|| {
                    err(
                        &format!("{at}/EventSourceArn"),
                        BusProblem::BadBus(s.clone()),
                    )
                })?
                .to_owned(),
        };
        let pattern_at = format!("{at}/EventPattern");
        let pattern = match map.get("EventPattern") {
            None | Some(Value::Null) => None,
            Some(Value::String(t)) => {
                let v = source::parse_value(t)
                    .map_err(|e| err(&pattern_at, BusProblem::Pattern(PatternError::Syntax(e))))?;
                Some(Pattern::parse(&v).map_err(|e| err(&pattern_at, BusProblem::Pattern(e)))?)
            }
            Some(v @ Value::Object(_)) => {
                Some(Pattern::parse(v).map_err(|e| err(&pattern_at, BusProblem::Pattern(e)))?)
            }
            Some(_) => {
                return Err(err(
                    &pattern_at,
                    BusProblem::Expected("an event pattern (an object, or its JSON text)"),
                ));
            }
        };
        let retention_days = match map.get("RetentionDays") {
            None | Some(Value::Null) => 0,
            Some(v) => v
                .as_u64()
                .filter(|n| *n <= u64::from(u32::MAX))
                .map(|n| n as u32)
                .ok_or_else(|| {
                    err(
                        &format!("{at}/RetentionDays"),
                        BusProblem::OutOfRange {
                            field: "RetentionDays",
                            min: 0,
                            max: u32::MAX,
                        },
                    )
                })?,
        };
        Ok(Archive {
            name,
            bus,
            pattern,
            retention_days,
        })
    }

    /// Whether the archive keeps this event put on `bus`.
    pub fn keeps(&self, bus: &str, event: &Value) -> bool {
        self.bus == bus
            && event.get("replay-name").is_none()
            && self.pattern.as_ref().is_none_or(|p| p.matches(event))
    }
}

/// The rule a rule ARN names (`arn:aws:events:R:A:rule/NAME` or `rule/BUS/NAME`), or a rule name.
fn rule_of(arn: &str) -> Option<(Option<String>, String)> {
    let Some(rest) = arn.strip_prefix("arn:") else {
        return Some((None, arn.to_owned()));
    };
    let parts: Vec<&str> = rest.splitn(5, ':').collect();
    let [_, "events", _, _, resource] = parts.as_slice() else {
        return None;
    };
    let path = resource.strip_prefix("rule/")?;
    Some(match path.rsplit_once('/') {
        Some((bus, n)) => (Some(bus.to_owned()), n.to_owned()),
        None => (Some(DEFAULT_BUS.to_owned()), path.to_owned()),
    })
}

impl Replay {
    /// Reads one `StartReplay` request at JSON pointer `at`, checked against the archives.
    pub fn parse(json: &Value, at: &str, archives: &[Archive]) -> Result<Replay, BusError> {
        let Value::Object(map) = json else {
            return Err(err(
                at,
                BusProblem::Expected("a replay object (StartReplay's fields)"),
            ));
        };
        let name = name(map, "ReplayName", at)?;
        let src_at = format!("{at}/EventSourceArn");
        let source = string(map, "EventSourceArn", at)?
            .ok_or_else(|| err(&src_at, BusProblem::Expected("the archive's ARN or name")))?;
        let archive_name = source
            .rsplit_once(":archive/")
            .map_or(source.as_str(), |(_, n)| n);
        let archive = archives
            .iter()
            .find(|a| a.name == archive_name)
            .ok_or_else(|| {
                err(
                    &src_at,
                    BusProblem::Unknown {
                        what: "archive",
                        name: archive_name.to_owned(),
                    },
                )
            })?;
        let req = |key: &str| {
            scheduler_timestamp(map, key, at)?.ok_or_else(|| {
                err(
                    &format!("{at}/{key}"),
                    BusProblem::Expected("a timestamp (RFC 3339 text, or seconds since 1970)"),
                )
            })
        };
        let (from, to) = (req("EventStartTime")?, req("EventEndTime")?);
        if to <= from {
            return Err(err(
                &format!("{at}/EventEndTime"),
                BusProblem::Expected("an EventEndTime after the EventStartTime"),
            ));
        }
        let dest_at = format!("{at}/Destination");
        let Some(Value::Object(dest)) = map.get("Destination") else {
            return Err(err(
                &dest_at,
                BusProblem::Expected("an object with the bus's `Arn` (and optional `FilterArns`)"),
            ));
        };
        let bus_arn = string(dest, "Arn", &dest_at)?.ok_or_else(|| {
            err(
                &format!("{dest_at}/Arn"),
                BusProblem::Expected("the event bus's ARN"),
            )
        })?;
        let bus = bus_name(&bus_arn)
            .ok_or_else(|| {
                err(
                    &format!("{dest_at}/Arn"),
                    BusProblem::BadBus(bus_arn.clone()),
                )
            })?
            .to_owned();
        if bus != archive.bus {
            return Err(err(
                &format!("{dest_at}/Arn"),
                BusProblem::ReplayBus {
                    archive: archive.name.clone(),
                    archive_bus: archive.bus.clone(),
                    bus,
                },
            ));
        }
        let rules = match dest.get("FilterArns") {
            None | Some(Value::Null) => None,
            Some(Value::Array(items)) => {
                let mut names = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let here = format!("{dest_at}/FilterArns/{i}");
                    let (rule_bus, rule) = item.as_str().and_then(rule_of).ok_or_else(|| {
                        err(
                            &here,
                            BusProblem::Expected(
                                "a rule ARN (arn:aws:events:REGION:ACCOUNT:rule/[BUS/]NAME)",
                            ),
                        )
                    })?;
                    if rule_bus.is_some_and(|b| b != bus) {
                        return Err(err(
                            &here,
                            BusProblem::Expected("a rule of the replay's destination bus"),
                        ));
                    }
                    names.push(rule);
                }
                Some(names)
            }
            Some(_) => {
                return Err(err(
                    &format!("{dest_at}/FilterArns"),
                    BusProblem::Expected("a list of rule ARNs"),
                ));
            }
        };
        Ok(Replay {
            name,
            archive: archive.name.clone(),
            from,
            to,
            bus,
            rules,
        })
    }
}
