//! What happens on the clock rather than because of an event: scheduled rules and EventBridge
//! Scheduler schedules firing over the run's window, and the declared replays.
//!
//! Choices where AWS's documentation is silent, made so that a run reads as a learner expects:
//! - A rate counts from the run's start (a rule is "created" then) or from a schedule's
//!   `StartDate`: `rate(5 minutes)` first fires five minutes in.
//! - A flexible window's offset is drawn from the run's seed, the schedule's name and the
//!   firing's number (whole seconds in `[0, MaximumWindowInMinutes)`), so a run repeats.
//! - Scheduler's context attributes in `Input` (`<aws.scheduler.schedule-arn>`,
//!   `<aws.scheduler.scheduled-time>`, `<aws.scheduler.execution-id>`,
//!   `<aws.scheduler.attempt-number>`) are filled in when the schedule fires; the attempt
//!   number is always 1 (a retry sends the same text).
//! - A schedule with an event bus target puts one event: `source` and `detail-type` from
//!   `EventBridgeParameters`, `detail` the Input, `resources` the schedule's ARN.
//! - A replay starts when the run is quiet and puts its events back at that moment, in the
//!   order they arrived (EventBridge replays minute by minute and does not promise the order).

use super::{
    Failure, Firing, FiringKind, Job, Only, Origin, ReplayRecord, SCHEDULER_LANE, SystemRun,
    Window,
    events::{self, whole_seconds},
    failure,
};
use crate::archive::Replay;
use crate::asl::time::{self, Millis};
use crate::bus::BusTarget;
use crate::put_events::{DEFAULT_BUS, Put};
use crate::splitmix::SplitMix64;
use crate::system::{BusEvent, Delivery, DeliveryOutcome};
use crate::transform::Delivered;
use serde_json::{Value, json};
use std::rc::Rc;

impl SystemRun<'_> {
    /// Puts `put` on its buses (when given), fires the schedules over the window from then,
    /// runs until nothing is left, then starts each declared replay and runs on.
    pub fn play(&mut self, put: Option<&Put>) {
        if let Some(put) = put {
            self.put_all(put);
        }
        self.schedule_firings();
        self.start_pipes();
        self.run_eventsv2();
        self.forward_from_eventsv2();
        self.run();
        let replays = self.system.bus.replays.clone();
        for r in &replays {
            self.start_replay(r);
            self.run();
        }
        self.finish_pipes();
    }

    /// Queues every firing of the scheduled rules and Scheduler schedules in the window that
    /// starts now.
    pub fn schedule_firings(&mut self) {
        let system = self.system;
        let bus = &system.bus;
        let opts = &system.options;
        let has_rules = bus.rules.iter().any(|r| r.schedule.is_some());
        if !has_rules && bus.schedules.is_empty() {
            return;
        }
        let from = self.clock;
        let until = from.saturating_add(opts.window_seconds.max(0).saturating_mul(1000));
        self.report.schedule_window = Some(Window {
            from: time::format_millis(from),
            until: time::format_millis(until),
        });
        let max = opts.max_firings;
        let mut planned: Vec<(Millis, Millis, FiringKind, String, String)> = Vec::new();
        for rule in bus
            .rules
            .iter()
            .filter(|r| r.state == crate::bus::RuleState::Enabled)
        {
            let Some((text, expr)) = &rule.schedule else {
                continue;
            };
            let times = expr.firings(from, from, until, &crate::schedule::TimeZone::UTC, max + 1);
            if times.len() > max {
                self.report
                    .firings_cut
                    .push(format!("rule `{}`", rule.name));
            }
            for t in times.into_iter().take(max) {
                planned.push((t, t, FiringKind::Rule, rule.name.clone(), text.clone()));
            }
        }
        for s in bus.schedules.iter().filter(|s| s.enabled) {
            let lo = s.start.map_or(from, |st| st.max(from));
            let hi = s.end.map_or(until, |e| e.min(until));
            let anchor = s.start.unwrap_or(from);
            let times = s.expression.firings(anchor, lo, hi, &s.zone, max + 1);
            if times.len() > max {
                self.report
                    .firings_cut
                    .push(format!("schedule `{}`", s.name));
            }
            for (k, t) in times.into_iter().take(max).enumerate() {
                let offset = s.flexible_minutes.map_or(0, |m| {
                    let mut rng = SplitMix64::new(
                        opts.seed ^ name_hash(&s.name) ^ (k as u64).wrapping_mul(SplitMix64::GAMMA),
                    );
                    (rng.next_u64() % (u64::from(m) * 60)) as Millis * 1000
                });
                planned.push((
                    t,
                    t + offset,
                    FiringKind::Schedule,
                    s.name.clone(),
                    s.expression_text.clone(),
                ));
            }
        }
        planned.sort_by_key(|p| p.1);
        for (scheduled, at, kind, name, expression) in planned {
            let firing = self.report.firings.len();
            self.report.firings.push(Firing {
                kind,
                name: name.clone(),
                expression,
                scheduled: time::format_millis(scheduled),
                time: time::format_millis(at),
                millis: at,
                event: None,
            });
            let job = match kind {
                FiringKind::Rule => Job::Ingest {
                    bus: DEFAULT_BUS.to_owned(),
                    event: self.scheduled_event(&name, at),
                    origin: Origin::Scheduled {
                        rule: name.clone(),
                        firing,
                    },
                    only: Only::Scheduled(name),
                },
                FiringKind::Schedule => Job::Fire { firing },
            };
            self.schedule(at, job);
        }
    }

    /// The "Scheduled Event" a rule's schedule sends its targets (`resources`: the rule's ARN).
    fn scheduled_event(&self, rule: &str, at: Millis) -> Value {
        let o = &self.system.options;
        json!({
            "version": "0",
            "id": "",
            "detail-type": "Scheduled Event",
            "source": "aws.events",
            "account": o.account,
            "time": whole_seconds(at),
            "region": o.region,
            "resources": [format!("arn:aws:events:{}:{}:rule/{rule}", o.region, o.account)],
            "detail": {},
        })
    }

    /// A Scheduler schedule fires: its target receives its Input (context attributes filled in).
    pub(super) fn fire(&mut self, firing: usize) {
        let Some(f) = self.report.firings.get(firing).cloned() else {
            return;
        };
        let Some(schedule) = self.system.bus.schedules.iter().find(|s| s.name == f.name) else {
            return;
        };
        let origin = Origin::Schedule {
            name: f.name.clone(),
            firing,
        };
        if self.over_cap(&origin) {
            return;
        }
        let o = &self.system.options;
        let index = self.report.events.len();
        let execution_id = events::uuid(o.seed ^ 0x5c4e_d01e, firing as u64);
        let text = schedule
            .target
            .input
            .as_deref()
            .unwrap_or("{}")
            .replace(
                "<aws.scheduler.schedule-arn>",
                &schedule.arn(&o.region, &o.account),
            )
            .replace(
                "<aws.scheduler.scheduled-time>",
                &whole_seconds(time::parse_rfc3339(&f.scheduled).unwrap_or(f.millis)),
            )
            .replace("<aws.scheduler.execution-id>", &execution_id)
            .replace("<aws.scheduler.attempt-number>", "1");
        let json = serde_json::from_str::<Value>(&text).ok();
        let d = self.report.deliveries.len();
        self.report.deliveries.push(Delivery {
            event: index,
            rule: schedule.name.clone(),
            target: schedule.name.clone(),
            arn: schedule.target.target.arn.clone(),
            input: Ok(Delivered {
                text: text.clone(),
                json: json.clone(),
            }),
            attempts: Vec::new(),
            outcome: DeliveryOutcome::Pending,
        });
        if let Some(rec) = self.report.firings.get_mut(firing) {
            rec.event = Some(index);
        }
        self.report.events.push(BusEvent {
            index,
            id: execution_id,
            bus: SCHEDULER_LANE.to_owned(),
            time: time::format_millis(self.clock),
            millis: self.clock,
            event: json.unwrap_or(Value::String(text)),
            origin,
            matched: Vec::new(),
            deliveries: vec![d],
            archived: false,
            archives: Vec::new(),
        });
        self.schedule(
            self.clock,
            Job::Attempt {
                delivery: d,
                attempt: 0,
            },
        );
    }

    /// A schedule whose target is an event bus puts one event on it.
    pub(super) fn put_from_schedule(
        &mut self,
        d: &Delivery,
        to: &BusTarget,
    ) -> Result<(), Failure> {
        let Some(schedule) = self.system.bus.schedules.iter().find(|s| s.name == d.rule) else {
            return Ok(());
        };
        let Some((source, detail_type)) = &schedule.target.event_bridge else {
            return Err(failure(
                "ValidationException",
                "an event bus target needs EventBridgeParameters",
            ));
        };
        let detail = match &d.input {
            Ok(Delivered {
                json: Some(v @ Value::Object(_)),
                ..
            }) => v.clone(),
            _ => {
                return Err(Failure {
                    code: "ValidationException",
                    message:
                        "the schedule's Input is the event's detail, so it must be a JSON object"
                            .into(),
                    retryable: false,
                });
            }
        };
        let o = &self.system.options;
        let firing = match self.report.events.get(d.event).map(|e| &e.origin) {
            Some(Origin::Schedule { firing, .. }) => *firing,
            _ => 0,
        };
        let event = json!({
            "version": "0",
            "id": "",
            "detail-type": detail_type,
            "source": source,
            "account": o.account,
            "time": whole_seconds(self.clock),
            "region": o.region,
            "resources": [schedule.arn(&o.region, &o.account)],
            "detail": detail,
        });
        let origin = Origin::Schedule {
            name: schedule.name.clone(),
            firing,
        };
        self.schedule(
            self.clock,
            Job::Ingest {
                bus: to.key(&o.account, &o.region),
                event,
                origin,
                only: Only::All,
            },
        );
        Ok(())
    }

    /// Starts a declared replay now: the events its archive kept in `[EventStartTime,
    /// EventEndTime)`, still within the archive's retention, back on the bus with
    /// `replay-name`, seen by every rule of the bus or only by the `FilterArns` rules.
    pub fn start_replay(&mut self, replay: &Replay) -> usize {
        let retention = self
            .system
            .bus
            .archives
            .iter()
            .find(|a| a.name == replay.archive)
            .map_or(0, |a| a.retention_days);
        let oldest = if retention == 0 {
            Millis::MIN
        } else {
            self.clock - Millis::from(retention) * 86_400_000
        };
        let chosen: Vec<(usize, Value)> = self
            .report
            .events
            .iter()
            .filter(|e| e.archives.contains(&replay.archive))
            .filter(|e| e.millis >= replay.from && e.millis < replay.to && e.millis >= oldest)
            .map(|e| (e.index, e.event.clone()))
            .collect();
        let only = match &replay.rules {
            Some(names) => Only::Rules(Rc::new(names.clone())),
            None => Only::All,
        };
        for (of, mut event) in chosen.iter().cloned() {
            if let Some(obj) = event.as_object_mut() {
                obj.insert("replay-name".into(), json!(replay.name));
            }
            let origin = Origin::Replay {
                name: replay.name.clone(),
                of,
            };
            self.schedule(
                self.clock,
                Job::Ingest {
                    bus: replay.bus.clone(),
                    event,
                    origin,
                    only: only.clone(),
                },
            );
        }
        self.report.replays.push(ReplayRecord {
            name: replay.name.clone(),
            archive: replay.archive.clone(),
            bus: replay.bus.clone(),
            time: time::format_millis(self.clock),
            from: time::format_millis(replay.from),
            to: time::format_millis(replay.to),
            events: chosen.len(),
            rules: replay.rules.clone(),
        });
        chosen.len()
    }
}

/// A stable hash of a name, to seed its flexible window (FNV-1a).
fn name_hash(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}
