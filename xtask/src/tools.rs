//! `cargo xtask test` and `cargo xtask mock`: install the pinned npm and PyPI tools into
//! `.tools/` (opentact-devtools skips what is already installed at the pinned version), then
//! run things.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::Result;
use opentact_devtools::{DYNAMIC_ARGS, Prism, install, install_npm, run, step, target_dir, write_acyclic};

/// Installs the pinned tools, then runs every check of the project. Each step prints its time.
pub fn test(root: &Path, cargo_test_args: &[String]) -> Result<bool> {
    let started = Instant::now();
    install(root)?;
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
    step("cargo test", || {
        run(cargo(&["test", "--workspace", "--locked"])
            .args(cargo_test_args)
            .env("OPENTACT_TOOLS_DIR", root.join(".tools")))
    })?;
    step("cargo doc (no broken links)", || {
        run(cargo(&["doc", "--package", "opentact-client", "--features", "mock", "--no-deps", "--locked"])
            .env("RUSTDOCFLAGS", "-D warnings"))
    })?;
    println!("all checks passed in {:.0} s", started.elapsed().as_secs_f64());
    Ok(true)
}

/// Serves a Prism mock of the spec until interrupted. Prism serves the acyclic copy of the spec
/// (opentact-devtools' `mock_spec`, written under target/mock/): on the recursive spec itself
/// it needs about a minute to start and seconds per request, and cannot generate random data.
pub fn mock(root: &Path, port: Option<u16>, dynamic: bool) -> Result<bool> {
    install_npm(root)?;
    let spec = match opentact_codegen::load(&root.join(crate::SPEC)) {
        Ok(spec) => spec,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(false);
        }
    };
    let served = write_acyclic(&spec.json, &target_dir().join("mock"))?;
    let mut args = Vec::new();
    if dynamic {
        args.extend(["--dynamic", "--seed", "opentact"]);
        args.extend(DYNAMIC_ARGS);
    }
    println!("starting Prism on {} (from {})...", served.display(), crate::SPEC);
    let prism = Prism::start(&served, port.unwrap_or(0), &args).map_err(anyhow::Error::msg)?;
    println!("Opentact mock listening on {}", prism.base_url);
    println!(
        "  OPENTACT_BASE_URL={} OPENTACT_TOKEN=any cargo run -p opentact-client --example list_sip_control_apps",
        prism.base_url
    );
    println!("  curl -H 'X-Auth-Token: any' {}/sip/app", prism.base_url);
    println!("press Ctrl-C to stop");
    prism.wait()?;
    Ok(true)
}
