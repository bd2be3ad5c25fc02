//! `cargo xtask <command>`: the project's commands. Argument parsing and file writing only;
//! everything that knows about specs and Rust lives in `codegen`.

mod files;
mod tools;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

/// The spec every command reads, relative to the workspace root.
const SPEC: &str = "spec/opentact.yaml";

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Opentact SDK project commands")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate opentact-client's generated code from spec/opentact.yaml.
    Generate,
    /// Fail if the committed generated code differs from what the spec produces now.
    Check,
    /// Run the project's lint rules on the spec.
    Lint,
    /// Install the pinned test tools (npm, PyPI) into .tools/ and run every test.
    Test {
        /// Extra arguments for `cargo test` (e.g. a test name filter), after `--`.
        #[arg(last = true)]
        cargo_test_args: Vec<String>,
    },
    /// Serve a Prism mock of the spec on localhost and print its base URL.
    Mock {
        /// Port to listen on (default: a free one).
        #[arg(long)]
        port: Option<u16>,
        /// Random (schema-generated) responses instead of the spec's examples.
        #[arg(long)]
        dynamic: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = workspace_root();
    let result = match cli.command {
        Command::Generate => generate(&root),
        Command::Check => check(&root),
        Command::Lint => lint(&root),
        Command::Test { cargo_test_args } => tools::test(&root, &cargo_test_args),
        Command::Mock { port, dynamic } => tools::mock(&root, port, dynamic),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    // xtask/ is one level below the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Loads and lints the spec; prints why when it cannot be generated from.
fn load_clean_spec(root: &Path) -> Option<codegen::Spec> {
    let spec = match codegen::load(&root.join(SPEC)) {
        Ok(spec) => spec,
        Err(e) => {
            eprintln!("error: {e}");
            return None;
        }
    };
    let findings = codegen::lint(&spec);
    for d in &findings {
        eprintln!("{SPEC}:{d}");
    }
    if findings.iter().any(|d| d.severity == codegen::Severity::Error) {
        eprintln!("error: {SPEC} has lint errors; nothing was generated");
        return None;
    }
    Some(spec)
}

fn generate(root: &Path) -> Result<bool> {
    let Some(spec) = load_clean_spec(root) else { return Ok(false) };
    let generated = match codegen::generate(&spec) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("error: {e}\nno file was changed");
            return Ok(false);
        }
    };
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
    Ok(true)
}

fn check(root: &Path) -> Result<bool> {
    let Some(spec) = load_clean_spec(root) else { return Ok(false) };
    let generated = match codegen::generate(&spec) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(false);
        }
    };
    let drift = files::drift(root, &generated, &spec.sha256)?;
    if drift.is_empty() {
        println!("generated code matches {SPEC} (sha256 {})", spec.sha256);
        return Ok(true);
    }
    for report in &drift {
        eprintln!("{report}");
    }
    eprintln!("error: the generated code is out of date with {SPEC}; run `cargo xtask generate`, review the diff and commit it");
    Ok(false)
}

fn lint(root: &Path) -> Result<bool> {
    let spec = match codegen::load(&root.join(SPEC)) {
        Ok(spec) => spec,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(false);
        }
    };
    let findings = codegen::lint(&spec);
    for d in &findings {
        println!("{SPEC}:{d}");
    }
    let errors = findings.iter().filter(|d| d.severity == codegen::Severity::Error).count();
    println!("{} rules, {errors} errors, {} warnings", codegen::RULES.len(), findings.len() - errors);
    Ok(errors == 0)
}
