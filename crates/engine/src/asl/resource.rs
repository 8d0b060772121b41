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
