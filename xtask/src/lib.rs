//! The commands behind `cargo xtask`, one module each, as functions (so tests can run them on a
//! scratch copy of the workspace). Thin: argument parsing is in main.rs, all spec knowledge in
//! `codegen`. Every command takes the workspace root and returns `Result<Outcome>`;
//! [`exit_code`] is the one place that turns that into an exit code (see [`Outcome`]).

pub mod bench;
pub mod check;
pub mod diff;
pub mod docs;
pub mod docs_check;
pub mod fuzz;
pub mod generate;
pub mod lint;
pub mod mock;
pub mod release;
pub mod test;

mod files;
mod git;
pub mod manifest;
mod outcome;
mod process;
pub mod spec;

pub use check::check;
pub use docs_check::docs_check;
pub use generate::generate;
pub use lint::lint;
pub use outcome::{ERROR, FAILURE, Outcome, SUCCESS, exit_code};

/// The spec every command reads, relative to the workspace root.
pub const SPEC: &str = "spec/opentact.yaml";

pub use opentact_devtools::{locate_workspace_root, workspace_root};
