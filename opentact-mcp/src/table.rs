//! The rows of the generated tool table, and what a tool's effect means for an MCP client.

use rmcp::model::ToolAnnotations;

/// What an operation does to the account (the spec's `x-opentact-effect`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Changes nothing (some are POSTs: searches, `GetOrderPrice`).
    Read,
    /// Creates or changes something.
    Write,
    /// Removes something (a SIP connection that carries live calls, a number).
    Destroy,
    /// Spends money (ordering numbers, sending messages, payments).
    Spend,
}

/// One tool: one operation of the spec.
#[derive(Debug)]
pub struct Tool {
    /// The operationId.
    pub name: &'static str,
    /// The operation's summary.
    pub title: &'static str,
    /// Summary, description, method and path.
    pub description: &'static str,
    pub method: &'static str,
    pub path: &'static str,
    pub effect: Effect,
    /// The JSON Schema of its arguments, as JSON text.
    pub input_schema: &'static str,
}

impl Tool {
    /// The hints an MCP client reads, each set explicitly (MCP assumes `destructiveHint: true`
    /// when it is absent):
    ///
    /// | effect | readOnly | destructive | idempotent |
    /// |---|---|---|---|
    /// | read | true | false | true |
    /// | write | false | false | PUT and PATCH: true; POST: false |
    /// | destroy | false | true | true |
    /// | spend | false | false | false |
    ///
    /// A spend adds (an order, a message, a payment) rather than overwrites, so it is not
    /// destructive in MCP's sense; it is refused unless `--allow-spending` is given instead.
    /// Every tool talks to the Opentact service (`openWorldHint: true`).
    pub fn annotations(&self) -> ToolAnnotations {
        let (read_only, destructive, idempotent) = match self.effect {
            Effect::Read => (true, false, true),
            Effect::Write => (false, false, matches!(self.method, "PUT" | "PATCH")),
            Effect::Destroy => (false, true, true),
            Effect::Spend => (false, false, false),
        };
        ToolAnnotations::from_raw(
            Some(self.title.to_string()),
            Some(read_only),
            Some(destructive),
            Some(idempotent),
            Some(true),
        )
    }
}
