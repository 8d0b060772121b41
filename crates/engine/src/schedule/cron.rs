//! EventBridge's six-field cron: `minutes hours day-of-month month day-of-week year`.
//!
//! As the user guide's "Cron expressions reference" has it: `, - * /` in every field, `?` in
//! one of the two day fields (exactly one of them must be `?`), `L` and `W` in day-of-month,
//! `L` and `#` in day-of-week (1 = SUN … 7 = SAT; `SUN`–`SAT` and `JAN`–`DEC` by name), years
//! 1970–2199. Where the guide is silent the meaning follows the Quartz scheduler's, whose syntax
//! it is: `L` alone in day-of-week is Saturday, `5L` the month's last Thursday, `nW` the
//! weekday nearest day `n` without leaving the month, `LW` the last weekday, a range whose
//! start is past its end wraps around (`FRI-MON`).

use super::{Local, ScheduleError, TimeZone};
use crate::asl::time::{self, Millis};

const DAY_MS: Millis = 86_400_000;

/// The values one field allows, as a bit per value from the field's minimum.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Set {
    min: u32,
    bits: Vec<bool>,
}

impl Set {
    fn new(min: u32, max: u32) -> Set {
        Set {
            min,
            bits: vec![false; (max - min + 1) as usize],
        }
    }

    fn has(&self, v: u32) -> bool {
        v.checked_sub(self.min)
            .and_then(|i| self.bits.get(i as usize))
            .copied()
            .unwrap_or(false)
    }

    fn add(&mut self, v: u32) {
        if let Some(b) = v
            .checked_sub(self.min)
            .and_then(|i| self.bits.get_mut(i as usize))
        {
            *b = true;
        }
    }

    fn values(&self) -> impl Iterator<Item = u32> + '_ {
        let min = self.min;
        self.bits
            .iter()
            .enumerate()
            .filter(|(_, b)| **b)
            .map(move |(i, _)| min + i as u32)
    }
}

/// Which days a cron expression fires on: by day of the month, or by day of the week.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Days {
    Month {
        set: Set,
        last: bool,
        last_weekday: bool,
        nearest_weekday: Vec<u32>,
    },
    Week {
        set: Set,
        last_of: Vec<u32>,
        nth: Option<(u32, u32)>,
    },
}

/// A parsed cron expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cron {
    minutes: Set,
    hours: Set,
    months: Set,
    years: Set,
    days: Days,
}

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const WEEKDAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/// One field's name, range and value names.
struct Field {
    name: &'static str,
    min: u32,
    max: u32,
    names: &'static [&'static str],
}

const MINUTES: Field = Field {
    name: "minutes",
    min: 0,
    max: 59,
    names: &[],
};
const HOURS: Field = Field {
    name: "hours",
    min: 0,
    max: 23,
    names: &[],
};
const DOM: Field = Field {
    name: "day-of-month",
    min: 1,
    max: 31,
    names: &[],
};
const MONTH: Field = Field {
    name: "month",
    min: 1,
    max: 12,
    names: &MONTHS,
};
const DOW: Field = Field {
    name: "day-of-week",
    min: 1,
    max: 7,
    names: &WEEKDAYS,
};
const YEAR: Field = Field {
    name: "year",
    min: 1970,
    max: 2199,
    names: &[],
};

impl Field {
    fn error(&self, text: &str, why: impl Into<String>) -> ScheduleError {
        ScheduleError::CronField {
            field: self.name,
            text: text.to_owned(),
            why: why.into(),
        }
    }

    fn value(&self, text: &str) -> Result<u32, ScheduleError> {
        let upper = text.to_ascii_uppercase();
        if let Some(i) = self.names.iter().position(|n| *n == upper) {
            return Ok(self.min + i as u32);
        }
        let v: u32 = text.parse().map_err(|_| {
            let named = if self.names.is_empty() {
                String::new()
            } else {
                format!(" or {}–{}", self.names[0], self.names[self.names.len() - 1])
            };
            self.error(
                text,
                format!("expected a number from {} to {}{named}", self.min, self.max),
            )
        })?;
        if v < self.min || v > self.max {
            return Err(self.error(text, format!("{v} is outside {}–{}", self.min, self.max)));
        }
        Ok(v)
    }

    /// `*`, `a`, `a-b`, each optionally `/step`, joined by commas.
    fn parse(&self, text: &str) -> Result<Set, ScheduleError> {
        let mut set = Set::new(self.min, self.max);
        for item in text.split(',') {
            self.item(item, &mut set)?;
        }
        Ok(set)
    }

    fn item(&self, item: &str, set: &mut Set) -> Result<(), ScheduleError> {
        let (range, step) = match item.split_once('/') {
            Some((r, s)) => {
                let step: u32 = s.parse().ok().filter(|n| *n >= 1).ok_or_else(|| {
                    self.error(item, "the step after `/` must be a whole number from 1")
                })?;
                (r, step)
            }
            None => (item, 1),
        };
        let (from, to) = match range {
            "*" => (self.min, self.max),
            "" => return Err(self.error(item, "an empty value")),
            r => match r.split_once('-') {
                Some((a, b)) => (self.value(a)?, self.value(b)?),
                // `5/15`: from 5 to the end, every 15.
                None if item.contains('/') => (self.value(r)?, self.max),
                None => {
                    let v = self.value(r)?;
                    (v, v)
                }
            },
        };
        // A range past its end wraps around (`22-2` in hours: 22, 23, 0, 1, 2).
        let span = self.max - self.min + 1;
        let len = if to >= from {
            to - from
        } else {
            to + span - from
        };
        let mut k = 0;
        while k <= len {
            set.add(self.min + (from - self.min + k) % span);
            k += step;
        }
        Ok(())
    }
}

impl Cron {
    /// Reads the six fields inside `cron(…)`.
    pub fn parse(fields: &str) -> Result<Cron, ScheduleError> {
        let parts: Vec<&str> = fields.split_whitespace().collect();
        let [minutes, hours, dom, month, dow, year] = parts.as_slice() else {
            return Err(ScheduleError::CronFieldCount(parts.len()));
        };
        let days = match (*dom, *dow) {
            ("?", "?") => return Err(ScheduleError::CronDays("both are `?`")),
            (dom, "?") => day_of_month(dom)?,
            ("?", dow) => day_of_week(dow)?,
            _ => return Err(ScheduleError::CronDays("neither is `?`")),
        };
        Ok(Cron {
            minutes: MINUTES.parse(minutes)?,
            hours: HOURS.parse(hours)?,
            months: MONTH.parse(month)?,
            years: YEAR.parse(year)?,
            days,
        })
    }

    /// Whether the expression fires on this date.
    fn on(&self, day: i64) -> bool {
        let (y, m, d) = time::civil_from_days(day);
        if y < 1970 || !self.years.has(y as u32) || !self.months.has(m) {
            return false;
        }
        let dim = time::days_in_month(y, m);
        match &self.days {
            Days::Month {
                set,
                last,
                last_weekday,
                nearest_weekday,
            } => {
                set.has(d)
                    || (*last && d == dim)
                    || (*last_weekday && Some(d) == weekday_near(day, d, dim, dim))
                    || nearest_weekday
                        .iter()
                        .any(|n| Some(d) == weekday_near(day, d, *n, dim))
            }
            Days::Week { set, last_of, nth } => {
                let w = weekday(day);
                set.has(w)
                    || (last_of.contains(&w) && d + 7 > dim)
                    || nth.is_some_and(|(wd, k)| wd == w && (d - 1) / 7 + 1 == k)
            }
        }
    }

    /// Every firing in `[from, until)`, read in local time in `zone`, at most `max` of them.
    /// A local time the clocks skip does not fire; one they pass twice fires the first time.
    pub fn firings(&self, from: Millis, until: Millis, zone: &TimeZone, max: usize) -> Vec<Millis> {
        let (lo, hi) = zone.offset_range();
        let mut out = Vec::new();
        let mut day = (from + lo * 1000).div_euclid(DAY_MS);
        while day * DAY_MS - hi * 1000 < until && out.len() < max {
            if self.on(day) {
                for h in self.hours.values() {
                    for m in self.minutes.values() {
                        let local = day * DAY_MS + Millis::from(h * 60 + m) * 60_000;
                        let at = match zone.resolve(local) {
                            Local::Unique(at) | Local::Fold(at, _) => at,
                            Local::Gap(_) => continue,
                        };
                        if at >= from && at < until && out.len() < max {
                            out.push(at);
                        }
                    }
                }
            }
            day += 1;
        }
        out
    }
}

/// 1 = Sunday … 7 = Saturday (1970-01-01 was a Thursday).
fn weekday(day: i64) -> u32 {
    (day + 4).rem_euclid(7) as u32 + 1
}

/// The weekday nearest day `n` of the month that `day` (day `d` of it, `dim` days long) lies
/// in, without leaving the month; `None` when the month has no day `n`.
fn weekday_near(day: i64, d: u32, n: u32, dim: u32) -> Option<u32> {
    if n > dim {
        return None;
    }
    let target = day - i64::from(d) + i64::from(n);
    Some(match weekday(target) {
        7 if n == 1 => 3,
        7 => n - 1,
        1 if n == dim => n - 2,
        1 => n + 1,
        _ => n,
    })
}

fn day_of_month(text: &str) -> Result<Days, ScheduleError> {
    let mut set = Set::new(1, 31);
    let (mut last, mut last_weekday, mut nearest_weekday) = (false, false, Vec::new());
    for item in text.split(',') {
        match item.to_ascii_uppercase().as_str() {
            "L" => last = true,
            "LW" => last_weekday = true,
            w if w.len() > 1 && w.ends_with('W') => {
                nearest_weekday.push(DOM.value(&w[..w.len() - 1])?);
            }
            _ => DOM.item(item, &mut set)?,
        }
    }
    Ok(Days::Month {
        set,
        last,
        last_weekday,
        nearest_weekday,
    })
}

fn day_of_week(text: &str) -> Result<Days, ScheduleError> {
    let mut set = Set::new(1, 7);
    let (mut last_of, mut nth) = (Vec::new(), None);
    let items: Vec<&str> = text.split(',').collect();
    for item in &items {
        let upper = item.to_ascii_uppercase();
        if upper == "L" {
            set.add(7);
        } else if let Some(d) = upper.strip_suffix('L') {
            last_of.push(DOW.value(d)?);
        } else if let Some((d, k)) = upper.split_once('#') {
            if items.len() > 1 {
                return Err(DOW.error(
                    text,
                    "with `#` the field holds one expression only (`3#1,6#3` is two)",
                ));
            }
            let k: u32 = k
                .parse()
                .ok()
                .filter(|k| (1..=5).contains(k))
                .ok_or_else(|| DOW.error(item, "the number after `#` must be from 1 to 5"))?;
            nth = Some((DOW.value(d)?, k));
        } else {
            DOW.item(item, &mut set)?;
        }
    }
    Ok(Days::Week { set, last_of, nth })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Millis {
        time::parse_rfc3339(text).unwrap_or_default()
    }

    /// The first `n` firings from `from`, as text.
    fn fires(expr: &str, from: &str, n: usize) -> Vec<String> {
        let cron = Cron::parse(expr).unwrap_or_else(|e| panic!("{expr}: {e}"));
        let start = at(from);
        cron.firings(start, start + 4 * 366 * DAY_MS, &TimeZone::UTC, n)
            .into_iter()
            .map(|t| time::format_millis(t).replace(":00.000Z", ""))
            .collect()
    }

    #[test]
    fn fields_and_wildcards() {
        assert_eq!(
            fires("0 12 * * ? *", "2026-01-01T00:00:00Z", 2),
            ["2026-01-01T12:00", "2026-01-02T12:00"]
        );
        assert_eq!(
            fires("0/15 * * * ? *", "2026-01-01T00:00:00Z", 3),
            ["2026-01-01T00:00", "2026-01-01T00:15", "2026-01-01T00:30"]
        );
        assert_eq!(
            fires("1/10 9 * * ? *", "2026-01-01T00:00:00Z", 2),
            ["2026-01-01T09:01", "2026-01-01T09:11"]
        );
        // The user guide's examples: 6 PM Monday to Friday; 8 AM on the first Monday of the month.
        assert_eq!(
            fires("0 18 ? * MON-FRI *", "2026-01-02T19:00:00Z", 1),
            ["2026-01-05T18:00"]
        );
        assert_eq!(
            fires("0 8 ? * 2#1 *", "2026-01-01T00:00:00Z", 2),
            ["2026-01-05T08:00", "2026-02-02T08:00"]
        );
        assert_eq!(
            fires("0 0 L * ? *", "2026-02-01T00:00:00Z", 2),
            ["2026-02-28T00:00", "2026-03-31T00:00"]
        );
        // 2026-02-01 is a Sunday: its nearest weekday in the month is Monday the 2nd.
        assert_eq!(
            fires("0 0 1W * ? *", "2026-02-01T00:00:00Z", 1),
            ["2026-02-02T00:00"]
        );
        assert_eq!(
            fires("0 0 LW * ? *", "2026-05-01T00:00:00Z", 1),
            ["2026-05-29T00:00"]
        );
        assert_eq!(
            fires("0 0 ? * 6L *", "2026-01-01T00:00:00Z", 1),
            ["2026-01-30T00:00"]
        );
        assert_eq!(
            fires("0 22-1 1 JAN ? 2027", "2026-01-01T00:00:00Z", 3),
            ["2027-01-01T00:00", "2027-01-01T01:00", "2027-01-01T22:00"]
        );
    }

    #[test]
    fn refused_with_the_field_named() {
        let err = |e: &str| {
            Cron::parse(e)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        assert_eq!(
            err("0 12 * * * *"),
            "day-of-month and day-of-week: neither is `?`; exactly one of them must be `?`"
        );
        assert_eq!(
            err("0 12 ? * ? *"),
            "day-of-month and day-of-week: both are `?`; exactly one of them must be `?`"
        );
        assert_eq!(
            err("0 12 * *"),
            "a cron expression has six fields (minutes hours day-of-month month day-of-week year); this one has 4"
        );
        assert_eq!(
            err("61 12 * * ? *"),
            "cron field minutes (`61`): 61 is outside 0–59"
        );
        assert_eq!(
            err("0 12 ? * FUN *"),
            "cron field day-of-week (`FUN`): expected a number from 1 to 7 or SUN–SAT"
        );
        assert_eq!(
            err("0 12 ? * 3#1,6#3 *"),
            "cron field day-of-week (`3#1,6#3`): with `#` the field holds one expression only (`3#1,6#3` is two)"
        );
    }
}
