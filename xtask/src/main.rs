//! `cargo xtask <command>`: argument parsing only; the commands are in lib.rs.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    /// Compare the spec at a git revision with the working copy: each change classified for
    /// the wire and for the Rust API of opentact-client.
    Diff {
        /// The git revision to compare with.
        #[arg(default_value = "HEAD")]
        base: String,
        /// Print JSON.
        #[arg(long, conflicts_with = "markdown")]
        json: bool,
        /// Print the "Unreleased" section of CHANGELOG.md.
        #[arg(long)]
        markdown: bool,
        /// Exit with 1 when any change breaks (on the wire or in the Rust API).
        #[arg(long)]
        fail_on_breaking: bool,
    },
    /// Build the self-contained HTML reference of the spec into target/docs/opentact.html.
    Docs,
    /// Compare Opentact's doc pages (or, without pages, the committed spec/docs-facts.json)
    /// with the spec. Exit 0: every difference explained by an erratum; 1: unexplained
    /// differences or stale errata; 2: a page, the facts or the spec cannot be read.
    DocsCheck {
        /// Doc pages: the text scrape (.txt) or the GitBook markdown export (.md).
        pages: Vec<std::path::PathBuf>,
        /// Rewrite spec/docs-facts.json from the pages (after reviewing the report); pages not
        /// given keep their committed facts.
        #[arg(long)]
        accept: bool,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Fuzz the spec pipeline and the client's response decoding for a while (tests/tests/it/fuzz.rs).
    Fuzz {
        /// Total time; the three fuzz targets get a third each.
        #[arg(long, default_value_t = 600)]
        seconds: u64,
        /// Replay a run (default: a fresh seed, printed at the start).
        #[arg(long)]
        seed: Option<u64>,
        /// Build optimised (more cases per second; release-only behaviour).
        #[arg(long)]
        release: bool,
    },
    /// Measure this client against openapi-generator's for the same spec; writes target/bench/.
    Bench {
        /// Small counts and no clean builds (minutes instead of a quarter of an hour).
        #[arg(long)]
        quick: bool,
        /// Also measure the client as it was at this git revision.
        #[arg(long, value_name = "REV")]
        before: Option<String>,
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
    let root = xtask::workspace_root();
    let result = match cli.command {
        Command::Generate => xtask::generate(&root),
        Command::Check => xtask::check(&root),
        Command::Lint => xtask::lint(&root),
        Command::Test { cargo_test_args } => xtask::tools::test(&root, &cargo_test_args),
        Command::Diff { base, json, markdown, fail_on_breaking } => {
            let format = match (json, markdown) {
                (true, _) => xtask::diff::Format::Json,
                (_, true) => xtask::diff::Format::Markdown,
                _ => xtask::diff::Format::Text,
            };
            // 0: nothing breaks (or not asked); 1: something breaks; 2: no comparison possible.
            return match xtask::diff::diff(&root, &base, format, fail_on_breaking) {
                Ok(true) => ExitCode::SUCCESS,
                Ok(false) => ExitCode::from(1),
                Err(e) => {
                    eprintln!("error: {e:#}");
                    ExitCode::from(2)
                }
            };
        }
        Command::Docs => xtask::diff::docs(&root),
        Command::Bench { quick, before } => xtask::bench::bench(&root, &xtask::bench::Options { quick, before }),
        Command::Mock { port, dynamic } => xtask::tools::mock(&root, port, dynamic),
        Command::DocsCheck { pages, accept, json } => {
            return ExitCode::from(xtask::docs_check(&root, &pages, accept, json));
        }
        Command::Fuzz { seconds, seed, release } => fuzz(&root, seconds, seed, release),
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

/// Runs the fuzz test binary with a time budget; its output says how many cases ran.
fn fuzz(root: &std::path::Path, seconds: u64, seed: Option<u64>, release: bool) -> anyhow::Result<bool> {
    let mut cargo = std::process::Command::new("cargo");
    cargo.current_dir(root).args(["test", "--package", "opentact-tests", "--test", "it", "--locked"]);
    if release {
        cargo.arg("--release");
    }
    cargo.args(["--", "fuzz::", "--nocapture", "--test-threads", "1"]);
    cargo.env("OPENTACT_FUZZ_SECONDS", (seconds / 3).max(1).to_string());
    if let Some(seed) = seed {
        cargo.env("OPENTACT_FUZZ_SEED", seed.to_string());
    }
    Ok(cargo.status()?.success())
}
