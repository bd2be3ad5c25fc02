//! `cargo xtask test`: installs the pinned npm and PyPI tools into `.tools/` (opentact-devtools
//! skips what is already installed at the pinned version), then runs every check of the
//! project, the gate CI runs.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::Result;
use opentact_devtools::{install, run, step};

use crate::Outcome;

/// Installs the pinned tools (an error when that fails), then runs every check of the project;
/// `Failure` at the first step that fails. Each step prints its time.
pub fn test(root: &Path, cargo_test_args: &[String]) -> Result<Outcome> {
    install(root)?;
    match steps(root, cargo_test_args) {
        Ok(()) => Ok(Outcome::Success),
        Err(e) => {
            eprintln!("error: {e:#}");
            Ok(Outcome::Failure)
        }
    }
}

fn steps(root: &Path, cargo_test_args: &[String]) -> Result<()> {
    let started = Instant::now();
    let cargo = |args: &[&str]| {
        let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        command.current_dir(root).args(args);
        command
    };

    step("cargo fmt --check", || run(&mut cargo(&["fmt", "--all", "--check"])))?;
    // Clippy type-checks every target of the workspace, so it is also the zero-warnings build:
    // with -D warnings any compiler warning (generated code included) fails it.
    step("cargo clippy (zero warnings)", || {
        run(&mut cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--features",
            "opentact-client/mock",
            "--locked",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    step("the rustls feature compiles", || {
        run(&mut cargo(&[
            "check",
            "--package",
            "opentact-client",
            "--no-default-features",
            "--features",
            "rustls",
            "--locked",
        ]))
    })?;
    // The package builds alone, from its own tarball (what a user of the registry would get).
    step("cargo package -p opentact-client", || {
        run(&mut cargo(&["package", "--package", "opentact-client", "--allow-dirty", "--locked"]))
    })?;
    step("cargo test", || {
        run(cargo(&["test", "--workspace", "--locked"])
            .args(cargo_test_args)
            .env("OPENTACT_TOOLS_DIR", root.join(".tools")))
    })?;
    step("cargo doc (no broken links)", || {
        run(cargo(&["doc", "--package", "opentact-client", "--all-features", "--no-deps", "--locked"])
            .env("RUSTDOCFLAGS", "-D warnings"))
    })?;
    println!("all checks passed in {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}
