//! The values of one command line, as the generated `call` asks for them: typed by the
//! spec's types (through serde, from the JSON the flags make), the body from `--body` with
//! the flags' fields on top.

use std::io::Read;

use clap::ArgMatches;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::{Error, where_is};
use crate::table::{Arg, BodyKind, Command, Location, ValueType};

/// The values of a parsed command line for `command`.
pub struct Input<'a> {
    command: &'a Command,
    matches: &'a ArgMatches,
    body: Option<Value>,
}

impl<'a> Input<'a> {
    /// Reads `--body` (a file, or stdin for `-`) and sets the body flags' fields on it.
    pub fn new(command: &'a Command, matches: &'a ArgMatches) -> Result<Self, Error> {
        let body = match command.body {
            BodyKind::Json => Some(json_body(command, matches)?),
            BodyKind::None | BodyKind::Multipart => None,
        };
        Ok(Input { command, matches, body })
    }

    pub fn operation(&self) -> &'static str {
        self.command.operation
    }

    /// `--all` on a paged search: walk every page instead of asking for one.
    pub fn all_pages(&self) -> bool {
        self.command.paged && self.matches.try_get_one::<bool>("all").ok().flatten().copied().unwrap_or(false)
    }

    fn arg(&self, name: &str) -> Result<&'static Arg, Error> {
        self.command
            .args
            .iter()
            .find(|a| a.name == name)
            .ok_or_else(|| Error::Local(format!("{} has no argument {name}", self.command.operation)))
    }

    fn raw(&self, name: &str) -> Result<Option<(&'static Arg, &str)>, Error> {
        let arg = self.arg(name)?;
        Ok(self.matches.try_get_one::<String>(arg.flag).ok().flatten().map(|v| (arg, v.as_str())))
    }

    /// A UUID path parameter (clap checked its form).
    pub fn uuid(&self, name: &str) -> Result<opentact_client::uuid::Uuid, Error> {
        let text = self.text(name)?;
        text.parse().map_err(|e| Error::Usage(format!("<{name}>: {text:?} is not a UUID: {e}")))
    }

    /// A path parameter as given (the client checks it against its schema).
    pub fn text(&self, name: &str) -> Result<&str, Error> {
        match self.raw(name)? {
            Some((_, value)) => Ok(value),
            None => Err(Error::Usage(format!("<{name}> is required"))),
        }
    }

    /// A required query parameter, as the client's type for it. Generated code calls it for
    /// operations with one (the spec has none today).
    #[allow(dead_code)]
    pub fn required<T: DeserializeOwned>(&self, name: &str) -> Result<T, Error> {
        self.optional(name)?.ok_or_else(|| Error::Usage(format!("--{} is required", name)))
    }

    /// An optional query parameter, as the client's type for it.
    pub fn optional<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, Error> {
        let Some((arg, value)) = self.raw(name)? else { return Ok(None) };
        let json = scalar_json(arg, value)?;
        serde_json::from_value(json).map(Some).map_err(|e| Error::Usage(format!("--{}: {e}", arg.flag)))
    }

    /// The JSON body as the client's type: a field that does not fit is named by its flag (or
    /// its place in `--body`).
    pub fn body<T: DeserializeOwned>(&self) -> Result<T, Error> {
        let body = self.body.clone().unwrap_or_else(|| Value::Object(Map::new()));
        serde_path_to_error::deserialize(body).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner().to_string();
            // serde names a missing field only in its message (`missing field `tns``).
            let missing = inner.split('`').nth(1).filter(|_| inner.starts_with("missing field"));
            let field = match (path.as_str(), missing) {
                (".", Some(name)) => format!("/{name}"),
                (".", None) => String::new(),
                (path, _) => format!("/{}", path.replace('.', "/")),
            };
            Error::Usage(format!(
                "invalid request body, nothing was sent:\n  {}: {inner}",
                where_is(Some(self.command), &field)
            ))
        })
    }

    /// A file of a multipart body, read from the path given.
    pub fn upload(&self, name: &str) -> Result<opentact_client::Upload, Error> {
        let path = self.text(name)?;
        let bytes = std::fs::read(path).map_err(|e| Error::Local(format!("cannot read {path}: {e}")))?;
        let file_name = std::path::Path::new(path).file_name().map_or_else(|| name.into(), |n| n.to_string_lossy());
        let content_type = match std::path::Path::new(path).extension().and_then(|e| e.to_str()) {
            Some("xml") => "application/xml",
            Some("json") => "application/json",
            _ => "application/octet-stream",
        };
        Ok(opentact_client::Upload::new(bytes, file_name.into_owned(), content_type))
    }
}

/// `--body` (or `{}`), with each body flag given set on it.
fn json_body(command: &Command, matches: &ArgMatches) -> Result<Value, Error> {
    let mut body = match matches.try_get_one::<String>("body").ok().flatten() {
        None => Value::Object(Map::new()),
        Some(source) => {
            let text = if source == "-" {
                let mut text = String::new();
                std::io::stdin()
                    .read_to_string(&mut text)
                    .map_err(|e| Error::Local(format!("cannot read the body from stdin: {e}")))?;
                text
            } else {
                std::fs::read_to_string(source).map_err(|e| Error::Local(format!("cannot read {source}: {e}")))?
            };
            serde_json::from_str(&text).map_err(|e| Error::Usage(format!("--body is not JSON: {e}")))?
        }
    };
    for arg in command.args.iter().filter(|a| a.location == Location::Body) {
        let Some(values) = matches.try_get_many::<String>(arg.flag).ok().flatten() else { continue };
        let Value::Object(fields) = &mut body else {
            return Err(Error::Usage(format!("--{} sets a field, but --body is not a JSON object", arg.flag)));
        };
        let values: Vec<Value> = values.map(|v| scalar_json(arg, v)).collect::<Result<_, _>>()?;
        let value = if arg.list { Value::Array(values) } else { values.into_iter().next().unwrap_or(Value::Null) };
        fields.insert(arg.name.to_string(), value);
    }
    Ok(body)
}

/// The JSON value of one command-line value (clap has checked its form).
fn scalar_json(arg: &Arg, text: &str) -> Result<Value, Error> {
    let bad = |e: &dyn std::fmt::Display| Error::Usage(format!("--{}: {text:?}: {e}", arg.flag));
    Ok(match arg.value {
        ValueType::Integer | ValueType::IntegerEnum(_) => Value::from(text.parse::<i64>().map_err(|e| bad(&e))?),
        ValueType::Number => {
            let n = text.parse::<f64>().map_err(|e| bad(&e))?;
            serde_json::Number::from_f64(n).map(Value::Number).ok_or_else(|| bad(&"not a finite number"))?
        }
        ValueType::Boolean => Value::Bool(text.parse::<bool>().map_err(|e| bad(&e))?),
        ValueType::String | ValueType::Uuid | ValueType::Enum(_) | ValueType::File => Value::String(text.to_string()),
    })
}
