//! The S3 objects a workspace holds as text (bucket → key → content): what a Distributed Map's
//! `ItemReader` reads and where its `ResultWriter` writes.
//!
//! ```
//! use statebridge_engine::asl::s3::S3Objects;
//! let s3 = S3Objects::from_value(&serde_json::json!({
//!     "orders": {"2026/orders.csv": "id,total\n1,20\n", "2026/ids.json": [1, 2]}
//! })).unwrap();
//! assert_eq!(s3.get("orders", "2026/orders.csv"), Some("id,total\n1,20\n"));
//! assert_eq!(s3.get("orders", "2026/ids.json"), Some("[1,2]"));
//! let err = S3Objects::from_value(&serde_json::json!({"orders": 3})).unwrap_err();
//! assert_eq!(err.to_string(), "at `s3.orders`: a bucket must be an object of key → content");
//! ```

use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// S3 objects by bucket, then key, each held as its text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct S3Objects {
    buckets: BTreeMap<String, BTreeMap<String, Arc<str>>>,
}

/// Why an `s3` document could not be read: where and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Error {
    /// Where, as `s3.<bucket>` or `s3.<bucket>.<key>`.
    pub path: String,
    /// What is wrong there.
    pub problem: String,
}

impl fmt::Display for S3Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at `{}`: {}", self.path, self.problem)
    }
}

impl std::error::Error for S3Error {}

/// An S3 object as `ListObjectsV2` lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed<'a> {
    /// Its key.
    pub key: &'a str,
    /// Its content.
    pub body: &'a str,
}

impl S3Objects {
    /// No objects.
    pub fn new() -> S3Objects {
        S3Objects::default()
    }

    /// Reads `{"bucket": {"key": content}}`: a string is the object's text as it is; any other
    /// JSON value is stored as its JSON text (a JSON file written inline).
    pub fn from_value(v: &Value) -> Result<S3Objects, S3Error> {
        let mut s3 = S3Objects::new();
        let Value::Object(buckets) = v else {
            return Err(S3Error {
                path: "s3".into(),
                problem: "must be an object of bucket → {key → content}".into(),
            });
        };
        for (bucket, keys) in buckets {
            let Value::Object(keys) = keys else {
                return Err(S3Error {
                    path: format!("s3.{bucket}"),
                    problem: "a bucket must be an object of key → content".into(),
                });
            };
            if let Some(problem) = bucket_name_problem(bucket) {
                return Err(S3Error {
                    path: format!("s3.{bucket}"),
                    problem,
                });
            }
            let objects = s3.buckets.entry(bucket.clone()).or_default();
            for (key, content) in keys {
                if key.is_empty() {
                    return Err(S3Error {
                        path: format!("s3.{bucket}"),
                        problem: "an object key cannot be empty".into(),
                    });
                }
                let text = match content {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                objects.insert(key.clone(), Arc::from(text));
            }
        }
        Ok(s3)
    }

    /// The objects as `{"bucket": {"key": "text"}}`.
    pub fn to_value(&self) -> Value {
        let mut out = Map::new();
        for (bucket, keys) in &self.buckets {
            let objects: Map<String, Value> = keys
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.to_string())))
                .collect();
            out.insert(bucket.clone(), Value::Object(objects));
        }
        Value::Object(out)
    }

    /// Whether there are no objects (and no buckets).
    pub fn is_empty(&self) -> bool {
        self.buckets.is_empty()
    }

    /// Whether `bucket` exists (it holds objects, or was named with none).
    pub fn has_bucket(&self, bucket: &str) -> bool {
        self.buckets.contains_key(bucket)
    }

    /// The text of `bucket`/`key`.
    pub fn get(&self, bucket: &str, key: &str) -> Option<&str> {
        self.buckets.get(bucket)?.get(key).map(|t| &**t)
    }

    /// Stores `text` at `bucket`/`key` (creating the bucket).
    pub fn put(&mut self, bucket: &str, key: &str, text: &str) {
        self.buckets
            .entry(bucket.to_owned())
            .or_default()
            .insert(key.to_owned(), Arc::from(text));
    }

    /// Every (bucket, key, text), buckets and keys in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str, &str)> {
        self.buckets.iter().flat_map(|(b, keys)| {
            keys.iter()
                .map(move |(k, t)| (b.as_str(), k.as_str(), &**t))
        })
    }

    /// The objects of `bucket` whose key starts with `prefix`, in key order (S3 lists keys in
    /// UTF-8 binary order, as a `BTreeMap` of `String` keeps them).
    pub fn list<'a>(&'a self, bucket: &str, prefix: &'a str) -> Vec<Listed<'a>> {
        let Some(keys) = self.buckets.get(bucket) else {
            return Vec::new();
        };
        keys.range::<str, _>((
            std::ops::Bound::Included(prefix),
            std::ops::Bound::Unbounded,
        ))
        .take_while(|(k, _)| k.starts_with(prefix))
        .map(|(k, v)| Listed { key: k, body: v })
        .collect()
    }
}

/// What S3's bucket naming rules say of `name` (length 3–63; lowercase letters, digits, dots
/// and hyphens; starting and ending with a letter or digit), if it breaks them.
fn bucket_name_problem(name: &str) -> Option<String> {
    let ok_chars = name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
    let ends = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if !(3..=63).contains(&name.len())
        || !ok_chars
        || !ends(name.as_bytes().first())
        || !ends(name.as_bytes().last())
    {
        return Some(format!(
            "`{name}` is not a valid bucket name: 3 to 63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit"
        ));
    }
    None
}

/// The `ETag` S3 gives an object uploaded in one part: the MD5 of its bytes in hex, quoted.
pub fn etag(body: &str) -> String {
    use md5::{Digest, Md5};
    let digest = Md5::digest(body.as_bytes());
    let mut hex = String::with_capacity(34);
    hex.push('"');
    for b in digest {
        hex.push_str(&format!("{b:02x}"));
    }
    hex.push('"');
    hex
}

/// The item a Distributed Map gets for a listed object (AWS's `ItemReader` with
/// `s3:listObjectsV2`): `Etag`, `Key`, `LastModified` (seconds since the epoch), `Size` (bytes)
/// and `StorageClass`. The workspace's objects carry no dates: they were all last modified at
/// `last_modified` (the execution's start).
pub fn listed_item(object: &Listed<'_>, last_modified: i64) -> Value {
    json!({
        "Etag": etag(object.body),
        "Key": object.key,
        "LastModified": last_modified,
        "Size": object.body.len(),
        "StorageClass": "STANDARD",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_by_prefix_in_key_order() {
        let s3 = S3Objects::from_value(&json!({"photos": {
            "b/2.jpg": "22", "a/1.jpg": "1", "b/1.jpg": "333", "c.txt": ""
        }}))
        .unwrap();
        let keys: Vec<_> = s3.list("photos", "b/").iter().map(|o| o.key).collect();
        assert_eq!(keys, ["b/1.jpg", "b/2.jpg"]);
        assert_eq!(s3.list("photos", "").len(), 4);
        assert!(s3.list("nobucket", "").is_empty());
    }

    #[test]
    fn an_objects_etag_is_the_md5_of_its_bytes() {
        // md5("") is d41d8cd98f00b204e9800998ecf8427e.
        assert_eq!(etag(""), "\"d41d8cd98f00b204e9800998ecf8427e\"");
        let item = listed_item(
            &Listed {
                key: "a.txt",
                body: "héllo",
            },
            1_700_000_000,
        );
        assert_eq!(item["Size"], 6);
        assert_eq!(item["StorageClass"], "STANDARD");
    }

    #[test]
    fn bucket_names_follow_s3s_rules() {
        assert!(S3Objects::from_value(&json!({"My_Bucket": {}})).is_err());
        assert!(S3Objects::from_value(&json!({"ab": {}})).is_err());
        assert!(S3Objects::from_value(&json!({"amzn-s3-demo-bucket": {}})).is_ok());
    }
}
