//! The project's external test tools, shared by `xtask` (which installs them and runs `cargo
//! xtask mock`) and the workspace tests (which run them). Depends on neither, so neither
//! depends on the other.

mod install;
mod mock_spec;
mod prism;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::{Context, Result};

pub use install::{install, install_npm, install_python, run, step};
pub use mock_spec::{DYNAMIC_ARGS, MOCK_DEPTH, acyclic, write_acyclic};
pub use prism::Prism;

/// What marks the project's workspace root, besides a `Cargo.toml` with a `[workspace]` table:
/// the spec every command and test reads.
pub const ROOT_MARKER: &str = "spec/opentact.yaml";

/// The root of the checkout this process works on, found at run time (never compiled in: two
/// checkouts that share a `CARGO_TARGET_DIR` share compiled artifacts, and a path fixed at
/// compile time made a `cargo xtask generate` in one checkout regenerate the other).
///
/// The search starts at `$CARGO_MANIFEST_DIR` when cargo set it for this process (`cargo run`,
/// so `cargo xtask`, and `cargo test` set it to the package directory of the checkout cargo
/// was asked about) and at the current directory otherwise (a binary run by hand), and walks
/// up to the nearest directory whose `Cargo.toml` has a `[workspace]` table and which holds
/// [`ROOT_MARKER`] (see [`find_workspace_root`]). Tests run by cargo start in their package
/// directory (`tests/`, cargo's working directory for a test), so they read the checkout being
/// tested.
pub fn locate_workspace_root() -> Result<PathBuf> {
    let start = match std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from).filter(|p| p.is_absolute()) {
        Some(dir) => dir,
        None => std::env::current_dir().context("reading the current directory")?,
    };
    find_workspace_root(&start).with_context(|| {
        format!(
            "{} is not inside the Opentact SDK workspace (no directory above it has a Cargo.toml with \
             [workspace] and {ROOT_MARKER}); run this from the checkout",
            start.display()
        )
    })
}

/// The nearest ancestor of `start` (itself included) that is the project's workspace root: its
/// `Cargo.toml` has a `[workspace]` table and it holds [`ROOT_MARKER`]. A member crate's
/// manifest or a nested workspace without the spec is passed over.
pub fn find_workspace_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(ROOT_MARKER).is_file() && has_workspace_table(&dir.join("Cargo.toml")))
        .map(Path::to_path_buf)
}

fn has_workspace_table(manifest: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(manifest) else { return false };
    text.parse::<toml_edit::DocumentMut>().is_ok_and(|doc| doc.contains_table("workspace"))
}

/// [`locate_workspace_root`], found once per process; panics with its message when there is
/// none. For the tests, which cannot run outside the workspace anyway; `cargo xtask` reports
/// the error instead.
pub fn workspace_root() -> PathBuf {
    static ROOT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match ROOT.get_or_init(|| locate_workspace_root().map_err(|e| format!("{e:#}"))) {
        Ok(root) => root.clone(),
        Err(message) => panic!("{message}"),
    }
}

/// Cargo's target directory (`$CARGO_TARGET_DIR`, or `target/` in the workspace): where
/// derived files the tools read (the mock's spec copy, cached generator output) live.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| workspace_root().join("target"))
}

/// The project-local tools folder (`.tools/`, or `$OPENTACT_TOOLS_DIR`), filled by
/// `cargo xtask test`.
pub fn tools_dir() -> PathBuf {
    std::env::var_os("OPENTACT_TOOLS_DIR").map(PathBuf::from).unwrap_or_else(|| workspace_root().join(".tools"))
}

/// Path of an installed tool; panics with the fix when it is missing, so a test that needs a
/// tool fails instead of silently skipping.
pub fn tool(relative: &str) -> PathBuf {
    let path = tools_dir().join(relative);
    assert!(
        path.exists(),
        "{} is not installed; run `cargo xtask test`, which installs the pinned tools into {}",
        path.display(),
        tools_dir().display()
    );
    path
}

/// An npm tool from `.tools/node`.
pub fn npm_tool(name: &str) -> PathBuf {
    tool(&format!("node/node_modules/.bin/{name}"))
}

/// A command from the `.tools/venv` Python environment.
pub fn venv_tool(name: &str) -> PathBuf {
    tool(&format!("venv/bin/{name}"))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{ROOT_MARKER, find_workspace_root};

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("creating a directory");
        std::fs::write(path, text).expect("writing a file");
    }

    /// A checkout: a workspace manifest, the spec, a member crate and a nested workspace that
    /// is not the project (no spec).
    fn checkout(dir: &Path) {
        write(
            &dir.join("Cargo.toml"),
            "[workspace]\nmembers = [\"xtask\"]\n\n[workspace.package]\nversion = \"0.1.0\"\n",
        );
        write(&dir.join(ROOT_MARKER), "openapi: 3.0.3\n");
        write(&dir.join("xtask/Cargo.toml"), "[package]\nname = \"xtask\"\n");
        write(&dir.join("xtask/src/main.rs"), "fn main() {}\n");
        write(&dir.join("target/bench/compare/Cargo.toml"), "[package]\nname = \"c\"\n\n[workspace]\n");
    }

    #[test]
    fn the_root_is_the_nearest_workspace_that_holds_the_spec() {
        let scratch = tempfile::tempdir().expect("a temp dir");
        let (a, b) = (scratch.path().join("a"), scratch.path().join("b"));
        checkout(&a);
        checkout(&b);
        // From the root, a member crate, a source folder and a nested workspace without the spec.
        for start in [a.clone(), a.join("xtask"), a.join("xtask/src"), a.join("target/bench/compare")] {
            assert_eq!(find_workspace_root(&start).as_deref(), Some(a.as_path()), "from {}", start.display());
        }
        // Two checkouts stay apart: each is found from inside itself.
        assert_eq!(find_workspace_root(&b.join("xtask/src")).as_deref(), Some(b.as_path()));
        // Outside any checkout, or where the manifest has no [workspace] table: none.
        assert_eq!(find_workspace_root(scratch.path()), None);
        let member_only = scratch.path().join("c");
        write(&member_only.join("Cargo.toml"), "[package]\nname = \"c\"\n");
        write(&member_only.join(ROOT_MARKER), "openapi: 3.0.3\n");
        assert_eq!(find_workspace_root(&member_only), None);
        // A manifest that does not parse is not a workspace root either.
        let broken = scratch.path().join("d");
        write(&broken.join("Cargo.toml"), "[workspace\n");
        write(&broken.join(ROOT_MARKER), "openapi: 3.0.3\n");
        assert_eq!(find_workspace_root(&broken.join("spec")), None);
    }
}
