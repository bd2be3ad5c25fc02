//! The row types of the generated command table (`generated/commands.rs`).

/// A command group: one per tag of the spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Group {
    /// Its name on the command line (`sip-control-app`).
    pub name: &'static str,
    /// The spec's tag (`SIP Control App`).
    pub tag: &'static str,
    /// The tag's description.
    pub about: &'static str,
}

/// A command: one per operation of the spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Command {
    /// The spec's `operationId`.
    pub operation: &'static str,
    /// Its group's name.
    pub group: &'static str,
    /// Its name within the group (`list`).
    pub name: &'static str,
    /// HTTP method, upper case.
    pub method: &'static str,
    /// Path relative to the server URL, with `{name}` placeholders.
    pub path: &'static str,
    pub summary: &'static str,
    pub description: &'static str,
    /// What it does to the account (`x-opentact-effect`).
    pub effect: Effect,
    /// Whether its payload is a list (`--output table` shows it as rows).
    pub list: bool,
    /// Whether it is a paged search (`x-opentact-paged`): `--all` walks every page.
    pub paged: bool,
    pub body: BodyKind,
    pub args: &'static [Arg],
}

/// What an operation does to the account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Changes nothing.
    Read,
    /// Creates or changes something.
    Write,
    /// Removes something.
    Destroy,
    /// Can cost money.
    Spend,
}

impl Effect {
    /// The spec's word for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Read => "read",
            Effect::Write => "write",
            Effect::Destroy => "destroy",
            Effect::Spend => "spend",
        }
    }
}

/// The request body a command sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    None,
    /// JSON: from `--body FILE` / `--body -` and the body's flags.
    Json,
    /// A multipart upload: its files are arguments of `Location::File`.
    Multipart,
}

/// An argument of a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arg {
    /// The name on the wire (path parameter, query parameter, body field or file field).
    pub name: &'static str,
    /// The name on the command line: a positional value for a path parameter, else `--<flag>`.
    pub flag: &'static str,
    pub location: Location,
    pub value: ValueType,
    /// A list: the flag may be repeated or take comma-separated values.
    pub list: bool,
    /// Required on the command line (body fields never are: `--body` may carry them).
    pub required: bool,
    pub help: &'static str,
}

/// Where an argument's value goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Location {
    Path,
    Query,
    /// A top-level field of the JSON body.
    Body,
    /// A file of a multipart body: the flag names a local file.
    File,
}

/// The type of an argument's value; clap refuses anything else, naming the flag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueType {
    String,
    Integer,
    Number,
    Boolean,
    Uuid,
    /// One of the documented string values.
    Enum(&'static [&'static str]),
    /// One of the documented integer values.
    IntegerEnum(&'static [&'static str]),
    /// A local file's path.
    File,
}
