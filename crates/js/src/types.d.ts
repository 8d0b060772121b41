/** Any JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** An argument: JSON text (a string, parsed; errors then carry line and column) or a JSON-shaped value. */
export type JsonInput = string | Json;

/** What every function throws: a plain object, never a bare string. */
export interface StatebridgeError {
  /** Which kind of input was rejected. */
  kind: "argument" | "syntax" | "pattern" | "definition" | "mocks" | "options" | "target" | "bus" | "tooLarge" | "event" | "request" | "history" | "template" | "workspace";
  /** The whole story in words, place included. */
  message: string;
  /** The argument it is about: "pattern", "event", "definition", "options.mocks", … */
  argument?: string;
  /** Where inside it, as people read it: `detail.state`, `States.Charge.Next`. */
  path?: string;
  /** The same place as a JSON pointer (RFC 6901). */
  pointer?: string;
  /** 1-based line, when the argument was JSON text. */
  line?: number;
  /** 1-based column (in characters), when the argument was JSON text. */
  column?: number;
  /** Every problem of a definition (kind "definition"). */
  diagnostics?: Diagnostic[];
}

/** One field of a pattern against the event. */
export interface FieldExplanation {
  /** Dotted path, e.g. `detail.state`. */
  path: string;
  /** JSON pointer of the field's list in the pattern. */
  pointer: string;
  matched: boolean;
  /** The event's values at the path; null when the field is missing. */
  values: Json[] | null;
  /** What the pattern wants, in words. */
  wanted: string;
  /** What the pattern wants, as written. */
  pattern: Json;
  /** One line: the event's value(s) and what the pattern wants. */
  reason: string;
}

/** One `$or` list against the event. */
export interface OrExplanation {
  pointer: string;
  matched: boolean;
  /** Index of the alternative that came closest. */
  closest: number;
  alternatives: Explanation[];
}

/** Why an event matches a pattern or not. */
export interface Explanation {
  matched: boolean;
  /** "the event matches the pattern", or the reasons, one per line. */
  message: string;
  /** Why it does not match, one sentence each (empty when it matches). */
  reasons: string[];
  fields: FieldExplanation[];
  ors: OrExplanation[];
  /** Every field matches on its own, but not within the same element of an array. */
  arrayMismatch: boolean;
}

/** One problem of a state machine definition (as AWS's ValidateStateMachineDefinition). */
export interface Diagnostic {
  /** e.g. "SCHEMA_VALIDATION_FAILED", "MISSING_TRANSITION_TARGET". */
  code: string;
  state?: string;
  field?: string;
  pointer: string;
  message: string;
  line?: number;
  column?: number;
}

/** The answer of `validate`. */
export interface Validation {
  valid: boolean;
  diagnostics: Diagnostic[];
}

/** One history event, in the shape of Step Functions' GetExecutionHistory. */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: string;
  /** e.g. "ExecutionStarted", "TaskStateEntered". */
  type: string;
  /** Set when a task's result did not come from a mock (it returned its input). */
  unmocked?: boolean;
  /** The type's details object, e.g. `stateEnteredEventDetails`. */
  [details: string]: Json | undefined;
}

/** The options of `run`. */
export interface RunOptions {
  /** Task results: Step Functions Local's MockConfigFile, or `{state: {"0": {Return}, "1-2": {Throw}}}`. */
  mocks?: JsonInput;
  /** Which MockConfigFile test case (by default the only one). */
  testCase?: string;
  /** The virtual clock's start, RFC 3339 (or a Date). Default 2026-01-01T00:00:00Z. */
  startTime?: string | Date;
  /** Seed for random intrinsics, `$random`, `$uuid` and retry jitter. Default 0. */
  seed?: number;
  /** Include the history (default true). */
  history?: boolean;
  /** How many states may be entered before the execution is stopped. */
  maxSteps?: number;
  /** The execution's name (in ARNs and the context object). */
  name?: string;
  /** The state machine's name (in ARNs and the context object). */
  stateMachineName?: string;
  /** Answers to task tokens (`.waitForTaskToken` tasks and activities); a token with none waits as on AWS. */
  callbacks?: CallbackAnswer[] | string;
  /** A token with no answer pauses the run (status `RUNNING`, `paused`): run again with one more callback. */
  pauseOnCallbacks?: boolean;
  /** S3 objects a Distributed Map's `ItemReader` reads: bucket → key → content (text, or JSON written inline). */
  s3?: S3Objects | string;
  /** Redrive it (RedriveExecution) up to this many times while it ends FAILED, TIMED_OUT or ABORTED. Mocks keep counting. */
  redrives?: number;
  /** `"EXPRESS"`: five minutes at most, no `.sync`/`.waitForTaskToken`/activities, `logs` instead of `history`. */
  type?: "STANDARD" | "EXPRESS";
}

/** One event of an Express execution as CloudWatch Logs holds it (every number as a string). */
export interface ExpressLogEvent {
  id: string;
  type: string;
  details: { [key: string]: Json };
  previous_event_id: string;
  event_timestamp: string;
  execution_arn: string;
  redrive_count: string;
}

/** S3 objects by bucket, then key: each object's text. */
export type S3Objects = { [bucket: string]: { [key: string]: string | Json } };

/** `SendTaskSuccess`, `SendTaskFailure` or `SendTaskHeartbeat`, at a moment of the virtual clock. */
export type CallbackAnswer = {
  /** Seconds after the execution's start; left out: as soon as the task waits. */
  at?: number;
} & ({ token: string } | { state: string }) &
  ({ success: Json } | { failure: { error?: string; cause?: string } } | { heartbeat: true });

/** A task waiting for its callback. */
export interface WaitingTask {
  token: string;
  state: string;
  resource: string;
  enteredEventId: number;
  since: string;
  sinceSeconds: number;
  /** What was sent with the token. */
  input: Json;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
  /** When it times out if nothing more comes (seconds after the start). */
  timesOutAtSeconds?: number;
}

/** The result of `run`. */
export interface RunResult {
  status: "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED" | "RUNNING";
  output?: Json;
  error?: string;
  cause?: string;
  /** Where it paused (with `pauseOnCallbacks`): answer at `atSeconds` to go on from there. */
  paused?: { at: string; atSeconds: number; waiting: WaitingTask[] };
  /** With `redrives`: how many were made. */
  redriveCount?: number;
  /** With `redrives`: how each attempt before the last ended. */
  attempts?: { status: string; output?: Json; error?: string; cause?: string }[];
  /** With `redrives`: why AWS would refuse the next one (`ExecutionNotRedrivable`, …). */
  redriveRefused?: { error: string; message: string };
  /** What the Distributed Maps' `ResultWriter`s wrote (result files, manifests), bucket → key → text. */
  s3Written?: { [bucket: string]: { [key: string]: string } };
  history?: HistoryEvent[];
  /** An Express execution's CloudWatch Logs events (it has no history). */
  logs?: ExpressLogEvent[];
}

/** Whether the event matches the pattern. Throws a StatebridgeError for an invalid pattern. */
export function match(pattern: JsonInput, event: JsonInput): boolean;
/** Why the event matches the pattern or not, field by field. */
export function explain(pattern: JsonInput, event: JsonInput): Explanation;
/** Every problem of a state machine definition; an invalid definition is an answer, not an error. */
export function validate(definition: JsonInput): Validation;
/** Runs a definition to its end with mocks on a virtual clock; the same arguments give the same history. */
export function run(definition: JsonInput, input: JsonInput, options?: RunOptions | null): RunResult;

/** The options of `transform`. */
export interface DeliveryOptions {
  /** The rule's name, for `<aws.events.rule-name>` and `<aws.events.rule-arn>`. Default "my-rule". */
  ruleName?: string;
  /** When the event arrived (ISO 8601), for `<aws.events.event.ingestion-time>`. Default: the event's `time`. */
  ingestionTime?: string;
}

/** What a target receives. */
export interface Delivered {
  /** Exactly the text delivered. */
  text: string;
  /** The text parsed as JSON, or null when it is not JSON (e.g. a quoted string template). */
  json: Json | null;
}

/** One target of a matched rule. */
export interface RoutedTarget {
  id: string;
  arn: string;
  /** The target is a state machine: `input` is what its StartExecution receives. */
  startsExecution: boolean;
  /** The delivered input (JSON when it parses, else the text). */
  input?: Json;
  /** The delivered input, exactly as text. */
  inputText?: string;
  /** Why no input could be made (e.g. a template that gives invalid JSON). */
  error?: string;
}

/** PutEvents' answer to the entries given to `route`. */
export interface PutEventsResult {
  FailedEntryCount: number;
  /** One per entry, in order: its event id, or AWS's error code and message. */
  Entries: ({ EventId: string } | { ErrorCode: string; ErrorMessage: string })[];
}

/** The answer of `route`. */
export interface Routing {
  /** The bus the (first) event was put on. */
  bus: string | null;
  /** When the event was PutEvents entries: PutEvents' answer. */
  putEvents?: PutEventsResult;
  /** When the event was PutEvents entries: every put event's routing. */
  routings?: (Omit<Routing, 'putEvents' | 'routings'> & { entry: number })[];
  /** Enabled rules that matched, in file order, with what each target receives. */
  matched: { name: string; targets: RoutedTarget[] }[];
  /** Enabled rules that did not match, with why. */
  notMatched: { name: string; reason: string; explanation: Explanation }[];
  /** Disabled rules (not evaluated). */
  disabled: string[];
  /** Rules with a `ScheduleExpression` and no pattern: they see no events, they fire on their schedule. */
  scheduled?: string[];
}

/** Options of `system`. */
export interface SystemOptions {
  /** When the run starts if the event has no `time` (RFC 3339). */
  startTime?: string;
  /** Seed for ids, random functions and flexible time windows. */
  seed?: number;
  /** The cap on events in one run (default 100). */
  maxEvents?: number;
  /** How long schedules fire for, from the run's start (default 86400: a day). */
  windowSeconds?: number;
  /** Most firings of one rule's or schedule's expression in the window (default 10). */
  maxFirings?: number;
  /** Include each execution's history. */
  history?: boolean;
}

/** One firing of a scheduled rule or an EventBridge Scheduler schedule. */
export interface Firing {
  kind: 'rule' | 'schedule';
  name: string;
  expression: string;
  /** The time the expression names. */
  scheduled: string;
  /** When it fired (the scheduled time plus a flexible window's offset). */
  time: string;
  millis: number;
  /** Index into `events` of the event it made. */
  event?: number;
}

/** The record of a system run, in the same shape as `statebridge route`'s cascade (snake_case). */
export interface SystemReport {
  events: { index: number; id: string; bus: string; time: string; millis: number; event: unknown;
            origin: { kind: string; [k: string]: unknown }; matched: string[]; deliveries: number[];
            archived: boolean; archives?: string[] }[];
  deliveries: unknown[];
  executions: { index: number; name: string; machine: string; status: string; input: unknown;
                output?: unknown; error?: string; cause?: string; start: string; stop: string;
                history?: unknown[] }[];
  dead_letters: unknown[];
  capped?: string;
  rejected: number;
  put_events?: PutEventsResult;
  schedule_window?: { from: string; until: string };
  firings?: Firing[];
  firings_cut?: string[];
  replays?: { name: string; archive: string; bus: string; time: string; from: string; to: string;
              events: number; rules?: string[] }[];
  /** What each EventBridge pipe did (`rules.Pipes`, reading `rules.Sources`). */
  pipes?: PipeRun[];
  /** The Custom Event Bus run, when `rules` holds `EventsV2`. */
  eventsv2?: EventsV2Report;
}

/** A Custom Event Bus (`eventsv2`) run: buses, publish answers, events, subscribers' lanes, deliveries. */
export interface EventsV2Report {
  buses: { name: string; arn: string; retention_days: number; created: string; retention_window_start: string }[];
  publishes: { index: number; operation: "PutEvents" | "PutRawEvents"; bus: string; time: string;
               response: { FailedEntryCount?: number; Entries?: { EventId?: string; SequenceNumber?: string;
                 SuccessCode?: "PUBLISHED" | "DEDUPLICATED"; ErrorCode?: string; ErrorMessage?: string }[] } }[];
  events: { index: number; bus: string; id: string; time: string; millis: number;
            event: { Data: unknown; Metadata: Record<string, string>; SystemMetadata: Record<string, string> };
            origin: unknown; duplicates: number }[];
  subscribers: { name: string; arn: string; bus: string; target_arn: string; target: { kind: string };
                 transformer: "RAW" | "WITH_METADATA" | "JSONATA"; ordering: "UNORDERED" | "FIFO";
                 created: string; reads_from: string; reads_until?: string; state: "RUNNING" | "STOPPED";
                 lane: { matched: number; delivered: number; failed: number;
                         entries: { event: number; delivery_type: "LIVE" | "REPLAY"; matched: boolean; delivery?: number;
                                    verdicts: { scope: "DATA" | "METADATA" | "SYSTEM_METADATA"; matched: boolean; reason?: string }[] }[] } }[];
  deliveries: { subscriber: number; event: number; delivery_type: "LIVE" | "REPLAY"; group?: string;
                payload?: unknown; payload_error?: string;
                attempts: { time: string; millis: number; error?: string; message?: string }[];
                outcome: { status: "pending" | "delivered" | "dead_lettered" | "dropped"; [k: string]: unknown } }[];
  dead_letters: { queue: string; delivery: number; time: string; body: unknown }[];
  capped?: string;
}

/** One EventBridge pipe in a system run: every record of its source and every batch. */
export interface PipeRun {
  name: string;
  arn: string;
  source: string;
  kind: 'sqs' | 'kinesis' | 'dynamodb';
  enrichment?: string;
  target: string;
  /** Its lane in `events` (`(pipe) NAME`): each batch's delivery is an event there. */
  lane: string;
  state: 'RUNNING' | 'STOPPED';
  records: { index: number; id: string; time: string; millis: number;
             status: 'filtered' | 'before_start' | 'stopped' | 'taken' | 'pending' | 'dropped' | 'delivered' | 'failed' | 'dead_lettered';
             batch?: number;
             /** Times the pipe received it: an SQS message's ApproximateReceiveCount, a stream record's tries. */
             receives: number;
             /** Its last failure. */
             error?: string; record: unknown }[];
  /** Every try: first tries, retries (`retry_of`, `attempt` > 0) and the halves of a bisected batch (`attempt` 0). */
  batches: { index: number; time: string; millis: number; records: number[];
             attempt: number; retry_of?: number; failed_records?: number[];
             enrichment?: { arn: string; input: unknown; output?: unknown; error?: string; cause?: string;
                            answered_by: 'mock' | 'unmocked' | 'execution'; status?: string; duration_ms: number };
             target_input?: unknown; target_output?: unknown; event?: number; delivery?: number;
             status: 'PENDING' | 'DELIVERED' | 'DROPPED' | 'FAILED' | 'PARTIALLY_FAILED'; error?: string;
             /** The events before the target's input template (an event bus target's dynamic parameters). */
             originals?: unknown[];
             /** How long the target took to answer (a mocked `Duration`), when it took any time. */
             target_ms?: number }[];
  /** What went to a dead-letter queue: an SQS message (the queue's RedrivePolicy), or a stream's failed batch (DeadLetterConfig). */
  dead_letters: { queue: string; time: string; millis: number; records: number[]; attempts: number;
                  reason: string; body: unknown }[];
  /** How many times the enrichment was called, when it was. */
  enrichment_calls?: number;
  /** How many times the target was invoked, when it was. */
  target_calls?: number;
}

/** What a target (`{InputPath}`, `{Input}`, `{InputTransformer}` or none: the whole event) receives for an event. */
export function transform(target: JsonInput, event: JsonInput, options?: DeliveryOptions | null): Delivered;
/** Routes an event through a bus (`{"Rules": [...]}`, rules with targets, each on its `EventBusName`).
 * The event may be a full event, a PutEvents entry, a list of up to 10 entries or `{"Entries": [...]}`.
 * Throws for an invalid bus, or a call PutEvents refuses whole (`kind: "event"` or `"tooLarge"`). */
export function route(bus: JsonInput, event: JsonInput): Routing;
/** Runs a whole workspace (`{event, rules, machines, mocks}`; `rules` may hold `Schedules`,
 * `Archives`, `Replays`, a Custom Event Bus document, `EventsV2`, `Pipes` and their `Sources` beside `Rules`; `event` may be `null`) on one virtual clock. Throws for an invalid workspace
 * (`kind: "bus"`, `"definition"`, `"mocks"`, `"event"`, with `path`, and `line`/`column` for text). */
export function system(workspace: JsonInput, options?: SystemOptions | null): SystemReport;

/** A TestState request, in the shape of Step Functions' TestState API. The members AWS takes as
 * JSON text (`definition`, `input`, `variables`, `context`, `mock.result`, `mapItemReaderData`)
 * may be that text or the JSON value itself. */
export interface TestStateRequest {
  /** One state, or a whole machine with `stateName`. */
  definition: JsonInput;
  /** The state to test inside a whole machine (it may be nested in a Map or Parallel). */
  stateName?: string;
  /** The state's input (default `{}`). */
  input?: JsonInput;
  /** INFO (no inspection data, the default), DEBUG or TRACE. */
  inspectionLevel?: "INFO" | "DEBUG" | "TRACE";
  /** The Task's (or Map's, Parallel's) result or error instead of calling anything. */
  mock?: {
    result?: JsonInput;
    errorOutput?: { error?: string; cause?: string };
    fieldValidationMode?: "STRICT" | "PRESENT" | "NONE";
  };
  /** The context object (`$$`, `$states.context`). */
  context?: JsonInput;
  /** The variables in scope. */
  variables?: JsonInput;
  stateConfiguration?: {
    /** How many times the matching retrier has already retried. */
    retrierRetryCount?: number;
    /** The state inside a Map or Parallel the mocked error came from. */
    errorCausedByState?: string;
    /** How many Map iterations fail (with the mocked error). */
    mapIterationFailureCount?: number;
    /** What a Map's ItemReader reads (a JSON array). */
    mapItemReaderData?: JsonInput;
  };
  /** AWS needs a role to run a Task for real; without a mock a Task is refused without one. */
  roleArn?: string;
  revealSecrets?: boolean;
}

/** TestState's response. */
export interface TestStateResponse {
  status: "SUCCEEDED" | "FAILED" | "RETRIABLE" | "CAUGHT_ERROR";
  output?: Json;
  error?: string;
  cause?: string;
  nextState?: string;
  /** The value after each data-flow step (DEBUG and TRACE): `input`, `afterInputPath`,
   * `afterParameters`, `result`, `afterResultSelector`, `afterResultPath`, `variables`,
   * `errorDetails` ({retryIndex, retryBackoffIntervalSeconds}), … as TestState reports them. */
  inspectionData?: { [step: string]: Json };
  /** statebridge's remarks, not part of AWS's response: a mocked result it had no response
   * shape to check against (`mock.fieldValidationMode`) ran unchecked. */
  notes?: string[];
}

/** Runs one state as Step Functions' TestState API does. Throws `kind: "request"` for a request
 * TestState refuses or a malformed one (with its place), `kind: "definition"` for an invalid state. */
export function testState(request: JsonInput | TestStateRequest): TestStateResponse;

/** A history pasted from the AWS CLI, read for replay (`replay`). */
export interface ReplayedHistory {
  /** describe-execution's status, else the last event's ("RUNNING" when none ends it). */
  status: string;
  /** The execution input as JSON text (ExecutionStarted's, else describe-execution's). */
  input: string | null;
  /** The output as JSON text, when the last event is ExecutionSucceeded. */
  output: string | null;
  /** The error and cause, when the execution failed, timed out or was aborted. */
  error: string | null;
  cause: string | null;
  /** The events as AWS printed them, in `id` order (pages may be pasted in any order). */
  events: HistoryEvent[];
  /** Each event's time in milliseconds since 1970, in the same order. */
  millis: number[];
  /** How many history pages were read. */
  pages: number;
  /** The definition, from describe-state-machine (or describe-execution), when pasted too. */
  definition: Json | null;
  /** describe-execution's answer, when pasted too. */
  execution: { [key: string]: Json } | null;
  /** What does not stop the replay but a reader should know (a missing page, an unknown event type). */
  warnings: string[];
}
/** Reads `aws stepfunctions get-execution-history` output: one page, several in any order, a list
 * of pages or of events, with `describe-execution` / `describe-state-machine` output beside them.
 * Throws `kind: "history"` with `line`, `column` and `path` (`events[3].timestamp`). */
export function replay(history: JsonInput): ReplayedHistory;

/** A template read into a workspace (`importTemplate`). */
export interface ImportedTemplate {
  /** The workspace (the example files' shape): the template's rules and machines, the base's event and mocks. */
  workspace: { [key: string]: Json };
  /** The rules (`Name`, `EventPattern`, `EventBusName`, `ScheduleExpression`, `Targets`). */
  rules: Json[];
  /** State machine definitions by name. */
  machines: { [name: string]: Json };
  /** Custom event buses declared. */
  buses: string[];
  /** What could not be resolved or was left out, each with its line and column. */
  notes: string[];
}
/** Reads a SAM or CloudFormation template (JSON or YAML): `AWS::Events::Rule`,
 * `AWS::StepFunctions::StateMachine` (Definition, DefinitionString, DefinitionSubstitutions),
 * `AWS::Serverless::StateMachine` and its Events, `AWS::Events::EventBus`. `workspace` (optional)
 * keeps its event and mocks. Throws `kind: "template"` with `line`, `column` and `path`. */
export function importTemplate(template: string, workspace?: JsonInput | null): ImportedTemplate;

/** A workspace written as a template (`exportTemplate`). */
export interface ExportedTemplate {
  format: "json" | "yaml";
  /** The template as text in that format. */
  text: string;
  /** The template as a value. */
  template: { [key: string]: Json };
}
/** The workspace's machines, buses and rules as a CloudFormation template (the two IAM roles as
 * parameters). `format` is "json" (the default) or "yaml". */
export function exportTemplate(workspace: JsonInput, format?: "json" | "yaml" | null): ExportedTemplate;

/** One verdict of `matrix`. */
export interface MatrixCell {
  matched: boolean;
  /** Why not, one line per unmet field (empty when it matches). */
  reasons: string[];
}
/** Rules × events (`matrix`). */
export interface Matrix {
  rules: { name: string; bus: string; problem: string | null }[];
  /** Each event as the bus receives it, with `source / detail-type` as its label and its line in the text. */
  events: { label: string; bus: string; line: number; event: Json }[];
  /** `cells[rule][event]`. */
  cells: MatrixCell[][];
  /** The events no rule matches (indexes into `events`). */
  unmatched: number[];
}
/** Every rule against every event. `events`: JSON documents one after another (JSON Lines), a
 * list, or PutEvents input (`{Entries}`). `rules`: `{"Rules": [...]}`, a list, or a workspace.
 * A bad event throws `kind: "event"` with `line`, `column` and `path`. */
export function matrix(events: JsonInput, rules: JsonInput): Matrix;
