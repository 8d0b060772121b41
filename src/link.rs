//! Share links: the workspace in the URL fragment (`#v1=…`, deflate + base64url, by `share.rs`).
//! Local settings never enter the link, so a link reads the same in every browser.

use crate::workspace::Workspace;

/// The fragment (without `#`) that restores `ws`, or why none can be made.
pub fn fragment_for(ws: &Workspace) -> Result<String, String> {
    let _ = ws;
    Err("Share links are not available yet: the link encoder has not landed.".into())
}

/// The workspace in a fragment, `Ok(None)` when the fragment is not a share link at all.
pub fn read_fragment(fragment: &str) -> Result<Option<Workspace>, String> {
    if !fragment.starts_with("v1=") {
        return Ok(None);
    }
    Err("This share link cannot be opened yet: the link decoder has not landed.".into())
}
