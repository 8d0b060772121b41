//! The workshop's exercises, fetched from `exercises/` beside the page (Trunk copies
//! `www/exercises/` there) when the workshop opens: they stay out of the playground's first
//! download. The order is `exercises/index.json`'s.

use statebridge_engine::exercise::Exercise;

/// Where the exercises are, relative to the page.
const DIR: &str = "exercises";

/// The file names `index.json` lists, in order.
fn listed(index: &str) -> Result<Vec<String>, String> {
    let v: serde_json::Value = serde_json::from_str(index)
        .map_err(|e| format!("{DIR}/index.json is not valid JSON: {e}"))?;
    let files = v
        .get("exercises")
        .and_then(serde_json::Value::as_array)
        .ok_or_else(|| format!("{DIR}/index.json has no `exercises` list"))?;
    Ok(files
        .iter()
        .filter_map(serde_json::Value::as_str)
        .map(str::to_owned)
        .collect())
}

/// Reads the exercise files' texts (named as in the index), naming the first that does not read.
fn read_all(files: &[String], texts: &[String]) -> Result<Vec<Exercise>, String> {
    files
        .iter()
        .zip(texts)
        .map(|(f, t)| t.parse().map_err(|e| format!("{DIR}/{f}: {e}")))
        .collect()
}

/// Fetches the index, then every exercise it lists; `done` gets them in order, or why not.
pub fn load(done: impl FnOnce(Result<Vec<Exercise>, String>) + 'static) {
    crate::fetch::text(&format!("{DIR}/index.json"), move |index| {
        let files = match index.and_then(|t| listed(&t)) {
            Ok(files) => files,
            Err(why) => return done(Err(why)),
        };
        let urls: Vec<String> = files.iter().map(|f| format!("{DIR}/{f}")).collect();
        crate::fetch::texts(&urls, move |texts| {
            done(texts.and_then(|t| read_all(&files, &t)))
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_lists_every_exercise_and_each_reads() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/www/exercises");
        let read = |f: &str| std::fs::read_to_string(format!("{dir}/{f}")).unwrap();
        let files = listed(&read("index.json")).unwrap();
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.ends_with(".json") && n != "index.json")
            .collect();
        on_disk.sort();
        let mut sorted = files.clone();
        sorted.sort();
        assert_eq!(sorted, on_disk);
        let texts: Vec<String> = files.iter().map(|f| read(f)).collect();
        let exercises = read_all(&files, &texts).unwrap();
        let ids: Vec<String> = exercises.into_iter().map(|e| e.id).collect();
        let stems: Vec<&str> = files.iter().map(|f| f.trim_end_matches(".json")).collect();
        assert_eq!(ids, stems);
    }

    #[test]
    fn a_broken_file_is_named() {
        let err = read_all(&["02-x.json".to_owned()], &["{ nope".to_owned()]).unwrap_err();
        assert!(err.starts_with("exercises/02-x.json: "), "{err}");
        assert!(listed("[]").unwrap_err().contains("no `exercises` list"));
    }
}
