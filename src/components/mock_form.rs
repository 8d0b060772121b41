//! Mocking a Task from the graph: choose which invocations (0, 1, 1-3 …), Return a JSON result or
//! Throw an error and cause; the mocks editor's text is updated.

use crate::mocks::{Response, mocks_of, set_mock};
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Props of [`MockForm`].
#[derive(Properties, PartialEq)]
pub struct MockFormProps {
    /// The Task state.
    pub state: AttrValue,
    /// The mocks editor's text.
    pub mocks: AttrValue,
    /// Called with the new mocks text.
    pub on_set: Callback<String>,
}

/// The mock form.
#[component]
pub fn MockForm(p: &MockFormProps) -> Html {
    let existing = mocks_of(&p.mocks, &p.state);
    let next_key = existing
        .iter()
        .filter_map(|(k, _)| k.rsplit('-').next().and_then(|n| n.parse::<u64>().ok()))
        .max()
        .map_or(0, |n| n + 1);
    let key = use_state(|| next_key.to_string());
    let throw = use_state(|| false);
    let result = use_state(|| String::from("{}"));
    let error = use_state(|| String::from("Lambda.TooManyRequestsException"));
    let cause = use_state(|| String::from("Rate exceeded"));
    let problem = use_state(|| None::<String>);
    {
        // A different state starts from its own next free invocation.
        let key = key.clone();
        use_effect_with((p.state.clone(), next_key), move |(_, n)| {
            key.set(n.to_string())
        });
    }
    let input = |s: &UseStateHandle<String>| {
        let s = s.clone();
        Callback::from(move |e: InputEvent| {
            s.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_result = {
        let s = result.clone();
        Callback::from(move |e: InputEvent| {
            s.set(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    let apply = {
        let (key, throw, result, error, cause, problem) = (
            key.clone(),
            throw.clone(),
            result.clone(),
            error.clone(),
            cause.clone(),
            problem.clone(),
        );
        let (mocks, state, on_set) = (p.mocks.clone(), p.state.clone(), p.on_set.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let response = if *throw {
                Response::Throw {
                    error: (*error).clone(),
                    cause: (*cause).clone(),
                }
            } else {
                match serde_json::from_str(&result) {
                    Ok(v) => Response::Return(v),
                    Err(err) => {
                        return problem.set(Some(format!("The result is not valid JSON: {err}")));
                    }
                }
            };
            match set_mock(&mocks, &state, key.trim(), &response) {
                Ok(text) => {
                    problem.set(None);
                    on_set.emit(text);
                }
                Err(msg) => problem.set(Some(msg)),
            }
        })
    };
    let set_throw = |on: bool| {
        let t = throw.clone();
        Callback::from(move |_: Event| t.set(on))
    };
    html! {
        <form class="mock-form" onsubmit={apply} data-testid="mock-form" aria-label={format!("Mock {}", p.state)}>
            <h3>{ "Mock this task" }</h3>
            if !existing.is_empty() {
                <ul class="mock-list">
                    { for existing.iter().map(|(k, v)| html! {
                        <li><code>{ format!("#{k}") }</code>{ " " }{ summary(v) }</li>
                    }) }
                </ul>
            }
            <div class="row-form">
                <label>{ "Invocations" }
                    <input class="narrow" data-testid="mock-key" value={(*key).clone()} oninput={input(&key)} title="0 is the first call, 1 the first retry; a range like 1-2 covers several" />
                </label>
                <label class="radio"><input type="radio" name="mock-kind" checked={!*throw} onchange={set_throw(false)} data-testid="mock-return" />{ "Return" }</label>
                <label class="radio"><input type="radio" name="mock-kind" checked={*throw} onchange={set_throw(true)} data-testid="mock-throw" />{ "Throw" }</label>
            </div>
            if *throw {
                <label>{ "Error" }<input data-testid="mock-error" value={(*error).clone()} oninput={input(&error)} /></label>
                <label>{ "Cause" }<input data-testid="mock-cause" value={(*cause).clone()} oninput={input(&cause)} /></label>
            } else {
                <label>{ "Result (JSON)" }<textarea data-testid="mock-result" rows="3" spellcheck="false" value={(*result).clone()} oninput={on_result} /></label>
            }
            if let Some(msg) = &*problem { <p class="error">{ msg.clone() }</p> }
            <button class="btn small primary" type="submit" data-testid="mock-apply">{ "Set mock" }</button>
        </form>
    }
}

fn summary(v: &serde_json::Value) -> String {
    if let Some(t) = v.get("Throw") {
        let field = |k: &str| {
            t.get(k)
                .and_then(serde_json::Value::as_str)
                .unwrap_or("")
                .to_owned()
        };
        format!("throws {} ({})", field("Error"), field("Cause"))
    } else if let Some(r) = v.get("Return") {
        let s = r.to_string();
        let short: String = s.chars().take(60).collect();
        format!(
            "returns {short}{}",
            if s.chars().count() > 60 { "…" } else { "" }
        )
    } else {
        v.to_string()
    }
}
