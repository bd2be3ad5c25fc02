//! `cargo xtask generate`: regenerates the client from `spec/opentact.yaml`, writing the files
//! that changed all or nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::{Outcome, files, spec};

/// A spec that loads, lints clean and generates, with its files; or `None` after printing why
/// not (for `generate` and `check`, a spec that cannot be generated from is a failure, exit 1).
pub(crate) fn generated(root: &Path) -> Option<(opentact_codegen::Spec, BTreeMap<PathBuf, String>)> {
    let spec = match spec::linted(root) {
        Ok(spec) => spec,
        Err(e) => {
            eprintln!("error: {e:#}\nno file was changed");
            return None;
        }
    };
    match opentact_codegen::generate(&spec) {
        Ok(files) => Some((spec, files)),
        Err(e) => {
            eprintln!("error: {e}\nno file was changed");
            None
        }
    }
}

/// Regenerates the client from `<root>/spec/opentact.yaml`. `Failure` (and no file changed)
/// when the spec is broken; an error when the files cannot be written.
pub fn generate(root: &Path) -> Result<Outcome> {
    let Some((_, generated)) = generated(root) else { return Ok(Outcome::Failure) };
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
    Ok(Outcome::Success)
}
