//! What of a big drawing the graph puts in the page: the states, edges and groups in or near the
//! view, found through a grid of cells laid over the drawing (built once per drawing), so a pan
//! or a zoom looks at the few cells under the view rather than at every state. A drawing of a
//! few states is drawn whole as before; a view that holds too many states to read (zoomed far
//! out on a big machine) is drawn as a sketch instead, a handful of paths (see `graph.rs`).

use statebridge_engine::layout::{EdgeKind, Layout};
use std::collections::HashMap;

// The two thresholds below come from measurements (Chromium, 1440×900, a chain of Pass states;
// one JSON.parse of the 207 KB 1,500-state text took 0.9–1.6 ms in the same page): a drawn state
// is about 8 elements, and the work of a pan or zoom frame (the drawing's update, style, layout
// and paint) grew with the elements drawn, about 0.016 ms each: 100 states whole (815 elements)
// 12–15 ms a frame, 164 near the view (1,324) 33–40 ms, 200 whole (1,615) 23–28 ms, a sketch
// 4–7 ms. At 200/220 (the hand-picked values) a zoom frame took up to two frames' time; at about
// 100–120 states, one frame (16.7 ms). Elements drawn at the first view of 200, 500 and 1,500
// states: 336 (41 states).
/// A machine with at most this many boxes (states and markers) is drawn whole, whatever the view.
pub const WHOLE_UP_TO: usize = 120;
/// More states than this in or near the view (a big machine zoomed out, its names under 12 px;
/// `graph.rs` never sketches a readable view): the view is drawn as a sketch, boxes and lines
/// without words.
pub const SKETCH_ABOVE: usize = 120;
/// Around the view, the share of its size also drawn, so a short pan finds its states there.
const NEAR: f64 = 0.2;

/// A box in drawing units: left, top, right, bottom.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Area {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Area {
    /// The view `(x, y, w, h)` with the room around it that is drawn too.
    pub fn near(x: f64, y: f64, w: f64, h: f64) -> Area {
        let (mx, my) = (w * NEAR, h * NEAR);
        Area {
            x0: x - mx,
            y0: y - my,
            x1: x + w + mx,
            y1: y + h + my,
        }
    }

    fn meets(&self, o: &Area) -> bool {
        self.x0 <= o.x1 && o.x0 <= self.x1 && self.y0 <= o.y1 && o.y0 <= self.y1
    }
}

/// Where everything of one drawing is, and what the drawing needs to look up by id.
pub struct Index {
    /// Node id → its place in `Layout::nodes`.
    pub by_id: HashMap<String, usize>,
    /// Per node: how many Catch edges leave it.
    pub catches: Vec<usize>,
    /// Per edge: the places of its two ends in `Layout::nodes`.
    pub ends: Vec<(Option<usize>, Option<usize>)>,
    node_areas: Vec<Area>,
    edge_areas: Vec<Area>,
    group_areas: Vec<Area>,
    cell: f64,
    cols: usize,
    rows: usize,
    /// Per cell (row by row): the nodes, edges and groups that reach into it.
    cells: Vec<Cell>,
}

#[derive(Default, Clone)]
struct Cell {
    nodes: Vec<u32>,
    edges: Vec<u32>,
    groups: Vec<u32>,
}

/// What to draw of a view: places in `Layout::nodes`, `edges` and `groups`, in drawing order.
#[derive(Debug, Default, PartialEq)]
pub struct InView {
    pub nodes: Vec<usize>,
    pub edges: Vec<usize>,
    pub groups: Vec<usize>,
}

/// The width an edge's label takes (as `graph.rs` draws it: at most 34 characters, 6.2 units
/// each, and a little padding).
pub fn label_width(text: &str) -> f64 {
    text.chars().count().min(34) as f64 * 6.2 + 10.0
}

impl Index {
    pub fn new(layout: &Layout) -> Index {
        let by_id: HashMap<String, usize> = layout
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.clone(), i))
            .collect();
        let mut catches = vec![0; layout.nodes.len()];
        let ends: Vec<_> = layout
            .edges
            .iter()
            .map(|e| {
                let from = by_id.get(&e.from).copied();
                if e.kind == EdgeKind::Catch
                    && let Some(i) = from
                {
                    catches[i] += 1;
                }
                (from, by_id.get(&e.to).copied())
            })
            .collect();
        // A node reaches as far as its retry room at its left, the "×N" above it and the Catch
        // count below it.
        let node_areas: Vec<Area> = layout
            .nodes
            .iter()
            .map(|n| Area {
                x0: n.retry.as_ref().map_or(n.x, |r| r.x.min(n.x)),
                y0: n.y - 16.0,
                x1: n.x + n.width,
                y1: n.y + n.height + 16.0,
            })
            .collect();
        let edge_areas: Vec<Area> = layout
            .edges
            .iter()
            .map(|e| {
                let mut a = e.points.iter().fold(
                    Area {
                        x0: f64::INFINITY,
                        y0: f64::INFINITY,
                        x1: f64::NEG_INFINITY,
                        y1: f64::NEG_INFINITY,
                    },
                    |a, &(x, y)| Area {
                        x0: a.x0.min(x),
                        y0: a.y0.min(y),
                        x1: a.x1.max(x),
                        y1: a.y1.max(y),
                    },
                );
                if let Some(text) = &e.label {
                    let (lx, ly) = e.label_at.unwrap_or_else(|| {
                        e.points
                            .get(e.points.len() / 2)
                            .copied()
                            .unwrap_or_default()
                    });
                    let half = label_width(text) / 2.0;
                    a = Area {
                        x0: a.x0.min(lx - half),
                        y0: a.y0.min(ly - 10.0),
                        x1: a.x1.max(lx + half),
                        y1: a.y1.max(ly + 10.0),
                    };
                }
                a
            })
            .collect();
        let group_areas: Vec<Area> = layout
            .groups
            .iter()
            .map(|g| Area {
                x0: g.x,
                y0: g.y,
                x1: g.x + g.width,
                y1: g.y + g.height,
            })
            .collect();
        // Cells of 320 units (about two states across), larger on a huge drawing so the grid
        // stays under ~100,000 cells.
        let (w, h) = (layout.width.max(1.0), layout.height.max(1.0));
        let cell = 320f64.max((w * h / 100_000.0).sqrt());
        let cols = ((w / cell).ceil() as usize).clamp(1, 2000);
        let rows = ((h / cell).ceil() as usize).clamp(1, 2000);
        let mut index = Index {
            by_id,
            catches,
            ends,
            node_areas,
            edge_areas,
            group_areas,
            cell,
            cols,
            rows,
            cells: vec![Cell::default(); cols * rows],
        };
        for i in 0..index.node_areas.len() {
            let a = index.node_areas[i];
            index.each_cell(&a, |c| c.nodes.push(i as u32));
        }
        for i in 0..index.edge_areas.len() {
            let a = index.edge_areas[i];
            index.each_cell(&a, |c| c.edges.push(i as u32));
        }
        for i in 0..index.group_areas.len() {
            let a = index.group_areas[i];
            index.each_cell(&a, |c| c.groups.push(i as u32));
        }
        index
    }

    /// The cells `a` covers, as column and row ranges (clamped to the grid; empty for a box
    /// wholly outside it or not a number).
    fn span(&self, a: &Area) -> Option<(std::ops::Range<usize>, std::ops::Range<usize>)> {
        let to = |v: f64, n: usize| (v / self.cell).floor().clamp(0.0, n as f64 - 1.0) as usize;
        if !(a.x0 <= a.x1 && a.y0 <= a.y1) {
            return None;
        }
        let (w, h) = (self.cols as f64 * self.cell, self.rows as f64 * self.cell);
        if a.x1 < 0.0 || a.y1 < 0.0 || a.x0 > w || a.y0 > h {
            return None;
        }
        Some((
            to(a.x0, self.cols)..to(a.x1, self.cols) + 1,
            to(a.y0, self.rows)..to(a.y1, self.rows) + 1,
        ))
    }

    fn each_cell(&mut self, a: &Area, mut f: impl FnMut(&mut Cell)) {
        let Some((cols, rows)) = self.span(a) else {
            return;
        };
        for r in rows {
            for c in cols.clone() {
                f(&mut self.cells[r * self.cols + c]);
            }
        }
    }

    /// The boxes, edges and groups that reach into `a`, each once, in drawing order.
    pub fn in_area(&self, a: &Area) -> InView {
        let mut found = InView::default();
        if let Some((cols, rows)) = self.span(a) {
            for r in rows {
                for c in cols.clone() {
                    let cell = &self.cells[r * self.cols + c];
                    found.nodes.extend(cell.nodes.iter().map(|&i| i as usize));
                    found.edges.extend(cell.edges.iter().map(|&i| i as usize));
                    found.groups.extend(cell.groups.iter().map(|&i| i as usize));
                }
            }
        }
        let keep = |v: &mut Vec<usize>, areas: &[Area]| {
            v.sort_unstable();
            v.dedup();
            v.retain(|&i| areas[i].meets(a));
        };
        keep(&mut found.nodes, &self.node_areas);
        keep(&mut found.edges, &self.edge_areas);
        keep(&mut found.groups, &self.group_areas);
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use statebridge_engine::layout::{chain_machine, generate_machine, layout};

    fn chain(n: usize) -> Layout {
        layout(&chain_machine(n))
    }

    /// What a walk of every box finds in `a` (the answer the grid must give).
    fn walked(l: &Layout, index: &Index, a: &Area) -> InView {
        InView {
            nodes: (0..l.nodes.len())
                .filter(|&i| index.node_areas[i].meets(a))
                .collect(),
            edges: (0..l.edges.len())
                .filter(|&i| index.edge_areas[i].meets(a))
                .collect(),
            groups: (0..l.groups.len())
                .filter(|&i| index.group_areas[i].meets(a))
                .collect(),
        }
    }

    #[test]
    fn the_grid_finds_what_a_walk_of_every_box_finds() {
        let l = chain(1500);
        let index = Index::new(&l);
        for (x, y, w, h) in [
            (0.0, 0.0, 800.0, 500.0),
            (l.width - 700.0, l.height - 400.0, 800.0, 500.0),
            (l.width / 2.0, l.height / 3.0, 1200.0, 700.0),
            (-5000.0, -5000.0, 100.0, 100.0),
            (0.0, 0.0, l.width, l.height),
        ] {
            let a = Area::near(x, y, w, h);
            assert_eq!(index.in_area(&a), walked(&l, &index, &a), "{a:?}");
        }
        // A readable view of a big machine holds a few dozen states, not the machine.
        let a = Area::near(0.0, 0.0, 1000.0, 700.0);
        let n = index.in_area(&a).nodes.len();
        assert!(n > 5 && n < 200, "{n} states near a 1000×700 view");
    }

    #[test]
    fn machines_with_groups_and_catches_are_indexed_whole() {
        for seed in 0..20 {
            let def = generate_machine(40, seed);
            let l = layout(&def);
            let index = Index::new(&l);
            let all = Area::near(0.0, 0.0, l.width, l.height);
            let found = index.in_area(&all);
            assert_eq!(found.nodes.len(), l.nodes.len());
            assert_eq!(found.edges.len(), l.edges.len());
            assert_eq!(found.groups.len(), l.groups.len());
            let catches: usize = index.catches.iter().sum();
            assert_eq!(
                catches,
                l.edges.iter().filter(|e| e.kind == EdgeKind::Catch).count()
            );
        }
    }
}
