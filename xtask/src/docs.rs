//! `cargo xtask docs`: a single self-contained HTML reference of the spec (Redoc's scripts
//! inlined, so it opens offline), with the errata written into the descriptions
//! (`opentact_spec_tools::reference_spec`); redocly is run here.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::{Outcome, spec};

/// Where `cargo xtask docs` writes the reference.
pub const REFERENCE: &str = "target/docs/opentact.html";

/// Writes [`REFERENCE`]; an error when the spec does not load or redocly fails.
pub fn docs(root: &Path) -> Result<Outcome> {
    opentact_devtools::install_npm(root)?;
    let spec = spec::working(root)?;
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
    Ok(Outcome::Success)
}
