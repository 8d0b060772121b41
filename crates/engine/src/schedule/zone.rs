//! `ScheduleExpressionTimezone`: IANA zone names read through the POSIX TZ rule each zone
//! follows today (`zones.txt`, generated from the system's tz database by
//! `scripts/gen_tz_rules.py`: 10.5 KB, 4.4 KB gzip for ~600 names and 95 rules), plus UTC and
//! fixed offsets.
//!
//! A POSIX rule describes a zone from its last change of rules on, so a date before that change
//! (e.g. Mexico City before it dropped daylight saving in 2022) is read with today's rule; the
//! virtual clock of a workspace sits near now, where the rules are right. Zones whose current
//! rules cannot be written as a POSIX rule (Casablanca's Ramadan shifts) keep their standard
//! offset all year.
//!
//! How a wall-clock time maps to an instant, as the Scheduler guide describes daylight saving:
//! a cron time that does not exist (clocks spring forward over it) is skipped, and a time that
//! happens twice (clocks fall back) fires once, at its first occurrence.

use super::ScheduleError;
use crate::asl::time::{self, Millis};

const ZONES: &str = include_str!("zones.txt");
const HOUR: i64 = 3600;

/// A time zone a schedule is read in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeZone {
    /// A fixed offset east of UTC, in seconds (`UTC`, `Etc/GMT-1`, `+05:30`).
    Fixed(i64),
    /// A zone with a POSIX rule (standard time and, maybe, daylight saving time).
    Rule(PosixRule),
}

/// A POSIX TZ rule such as `EST5EDT,M3.2.0,M11.1.0`, with offsets east of UTC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PosixRule {
    /// Standard time's offset east of UTC, in seconds.
    pub standard: i64,
    /// Daylight saving time: its offset and when it starts and ends, if the zone has it.
    pub daylight: Option<Daylight>,
}

/// The daylight-saving part of a POSIX rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Daylight {
    /// Offset east of UTC, in seconds.
    pub offset: i64,
    /// When it starts (local standard time).
    pub start: Change,
    /// When it ends (local daylight time).
    pub end: Change,
}

/// One yearly change of a POSIX rule: a day and a time of day (which may be negative or past 24h).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    day: ChangeDay,
    /// Seconds after local midnight of that day.
    time: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum ChangeDay {
    /// `Mm.w.d`: weekday `d` (0 = Sunday) of week `w` (5 = last) of month `m`.
    Month { month: u32, week: u32, weekday: u32 },
    /// `Jn`: day 1–365, February 29th never counted.
    Julian(u32),
    /// `n`: day 0–365, February 29th counted.
    Zero(u32),
}

/// How a local wall-clock time maps to instants in a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Local {
    /// Exactly one instant.
    Unique(Millis),
    /// None: the clocks jumped over it. The instant it names read with the offset from before
    /// the jump (02:30 on a spring-forward night is 03:30 daylight time), as java.time does.
    Gap(Millis),
    /// Two instants (the clocks fell back over it): the first and the second.
    Fold(Millis, Millis),
}

impl TimeZone {
    /// UTC.
    pub const UTC: TimeZone = TimeZone::Fixed(0);

    /// Reads a `ScheduleExpressionTimezone`: an IANA name (`America/New_York`), `UTC`, a
    /// fixed-offset zone (`Etc/GMT-1`) or an offset (`+05:30`, `UTC-03:00`).
    pub fn parse(zone: &str) -> Result<TimeZone, ScheduleError> {
        let z = zone.trim();
        if let Some(rule) = lookup(z) {
            return PosixRule::parse(rule)
                .map(|r| match r.daylight {
                    None => TimeZone::Fixed(r.standard),
                    Some(_) => TimeZone::Rule(r),
                })
                .ok_or_else(|| ScheduleError::TimeZone {
                    zone: zone.to_owned(),
                    suggestions: Vec::new(),
                });
        }
        fixed_offset(z)
            .map(TimeZone::Fixed)
            .ok_or_else(|| ScheduleError::TimeZone {
                zone: zone.to_owned(),
                suggestions: suggest(z),
            })
    }

    /// The offset east of UTC, in seconds, at an instant.
    pub fn offset_at(&self, at: Millis) -> i64 {
        match self {
            TimeZone::Fixed(o) => *o,
            TimeZone::Rule(r) => r.offset_at(at.div_euclid(1000)),
        }
    }

    /// The smallest and largest offsets (seconds east of UTC) the zone uses.
    pub fn offset_range(&self) -> (i64, i64) {
        match self {
            TimeZone::Fixed(o) => (*o, *o),
            TimeZone::Rule(r) => {
                let d = r.daylight.as_ref().map_or(r.standard, |d| d.offset);
                (r.standard.min(d), r.standard.max(d))
            }
        }
    }

    /// The instants a local wall-clock time (milliseconds as if it were UTC) names.
    pub fn resolve(&self, local: Millis) -> Local {
        let (lo, hi) = self.offset_range();
        let valid = |off: i64| {
            let at = local - off * 1000;
            (self.offset_at(at) == off).then_some(at)
        };
        // A larger offset east gives an earlier instant.
        match (valid(hi), valid(lo)) {
            (Some(a), Some(b)) if a != b => Local::Fold(a, b),
            (Some(a), _) | (None, Some(a)) => Local::Unique(a),
            (None, None) => Local::Gap(local - lo * 1000),
        }
    }
}

impl PosixRule {
    /// Reads a POSIX TZ rule (`std offset [dst [offset] [,start[/time],end[/time]]]`).
    pub fn parse(text: &str) -> Option<PosixRule> {
        let mut p = Cursor(text.as_bytes());
        p.name()?;
        let standard = -p.duration()?;
        if p.0.is_empty() {
            return Some(PosixRule {
                standard,
                daylight: None,
            });
        }
        p.name()?;
        let offset = if p.0.first().is_some_and(|c| *c != b',') {
            -p.duration()?
        } else {
            standard + HOUR
        };
        let start = p.change()?;
        let end = p.change()?;
        p.0.is_empty().then_some(PosixRule {
            standard,
            daylight: Some(Daylight { offset, start, end }),
        })
    }

    fn offset_at(&self, secs: i64) -> i64 {
        let Some(d) = &self.daylight else {
            return self.standard;
        };
        let year = time::civil_from_days((secs + self.standard).div_euclid(86_400)).0;
        // The latest change at or before `secs`, over the neighbouring years.
        let mut latest: Option<(i64, i64)> = None;
        for y in year - 1..=year + 1 {
            let on = d.start.local_secs(y) - self.standard;
            let off = d.end.local_secs(y) - d.offset;
            for (at, offset) in [(on, d.offset), (off, self.standard)] {
                if at <= secs && latest.is_none_or(|(t, _)| at > t) {
                    latest = Some((at, offset));
                }
            }
        }
        latest.map_or(self.standard, |(_, o)| o)
    }
}

impl Change {
    /// Seconds since the epoch, read as UTC, of this change's local time in `year`.
    fn local_secs(&self, year: i64) -> i64 {
        let day = match self.day {
            ChangeDay::Month {
                month,
                week,
                weekday,
            } => {
                let first = time::days_from_civil(year, month, 1);
                // 1970-01-01 was a Thursday (4).
                let first_wd = (first + 4).rem_euclid(7);
                let mut d = first
                    + (i64::from(weekday) - first_wd).rem_euclid(7)
                    + 7 * (i64::from(week) - 1);
                let next_month = if month == 12 {
                    time::days_from_civil(year + 1, 1, 1)
                } else {
                    time::days_from_civil(year, month + 1, 1)
                };
                while d >= next_month {
                    d -= 7;
                }
                d
            }
            ChangeDay::Julian(n) => {
                let leap = time::days_in_month(year, 2) == 29;
                let skip = i64::from(leap && n >= 60);
                time::days_from_civil(year, 1, 1) + i64::from(n) - 1 + skip
            }
            ChangeDay::Zero(n) => time::days_from_civil(year, 1, 1) + i64::from(n),
        };
        day * 86_400 + self.time
    }
}

struct Cursor<'a>(&'a [u8]);

impl Cursor<'_> {
    fn eat(&mut self, c: u8) -> bool {
        let hit = self.0.first() == Some(&c);
        if hit {
            self.0 = &self.0[1..];
        }
        hit
    }

    /// A zone abbreviation: letters, or `<…>` quoted.
    fn name(&mut self) -> Option<()> {
        if self.eat(b'<') {
            let end = self.0.iter().position(|c| *c == b'>')?;
            self.0 = &self.0[end + 1..];
            return Some(());
        }
        let n = self
            .0
            .iter()
            .take_while(|c| c.is_ascii_alphabetic())
            .count();
        self.0 = &self.0[n..];
        (n >= 3).then_some(())
    }

    fn number(&mut self) -> Option<i64> {
        let n = self.0.iter().take_while(|c| c.is_ascii_digit()).count();
        let text = std::str::from_utf8(&self.0[..n]).ok()?;
        self.0 = &self.0[n..];
        text.parse().ok()
    }

    /// `[+-]hh[:mm[:ss]]`, in seconds.
    fn duration(&mut self) -> Option<i64> {
        let sign = if self.eat(b'-') {
            -1
        } else {
            self.eat(b'+');
            1
        };
        let mut secs = self.number()? * HOUR;
        if self.eat(b':') {
            secs += self.number()? * 60;
            if self.eat(b':') {
                secs += self.number()?;
            }
        }
        Some(sign * secs)
    }

    /// `,Mm.w.d[/time]`, `,Jn[/time]` or `,n[/time]`.
    fn change(&mut self) -> Option<Change> {
        if !self.eat(b',') {
            return None;
        }
        let day = if self.eat(b'M') {
            let month = u32::try_from(self.number()?).ok()?;
            self.eat(b'.').then_some(())?;
            let week = u32::try_from(self.number()?).ok()?;
            self.eat(b'.').then_some(())?;
            let weekday = u32::try_from(self.number()?).ok()?;
            ((1..=12).contains(&month) && (1..=5).contains(&week) && weekday <= 6).then_some(
                ChangeDay::Month {
                    month,
                    week,
                    weekday,
                },
            )?
        } else if self.eat(b'J') {
            let n = u32::try_from(self.number()?).ok()?;
            (1..=365).contains(&n).then_some(ChangeDay::Julian(n))?
        } else {
            let n = u32::try_from(self.number()?).ok()?;
            (n <= 365).then_some(ChangeDay::Zero(n))?
        };
        let time = if self.eat(b'/') {
            self.duration()?
        } else {
            2 * HOUR
        };
        Some(Change { day, time })
    }
}

/// The POSIX rule of an IANA zone name, exactly as the tz database spells it.
fn lookup(name: &str) -> Option<&'static str> {
    if name.is_empty() || name.contains(char::is_whitespace) {
        return None;
    }
    ZONES
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .find(|(_, names)| names.split(' ').any(|n| n == name))
        .map(|(rule, _)| rule)
}

/// Every IANA zone name statebridge knows.
pub fn zone_names() -> impl Iterator<Item = &'static str> {
    ZONES
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .flat_map(|(_, names)| names.split(' '))
}

/// `UTC±hh:mm`, `GMT±hh`, `±hh:mm` (seconds east of UTC).
fn fixed_offset(z: &str) -> Option<i64> {
    let offset = z
        .strip_prefix("UTC")
        .or_else(|| z.strip_prefix("GMT"))
        .unwrap_or(z);
    let (sign, rest) = match offset.split_at_checked(1) {
        Some(("+", r)) => (1, r),
        Some(("-", r)) => (-1, r),
        _ => return None,
    };
    let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
    let h: i64 = h.parse().ok().filter(|h| *h <= 14)?;
    let m: i64 = m.parse().ok().filter(|m| *m < 60)?;
    Some(sign * (h * HOUR + m * 60))
}

/// Up to three known names close to an unknown one: the same city in another spelling
/// (case, spaces for underscores), then the fewest edits.
fn suggest(z: &str) -> Vec<String> {
    let norm = |s: &str| s.to_ascii_lowercase().replace([' ', '-'], "_");
    let want = norm(z);
    let want_city = want.rsplit('/').next().unwrap_or(&want).to_owned();
    let mut scored: Vec<(usize, &str)> = zone_names()
        .map(|n| {
            let have = norm(n);
            let city = have.rsplit('/').next().unwrap_or(&have);
            let score = if have == want {
                0
            } else if city == want_city {
                1
            } else {
                2 + edits(&want, &have).min(edits(&want_city, city) + 2)
            };
            (score, n)
        })
        .collect();
    scored.sort();
    let best = scored.first().map_or(0, |(s, _)| *s);
    let limit = (2 + want.len() / 3).min(best + 1);
    scored
        .into_iter()
        .filter(|(s, _)| *s <= limit)
        .take(3)
        .map(|(_, n)| n.to_owned())
        .collect()
}

/// Levenshtein distance over bytes.
fn edits(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(t: &str) -> Millis {
        time::parse_rfc3339(t).unwrap_or(Millis::MIN)
    }

    fn zone(name: &str) -> TimeZone {
        TimeZone::parse(name).unwrap_or(TimeZone::Fixed(i64::MIN))
    }

    #[test]
    fn names_read_through_their_rules() {
        assert_eq!(zone("UTC"), TimeZone::Fixed(0));
        assert_eq!(zone("Etc/GMT+5"), TimeZone::Fixed(-5 * HOUR));
        assert_eq!(zone("Etc/GMT-1"), TimeZone::Fixed(HOUR));
        assert_eq!(zone("Asia/Kolkata"), TimeZone::Fixed(5 * HOUR + 1800));
        assert_eq!(zone("+05:30"), TimeZone::Fixed(5 * HOUR + 1800));
        assert_eq!(zone("UTC-03:00"), TimeZone::Fixed(-3 * HOUR));
        let ny = zone("America/New_York");
        assert_eq!(ny.offset_at(ms("2026-01-15T12:00:00Z")), -5 * HOUR);
        assert_eq!(ny.offset_at(ms("2026-07-15T12:00:00Z")), -4 * HOUR);
        // Spring forward 2026-03-08 at 02:00 EST (07:00Z), fall back 2026-11-01 at 02:00 EDT.
        assert_eq!(ny.offset_at(ms("2026-03-08T06:59:59Z")), -5 * HOUR);
        assert_eq!(ny.offset_at(ms("2026-03-08T07:00:00Z")), -4 * HOUR);
        assert_eq!(ny.offset_at(ms("2026-11-01T05:59:59Z")), -4 * HOUR);
        assert_eq!(ny.offset_at(ms("2026-11-01T06:00:00Z")), -5 * HOUR);
        // Southern hemisphere: Sydney's daylight time spans the new year.
        let syd = zone("Australia/Sydney");
        assert_eq!(syd.offset_at(ms("2026-01-15T00:00:00Z")), 11 * HOUR);
        assert_eq!(syd.offset_at(ms("2026-06-15T00:00:00Z")), 10 * HOUR);
        // Negative daylight time (Dublin's winter is its "daylight" offset 0) and times past 24h.
        let dub = zone("Europe/Dublin");
        assert_eq!(dub.offset_at(ms("2026-01-15T12:00:00Z")), 0);
        assert_eq!(dub.offset_at(ms("2026-07-15T12:00:00Z")), HOUR);
        let jer = zone("Asia/Jerusalem");
        // Friday before the last Sunday of March, 02:00 local (M3.4.4/26): 2026-03-27.
        assert_eq!(jer.offset_at(ms("2026-03-26T23:59:59Z")), 2 * HOUR);
        assert_eq!(jer.offset_at(ms("2026-03-27T00:00:00Z")), 3 * HOUR);
    }

    #[test]
    fn gaps_and_folds() {
        let ny = zone("America/New_York");
        assert_eq!(
            ny.resolve(ms("2026-03-08T02:30:00Z")),
            Local::Gap(ms("2026-03-08T07:30:00Z"))
        );
        assert_eq!(
            ny.resolve(ms("2026-11-01T01:30:00Z")),
            Local::Fold(ms("2026-11-01T05:30:00Z"), ms("2026-11-01T06:30:00Z"))
        );
        assert_eq!(
            ny.resolve(ms("2026-11-01T02:30:00Z")),
            Local::Unique(ms("2026-11-01T07:30:00Z"))
        );
        // Lord Howe moves by half an hour: 02:00–02:30 is skipped on 2026-10-04.
        let lh = zone("Australia/Lord_Howe");
        assert!(matches!(
            lh.resolve(ms("2026-10-04T02:15:00Z")),
            Local::Gap(_)
        ));
        assert_eq!(
            lh.resolve(ms("2026-10-04T02:30:00Z")),
            Local::Unique(ms("2026-10-03T15:30:00Z"))
        );
    }

    #[test]
    fn unknown_zones_name_close_ones() {
        let err = |z: &str| match TimeZone::parse(z) {
            Err(ScheduleError::TimeZone { suggestions, .. }) => suggestions,
            _ => vec!["parsed".to_owned()],
        };
        assert_eq!(err("america/new york"), ["America/New_York"]);
        assert!(err("Kolkata").contains(&"Asia/Kolkata".to_owned()));
        assert!(err("Europe/Berln").contains(&"Europe/Berlin".to_owned()));
        assert!(err("Mars/Olympus_Mons").is_empty());
    }

    #[test]
    fn every_rule_in_the_table_reads() {
        for line in ZONES.lines().filter(|l| !l.starts_with('#')) {
            let rule = line.split('\t').next().unwrap_or("");
            assert!(PosixRule::parse(rule).is_some(), "{rule}");
        }
        assert!(zone_names().count() > 500);
    }
}
