//! The clap command tree, built from the generated table: one subcommand per group, one per
//! operation inside it, plus `login` and `completions`.

use clap::builder::{PossibleValuesParser, ValueParser};
use clap::{Arg, ArgAction, Command};

use crate::error::EXIT_CODES_HELP;
use crate::generated::commands::{COMMANDS, GROUPS};
use crate::table::{self, BodyKind, Location, ValueType};

/// Names the table's groups may not take.
pub const BUILT_IN: [&str; 3] = ["login", "completions", "help"];

/// The whole `opentact` command.
pub fn command() -> Command {
    let mut root = Command::new("opentact")
        .version(env!("CARGO_PKG_VERSION"))
        .about("The Opentact REST API from the command line: one command per operation of the API.")
        .long_about(
            "The Opentact REST API from the command line: one command per operation of the API, grouped by \
             the API's tags.\n\nThe token comes from OPENTACT_TOKEN, or from the config file `opentact login \
             --token-stdin` writes; it is never printed. `auth` (the HTTP Basic login) reads OPENTACT_EMAIL and \
             OPENTACT_PASSWORD instead.",
        )
        .after_help(EXIT_CODES_HELP)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .arg(
            Arg::new("server")
                .long("server")
                .global(true)
                .value_parser(["production", "stage"])
                .help("The Opentact deployment (default: production, or OPENTACT_BASE_URL)"),
        )
        .arg(
            Arg::new("base-url")
                .long("base-url")
                .global(true)
                .value_name("URL")
                .conflicts_with("server")
                .help("Any base URL (a local mock, say) instead of --server"),
        )
        .arg(
            Arg::new("output")
                .long("output")
                .short('o')
                .global(true)
                .value_parser(["json", "table"])
                .default_value("json")
                .help("json: the payload (pretty on a terminal, one line otherwise); table: lists as rows"),
        )
        .arg(
            Arg::new("raw")
                .long("raw")
                .global(true)
                .action(ArgAction::SetTrue)
                .help("Print the whole {success, payload} envelope instead of the payload"),
        )
        .arg(
            Arg::new("timeout")
                .long("timeout")
                .global(true)
                .value_name("SECONDS")
                .value_parser(clap::value_parser!(u64).range(1..))
                .help("Give up on a request after this many seconds (the client's default otherwise)"),
        )
        .arg(
            Arg::new("dry-run")
                .long("dry-run")
                .global(true)
                .action(ArgAction::SetTrue)
                .help("Print the HTTP request instead of sending it (the token redacted)"),
        );
    for group in GROUPS {
        let about = if group.about.is_empty() { group.tag } else { group.about };
        let mut sub = Command::new(group.name).about(about).subcommand_required(true).arg_required_else_help(true);
        for c in COMMANDS.iter().filter(|c| c.group == group.name) {
            sub = sub.subcommand(operation(c));
        }
        root = root.subcommand(sub);
    }
    root.subcommand(
        Command::new("login").about("Save the API token in the config file (mode 0600)").arg(
            Arg::new("token-stdin")
                .long("token-stdin")
                .action(ArgAction::SetTrue)
                .required(true)
                .help("Read the token from stdin (so it is in no shell history)"),
        ),
    )
    .subcommand(
        Command::new("completions")
            .about("Print a shell completion script")
            .arg(Arg::new("shell").required(true).value_parser(clap::value_parser!(clap_complete::Shell))),
    )
}

fn operation(c: &'static table::Command) -> Command {
    let mut long = c.summary.to_string();
    if !c.description.is_empty() {
        long.push_str("\n\n");
        long.push_str(c.description);
    }
    long.push_str(&format!("\n\n{} {} (operation {}, effect: {})", c.method, c.path, c.operation, c.effect.as_str()));
    let mut command = Command::new(c.name).about(c.summary).long_about(long);
    for a in c.args {
        let mut arg = Arg::new(a.flag).help(a.help).value_parser(parser(a.value)).required(a.required);
        arg = match a.location {
            Location::Path => arg.value_name(a.flag),
            Location::File => arg.long(a.flag).value_name("PATH"),
            Location::Query | Location::Body => arg.long(a.flag),
        };
        if a.list {
            // `--tns 1,2` or `--tns 1 --tns 2`.
            arg = arg.action(ArgAction::Append).value_delimiter(',');
        }
        command = command.arg(arg);
    }
    if c.paged {
        command = command.arg(
            Arg::new("all")
                .long("all")
                .action(ArgAction::SetTrue)
                .help("Every page from the one the query starts at, its items printed as one list"),
        );
    }
    if c.body == BodyKind::Json {
        command = command.arg(
            Arg::new("body")
                .long("body")
                .value_name("FILE")
                .help("The request body as JSON, from FILE or - (stdin); the flags above set its top-level fields"),
        );
    }
    command
}

/// A parser that checks the form of a value and keeps its text (the input turns it into JSON).
fn parser(value: ValueType) -> ValueParser {
    fn check<E: std::fmt::Display + 'static>(parse: fn(&str) -> Result<(), E>) -> ValueParser {
        ValueParser::new(move |s: &str| parse(s).map(|()| s.to_string()).map_err(|e| e.to_string()))
    }
    match value {
        ValueType::String | ValueType::File => ValueParser::string(),
        ValueType::Integer => check(|s| s.parse::<i64>().map(drop)),
        ValueType::Number => check(|s| match s.parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(()),
            Ok(_) => Err("not a finite number".to_string()),
            Err(e) => Err(e.to_string()),
        }),
        ValueType::Boolean => PossibleValuesParser::new(["true", "false"]).into(),
        ValueType::Uuid => check(|s| s.parse::<opentact_client::uuid::Uuid>().map(drop)),
        ValueType::Enum(values) | ValueType::IntegerEnum(values) => {
            PossibleValuesParser::new(values.iter().copied()).into()
        }
    }
}
