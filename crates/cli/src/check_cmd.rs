//! `check`: a workshop exercise's checks against a learner's workspace.

/// `statebridge check EXERCISE WORKSPACE`.
pub fn check_cmd(_args: &[String]) -> u8 {
    eprintln!("statebridge check: not built yet");
    2
}
