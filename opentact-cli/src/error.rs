//! What can go wrong, how it is told on stderr, and the exit code of each kind.

use crate::table::{Command, Location};

/// Exit codes by kind of failure (also in `opentact --help` and the README).
pub mod exit {
    /// The command did what it was asked.
    pub const OK: u8 = 0;
    /// Something on this machine: no token, an unreadable `--body` file or config file.
    pub const FAILURE: u8 = 1;
    /// A usage error: bad flags or values (clap's own code), or a request the client refused
    /// before sending anything (a value breaking the spec's rules).
    pub const USAGE: u8 = 2;
    /// The service answered with an error (other than 404), with its message and status.
    pub const API: u8 = 3;
    /// The service answered 404 Not Found.
    pub const NOT_FOUND: u8 = 4;
    /// The service could not be reached, or did not answer in time.
    pub const NETWORK: u8 = 5;
    /// The service answered something that is not what the operation returns (or redirected
    /// to another origin, or sent more than the client's limit).
    pub const INVALID_RESPONSE: u8 = 6;
}

/// The `--help` text listing the exit codes.
pub const EXIT_CODES_HELP: &str = "Exit codes:
  0  success
  1  local failure (no token, unreadable file)
  2  usage error: bad flags or values; nothing was sent
  3  the service answered with an error (its message and status on stderr)
  4  not found (HTTP 404)
  5  network failure or timeout
  6  invalid response from the service";

#[derive(Debug)]
pub enum Error {
    /// A value the CLI refused before sending (exit 2).
    Usage(String),
    /// A local failure (exit 1).
    Local(String),
    /// The client's error, for the command that failed.
    Client(opentact_client::Error),
}

impl From<opentact_client::Error> for Error {
    fn from(e: opentact_client::Error) -> Self {
        Error::Client(e)
    }
}

impl Error {
    /// The generated dispatch met an operation it does not know (the table and `call` are
    /// generated together, so this is a bug).
    pub fn unknown_operation(operation: &str) -> Self {
        Error::Local(format!("no call for operation {operation}; regenerate the CLI (`cargo xtask generate`)"))
    }

    pub fn exit_code(&self) -> u8 {
        use opentact_client::Error as E;
        match self {
            Error::Usage(_) => exit::USAGE,
            Error::Local(_) => exit::FAILURE,
            Error::Client(e) => match e {
                E::InvalidRequest(_) => exit::USAGE,
                _ if e.is_not_found() => exit::NOT_FOUND,
                E::Api(_) => exit::API,
                E::Timeout(_) | E::Connection(_) => exit::NETWORK,
                E::Decode(_) | E::Redirect(_) | E::ResponseTooLarge(_) => exit::INVALID_RESPONSE,
                E::Config(_) => exit::FAILURE,
                _ => exit::FAILURE,
            },
        }
    }

    /// The message for stderr. A request refused before sending names the command's flags;
    /// nothing here ever holds the token (the client's messages never do).
    pub fn message(&self, command: Option<&Command>) -> String {
        match self {
            Error::Usage(message) | Error::Local(message) => message.clone(),
            Error::Client(opentact_client::Error::InvalidRequest(invalid)) => {
                let lines: Vec<String> = invalid
                    .violations
                    .iter()
                    .map(|v| format!("  {}: {}", where_is(command, &v.field), v.problem))
                    .collect();
                format!("invalid request, nothing was sent:\n{}", lines.join("\n"))
            }
            Error::Client(opentact_client::Error::Api(api)) => {
                let mut text = format!("{} ({}): {}", api.status, api.operation, api.message);
                if let Some(id) = &api.request_id {
                    text.push_str(&format!(" (request id {id})"));
                }
                text
            }
            Error::Client(other) => other.to_string(),
        }
    }
}

/// The flag or argument a violation's field is: `/tech_prefix` is `--tech-prefix` when the
/// command has that flag, a path parameter is `<uuid>`; anything else is where it is in `--body`.
pub(crate) fn where_is(command: Option<&Command>, field: &str) -> String {
    let top = field.strip_prefix('/').unwrap_or(field);
    let arg = command.and_then(|c| c.args.iter().find(|a| a.name == top));
    match arg {
        Some(a) if a.location == Location::Path => format!("<{}>", a.flag),
        Some(a) => format!("--{}", a.flag),
        None if field.starts_with('/') => format!("--body {field}"),
        None if field.is_empty() => "request".to_string(),
        None => field.to_string(),
    }
}
