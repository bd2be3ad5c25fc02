//! `cargo xtask test` and `cargo xtask mock`: install the pinned npm and PyPI tools into
//! `.tools/` (skipping what is already installed at the pinned version), then run things.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

/// Installs the pinned tools, then runs every check of the project.
pub fn test(root: &Path, cargo_test_args: &[String]) -> Result<bool> {
    let started = Instant::now();
    install(root)?;
    let tools = root.join(".tools");

    step("build with zero warnings", || no_warnings(root))?;
    step("the native-tls feature compiles", || {
        run(Command::new("cargo").current_dir(root).args([
            "check",
            "--package",
            "opentact-client",
            "--no-default-features",
            "--features",
            "native-tls",
            "--locked",
        ]))
    })?;
    step("cargo test", || {
        run(Command::new("cargo")
            .current_dir(root)
            .args(["test", "--workspace", "--locked"])
            .args(cargo_test_args)
            .env("OPENTACT_TOOLS_DIR", &tools))
    })?;
    step("cargo doc (no broken links)", || {
        run(Command::new("cargo")
            .current_dir(root)
            .args(["doc", "--package", "opentact-client", "--features", "mock", "--no-deps", "--locked"])
            .env("RUSTDOCFLAGS", "-D warnings"))
    })?;
    println!("all checks passed in {:.0} s", started.elapsed().as_secs_f64());
    Ok(true)
}

/// Serves a Prism mock of the spec until interrupted.
pub fn mock(root: &Path, port: Option<u16>, dynamic: bool) -> Result<bool> {
    install_npm(root)?;
    let args: &[&str] = if dynamic { &["--dynamic", "--seed", "opentact"] } else { &[] };
    println!("starting Prism on spec/opentact.yaml (it takes about a minute to read the spec)...");
    let spec = root.join("spec/opentact.yaml");
    let prism = opentact_tests::Prism::start(&spec, port.unwrap_or(0), args).map_err(anyhow::Error::msg)?;
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

fn step(name: &str, f: impl FnOnce() -> Result<()>) -> Result<()> {
    let started = Instant::now();
    println!("==> {name}");
    f().with_context(|| format!("{name} failed"))?;
    println!("==> {name}: ok ({:.1} s)", started.elapsed().as_secs_f64());
    Ok(())
}

fn run(command: &mut Command) -> Result<()> {
    let status = command.status().with_context(|| format!("cannot run {command:?}"))?;
    if !status.success() {
        bail!("{command:?} exited with {status}");
    }
    Ok(())
}

/// Installs both tool sets. Each is reinstalled only when its pin file changed.
pub fn install(root: &Path) -> Result<()> {
    install_npm(root)?;
    install_python(root)?;
    Ok(())
}

/// npm tools into `.tools/node`, exactly as `tools/package-lock.json` pins them.
fn install_npm(root: &Path) -> Result<()> {
    let dir = root.join(".tools/node");
    let lock = std::fs::read(root.join("tools/package-lock.json")).context("reading tools/package-lock.json")?;
    let installed = std::fs::read(dir.join("package-lock.json")).ok();
    if installed.as_deref() == Some(lock.as_slice()) && dir.join("node_modules/.bin/prism").exists() {
        return Ok(());
    }
    step("install pinned npm tools into .tools/node", || {
        std::fs::create_dir_all(&dir)?;
        std::fs::copy(root.join("tools/package.json"), dir.join("package.json"))?;
        std::fs::write(dir.join("package-lock.json"), &lock)?;
        run(Command::new("npm").current_dir(&dir).args(["ci", "--no-audit", "--no-fund"]))
    })
}

/// PyPI tools into the virtualenv `.tools/venv`, exactly as `tools/requirements.txt` pins them.
fn install_python(root: &Path) -> Result<()> {
    let venv = root.join(".tools/venv");
    let pins = std::fs::read(root.join("tools/requirements.txt")).context("reading tools/requirements.txt")?;
    let stamp = venv.join("requirements.installed.txt");
    if std::fs::read(&stamp).ok().as_deref() == Some(pins.as_slice()) && venv.join("bin/python").exists() {
        return Ok(());
    }
    step("install pinned PyPI tools into .tools/venv", || {
        if venv.exists() {
            std::fs::remove_dir_all(&venv)?;
        }
        run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
        let requirements = root.join("tools/requirements.txt");
        run(Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check", "--no-deps", "-r"])
            .arg(&requirements))?;
        // The stamp is written last: an interrupted install is redone next time.
        std::fs::write(&stamp, &pins)?;
        Ok(())
    })
}

/// Builds every workspace target and fails on any compiler warning in the workspace's own
/// crates (generated code included).
fn no_warnings(root: &Path) -> Result<()> {
    let output = Command::new("cargo")
        .current_dir(root)
        .args([
            "check",
            "--workspace",
            "--all-targets",
            "--features",
            "opentact-client/mock",
            "--locked",
            "--message-format=json",
        ])
        .output()
        .context("running cargo check")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut warnings = 0;
    for line in stdout.lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        let is_warning = message["reason"] == "compiler-message" && message["message"]["level"] == "warning";
        if is_warning {
            warnings += 1;
            eprint!("{}", message["message"]["rendered"].as_str().unwrap_or_default());
        }
    }
    if !output.status.success() {
        eprint!("{}", String::from_utf8_lossy(&output.stderr));
        bail!("cargo check failed");
    }
    if warnings > 0 {
        bail!("{warnings} compiler warnings");
    }
    Ok(())
}
