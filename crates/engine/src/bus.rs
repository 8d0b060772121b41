//! EventBridge bus routing: an event in, matched rules and each target input out.
//!
//! A bus file lists rules in the shape of EventBridge's `PutRule` and `PutTargets`:
//!
//! ```json
//! {
//!   "Rules": [
//!     {
//!       "Name": "order-created",
//!       "State": "ENABLED",
//!       "EventPattern": {"source": ["shop"], "detail-type": ["OrderCreated"]},
//!       "Targets": [
//!         {"Id": "log", "Arn": "arn:aws:logs:us-east-1:123456789012:log-group:orders"},
//!         {"Id": "fulfil", "Arn": "arn:aws:states:us-east-1:123456789012:stateMachine:fulfil",
//!          "InputPath": "$.detail",
//!          "StateMachine": {"StartAt": "Ship", "States": {"Ship": {"Type": "Pass", "End": true}}}}
//!       ]
//!     }
//!   ]
//! }
//! ```
//!
//! - `Name` (1–64 of `A-Z a-z 0-9 . - _`, unique on its bus), `EventPattern` (an object, or its
//!   JSON text), `State` (`ENABLED`, the default, or `DISABLED`), optional `Description`,
//!   `EventBusName` (a bus name or an event bus ARN; `default` when absent: a rule sees only
//!   the events put on its bus, and a bus exists once a rule or an entry names it), `Targets` (0–5).
//! - A target whose `Arn` is an event bus (`arn:aws:events:REGION:ACCOUNT:event-bus/NAME`)
//!   forwards the event to that bus ([`bus_target`]), where that bus's rules see it.
//! - A target has `Id` (1–64 of `A-Z a-z 0-9 . - _`, unique in its rule), `Arn`, at most one of
//!   `Input`, `InputPath` and `InputTransformer` (see [`crate::transform`]), and optionally
//!   `StateMachine`: the definition of the Step Functions state machine the ARN names (or the name
//!   of a machine defined elsewhere in the workspace). Routing
//!   stops at the input a `StartExecution` would receive; running it is the interpreter's job.
//!
//! Errors say where (the JSON path, with line and column when read from text) and what.
//!
//! ```
//! use statebridge_engine::bus::Bus;
//! use serde_json::json;
//! let bus: Bus = r#"{"Rules": [{"Name": "r", "EventPattern": {"source": ["shop"]},
//!                   "Targets": [{"Id": "t", "Arn": "arn:x", "InputPath": "$.detail"}]}]}"#.parse().unwrap();
//! let routing = bus.route(&json!({"source": "shop", "detail": {"id": 7}}));
//! assert_eq!(routing.matched[0].name, "r");
//! assert_eq!(routing.matched[0].targets[0].input.as_ref().unwrap().json, Some(json!({"id": 7})));
//! ```

use crate::archive::{Archive, Replay};
use crate::pattern::{Explanation, Pattern, PatternError, RuleSet};
use crate::put_events::{DEFAULT_BUS, HOME_ACCOUNT, HOME_REGION, bus_key, bus_name};
use crate::schedule::{Expression, Schedule, ScheduleError};
use crate::source::{self, JsonSyntaxError, pointer_to_path};
use crate::transform::{Context, Delivered, InputSpec, TransformError};
use serde::Serialize;
use serde::ser::SerializeStruct;
use serde_json::{Map, Value};
use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;

/// Most targets a rule may have.
pub const MAX_TARGETS: usize = 5;

/// Rules with their targets, and the rules document's Scheduler schedules, archives and replays.
#[derive(Debug, Clone)]
pub struct Bus {
    /// The rules, in file order.
    pub rules: Vec<Rule>,
    /// EventBridge Scheduler schedules (`Schedules`), in file order.
    pub schedules: Vec<Schedule>,
    /// Archives (`Archives`); none declared means statebridge's implicit archive of everything.
    pub archives: Vec<Archive>,
    /// Replays to start once the run is quiet (`Replays`), in order.
    pub replays: Vec<Replay>,
    /// The Custom Event Bus document (`EventsV2`), as written; checked by the system run.
    pub eventsv2: Option<Value>,
    /// EventBridge Pipes (`Pipes`) and the records of their sources (`Sources`).
    pub pipes: crate::pipes::Pipes,
    matcher: RuleSet,
}

/// A rule: a pattern and up to five targets.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Unique name.
    pub name: String,
    /// Optional description.
    pub description: Option<String>,
    /// The event pattern; `None` for a rule that only runs on its schedule.
    pub pattern: Option<Pattern>,
    /// `ScheduleExpression` as written and parsed: the rule also fires on this schedule (UTC).
    pub schedule: Option<(String, Expression)>,
    /// Whether the rule is enabled.
    pub state: RuleState,
    /// The name of the bus whose events the rule sees (`EventBusName`, `default` when absent).
    pub event_bus: String,
    /// Where matching events go.
    pub targets: Vec<Target>,
}

/// A rule's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RuleState {
    /// Events are matched.
    Enabled,
    /// The rule is skipped.
    Disabled,
}

/// A rule's target.
#[derive(Debug, Clone)]
pub struct Target {
    /// Id, unique within the rule.
    pub id: String,
    /// The target's ARN.
    pub arn: String,
    /// How its input is made.
    pub input: InputSpec,
    /// When the target is a Step Functions state machine: its definition (an object), or the
    /// name of a machine the workspace defines elsewhere (a string).
    pub state_machine: Option<Value>,
    /// How a failed delivery is retried (`RetryPolicy`).
    pub retry_policy: RetryPolicy,
    /// Where an undeliverable event goes (`DeadLetterConfig.Arn`), if anywhere.
    pub dead_letter_arn: Option<String>,
}

/// A target's `RetryPolicy`: EventBridge's defaults are 185 attempts and 24 hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RetryPolicy {
    /// `MaximumRetryAttempts`, 0–185: retries after the first attempt.
    pub maximum_retry_attempts: u32,
    /// `MaximumEventAgeInSeconds`, 60–86,400: no attempt is made once the event is older.
    pub maximum_event_age_seconds: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            maximum_retry_attempts: 185,
            maximum_event_age_seconds: 86_400,
        }
    }
}

/// Why a bus file is refused: where and what.
#[derive(Debug, Clone, PartialEq)]
pub struct BusError {
    /// JSON pointer in the bus file.
    pub pointer: String,
    /// 1-based line and column, when read from text.
    pub position: Option<(u32, u32)>,
    /// What is wrong.
    pub problem: BusProblem,
}

/// What is wrong with a bus file.
#[derive(Debug, Clone, PartialEq)]
pub enum BusProblem {
    /// Not JSON.
    Syntax(JsonSyntaxError),
    /// A member has the wrong type or is missing.
    Expected(&'static str),
    /// A rule name or target id EventBridge refuses.
    BadName(String),
    /// Two rules with one name, or two targets with one id in a rule.
    Duplicate(String),
    /// More than [`MAX_TARGETS`] targets.
    TooManyTargets(usize),
    /// `State` is neither `ENABLED` nor `DISABLED`.
    BadState(String),
    /// The event pattern is invalid.
    Pattern(PatternError),
    /// The target's input settings are invalid.
    Target(TransformError),
    /// An `EventBusName` that is neither a bus name nor an event bus ARN.
    BadBus(String),
    /// A schedule expression or time zone EventBridge (or statebridge) refuses.
    Schedule(ScheduleError),
    /// A rule with neither an event pattern nor a schedule expression.
    NoPatternNorSchedule,
    /// A scheduled rule on a bus other than `default`.
    ScheduleOffDefaultBus(String),
    /// A name that refers to nothing the document declares.
    Unknown {
        /// What kind of thing (`archive`, `rule`).
        what: &'static str,
        /// The name.
        name: String,
    },
    /// A replay into a bus other than its archive's.
    ReplayBus {
        /// The archive.
        archive: String,
        /// The archive's bus.
        archive_bus: String,
        /// The replay's destination bus.
        bus: String,
    },
    /// A number outside the range EventBridge accepts.
    OutOfRange {
        /// The field's name.
        field: &'static str,
        /// Smallest accepted value.
        min: u32,
        /// Largest accepted value.
        max: u32,
    },
    /// A pipe or a source of pipes is invalid (`Pipes`, `Sources`).
    Pipe(crate::pipes::PipeProblem),
}

impl fmt::Display for BusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((line, column)) = self.position {
            write!(f, "line {line}, column {column}: ")?;
        }
        if !self.pointer.is_empty() {
            write!(f, "at `{}`: ", pointer_to_path(&self.pointer))?;
        }
        match &self.problem {
            BusProblem::Syntax(e) => write!(f, "{e}"),
            BusProblem::Expected(what) => write!(f, "expected {what}"),
            BusProblem::BadName(n) => write!(
                f,
                "`{n}` is not a valid name: use 1 to 64 letters, digits, `.`, `-` or `_`"
            ),
            BusProblem::Duplicate(n) => write!(f, "`{n}` is used twice: names must be unique"),
            BusProblem::TooManyTargets(n) => write!(
                f,
                "{n} targets: EventBridge allows at most {MAX_TARGETS} per rule (make another rule with the same pattern)"
            ),
            BusProblem::BadState(s) => write!(f, "unknown state `{s}`: use ENABLED or DISABLED"),
            BusProblem::BadBus(s) => write!(
                f,
                "`{s}` is not an event bus: use its name (letters, digits, `/ . - _`) or its ARN \
                 (arn:aws:events:REGION:ACCOUNT:event-bus/NAME)"
            ),
            BusProblem::Pattern(e) => write!(f, "invalid event pattern: {e}"),
            BusProblem::Target(e) => write!(f, "{e}"),
            BusProblem::Schedule(e) => write!(f, "{e}"),
            BusProblem::NoPatternNorSchedule => write!(
                f,
                "a rule needs an `EventPattern`, a `ScheduleExpression` (rate(…) or cron(…)), or both"
            ),
            BusProblem::ScheduleOffDefaultBus(b) => write!(
                f,
                "a rule with a ScheduleExpression must be on the default bus (this one is on `{b}`): \
                 EventBridge runs scheduled rules only there"
            ),
            BusProblem::Unknown { what, name } => {
                write!(f, "no {what} named `{name}` in this document")
            }
            BusProblem::ReplayBus {
                archive,
                archive_bus,
                bus,
            } => write!(
                f,
                "archive `{archive}` keeps the events of bus `{archive_bus}`; a replay goes back \
                 to that bus, not to `{bus}`"
            ),
            BusProblem::OutOfRange { field, min, max } => {
                write!(f, "{field} must be a whole number from {min} to {max}")
            }
            BusProblem::Pipe(p) => write!(f, "{p}"),
        }
    }
}

impl std::error::Error for BusError {}

fn err(pointer: &str, problem: BusProblem) -> BusError {
    BusError {
        pointer: pointer.to_owned(),
        position: None,
        problem,
    }
}

/// A rule's key in the matcher: its bus and name (a NUL joins them: neither may hold one).
fn key(rule: &Rule) -> String {
    format!("{}\u{0}{}", rule.event_bus, rule.name)
}

/// An event bus a target ARN names (`arn:aws:events:REGION:ACCOUNT:event-bus/NAME`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusTarget {
    /// The bus's region.
    pub region: String,
    /// The bus's account.
    pub account: String,
    /// The bus's name.
    pub name: String,
}

impl BusTarget {
    /// The bus as seen from `account` in `region` ([`bus_key`]): its name when it is theirs,
    /// else its ARN.
    pub fn key(&self, account: &str, region: &str) -> String {
        if self.account == account && self.region == region {
            self.name.clone()
        } else {
            format!(
                "arn:aws:events:{}:{}:event-bus/{}",
                self.region, self.account, self.name
            )
        }
    }
}

/// The event bus a target's ARN names, when it names one.
pub fn bus_target(arn: &str) -> Option<BusTarget> {
    let rest = arn.strip_prefix("arn:")?;
    let parts: Vec<&str> = rest.splitn(5, ':').collect();
    let [_, "events", region, account, resource] = parts.as_slice() else {
        return None;
    };
    let name = resource.strip_prefix("event-bus/")?;
    bus_name(name)?;
    Some(BusTarget {
        region: (*region).to_owned(),
        account: (*account).to_owned(),
        name: name.to_owned(),
    })
}

fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

fn string_at(map: &Map<String, Value>, key: &str, at: &str) -> Result<String, BusError> {
    match map.get(key) {
        Some(Value::String(s)) => Ok(s.clone()),
        _ => Err(err(
            &format!("{at}/{key}"),
            BusProblem::Expected("a string"),
        )),
    }
}

/// What a rules document holds when it is not `{"Rules": [...]}`, as people paste it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wrapped {
    /// A bare event pattern, as the EventBridge console's sandbox takes it: read as one rule,
    /// [`BARE_PATTERN_RULE`], with no targets.
    Pattern,
    /// One rule in `PutRule`'s shape (it has an `EventPattern` or a `ScheduleExpression`).
    Rule,
}

/// The name given to the rule a bare event pattern is read as.
pub const BARE_PATTERN_RULE: &str = "event-pattern";

/// A rules document read as far as it could be: every rule, schedule, archive and replay that
/// is valid, and every problem of the others (a bad rule does not hide the rest).
#[derive(Debug, Clone)]
pub struct BusReading {
    /// The valid parts.
    pub bus: Bus,
    /// Each invalid part's problem, in document order, with its line and column.
    pub problems: Vec<BusError>,
    /// The rules that could not be read.
    pub invalid_rules: Vec<InvalidRule>,
    /// The document was a bare pattern or a single rule, read as a one-rule list.
    pub wrapped: Option<Wrapped>,
}

/// A rule that could not be read: its index in `Rules` and its `Name` when that is a string.
pub type InvalidRule = (usize, Option<String>);

impl Bus {
    /// Reads a bus from JSON: the first problem refuses it.
    pub fn parse(json: &Value) -> Result<Bus, BusError> {
        let (bus, mut problems, _) = Bus::parse_all(json);
        if problems.is_empty() {
            Ok(bus)
        } else {
            Err(problems.swap_remove(0))
        }
    }

    /// Reads a rules document from text as far as it can ([`BusReading`]), also when it is a
    /// bare event pattern or a single rule ([`Wrapped`]). Only text that is not JSON is refused
    /// (with its line and column).
    pub fn read(text: &str) -> Result<BusReading, BusError> {
        let (json, map) = source::parse(text).map_err(|e| BusError {
            pointer: String::new(),
            position: Some((e.line, e.column)),
            problem: BusProblem::Syntax(e),
        })?;
        let sections = ["Rules", "Schedules", "Archives", "Replays"];
        let (document, wrapped, prefix) = match &json {
            Value::Object(o) if !sections.iter().any(|k| o.contains_key(*k)) => {
                if o.contains_key("EventPattern") || o.contains_key("ScheduleExpression") {
                    let mut rule = o.clone();
                    rule.entry("Name").or_insert_with(|| "rule".into());
                    let doc = serde_json::json!({ "Rules": [rule] });
                    (doc, Some(Wrapped::Rule), "/Rules/0")
                } else {
                    let doc = serde_json::json!({ "Rules": [
                        {"Name": BARE_PATTERN_RULE, "EventPattern": json}
                    ] });
                    (doc, Some(Wrapped::Pattern), "/Rules/0/EventPattern")
                }
            }
            _ => (json, None, ""),
        };
        let (bus, mut problems, invalid_rules) = Bus::parse_all(&document);
        for e in &mut problems {
            if !prefix.is_empty() {
                // The error points into the document as written, not into its wrapping.
                e.pointer = e.pointer.strip_prefix(prefix).unwrap_or("").to_owned();
            }
            e.locate(&map);
        }
        Ok(BusReading {
            bus,
            problems,
            invalid_rules,
            wrapped,
        })
    }

    /// Reads every part that is valid; the problems of the others, in document order; and which
    /// rules could not be read.
    fn parse_all(json: &Value) -> (Bus, Vec<BusError>, Vec<InvalidRule>) {
        let mut problems = Vec::new();
        let mut invalid = Vec::new();
        let items: &[Value] = match json.get("Rules") {
            Some(Value::Array(items)) => items,
            // A document of schedules, archives or replays alone needs no rules.
            None if [
                "Schedules",
                "Archives",
                "Replays",
                "EventsV2",
                "Pipes",
                "Sources",
            ]
            .iter()
            .any(|k| json.get(k).is_some()) =>
            {
                &[]
            }
            _ => {
                problems.push(err(
                    "",
                    BusProblem::Expected("an object with a `Rules` list"),
                ));
                &[]
            }
        };
        let mut rules: Vec<Rule> = Vec::with_capacity(items.len());
        // A set, not a scan of the rules so far: 10,000 rules would make 50 million comparisons.
        let mut names = HashSet::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let at = format!("/Rules/{i}");
            let rule = Rule::parse(item, &at).and_then(|rule| {
                if names.insert((rule.event_bus.clone(), rule.name.clone())) {
                    Ok(rule)
                } else {
                    Err(err(&format!("{at}/Name"), BusProblem::Duplicate(rule.name)))
                }
            });
            match rule {
                Ok(rule) => rules.push(rule),
                Err(e) => {
                    problems.push(e);
                    let name = item.get("Name").and_then(Value::as_str).map(str::to_owned);
                    invalid.push((i, name));
                }
            }
        }
        let mut matcher = RuleSet::new();
        for rule in rules.iter().filter(|r| r.state == RuleState::Enabled) {
            if let Some(p) = &rule.pattern {
                matcher.add(key(rule), p.clone());
            }
        }
        let schedules = unique(
            list(json, "Schedules", Schedule::parse, &mut problems),
            |s| (s.group.clone(), s.name.clone()),
            |i, s| {
                let name = s.name.clone();
                err(&format!("/Schedules/{i}/Name"), BusProblem::Duplicate(name))
            },
            &mut problems,
        );
        let archives = unique(
            list(json, "Archives", Archive::parse, &mut problems),
            |a| a.name.clone(),
            |i, a| {
                let name = a.name.clone();
                err(
                    &format!("/Archives/{i}/ArchiveName"),
                    BusProblem::Duplicate(name),
                )
            },
            &mut problems,
        );
        let replays = list(
            json,
            "Replays",
            |v, at| Replay::parse(v, at, &archives),
            &mut problems,
        );
        let mut kept = Vec::with_capacity(replays.len());
        for (i, r) in replays {
            let unknown = r.rules.iter().flatten().enumerate().find(|(_, name)| {
                !rules
                    .iter()
                    .any(|x| &x.name == *name && x.event_bus == r.bus)
            });
            match unknown {
                Some((j, name)) => problems.push(err(
                    &format!("/Replays/{i}/Destination/FilterArns/{j}"),
                    BusProblem::Unknown {
                        what: "rule",
                        name: name.clone(),
                    },
                )),
                None => kept.push(r),
            }
        }
        let pipes = match crate::pipes::Pipes::parse(json) {
            Ok(pipes) => pipes,
            Err((pointer, problem)) => {
                problems.push(err(&pointer, BusProblem::Pipe(problem)));
                crate::pipes::Pipes::default()
            }
        };
        let bus = Bus {
            rules,
            schedules,
            archives,
            replays: kept,
            eventsv2: json.get("EventsV2").cloned(),
            pipes,
            matcher,
        };
        (bus, problems, invalid)
    }

    /// Routes one event: the enabled rules it matches with each target's input, and for every
    /// other enabled rule the explanation of the miss. The ingestion time is the event's `time`.
    pub fn route(&self, event: &Value) -> Routing {
        self.route_on(DEFAULT_BUS, event)
    }

    /// Routes an event put on the bus named `bus`: only that bus's rules see it.
    pub fn route_on(&self, bus: &str, event: &Value) -> Routing {
        let hits = self.hits(bus, event);
        let mut routing = Routing::default();
        for rule in self.rules.iter().filter(|r| r.event_bus == bus) {
            if rule.state == RuleState::Disabled {
                routing.disabled.push(rule.name.clone());
                continue;
            }
            let Some(pattern) = &rule.pattern else {
                routing.scheduled.push(rule.name.clone());
                continue;
            };
            if hits.contains(&key(rule)) {
                routing.matched.push(rule.deliver(event));
            } else {
                let explanation = pattern.explain(event);
                routing.not_matched.push(RuleMiss {
                    name: rule.name.clone(),
                    reason: explanation.to_string(),
                    explanation,
                });
            }
        }
        routing
    }
}

/// The valid items of the optional list `key` with their indexes, each read by `parse` with its
/// JSON pointer; the problems of the others go to `problems`.
fn list<T>(
    json: &Value,
    key: &str,
    parse: impl Fn(&Value, &str) -> Result<T, BusError>,
    problems: &mut Vec<BusError>,
) -> Vec<(usize, T)> {
    match json.get(key) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| match parse(v, &format!("/{key}/{i}")) {
                Ok(t) => Some((i, t)),
                Err(e) => {
                    problems.push(e);
                    None
                }
            })
            .collect(),
        Some(_) => {
            problems.push(err(&format!("/{key}"), BusProblem::Expected("a list")));
            Vec::new()
        }
    }
}

/// The items whose key was not seen before (a later twin is a problem, made by `twice` from
/// its index in the document), with their indexes.
fn unique<T, K: std::hash::Hash + Eq>(
    items: Vec<(usize, T)>,
    key: impl Fn(&T) -> K,
    twice: impl Fn(usize, &T) -> BusError,
    problems: &mut Vec<BusError>,
) -> Vec<T> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(items.len());
    for (i, t) in items {
        if seen.insert(key(&t)) {
            out.push(t);
        } else {
            problems.push(twice(i, &t));
        }
    }
    out
}

impl Bus {
    /// The enabled rules an event matches, in file order.
    pub fn matching_rules(&self, event: &Value) -> Vec<&Rule> {
        self.matching_rules_on(DEFAULT_BUS, event)
    }

    /// The enabled rules of the bus named `bus` that match the event, in file order.
    pub fn matching_rules_on(&self, bus: &str, event: &Value) -> Vec<&Rule> {
        let hits = self.hits(bus, event);
        self.rules
            .iter()
            .filter(|r| r.event_bus == bus && r.state == RuleState::Enabled)
            .filter(|r| hits.contains(&key(r)))
            .collect()
    }

    /// The buses the rules name, `default` first, then in order of first mention.
    pub fn buses(&self) -> Vec<&str> {
        let mut out = vec![DEFAULT_BUS];
        for r in &self.rules {
            if !out.contains(&r.event_bus.as_str()) {
                out.push(&r.event_bus);
            }
        }
        out
    }

    fn hits(&self, bus: &str, event: &Value) -> HashSet<String> {
        // One matcher for every bus: a rule is filed under `bus/name` and only the hits of
        // this bus count (patterns are few; a matcher per bus would be the next step).
        self.matcher
            .matching_rules(event)
            .into_iter()
            .filter(|k| k.split_once('\u{0}').is_some_and(|(b, _)| b == bus))
            .map(str::to_owned)
            .collect()
    }
}

impl FromStr for Bus {
    type Err = BusError;

    /// Reads a bus from text; errors carry the line and column.
    fn from_str(text: &str) -> Result<Bus, BusError> {
        let (json, map) = source::parse(text).map_err(|e| BusError {
            pointer: String::new(),
            position: Some((e.line, e.column)),
            problem: BusProblem::Syntax(e),
        })?;
        Bus::parse(&json).map_err(|mut e| {
            e.locate(&map);
            e
        })
    }
}

impl BusError {
    /// Sets the line and column from the document's source map (a pattern error points inside
    /// the pattern).
    fn locate(&mut self, map: &source::SourceMap) {
        let inner = match &self.problem {
            BusProblem::Pattern(p) => p.pointer().map(|p| format!("{}{p}", self.pointer)),
            _ => None,
        };
        // A missing member is reported on the nearest value the document has.
        let mut at = inner.unwrap_or_else(|| self.pointer.clone());
        let span = loop {
            if let Some(span) = map.value_span(&at) {
                break Some(span);
            }
            match at.rfind('/') {
                Some(cut) => at.truncate(cut),
                None => break None,
            }
        };
        self.position = span.map(|s| (s.line, s.column));
    }
}

impl Rule {
    fn parse(json: &Value, at: &str) -> Result<Rule, BusError> {
        let Value::Object(map) = json else {
            return Err(err(at, BusProblem::Expected("a rule object")));
        };
        let name = string_at(map, "Name", at)?;
        if !valid_name(&name) {
            return Err(err(&format!("{at}/Name"), BusProblem::BadName(name)));
        }
        let description = map
            .get("Description")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let state = match map.get("State").map(|s| s.as_str()) {
            None | Some(Some("ENABLED")) => RuleState::Enabled,
            Some(Some("DISABLED")) => RuleState::Disabled,
            Some(other) => {
                let shown = other
                    .map(str::to_owned)
                    .unwrap_or_else(|| "(not a string)".into());
                return Err(err(&format!("{at}/State"), BusProblem::BadState(shown)));
            }
        };
        let schedule = match map.get("ScheduleExpression") {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) => {
                let here = format!("{at}/ScheduleExpression");
                let parsed =
                    Expression::parse(text).map_err(|e| err(&here, BusProblem::Schedule(e)))?;
                if matches!(parsed, Expression::At(_)) {
                    return Err(err(&here, BusProblem::Schedule(ScheduleError::AtOnRule)));
                }
                Some((text.clone(), parsed))
            }
            Some(_) => {
                return Err(err(
                    &format!("{at}/ScheduleExpression"),
                    BusProblem::Expected("a schedule expression: rate(…) or cron(…)"),
                ));
            }
        };
        let pattern_at = format!("{at}/EventPattern");
        let pattern_json = match map.get("EventPattern") {
            Some(Value::String(text)) => Some(
                source::parse_value(text)
                    .map_err(|e| err(&pattern_at, BusProblem::Pattern(PatternError::Syntax(e))))?,
            ),
            Some(v @ Value::Object(_)) => Some(v.clone()),
            None | Some(Value::Null) if schedule.is_some() => None,
            None => return Err(err(&pattern_at, BusProblem::NoPatternNorSchedule)),
            _ => {
                return Err(err(
                    &pattern_at,
                    BusProblem::Expected("an event pattern (an object, or its JSON text)"),
                ));
            }
        };
        let pattern = match pattern_json {
            Some(pattern_json) => {
                Pattern::check_size(&pattern_json.to_string())
                    .map_err(|e| err(&pattern_at, BusProblem::Pattern(e)))?;
                Some(
                    Pattern::parse(&pattern_json)
                        .map_err(|e| err(&pattern_at, BusProblem::Pattern(e)))?,
                )
            }
            None => None,
        };
        let targets = Target::parse_list(map.get("Targets"), &format!("{at}/Targets"))?;
        let event_bus = match map.get("EventBusName") {
            None | Some(Value::Null) => DEFAULT_BUS.to_owned(),
            // Another account's or Region's bus is another bus (its rules are theirs).
            Some(Value::String(s)) => bus_key(s, HOME_ACCOUNT, HOME_REGION)
                .ok_or_else(|| err(&format!("{at}/EventBusName"), BusProblem::BadBus(s.clone())))?,
            Some(_) => {
                return Err(err(
                    &format!("{at}/EventBusName"),
                    BusProblem::Expected("a bus name or an event bus ARN"),
                ));
            }
        };
        if schedule.is_some() && event_bus != DEFAULT_BUS {
            return Err(err(
                &format!("{at}/ScheduleExpression"),
                BusProblem::ScheduleOffDefaultBus(event_bus),
            ));
        }
        Ok(Rule {
            name,
            description,
            pattern,
            schedule,
            state,
            event_bus,
            targets,
        })
    }

    /// Each target's input for a matched event.
    pub fn deliver(&self, event: &Value) -> RuleMatch {
        self.deliver_with(event, &Context::for_rule(&self.name))
    }

    /// Each target's input for a matched event, with the reserved variables of `ctx`
    /// (e.g. the ingestion time on a virtual clock).
    pub fn deliver_with(&self, event: &Value, ctx: &Context) -> RuleMatch {
        let ctx = ctx.clone();
        RuleMatch {
            name: self.name.clone(),
            targets: self
                .targets
                .iter()
                .map(|t| TargetInput {
                    id: t.id.clone(),
                    arn: t.arn.clone(),
                    input: t.input.apply(event, &ctx),
                    starts_execution: t.state_machine.is_some(),
                })
                .collect(),
        }
    }
}

impl Target {
    fn parse_list(json: Option<&Value>, at: &str) -> Result<Vec<Target>, BusError> {
        let items = match json {
            None => return Ok(Vec::new()),
            Some(Value::Array(items)) => items,
            Some(_) => return Err(err(at, BusProblem::Expected("a list of targets"))),
        };
        if items.len() > MAX_TARGETS {
            return Err(err(at, BusProblem::TooManyTargets(items.len())));
        }
        let mut targets: Vec<Target> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let here = format!("{at}/{i}");
            let Value::Object(map) = item else {
                return Err(err(
                    &here,
                    BusProblem::Expected("a target object with Id and Arn"),
                ));
            };
            let id = string_at(map, "Id", &here)?;
            if !valid_name(&id) {
                return Err(err(&format!("{here}/Id"), BusProblem::BadName(id)));
            }
            if targets.iter().any(|t| t.id == id) {
                return Err(err(&format!("{here}/Id"), BusProblem::Duplicate(id)));
            }
            let arn = string_at(map, "Arn", &here)?;
            let input =
                InputSpec::from_target(item).map_err(|e| err(&here, BusProblem::Target(e)))?;
            let state_machine = match map.get("StateMachine") {
                None => None,
                Some(v @ (Value::Object(_) | Value::String(_))) => Some(v.clone()),
                Some(_) => {
                    return Err(err(
                        &format!("{here}/StateMachine"),
                        BusProblem::Expected(
                            "a state machine definition object, or the name of one",
                        ),
                    ));
                }
            };
            let retry_policy = RetryPolicy::parse(map.get("RetryPolicy"), &here)?;
            let dead_letter_arn = match map.get("DeadLetterConfig") {
                None => None,
                Some(Value::Object(d)) => {
                    Some(string_at(d, "Arn", &format!("{here}/DeadLetterConfig"))?)
                }
                Some(_) => {
                    return Err(err(
                        &format!("{here}/DeadLetterConfig"),
                        BusProblem::Expected("an object with the queue's `Arn`"),
                    ));
                }
            };
            targets.push(Target {
                id,
                arn,
                input,
                state_machine,
                retry_policy,
                dead_letter_arn,
            });
        }
        Ok(targets)
    }
}

impl RetryPolicy {
    /// Reads a `RetryPolicy` object (absent: the defaults) under JSON pointer `at`.
    pub(crate) fn parse(json: Option<&Value>, at: &str) -> Result<RetryPolicy, BusError> {
        let mut policy = RetryPolicy::default();
        let Some(json) = json else {
            return Ok(policy);
        };
        let at = format!("{at}/RetryPolicy");
        let Value::Object(map) = json else {
            return Err(err(
                &at,
                BusProblem::Expected(
                    "an object with MaximumRetryAttempts and/or MaximumEventAgeInSeconds",
                ),
            ));
        };
        let fields: [(&'static str, u32, u32, &mut u32); 2] = [
            (
                "MaximumRetryAttempts",
                0,
                185,
                &mut policy.maximum_retry_attempts,
            ),
            (
                "MaximumEventAgeInSeconds",
                60,
                86_400,
                &mut policy.maximum_event_age_seconds,
            ),
        ];
        for (field, min, max, slot) in fields {
            let Some(v) = map.get(field) else { continue };
            match v.as_u64() {
                Some(n) if n >= u64::from(min) && n <= u64::from(max) => *slot = n as u32,
                _ => {
                    return Err(err(
                        &format!("{at}/{field}"),
                        BusProblem::OutOfRange { field, min, max },
                    ));
                }
            }
        }
        Ok(policy)
    }
}

/// What happened to one event on the bus.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Routing {
    /// Enabled rules that matched, in file order.
    pub matched: Vec<RuleMatch>,
    /// Enabled rules that did not match, with why.
    pub not_matched: Vec<RuleMiss>,
    /// Disabled rules (not evaluated).
    pub disabled: Vec<String>,
    /// Rules with a schedule and no pattern: they see no events, they fire on their schedule.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scheduled: Vec<String>,
}

/// A matched rule and what its targets receive.
#[derive(Debug, Clone, Serialize)]
pub struct RuleMatch {
    /// The rule's name.
    pub name: String,
    /// One entry per target, in order.
    pub targets: Vec<TargetInput>,
}

/// A rule that did not match, and why.
#[derive(Debug, Clone, Serialize)]
pub struct RuleMiss {
    /// The rule's name.
    pub name: String,
    /// The reason in words (one line per failing field).
    pub reason: String,
    /// The structured explanation.
    pub explanation: Explanation,
}

/// The input one target receives.
#[derive(Debug, Clone)]
pub struct TargetInput {
    /// The target's id.
    pub id: String,
    /// The target's ARN.
    pub arn: String,
    /// The delivered input, or why it could not be made (e.g. a JSON template giving invalid JSON).
    pub input: Result<Delivered, TransformError>,
    /// The target is a state machine: `input` is what its `StartExecution` receives.
    pub starts_execution: bool,
}

impl Serialize for TargetInput {
    /// `{"id", "arn", "input": <JSON or text>, "input_text"}` or `{"id", "arn", "error"}`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("TargetInput", 5)?;
        st.serialize_field("id", &self.id)?;
        st.serialize_field("arn", &self.arn)?;
        match &self.input {
            Ok(d) => {
                match &d.json {
                    Some(v) => st.serialize_field("input", v)?,
                    None => st.serialize_field("input", &d.text)?,
                }
                st.serialize_field("input_text", &d.text)?;
            }
            Err(e) => st.serialize_field("error", &e.to_string())?,
        }
        st.serialize_field("starts_execution", &self.starts_execution)?;
        st.end()
    }
}
