//! Playback controls: play/pause, step back/forward, speed, and a scrubber over the history, with
//! the simulated time of the chosen moment (a 24-hour Wait passes in a second on screen).

use crate::replay::format_duration;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Props of [`Playback`].
#[derive(Properties, PartialEq)]
pub struct PlaybackProps {
    /// Events shown.
    pub cursor: usize,
    /// Events in the history.
    pub len: usize,
    /// Whether it is playing.
    pub playing: bool,
    /// Speed factor.
    pub speed: f64,
    /// Simulated time since the start at the cursor, in ms.
    pub elapsed: Option<i64>,
    /// The type of the event at the cursor.
    pub event_type: Option<AttrValue>,
    /// Its timestamp.
    pub timestamp: Option<AttrValue>,
    /// Show the first n events.
    pub on_seek: Callback<usize>,
    /// Playback on/off.
    pub on_play: Callback<bool>,
    /// Speed factor.
    pub on_speed: Callback<f64>,
}

/// A playback icon drawn as SVG (the media symbols of Unicode are missing from many fonts and
/// showed as empty boxes).
fn icon(kind: &str) -> Html {
    let d = match kind {
        "first" => "M3 2h2v12H3zM14 2v12L6 8z",
        "back" => "M12 2v12L4 8z",
        "play" => "M4 2v12l10-6z",
        "pause" => "M3 2h4v12H3zM9 2h4v12H9z",
        "forward" => "M4 2v12l8-6z",
        _ => "M2 2v12l8-6zM11 2h2v12h-2z",
    };
    html! { <svg class="pb-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d={d} /></svg> }
}

const SPEEDS: [f64; 6] = [0.25, 0.5, 1.0, 2.0, 4.0, 10.0];

/// The playback bar.
#[component]
pub fn Playback(p: &PlaybackProps) -> Html {
    let seek = |n: usize| {
        let cb = p.on_seek.clone();
        Callback::from(move |_: MouseEvent| cb.emit(n))
    };
    let on_scrub = {
        let cb = p.on_seek.clone();
        Callback::from(move |e: InputEvent| {
            let v = e
                .target_unchecked_into::<HtmlInputElement>()
                .value_as_number();
            if v.is_finite() {
                cb.emit(v.max(0.0) as usize);
            }
        })
    };
    let on_toggle = {
        let (cb, playing) = (p.on_play.clone(), p.playing);
        Callback::from(move |_: MouseEvent| cb.emit(!playing))
    };
    let on_speed = {
        let cb = p.on_speed.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(x) = statebridge_engine::number::parse_f64(&value) {
                cb.emit(x);
            }
        })
    };
    let none = p.len == 0;
    html! {
        <div class="playback" role="toolbar" aria-label="Playback">
            <button class="btn icon" disabled={none || p.cursor == 0} onclick={seek(0)} title="To the start (Home)" aria-label="To the start">{ icon("first") }</button>
            <button class="btn icon" data-testid="step-back" disabled={none || p.cursor == 0} onclick={seek(p.cursor.saturating_sub(1))} title="Step back (Shift+F10)" aria-label="Step back">{ icon("back") }</button>
            <button class="btn icon primary-ghost" data-testid="play" disabled={none} onclick={on_toggle}
                    title={if p.playing { "Pause (Space)" } else { "Play (Space)" }} aria-label={if p.playing { "Pause" } else { "Play" }}>
                { icon(if p.playing { "pause" } else { "play" }) }
            </button>
            <button class="btn icon" data-testid="step-forward" disabled={none || p.cursor >= p.len} onclick={seek(p.cursor + 1)} title="Step forward (F10)" aria-label="Step forward">{ icon("forward") }</button>
            <button class="btn icon" disabled={none || p.cursor >= p.len} onclick={seek(p.len)} title="To the end (End)" aria-label="To the end">{ icon("last") }</button>
            <input type="range" class="scrubber" data-testid="scrubber" aria-label="Timeline" min="0" max={p.len.to_string()}
                   value={p.cursor.to_string()} disabled={none} oninput={on_scrub} />
            <span class="clock" data-testid="clock" title="Simulated time since the execution started (the virtual clock)">
                if none {
                    { "no run yet" }
                } else {
                    <span class="count">{ format!("{} / {}", p.cursor, p.len) }</span>
                    <span class="elapsed">{ format!("T+{}", format_duration(p.elapsed.unwrap_or(0))) }</span>
                    if let Some(t) = &p.event_type { <span class="etype">{ t.clone() }</span> }
                }
            </span>
            <label class="speed">
                <span class="sr-only">{ "Speed" }</span>
                <select onchange={on_speed} aria-label="Playback speed">
                    { for SPEEDS.iter().map(|s| html! {
                        <option value={s.to_string()} selected={(*s - p.speed).abs() < 1e-9}>{ format!("{s}×") }</option>
                    }) }
                </select>
            </label>
            if let Some(t) = &p.timestamp { <span class="stamp" title="Simulated timestamp of this event">{ t.clone() }</span> }
        </div>
    }
}
