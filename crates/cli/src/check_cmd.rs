//! `check`: a workshop exercise's checks against a learner's workspace, for an instructor's CI.
//!
//! Prints one line per check (`PASS`/`FAIL`, the check's title, the reason), then a summary line.
//! Exit 0 when every check passes, 1 when one fails, 2 when the exercise or the workspace cannot be
//! read (the message names the file, the place and the problem).

use crate::io::{read_arg, read_json};
use serde_json::Value;
use statebridge_engine::exercise::Exercise;
use statebridge_engine::workspace::Workspace;

const USAGE: &str = "usage: statebridge check EXERCISE WORKSPACE [--json]";

/// `statebridge check EXERCISE WORKSPACE [--json]`.
pub fn check_cmd(args: &[String]) -> u8 {
    let mut json = false;
    let mut files = Vec::new();
    for a in args {
        match a.as_str() {
            "--json" => json = true,
            "-h" | "--help" => {
                outln!("{USAGE}");
                return 0;
            }
            flag if flag.starts_with("--") => {
                eprintln!("statebridge check: unknown option `{flag}`\n{USAGE}");
                return 2;
            }
            file => files.push(file),
        }
    }
    let [exercise_path, workspace_path] = files.as_slice() else {
        eprintln!(
            "statebridge check: expected two files, got {}\n{USAGE}",
            files.len()
        );
        return 2;
    };
    let exercise = match read_exercise(exercise_path) {
        Ok(e) => e,
        Err(why) => {
            eprintln!("statebridge check: {why}");
            return 2;
        }
    };
    let workspace = match read_workspace(workspace_path, &exercise.id) {
        Ok(w) => w,
        Err(why) => {
            eprintln!("statebridge check: {why}");
            return 2;
        }
    };
    let results = exercise.check(&workspace);
    let passed = results.iter().filter(|r| r.passed).count();
    if json {
        let doc = serde_json::json!({
            "exercise": exercise.id, "passed": passed == results.len(), "checks": results,
        });
        outln!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
    } else {
        for r in &results {
            let verdict = if r.passed { "PASS" } else { "FAIL" };
            outln!("{verdict} {} — {}", r.title, r.reason);
        }
        outln!(
            "{passed} of {} checks passed ({})",
            results.len(),
            exercise.title
        );
    }
    if passed == results.len() { 0 } else { 1 }
}

fn name(path: &str) -> &str {
    if path == "-" { "standard input" } else { path }
}

fn read_exercise(path: &str) -> Result<Exercise, String> {
    let text = read_arg(path)?;
    text.parse::<Exercise>()
        .map_err(|e| format!("{}: not an exercise: {e}", name(path)))
}

/// The learner's workspace: the workspace format of the examples (`name` may be left out).
fn read_workspace(path: &str, id: &str) -> Result<Workspace, String> {
    let (mut value, _) = read_json(path)?;
    if let Some(o) = value.as_object_mut() {
        o.entry("name")
            .or_insert_with(|| Value::String(id.to_owned()));
    }
    Workspace::from_value(&value).map_err(|e| format!("{}: not a workspace: {e}", name(path)))
}
