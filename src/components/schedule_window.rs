//! The System run's schedule window: how much virtual time after the run's start scheduled
//! rules and Scheduler schedules get to fire in (the engine's
//! `SystemOptions::window_seconds`).

use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// The windows offered, in seconds, with their labels.
pub const WINDOWS: [(i64, &str); 6] = [
    (3_600, "1 hour"),
    (6 * 3_600, "6 hours"),
    (86_400, "1 day"),
    (2 * 86_400, "2 days"),
    (7 * 86_400, "7 days"),
    (30 * 86_400, "30 days"),
];

/// The window a run uses until the user picks another.
pub const DEFAULT_WINDOW: i64 = 86_400;

/// Props of [`ScheduleWindow`].
#[derive(Properties, PartialEq)]
pub struct ScheduleWindowProps {
    /// The window, in seconds.
    pub seconds: i64,
    /// A window was picked (seconds).
    pub on_pick: Callback<i64>,
}

/// A labelled select: "Schedules fire over [1 day]".
#[component]
pub fn ScheduleWindow(p: &ScheduleWindowProps) -> Html {
    let onchange = {
        let cb = p.on_pick.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Ok(s) = value.parse::<i64>() {
                cb.emit(s);
            }
        })
    };
    html! {
        <label class="sys-window" title="How much virtual time after the run's start schedules fire in: scheduled rules and Scheduler schedules (in their own time zones)">
            { "Schedules over " }
            <select data-testid="schedule-window" {onchange}>
                for (s, label) in WINDOWS {
                    <option value={s.to_string()} selected={s == p.seconds}>{ label }</option>
                }
            </select>
        </label>
    }
}
