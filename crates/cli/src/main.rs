//! `statebridge`: the engine from a terminal, for CI pipelines and workshop grading.
//!
//! Exit codes follow DESIGN.md: 0 success (matched, succeeded), 1 the negative outcome (no match,
//! execution did not succeed, a check failed), 2 invalid input (the message names the file, the place
//! and the problem).

mod check_cmd;
mod io;
mod pattern_cmds;
mod route_cmd;
mod run_cmd;

use std::process::ExitCode;

const USAGE: &str = "\
statebridge — EventBridge patterns and Step Functions state machines, offline

USAGE:
  statebridge match PATTERN EVENT [--explain] [--json]
  statebridge transform TARGET EVENT
  statebridge route BUS [EVENT] [--mocks FILE] [--max-events N] [--replay FROM,TO] [--history]
  statebridge run DEFINITION [--input FILE] [--mocks FILE] [--test-case NAME] [--history] [--start-time RFC3339]
  statebridge check EXERCISE WORKSPACE

A file argument of `-` reads standard input.
Exit codes: 0 success, 1 negative outcome (no match / not succeeded / check failed), 2 invalid input.";

/// A faster allocator than the system's for the interpreter's many small values.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let code = match command.as_str() {
        "match" => pattern_cmds::match_cmd(rest),
        "transform" => pattern_cmds::transform_cmd(rest),
        "route" => route_cmd::route_cmd(rest),
        "run" => run_cmd::run_cmd(rest),
        "check" => check_cmd::check_cmd(rest),
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            0
        }
        "-V" | "--version" => {
            println!("statebridge {}", env!("CARGO_PKG_VERSION"));
            0
        }
        other => {
            eprintln!("statebridge: unknown command `{other}`\n\n{USAGE}");
            2
        }
    };
    ExitCode::from(code)
}
