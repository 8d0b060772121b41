//! Snapshot tests: the serialized layouts of a few machines are committed under
//! `tests/layout_snapshots/`; any change to the layout shows up as a diff there.
//! After an intended change, regenerate them with `UPDATE_SNAPSHOTS=1 cargo test --test layout_snapshots`
//! and review the diff.

use serde_json::Value;
use statebridge_engine::layout::{generate_machine, layout};

/// (snapshot name, machine): example machines plus one generated machine.
fn cases() -> Vec<(String, Value)> {
    let dir = format!("{}/../../www/examples", env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for (file, machine) in [
        ("order-fulfilment", "E-commerceOrderFulfillment"),
        ("order-processing", "order-processor"),
        ("order-items-map", "ReserveOrderItems"),
        ("rds-snapshot", "CopySnapshotToDR"),
        ("high-value-orders", "HighValueOrderApproval"),
    ] {
        let text = std::fs::read_to_string(format!("{dir}/{file}.json")).expect("example file");
        let ws: Value = serde_json::from_str(&text).expect("example JSON");
        out.push((file.to_owned(), ws["machines"][machine].clone()));
    }
    out.push(("generated-40".to_owned(), generate_machine(40, 3)));
    // Tall enough to be folded into columns.
    out.push(("generated-100".to_owned(), generate_machine(100, 7)));
    out
}

#[test]
fn layouts_match_snapshots() {
    let dir = format!("{}/tests/layout_snapshots", env!("CARGO_MANIFEST_DIR"));
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut changed = Vec::new();
    for (name, def) in cases() {
        let got = serde_json::to_string_pretty(&layout(&def)).expect("serialize") + "\n";
        let path = format!("{dir}/{name}.json");
        if update {
            std::fs::write(&path, &got).expect("write snapshot");
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(want) if want == got => {}
            _ => changed.push(name),
        }
    }
    assert!(
        changed.is_empty(),
        "layouts differ from their snapshots: {changed:?} (UPDATE_SNAPSHOTS=1 to accept)"
    );
}
