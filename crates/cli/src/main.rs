//! `statebridge`: the engine from a terminal, for CI pipelines and workshop grading.
//!
//! Exit codes follow DESIGN.md: 0 success (matched, succeeded), 1 the negative outcome (no match,
//! execution did not succeed, a check failed), 2 invalid input (the message names the file, the place
//! and the problem).

// First: its `outln!` is used by the commands below.
#[macro_use]
mod io;

mod artifact_cmds;
mod check_cmd;
mod pattern_cmds;
mod route_cmd;
mod run_cmd;
mod test_state_cmd;

use std::process::ExitCode;

/// Each subcommand's usage, printed by `statebridge SUBCOMMAND --help` (or `-h`).
const COMMAND_USAGE: [(&str, &str); 10] = [
    (
        "match",
        "\
usage: statebridge match PATTERN EVENT [--explain] [--json]

Whether the event matches the EventBridge event pattern.
  --explain   say, field by field, why it matches or not
  --json      print {\"matched\", \"explanation\", \"reason\"} as JSON
Exit codes: 0 matched, 1 not matched, 2 invalid input (an event over 256 KiB included).",
    ),
    (
        "transform",
        "\
usage: statebridge transform TARGET EVENT

Prints the input EventBridge would deliver to the target. TARGET is a JSON object with one of
InputPath, Input, InputTransformer (or none: the whole event).
Exit codes: 0 delivered, 2 invalid input (an event over 256 KiB, or a result over 256 KiB, included).",
    ),
    (
        "route",
        "\
usage: statebridge route BUS [EVENT] [--mocks FILE] [--max-events N] [--replay FROM,TO] [--history]

Routes the event through the bus's rules and runs the cascade it causes on one virtual clock.
BUS is a bus file ({\"Rules\": [...]}) or a workspace (whose event is used when EVENT is not given).
Its Schedules fire and its Pipes (EventBridge Pipes, CreatePipe's requests) read their Sources' records
(SQS messages, Kinesis and DynamoDB stream records): filtered, batched, enriched, delivered (`pipes`).
  --mocks FILE        the state machines' mocks
  --max-events N      stop after N events on the bus
  --replay FROM,TO    then replay the archived events that arrived in [FROM, TO) (RFC 3339)
  --history           include each execution's history
Exit codes: 0 a rule matched, a schedule fired or a pipe delivered, 1 none of these, 2 invalid input.",
    ),
    (
        "run",
        "\
usage: statebridge run DEFINITION [--input FILE] [--mocks FILE] [--test-case NAME] [--callbacks FILE] [--pause] [--s3 FILE] [--redrive]... [--type STANDARD|EXPRESS] [--history] [--start-time RFC3339]

Runs the state machine with mocks on a virtual clock and prints {\"status\", \"output\", \"error\", \"cause\"}.
  --input FILE          the execution's input (default {})
  --mocks FILE          mocked task results (Step Functions Local's MockConfigFile, or the short form;
                        a response may add \"Duration\": seconds and \"Heartbeats\": [seconds, ...])
  --test-case NAME      the MockConfigFile's test case
  --callbacks FILE      answers to task tokens (.waitForTaskToken tasks and activities), a list of
                        {\"at\": SECONDS, \"token\": TOKEN or \"state\": NAME,
                         \"success\": OUTPUT or \"failure\": {\"error\", \"cause\"} or \"heartbeat\": true}
                        (at: seconds after the start; left out, as soon as the task waits). A token
                        with no answer waits as on AWS: TimeoutSeconds, HeartbeatSeconds, or the
                        execution's own limit. A mocked task answers before any callback.
  --pause               stop where a task waits for a callback nobody answers: status RUNNING and
                        \"paused\": {\"atSeconds\", \"waiting\": [{\"token\", \"state\", ...}]}
  --redrive             if it ends FAILED, TIMED_OUT or ABORTED, redrive it (RedriveExecution) from its
                        unsuccessful step; give it again to redrive again. Prints \"redriveCount\",
                        \"attempts\" (how each earlier attempt ended) and \"redriveRefused\" when AWS
                        would refuse one. Mocks keep counting across redrives.
  --type EXPRESS        run it as an Express workflow: five minutes at most, no .sync,
                        .waitForTaskToken or activities, and --history prints CloudWatch Logs'
                        log events as \"logs\" (Express has no execution history API)
  --s3 FILE             S3 objects a Distributed Map's ItemReader reads: {\"BUCKET\": {\"KEY\": CONTENT}}
                        (CONTENT text, or JSON written inline), or a workspace file (its \"s3\");
                        what ResultWriters write is printed as \"s3_written\" in the same shape
  --history             include the execution's history
  --start-time RFC3339  when the execution starts on the virtual clock
Exit codes: 0 succeeded, 1 ended otherwise, 2 invalid input.",
    ),
    (
        "test-state",
        "\
usage: statebridge test-state REQUEST

Runs one state in isolation, as Step Functions' TestState API does, and prints TestState's response
{\"status\", \"output\", \"error\", \"cause\", \"nextState\", \"inspectionData\"}.
REQUEST is TestState's request as JSON: definition (a state, or a whole machine with stateName),
input, inspectionLevel (INFO, DEBUG, TRACE), mock (result or errorOutput, fieldValidationMode),
context, variables, stateConfiguration (retrierRetryCount, errorCausedByState,
mapIterationFailureCount, mapItemReaderData). Members AWS takes as JSON text may be JSON values.
A mocked Task result is checked against the API's response shape (fieldValidationMode: STRICT,
AWS's default, PRESENT or NONE) for the optimised integrations and the aws-sdk services statebridge
carries; one it cannot check runs, and the response's \"notes\" (not part of AWS's) says so.
Exit codes: 0 SUCCEEDED, 1 any other status (FAILED, RETRIABLE, CAUGHT_ERROR), 2 invalid request.",
    ),
    (
        "check",
        "\
usage: statebridge check EXERCISE WORKSPACE [--json]

Runs a workshop exercise's checks against a learner's workspace, one line per check.
Exit codes: 0 every check passed, 1 one failed, 2 invalid input.",
    ),
    (
        "replay",
        "\
usage: statebridge replay HISTORY

Reads `aws stepfunctions get-execution-history` output (one page, several pages one after another,
in any order, optionally with describe-execution / describe-state-machine output) and prints the
execution's status, input and events in id order as JSON.
Exit codes: 0 read, 2 invalid input (line:column and JSON path named).",
    ),
    (
        "import",
        "\
usage: statebridge import TEMPLATE [--into WORKSPACE]

Reads a SAM or CloudFormation template (JSON or YAML) and prints the workspace it makes: its
AWS::Events::Rule resources and SAM state machine Events as rules, its state machines, with
intrinsic functions resolved to placeholder ARNs; notes on what was not resolved go to stderr.
--into keeps that workspace's event and mocks.
Exit codes: 0 read, 2 invalid input.",
    ),
    (
        "export",
        "\
usage: statebridge export WORKSPACE [--yaml]

Prints the workspace as a CloudFormation template (JSON, or YAML with --yaml): one
AWS::StepFunctions::StateMachine per machine, AWS::Events::EventBus per custom bus,
AWS::Events::Rule per rule; the IAM roles are parameters.
Exit codes: 0 written, 2 invalid input.",
    ),
    (
        "matrix",
        "\
usage: statebridge matrix RULES EVENTS [--json]

Every rule of RULES ({\"Rules\": [...]} or a workspace) against every event in EVENTS (JSON
documents one after another, a list, or PutEvents entries), with the reasons for each non-match.
Exit codes: 0 every event matched a rule, 1 some event matched none, 2 invalid input.",
    ),
];

const USAGE: &str = "\
statebridge — EventBridge patterns and Step Functions state machines, offline

USAGE:
  statebridge match PATTERN EVENT [--explain] [--json]
  statebridge transform TARGET EVENT
  statebridge route BUS [EVENT] [--mocks FILE] [--max-events N] [--replay FROM,TO] [--history]
  statebridge run DEFINITION [--input FILE] [--mocks FILE] [--test-case NAME] [--callbacks FILE] [--pause] [--s3 FILE] [--redrive]... [--type STANDARD|EXPRESS] [--history] [--start-time RFC3339]
  statebridge test-state REQUEST
  statebridge check EXERCISE WORKSPACE
  statebridge replay HISTORY
  statebridge import TEMPLATE [--into WORKSPACE]
  statebridge export WORKSPACE [--yaml]
  statebridge matrix RULES EVENTS [--json]

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
    let wants_help = rest.iter().any(|a| a == "--help" || a == "-h");
    if let Some((_, usage)) = COMMAND_USAGE.iter().find(|(name, _)| name == command)
        && wants_help
    {
        return ExitCode::from(print_usage(usage));
    }
    let code = match command.as_str() {
        "match" => pattern_cmds::match_cmd(rest),
        "transform" => pattern_cmds::transform_cmd(rest),
        "route" => route_cmd::route_cmd(rest),
        "run" => run_cmd::run_cmd(rest),
        "test-state" => test_state_cmd::test_state_cmd(rest),
        "check" => check_cmd::check_cmd(rest),
        "replay" => artifact_cmds::replay_cmd(rest),
        "import" => artifact_cmds::import_cmd(rest),
        "export" => artifact_cmds::export_cmd(rest),
        "matrix" => artifact_cmds::matrix_cmd(rest),
        "-h" | "--help" | "help" => print_usage(USAGE),
        "-V" | "--version" => print_usage(concat!("statebridge ", env!("CARGO_PKG_VERSION"))),
        other => {
            eprintln!("statebridge: unknown command `{other}`\n\n{USAGE}");
            2
        }
    };
    ExitCode::from(code)
}

fn print_usage(usage: &str) -> u8 {
    outln!("{usage}");
    0
}
