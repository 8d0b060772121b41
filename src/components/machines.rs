//! The machine editor's tabs: which of the workspace's state machines is being edited, and
//! adding, renaming and deleting them. Names are checked as the user types, with the engine's
//! rule for state machine names and uniqueness in the workspace.

use statebridge_engine::system::machines::check_name;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Props of [`MachineTabs`].
#[derive(Properties, PartialEq)]
pub struct MachineTabsProps {
    /// The machines' names, in tab order.
    pub names: Vec<String>,
    /// The one in the editor.
    pub active: usize,
    /// Show machine `n`.
    pub on_select: Callback<usize>,
    /// Add a machine with this name.
    pub on_add: Callback<String>,
    /// Rename machine `n`.
    pub on_rename: Callback<(usize, String)>,
    /// Delete machine `n` (the page keeps it for Undo).
    pub on_delete: Callback<usize>,
}

/// What the name form is doing.
#[derive(Debug, Clone, PartialEq)]
enum Form {
    Closed,
    Adding,
    Renaming(usize),
}

/// Why `name` cannot be used (for a new machine, or machine `except` renamed), or `None`.
fn problem(names: &[String], name: &str, except: Option<usize>) -> Option<String> {
    let name = name.trim();
    if let Err(why) = check_name(name) {
        return Some(why);
    }
    match names.iter().position(|n| n == name) {
        Some(i) if Some(i) != except => Some(format!("`{name}` is already taken")),
        _ => None,
    }
}

/// A name for a new machine not yet taken: `StateMachine2`, `StateMachine3` …
fn fresh_name(names: &[String]) -> String {
    (2..)
        .map(|n| format!("StateMachine{n}"))
        .find(|c| !names.contains(c))
        .unwrap_or_default()
}

/// The tab strip over the machine editor.
#[component]
pub fn MachineTabs(p: &MachineTabsProps) -> Html {
    let form = use_state(|| Form::Closed);
    let draft = use_state(String::new);
    let input_ref = use_node_ref();
    {
        // Focus the name field and select its text when the form opens.
        let input_ref = input_ref.clone();
        use_effect_with((*form).clone(), move |f| {
            if *f != Form::Closed
                && let Some(el) = input_ref.cast::<HtmlInputElement>()
            {
                let _ = el.focus();
                el.select();
            }
        });
    }
    let except = match *form {
        Form::Renaming(i) => Some(i),
        _ => None,
    };
    let error = (*form != Form::Closed)
        .then(|| problem(&p.names, &draft, except))
        .flatten();
    let submit = {
        let (form, draft, names) = (form.clone(), draft.clone(), p.names.clone());
        let (on_add, on_rename) = (p.on_add.clone(), p.on_rename.clone());
        Callback::from(move |()| {
            let name = draft.trim().to_owned();
            match *form {
                Form::Adding if problem(&names, &name, None).is_none() => on_add.emit(name),
                Form::Renaming(i) if problem(&names, &name, Some(i)).is_none() => {
                    on_rename.emit((i, name))
                }
                _ => return,
            }
            form.set(Form::Closed);
        })
    };
    let open_add = {
        let (form, draft, names) = (form.clone(), draft.clone(), p.names.clone());
        Callback::from(move |_: MouseEvent| {
            draft.set(fresh_name(&names));
            form.set(Form::Adding);
        })
    };
    let open_rename = {
        let (form, draft, names, active) = (form.clone(), draft.clone(), p.names.clone(), p.active);
        Callback::from(move |_: MouseEvent| {
            draft.set(names.get(active).cloned().unwrap_or_default());
            form.set(Form::Renaming(active));
        })
    };
    let on_delete = {
        let (cb, active) = (p.on_delete.clone(), p.active);
        Callback::from(move |_: MouseEvent| cb.emit(active))
    };
    let on_input = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            draft.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_key = {
        let (form, submit) = (form.clone(), submit.clone());
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Enter" => {
                e.prevent_default();
                submit.emit(());
            }
            "Escape" => {
                e.stop_propagation();
                form.set(Form::Closed);
            }
            _ => {}
        })
    };
    let on_submit = {
        let submit = submit.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            submit.emit(());
        })
    };
    let cancel = {
        let form = form.clone();
        Callback::from(move |_: MouseEvent| form.set(Form::Closed))
    };
    // Arrow keys move between tabs, as in any tab list.
    let on_tab_key = {
        let (cb, n, active) = (p.on_select.clone(), p.names.len(), p.active);
        Callback::from(move |e: KeyboardEvent| {
            let next = match e.key().as_str() {
                "ArrowRight" => (active + 1) % n.max(1),
                "ArrowLeft" => (active + n.max(1) - 1) % n.max(1),
                _ => return,
            };
            e.prevent_default();
            cb.emit(next);
        })
    };
    let active_name = p.names.get(p.active).cloned().unwrap_or_default();
    let title = match *form {
        Form::Renaming(_) => format!("Rename “{active_name}” to"),
        _ => "New state machine".to_owned(),
    };
    html! {
        <div class="machine-bar">
            <div class="machine-tabs" role="tablist" aria-label="State machines" data-testid="machine-tabs" onkeydown={on_tab_key}>
                { for p.names.iter().enumerate().map(|(i, name)| {
                    let cb = p.on_select.clone();
                    let on = i == p.active;
                    html! {
                        <button role="tab" class={classes!("machine-tab", on.then_some("on"))} aria-selected={on.to_string()}
                            tabindex={if on { "0" } else { "-1" }} data-testid="machine-tab" data-machine={name.clone()}
                            title={format!("Edit {name}")} onclick={move |_| cb.emit(i)}>
                            { name.clone() }
                        </button>
                    }
                }) }
                <button class="btn icon machine-add" data-testid="add-machine" title="Add a state machine to the workspace"
                    aria-label="Add a state machine" onclick={open_add}>{ "+" }</button>
            </div>
            <button class="btn icon" data-testid="rename-machine" title={format!("Rename {active_name}")} aria-label="Rename this state machine"
                onclick={open_rename}>{ "✎" }</button>
            <button class="btn icon" data-testid="delete-machine" title={if p.names.len() > 1 { format!("Delete {active_name} (Undo brings it back)") } else { "A workspace keeps at least one state machine".to_owned() }}
                aria-label="Delete this state machine" disabled={p.names.len() < 2} onclick={on_delete}>{ "✕" }</button>
            if *form != Form::Closed {
                <form class="machine-form" onsubmit={on_submit} data-testid="machine-form">
                    <label for="machine-name">{ title }</label>
                    <input id="machine-name" ref={input_ref} data-testid="machine-name" value={(*draft).clone()} spellcheck="false"
                        autocomplete="off" maxlength="80" aria-invalid={error.is_some().to_string()}
                        aria-describedby="machine-name-problem" oninput={on_input} onkeydown={on_key} />
                    <button class="btn small primary" type="submit" data-testid="machine-name-ok" disabled={error.is_some()}>
                        { if except.is_some() { "Rename" } else { "Add" } }
                    </button>
                    <button class="btn small" type="button" onclick={cancel}>{ "Cancel" }</button>
                    <p id="machine-name-problem" class={classes!("machine-problem", error.is_none().then_some("hidden"))} data-testid="machine-name-problem" role="status">
                        { error.unwrap_or_default() }
                    </p>
                </form>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked_and_suggested() {
        let names = vec!["A".to_owned(), "StateMachine2".to_owned()];
        assert_eq!(fresh_name(&names), "StateMachine3");
        assert_eq!(problem(&names, "B", None), None);
        assert!(problem(&names, "A", None).is_some());
        assert_eq!(problem(&names, "A", Some(0)), None);
        assert!(problem(&names, "a b", None).is_some());
    }
}
