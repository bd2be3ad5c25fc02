//! `cargo xtask fuzz`: runs the fuzz tests (`tests/tests/it/fuzz/`) with a time budget and,
//! optionally, a seed to replay; their output says how many cases ran.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result};

use crate::Outcome;

/// The fuzz targets (`fuzz::<target>` in the tests); the time budget is shared among them.
pub const TARGETS: usize = 3;

/// What `cargo xtask fuzz` was asked to do.
pub struct Options {
    /// Total time; each target gets an equal share.
    pub seconds: u64,
    /// Replay a run (default: a fresh seed, printed at the start).
    pub seed: Option<u64>,
    /// Build optimised.
    pub release: bool,
}

/// `Failure` when a fuzz case failed (the tests print it and save its input).
pub fn fuzz(root: &Path, options: &Options) -> Result<Outcome> {
    let mut cargo = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cargo.current_dir(root).args(["test", "--package", "opentact-tests", "--test", "it", "--locked"]);
    if options.release {
        cargo.arg("--release");
    }
    cargo.args(["--", "fuzz::", "--nocapture", "--test-threads", "1"]);
    cargo.env("OPENTACT_FUZZ_SECONDS", (options.seconds / TARGETS as u64).max(1).to_string());
    if let Some(seed) = options.seed {
        cargo.env("OPENTACT_FUZZ_SEED", seed.to_string());
    }
    let status = cargo.status().context("cannot run cargo test")?;
    Ok(Outcome::from_success(status.success()))
}
