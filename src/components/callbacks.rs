//! A run paused on task tokens: each waiting Task shows "Waiting for callback" with its token,
//! and buttons that send what a worker or an approver would — `SendTaskSuccess` with an output,
//! `SendTaskFailure` with an error and cause, `SendTaskHeartbeat` — now or some seconds later on
//! the virtual clock. The engine decides what follows (timeouts included); this only builds the
//! answer (an entry of the engine's callbacks list).

use serde_json::{Value, json};
use statebridge_engine::asl::callbacks::{Paused, WaitingTask};
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Props of [`CallbackPanel`].
#[derive(Properties, PartialEq)]
pub struct CallbackPanelProps {
    /// Where the run paused.
    pub paused: Paused,
    /// Called with one answer (`{"at", "token", "success" | "failure" | "heartbeat"}`).
    pub on_answer: Callback<Value>,
}

/// The paused run's waiting tasks.
#[component]
pub fn CallbackPanel(p: &CallbackPanelProps) -> Html {
    html! {
        <div class="callbacks" data-testid="callbacks">
            <p class="hint pad">{ format!(
                "Paused at {} (+{}s on the virtual clock): nothing answered these tasks yet.",
                p.paused.at, p.paused.at_seconds) }</p>
            for w in p.paused.waiting.iter() {
                <WaitingCard key={w.token.clone()} task={w.clone()} now={p.paused.at_seconds}
                    on_answer={p.on_answer.clone()} />
            }
        </div>
    }
}

/// Props of [`WaitingCard`].
#[derive(Properties, PartialEq)]
struct WaitingCardProps {
    task: WaitingTask,
    /// The pause's moment, in seconds after the start.
    now: f64,
    on_answer: Callback<Value>,
}

/// One waiting task and its three answers.
#[component]
fn WaitingCard(p: &WaitingCardProps) -> Html {
    let output = use_state(|| String::from("{\"approved\": true}"));
    let error = use_state(|| String::from("Rejected"));
    let cause = use_state(|| String::from("The approver said no."));
    let after = use_state(|| String::from("0"));
    let problem = use_state(|| None::<String>);
    let text = |s: &UseStateHandle<String>| {
        let s = s.clone();
        Callback::from(move |e: InputEvent| {
            s.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_output = {
        let s = output.clone();
        Callback::from(move |e: InputEvent| {
            s.set(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    // The answer's moment: the pause, plus the seconds typed (a heartbeat or an answer later).
    let at = {
        let (after, problem, now) = (after.clone(), problem.clone(), p.now);
        move || match after.trim().parse::<f64>() {
            Ok(s) if s >= 0.0 && s.is_finite() => Some(now + s),
            _ => {
                problem.set(Some("“After” is a number of seconds, 0 or more.".into()));
                None
            }
        }
    };
    let send = |kind: &'static str| {
        let (output, error, cause, problem, at) = (
            output.clone(),
            error.clone(),
            cause.clone(),
            problem.clone(),
            at.clone(),
        );
        let (token, on_answer) = (p.task.token.clone(), p.on_answer.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(at) = at() else { return };
            let what = match kind {
                "success" => match serde_json::from_str::<Value>(&output) {
                    Ok(v) => v,
                    Err(e) => {
                        return problem.set(Some(format!("The output is not valid JSON: {e}")));
                    }
                },
                "failure" => json!({"error": *error, "cause": *cause}),
                _ => json!(true),
            };
            problem.set(None);
            let mut answer = json!({"at": at, "token": token});
            if let Some(obj) = answer.as_object_mut() {
                obj.insert(kind.to_owned(), what);
            }
            on_answer.emit(answer);
        })
    };
    let t = &p.task;
    let limits = match (
        t.timeout_seconds,
        t.heartbeat_seconds,
        t.times_out_at_seconds,
    ) {
        (_, _, Some(at)) => format!(
            "Times out at +{at}s{}",
            t.heartbeat_seconds
                .map(|h| format!(" unless a heartbeat comes (HeartbeatSeconds {h})"))
                .unwrap_or_default()
        ),
        _ => "No TimeoutSeconds: it waits until the execution's own limit.".into(),
    };
    html! {
        <article class="waiting" data-testid="waiting" data-state={t.state.clone()}>
            <h3>{ "Waiting for callback" }</h3>
            <p><strong>{ t.state.clone() }</strong>{ format!(" since +{}s · {}", t.since_seconds, limits) }</p>
            <p class="token">{ "Task token " }<code data-testid="task-token">{ t.token.clone() }</code></p>
            <details>
                <summary>{ "What was sent with the token" }</summary>
                <pre class="json">{ crate::evaluate::pretty(&t.input) }</pre>
            </details>
            <label class="after">{ "After " }
                <input type="number" min="0" value={(*after).clone()} oninput={text(&after)}
                    data-testid="callback-after" aria-label="Seconds after the pause" />
                { " seconds" }</label>
            <div class="answer">
                <label>{ "Output" }
                    <textarea rows="3" spellcheck="false" value={(*output).clone()} oninput={on_output}
                        data-testid="callback-output" /></label>
                <button class="btn primary" onclick={send("success")} data-testid="send-success">{ "Send task success" }</button>
            </div>
            <div class="answer">
                <label>{ "Error " }<input value={(*error).clone()} oninput={text(&error)} data-testid="callback-error" /></label>
                <label>{ "Cause " }<input value={(*cause).clone()} oninput={text(&cause)} data-testid="callback-cause" /></label>
                <button class="btn" onclick={send("failure")} data-testid="send-failure">{ "Send task failure" }</button>
            </div>
            <button class="btn" onclick={send("heartbeat")} data-testid="send-heartbeat">{ "Send heartbeat" }</button>
            if let Some(why) = &*problem { <p class="error" role="alert">{ why.clone() }</p> }
        </article>
    }
}
