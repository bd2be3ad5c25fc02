//! `cargo xtask diff [BASE]`: a thin wrapper around `opentact_spec_tools::diff` (git is run here; all spec
//! knowledge is in codegen). Exit codes: 0 nothing breaks (or not asked), 1 something breaks
//! and `--fail-on-breaking`, 2 no comparison possible.

use std::path::Path;

use anyhow::{Context, Result};

use crate::{Outcome, SPEC, spec};

/// How `cargo xtask diff` prints its report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Markdown,
}

/// The version of the crates (the workspace's `[workspace.package] version`), when it can be
/// read.
pub fn client_version(root: &Path) -> Option<String> {
    crate::manifest::workspace_version(root).ok().map(|v| v.to_string())
}

/// Compares the spec at `base` with `head`, naming them in the report.
pub fn compare(base: &opentact_codegen::Spec, head: &opentact_codegen::Spec) -> Result<opentact_spec_tools::Report> {
    opentact_spec_tools::diff(base, head).map_err(|e| anyhow::anyhow!("{e}"))
}

/// Compares the spec at `base` with the working copy. Any error (unknown revision, a spec
/// that does not load or generate on either side) is returned, for exit code 2.
pub fn report(root: &Path, base: &str) -> Result<opentact_spec_tools::Report> {
    let base_spec = spec::at_revision(root, base)?;
    let head_spec = spec::working(root).context("the working spec does not load")?;
    let mut report = compare(&base_spec, &head_spec)?;
    report.base = base.to_string();
    report.head = format!("working copy of {SPEC}");
    report.client_version = client_version(root);
    Ok(report)
}

/// Prints the report; `Failure` when `fail_on_breaking` and something breaks (exit 1).
pub fn diff(root: &Path, base: &str, format: Format, fail_on_breaking: bool) -> Result<Outcome> {
    let report = report(root, base)?;
    match format {
        Format::Text => print!("{}", report.to_text()),
        Format::Json => println!("{}", serde_json::to_string_pretty(&report.to_json())?),
        Format::Markdown => print!("{}", report.to_markdown()),
    }
    Ok(Outcome::from_success(!(fail_on_breaking && report.breaking())))
}
