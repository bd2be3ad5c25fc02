//! How every command ends, and the one place that turns it into an exit code.

use anyhow::Result;

/// How a command that ran to its end came out. Every command returns `Result<Outcome>`, and
/// [`exit_code`] maps it to the process's exit code, the same for every command:
///
/// | code | meaning |
/// |---|---|
/// | 0 | [`Outcome::Success`] |
/// | 1 | [`Outcome::Failure`]: the command ran and its answer is no: lint errors, generated code out of date, a spec that cannot be generated from, a breaking change with `diff --fail-on-breaking`, unexplained differences or stale errata (`docs-check`), a failed step of `test`, a failed fuzz case |
/// | 2 | an `Err`: the command could not do its job: a file, git revision or tool it needs is missing or unreadable, a spec to compare that does not load (`diff`, `docs-check`, `release`), a refused request (`release` below the verdict) or a usage error (clap's own are 2 as well) |
#[must_use]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Failure,
}

impl Outcome {
    /// `Success` when `ok`, else `Failure`.
    pub fn from_success(ok: bool) -> Outcome {
        if ok { Outcome::Success } else { Outcome::Failure }
    }
}

/// Exit code of [`Outcome::Success`].
pub const SUCCESS: u8 = 0;
/// Exit code of [`Outcome::Failure`].
pub const FAILURE: u8 = 1;
/// Exit code of an error: the command could not do its job.
pub const ERROR: u8 = 2;

/// The exit code of a command's result (see [`Outcome`]).
pub fn exit_code(result: &Result<Outcome>) -> u8 {
    match result {
        Ok(Outcome::Success) => SUCCESS,
        Ok(Outcome::Failure) => FAILURE,
        Err(_) => ERROR,
    }
}
