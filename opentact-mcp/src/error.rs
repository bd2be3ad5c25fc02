//! What can go wrong in a tool call, as the text of a tool error.

/// A failed tool call: it becomes a tool result with `isError: true`, never a protocol error.
#[derive(Debug)]
pub enum Error {
    /// The arguments do not fit the operation; nothing was sent.
    Arguments(String),
    /// A failure on this machine.
    Local(String),
    /// The client's error.
    Client(opentact_client::Error),
}

impl From<opentact_client::Error> for Error {
    fn from(e: opentact_client::Error) -> Self {
        Error::Client(e)
    }
}

impl Error {
    /// The dispatch met a tool it does not know (the table and `call` are generated together,
    /// so this is a bug).
    pub fn unknown_tool(name: &str) -> Self {
        Error::Local(format!("no call for tool {name}; regenerate the server (`cargo xtask generate`)"))
    }

    /// The message the MCP client receives. The client's messages never hold the token.
    pub fn message(&self) -> String {
        match self {
            Error::Arguments(message) => format!("invalid arguments, nothing was sent: {message}"),
            Error::Local(message) => message.clone(),
            Error::Client(opentact_client::Error::InvalidRequest(invalid)) => {
                let lines: Vec<String> = invalid
                    .violations
                    .iter()
                    .map(|v| format!("  {}: {}", if v.field.is_empty() { "request" } else { &v.field }, v.problem))
                    .collect();
                format!("invalid arguments, nothing was sent:\n{}", lines.join("\n"))
            }
            Error::Client(opentact_client::Error::Api(api)) => {
                let mut text = format!("the service answered {} ({}): {}", api.status, api.operation, api.message);
                if let Some(id) = &api.request_id {
                    text.push_str(&format!(" (request id {id})"));
                }
                text
            }
            Error::Client(other) => other.to_string(),
        }
    }
}
