//! The Working bar: a check or a run that takes the engine's worker longer than a moment shows
//! what it does, how far it has come (history events recorded, Map iterations ended; a system
//! run's events on the buses and executions ended) and how
//! long it has worked, with a Stop button that ends it (`crate::worker::stop`): the page stays
//! usable meanwhile, and stopping keeps the user's texts.

use crate::worker::{self, Kind};
use yew::prelude::*;

/// The jobs at work, if any has worked longer than `worker::SHOW_AFTER_MS`.
#[component]
pub fn Working() -> Html {
    let busy = use_state(Vec::new);
    {
        let busy = busy.clone();
        use_effect_with((), move |_| {
            let watch = worker::watch(Callback::from(move |()| busy.set(worker::working())));
            move || drop(watch)
        });
    }
    if busy.is_empty() {
        return html! {};
    }
    let stop = Callback::from(|_: MouseEvent| worker::stop());
    html! {
        <div class="working" role="status" aria-live="polite" data-testid="working">
            <span class="working-spinner" aria-hidden="true"></span>
            <ul>
                for b in busy.iter() {
                    <li data-kind={format!("{:?}", b.kind).to_lowercase()}>
                        <span class="working-what">{ b.kind.doing() }</span>
                        <span class="working-progress" data-testid="working-progress"
                            data-events={b.progress.events.to_string()}
                            data-bus={b.progress.bus.to_string()}
                            data-executions={b.progress.executions.to_string()}>
                            { progress(b) }
                        </span>
                    </li>
                }
            </ul>
            <button class="btn small" data-testid="stop" onclick={stop}
                title="Stop the engine's work; your texts stay as they are">{ "Stop" }</button>
        </div>
    }
}

/// "12,345 history events · 1,234 Map iterations ended · 3.2 s".
fn progress(b: &worker::Busy) -> String {
    let mut parts = vec![];
    if b.kind == Kind::Run {
        parts.push(worker::count(
            b.progress.events,
            "history event",
            "history events",
        ));
        if b.progress.iterations > 0 {
            parts.push(format!(
                "{} ended",
                worker::count(b.progress.iterations, "Map iteration", "Map iterations")
            ));
        }
    }
    if b.kind == Kind::System {
        parts.push(format!(
            "{} on the buses",
            worker::count(b.progress.bus, "event", "events")
        ));
        parts.push(format!(
            "{} ended",
            worker::count(b.progress.executions, "execution", "executions")
        ));
        parts.push(worker::count(
            b.progress.events,
            "history event",
            "history events",
        ));
    }
    parts.push(format!("{:.1} s", b.ms / 1000.0));
    parts.join(" · ")
}
