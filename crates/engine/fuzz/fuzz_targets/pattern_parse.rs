//! Pattern text of any kind: parsing never panics, an error always says where and what, and a
//! pattern that parses can be matched and explained against an empty event.
#![no_main]

use libfuzzer_sys::fuzz_target;
use statebridge_engine::pattern::{Pattern, PatternError};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = Pattern::check_size(text);
    match text.parse::<Pattern>() {
        Ok(pattern) => {
            let empty = serde_json::json!({});
            let matched = pattern.matches(&empty);
            let why = pattern.explain(&empty);
            assert_eq!(why.matched, matched, "explain and match disagree on {text}");
            let _ = why.to_string();
            // A pattern re-read from its own JSON is the same pattern.
            assert!(Pattern::parse(pattern.as_json()).is_ok());
        }
        Err(e) => {
            let message = e.to_string();
            assert!(!message.is_empty(), "empty error for {text}");
            if let PatternError::Invalid { position, .. } = &e {
                // The text was JSON, so every problem can be placed in it.
                assert!(position.is_some(), "no position in `{message}` for {text}");
            }
        }
    }
});
