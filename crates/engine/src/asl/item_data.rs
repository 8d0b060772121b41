//! Turning an S3 object's text into a Distributed Map's items, as `ItemReader` does for each
//! `ReaderConfig.InputType`: a JSON array, JSON Lines, CSV (a header row or given headers, five
//! delimiters) and an S3 inventory's CSV files. Each reader stops after `max` items and takes
//! time linear in the text it reads.
//!
//! ```
//! use statebridge_engine::asl::item_data::{Headers, csv_items};
//! let items = csv_items("Col1,Col2\nValue1,Value2\n", ',', &Headers::FirstRow, usize::MAX).unwrap();
//! assert_eq!(items, vec![serde_json::json!({"Col1": "Value1", "Col2": "Value2"})]);
//! ```

use serde_json::{Map, Value};

/// Where a CSV file's column names come from (`CSVHeaderLocation`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Headers {
    /// `FIRST_ROW`: the file's first line.
    FirstRow,
    /// `GIVEN`: `CSVHeaders`.
    Given(Vec<String>),
}

/// The cause AWS gives when a JSON object holds no array to iterate (recorded:
/// `MapRunFailed` with `States.ItemReaderFailed`).
pub const NOT_ITERABLE: &str = "Attempting to map over non-iterable node.";

/// The cause AWS gives for repeated CSV headers (recorded).
pub const DUPLICATE_HEADERS: &str = "CSV headers cannot contain duplicates.";

/// The items of a JSON file: its array's elements (an object or a scalar fails as AWS fails).
pub fn json_items(text: &str, max: usize) -> Result<Vec<Value>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(mut items)) => {
            items.truncate(max);
            Ok(items)
        }
        Ok(_) => Err(NOT_ITERABLE.to_owned()),
        Err(e) => Err(format!(
            "The S3 object is not valid JSON: line {}, column {}: {}",
            e.line(),
            e.column(),
            serde_message(&e)
        )),
    }
}

/// The items of a JSON Lines file: one JSON value per line (blank lines skipped).
pub fn jsonl_items(text: &str, max: usize) -> Result<Vec<Value>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut items = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if items.len() >= max {
            break;
        }
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(line) {
            Ok(v) => items.push(v),
            Err(e) => {
                return Err(format!(
                    "The S3 object is not valid JSON Lines: line {}, column {}: {}",
                    n + 1,
                    e.column(),
                    serde_message(&e)
                ));
            }
        }
    }
    Ok(items)
}

fn serde_message(e: &serde_json::Error) -> String {
    let s = e.to_string();
    s.split(" at line").next().unwrap_or_default().to_owned()
}

/// `CSVDelimiter`'s character: `COMMA` (the default), `PIPE`, `SEMICOLON`, `SPACE`, `TAB`.
pub fn delimiter(name: &str) -> Option<char> {
    Some(match name {
        "COMMA" => ',',
        "PIPE" => '|',
        "SEMICOLON" => ';',
        "SPACE" => ' ',
        "TAB" => '\t',
        _ => return None,
    })
}

/// The items of a CSV file: one object per row, every value a string. A row with fewer fields
/// than headers gets `""` for the rest; fields past the last header are dropped (both recorded
/// on AWS). Fields may be quoted (`"a, b"`, with `""` for a quote), and a quoted field may span
/// lines. An empty line is no row.
pub fn csv_items(
    text: &str,
    delimiter: char,
    headers: &Headers,
    max: usize,
) -> Result<Vec<Value>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows = CsvRows::new(text, delimiter);
    let headers: Vec<String> = match headers {
        Headers::Given(h) => h.clone(),
        Headers::FirstRow => match rows.next() {
            Some(row) => row?,
            None => return Ok(Vec::new()),
        },
    };
    let mut seen = std::collections::HashSet::with_capacity(headers.len());
    if !headers.iter().all(|h| seen.insert(h.as_str())) {
        return Err(DUPLICATE_HEADERS.to_owned());
    }
    let order = java_hash_map_order(&headers);
    let mut items = Vec::new();
    for row in rows {
        if items.len() >= max {
            break;
        }
        let row = row?;
        let mut item = Map::with_capacity(headers.len());
        for &i in &order {
            let value = row.get(i).cloned().unwrap_or_default();
            item.insert(headers[i].clone(), Value::String(value));
        }
        items.push(Value::Object(item));
    }
    Ok(items)
}

/// The order in which AWS writes a CSV item's fields: a Java `HashMap`'s iteration order
/// (recorded: headers `0,True,{}` come out as `0`, `{}`, `True`; `H1,""` as `""`, `H1`).
/// Buckets by `String.hashCode()` spread as `h ^ (h >>> 16)`, the table doubling from 16 while
/// the entries exceed three quarters of it; entries of one bucket keep their insertion order.
pub fn java_hash_map_order(keys: &[String]) -> Vec<usize> {
    let mut capacity: usize = 16;
    while keys.len() * 4 > capacity * 3 {
        capacity *= 2;
    }
    let bucket = |k: &str| {
        let mut h: i32 = 0;
        for unit in k.encode_utf16() {
            h = h.wrapping_mul(31).wrapping_add(i32::from(unit));
        }
        let h = h as u32;
        ((h ^ (h >> 16)) as usize) & (capacity - 1)
    };
    let mut order: Vec<(usize, usize)> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (bucket(k), i))
        .collect();
    order.sort();
    order.into_iter().map(|(_, i)| i).collect()
}

/// Rows of a CSV text, each a list of fields; linear in the text.
struct CsvRows<'a> {
    rest: &'a str,
    delimiter: char,
    line: usize,
}

impl<'a> CsvRows<'a> {
    fn new(text: &'a str, delimiter: char) -> CsvRows<'a> {
        CsvRows {
            rest: text,
            delimiter,
            line: 1,
        }
    }

    fn row(&mut self) -> Result<Vec<String>, String> {
        let start_line = self.line;
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut chars = self.rest.char_indices().peekable();
        let mut quoted = false;
        let mut at_field_start = true;
        let mut end = self.rest.len();
        while let Some((i, c)) = chars.next() {
            if quoted {
                if c == '"' {
                    if chars.peek().is_some_and(|&(_, n)| n == '"') {
                        chars.next();
                        field.push('"');
                    } else {
                        quoted = false;
                    }
                } else {
                    if c == '\n' {
                        self.line += 1;
                    }
                    field.push(c);
                }
                continue;
            }
            if c == '"' && at_field_start {
                quoted = true;
                at_field_start = false;
            } else if c == self.delimiter {
                fields.push(std::mem::take(&mut field));
                at_field_start = true;
            } else if c == '\n' || c == '\r' {
                end = i + c.len_utf8();
                if c == '\r' && chars.peek().is_some_and(|&(_, n)| n == '\n') {
                    end += 1;
                }
                self.line += 1;
                break;
            } else {
                field.push(c);
                at_field_start = false;
            }
        }
        if quoted {
            return Err(format!(
                "The S3 object is not valid CSV: the quoted field that starts on line {start_line} is never closed"
            ));
        }
        fields.push(field);
        self.rest = self.rest.get(end..).unwrap_or("");
        Ok(fields)
    }
}

impl Iterator for CsvRows<'_> {
    type Item = Result<Vec<String>, String>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.rest.is_empty() {
                return None;
            }
            // An empty line is no row.
            if let Some(r) = self
                .rest
                .strip_prefix("\r\n")
                .or_else(|| self.rest.strip_prefix('\n'))
                .or_else(|| self.rest.strip_prefix('\r'))
            {
                self.rest = r;
                self.line += 1;
                continue;
            }
            return Some(self.row());
        }
    }
}

/// An S3 inventory's `manifest.json`: the bucket its data files are in, their keys, and the
/// columns (`fileSchema`) of their rows.
#[derive(Debug, Clone, PartialEq)]
pub struct InventoryManifest {
    /// The bucket holding the data files (`destinationBucket`, an ARN `arn:aws:s3:::name`).
    pub bucket: String,
    /// The data files' keys (`files[].key`).
    pub files: Vec<String>,
    /// The column names (`fileSchema`, comma separated).
    pub columns: Vec<String>,
}

/// Reads an S3 inventory manifest (only CSV inventories can be read, as on AWS).
pub fn inventory_manifest(text: &str) -> Result<InventoryManifest, String> {
    let v: Value =
        serde_json::from_str(text.strip_prefix('\u{feff}').unwrap_or(text)).map_err(|e| {
            format!(
                "The manifest is not valid JSON: line {}, column {}: {}",
                e.line(),
                e.column(),
                serde_message(&e)
            )
        })?;
    let field = |name: &str| {
        v.get(name)
            .and_then(Value::as_str)
            .ok_or_else(|| format!("The manifest has no `{name}` string"))
    };
    let format = field("fileFormat")?;
    if format != "CSV" {
        return Err(format!(
            "The manifest's fileFormat is {format}: only CSV inventories can be read"
        ));
    }
    let destination = field("destinationBucket")?;
    let bucket = destination
        .strip_prefix("arn:aws:s3:::")
        .unwrap_or(destination)
        .to_owned();
    let columns = field("fileSchema")?
        .split(',')
        .map(|c| c.trim().to_owned())
        .collect();
    let files = v
        .get("files")
        .and_then(Value::as_array)
        .ok_or("The manifest has no `files` list")?
        .iter()
        .map(|f| {
            f.get("key")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| "A manifest `files` entry has no `key`".to_owned())
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(InventoryManifest {
        bucket,
        files,
        columns,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn keys(v: &Value) -> Vec<&str> {
        v.as_object().unwrap().keys().map(String::as_str).collect()
    }

    // The CSV file of AWS's recorded `test_map_item_reader_base_csv_headers_first_line`.
    const RECORDED: &str = "Col1,Col2,Col3\nValue1,Value2,Value3\nValue4,Value5,Value6\n,,,\ntrue,1,'HelloWorld'\nNull,None,\n   \n";

    #[test]
    fn a_header_row_names_each_rows_fields() {
        let items = csv_items(RECORDED, ',', &Headers::FirstRow, usize::MAX).unwrap();
        assert_eq!(
            serde_json::to_string(&items).unwrap(),
            r#"[{"Col1":"Value1","Col2":"Value2","Col3":"Value3"},{"Col1":"Value4","Col2":"Value5","Col3":"Value6"},{"Col1":"","Col2":"","Col3":""},{"Col1":"true","Col2":"1","Col3":"'HelloWorld'"},{"Col1":"Null","Col2":"None","Col3":""},{"Col1":"   ","Col2":"","Col3":""}]"#
        );
    }

    #[test]
    fn fields_come_out_in_the_order_aws_recorded() {
        let text = "0,True,{}\nValue4,Value5,Value6\n";
        let items = csv_items(text, ',', &Headers::FirstRow, usize::MAX).unwrap();
        assert_eq!(keys(&items[0]), ["0", "{}", "True"]);
        let items = csv_items("H1,\nValue4,Value5,Value6\n", ',', &Headers::FirstRow, 9).unwrap();
        assert_eq!(
            serde_json::to_string(&items[0]).unwrap(),
            r#"{"":"Value5","H1":"Value4"}"#
        );
        // AWS's S3 inventory example item lists LastModifiedDate, Bucket, Size, Key.
        let schema: Vec<String> = ["Bucket", "Key", "Size", "LastModifiedDate"]
            .map(String::from)
            .to_vec();
        let order: Vec<&str> = java_hash_map_order(&schema)
            .into_iter()
            .map(|i| schema[i].as_str())
            .collect();
        assert_eq!(order, ["LastModifiedDate", "Bucket", "Size", "Key"]);
    }

    #[test]
    fn given_headers_and_other_delimiters() {
        let headers = Headers::Given(vec!["H1".into()]);
        let items = csv_items("Value1|Value2\n", '|', &headers, usize::MAX).unwrap();
        assert_eq!(items, vec![json!({"H1": "Value1"})]);
        let dup = Headers::Given(vec!["H1".into(), "H1".into()]);
        assert_eq!(
            csv_items("a,b\n", ',', &dup, 5),
            Err(DUPLICATE_HEADERS.into())
        );
        let tabbed = csv_items("a\tb\n1\t2\r\n", '\t', &Headers::FirstRow, 5).unwrap();
        assert_eq!(tabbed, vec![json!({"a": "1", "b": "2"})]);
    }

    #[test]
    fn quoted_fields_hold_delimiters_quotes_and_lines() {
        let text = "name,note\n\"Smith, J\",\"said \"\"hi\"\"\nthen left\"\n";
        let items = csv_items(text, ',', &Headers::FirstRow, 5).unwrap();
        assert_eq!(
            items,
            vec![json!({"name": "Smith, J", "note": "said \"hi\"\nthen left"})]
        );
        let err = csv_items("a\n\"open\n", ',', &Headers::FirstRow, 5).unwrap_err();
        assert!(err.contains("line 2"), "{err}");
    }

    #[test]
    fn json_and_json_lines() {
        assert_eq!(json_items("[1,2,3]", 2).unwrap(), vec![json!(1), json!(2)]);
        assert_eq!(
            json_items("{\"Hello\": \"world\"}", 5),
            Err(NOT_ITERABLE.into())
        );
        assert!(json_items("[1,", 5).unwrap_err().contains("line 1"));
        let lines = "{\"a\":1}\n\n{\"a\":2}\n";
        assert_eq!(
            jsonl_items(lines, 9).unwrap(),
            vec![json!({"a":1}), json!({"a":2})]
        );
        let err = jsonl_items("{\"a\":1}\n{oops}\n", 9).unwrap_err();
        assert!(
            err.starts_with("The S3 object is not valid JSON Lines: line 2"),
            "{err}"
        );
    }

    #[test]
    fn ten_thousand_rows_read_in_one_pass() {
        let mut text = String::from("id,sku,qty\n");
        for i in 0..10_000 {
            text.push_str(&format!("{i},SKU-{i},{}\n", i % 7));
        }
        let items = csv_items(&text, ',', &Headers::FirstRow, usize::MAX).unwrap();
        assert_eq!(items.len(), 10_000);
        assert_eq!(items[9_999]["sku"], "SKU-9999");
        let jsonl: String = (0..10_000).map(|i| format!("{{\"n\":{i}}}\n")).collect();
        assert_eq!(jsonl_items(&jsonl, usize::MAX).unwrap().len(), 10_000);
    }
}
