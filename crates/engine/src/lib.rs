//! statebridge's engine: EventBridge event patterns, target input transformation, bus routing and an
//! Amazon States Language interpreter with mocks and a virtual clock, in pure Rust (no I/O, no web).
//!
//! Every part is deterministic: the same inputs give the same outputs, byte for byte, so executions
//! can be shared, replayed and tested.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod archive;
pub mod artifacts;
pub mod asl;
pub mod assist;
pub mod base64;
pub mod bus;
pub mod eventsv2;
pub mod exercise;
pub(crate) mod fasthash;
pub mod intrinsics;
pub mod jsonata;
pub mod jsonpath;
pub mod layout;
pub mod number;
pub mod pattern;
pub mod pipes;
pub mod put_events;
pub mod schedule;
pub mod size;
pub mod source;
pub mod splitmix;
pub mod system;
pub mod transform;
pub mod workspace;

/// Reads an optional member that is left out when absent: a present `null` is `Some` of what
/// `null` reads as (a JSON `null` value stays a value), so what was serialised reads back the
/// same (the playground passes results from its worker this way).
pub(crate) fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}
