//! SAM and CloudFormation templates in and out of a workspace.
//!
//! Read: `AWS::Events::Rule` (EventPattern, ScheduleExpression, EventBusName, Targets with
//! Input/InputPath/InputTransformer), `AWS::StepFunctions::StateMachine` (`Definition`, or
//! `DefinitionString` as text, `Fn::Sub` or `Fn::Join`; `DefinitionSubstitutions`),
//! `AWS::Serverless::StateMachine` (inline `Definition`; its `Events` of type EventBridgeRule,
//! CloudWatchEvent and Schedule become rules) and `AWS::Events::EventBus`. Intrinsic functions
//! are resolved to readable placeholders (account `123456789012`, region `us-east-1`, ARNs made
//! from logical ids); whatever cannot be resolved is said in [`ImportedTemplate::notes`] with its
//! line:column.
//!
//! Written: the workspace's machines, buses and rules as a template (JSON or YAML), with the two
//! IAM roles AWS requires as parameters.
//!
//! ```
//! use statebridge_engine::artifacts::template::import;
//! let t = import("Resources:\n  M:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Definition: {StartAt: A, States: {A: {Type: Succeed}}}\n      Events:\n        Orders:\n          Type: EventBridgeRule\n          Properties:\n            Pattern: {source: [shop]}\n").unwrap();
//! assert_eq!(t.rules[0]["Targets"][0]["StateMachine"], "M");
//! assert_eq!(t.rules[0]["Targets"][0]["Arn"], "arn:aws:states:us-east-1:123456789012:stateMachine:M");
//! ```

use super::{ArtifactError, yaml};
use crate::source;
use crate::workspace::Workspace;
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// Where a JSON pointer sits, in words (`line 3, column 5`), or empty.
type Place = Box<dyn Fn(&str) -> String>;

const ACCOUNT: &str = "123456789012";
const REGION: &str = "us-east-1";

/// What a template holds, as the workspace's parts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportedTemplate {
    /// Rules as the rules document holds them (`Name`, `EventPattern`, `EventBusName`,
    /// `ScheduleExpression`, `Targets`; a target starting a machine of the template names it in
    /// `StateMachine`).
    pub rules: Vec<Value>,
    /// State machine definitions by name.
    pub machines: Map<String, Value>,
    /// Custom event buses declared.
    pub buses: Vec<String>,
    /// What could not be resolved or was left out, each with where.
    pub notes: Vec<String>,
}

impl ImportedTemplate {
    /// The workspace these parts make, keeping `base`'s event and mocks (a sample event when none).
    pub fn to_workspace(&self, base: Option<&Workspace>) -> Result<Workspace, ArtifactError> {
        let event = base.map_or_else(
            || json!({"version": "0", "id": "00000000-0000-0000-0000-000000000000", "detail-type": "Sample", "source": "sample", "account": ACCOUNT, "time": "2026-01-01T00:00:00Z", "region": REGION, "resources": [], "detail": {}}),
            |b| b.event.clone(),
        );
        let mocks = base
            .map(|b| Value::Object(b.mocks.clone()))
            .unwrap_or(json!({}));
        let v = json!({
            "name": "template", "title": "Imported template",
            "description": "Rules and state machines read from a SAM or CloudFormation template.",
            "event": event, "rules": {"Rules": self.rules}, "machines": self.machines, "mocks": mocks,
        });
        Workspace::from_value(&v).map_err(|e| {
            ArtifactError::new(
                1,
                1,
                "",
                format!("the template's parts do not make a workspace: {e}"),
            )
        })
    }
}

/// Reads a template, JSON or YAML (told apart by the first character).
pub fn import(text: &str) -> Result<ImportedTemplate, ArtifactError> {
    let (root, pos): (Value, Place) = if text.trim_start().starts_with('{') {
        let (v, map) =
            source::parse(text).map_err(|e| ArtifactError::new(e.line, e.column, "", e.message))?;
        (
            v,
            Box::new(move |p: &str| {
                map.value_span(p).map_or_else(String::new, |s| {
                    format!("line {}, column {}", s.line, s.column)
                })
            }),
        )
    } else {
        let (v, pos) = yaml::parse(text)?;
        (
            v,
            Box::new(move |p: &str| {
                pos.get(p)
                    .map_or_else(String::new, |(l, c)| format!("line {l}, column {c}"))
            }),
        )
    };
    let Some(resources) = root.get("Resources").and_then(Value::as_object) else {
        return Err(ArtifactError::new(
            1,
            1,
            "",
            "no `Resources` section: is this a SAM or CloudFormation template?",
        ));
    };
    let mut r = Resolver {
        root: &root,
        resources,
        notes: vec![],
        pos: &pos,
        depth: 0,
    };
    let mut out = ImportedTemplate::default();
    let machine_name = |id: &str, res: &Value| -> String {
        let props = &res["Properties"];
        props
            .get("StateMachineName")
            .or_else(|| props.get("Name"))
            .and_then(Value::as_str)
            .map_or_else(|| id.to_owned(), str::to_owned)
    };
    for (id, res) in resources {
        let ty = res.get("Type").and_then(Value::as_str).unwrap_or("");
        let at = format!("/Resources/{}", source::escape_segment(id));
        let props = res.get("Properties").cloned().unwrap_or(json!({}));
        match ty {
            "AWS::Events::EventBus" => {
                let name = r
                    .string(&props["Name"], &format!("{at}/Properties/Name"))
                    .unwrap_or_else(|| id.clone());
                out.buses.push(name);
            }
            "AWS::StepFunctions::StateMachine" | "AWS::Serverless::StateMachine" => {
                let name = machine_name(id, res);
                if let Some(def) = r.definition(&props, &at) {
                    out.machines.insert(name.clone(), def);
                }
                if ty == "AWS::Serverless::StateMachine"
                    && let Some(events) = props.get("Events").and_then(Value::as_object)
                {
                    {
                        for (ev_id, ev) in events {
                            let ev_at =
                                format!("{at}/Properties/Events/{}", source::escape_segment(ev_id));
                            if let Some(rule) = r.sam_event(id, &name, ev_id, ev, &ev_at) {
                                out.rules.push(rule);
                            }
                        }
                    }
                }
            }
            "AWS::Events::Rule" => {
                let mut rule = Map::new();
                let name = props
                    .get("Name")
                    .and_then(|n| r.string(n, &format!("{at}/Properties/Name")))
                    .unwrap_or_else(|| id.clone());
                rule.insert("Name".into(), name.into());
                for key in ["Description", "State", "ScheduleExpression"] {
                    if let Some(v) = props.get(key) {
                        rule.insert(key.into(), r.resolve(v, &format!("{at}/Properties/{key}")));
                    }
                }
                if let Some(p) = props.get("EventPattern") {
                    rule.insert(
                        "EventPattern".into(),
                        r.pattern(p, &format!("{at}/Properties/EventPattern")),
                    );
                }
                if let Some(b) = props.get("EventBusName") {
                    let bus = r.resolve(b, &format!("{at}/Properties/EventBusName"));
                    rule.insert("EventBusName".into(), bus);
                }
                let targets = props
                    .get("Targets")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                let mut ts = vec![];
                for (i, t) in targets.iter().enumerate() {
                    let t_at = format!("{at}/Properties/Targets/{i}");
                    ts.push(r.target(t, &t_at));
                }
                rule.insert("Targets".into(), Value::Array(ts));
                out.rules.push(Value::Object(rule));
            }
            _ => {}
        }
    }
    // A rule whose target is one of the template's machines names it for the workspace.
    let arns: HashMap<String, String> = resources
        .iter()
        .filter(|(_, res)| {
            matches!(
                res.get("Type").and_then(Value::as_str),
                Some("AWS::StepFunctions::StateMachine" | "AWS::Serverless::StateMachine")
            )
        })
        .map(|(id, res)| (machine_arn(&machine_name(id, res)), machine_name(id, res)))
        .collect();
    for rule in &mut out.rules {
        if let Some(ts) = rule.get_mut("Targets").and_then(Value::as_array_mut) {
            for t in ts {
                let name = t
                    .get("Arn")
                    .and_then(Value::as_str)
                    .and_then(|a| arns.get(a))
                    .cloned();
                if let (Some(name), Some(o)) = (name, t.as_object_mut()) {
                    o.insert("StateMachine".into(), name.into());
                }
            }
        }
    }
    out.notes = r.notes;
    Ok(out)
}

fn machine_arn(name: &str) -> String {
    format!("arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{name}")
}

struct Resolver<'a> {
    root: &'a Value,
    resources: &'a Map<String, Value>,
    notes: Vec<String>,
    pos: &'a dyn Fn(&str) -> String,
    /// How deep references are being followed (a cycle of names stops here).
    depth: usize,
}

impl Resolver<'_> {
    fn note(&mut self, at: &str, message: String) {
        let path = source::pointer_to_path(at);
        // The nearest enclosing value that has a place (a short-form tag's argument has none).
        let mut p = at;
        let mut place = (self.pos)(p);
        while place.is_empty() {
            let Some(cut) = p.rfind('/') else { break };
            p = &p[..cut];
            place = (self.pos)(p);
        }
        self.notes.push(if place.is_empty() {
            format!("{path}: {message}")
        } else {
            format!("{place} ({path}): {message}")
        });
    }

    fn string(&mut self, v: &Value, at: &str) -> Option<String> {
        match self.resolve(v, at) {
            Value::String(s) => Some(s),
            Value::Null => None,
            other => Some(other.to_string()),
        }
    }

    /// What `Ref` gives for a resource, parameter or pseudo parameter.
    fn reference(&mut self, name: &str, at: &str) -> Value {
        match name {
            "AWS::Region" => return REGION.into(),
            "AWS::AccountId" => return ACCOUNT.into(),
            "AWS::Partition" => return "aws".into(),
            "AWS::StackName" => return "stack".into(),
            "AWS::URLSuffix" => return "amazonaws.com".into(),
            "AWS::StackId" => return format!("arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/stack/00000000-0000-0000-0000-000000000000").into(),
            "AWS::NoValue" => return Value::Null,
            _ => {}
        }
        if let Some(p) = self.root.get("Parameters").and_then(|p| p.get(name)) {
            if let Some(d) = p.get("Default") {
                return d.clone();
            }
            self.note(
                at,
                format!("parameter `{name}` has no Default: its value is a placeholder"),
            );
            return format!("<{name}>").into();
        }
        let Some(res) = self.resources.get(name) else {
            self.note(
                at,
                format!("`{name}` is not a parameter or resource of this template"),
            );
            return format!("<{name}>").into();
        };
        let ty = res.get("Type").and_then(Value::as_str).unwrap_or("");
        let named = |r: &mut Self, k: &str| r.property_name(name, k, at);
        match ty {
            "AWS::StepFunctions::StateMachine" => {
                machine_arn(&named(self, "StateMachineName")).into()
            }
            "AWS::Serverless::StateMachine" => machine_arn(&named(self, "Name")).into(),
            "AWS::Events::EventBus" => named(self, "Name").into(),
            "AWS::Events::Rule" => named(self, "Name").into(),
            "AWS::SQS::Queue" => format!(
                "https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{}",
                named(self, "QueueName")
            )
            .into(),
            "AWS::SNS::Topic" => format!(
                "arn:aws:sns:{REGION}:{ACCOUNT}:{}",
                named(self, "TopicName")
            )
            .into(),
            "AWS::Lambda::Function" | "AWS::Serverless::Function" => {
                named(self, "FunctionName").into()
            }
            _ => name.into(),
        }
    }

    /// A resource's name property, resolved (`Name: !Sub orders-${Stage}`), else its logical id.
    fn property_name(&mut self, id: &str, key: &str, at: &str) -> String {
        let Some(v) = self
            .resources
            .get(id)
            .and_then(|r| r.get("Properties"))
            .and_then(|p| p.get(key))
        else {
            return id.to_owned();
        };
        if self.depth > 16 {
            self.note(at, format!("`{id}` refers to itself through its `{key}`"));
            return id.to_owned();
        }
        self.depth += 1;
        let prop_at = format!("/Resources/{}/Properties/{key}", source::escape_segment(id));
        let s = self.string(v, &prop_at);
        self.depth -= 1;
        s.unwrap_or_else(|| id.to_owned())
    }

    /// What `Fn::GetAtt` gives: ARNs made from the logical id.
    fn attribute(&mut self, name: &str, attr: &str, at: &str) -> Value {
        let Some(res) = self.resources.get(name) else {
            self.note(at, format!("`{name}` is not a resource of this template"));
            return format!("<{name}.{attr}>").into();
        };
        let ty = res.get("Type").and_then(Value::as_str).unwrap_or("");
        let named = |r: &mut Self, k: &str| r.property_name(name, k, at);
        match (ty, attr) {
            ("AWS::StepFunctions::StateMachine" | "AWS::Serverless::StateMachine", "Arn") => {
                self.reference(name, at)
            }
            ("AWS::StepFunctions::StateMachine" | "AWS::Serverless::StateMachine", "Name") => {
                named(self, "StateMachineName").into()
            }
            ("AWS::Events::EventBus", "Arn") => format!(
                "arn:aws:events:{REGION}:{ACCOUNT}:event-bus/{}",
                named(self, "Name")
            )
            .into(),
            ("AWS::Events::EventBus", "Name") => named(self, "Name").into(),
            ("AWS::Lambda::Function" | "AWS::Serverless::Function", "Arn") => format!(
                "arn:aws:lambda:{REGION}:{ACCOUNT}:function:{}",
                named(self, "FunctionName")
            )
            .into(),
            ("AWS::SQS::Queue", "Arn") => format!(
                "arn:aws:sqs:{REGION}:{ACCOUNT}:{}",
                named(self, "QueueName")
            )
            .into(),
            ("AWS::SQS::Queue", "QueueName") => named(self, "QueueName").into(),
            ("AWS::SNS::Topic", "TopicArn") => format!(
                "arn:aws:sns:{REGION}:{ACCOUNT}:{}",
                named(self, "TopicName")
            )
            .into(),
            ("AWS::IAM::Role", "Arn") => format!("arn:aws:iam::{ACCOUNT}:role/{name}").into(),
            ("AWS::DynamoDB::Table", "Arn") => format!(
                "arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{}",
                named(self, "TableName")
            )
            .into(),
            ("AWS::S3::Bucket", "Arn") => {
                format!("arn:aws:s3:::{}", named(self, "BucketName")).into()
            }
            _ => {
                let service = ty
                    .split("::")
                    .nth(1)
                    .unwrap_or("unknown")
                    .to_ascii_lowercase();
                self.note(
                    at,
                    format!("`{name}.{attr}` ({ty}) is shown as a placeholder ARN"),
                );
                format!("arn:aws:{service}:{REGION}:{ACCOUNT}:{name}/{attr}").into()
            }
        }
    }

    /// Resolves intrinsic functions in `v` (placeholders where the value is only known on AWS).
    fn resolve(&mut self, v: &Value, at: &str) -> Value {
        match v {
            Value::Object(m) if m.len() == 1 => {
                let (k, arg) = m
                    .iter()
                    .next()
                    .map(|(k, a)| (k.as_str(), a))
                    .unwrap_or(("", &Value::Null));
                let arg_at = format!("{at}/{}", source::escape_segment(k));
                match k {
                    "Ref" => match arg.as_str() {
                        Some(name) => self.reference(name, &arg_at),
                        None => v.clone(),
                    },
                    "Fn::GetAtt" => {
                        let parts: Option<(String, String)> = match arg {
                            Value::String(s) => {
                                s.split_once('.').map(|(a, b)| (a.to_owned(), b.to_owned()))
                            }
                            Value::Array(l) if l.len() == 2 => Some((
                                l[0].as_str().unwrap_or("").to_owned(),
                                self.string(&l[1], &arg_at).unwrap_or_default(),
                            )),
                            _ => None,
                        };
                        match parts {
                            Some((a, b)) => self.attribute(&a, &b, &arg_at),
                            None => v.clone(),
                        }
                    }
                    "Fn::Sub" => {
                        let (text, vars) = match arg {
                            Value::String(s) => (s.clone(), Map::new()),
                            Value::Array(l) if !l.is_empty() => (
                                l[0].as_str().unwrap_or("").to_owned(),
                                l.get(1)
                                    .and_then(Value::as_object)
                                    .cloned()
                                    .unwrap_or_default(),
                            ),
                            _ => return v.clone(),
                        };
                        self.sub(&text, &vars, &arg_at, &HashMap::new()).into()
                    }
                    "Fn::Join" => match arg.as_array().map(Vec::as_slice) {
                        Some([sep, Value::Array(items)]) => {
                            let sep = sep.as_str().unwrap_or("").to_owned();
                            let parts: Vec<String> = items
                                .iter()
                                .enumerate()
                                .map(|(i, x)| {
                                    self.string(x, &format!("{arg_at}/1/{i}"))
                                        .unwrap_or_default()
                                })
                                .collect();
                            parts.join(&sep).into()
                        }
                        _ => v.clone(),
                    },
                    "Fn::Select" => match arg.as_array().map(Vec::as_slice) {
                        Some([i, list]) => {
                            let i = self.resolve(i, &arg_at);
                            let i = i
                                .as_u64()
                                .or_else(|| i.as_str().and_then(|s| s.parse().ok()))
                                .unwrap_or(0) as usize;
                            match self.resolve(list, &arg_at) {
                                Value::Array(l) => l.get(i).cloned().unwrap_or(Value::Null),
                                other => other,
                            }
                        }
                        _ => v.clone(),
                    },
                    "Fn::If" => match arg.as_array().map(Vec::as_slice) {
                        Some([c, yes, _]) => {
                            self.note(
                                &arg_at,
                                format!(
                                    "condition `{}` is not evaluated: its first value is used",
                                    c.as_str().unwrap_or("?")
                                ),
                            );
                            self.resolve(yes, &format!("{arg_at}/1"))
                        }
                        _ => v.clone(),
                    },
                    "Fn::ToJsonString" => Value::String(self.resolve(arg, &arg_at).to_string()),
                    k if k.starts_with("Fn::") || k == "Fn::ImportValue" => {
                        self.note(
                            at,
                            format!("`{k}` is not resolved offline: a placeholder stands for it"),
                        );
                        format!("<{k}>").into()
                    }
                    _ => {
                        let mut out = Map::new();
                        out.insert(k.to_owned(), self.resolve(arg, &arg_at));
                        Value::Object(out)
                    }
                }
            }
            Value::Object(m) => {
                let mut out = Map::new();
                for (k, x) in m {
                    out.insert(
                        k.clone(),
                        self.resolve(x, &format!("{at}/{}", source::escape_segment(k))),
                    );
                }
                Value::Object(out)
            }
            Value::Array(l) => Value::Array(
                l.iter()
                    .enumerate()
                    .map(|(i, x)| self.resolve(x, &format!("{at}/{i}")))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    /// `Fn::Sub`'s text with `${Name}`, `${Res.Attr}` and `${!Literal}`; names in `later` (the
    /// machine's DefinitionSubstitutions) and unknown names are left for the caller.
    fn sub(
        &mut self,
        text: &str,
        vars: &Map<String, Value>,
        at: &str,
        later: &HashMap<String, String>,
    ) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(i) = rest.find("${") {
            out.push_str(&rest[..i]);
            let after = &rest[i + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[i..]);
                return out;
            };
            let name = &after[..end];
            if let Some(lit) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(lit);
                out.push('}');
            } else if let Some(v) = vars.get(name) {
                let s = self.string(v, at).unwrap_or_default();
                out.push_str(&s);
            } else if let Some(s) = later.get(name) {
                out.push_str(s);
            } else if name.starts_with("AWS::")
                || self.resources.contains_key(name)
                || self
                    .root
                    .get("Parameters")
                    .and_then(|p| p.get(name))
                    .is_some()
            {
                let s = match self.reference(name, at) {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                out.push_str(&s);
            } else if let Some((res, attr)) = name
                .split_once('.')
                .filter(|(r, _)| self.resources.contains_key(*r))
            {
                let s = match self.attribute(res, attr, at) {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                out.push_str(&s);
            } else {
                self.note(at, format!("`${{{name}}}` is not a parameter, resource or substitution: left as written"));
                out.push_str(&rest[i..i + 3 + end]);
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        out
    }

    fn definition(&mut self, props: &Value, at: &str) -> Option<Value> {
        let subs: HashMap<String, String> = props
            .get("DefinitionSubstitutions")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| {
                let s = self
                    .string(
                        &v,
                        &format!(
                            "{at}/Properties/DefinitionSubstitutions/{}",
                            source::escape_segment(&k)
                        ),
                    )
                    .unwrap_or_default();
                (k, s)
            })
            .collect();
        if let Some(def) = props.get("Definition") {
            let def_at = format!("{at}/Properties/Definition");
            let resolved = self.resolve(def, &def_at);
            return Some(self.substitute(resolved, &subs, &def_at));
        }
        if let Some(ds) = props.get("DefinitionString") {
            let ds_at = format!("{at}/Properties/DefinitionString");
            let text = match ds {
                Value::Object(m) if m.len() == 1 && m.contains_key("Fn::Sub") => {
                    let (t, vars) = match &m["Fn::Sub"] {
                        Value::String(s) => (s.clone(), Map::new()),
                        Value::Array(l) if !l.is_empty() => (
                            l[0].as_str().unwrap_or("").to_owned(),
                            l.get(1)
                                .and_then(Value::as_object)
                                .cloned()
                                .unwrap_or_default(),
                        ),
                        _ => (String::new(), Map::new()),
                    };
                    self.sub(&t, &vars, &format!("{ds_at}/Fn::Sub"), &subs)
                }
                other => {
                    let t = self.string(other, &ds_at).unwrap_or_default();
                    self.sub(&t, &Map::new(), &ds_at, &subs)
                }
            };
            return match source::parse_value(&text) {
                Ok(v) => Some(v),
                Err(e) => {
                    self.note(&ds_at, format!("the definition text is not JSON once resolved ({e}); the machine is left out"));
                    None
                }
            };
        }
        if props.get("DefinitionUri").is_some() {
            self.note(&format!("{at}/Properties/DefinitionUri"), "`DefinitionUri` points to a file or S3 object, which is not read here: paste the definition inline (Definition) to bring the machine in".into());
        } else {
            self.note(
                at,
                "the state machine has no Definition or DefinitionString".into(),
            );
        }
        None
    }

    /// DefinitionSubstitutions inside an inline definition's strings.
    fn substitute(&mut self, v: Value, subs: &HashMap<String, String>, at: &str) -> Value {
        match v {
            Value::String(s) if s.contains("${") => {
                // A value that is only `${Name}` takes the substitution as text.
                Value::String(self.sub(&s, &Map::new(), at, subs))
            }
            Value::Object(m) => Value::Object(
                m.into_iter()
                    .map(|(k, x)| {
                        let x = self.substitute(x, subs, at);
                        (k, x)
                    })
                    .collect(),
            ),
            Value::Array(l) => Value::Array(
                l.into_iter()
                    .map(|x| self.substitute(x, subs, at))
                    .collect(),
            ),
            other => other,
        }
    }

    fn pattern(&mut self, p: &Value, at: &str) -> Value {
        match self.resolve(p, at) {
            Value::String(s) => match source::parse_value(&s) {
                Ok(v) => v,
                Err(e) => {
                    self.note(at, format!("the pattern text is not JSON ({e})"));
                    Value::String(s)
                }
            },
            other => other,
        }
    }

    fn target(&mut self, t: &Value, at: &str) -> Value {
        let mut out = Map::new();
        for key in [
            "Id",
            "Arn",
            "Input",
            "InputPath",
            "InputTransformer",
            "RoleArn",
            "RetryPolicy",
            "DeadLetterConfig",
        ] {
            if let Some(v) = t.get(key) {
                out.insert(key.into(), self.resolve(v, &format!("{at}/{key}")));
            }
        }
        Value::Object(out)
    }

    /// One of a SAM state machine's `Events` as a rule targeting it.
    fn sam_event(
        &mut self,
        id: &str,
        machine: &str,
        ev_id: &str,
        ev: &Value,
        at: &str,
    ) -> Option<Value> {
        let ty = ev.get("Type").and_then(Value::as_str).unwrap_or("");
        let props = ev.get("Properties").cloned().unwrap_or(json!({}));
        let mut rule = Map::new();
        let name = props
            .get("RuleName")
            .or_else(|| props.get("Name"))
            .and_then(|n| self.string(n, &format!("{at}/Properties/RuleName")))
            .unwrap_or_else(|| format!("{id}{ev_id}"));
        rule.insert("Name".into(), name.into());
        match ty {
            "EventBridgeRule" | "CloudWatchEvent" => {
                if let Some(p) = props.get("Pattern") {
                    rule.insert(
                        "EventPattern".into(),
                        self.pattern(p, &format!("{at}/Properties/Pattern")),
                    );
                }
                if let Some(b) = props.get("EventBusName") {
                    let bus = self.resolve(b, &format!("{at}/Properties/EventBusName"));
                    rule.insert("EventBusName".into(), bus);
                }
            }
            "Schedule" | "ScheduleV2" => {
                let s = props
                    .get("Schedule")
                    .or_else(|| props.get("ScheduleExpression"))
                    .map(|s| self.resolve(s, &format!("{at}/Properties/Schedule")));
                rule.insert("ScheduleExpression".into(), s.unwrap_or(Value::Null));
            }
            other => {
                self.note(
                    at,
                    format!(
                        "event source `{other}` is not an EventBridge rule or schedule: left out"
                    ),
                );
                return None;
            }
        }
        if props.get("Enabled") == Some(&Value::Bool(false))
            || props.get("State").and_then(Value::as_str) == Some("DISABLED")
        {
            rule.insert("State".into(), "DISABLED".into());
        }
        let mut target = Map::new();
        let tid = props
            .get("Target")
            .and_then(|t| t.get("Id"))
            .and_then(Value::as_str)
            .map_or_else(|| format!("{id}{ev_id}StepFunctionsTarget"), str::to_owned);
        target.insert("Id".into(), tid.into());
        target.insert("Arn".into(), machine_arn(machine).into());
        for key in [
            "Input",
            "InputPath",
            "InputTransformer",
            "RetryPolicy",
            "DeadLetterConfig",
        ] {
            if let Some(v) = props.get(key) {
                target.insert(
                    key.into(),
                    self.resolve(v, &format!("{at}/Properties/{key}")),
                );
            }
        }
        rule.insert("Targets".into(), json!([target]));
        Some(Value::Object(rule))
    }
}

/// A logical id from a name: letters and digits only, first letter upper case.
fn logical_id(name: &str, suffix: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(if upper { c.to_ascii_uppercase() } else { c });
            upper = false;
        } else {
            upper = true;
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'R');
    }
    out.push_str(suffix);
    out
}

/// The workspace as a CloudFormation template (a JSON value; [`to_yaml`] writes it as YAML).
pub fn export(ws: &Workspace) -> Value {
    let mut resources = Map::new();
    let mut machine_ids: HashMap<&str, String> = HashMap::new();
    for (name, def) in &ws.machines {
        let id = logical_id(name, "StateMachine");
        // A versioned machine entry (`{"Type", "Versions", …}`) exports its latest definition.
        let def = def
            .get("Definition")
            .or_else(|| def.get("latest"))
            .unwrap_or(def)
            .clone();
        resources.insert(id.clone(), json!({
            "Type": "AWS::StepFunctions::StateMachine",
            "Properties": {"StateMachineName": name, "Definition": def, "RoleArn": {"Ref": "StatesExecutionRoleArn"}},
        }));
        machine_ids.insert(name, id);
    }
    let mut buses: Vec<String> = vec![];
    for r in &ws.rules {
        if let Some(b) = r.extra.get("EventBusName").and_then(Value::as_str) {
            let b = crate::put_events::bus_name(b).unwrap_or(b).to_owned();
            if b != "default" && !buses.contains(&b) {
                buses.push(b);
            }
        }
    }
    for b in &buses {
        resources.insert(
            logical_id(b, "EventBus"),
            json!({"Type": "AWS::Events::EventBus", "Properties": {"Name": b}}),
        );
    }
    let mut uses_events_role = false;
    for r in &ws.rules {
        let mut props = Map::new();
        props.insert("Name".into(), r.name.clone().into());
        if let Some(d) = &r.description {
            props.insert("Description".into(), d.clone().into());
        }
        if !r.event_pattern.is_null() {
            props.insert("EventPattern".into(), r.event_pattern.clone());
        }
        for (k, v) in &r.extra {
            let v = if k == "EventBusName" {
                let b = v
                    .as_str()
                    .map(|b| crate::put_events::bus_name(b).unwrap_or(b))
                    .unwrap_or("default");
                if b == "default" {
                    v.clone()
                } else {
                    json!({"Ref": logical_id(b, "EventBus")})
                }
            } else {
                v.clone()
            };
            props.insert(k.clone(), v);
        }
        let targets: Vec<Value> = r
            .targets
            .iter()
            .map(|t| {
                let mut o = Map::new();
                o.insert("Id".into(), t.id.clone().into());
                match t.state_machine.as_deref().and_then(|m| machine_ids.get(m)) {
                    Some(id) => {
                        o.insert("Arn".into(), json!({"Ref": id}));
                        o.insert("RoleArn".into(), json!({"Ref": "EventsInvokeRoleArn"}));
                        uses_events_role = true;
                    }
                    None => {
                        o.insert("Arn".into(), t.arn.clone().into());
                    }
                }
                for (k, v) in &t.extra {
                    if k != "StateMachine" {
                        o.insert(k.clone(), v.clone());
                    }
                }
                Value::Object(o)
            })
            .collect();
        props.insert("Targets".into(), Value::Array(targets));
        resources.insert(
            logical_id(&r.name, "Rule"),
            json!({"Type": "AWS::Events::Rule", "Properties": props}),
        );
    }
    let mut params = Map::new();
    if !ws.machines.is_empty() {
        params.insert(
            "StatesExecutionRoleArn".into(),
            json!({"Type": "String", "Description": "The IAM role the state machines run as."}),
        );
    }
    if uses_events_role {
        params.insert("EventsInvokeRoleArn".into(), json!({"Type": "String", "Description": "The IAM role EventBridge starts executions with."}));
    }
    let mut t = Map::new();
    t.insert("AWSTemplateFormatVersion".into(), "2010-09-09".into());
    t.insert(
        "Description".into(),
        format!("{}: exported from statebridge", ws.title).into(),
    );
    if !params.is_empty() {
        t.insert("Parameters".into(), Value::Object(params));
    }
    t.insert("Resources".into(), Value::Object(resources));
    Value::Object(t)
}

/// A template value as YAML, intrinsic functions in their short form (`!Ref X`, `!GetAtt A.B`).
pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    write_block(v, 0, &mut out);
    out
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => {
            let plain = !s.is_empty()
                && !s.starts_with(|c: char| {
                    " -?:,[]{}#&*!|>'\"%@`~".contains(c) || c.is_ascii_digit()
                })
                && !s.ends_with([' ', ':'])
                && !s.contains(": ")
                && !s.contains(" #")
                && !s.contains('\n')
                // Control characters and YAML's other line breaks only survive quoted.
                && !s
                    .chars()
                    .any(|c| c.is_control() || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}'))
                // Whatever YAML would read as a number, a boolean or null (`.5`, `+1`, `.inf`).
                && yaml::plain(s) == Value::String(s.clone())
                && !matches!(
                    s.as_str(),
                    "true"
                        | "false"
                        | "True"
                        | "False"
                        | "TRUE"
                        | "FALSE"
                        | "null"
                        | "Null"
                        | "NULL"
                        | "~"
                        | "yes"
                        | "no"
                        | "on"
                        | "off"
                        | "y"
                        | "n"
                );
            if plain {
                s.clone()
            } else {
                Value::String(s.clone()).to_string()
            }
        }
        Value::Array(l) if l.is_empty() => "[]".into(),
        Value::Object(m) if m.is_empty() => "{}".into(),
        other => other.to_string(),
    }
}

/// The short form of an intrinsic function whose argument is a scalar, if `v` is one.
fn short_tag(v: &Value) -> Option<String> {
    let m = v.as_object().filter(|m| m.len() == 1)?;
    let (k, arg) = m.iter().next()?;
    match (k.as_str(), arg) {
        ("Ref", Value::String(s)) => Some(format!("!Ref {}", scalar(&s.clone().into()))),
        ("Fn::GetAtt", Value::Array(l)) if l.len() == 2 && l.iter().all(Value::is_string) => {
            Some(format!("!GetAtt {}.{}", l[0].as_str()?, l[1].as_str()?))
        }
        ("Fn::Sub", Value::String(s)) => Some(format!("!Sub {}", scalar(&s.clone().into()))),
        _ => None,
    }
}

fn is_leaf(v: &Value) -> bool {
    short_tag(v).is_some()
        || !matches!(v, Value::Array(l) if !l.is_empty())
            && !matches!(v, Value::Object(m) if !m.is_empty())
}

fn leaf(v: &Value) -> String {
    short_tag(v).unwrap_or_else(|| scalar(v))
}

fn write_block(v: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match v {
        Value::Object(m) if !m.is_empty() && short_tag(v).is_none() => {
            for (k, x) in m {
                out.push_str(&pad);
                out.push_str(&scalar(&Value::String(k.clone())));
                out.push(':');
                if is_leaf(x) {
                    out.push(' ');
                    out.push_str(&leaf(x));
                    out.push('\n');
                } else {
                    out.push('\n');
                    let inner = if x.is_array() { indent } else { indent + 2 };
                    write_block(x, inner, out);
                }
            }
        }
        Value::Array(l) if !l.is_empty() => {
            for x in l {
                out.push_str(&pad);
                out.push_str("- ");
                if is_leaf(x) {
                    out.push_str(&leaf(x));
                    out.push('\n');
                } else {
                    let mut sub = String::new();
                    write_block(x, indent + 2, &mut sub);
                    out.push_str(sub.get(indent + 2..).unwrap_or(""));
                }
            }
        }
        other => {
            out.push_str(&pad);
            out.push_str(&leaf(other));
            out.push('\n');
        }
    }
}
