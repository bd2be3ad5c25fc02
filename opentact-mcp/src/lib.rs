//! `opentact-mcp`: the Opentact API as Model Context Protocol tools over stdio, one tool per
//! operation of the spec (the generated `TOOLS` table and `call`; see `codegen/src/emit/mcp.rs`).
//! This hand-written part reads the flags, lists and refuses tools by their effect, checks a
//! call's arguments against the tool's input schema, calls the client and turns its answer or
//! error into a tool result. Safe by default: only tools that change nothing are listed or
//! callable unless `--allow-writes` (and, for tools that spend money, `--allow-spending`).

mod arguments;
mod error;
// Generated code is formatted by codegen (prettyplease), not rustfmt: `cargo xtask check` compares it byte for byte.
#[rustfmt::skip]
mod generated;
mod runtime;
mod table;

use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use opentact_client::{Client, Server};
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, ErrorData, Implementation, ListToolsResult,
    PaginatedRequestParams, ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{RoleServer, ServerHandler, ServiceExt};
use serde_json::{Map, Value, json};

pub use error::Error;
pub use generated::tools::TOOLS;
pub use table::{Effect, Tool};

/// The command line.
#[derive(Parser, Debug, Clone, Default)]
#[command(name = "opentact-mcp", version, about = "The Opentact API as MCP tools over stdio.", long_about = None)]
pub struct Options {
    /// Also list and allow the tools that change the account (create, update, delete).
    #[arg(long)]
    pub allow_writes: bool,
    /// Also list and allow the tools that spend money (ordering numbers, sending messages,
    /// payments); they also need --allow-writes.
    #[arg(long)]
    pub allow_spending: bool,
    /// Only the tools whose name matches this glob (`*` any text, `?` one character), such as
    /// `List*`; repeat for several.
    #[arg(long = "tools", value_name = "PATTERN")]
    pub tools: Vec<String>,
    /// The API's base URL, e.g. a mock's (default: OPENTACT_BASE_URL, else production).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
}

impl Options {
    /// Why `tool` may not be called with these flags; `None` when it may.
    pub fn refusal(&self, tool: &Tool) -> Option<String> {
        if !self.tools.is_empty() && !self.tools.iter().any(|p| glob(p, tool.name)) {
            return Some(format!(
                "{} is not enabled: it matches no --tools pattern ({})",
                tool.name,
                self.tools.join(", ")
            ));
        }
        let (what, flags) = match tool.effect {
            Effect::Read => return None,
            Effect::Write => ("changes the account", vec![(!self.allow_writes, "--allow-writes")]),
            Effect::Destroy => ("deletes from the account", vec![(!self.allow_writes, "--allow-writes")]),
            Effect::Spend => (
                "spends money",
                vec![(!self.allow_writes, "--allow-writes"), (!self.allow_spending, "--allow-spending")],
            ),
        };
        let missing: Vec<&str> = flags.into_iter().filter(|(missing, _)| *missing).map(|(_, flag)| flag).collect();
        if missing.is_empty() {
            return None;
        }
        Some(format!(
            "{} {what} and is not enabled: start opentact-mcp with {} to allow it",
            tool.name,
            missing.join(" ")
        ))
    }

    /// The tools these flags list.
    pub fn listed(&self) -> impl Iterator<Item = &'static Tool> + '_ {
        TOOLS.iter().filter(|t| self.refusal(t).is_none())
    }
}

/// Whether `name` matches the glob `pattern` (`*` any text, `?` one character).
pub fn glob(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    // The classic two-pointer match, backtracking to the last `*`.
    let (mut i, mut j, mut star, mut mark) = (0, 0, None, 0);
    while j < n.len() {
        if i < p.len() && (p[i] == '?' || p[i] == n[j]) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == '*' {
            star = Some(i);
            mark = j;
            i += 1;
        } else if let Some(s) = star {
            i = s + 1;
            mark += 1;
            j = mark;
        } else {
            return false;
        }
    }
    p[i..].iter().all(|c| *c == '*')
}

/// The server: the client, the flags and the token (only to scrub it from messages).
pub struct OpentactMcp {
    client: Client,
    options: Options,
    token: String,
}

impl OpentactMcp {
    pub fn new(options: Options, token: String) -> Result<Self, opentact_client::Error> {
        let server = options.base_url.clone().map_or(Server::Production, Server::Custom);
        let client = Client::builder().server(server).token(token.clone()).build()?;
        Ok(OpentactMcp { client, options, token })
    }

    /// The tool error with `message`, the token scrubbed in case anything ever echoed it.
    fn tool_error(&self, message: String) -> CallToolResult {
        let message = if self.token.is_empty() { message } else { message.replace(&self.token, "[redacted]") };
        CallToolResult::error(vec![ContentBlock::text(message)])
    }

    /// Runs one call; every failure is a tool error.
    async fn call(&self, tool: &'static Tool, arguments: Map<String, Value>) -> CallToolResult {
        if let Some(refusal) = self.options.refusal(tool) {
            return self.tool_error(refusal);
        }
        if let Err(message) = check_arguments(tool, &arguments) {
            return self.tool_error(Error::Arguments(message).message());
        }
        let args = runtime::Arguments::new(arguments);
        match generated::tools::call(&self.client, tool.name, &args).await {
            // Structured content is an object: a list payload is wrapped as `{"items": [...]}`.
            Ok(payload @ Value::Object(_)) => CallToolResult::structured(payload),
            Ok(payload) => CallToolResult::structured(json!({ "items": payload })),
            Err(e) => self.tool_error(e.message()),
        }
    }
}

/// Checks `arguments` against the tool's input schema; the message lists every violation.
pub fn check_arguments(tool: &Tool, arguments: &Map<String, Value>) -> Result<(), String> {
    let schema: Value = serde_json::from_str(tool.input_schema)
        .map_err(|e| format!("the input schema of {} is not JSON: {e}", tool.name))?;
    let validator = jsonschema::validator_for(&schema)
        .map_err(|e| format!("the input schema of {} is not a valid schema: {e}", tool.name))?;
    let instance = Value::Object(arguments.clone());
    let problems: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| {
            let at = e.instance_path().to_string();
            format!("{}: {e}", if at.is_empty() { "arguments".to_string() } else { at })
        })
        .collect();
    if problems.is_empty() { Ok(()) } else { Err(problems.join("; ")) }
}

/// The MCP form of a table row.
fn mcp_tool(tool: &Tool) -> Result<rmcp::model::Tool, ErrorData> {
    let schema: Map<String, Value> = serde_json::from_str(tool.input_schema)
        .map_err(|e| ErrorData::internal_error(format!("the input schema of {} is not JSON: {e}", tool.name), None))?;
    Ok(rmcp::model::Tool::new_with_raw(tool.name, Some(tool.description.into()), Arc::new(schema))
        .with_title(tool.title)
        .with_annotations(tool.annotations()))
}

impl ServerHandler for OpentactMcp {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("opentact-mcp", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "Tools for the Opentact telecom API, one per operation. Tools that change the account \
                 or spend money are only available when the server was started with --allow-writes \
                 (and --allow-spending).",
            )
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        let tools = self.options.listed().map(mcp_tool).collect::<Result<Vec<_>, _>>()?;
        Ok(ListToolsResult::with_all_items(tools))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let Some(tool) = TOOLS.iter().find(|t| t.name == request.name) else {
            return Err(ErrorData::invalid_params(format!("no tool named {}", request.name), None));
        };
        Ok(self.call(tool, request.arguments.unwrap_or_default()).await.into())
    }
}

/// The binary: flags, token, then MCP over stdin and stdout until the client hangs up.
/// Diagnostics go to stderr (stdout is the protocol's); they never hold the token.
pub fn main() -> ExitCode {
    let mut options = Options::parse();
    if options.base_url.is_none() {
        options.base_url = std::env::var("OPENTACT_BASE_URL").ok().filter(|u| !u.trim().is_empty());
    }
    let Some(token) = std::env::var("OPENTACT_TOKEN").ok().map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
    else {
        eprintln!("opentact-mcp: no API token: set OPENTACT_TOKEN");
        return ExitCode::from(2);
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("opentact-mcp: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let server = match OpentactMcp::new(options, token) {
        Ok(server) => server,
        Err(e) => {
            eprintln!("opentact-mcp: {e}");
            return ExitCode::from(2);
        }
    };
    let served = runtime.block_on(async {
        let service = server.serve(rmcp::transport::stdio()).await.map_err(|e| e.to_string())?;
        service.waiting().await.map(|_| ()).map_err(|e| e.to_string())
    });
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("opentact-mcp: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob("List*", "ListOrders"));
        assert!(glob("*Order*", "GetOrderPrice"));
        assert!(glob("Get?rder", "GetOrder"));
        assert!(!glob("List*", "GetOrder"));
        assert!(glob("*", ""));
        assert!(!glob("a*b", "ac"));
    }

    #[test]
    fn every_effect_is_refused_with_the_flag_that_allows_it() {
        let default = Options::default();
        let writes = Options { allow_writes: true, ..Options::default() };
        let all = Options { allow_writes: true, allow_spending: true, ..Options::default() };
        for tool in TOOLS {
            let refused = default.refusal(tool);
            match tool.effect {
                Effect::Read => assert!(refused.is_none() && writes.refusal(tool).is_none()),
                Effect::Write | Effect::Destroy => {
                    assert!(refused.is_some_and(|r| r.contains("--allow-writes")), "{}", tool.name);
                    assert!(writes.refusal(tool).is_none());
                }
                Effect::Spend => {
                    assert!(refused.is_some_and(|r| r.contains("--allow-writes --allow-spending")));
                    assert!(writes.refusal(tool).is_some_and(|r| r.contains("--allow-spending")));
                }
            }
            assert!(all.refusal(tool).is_none());
        }
        let narrowed = Options { tools: vec!["List*".into()], ..all };
        assert!(narrowed.listed().all(|t| t.name.starts_with("List")));
        assert!(narrowed.listed().count() > 0);
    }

    #[test]
    fn every_input_schema_is_a_valid_schema() {
        for tool in TOOLS {
            let schema: Value = serde_json::from_str(tool.input_schema).unwrap();
            assert!(jsonschema::validator_for(&schema).is_ok(), "{}", tool.name);
            let annotations = tool.annotations();
            assert!(annotations.read_only_hint.is_some() && annotations.destructive_hint.is_some());
            assert!(annotations.idempotent_hint.is_some());
        }
    }
}
