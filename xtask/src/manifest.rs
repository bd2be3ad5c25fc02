//! The workspace manifest (`Cargo.toml`): the version every crate inherits
//! (`[workspace.package] version`), read by `diff` and set by `release`.

use std::path::Path;

use anyhow::{Context, Result};
use semver::Version;

/// The workspace manifest, relative to the root.
pub const MANIFEST: &str = "Cargo.toml";

/// The `[workspace.package] version` of `manifest` (the text of a Cargo.toml).
pub fn manifest_version(manifest: &str) -> Result<Version> {
    let doc: toml_edit::DocumentMut = manifest.parse().with_context(|| format!("{MANIFEST} does not parse"))?;
    let text = doc
        .get("workspace")
        .and_then(|w| w.get("package"))
        .and_then(|p| p.get("version"))
        .and_then(|v| v.as_str())
        .with_context(|| format!("{MANIFEST} has no [workspace.package] version"))?;
    Version::parse(text).with_context(|| format!("the version `{text}` of {MANIFEST} is not MAJOR.MINOR.PATCH"))
}

/// `manifest` with its `[workspace.package] version` set to `version`, all else unchanged.
pub fn set_manifest_version(manifest: &str, version: &Version) -> Result<String> {
    let mut doc: toml_edit::DocumentMut = manifest.parse().with_context(|| format!("{MANIFEST} does not parse"))?;
    let item = doc
        .get_mut("workspace")
        .and_then(|w| w.get_mut("package"))
        .and_then(|p| p.get_mut("version"))
        .filter(|v| v.is_str())
        .with_context(|| format!("{MANIFEST} has no [workspace.package] version"))?;
    let decor = item.as_value().map(|v| v.decor().clone());
    *item = toml_edit::value(version.to_string());
    if let (Some(decor), Some(value)) = (decor, item.as_value_mut()) {
        *value.decor_mut() = decor;
    }
    Ok(doc.to_string())
}

/// The workspace version of the checkout at `root`.
pub fn workspace_version(root: &Path) -> Result<Version> {
    let path = root.join(MANIFEST);
    manifest_version(&std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?)
}

#[cfg(test)]
mod tests {
    use semver::Version;

    use super::{manifest_version, set_manifest_version};

    #[test]
    fn the_workspace_version_is_read_and_set_keeping_the_rest() {
        let manifest = "[workspace]\nmembers = [\"a\"]\n\n[workspace.package]\nversion = \"0.1.0\" # the crates' version\nedition = \"2024\"\n\n[package]\nversion = \"9.9.9\"\n";
        assert_eq!(manifest_version(manifest).expect("a version"), Version::new(0, 1, 0));
        let set = set_manifest_version(manifest, &Version::new(0, 2, 0)).expect("set");
        assert_eq!(set, manifest.replace("version = \"0.1.0\"", "version = \"0.2.0\""));
        assert!(manifest_version("[workspace]\n").is_err());
        assert!(manifest_version("[workspace.package]\nversion = \"one\"\n").is_err());
    }
}
