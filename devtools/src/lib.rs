//! The project's external test tools, shared by `xtask` (which installs them and runs `cargo
//! xtask mock`) and the workspace tests (which run them). Depends on neither, so neither
//! depends on the other.

mod install;
mod mock_spec;
mod prism;

use std::path::{Path, PathBuf};

pub use install::{install, install_npm, install_python, run, step};
pub use mock_spec::{DYNAMIC_ARGS, MOCK_DEPTH, acyclic, write_acyclic};
pub use prism::Prism;

/// The workspace root (devtools/ is one level below it).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
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
