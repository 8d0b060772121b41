//! Edges go around the drawing, never through it: no segment of any routed edge (Catch edges
//! above all, which are drawn in full when a state is pointed at) passes through a state's box or
//! a container it does not belong to, in the seed examples, a machine of 24 states with many
//! Catches, and generated machines; and the room kept beside a retrying state for its attempt
//! count and wait is clear of boxes, other rooms and edge labels.

use serde_json::{Value, json};
use statebridge_engine::layout::{EdgeKind, Layout, generate_machine, layout};

/// A segment may touch a box's border (where it leaves or enters it), not its inside.
const INSET: f64 = 0.5;

type Rect = (f64, f64, f64, f64);

/// Whether the segment a–b passes through the inside of `r` (Liang–Barsky clipping).
fn crosses(a: (f64, f64), b: (f64, f64), r: Rect) -> bool {
    let (x0, y0, x1, y1) = (
        r.0 + INSET,
        r.1 + INSET,
        r.0 + r.2 - INSET,
        r.1 + r.3 - INSET,
    );
    if x1 <= x0 || y1 <= y0 {
        return false;
    }
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
    for (p, q) in [
        (-dx, a.0 - x0),
        (dx, x1 - a.0),
        (-dy, a.1 - y0),
        (dy, y1 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    t1 - t0 > 1e-9
}

/// Whether `id` is `group` or inside it.
fn within(id: &str, group: &str) -> bool {
    id == group || id.starts_with(&format!("{group}/"))
}

/// Every crossing in `l`, in words.
fn crossings(l: &Layout) -> Vec<String> {
    let mut out = Vec::new();
    for e in &l.edges {
        for seg in e.points.windows(2) {
            let (a, b) = (seg[0], seg[1]);
            for n in &l.nodes {
                // A container's node is its header strip; the group below covers the rest.
                let own = n.id == e.from || n.id == e.to;
                let r = (n.x, n.y, n.width, n.height);
                if !own && crosses(a, b, r) {
                    out.push(format!(
                        "{:?} edge {} → {} crosses state {} at {a:?}–{b:?}",
                        e.kind, e.from, e.to, n.id
                    ));
                }
            }
            for g in &l.groups {
                if within(&e.from, &g.id) || within(&e.to, &g.id) {
                    continue;
                }
                if crosses(a, b, (g.x, g.y, g.width, g.height)) {
                    out.push(format!(
                        "{:?} edge {} → {} crosses group {} at {a:?}–{b:?}",
                        e.kind, e.from, e.to, g.id
                    ));
                }
            }
        }
        // An edge's own ends: only its first and last segments may touch them, from outside.
        let inner = e.points.len().saturating_sub(1);
        for (i, seg) in e.points.windows(2).enumerate() {
            for n in l.nodes.iter().filter(|n| n.id == e.from || n.id == e.to) {
                if n.kind == "Parallel" || n.kind == "Map" {
                    continue;
                }
                let r = (n.x, n.y, n.width, n.height);
                if crosses(seg[0], seg[1], r) && !(i == 0 && n.id == e.from && inner == 1) {
                    out.push(format!(
                        "{:?} edge {} → {} runs through its own end {}",
                        e.kind, e.from, e.to, n.id
                    ));
                }
            }
        }
    }
    out
}

fn example(file: &str, machine: &str) -> Value {
    let dir = format!("{}/../../www/examples", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(format!("{dir}/{file}.json")).expect("example file");
    let ws: Value = serde_json::from_str(&text).expect("example JSON");
    ws["machines"][machine].clone()
}

/// 24 states: a main line of Tasks, most with one or two Catches to handlers further down, the
/// handlers shared and leading to Fail states, one Choice in the middle.
fn catchy_machine() -> Value {
    let mut states = serde_json::Map::new();
    let main = 15;
    for i in 0..main {
        let next = if i + 1 == main {
            "Done".to_owned()
        } else {
            format!("Step{}", i + 1)
        };
        let mut catches =
            vec![json!({"ErrorEquals": ["States.Timeout"], "Next": format!("Handle{}", i % 3)})];
        if i % 2 == 0 {
            catches.push(json!({"ErrorEquals": ["States.ALL"], "Next": "Unexpected"}));
        }
        let state = if i == 7 {
            json!({"Type": "Choice", "Choices": [{"Variable": "$.skip", "BooleanEquals": true, "Next": "Step10"}], "Default": next})
        } else {
            json!({"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
                   "Retry": [{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 2}],
                   "Catch": catches, "Next": next})
        };
        states.insert(format!("Step{i}"), state);
    }
    for h in 0..3 {
        states.insert(
            format!("Handle{h}"),
            json!({"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "Next": format!("Failed{h}")}),
        );
        states.insert(
            format!("Failed{h}"),
            json!({"Type": "Fail", "Error": "E", "Cause": "c"}),
        );
    }
    states.insert(
        "Unexpected".into(),
        json!({"Type": "Pass", "Next": "UnexpectedEnd"}),
    );
    states.insert(
        "UnexpectedEnd".into(),
        json!({"Type": "Fail", "Error": "Unexpected"}),
    );
    states.insert("Done".into(), json!({"Type": "Succeed"}));
    json!({"StartAt": "Step0", "States": states})
}

/// Every retry mark's room that overlaps a box, a container it is not in, another room or an
/// edge's label (its box estimated as the app draws it: 6.2 units a character, 18 high).
fn crowded_retries(l: &Layout) -> Vec<String> {
    let overlap = |a: Rect, b: Rect| {
        a.0 + a.2 > b.0 + INSET
            && b.0 + b.2 > a.0 + INSET
            && a.1 + a.3 > b.1 + INSET
            && b.1 + b.3 > a.1 + INSET
    };
    let mut out = Vec::new();
    for n in &l.nodes {
        let Some(r) = &n.retry else { continue };
        let room = (r.x, r.y, r.width, r.height);
        for m in &l.nodes {
            let mut rects = vec![(m.x, m.y, m.width, m.height)];
            if m.id != n.id {
                rects.extend(m.retry.as_ref().map(|q| (q.x, q.y, q.width, q.height)));
            }
            let clash = rects.iter().enumerate().any(|(k, &b)| {
                // Its own box only touches its room; a container holds its children's rooms.
                let own_or_holder = k == 0 && within(&n.id, &m.id);
                !own_or_holder && overlap(room, b)
            });
            if clash {
                out.push(format!("retry mark of {} overlaps {}", n.id, m.id));
            }
        }
        for g in l.groups.iter().filter(|g| !within(&n.id, &g.id)) {
            if overlap(room, (g.x, g.y, g.width, g.height)) {
                out.push(format!("retry mark of {} overlaps group {}", n.id, g.id));
            }
        }
        for e in &l.edges {
            if let (Some(t), Some((x, y))) = (&e.label, e.label_at) {
                let w = t.chars().count().min(34) as f64 * 6.2 + 10.0;
                if overlap(room, (x - w / 2.0, y - 9.0, w, 18.0)) {
                    out.push(format!(
                        "retry mark of {} overlaps the label of {} → {}",
                        n.id, e.from, e.to
                    ));
                }
            }
        }
    }
    out
}

fn assert_clear(def: &Value, what: &str) -> Layout {
    let l = layout(def);
    let mut found = crossings(&l);
    found.extend(crowded_retries(&l));
    assert!(found.is_empty(), "{what}:\n{}", found.join("\n"));
    l
}

#[test]
fn the_seed_examples_have_no_edge_through_a_box() {
    for (file, machine, catches) in [
        ("order-processing", "order-processor", true),
        (
            "order-compensation",
            "OrderFulfillmentWithCompensation",
            true,
        ),
        ("order-fulfilment", "E-commerceOrderFulfillment", false),
    ] {
        let def = example(file, machine);
        assert!(def.is_object(), "{file}: machine {machine} not found");
        let l = assert_clear(&def, file);
        assert_eq!(
            l.edges.iter().any(|e| e.kind == EdgeKind::Catch),
            catches,
            "{file}"
        );
    }
}

#[test]
fn a_machine_of_24_states_with_many_catches_has_no_edge_through_a_box() {
    let def = catchy_machine();
    assert_eq!(def["States"].as_object().map(|s| s.len()), Some(23 + 1));
    let l = assert_clear(&def, "24 states");
    assert!(l.edges.iter().filter(|e| e.kind == EdgeKind::Catch).count() >= 15);
    assert!(l.nodes.iter().filter(|n| n.retry.is_some()).count() >= 10);
}

#[test]
fn generated_machines_have_no_edge_through_a_box() {
    for states in [12, 24, 40] {
        for seed in 0..6 {
            assert_clear(
                &generate_machine(states, seed),
                &format!("generated {states}/{seed}"),
            );
        }
    }
}

#[test]
fn the_crossing_check_sees_a_crossing() {
    let r = (10.0, 10.0, 20.0, 20.0);
    assert!(crosses((0.0, 20.0), (40.0, 20.0), r));
    assert!(crosses((0.0, 0.0), (40.0, 40.0), r));
    assert!(!crosses((0.0, 10.0), (40.0, 10.0), r), "along the border");
    assert!(
        !crosses((20.0, 0.0), (20.0, 10.0), r),
        "ending on the border"
    );
    assert!(!crosses((0.0, 0.0), (5.0, 40.0), r));
}
