//! What the editors know about the languages: completion and hover documentation for state
//! machines (ASL), the Rules editor (rules, targets, event patterns), mocks and events.
//!
//! The editor finds where the cursor is (the member names that lead to it, whether it is in a
//! member name or a value, the string typed so far) and asks; this module answers from the
//! tables in [`docs`]. Nothing here reads the whole document, so an answer costs the same in a
//! 2 MB document as in a short one.
//!
//! ```
//! use statebridge_engine::assist::{Language, Request, complete};
//! let at: Request = serde_json::from_str(r#"{"path": ["States", "Check"], "key": true, "prefix": "Ty"}"#).unwrap();
//! assert!(complete(Language::Asl, &at).items.iter().any(|i| i.label == "Type"));
//! ```

pub mod docs;
mod fix;

pub use fix::{QuickFix, quick_fix};

use docs::Entry;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which editor asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// A state machine definition.
    Asl,
    /// The Rules editor: rules, targets and event patterns.
    Rules,
    /// The Mocks editor.
    Mocks,
    /// The event editor (an event or PutEvents entries).
    Event,
}

impl Language {
    /// The language of a name the app uses (`asl`, `rules`, `mocks`, `event`).
    pub fn from_name(name: &str) -> Option<Language> {
        Some(match name {
            "asl" => Language::Asl,
            "rules" => Language::Rules,
            "mocks" => Language::Mocks,
            "event" => Language::Event,
            _ => return None,
        })
    }
}

/// One step of the way from the document's root to the cursor.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Step {
    /// An object member.
    Key(String),
    /// An array item.
    Index(usize),
}

/// Where the cursor is, as the editor found it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Request {
    /// The member names (and array indexes) from the root to the cursor's object or value.
    pub path: Vec<Step>,
    /// The cursor is where a member name goes (else: in a value).
    pub key: bool,
    /// The text of the string under the cursor: up to the cursor for completion, whole for hover.
    pub prefix: String,
    /// For hover: where the cursor is in `prefix`, in UTF-16 units (as the editor counts).
    pub offset: Option<usize>,
    /// The string members of the cursor's object seen before the cursor (`Type`, for one).
    pub seen: BTreeMap<String, String>,
    /// The state names of the enclosing `States` object (for `Next`, `Default`, `StartAt`).
    pub states: Vec<String>,
}

/// One thing to offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    /// What is written.
    pub label: String,
    /// A short note beside it (a signature, a type).
    #[serde(skip_serializing_if = "str::is_empty")]
    pub detail: String,
    /// Its documentation (first line a title).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// What kind of name it is (`property`, `function`, `constant`, `variable`).
    pub kind: &'static str,
}

/// The answer to a completion request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Completions {
    /// How many UTF-16 units before the cursor the completed word starts.
    pub back: usize,
    /// What to offer (the editor filters by what is typed).
    pub items: Vec<Item>,
}

/// Where in a document a path leads, read structurally from the root.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Place<'a> {
    /// A state machine object (the top, a branch, an item processor).
    Machine,
    /// A member of a machine (`StartAt`, `QueryLanguage` …).
    MachineField(&'a str),
    /// A state object.
    State,
    /// Inside a state's field (`Type`, `Parameters`, …), deeper steps following.
    StateField(&'a str, &'a [Step]),
    /// A retrier or catcher object.
    RetryCatch,
    /// Inside a retrier's or catcher's field.
    RetryCatchField(&'a str, &'a [Step]),
    /// A Choice rule object (top-level or nested in And/Or/Not).
    ChoiceRule,
    /// Inside a Choice rule's field.
    ChoiceField(&'a str),
    /// Nowhere the tables describe.
    Other,
}

fn key(step: Option<&Step>) -> Option<&str> {
    match step {
        Some(Step::Key(k)) => Some(k),
        _ => None,
    }
}

/// Reads a path from a machine object down.
fn asl_place(path: &[Step]) -> Place<'_> {
    let Some(first) = path.first() else {
        return Place::Machine;
    };
    match first {
        Step::Key(k) if k == "States" => match path.get(1) {
            None => Place::Other,
            Some(Step::Index(_)) => Place::Other,
            Some(Step::Key(_)) => state_place(&path[2..]),
        },
        Step::Key(k) if path.len() == 1 => Place::MachineField(k),
        _ => Place::Other,
    }
}

/// Reads a path from a state object down.
fn state_place(path: &[Step]) -> Place<'_> {
    let Some(Step::Key(field)) = path.first() else {
        return if path.is_empty() {
            Place::State
        } else {
            Place::Other
        };
    };
    let rest = &path[1..];
    match field.as_str() {
        "Branches" => match rest.first() {
            Some(Step::Index(_)) => asl_place(&rest[1..]),
            _ => Place::StateField(field, rest),
        },
        "ItemProcessor" | "Iterator" => asl_place(rest),
        "Retry" | "Catch" => match rest.first() {
            Some(Step::Index(_)) if rest.len() == 1 => Place::RetryCatch,
            Some(Step::Index(_)) => match key(rest.get(1)) {
                Some(f) => Place::RetryCatchField(f, &rest[2..]),
                None => Place::Other,
            },
            _ => Place::StateField(field, rest),
        },
        "Choices" => match rest.first() {
            Some(Step::Index(_)) => choice_place(&rest[1..]),
            _ => Place::StateField(field, rest),
        },
        _ => Place::StateField(field, rest),
    }
}

/// Reads a path from a Choice rule down (And/Or hold arrays of rules, Not one rule).
fn choice_place(path: &[Step]) -> Place<'_> {
    match path.first() {
        None => Place::ChoiceRule,
        Some(Step::Key(k)) if (k == "And" || k == "Or") => match path.get(1) {
            Some(Step::Index(_)) => choice_place(&path[2..]),
            _ => Place::ChoiceField(k),
        },
        Some(Step::Key(k)) if k == "Not" && path.len() > 1 => choice_place(&path[1..]),
        Some(Step::Key(k)) if path.len() == 1 => Place::ChoiceField(k),
        _ => Place::Other,
    }
}

/// The fields a state of this type may have (all of them when the type is not known yet).
fn state_fields(type_name: Option<&str>) -> Vec<&'static Entry> {
    let allowed = type_name.and_then(crate::asl::state_fields_of);
    docs::STATE_FIELDS
        .iter()
        .filter(|(name, ..)| {
            allowed.is_none_or(|a| {
                a.contains(name) || matches!(*name, "Type" | "Comment" | "QueryLanguage")
            })
        })
        .collect()
}

fn item(e: &Entry, kind: &'static str) -> Item {
    Item {
        label: e.0.to_owned(),
        detail: e.1.to_owned(),
        doc: Some(e.2.to_owned()),
        kind,
    }
}

fn names(list: &[String], detail: &str) -> Vec<Item> {
    list.iter()
        .map(|n| Item {
            label: n.clone(),
            detail: detail.to_owned(),
            doc: None,
            kind: "constant",
        })
        .collect()
}

fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// The word (`States.Format`, `$states.input`, `$$.Execution.Id`) that ends at the end of `text`.
fn word_before(text: &str) -> &str {
    let start = text
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_ascii_alphanumeric() || matches!(c, '.' | '$' | '_'))
        .last()
        .map_or(text.len(), |(i, _)| i);
    &text[start..]
}

/// Completions inside a string value from what it says so far: intrinsic functions, JSONata's
/// `$states` and the context object.
fn in_string(prefix: &str, dollar: bool) -> Option<Completions> {
    let word = word_before(prefix);
    let back = utf16_len(word);
    let list: Vec<Item> = if word.starts_with("$$") {
        docs::CONTEXT
            .iter()
            .map(|e| Item {
                label: format!("$$.{}", e.0),
                ..item(e, "variable")
            })
            .collect()
    } else if word.starts_with("$states.context") {
        docs::CONTEXT
            .iter()
            .map(|e| Item {
                label: format!("$states.context.{}", e.0),
                doc: Some(e.2.replacen("$$.", "$states.context.", 1)),
                ..item(e, "variable")
            })
            .collect()
    } else if word.starts_with("$s") && prefix.contains("{%") {
        docs::STATES_VARIABLE
            .iter()
            .map(|e| item(e, "variable"))
            .collect()
    } else if word.starts_with("States.")
        || (dollar && !word.is_empty() && "States.".starts_with(word))
    {
        docs::INTRINSICS
            .iter()
            .map(|e| item(e, "function"))
            .collect()
    } else {
        return None;
    };
    Some(Completions { back, items: list })
}

/// What to offer at the cursor.
pub fn complete(lang: Language, at: &Request) -> Completions {
    let back = utf16_len(&at.prefix);
    let entries = |list: &'static [Entry], kind| -> Vec<Item> {
        list.iter()
            .filter(|e| !at.seen.contains_key(e.0))
            .map(|e| item(e, kind))
            .collect()
    };
    let items = match lang {
        Language::Asl => {
            let items = match (asl_place(&at.path), at.key) {
                (Place::Machine, true) => entries(docs::MACHINE_FIELDS, "property"),
                (Place::MachineField("StartAt"), false) => names(&at.states, "state"),
                (Place::MachineField("QueryLanguage"), false)
                | (Place::StateField("QueryLanguage", []), false) => {
                    names(&["JSONPath".into(), "JSONata".into()], "query language")
                }
                (Place::State, true) => state_fields(at.seen.get("Type").map(String::as_str))
                    .into_iter()
                    .filter(|e| !at.seen.contains_key(e.0))
                    .map(|e| item(e, "property"))
                    .collect(),
                (Place::StateField("Type", []), false) => docs::STATE_TYPES
                    .iter()
                    .map(|e| item(e, "constant"))
                    .collect(),
                (Place::StateField("Next" | "Default", []), false) => names(&at.states, "state"),
                (Place::RetryCatch, true) => entries(docs::RETRY_CATCH_FIELDS, "property"),
                (Place::RetryCatchField("ErrorEquals", _), false) => {
                    docs::ERRORS.iter().map(|e| item(e, "constant")).collect()
                }
                (Place::RetryCatchField("Next", []), false)
                | (Place::ChoiceField("Next"), false) => names(&at.states, "state"),
                (Place::RetryCatchField("JitterStrategy", []), false) => {
                    names(&["FULL".into(), "NONE".into()], "jitter")
                }
                (Place::ChoiceRule, true) => entries(docs::CHOICE_FIELDS, "property"),
                _ => vec![],
            };
            if items.is_empty() && !at.key {
                // A `.$` member takes a path or an intrinsic call.
                let dollar = matches!(at.path.last(), Some(Step::Key(k)) if k.ends_with(".$"));
                return in_string(&at.prefix, dollar).unwrap_or_default();
            }
            items
        }
        Language::Rules => match rules_place(&at.path) {
            RulesPlace::Pattern { operator: true } if at.key => {
                entries(&docs::PATTERN_OPERATORS[..8], "keyword")
            }
            RulesPlace::Pattern { operator: false } if at.key => {
                let mut list = entries(docs::EVENT_FIELDS, "property");
                list.push(item(&docs::PATTERN_OPERATORS[8], "keyword"));
                list
            }
            RulesPlace::Rule | RulesPlace::Target | RulesPlace::Top if at.key => {
                entries(docs::RULE_FIELDS, "property")
            }
            _ => vec![],
        },
        Language::Mocks if at.key => match at.path.len() {
            0 => entries(&docs::MOCK_FIELDS[6..8], "property"),
            _ => entries(&docs::MOCK_FIELDS[..6], "property"),
        },
        Language::Event if at.key && at.path.is_empty() => {
            let mut list = entries(docs::EVENT_FIELDS, "property");
            list.extend(entries(docs::ENTRY_FIELDS, "property"));
            list
        }
        _ => vec![],
    };
    Completions { back, items }
}

/// Where a path leads in the Rules editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RulesPlace {
    /// The document's top.
    Top,
    /// A rule object.
    Rule,
    /// A target object (or deeper in one).
    Target,
    /// Inside an event pattern; `operator`: an object inside a leaf's array.
    Pattern { operator: bool },
    /// Elsewhere.
    Other,
}

fn rules_place(path: &[Step]) -> RulesPlace {
    // The rules document (`{"Rules": [...]}`) or a bare rule list or pattern.
    let rest = match (key(path.first()), path.get(1)) {
        (None, _) if path.is_empty() => return RulesPlace::Top,
        (Some("Rules"), Some(Step::Index(_))) => &path[2..],
        (Some("Rules"), None) => return RulesPlace::Other,
        _ => return pattern_place(path),
    };
    match key(rest.first()) {
        None if rest.is_empty() => RulesPlace::Rule,
        Some("EventPattern") => pattern_place(&rest[1..]),
        Some("Targets") if rest.len() >= 2 => RulesPlace::Target,
        _ => RulesPlace::Other,
    }
}

fn pattern_place(path: &[Step]) -> RulesPlace {
    RulesPlace::Pattern {
        operator: matches!(path.last(), Some(Step::Index(_))),
    }
}

fn find(list: &'static [Entry], name: &str) -> Option<String> {
    list.iter().find(|e| e.0 == name).map(|e| e.2.to_owned())
}

/// The word of `text` around the UTF-16 offset `at` (letters, digits, `.`, `$`, `_`, `-`).
fn word_at(text: &str, at: usize) -> &str {
    let mut units = 0;
    let mut byte = text.len();
    for (i, c) in text.char_indices() {
        if units >= at {
            byte = i;
            break;
        }
        units += c.len_utf16();
    }
    let part = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '$' | '_');
    let start = text[..byte]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| part(c))
        .last()
        .map_or(byte, |(i, _)| i);
    let end = text[byte..]
        .char_indices()
        .find(|&(_, c)| !part(c))
        .map_or(text.len(), |(i, _)| byte + i);
    &text[start..end]
}

/// What an expression word means: an intrinsic, a `$states` member, a context field.
fn word_doc(word: &str) -> Option<String> {
    let word = word.trim_end_matches('.');
    if let Some(path) = word.strip_prefix("$$.") {
        return find(docs::CONTEXT, path);
    }
    if let Some(path) = word.strip_prefix("$states.context.") {
        return find(docs::CONTEXT, path).map(|d| d.replacen("$$.", "$states.context.", 1));
    }
    if word.starts_with("$states.") {
        let member = word.splitn(3, '.').take(2).collect::<Vec<_>>().join(".");
        return find(docs::STATES_VARIABLE, &member);
    }
    find(docs::INTRINSICS, word).or_else(|| find(docs::ERRORS, word))
}

/// The documentation of what is under the cursor, when the tables have it.
pub fn hover(lang: Language, at: &Request) -> Option<String> {
    let name = at.prefix.as_str();
    match lang {
        Language::Asl if at.key => match asl_place(&at.path) {
            Place::Machine => find(docs::MACHINE_FIELDS, name),
            Place::State => find(docs::STATE_FIELDS, name),
            Place::RetryCatch => find(docs::RETRY_CATCH_FIELDS, name),
            Place::ChoiceRule => find(docs::CHOICE_FIELDS, name),
            _ => None,
        },
        Language::Asl => match asl_place(&at.path) {
            Place::StateField("Type", []) => find(docs::STATE_TYPES, name),
            Place::MachineField("QueryLanguage") | Place::StateField("QueryLanguage", []) => {
                find(docs::MACHINE_FIELDS, "QueryLanguage")
            }
            _ => word_doc(word_at(name, at.offset.unwrap_or(0))),
        },
        Language::Rules if at.key => match rules_place(&at.path) {
            RulesPlace::Pattern { .. } => {
                find(docs::PATTERN_OPERATORS, name).or_else(|| find(docs::EVENT_FIELDS, name))
            }
            RulesPlace::Rule | RulesPlace::Target | RulesPlace::Top => {
                find(docs::RULE_FIELDS, name)
            }
            RulesPlace::Other => find(docs::RULE_FIELDS, name),
        },
        Language::Mocks if at.key => find(docs::MOCK_FIELDS, name).or_else(|| {
            (!name.is_empty() && name.chars().all(|c| c.is_ascii_digit() || c == '-'))
                .then(|| docs::MOCK_CALL.to_owned())
        }),
        Language::Event if at.key && at.path.is_empty() => {
            find(docs::EVENT_FIELDS, name).or_else(|| find(docs::ENTRY_FIELDS, name))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests;
