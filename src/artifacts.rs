//! What people bring from AWS, for the "From AWS" pane: a pasted `get-execution-history` made
//! into a run the graph, scrubber and inspector replay; a SAM/CloudFormation template made into
//! the workspace's rules and machines, and the workspace written back as one; many sample events
//! against the workspace's rules. The engine's `artifacts` module reads them all; this only turns
//! its answers into the app's views.

use crate::evaluate::{Pane, inspect_machine, pretty};
use crate::execution::{Outcome, RunView};
use crate::highlight::Mark;
use crate::replay::{Replay, timestamp_millis};
use crate::workspace::{MachineText, Text, Workspace};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use statebridge_engine::artifacts::{ArtifactError, history, matrix, template};
use statebridge_engine::layout::Layout;
use std::rc::Rc;

/// The mark an artifact's problem puts in its editor.
pub fn mark(e: &ArtifactError) -> Mark {
    Mark {
        line: e.line,
        column: e.column,
        message: e.to_string(),
        fix: None,
    }
}

/// A pasted history, ready to replay on the graph.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryRun {
    /// The run the graph, playback, history and inspector show.
    pub run: Rc<RunView>,
    /// The drawing of the machine it ran (none when no definition could be drawn).
    pub layout: Option<Rc<Layout>>,
    /// Where the definition came from, in words.
    pub definition_from: String,
    /// What the reader should know: the engine's warnings, and states the drawing lacks.
    pub warnings: Vec<String>,
}

/// Reads a pasted history; the machine is the one pasted beside it (describe-state-machine),
/// else the workspace's machine in the editor.
pub fn history_run(text: &str, ws: &Workspace) -> Result<HistoryRun, ArtifactError> {
    let h = history::import(text)?;
    let mut events = h.events.clone();
    for (e, ms) in events.iter_mut().zip(&h.millis) {
        // A timestamp the replay cannot read (seconds written as text) becomes milliseconds.
        if e.get("timestamp").and_then(timestamp_millis).is_none() {
            e["timestamp"] = json!(ms);
        }
    }
    let (definition, definition_from) = match &h.definition {
        Some(d) => (
            pretty(d),
            "the definition pasted with the history".to_owned(),
        ),
        None => (
            ws.machine().to_owned(),
            format!(
                "the workspace's machine “{}” (no definition was pasted)",
                ws.machine_name()
            ),
        ),
    };
    let layout = inspect_machine(&definition).layout;
    let mut warnings = h.warnings.clone();
    let replay = Replay::new(&events);
    if let Some(l) = &layout {
        let mut missing: Vec<&str> = replay
            .steps
            .iter()
            .filter_map(|s| s.state.as_deref())
            .filter(|name| !l.nodes.iter().any(|n| n.state == *name))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        if !missing.is_empty() {
            warnings.push(format!(
                "{} state(s) of the history are not in {definition_from}: {}. Paste `aws stepfunctions describe-state-machine` output too.",
                missing.len(),
                missing.join(", ")
            ));
        }
    } else {
        warnings.push(format!(
            "{definition_from} cannot be drawn: the history is listed, the graph shows nothing."
        ));
    }
    let last = events.last();
    let detail = |key: &str, field: &str| {
        last.and_then(|e| e.get(key)?.get(field)?.as_str().map(str::to_owned))
    };
    let output = detail("executionSucceededEventDetails", "output")
        .map(|t| serde_json::from_str::<Value>(&t).map_or(t, |v| pretty(&v)));
    let failed = [
        "executionFailedEventDetails",
        "executionTimedOutEventDetails",
        "executionAbortedEventDetails",
    ]
    .into_iter()
    .find(|k| last.is_some_and(|e| e.get(*k).is_some()));
    let (error, cause) = (
        failed.and_then(|k| detail(k, "error")),
        failed.and_then(|k| detail(k, "cause")),
    );
    let input = h
        .input()
        .map(|t| serde_json::from_str::<Value>(&t).map_or(t, |v| pretty(&v)))
        .unwrap_or_default();
    let run = RunView {
        input_from: format!(
            "the pasted history ({} events, {} page{})",
            events.len(),
            h.pages,
            if h.pages == 1 { "" } else { "s" }
        ),
        input,
        replay,
        history: events,
        outcome: Pane::Ready(Outcome {
            status: h.status(),
            output,
            error,
            cause,
        }),
        diags: vec![],
        runs: vec![],
        made_from: None,
        paused: None,
        redrive_count: 0,
        redrivable: Err(
            "This execution ran on AWS: redrive it there (aws stepfunctions redrive-execution)."
                .into(),
        ),
        logs: None,
        written: vec![],
    };
    Ok(HistoryRun {
        run: Rc::new(run),
        layout,
        definition_from,
        warnings,
    })
}

/// A template read into the workspace: its rules and machines replace the workspace's, the
/// event, mocks and S3 objects stay.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The new workspace.
    pub ws: Workspace,
    /// The rules' names.
    pub rules: Vec<String>,
    /// The machines' names.
    pub machines: Vec<String>,
    /// Custom buses declared.
    pub buses: Vec<String>,
    /// What could not be resolved or was left out, with where.
    pub notes: Vec<String>,
}

/// Reads a template (JSON or YAML) into a copy of `ws`.
pub fn import_template(text: &str, ws: &Workspace) -> Result<Imported, ArtifactError> {
    let t = template::import(text)?;
    // The engine's workspace checks the parts (a rule without a name, a machine not an object).
    let made = t.to_workspace(None)?;
    let machines: Vec<MachineText> = made
        .machines
        .iter()
        .map(|(name, def)| MachineText {
            name: name.clone(),
            text: pretty(def).into(),
        })
        .collect();
    let mut next = ws.clone();
    next.example = None;
    next.rules = pretty(&made.rules_document()).into();
    if !machines.is_empty() {
        next.machines = machines;
        next.active = 0;
    }
    let name = |r: &Value| {
        r.get("Name")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_owned()
    };
    Ok(Imported {
        ws: next,
        rules: t.rules.iter().map(name).collect(),
        machines: t.machines.keys().cloned().collect(),
        buses: t.buses.clone(),
        notes: t.notes.clone(),
    })
}

/// The workspace as a CloudFormation template, JSON or YAML; `Err` says which text is wrong.
pub fn export_template(ws: &Workspace, yaml: bool) -> Result<String, String> {
    let read = |what: &str, text: &str| -> Result<Value, String> {
        serde_json::from_str(text)
            .map_err(|e| format!("The {what} are not JSON ({e}): fix them to export."))
    };
    let rules = read("rules", &ws.rules)?;
    let machines = ws
        .machine_values()
        .map_err(|e| e.replace("run the system", "export"))?;
    let event = serde_json::from_str::<Value>(&ws.event).unwrap_or_else(|_| json!({}));
    let doc = json!({"name": "workspace", "event": event, "rules": rules, "machines": machines, "mocks": {}});
    let engine_ws = statebridge_engine::workspace::Workspace::from_value(&doc)
        .map_err(|e| format!("The workspace cannot be exported: {e}"))?;
    let t = template::export(&engine_ws);
    Ok(if yaml {
        template::to_yaml(&t)
    } else {
        serde_json::to_string_pretty(&t).unwrap_or_default()
    })
}

/// The rules' verdicts on every pasted event (reasons worked out per cell when asked for); a
/// problem in the events is an [`ArtifactError`], rules that are not JSON a sentence.
pub fn events_matrix(
    events: &str,
    rules: &str,
) -> Result<matrix::Verdicts, Result<ArtifactError, String>> {
    let rules: Value = serde_json::from_str(rules).map_err(|e| {
        Err(format!(
            "The rules are not JSON ({e}): fix them in the Rules editor."
        ))
    })?;
    let events = matrix::read_events(events).map_err(Ok)?;
    Ok(matrix::Verdicts::new(&rules, events))
}

/// The events × rules table as the page draws it: worked out by the checks' worker
/// ([`matrix_view`]), which keeps the verdicts (and the events) for the reasons of the cell the
/// user picks ([`matrix_cell`]). The page holds one byte per verdict and each event's row head,
/// not the events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatrixView {
    /// The rules (columns).
    pub rules: Vec<MatrixRule>,
    /// How many events each rule matches.
    pub totals: Vec<usize>,
    /// Where each event (row) starts in the pasted text (1-based), in order.
    pub lines: Vec<u32>,
    /// Each event's kind, an index in `kinds`.
    pub kind_of: Vec<u32>,
    /// The kinds of events (bus, source, detail-type), each once: 10,000 sample events are
    /// mostly a few kinds, so the page reads two numbers per row, not three texts.
    pub kinds: Vec<MatrixRow>,
    /// The verdicts, event by event: `b'1'` where rule `r` matches event `e`, at
    /// `e * rules.len() + r`; `b'0'` elsewhere.
    pub hits: String,
}

/// A rule's column head.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatrixRule {
    /// Its name.
    pub name: String,
    /// Its bus.
    pub bus: String,
    /// Why it cannot match anything, if so.
    pub problem: Option<String>,
}

/// A kind of event, as its row head names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MatrixRow {
    /// Its bus (absent: `default`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bus: Option<String>,
    /// Its `source` (`?` when it is not a string).
    pub source: String,
    /// Its `detail-type` (`?` when it is not a string).
    pub detail_type: String,
}

impl MatrixRow {
    /// Its bus.
    pub fn bus(&self) -> &str {
        self.bus.as_deref().unwrap_or("default")
    }
}

impl MatrixView {
    /// How many events.
    pub fn events(&self) -> usize {
        self.lines.len()
    }

    /// Event `event`'s line and kind.
    pub fn row(&self, event: usize) -> Option<(u32, &MatrixRow)> {
        let kind = *self.kind_of.get(event)? as usize;
        Some((*self.lines.get(event)?, self.kinds.get(kind)?))
    }

    /// Whether rule `rule` matches event `event` (false outside the table).
    pub fn matched(&self, rule: usize, event: usize) -> bool {
        rule < self.rules.len()
            && self.hits.as_bytes().get(event * self.rules.len() + rule) == Some(&b'1')
    }

    /// Whether some rule matches event `event`.
    pub fn any(&self, event: usize) -> bool {
        let n = self.rules.len();
        self.hits
            .as_bytes()
            .get(event * n..(event + 1) * n)
            .is_some_and(|row| row.contains(&b'1'))
    }
}

/// Why the events could not be checked: a problem in the events (with its place, marked in
/// the editor) or rules that are not JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatrixProblem {
    /// What is wrong, in words.
    pub message: String,
    /// Where in the events (1-based line and column), with the engine's message.
    pub at: Option<(u32, u32, String)>,
}

/// The checks' worker's answer to the events × rules job.
pub type MatrixAnswer = Result<MatrixView, MatrixProblem>;

/// A picked cell's verdict and, for a miss, its reasons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatrixCell {
    /// Whether the rule matches the event.
    pub matched: bool,
    /// Why not, one line per unmet field.
    pub reasons: Vec<String>,
}

thread_local! {
    /// The last verdicts worked out (in the worker), with the texts they are of: a picked
    /// cell's reasons are worked out from them without reading the events again.
    static VERDICTS: std::cell::RefCell<Option<(Text, Text, Rc<matrix::Verdicts>)>> =
        const { std::cell::RefCell::new(None) };
}

/// The verdicts of `events` × `rules`, kept for the next asks of the same texts.
fn verdicts(events: &Text, rules: &Text) -> Result<Rc<matrix::Verdicts>, MatrixProblem> {
    let kept = VERDICTS.with(|v| {
        v.borrow()
            .as_ref()
            .filter(|(e, r, _)| e == events && r == rules)
            .map(|(_, _, v)| v.clone())
    });
    if let Some(v) = kept {
        return Ok(v);
    }
    let v = Rc::new(events_matrix(events, rules).map_err(|e| match e {
        Ok(e) => MatrixProblem {
            message: format!("Sample events: {e}"),
            at: Some((e.line, e.column, e.to_string())),
        },
        Err(why) => MatrixProblem {
            message: why,
            at: None,
        },
    })?);
    VERDICTS.with(|k| *k.borrow_mut() = Some((events.clone(), rules.clone(), v.clone())));
    Ok(v)
}

/// Every rule's verdict on every pasted event, as the page draws them (the verdicts are kept
/// for [`matrix_cell`]).
pub fn matrix_view(events: &Text, rules: &Text) -> MatrixAnswer {
    let v = verdicts(events, rules)?;
    let n = v.rules.len();
    let mut hits = String::with_capacity(n * v.events.len());
    for e in 0..v.events.len() {
        for r in 0..n {
            hits.push(if v.matched(r, e) { '1' } else { '0' });
        }
    }
    let text = |e: &Value, k: &str| e.get(k).and_then(Value::as_str).unwrap_or("?").to_owned();
    let mut kinds: Vec<MatrixRow> = vec![];
    let mut seen = std::collections::HashMap::new();
    let kind_of = v
        .events
        .iter()
        .map(|e| {
            let kind = MatrixRow {
                bus: (e.bus != "default").then(|| e.bus.clone()),
                source: text(&e.event, "source"),
                detail_type: text(&e.event, "detail-type"),
            };
            *seen.entry(kind.clone()).or_insert_with(|| {
                kinds.push(kind);
                kinds.len() as u32 - 1
            })
        })
        .collect();
    Ok(MatrixView {
        rules: v
            .rules
            .iter()
            .map(|r| MatrixRule {
                name: r.name.clone(),
                bus: r.bus.clone(),
                problem: r.problem.clone(),
            })
            .collect(),
        totals: v.totals().to_vec(),
        lines: v.events.iter().map(|e| e.line).collect(),
        kind_of,
        kinds,
        hits,
    })
}

/// One cell's verdict with its reasons (`None` outside the table, or when the texts cannot be
/// checked).
pub fn matrix_cell(events: &Text, rules: &Text, rule: usize, event: usize) -> Option<MatrixCell> {
    let cell = verdicts(events, rules).ok()?.cell(rule, event)?;
    Some(MatrixCell {
        matched: cell.matched,
        reasons: cell.reasons,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::examples_on_disk;

    fn example(name: &str) -> Workspace {
        examples_on_disk()
            .into_iter()
            .find(|e| e.name == name)
            .and_then(|e| e.workspace)
            .expect("example")
    }

    fn www(file: &str) -> String {
        std::fs::read_to_string(format!(
            "{}/www/artifacts/{file}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    #[test]
    fn the_example_history_replays_on_its_own_definition() {
        let ws = example("order-fulfilment");
        let h = history_run(&www("history.json"), &ws).unwrap();
        assert_eq!(h.definition_from, "the definition pasted with the history");
        assert!(h.warnings.is_empty(), "{:?}", h.warnings);
        let layout = h.layout.as_ref().unwrap();
        let statuses = h.run.replay.at(h.run.replay.len());
        assert!(
            statuses
                .keys()
                .all(|s| layout.nodes.iter().any(|n| &n.state == s))
        );
        assert!(
            statuses
                .values()
                .any(|n| n.status == crate::replay::Status::Caught
                    || n.status == crate::replay::Status::Retrying
                    || n.status == crate::replay::Status::Succeeded)
        );
        assert!(matches!(&h.run.outcome, Pane::Ready(o) if !o.status.is_empty()));
    }

    #[test]
    fn a_history_without_a_definition_uses_the_workspace_machine_and_says_what_is_missing() {
        let ws = example("order-fulfilment");
        let text = r#"{"events": [{"id": 1, "previousEventId": 0, "timestamp": "1709287200", "type": "ExecutionStarted", "executionStartedEventDetails": {"input": "{}"}},
            {"id": 2, "previousEventId": 1, "timestamp": 1709287201, "type": "PassStateEntered", "stateEnteredEventDetails": {"name": "Nowhere", "input": "{}"}}]}"#;
        let h = history_run(text, &ws).unwrap();
        assert!(h.definition_from.contains("workspace's machine"));
        assert!(
            h.warnings.iter().any(|w| w.contains("Nowhere")),
            "{:?}",
            h.warnings
        );
        // Seconds written as text become milliseconds the replay reads.
        assert_eq!(h.run.replay.elapsed_ms(1), Some(1000));
        let e = history_run("{\"events\": 3}", &ws).unwrap_err();
        assert_eq!((e.line, e.path.as_str()), (1, "events"));
    }

    #[test]
    fn a_template_replaces_rules_and_machines_and_keeps_the_event() {
        let ws = example("order-fulfilment");
        let i = import_template(&www("template.yaml"), &ws).unwrap();
        assert_eq!(i.ws.event, ws.event);
        assert_eq!(i.ws.mocks, ws.mocks);
        assert!(!i.rules.is_empty() && !i.machines.is_empty());
        assert_eq!(i.ws.machines.len(), i.machines.len());
        let exported = export_template(&i.ws, true).unwrap();
        let back = import_template(&exported, &ws).unwrap();
        // The same rules (export adds the role EventBridge needs to each target), the same machines.
        let gist = |rules: &str| -> Vec<Value> {
            let v: Value = serde_json::from_str(rules).unwrap();
            v["Rules"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    json!([
                        r["Name"],
                        r["EventPattern"],
                        r["EventBusName"],
                        r["Targets"][0]["StateMachine"]
                    ])
                })
                .collect()
        };
        assert_eq!(gist(&back.ws.rules), gist(&i.ws.rules));
        assert_eq!(back.ws.machines, i.ws.machines);
        let json = export_template(&i.ws, false).unwrap();
        assert_eq!(
            import_template(&json, &ws).unwrap().ws.machines,
            i.ws.machines
        );
    }

    #[test]
    fn the_example_events_meet_the_template_rules() {
        let ws = example("order-fulfilment");
        let i = import_template(&www("template.yaml"), &ws).unwrap();
        let m = events_matrix(&www("events.jsonl"), &i.ws.rules).unwrap();
        assert!(m.events.len() >= 4);
        let matched = |e: usize| m.any(e);
        assert!((0..m.events.len()).any(matched));
        assert!(
            !(0..m.events.len()).all(matched),
            "one example event should match no rule"
        );
        assert!(events_matrix("{}", "{").unwrap_err().is_err());
        let e = events_matrix(
            "{}\n{\"Source\": \"a\", \"DetailType\": \"x\", \"Detail\": \"not json\"}",
            &i.ws.rules,
        )
        .unwrap_err()
        .unwrap();
        assert_eq!(e.line, 2);
    }
}
