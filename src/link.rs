//! Share links: the whole workspace in the URL fragment, `#v1=` + base64url(deflate-raw(JSON)).
//!
//! The JSON is the workspace's texts exactly as typed (a half-edited, invalid editor survives the
//! trip), so a link restores what its author saw. Local settings never enter the link, so a link
//! reads the same in every browser; the `v1` prefix lets a later format read old links forever.
//! A link is read here, synchronously (inflate in Rust), so a page opened from a link shows the
//! shared workspace in its first frame. It is made by the browser's own `CompressionStream`
//! (`make_fragment`, asynchronous: a Share press, the embeds' Playground link), which keeps a
//! deflate encoder out of the app's download.

use crate::workspace::Workspace;
use serde::{Deserialize, Serialize};
use statebridge_engine::base64::{self, Alphabet};

/// The fragment prefix of the current link format.
const PREFIX: &str = "v1=";
/// Largest workspace a link may expand to: a hostile link cannot make the page allocate more.
const MAX_BYTES: usize = 8 << 20;

/// The longest share link (its fragment, in characters) made with the From AWS texts: past it
/// they are left out, largest first, and the user is told. A link that long still pastes whole
/// into a chat, a mail or an issue; the workspace itself is never cut.
pub const LINK_BUDGET: usize = 32_000;

/// A share link made: its fragment, and what it leaves out to stay within [`LINK_BUDGET`].
#[derive(Debug, Clone, PartialEq)]
pub struct Made {
    /// The fragment, without `#`.
    pub fragment: String,
    /// The From AWS texts left out (their name in words and size in bytes), largest first.
    pub left_out: Vec<(&'static str, usize)>,
    /// How long the link would have been with them.
    pub whole: usize,
}

impl Made {
    /// What the page says once the link is copied (`url_len`: the whole address's length).
    pub fn notice(&self, url_len: usize) -> String {
        let head = format!("Share link copied ({url_len} characters).");
        if self.left_out.is_empty() {
            return format!("{head} It restores this whole workspace.");
        }
        let parts: Vec<String> = self
            .left_out
            .iter()
            .map(|(name, bytes)| format!("{name} ({})", size_in_words(*bytes)))
            .collect();
        format!(
            "{head} It leaves out {} of the From AWS tab: with them the link would be {} characters, \
             over the {LINK_BUDGET} a link is kept under. This browser's autosave keeps them.",
            join_words(&parts),
            self.whole
        )
    }
}

/// `1.2 MB`, `34 KB`, `512 bytes`.
pub fn size_in_words(bytes: usize) -> String {
    match bytes {
        b if b >= 1_000_000 => format!("{:.1} MB", b as f64 / 1e6),
        b if b >= 1_000 => format!("{} KB", b / 1000),
        b => format!("{b} bytes"),
    }
}

fn join_words(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The workspace a link opens, with the From AWS texts it left out taken from this browser's
/// autosave when that is the same work (a link made here, then the page reloaded): the link
/// said the autosave keeps them.
pub fn with_left_out(linked: Workspace, saved: Option<Workspace>) -> Workspace {
    let Some(saved) = saved else { return linked };
    let core = |ws: &Workspace| Workspace {
        aws: Default::default(),
        ..ws.clone()
    };
    let fits = |mine: &str, kept: &str| mine.is_empty() || mine == kept;
    let (l, k) = (&linked.aws, &saved.aws);
    if core(&linked) != core(&saved)
        || !fits(&l.history, &k.history)
        || !fits(&l.template, &k.template)
        || !fits(&l.events, &k.events)
    {
        return linked;
    }
    saved
}

/// The From AWS text to leave out of a link whose fragment came out `len` characters long
/// (the largest left), or none when it fits or there is nothing left to leave out.
fn next_cut(ws: &Workspace, len: usize) -> Option<(&'static str, usize)> {
    (len > LINK_BUDGET)
        .then(|| ws.aws.by_size().first().copied())
        .flatten()
}

/// Makes the share link of `ws` (and `view`) as [`make_fragment`] does, leaving out From AWS
/// texts, largest first, while it is longer than [`LINK_BUDGET`]; `done` hears what was made.
pub fn make_link(
    ws: &Workspace,
    view: Option<&View>,
    done: impl FnOnce(Result<Made, String>) + 'static,
) {
    shrink(ws.clone(), view.cloned(), vec![], None, Box::new(done));
}

type Done = Box<dyn FnOnce(Result<Made, String>)>;

fn shrink(
    ws: Workspace,
    view: Option<View>,
    mut left_out: Vec<(&'static str, usize)>,
    whole: Option<usize>,
    done: Done,
) {
    let (here, seen) = (ws.clone(), view.clone());
    make_fragment(&here, seen.as_ref(), move |made| {
        let fragment = match made {
            Ok(f) => f,
            Err(why) => return done(Err(why)),
        };
        let whole = whole.unwrap_or(fragment.len());
        match next_cut(&ws, fragment.len()) {
            Some((name, bytes)) => {
                let mut less = ws;
                less.aws.drop_named(name);
                left_out.push((name, bytes));
                shrink(less, view, left_out, Some(whole), done);
            }
            None => done(Ok(Made {
                fragment,
                left_out,
                whole,
            })),
        }
    });
}

/// The fragment (without `#`) of a workspace whose JSON (`Workspace::to_json`) deflated to `packed`.
fn fragment_from_packed(packed: &[u8]) -> String {
    format!("{PREFIX}{}", encode(packed))
}

/// Whether `fragment` is a share link that restores exactly `ws`.
pub fn describes(fragment: &str, ws: &Workspace) -> bool {
    matches!(read_fragment(fragment), Ok(Some(linked)) if linked.ws == *ws)
}

#[wasm_bindgen::prelude::wasm_bindgen(module = "/src/glue.js")]
extern "C" {
    fn deflate_raw(text: &str, done: &wasm_bindgen::JsValue);
}

/// Makes the fragment (without `#`) that restores `ws` (and `view`) and hands it to `done`, a
/// moment later.
pub fn make_fragment(
    ws: &Workspace,
    view: Option<&View>,
    done: impl FnOnce(Result<String, String>) + 'static,
) {
    use wasm_bindgen::{JsCast, JsValue, closure::Closure};
    let finish = move |bytes: JsValue, error: JsValue| {
        done(match bytes.dyn_into::<js_sys::Uint8Array>() {
            Ok(bytes) => Ok(fragment_from_packed(&bytes.to_vec())),
            Err(_) => Err(format!(
                "The share link could not be made: {}",
                error
                    .as_string()
                    .unwrap_or_else(|| "the browser's compressor failed".into())
            )),
        });
    };
    deflate_raw(&payload(ws, view), &Closure::once_into_js(finish));
}

/// What a run looked like when its link was made: the link reopens on it (the engine is
/// deterministic, so running the same workspace again gives the same history).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct View {
    /// How many history events were shown.
    pub at: usize,
    /// The state in the inspector, if one was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// The answers sent to the run's task tokens, in order (the run paused on each): without
    /// them the link would reopen the run stopped at its first callback.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub callbacks: Vec<serde_json::Value>,
    /// How many times the run was redriven.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub redrives: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// What a share link holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Shared {
    /// The workspace, exactly as typed.
    pub ws: Workspace,
    /// The run's moment and inspected state, when the link was made with a run on screen.
    pub view: Option<View>,
}

/// The JSON a link compresses: the workspace's own (`Workspace::to_json`), plus `view` when there
/// is one (readers that predate it ignore it).
fn payload(ws: &Workspace, view: Option<&View>) -> String {
    let json = ws.to_json();
    // (Spliced as text: serde_json's value tree would add to the app's download.)
    match (
        view.and_then(|v| serde_json::to_string(v).ok()),
        json.strip_suffix('}'),
    ) {
        (Some(view), Some(open)) if open.len() > 1 => format!("{open},\"view\":{view}}}"),
        _ => json,
    }
}

/// The `view` member of a link's JSON, read on its own (the workspace's fields are ignored).
#[derive(Deserialize)]
struct ViewOnly {
    #[serde(default)]
    view: Option<View>,
}

/// What a fragment holds, `Ok(None)` when the fragment is not a share link at all.
pub fn read_fragment(fragment: &str) -> Result<Option<Shared>, String> {
    let Some(body) = fragment.strip_prefix(PREFIX) else {
        return Ok(None);
    };
    let broken = |what: &str| {
        Err(format!(
            "This share link is damaged ({what}) and could not be opened. \
             Ask for the link again, copied whole."
        ))
    };
    let Some(packed) = decode(body) else {
        return broken("it holds characters a link never contains, or is cut short");
    };
    let Ok(bytes) = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_BYTES) else {
        return broken("its compressed data does not unpack");
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return broken("it does not unpack to text");
    };
    let Some(ws) = Workspace::from_json(&text) else {
        return broken("it does not hold a workspace");
    };
    // A view that does not read is dropped: the workspace is what matters.
    let view = serde_json::from_str::<ViewOnly>(&text)
        .ok()
        .and_then(|v| v.view);
    Ok(Some(Shared { ws, view }))
}

/// Share links are base64url without padding.
fn encode(bytes: &[u8]) -> String {
    base64::encode(bytes, Alphabet::Url, false)
}

fn decode(text: &str) -> Option<Vec<u8>> {
    base64::decode(text, Alphabet::Url)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the browser's `CompressionStream('deflate-raw')` does in `make_fragment`.
    fn fragment_for(ws: &Workspace) -> Result<String, String> {
        Ok(fragment_with(ws, None))
    }

    fn fragment_with(ws: &Workspace, view: Option<&View>) -> String {
        let packed = miniz_oxide::deflate::compress_to_vec(payload(ws, view).as_bytes(), 6);
        fragment_from_packed(&packed)
    }

    fn ws() -> Workspace {
        Workspace {
            example: Some("order-processing".into()),
            event: "{\"source\": \"shop\", \"note\": \"é — 😀\"}".into(),
            rules: "{ \"Rules\": [ broken".into(),
            machines: vec![
                crate::workspace::MachineText {
                    name: "m".into(),
                    text: "{\"StartAt\": \"A\"}".into(),
                },
                crate::workspace::MachineText {
                    name: "Second".into(),
                    text: "{ half-typed".into(),
                },
            ],
            active: 1,
            mocks: Default::default(),
            s3: Default::default(),
            schedule_window: None,
            aws: Default::default(),
        }
    }

    #[test]
    fn a_link_restores_the_workspace_exactly() {
        let f = fragment_for(&ws()).unwrap();
        assert!(f.starts_with("v1="));
        assert!(
            f[3..]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_eq!(
            read_fragment(&f),
            Ok(Some(Shared {
                ws: ws(),
                view: None
            }))
        );
    }

    /// The System run's schedule window travels with the link: a shared "7 days" run shows the
    /// same firings; a link without one (or with a window the page does not offer) opens on the
    /// default.
    #[test]
    fn a_link_keeps_the_schedule_window() {
        let week = Workspace {
            schedule_window: Some(7 * 86_400),
            ..ws()
        };
        let shared = read_fragment(&fragment_for(&week).unwrap())
            .unwrap()
            .unwrap();
        assert_eq!(shared.ws.schedule_window, Some(604_800));
        assert_eq!(shared.ws.window(), 604_800);
        assert!(describes(&fragment_for(&week).unwrap(), &week));
        assert!(!describes(&fragment_for(&week).unwrap(), &ws()));
        let plain = read_fragment(&fragment_for(&ws()).unwrap())
            .unwrap()
            .unwrap();
        assert_eq!(
            plain.ws.window(),
            crate::components::schedule_window::DEFAULT_WINDOW
        );
        let odd = payload(&ws(), None).replacen('{', r#"{"schedule_window": 12345,"#, 1);
        let f = format!(
            "{PREFIX}{}",
            encode(&miniz_oxide::deflate::compress_to_vec(odd.as_bytes(), 6))
        );
        assert_eq!(read_fragment(&f).unwrap().unwrap().ws.schedule_window, None);
    }

    #[test]
    fn an_old_one_machine_link_still_opens() {
        // A link made before workspaces held several machines.
        let old = r#"{"example":null,"event":"{}","rules":"{}","machine_name":"Flow","machine":"{\"StartAt\": \"A\"}","mocks":""}"#;
        let packed = miniz_oxide::deflate::compress_to_vec(old.as_bytes(), 9);
        let ws = read_fragment(&format!("v1={}", encode(&packed)))
            .ok()
            .flatten()
            .unwrap()
            .ws;
        assert_eq!((ws.machines.len(), ws.machine_name()), (1, "Flow"));
        assert_eq!(ws.machine(), "{\"StartAt\": \"A\"}");
    }

    #[test]
    fn base64url_round_trips_every_length() {
        for n in 0..40u8 {
            let bytes: Vec<u8> = (0..n)
                .map(|i| i.wrapping_mul(97).wrapping_add(200))
                .collect();
            assert_eq!(decode(&encode(&bytes)), Some(bytes));
        }
        assert_eq!(encode(b"\xfb\xff"), "-_8");
        assert_eq!(decode("-_8="), Some(b"\xfb\xff".to_vec()));
    }

    #[test]
    fn a_link_carries_the_moment_of_its_run() {
        let view = View {
            at: 10,
            state: Some("ChargeCard".into()),
            callbacks: vec![serde_json::json!({"state": "Approve", "success": {"ok": true}})],
            redrives: 1,
        };
        let f = fragment_with(&ws(), Some(&view));
        let shared = read_fragment(&f).unwrap().unwrap();
        assert_eq!((shared.ws, shared.view), (ws(), Some(view)));
        // Its workspace is the same as without the view, so it still describes the work.
        assert!(describes(&f, &ws()));
        // A view that does not read is dropped; the workspace still opens.
        let odd = payload(&ws(), None).replacen('{', r#"{"view": {"at": "ten"},"#, 1);
        let packed = miniz_oxide::deflate::compress_to_vec(odd.as_bytes(), 6);
        let shared = read_fragment(&fragment_from_packed(&packed))
            .unwrap()
            .unwrap();
        assert_eq!((shared.ws, shared.view), (ws(), None));
    }

    #[test]
    fn a_link_describes_only_its_own_workspace() {
        let f = fragment_for(&ws()).unwrap();
        assert!(describes(&f, &ws()));
        let mut edited = ws();
        edited.event = format!("{} ", edited.event).into();
        assert!(!describes(&f, &edited));
        assert!(!describes("v1=AAAA", &ws()));
        assert!(!describes("", &ws()));
    }

    #[test]
    fn other_fragments_are_not_links() {
        assert_eq!(read_fragment(""), Ok(None));
        assert_eq!(read_fragment("/exercises"), Ok(None));
    }

    #[test]
    fn damaged_links_say_so() {
        let f = fragment_for(&ws()).unwrap();
        for bad in [
            "v1=",
            "v1=a",
            "v1=***",
            &f[..f.len() / 2],
            "v1=AAAA",
            &format!("v1={}", encode(b"not deflate at all")),
        ] {
            let r = read_fragment(bad);
            assert!(
                matches!(&r, Err(m) if m.contains("damaged")),
                "{bad}: {r:?}"
            );
        }
    }

    /// The From AWS texts travel with the link while it stays under the budget; past it the
    /// largest goes first, and the notice names what was left out.
    #[test]
    fn a_link_keeps_the_from_aws_texts_within_its_budget() {
        let mut pasted = ws();
        pasted.aws.template = "Resources:\n  Bus:\n    Type: AWS::Events::EventBus\n".into();
        pasted.aws.history = "{\"events\": []}".into();
        let f = fragment_for(&pasted).unwrap();
        assert_eq!(read_fragment(&f).unwrap().unwrap().ws.aws, pasted.aws);
        assert_eq!(next_cut(&pasted, f.len()), None);
        // Sample events that do not compress (distinct ids) make the link too long.
        pasted.aws.events = (0..20_000)
            .map(|i| {
                format!(
                    "{{\"id\": \"{:x}\"}}\n",
                    (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)
                )
            })
            .collect::<String>()
            .into();
        let mut cut = pasted.clone();
        let mut left = vec![];
        loop {
            let f = fragment_for(&cut).unwrap();
            match next_cut(&cut, f.len()) {
                Some((name, bytes)) => {
                    cut.aws.drop_named(name);
                    left.push((name, bytes));
                }
                None => break,
            }
        }
        assert_eq!(left, [("the sample events", pasted.aws.events.len())]);
        assert_eq!(cut.aws.template, pasted.aws.template);
        let made = Made {
            fragment: fragment_for(&cut).unwrap(),
            left_out: left,
            whole: 123_456,
        };
        let notice = made.notice(made.fragment.len() + 30);
        assert!(
            notice.contains("leaves out the sample events (")
                && notice.contains("123456 characters"),
            "{notice}"
        );
        assert_eq!(size_in_words(2_100_000), "2.1 MB");
    }

    #[test]
    fn a_link_that_left_texts_out_gets_them_back_from_the_same_work_saved_here() {
        let mut saved = ws();
        saved.aws.events = "{}\n{}".into();
        saved.aws.template = "Resources: {}".into();
        let mut linked = saved.clone();
        linked.aws.events = Default::default();
        assert_eq!(with_left_out(linked.clone(), Some(saved.clone())), saved);
        assert_eq!(with_left_out(linked.clone(), None), linked);
        // Other work (another event, another template) is not mixed in.
        let mut other = saved.clone();
        other.event = format!("{} ", other.event).into();
        assert_eq!(with_left_out(linked.clone(), Some(other)), linked);
        let mut other = saved.clone();
        other.aws.template = "Resources: {X: 1}".into();
        assert_eq!(with_left_out(linked.clone(), Some(other)), linked);
    }

    #[test]
    fn a_realistic_link_stays_short() {
        let examples = crate::workspace::examples_on_disk();
        let e = examples
            .iter()
            .find(|e| e.name == "order-processing")
            .unwrap();
        let f = fragment_for(e.workspace.as_ref().unwrap()).unwrap();
        assert!(f.len() < 4000, "{} characters", f.len());
    }
}
