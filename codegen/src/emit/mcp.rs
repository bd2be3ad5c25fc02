//! The MCP server's tool table and dispatch (`opentact-mcp/src/generated/tools.rs`): one tool
//! per operation, named by its operationId, described by its summary and description, with
//! the plan's input schema (`tool_schema`) as JSON text and the operation's effect. The
//! hand-written crate lists and refuses tools from the table and turns the effect into the
//! tool's annotations; `call` is the only code that names the client's methods and types. It
//! is the CLI's sibling (`cli.rs`): the same plan, another emitter; like it, it names the
//! hand-written crate only through `crate::runtime`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::front_end_call_arm;
use crate::plan::{Operation, Plan};

pub(crate) fn mcp_tools(plan: &Plan) -> TokenStream {
    let tools = plan.operations.iter().map(tool);
    let arms = plan.operations.iter().map(|op| front_end_call_arm(op, &format_ident!("args"), false));
    quote! {
        #[allow(unused_imports)]
        use opentact_client::types;
        use crate::runtime::{Effect, Tool};

        /// One tool per operation, in the order of the spec.
        pub const TOOLS: &[Tool] = &[#(#tools),*];

        /// Calls the tool's operation with `args` (already checked against its input schema);
        /// the payload as JSON.
        pub(crate) async fn call(
            client: &opentact_client::Client,
            name: &str,
            args: &crate::runtime::Arguments,
        ) -> Result<::serde_json::Value, crate::runtime::Error> {
            match name {
                #(#arms)*
                other => Err(crate::runtime::Error::unknown_tool(other)),
            }
        }
    }
}

fn tool(op: &Operation) -> TokenStream {
    let (name, title, method, path) = (&op.id, &op.summary, &op.method, &op.path);
    let mut description = op.summary.clone();
    if !op.description.is_empty() {
        description.push_str("\n\n");
        description.push_str(&op.description);
    }
    description.push_str(&format!("\n\n`{} {}`", op.method, op.path));
    let effect = format_ident!("{}", op.effect.variant());
    let schema = op.input_schema.to_string();
    quote! {
        Tool {
            name: #name,
            title: #title,
            description: #description,
            method: #method,
            path: #path,
            effect: Effect::#effect,
            input_schema: #schema,
        }
    }
}
