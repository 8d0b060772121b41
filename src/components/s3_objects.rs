//! What a run wrote to S3: a Distributed Map's `ResultWriter` result files and manifest, shown
//! under the execution's outcome, each one a fold with its text (pretty when it is JSON).

use crate::execution::RunView;
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`WrittenObjects`].
#[derive(Properties, PartialEq)]
pub struct WrittenObjectsProps {
    /// The run whose writes are listed.
    pub run: Rc<RunView>,
}

/// The objects the run wrote, bucket and key with their size; the manifest open.
#[component]
pub fn WrittenObjects(p: &WrittenObjectsProps) -> Html {
    if p.run.written.is_empty() {
        return html! {};
    }
    html! {
        <div class="s3-written" data-testid="s3-written">
            <h3 title="Copy an object into the S3 tab to read it in another run">{ "Written to S3" }</h3>
            { for p.run.written.iter().map(|(bucket, key, text)| {
                let shown = serde_json::from_str::<serde_json::Value>(text)
                    .ok()
                    .filter(|_| !key.ends_with(".jsonl"))
                    .and_then(|v| serde_json::to_string_pretty(&v).ok())
                    .unwrap_or_else(|| text.clone());
                let manifest = key.ends_with("manifest.json");
                html! {
                    <details class="s3-object" open={manifest} data-key={key.clone()}>
                        <summary>
                            <code>{ format!("s3://{bucket}/{key}") }</code>
                            <span class="hint">{ format!(" · {} bytes", text.len()) }</span>
                        </summary>
                        <pre class="json">{ shown }</pre>
                    </details>
                }
            }) }
        </div>
    }
}
