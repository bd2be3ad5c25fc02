//! The git commands xtask runs, in `root` (the checkout). Errors name the command and what git
//! said.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

/// Runs `git <args>` in `root`; its standard output, trimmed of the final newline, or an error
/// with git's message.
pub fn git(root: &Path, args: &[&str]) -> Result<String> {
    let output = Command::new("git").current_dir(root).args(args).output().context("cannot run git")?;
    if !output.status.success() {
        bail!("git {}: {}", args.join(" "), String::from_utf8_lossy(&output.stderr).trim());
    }
    let text = String::from_utf8(output.stdout).with_context(|| format!("git {} printed non-UTF-8", args.join(" ")))?;
    Ok(text.trim_end_matches('\n').to_string())
}

/// Whether `rev` names a commit.
pub fn is_commit(root: &Path, rev: &str) -> Result<bool> {
    let status = Command::new("git")
        .current_dir(root)
        .args(["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")])
        .output()
        .context("cannot run git")?
        .status;
    Ok(status.success())
}

/// The text of `path` (relative to `root`) at revision `rev`. Errors name the revision.
pub fn show(root: &Path, rev: &str, path: &str) -> Result<String> {
    if !is_commit(root, rev)? {
        bail!("unknown git revision `{rev}` (git rev-parse found no commit by that name)");
    }
    // `./` makes the path relative to `root`, wherever the repository's top is.
    let show = Command::new("git").current_dir(root).args(["show", &format!("{rev}:./{path}")]).output()?;
    if !show.status.success() {
        bail!("{path} does not exist at `{rev}`: {}", String::from_utf8_lossy(&show.stderr).trim());
    }
    String::from_utf8(show.stdout).with_context(|| format!("{path} at `{rev}` is not UTF-8"))
}
