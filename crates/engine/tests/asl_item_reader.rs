//! A Distributed Map that reads its items from S3 (`ItemReader`) and writes its results there
//! (`ResultWriter`), as the AWS guide's examples do, over the workspace's S3 objects. The
//! recorded cases (AWS's execution histories, as LocalStack's snapshots keep them) are marked.

use serde_json::{Value, json};
use statebridge_engine::asl::StateMachine;
use statebridge_engine::asl::exec::{Execution, ExecutionOptions, Outcome, Status};
use statebridge_engine::asl::s3::S3Objects;

/// Runs `definition` on `input` with the S3 objects `s3` (bucket → key → content).
fn runs(definition: Value, input: Value, s3: Value) -> (Outcome, Execution) {
    let machine = StateMachine::from_value(&definition).expect("valid definition");
    let options = ExecutionOptions {
        s3: S3Objects::from_value(&s3).expect("valid objects"),
        ..ExecutionOptions::default()
    };
    let mut exec = Execution::new(&machine, input, options);
    let outcome = exec.run_to_end();
    (outcome, exec)
}

fn types(exec: &Execution) -> Vec<String> {
    exec.history()
        .iter()
        .map(|e| e.event_type.to_string())
        .collect()
}

/// A Distributed Map over what `reader` reads, each item passed through unchanged.
fn reading(reader: Value) -> Value {
    json!({
        "StartAt": "MapState",
        "States": {"MapState": {
            "Type": "Map",
            "ItemReader": reader,
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "HandleItem",
                "States": {"HandleItem": {"Type": "Pass", "End": true}}
            },
            "End": true
        }}
    })
}

fn csv_reader(config: Value) -> Value {
    json!({
        "ReaderConfig": config,
        "Resource": "arn:aws:states:::s3:getObject",
        "Parameters": {"Bucket.$": "$.Bucket", "Key.$": "$.Key"}
    })
}

const RECORDED_CSV: &str = "Col1,Col2,Col3\nValue1,Value2,Value3\nValue4,Value5,Value6\n,,,\ntrue,1,'HelloWorld'\nNull,None,\n   \n";

#[test]
fn a_csv_file_with_a_header_row_is_one_item_per_row() {
    // Recorded: test_map_item_reader_base_csv_headers_first_line.
    let (outcome, exec) = runs(
        reading(csv_reader(
            json!({"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"}),
        )),
        json!({"Bucket": "bucket-name", "Key": "file.csv"}),
        json!({"bucket-name": {"file.csv": RECORDED_CSV}}),
    );
    assert_eq!(outcome.status, Status::Succeeded, "{outcome:?}");
    assert_eq!(
        serde_json::to_string(&outcome.output).unwrap(),
        r#"[{"Col1":"Value1","Col2":"Value2","Col3":"Value3"},{"Col1":"Value4","Col2":"Value5","Col3":"Value6"},{"Col1":"","Col2":"","Col3":""},{"Col1":"true","Col2":"1","Col3":"'HelloWorld'"},{"Col1":"Null","Col2":"None","Col3":""},{"Col1":"   ","Col2":"","Col3":""}]"#
    );
    assert_eq!(
        types(&exec),
        [
            "ExecutionStarted",
            "MapStateEntered",
            "MapStateStarted",
            "MapRunStarted",
            "MapRunSucceeded",
            "MapStateSucceeded",
            "MapStateExited",
            "ExecutionSucceeded"
        ]
    );
    // The items are not known when the Map starts: AWS records length 0.
    let started = &exec.history()[2];
    assert_eq!(started.details().unwrap()["length"], 0);
}

#[test]
fn given_headers_duplicate_headers_and_max_items() {
    let input = json!({"Bucket": "bucket-name", "Key": "file.csv"});
    let s3 = json!({"bucket-name": {"file.csv": "Value1;Value2\nValue3;Value4\nValue5;Value6\n"}});
    let (outcome, _) = runs(
        reading(csv_reader(json!({
            "InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["H1", "H2"],
            "CSVDelimiter": "SEMICOLON", "MaxItems": 2
        }))),
        input.clone(),
        s3.clone(),
    );
    assert_eq!(
        outcome.output,
        Some(json!([{"H1": "Value1", "H2": "Value2"}, {"H1": "Value3", "H2": "Value4"}]))
    );
    // Recorded: test_map_item_reader_csv_headers_decl_duplicate_headers.
    let (outcome, exec) = runs(
        reading(csv_reader(json!({
            "InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["H1", "H1"]
        }))),
        input,
        s3,
    );
    assert_eq!(outcome.error.as_deref(), Some("States.ItemReaderFailed"));
    assert_eq!(
        outcome.cause.as_deref(),
        Some("CSV headers cannot contain duplicates.")
    );
    assert_eq!(
        types(&exec)[2..],
        [
            "MapStateStarted",
            "MapRunStarted",
            "MapRunFailed",
            "MapStateFailed",
            "ExecutionFailed"
        ]
    );
}

#[test]
fn max_items_path_zero_negative_and_fractional() {
    // Recorded: test_map_item_reader_csv_max_items_paths[0], [-1], [1.5].
    let machine = reading(json!({
        "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW", "MaxItemsPath": "$.MaxItems"},
        "Resource": "arn:aws:states:::s3:getObject",
        "Parameters": {"Bucket.$": "$.Bucket", "Key.$": "$.Key"}
    }));
    let s3 = json!({"bucket-name": {"file.csv": "Col1,Col2\nValue1,Value2\nValue3,Value4\nValue5,Value6\nValue7,Value8\n"}});
    let input = |n: Value| json!({"Bucket": "bucket-name", "Key": "file.csv", "MaxItems": n});
    let (all, _) = runs(machine.clone(), input(json!(0)), s3.clone());
    assert_eq!(all.output.unwrap().as_array().unwrap().len(), 4);
    let (negative, _) = runs(machine.clone(), input(json!(-1)), s3.clone());
    assert_eq!(negative.error.as_deref(), Some("States.ItemReaderFailed"));
    assert_eq!(
        negative.cause.as_deref(),
        Some("field MaxItems must be positive")
    );
    let (fraction, exec) = runs(machine, input(json!(1.5)), s3);
    assert_eq!(fraction.error.as_deref(), Some("States.Runtime"));
    assert_eq!(
        fraction.cause.as_deref(),
        Some(
            "An error occurred while executing the state 'MapState' (entered at the event id #2). The MaxItemsPath field refers to value \"1.5\" which is not a valid integer: $.MaxItems"
        )
    );
    assert_eq!(types(&exec)[2..], ["MapStateStarted", "ExecutionFailed"]);
}

#[test]
fn a_json_file_must_hold_an_array() {
    // Recorded: test_map_item_reader_base_json and test_map_item_reader_json_no_json_list_object.
    let machine = reading(json!({
        "ReaderConfig": {"InputType": "JSON"},
        "Resource": "arn:aws:states:::s3:getObject",
        "Parameters": {"Bucket.$": "$.Bucket", "Key.$": "$.Key"}
    }));
    let input = json!({"Bucket": "bucket-name", "Key": "file.json"});
    let rows = json!([
        {"verdict": "true", "statement_date": "6/11/2008", "statement_source": "speech"},
        {"verdict": "false", "statement_date": "6/7/2022", "statement_source": "television"}
    ]);
    let (outcome, _) = runs(
        machine.clone(),
        input.clone(),
        json!({"bucket-name": {"file.json": rows}}),
    );
    assert_eq!(outcome.output, Some(rows));
    let (outcome, _) = runs(
        machine.clone(),
        input.clone(),
        json!({"bucket-name": {"file.json": {"Hello": "world"}}}),
    );
    assert_eq!(
        outcome.cause.as_deref(),
        Some("Attempting to map over non-iterable node.")
    );
    // A missing object and a missing bucket fail the Map Run too, and a Catch takes them.
    let (outcome, _) = runs(machine, input, json!({"bucket-name": {}}));
    assert_eq!(outcome.error.as_deref(), Some("States.ItemReaderFailed"));
    assert!(
        outcome
            .cause
            .unwrap()
            .starts_with("The specified key does not exist."),
    );
}

#[test]
fn json_lines_in_jsonata_with_arguments() {
    let machine = json!({
        "QueryLanguage": "JSONata",
        "StartAt": "Orders",
        "States": {"Orders": {
            "Type": "Map",
            "ItemReader": {
                "ReaderConfig": {"InputType": "JSONL", "MaxItems": "{% $states.input.limit %}"},
                "Resource": "arn:aws:states:::s3:getObject",
                "Arguments": {"Bucket": "{% $states.input.bucket %}", "Key": "orders.jsonl"}
            },
            "ItemSelector": {"sku": "{% $states.context.Map.Item.Value.sku %}", "index": "{% $states.context.Map.Item.Index %}"},
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "Ship", "States": {"Ship": {"Type": "Pass", "End": true}}
            },
            "End": true
        }}
    });
    let (outcome, _) = runs(
        machine,
        json!({"bucket": "shop-data", "limit": 2}),
        json!({"shop-data": {"orders.jsonl": "{\"sku\":\"A\"}\n{\"sku\":\"B\"}\n{\"sku\":\"C\"}\n"}}),
    );
    assert_eq!(
        outcome.output,
        Some(json!([{"sku": "A", "index": 0}, {"sku": "B", "index": 1}]))
    );
}

#[test]
fn a_listing_gives_each_objects_key_size_and_etag() {
    // Recorded: test_map_item_reader_base_list_objects_v2 (three 12-byte objects).
    let machine = reading(json!({
        "Resource": "arn:aws:states:::s3:listObjectsV2",
        "Parameters": {"Bucket.$": "$.Bucket", "Prefix": "file_"}
    }));
    let s3 = json!({"bucket-name": {
        "file_0.txt": "0HelloWorld!", "file_1.txt": "1HelloWorld!", "file_2.txt": "2HelloWorld!",
        "other.txt": "not listed"
    }});
    let (outcome, _) = runs(machine, json!({"Bucket": "bucket-name"}), s3);
    let items = outcome.output.unwrap();
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[1]["Key"], "file_1.txt");
    assert_eq!(items[1]["Size"], 12);
    assert_eq!(items[1]["StorageClass"], "STANDARD");
    assert!(items[1]["Etag"].as_str().unwrap().starts_with('"'));
    let fields: Vec<&String> = items[0].as_object().unwrap().keys().collect();
    assert_eq!(
        fields,
        ["Etag", "Key", "LastModified", "Size", "StorageClass"]
    );
}

#[test]
fn an_s3_inventory_manifest_lists_its_csv_files_rows() {
    let manifest = json!({
        "sourceBucket": "amzn-s3-demo-source-bucket",
        "destinationBucket": "arn:aws:s3:::amzn-s3-demo-inventory",
        "version": "2016-11-30",
        "creationTimestamp": "1668560400000",
        "fileFormat": "CSV",
        "fileSchema": "Bucket, Key, Size, LastModifiedDate",
        "files": [{"key": "inventory/data/part-1.csv.gz", "size": 7300, "MD5checksum": "a7ff4a1d4164c3cd55851055ec8f6b20"}]
    });
    let machine = reading(json!({
        "ReaderConfig": {"InputType": "MANIFEST"},
        "Resource": "arn:aws:states:::s3:getObject",
        "Parameters": {"Bucket": "amzn-s3-demo-inventory", "Key": "inventory/manifest.json"}
    }));
    let s3 = json!({"amzn-s3-demo-inventory": {
        "inventory/manifest.json": manifest,
        "inventory/data/part-1.csv.gz": "\"amzn-s3-demo-source-bucket\",\"csvDataset/titles.csv\",\"3969\",\"2022-11-16T00:29:32.000Z\"\n"
    }});
    let (outcome, _) = runs(machine, json!({}), s3);
    let out = outcome.output.unwrap();
    // The field order of AWS's documented example item.
    assert_eq!(
        serde_json::to_string(&out[0]).unwrap(),
        r#"{"LastModifiedDate":"2022-11-16T00:29:32.000Z","Bucket":"amzn-s3-demo-source-bucket","Size":"3969","Key":"csvDataset/titles.csv"}"#
    );
}

/// The guide's CSV processing example: the ratings CSV, each row to a child workflow, the
/// results exported to S3.
fn exporting(writer: Value) -> Value {
    json!({
        "StartAt": "Map",
        "States": {"Map": {
            "Type": "Map",
            "ItemReader": {
                "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
                "Resource": "arn:aws:states:::s3:getObject",
                "Parameters": {"Bucket": "amzn-s3-demo-bucket", "Key": "csvDataset/ratings.csv"}
            },
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "Score",
                "States": {"Score": {"Type": "Pass", "Parameters": {"movie.$": "$.movieId", "stars.$": "States.StringToJson($.rating)", "pair.$": "States.Array($.movieId, $.userId)"}, "End": true}}
            },
            "ResultWriter": writer,
            "End": true
        }}
    })
}

fn ratings() -> Value {
    json!({
        "amzn-s3-demo-bucket": {"csvDataset/ratings.csv": "userId,movieId,rating\n1,296,5\n2,307,3\n"},
        "amzn-s3-demo-destination-bucket": {}
    })
}

#[test]
fn result_writer_exports_results_and_a_manifest() {
    let (outcome, mut exec) = runs(
        exporting(json!({
            "Resource": "arn:aws:states:::s3:putObject",
            "Parameters": {"Bucket": "amzn-s3-demo-destination-bucket", "Prefix": "csvProcessJobs"}
        })),
        json!({}),
        ratings(),
    );
    assert_eq!(outcome.status, Status::Succeeded, "{outcome:?}");
    let out = outcome.output.unwrap();
    let arn = out["MapRunArn"].as_str().unwrap().to_owned();
    let run_id = arn.rsplit(':').next().unwrap().to_owned();
    assert!(arn.starts_with("arn:aws:states:us-east-1:123456789012:mapRun:StateMachine/Map:"));
    let manifest_key = format!("csvProcessJobs/{run_id}/manifest.json");
    assert_eq!(
        out["ResultWriterDetails"],
        json!({"Bucket": "amzn-s3-demo-destination-bucket", "Key": manifest_key})
    );
    let written = exec.s3_written().clone();
    let manifest: Value = serde_json::from_str(
        written
            .get("amzn-s3-demo-destination-bucket", &manifest_key)
            .unwrap(),
    )
    .unwrap();
    let results_key = format!("csvProcessJobs/{run_id}/SUCCEEDED_0.json");
    let results = written
        .get("amzn-s3-demo-destination-bucket", &results_key)
        .unwrap();
    assert_eq!(
        manifest,
        json!({
            "DestinationBucket": "amzn-s3-demo-destination-bucket",
            "MapRunArn": arn,
            "ResultFiles": {"FAILED": [], "PENDING": [],
                            "SUCCEEDED": [{"Key": results_key, "Size": results.len()}]}
        })
    );
    // Without WriterConfig, each child execution's record (NONE), its output as JSON text.
    let records: Value = serde_json::from_str(results).unwrap();
    assert_eq!(records[0]["Status"], "SUCCEEDED");
    assert_eq!(
        records[0]["Output"],
        r#"{"movie":"296","stars":5,"pair":["296","1"]}"#
    );
    // A CSV item's fields in a Java HashMap's order, as AWS's recordings show.
    assert_eq!(
        records[1]["Input"],
        r#"{"rating":"3","movieId":"307","userId":"2"}"#
    );
}

#[test]
fn writer_config_alone_shapes_the_output() {
    let compact =
        exporting(json!({"WriterConfig": {"Transformation": "COMPACT", "OutputType": "JSON"}}));
    let (outcome, _) = runs(compact, json!({}), ratings());
    assert_eq!(
        outcome.output,
        Some(
            json!([{"movie": "296", "stars": 5, "pair": ["296", "1"]}, {"movie": "307", "stars": 3, "pair": ["307", "2"]}])
        )
    );
    // FLATTEN: children that return arrays give their elements.
    let mut flatten =
        exporting(json!({"WriterConfig": {"Transformation": "FLATTEN", "OutputType": "JSON"}}));
    flatten["States"]["Map"]["ItemProcessor"]["States"]["Score"]["OutputPath"] = json!("$.pair");
    let (outcome, _) = runs(flatten, json!({}), ratings());
    assert_eq!(outcome.output, Some(json!(["296", "1", "307", "2"])));
    let none = exporting(json!({"WriterConfig": {"Transformation": "NONE", "OutputType": "JSON"}}));
    let (outcome, _) = runs(none, json!({}), ratings());
    assert_eq!(outcome.output.unwrap()[1]["Status"], "SUCCEEDED");
}

#[test]
fn jsonl_results_and_a_missing_destination_bucket() {
    let (outcome, mut exec) = runs(
        exporting(json!({
            "WriterConfig": {"Transformation": "COMPACT", "OutputType": "JSONL"},
            "Resource": "arn:aws:states:::s3:putObject",
            "Parameters": {"Bucket": "amzn-s3-demo-destination-bucket", "Prefix": "out/"}
        })),
        json!({}),
        ratings(),
    );
    let key = outcome.output.unwrap()["ResultWriterDetails"]["Key"]
        .as_str()
        .unwrap()
        .replace("manifest.json", "SUCCEEDED_0.jsonl");
    let text = exec
        .s3_written()
        .get("amzn-s3-demo-destination-bucket", &key)
        .unwrap()
        .to_owned();
    assert_eq!(text.lines().count(), 2);
    assert!(!key.contains("//"));
    let (outcome, _) = runs(
        exporting(json!({
            "Resource": "arn:aws:states:::s3:putObject",
            "Parameters": {"Bucket": "no-such-bucket", "Prefix": "out"}
        })),
        json!({}),
        ratings(),
    );
    assert_eq!(outcome.error.as_deref(), Some("States.ResultWriterFailed"));
}

#[test]
fn ten_thousand_csv_rows_through_a_distributed_map() {
    let mut csv = String::from("orderId,total\n");
    for i in 0..10_000 {
        csv.push_str(&format!("{i},{}\n", i % 100));
    }
    let (outcome, mut exec) = runs(
        exporting(json!({
            "Resource": "arn:aws:states:::s3:putObject",
            "Parameters": {"Bucket": "amzn-s3-demo-destination-bucket", "Prefix": "big"}
        }))
        .to_string()
        .replace("csvDataset/ratings.csv", "orders.csv")
        .replace(
            r#""Parameters":{"movie.$":"$.movieId","stars.$":"States.StringToJson($.rating)","pair.$":"States.Array($.movieId, $.userId)"},"#,
            "",
        )
        .parse()
        .unwrap(),
        json!({}),
        json!({"amzn-s3-demo-bucket": {"orders.csv": csv}, "amzn-s3-demo-destination-bucket": {}}),
    );
    assert_eq!(outcome.status, Status::Succeeded, "{outcome:?}");
    let written = exec.s3_written();
    let results = written
        .iter()
        .find(|(_, k, _)| k.ends_with("SUCCEEDED_0.json"))
        .unwrap()
        .2;
    let records: Value = serde_json::from_str(results).unwrap();
    assert_eq!(records.as_array().unwrap().len(), 10_000);
}
