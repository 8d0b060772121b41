//! What a pipe does when a batch fails, as the EventBridge user guide describes it ("Amazon
//! EventBridge Pipes error handling and troubleshooting", "Partial batch failure"), on the
//! run's virtual clock.
//!
//! A batch fails when its enrichment throws, an input template cannot be applied, the target
//! throws (a mocked Lambda function or any mocked target), or a `REQUEST_RESPONSE` state machine
//! execution does not succeed. A Lambda or Step Functions target may also answer with a partial
//! batch response, `{"batchItemFailures": [{"itemIdentifier": ID}]}`, ID being a record's
//! `messageId` (SQS) or `eventID` (streams): then only those records failed.
//!
//! - **SQS source**: the failed messages (the whole batch, or only the listed ones) stay in the
//!   queue and become visible again when the visibility timeout ends, counted from when the
//!   batch received them (`Sources[].Attributes.VisibilityTimeout`, default 30 s); they are
//!   received again (`ApproximateReceiveCount` grows) in batches of their own. A message whose
//!   receive count has reached the `RedrivePolicy`'s `maxReceiveCount` is moved by SQS to the
//!   `deadLetterTargetArn` queue instead; without a redrive policy it is retried until it is
//!   older than `MessageRetentionPeriod` (default 4 days) — or until the run's cap on events.
//! - **Kinesis / DynamoDB stream source**: the batch is retried with backoff (1, 2, 4 … 60 s)
//!   until `MaximumRetryAttempts` retries (default -1: no limit) or until its oldest record is
//!   older than `MaximumRecordAgeInSeconds` (default -1: until the record leaves the stream, 24
//!   hours here); then it goes to `DeadLetterConfig`'s queue (or is dropped without one). With
//!   `OnPartialBatchItemFailure: AUTOMATIC_BISECT` a failed batch of more than one record is first
//!   halved and each half tried again at once; halving does not count as a retry. With a partial
//!   batch response, the records from the first one named onward are retried (a stream is read
//!   in order, so it resumes from the first failure). While a batch is retried, the later batches
//!   of that stream wait for it (one shard: records keep their order).
//!
//! Choices where the documentation is silent:
//! - Messages that become visible again at one moment are received together, in batches of
//!   `BatchSize` (not with new arrivals, and without waiting for a batching window); such a
//!   batch's `retry_of` is the first failed batch among them, its `attempt` that batch's next.
//! - SQS moves a message to its dead-letter queue at the moment it would have become visible
//!   again; the dead letter holds the message as the pipe last received it. A stream's dead
//!   letter describes the batch (`KinesisBatchInfo` or `DDBStreamBatchInfo`, with the shard, the
//!   first and last sequence numbers and the batch size) as a stream's failure record does.
//! - A partial batch response naming an id that is not in the batch, or an item without an
//!   `itemIdentifier`, fails the whole batch (as AWS Lambda documents for its event sources).
//! - A target other than a state machine or event bus is mocked with the workspace's mocks under
//!   its name (a Lambda function's name; for other services the last part of the ARN), calls
//!   counted from 0 per pipe; unmocked, it succeeds. `FIRE_AND_FORGET` never reports a failure
//!   from the target's own logic (the pipe does not wait for it).
//! - Internal errors of the Pipes service are not modelled: every failure here is a "customer
//!   invocation error", the kind that counts against the retry settings.

use super::pipes::{BatchStatus, PipeBatch, PipeDeadLetter, RecordStatus};
use super::{DeliveryOutcome, Failure, Job, Origin, SystemRun, status_name};
use crate::asl::exec::Status;
use crate::asl::time::{self, Millis};
use crate::pipes::retry::{item_failures, stream_backoff_ms};
use crate::pipes::{Invocation, TargetKind};
use serde_json::{Value, json};

/// How a batch's try ended.
pub(super) enum Verdict {
    /// Every record reached the target.
    Success,
    /// The whole batch failed, for this reason.
    Whole(String),
    /// These records (indices into the pipe's records) failed; the others were delivered.
    Items(Vec<usize>, String),
}

impl SystemRun<'_> {
    /// Whether a stream's batch must wait for an earlier batch's retries (it is queued).
    pub(super) fn shard_waits(&mut self, p: usize, b: usize) -> bool {
        let Some(pipe) = self.system.bus.pipes.pipes.get(p) else {
            return false;
        };
        let run = &mut self.report.pipes[p];
        let first_try = run.batches.get(b).is_some_and(|x| x.retry_of.is_none());
        if pipe.kind.is_stream() && first_try && run.open_retries > 0 {
            run.waiting.push(b);
            return true;
        }
        false
    }

    /// The batch's records are received (once more): their count grows, and an SQS message
    /// carries it as `ApproximateReceiveCount`.
    pub(super) fn received(&mut self, p: usize, b: usize) {
        let run = &mut self.report.pipes[p];
        let Some(members) = run.batches.get(b).map(|x| x.records.clone()) else {
            return;
        };
        let sqs = run.kind == "sqs";
        for r in members {
            if let Some(rec) = run.records.get_mut(r) {
                rec.receives += 1;
                rec.batch = Some(b);
                if sqs && let Some(attrs) = rec.record.get_mut("attributes") {
                    attrs["ApproximateReceiveCount"] = json!(rec.receives.to_string());
                }
            }
        }
    }

    /// A pipe's target that is neither a state machine nor a bus: its mocked answer, if any.
    pub(super) fn invoke_pipe_target(
        &mut self,
        p: usize,
        b: usize,
        input: &Value,
    ) -> Result<Option<usize>, Failure> {
        let Some(pipe) = self.system.bus.pipes.pipes.get(p) else {
            return Ok(None);
        };
        let key = pipe.target_mock_key();
        let run = &mut self.report.pipes[p];
        let call = run.target_calls;
        run.target_calls += 1;
        let Some(mock) = self.system.mocks.response(&key, call) else {
            return Ok(None);
        };
        let ms = mock
            .duration()
            .map_or(0, |s| (s.max(0.0) * 1000.0) as Millis);
        let answer = mock.answer(input);
        let batch = self.report.pipes[p].batches.get_mut(b);
        match answer {
            Ok(value) => {
                if let Some(batch) = batch {
                    batch.target_output = Some(value);
                    batch.target_ms = ms;
                }
                Ok(None)
            }
            Err((error, cause)) => {
                if let Some(batch) = batch {
                    batch.target_ms = ms;
                }
                let code = error.unwrap_or_else(|| "Lambda.Unknown".to_owned());
                Err(Failure {
                    code: "TargetFailed",
                    message: match cause {
                        Some(c) => format!("the target threw {code}: {c}"),
                        None => format!("the target threw {code}"),
                    },
                    retryable: true,
                })
            }
        }
    }

    /// A pipe's delivery was attempted: how the batch ended, once the target answered.
    pub(super) fn pipe_attempted(&mut self, delivery: usize) {
        let Some(d) = self.report.deliveries.get(delivery) else {
            return;
        };
        let Some(Origin::Pipe { name, batch: b }) =
            self.report.events.get(d.event).map(|e| e.origin.clone())
        else {
            return;
        };
        let system = self.system;
        let Some((p, pipe)) = system.bus.pipes.named(&name) else {
            return;
        };
        let Some(batch) = self.report.pipes[p].batches.get(b) else {
            return;
        };
        let now = self.clock;
        let waits = pipe.invocation == Invocation::RequestResponse;
        let (verdict, at) = match &d.outcome {
            DeliveryOutcome::Pending => return,
            DeliveryOutcome::DeadLettered { .. } | DeliveryOutcome::Dropped { .. } => {
                let why = d
                    .attempts
                    .last()
                    .and_then(|a| a.message.clone())
                    .unwrap_or_else(|| "the target failed".to_owned());
                (Verdict::Whole(why), now + batch.target_ms)
            }
            DeliveryOutcome::Delivered { execution: Some(e) }
                if waits && pipe.target_kind == TargetKind::StateMachine =>
            {
                match self.report.executions.get(*e) {
                    Some(x) if x.status != Status::Succeeded => (
                        Verdict::Whole(format!(
                            "the execution ended {}{}: with REQUEST_RESPONSE the pipe waits for it, so the batch failed",
                            status_name(x.status),
                            x.error
                                .as_ref()
                                .map(|x| format!(" ({x})"))
                                .unwrap_or_default()
                        )),
                        x.stop_millis,
                    ),
                    Some(x) => (
                        self.partial(p, b, x.output.as_ref()),
                        x.stop_millis.max(now),
                    ),
                    None => (Verdict::Success, now),
                }
            }
            DeliveryOutcome::Delivered { .. } if waits => (
                self.partial(p, b, batch.target_output.as_ref()),
                now + batch.target_ms,
            ),
            DeliveryOutcome::Delivered { .. } => (Verdict::Success, now),
        };
        self.settle(p, b, verdict, at);
    }

    /// A target's answer read as a partial batch response.
    fn partial(&self, p: usize, b: usize, answer: Option<&Value>) -> Verdict {
        let Some(answer) = answer else {
            return Verdict::Success;
        };
        let run = &self.report.pipes[p];
        let Some(batch) = run.batches.get(b) else {
            return Verdict::Success;
        };
        let ids: Vec<&str> = batch
            .records
            .iter()
            .filter_map(|&r| run.records.get(r).map(|x| x.id.as_str()))
            .collect();
        match item_failures(answer, &ids) {
            None => Verdict::Success,
            Some(Err(why)) => Verdict::Whole(why),
            Some(Ok(failed)) => {
                let records: Vec<usize> = batch
                    .records
                    .iter()
                    .copied()
                    .filter(|&r| run.records.get(r).is_some_and(|x| failed.contains(&x.id)))
                    .collect();
                let why = format!(
                    "the target named {} of {} records in batchItemFailures",
                    records.len(),
                    batch.records.len()
                );
                Verdict::Items(records, why)
            }
        }
    }

    /// The batch's try is over at `at`: its records are delivered, retried or given up.
    pub(super) fn settle(&mut self, p: usize, b: usize, verdict: Verdict, at: Millis) {
        let system = self.system;
        let Some(pipe) = system.bus.pipes.pipes.get(p) else {
            return;
        };
        let stream = pipe.kind.is_stream();
        let Some(batch) = self.report.pipes[p].batches.get(b) else {
            return;
        };
        let chain = batch.retry_of.is_some();
        let members = batch.records.clone();
        let (failed, why, status) = match verdict {
            Verdict::Success => {
                self.end_batch(p, b, BatchStatus::Delivered, None);
                if stream && chain {
                    self.close_retry(p, at);
                }
                return;
            }
            Verdict::Whole(why) => (members.clone(), why, BatchStatus::Failed),
            Verdict::Items(failed, why) if stream => {
                // A stream resumes from the first record that failed.
                let first = members.iter().position(|r| failed.contains(r)).unwrap_or(0);
                (members[first..].to_vec(), why, BatchStatus::PartiallyFailed)
            }
            Verdict::Items(failed, why) => (failed, why, BatchStatus::PartiallyFailed),
        };
        // A response naming every record is the whole batch failing.
        let status = if failed.len() == members.len() {
            BatchStatus::Failed
        } else {
            status
        };
        let run = &mut self.report.pipes[p];
        for &r in &members {
            if let Some(rec) = run.records.get_mut(r) {
                if failed.contains(&r) {
                    rec.status = RecordStatus::Pending;
                    rec.error = Some(why.clone());
                } else {
                    rec.status = RecordStatus::Delivered;
                }
            }
        }
        if let Some(batch) = run.batches.get_mut(b) {
            batch.status = status;
            batch.error = Some(why.clone());
            batch.failed_records = failed.clone();
        }
        if stream {
            if !chain {
                run.open_retries += 1;
            }
            self.retry_stream(p, b, failed, why, at, status == BatchStatus::Failed);
        } else {
            self.retry_queue(p, b, failed, at);
        }
    }

    /// SQS: each failed message becomes visible again, or goes to the dead-letter queue.
    fn retry_queue(&mut self, p: usize, b: usize, failed: Vec<usize>, at: Millis) {
        let system = self.system;
        let pipe = &system.bus.pipes.pipes[p];
        let Some(source) = system.bus.pipes.sources.get(&pipe.source) else {
            return;
        };
        let q = &source.queue;
        let run = &mut self.report.pipes[p];
        let (received, attempt) = run
            .batches
            .get(b)
            .map_or((at, 0), |x| (x.millis, x.attempt));
        let visible = received.saturating_add(q.visibility_ms).max(at);
        let mut again = Vec::new();
        for r in failed {
            let Some(rec) = run.records.get_mut(r) else {
                continue;
            };
            let last = rec.error.clone().unwrap_or_default();
            match (&q.dead_letter_arn, q.max_receive) {
                (Some(dlq), Some(max)) if rec.receives >= max => {
                    rec.status = RecordStatus::DeadLettered;
                    let letter = PipeDeadLetter {
                        queue: dlq.clone(),
                        time: time::format_millis(visible),
                        millis: visible,
                        records: vec![r],
                        attempts: rec.receives,
                        reason: format!(
                            "received {} times (the RedrivePolicy's maxReceiveCount is {max}), so SQS moved it to the dead-letter queue; last failure: {last}",
                            rec.receives
                        ),
                        body: rec.record.clone(),
                    };
                    run.dead_letters.push(letter);
                }
                _ if visible - rec.millis > q.retention_ms => {
                    rec.status = RecordStatus::Failed;
                    rec.error = Some(format!(
                        "deleted by SQS: older than the queue's MessageRetentionPeriod ({} s) before it could be received again; last failure: {last}",
                        q.retention_ms / 1000
                    ));
                }
                _ => again.push(r),
            }
        }
        if again.is_empty() {
            return;
        }
        // Messages visible again at one moment are received together.
        match run.returning.entry(visible) {
            std::collections::btree_map::Entry::Occupied(mut e) => e.get_mut().extend(again),
            std::collections::btree_map::Entry::Vacant(e) => {
                e.insert(again);
                self.schedule(
                    visible,
                    Job::PipeRetry {
                        pipe: p,
                        records: Vec::new(),
                        attempt: attempt + 1,
                        retry_of: b,
                    },
                );
            }
        }
    }

    /// A stream: the batch is halved, retried after a backoff, or given up.
    fn retry_stream(
        &mut self,
        p: usize,
        b: usize,
        failed: Vec<usize>,
        why: String,
        at: Millis,
        whole: bool,
    ) {
        let system = self.system;
        let pipe = &system.bus.pipes.pipes[p];
        let run = &mut self.report.pipes[p];
        let attempt = run.batches.get(b).map_or(0, |x| x.attempt);
        if pipe.retry.bisect && whole && failed.len() > 1 {
            let (left, right) = failed.split_at(failed.len() / 2);
            // Two halves open, this batch closed.
            run.open_retries += 1;
            for half in [left, right] {
                self.schedule(
                    at,
                    Job::PipeRetry {
                        pipe: p,
                        records: half.to_vec(),
                        attempt,
                        retry_of: b,
                    },
                );
            }
            return;
        }
        let next = at.saturating_add(stream_backoff_ms(attempt + 1));
        let oldest = failed
            .iter()
            .filter_map(|&r| run.records.get(r).map(|x| x.millis))
            .min()
            .unwrap_or(at);
        let give_up = match pipe.retry.max_attempts {
            Some(max) if attempt >= max => Some((
                "RetryAttemptsExhausted",
                format!("gave up after {attempt} retries (MaximumRetryAttempts {max})"),
            )),
            _ if next - oldest > pipe.retry.age_limit_ms() => Some((
                "RecordAgeExceeded",
                match pipe.retry.max_age_ms {
                    Some(ms) => format!(
                        "gave up: its oldest record would be older than MaximumRecordAgeInSeconds ({} s)",
                        ms / 1000
                    ),
                    None => "gave up: its oldest record would have left the stream (24 hours)"
                        .to_owned(),
                },
            )),
            _ => None,
        };
        let Some((condition, reason)) = give_up else {
            self.schedule(
                next,
                Job::PipeRetry {
                    pipe: p,
                    records: failed,
                    attempt: attempt + 1,
                    retry_of: b,
                },
            );
            return;
        };
        let reason = format!("{reason}; last failure: {why}");
        match &pipe.dead_letter_arn {
            Some(dlq) => {
                let body = self.stream_failure_record(p, &failed, condition, attempt + 1);
                let run = &mut self.report.pipes[p];
                for &r in &failed {
                    if let Some(rec) = run.records.get_mut(r) {
                        rec.status = RecordStatus::DeadLettered;
                    }
                }
                run.dead_letters.push(PipeDeadLetter {
                    queue: dlq.clone(),
                    time: time::format_millis(at),
                    millis: at,
                    records: failed,
                    attempts: attempt + 1,
                    reason,
                    body,
                });
            }
            None => {
                let run = &mut self.report.pipes[p];
                for &r in &failed {
                    if let Some(rec) = run.records.get_mut(r) {
                        rec.status = RecordStatus::Failed;
                        rec.error = Some(format!("dropped (no DeadLetterConfig): {reason}"));
                    }
                }
            }
        }
        self.close_retry(p, at);
    }

    /// What a stream's dead-letter queue receives: the failed batch described, not its records.
    fn stream_failure_record(
        &self,
        p: usize,
        failed: &[usize],
        condition: &str,
        invokes: u32,
    ) -> Value {
        let run = &self.report.pipes[p];
        let seq = |r: &usize| -> Value {
            run.records.get(*r).map_or(Value::Null, |x| {
                x.record
                    .get("sequenceNumber")
                    .or_else(|| x.record.pointer("/dynamodb/SequenceNumber"))
                    .cloned()
                    .unwrap_or(Value::Null)
            })
        };
        let arrival = |r: Option<&usize>| -> Value {
            r.and_then(|r| run.records.get(*r))
                .map_or(Value::Null, |x| json!(x.time))
        };
        let info = json!({
            "shardId": "shardId-000000000000",
            "startSequenceNumber": failed.first().map_or(Value::Null, seq),
            "endSequenceNumber": failed.last().map_or(Value::Null, seq),
            "approximateArrivalOfFirstRecord": arrival(failed.first()),
            "approximateArrivalOfLastRecord": arrival(failed.last()),
            "batchSize": failed.len(),
            "streamArn": run.source,
        });
        let key = if run.kind == "kinesis" {
            "KinesisBatchInfo"
        } else {
            "DDBStreamBatchInfo"
        };
        json!({
            "requestContext": {
                "condition": condition,
                "approximateInvokeCount": invokes,
                "pipeArn": run.arn,
            },
            key: info,
            "recordIds": failed.iter().filter_map(|r| run.records.get(*r).map(|x| x.id.clone())).collect::<Vec<_>>(),
        })
    }

    /// One batch of a stream's retries ended (delivered, or given up): once none is left, the
    /// batches that waited go on.
    fn close_retry(&mut self, p: usize, at: Millis) {
        let run = &mut self.report.pipes[p];
        run.open_retries = run.open_retries.saturating_sub(1);
        if run.open_retries > 0 {
            return;
        }
        let waiting = std::mem::take(&mut run.waiting);
        for b in waiting {
            self.schedule(at, Job::PipeBatch { pipe: p, batch: b });
        }
    }

    /// Failed records come back: new batches of at most `BatchSize`, sent at once.
    pub(super) fn pipe_retry(&mut self, p: usize, records: Vec<usize>, attempt: u32, of: usize) {
        let Some(pipe) = self.system.bus.pipes.pipes.get(p) else {
            return;
        };
        let size = pipe.batch_size.max(1);
        let stream = pipe.kind.is_stream();
        let records = if stream {
            records
        } else {
            let now = self.clock;
            self.report.pipes[p]
                .returning
                .remove(&now)
                .unwrap_or(records)
        };
        let chunks: Vec<Vec<usize>> = records.chunks(size).map(<[usize]>::to_vec).collect();
        if stream && chunks.len() > 1 {
            self.report.pipes[p].open_retries += chunks.len() - 1;
        }
        for chunk in chunks {
            let run = &mut self.report.pipes[p];
            let index = run.batches.len();
            run.batches
                .push(PipeBatch::new(index, self.clock, chunk, attempt, Some(of)));
            self.pipe_batch(p, index);
        }
    }
}
