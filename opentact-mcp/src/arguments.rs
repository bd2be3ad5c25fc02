//! A tool call's arguments, as the generated `call` asks for them: typed by the spec's types
//! through serde. They were checked against the tool's input schema first; a value serde or
//! the client still refuses is a tool error naming the argument.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::Error;

/// The arguments object of one call.
pub struct Arguments {
    values: Map<String, Value>,
}

impl Arguments {
    pub fn new(values: Map<String, Value>) -> Self {
        Arguments { values }
    }

    fn string(&self, name: &str) -> Result<&str, Error> {
        match self.values.get(name) {
            Some(Value::String(text)) => Ok(text),
            Some(other) => Err(Error::Arguments(format!("{name}: {other} is not a string"))),
            None => Err(Error::Arguments(format!("{name} is required"))),
        }
    }

    /// A UUID path parameter.
    pub fn uuid(&self, name: &str) -> Result<opentact_client::uuid::Uuid, Error> {
        let text = self.string(name)?;
        text.parse().map_err(|e| Error::Arguments(format!("{name}: {text:?} is not a UUID: {e}")))
    }

    /// A path parameter as given (the client checks it against its schema).
    pub fn text(&self, name: &str) -> Result<&str, Error> {
        self.string(name)
    }

    /// A required query parameter, as the client's type for it. Generated code calls it for
    /// operations with one (the spec has none today).
    #[allow(dead_code)]
    pub fn required<T: DeserializeOwned>(&self, name: &str) -> Result<T, Error> {
        self.optional(name)?.ok_or_else(|| Error::Arguments(format!("{name} is required")))
    }

    /// An optional query parameter, as the client's type for it.
    pub fn optional<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, Error> {
        match self.values.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => T::deserialize(value).map(Some).map_err(|e| Error::Arguments(format!("{name}: {e}"))),
        }
    }

    /// The JSON body (`body`; `{}` when absent) as the client's type.
    pub fn body<T: DeserializeOwned>(&self) -> Result<T, Error> {
        let empty = Value::Object(Map::new());
        let body = self.values.get("body").unwrap_or(&empty);
        serde_path_to_error::deserialize(body).map_err(|e| {
            let path = e.path().to_string();
            let place = if path == "." { "body".to_string() } else { format!("body.{path}") };
            Error::Arguments(format!("{place}: {}", e.into_inner()))
        })
    }

    /// A file of a multipart body: the argument holds the file's text. An XML document (the
    /// call flow) is sent as `application/xml`.
    #[allow(dead_code)]
    pub fn upload(&self, name: &str) -> Result<opentact_client::Upload, Error> {
        let text = self.string(name)?;
        let xml = text.trim_start().starts_with('<');
        let (file_name, content_type) = if xml {
            (format!("{name}.xml"), "application/xml")
        } else {
            (name.to_string(), "application/octet-stream")
        };
        Ok(opentact_client::Upload::new(text.as_bytes().to_vec(), file_name, content_type))
    }
}
