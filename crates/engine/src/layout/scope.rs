//! Turns one `States` object into a laid-out block: its states become boxes, its transitions edges,
//! and a Parallel's branches or a Map's processor become nested blocks, laid out first (recursively)
//! so that the container is one big box in this scope's graph.

use crate::asl::StateMachine;
use crate::asl::definition::{Kind, State, Transition};

use super::sugiyama::{self, InEdge};
use super::{END_ID, Edge, EdgeKind, Group, Node, RetryMark, START_ID, label};

/// Height of a state's box.
const NODE_HEIGHT: f64 = 40.0;
/// Size of the Start and End markers.
const MARKER: (f64, f64) = (64.0, 28.0);
/// Padding inside a container, around its content.
const PAD: f64 = 14.0;
/// Gap between two branches of a Parallel.
const BRANCH_GAP: f64 = 20.0;
/// Height of a label box.
const LABEL_HEIGHT: f64 = 18.0;
/// Width of the room kept at the left of a state with a `Retry` (its mark, and two short lines
/// saying which attempt failed and how long the wait is, at the graph's label size).
pub const RETRY_ROOM: f64 = 116.0;
/// Containers nested deeper than this are drawn as plain boxes (JSON parsers stop far earlier anyway).
const MAX_DEPTH: usize = 48;

/// A laid-out scope, in coordinates relative to its own top-left corner.
#[derive(Debug, Default)]
pub(crate) struct Block {
    pub width: f64,
    pub height: f64,
    pub nodes: Vec<Node>,
    pub groups: Vec<Group>,
    pub edges: Vec<Edge>,
}

impl Block {
    /// Moves everything by (dx, dy).
    pub(crate) fn shift(&mut self, dx: f64, dy: f64) {
        for n in &mut self.nodes {
            n.x += dx;
            n.y += dy;
            if let Some(r) = &mut n.retry {
                r.x += dx;
                r.y += dy;
            }
        }
        for g in &mut self.groups {
            g.x += dx;
            g.y += dy;
        }
        for e in &mut self.edges {
            for p in &mut e.points {
                p.0 += dx;
                p.1 += dy;
            }
            if let Some(l) = &mut e.label_at {
                l.0 += dx;
                l.1 += dy;
            }
        }
    }

    /// Moves `other` by (dx, dy) and takes its content.
    fn absorb(&mut self, mut other: Block, dx: f64, dy: f64) {
        other.shift(dx, dy);
        self.nodes.append(&mut other.nodes);
        self.groups.append(&mut other.groups);
        self.edges.append(&mut other.edges);
    }
}

/// Where a scope sits: its id prefix, its enclosing group and whether it is the machine's top level.
pub(crate) struct Scope<'a> {
    pub prefix: &'a str,
    pub parent: Option<&'a str>,
    pub top: bool,
    pub depth: usize,
}

/// A nested block with its offset inside the container.
type Placed = (Block, f64, f64);

/// One state being laid out: its node, and the inside of a container.
struct Item {
    node: Node,
    /// Nested blocks with their offsets inside the container, and the container's group.
    inside: Option<(Group, Vec<Placed>)>,
}

/// Lays out the scope `{"StartAt": …, "States": {…}}` read as `def`.
pub(crate) fn layout_scope(def: &StateMachine, scope: &Scope) -> Block {
    let states = &def.states;
    let start_at = Some(def.start_at.as_str());
    let names: Vec<&String> = states.iter().map(|s| &s.name).collect();
    let lookup: std::collections::HashMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let index_of = |name: &str| lookup.get(name).copied();
    let base = usize::from(scope.top);

    let mut items: Vec<Item> = states.iter().map(|state| item(state, scope)).collect();
    let mut sizes: Vec<(f64, f64)> = Vec::new();
    if scope.top {
        sizes.push(MARKER);
    }
    sizes.extend(items.iter().map(|it| (it.node.width, it.node.height)));
    let end = scope.top.then_some(sizes.len());
    if scope.top {
        sizes.push(MARKER);
    }

    // (from, to, kind, label) with graph indices.
    let mut edges: Vec<(usize, usize, EdgeKind, Option<String>)> = Vec::new();
    if scope.top
        && let Some(i) = start_at.and_then(index_of)
    {
        edges.push((0, i + base, EdgeKind::Next, None));
    }
    for (i, state) in states.iter().enumerate() {
        let mut link = |target: Option<&str>,
                        kind: EdgeKind,
                        label: Option<String>,
                        dangling: &mut Vec<String>| {
            let Some(t) = target else { return };
            match index_of(t) {
                Some(j) => edges.push((i + base, j + base, kind, label)),
                None => dangling.push(t.to_owned()),
            }
        };
        let mut dangling = Vec::new();
        if let Kind::Choice(spec) = &state.kind {
            for rule in &spec.choices {
                link(
                    Some(&rule.next),
                    EdgeKind::Choice,
                    Some(label::choice_rule(&rule.rule)),
                    &mut dangling,
                );
            }
            link(
                spec.default.as_deref(),
                EdgeKind::Default,
                Some("Default".to_owned()),
                &mut dangling,
            );
        }
        let next = match &state.transition {
            Transition::Next(n) => Some(n.as_str()),
            _ => None,
        };
        link(next, EdgeKind::Next, None, &mut dangling);
        // A catcher without a `Next` reads as one with an empty name: nothing to draw.
        for catch in state.catch.iter().filter(|c| !c.next.is_empty()) {
            link(
                Some(&catch.next),
                EdgeKind::Catch,
                Some(label::catcher(catch)),
                &mut dangling,
            );
        }
        let terminal = state.transition == Transition::End
            || matches!(state.kind, Kind::Succeed | Kind::Fail(_));
        if let (Some(e), true) = (end, terminal) {
            edges.push((i + base, e, EdgeKind::Next, None));
        }
        if let Some(it) = items.get_mut(i) {
            it.node.dangling = dangling;
        }
    }

    let sizes_len = sizes.len();
    let marks: Vec<Option<String>> = states.iter().map(|s| retry_mark(&s.retry)).collect();
    let graph = sugiyama::Graph {
        sizes,
        edges: edges
            .iter()
            .map(|(from, to, kind, label)| InEdge {
                from: *from,
                to: *to,
                label: label.as_deref().map(label_size),
                weight: match kind {
                    // The way to End is shared by many states; it should not drag them sideways.
                    _ if Some(*to) == end => 1.0,
                    EdgeKind::Next => 8.0,
                    EdgeKind::Choice | EdgeKind::Default => 3.0,
                    EdgeKind::Catch => 1.0,
                },
                side: *kind == EdgeKind::Catch,
            })
            .collect(),
        bottom: end,
        left_room: (0..sizes_len)
            .map(|g| {
                let retries = g
                    .checked_sub(base)
                    .and_then(|i| marks.get(i))
                    .is_some_and(Option::is_some);
                if retries { RETRY_ROOM } else { 0.0 }
            })
            .collect(),
    };
    let placed = sugiyama::place(&graph);

    let mut block = Block {
        width: placed.width,
        height: placed.height,
        ..Block::default()
    };
    let id_of = |g: usize| -> String {
        if scope.top && g == 0 {
            START_ID.to_owned()
        } else if Some(g) == end {
            END_ID.to_owned()
        } else {
            join(scope.prefix, names.get(g - base).map_or("", |s| s.as_str()))
        }
    };
    if scope.top {
        for (g, id, kind) in [(0, START_ID, "Start"), (end.unwrap_or(0), END_ID, "End")] {
            let (cx, cy) = placed.centers.get(g).copied().unwrap_or_default();
            block.nodes.push(Node {
                id: id.to_owned(),
                state: String::new(),
                kind: kind.to_owned(),
                x: cx - MARKER.0 / 2.0,
                y: cy - MARKER.1 / 2.0,
                width: MARKER.0,
                height: MARKER.1,
                parent: None,
                dangling: Vec::new(),
                retry: None,
            });
        }
    }
    for (i, it) in items.drain(..).enumerate() {
        let (cx, cy) = placed.centers.get(i + base).copied().unwrap_or_default();
        let mut node = it.node;
        node.retry = marks.get(i).cloned().flatten().map(|label| {
            // Beside the box (a container's header).
            let (w, h) = (node.width, node.height);
            RetryMark {
                x: cx - w / 2.0 - RETRY_ROOM,
                y: cy - h / 2.0,
                width: RETRY_ROOM,
                height: h.min(NODE_HEIGHT),
                label,
            }
        });
        match it.inside {
            Some((mut group, blocks)) => {
                // The container's box is the group; the state's own node is its header strip.
                let (left, top) = (cx - group.width / 2.0, cy - group.height / 2.0);
                group.x = left;
                group.y = top;
                node.x = left;
                node.y = top;
                node.width = group.width;
                node.height = NODE_HEIGHT;
                block.groups.push(group);
                block.nodes.push(node);
                for (b, dx, dy) in blocks {
                    block.absorb(b, left + dx, top + dy);
                }
            }
            None => {
                node.x = cx - node.width / 2.0;
                node.y = cy - node.height / 2.0;
                block.nodes.push(node);
            }
        }
    }
    for ((from, to, kind, label), (points, label_at)) in edges
        .into_iter()
        .zip(placed.points.into_iter().zip(placed.labels))
    {
        block.edges.push(Edge {
            from: id_of(from),
            to: id_of(to),
            kind,
            label,
            points,
            label_at,
        });
    }
    block
}

/// What a state's retry mark says: `retry ×N`, N the most attempts any retrier makes (none when
/// it has no retrier).
fn retry_mark(retry: &[crate::asl::definition::Retrier]) -> Option<String> {
    let most = retry.iter().map(|r| r.max_attempts).max()?;
    // `MaxAttempts: 0` never retries: nothing to mark.
    (most > 0).then(|| format!("retry ×{most}"))
}

/// The node (and for containers, the laid-out inside) of one state.
fn item(state: &State, scope: &Scope) -> Item {
    let name = state.name.as_str();
    let id = join(scope.prefix, name);
    let kind = state.kind.written_type();
    let node = Node {
        id: id.clone(),
        state: name.to_owned(),
        kind: kind.to_owned(),
        x: 0.0,
        y: 0.0,
        width: text_width(name, 7.2, 40.0).clamp(110.0, 280.0),
        height: NODE_HEIGHT,
        parent: scope.parent.map(str::to_owned),
        dangling: Vec::new(),
        retry: None,
    };
    let deeper = scope.depth + 1;
    let inside = match &state.kind {
        _ if deeper > MAX_DEPTH => None,
        Kind::Parallel(p) => Some(parallel(
            &id,
            name,
            &node,
            &p.branches,
            scope.parent,
            deeper,
        )),
        Kind::Map(m) => {
            let s = Scope {
                prefix: &id,
                parent: Some(&id),
                top: false,
                depth: deeper,
            };
            let inner = layout_scope(&m.processor, &s);
            let width = (inner.width + 2.0 * PAD).max(node.width + 2.0 * PAD);
            let height = NODE_HEIGHT + inner.height + 2.0 * PAD;
            let dx = (width - inner.width) / 2.0;
            let group = container(&id, name, "Map", scope.parent, width, height);
            Some((group, vec![(inner, dx, NODE_HEIGHT + PAD)]))
        }
        _ => None,
    };
    let mut node = node;
    if let Some((g, _)) = &inside {
        node.width = g.width;
        node.height = g.height;
    }
    Item { node, inside }
}

/// A Parallel's branches side by side, each in its own group, under the state's header.
fn parallel(
    id: &str,
    name: &str,
    node: &Node,
    branches: &[StateMachine],
    parent: Option<&str>,
    depth: usize,
) -> (Group, Vec<(Block, f64, f64)>) {
    let mut blocks = Vec::new();
    let mut x = PAD;
    let mut tallest: f64 = 0.0;
    for (b, branch) in branches.iter().enumerate() {
        let gid = format!("{id}/Branch {b}");
        let s = Scope {
            prefix: &gid,
            parent: Some(&gid),
            top: false,
            depth,
        };
        let mut inner = layout_scope(branch, &s);
        let (w, h) = (inner.width + 2.0 * PAD, inner.height + 2.0 * PAD);
        // The branch's own group, placed at (0, 0) of this block; the inside padded within it.
        inner.shift(PAD, PAD);
        inner.groups.push(container(
            &gid,
            &format!("Branch {}", b + 1),
            "Branch",
            Some(id),
            w,
            h,
        ));
        inner.width = w;
        inner.height = h;
        tallest = tallest.max(h);
        blocks.push((inner, x, NODE_HEIGHT + PAD));
        x += w + BRANCH_GAP;
    }
    let content = if blocks.is_empty() {
        0.0
    } else {
        x - BRANCH_GAP + PAD
    };
    let width = content.max(node.width + 2.0 * PAD);
    // Centre the branches when the header is wider than they are.
    let dx = (width - content).max(0.0) / 2.0;
    for b in &mut blocks {
        b.1 += dx;
    }
    let height = NODE_HEIGHT + tallest + 2.0 * PAD;
    (
        container(id, name, "Parallel", parent, width, height),
        blocks,
    )
}

/// A group at the origin.
fn container(
    id: &str,
    label: &str,
    kind: &str,
    parent: Option<&str>,
    width: f64,
    height: f64,
) -> Group {
    Group {
        id: id.to_owned(),
        label: label.to_owned(),
        kind: kind.to_owned(),
        x: 0.0,
        y: 0.0,
        width,
        height,
        parent: parent.map(str::to_owned),
    }
}

/// The id of state `name` inside `prefix`: `/` and `\` in names are escaped so ids stay unique.
fn join(prefix: &str, name: &str) -> String {
    let escaped = name.replace('\\', "\\\\").replace('/', "\\/");
    if prefix.is_empty() {
        escaped
    } else {
        format!("{prefix}/{escaped}")
    }
}

/// A label's box: roughly the width of its text in a small UI font.
fn label_size(text: &str) -> (f64, f64) {
    (text_width(text, 6.4, 12.0), LABEL_HEIGHT)
}

/// Estimated text width; deterministic (no font metrics), generous enough for common fonts.
fn text_width(text: &str, per_char: f64, padding: f64) -> f64 {
    text.chars().count() as f64 * per_char + padding
}
