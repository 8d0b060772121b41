//! A JSON text shown in a `pre.json` box, however long: up to [`WHOLE_LINES`] lines it is one
//! `<pre>`; past that only the lines in view (and a few around them) are in the page, at a fixed
//! line height, so a Map's output of 2,000 items (10,000 lines) costs the browser a screenful of
//! layout instead of one long task.

use yew::prelude::*;

/// Texts of at most this many lines are drawn whole.
pub const WHOLE_LINES: usize = 400;
/// A line's height in pixels (must match `.long-text .lines` in the style sheet).
const LINE: f64 = 18.0;
/// Lines drawn beyond the visible ones, above and below.
const OVERSCAN: usize = 20;

/// Props of [`LongText`].
#[derive(Properties, PartialEq)]
pub struct LongTextProps {
    /// The text.
    pub text: AttrValue,
    /// The box's test id.
    #[prop_or_default]
    pub testid: Option<AttrValue>,
    /// Extra classes of the box (`error`).
    #[prop_or_default]
    pub class: Classes,
}

/// The line starts of a text (byte offsets), worked out once per text.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// A text in a `pre.json` box, windowed when it is long.
#[component]
pub fn LongText(p: &LongTextProps) -> Html {
    let starts = use_memo(p.text.clone(), |t| {
        let starts = line_starts(t);
        // As wide as its longest line, so the box scrolls sideways as a whole `<pre>` would.
        let ends = starts.iter().skip(1).copied().chain([t.len() + 1]);
        let widest = starts
            .iter()
            .zip(ends)
            .map(|(a, b)| b - a)
            .max()
            .unwrap_or(0);
        (starts, widest)
    });
    let (starts, widest) = (&starts.0, starts.1);
    let scroller = use_node_ref();
    let top = use_state(|| 0.0_f64);
    let class = classes!("json", p.class.clone());
    if starts.len() <= WHOLE_LINES {
        return html! { <pre class={class} data-testid={p.testid.clone()}>{ p.text.clone() }</pre> };
    }
    let on_scroll = {
        let (scroller, top) = (scroller.clone(), top.clone());
        Callback::from(move |_: Event| {
            if let Some(el) = scroller.cast::<web_sys::Element>() {
                top.set(f64::from(el.scroll_top()));
            }
        })
    };
    let lines = starts.len();
    // The box is at most 260 px high (`pre.json`): a screenful is well under 40 lines.
    let first = ((*top / LINE) as usize).saturating_sub(OVERSCAN);
    let last = ((*top / LINE) as usize + 40 + OVERSCAN).min(lines);
    let text: &str = &p.text;
    let from = starts.get(first).copied().unwrap_or(0);
    let to = starts
        .get(last)
        .map_or(text.len(), |&end| end.saturating_sub(1));
    let shown = text.get(from..to).unwrap_or_default().to_owned();
    html! {
        <div class={classes!(class, "long-text")} data-testid={p.testid.clone()} ref={scroller} onscroll={on_scroll}
             tabindex="0" role="region" aria-label={format!("{lines} lines")} data-lines={lines.to_string()}>
            <div class="spacer" style={format!("height:{}px;width:{widest}ch", lines as f64 * LINE)}>
                <pre class="lines" style={format!("top:{}px", first as f64 * LINE)}>{ shown }</pre>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_start_after_each_newline() {
        assert_eq!(line_starts(""), vec![0]);
        assert_eq!(line_starts("a\nbc\n"), vec![0, 2, 5]);
    }
}
