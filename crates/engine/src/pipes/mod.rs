//! EventBridge Pipes: a source's records → filter → enrichment → target, as `CreatePipe` defines
//! them and the EventBridge user guide ("Amazon EventBridge Pipes") describes them.
//!
//! A rules document (a bus file, or a workspace's `rules`) may hold, beside `Rules`, a list of
//! `Pipes` (each `CreatePipe`'s request) and the `Sources` they read (an SQS queue's messages, a
//! Kinesis stream's or a DynamoDB stream's records, as text: see [`records`]):
//!
//! ```
//! use statebridge_engine::bus::Bus;
//! let bus: Bus = r#"{
//!   "Pipes": [{
//!     "Name": "big-orders",
//!     "Source": "arn:aws:sqs:us-east-1:123456789012:orders",
//!     "SourceParameters": {"FilterCriteria": {"Filters": [{"Pattern": "{\"body\": {\"amount\": [{\"numeric\": [\">\", 100]}]}}"}]}},
//!     "Target": "arn:aws:states:us-east-1:123456789012:stateMachine:Fulfil"
//!   }],
//!   "Sources": [{"Arn": "arn:aws:sqs:us-east-1:123456789012:orders",
//!                "Records": ["{\"amount\": 250}", "{\"amount\": 20}", "not JSON"]}]
//! }"#.parse().unwrap();
//! assert_eq!(bus.pipes.pipes[0].name, "big-orders");
//! let err = r#"{"Pipes": [{"Name": "p", "Source": "arn:aws:sqs:us-east-1:123456789012:q",
//!   "SourceParameters": {"FilterCriteria": {"Filters": [{"Pattern": "{\"body\": [\"x\"]}"}, {"Pattern": "{\"body\": \"x\"}"}]}},
//!   "Target": "arn:aws:sqs:us-east-1:123456789012:out"}],
//!   "Sources": [{"Arn": "arn:aws:sqs:us-east-1:123456789012:q", "Records": []}]}"#.parse::<Bus>().unwrap_err();
//! assert!(err.to_string().contains("at `Pipes[0].SourceParameters.FilterCriteria.Filters[1].Pattern`: invalid event pattern: at `body`"), "{err}");
//! ```
//!
//! What a run does with them is in [`crate::system`] (`system/pipes.rs`): the records arrive on
//! the virtual clock, the filter drops what no pattern matches, the rest is batched, enriched and
//! delivered; each batch's delivery is an event on the pipe's own lane of the event log, so a state
//! machine target starts an execution and an event bus target puts events that the bus's rules see.

pub mod batch;
pub mod filter;
pub mod records;
pub mod retry;
pub mod template;

use crate::asl::time::{self, Millis};
use crate::pattern::PatternError;
use crate::source::JsonSyntaxError;
use filter::FilterCriteria;
use records::{SourceKind, Sources};
use serde_json::{Map, Value};
use std::collections::HashSet;
use std::fmt;
use template::Template;

/// Most pipes one document may hold (AWS's quota is 1,000 per account and Region).
pub const MAX_PIPES: usize = 1000;

/// The pipes of a rules document and the sources they read.
#[derive(Debug, Clone, Default)]
pub struct Pipes {
    /// The pipes, in file order.
    pub pipes: Vec<Pipe>,
    /// The records each source holds.
    pub sources: Sources,
}

/// One pipe, read from `CreatePipe`'s request.
#[derive(Debug, Clone)]
pub struct Pipe {
    /// `Name`.
    pub name: String,
    /// `Source`: the queue's or stream's ARN.
    pub source: String,
    /// What kind of source it is.
    pub kind: SourceKind,
    /// `SourceParameters.FilterCriteria`.
    pub filter: FilterCriteria,
    /// `BatchSize` (default 10 for SQS, 100 for streams).
    pub batch_size: usize,
    /// `MaximumBatchingWindowInSeconds` (default 0).
    pub window_seconds: u32,
    /// Where a stream is read from (`StartingPosition`); SQS reads every message.
    pub starting: Starting,
    /// A stream source's `DeadLetterConfig.Arn`.
    pub dead_letter_arn: Option<String>,
    /// A stream source's retry settings (`MaximumRetryAttempts`, `MaximumRecordAgeInSeconds`,
    /// `OnPartialBatchItemFailure`); an SQS source retries through its queue's `Attributes`.
    pub retry: retry::StreamRetry,
    /// `Enrichment`, if any.
    pub enrichment: Option<Enrichment>,
    /// `EnrichmentParameters.InputTemplate`.
    pub enrichment_template: Option<Template>,
    /// `Target`.
    pub target: String,
    /// What the target is.
    pub target_kind: TargetKind,
    /// `TargetParameters.InputTemplate`.
    pub target_template: Option<Template>,
    /// `…Parameters.InvocationType` of a Lambda or Step Functions target.
    pub invocation: Invocation,
    /// `TargetParameters.EventBridgeEventBusParameters`: `Source`, `DetailType`, `Resources`, `Time`.
    pub bus_parameters: Map<String, Value>,
    /// `DesiredState` is `RUNNING` (the default), not `STOPPED`.
    pub running: bool,
    /// The target as the system delivers to it: one attempt per batch; the pipe itself retries
    /// a failed batch as its source does (`system/pipe_retry.rs`).
    pub delivery: crate::bus::Target,
}

/// Where a stream source is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Starting {
    /// Every record (`TRIM_HORIZON`; an SQS queue's messages).
    TrimHorizon,
    /// Only records that arrive after the pipe starts (`LATEST`).
    Latest,
    /// Records that arrive at or after this moment (`AT_TIMESTAMP`).
    AtTimestamp(Millis),
}

/// How a Lambda function or state machine target is invoked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invocation {
    /// `REQUEST_RESPONSE` (the default): the pipe waits for the answer; a failure fails the batch.
    RequestResponse,
    /// `FIRE_AND_FORGET`: the pipe does not wait.
    FireAndForget,
}

/// The enrichment a pipe calls with each batch.
#[derive(Debug, Clone, PartialEq)]
pub enum Enrichment {
    /// A Lambda function (mocked: the workspace's mocks under the function's name).
    Lambda {
        /// The ARN.
        arn: String,
        /// The function's name: the key of its mocked answers.
        function: String,
    },
    /// An API destination or API Gateway (mocked: the workspace's mocks under its name).
    Api {
        /// The ARN.
        arn: String,
        /// Its name: the key of its mocked answers.
        name: String,
    },
    /// An Express state machine of the workspace, run by the engine.
    StateMachine {
        /// The ARN.
        arn: String,
        /// The workspace machine's name.
        machine: String,
    },
}

impl Enrichment {
    /// The enrichment's ARN.
    pub fn arn(&self) -> &str {
        match self {
            Enrichment::Lambda { arn, .. }
            | Enrichment::Api { arn, .. }
            | Enrichment::StateMachine { arn, .. } => arn,
        }
    }
}

/// What a pipe's target is.
#[derive(Debug, Clone, PartialEq)]
pub enum TargetKind {
    /// A Step Functions state machine: the run starts an execution of the workspace's machine.
    StateMachine,
    /// An event bus: each event of the batch is put on it and its rules see it.
    EventBus,
    /// Any other service (SQS, Lambda, SNS, Kinesis, …): recorded as delivered.
    Other {
        /// The service in the ARN (`sqs`, `lambda`, …).
        service: String,
        /// The most events one call takes (`None`: the whole batch).
        max_batch: Option<usize>,
    },
}

impl TargetKind {
    /// The most events the target takes in one call, if it has a limit.
    pub fn max_batch(&self) -> Option<usize> {
        match self {
            TargetKind::EventBus => Some(10),
            TargetKind::Other { max_batch, .. } => *max_batch,
            TargetKind::StateMachine => None,
        }
    }
}

/// What is wrong in a pipe or a source (the place is the error's pointer).
#[derive(Debug, Clone, PartialEq)]
pub enum PipeProblem {
    /// A member has the wrong type or is missing.
    Expected(&'static str),
    /// A name `CreatePipe` refuses.
    BadName(String),
    /// Two pipes with one name.
    Duplicate(String),
    /// A number outside the range the API accepts.
    OutOfRange {
        /// Smallest accepted value.
        min: i64,
        /// Largest accepted value.
        max: i64,
    },
    /// A value that is not one of the API's choices.
    NotOneOf {
        /// What was given.
        given: String,
        /// The choices.
        choices: &'static str,
    },
    /// A source ARN statebridge cannot read records from.
    UnsupportedSource(String),
    /// An enrichment ARN that is not a Lambda function, API destination, API Gateway or state machine.
    UnsupportedEnrichment(String),
    /// Source parameters for another kind of source.
    WrongParameters {
        /// The parameters given.
        given: &'static str,
        /// The ones this source takes.
        wanted: &'static str,
    },
    /// A `Pattern` that is not JSON text.
    PatternSyntax(Box<JsonSyntaxError>),
    /// A `Pattern` that is not a valid event pattern.
    Pattern(Box<PatternError>),
    /// A pattern for a stream's data field that is not a JSON object.
    DataPatternNotJson(&'static str),
    /// An `InputTemplate` EventBridge refuses.
    Template(String),
    /// A batch size the target or enrichment cannot take.
    BatchTooBig {
        /// The batch size.
        size: usize,
        /// The most it takes.
        max: usize,
        /// Who takes at most that.
        who: String,
    },
    /// A pipe's source with no entry in `Sources`.
    NoRecords(String),
    /// A record that is not what the source holds.
    BadRecord(String),
}

impl fmt::Display for PipeProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use PipeProblem::*;
        match self {
            Expected(what) => write!(f, "expected {what}"),
            BadName(n) => write!(
                f,
                "`{n}` is not a valid pipe name: use 1 to 64 letters, digits, `.`, `-` or `_`"
            ),
            Duplicate(n) => write!(f, "`{n}` is used twice: pipe names must be unique"),
            OutOfRange { min, max } => write!(f, "must be a whole number from {min} to {max}"),
            NotOneOf { given, choices } => write!(f, "`{given}` is not one of {choices}"),
            UnsupportedSource(arn) => write!(
                f,
                "`{arn}`: statebridge runs pipes from an SQS queue (arn:aws:sqs:REGION:ACCOUNT:NAME), \
                 a Kinesis stream (arn:aws:kinesis:REGION:ACCOUNT:stream/NAME) or a DynamoDB stream \
                 (arn:aws:dynamodb:REGION:ACCOUNT:table/TABLE/stream/LABEL)"
            ),
            UnsupportedEnrichment(arn) => write!(
                f,
                "`{arn}`: an enrichment is a Lambda function, an API destination, an API Gateway API \
                 or a Step Functions state machine (Express)"
            ),
            WrongParameters { given, wanted } => write!(
                f,
                "`{given}` are for another kind of source: this source takes `{wanted}`"
            ),
            PatternSyntax(e) => write!(f, "the pattern is not JSON text: {e}"),
            Pattern(e) => write!(f, "invalid event pattern: {e}"),
            DataPatternNotJson(field) => write!(
                f,
                "the pattern for `{field}` must be a JSON object (fields of the decoded data): \
                 EventBridge refuses a plain-string pattern for a stream's data when the pipe is \
                 created"
            ),
            Template(why) => write!(f, "{why}"),
            BatchTooBig { size, max, who } => write!(
                f,
                "a batch of {size} records, but {who} takes at most {max}: set BatchSize to {max} or less"
            ),
            NoRecords(arn) => write!(
                f,
                "no entry of `Sources` holds the records of `{arn}`: add {{\"Arn\": \"{arn}\", \"Records\": [...]}}"
            ),
            BadRecord(why) => write!(f, "{why}"),
        }
    }
}

/// Where (a JSON pointer in the rules document) and what.
pub type Located = (String, PipeProblem);

fn at(pointer: &str, problem: PipeProblem) -> Located {
    (pointer.to_owned(), problem)
}

/// The object at `pointer`, or an error.
fn object<'a>(v: &'a Value, pointer: &str) -> Result<&'a Map<String, Value>, Located> {
    v.as_object()
        .ok_or_else(|| at(pointer, PipeProblem::Expected("an object")))
}

fn string(o: &Map<String, Value>, key: &str, pointer: &str) -> Result<String, Located> {
    match o.get(key) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(at(
            &format!("{pointer}/{key}"),
            PipeProblem::Expected("a string"),
        )),
        None => Err(at(
            &format!("{pointer}/{key}"),
            PipeProblem::Expected("a string (it is required)"),
        )),
    }
}

fn optional_string(
    o: &Map<String, Value>,
    key: &str,
    pointer: &str,
) -> Result<Option<String>, Located> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(at(
            &format!("{pointer}/{key}"),
            PipeProblem::Expected("a string"),
        )),
    }
}

fn number(
    o: &Map<String, Value>,
    key: &str,
    pointer: &str,
    min: i64,
    max: i64,
) -> Result<Option<i64>, Located> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_i64()
            .filter(|n| (min..=max).contains(n))
            .map(Some)
            .ok_or_else(|| {
                at(
                    &format!("{pointer}/{key}"),
                    PipeProblem::OutOfRange { min, max },
                )
            }),
    }
}

fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

/// The service and resource of an ARN (`arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`).
pub(crate) fn arn_parts(arn: &str) -> Option<(&str, &str)> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", _, service, _, _, resource] if !service.is_empty() => Some((service, resource)),
        _ => None,
    }
}

impl Pipes {
    /// The pipe called `name`, with its index (its report's place).
    pub fn named(&self, name: &str) -> Option<(usize, &Pipe)> {
        self.pipes.iter().enumerate().find(|(_, p)| p.name == name)
    }

    /// Reads `Pipes` and `Sources` from a rules document; errors carry the JSON pointer.
    pub fn parse(doc: &Value) -> Result<Pipes, Located> {
        let sources = Sources::parse(doc.get("Sources"))?;
        let items: &[Value] = match doc.get("Pipes") {
            None | Some(Value::Null) => &[],
            Some(Value::Array(items)) => items,
            Some(_) => {
                return Err(at(
                    "/Pipes",
                    PipeProblem::Expected("a list of CreatePipe requests"),
                ));
            }
        };
        if items.len() > MAX_PIPES {
            return Err(at(
                "/Pipes",
                PipeProblem::OutOfRange {
                    min: 0,
                    max: MAX_PIPES as i64,
                },
            ));
        }
        let mut names = HashSet::new();
        let mut pipes = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let pointer = format!("/Pipes/{i}");
            let pipe = Pipe::parse(item, &pointer)?;
            if !names.insert(pipe.name.clone()) {
                return Err(at(
                    &format!("{pointer}/Name"),
                    PipeProblem::Duplicate(pipe.name),
                ));
            }
            if sources.get(&pipe.source).is_none() {
                return Err(at(
                    &format!("{pointer}/Source"),
                    PipeProblem::NoRecords(pipe.source),
                ));
            }
            pipes.push(pipe);
        }
        Ok(Pipes { pipes, sources })
    }

    /// Whether the document declares no pipe.
    pub fn is_empty(&self) -> bool {
        self.pipes.is_empty()
    }
}

impl Pipe {
    /// The name a target's mocks are kept under: a Lambda function's name, or the ARN's last
    /// part (a state machine or event bus target is run, not mocked).
    pub fn target_mock_key(&self) -> String {
        let arn = self.target.as_str();
        match arn_parts(arn) {
            Some(("lambda", resource)) => resource
                .strip_prefix("function:")
                .and_then(|f| f.split(':').next())
                .unwrap_or(resource)
                .to_owned(),
            _ => arn.rsplit([':', '/']).next().unwrap_or(arn).to_owned(),
        }
    }

    /// The names this pipe's mocks may be kept under: its Lambda or API enrichment's and its
    /// target's (when it is not a state machine or event bus).
    pub fn mock_keys(&self) -> Vec<String> {
        let mut keys = Vec::new();
        match &self.enrichment {
            Some(Enrichment::Lambda { function, .. }) => keys.push(function.clone()),
            Some(Enrichment::Api { name, .. }) => keys.push(name.clone()),
            _ => {}
        }
        if matches!(self.target_kind, TargetKind::Other { .. }) {
            keys.push(self.target_mock_key());
        }
        keys
    }

    /// The pipe's ARN in this account and Region.
    pub fn arn(&self, region: &str, account: &str) -> String {
        format!("arn:aws:pipes:{region}:{account}:pipe/{}", self.name)
    }

    fn parse(v: &Value, pointer: &str) -> Result<Pipe, Located> {
        let o = object(v, pointer)?;
        let name = string(o, "Name", pointer)?;
        if !valid_name(&name) {
            return Err(at(&format!("{pointer}/Name"), PipeProblem::BadName(name)));
        }
        let source = string(o, "Source", pointer)?;
        let kind = SourceKind::of(&source).ok_or_else(|| {
            at(
                &format!("{pointer}/Source"),
                PipeProblem::UnsupportedSource(source.clone()),
            )
        })?;
        let running = match optional_string(o, "DesiredState", pointer)?.as_deref() {
            None | Some("RUNNING") => true,
            Some("STOPPED") => false,
            Some(other) => {
                return Err(at(
                    &format!("{pointer}/DesiredState"),
                    PipeProblem::NotOneOf {
                        given: other.to_owned(),
                        choices: "RUNNING, STOPPED",
                    },
                ));
            }
        };
        let sp_pointer = format!("{pointer}/SourceParameters");
        let empty = Map::new();
        let sp = match o.get("SourceParameters") {
            None | Some(Value::Null) => &empty,
            Some(v) => object(v, &sp_pointer)?,
        };
        let filter = match sp.get("FilterCriteria") {
            None | Some(Value::Null) => FilterCriteria::default(),
            Some(v) => FilterCriteria::parse(v, &format!("{sp_pointer}/FilterCriteria"), kind)?,
        };
        let source_params = read_source_parameters(sp, &sp_pointer, kind)?;
        let target = string(o, "Target", pointer)?;
        let target_kind = target_kind(&target);
        let enrichment = match optional_string(o, "Enrichment", pointer)? {
            None => None,
            Some(s) if s.is_empty() => None,
            Some(arn) => Some(enrichment(&arn).ok_or_else(|| {
                at(
                    &format!("{pointer}/Enrichment"),
                    PipeProblem::UnsupportedEnrichment(arn.clone()),
                )
            })?),
        };
        let ep_pointer = format!("{pointer}/EnrichmentParameters");
        let enrichment_template = match o.get("EnrichmentParameters") {
            None | Some(Value::Null) => None,
            Some(v) => input_template(object(v, &ep_pointer)?, &ep_pointer)?,
        };
        let tp_pointer = format!("{pointer}/TargetParameters");
        let tp = match o.get("TargetParameters") {
            None | Some(Value::Null) => &empty,
            Some(v) => object(v, &tp_pointer)?,
        };
        let target_template = input_template(tp, &tp_pointer)?;
        let invocation = read_invocation(tp, &tp_pointer)?;
        let bus_parameters = match tp.get("EventBridgeEventBusParameters") {
            None | Some(Value::Null) => Map::new(),
            Some(v) => object(v, &format!("{tp_pointer}/EventBridgeEventBusParameters"))?.clone(),
        };
        let batch_pointer = format!("{sp_pointer}/{}/BatchSize", kind.parameters());
        if let Some(max) = target_kind.max_batch()
            && source_params.batch_size > max
        {
            return Err(at(
                &batch_pointer,
                PipeProblem::BatchTooBig {
                    size: source_params.batch_size,
                    max,
                    who: format!("the target (`{target}`)"),
                },
            ));
        }
        if let Some(Enrichment::Api { arn, .. }) = &enrichment
            && source_params.batch_size > 1
        {
            return Err(at(
                &batch_pointer,
                PipeProblem::BatchTooBig {
                    size: source_params.batch_size,
                    max: 1,
                    who: format!("an API destination or API Gateway enrichment (`{arn}`)"),
                },
            ));
        }
        let delivery = crate::bus::Target {
            id: "Target".to_owned(),
            arn: target.clone(),
            input: crate::transform::InputSpec::WholeEvent,
            state_machine: None,
            retry_policy: crate::bus::RetryPolicy {
                maximum_retry_attempts: 0,
                maximum_event_age_seconds: 86_400,
            },
            dead_letter_arn: None,
        };
        Ok(Pipe {
            delivery,
            name,
            source,
            kind,
            filter,
            batch_size: source_params.batch_size,
            window_seconds: source_params.window_seconds,
            starting: source_params.starting,
            dead_letter_arn: source_params.dead_letter_arn,
            retry: source_params.retry,
            enrichment,
            enrichment_template,
            target,
            target_kind,
            target_template,
            invocation,
            bus_parameters,
            running,
        })
    }
}

struct SourceParams {
    batch_size: usize,
    window_seconds: u32,
    starting: Starting,
    dead_letter_arn: Option<String>,
    retry: retry::StreamRetry,
}

/// The source's own parameters (`SqsQueueParameters`, `KinesisStreamParameters` or
/// `DynamoDBStreamParameters`); a stream's are required (`StartingPosition` is).
fn read_source_parameters(
    sp: &Map<String, Value>,
    sp_pointer: &str,
    kind: SourceKind,
) -> Result<SourceParams, Located> {
    let wanted = kind.parameters();
    for other in [
        "SqsQueueParameters",
        "KinesisStreamParameters",
        "DynamoDBStreamParameters",
        "ActiveMQBrokerParameters",
        "RabbitMQBrokerParameters",
        "ManagedStreamingKafkaParameters",
        "SelfManagedKafkaParameters",
    ] {
        if other != wanted && sp.contains_key(other) {
            return Err(at(
                &format!("{sp_pointer}/{other}"),
                PipeProblem::WrongParameters {
                    given: other,
                    wanted,
                },
            ));
        }
    }
    let pointer = format!("{sp_pointer}/{wanted}");
    let empty = Map::new();
    let params = match sp.get(wanted) {
        Some(v) => object(v, &pointer)?,
        None if kind.is_stream() => {
            return Err(at(
                &pointer,
                PipeProblem::Expected(
                    "the stream's parameters, with `StartingPosition` (it is required for a stream source)",
                ),
            ));
        }
        None => &empty,
    };
    let default_batch = if kind.is_stream() { 100 } else { 10 };
    let batch_size = number(params, "BatchSize", &pointer, 1, 10_000)?.unwrap_or(default_batch);
    let window_seconds =
        number(params, "MaximumBatchingWindowInSeconds", &pointer, 0, 300)?.unwrap_or(0);
    let starting = if kind.is_stream() {
        let choices = if kind == SourceKind::Kinesis {
            "TRIM_HORIZON, LATEST, AT_TIMESTAMP"
        } else {
            "TRIM_HORIZON, LATEST"
        };
        match string(params, "StartingPosition", &pointer)?.as_str() {
            "TRIM_HORIZON" => Starting::TrimHorizon,
            "LATEST" => Starting::Latest,
            "AT_TIMESTAMP" if kind == SourceKind::Kinesis => {
                let ts_pointer = format!("{pointer}/StartingPositionTimestamp");
                let ms = match params.get("StartingPositionTimestamp") {
                    Some(Value::Number(n)) => n
                        .as_f64()
                        .filter(|s| s.is_finite() && s.abs() < 1e13)
                        .map(|s| (s * 1000.0) as Millis),
                    Some(Value::String(s)) => time::parse_rfc3339(s),
                    _ => None,
                };
                Starting::AtTimestamp(ms.ok_or_else(|| {
                    at(
                        &ts_pointer,
                        PipeProblem::Expected(
                            "a timestamp (Unix seconds or RFC 3339): AT_TIMESTAMP needs one",
                        ),
                    )
                })?)
            }
            other => {
                return Err(at(
                    &format!("{pointer}/StartingPosition"),
                    PipeProblem::NotOneOf {
                        given: other.to_owned(),
                        choices,
                    },
                ));
            }
        }
    } else {
        Starting::TrimHorizon
    };
    let dead_letter_arn = match params.get("DeadLetterConfig") {
        None | Some(Value::Null) => None,
        Some(v) => optional_string(
            object(v, &format!("{pointer}/DeadLetterConfig"))?,
            "Arn",
            &format!("{pointer}/DeadLetterConfig"),
        )?,
    };
    let retry = if kind.is_stream() {
        retry::StreamRetry::parse(params, &pointer)?
    } else {
        retry::StreamRetry::default()
    };
    Ok(SourceParams {
        batch_size: batch_size as usize,
        window_seconds: window_seconds as u32,
        starting,
        dead_letter_arn,
        retry,
    })
}

/// `InputTemplate` of enrichment or target parameters, if given and not empty.
fn input_template(o: &Map<String, Value>, pointer: &str) -> Result<Option<Template>, Located> {
    match optional_string(o, "InputTemplate", pointer)? {
        None => Ok(None),
        Some(t) if t.is_empty() => Ok(None),
        Some(t) => Template::parse(&t).map(Some).map_err(|why| {
            at(
                &format!("{pointer}/InputTemplate"),
                PipeProblem::Template(why),
            )
        }),
    }
}

fn read_invocation(tp: &Map<String, Value>, tp_pointer: &str) -> Result<Invocation, Located> {
    for key in [
        "StepFunctionStateMachineParameters",
        "LambdaFunctionParameters",
    ] {
        let Some(v) = tp.get(key) else { continue };
        let pointer = format!("{tp_pointer}/{key}");
        return match optional_string(object(v, &pointer)?, "InvocationType", &pointer)?.as_deref() {
            None | Some("REQUEST_RESPONSE") => Ok(Invocation::RequestResponse),
            Some("FIRE_AND_FORGET") => Ok(Invocation::FireAndForget),
            Some(other) => Err(at(
                &format!("{pointer}/InvocationType"),
                PipeProblem::NotOneOf {
                    given: other.to_owned(),
                    choices: "REQUEST_RESPONSE, FIRE_AND_FORGET",
                },
            )),
        };
    }
    Ok(Invocation::RequestResponse)
}

fn enrichment(arn: &str) -> Option<Enrichment> {
    let (service, resource) = arn_parts(arn)?;
    match service {
        "lambda" => {
            let function = resource.strip_prefix("function:")?;
            let function = function.split(':').next().unwrap_or(function);
            Some(Enrichment::Lambda {
                arn: arn.to_owned(),
                function: function.to_owned(),
            })
        }
        "states" => {
            crate::system::machines::from_arn(arn).map(|(name, _)| Enrichment::StateMachine {
                arn: arn.to_owned(),
                machine: name.to_owned(),
            })
        }
        "events" => {
            let name = resource.strip_prefix("api-destination/")?;
            Some(Enrichment::Api {
                arn: arn.to_owned(),
                name: name.split('/').next().unwrap_or(name).to_owned(),
            })
        }
        "execute-api" => Some(Enrichment::Api {
            arn: arn.to_owned(),
            name: resource.split('/').next().unwrap_or(resource).to_owned(),
        }),
        _ => None,
    }
}

/// What a target ARN is, with the most events one call takes ("Supported batchable targets").
fn target_kind(arn: &str) -> TargetKind {
    if crate::bus::bus_target(arn).is_some() {
        return TargetKind::EventBus;
    }
    if crate::system::machines::from_arn(arn).is_some() {
        return TargetKind::StateMachine;
    }
    let service = arn_parts(arn).map_or("", |(s, _)| s).to_owned();
    let max_batch = match service.as_str() {
        "sqs" | "sns" => Some(10),
        "kinesis" | "firehose" => Some(500),
        "logs" => Some(10_000),
        _ => None,
    };
    TargetKind::Other { service, max_batch }
}
