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
        Command::Bench { quick, before } => xtask::bench::bench(&root, &xtask::bench::Options { quick, before }),
        Command::Mock { port, dynamic } => xtask::tools::mock(&root, port, dynamic),
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
