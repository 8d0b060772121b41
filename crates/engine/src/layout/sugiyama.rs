//! The layered (Sugiyama) placement of one flat graph: boxes and directed edges in, box centres and
//! edge polylines out. Containers never reach this module: the caller lays their inside out first
//! and hands the result in as one big box.
//!
//! Stages, each a function: break cycles ([`acyclic`]), assign layers ([`rank`]), split long edges
//! into chains of dummy boxes ([`split`]), order each layer by barycenter sweeps ([`order`]), then
//! place boxes horizontally by least squares under separation constraints ([`place_x`]).

use super::fold;

/// Horizontal gap between two boxes of one layer.
const NODE_SEP: f64 = 28.0;
/// Vertical gap between two layers.
const RANK_SEP: f64 = 44.0;
/// Width a plain dummy (a bend point of a long edge) takes in its layer.
const DUMMY_WIDTH: f64 = 8.0;
/// How far a self-loop sticks out to the right of its box.
const LOOP_REACH: f64 = 24.0;
/// How far an edge that leaves a box on its side (a Catch) runs out before it turns down: less
/// than half of [`NODE_SEP`], so it never reaches the next box of the layer.
const SIDE_STUB: f64 = 12.0;
/// How far above the state it leads to a bundled edge's label is centred (the label, 18 high,
/// stays inside the gap between layers).
const SIDE_LABEL_RISE: f64 = 12.0;
/// Upper bound of ordering sweeps; we stop earlier once crossings stop improving.
const ORDER_SWEEPS: usize = 12;
/// Down-and-up passes of the horizontal placement.
const PLACE_SWEEPS: usize = 8;

/// A flat graph to place.
#[derive(Debug, Default)]
pub(crate) struct Graph {
    /// Box sizes (width, height), indexed by node number.
    pub sizes: Vec<(f64, f64)>,
    /// Directed edges.
    pub edges: Vec<InEdge>,
    /// A node that must sit alone below everything else (the End marker), if any.
    pub bottom: Option<usize>,
    /// Room kept free at the left of a box (for a state's retry mark), per node; missing means none.
    pub left_room: Vec<f64>,
}

/// One directed edge of a [`Graph`].
#[derive(Debug, Clone)]
pub(crate) struct InEdge {
    /// Source node.
    pub from: usize,
    /// Target node.
    pub to: usize,
    /// Size of the edge's label box, when it has one: the label gets a place of its own.
    pub label: Option<(f64, f64)>,
    /// How strongly the edge pulls its ends into line: the main path should come out straight,
    /// error paths may bend.
    pub weight: f64,
    /// The edge leaves its source on the right side rather than from the bottom (a Catch: error
    /// paths step aside from the main line, all of one state's in one bundle).
    pub side: bool,
}

/// Where everything went.
#[derive(Debug, Default)]
pub(crate) struct Placed {
    /// Total width.
    pub width: f64,
    /// Total height.
    pub height: f64,
    /// Centre of every node's box.
    pub centers: Vec<(f64, f64)>,
    /// Each edge's polyline, from the source's border to the target's border.
    pub points: Vec<Vec<(f64, f64)>>,
    /// Centre of each edge's label, for the edges that have one.
    pub labels: Vec<Option<(f64, f64)>>,
}

/// One box of the layered graph: a real node or a dummy.
#[derive(Debug, Clone)]
struct LNode {
    width: f64,
    height: f64,
    layer: usize,
    /// How much the box resists moving in the placement: a state weighs as much as its edges, so
    /// the main path stays put and error paths bend around it; a dummy weighs twice its edge, so
    /// long edges come out straight.
    weight: f64,
    /// How far right of the reserved slot's centre the box's own centre is (half its left room).
    shift: f64,
}

/// Lays `g` out top to bottom (in columns when it is very tall).
pub(crate) fn place(g: &Graph) -> Placed {
    let n = g.sizes.len();
    if n == 0 {
        return Placed::default();
    }
    let reversed = acyclic(n, &g.edges);
    let ranks = rank(n, &g.edges, &reversed, g.bottom);
    // Self-loops are drawn beside their box, so the box reserves room on both sides (the centre stays).
    let room = |i: usize| g.left_room.get(i).copied().unwrap_or(0.0).max(0.0);
    let mut widths: Vec<f64> = (0..n).map(|i| g.sizes[i].0 + room(i)).collect();
    for e in g.edges.iter().filter(|e| e.from == e.to) {
        if let Some(w) = widths.get_mut(e.from) {
            *w += 2.0 * (LOOP_REACH + e.label.map_or(0.0, |l| l.0));
        }
    }
    let mut nodes: Vec<LNode> = (0..n)
        .map(|i| LNode {
            width: widths[i],
            height: g.sizes[i].1,
            layer: ranks[i],
            weight: 1.0,
            shift: room(i) / 2.0,
        })
        .collect();
    for e in g.edges.iter().filter(|e| e.from != e.to) {
        nodes[e.from].weight += e.weight;
        nodes[e.to].weight += e.weight;
    }
    let chains = split(&mut nodes, &g.edges, &reversed, &ranks);
    let layers = order(&nodes, &chains);
    let weights: Vec<f64> = g.edges.iter().map(|e| e.weight).collect();
    let xs = place_x(&nodes, &chains, &weights, &layers, &[]);
    let (ys, layer_bands, height) = place_y(&nodes, &layers);
    let centers: Vec<(f64, f64)> = (0..nodes.len())
        .map(|i| (xs[i] + nodes[i].shift, ys[i]))
        .collect();
    let width = nodes
        .iter()
        .enumerate()
        .map(|(i, v)| xs[i] + v.width / 2.0)
        .fold(0.0, f64::max);
    let bands: Vec<(f64, f64)> = nodes.iter().map(|v| layer_bands[v.layer]).collect();
    let (points, labels) = route(g, &chains, &reversed, &centers, &bands);
    let placed = Placed {
        width,
        height,
        centers,
        points,
        labels,
    };
    let lg = Layered {
        g,
        nodes: &nodes,
        chains: &chains,
        reversed: &reversed,
        weights: &weights,
        layers: &layers,
        bands: &layer_bands,
        ys: &ys,
    };
    let mut placed = fold_if_tall(placed, &lg);
    placed.centers.truncate(n);
    placed
}

/// Everything the stages computed, for a second placement.
struct Layered<'a> {
    g: &'a Graph,
    nodes: &'a [LNode],
    chains: &'a [Vec<usize>],
    reversed: &'a [bool],
    weights: &'a [f64],
    layers: &'a [Vec<usize>],
    /// Each layer's band.
    bands: &'a [(f64, f64)],
    ys: &'a [f64],
}

/// Folds a drawing far taller than wide into columns (see [`fold`]); others come back unchanged.
/// Each way of cutting is placed again with the edges between columns let go, so that every
/// column is as narrow as its own content; the way that fits the smallest square wins.
fn fold_if_tall(placed: Placed, lg: &Layered) -> Placed {
    let mut crossing = vec![0usize; lg.bands.len()];
    for chain in lg.chains {
        for pair in chain.windows(2) {
            let (a, b) = (lg.nodes[pair[0]].layer, lg.nodes[pair[1]].layer);
            if let Some(c) = crossing.get_mut(a.min(b)) {
                *c += 1;
            }
        }
    }
    let tall = fold::Tall {
        bands: lg.bands,
        crossing: &crossing,
        size: (placed.width, placed.height),
    };
    let mut best: Option<(f64, Placed)> = None;
    for cuts in fold::plans(&tall) {
        let columns = fold::column_of_layers(lg.layers.len(), &cuts);
        let xs = place_x(lg.nodes, lg.chains, lg.weights, lg.layers, &columns);
        let centers: Vec<(f64, f64)> = xs
            .iter()
            .zip(lg.nodes)
            .map(|(x, v)| x + v.shift)
            .zip(lg.ys.iter().copied())
            .collect();
        let bands: Vec<(f64, f64)> = lg.nodes.iter().map(|v| lg.bands[v.layer]).collect();
        let (points, labels) = route(lg.g, lg.chains, lg.reversed, &centers, &bands);
        let extents: Vec<(f64, f64, f64)> = lg
            .nodes
            .iter()
            .zip(&centers)
            .map(|(v, &(x, y))| (x - v.shift - v.width / 2.0, x - v.shift + v.width / 2.0, y))
            .collect();
        let f = fold::Folded::new(&tall, &cuts, &extents, &points);
        let side = f.side();
        if best.as_ref().is_some_and(|b| b.0 <= side) {
            continue;
        }
        let folded = Placed {
            width: f.size.0,
            height: f.size.1,
            centers: centers.iter().map(|&c| f.point(c)).collect(),
            points: f.lines(&points),
            labels: labels.iter().map(|l| l.map(|c| f.point(c))).collect(),
        };
        best = Some((side, folded));
    }
    best.map_or(placed, |b| b.1)
}

/// Marks the edges to reverse so that the graph has no cycle: the back edges of a depth-first search
/// from node 0 (the Start marker or the first state), then from every node not yet reached, in order.
fn acyclic(n: usize, edges: &[InEdge]) -> Vec<bool> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, e) in edges.iter().enumerate() {
        if e.from != e.to && e.from < n && e.to < n {
            out[e.from].push(i);
        }
    }
    // 0 = unseen, 1 = on the stack, 2 = done.
    let mut state = vec![0u8; n];
    let mut reversed = vec![false; edges.len()];
    for root in 0..n {
        if state[root] != 0 {
            continue;
        }
        // An explicit stack keeps deep machines from overflowing the call stack.
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        state[root] = 1;
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            if let Some(&ei) = out[v].get(*next) {
                *next += 1;
                let w = edges[ei].to;
                match state[w] {
                    0 => {
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => reversed[ei] = true,
                    _ => {}
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    reversed
}

/// The oriented (after reversal) end points of edge `e`, or `None` for a self-loop.
fn oriented(e: &InEdge, rev: bool) -> Option<(usize, usize)> {
    if e.from == e.to {
        None
    } else if rev {
        Some((e.to, e.from))
    } else {
        Some((e.from, e.to))
    }
}

/// Layer of every node: longest path from the sources, a labelled edge spanning at least two layers
/// so its label has a layer of its own; sources are then pulled down next to their first successor,
/// and the `bottom` node goes alone below everything.
fn rank(n: usize, edges: &[InEdge], reversed: &[bool], bottom: Option<usize>) -> Vec<usize> {
    let mut indeg = vec![0usize; n];
    let mut out: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    for (e, &rev) in edges.iter().zip(reversed) {
        if let Some((a, b)) = oriented(e, rev) {
            let minlen = if e.label.is_some() { 2 } else { 1 };
            out[a].push((b, minlen));
            indeg[b] += 1;
        }
    }
    let mut topo = Vec::with_capacity(n);
    let mut queue: std::collections::VecDeque<usize> = (0..n).filter(|&v| indeg[v] == 0).collect();
    while let Some(v) = queue.pop_front() {
        topo.push(v);
        for &(w, _) in &out[v] {
            indeg[w] -= 1;
            if indeg[w] == 0 {
                queue.push_back(w);
            }
        }
    }
    let mut ranks = vec![0usize; n];
    for &v in &topo {
        for &(w, len) in &out[v] {
            ranks[w] = ranks[w].max(ranks[v] + len);
        }
    }
    // States not reachable from node 0 (unreachable or half-written ones) would all start at the top
    // with long edges down to where they lead; float them down next to their successors instead,
    // then push everything below back into order.
    let mut reached = vec![false; n];
    let mut stack = vec![0];
    while let Some(v) = stack.pop() {
        if !std::mem::replace(&mut reached[v], true) {
            stack.extend(out[v].iter().map(|&(w, _)| w));
        }
    }
    for &v in topo.iter().rev() {
        if !reached[v]
            && let Some(r) = out[v]
                .iter()
                .map(|&(w, len)| ranks[w].saturating_sub(len))
                .min()
        {
            ranks[v] = r;
        }
    }
    for &v in &topo {
        for &(w, len) in &out[v] {
            ranks[w] = ranks[w].max(ranks[v] + len);
        }
    }
    if let Some(b) = bottom.filter(|&b| b < n) {
        let others = (0..n).filter(|&v| v != b).map(|v| ranks[v]).max();
        ranks[b] = others.map_or(0, |m| m + 1);
    }
    ranks
}

/// Splits every edge into segments between adjacent layers. Returns, per input edge, the chain of
/// layered nodes in oriented order (source, dummies…, target); a self-loop's chain is just its node.
///
/// The side edges (Catches) leaving one state downwards are bundled: they share one dummy per
/// layer (a trunk, one lane beside the drawing) down to the layer above the first of their
/// targets, and part there; their labels go just above the states they lead to (see [`route`]),
/// so they take no slot. Any other edge's label sits just after the state it leaves, where a
/// reader looks for it (a Choice's rules read as a fan under the Choice); for a reversed edge
/// that is the lower end.
fn split(
    nodes: &mut Vec<LNode>,
    edges: &[InEdge],
    reversed: &[bool],
    ranks: &[usize],
) -> Vec<Vec<usize>> {
    let bundled = |e: &InEdge, rev: bool| e.side && !rev && e.from != e.to;
    // Where each state's bundle parts: the layer of its nearest target.
    let mut parts: Vec<usize> = vec![usize::MAX; ranks.len()];
    for (e, &rev) in edges.iter().zip(reversed) {
        if bundled(e, rev) && e.from < ranks.len() && e.to < ranks.len() {
            parts[e.from] = parts[e.from].min(ranks[e.to]);
        }
    }
    let mut trunks: std::collections::HashMap<(usize, usize), usize> =
        std::collections::HashMap::new();
    let mut chains = Vec::with_capacity(edges.len());
    for (e, &rev) in edges.iter().zip(reversed) {
        let Some((a, b)) = oriented(e, rev) else {
            chains.push(vec![e.from]);
            continue;
        };
        let (ra, rb) = (ranks[a], ranks[b]);
        let bundle = bundled(e, rev);
        let mut chain = vec![a];
        let label_layer = match (bundle, rev) {
            (true, _) => usize::MAX,
            (false, true) => rb - 1,
            (false, false) => ra + 1,
        };
        for layer in ra + 1..rb {
            if bundle && layer < parts[a] {
                let next = nodes.len();
                let d = *trunks.entry((a, layer)).or_insert(next);
                if d == next {
                    nodes.push(LNode {
                        width: DUMMY_WIDTH,
                        height: 0.0,
                        layer,
                        weight: 2.0 * e.weight,
                        shift: 0.0,
                    });
                }
                chain.push(d);
                continue;
            }
            let (width, height, weight) = match e.label {
                Some((w, h)) if layer == label_layer => (w, h, e.weight),
                _ => (DUMMY_WIDTH, 0.0, 2.0 * e.weight),
            };
            chain.push(nodes.len());
            nodes.push(LNode {
                width,
                height,
                layer,
                weight,
                shift: 0.0,
            });
        }
        chain.push(b);
        chains.push(chain);
    }
    chains
}

/// Adjacency of the layered graph: (upper neighbours, lower neighbours) per node.
fn neighbours(count: usize, chains: &[Vec<usize>]) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
    let mut up = vec![Vec::new(); count];
    let mut down = vec![Vec::new(); count];
    for chain in chains {
        for pair in chain.windows(2) {
            down[pair[0]].push(pair[1]);
            up[pair[1]].push(pair[0]);
        }
    }
    (up, down)
}

/// Orders each layer to reduce crossings: a depth-first initial order, then barycenter sweeps down
/// and up, keeping the best order seen.
fn order(nodes: &[LNode], chains: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let count = nodes.len();
    let (up, down) = neighbours(count, chains);
    let depth = nodes.iter().map(|v| v.layer).max().unwrap_or(0) + 1;
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); depth];
    // Initial order: depth first along lower neighbours, so a chain of states stays in one column.
    let mut seen = vec![false; count];
    for root in 0..count {
        let mut stack = vec![root];
        while let Some(v) = stack.pop() {
            if std::mem::replace(&mut seen[v], true) {
                continue;
            }
            layers[nodes[v].layer].push(v);
            stack.extend(down[v].iter().rev().filter(|&&w| !seen[w]));
        }
    }
    let mut pos = vec![0usize; count];
    let index = |layers: &[Vec<usize>], pos: &mut [usize]| {
        for layer in layers {
            for (i, &v) in layer.iter().enumerate() {
                pos[v] = i;
            }
        }
    };
    index(&layers, &mut pos);
    let mut best = layers.clone();
    let mut best_cross = crossings(&layers, &down, &pos);
    for sweep in 0..ORDER_SWEEPS {
        if best_cross == 0 {
            break;
        }
        let downward = sweep % 2 == 0;
        let seq: Vec<usize> = if downward {
            (1..depth).collect()
        } else {
            (0..depth.saturating_sub(1)).rev().collect()
        };
        for l in seq {
            let adj = if downward { &up } else { &down };
            let mut keyed: Vec<(f64, usize)> = layers[l]
                .iter()
                .map(|&v| {
                    let ns = &adj[v];
                    let key = if ns.is_empty() {
                        pos[v] as f64
                    } else {
                        ns.iter().map(|&w| pos[w] as f64).sum::<f64>() / ns.len() as f64
                    };
                    (key, v)
                })
                .collect();
            // Stable sort: ties keep their current order, which keeps the result deterministic.
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
            layers[l] = keyed.into_iter().map(|(_, v)| v).collect();
            for (i, &v) in layers[l].iter().enumerate() {
                pos[v] = i;
            }
        }
        transpose(&mut layers, &mut pos, &up, &down);
        let c = crossings(&layers, &down, &pos);
        if c < best_cross {
            best_cross = c;
            best = layers.clone();
        }
    }
    best
}

/// Swaps neighbours within a layer while that removes crossings with the layers above and below
/// (the local refinement barycenter sweeps miss, e.g. two edges entering the same gap).
fn transpose(layers: &mut [Vec<usize>], pos: &mut [usize], up: &[Vec<usize>], down: &[Vec<usize>]) {
    // Crossings between the edges of u and of v when u stands left of v.
    let pair = |pos: &[usize], u: usize, v: usize| -> usize {
        let mut c = 0;
        for adj in [up, down] {
            for &a in &adj[u] {
                c += adj[v].iter().filter(|&&b| pos[a] > pos[b]).count();
            }
        }
        c
    };
    for _ in 0..4 {
        let mut improved = false;
        for layer in layers.iter_mut() {
            for i in 1..layer.len() {
                let (u, v) = (layer[i - 1], layer[i]);
                if pair(pos, v, u) < pair(pos, u, v) {
                    layer.swap(i - 1, i);
                    pos[u] = i;
                    pos[v] = i - 1;
                    improved = true;
                }
            }
        }
        if !improved {
            break;
        }
    }
}

/// Number of edge crossings between adjacent layers, counted as inversions with a Fenwick tree.
fn crossings(layers: &[Vec<usize>], down: &[Vec<usize>], pos: &[usize]) -> usize {
    let mut total = 0;
    for pair in layers.windows(2) {
        let lower_len = pair[1].len();
        let mut targets: Vec<(usize, usize)> = Vec::new();
        for &v in &pair[0] {
            for &w in &down[v] {
                targets.push((pos[v], pos[w]));
            }
        }
        targets.sort_unstable();
        let mut tree = vec![0usize; lower_len + 1];
        for (seen, &(_, t)) in targets.iter().enumerate() {
            // Count earlier edges whose target lies strictly to the right of t.
            let mut i = t + 1;
            let mut not_greater = 0;
            while i > 0 {
                not_greater += tree[i];
                i &= i - 1;
            }
            total += seen - not_greater;
            let mut i = t + 1;
            while i <= lower_len {
                tree[i] += 1;
                i += i & i.wrapping_neg();
            }
        }
    }
    total
}

/// Horizontal centres (`columns`: the column of each layer when folded, else empty): start packed to the left, then sweep down and up, each time moving every
/// layer as close as possible (least squares) to its neighbours' average while keeping its order
/// and the gaps between boxes.
fn place_x(
    nodes: &[LNode],
    chains: &[Vec<usize>],
    weights: &[f64],
    layers: &[Vec<usize>],
    columns: &[usize],
) -> Vec<f64> {
    let mut up: Vec<Vec<(usize, f64)>> = vec![Vec::new(); nodes.len()];
    let mut down: Vec<Vec<(usize, f64)>> = vec![Vec::new(); nodes.len()];
    let column = |v: usize| columns.get(nodes[v].layer).copied().unwrap_or(0);
    for (chain, &w) in chains.iter().zip(weights) {
        for pair in chain.windows(2) {
            // Columns of a folded drawing are placed each on its own.
            if column(pair[0]) != column(pair[1]) {
                continue;
            }
            down[pair[0]].push((pair[1], w));
            up[pair[1]].push((pair[0], w));
        }
    }
    let mut xs = vec![0.0; nodes.len()];
    for layer in layers {
        let mut left = 0.0;
        for &v in layer {
            xs[v] = left + nodes[v].width / 2.0;
            left += nodes[v].width + NODE_SEP;
        }
    }
    for sweep in 0..PLACE_SWEEPS {
        let downward = sweep % 2 == 0;
        let last = sweep + 1 == PLACE_SWEEPS;
        let seq: Vec<usize> = if downward {
            (0..layers.len()).collect()
        } else {
            (0..layers.len()).rev().collect()
        };
        for l in seq {
            let want: Vec<f64> = layers[l]
                .iter()
                .map(|&v| {
                    // The final pass balances both sides so that a box sits between parent and children.
                    let none: &[(usize, f64)] = &[];
                    let sides = match (last, downward) {
                        (true, _) => [up[v].as_slice(), down[v].as_slice()],
                        (false, true) => [up[v].as_slice(), none],
                        (false, false) => [down[v].as_slice(), none],
                    };
                    let ns = sides.iter().flat_map(|s| s.iter());
                    // Boxes line up, not their slots (a box with room at its left sits right of
                    // its slot's centre).
                    let (sum, total) = ns.fold((0.0, 0.0), |(s, t), &(w, k)| {
                        (s + (xs[w] + nodes[w].shift) * k, t + k)
                    });
                    if total <= 0.0 {
                        xs[v]
                    } else {
                        sum / total - nodes[v].shift
                    }
                })
                .collect();
            let got = pack(&layers[l], nodes, &want);
            for (&v, x) in layers[l].iter().zip(got) {
                xs[v] = x;
            }
        }
    }
    let min_left = nodes
        .iter()
        .enumerate()
        .map(|(i, v)| xs[i] - v.width / 2.0)
        .fold(f64::INFINITY, f64::min);
    if min_left.is_finite() {
        for x in &mut xs {
            *x -= min_left;
        }
    }
    xs
}

/// Centres for one ordered layer closest (weighted least squares) to `want`, keeping every pair
/// of neighbours apart by half their widths plus [`NODE_SEP`]: subtracting the cumulative minimum
/// offsets turns this into isotonic regression, solved by pooling adjacent violators.
fn pack(layer: &[usize], nodes: &[LNode], want: &[f64]) -> Vec<f64> {
    let mut offsets = Vec::with_capacity(layer.len());
    let mut acc = 0.0;
    for (i, &v) in layer.iter().enumerate() {
        if i > 0 {
            acc += (nodes[layer[i - 1]].width + nodes[v].width) / 2.0 + NODE_SEP;
        }
        offsets.push(acc);
    }
    // Blocks of (weighted sum, weight, count).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::new();
    for (i, &v) in layer.iter().enumerate() {
        let w = nodes[v].weight;
        blocks.push(((want[i] - offsets[i]) * w, w, 1));
        while blocks.len() > 1 {
            let (s2, w2, c2) = blocks[blocks.len() - 1];
            let (s1, w1, c1) = blocks[blocks.len() - 2];
            if s1 / w1 <= s2 / w2 {
                break;
            }
            blocks.pop();
            let last = blocks.len() - 1;
            blocks[last] = (s1 + s2, w1 + w2, c1 + c2);
        }
    }
    let mut out = Vec::with_capacity(layer.len());
    for (s, w, c) in blocks {
        for _ in 0..c {
            out.push(s / w + offsets[out.len()]);
        }
    }
    out
}

/// Vertical centres: each layer as tall as its tallest box, boxes centred in their layer. Also
/// returns each layer's band (top, bottom), and the total height.
fn place_y(nodes: &[LNode], layers: &[Vec<usize>]) -> (Vec<f64>, Vec<(f64, f64)>, f64) {
    let mut ys = vec![0.0; nodes.len()];
    let mut bands = Vec::with_capacity(layers.len());
    let mut top = 0.0;
    for layer in layers {
        let h = layer.iter().map(|&v| nodes[v].height).fold(0.0, f64::max);
        for &v in layer {
            ys[v] = top + h / 2.0;
        }
        bands.push((top, top + h));
        top += h + RANK_SEP;
    }
    (ys, bands, (top - RANK_SEP).max(0.0))
}

/// A polyline per edge, and its label's centre when it has one.
type Routes = (Vec<Vec<(f64, f64)>>, Vec<Option<(f64, f64)>>);

/// Polylines and label centres of the input edges, in their original direction.
fn route(
    g: &Graph,
    chains: &[Vec<usize>],
    reversed: &[bool],
    centers: &[(f64, f64)],
    bands: &[(f64, f64)],
) -> Routes {
    let mut points = Vec::with_capacity(g.edges.len());
    let mut labels = Vec::with_capacity(g.edges.len());
    for ((e, chain), &rev) in g.edges.iter().zip(chains).zip(reversed) {
        let (w, h) = g.sizes[e.from];
        let (cx, cy) = centers[e.from];
        if e.from == e.to {
            let right = cx + w / 2.0;
            points.push(vec![
                (right, cy - h / 4.0),
                (right + LOOP_REACH, cy - h / 4.0),
                (right + LOOP_REACH, cy + h / 4.0),
                (right, cy + h / 4.0),
            ]);
            labels.push(
                e.label
                    .map(|(lw, _)| (right + LOOP_REACH + lw / 2.0 + 4.0, cy)),
            );
            continue;
        }
        let (&first, &last) = (
            chain.first().unwrap_or(&e.from),
            chain.last().unwrap_or(&e.to),
        );
        // Inside a layer's band a line runs vertically (the band is where the boxes are, and every
        // dummy owns its slot there); it only slants in the empty gaps between layers, so no edge
        // crosses a box.
        let mut line = Vec::with_capacity(2 * chain.len() + 2);
        // A side edge steps out of its source's right side at mid-height and turns down beside
        // it, inside the gap every box keeps to its neighbour, so all of one state's side edges
        // share that stub (a bundle) and none crosses the box or the line below it.
        let side = |v: usize| {
            let (right, cy) = (centers[v].0 + g.sizes[v].0 / 2.0, centers[v].1);
            [(right, cy), (right + SIDE_STUB, cy)]
        };
        if e.side && !rev {
            let [out, turn] = side(first);
            line.extend([out, turn, (turn.0, bands[first].1)]);
        } else {
            line.push((centers[first].0, centers[first].1 + g.sizes[first].1 / 2.0));
            line.push((centers[first].0, bands[first].1));
        }
        for &d in &chain[1..chain.len() - 1] {
            line.push((centers[d].0, bands[d].0));
            line.push((centers[d].0, bands[d].1));
        }
        if e.side && rev {
            // A side edge back up to an earlier state: it still leaves its source (the lower
            // end, drawn last here) on the side.
            let [out, turn] = side(last);
            line.extend([(turn.0, bands[last].0), turn, out]);
        } else {
            line.push((centers[last].0, bands[last].0));
            line.push((centers[last].0, centers[last].1 - g.sizes[last].1 / 2.0));
        }
        line.dedup_by(|a, b| (a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9);
        let label = e.label.and_then(|_| {
            let inner = &chain[1..chain.len() - 1];
            if e.side && !rev {
                // A bundled edge's label: just above the state it leads to, in the gap there.
                return Some((centers[last].0, bands[last].0 - SIDE_LABEL_RISE));
            }
            let slot = if rev { inner.last() } else { inner.first() };
            slot.map(|&d| centers[d])
        });
        if rev {
            line.reverse();
        }
        points.push(line);
        labels.push(label);
    }
    (points, labels)
}
