//! Installing the pinned npm and PyPI tools into `<root>/.tools/`, skipping a set whose pin
//! file has not changed since it was installed.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

/// Installs both tool sets. Each is reinstalled only when its pin file changed.
pub fn install(root: &Path) -> Result<()> {
    install_npm(root)?;
    install_python(root)?;
    Ok(())
}

/// npm tools into `.tools/node`, exactly as `tools/package-lock.json` pins them.
pub fn install_npm(root: &Path) -> Result<()> {
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
pub fn install_python(root: &Path) -> Result<()> {
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

/// Runs one named step, printing its name before and its duration after.
pub fn step(name: &str, f: impl FnOnce() -> Result<()>) -> Result<()> {
    let started = Instant::now();
    println!("==> {name}");
    f().with_context(|| format!("{name} failed"))?;
    println!("==> {name}: ok ({:.1} s)", started.elapsed().as_secs_f64());
    Ok(())
}

/// Runs a command to completion; its failure is an error naming the command.
pub fn run(command: &mut Command) -> Result<()> {
    let status = command.status().with_context(|| format!("cannot run {command:?}"))?;
    if !status.success() {
        bail!("{command:?} exited with {status}");
    }
    Ok(())
}
