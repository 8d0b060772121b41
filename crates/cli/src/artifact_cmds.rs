//! What people bring from AWS: `replay` (a CLI history), `import` (a template into a workspace),
//! `export` (a workspace as a template) and `matrix` (many events against every rule).
//!
//! Exit codes: 0 success (for `matrix`: every event matched some rule), 1 `matrix` found an event
//! no rule matches, 2 invalid input with a message naming the file, line:column and problem.

use crate::io::{read_arg, shown};
use serde_json::{Value, json};
use statebridge_engine::artifacts::{history, matrix, template};
use statebridge_engine::workspace::Workspace;

fn fail(command: &str, message: &str) -> u8 {
    eprintln!("statebridge {command}: {message}");
    2
}

fn positional<'a>(
    args: &'a [String],
    known: &[&str],
) -> Result<(Vec<&'a str>, Vec<&'a str>), String> {
    let mut pos = vec![];
    let mut flags = vec![];
    for a in args {
        if a.starts_with("--") {
            if !known.contains(&a.as_str()) {
                return Err(format!("unknown option `{a}`"));
            }
            flags.push(a.as_str());
        } else {
            pos.push(a.as_str());
        }
    }
    Ok((pos, flags))
}

/// `statebridge replay HISTORY`: reads `get-execution-history` output (pages, describe outputs)
/// and prints the execution's status, input, event count, warnings and the events in id order.
pub fn replay_cmd(args: &[String]) -> u8 {
    let (pos, _) = match positional(args, &[]) {
        Ok(v) => v,
        Err(e) => return fail("replay", &e),
    };
    let [path] = pos.as_slice() else {
        return fail("replay", "usage: statebridge replay HISTORY");
    };
    let h = match read_arg(path)
        .and_then(|t| history::import(&t).map_err(|e| format!("{}: {e}", shown(path))))
    {
        Ok(h) => h,
        Err(e) => return fail("replay", &e),
    };
    let out = json!({
        "status": h.status(),
        "events": h.events.len(),
        "pages": h.pages,
        "input": h.input(),
        "definition": h.definition.is_some(),
        "warnings": h.warnings,
        "history": h.events,
    });
    let _ = crate::io::write_line(format_args!(
        "{}",
        serde_json::to_string_pretty(&out).unwrap_or_default()
    ));
    0
}

/// `statebridge import TEMPLATE [--into WORKSPACE]`: a SAM/CloudFormation template (JSON or
/// YAML) as a workspace; notes on what could not be resolved go to standard error.
pub fn import_cmd(args: &[String]) -> u8 {
    let mut rest: Vec<String> = vec![];
    let mut base_path = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--into" {
            base_path = it.next().cloned();
        } else {
            rest.push(a.clone());
        }
    }
    let (pos, _) = match positional(&rest, &[]) {
        Ok(v) => v,
        Err(e) => return fail("import", &e),
    };
    let [path] = pos.as_slice() else {
        return fail(
            "import",
            "usage: statebridge import TEMPLATE [--into WORKSPACE]",
        );
    };
    let base = match base_path.as_deref().map(|p| {
        read_arg(p).and_then(|t| {
            t.parse::<Workspace>()
                .map_err(|e| format!("{}: {e}", shown(p)))
        })
    }) {
        Some(Err(e)) => return fail("import", &e),
        Some(Ok(w)) => Some(w),
        None => None,
    };
    let t = match read_arg(path)
        .and_then(|t| template::import(&t).map_err(|e| format!("{}: {e}", shown(path))))
    {
        Ok(t) => t,
        Err(e) => return fail("import", &e),
    };
    for n in &t.notes {
        eprintln!("statebridge import: {}: note: {n}", shown(path));
    }
    match t.to_workspace(base.as_ref()) {
        Ok(ws) => {
            let _ = crate::io::write_line(format_args!("{}", ws.to_json()));
            0
        }
        Err(e) => fail("import", &format!("{}: {e}", shown(path))),
    }
}

/// `statebridge export WORKSPACE [--yaml]`: the workspace as a CloudFormation template.
pub fn export_cmd(args: &[String]) -> u8 {
    let (pos, flags) = match positional(args, &["--yaml", "--json"]) {
        Ok(v) => v,
        Err(e) => return fail("export", &e),
    };
    let [path] = pos.as_slice() else {
        return fail("export", "usage: statebridge export WORKSPACE [--yaml]");
    };
    let ws = match read_arg(path).and_then(|t| {
        t.parse::<Workspace>()
            .map_err(|e| format!("{}: {e}", shown(path)))
    }) {
        Ok(w) => w,
        Err(e) => return fail("export", &e),
    };
    let t = template::export(&ws);
    let text = if flags.contains(&"--yaml") {
        template::to_yaml(&t).trim_end().to_owned()
    } else {
        serde_json::to_string_pretty(&t).unwrap_or_default()
    };
    let _ = crate::io::write_line(format_args!("{text}"));
    0
}

/// `statebridge matrix RULES EVENTS [--json]`: every rule against every event, with reasons.
pub fn matrix_cmd(args: &[String]) -> u8 {
    let (pos, flags) = match positional(args, &["--json"]) {
        Ok(v) => v,
        Err(e) => return fail("matrix", &e),
    };
    let [rules_path, events_path] = pos.as_slice() else {
        return fail("matrix", "usage: statebridge matrix RULES EVENTS [--json]");
    };
    let rules = match read_arg(rules_path).and_then(|t| {
        statebridge_engine::source::parse_value(&t)
            .map_err(|e| format!("{}: {e}", shown(rules_path)))
    }) {
        Ok(v) => v,
        Err(e) => return fail("matrix", &e),
    };
    // A workspace's rules document works too.
    let rules = match rules.get("rules") {
        Some(r) if rules.get("machines").is_some() => r.clone(),
        _ => rules,
    };
    let m = match read_arg(events_path).and_then(|t| {
        matrix::matrix(&rules, &t).map_err(|e| format!("{}: {e}", shown(events_path)))
    }) {
        Ok(m) => m,
        Err(e) => return fail("matrix", &e),
    };
    let unmatched = (0..m.events.len()).any(|e| !m.cells.iter().any(|row| row[e].matched));
    if flags.contains(&"--json") {
        let v: Value = serde_json::to_value(&m).unwrap_or_default();
        let _ = crate::io::write_line(format_args!(
            "{}",
            serde_json::to_string_pretty(&v).unwrap_or_default()
        ));
    } else {
        for (e, ev) in m.events.iter().enumerate() {
            let _ = crate::io::write_line(format_args!(
                "event {} (line {}, {}, bus {}):",
                e + 1,
                ev.line,
                ev.label,
                ev.bus
            ));
            for (r, rule) in m.rules.iter().enumerate() {
                let c = &m.cells[r][e];
                if c.matched {
                    let _ = crate::io::write_line(format_args!("  ✓ {}", rule.name));
                } else {
                    let _ = crate::io::write_line(format_args!(
                        "  ✗ {}: {}",
                        rule.name,
                        c.reasons.join("; ")
                    ));
                }
            }
        }
    }
    u8::from(unmatched)
}
