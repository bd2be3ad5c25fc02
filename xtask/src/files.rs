//! Writing generated files all-or-nothing, and comparing them with what is on disk.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use similar::TextDiff;

/// Writes every file whose contents changed. All new contents go to temporary files beside
/// their targets first; only when every one is written are they renamed into place, so a
/// failure leaves every existing file untouched. Returns the paths that changed.
pub fn write_all(root: &Path, files: &BTreeMap<PathBuf, String>) -> Result<Vec<PathBuf>> {
    let mut staged = Vec::new();
    for (path, contents) in files {
        let target = root.join(path);
        if std::fs::read_to_string(&target).ok().as_deref() == Some(contents.as_str()) {
            continue;
        }
        let dir = target.parent().context("generated file has no parent directory")?;
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let mut temp = tempfile::NamedTempFile::new_in(dir)
            .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
        temp.write_all(contents.as_bytes()).with_context(|| format!("writing {}", path.display()))?;
        temp.as_file().sync_all()?;
        staged.push((path.clone(), temp, target));
    }
    // Dropping `staged` on an early return deletes the temporary files.
    let mut changed = Vec::new();
    for (path, temp, target) in staged {
        temp.persist(&target).with_context(|| format!("renaming into {}", target.display()))?;
        changed.push(path);
    }
    Ok(changed)
}

/// Files in the generated directories that generation no longer produces.
pub fn stale(root: &Path, files: &BTreeMap<PathBuf, String>) -> Result<Vec<PathBuf>> {
    let dirs: BTreeSet<&Path> = files.keys().filter_map(|p| p.parent()).collect();
    let mut stale = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else { continue };
        for entry in entries {
            let path = dir.join(entry?.file_name());
            if path.extension().is_some_and(|e| e == "rs") && !files.contains_key(&path) {
                stale.push(path);
            }
        }
    }
    stale.sort();
    Ok(stale)
}

/// One human-readable report per file that differs from what generation produces now.
pub fn drift(root: &Path, files: &BTreeMap<PathBuf, String>, spec_sha256: &str) -> Result<Vec<String>> {
    let mut reports = Vec::new();
    for (path, expected) in files {
        let Ok(actual) = std::fs::read_to_string(root.join(path)) else {
            reports.push(format!("{} is missing", path.display()));
            continue;
        };
        if &actual == expected {
            continue;
        }
        let mut report = String::new();
        match header_sha256(&actual) {
            Some(sha) if sha != spec_sha256 => report.push_str(&format!(
                "{} was generated from a different spec (sha256 {sha}, the spec is now {spec_sha256})\n",
                path.display()
            )),
            None => report.push_str(&format!("{} has no generated-file header\n", path.display())),
            _ => {}
        }
        let committed = format!("a/{} (committed)", path.display());
        let regenerated = format!("b/{} (from the spec)", path.display());
        let diff = TextDiff::from_lines(&actual, expected);
        report.push_str(&diff.unified_diff().context_radius(3).header(&committed, &regenerated).to_string());
        reports.push(report);
    }
    for path in stale(root, files)? {
        reports.push(format!("{} is no longer generated; `cargo xtask generate` removes it", path.display()));
    }
    Ok(reports)
}

/// The spec hash a generated file's header records (`// spec sha256: <hex>`).
fn header_sha256(contents: &str) -> Option<&str> {
    contents.lines().take(10).find_map(|line| line.trim().strip_prefix("// spec sha256: ").map(str::trim))
}
