//! A subscriber's target, resolved from its ARN as the service resolves it (the target
//! contract's table), and the checks on its parameter block.

use super::model::{At, EventsV2Error, Place};
use crate::jsonata::{Expression, template_expression};
use serde_json::{Map, Value};

/// What kind of target an ARN names (the target contract's table).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TargetKind {
    /// An SQS queue.
    Sqs,
    /// An SNS topic.
    Sns,
    /// A Lambda function.
    Lambda,
    /// A Kinesis stream.
    Kinesis,
    /// A Step Functions state machine (its name, and version or alias).
    StepFunctions {
        /// The state machine's name.
        machine: String,
    },
    /// A Firehose delivery stream.
    Firehose,
    /// An API Gateway stage route.
    ApiGateway,
    /// An API destination.
    ApiDestination,
    /// Another Custom Event Bus (its name).
    EventBusV2 {
        /// The bus's name.
        bus: String,
    },
    /// A Custom Event Bus - Classic.
    ClassicBus {
        /// The bus's name.
        bus: String,
    },
    /// A universal (`aws-sdk`) target: `service:apiAction`.
    Universal {
        /// `service:apiAction`.
        action: String,
    },
}

impl TargetKind {
    /// The parameter block this target takes, if any.
    fn block(&self) -> Option<&'static str> {
        match self {
            TargetKind::Sqs => Some("SqsParameters"),
            TargetKind::Sns => Some("SnsParameters"),
            TargetKind::Lambda => Some("LambdaParameters"),
            TargetKind::Kinesis => Some("KinesisParameters"),
            TargetKind::StepFunctions { .. } => Some("StepFunctionsParameters"),
            TargetKind::ApiGateway | TargetKind::ApiDestination => Some("HttpParameters"),
            TargetKind::EventBusV2 { .. } => Some("EventBusV2Parameters"),
            TargetKind::Universal { .. } => Some("UniversalTargetParameters"),
            TargetKind::Firehose | TargetKind::ClassicBus { .. } => None,
        }
    }
}

/// The parameter blocks of `InvokeConfiguration`.
const BLOCKS: [&str; 8] = [
    "LambdaParameters",
    "SqsParameters",
    "SnsParameters",
    "KinesisParameters",
    "StepFunctionsParameters",
    "HttpParameters",
    "UniversalTargetParameters",
    "EventBusV2Parameters",
];

/// The target an ARN names, as the service resolves it.
pub(crate) fn target_kind(arn: &str, at: &At, place: &Place) -> Result<TargetKind, EventsV2Error> {
    const FIELD: &str = "InvokeConfiguration.TargetArn";
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    if parts.len() < 6 || parts[0] != "arn" || !parts[1].starts_with("aws") {
        return Err(at.err(FIELD, format!("`{arn}` is not an ARN")));
    }
    let (service, region, account, resource) = (parts[2], parts[3], parts[4], parts[5]);
    if service == "events" && resource.starts_with("aws-sdk:") {
        let action = resource.trim_start_matches("aws-sdk:");
        let ok = action
            .split_once(':')
            .is_some_and(|(s, a)| !s.is_empty() && a.starts_with(|c: char| c.is_ascii_lowercase()));
        if !ok {
            return Err(at.err(
                FIELD,
                "a universal target is arn:aws:events:::aws-sdk:{service}:{apiAction}, the action camelCase with a lowercase first letter",
            ));
        }
        return Ok(TargetKind::Universal {
            action: action.to_owned(),
        });
    }
    let shape = |form: &str| {
        at.err(
            FIELD,
            format!("TargetArn resource must be of the form {form}"),
        )
    };
    let kind = match service {
        "sqs" if !resource.contains(['/', ':']) => TargetKind::Sqs,
        "sqs" => return Err(shape("{queueName}")),
        "sns" if !resource.contains(['/', ':']) => TargetKind::Sns,
        "sns" => return Err(shape("{topicName}")),
        "lambda" => match resource.strip_prefix("function:") {
            Some(f) if !f.is_empty() && f.split(':').count() <= 2 => TargetKind::Lambda,
            _ => return Err(shape("function:{name}[:{qualifier}]")),
        },
        "kinesis" => match resource.strip_prefix("stream/") {
            Some(s) if !s.is_empty() && !s.contains(['/', ':']) => TargetKind::Kinesis,
            _ => return Err(shape("stream/{name}")),
        },
        "states" => match resource.strip_prefix("stateMachine:") {
            Some(m) if !m.is_empty() && m.split(':').count() <= 2 => TargetKind::StepFunctions {
                machine: m.to_owned(),
            },
            _ => return Err(shape("stateMachine:{name}[:{version}]")),
        },
        "firehose" => match resource.strip_prefix("deliverystream/") {
            Some(s) if !s.is_empty() && !s.contains(['/', ':']) => TargetKind::Firehose,
            _ => return Err(shape("deliverystream/{name}")),
        },
        "execute-api" if resource.split('/').count() >= 3 => TargetKind::ApiGateway,
        "execute-api" => return Err(shape("{apiId}/{stage}/{method}[/{path}]")),
        "events" => {
            if let Some(rest) = resource.strip_prefix("event-busv2/") {
                match rest.split('/').collect::<Vec<_>>()[..] {
                    [name, id] if !name.is_empty() && !id.is_empty() => TargetKind::EventBusV2 {
                        bus: name.to_owned(),
                    },
                    _ => return Err(shape("event-busv2/{name}/{id}")),
                }
            } else if let Some(name) = resource.strip_prefix("event-bus/") {
                TargetKind::ClassicBus {
                    bus: name.to_owned(),
                }
            } else if resource.starts_with("api-destination/") {
                TargetKind::ApiDestination
            } else {
                return Err(at.err(FIELD, "TargetArn is not a supported subscriber target"));
            }
        }
        _ => return Err(at.err(FIELD, "TargetArn is not a supported subscriber target")),
    };
    if !matches!(kind, TargetKind::EventBusV2 { .. }) && region != place.region {
        return Err(at.err(
            FIELD,
            format!("TargetArn must be in region {}", place.region),
        ));
    }
    if account != place.account {
        return Err(at.code(
            "InvalidInputException",
            "",
            format!(
                "Target resource account ({account}) must match the subscriber account ({})",
                place.account
            ),
        ));
    }
    Ok(kind)
}

/// At most one parameter block, the target's own; its JSONata expressions must parse.
pub(crate) fn check_blocks(
    invoke: &Map<String, Value>,
    target: &TargetKind,
    arn: &str,
    at: &At,
) -> Result<Option<Value>, EventsV2Error> {
    let mut found = None;
    for block in BLOCKS {
        let Some(v) = invoke.get(block) else { continue };
        if target.block() != Some(block) {
            let expected = target
                .block()
                .map_or("Expected no target parameters".to_owned(), |b| {
                    format!("Expected {b}")
                });
            return Err(at.err(
                &format!("InvokeConfiguration.{block}"),
                format!("{block} is not supported for target {arn}. {expected}"),
            ));
        }
        check_expressions(v, &format!("InvokeConfiguration.{block}"), at)?;
        found = Some(v.clone());
    }
    if let TargetKind::Universal { .. } = target
        && found
            .as_ref()
            .and_then(|v| v.get("Input"))
            .and_then(Value::as_str)
            .is_none()
    {
        return Err(at.err(
            "InvokeConfiguration.UniversalTargetParameters.Input",
            "is required for a universal (USI) target: the API request as JSON or a JSONata expression",
        ));
    }
    Ok(found)
}

/// Every `{% %}` string in a parameter block must parse.
fn check_expressions(v: &Value, field: &str, at: &At) -> Result<(), EventsV2Error> {
    match v {
        Value::String(s) => {
            if let Some(expr) = template_expression(s)
                && let Err(e) = Expression::parse(expr)
            {
                return Err(at.err(field, format!("the JSONata expression does not parse: {e}")));
            }
            Ok(())
        }
        Value::Object(o) => o
            .iter()
            .try_for_each(|(k, v)| check_expressions(v, &format!("{field}.{k}"), at)),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .try_for_each(|(i, v)| check_expressions(v, &format!("{field}[{i}]"), at)),
        _ => Ok(()),
    }
}
