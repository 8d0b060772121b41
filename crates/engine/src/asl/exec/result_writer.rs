//! A Distributed Map's `ResultWriter`: the shape of its output (`WriterConfig.Transformation`
//! `NONE`, `COMPACT`, `FLATTEN`) and, with `Resource` `s3:putObject`, the result files and the
//! manifest it writes to S3 (`<Prefix>/<map run id>/SUCCEEDED_0.json`, `FAILED_0.json`,
//! `manifest.json`), the Map's output then being where the manifest is:
//! `{"MapRunArn": …, "ResultWriterDetails": {"Bucket": …, "Key": "…/manifest.json"}}`.
//!
//! Not pinned down by a recording (documented, or decided here): each child execution's record
//! (`NONE`) carries `Input` and `Output` as JSON text, as the results files AWS writes do;
//! `JSONL` files are named `…_0.jsonl`; the files are written when the Map Run succeeds
//! (tolerated failures included), all results of a status in one file (AWS splits at 5 GB).

use super::super::definition::{MapSpec, QueryLanguage};
use super::super::errors::Failure;
use super::super::jsonata_bridge;
use super::super::query::Env;
use super::super::time::{Millis, format_millis};
use super::finish::Cx;
use super::interp::{Interp, Stop, Thread};
use super::item_reader::no_such_bucket;
use serde_json::{Map, Value, json};

/// The error of a write that failed.
pub(crate) const WRITER_FAILED: &str = "States.ResultWriterFailed";

/// One child execution of a Distributed Map, as its results record it.
pub(crate) struct Child {
    pub(crate) input: Value,
    pub(crate) outcome: Result<Value, Failure>,
    pub(crate) start: Millis,
    pub(crate) stop: Millis,
}

/// Why writing failed: the Map Run's failure (`States.ResultWriterFailed`), or the state's.
pub(crate) enum WriteStop {
    /// `MapRunFailed` with `States.ResultWriterFailed` and this cause.
    Run(String),
    /// The state fails as it is (a path or expression error).
    State(Stop),
}

impl<'o> Interp<'o> {
    /// The Map's result from its children's, as the `ResultWriter` shapes and writes it.
    pub(crate) fn write_results(
        &mut self,
        cx: &Cx<'_, 'o>,
        th: &mut Thread,
        spec: &MapSpec,
        (map_run_arn, map_run_id): &(String, String),
        children: Vec<Child>,
    ) -> Result<Value, WriteStop> {
        let Some(writer) = &spec.result_writer else {
            return Ok(Value::Null);
        };
        let config = writer.get("WriterConfig");
        let exporting = writer.get("Resource").is_some();
        let setting = |name: &str| config.and_then(|c| c.get(name)).and_then(Value::as_str);
        let transformation =
            setting("Transformation").unwrap_or(if exporting { "NONE" } else { "COMPACT" });
        let jsonl = setting("OutputType") == Some("JSONL");
        let label = spec.label.as_deref().unwrap_or(&cx.state.name);
        let records = Records {
            machine_arn: format!("{}/{label}", self.opts.state_machine_arn()),
            execution_prefix: format!(
                "arn:aws:states:{}:{}:execution:{}/{label}",
                self.opts.region, self.opts.account, self.opts.state_machine_name
            ),
            run_id: map_run_id,
            seed: self.opts.seed,
        };
        let mut succeeded = Vec::new();
        let mut failed = Vec::new();
        for (index, child) in children.iter().enumerate() {
            match (&child.outcome, transformation) {
                (Ok(output), "COMPACT") => succeeded.push(output.clone()),
                (Ok(Value::Array(outputs)), "FLATTEN") => succeeded.extend(outputs.iter().cloned()),
                (Ok(output), "FLATTEN") => succeeded.push(output.clone()),
                (Ok(_), _) => succeeded.push(records.record(index, child)),
                (Err(_), _) => failed.push(records.record(index, child)),
            }
        }
        if !exporting {
            // WriterConfig alone: the shaped results are the Map's result.
            succeeded.extend(failed);
            return Ok(Value::Array(succeeded));
        }
        let params = self
            .writer_parameters(cx, th, writer)
            .map_err(WriteStop::State)?;
        let Some(bucket) = params.get("Bucket").and_then(Value::as_str) else {
            return Err(WriteStop::Run(
                "The ResultWriter's parameters have no Bucket (a string)".into(),
            ));
        };
        if !self.bucket_exists(bucket) {
            return Err(WriteStop::Run(no_such_bucket(bucket)));
        }
        let prefix = params.get("Prefix").and_then(Value::as_str).unwrap_or("");
        let dir = match prefix {
            "" => format!("{map_run_id}/"),
            p if p.ends_with('/') => format!("{p}{map_run_id}/"),
            p => format!("{p}/{map_run_id}/"),
        };
        let mut files = Map::new();
        for (status, list) in [
            ("FAILED", failed),
            ("PENDING", Vec::new()),
            ("SUCCEEDED", succeeded),
        ] {
            let mut entries = Vec::new();
            if !list.is_empty() {
                let (text, ext) = if jsonl {
                    let lines: Vec<String> = list.iter().map(Value::to_string).collect();
                    (lines.join("\n") + "\n", "jsonl")
                } else {
                    (Value::Array(list).to_string(), "json")
                };
                let key = format!("{dir}{status}_0.{ext}");
                entries.push(json!({"Key": key, "Size": text.len()}));
                self.written.put(bucket, &key, &text);
            }
            files.insert(status.to_owned(), Value::Array(entries));
        }
        let manifest = json!({
            "DestinationBucket": bucket,
            "MapRunArn": map_run_arn,
            "ResultFiles": files,
        });
        let manifest_key = format!("{dir}manifest.json");
        let text = serde_json::to_string_pretty(&manifest).unwrap_or_default();
        self.written.put(bucket, &manifest_key, &text);
        Ok(json!({
            "MapRunArn": map_run_arn,
            "ResultWriterDetails": {"Bucket": bucket, "Key": manifest_key},
        }))
    }

    /// `ResultWriter.Parameters` (JSONPath, over the input after `InputPath`) or `Arguments`.
    fn writer_parameters(
        &mut self,
        cx: &Cx<'_, 'o>,
        th: &mut Thread,
        writer: &Value,
    ) -> Result<Value, Stop> {
        if cx.state.query_language == QueryLanguage::Jsonata {
            return match writer.get("Arguments") {
                Some(v) => {
                    let t = jsonata_bridge::compiled(cx.state.jsonata.result_writer.as_ref(), v);
                    self.jsonata_field(cx, th, &t, "ResultWriter/Arguments", &[])
                }
                None => Ok(Value::Null),
            };
        }
        let Some(t) = &cx.state.jsonpath.result_writer else {
            return Ok(Value::Null);
        };
        let input = {
            let ctx = self.ctx(
                cx,
                th,
                super::interp::ctx_parts::of_field(&cx.state.input_path),
            );
            let env = Env {
                input: &cx.input,
                context: &ctx,
                vars: &th.vars,
            };
            super::super::data_flow::select(&cx.state.input_path, &env)
                .map_err(|e| Stop::Fail(e.in_state(&cx.state.name, cx.entered)))?
        };
        self.jsonpath_template(cx, th, t, &input)
    }
}

/// What every child's record shares.
struct Records<'a> {
    machine_arn: String,
    execution_prefix: String,
    run_id: &'a str,
    seed: u64,
}

impl Records<'_> {
    /// A child execution as `DescribeExecution` gives it (the `NONE` transformation).
    fn record(&self, index: usize, child: &Child) -> Value {
        let mut h: u64 = 0x9e37_79b9_7f4a_7c15 ^ self.seed ^ (index as u64);
        for b in self.run_id.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        let name = crate::splitmix::SplitMix64::new(h).uuid();
        let mut r = Map::new();
        if let Err(f) = &child.outcome {
            r.insert("Cause".into(), json!(f.cause.clone().unwrap_or_default()));
            r.insert("Error".into(), json!(f.error.clone().unwrap_or_default()));
        }
        r.insert(
            "ExecutionArn".into(),
            json!(format!("{}:{name}", self.execution_prefix)),
        );
        r.insert("Input".into(), json!(child.input.to_string()));
        r.insert("InputDetails".into(), json!({"Included": true}));
        r.insert("Name".into(), json!(name));
        if let Ok(output) = &child.outcome {
            r.insert("Output".into(), json!(output.to_string()));
            r.insert("OutputDetails".into(), json!({"Included": true}));
        }
        r.insert("RedriveCount".into(), json!(0));
        match &child.outcome {
            Ok(_) => {
                r.insert("RedriveStatus".into(), json!("NOT_REDRIVABLE"));
                r.insert(
                    "RedriveStatusReason".into(),
                    json!("Execution is SUCCEEDED and cannot be redriven"),
                );
            }
            Err(_) => {
                r.insert("RedriveStatus".into(), json!("REDRIVABLE"));
            }
        }
        r.insert("StartDate".into(), json!(format_millis(child.start)));
        r.insert("StateMachineArn".into(), json!(self.machine_arn));
        let status = if child.outcome.is_ok() {
            "SUCCEEDED"
        } else {
            "FAILED"
        };
        r.insert("Status".into(), json!(status));
        r.insert("StopDate".into(), json!(format_millis(child.stop)));
        Value::Object(r)
    }
}
