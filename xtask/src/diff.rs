//! `cargo xtask diff [BASE]` and `cargo xtask docs`: thin wrappers around `opentact_spec_tools::diff` and
//! `opentact_spec_tools::reference_spec` (git and redocly are run here; all spec knowledge is in codegen).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::SPEC;

/// How `cargo xtask diff` prints its report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Markdown,
}

/// The spec's text at git revision `base`. Errors name the revision.
pub fn spec_at(root: &Path, base: &str) -> Result<String> {
    let verify = Command::new("git")
        .current_dir(root)
        .args(["rev-parse", "--verify", "--quiet", &format!("{base}^{{commit}}")])
        .output()
        .context("cannot run git")?;
    if !verify.status.success() {
        bail!("unknown git revision `{base}` (git rev-parse found no commit by that name)");
    }
    // `./` makes the path relative to `root`, wherever the repository's top is.
    let show = Command::new("git").current_dir(root).args(["show", &format!("{base}:./{SPEC}")]).output()?;
    if !show.status.success() {
        bail!("{SPEC} does not exist at `{base}`: {}", String::from_utf8_lossy(&show.stderr).trim());
    }
    String::from_utf8(show.stdout).with_context(|| format!("{SPEC} at `{base}` is not UTF-8"))
}

/// The version of the crates (the workspace's `[workspace.package] version`).
fn client_version(root: &Path) -> Option<String> {
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).ok()?;
    let section = manifest.split("[workspace.package]").nth(1)?;
    let line = section.lines().find(|l| l.trim_start().starts_with("version"))?;
    Some(line.split('"').nth(1)?.to_string())
}

/// Compares the spec at `base` with the working copy. Any error (unknown revision, a spec
/// that does not load or generate on either side) is returned, for exit code 2.
pub fn report(root: &Path, base: &str) -> Result<opentact_spec_tools::Report> {
    let base_text = spec_at(root, base)?;
    let base_spec = opentact_codegen::parse(&PathBuf::from(format!("{base}:{SPEC}")), base_text)
        .map_err(|e| anyhow::anyhow!("the spec does not load at `{base}`: {e}"))?;
    let head_spec =
        opentact_codegen::load(&root.join(SPEC)).map_err(|e| anyhow::anyhow!("the working spec does not load: {e}"))?;
    let mut report = opentact_spec_tools::diff(&base_spec, &head_spec).map_err(|e| anyhow::anyhow!("{e}"))?;
    report.base = base.to_string();
    report.head = format!("working copy of {SPEC}");
    report.client_version = client_version(root);
    Ok(report)
}

/// `cargo xtask diff`: prints the report; `Ok(false)` when `fail_on_breaking` and something
/// breaks (exit 1).
pub fn diff(root: &Path, base: &str, format: Format, fail_on_breaking: bool) -> Result<bool> {
    let report = report(root, base)?;
    match format {
        Format::Text => print!("{}", report.to_text()),
        Format::Json => println!("{}", serde_json::to_string_pretty(&report.to_json())?),
        Format::Markdown => print!("{}", report.to_markdown()),
    }
    Ok(!(fail_on_breaking && report.breaking()))
}

/// Where `cargo xtask docs` writes the reference.
pub const REFERENCE: &str = "target/docs/opentact.html";

/// `cargo xtask docs`: a single self-contained HTML reference of the spec (Redoc's scripts
/// inlined, so it opens offline), with the errata written into the descriptions.
pub fn docs(root: &Path) -> Result<bool> {
    opentact_devtools::install_npm(root)?;
    let spec = match opentact_codegen::load(&root.join(SPEC)) {
        Ok(spec) => spec,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(false);
        }
    };
    let scratch = tempfile::tempdir()?;
    let annotated = scratch.path().join("opentact.json");
    std::fs::write(&annotated, serde_json::to_string_pretty(&opentact_spec_tools::reference_spec(&spec))?)?;
    let output = root.join(REFERENCE);
    std::fs::create_dir_all(output.parent().unwrap_or(root))?;
    let redocly = root.join(".tools/node/node_modules/.bin/redocly");
    let result = Command::new(&redocly)
        .current_dir(scratch.path())
        .arg("build-docs")
        .arg(&annotated)
        .arg("--inlineBundle")
        .args(["--title", "Opentact REST API reference"])
        .arg("-o")
        .arg(&output)
        .env("REDOCLY_TELEMETRY", "off")
        .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true")
        .output()
        .with_context(|| format!("cannot run {}", redocly.display()))?;
    if !result.status.success() {
        eprintln!("{}{}", String::from_utf8_lossy(&result.stdout), String::from_utf8_lossy(&result.stderr));
        bail!("redocly build-docs failed");
    }
    println!("wrote {}", output.display());
    Ok(true)
}
