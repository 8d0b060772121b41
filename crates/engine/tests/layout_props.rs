//! Properties every layout must have, checked on the example machines and on generated ones:
//! no two boxes overlap, every transition has its edge, groups hold their children, edges stay
//! inside the drawing, and the same definition always gives the same layout.

use serde_json::Value;
use statebridge_engine::layout::{
    END_ID, Edge, EdgeKind, Layout, Rng, START_ID, generate_machine, layout,
};

/// Boxes closer than this count as touching, not overlapping (floating-point slack).
const EPS: f64 = 0.01;

type Rect = (f64, f64, f64, f64);

fn overlap(a: Rect, b: Rect) -> bool {
    a.0 + a.2 > b.0 + EPS && b.0 + b.2 > a.0 + EPS && a.1 + a.3 > b.1 + EPS && b.1 + b.3 > a.1 + EPS
}

fn inside(inner: Rect, outer: Rect) -> bool {
    inner.0 >= outer.0 - EPS
        && inner.1 >= outer.1 - EPS
        && inner.0 + inner.2 <= outer.0 + outer.2 + EPS
        && inner.1 + inner.3 <= outer.1 + outer.3 + EPS
}

/// Checks every property; `what` names the machine in failure messages.
fn check(def: &Value, what: &str) -> Layout {
    let l = layout(def);
    assert_eq!(l, layout(def), "{what}: not deterministic");
    let node_rect = |id: &str| {
        l.nodes
            .iter()
            .find(|n| n.id == id)
            .map(|n| (n.x, n.y, n.width, n.height))
    };
    let group_rect = |id: &str| {
        l.groups
            .iter()
            .find(|g| g.id == id)
            .map(|g| (g.x, g.y, g.width, g.height))
    };
    let whole = (0.0, 0.0, l.width, l.height);

    let mut ids: Vec<&str> = l.nodes.iter().map(|n| n.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), l.nodes.len(), "{what}: node ids not unique");

    for (i, a) in l.nodes.iter().enumerate() {
        let ra = (a.x, a.y, a.width, a.height);
        assert!(inside(ra, whole), "{what}: {} outside the drawing", a.id);
        for b in &l.nodes[i + 1..] {
            assert!(
                !overlap(ra, (b.x, b.y, b.width, b.height)),
                "{what}: {} overlaps {}",
                a.id,
                b.id
            );
        }
        if let Some(p) = &a.parent {
            let g =
                group_rect(p).unwrap_or_else(|| panic!("{what}: {} has unknown parent {p}", a.id));
            assert!(inside(ra, g), "{what}: {} outside its group {p}", a.id);
        }
    }
    for g in &l.groups {
        let rg = (g.x, g.y, g.width, g.height);
        assert!(
            inside(rg, whole),
            "{what}: group {} outside the drawing",
            g.id
        );
        if let Some(p) = &g.parent {
            let outer = group_rect(p)
                .unwrap_or_else(|| panic!("{what}: group {} has unknown parent {p}", g.id));
            assert!(inside(rg, outer), "{what}: group {} outside {p}", g.id);
        }
        // A node that is not inside this group must not overlap it.
        for n in &l.nodes {
            let within = n.id == g.id || n.id.starts_with(&format!("{}/", g.id));
            if !within {
                assert!(
                    !overlap(rg, (n.x, n.y, n.width, n.height)),
                    "{what}: node {} overlaps group {}",
                    n.id,
                    g.id
                );
            }
        }
    }
    for e in &l.edges {
        assert!(
            node_rect(&e.from).is_some() && node_rect(&e.to).is_some(),
            "{what}: edge {e:?} names a missing node"
        );
        assert!(e.points.len() >= 2, "{what}: edge {e:?} has no line");
        for p in &e.points {
            assert!(
                p.0.is_finite() && p.1.is_finite() && inside((p.0, p.1, 0.0, 0.0), whole),
                "{what}: edge {e:?} leaves the drawing"
            );
        }
    }
    expect_edges(def, "", &l.edges, what);
    if def
        .get("StartAt")
        .and_then(Value::as_str)
        .is_some_and(|s| def["States"].get(s).is_some())
    {
        assert!(
            l.edges.iter().any(|e| e.from == START_ID),
            "{what}: no edge from Start"
        );
    }
    l
}

fn id(prefix: &str, name: &str) -> String {
    let escaped = name.replace('\\', "\\\\").replace('/', "\\/");
    if prefix.is_empty() {
        escaped
    } else {
        format!("{prefix}/{escaped}")
    }
}

/// Every Next, Default, Choice rule and Catch that names an existing state has its edge, recursively.
fn expect_edges(scope: &Value, prefix: &str, edges: &[Edge], what: &str) {
    let Some(states) = scope.get("States").and_then(Value::as_object) else {
        return;
    };
    let has = |from: &str, to: &str, kind: EdgeKind| {
        edges
            .iter()
            .any(|e| e.from == from && e.to == to && e.kind == kind)
    };
    for (name, s) in states {
        let me = id(prefix, name);
        let mut wants: Vec<(&str, EdgeKind)> = Vec::new();
        if let Some(n) = s.get("Next").and_then(Value::as_str) {
            wants.push((n, EdgeKind::Next));
        }
        if let Some(n) = s.get("Default").and_then(Value::as_str) {
            wants.push((n, EdgeKind::Default));
        }
        for r in s
            .get("Choices")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(n) = r.get("Next").and_then(Value::as_str) {
                wants.push((n, EdgeKind::Choice));
            }
        }
        for c in s
            .get("Catch")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(n) = c.get("Next").and_then(Value::as_str) {
                wants.push((n, EdgeKind::Catch));
            }
        }
        for (to, kind) in wants.into_iter().filter(|(to, _)| states.contains_key(*to)) {
            assert!(
                has(&me, &id(prefix, to), kind),
                "{what}: no {kind:?} edge {me} -> {to}"
            );
        }
        let terminal = s.get("End") == Some(&Value::Bool(true))
            || matches!(s["Type"].as_str(), Some("Succeed" | "Fail"));
        if prefix.is_empty() && terminal {
            assert!(
                has(&me, END_ID, EdgeKind::Next),
                "{what}: {me} does not reach End"
            );
        }
        for (b, branch) in s
            .get("Branches")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            expect_edges(branch, &format!("{me}/Branch {b}"), edges, what);
        }
        if let Some(p) = s.get("ItemProcessor").or_else(|| s.get("Iterator")) {
            expect_edges(p, &me, edges, what);
        }
    }
}

fn examples() -> Vec<(String, Value)> {
    let dir = format!("{}/../../www/examples", env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("www/examples")
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    for path in files.into_iter().filter(|p| !p.ends_with("index.json")) {
        let ws: Value = serde_json::from_str(&std::fs::read_to_string(&path).expect("read"))
            .expect("example JSON");
        for (name, def) in ws["machines"].as_object().expect("machines") {
            out.push((format!("{}:{name}", path.display()), def.clone()));
        }
    }
    out
}

#[test]
fn example_machines() {
    let all = examples();
    assert!(all.len() >= 6);
    for (what, def) in all {
        check(&def, &what);
    }
}

#[test]
fn generated_machines() {
    for states in [1, 2, 5, 12, 30, 60] {
        for seed in 0..12 {
            check(
                &generate_machine(states, seed),
                &format!("generated {states}/{seed}"),
            );
        }
    }
}

#[test]
fn hundred_states() {
    let def = generate_machine(100, 7);
    let l = check(&def, "generated 100");
    let groups = l.groups.len();
    assert!(l.nodes.len() > 100, "{} nodes", l.nodes.len());
    // Readability: a 100-state machine should not turn into one endless column or row.
    assert!(l.height < 40.0 * 100.0 * 2.0, "height {}", l.height);
    assert!(
        l.width < l.height * 4.0,
        "width {} height {} groups {groups}",
        l.width,
        l.height
    );
}

#[test]
fn long_chains_fold_into_columns() {
    // 150 Pass states in a row, with a Catch-like back edge every 10: one column would be 150 layers.
    let mut states = serde_json::Map::new();
    for i in 0..150 {
        let s = if i == 149 {
            serde_json::json!({"Type": "Succeed"})
        } else if i % 10 == 9 {
            serde_json::json!({"Type": "Choice", "Choices": [{"Variable": "$.again", "BooleanEquals": true, "Next": format!("P{}", i - 5)}], "Default": format!("P{}", i + 1)})
        } else {
            serde_json::json!({"Type": "Pass", "Next": format!("P{}", i + 1)})
        };
        states.insert(format!("P{i}"), s);
    }
    let def = serde_json::json!({"StartAt": "P0", "States": states});
    let l = check(&def, "chain of 150");
    assert!(
        l.height < l.width * 3.0,
        "still one column: {} x {}",
        l.width,
        l.height
    );
    // Reading order survives the fold: each state lies below its predecessor or in a column further right.
    let at = |name: &str| {
        l.nodes
            .iter()
            .find(|n| n.state == name)
            .map(|n| (n.x, n.y))
            .expect("node")
    };
    for i in 1..150 {
        let (a, b) = (at(&format!("P{}", i - 1)), at(&format!("P{i}")));
        assert!(
            b.1 > a.1 || b.0 > a.0 + 100.0,
            "P{i} at {b:?} before P{} at {a:?}",
            i - 1
        );
    }
}

#[test]
fn loops_self_loops_and_dangling() {
    let def: Value = serde_json::from_str(
        r#"{"StartAt": "A", "States": {
            "A": {"Type": "Task", "Resource": "x", "Next": "B"},
            "B": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "A"}], "Default": "B"},
            "C": {"Type": "Pass", "Next": "Nowhere"},
            "D/E": {"Type": "Pass", "End": true}
        }}"#,
    )
    .expect("json");
    let l = check(&def, "loops");
    let c = l.nodes.iter().find(|n| n.state == "C").expect("C");
    assert_eq!(c.dangling, vec!["Nowhere".to_owned()]);
    assert!(l.nodes.iter().any(|n| n.id == "D\\/E"));
}

#[test]
fn half_written_definitions_never_panic() {
    let seeds: Vec<String> = examples().into_iter().map(|(_, d)| d.to_string()).collect();
    let mut rng = Rng::new(42);
    let inserts = [
        "{",
        "}",
        "[",
        "]",
        "\"",
        ",",
        ":",
        "\"Next\": \"",
        "é",
        "null",
        "\"Type\": \"Parallel\"",
    ];
    let mut parsed = 0;
    for i in 0..3000 {
        let mut text: Vec<char> = seeds[i % seeds.len()].chars().collect();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(text.len() + 1);
            match rng.below(3) {
                0 => text.truncate(at),
                1 => {
                    if at < text.len() {
                        text.remove(at);
                    }
                }
                _ => {
                    let ins = inserts[rng.below(inserts.len())];
                    for (k, ch) in ins.chars().enumerate() {
                        text.insert((at + k).min(text.len()), ch);
                    }
                }
            }
        }
        let s: String = text.into_iter().collect();
        if let Ok(v) = serde_json::from_str::<Value>(&s) {
            parsed += 1;
            let _ = layout(&v);
        }
    }
    // Arbitrary JSON shapes too.
    for v in [
        Value::Null,
        serde_json::json!([1, 2]),
        serde_json::json!({"States": 3}),
        serde_json::json!({"States": {"A": 1, "B": {"Type": "Map", "ItemProcessor": 2}}}),
    ] {
        let _ = layout(&v);
    }
    assert!(parsed > 100, "only {parsed} mutated inputs were JSON");
}
