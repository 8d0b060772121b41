//! The workspace's named state machines, with versions and aliases.
//!
//! A machine is either a definition (`{"StartAt": …, "States": …}`) or, to show routing to
//! versions, an object with `Versions` (`"1"`, `"2"` … → definition), an optional `Definition`
//! (the unqualified, `$LATEST` machine; the highest version when absent) and `Aliases`
//! (name → one or two `{"Version": "1", "Weight": 90}` entries whose weights add up to 100, the
//! shape of `RoutingConfiguration`).
//!
//! The entry may also say the machine's `Type` (`CreateStateMachine`'s `type`): `"STANDARD"`
//! (the default) or `"EXPRESS"`, with its definition under `Definition`:
//! `{"Type": "EXPRESS", "Definition": {"StartAt": …, "States": …}}`.
//!
//! AWS picks an alias's version at random by weight; here the pick is a smooth weighted round
//! robin, so a run is reproducible and the proportions are exact over every cycle (with weights
//! 90/10, nine in every ten executions start version 1).

use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

/// One named machine: its unqualified definition, its versions and its aliases.
#[derive(Debug, Clone, PartialEq)]
pub struct Machine {
    /// The definition an unqualified ARN starts.
    pub latest: Value,
    /// Published versions, by number.
    pub versions: BTreeMap<u32, Value>,
    /// Aliases: name → (version, weight) pairs.
    pub aliases: BTreeMap<String, Vec<(u32, u32)>>,
    /// An Express workflow (`"Type": "EXPRESS"`), not a Standard one.
    pub express: bool,
}

/// Why a machine entry is refused: where (a dotted path) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MachineError {
    /// Where, e.g. `machines.Fulfil.Aliases.live[1].Weight`.
    pub path: String,
    /// What is wrong.
    pub problem: String,
}

impl fmt::Display for MachineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at `{}`: {}", self.path, self.problem)
    }
}

impl std::error::Error for MachineError {}

fn bad(path: impl Into<String>, problem: impl Into<String>) -> MachineError {
    MachineError {
        path: path.into(),
        problem: problem.into(),
    }
}

/// Which definition an invocation starts, and through what.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    /// The definition.
    pub definition: Value,
    /// The version started, if a version or an alias was named.
    pub version: Option<u32>,
    /// The alias named, if any.
    pub alias: Option<String>,
    /// The machine is an Express workflow.
    pub express: bool,
}

impl Machine {
    /// Reads one entry of the workspace's `machines`.
    pub fn parse(name: &str, v: &Value) -> Result<Machine, MachineError> {
        let at = format!("machines.{name}");
        let Some(obj) = v.as_object() else {
            return Err(bad(at, "expected a state machine definition (an object)"));
        };
        if !is_entry(v) {
            return Ok(Machine {
                latest: v.clone(),
                versions: BTreeMap::new(),
                aliases: BTreeMap::new(),
                express: false,
            });
        }
        let express = match obj.get("Type") {
            None => false,
            Some(Value::String(t)) if t == "STANDARD" => false,
            Some(Value::String(t)) if t == "EXPRESS" => true,
            Some(other) => {
                return Err(bad(
                    format!("{at}.Type"),
                    format!(
                        "the type of a state machine is \"STANDARD\" or \"EXPRESS\", not {other}"
                    ),
                ));
            }
        };
        let mut versions = BTreeMap::new();
        if let Some(vs) = obj.get("Versions") {
            let Some(vs) = vs.as_object() else {
                return Err(bad(
                    format!("{at}.Versions"),
                    "expected an object of version numbers (\"1\", \"2\" …) to definitions",
                ));
            };
            for (key, def) in vs {
                let number = key.parse::<u32>().ok().filter(|n| *n >= 1).ok_or_else(|| {
                    bad(
                        format!("{at}.Versions.{key}"),
                        "a version is a whole number from 1",
                    )
                })?;
                if !def.is_object() {
                    return Err(bad(
                        format!("{at}.Versions.{key}"),
                        "expected a state machine definition (an object)",
                    ));
                }
                versions.insert(number, def.clone());
            }
        }
        let latest = match obj.get("Definition") {
            Some(d @ Value::Object(_)) => d.clone(),
            Some(_) => {
                return Err(bad(
                    format!("{at}.Definition"),
                    "expected a state machine definition (an object)",
                ));
            }
            None => versions.values().next_back().cloned().ok_or_else(|| {
                bad(
                    at.clone(),
                    "give a `Definition` or at least one entry in `Versions`",
                )
            })?,
        };
        let aliases = match obj.get("Aliases") {
            None => BTreeMap::new(),
            Some(Value::Object(a)) => parse_aliases(a, &versions, &at)?,
            Some(_) => {
                return Err(bad(
                    format!("{at}.Aliases"),
                    "expected an object of alias names to routing entries",
                ));
            }
        };
        Ok(Machine {
            latest,
            versions,
            aliases,
            express,
        })
    }
}

/// Whether a machine entry is more than a bare definition: it has `Versions`, `Aliases` or a
/// `Type` (a definition itself has `States`).
pub fn is_entry(v: &Value) -> bool {
    v.as_object().is_some_and(|o| {
        !o.contains_key("States")
            && (o.contains_key("Versions") || o.contains_key("Aliases") || o.contains_key("Type"))
    })
}

fn parse_aliases(
    a: &Map<String, Value>,
    versions: &BTreeMap<u32, Value>,
    at: &str,
) -> Result<BTreeMap<String, Vec<(u32, u32)>>, MachineError> {
    let mut out = BTreeMap::new();
    for (alias, routes) in a {
        let here = format!("{at}.Aliases.{alias}");
        if alias.parse::<u32>().is_ok() || alias.is_empty() {
            return Err(bad(here, "an alias name must not be a number"));
        }
        let routes = routes.as_array().filter(|r| (1..=2).contains(&r.len()));
        let Some(routes) = routes else {
            return Err(bad(
                here,
                "expected a list of one or two {\"Version\": \"1\", \"Weight\": 100} entries",
            ));
        };
        let mut pairs = Vec::new();
        for (i, r) in routes.iter().enumerate() {
            let item = format!("{here}[{i}]");
            let version = match r.get("Version") {
                Some(Value::String(s)) => s.parse::<u32>().ok(),
                Some(Value::Number(n)) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
                _ => None,
            }
            .filter(|v| versions.contains_key(v))
            .ok_or_else(|| {
                let known: Vec<String> = versions.keys().map(u32::to_string).collect();
                bad(
                    format!("{item}.Version"),
                    format!(
                        "name one of the machine's versions ({})",
                        if known.is_empty() {
                            "it has none".to_owned()
                        } else {
                            known.join(", ")
                        }
                    ),
                )
            })?;
            let weight = r
                .get("Weight")
                .and_then(Value::as_u64)
                .filter(|w| *w <= 100)
                .ok_or_else(|| {
                    bad(
                        format!("{item}.Weight"),
                        "a weight is a whole number from 0 to 100",
                    )
                })?;
            pairs.push((version, weight as u32));
        }
        let total: u32 = pairs.iter().map(|p| p.1).sum();
        if total != 100 {
            return Err(bad(
                here,
                format!("the weights add up to {total}; they must add up to 100"),
            ));
        }
        out.insert(alias.clone(), pairs);
    }
    Ok(out)
}

/// Picks versions for aliases by smooth weighted round robin (one counter set per alias).
#[derive(Debug, Clone, Default)]
pub struct AliasPicker {
    current: BTreeMap<String, Vec<i64>>,
}

impl AliasPicker {
    /// The next version for `alias` of `machine`, among `routes`.
    pub fn pick(&mut self, key: &str, routes: &[(u32, u32)]) -> Option<u32> {
        let current = self
            .current
            .entry(key.to_owned())
            .or_insert_with(|| vec![0; routes.len()]);
        if current.len() != routes.len() {
            *current = vec![0; routes.len()];
        }
        let total: i64 = routes.iter().map(|r| i64::from(r.1)).sum();
        for (c, r) in current.iter_mut().zip(routes) {
            *c += i64::from(r.1);
        }
        // The first largest wins, so ties go to the first entry.
        let (best, _) =
            current.iter().enumerate().fold(
                (0, i64::MIN),
                |acc, (i, c)| if *c > acc.1 { (i, *c) } else { acc },
            );
        if let Some(c) = current.get_mut(best) {
            *c -= total;
        }
        routes.get(best).map(|r| r.0)
    }
}

/// Checks a state machine name as `CreateStateMachine` does: 1 to 80 characters, none of them
/// whitespace, brackets (`< > { } [ ]`), wildcards (`? *`), the special characters
/// `" # % \ ^ | ~ ` $ & , ; : /`, or control characters (U+0000–001F, U+007F–009F).
///
/// ```
/// use statebridge_engine::system::machines::check_name;
/// assert_eq!(check_name("Order-Fulfilment_2"), Ok(()));
/// assert!(check_name("my machine").unwrap_err().contains("space"));
/// assert!(check_name("").is_err());
/// ```
pub fn check_name(name: &str) -> Result<(), String> {
    let len = name.chars().count();
    if len == 0 {
        return Err("a state machine needs a name".to_owned());
    }
    if len > 80 {
        return Err(format!(
            "a state machine name has at most 80 characters (this one has {len})"
        ));
    }
    for c in name.chars() {
        let why = if c == ' ' {
            "a space"
        } else if c.is_whitespace() {
            "whitespace"
        } else if c.is_control() {
            "a control character"
        } else if "<>{}[]".contains(c) {
            "a bracket"
        } else if "?*".contains(c) {
            "a wildcard character"
        } else if "\"#%\\^|~`$&,;:/".contains(c) {
            "a special character"
        } else {
            continue;
        };
        return Err(format!(
            "a state machine name cannot contain {why} (`{}`); use letters, digits, `-` and `_`",
            c.escape_default()
        ));
    }
    Ok(())
}

/// Splits `Name`, `Name:3` or `Name:alias` into the name and the qualifier.
pub fn split_qualifier(reference: &str) -> (&str, Option<&str>) {
    match reference.split_once(':') {
        Some((name, q)) if !q.is_empty() => (name, Some(q)),
        Some((name, _)) => (name, None),
        None => (reference, None),
    }
}

/// The machine name and qualifier of a `arn:aws:states:…:stateMachine:Name[:qualifier]` ARN.
pub fn from_arn(arn: &str) -> Option<(&str, Option<&str>)> {
    let rest = arn.split_once(":stateMachine:")?.1;
    arn.starts_with("arn:").then(|| split_qualifier(rest))
}

impl Machine {
    /// The definition a qualifier names (none: `$LATEST`; a number: that version; else an alias).
    pub fn resolve(
        &self,
        key: &str,
        qualifier: Option<&str>,
        picker: &mut AliasPicker,
    ) -> Result<Resolved, String> {
        let Some(q) = qualifier.filter(|q| *q != "$LATEST") else {
            return Ok(Resolved {
                definition: self.latest.clone(),
                version: None,
                alias: None,
                express: self.express,
            });
        };
        if let Ok(n) = q.parse::<u32>() {
            return match self.versions.get(&n) {
                Some(d) => Ok(Resolved {
                    definition: d.clone(),
                    version: Some(n),
                    alias: None,
                    express: self.express,
                }),
                None => Err(format!("`{key}` has no version {n}")),
            };
        }
        let Some(routes) = self.aliases.get(q) else {
            return Err(format!("`{key}` has no alias `{q}`"));
        };
        let version = picker
            .pick(&format!("{key}:{q}"), routes)
            .ok_or_else(|| format!("alias `{q}` of `{key}` routes nowhere"))?;
        let definition = self
            .versions
            .get(&version)
            .cloned()
            .ok_or_else(|| format!("`{key}` has no version {version}"))?;
        Ok(Resolved {
            definition,
            version: Some(version),
            alias: Some(q.to_owned()),
            express: self.express,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn weighted_round_robin_is_exact_per_cycle() {
        let mut p = AliasPicker::default();
        let picks: Vec<u32> = (0..10)
            .filter_map(|_| p.pick("m:live", &[(1, 90), (2, 10)]))
            .collect();
        assert_eq!(picks.iter().filter(|v| **v == 1).count(), 9);
        assert_eq!(picks.iter().filter(|v| **v == 2).count(), 1);
        let half: Vec<u32> = (0..4)
            .filter_map(|_| p.pick("m:ab", &[(1, 50), (2, 50)]))
            .collect();
        assert_eq!(half, vec![1, 2, 1, 2]);
    }

    #[test]
    fn errors_say_where() {
        let def = json!({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}});
        let m =
            json!({"Versions": {"1": def}, "Aliases": {"live": [{"Version": "1", "Weight": 60}]}});
        let e = Machine::parse("F", &m).err().map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some("at `machines.F.Aliases.live`: the weights add up to 60; they must add up to 100")
        );
        let m =
            json!({"Versions": {"1": def}, "Aliases": {"live": [{"Version": "7", "Weight": 100}]}});
        let e = Machine::parse("F", &m).err().map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some("at `machines.F.Aliases.live[0].Version`: name one of the machine's versions (1)")
        );
        assert_eq!(
            from_arn("arn:aws:states:us-east-1:1:stateMachine:F:live"),
            Some(("F", Some("live")))
        );
        assert_eq!(from_arn("arn:aws:sqs:us-east-1:1:q"), None);
    }

    #[test]
    fn names_follow_create_state_machine() {
        for ok in [
            "a",
            "Order-Fulfilment_2",
            "E-commerceOrderFulfillment",
            "é-ü",
            &"x".repeat(80),
        ] {
            assert_eq!(check_name(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            " x",
            "a b",
            "a\tb",
            "a:b",
            "a/b",
            "a{b",
            "a*b",
            "a#b",
            "a\u{7f}",
            &"x".repeat(81),
        ] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }
}
