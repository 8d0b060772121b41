//! The state machine drawn from the engine's layout as SVG: states coloured and marked by their
//! replay status, edges by kind, Parallel/Map as groups; pan by dragging, zoom with the wheel or
//! the buttons, pinch on a touch screen, fit to view (again whenever the drawing's box changes
//! size). The status key, the zoom buttons and the "Part of the machine" line sit in a bar below
//! the drawing, never over it. An edge is drawn taken when the run made that move (a Catch edge
//! only when an error was caught there). States are drawn readable (names at least
//! 12 px) at the first view; Catch edges are shown in full only for the state under the pointer,
//! the inspected one, the one at work and the route taken (a badge counts the others), so they
//! never make a web across the drawing.

use super::graph_cull as cull;
use crate::replay::{Move, NodeState, Status};
use statebridge_engine::layout::{Edge, EdgeKind, Layout, Node};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Props of [`Graph`].
#[derive(Properties, PartialEq)]
pub struct GraphProps {
    /// The laid-out machine, if any text ever parsed.
    pub layout: Option<Rc<Layout>>,
    /// Each state's situation at the replay cursor.
    pub nodes: Rc<BTreeMap<String, NodeState>>,
    /// The transitions the run made so far (an edge is drawn taken only when its move was made).
    #[prop_or_default]
    pub moves: Rc<BTreeSet<Move>>,
    /// The inspected state.
    pub selected: Option<String>,
    /// Called with a state's name when it is clicked.
    pub on_select: Callback<String>,
    /// Always open on the whole drawing, however small (an embed, sized to its machine, shows
    /// all of it rather than a readable part).
    #[prop_or_default]
    pub whole: bool,
}

/// The visible part of the drawing, in drawing units.
#[derive(Debug, Clone, Copy, PartialEq)]
struct View {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

/// Screen pixels kept clear around a fitted drawing. The legend, the zoom buttons and the "Part
/// of the machine" line sit in a bar below the drawing's box, never over it.
const MARGIN_PX: f64 = 14.0;

/// The view that shows the whole drawing centred in a box of `el` pixels (the drawing's box,
/// above the graph's bar).
fn fit(layout: &Layout, el: (f64, f64)) -> View {
    let (ew, eh) = (el.0.max(1.0), el.1.max(1.0));
    let (iw, ih) = (
        (ew - 2.0 * MARGIN_PX).max(ew / 2.0),
        (eh - 2.0 * MARGIN_PX).max(eh / 2.0),
    );
    // Never blow a small machine up past 1.25×: boxes the size of the screen read worse.
    let scale = (layout.width / iw).max(layout.height / ih).max(0.8);
    let (w, h) = (ew * scale, eh * scale);
    View {
        x: (layout.width - w) / 2.0,
        y: (layout.height - h) / 2.0,
        w,
        h,
    }
}

/// Drawing units per screen pixel beyond which a drawing is too small to read whole (state names
/// are 13 units high: past this they would be under 12 px): a machine that big opens at
/// [`READABLE`] instead, on its Start, and the view follows the state at work during a run and
/// keeps the failure that ended one in view (⤢ still shows all of it).
const TOO_SMALL: f64 = 1.08;
/// Drawing units per screen pixel a big machine opens at (its names 13 px high).
const READABLE: f64 = 1.0;

/// The view a drawing opens with: all of it, unless that would be too small to read; then a
/// readable part of it from its Start.
fn first_view(layout: &Layout, el: (f64, f64), always_whole: bool) -> View {
    let whole = fit(layout, el);
    let (ew, eh) = (el.0.max(1.0), el.1.max(1.0));
    if always_whole || whole.w / ew <= TOO_SMALL {
        return whole;
    }
    // A drawing whose whole width fits at a scale still readable is shown all across (no state
    // cut by the pane's side, as a sliver of a box would be); a wider one at READABLE.
    // (The drawing has a margin of its own, so its boxes keep clear of the pane's sides.)
    let across = layout.width / ew;
    let k = if across <= TOO_SMALL {
        across.max(READABLE)
    } else {
        READABLE
    };
    let (w, h) = (ew * k, eh * k);
    let start = layout.nodes.iter().find(|n| n.kind == "Start");
    let cx = start.map_or(w / 2.0, |n| n.x + n.width / 2.0);
    // The Start near the top of the box.
    let top = start.map_or(0.0, |n| n.y - MARGIN_PX * k);
    let x = if w >= layout.width {
        (layout.width - w) / 2.0
    } else {
        (cx - w / 2.0).min(layout.width - w).max(0.0)
    };
    View { x, y: top, w, h }
}

/// The view moved (same zoom) so that the box `(x, y, w, h)` is inside it, or `None` when it
/// already is. The box is centred, then the view is pulled back inside the drawing `(dw, dh)`
/// as far as the box allows, so it shows drawing rather than empty space past its edge.
fn bring_into_view(
    v: View,
    (x, y, w, h): (f64, f64, f64, f64),
    (dw, dh): (f64, f64),
) -> Option<View> {
    let inside = x >= v.x && y >= v.y && x + w <= v.x + v.w && y + h <= v.y + v.h;
    // Along one axis: centred on the box, then within the drawing while the box stays in view.
    let place = |at: f64, size: f64, span: f64, total: f64| {
        let centred = at + size / 2.0 - span / 2.0;
        // (A box bigger than the view, as in a pane squeezed for a moment, is centred.)
        if span >= total || size >= span {
            return centred;
        }
        let within = centred.clamp(0.0, total - span);
        within.clamp(at + size - span, at)
    };
    (!inside).then(|| View {
        x: place(x, w, v.w, dw),
        y: place(y, h, v.h, dh),
        ..v
    })
}

/// How the view was last chosen, which says what a change of the box's size does to it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Mode {
    /// The drawing's first view (whole, or a readable part): chosen again for the new size.
    Auto,
    /// ⤢ pressed: the whole drawing, fitted again.
    Whole,
    /// Zoomed or moved by hand: the same scale, about the same centre.
    User,
}

fn element_size(r: &NodeRef) -> (f64, f64) {
    r.cast::<web_sys::Element>().map_or((800.0, 500.0), |e| {
        let b = e.get_bounding_client_rect();
        (b.width(), b.height())
    })
}

/// The graph pane.
#[component]
pub fn Graph(props: &GraphProps) -> Html {
    let host = use_node_ref();
    let view = use_state(|| None::<View>);
    // The drawing (its size) the view was chosen for: a new drawing's first page update draws
    // its first view at once, not the old drawing's view followed by its own (which drew a
    // 1,500-state machine's first view twice, in two long tasks).
    let view_of = use_mut_ref(|| None::<(u64, u64)>);
    // Drag start: pointer position and the view's origin then; `moved` tells a drag from a click.
    let drag = use_mut_ref(|| None::<(f64, f64, View, bool)>);
    // Touch: the pointers down (two pinch), and the pinch's start (distance, view).
    let pointers = use_mut_ref(HashMap::<i32, (f64, f64)>::new);
    let pinch = use_mut_ref(|| None::<(f64, View)>);
    let mode = use_mut_ref(|| Mode::Auto);
    // The state under the pointer (its node id): its Catch edges are drawn in full.
    let hovered = use_state_eq(|| None::<String>);
    // The drawing's box in pixels, watched: when the pane changes size (the editors fold to a
    // rail, the window is resized) the drawing is fitted again.
    let boxed = use_state_eq(|| None::<(i32, i32)>);
    {
        let (host, boxed) = (host.clone(), boxed.clone());
        use_effect_with(props.layout.is_some(), move |_| {
            let watch = host.cast::<web_sys::Element>().map(|el| {
                crate::dom::watch_size(&el, move |w, h| boxed.set(Some((w as i32, h as i32))))
            });
            move || drop(watch)
        });
    }

    {
        // A new drawing (a new definition, not a status change) opens with its first view; while a
        // run plays, a state that becomes active outside the view brings the view to it. One
        // effect for both, so a new drawing never follows from the old drawing's view.
        let (view, host, layout, nodes, whole) = (
            view.clone(),
            host.clone(),
            props.layout.clone(),
            props.nodes.clone(),
            props.whole,
        );
        let size = props
            .layout
            .as_ref()
            .map(|l| (l.width.to_bits(), l.height.to_bits()));
        let drawn = use_mut_ref(|| None::<(Option<(u64, u64)>, Option<(i32, i32)>)>);
        // The box's size, measured once per size the watch reports: measuring it at every
        // playback frame forced a layout of the frame's changes in the middle of the task.
        let measured = use_mut_ref(|| None::<(Option<(i32, i32)>, (f64, f64))>);
        let (mode, view_of) = (mode.clone(), view_of.clone());
        use_effect_with(
            (size, *boxed, Rc::as_ptr(&props.nodes) as usize),
            move |&(size, boxed, _)| {
                let before = drawn.borrow_mut().replace((size, boxed));
                let new_drawing = before.is_none_or(|(s, _)| s != size);
                let resized = before.and_then(|(_, b)| b).filter(|&b| Some(b) != boxed);
                let Some(layout) = layout else {
                    view.set(None);
                    return;
                };
                if new_drawing {
                    *mode.borrow_mut() = Mode::Auto;
                }
                let el = match *measured.borrow() {
                    Some((b, el)) if b == boxed && !new_drawing => el,
                    _ => element_size(&host),
                };
                *measured.borrow_mut() = Some((boxed, el));
                // A new drawing opens with its first view; the same drawing in a box of another
                // size is fitted again as its view was chosen.
                let base = match (*view, resized, *mode.borrow()) {
                    (Some(v), None, _) if !new_drawing => v,
                    (Some(v), Some(old), Mode::User) if !new_drawing => {
                        let k = v.w / f64::from(old.0.max(1));
                        let (w, h) = (el.0.max(1.0) * k, el.1.max(1.0) * k);
                        View {
                            x: v.x + v.w / 2.0 - w / 2.0,
                            y: v.y + v.h / 2.0 - h / 2.0,
                            w,
                            h,
                        }
                    }
                    (Some(_), Some(_), Mode::Whole) if !new_drawing => fit(&layout, el),
                    _ => first_view(&layout, el, whole),
                };
                // The state at work, else one that failed the run: a run that ends failed
                // leaves its failure in view, as one that is playing keeps its active state.
                let status_of = |n: &&Node| nodes.get(&n.state).map(|s| s.status);
                let busy = layout
                    .nodes
                    .iter()
                    .find(|n| matches!(status_of(n), Some(Status::Active | Status::Retrying)))
                    .or_else(|| {
                        layout
                            .nodes
                            .iter()
                            .find(|n| status_of(n) == Some(Status::Failed))
                    });
                let next = busy
                    .and_then(|n| {
                        // With its retry mark: the attempt that failed and the wait are in view too.
                        let left = n.retry.as_ref().map_or(n.x, |r| r.x.min(n.x));
                        bring_into_view(
                            base,
                            (left, n.y, n.x + n.width - left, n.height),
                            (layout.width, layout.height),
                        )
                    })
                    .unwrap_or(base);
                *view_of.borrow_mut() = size;
                if *view != Some(next) {
                    view.set(Some(next));
                }
            },
        );
    }
    // Where everything of the drawing is (built once per drawing): what a view shows is found
    // from it, and the per-edge and per-node look-ups by id are not walks of the drawing.
    let index = {
        let layout = props.layout.clone();
        let ptr = props.layout.as_ref().map(|l| Rc::as_ptr(l) as usize);
        use_memo(ptr, move |_| layout.map(|l| cull::Index::new(&l)))
    };
    // The state last given the keyboard's focus (its node id): it and the states before and
    // after it stay in the page wherever the view is, so Tab and Shift+Tab walk on to a state
    // out of view (which then brings the view to it).
    let focused = use_state_eq(|| None::<String>);
    // A view asked for by the wheel, a drag or a pinch is drawn at the next animation frame (many
    // wheel events in one frame make one drawing); `pending` holds the latest.
    let pending = use_mut_ref(Pending::default);
    // A sketch of the whole drawing (its paths), kept while the drawing and the run's situation
    // are the same.
    let sketched = use_mut_ref(|| None::<((usize, usize, usize), Rc<Sketch>)>);
    // The state with the keyboard's focus when this drawing began: should the page's update move
    // its element (a keyed list moves elements, and a moved element loses the focus), it is
    // given the focus back once the update is done.
    let refocus = use_mut_ref(|| None::<String>);
    {
        let refocus = refocus.clone();
        use_effect(move || {
            if let Some(name) = refocus.borrow_mut().take() {
                give_focus_back(&name);
            }
        });
    }
    *refocus.borrow_mut() = focused_state();
    let Some(layout) = props.layout.clone() else {
        return html! {
            <div class="graph empty" data-testid="graph" role="img" aria-label="State machine graph">
                <p>{ "The graph appears once the state machine is valid JSON." }</p>
            </div>
        };
    };
    let Some(index) = (*index).as_ref().map(|_| index.clone()) else {
        return html! {};
    };
    let index: &cull::Index = index.as_ref().as_ref().expect("checked above");
    let size = (layout.width.to_bits(), layout.height.to_bits());
    let current = match *view {
        Some(v) if *view_of.borrow() == Some(size) => v,
        // The box's size as last watched (measuring it here would lay the page out mid-update).
        _ => {
            let el = boxed.map_or_else(
                || element_size(&host),
                |(w, h)| (f64::from(w), f64::from(h)),
            );
            first_view(&layout, el, props.whole)
        }
    };
    {
        let mut p = pending.borrow_mut();
        if !p.due {
            p.view = Some(current);
        }
    }
    // The view the user last asked for (drawn at the next frame), else the one drawn.
    let latest = {
        let pending = pending.clone();
        move || pending.borrow().view.unwrap_or(current)
    };
    let set_view = {
        let (pending, view) = (pending.clone(), view.clone());
        Rc::new(move |v: View| {
            let mut p = pending.borrow_mut();
            p.view = Some(v);
            if p.due {
                return;
            }
            p.due = true;
            let (pending, view) = (pending.clone(), view.clone());
            next_frame(move || {
                let v = {
                    let mut p = pending.borrow_mut();
                    p.due = false;
                    p.view
                };
                if let Some(v) = v {
                    view.set(Some(v));
                }
            });
        })
    };

    let zoom_by = {
        let (set_view, host, mode, latest) =
            (set_view.clone(), host.clone(), mode.clone(), latest.clone());
        move |factor: f64, at: Option<(f64, f64)>| {
            *mode.borrow_mut() = Mode::User;
            let el = element_size(&host);
            let v = latest();
            // Zoom around the pointer (fractions of the box), or the centre.
            let (fx, fy) = at.unwrap_or((0.5, 0.5));
            let (px, py) = (v.x + fx * v.w, v.y + fy * v.h);
            let (w, h) = (
                (v.w * factor).clamp(50.0, 20_000.0),
                (v.h * factor).clamp((50.0 * el.1 / el.0.max(1.0)).min(20_000.0), 20_000.0),
            );
            set_view(View {
                x: px - fx * w,
                y: py - fy * h,
                w,
                h,
            });
        }
    };
    let on_wheel = {
        let (zoom_by, host) = (zoom_by.clone(), host.clone());
        Callback::from(move |e: WheelEvent| {
            e.prevent_default();
            let Some(el) = host.cast::<web_sys::Element>() else {
                return;
            };
            let b = el.get_bounding_client_rect();
            let at = (
                (e.client_x() as f64 - b.left()) / b.width().max(1.0),
                (e.client_y() as f64 - b.top()) / b.height().max(1.0),
            );
            // In proportion to the wheel's travel, so a trackpad zooms smoothly and a mouse wheel
            // by ~15% a notch; a pinch on a trackpad comes as a wheel with Ctrl, in finer steps.
            let px = match e.delta_mode() {
                1 => e.delta_y() * 16.0,
                2 => e.delta_y() * 400.0,
                _ => e.delta_y(),
            };
            let k = if e.ctrl_key() { 0.01 } else { 0.0015 };
            zoom_by((px * k).exp().clamp(0.5, 2.0), Some(at));
        })
    };
    let on_down = {
        let (drag, pointers, pinch) = (drag.clone(), pointers.clone(), pinch.clone());
        let latest = latest.clone();
        Callback::from(move |e: PointerEvent| {
            let current = latest();
            let mut ps = pointers.borrow_mut();
            ps.insert(e.pointer_id(), (e.client_x() as f64, e.client_y() as f64));
            if ps.len() == 2 {
                // A second finger: the drag becomes a pinch (and is no click).
                *drag.borrow_mut() = Some((f64::NAN, f64::NAN, current, true));
                *pinch.borrow_mut() = Some((spread(&ps), current));
            } else if e.button() == 0 && ps.len() == 1 {
                *drag.borrow_mut() =
                    Some((e.client_x() as f64, e.client_y() as f64, current, false));
            }
        })
    };
    let on_move = {
        let (drag, set_view, host, mode) =
            (drag.clone(), set_view.clone(), host.clone(), mode.clone());
        let (pointers, pinch) = (pointers.clone(), pinch.clone());
        Callback::from(move |e: PointerEvent| {
            let mut ps = pointers.borrow_mut();
            if let Some(p) = ps.get_mut(&e.pointer_id()) {
                *p = (e.client_x() as f64, e.client_y() as f64);
            }
            if let (2, Some((d0, v0)), Some(el)) =
                (ps.len(), *pinch.borrow(), host.cast::<web_sys::Element>())
            {
                let b = el.get_bounding_client_rect();
                let (mx, my) = midpoint_of(&ps);
                let (fx, fy) = (
                    (mx - b.left()) / b.width().max(1.0),
                    (my - b.top()) / b.height().max(1.0),
                );
                let factor = (d0 / spread(&ps).max(1.0)).clamp(0.05, 20.0);
                let (w, h) = (v0.w * factor, v0.h * factor);
                if w > 50.0 && w < 20_000.0 {
                    *mode.borrow_mut() = Mode::User;
                    let (px, py) = (v0.x + fx * v0.w, v0.y + fy * v0.h);
                    set_view(View {
                        x: px - fx * w,
                        y: py - fy * h,
                        w,
                        h,
                    });
                }
                return;
            }
            drop(ps);
            let mut d = drag.borrow_mut();
            let Some((sx, sy, v0, moved)) = d.as_mut() else {
                return;
            };
            let (dx, dy) = (e.client_x() as f64 - *sx, e.client_y() as f64 - *sy);
            if dx.is_nan() {
                return;
            }
            if !*moved && dx.abs() + dy.abs() < 4.0 {
                return;
            }
            *moved = true;
            *mode.borrow_mut() = Mode::User;
            let el = element_size(&host);
            let k = v0.w / el.0.max(1.0);
            set_view(View {
                x: v0.x - dx * k,
                y: v0.y - dy * k,
                ..*v0
            });
        })
    };
    let on_up = {
        let (drag, pointers, pinch) = (drag.clone(), pointers.clone(), pinch.clone());
        Callback::from(move |e: PointerEvent| {
            let mut ps = pointers.borrow_mut();
            ps.remove(&e.pointer_id());
            if ps.len() < 2 {
                *pinch.borrow_mut() = None;
            }
            // Keep the "moved" flag until the click that follows has been ignored.
            if let Some(d) = drag.borrow_mut().as_mut() {
                d.0 = f64::NAN;
            }
        })
    };
    let select = {
        let (drag, cb) = (drag.clone(), props.on_select.clone());
        move |name: String| {
            let was_drag = drag.borrow_mut().take().is_some_and(|d| d.3);
            if !was_drag {
                cb.emit(name);
            }
        }
    };
    let zoom_in = {
        let z = zoom_by.clone();
        Callback::from(move |_| z(1.0 / 1.25, None))
    };
    let zoom_out = {
        let z = zoom_by.clone();
        Callback::from(move |_| z(1.25, None))
    };
    let on_fit = {
        let (set_view, host, layout) = (set_view.clone(), host.clone(), layout.clone());
        let mode = mode.clone();
        Callback::from(move |_| {
            *mode.borrow_mut() = Mode::Whole;
            set_view(fit(&layout, element_size(&host)));
        })
    };
    let status_of = |n: &Node| props.nodes.get(&n.state).copied().unwrap_or_default();
    // The states whose Catch edges are drawn in full (with their error names): under the
    // pointer, inspected, or caught; at work or just failed, where a Catch may send the run
    // next, they are drawn faint, without labels, so they hint without making a web.
    let catch_style = |from: Option<usize>| {
        from.map(|i| {
            let n = &layout.nodes[i];
            let status = status_of(n).status;
            if hovered.as_deref() == Some(n.id.as_str())
                || props.selected.as_deref() == Some(n.state.as_str())
                || status == Status::Caught
            {
                Some(false)
            } else if matches!(status, Status::Active | Status::Retrying | Status::Failed) {
                Some(true)
            } else {
                None
            }
        })
    };
    // A state's retry mark (the loop at its left) says what its Retry does when it is pointed
    // at, inspected or at work; at rest it is a faint loop.
    let retry_in_full = |n: &Node| {
        hovered.as_deref() == Some(n.id.as_str())
            || props.selected.as_deref() == Some(n.state.as_str())
            || matches!(
                status_of(n).status,
                Status::Active | Status::Retrying | Status::Failed
            )
    };
    // An edge is taken when the run made its move: into the first state from Start, from a
    // state to the next by its Next, a Choice rule or Default (not caught), by a Catch only when
    // an error was caught there, and to End from a state that ended the run there.
    let taken = |i: usize| {
        let e = &layout.edges[i];
        let (Some(from), Some(to)) = index.ends[i] else {
            return false;
        };
        let (from, to) = (&layout.nodes[from], &layout.nodes[to]);
        match (from.kind.as_str(), to.kind.as_str()) {
            ("Start", _) => status_of(to).runs > 0,
            (_, "End") => {
                let s = status_of(from);
                s.status == Status::Succeeded || (from.kind == "Fail" && s.runs > 0)
            }
            _ => props.moves.contains(&Move {
                from: from.state.clone(),
                to: to.state.clone(),
                caught: e.kind == EdgeKind::Catch,
            }),
        }
    };
    // How an edge is drawn: `None` left out (a Catch counted on its state's badge), else faint
    // or in full, and whether the run took it.
    let edge_style = |i: usize| {
        let taken = taken(i);
        let style = if layout.edges[i].kind != EdgeKind::Catch || taken {
            Some(false)
        } else {
            catch_style(index.ends[i].0).flatten()
        };
        (taken, style)
    };
    // What is drawn: a machine of a few states whole; a bigger one only what is in or near the
    // view, and as a sketch when that is more states than can be read (zoomed far out).
    let big = layout.nodes.len() > cull::WHOLE_UP_TO;
    let near = if big {
        index.in_area(&cull::Area::near(
            current.x, current.y, current.w, current.h,
        ))
    } else {
        cull::InView {
            nodes: (0..layout.nodes.len()).collect(),
            edges: (0..layout.edges.len()).collect(),
            groups: (0..layout.groups.len()).collect(),
        }
    };
    // (Never a view that is readable, names 12 px or more, as a big screen's first view may hold
    // more than SKETCH_ABOVE states.)
    let box_w = boxed.map_or(800.0, |(w, _)| f64::from(w.max(1)));
    let sketch = big && near.nodes.len() > cull::SKETCH_ABOVE && current.w / box_w > TOO_SMALL;
    // States drawn wherever the view is: the inspected one, the ones at work, the one with the
    // keyboard's focus and its neighbours in the Tab order (on a sketch, the first state, so Tab
    // reaches the drawing).
    let mut kept: Vec<usize> = Vec::new();
    if big {
        let focus_at = focused.as_ref().and_then(|id| index.by_id.get(id)).copied();
        let focus_at = focus_at.or_else(|| {
            sketch
                .then(|| layout.nodes.iter().position(|n| n.kind != "Start"))
                .flatten()
        });
        if let Some(i) = focus_at {
            kept.extend([i.saturating_sub(1), i, (i + 1).min(layout.nodes.len() - 1)]);
        }
        for (i, n) in layout.nodes.iter().enumerate() {
            let s = status_of(n).status;
            if props.selected.as_deref() == Some(n.state.as_str())
                || matches!(s, Status::Active | Status::Retrying)
            {
                kept.push(i);
            }
        }
    }
    let drawn_nodes: Vec<usize> = {
        let mut v = if sketch {
            kept
        } else {
            [near.nodes.clone(), kept].concat()
        };
        v.sort_unstable();
        v.dedup();
        v.retain(|&i| {
            let n = &layout.nodes[i];
            !(sketch && (n.kind == "Start" || n.kind == "End"))
        });
        v
    };
    let sketch_paths = sketch.then(|| {
        let key = (
            Rc::as_ptr(&layout) as usize,
            Rc::as_ptr(&props.nodes) as usize,
            Rc::as_ptr(&props.moves) as usize,
        );
        let mut cache = sketched.borrow_mut();
        match cache.as_ref() {
            Some((k, s)) if *k == key => s.clone(),
            _ => {
                let s = Rc::new(Sketch::of(&layout, |n| status_of(n).status, &edge_style));
                *cache = Some((key, s.clone()));
                s
            }
        }
    });

    // Whether some of the drawing is out of view (then a line says how to see the rest).
    let part = current.x > 1.0
        || current.y > 1.0
        || current.x + current.w < layout.width - 1.0
        || current.y + current.h < layout.height - 1.0;
    let vb = format!(
        "{:.1} {:.1} {:.1} {:.1}",
        current.x, current.y, current.w, current.h
    );
    // A press on a sketch (not a drag) zooms to a readable scale there.
    let on_sketch_click = {
        let (drag, set_view, host, mode) =
            (drag.clone(), set_view.clone(), host.clone(), mode.clone());
        Callback::from(move |e: MouseEvent| {
            let was_drag = drag.borrow_mut().take().is_some_and(|d| d.3);
            let on_node = e
                .target_dyn_into::<web_sys::Element>()
                .and_then(|t| t.closest(".node").ok().flatten())
                .is_some();
            let Some(el) = host.cast::<web_sys::Element>() else {
                return;
            };
            if was_drag || on_node {
                return;
            }
            let b = el.get_bounding_client_rect();
            let (fx, fy) = (
                (e.client_x() as f64 - b.left()) / b.width().max(1.0),
                (e.client_y() as f64 - b.top()) / b.height().max(1.0),
            );
            let (px, py) = (current.x + fx * current.w, current.y + fy * current.h);
            let (w, h) = (
                b.width().max(1.0) * READABLE,
                b.height().max(1.0) * READABLE,
            );
            *mode.borrow_mut() = Mode::User;
            set_view(View {
                x: px - w / 2.0,
                y: py - h / 2.0,
                w,
                h,
            });
        })
    };
    let svg_click = sketch.then_some(on_sketch_click);
    // A press on the drawing (not on a state) starts a drag: it leaves the keyboard's focus where
    // it was (on a state, so Tab walks on from there), rather than moving it to the pane.
    let keep_focus = Callback::from(|e: MouseEvent| {
        let on_node = e
            .target_dyn_into::<web_sys::Element>()
            .and_then(|t| t.closest(".node").ok().flatten())
            .is_some();
        if !on_node {
            e.prevent_default();
        }
    });
    html! {
        <div class="graph" data-testid="graph" role="group" aria-label="State machine graph" tabindex="-1">
            <div class="graph-canvas" ref={host.clone()}>
            <svg viewBox={vb} onwheel={on_wheel} onpointerdown={on_down} onpointermove={on_move} onpointerup={on_up.clone()}
                 onpointercancel={on_up.clone()} onpointerleave={on_up} onclick={svg_click} onmousedown={keep_focus}
                 class={classes!(sketch.then_some("sketch"))}
                 data-states={layout.nodes.len().to_string()} data-drawn={drawn_nodes.len().to_string()}
                 data-width={f(layout.width)} data-height={f(layout.height)}>
                <defs>
                    <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse">
                        <path d="M0,0 L10,5 L0,10 z" class="arrow" />
                    </marker>
                </defs>
                // Each list in an element of its own, so each is a list of keyed elements alone
                // and a pan adds and removes only what enters and leaves: mixed with the `defs`
                // and each other in the svg, they made one list matched by place, where one state
                // more or fewer in view replaced every element (and took the keyboard's focus
                // off its state for a moment).
                if let Some(s) = sketch_paths {
                    { s.html() }
                } else {
                    <g class="drawn">
                    <g class="groups">
                    { for near.groups.iter().map(|&i| {
                        let g = &layout.groups[i];
                        html! {
                            <g key={g.id.clone()} class={classes!("group", format!("group-{}", g.kind.to_lowercase()))} data-group={g.id.clone()}>
                                <rect x={f(g.x)} y={f(g.y)} width={f(g.width)} height={f(g.height)} rx="8" />
                                if g.kind == "Branch" {
                                    <text x={f(g.x + 8.0)} y={f(g.y + 14.0)} class="group-label">{ g.label.clone() }</text>
                                }
                            </g>
                        }
                    }) }
                    </g>
                    <g class="edges">
                    { for near.edges.iter().filter_map(|&i| {
                        let (taken, style) = edge_style(i);
                        // A Catch edge left out is not in the page at all on a big machine (a
                        // small one keeps it, hidden, as before).
                        (!big || style.is_some()).then(|| edge(i, &layout.edges[i], taken, style))
                    }) }
                    </g>
                    </g>
                }
                <g class="nodes">
                { for drawn_nodes.iter().map(|&i| {
                    let n = &layout.nodes[i];
                    let (select, hovered) = (select.clone(), hovered.clone());
                    let (name, id) = (n.state.clone(), n.id.clone());
                    let on = NodeEvents {
                        click: {
                            let (select, name) = (select.clone(), name.clone());
                            Callback::from(move |_| select(name.clone()))
                        },
                        key: Callback::from(move |e: KeyboardEvent| {
                            if e.key() == "Enter" || e.key() == " " {
                                e.prevent_default();
                                e.stop_propagation();
                                select(name.clone());
                            }
                        }),
                        hover: {
                            let (id, drag) = (id.clone(), drag.clone());
                            Callback::from(move |on: bool| {
                                // Not while the drawing is dragged under the pointer: the states
                                // it passes over would each draw their Catch edges in turn.
                                if drag.borrow().is_some_and(|d| d.3 && !d.0.is_nan()) {
                                    return;
                                }
                                hovered.set(on.then(|| id.clone()))
                            })
                        },
                        focus: {
                            let (focused, set_view, host, mode, latest) = (focused.clone(), set_view.clone(), host.clone(), mode.clone(), latest.clone());
                            let (at, size) = ((n.x, n.y), (n.width, n.height));
                            let area = (layout.width, layout.height);
                            Callback::from(move |e: FocusEvent| {
                                focused.set(Some(id.clone()));
                                // Moved to by the keyboard (not a press, which must not move the
                                // box from under the pointer): the view comes to the state,
                                // readable if it was zoomed too far out to read it.
                                let keyboard = e
                                    .target_dyn_into::<web_sys::Element>()
                                    .is_some_and(|t| t.matches(":focus-visible").unwrap_or(false));
                                if !keyboard {
                                    return;
                                }
                                let v = latest();
                                let el = element_size(&host);
                                let v = if v.w / el.0.max(1.0) > TOO_SMALL {
                                    let (w, h) = (el.0.max(1.0) * READABLE, el.1.max(1.0) * READABLE);
                                    View { x: at.0 + size.0 / 2.0 - w / 2.0, y: at.1 + size.1 / 2.0 - h / 2.0, w, h }
                                } else {
                                    match bring_into_view(v, (at.0, at.1, size.0, size.1), area) {
                                        Some(v) => v,
                                        None => return,
                                    }
                                };
                                *mode.borrow_mut() = Mode::User;
                                set_view(v);
                            })
                        },
                    };
                    let shown = Shown {
                        selected: props.selected.as_deref() == Some(n.state.as_str()),
                        catches: index.catches[i],
                        retry_in_full: retry_in_full(n),
                    };
                    node(n, status_of(n), shown, on)
                }) }
                </g>
            </svg>
            </div>
            // The bar below the drawing (after its states in the Tab order): the status key, the
            // line saying only part is shown, the zoom buttons. Nothing is laid over the drawing.
            <div class="graph-bar" data-testid="graph-bar">
                <Legend />
                if sketch {
                    <p class="graph-part" data-testid="graph-sketch">{ "Too small to read · click a place to zoom in" }</p>
                } else if part {
                    <p class="graph-part" data-testid="graph-part">{ "Part of the machine · ⤢ shows all" }</p>
                }
                <div class="graph-tools" role="toolbar" aria-label="Zoom">
                    <button class="btn icon" onclick={zoom_in} title="Zoom in" aria-label="Zoom in">{ "+" }</button>
                    <button class="btn icon" onclick={zoom_out} title="Zoom out" aria-label="Zoom out">{ "−" }</button>
                    <button class="btn icon" onclick={on_fit} title="Fit to view" aria-label="Fit to view">{ "⤢" }</button>
                </div>
            </div>
        </div>
    }
}

fn f(x: f64) -> String {
    format!("{x:.1}")
}

/// The distance between the first two pointers down.
fn spread(ps: &HashMap<i32, (f64, f64)>) -> f64 {
    let mut it = ps.values();
    match (it.next(), it.next()) {
        (Some(a), Some(b)) => ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt(),
        _ => 1.0,
    }
}

/// The point between the pointers down.
fn midpoint_of(ps: &HashMap<i32, (f64, f64)>) -> (f64, f64) {
    let n = ps.len().max(1) as f64;
    let (x, y) = ps.values().fold((0.0, 0.0), |a, p| (a.0 + p.0, a.1 + p.1));
    (x / n, y / n)
}

/// An edge; `shown` is `None` for a Catch edge left out (its state's badge counts it),
/// `Some(true)` for one drawn faint without its label, `Some(false)` in full.
fn edge(i: usize, e: &Edge, taken: bool, shown: Option<bool>) -> Html {
    let (quiet, hint) = (shown.is_none(), shown == Some(true));
    let Some(((x0, y0), rest)) = e.points.split_first() else {
        return html! { <g key={i} /> };
    };
    let mut d = format!("M{x0:.1},{y0:.1}");
    for (x, y) in rest {
        d.push_str(&format!(" L{x:.1},{y:.1}"));
    }
    let kind = match e.kind {
        EdgeKind::Next => "next",
        EdgeKind::Choice => "choice",
        EdgeKind::Default => "default",
        EdgeKind::Catch => "catch",
    };
    let label = e.label.as_ref().map(|text| {
        let (lx, ly) = e.label_at.unwrap_or_else(|| midpoint(&e.points));
        let shown: String = if text.chars().count() > 34 {
            text.chars().take(33).chain(['…']).collect()
        } else {
            text.clone()
        };
        let w = cull::label_width(&shown);
        html! {
            <g class="edge-label">
                <title>{ text.clone() }</title>
                <rect x={f(lx - w / 2.0)} y={f(ly - 9.0)} width={f(w)} height="18" rx="4" />
                <text x={f(lx)} y={f(ly + 4.0)} text-anchor="middle">{ shown }</text>
            </g>
        }
    });
    html! {
        <g key={i} class={classes!("edge", format!("edge-{kind}"), taken.then_some("taken"), quiet.then_some("quiet"), hint.then_some("hint"))} data-from={e.from.clone()} data-to={e.to.clone()}>
            <path d={d} marker-end="url(#arrow)" />
            { for label }
        </g>
    }
}

fn midpoint(points: &[(f64, f64)]) -> (f64, f64) {
    points.get(points.len() / 2).copied().unwrap_or((0.0, 0.0))
}

/// What a state's node answers: a click or Enter/Space (inspect it), the pointer over it.
struct NodeEvents {
    click: Callback<MouseEvent>,
    key: Callback<KeyboardEvent>,
    hover: Callback<bool>,
    focus: Callback<FocusEvent>,
}

/// How much of a node's surroundings is shown.
struct Shown {
    /// The node is inspected.
    selected: bool,
    /// Its Catch edges (counted on a badge).
    catches: usize,
    /// Its retry mark says what it does (else a faint loop).
    retry_in_full: bool,
}

/// A state's retry mark, in the room the layout kept at its box's left: a loop into the box and,
/// beside it, which attempt failed and the virtual wait before the next (while a run retries),
/// the attempt at work, or what the Retry allows.
fn retry_mark(n: &Node, s: NodeState, in_full: bool) -> Html {
    let Some(r) = &n.retry else {
        return html! {};
    };
    let cy = r.y + r.height / 2.0;
    let (right, loop_x) = (r.x + r.width, r.x + r.width - 9.0);
    let d = format!(
        "M{right:.1},{:.1} L{loop_x:.1},{:.1} L{loop_x:.1},{:.1} L{right:.1},{:.1}",
        cy - 8.0,
        cy - 8.0,
        cy + 8.0,
        cy + 8.0
    );
    let lines: Vec<String> = match (s.retry_in_ms, s.attempts) {
        (Some(ms), a) => vec![
            format!("attempt {} failed", a.max(1)),
            format!("retry in {}", crate::replay::format_duration(ms)),
        ],
        (None, a) if a > 1 => vec![format!("attempt {a}")],
        _ if in_full => vec![r.label.clone()],
        _ => Vec::new(),
    };
    let busy = s.retry_in_ms.is_some() || s.attempts > 1;
    let x = loop_x - 5.0;
    let first_y = cy + 4.0 - 6.5 * (lines.len().saturating_sub(1)) as f64;
    html! {
        <g class={classes!("retry-mark", busy.then_some("busy"), (!in_full && !busy).then_some("hint"))}>
            // The room is the state's too: a press on its words (or between them and the box)
            // inspects the state, as a press on the box does.
            <rect class="hit" x={f(r.x)} y={f(cy - 16.0)} width={f(r.width)} height="32" />
            <path d={d} />
            if !lines.is_empty() {
                <text x={f(x)} y={f(first_y)} text-anchor="end" class={classes!(busy.then_some("attempts"))}
                      data-testid={busy.then_some("attempts")}>
                    { for lines.iter().enumerate().map(|(i, l)| html! {
                        <tspan x={f(x)} dy={if i == 0 { "0" } else { "13" }}>{ l.clone() }</tspan>
                    }) }
                </text>
            }
        </g>
    }
}

fn node(n: &Node, s: NodeState, shown: Shown, on: NodeEvents) -> Html {
    let Shown {
        selected,
        catches,
        retry_in_full,
    } = shown;
    if n.kind == "Start" || n.kind == "End" {
        return html! {
            <g key={n.id.clone()} class={classes!("marker", format!("marker-{}", n.kind.to_lowercase()))} data-marker={n.kind.clone()}>
                <rect x={f(n.x)} y={f(n.y)} width={f(n.width)} height={f(n.height)} rx={f(n.height / 2.0)} />
                <text x={f(n.x + n.width / 2.0)} y={f(n.y + n.height / 2.0 + 4.0)} text-anchor="middle">{ n.kind.clone() }</text>
            </g>
        };
    }
    let status = s.status;
    let container = n.kind == "Parallel" || n.kind == "Map";
    let two_lines = n.height >= 40.0 && !container;
    // The name's room: the box less its padding (and the glyph's place on a one-line box), at
    // ~8.3 px a character of the bold 13 px face.
    let room = n.width - if two_lines { 20.0 } else { 34.0 };
    // A Map or Parallel header reads "Map · name": the kind takes its share of the room, and is
    // left out when it would leave fewer than 8 characters of the name.
    let prefix = if container {
        format!("{} · ", n.kind)
    } else {
        String::new()
    };
    let fits = (room / 8.3).max(4.0) as usize;
    let prefix = if fits >= prefix.chars().count() + 8 {
        prefix
    } else {
        String::new()
    };
    let max_chars = fits - prefix.chars().count();
    let name: String = if n.state.chars().count() > max_chars {
        n.state
            .chars()
            .take(max_chars.saturating_sub(1))
            .chain(['…'])
            .collect()
    } else {
        n.state.clone()
    };
    let mid = n.y + n.height / 2.0;
    let (kind_y, name_y) = if two_lines {
        (mid - 6.0, mid + 11.0)
    } else {
        (mid + 4.0, mid + 4.0)
    };
    let mut tip = format!("{} ({}) — {}", n.state, n.kind, status.as_str());
    if s.runs > 1 {
        tip.push_str(&format!(", entered {} times", s.runs));
    }
    if !n.dangling.is_empty() {
        tip.push_str(&format!(
            "\nleads to missing state(s): {}",
            n.dangling.join(", ")
        ));
    }
    if catches > 0 {
        tip.push_str(&format!(
            "\n{catches} Catch route(s): shown in full when pointed at or inspected"
        ));
    }
    let (enter, leave) = (on.hover.clone(), on.hover);
    if let Some(ms) = s.retry_in_ms {
        tip.push_str(&format!(
            "\nattempt {} failed, retry in {}",
            s.attempts.max(1),
            crate::replay::format_duration(ms)
        ));
    } else if s.attempts > 1 {
        tip.push_str(&format!("\nattempt {}", s.attempts));
    }
    html! {
        <g key={n.id.clone()} class={classes!("node", format!("kind-{}", n.kind.to_lowercase()), selected.then_some("selected"), (!n.dangling.is_empty()).then_some("dangling"))}
           data-state={n.state.clone()} data-status={status.as_str()} data-kind={n.kind.clone()}
           tabindex="0" role="button" aria-label={tip.clone()} onclick={on.click} onkeydown={on.key} onfocus={on.focus}
           onpointerenter={Callback::from(move |_: PointerEvent| enter.emit(true))}
           onpointerleave={Callback::from(move |_: PointerEvent| leave.emit(false))}>
            <title>{ tip }</title>
            <rect x={f(n.x)} y={f(n.y)} width={f(n.width)} height={f(n.height)} rx="6" class="box" />
            if container {
                <text x={f(n.x + 10.0)} y={f(name_y)} class="name">{ format!("{prefix}{name}") }</text>
            } else {
                if two_lines { <text x={f(n.x + 10.0)} y={f(kind_y)} class="kind">{ n.kind.clone() }</text> }
                <text x={f(n.x + 10.0)} y={f(name_y)} class="name">{ name }</text>
            }
            // On a two-line box the glyph sits on the short kind line, clear of a long name.
            <text x={f(n.x + n.width - 14.0)} y={f(if two_lines { kind_y + 2.0 } else { mid + 5.0 })} text-anchor="middle" class="glyph">{ status.glyph() }</text>
            if s.runs > 1 {
                <text x={f(n.x + n.width - 8.0)} y={f(n.y - 4.0)} text-anchor="end" class="runs">{ format!("×{}", s.runs) }</text>
            }
            { retry_mark(n, s, retry_in_full) }
            if catches > 0 {
                <text x={f(n.x + n.width - 4.0)} y={f(n.y + n.height + 13.0)} text-anchor="end" class="catches">{ format!("↷ {catches}") }</text>
            }
        </g>
    }
}

/// The name of the graph's state that has the keyboard's focus, if one has.
fn focused_state() -> Option<String> {
    let el = web_sys::window()?.document()?.active_element()?;
    el.closest("[data-testid=graph] .node").ok().flatten()?;
    el.get_attribute("data-state")
}

/// Gives the focus back to the graph's state `name` when the page's update took it away (the
/// focus is then on nothing: the page's body).
fn give_focus_back(name: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if focused_state().is_some_and(|n| n == name) {
        return;
    }
    let on_nothing = match (doc.active_element(), doc.body()) {
        (None, _) => true,
        (Some(a), Some(b)) => {
            let b: &web_sys::Element = b.as_ref();
            a == *b
        }
        _ => false,
    };
    if !on_nothing {
        return;
    }
    let Ok(Some(nodes)) = doc.query_selector("[data-testid=graph] svg > g.nodes") else {
        return;
    };
    let mut at = nodes.first_element_child();
    while let Some(el) = at {
        if el.get_attribute("data-state").as_deref() == Some(name) {
            if let Ok(focus) = js_sys::Reflect::get(&el, &"focus".into())
                && let Ok(focus) = focus.dyn_into::<js_sys::Function>()
            {
                let _ = focus.call0(&el);
            }
            return;
        }
        at = el.next_element_sibling();
    }
}

/// The latest view asked for by the user, and whether an animation frame is due to draw it.
#[derive(Default)]
struct Pending {
    view: Option<View>,
    due: bool,
}

/// Calls `f` at the browser's next animation frame.
fn next_frame(f: impl FnOnce() + 'static) {
    let f = wasm_bindgen::closure::Closure::once_into_js(f);
    if let Some(w) = web_sys::window() {
        // Without a frame (no window) the view simply is not redrawn.
        let _ = w.request_animation_frame(f.unchecked_ref());
    }
}

/// A big machine zoomed too far out to read: every box and edge, without words, as a few paths
/// (one per status, one per kind of line), so the page holds a handful of elements whatever the
/// machine's size. Strokes keep one screen pixel at any zoom (see `.sketch` in the styles).
struct Sketch {
    groups: AttrValue,
    /// Boxes by status (`idle`, `active`, …; `marker` for Start and End).
    nodes: Vec<(&'static str, AttrValue)>,
    /// Lines by kind: `next` (also Choice rules and Default), `catch`, `taken`.
    edges: Vec<(&'static str, AttrValue)>,
}

impl Sketch {
    fn of(
        layout: &Layout,
        status: impl Fn(&Node) -> Status,
        edge_style: &dyn Fn(usize) -> (bool, Option<bool>),
    ) -> Sketch {
        use std::fmt::Write;
        let rect = |d: &mut String, (x, y, w, h): (f64, f64, f64, f64)| {
            let _ = write!(d, "M{x:.0},{y:.0}h{w:.0}v{h:.0}h{:.0}z", -w);
        };
        let mut groups = String::new();
        for g in &layout.groups {
            rect(&mut groups, (g.x, g.y, g.width, g.height));
        }
        let mut nodes: BTreeMap<&'static str, String> = BTreeMap::new();
        for n in &layout.nodes {
            let class = if n.kind == "Start" || n.kind == "End" {
                "marker"
            } else {
                status(n).as_str()
            };
            rect(
                nodes.entry(class).or_default(),
                (n.x, n.y, n.width, n.height),
            );
        }
        let mut edges: BTreeMap<&'static str, String> = BTreeMap::new();
        for (i, e) in layout.edges.iter().enumerate() {
            let (taken, style) = edge_style(i);
            if style.is_none() {
                continue;
            }
            let class = match (taken, e.kind) {
                (true, _) => "taken",
                (false, EdgeKind::Catch) => "catch",
                _ => "next",
            };
            let d = edges.entry(class).or_default();
            for (k, (x, y)) in e.points.iter().enumerate() {
                let _ = write!(d, "{}{x:.0},{y:.0}", if k == 0 { 'M' } else { 'L' });
            }
        }
        // Taken lines over the others.
        let order = |c: &str| match c {
            "taken" => 2,
            "catch" => 1,
            _ => 0,
        };
        let mut edges: Vec<_> = edges
            .into_iter()
            .map(|(k, d)| (k, AttrValue::from(d)))
            .collect();
        edges.sort_by_key(|(k, _)| order(k));
        Sketch {
            groups: AttrValue::from(groups),
            nodes: nodes
                .into_iter()
                .map(|(k, d)| (k, AttrValue::from(d)))
                .collect(),
            edges,
        }
    }

    fn html(&self) -> Html {
        html! {
            <g class="sketch-all" aria-hidden="true">
                if !self.groups.is_empty() {
                    <path class="sketch-groups" d={self.groups.clone()} />
                }
                { for self.edges.iter().map(|(k, d)| html! {
                    <path key={*k} class={classes!("sketch-edges", *k)} d={d.clone()} />
                }) }
                { for self.nodes.iter().map(|(k, d)| html! {
                    <path key={*k} class="sketch-nodes" data-status={*k} d={d.clone()} />
                }) }
            </g>
        }
    }
}

/// The status key: each colour with its glyph, so colour is never the only signal.
#[component]
fn Legend() -> Html {
    let all = [
        Status::Active,
        Status::Retrying,
        Status::Succeeded,
        Status::Caught,
        Status::Failed,
        Status::Cancelled,
    ];
    html! {
        <ul class="legend" aria-label="Status key">
            { for all.iter().map(|s| html! {
                <li data-status={s.as_str()}><span class="swatch">{ s.glyph() }</span>{ s.as_str() }</li>
            }) }
        </ul>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drawing(width: f64, height: f64) -> Layout {
        Layout {
            width,
            height,
            nodes: vec![Node {
                id: statebridge_engine::layout::START_ID.into(),
                state: String::new(),
                kind: "Start".into(),
                x: width / 2.0 - 20.0,
                y: 10.0,
                width: 40.0,
                height: 20.0,
                parent: None,
                dangling: vec![],
                retry: None,
            }],
            groups: vec![],
            edges: vec![],
        }
    }

    #[test]
    fn a_machine_opens_whole_unless_too_small_to_read() {
        // A seed-sized drawing in a 600×360 pane: all of it.
        let small = drawing(560.0, 280.0);
        let v = first_view(&small, (600.0, 360.0), false);
        assert_eq!(v, fit(&small, (600.0, 360.0)));
        assert!(v.x <= 0.0 && v.x + v.w >= 560.0);
        // Vertically, the drawing is centred with a margin above and below.
        let per_px = v.h / 360.0;
        assert!(v.y <= -MARGIN_PX * per_px + 1e-9);
        assert!(v.y + v.h >= 280.0 + MARGIN_PX * per_px - 1e-9);
        // A 100-state drawing: a readable part, from the Start, inside the drawing.
        let big = drawing(4000.0, 3000.0);
        // An embed asks for the whole of it, however small.
        assert_eq!(
            first_view(&big, (600.0, 360.0), true),
            fit(&big, (600.0, 360.0))
        );
        let v = first_view(&big, (600.0, 360.0), false);
        assert_eq!((v.w, v.h), (600.0 * READABLE, 360.0 * READABLE));
        assert!(v.x <= 1980.0 && v.x + v.w >= 2020.0);
        // The Start sits near the top of the box, inside it.
        assert!(10.0 - v.y >= MARGIN_PX * READABLE - 1e-9);
        assert!(v.x >= 0.0 && v.x + v.w <= 4000.0);
    }

    #[test]
    fn a_tall_drawing_a_little_wider_than_the_pane_opens_all_across() {
        // 1080 units wide in a 1024-pixel pane: a readable scale shows all of its width, so no
        // state at its side is cut to a sliver; too tall to show whole, it opens on its Start.
        let tall = drawing(1080.0, 944.0);
        let v = first_view(&tall, (1024.0, 500.0), false);
        assert!(v.x <= 0.0 && v.x + v.w >= 1080.0, "{v:?}");
        assert!(v.w / 1024.0 <= TOO_SMALL);
        assert!(v.h < 944.0);
    }

    #[test]
    fn an_active_state_outside_the_view_brings_the_view_to_it() {
        let v = View {
            x: 0.0,
            y: 0.0,
            w: 100.0,
            h: 100.0,
        };
        let drawing = (1000.0, 1000.0);
        assert_eq!(bring_into_view(v, (10.0, 10.0, 20.0, 20.0), drawing), None);
        let moved = bring_into_view(v, (500.0, 300.0, 20.0, 20.0), drawing).unwrap();
        assert_eq!(
            (moved.x, moved.y, moved.w, moved.h),
            (460.0, 260.0, 100.0, 100.0)
        );
        // Near the drawing's bottom right corner: the view stops at the drawing's edge (no empty
        // space past it), the box still inside.
        let corner = bring_into_view(v, (960.0, 970.0, 30.0, 20.0), drawing).unwrap();
        assert_eq!((corner.x, corner.y), (900.0, 900.0));
        // A box bigger than the view (a pane squeezed to a sliver): centred on it, no panic.
        let thin = View { h: 10.0, ..v };
        let centred = bring_into_view(thin, (500.0, 300.0, 20.0, 40.0), drawing).unwrap();
        assert_eq!(centred.y, 315.0);
    }
}
