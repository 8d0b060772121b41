//! The workshop's exercises, bundled into the app (no fetch: the page works offline and from
//! `file://`), minified by build.rs. The order is `www/exercises/index.json`'s; a test keeps the two in step.

use statebridge_engine::exercise::Exercise;

/// The exercise files' texts, in the workshop's order.
const FILES: [&str; 10] = [
    include_str!(concat!(env!("OUT_DIR"), "/exercises/01-route-orders.json")),
    include_str!(concat!(
        env!("OUT_DIR"),
        "/exercises/02-numeric-threshold.json"
    )),
    include_str!(concat!(env!("OUT_DIR"), "/exercises/03-anything-but.json")),
    include_str!(concat!(env!("OUT_DIR"), "/exercises/04-prefix.json")),
    include_str!(concat!(
        env!("OUT_DIR"),
        "/exercises/05-input-transformer.json"
    )),
    include_str!(concat!(env!("OUT_DIR"), "/exercises/06-fix-signup.json")),
    include_str!(concat!(
        env!("OUT_DIR"),
        "/exercises/07-retry-throttling.json"
    )),
    include_str!(concat!(
        env!("OUT_DIR"),
        "/exercises/08-catch-compensation.json"
    )),
    include_str!(concat!(env!("OUT_DIR"), "/exercises/09-parallel.json")),
    include_str!(concat!(env!("OUT_DIR"), "/exercises/10-map-items.json")),
];

/// Every exercise that reads (a broken file is skipped, and the test below fails on it).
pub fn exercises() -> Vec<Exercise> {
    FILES.iter().filter_map(|t| t.parse().ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_in_the_order_of_the_index() {
        let index: serde_json::Value =
            serde_json::from_str(include_str!("../../www/exercises/index.json")).unwrap();
        let listed: Vec<String> = index["exercises"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap().trim_end_matches(".json").to_owned())
            .collect();
        let ids: Vec<String> = exercises().into_iter().map(|e| e.id).collect();
        assert_eq!(ids, listed);
    }
}
