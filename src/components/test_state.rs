//! "Test this state": the selected state run alone, as Step Functions' TestState API runs it
//! (the engine's `asl::test_state`), with an input and a mocked result or error typed here, and
//! TestState's answer shown with its inspection steps.

use crate::evaluate::pretty;
use crate::worker::{self, Kind, TestAnswer};
use serde_json::{Map, Value, json};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Props of [`TestStatePanel`].
#[derive(Properties, PartialEq)]
pub struct TestStateProps {
    /// The machine's text (the state is found in it by name, nested ones too).
    pub definition: AttrValue,
    /// The state to test.
    pub state: AttrValue,
    /// Its type: a Task, Map or Parallel is tested with a mock.
    pub kind: AttrValue,
    /// A starting input (the state's input in the run on screen), as JSON text.
    #[prop_or_default]
    pub input: Option<AttrValue>,
}

/// TestState's inspection steps in the order a state's data flows, with what each means.
const STEPS: [(&str, &str); 11] = [
    ("input", "the state's input"),
    ("afterInputPath", "after InputPath"),
    ("afterParameters", "after Parameters"),
    ("afterArguments", "after Arguments"),
    ("afterItemsPath", "after ItemsPath"),
    ("result", "the result"),
    ("afterResultSelector", "after ResultSelector"),
    ("afterResultPath", "after ResultPath"),
    ("variables", "variables after Assign"),
    ("errorDetails", "the retrier that matched"),
    ("maxConcurrency", "MaxConcurrency"),
];

/// What the panel's form holds.
#[derive(Clone, PartialEq, Default)]
struct Form {
    input: String,
    mock: String,
    error: String,
    cause: String,
    /// `result` or `error`.
    mock_kind: String,
    /// `mock.fieldValidationMode`: STRICT (AWS's default), PRESENT or NONE.
    mode: String,
}

/// TestState's request (its JSON) from the form.
fn request(p: &TestStateProps, f: &Form) -> Value {
    let mut request = Map::new();
    request.insert("definition".into(), json!(p.definition.as_str()));
    request.insert("stateName".into(), json!(p.state.as_str()));
    request.insert("inspectionLevel".into(), json!("DEBUG"));
    if !f.input.trim().is_empty() {
        request.insert("input".into(), json!(f.input));
    }
    if needs_mock(&p.kind) {
        let mock = if f.mock_kind == "error" {
            json!({"errorOutput": {"error": f.error, "cause": f.cause}})
        } else {
            json!({"result": f.mock, "fieldValidationMode": f.mode})
        };
        request.insert("mock".into(), mock);
    }
    Value::Object(request)
}

fn needs_mock(kind: &str) -> bool {
    matches!(kind, "Task" | "Map" | "Parallel")
}

/// The "Test this state" button and, once pressed, the form and TestState's answer.
#[component]
pub fn TestStatePanel(p: &TestStateProps) -> Html {
    let open = use_state(|| false);
    // The form lives in a cell, so each field's change edits the latest values (callbacks made
    // at an earlier render would otherwise write back the values of that render).
    let form = use_mut_ref(|| Form {
        mock: if p.kind == "Map" || p.kind == "Parallel" {
            "[]".into()
        } else {
            "{}".into()
        },
        mock_kind: "result".into(),
        mode: "STRICT".into(),
        error: "States.TaskFailed".into(),
        ..Form::default()
    });
    let redraw = use_force_update();
    let answer = use_state(|| None::<Rc<Result<TestAnswer, String>>>);
    // The request sent to the engine's worker, while its answer is awaited.
    let asked = use_mut_ref(|| None::<Value>);
    {
        // The worker answers later: the awaited request's answer is read then.
        let (asked, answer) = (asked.clone(), answer.clone());
        use_effect_with((), move |_| {
            let on = Callback::from(move |kind: Kind| {
                if kind != Kind::Test {
                    return;
                }
                let request = asked.borrow().clone();
                if let Some(got) = request.as_ref().and_then(worker::test_state) {
                    *asked.borrow_mut() = None;
                    answer.set(Some(got));
                }
            });
            let watch = worker::on_answer(on);
            move || drop(watch)
        });
    }
    {
        // A new state (or a new run's input) starts a new test.
        let (form, answer, input, asked) =
            (form.clone(), answer.clone(), p.input.clone(), asked.clone());
        use_effect_with((p.state.clone(), p.input.clone()), move |_| {
            form.borrow_mut().input = input.map(|i| i.to_string()).unwrap_or_default();
            *asked.borrow_mut() = None;
            answer.set(None);
        });
    }
    if !*open {
        let show = {
            let open = open.clone();
            Callback::from(move |_| open.set(true))
        };
        return html! {
            <div class="test-state pad">
                <button class="btn" onclick={show} data-testid="test-state-open"
                    title="Run this state alone, as Step Functions' TestState API does">{ "Test this state" }</button>
            </div>
        };
    }
    let edit = |set: fn(&mut Form, String)| {
        let (form, redraw) = (form.clone(), redraw.clone());
        Callback::from(move |e: Event| {
            let value = e
                .target_dyn_into::<HtmlTextAreaElement>()
                .map(|t| t.value())
                .or_else(|| e.target_dyn_into::<HtmlInputElement>().map(|t| t.value()))
                .or_else(|| e.target_dyn_into::<HtmlSelectElement>().map(|t| t.value()))
                .unwrap_or_default();
            set(&mut form.borrow_mut(), value);
            redraw.force_update();
        })
    };
    let test = {
        let (form, answer, asked, redraw) =
            (form.clone(), answer.clone(), asked.clone(), redraw.clone());
        let props = (
            p.definition.clone(),
            p.state.clone(),
            p.kind.clone(),
            p.input.clone(),
        );
        Callback::from(move |_| {
            let p = TestStateProps {
                definition: props.0.clone(),
                state: props.1.clone(),
                kind: props.2.clone(),
                input: props.3.clone(),
            };
            let request = request(&p, &form.borrow());
            // The engine's worker runs it (fetching the response shapes the mock is checked
            // against the first time); the page stays responsive meanwhile.
            match worker::test_state(&request) {
                Some(got) => {
                    *asked.borrow_mut() = None;
                    answer.set(Some(got));
                }
                None => {
                    *asked.borrow_mut() = Some(request);
                    redraw.force_update();
                }
            }
        })
    };
    // Text is kept as it is typed (a test may switch the mock before the textarea loses focus).
    let typed = |set: fn(&mut Form, String)| {
        let cb = edit(set);
        Callback::from(move |e: InputEvent| cb.emit(e.into()))
    };
    let f = form.borrow().clone();
    let testing = asked.borrow().is_some();
    html! {
        <details class="flow test-state" open=true data-testid="test-state">
            <summary>{ "Test this state" }<span class="muted">{ " — alone, as TestState runs it" }</span></summary>
            <label class="sub" for="ts-input">{ "Input (JSON)" }</label>
            <textarea id="ts-input" rows="4" spellcheck="false" data-testid="test-state-input"
                placeholder="{}" value={f.input.clone()} oninput={typed(|f, v| f.input = v)} />
            if needs_mock(&p.kind) {
                <label class="sub" for="ts-mock-kind">{ "Mock" }</label>
                <select id="ts-mock-kind" value={f.mock_kind.clone()} onchange={edit(|f, v| f.mock_kind = v)} data-testid="test-state-mock-kind">
                    <option value="result" selected={f.mock_kind == "result"}>{ "a result" }</option>
                    <option value="error" selected={f.mock_kind == "error"}>{ "an error" }</option>
                </select>
                if f.mock_kind == "error" {
                    <input aria-label="Error" value={f.error.clone()} oninput={typed(|f, v| f.error = v)} data-testid="test-state-error" />
                    <input aria-label="Cause" placeholder="cause" value={f.cause.clone()} oninput={typed(|f, v| f.cause = v)} />
                } else {
                    <textarea aria-label="Mocked result (JSON)" rows="3" spellcheck="false"
                        value={f.mock.clone()} oninput={typed(|f, v| f.mock = v)} data-testid="test-state-mock" />
                    if p.kind == "Task" {
                        <label class="sub" for="ts-mode"
                            title="How TestState checks the mocked result against the API's response: STRICT (AWS's default) also wants every required field">{ "Field validation" }</label>
                        <select id="ts-mode" onchange={edit(|f, v| f.mode = v)} data-testid="test-state-mode">
                            { for ["STRICT", "PRESENT", "NONE"].iter().map(|m| html! {
                                <option value={*m} selected={f.mode == *m}>{ *m }</option>
                            }) }
                        </select>
                    }
                }
            }
            <div><button class="btn primary" onclick={test} data-testid="test-state-run">{ "Run the test" }</button>
                if testing { <span class="muted pending-note" role="status" data-testid="test-state-pending">{ " Testing…" }</span> }</div>
            <div class={classes!(testing.then_some("pending-answer"))} aria-busy={testing.to_string()}>
                { answer.as_ref().map(|a| response(a)).unwrap_or_default() }
            </div>
        </details>
    }
}

/// TestState's answer: status, next state or error, output, and each inspection step.
fn response(answer: &Result<TestAnswer, String>) -> Html {
    let r = match answer {
        Err(why) => {
            // (A test the user stopped is not a request TestState refused.)
            let title = if why.starts_with("You stopped") {
                "Stopped"
            } else {
                "Refused"
            };
            return html! { <div class="error-box" data-testid="test-state-result"><strong>{ title }</strong><div class="cause">{ why.clone() }</div></div> };
        }
        Ok(r) => r,
    };
    let ok = r.status == "SUCCEEDED" || r.status == "CAUGHT_ERROR";
    let data = r.inspection_data.as_ref().and_then(Value::as_object);
    let mut keys: Vec<(&str, &str)> = STEPS
        .iter()
        .filter(|(k, _)| data.is_some_and(|d| d.contains_key(*k)))
        .copied()
        .collect();
    for k in data.into_iter().flat_map(|d| d.keys()) {
        if !STEPS.iter().any(|(s, _)| s == k) {
            keys.push((k.as_str(), ""));
        }
    }
    html! {
        <div class="test-result" data-testid="test-state-result" data-status={r.status.clone()}>
            <p>
                <span class={classes!("badge", if ok { "ok" } else { "warn" })}>{ r.status.clone() }</span>
                if let Some(n) = &r.next_state { { " → next: " }<strong>{ n.clone() }</strong> }
            </p>
            if let Some(e) = &r.error {
                <div class="error-box"><strong>{ e.clone() }</strong>
                    if let Some(c) = &r.cause { <div class="cause">{ c.clone() }</div> }</div>
            }
            <ol class="flow-steps" data-testid="test-state-steps">
                { for keys.iter().map(|(k, note)| html! {
                    <li class="flow-step" data-step={k.to_string()}>
                        <div class="flow-head"><strong>{ k.to_string() }</strong>
                            if !note.is_empty() { <span class="muted">{ " — " }{ note.to_string() }</span> }</div>
                        <pre class="json">{ data.and_then(|d| d.get(*k)).map(pretty).unwrap_or_default() }</pre>
                    </li>
                }) }
            </ol>
            if let Some(out) = &r.output { <h4>{ "Output" }</h4><pre class="json" data-testid="test-state-output">{ pretty(out) }</pre> }
            { for r.notes.iter().map(|n| html! { <p class="muted" data-testid="test-state-note">{ n.clone() }</p> }) }
        </div>
    }
}
