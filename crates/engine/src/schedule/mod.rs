//! Schedule expressions on the virtual clock: `rate(…)`, `cron(…)` and `at(…)`, as scheduled
//! rules (`ScheduleExpression` on a rule) and EventBridge Scheduler schedules ([`Schedule`]) use
//! them.
//!
//! ```
//! use statebridge_engine::schedule::{Expression, TimeZone};
//! use statebridge_engine::asl::time::{format_millis, parse_rfc3339};
//! let start = parse_rfc3339("2026-01-01T00:00:00Z").unwrap();
//! let every = Expression::parse("rate(5 minutes)").unwrap();
//! let times: Vec<String> = every.firings(start, start, start + 3_600_000, &TimeZone::UTC, 2)
//!     .into_iter().map(format_millis).collect();
//! assert_eq!(times, ["2026-01-01T00:05:00.000Z", "2026-01-01T00:10:00.000Z"]);
//! assert_eq!(Expression::parse("rate(5 minute)").unwrap_err().to_string(),
//!     "rate(5 minute): the unit must be plural when the value is more than 1 (`5 minutes`)");
//! ```
//!
//! Time zones ([`TimeZone`], `zone.rs`): `ScheduleExpressionTimezone` takes the IANA names
//! (`America/New_York`, `Australia/Lord_Howe`, `Etc/GMT+5`), each read through the POSIX rule it
//! follows today, and `UTC±hh:mm` offsets. Daylight saving as the Scheduler guide describes it:
//! a cron time the clocks skip does not fire (an at() time the clocks skip fires as late as
//! the jump: 02:30 on a spring-forward night fires at 03:30; the guide is silent there), a time that happens twice fires once, at its first
//! occurrence; a rate is a fixed duration (`rate(1 day)` is 24 hours, whatever the clocks do).
//! Scheduled rules are always UTC, as EventBridge's are.

pub mod cron;
mod scheduler;
mod zone;

pub use cron::Cron;
pub(crate) use scheduler::timestamp as scheduler_timestamp;
pub use scheduler::{Schedule, SchedulerTarget};
pub use zone::{Local, PosixRule, TimeZone, zone_names};

use crate::asl::time::{self, Millis};
use std::fmt;

/// A parsed schedule expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expression {
    /// `rate(value unit)`: every `every` milliseconds from the schedule's start.
    Rate {
        /// The period.
        every: Millis,
    },
    /// `cron(fields)`.
    Cron(Cron),
    /// `at(yyyy-mm-ddThh:mm:ss)`: once, at this local time (milliseconds as if it were UTC).
    At(Millis),
}

/// Why a schedule expression or time zone is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScheduleError {
    /// Neither `rate(…)`, `cron(…)` nor `at(…)`.
    Syntax(String),
    /// A `rate(…)` that is not `value unit` as EventBridge wants it.
    Rate {
        /// The expression.
        text: String,
        /// What is wrong.
        why: String,
    },
    /// A cron expression without six fields.
    CronFieldCount(usize),
    /// Day-of-month and day-of-week both `?`, or neither.
    CronDays(&'static str),
    /// One cron field is wrong.
    CronField {
        /// The field's name (`minutes`, `day-of-week`, …).
        field: &'static str,
        /// The field's text (or the part of it at fault).
        text: String,
        /// What is wrong.
        why: String,
    },
    /// An `at(…)` whose date and time cannot be read.
    At(String),
    /// `at(…)` on a rule: only Scheduler has one-time schedules.
    AtOnRule,
    /// A time zone the tz database does not name.
    TimeZone {
        /// The zone as written.
        zone: String,
        /// Known names close to it.
        suggestions: Vec<String>,
    },
}

impl fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScheduleError::Syntax(t) => write!(
                f,
                "`{t}` is not a schedule expression: use rate(value unit), cron(minutes hours \
                 day-of-month month day-of-week year) or, for Scheduler, at(yyyy-mm-ddThh:mm:ss)"
            ),
            ScheduleError::Rate { text, why } => write!(f, "{text}: {why}"),
            ScheduleError::CronFieldCount(n) => write!(
                f,
                "a cron expression has six fields (minutes hours day-of-month month day-of-week \
                 year); this one has {n}"
            ),
            ScheduleError::CronDays(why) => write!(
                f,
                "day-of-month and day-of-week: {why}; exactly one of them must be `?`"
            ),
            ScheduleError::CronField { field, text, why } => {
                write!(f, "cron field {field} (`{text}`): {why}")
            }
            ScheduleError::At(t) => write!(
                f,
                "`{t}`: at() takes a date and time without a zone, yyyy-mm-ddThh:mm:ss \
                 (the zone is ScheduleExpressionTimezone's)"
            ),
            ScheduleError::AtOnRule => write!(
                f,
                "a rule's schedule is rate() or cron(); one-time at() schedules are EventBridge \
                 Scheduler's (put it under `Schedules`)"
            ),
            ScheduleError::TimeZone { zone, suggestions } => {
                write!(
                    f,
                    "`{zone}` is not a time zone: use an IANA name such as America/New_York, \
                     UTC, or an offset such as +01:00"
                )?;
                match suggestions.as_slice() {
                    [] => Ok(()),
                    [one] => write!(f, " (did you mean {one}?)"),
                    many => write!(f, " (did you mean one of {}?)", many.join(", ")),
                }
            }
        }
    }
}

impl std::error::Error for ScheduleError {}

impl Expression {
    /// Reads `rate(…)`, `cron(…)` or `at(…)`.
    pub fn parse(text: &str) -> Result<Expression, ScheduleError> {
        let t = text.trim();
        let inner = |prefix: &str| {
            t.strip_prefix(prefix)
                .and_then(|r| r.strip_suffix(')'))
                .map(str::trim)
        };
        if let Some(body) = inner("rate(") {
            return rate(t, body);
        }
        if let Some(body) = inner("cron(") {
            return Cron::parse(body).map(Expression::Cron);
        }
        if let Some(body) = inner("at(") {
            let local = (body.len() == 19)
                .then(|| time::parse_rfc3339(&format!("{body}Z")))
                .flatten()
                .ok_or_else(|| ScheduleError::At(body.to_owned()))?;
            return Ok(Expression::At(local));
        }
        Err(ScheduleError::Syntax(t.to_owned()))
    }

    /// The firings in `[from, until)`, at most `max`: a rate counts from `anchor` (its first
    /// firing one period after it); cron and at() read their fields in local time in `zone`.
    pub fn firings(
        &self,
        anchor: Millis,
        from: Millis,
        until: Millis,
        zone: &TimeZone,
        max: usize,
    ) -> Vec<Millis> {
        match self {
            Expression::Rate { every } => {
                let every = (*every).max(60_000);
                // The first period that ends at or after `from`.
                let k = if from > anchor {
                    (from - anchor + every - 1) / every
                } else {
                    1
                }
                .max(1);
                (k..)
                    .map(|k| anchor.saturating_add(k.saturating_mul(every)))
                    .take_while(|t| *t < until)
                    .take(max)
                    .collect()
            }
            Expression::Cron(c) => c.firings(from, until, zone, max),
            Expression::At(local) => {
                let at = match zone.resolve(*local) {
                    Local::Unique(at) | Local::Gap(at) | Local::Fold(at, _) => at,
                };
                if at >= from && at < until && max > 0 {
                    vec![at]
                } else {
                    Vec::new()
                }
            }
        }
    }
}

fn rate(text: &str, body: &str) -> Result<Expression, ScheduleError> {
    let bad = |why: &str| ScheduleError::Rate {
        text: text.to_owned(),
        why: why.to_owned(),
    };
    let mut parts = body.split_whitespace();
    let (Some(value), Some(unit), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(bad("expected a value and a unit, e.g. rate(5 minutes)"));
    };
    let n: i64 = value
        .parse()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| bad("the value must be a whole number from 1"))?;
    let (singular, ms) = match unit {
        "minute" | "minutes" => ("minute", 60_000),
        "hour" | "hours" => ("hour", 3_600_000),
        "day" | "days" => ("day", 86_400_000),
        _ => return Err(bad("the unit must be minute(s), hour(s) or day(s)")),
    };
    let plural = unit.ends_with('s');
    if n == 1 && plural {
        return Err(bad(&format!(
            "the unit must be singular when the value is 1 (`1 {singular}`)"
        )));
    }
    if n > 1 && !plural {
        return Err(bad(&format!(
            "the unit must be plural when the value is more than 1 (`{n} {singular}s`)"
        )));
    }
    Ok(Expression::Rate {
        every: n.saturating_mul(ms),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_as_the_guide_writes_them() {
        assert!(Expression::parse("rate(1 minute)").is_ok());
        assert!(Expression::parse("rate(2 days)").is_ok());
        let err = |t: &str| {
            Expression::parse(t)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        assert_eq!(
            err("rate(1 hours)"),
            "rate(1 hours): the unit must be singular when the value is 1 (`1 hour`)"
        );
        assert_eq!(
            err("rate(0 minutes)"),
            "rate(0 minutes): the value must be a whole number from 1"
        );
        assert_eq!(
            err("rate(5 weeks)"),
            "rate(5 weeks): the unit must be minute(s), hour(s) or day(s)"
        );
        assert!(
            err("every 5 minutes").starts_with("`every 5 minutes` is not a schedule expression")
        );
    }

    #[test]
    fn a_rate_counts_from_its_anchor() {
        let r = Expression::parse("rate(10 minutes)").unwrap_or(Expression::At(0));
        assert_eq!(r.firings(0, 0, 3_600_000, &TimeZone::UTC, 10).len(), 5);
        assert_eq!(
            r.firings(0, 1_500_000, 3_600_000, &TimeZone::UTC, 1),
            [1_800_000]
        );
    }

    #[test]
    fn at_is_local_time() {
        let a = Expression::parse("at(2026-01-01T09:30:00)").unwrap_or(Expression::At(0));
        let nine_thirty = time::parse_rfc3339("2026-01-01T09:30:00Z").unwrap_or_default();
        assert_eq!(
            a.firings(0, 0, Millis::MAX, &TimeZone::Fixed(3600), 1),
            [nine_thirty - 3_600_000]
        );
        assert!(matches!(
            Expression::parse("at(2026-01-01 09:30)"),
            Err(ScheduleError::At(_))
        ));
    }
}
