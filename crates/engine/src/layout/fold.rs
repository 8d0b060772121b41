//! Folding a tall layered drawing into columns, as a newspaper does with a long article.
//!
//! Top to bottom, a machine of 100 states in sequence needs 100 layers: a column several metres
//! tall that no screen shows legibly. When a drawing is far taller than wide, its layers are cut at
//! a few gaps into consecutive runs that stand side by side, left to right. An edge crossing a cut
//! leaves the bottom of its column, runs along a channel below it, climbs the gutter to the next
//! column and enters it from the channel above; every such edge has a lane of its own, so connectors
//! never lie on top of each other. Cuts go where the fewest edges cross, near evenly spaced targets.

/// Fold only drawings taller than this many times their width…
const FOLD_RATIO: f64 = 2.5;
/// …and taller than this (small machines read fine as one column).
const FOLD_MIN_HEIGHT: f64 = 2000.0;
/// The height-to-width ratio to aim for after folding: the app's graph pane is landscape (about
/// 3:2), so a folded drawing a little wider than tall fills it with the biggest boxes.
const TARGET_ASPECT: f64 = 0.75;
/// Every number of columns up to this is tried (a drawing that wants more tries only the ones
/// near the number it wants, see [`plans`]).
const EVERY_UP_TO: usize = 12;
/// Most columns: a chain of 1,500 states wants about 22 to fill a landscape pane, where 12 left
/// it a narrow strip (six times taller than wide) when shown whole.
const MAX_COLUMNS: usize = 40;
/// Distance from a column to its first channel lane.
const CHANNEL_GAP: f64 = 14.0;
/// Distance between two lanes of a channel.
const LANE: f64 = 7.0;
/// How far from its ideal place a cut may move to find a gap that fewer edges cross, as a share
/// of a column's height.
const CUT_SLACK: f64 = 0.25;

/// The drawing to fold: everything in the coordinates of one tall column.
pub(crate) struct Tall<'a> {
    /// Each layer's band (top, bottom).
    pub bands: &'a [(f64, f64)],
    /// For every gap between layer `g` and `g + 1`, how many edge segments cross it.
    pub crossing: &'a [usize],
    /// Width and height of the drawing.
    pub size: (f64, f64),
}

/// The folded drawing's frame: where each column went.
pub(crate) struct Folded {
    /// Cut y positions (original coordinates), increasing: column `j` lies between cut `j - 1` and cut `j`.
    cuts: Vec<f64>,
    /// Per column: original top, original left, new left, width, height.
    columns: Vec<Column>,
    /// Height of the channel above the columns.
    top: f64,
    /// Lanes used at each cut (index = cut), assigned in [`Folded::lanes`].
    lanes: Vec<usize>,
    /// Total size after folding.
    pub size: (f64, f64),
}

#[derive(Debug, Clone, Copy, Default)]
struct Column {
    top: f64,
    left: f64,
    x: f64,
    width: f64,
    height: f64,
}

/// The ways worth trying to cut `t` into columns (gap indices per way, for two columns and up),
/// none when it reads well as one column.
pub(crate) fn plans(t: &Tall) -> Vec<Vec<usize>> {
    let (w, h) = t.size;
    if h <= FOLD_MIN_HEIGHT || h <= FOLD_RATIO * w.max(1.0) || t.bands.len() < 6 {
        return Vec::new();
    }
    let most = (t.bands.len() / 3).clamp(2, MAX_COLUMNS);
    // The columns that make the drawing about TARGET_ASPECT (c columns of the one column's width
    // and 1/c of its height). Up to EVERY_UP_TO every count is tried, as the cuts may favour one;
    // past it only those near the ideal and not under half of it, so a huge drawing costs fewer
    // trials, not more.
    let ideal = (h / (TARGET_ASPECT * w.max(1.0))).sqrt();
    let wanted = |c: usize| {
        if ideal <= EVERY_UP_TO as f64 {
            c <= EVERY_UP_TO
        } else {
            (c <= EVERY_UP_TO && c as f64 >= ideal / 2.0) || (c as f64 - ideal).abs() <= 2.0
        }
    };
    let mut out: Vec<Vec<usize>> = (2..=most)
        .filter(|&c| wanted(c))
        .filter_map(|c| plan(t, c))
        .collect();
    out.dedup();
    out
}

/// The column of every layer when cutting at gaps `cuts`.
pub(crate) fn column_of_layers(layers: usize, cuts: &[usize]) -> Vec<usize> {
    (0..layers)
        .map(|l| cuts.iter().filter(|&&g| g < l).count())
        .collect()
}

/// Where to cut `t` into `columns` columns: gap indices, increasing.
fn plan(t: &Tall, columns: usize) -> Option<Vec<usize>> {
    let (_, h) = t.size;
    let layers = t.bands.len();
    let share = h / columns as f64;
    let gap_y = |g: usize| (t.bands[g].1 + t.bands[g + 1].0) / 2.0;
    let mut cuts: Vec<usize> = Vec::new();
    for k in 1..columns {
        let target = share * k as f64;
        // Never cut off the first layer (the Start marker) or the last one (End) on its own.
        let first = cuts.last().map_or(1, |&c| c + 2);
        let candidates = first..layers.saturating_sub(2);
        let best = candidates
            .clone()
            .filter(|&g| (gap_y(g) - target).abs() <= CUT_SLACK * share)
            .min_by(|&a, &b| {
                let key = |g: usize| {
                    (
                        t.crossing.get(g).copied().unwrap_or(0),
                        (gap_y(g) - target).abs(),
                    )
                };
                let (ka, kb) = (key(a), key(b));
                ka.0.cmp(&kb.0).then(ka.1.total_cmp(&kb.1))
            })
            .or_else(|| {
                candidates.min_by(|&a, &b| {
                    (gap_y(a) - target)
                        .abs()
                        .total_cmp(&(gap_y(b) - target).abs())
                })
            });
        match best {
            Some(g) => cuts.push(g),
            None => break,
        }
    }
    (!cuts.is_empty()).then_some(cuts)
}

impl Folded {
    /// The frame for cutting at gaps `cuts` (after the layers of those indices), given every point
    /// and box that must fit in the columns (as (x-left, x-right, y)) and the edges' lines.
    pub(crate) fn new(
        t: &Tall,
        cuts: &[usize],
        extents: &[(f64, f64, f64)],
        lines: &[Vec<(f64, f64)>],
    ) -> Folded {
        let cut_ys: Vec<f64> = cuts
            .iter()
            .map(|&g| (t.bands[g].1 + t.bands[g + 1].0) / 2.0)
            .collect();
        let mut columns = vec![Column::default(); cuts.len() + 1];
        for (j, c) in columns.iter_mut().enumerate() {
            let first = if j == 0 { 0 } else { cuts[j - 1] + 1 };
            let last = cuts.get(j).copied().unwrap_or(t.bands.len() - 1);
            c.top = t.bands[first].0;
            c.height = t.bands[last].1 - c.top;
            c.left = f64::INFINITY;
            c.width = f64::NEG_INFINITY; // right edge until normalised below
        }
        let mut f = Folded {
            cuts: cut_ys,
            columns,
            top: 0.0,
            lanes: vec![0; cuts.len()],
            size: (0.0, 0.0),
        };
        for &(l, r, y) in extents {
            let j = f.column(y);
            let c = &mut f.columns[j];
            c.left = c.left.min(l);
            c.width = c.width.max(r);
        }
        for line in lines {
            for &(x, y) in line {
                let j = f.column(y);
                let c = &mut f.columns[j];
                c.left = c.left.min(x);
                c.width = c.width.max(x);
            }
            for pair in line.windows(2) {
                let (a, b) = (f.column(pair[0].1), f.column(pair[1].1));
                if a != b {
                    f.lanes[a.min(b)] += 1;
                }
            }
        }
        for c in &mut f.columns {
            if !c.left.is_finite() || !c.width.is_finite() {
                c.left = 0.0;
                c.width = 0.0;
            } else {
                c.width -= c.left;
            }
        }
        let channel = |lanes: usize| {
            if lanes == 0 {
                0.0
            } else {
                CHANNEL_GAP + lanes as f64 * LANE
            }
        };
        let widest = f.lanes.iter().copied().max().unwrap_or(0);
        f.top = channel(widest);
        let mut x = 0.0;
        for (j, c) in f.columns.iter_mut().enumerate() {
            c.x = x;
            x += c.width + channel(f.lanes.get(j).copied().unwrap_or(0)).max(CHANNEL_GAP) * 2.0;
        }
        let last = f.columns.last().map_or(0.0, |c| c.x + c.width);
        let tallest = f.columns.iter().map(|c| c.height).fold(0.0, f64::max);
        f.size = (last, f.top + tallest + channel(widest));
        f
    }

    /// How big a landscape box (of [`TARGET_ASPECT`]) the drawing needs: the smaller, the bigger
    /// its boxes appear when fitted to a pane.
    pub(crate) fn side(&self) -> f64 {
        self.size.0.max(self.size.1 / TARGET_ASPECT)
    }

    /// The column holding original height `y`.
    fn column(&self, y: f64) -> usize {
        self.cuts.iter().filter(|&&c| c < y).count()
    }

    /// Where original point `p` goes.
    pub(crate) fn point(&self, p: (f64, f64)) -> (f64, f64) {
        let c = self.columns[self.column(p.1)];
        (p.0 - c.left + c.x, p.1 - c.top + self.top)
    }

    /// Every line moved into its column; where a line crosses a cut, a connector through the
    /// channels and the gutter, in a lane of its own.
    pub(crate) fn lines(&self, lines: &[Vec<(f64, f64)>]) -> Vec<Vec<(f64, f64)>> {
        // Lanes per cut: the connector leaving furthest right runs closest to the column, so the
        // connectors below a column nest without crossing.
        let mut uses: Vec<Vec<(f64, usize)>> = vec![Vec::new(); self.cuts.len()];
        for (i, line) in lines.iter().enumerate() {
            for pair in line.windows(2) {
                let (a, b) = (self.column(pair[0].1), self.column(pair[1].1));
                if a != b {
                    let upper = if a < b { pair[0] } else { pair[1] };
                    uses[a.min(b)].push((self.point(upper).0, i));
                }
            }
        }
        let mut lane_of: Vec<std::collections::HashMap<usize, usize>> = Vec::new();
        for u in &mut uses {
            u.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            lane_of.push(u.iter().enumerate().map(|(k, &(_, i))| (i, k)).collect());
        }
        lines
            .iter()
            .enumerate()
            .map(|(i, line)| {
                let mut out: Vec<(f64, f64)> = Vec::with_capacity(line.len() + 4);
                for (k, &p) in line.iter().enumerate() {
                    if k > 0 {
                        let prev = line[k - 1];
                        let (a, b) = (self.column(prev.1), self.column(p.1));
                        if a != b {
                            let cut = a.min(b);
                            let lane = lane_of[cut].get(&i).copied().unwrap_or(0);
                            let (upper, lower) = if a < b { (prev, p) } else { (p, prev) };
                            let mut c =
                                self.connector(cut, lane, self.point(upper), self.point(lower));
                            if a > b {
                                c.reverse();
                            }
                            out.extend(c);
                        }
                    }
                    out.push(self.point(p));
                }
                out.dedup_by(|a, b| (a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9);
                out
            })
            .collect()
    }

    /// The bends from `from` (at the bottom of the column above cut `cut`) to `to` (at the top of
    /// the next column), in lane `lane`.
    fn connector(
        &self,
        cut: usize,
        lane: usize,
        from: (f64, f64),
        to: (f64, f64),
    ) -> Vec<(f64, f64)> {
        let up = self.columns[cut];
        let lanes = self.lanes.get(cut).copied().unwrap_or(1).max(1);
        let bottom = self.top + up.height + CHANNEL_GAP + lane as f64 * LANE;
        let gutter = up.x + up.width + CHANNEL_GAP + lane as f64 * LANE;
        // Above the next column the nesting turns round: the outermost lane below is innermost here.
        let over = self.top - CHANNEL_GAP - (lanes - 1 - lane.min(lanes - 1)) as f64 * LANE;
        vec![
            (from.0, bottom),
            (gutter, bottom),
            (gutter, over),
            (to.0, over),
        ]
    }
}
