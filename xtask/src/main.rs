//! `cargo xtask <command>`: argument parsing only; each command is a module of the library
//! (lib.rs), and its `Result<Outcome>` becomes the exit code here, through `xtask::exit_code`:
//! 0 success, 1 the command's answer is no, 2 it could not run (see `xtask::Outcome`).

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};
use xtask::Outcome;
use xtask::diff::Format;

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Opentact SDK project commands",
    after_help = "Exit codes: 0 success; 1 the command ran and its answer is no (lint errors, drift, a breaking \
                  change with --fail-on-breaking, unexplained differences, a failed test); 2 it could not run \
                  (a missing or unreadable file, revision or tool; a usage error)."
)]
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
        /// Exit with 1 when any change breaks (on the wire or in the Rust API). Exit 2: no
        /// comparison possible (unknown revision, a spec that does not load on either side).
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
        /// Read a page whose file breaks off before its end (otherwise refused): the
        /// operations before the break (the one it cuts off is dropped) are printed and read,
        /// and `--accept` records the page as partial; the spec's other operations of the page
        /// are then not checked.
        #[arg(long)]
        partial: bool,
    },
    /// Fuzz the spec pipeline and the client's response decoding for a while (tests/tests/it/fuzz/).
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
    /// Serve a Prism mock of the spec on localhost and print its base URL; Ctrl-C, SIGTERM or
    /// SIGHUP stops it (and Prism).
    Mock {
        /// Port to listen on (default: a free one).
        #[arg(long)]
        port: Option<u16>,
        /// Random (schema-generated) responses instead of the spec's examples.
        #[arg(long)]
        dynamic: bool,
    },
    /// Release opentact-client: propose the next version from `cargo xtask diff`'s verdict since
    /// the last release tag (v*; the first commit when there is none), move CHANGELOG.md's
    /// Unreleased section under it, set the workspace version, run the package check, commit
    /// and tag vX.Y.Z.
    Release {
        /// Print what would be done and change nothing.
        #[arg(long)]
        dry_run: bool,
        /// The version to release instead of the proposed one; refused when lower than it.
        version: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = xtask::locate_workspace_root().and_then(|root| run(cli.command, &root));
    if let Err(e) = &result {
        eprintln!("error: {e:#}");
    }
    ExitCode::from(xtask::exit_code(&result))
}

fn run(command: Command, root: &Path) -> Result<Outcome> {
    match command {
        Command::Generate => xtask::generate(root),
        Command::Check => xtask::check(root),
        Command::Lint => xtask::lint(root),
        Command::Test { cargo_test_args } => xtask::test::test(root, &cargo_test_args),
        Command::Diff { base, json, markdown, fail_on_breaking } => {
            let format = match (json, markdown) {
                (true, _) => Format::Json,
                (_, true) => Format::Markdown,
                _ => Format::Text,
            };
            xtask::diff::diff(root, &base, format, fail_on_breaking)
        }
        Command::Docs => xtask::docs::docs(root),
        Command::DocsCheck { pages, accept, json, partial } => {
            xtask::docs_check(root, &pages, &xtask::docs_check::Options { accept, json, partial })
        }
        Command::Fuzz { seconds, seed, release } => {
            xtask::fuzz::fuzz(root, &xtask::fuzz::Options { seconds, seed, release })
        }
        Command::Bench { quick, before } => xtask::bench::bench(root, &xtask::bench::Options { quick, before }),
        Command::Mock { port, dynamic } => xtask::mock::mock(root, &xtask::mock::Options { port, dynamic }),
        Command::Release { dry_run, version } => {
            xtask::release::release(root, &xtask::release::Options { dry_run, version })
        }
    }
}
