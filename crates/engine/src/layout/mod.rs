//! Layered layout of a state machine graph, computed once per definition (playback only changes
//! the colours, never the positions).
//!
//! ```
//! use statebridge_engine::layout::layout;
//! let def = serde_json::json!({
//!     "StartAt": "Check",
//!     "States": {
//!         "Check": {"Type": "Choice",
//!                   "Choices": [{"Variable": "$.amount", "NumericGreaterThan": 100, "Next": "Approve"}],
//!                   "Default": "Done"},
//!         "Approve": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:a", "Next": "Done"},
//!         "Done": {"Type": "Succeed"}
//!     }
//! });
//! let l = layout(&def);
//! assert_eq!(l.nodes.len(), 5); // Start, three states, End
//! assert!(l.edges.iter().any(|e| e.label.as_deref() == Some("$.amount > 100")));
//! ```
//!
//! The definition is read through the ASL parser, which never fails ([`crate::asl::parse`]), so a
//! half-written machine still draws from the model validation reads: a state whose `Type` is
//! missing or unknown is a box of that kind, a `Next` naming no state is left out of the edges
//! and listed in the node's `dangling`. Top to bottom: Start, the states, End (every `End: true`, Succeed and Fail state
//! leads to it). Parallel branches and Map processors are groups laid out recursively: the inside
//! first, then the container is one big box of the outer graph. A drawing far taller than wide
//! (a long machine: 100 states in sequence need 100 layers) is folded into side-by-side columns,
//! with the edges between columns routed in lanes of their own (see `fold.rs`).
//!
//! **Why our own layered layout, not a crate** (measured 2026-11, native release build, on a chain
//! with skip and back edges): the `dagre` crate 0.1.2 (a 17,000-line port of dagre.js, ~98 KB gzip
//! in wasm) took 7.8 / 24.9 / 56 / 201 ms for 10 / 50 / 100 / 400 states; this module (~700 lines,
//! stages in [`sugiyama`]) takes the times printed by `cargo run --release --example layout_bench`
//! (see the figures there, well under a millisecond per 10 states), handles containers by
//! recursion and gives labels a layer slot of their own. `rust-sugiyama` has neither containers
//! nor labels.
//!
//! Coordinates: `x`, `y` are the top-left corner of a box; edges are polylines from the source's
//! border to the target's border (the arrow head goes at the last point).

mod fold;
mod generate;
mod label;
mod scope;
mod sugiyama;

use crate::asl::StateMachine;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use generate::{Rng, chain_machine, generate_machine};
pub use scope::RETRY_ROOM;

/// Id of the Start marker (state paths never begin with `/`: a `/` in a state name is escaped).
pub const START_ID: &str = "/start";
/// Id of the End marker.
pub const END_ID: &str = "/end";

/// Empty space around the whole drawing.
const MARGIN: f64 = 16.0;

/// The laid-out graph of one state machine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Layout {
    /// Width of the drawing, margins included.
    pub width: f64,
    /// Height of the drawing, margins included.
    pub height: f64,
    /// Every state, plus the Start and End markers.
    pub nodes: Vec<Node>,
    /// Parallel and Map containers and Parallel branches, outermost first.
    pub groups: Vec<Group>,
    /// Transitions.
    pub edges: Vec<Edge>,
}

/// One box: a state (a container's node is its header strip) or the Start/End marker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// Unique path, e.g. `Fulfil/Branch 0/ShipOrder`; the markers are [`START_ID`] and [`END_ID`].
    pub id: String,
    /// The state's name (empty for the markers).
    pub state: String,
    /// The state's `Type` (`Task`, `Choice`, …, `Unknown` when missing), or `Start` / `End`.
    pub kind: String,
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
    /// The group holding this node (a Branch or a Map), if any.
    pub parent: Option<String>,
    /// Targets named by this state that do not exist in its scope (no edge is drawn for them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dangling: Vec<String>,
    /// A state with a `Retry`: the room kept free at its box's left for the retry mark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry: Option<RetryMark>,
}

/// Where a state's retries are drawn: a loop on the left side of its box, with what it says
/// beside it (`retry ×5` at rest; the attempt that failed and the wait while a run retries), in a
/// room no other box, edge label or mark takes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetryMark {
    /// Left edge of the room (its right edge is the box's left side).
    pub x: f64,
    /// Top edge of the room (the box's top).
    pub y: f64,
    /// Width of the room.
    pub width: f64,
    /// Height of the room (the box's).
    pub height: f64,
    /// `retry ×N`: the most attempts any of its retriers makes.
    pub label: String,
}

/// A container: a Parallel or Map state's box, or one branch of a Parallel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// Unique path: the state's node id for Parallel/Map, `<parallel>/Branch <i>` for a branch.
    pub id: String,
    /// Text to show: the state's name, or `Branch <i+1>`.
    pub label: String,
    /// `Parallel`, `Branch` or `Map`.
    pub kind: String,
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
    /// The group holding this one, if any.
    pub parent: Option<String>,
}

/// What a transition is, so the drawing can tell them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EdgeKind {
    /// `Next`, `StartAt`, or the way to the End marker.
    Next,
    /// One of a Choice's rules.
    Choice,
    /// A Choice's `Default`.
    Default,
    /// A Catch's `Next`.
    Catch,
}

/// One transition drawn as a polyline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    /// Source node id.
    pub from: String,
    /// Target node id.
    pub to: String,
    /// What kind of transition.
    pub kind: EdgeKind,
    /// Choice rule (`$.amount > 100`), `Default`, or a Catch's error names.
    pub label: Option<String>,
    /// Polyline from the source's border to the target's border.
    pub points: Vec<(f64, f64)>,
    /// Centre of the label, where the layout kept room for it.
    pub label_at: Option<(f64, f64)>,
}

/// Lays out the state machine `definition` (an ASL document as JSON); never fails: whatever cannot
/// be read is left out. [`layout_machine`] lays out a definition already read.
pub fn layout(definition: &Value) -> Layout {
    layout_machine(&crate::asl::definition::read_value(definition))
}

/// Lays out a definition read by [`crate::asl::parse`] (whatever its diagnostics).
pub fn layout_machine(definition: &StateMachine) -> Layout {
    let top = scope::Scope {
        prefix: "",
        parent: None,
        top: true,
        depth: 0,
    };
    let mut block = scope::layout_scope(definition, &top);
    block.shift(MARGIN, MARGIN);
    // Outermost groups first, so a renderer drawing in order puts inner groups on top.
    let depth = |g: &Group| {
        let mut d = 0;
        let mut p = g.parent.as_deref();
        while let Some(id) = p.filter(|_| d < 64) {
            d += 1;
            p = block
                .groups
                .iter()
                .find(|h| h.id == id)
                .and_then(|h| h.parent.as_deref());
        }
        d
    };
    let mut keyed: Vec<(usize, Group)> =
        block.groups.iter().map(|g| (depth(g), g.clone())).collect();
    keyed.sort_by_key(|k| k.0);
    block.groups = keyed.into_iter().map(|k| k.1).collect();
    Layout {
        width: block.width + 2.0 * MARGIN,
        height: block.height + 2.0 * MARGIN,
        nodes: block.nodes,
        groups: block.groups,
        edges: block.edges,
    }
}
