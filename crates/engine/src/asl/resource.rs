//! A Task's `Resource`: which kind of call it is (Lambda, activity, service integration and its
//! pattern), read once when the definition is.

/// How a resource is called, which decides the event names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ResourceKind {
    /// `arn:aws:lambda:…:function:…`.
    Lambda,
    /// `arn:aws:states:…:activity:…`.
    Activity,
    /// `arn:aws:states:::service:action[.pattern]`: (resourceType, resource, waits for completion).
    Service {
        resource_type: String,
        resource: String,
        waits: bool,
    },
}

/// Classifies a `Resource` ARN.
pub(crate) fn classify(resource: &str) -> ResourceKind {
    // The seven parts of an ARN, without allocating (fewer parts: none of the forms below).
    let mut parts = [""; 7];
    let mut count = 0;
    for (slot, part) in parts.iter_mut().zip(resource.splitn(7, ':')) {
        *slot = part;
        count += 1;
    }
    let parts: &[&str] = if count == 7 { &parts } else { &[] };
    match parts {
        [_, _, "lambda", _, _, "function", _] => ResourceKind::Lambda,
        [_, _, "states", _, _, "activity", _] => ResourceKind::Activity,
        [_, _, "states", "", "", service, action] => {
            let (resource_type, resource) = match action.split_once(':') {
                Some((svc, act)) if *service == "aws-sdk" => {
                    (format!("aws-sdk:{svc}"), act.to_owned())
                }
                _ => ((*service).to_owned(), (*action).to_owned()),
            };
            let waits = resource.contains(".sync") || resource.ends_with(".waitForTaskToken");
            ResourceKind::Service {
                resource_type,
                resource,
                waits,
            }
        }
        _ => ResourceKind::Service {
            resource_type: "unknown".into(),
            resource: resource.to_owned(),
            waits: false,
        },
    }
}

/// Why CreateStateMachine would refuse a Task's `Resource`: (AWS's diagnostic code, message).
///
/// The checks are the ones the recordings and the guide pin down: an ARN's shape, a Lambda
/// function or activity ARN, or an integration `arn:<partition>:states:::<service>:<action>` of a
/// known service with a pattern it supports (`.sync`, `.sync:2`, `.waitForTaskToken`). The
/// region and account of a function or activity ARN are not checked: AWS ran TestState on
/// `arn:aws:lambda:your-region:your-account-id:function:…` (corpus `test_state/test_map_state_*`).
pub(crate) fn problem(resource: &str) -> Option<(&'static str, String)> {
    let parts: Vec<&str> = resource.splitn(6, ':').collect();
    let (partition, service, region, account, rest) = match parts.as_slice() {
        ["arn", p, s, r, a, rest] if !p.is_empty() && !s.is_empty() => (*p, *s, *r, *a, *rest),
        _ => {
            let hint = if resource.contains("${") || resource.starts_with('$') {
                " (it looks like a template substitution that was never filled in)"
            } else {
                ""
            };
            return Some((
                "SCHEMA_VALIDATION_FAILED",
                format!(
                    "Value is not a valid resource ARN: `{resource}`{hint}. A Task's Resource is a Lambda function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME), an activity ARN, or an integration such as arn:aws:states:::lambda:invoke"
                ),
            ));
        }
    };
    let invalid = |why: String| {
        Some((
            "INVALID_RESOURCE",
            format!(
                "The resource provided {resource} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region: {why}{}",
                placeholder_note(region, account)
            ),
        ))
    };
    if !partition.starts_with("aws") {
        return invalid(format!(
            "`{partition}` is not an AWS partition (aws, aws-cn, aws-us-gov)"
        ));
    }
    match service {
        "lambda" => match rest.split_once(':') {
            Some(("function", name)) if !name.is_empty() && !region.is_empty() && !account.is_empty() => None,
            _ => invalid(
                "a Lambda function's ARN is arn:aws:lambda:REGION:ACCOUNT:function:NAME".into(),
            ),
        },
        "states" if region.is_empty() && account.is_empty() => integration(rest).err().and_then(invalid),
        "states" => match rest.split_once(':') {
            Some(("activity", name)) if !name.is_empty() => None,
            Some(("stateMachine", _)) => invalid(
                "a Task cannot name a state machine as its Resource: start it with arn:aws:states:::states:startExecution (add .sync to wait for it) and put its ARN in `StateMachineArn` of Parameters or Arguments".into(),
            ),
            _ => invalid("an activity's ARN is arn:aws:states:REGION:ACCOUNT:activity:NAME".into()),
        },
        other => {
            let how = match other {
                "sns" => " (publish to a topic with arn:aws:states:::sns:publish and `TopicArn` in Parameters or Arguments)",
                "sqs" => " (send to a queue with arn:aws:states:::sqs:sendMessage and `QueueUrl`)",
                "events" => " (put events with arn:aws:states:::events:putEvents)",
                "dynamodb" => " (use arn:aws:states:::dynamodb:putItem, getItem, updateItem or deleteItem with `TableName`)",
                _ => "",
            };
            invalid(format!(
                "an ARN of `{other}` cannot be a Task's Resource{how}; a Task calls a Lambda function, an activity, or an integration arn:aws:states:::SERVICE:ACTION"
            ))
        }
    }
}

/// A word about placeholders left in an ARN copied from an article (`ACCOUNT_ID`, `REGION`).
fn placeholder_note(region: &str, account: &str) -> String {
    let account_ok =
        account.is_empty() || (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()));
    if account_ok {
        String::new()
    } else {
        format!(
            ". Its account `{account}` is a placeholder from an article, not a 12-digit account id{}: put your own account id (and region) in the ARN",
            if region.chars().any(|c| c.is_ascii_uppercase()) {
                " (and so is the region)"
            } else {
                ""
            }
        )
    }
}

/// The optimised integrations (service → actions, when the service's action list is short
/// and stable; `None`: any action) and the patterns each supports.
const INTEGRATIONS: &[(&str, Option<&[&str]>, Patterns)] = &[
    ("lambda", Some(&["invoke"]), Patterns::TOKEN),
    (
        "dynamodb",
        Some(&["getItem", "putItem", "updateItem", "deleteItem"]),
        Patterns::NONE,
    ),
    ("sns", Some(&["publish"]), Patterns::TOKEN),
    ("sqs", Some(&["sendMessage"]), Patterns::TOKEN),
    ("events", Some(&["putEvents"]), Patterns::TOKEN),
    ("states", Some(&["startExecution"]), Patterns::ALL),
    ("apigateway", Some(&["invoke"]), Patterns::TOKEN),
    ("http", Some(&["invoke"]), Patterns::NONE),
    ("batch", Some(&["submitJob"]), Patterns::SYNC_TOKEN),
    ("ecs", Some(&["runTask"]), Patterns::SYNC_TOKEN),
    (
        "glue",
        Some(&["startJobRun", "startCrawler", "getCrawler"]),
        Patterns::SYNC_TOKEN,
    ),
    ("databrew", Some(&["startJobRun"]), Patterns::SYNC_TOKEN),
    ("mediaconvert", Some(&["createJob"]), Patterns::SYNC_TOKEN),
    ("sagemaker", None, Patterns::SYNC_TOKEN),
    ("elasticmapreduce", None, Patterns::SYNC_TOKEN),
    ("emr-containers", None, Patterns::SYNC_TOKEN),
    ("emr-serverless", None, Patterns::SYNC_TOKEN),
    ("codebuild", None, Patterns::SYNC_TOKEN),
    ("athena", None, Patterns::SYNC_TOKEN),
    ("eks", None, Patterns::SYNC_TOKEN),
    ("bedrock", None, Patterns::SYNC_TOKEN),
    ("glue-databrew", None, Patterns::SYNC_TOKEN),
    ("cloudformation", None, Patterns::SYNC_TOKEN),
];

/// Which integration patterns an integration supports besides request-response.
#[derive(Clone, Copy)]
struct Patterns {
    sync: bool,
    sync2: bool,
    token: bool,
}

impl Patterns {
    const NONE: Patterns = Patterns {
        sync: false,
        sync2: false,
        token: false,
    };
    const TOKEN: Patterns = Patterns {
        sync: false,
        sync2: false,
        token: true,
    };
    const SYNC_TOKEN: Patterns = Patterns {
        sync: true,
        sync2: false,
        token: true,
    };
    const ALL: Patterns = Patterns {
        sync: true,
        sync2: true,
        token: true,
    };
}

/// Checks `service:action[.pattern]` of an integration ARN; `Err` says what is wrong.
fn integration(rest: &str) -> Result<(), String> {
    let (service, call) = rest.split_once(':').ok_or_else(|| {
        "an integration is arn:aws:states:::SERVICE:ACTION, e.g. arn:aws:states:::lambda:invoke"
            .to_owned()
    })?;
    let (action, pattern) = match call.split_once('.') {
        Some((a, p)) => (a, Some(p)),
        None => (call, None),
    };
    if service == "aws-sdk" {
        // arn:aws:states:::aws-sdk:SERVICE:ACTION: any service's API; no .sync.
        let ok = matches!(action.split_once(':'), Some((s, a)) if !s.is_empty() && !a.is_empty());
        if !ok {
            return Err("an AWS SDK integration is arn:aws:states:::aws-sdk:SERVICE:ACTION, e.g. arn:aws:states:::aws-sdk:s3:getObject".into());
        }
        return match pattern {
            None | Some("waitForTaskToken") => Ok(()),
            Some(p) => Err(format!(
                "AWS SDK integrations support request-response and .waitForTaskToken, not .{p}"
            )),
        };
    }
    let Some((_, actions, patterns)) = INTEGRATIONS.iter().find(|(s, _, _)| *s == service) else {
        return Err(format!(
            "`{service}` is not a service Step Functions integrates with (an optimised integration such as lambda, sns, sqs, dynamodb, events, states, or aws-sdk:SERVICE for any other)"
        ));
    };
    if action.is_empty() {
        return Err(format!(
            "`{service}` needs an action, e.g. arn:aws:states:::{service}:ACTION"
        ));
    }
    if let Some(list) = actions
        && !list.contains(&action)
    {
        return Err(format!(
            "`{action}` is not an action of the {service} integration (one of {})",
            list.join(", ")
        ));
    }
    let supported = match pattern {
        None => true,
        Some("sync") => patterns.sync,
        Some("sync:2") => patterns.sync2,
        Some("waitForTaskToken") => patterns.token,
        Some(_) => false,
    };
    match pattern {
        Some(p) if !supported => Err(format!(
            "the {service}:{action} integration does not support the .{p} pattern (it supports request-response{}{}{})",
            if patterns.sync { ", .sync" } else { "" },
            if patterns.sync2 { ", .sync:2" } else { "" },
            if patterns.token {
                ", .waitForTaskToken"
            } else {
                ""
            },
        )),
        _ => Ok(()),
    }
}
