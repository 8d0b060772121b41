//! A Distributed Map's `ItemReader`: where its items come from when they are not in its input.
//! It reads the workspace's S3 objects (or the ones a `ResultWriter` wrote earlier in the run):
//! one object (`s3:getObject`, decoded by `ReaderConfig.InputType`) or a listing
//! (`s3:listObjectsV2`), at most `MaxItems` / `MaxItemsPath` of them.
//!
//! What AWS records, and this follows: `MapStateStarted` has `length` 0 (the items are not
//! known yet), then `MapRunStarted`; a read that fails is `MapRunFailed` with
//! `States.ItemReaderFailed` and its cause, then `MapStateFailed`. A `MaxItemsPath` that is not
//! an integer fails the state with `States.Runtime` before the Map Run starts; a negative one
//! fails the Map Run ("field MaxItems must be positive"). `MaxItems` 0 means no limit.

use super::super::data_flow;
use super::super::definition::{MapSpec, QueryLanguage};
use super::super::errors::{Failure, StepError};
use super::super::item_data::{self, Headers};
use super::super::jsonata_bridge;
use super::super::query::Env;
use super::super::s3::{self, Listed};
use super::finish::Cx;
use super::interp::{Interp, LIMIT_ERROR, Stop, Thread, ctx_parts};
use serde_json::Value;

/// The most items a Distributed Map reads (AWS's limit on `MaxItems`, 100,000,000).
pub(crate) const MAX_ITEMS: u64 = 100_000_000;

/// The error of a read that failed.
pub(crate) const READER_FAILED: &str = "States.ItemReaderFailed";

/// Why reading failed: the Map Run's failure, or the state's own (before the run starts).
pub(crate) enum ReadStop {
    /// `MapRunFailed` with `States.ItemReaderFailed` and this cause.
    Run(String),
    /// The state fails as it is (a path or expression error, a limit).
    State(Stop),
}

impl From<Stop> for ReadStop {
    fn from(s: Stop) -> Self {
        ReadStop::State(s)
    }
}

impl<'o> Interp<'o> {
    /// `ReaderConfig.MaxItems` or `MaxItemsPath` as a number of items (`None`: no limit).
    /// Evaluated before the Map Run starts: a value that is not an integer fails the state
    /// (`States.Runtime`, recorded); a negative one is returned as is for the run to fail.
    pub(crate) fn reader_max_items(
        &mut self,
        cx: &Cx<'_, 'o>,
        th: &mut Thread,
        reader: &Value,
        input: &Value,
    ) -> Result<Option<i64>, Stop> {
        let config = reader.get("ReaderConfig");
        let (value, path) = if let Some(p) = config.and_then(|c| c.get("MaxItemsPath")) {
            let text = p.as_str().unwrap_or_default();
            let compiled = super::super::compile::CompiledPath::new(text);
            (self.jsonpath_path(cx, th, &compiled, input)?, Some(text))
        } else if let Some(v) = config.and_then(|c| c.get("MaxItems")) {
            let v = if cx.state.query_language == QueryLanguage::Jsonata {
                let t = jsonata_bridge::compiled(cx.state.jsonata.max_items.as_ref(), v);
                self.jsonata_field(cx, th, &t, "ItemReader/ReaderConfig/MaxItems", &[])?
            } else {
                v.clone()
            };
            (v, None)
        } else {
            return Ok(None);
        };
        let n = value.as_f64().filter(|n| n.fract() == 0.0);
        match n {
            Some(0.0) => Ok(None),
            Some(n) => Ok(Some(n.clamp(i64::MIN as f64, i64::MAX as f64) as i64)),
            None => {
                let shown = super::super::history::text(&value);
                let detail = match path {
                    Some(p) => format!(
                        "The MaxItemsPath field refers to value \"{}\" which is not a valid integer: {p}",
                        shown.trim_matches('"')
                    ),
                    None => format!("The MaxItems field must be an integer, but was {shown}"),
                };
                Err(Stop::Fail(
                    StepError::runtime(detail).in_state(&cx.state.name, cx.entered),
                ))
            }
        }
    }

    /// Reads the items (after `MapRunStarted`).
    pub(crate) fn read_items(
        &mut self,
        cx: &Cx<'_, 'o>,
        th: &mut Thread,
        spec: &MapSpec,
        input: &Value,
        max_items: Option<i64>,
    ) -> Result<Vec<Value>, ReadStop> {
        let Some(reader) = &spec.item_reader else {
            return Ok(Vec::new());
        };
        let max = match max_items {
            Some(n) if n < 0 => {
                return Err(ReadStop::Run("field MaxItems must be positive".into()));
            }
            Some(n) => (n as u64).min(MAX_ITEMS) as usize,
            None => MAX_ITEMS as usize,
        };
        let params = self.reader_parameters(cx, th, reader, input)?;
        let text_of = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
        let Some(bucket) = text_of(params.get("Bucket")) else {
            return Err(ReadStop::Run(
                "The ItemReader's parameters have no Bucket (a string)".into(),
            ));
        };
        let resource = reader
            .get("Resource")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let config = reader.get("ReaderConfig");
        let setting = |name: &str| config.and_then(|c| c.get(name)).and_then(Value::as_str);
        let action = resource.rsplit(':').next().unwrap_or_default();
        match action {
            "listObjectsV2" => {
                let prefix = text_of(params.get("Prefix")).unwrap_or_default();
                let listed = self.s3_list(&bucket, &prefix)?;
                if setting("Transformation") == Some("LOAD_AND_FLATTEN") {
                    // Each listed object's content, decoded by InputType, one after the other.
                    let mut items = Vec::new();
                    for (key, body) in listed {
                        if items.len() >= max {
                            break;
                        }
                        let more = self.decode(&bucket, &key, &body, config, max - items.len())?;
                        items.extend(more);
                    }
                    return Ok(items);
                }
                let at = self.start / 1000;
                Ok(listed
                    .iter()
                    .take(max)
                    .map(|(key, body)| s3::listed_item(&Listed { key, body }, at))
                    .collect())
            }
            "getObject" => {
                let Some(key) = text_of(params.get("Key")) else {
                    return Err(ReadStop::Run(
                        "The ItemReader's parameters have no Key (a string)".into(),
                    ));
                };
                let body = self.s3_get(&bucket, &key)?;
                self.decode(&bucket, &key, &body, config, max)
            }
            _ => Err(ReadStop::Run(format!(
                "The ItemReader's Resource {resource:?} is not arn:aws:states:::s3:getObject or arn:aws:states:::s3:listObjectsV2"
            ))),
        }
    }

    /// `ItemReader.Parameters` (JSONPath, over the input after `InputPath`) or `Arguments`
    /// (JSONata).
    fn reader_parameters(
        &mut self,
        cx: &Cx<'_, 'o>,
        th: &mut Thread,
        reader: &Value,
        input: &Value,
    ) -> Result<Value, Stop> {
        if cx.state.query_language == QueryLanguage::Jsonata {
            return match reader.get("Arguments") {
                Some(v) => {
                    let t = jsonata_bridge::compiled(cx.state.jsonata.item_reader.as_ref(), v);
                    self.jsonata_field(cx, th, &t, "ItemReader/Arguments", &[])
                }
                None => Ok(Value::Null),
            };
        }
        match &cx.state.jsonpath.item_reader {
            Some(t) => {
                let ctx = self.ctx(cx, th, t.reads() | ctx_parts::MAP);
                let env = Env {
                    input,
                    context: &ctx,
                    vars: &th.vars,
                };
                let mut rng = data_flow::Rng64(self.rng.next_u64());
                data_flow::template(t, &env, &mut rng)
                    .map_err(|e| Stop::Fail(e.in_state(&cx.state.name, cx.entered)))
            }
            None => Ok(Value::Null),
        }
    }

    /// Decodes one object by `ReaderConfig.InputType`.
    fn decode(
        &mut self,
        bucket: &str,
        key: &str,
        body: &str,
        config: Option<&Value>,
        max: usize,
    ) -> Result<Vec<Value>, ReadStop> {
        let setting = |name: &str| config.and_then(|c| c.get(name)).and_then(Value::as_str);
        let run = |cause: String| ReadStop::Run(cause);
        match setting("InputType").unwrap_or("JSON") {
            "JSON" => item_data::json_items(body, max).map_err(run),
            "JSONL" => item_data::jsonl_items(body, max).map_err(run),
            "CSV" => {
                let delimiter = match setting("CSVDelimiter") {
                    None => ',',
                    Some(d) => item_data::delimiter(d).ok_or_else(|| {
                        run(format!(
                            "CSVDelimiter {d:?} is not one of COMMA, PIPE, SEMICOLON, SPACE, TAB"
                        ))
                    })?,
                };
                let headers = match setting("CSVHeaderLocation").unwrap_or("FIRST_ROW") {
                    "GIVEN" => {
                        let given = config
                            .and_then(|c| c.get("CSVHeaders"))
                            .and_then(Value::as_array)
                            .map(|h| {
                                h.iter()
                                    .map(|v| v.as_str().unwrap_or_default().to_owned())
                                    .collect()
                            })
                            .unwrap_or_default();
                        Headers::Given(given)
                    }
                    _ => Headers::FirstRow,
                };
                item_data::csv_items(body, delimiter, &headers, max).map_err(run)
            }
            "MANIFEST" => self.inventory_items(body, max),
            other => Err(run(format!(
                "statebridge cannot read InputType {other} (object s3://{bucket}/{key}): JSON, JSONL, CSV and MANIFEST are read"
            ))),
        }
    }

    /// The rows of an S3 inventory's CSV data files, named by the manifest's `fileSchema`.
    fn inventory_items(&mut self, manifest: &str, max: usize) -> Result<Vec<Value>, ReadStop> {
        let m = item_data::inventory_manifest(manifest).map_err(ReadStop::Run)?;
        let headers = Headers::Given(m.columns);
        let mut items = Vec::new();
        for key in &m.files {
            if items.len() >= max {
                break;
            }
            let body = self.s3_get(&m.bucket, key)?;
            let more = item_data::csv_items(&body, ',', &headers, max - items.len())
                .map_err(ReadStop::Run)?;
            items.extend(more);
        }
        Ok(items)
    }

    /// An object's text, as `GetObject` returns it (what the run wrote first, then the
    /// workspace's); the object counts against the execution's memory budget.
    fn s3_get(&self, bucket: &str, key: &str) -> Result<String, ReadStop> {
        let found = self
            .written
            .get(bucket, key)
            .or_else(|| self.opts.s3.get(bucket, key));
        match found {
            Some(body) if body.len() > self.opts.max_memory_bytes => {
                Err(ReadStop::State(Stop::Halt(Failure::new(
                    LIMIT_ERROR,
                    format!(
                        "s3://{bucket}/{key} holds {} bytes, more than statebridge's memory budget for one execution ({} bytes; not an AWS limit)",
                        body.len(),
                        self.opts.max_memory_bytes
                    ),
                ))))
            }
            Some(body) => Ok(body.to_owned()),
            None if !self.bucket_exists(bucket) => Err(ReadStop::Run(no_such_bucket(bucket))),
            None => Err(ReadStop::Run(format!(
                "The specified key does not exist. (Service: S3, Status Code: 404, Error Code: NoSuchKey; Bucket: {bucket}, Key: {key})"
            ))),
        }
    }

    /// The objects of `bucket` under `prefix` as (key, text), in key order.
    fn s3_list(&self, bucket: &str, prefix: &str) -> Result<Vec<(String, String)>, ReadStop> {
        if !self.bucket_exists(bucket) {
            return Err(ReadStop::Run(no_such_bucket(bucket)));
        }
        let mut all: std::collections::BTreeMap<String, String> = self
            .opts
            .s3
            .list(bucket, prefix)
            .into_iter()
            .map(|o| (o.key.to_owned(), o.body.to_owned()))
            .collect();
        for o in self.written.list(bucket, prefix) {
            all.insert(o.key.to_owned(), o.body.to_owned());
        }
        Ok(all.into_iter().collect())
    }

    /// Whether `bucket` is one of the workspace's or the run wrote to it.
    pub(crate) fn bucket_exists(&self, bucket: &str) -> bool {
        self.opts.s3.has_bucket(bucket) || self.written.has_bucket(bucket)
    }
}

/// S3's answer for a bucket that does not exist.
pub(crate) fn no_such_bucket(bucket: &str) -> String {
    format!(
        "The specified bucket does not exist. (Service: S3, Status Code: 404, Error Code: NoSuchBucket; Bucket: {bucket})"
    )
}
