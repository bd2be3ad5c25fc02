//! The one way commands read the spec: the working copy ([`working`]), the working copy when
//! code is to be generated from it ([`linted`]), or the copy committed at a git revision
//! ([`at_revision`]). Errors name the file (or revision), line and column.

use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};

use crate::{SPEC, git};

/// `<root>/spec/opentact.yaml`, loaded.
pub fn working(root: &Path) -> Result<opentact_codegen::Spec> {
    opentact_codegen::load(&root.join(SPEC)).map_err(anyhow::Error::new)
}

/// [`working`], linted: findings are printed on stderr (`spec/opentact.yaml:line:col: ...`);
/// an error when the spec does not load or has lint errors.
pub fn linted(root: &Path) -> Result<opentact_codegen::Spec> {
    let spec = working(root)?;
    let findings = opentact_codegen::lint(&spec);
    for d in &findings {
        eprintln!("{SPEC}:{d}");
    }
    if findings.iter().any(|d| d.severity == opentact_codegen::Severity::Error) {
        return Err(anyhow!("{SPEC} has lint errors"));
    }
    Ok(spec)
}

/// The spec as committed at git revision `rev` (named `<rev>:spec/opentact.yaml` in errors).
pub fn at_revision(root: &Path, rev: &str) -> Result<opentact_codegen::Spec> {
    let text = git::show(root, rev, SPEC)?;
    opentact_codegen::parse(&PathBuf::from(format!("{rev}:{SPEC}")), text)
        .map_err(|e| anyhow!("the spec does not load at `{rev}`: {e}"))
}
