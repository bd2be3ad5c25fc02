//! `opentact`: the Opentact REST API from the command line. The command table and the calls
//! are generated from `spec/opentact.yaml` (`src/generated/`, by `cargo xtask generate`); this
//! crate's hand-written part builds the clap commands from the table, reads the config and
//! the token, prints payloads and errors, and maps failures to exit codes.

mod cli;
mod config;
mod dry_run;
mod error;
// Generated code is formatted by codegen (prettyplease), not rustfmt: `cargo xtask check` compares it byte for byte.
#[rustfmt::skip]
mod generated;
mod input;
mod output;
mod runtime;
mod table;

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use clap::ArgMatches;
use opentact_client::{Client, RetryPolicy, Server};

pub use cli::{BUILT_IN, command};
pub use error::{EXIT_CODES_HELP, exit};
pub use generated::commands::{COMMANDS, GROUPS};
pub use table::{Arg, BodyKind, Command, Effect, Group, Location, ValueType};

use crate::error::Error;
use crate::output::Format;

/// Runs `opentact` with the process's arguments; the exit code says how it went (see [`exit`]).
pub fn main() -> ExitCode {
    let matches = match command().try_get_matches() {
        Ok(matches) => matches,
        Err(e) => {
            // clap's usage errors exit 2, its help and version 0.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(exit::USAGE));
        }
    };
    let (result, command) = run(&matches);
    match result {
        Ok(()) => ExitCode::from(exit::OK),
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "error: {}", e.message(command));
            ExitCode::from(e.exit_code())
        }
    }
}

fn run(matches: &ArgMatches) -> (Result<(), Error>, Option<&'static Command>) {
    let Some((group, sub)) = matches.subcommand() else {
        return (Err(Error::Usage("no command given; see `opentact --help`".into())), None);
    };
    match group {
        "login" => (config::login().and_then(|message| print(&mut std::io::stderr(), &message)), None),
        "completions" => {
            let Some(shell) = sub.try_get_one::<clap_complete::Shell>("shell").ok().flatten() else {
                return (Err(Error::Usage("which shell?".into())), None);
            };
            let mut out = Vec::new();
            clap_complete::generate(*shell, &mut command(), "opentact", &mut out);
            (std::io::stdout().write_all(&out).map_err(|e| Error::Local(e.to_string())), None)
        }
        group => {
            let found = sub.subcommand().and_then(|(name, leaf)| {
                COMMANDS.iter().find(|c| c.group == group && c.name == name).map(|c| (c, leaf))
            });
            match found {
                Some((command, leaf)) => (operation(command, leaf), Some(command)),
                None => (Err(Error::Usage(format!("unknown command {group}; see `opentact --help`"))), None),
            }
        }
    }
}

fn print(out: &mut impl Write, text: &str) -> Result<(), Error> {
    // A closed pipe (`opentact ... | head`) is not worth a panic.
    match writeln!(out, "{text}") {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Local(format!("cannot write: {e}"))),
        _ => Ok(()),
    }
}

fn operation(command: &'static Command, leaf: &ArgMatches) -> Result<(), Error> {
    let input = input::Input::new(command, leaf)?;
    let flag = |id: &str| leaf.try_get_one::<bool>(id).ok().flatten().copied().unwrap_or(false);
    let format = match leaf.try_get_one::<String>("output").ok().flatten().map(String::as_str) {
        Some("table") => Format::Table,
        _ => Format::Json,
    };
    let timeout = leaf.try_get_one::<u64>("timeout").ok().flatten().copied();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Local(format!("cannot start the async runtime: {e}")))?;
    let server = config::server(leaf);
    if flag("dry-run") {
        let request = runtime.block_on(dry_run(&input, &server))?;
        return print(&mut std::io::stdout(), request.trim_end());
    }
    let mut builder = Client::builder().server(server);
    // A login alone is enough for `auth`; every other command needs the token.
    builder = match (config::token(), config::basic_login()) {
        (Ok(token), login) => {
            let builder = builder.token(token);
            match login {
                Some((email, password)) => builder.login(email, password),
                None => builder,
            }
        }
        (Err(_), Some((email, password))) => builder.login(email, password),
        (Err(missing), None) => return Err(missing),
    };
    if let Some(seconds) = timeout {
        builder = builder.timeout(Duration::from_secs(seconds));
    }
    let client = builder.build()?;
    let payload = runtime.block_on(generated::commands::call(&client, &input))?;
    let text = output::render(payload, format, flag("raw"), output::stdout_is_terminal());
    print(&mut std::io::stdout(), &text)
}

/// The request `input` makes, captured on a loopback listener and printed with the token
/// redacted; nothing leaves the machine. A request the client refuses is that error.
async fn dry_run(input: &input::Input<'_>, server: &Server) -> Result<String, Error> {
    let token = config::token().unwrap_or_default();
    let capture = dry_run::Capture::start(server.url()).await?;
    let client = Client::builder()
        .server(Server::Custom(capture.local_base_url()?))
        .token(if token.is_empty() { "none" } else { token.as_str() })
        .retry(RetryPolicy::none())
        .build()?;
    let call = generated::commands::call(&client, input);
    tokio::pin!(call);
    tokio::select! {
        result = &mut call => match result {
            // Refused before sending (a bad value): the usual error.
            Err(e) => Err(e),
            Ok(_) => Err(Error::Local("--dry-run: the request was not captured".into())),
        },
        captured = capture.take() => Ok(capture.render(&captured?, &token)),
    }
}
