//! A Task's `Resource` checked as CreateStateMachine checks it: one line per behaviour.

use statebridge_engine::asl::validate;

/// The definition text of one Task state with this resource, laid out so `Resource` is on line 3.
fn machine(resource: &str) -> String {
    format!(
        "{{\"StartAt\": \"T\", \"States\": {{\n  \"T\": {{\"Type\": \"Task\",\n    \"Resource\": {}, \"End\": true}}}}}}",
        serde_json::Value::from(resource)
    )
}

fn accepts(resource: &str) {
    let found = validate(&machine(resource));
    assert!(found.is_empty(), "{resource}: {found:?}");
}

/// Refused with AWS's `code`, at the `Resource` value (line 3, column 17), the message saying `says`.
fn refuses(resource: &str, code: &str, says: &str) {
    let found = validate(&machine(resource));
    let d = found
        .first()
        .unwrap_or_else(|| panic!("{resource} was accepted"));
    assert_eq!(d.code, code, "{resource}: {d:?}");
    assert_eq!(d.field.as_deref(), Some("Resource"));
    assert_eq!((d.line, d.column), (Some(3), Some(17)), "{resource}");
    assert!(d.message.contains(says), "{resource}: {}", d.message);
}

#[test]
fn resources_aws_accepts() {
    accepts("arn:aws:lambda:us-east-1:123456789012:function:charge");
    accepts("arn:aws:lambda:us-east-1:123456789012:function:charge:live");
    // AWS ran TestState on this one (the corpus's test_map_state_* cases): no account check.
    accepts("arn:aws:lambda:your-region:your-account-id:function:yourHelloWorldFunction");
    accepts("arn:aws:states:us-east-1:123456789012:activity:approve");
    accepts("arn:aws:states:::lambda:invoke");
    accepts("arn:aws:states:::lambda:invoke.waitForTaskToken");
    accepts("arn:aws:states:::states:startExecution.sync:2");
    accepts("arn:aws:states:::sqs:sendMessage.waitForTaskToken");
    accepts("arn:aws:states:::dynamodb:putItem");
    accepts("arn:aws:states:::ecs:runTask.sync");
    accepts("arn:aws:states:::aws-sdk:s3:listBuckets.waitForTaskToken");
    accepts("arn:aws:states:::aws-sdk:rekognition:detectModerationLabels");
    accepts("arn:aws-cn:states:::sns:publish");
}

#[test]
fn resources_aws_refuses() {
    refuses(
        "charge",
        "SCHEMA_VALIDATION_FAILED",
        "Value is not a valid resource ARN",
    );
    refuses(
        "${ChargeFunctionArn}",
        "SCHEMA_VALIDATION_FAILED",
        "template substitution",
    );
    refuses(
        "arn:aws:states:::lambda:call",
        "INVALID_RESOURCE",
        "`call` is not an action of the lambda integration",
    );
    refuses(
        "arn:aws:states:::lamda:invoke",
        "INVALID_RESOURCE",
        "`lamda` is not a service",
    );
    refuses(
        "arn:aws:states:::dynamodb:putItem.sync",
        "INVALID_RESOURCE",
        "does not support the .sync pattern",
    );
    refuses(
        "arn:aws:states:::lambda:invoke.sync:2",
        "INVALID_RESOURCE",
        "does not support the .sync:2 pattern",
    );
    refuses(
        "arn:aws:states:::aws-sdk:s3:getObject.sync",
        "INVALID_RESOURCE",
        "not .sync",
    );
    refuses(
        "arn:aws:lambda:us-east-1:123456789012:layer:x",
        "INVALID_RESOURCE",
        "function:NAME",
    );
    refuses(
        "arn:aws:s3:::my-bucket",
        "INVALID_RESOURCE",
        "an ARN of `s3` cannot be a Task's Resource",
    );
}

/// The order article's machine (seed 002) copied verbatim: AWS refuses it, and says why here.
#[test]
fn the_seed_machine_with_account_id_placeholders_is_refused_helpfully() {
    refuses(
        "arn:aws:states:us-east-1:ACCOUNT_ID:stateMachine:send-email",
        "INVALID_RESOURCE",
        "start it with arn:aws:states:::states:startExecution",
    );
    refuses(
        "arn:aws:states:us-east-1:ACCOUNT_ID:stateMachine:send-email",
        "INVALID_RESOURCE",
        "`ACCOUNT_ID` is a placeholder from an article, not a 12-digit account id",
    );
    refuses(
        "arn:aws:sns:us-east-1:ACCOUNT_ID:topic/order-validation-failures",
        "INVALID_RESOURCE",
        "arn:aws:states:::sns:publish and `TopicArn`",
    );
}
