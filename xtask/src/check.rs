//! `cargo xtask check`: whether the committed generated code matches the spec.

use std::path::Path;

use anyhow::Result;

use crate::{Outcome, SPEC, files, generate::generated};

/// `Success` when every generated file is what the spec produces now; `Failure` (with a diff
/// per file) when not, or when the spec cannot be generated from.
pub fn check(root: &Path) -> Result<Outcome> {
    let Some((spec, generated)) = generated(root) else { return Ok(Outcome::Failure) };
    let drift = files::drift(root, &generated, &spec.sha256)?;
    if drift.is_empty() {
        println!("generated code matches {SPEC} (sha256 {})", spec.sha256);
        return Ok(Outcome::Success);
    }
    for report in &drift {
        eprintln!("{report}");
    }
    eprintln!(
        "error: the generated code is out of date with {SPEC}; run `cargo xtask generate`, review the diff and commit it"
    );
    Ok(Outcome::Failure)
}
