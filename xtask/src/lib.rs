//! The commands behind `cargo xtask`, as functions (so tests can run them on a scratch copy
//! of the workspace). Thin: argument parsing is in main.rs, all spec knowledge in `codegen`.

pub mod bench;
pub mod diff;
mod docs_check;
mod files;
mod process;
pub mod tools;

use std::path::Path;

use anyhow::{Context, Result};

pub use docs_check::docs_check;

/// The spec every command reads, relative to the workspace root.
pub const SPEC: &str = "spec/opentact.yaml";

pub use opentact_devtools::workspace_root;

/// Loads and lints the spec; prints why when it cannot be generated from.
fn load_clean_spec(root: &Path) -> Option<opentact_codegen::Spec> {
    let spec = match opentact_codegen::load(&root.join(SPEC)) {
        Ok(spec) => spec,
        Err(e) => {
            eprintln!("error: {e}");
            return None;
        }
    };
    let findings = opentact_codegen::lint(&spec);
    for d in &findings {
        eprintln!("{SPEC}:{d}");
    }
    if findings.iter().any(|d| d.severity == opentact_codegen::Severity::Error) {
        eprintln!("error: {SPEC} has lint errors; nothing was generated");
        return None;
    }
    Some(spec)
}

/// `cargo xtask generate`: regenerates the client from `<root>/spec/opentact.yaml`. Prints
/// why and changes nothing when the spec is broken.
pub fn generate(root: &Path) -> Result<bool> {
    let Some(spec) = load_clean_spec(root) else { return Ok(false) };
    let generated = match opentact_codegen::generate(&spec) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("error: {e}\nno file was changed");
            return Ok(false);
        }
    };
    let changed = files::write_all(root, &generated).context("writing the generated files (no file was changed)")?;
    let stale = files::stale(root, &generated)?;
    for path in &stale {
        std::fs::remove_file(root.join(path)).with_context(|| format!("removing stale {}", path.display()))?;
    }
    if changed.is_empty() && stale.is_empty() {
        println!("generated code is up to date ({} files)", generated.len());
    }
    for path in &changed {
        println!("updated {}", path.display());
    }
    for path in &stale {
        println!("removed {}", path.display());
    }
    Ok(true)
}

/// `cargo xtask check`: whether the committed generated code matches the spec.
pub fn check(root: &Path) -> Result<bool> {
    let Some(spec) = load_clean_spec(root) else { return Ok(false) };
    let generated = match opentact_codegen::generate(&spec) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(false);
        }
    };
    let drift = files::drift(root, &generated, &spec.sha256)?;
    if drift.is_empty() {
        println!("generated code matches {SPEC} (sha256 {})", spec.sha256);
        return Ok(true);
    }
    for report in &drift {
        eprintln!("{report}");
    }
    eprintln!(
        "error: the generated code is out of date with {SPEC}; run `cargo xtask generate`, review the diff and commit it"
    );
    Ok(false)
}

/// `cargo xtask lint`.
pub fn lint(root: &Path) -> Result<bool> {
    let spec = match opentact_codegen::load(&root.join(SPEC)) {
        Ok(spec) => spec,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(false);
        }
    };
    let findings = opentact_codegen::lint(&spec);
    for d in &findings {
        println!("{SPEC}:{d}");
    }
    let errors = findings.iter().filter(|d| d.severity == opentact_codegen::Severity::Error).count();
    println!("{} rules, {errors} errors, {} warnings", opentact_codegen::RULES.len(), findings.len() - errors);
    Ok(errors == 0)
}
