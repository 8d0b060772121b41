//! The words the editors show: one entry per name, `(name, detail, text)`. The text's first line
//! is a title; what follows is one or more short paragraphs; `code` goes in backquotes.

/// A documented name: what it is called, a one-line detail (a signature, a type), and its text.
pub type Entry = (&'static str, &'static str, &'static str);

/// The eight state types.
pub const STATE_TYPES: &[Entry] = &[
    (
        "Pass",
        "state type",
        "Pass\nHands its input on, optionally changed: `Result` (JSONPath) or `Output` (JSONata) replaces it, `Parameters`/`Arguments` reshape it. Handy for stubbing out work and for fixing up data between states.",
    ),
    (
        "Task",
        "state type",
        "Task\nDoes one unit of work through `Resource`: a Lambda function, an activity, or a service integration such as `arn:aws:states:::sqs:sendMessage`. The playground answers it from the Mocks editor; unmocked, it returns its input.",
    ),
    (
        "Choice",
        "state type",
        "Choice\nPicks the next state: the first rule in `Choices` that holds sends the execution to its `Next`, otherwise `Default`. With no match and no `Default` the execution fails with `States.NoChoiceMatched`. A Choice has no `End`.",
    ),
    (
        "Wait",
        "state type",
        "Wait\nPauses for `Seconds` or until `Timestamp` (or the `…Path` forms reading them from the input). Here the clock is virtual, so a day-long wait passes at once.",
    ),
    (
        "Succeed",
        "state type",
        "Succeed\nEnds this branch of the execution successfully, with its input as output. It is a terminal state: no `Next`, no `End`.",
    ),
    (
        "Fail",
        "state type",
        "Fail\nEnds the execution as failed with `Error` and `Cause` (or `ErrorPath`/`CausePath`). A Catch around a Parallel or Map can still handle it.",
    ),
    (
        "Parallel",
        "state type",
        "Parallel\nRuns every machine in `Branches` on the same input at once; its result is an array with each branch's output, in branch order. One failing branch fails the whole state.",
    ),
    (
        "Map",
        "state type",
        "Map\nRuns `ItemProcessor` once per item of the input array (`ItemsPath`, or `Items` in JSONata), at most `MaxConcurrency` at a time; its result is the array of the iterations' outputs. `ProcessorConfig.Mode: DISTRIBUTED` runs each item as a child execution.",
    ),
];

/// Members of a state machine object (the top level, a branch, an item processor).
pub const MACHINE_FIELDS: &[Entry] = &[
    (
        "StartAt",
        "string, required",
        "StartAt\nThe name of the state the machine (or branch) begins with. It must name a state of this `States` object.",
    ),
    (
        "States",
        "object, required",
        "States\nThe states of this machine, by name. Names are up to 80 characters and unique within the object.",
    ),
    (
        "Comment",
        "string",
        "Comment\nFree text for people; ignored when the machine runs.",
    ),
    (
        "QueryLanguage",
        "\"JSONPath\" | \"JSONata\"",
        "QueryLanguage\nHow the states read and shape data. `JSONPath` (the default) uses `InputPath`, `Parameters`, `ResultSelector`, `ResultPath` and `OutputPath`; `JSONata` uses `Arguments`, `Output`, `Assign` and `{% … %}` expressions with `$states`. A state may set its own, but a JSONata machine cannot hold JSONPath states.",
    ),
    (
        "TimeoutSeconds",
        "integer",
        "TimeoutSeconds\nThe longest the whole execution may run; past it the execution ends `TIMED_OUT`.",
    ),
    (
        "Version",
        "string",
        "Version\nThe version of the States Language the machine is written in; `1.0` is the only one.",
    ),
    (
        "ProcessorConfig",
        "object (Map)",
        "ProcessorConfig\nHow a Map runs its iterations: `Mode` is `INLINE` (inside this execution, up to 40 at a time) or `DISTRIBUTED` (child executions); `ExecutionType` is `STANDARD` or `EXPRESS` for distributed maps.",
    ),
];

/// Members of a state object.
pub const STATE_FIELDS: &[Entry] = &[
    (
        "Type",
        "string, required",
        "Type\nWhat kind of state this is: `Pass`, `Task`, `Choice`, `Wait`, `Succeed`, `Fail`, `Parallel` or `Map`. It decides which other fields are allowed.",
    ),
    (
        "Comment",
        "string",
        "Comment\nFree text for people; ignored when the state runs.",
    ),
    (
        "QueryLanguage",
        "\"JSONPath\" | \"JSONata\"",
        "QueryLanguage\nOverrides the machine's query language for this state alone.",
    ),
    (
        "Next",
        "string",
        "Next\nThe state to go to when this one is done. Exactly one of `Next` and `End` is needed (Choice, Succeed and Fail have neither).",
    ),
    (
        "End",
        "true",
        "End\n`true` makes this the last state of its machine or branch: its output becomes the branch's or the execution's output.",
    ),
    (
        "InputPath",
        "JSONPath",
        "InputPath\nPicks the part of the state's input it works on, e.g. `$.order`. `null` gives the state an empty object `{}`. JSONPath states only; JSONata states use `$states.input` in their expressions.",
    ),
    (
        "Parameters",
        "object (JSONPath)",
        "Parameters\nBuilds the task's (or Pass's) input as a new object. A key ending in `.$` takes its value from a path (`\"id.$\": \"$.order.id\"`), the context object (`$$.Execution.Id`) or an intrinsic function (`States.Format(…)`). The JSONata form is `Arguments`.",
    ),
    (
        "Arguments",
        "object or {% %} (JSONata)",
        "Arguments\nWhat a JSONata Task, Parallel or Map passes on: a JSON value where any string may be a `{% … %}` expression, e.g. `{\"id\": \"{% $states.input.order.id %}\"}`.",
    ),
    (
        "Result",
        "any JSON (Pass)",
        "Result\nA fixed value a Pass state outputs instead of its input (then placed by `ResultPath`).",
    ),
    (
        "ResultSelector",
        "object (JSONPath)",
        "ResultSelector\nReshapes the task's raw result before `ResultPath` places it: a template like `Parameters` whose `.$` paths read the result, not the input. Use it to keep only the fields you need, e.g. `{\"body.$\": \"$.Payload.body\"}`.",
    ),
    (
        "ResultPath",
        "JSONPath or null",
        "ResultPath\nWhere the (selected) result goes in the state's input: `$` (the default) replaces the input, `$.result` adds it beside the input's fields, `null` throws the result away and keeps the input. In a Catch it places the error object.",
    ),
    (
        "OutputPath",
        "JSONPath",
        "OutputPath\nThe last step of a JSONPath state: picks the part of the combined data that becomes the output, e.g. `$.result`. `null` gives `{}`.",
    ),
    (
        "Output",
        "any JSON or {% %} (JSONata)",
        "Output\nA JSONata state's output. Without it the output is the task's result (or the input for a Pass, Wait or Choice). Example: `\"{% $states.result.Payload %}\"`.",
    ),
    (
        "Assign",
        "object",
        "Assign\nSets variables visible to the states that follow (`$name` in JSONata, `$name` paths in JSONPath). Every value is worked out from the data the state saw, before `Output` or `OutputPath` apply.",
    ),
    (
        "Resource",
        "ARN (Task)",
        "Resource\nWhat the Task calls: a Lambda function ARN, an activity ARN, or an integration such as `arn:aws:states:::lambda:invoke` (add `.sync` to wait for a job, `.waitForTaskToken` to wait for a callback).",
    ),
    (
        "Retry",
        "array of retriers",
        "Retry\nRetriers tried in order when the state fails: the first whose `ErrorEquals` names the error decides. Each waits `IntervalSeconds`, multiplied by `BackoffRate` each time, up to `MaxAttempts` retries (default 3).",
    ),
    (
        "Catch",
        "array of catchers",
        "Catch\nWhere to go when the state fails and no retry is left: the first catcher whose `ErrorEquals` names the error sends the execution to its `Next`, with the error (`Error`, `Cause`) placed by its `ResultPath`.",
    ),
    (
        "TimeoutSeconds",
        "integer (Task)",
        "TimeoutSeconds\nHow long the task may run before it fails with `States.Timeout`. Without it a task may run as long as the execution.",
    ),
    (
        "TimeoutSecondsPath",
        "JSONPath (Task)",
        "TimeoutSecondsPath\nReads `TimeoutSeconds` from the state's input.",
    ),
    (
        "HeartbeatSeconds",
        "integer (Task)",
        "HeartbeatSeconds\nThe longest gap allowed between two heartbeats of the worker; a longer silence fails the task with `States.HeartbeatTimeout`. Must be below `TimeoutSeconds`.",
    ),
    (
        "HeartbeatSecondsPath",
        "JSONPath (Task)",
        "HeartbeatSecondsPath\nReads `HeartbeatSeconds` from the state's input.",
    ),
    (
        "Credentials",
        "object (Task)",
        "Credentials\nA role to assume for this task's call (`RoleArn` or `RoleArn.$`). The playground records it but has no accounts to switch.",
    ),
    (
        "Choices",
        "array of rules (Choice)",
        "Choices\nThe rules of a Choice, tried in order; the first that holds gives the next state. A JSONPath rule compares a `Variable` (`\"Variable\": \"$.total\", \"NumericGreaterThan\": 100`); a JSONata rule has a `Condition`.",
    ),
    (
        "Default",
        "string (Choice)",
        "Default\nThe state a Choice goes to when no rule holds.",
    ),
    (
        "Seconds",
        "integer (Wait)",
        "Seconds\nHow long the Wait pauses, in seconds (JSONata: may be an expression).",
    ),
    (
        "Timestamp",
        "ISO 8601 text (Wait)",
        "Timestamp\nThe moment the Wait pauses until, like `2026-03-14T01:59:00Z`. A time already past does not wait at all.",
    ),
    (
        "SecondsPath",
        "JSONPath (Wait)",
        "SecondsPath\nReads the seconds to wait from the input.",
    ),
    (
        "TimestampPath",
        "JSONPath (Wait)",
        "TimestampPath\nReads the timestamp to wait until from the input.",
    ),
    (
        "Error",
        "string (Fail)",
        "Error\nThe error name the Fail state ends the execution with, e.g. `OrderRejected`.",
    ),
    (
        "Cause",
        "string (Fail)",
        "Cause\nA longer human-readable explanation recorded with the error.",
    ),
    (
        "ErrorPath",
        "JSONPath (Fail)",
        "ErrorPath\nReads the error name from the input (or is an intrinsic function).",
    ),
    (
        "CausePath",
        "JSONPath (Fail)",
        "CausePath\nReads the cause from the input (or is an intrinsic function such as `States.Format`).",
    ),
    (
        "Branches",
        "array of machines (Parallel)",
        "Branches\nThe machines a Parallel runs side by side; each is an object with `StartAt` and `States`.",
    ),
    (
        "ItemProcessor",
        "machine (Map)",
        "ItemProcessor\nThe machine each item goes through: `StartAt`, `States`, and `ProcessorConfig` for the mode.",
    ),
    (
        "Iterator",
        "machine (Map, older form)",
        "Iterator\nThe older name of `ItemProcessor`; still accepted, but write `ItemProcessor` in new machines.",
    ),
    (
        "ItemsPath",
        "JSONPath (Map)",
        "ItemsPath\nWhere the array to iterate over is in the state's input (default `$`).",
    ),
    (
        "Items",
        "array or {% %} (JSONata Map)",
        "Items\nThe array a JSONata Map iterates over, e.g. `\"{% $states.input.orders %}\"`.",
    ),
    (
        "ItemSelector",
        "object (Map)",
        "ItemSelector\nBuilds each iteration's input. Besides the state's input it can read `$$.Map.Item.Value` and `$$.Map.Item.Index` (in JSONata: `$states.context.Map.Item.Value`).",
    ),
    (
        "ItemReader",
        "object (Map)",
        "ItemReader\nReads the items from elsewhere (an S3 object or listing) for a distributed Map.",
    ),
    (
        "ItemBatcher",
        "object (Map)",
        "ItemBatcher\nGroups items into batches (`MaxItemsPerBatch`, `MaxInputBytesPerBatch`); each iteration then gets `{\"Items\": […]}`.",
    ),
    (
        "ResultWriter",
        "object (Map)",
        "ResultWriter\nWrites a distributed Map's results to S3 instead of returning them.",
    ),
    (
        "MaxConcurrency",
        "integer (Map)",
        "MaxConcurrency\nHow many iterations may run at once; `0` (the default) means as many as allowed (40 for an inline Map).",
    ),
    (
        "MaxConcurrencyPath",
        "JSONPath (Map)",
        "MaxConcurrencyPath\nReads `MaxConcurrency` from the input.",
    ),
    (
        "ToleratedFailurePercentage",
        "number (Map)",
        "ToleratedFailurePercentage\nThe share of failed items a distributed Map accepts before it fails itself.",
    ),
    (
        "ToleratedFailurePercentagePath",
        "JSONPath (Map)",
        "ToleratedFailurePercentagePath\nReads `ToleratedFailurePercentage` from the input.",
    ),
    (
        "ToleratedFailureCount",
        "integer (Map)",
        "ToleratedFailureCount\nHow many failed items a distributed Map accepts before it fails itself.",
    ),
    (
        "ToleratedFailureCountPath",
        "JSONPath (Map)",
        "ToleratedFailureCountPath\nReads `ToleratedFailureCount` from the input.",
    ),
    (
        "Label",
        "string (Map)",
        "Label\nA name for a distributed Map's child executions.",
    ),
];

/// Members of a retrier (`Retry`) or catcher (`Catch`).
pub const RETRY_CATCH_FIELDS: &[Entry] = &[
    (
        "ErrorEquals",
        "array of error names",
        "ErrorEquals\nThe errors this retrier or catcher handles, e.g. `[\"States.Timeout\", \"Lambda.ServiceException\"]`. `States.ALL` matches any error and must stand alone, last.",
    ),
    (
        "IntervalSeconds",
        "integer, default 1",
        "IntervalSeconds\nSeconds before the first retry.",
    ),
    (
        "MaxAttempts",
        "integer, default 3",
        "MaxAttempts\nHow many retries at most; `0` means never retry this error.",
    ),
    (
        "BackoffRate",
        "number, default 2.0",
        "BackoffRate\nWhat each wait is multiplied by before the next retry: 1, 2, 4… seconds with the defaults.",
    ),
    (
        "MaxDelaySeconds",
        "integer",
        "MaxDelaySeconds\nA ceiling on any one wait between retries, however far the backoff has grown.",
    ),
    (
        "JitterStrategy",
        "\"FULL\" | \"NONE\"",
        "JitterStrategy\n`FULL` picks each wait at random between 0 and the computed delay, so many failing executions do not retry in step.",
    ),
    (
        "Next",
        "string (Catch)",
        "Next\nThe state a catcher sends the execution to.",
    ),
    (
        "ResultPath",
        "JSONPath (Catch)",
        "ResultPath\nWhere the error object (`Error`, `Cause`) goes in the failed state's input; `$` replaces the input with it.",
    ),
    (
        "Output",
        "JSONata (Catch)",
        "Output\nThe data a JSONata catcher passes on; `$states.errorOutput` holds the error.",
    ),
    (
        "Assign",
        "object (Catch)",
        "Assign\nVariables a catcher sets on its way to `Next`.",
    ),
    ("Comment", "string", "Comment\nFree text for people."),
];

/// Members of a Choice rule.
pub const CHOICE_FIELDS: &[Entry] = &[
    (
        "Variable",
        "JSONPath",
        "Variable\nThe value the rule compares, e.g. `$.order.total`.",
    ),
    (
        "Condition",
        "{% %} (JSONata)",
        "Condition\nA JSONata rule: holds when the expression is `true`, e.g. `\"{% $states.input.total > 100 %}\"`.",
    ),
    (
        "Next",
        "string",
        "Next\nThe state to go to when the rule holds (only on top-level rules, not inside `And`/`Or`/`Not`).",
    ),
    (
        "And",
        "array of rules",
        "And\nHolds when every rule in it holds.",
    ),
    (
        "Or",
        "array of rules",
        "Or\nHolds when at least one rule in it holds.",
    ),
    ("Not", "rule", "Not\nHolds when the rule in it does not."),
    (
        "StringEquals",
        "string",
        "StringEquals\nThe variable is exactly this string.",
    ),
    (
        "StringEqualsPath",
        "JSONPath",
        "StringEqualsPath\nThe variable equals the string at this path.",
    ),
    (
        "StringLessThan",
        "string",
        "StringLessThan\nSorts before this string.",
    ),
    (
        "StringGreaterThan",
        "string",
        "StringGreaterThan\nSorts after this string.",
    ),
    (
        "StringLessThanEquals",
        "string",
        "StringLessThanEquals\nSorts before or equals this string.",
    ),
    (
        "StringGreaterThanEquals",
        "string",
        "StringGreaterThanEquals\nSorts after or equals this string.",
    ),
    (
        "StringMatches",
        "pattern with *",
        "StringMatches\nMatches a pattern where `*` stands for any run of characters, e.g. `\"*.csv\"`; write `\\\\*` for a literal star.",
    ),
    (
        "NumericEquals",
        "number",
        "NumericEquals\nThe variable is a number equal to this one.",
    ),
    (
        "NumericEqualsPath",
        "JSONPath",
        "NumericEqualsPath\nEquals the number at this path.",
    ),
    (
        "NumericLessThan",
        "number",
        "NumericLessThan\nA number below this one.",
    ),
    (
        "NumericGreaterThan",
        "number",
        "NumericGreaterThan\nA number above this one.",
    ),
    (
        "NumericLessThanEquals",
        "number",
        "NumericLessThanEquals\nA number at most this one.",
    ),
    (
        "NumericGreaterThanEquals",
        "number",
        "NumericGreaterThanEquals\nA number at least this one.",
    ),
    (
        "BooleanEquals",
        "true | false",
        "BooleanEquals\nThe variable is this boolean.",
    ),
    (
        "TimestampEquals",
        "ISO 8601 text",
        "TimestampEquals\nThe variable is a timestamp at the same moment.",
    ),
    (
        "TimestampLessThan",
        "ISO 8601 text",
        "TimestampLessThan\nA timestamp before this one.",
    ),
    (
        "TimestampGreaterThan",
        "ISO 8601 text",
        "TimestampGreaterThan\nA timestamp after this one.",
    ),
    (
        "TimestampLessThanEquals",
        "ISO 8601 text",
        "TimestampLessThanEquals\nA timestamp at or before this one.",
    ),
    (
        "TimestampGreaterThanEquals",
        "ISO 8601 text",
        "TimestampGreaterThanEquals\nA timestamp at or after this one.",
    ),
    (
        "IsNull",
        "true | false",
        "IsNull\nWhether the variable is JSON `null`.",
    ),
    (
        "IsPresent",
        "true | false",
        "IsPresent\nWhether the path exists in the input at all. The only test that does not fail on a missing field.",
    ),
    (
        "IsNumeric",
        "true | false",
        "IsNumeric\nWhether the variable is a number.",
    ),
    (
        "IsString",
        "true | false",
        "IsString\nWhether the variable is a string.",
    ),
    (
        "IsBoolean",
        "true | false",
        "IsBoolean\nWhether the variable is `true` or `false`.",
    ),
    (
        "IsTimestamp",
        "true | false",
        "IsTimestamp\nWhether the variable is a string holding an ISO 8601 timestamp.",
    ),
    (
        "Assign",
        "object",
        "Assign\nVariables set when this rule is taken.",
    ),
    (
        "Output",
        "JSONata",
        "Output\nThe Choice's output when this rule is taken.",
    ),
    ("Comment", "string", "Comment\nFree text for people."),
];

/// The intrinsic functions of JSONPath states.
pub const INTRINSICS: &[Entry] = &[
    (
        "States.Format",
        "States.Format(template, value…)",
        "States.Format(template, value…)\nFills each `{}` of the template with the next value, in order: `States.Format('Order {} for {}', $.id, $.name)`. Write `\\\\{` for a literal brace.",
    ),
    (
        "States.StringToJson",
        "States.StringToJson(text)",
        "States.StringToJson(text)\nParses JSON text into a value: `States.StringToJson($.body)`.",
    ),
    (
        "States.JsonToString",
        "States.JsonToString(value)",
        "States.JsonToString(value)\nTurns a value into compact JSON text.",
    ),
    (
        "States.Array",
        "States.Array(value…)",
        "States.Array(value…)\nAn array of its arguments: `States.Array($.a, $.b, 3)`.",
    ),
    (
        "States.ArrayPartition",
        "States.ArrayPartition(array, size)",
        "States.ArrayPartition(array, size)\nCuts an array into chunks of `size` items (the last may be shorter).",
    ),
    (
        "States.ArrayContains",
        "States.ArrayContains(array, value)",
        "States.ArrayContains(array, value)\n`true` when the value is an item of the array.",
    ),
    (
        "States.ArrayRange",
        "States.ArrayRange(first, last, step)",
        "States.ArrayRange(first, last, step)\nThe numbers from `first` up to at most `last`, `step` apart: `States.ArrayRange(1, 9, 2)` is `[1,3,5,7,9]`. At most 1,000 items.",
    ),
    (
        "States.ArrayGetItem",
        "States.ArrayGetItem(array, index)",
        "States.ArrayGetItem(array, index)\nThe item at a 0-based index.",
    ),
    (
        "States.ArrayLength",
        "States.ArrayLength(array)",
        "States.ArrayLength(array)\nHow many items the array has.",
    ),
    (
        "States.ArrayUnique",
        "States.ArrayUnique(array)",
        "States.ArrayUnique(array)\nThe array with repeated items left out, first occurrences kept.",
    ),
    (
        "States.Base64Encode",
        "States.Base64Encode(text)",
        "States.Base64Encode(text)\nThe text's UTF-8 bytes in base64 (input up to 10,000 characters).",
    ),
    (
        "States.Base64Decode",
        "States.Base64Decode(text)",
        "States.Base64Decode(text)\nDecodes base64 back into text.",
    ),
    (
        "States.Hash",
        "States.Hash(value, algorithm)",
        "States.Hash(value, algorithm)\nThe hex digest of a text: algorithm `MD5`, `SHA-1`, `SHA-256`, `SHA-384` or `SHA-512`.",
    ),
    (
        "States.JsonMerge",
        "States.JsonMerge(a, b, false)",
        "States.JsonMerge(a, b, false)\nMerges two objects, `b`'s members winning. The third argument must be `false` (a shallow merge).",
    ),
    (
        "States.MathRandom",
        "States.MathRandom(start, end[, seed])",
        "States.MathRandom(start, end[, seed])\nA random integer from `start` (included) to `end` (excluded). The playground's runs are seeded, so they repeat.",
    ),
    (
        "States.MathAdd",
        "States.MathAdd(a, b)",
        "States.MathAdd(a, b)\nThe sum of two integers: `States.MathAdd($.count, 1)`.",
    ),
    (
        "States.StringSplit",
        "States.StringSplit(text, separators)",
        "States.StringSplit(text, separators)\nSplits a text at any of the separator characters into an array of texts.",
    ),
    (
        "States.UUID",
        "States.UUID()",
        "States.UUID()\nA new version 4 UUID (repeatable here: runs are seeded).",
    ),
];

/// Members of JSONata's `$states`.
pub const STATES_VARIABLE: &[Entry] = &[
    (
        "$states.input",
        "the state's input",
        "$states.input\nWhat the state received: the previous state's output (or the execution input for the first state).",
    ),
    (
        "$states.result",
        "the task's result",
        "$states.result\nWhat a Task, Parallel or Map returned; usable in `Output` and `Assign`.",
    ),
    (
        "$states.errorOutput",
        "the error (Catch)",
        "$states.errorOutput\nIn a catcher's `Output` or `Assign`: the error object with `Error` and `Cause`.",
    ),
    (
        "$states.context",
        "the context object",
        "$states.context\nFacts about the execution: `Execution`, `State`, `StateMachine`, `Task`, and `Map.Item` inside a Map.",
    ),
];

/// The context object (`$$` in JSONPath, `$states.context` in JSONata), by path after `$$.`.
pub const CONTEXT: &[Entry] = &[
    (
        "Execution.Id",
        "string",
        "$$.Execution.Id\nThe execution's ARN.",
    ),
    (
        "Execution.Input",
        "object",
        "$$.Execution.Input\nThe input the whole execution started with, whatever states have done since.",
    ),
    (
        "Execution.Name",
        "string",
        "$$.Execution.Name\nThe execution's name.",
    ),
    (
        "Execution.RoleArn",
        "string",
        "$$.Execution.RoleArn\nThe role the execution runs as.",
    ),
    (
        "Execution.StartTime",
        "ISO 8601 text",
        "$$.Execution.StartTime\nWhen the execution started.",
    ),
    (
        "Execution.RedriveCount",
        "integer",
        "$$.Execution.RedriveCount\nHow many times the execution has been redriven.",
    ),
    (
        "State.Name",
        "string",
        "$$.State.Name\nThe name of the state running now.",
    ),
    (
        "State.EnteredTime",
        "ISO 8601 text",
        "$$.State.EnteredTime\nWhen the current state was entered.",
    ),
    (
        "State.RetryCount",
        "integer",
        "$$.State.RetryCount\nHow many times the current state has been retried (0 on the first try).",
    ),
    (
        "StateMachine.Id",
        "string",
        "$$.StateMachine.Id\nThe state machine's ARN.",
    ),
    (
        "StateMachine.Name",
        "string",
        "$$.StateMachine.Name\nThe state machine's name.",
    ),
    (
        "Task.Token",
        "string",
        "$$.Task.Token\nThe token a `.waitForTaskToken` task hands out; whoever finishes the work sends it back with `SendTaskSuccess` or `SendTaskFailure`.",
    ),
    (
        "Map.Item.Index",
        "integer",
        "$$.Map.Item.Index\nIn a Map's `ItemSelector`: the 0-based position of the current item.",
    ),
    (
        "Map.Item.Value",
        "any JSON",
        "$$.Map.Item.Value\nIn a Map's `ItemSelector`: the current item.",
    ),
];

/// Error names a retrier or catcher may list.
pub const ERRORS: &[Entry] = &[
    (
        "States.ALL",
        "any error",
        "States.ALL\nMatches any error except `States.Runtime`. It must be alone in its `ErrorEquals` and its retrier or catcher must come last.",
    ),
    (
        "States.TaskFailed",
        "any task error",
        "States.TaskFailed\nMatches any error of a task except `States.Timeout`.",
    ),
    (
        "States.Timeout",
        "timed out",
        "States.Timeout\nA task ran longer than `TimeoutSeconds` or missed a heartbeat.",
    ),
    (
        "States.HeartbeatTimeout",
        "heartbeat missed",
        "States.HeartbeatTimeout\nA task's worker went quiet for longer than `HeartbeatSeconds`.",
    ),
    (
        "States.Permissions",
        "not allowed",
        "States.Permissions\nThe execution's role may not do what the task asked.",
    ),
    (
        "States.ResultPathMatchFailure",
        "ResultPath",
        "States.ResultPathMatchFailure\n`ResultPath` could not be applied to the state's input.",
    ),
    (
        "States.ParameterPathFailure",
        "Parameters",
        "States.ParameterPathFailure\nA `.$` path in `Parameters` found nothing in the input.",
    ),
    (
        "States.QueryEvaluationError",
        "JSONata",
        "States.QueryEvaluationError\nA JSONata expression failed, or gave no value where one is needed.",
    ),
    (
        "States.BranchFailed",
        "Parallel",
        "States.BranchFailed\nA branch of a Parallel failed.",
    ),
    (
        "States.NoChoiceMatched",
        "Choice",
        "States.NoChoiceMatched\nNo rule of a Choice held and it has no `Default`.",
    ),
    (
        "States.IntrinsicFailure",
        "intrinsic",
        "States.IntrinsicFailure\nAn intrinsic function was given arguments it cannot use.",
    ),
    (
        "States.ExceedToleratedFailureThreshold",
        "Map",
        "States.ExceedToleratedFailureThreshold\nMore items of a Map failed than it tolerates.",
    ),
    (
        "States.ItemReaderFailed",
        "Map",
        "States.ItemReaderFailed\nA distributed Map could not read its items.",
    ),
    (
        "States.ResultWriterFailed",
        "Map",
        "States.ResultWriterFailed\nA distributed Map could not write its results.",
    ),
    (
        "States.Runtime",
        "not catchable",
        "States.Runtime\nAn error in the machine itself, such as a path on a value that is not there. `States.ALL` does not catch it.",
    ),
];

/// Event pattern operators (the members of an object inside a pattern's array).
pub const PATTERN_OPERATORS: &[Entry] = &[
    (
        "prefix",
        "text starts with",
        "prefix\nThe value starts with the given text. `\"region\": [{\"prefix\": \"eu-\"}]` matches `eu-west-1`. Also `{\"prefix\": {\"equals-ignore-case\": \"EU-\"}}`.",
    ),
    (
        "suffix",
        "text ends with",
        "suffix\nThe value ends with the given text. `\"key\": [{\"suffix\": \".png\"}]` matches `photos/cat.png`.",
    ),
    (
        "anything-but",
        "none of these",
        "anything-but\nMatches any value except the ones given; a missing field never matches. `\"state\": [{\"anything-but\": [\"stopped\", \"terminated\"]}]`; also takes `{\"prefix\": …}`, `{\"suffix\": …}`, `{\"wildcard\": …}` or `{\"equals-ignore-case\": …}`.",
    ),
    (
        "numeric",
        "number comparison",
        "numeric\nCompares a JSON number: `\"price\": [{\"numeric\": [\">\", 0, \"<=\", 100]}]` matches 0 < price ≤ 100. Operators `=`, `<`, `<=`, `>`, `>=`; a numeric string is not a number.",
    ),
    (
        "exists",
        "field present",
        "exists\n`\"error\": [{\"exists\": true}]` matches when the field is in the event (as a leaf), `false` when it is not.",
    ),
    (
        "cidr",
        "IP address in range",
        "cidr\nAn IP address inside a block: `\"sourceIPAddress\": [{\"cidr\": \"10.0.0.0/24\"}]`.",
    ),
    (
        "equals-ignore-case",
        "same text, any case",
        "equals-ignore-case\n`\"name\": [{\"equals-ignore-case\": \"alice\"}]` matches `Alice` and `ALICE`.",
    ),
    (
        "wildcard",
        "* matches anything",
        "wildcard\n`\"key\": [{\"wildcard\": \"dir/*.png\"}]`: each `*` stands for any run of characters.",
    ),
    (
        "$or",
        "any of these patterns",
        "$or\nMatches when any of the listed sub-patterns does: `\"$or\": [{\"c\": [1]}, {\"d\": [2]}]`.",
    ),
];

/// The fields of an EventBridge event, as a pattern names them.
pub const EVENT_FIELDS: &[Entry] = &[
    (
        "source",
        "string",
        "source\nWho sent the event, e.g. `aws.ec2` or your own `com.example.orders`.",
    ),
    (
        "detail-type",
        "string",
        "detail-type\nWhat kind of event it is, e.g. `OrderCreated`; with `source` it says which fields `detail` has.",
    ),
    (
        "detail",
        "object",
        "detail\nThe event's own data, shaped by whoever sent it. Patterns match inside it field by field.",
    ),
    (
        "account",
        "string",
        "account\nThe 12-digit account the event comes from.",
    ),
    (
        "region",
        "string",
        "region\nThe region the event comes from, e.g. `us-east-1`.",
    ),
    (
        "time",
        "ISO 8601 text",
        "time\nWhen the event happened, as the sender says (or when EventBridge received it).",
    ),
    (
        "id",
        "string",
        "id\nA unique id EventBridge gives each event.",
    ),
    (
        "resources",
        "array of ARNs",
        "resources\nThe ARNs the event is about; matches when any of them does.",
    ),
    ("version", "string", "version\nAlways `0` today."),
];

/// PutEvents entry members (the event editor accepts them).
pub const ENTRY_FIELDS: &[Entry] = &[
    (
        "Source",
        "string, required",
        "Source\nBecomes the event's `source`.",
    ),
    (
        "DetailType",
        "string, required",
        "DetailType\nBecomes the event's `detail-type`.",
    ),
    (
        "Detail",
        "JSON text, required",
        "Detail\nThe event's `detail` as JSON text (an object), e.g. `\"{\\\"id\\\": 1}\"`.",
    ),
    (
        "EventBusName",
        "string",
        "EventBusName\nThe bus (name or ARN) the entry is put on; `default` when left out.",
    ),
    (
        "Resources",
        "array of ARNs",
        "Resources\nBecomes the event's `resources`.",
    ),
    (
        "Time",
        "ISO 8601 text",
        "Time\nBecomes the event's `time`; now when left out.",
    ),
    (
        "Entries",
        "array of entries",
        "Entries\nPutEvents' request: up to 10 entries.",
    ),
];

/// Members of a rule and its targets in the Rules editor.
pub const RULE_FIELDS: &[Entry] = &[
    (
        "Rules",
        "array",
        "Rules\nThe bus's rules: each has a `Name`, an `EventPattern` (or a `ScheduleExpression`) and `Targets`.",
    ),
    (
        "Name",
        "string",
        "Name\nThe rule's name: up to 64 letters, digits, `.`, `-` or `_`, unique on its bus.",
    ),
    (
        "EventPattern",
        "object",
        "EventPattern\nWhich events the rule takes: every field it names must match. Each leaf is an array of allowed values or operators: `{\"source\": [\"shop\"], \"detail\": {\"total\": [{\"numeric\": [\">\", 100]}]}}`.",
    ),
    (
        "EventBusName",
        "string",
        "EventBusName\nThe bus the rule listens on; `default` when left out.",
    ),
    (
        "State",
        "\"ENABLED\" | \"DISABLED\"",
        "State\nA `DISABLED` rule takes no events.",
    ),
    (
        "Description",
        "string",
        "Description\nFree text for people.",
    ),
    (
        "ScheduleExpression",
        "rate(…) or cron(…)",
        "ScheduleExpression\nRuns the rule's targets on a schedule: `rate(5 minutes)` or `cron(0 12 * * ? *)` (UTC).",
    ),
    (
        "Targets",
        "array (at most 5)",
        "Targets\nWhere a matched event goes; each target can reshape it with `Input`, `InputPath` or `InputTransformer`.",
    ),
    (
        "Id",
        "string",
        "Id\nThe target's id, unique within the rule.",
    ),
    (
        "Arn",
        "ARN",
        "Arn\nWhat the target is: a state machine, a Lambda function, a queue, another event bus…",
    ),
    (
        "Input",
        "JSON text",
        "Input\nSends this constant JSON text instead of the event.",
    ),
    (
        "InputPath",
        "JSONPath",
        "InputPath\nSends only part of the event, e.g. `$.detail`.",
    ),
    (
        "InputTransformer",
        "object",
        "InputTransformer\nBuilds the target's input: `InputPathsMap` names values taken from the event, `InputTemplate` places them with `<name>`.",
    ),
    (
        "InputPathsMap",
        "object",
        "InputPathsMap\nNames for values read from the event: `{\"id\": \"$.detail.id\"}`.",
    ),
    (
        "InputTemplate",
        "text",
        "InputTemplate\nThe target's input with `<name>` placeholders filled from `InputPathsMap` (and `<aws.events.rule-name>`, `<aws.events.event>` …).",
    ),
    (
        "RetryPolicy",
        "object",
        "RetryPolicy\nHow long EventBridge keeps retrying a failing target: `MaximumRetryAttempts` (default 185) and `MaximumEventAgeInSeconds` (default 86400).",
    ),
    (
        "DeadLetterConfig",
        "object",
        "DeadLetterConfig\n`{\"Arn\": …}` of the queue that gets events the target never accepted.",
    ),
    (
        "StateMachine",
        "state machine",
        "StateMachine\nThe target's state machine: a definition, or the name of one of the workspace's machines.",
    ),
];

/// Members of a mocked response (the Mocks editor).
pub const MOCK_FIELDS: &[Entry] = &[
    (
        "Return",
        "any JSON",
        "Return\nWhat the task returns on this call, as its result.",
    ),
    (
        "Throw",
        "{Error, Cause}",
        "Throw\nMakes the task fail on this call: `{\"Error\": \"Lambda.TooManyRequestsException\", \"Cause\": \"busy\"}`. Retry and Catch then see that error.",
    ),
    (
        "FailItems",
        "event pattern",
        "FailItems\nAnswers as a Lambda function does after a partial batch failure: `{\"batchItemFailures\": [{\"itemIdentifier\": …}]}` naming each item of the input list the event pattern matches (an SQS item's JSON `body` read decoded), e.g. `{\"body\": {\"discontinued\": [true]}}`. With a key like `\"1-\"` it holds for every call from 1 on, however many retries a pipe makes.",
    ),
    (
        "Error",
        "string",
        "Error\nThe error name the mocked task fails with.",
    ),
    (
        "Cause",
        "string",
        "Cause\nThe text recorded with the error.",
    ),
    (
        "Duration",
        "seconds",
        "Duration\nHow long the task takes on the virtual clock, so `TimeoutSeconds` can run out.",
    ),
    (
        "Heartbeats",
        "array of seconds",
        "Heartbeats\nWhen the worker sends heartbeats, in seconds after the task starts, for `HeartbeatSeconds`.",
    ),
    (
        "StateMachines",
        "object",
        "StateMachines\nStep Functions Local's form: test cases per machine, each naming a mocked response per state.",
    ),
    (
        "MockedResponses",
        "object",
        "MockedResponses\nStep Functions Local's form: the named responses test cases refer to, each keyed by call numbers (`\"0\"`, `\"1-2\"`).",
    ),
    (
        "TestCases",
        "object",
        "TestCases\nNamed test cases: which mocked response each state gets.",
    ),
];

/// The docs of a call-number key of a mock (`"0"`, `"1-2"`).
pub const MOCK_CALL: &str = "Call numbers\nWhich calls of the state this response answers, counted from 0 over the whole execution: `\"0\"` is the first call, `\"1-2\"` the second and third. Retries count as calls.";
