//! `cargo xtask lint`: the project's lint rules on the spec.

use std::path::Path;

use anyhow::Result;

use crate::{Outcome, SPEC, spec};

/// Prints every finding; `Failure` when a rule of severity error fires or the spec does not
/// load.
pub fn lint(root: &Path) -> Result<Outcome> {
    let spec = match spec::working(root) {
        Ok(spec) => spec,
        Err(e) => {
            eprintln!("error: {e:#}");
            return Ok(Outcome::Failure);
        }
    };
    let findings = opentact_codegen::lint(&spec);
    for d in &findings {
        println!("{SPEC}:{d}");
    }
    let errors = findings.iter().filter(|d| d.severity == opentact_codegen::Severity::Error).count();
    println!("{} rules, {errors} errors, {} warnings", opentact_codegen::RULES.len(), findings.len() - errors);
    Ok(Outcome::from_success(errors == 0))
}
