//! `CreateSubscriber` checked: the target, the filters, the transformer, the retry policy and the
//! starting position, each error naming the subscriber and the field.

use super::model::name_ok;
use super::model::{
    At, Bus, EventsV2Error, Filter, Ordering, Place, Scope, Subscriber, TransformerType, at_of,
    bus_ref, resource_id, time_of,
};
use super::target::{TargetKind, check_blocks, target_kind};
use crate::asl::time::{self, Millis};
use crate::jsonata::{Expression, template_expression};
use crate::pattern::Pattern;
use serde_json::Value;

pub(crate) fn parse_subscriber(
    s: &Value,
    i: usize,
    buses: &[Bus],
    place: &Place,
) -> Result<Subscriber, EventsV2Error> {
    let mut at = At {
        resource: format!("Subscribers[{i}]"),
        pointer: format!("/Subscribers/{i}"),
    };
    let name = match s.get("Name") {
        Some(Value::String(n)) if name_ok(n) => n.clone(),
        Some(Value::String(n)) => {
            return Err(at.err(
                "Name",
                format!("`{n}`: the first character must be alphanumeric; the rest may also be '.', '-' and '_'"),
            ));
        }
        _ => return Err(at.err("Name", "is required (a string)")),
    };
    at.resource = format!("subscriber `{name}`");
    let bus = bus_ref(s.get("EventBusArn"), buses, &at, "EventBusArn")?;
    let Some(bus_rec) = buses.iter().find(|b| b.name == bus) else {
        return Err(at.err("EventBusArn", "no such bus"));
    };
    let created = at_of(s, place.start, &at)?;
    let invoke = s.get("InvokeConfiguration").and_then(Value::as_object);
    let Some(invoke) = invoke else {
        return Err(at.err("InvokeConfiguration", "is required (TargetArn and RoleArn)"));
    };
    let Some(target_arn) = invoke.get("TargetArn").and_then(Value::as_str) else {
        return Err(at.err("InvokeConfiguration.TargetArn", "is required"));
    };
    if invoke.get("RoleArn").and_then(Value::as_str).is_none() {
        return Err(at.err("InvokeConfiguration.RoleArn", "is required"));
    }
    let target = target_kind(target_arn, &at, place)?;
    if matches!(&target, TargetKind::EventBusV2 { bus: b } if *b == bus)
        || target_arn == bus_rec.arn
    {
        return Err(at.err(
            "InvokeConfiguration.TargetArn",
            "must not reference the subscriber's own event bus",
        ));
    }
    let parameters = check_blocks(invoke, &target, target_arn, &at)?;
    let filters = parse_filters(s.get("FilterConfiguration"), &at)?;
    let (transformer, expression) = parse_transformer(s.get("Transformer"), &target, &at)?;
    if let TargetKind::Universal { .. } = target
        && s.get("BatchConfiguration").is_none()
    {
        return Err(at.err(
            "BatchConfiguration",
            "is required for a universal (USI) target",
        ));
    }
    check_batch(s.get("BatchConfiguration"), &at)?;
    let ordering = match s.get("Type").and_then(Value::as_str) {
        None | Some("UNORDERED") => Ordering::Unordered,
        Some("FIFO") => Ordering::Fifo,
        Some(o) => return Err(at.err("Type", format!("`{o}`: use UNORDERED or FIFO"))),
    };
    let (from, until, point_in_time) = starting_position(s, bus_rec, created, &at)?;
    let running = match s.get("State").and_then(Value::as_str) {
        None | Some("RUNNING") => true,
        Some("STOPPED") => false,
        Some(o) => return Err(at.err("State", format!("`{o}`: use RUNNING or STOPPED"))),
    };
    let (max_retry_attempts, max_event_age_seconds) = retry_policy(s.get("RetryPolicy"), &at)?;
    let dead_letter_arn = match s.pointer("/OnFailureConfiguration/Arn") {
        None => None,
        Some(Value::String(a)) if a.starts_with("arn:") && a.split(':').nth(2) == Some("sqs") => {
            Some(a.clone())
        }
        Some(v) => {
            return Err(at.err(
                "OnFailureConfiguration.Arn",
                format!("{v}: an Amazon SQS queue's ARN is the supported destination"),
            ));
        }
    };
    Ok(Subscriber {
        arn: format!(
            "arn:aws:events:{}:{}:subscriber/{bus}/{name}/{}",
            place.region,
            place.account,
            resource_id(place.seed ^ 0x5ab, &format!("{bus}/{name}"))
        ),
        name,
        bus,
        target_arn: target_arn.to_owned(),
        target,
        parameters,
        filters,
        transformer,
        expression,
        ordering,
        from,
        until,
        point_in_time,
        created,
        running,
        max_retry_attempts,
        max_event_age_seconds,
        dead_letter_arn,
        request: s.clone(),
    })
}

fn parse_filters(fc: Option<&Value>, at: &At) -> Result<Vec<Filter>, EventsV2Error> {
    let Some(fc) = fc else { return Ok(Vec::new()) };
    if let Some(lang) = fc.get("Language")
        && lang != "EVENT_BRIDGE_PATTERN"
    {
        return Err(at.err(
            "FilterConfiguration.Language",
            format!("{lang}: the only language is EVENT_BRIDGE_PATTERN"),
        ));
    }
    let items = match fc.get("Filters") {
        Some(Value::Array(items)) if !items.is_empty() => items,
        _ => {
            return Err(at.err(
                "FilterConfiguration.Filters",
                "must hold at least one filter with a non-empty Pattern (leave FilterConfiguration out to receive every event)",
            ));
        }
    };
    let mut filters: Vec<Filter> = Vec::new();
    for (i, f) in items.iter().enumerate() {
        let field = format!("FilterConfiguration.Filters[{i}]");
        let scope = match f.get("Scope").and_then(Value::as_str) {
            Some("DATA") => Scope::Data,
            Some("METADATA") => Scope::Metadata,
            Some("SYSTEM_METADATA") => Scope::SystemMetadata,
            Some(o) => {
                return Err(at.err(
                    &format!("{field}.Scope"),
                    format!("`{o}`: use DATA, METADATA or SYSTEM_METADATA"),
                ));
            }
            None => return Err(at.err(&format!("{field}.Scope"), "is required")),
        };
        if filters.iter().any(|o| o.scope == scope) {
            return Err(at.err(
                &format!("{field}.Scope"),
                "a subscriber may have at most one filter per scope",
            ));
        }
        let json = match f.get("Pattern") {
            Some(Value::String(text)) if !text.trim().is_empty() => {
                match crate::source::parse(text) {
                    Ok((json, _)) => json,
                    Err(e) => {
                        return Err(at.err(&format!("{field}.Pattern"), format!("not JSON: {e}")));
                    }
                }
            }
            // A convenience: the pattern written as JSON rather than as JSON text.
            Some(v @ Value::Object(_)) => v.clone(),
            _ => {
                return Err(at.err(
                    &format!("{field}.Pattern"),
                    "is required: an event pattern as a JSON string",
                ));
            }
        };
        let pfield = format!("{field}.Pattern");
        if let Some(path) = find_operator(&json, &["wildcard"], "") {
            return Err(at.err(
                &pfield,
                format!("at `{path}`: subscriber filters do not support wildcard matching"),
            ));
        }
        if scope == Scope::Metadata {
            check_exact(&json, "", at, &pfield)?;
        }
        let pattern = Pattern::parse(&json).map_err(|e| at.err(&pfield, e.to_string()))?;
        filters.push(Filter { scope, pattern });
    }
    Ok(filters)
}

/// The path of the first object in a list that uses one of `ops`.
fn find_operator(v: &Value, ops: &[&str], path: &str) -> Option<String> {
    match v {
        Value::Object(o) => o.iter().find_map(|(k, v)| {
            let p = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            find_operator(v, ops, &p)
        }),
        Value::Array(a) => a.iter().find_map(|item| match item {
            Value::Object(o) if o.keys().any(|k| ops.contains(&k.as_str())) => {
                Some(path.to_owned())
            }
            Value::Object(o) => o.values().find_map(|v| find_operator(v, ops, path)),
            _ => None,
        }),
        _ => None,
    }
}

/// `METADATA` filters match exact values only: every leaf a list of plain values.
fn check_exact(v: &Value, path: &str, at: &At, field: &str) -> Result<(), EventsV2Error> {
    let Value::Object(o) = v else { return Ok(()) };
    for (k, v) in o {
        let p = if path.is_empty() {
            k.clone()
        } else {
            format!("{path}.{k}")
        };
        if k == "$or" {
            return Err(at.err(
                field,
                "METADATA filters match exact values only: `$or` is not supported (filter on DATA or SYSTEM_METADATA)",
            ));
        }
        match v {
            Value::Array(items) => {
                if let Some(op) = items.iter().find_map(|i| i.as_object()) {
                    let name = op.keys().next().cloned().unwrap_or_default();
                    return Err(at.err(
                        field,
                        format!(
                            "at `{p}`: METADATA filters match exact values only, so `{name}` is not supported (filter on DATA or SYSTEM_METADATA to use it)"
                        ),
                    ));
                }
            }
            Value::Object(_) => check_exact(v, &p, at, field)?,
            _ => {}
        }
    }
    Ok(())
}

type Transform = (TransformerType, Option<(Expression, String)>);

fn parse_transformer(
    t: Option<&Value>,
    target: &TargetKind,
    at: &At,
) -> Result<Transform, EventsV2Error> {
    let Some(t) = t else {
        return Ok((TransformerType::Raw, None));
    };
    if let TargetKind::Universal { .. } = target {
        return Err(at.err(
            "Transformer",
            "is not applicable to a universal (aws-sdk) target: shape its request in UniversalTargetParameters.Input",
        ));
    }
    let kind = match t.get("Type").and_then(Value::as_str) {
        None | Some("RAW") => TransformerType::Raw,
        Some("WITH_METADATA") => TransformerType::WithMetadata,
        Some("JSONATA") => TransformerType::Jsonata,
        Some(o) => {
            return Err(at.err(
                "Transformer.Type",
                format!("`{o}`: use RAW, WITH_METADATA or JSONATA"),
            ));
        }
    };
    if kind != TransformerType::Raw && matches!(target, TargetKind::ClassicBus { .. }) {
        return Err(at.err(
            "Transformer.Type",
            "a subscriber whose target is a Custom Event Bus - Classic supports only RAW",
        ));
    }
    if kind != TransformerType::Jsonata {
        return Ok((kind, None));
    }
    const FIELD: &str = "Transformer.JsonataConfiguration.Expression";
    let Some(text) = t
        .pointer("/JsonataConfiguration/Expression")
        .and_then(Value::as_str)
    else {
        return Err(at.err(FIELD, "is required when Type is JSONATA"));
    };
    if text.chars().count() > 8192 {
        return Err(at.err(FIELD, "must be 1 to 8192 characters"));
    }
    let Some(inner) = template_expression(text) else {
        return Err(at.err(
            FIELD,
            "must be wrapped in {% %} delimiters, with nothing after the closing one",
        ));
    };
    let expr = Expression::parse(inner)
        .map_err(|e| at.err(FIELD, format!("the JSONata expression does not parse: {e}")))?;
    Ok((kind, Some((expr, inner.to_owned()))))
}

fn check_batch(b: Option<&Value>, at: &At) -> Result<(), EventsV2Error> {
    let Some(b) = b else { return Ok(()) };
    if let Some(v) = b.get("MaxBatchSize")
        && !v.as_u64().is_some_and(|n| (1..=500).contains(&n))
    {
        return Err(at.err(
            "BatchConfiguration.MaxBatchSize",
            format!("{v}: valid range is 1-500"),
        ));
    }
    if let Some(v) = b.get("MaxBatchWindowInSeconds")
        && v.as_u64().is_none_or(|n| n > 300)
    {
        return Err(at.err(
            "BatchConfiguration.MaxBatchWindowInSeconds",
            format!("{v}: valid range is 0-300"),
        ));
    }
    Ok(())
}

fn retry_policy(r: Option<&Value>, at: &At) -> Result<(u32, u32), EventsV2Error> {
    let Some(r) = r else { return Ok((5, 300)) };
    let attempts = match r.get("MaxRetryAttempts") {
        None => 5,
        Some(v) => match v.as_u64() {
            Some(n @ 0..=185) => n as u32,
            _ => {
                return Err(at.err(
                    "RetryPolicy.MaxRetryAttempts",
                    format!("{v}: valid range is 0-185"),
                ));
            }
        },
    };
    let age = match r.get("MaxEventAgeInSeconds") {
        None => 300,
        Some(v) => match v.as_u64() {
            Some(n @ 60..=86_400) => n as u32,
            _ => {
                return Err(at.err(
                    "RetryPolicy.MaxEventAgeInSeconds",
                    format!("{v}: valid range is 60-86400"),
                ));
            }
        },
    };
    if let Some(s) = r.get("RetryStrategy")
        && s != "ALL"
    {
        return Err(at.err(
            "RetryPolicy.RetryStrategy",
            format!("{s}: the only strategy is ALL"),
        ));
    }
    Ok((attempts, age))
}

/// From when (and until when) a subscriber reads: `LATEST`, or `POINT_IN_TIME` inside the bus's
/// retention window at the subscriber's creation.
fn starting_position(
    s: &Value,
    bus: &Bus,
    created: Millis,
    at: &At,
) -> Result<(Millis, Option<Millis>, bool), EventsV2Error> {
    const PIT: &str = "PointInTimeConfiguration";
    match s.get("StartingPosition").and_then(Value::as_str) {
        None | Some("LATEST") => {
            if s.get(PIT).is_some() {
                return Err(at.err(PIT, "applies only when StartingPosition is POINT_IN_TIME"));
            }
            Ok((created, None, false))
        }
        Some("POINT_IN_TIME") => {
            let Some(pit) = s.get(PIT) else {
                return Err(at.err(
                    &format!("{PIT}.PointType"),
                    "is required when StartingPosition is POINT_IN_TIME",
                ));
            };
            let window = (created - i64::from(bus.retention_days) * 86_400_000).max(bus.created);
            let until =
                match pit.get("EndPoint") {
                    None => None,
                    Some(v) => Some(time_of(v, 0).ok_or_else(|| {
                        at.err(&format!("{PIT}.EndPoint"), "expected a timestamp")
                    })?),
                };
            let from = match pit.get("PointType").and_then(Value::as_str) {
                Some("HORIZON") => window,
                Some("TIMESTAMP") => {
                    let field = format!("{PIT}.StartingPoint");
                    let Some(v) = pit.get("StartingPoint") else {
                        return Err(at.err(&field, "is required when PointType is TIMESTAMP"));
                    };
                    let t = time_of(v, 0).ok_or_else(|| at.err(&field, "expected a timestamp"))?;
                    if t < window {
                        return Err(at.err(
                            &field,
                            format!(
                                "{} is before the bus's RetentionWindowStartTime {} (the later of its creation and {} days before now)",
                                time::format_millis(t),
                                time::format_millis(window),
                                bus.retention_days
                            ),
                        ));
                    }
                    if t > created {
                        return Err(at.err(
                            &field,
                            format!("{} is in the future", time::format_millis(t)),
                        ));
                    }
                    t
                }
                Some(o) => {
                    return Err(at.err(
                        &format!("{PIT}.PointType"),
                        format!("`{o}`: use HORIZON or TIMESTAMP"),
                    ));
                }
                None => return Err(at.err(&format!("{PIT}.PointType"), "is required")),
            };
            Ok((from, until, true))
        }
        Some(o) => Err(at.err(
            "StartingPosition",
            format!("`{o}`: use LATEST or POINT_IN_TIME"),
        )),
    }
}
