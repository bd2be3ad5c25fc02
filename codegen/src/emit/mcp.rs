//! The MCP server's tool table and dispatch (`opentact-mcp/src/generated/tools.rs`): one tool
//! per operation, named by its operationId, described by its summary and description, with
//! the plan's input schema (`tool_schema`) as JSON text and the operation's effect. The
//! hand-written crate lists and refuses tools from the table and turns the effect into the
//! tool's annotations; `call` is the only code that names the client's methods and types. It
//! is the CLI's sibling (`cli.rs`): the same plan, another emitter; like it, it names the
//! hand-written crate only through `crate::runtime`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::plan::{Body, Operation, ParamKind, Plan, QueryParam, QueryType, type_name};

pub(crate) fn mcp_tools(plan: &Plan) -> TokenStream {
    let tools = plan.operations.iter().map(tool);
    let arms = plan.operations.iter().map(call_arm);
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

/// The Rust type a query value is read as (what the facade takes).
fn query_type(t: &QueryType) -> TokenStream {
    match t {
        QueryType::Integer32 => quote!(i32),
        QueryType::Integer => quote!(i64),
        QueryType::Number => quote!(f64),
        QueryType::Boolean => quote!(bool),
        QueryType::String => quote!(String),
        QueryType::Enum(name) => {
            let name = format_ident!("{name}");
            quote!(types::#name)
        }
    }
}

/// The `match` arm that calls the facade method of `op` with the tool's arguments.
fn call_arm(op: &Operation) -> TokenStream {
    let id = &op.id;
    let method = format_ident!("{}", op.rust_name);
    let mut prepare = Vec::new();
    let mut args = Vec::new();
    for p in &op.path_params {
        let name = &p.name;
        args.push(match &p.kind {
            ParamKind::Uuid => quote!(args.uuid(#name)?),
            ParamKind::Named(_) => quote!(args.text(#name)?),
            ParamKind::Enum(t) => {
                let t = format_ident!("{t}");
                quote!(args.required::<types::#t>(#name)?)
            }
        });
    }
    for q in op.query_params.iter().filter(|q| q.required) {
        let (name, ty) = (&q.name, query_type(&q.rust_type));
        args.push(match q.rust_type {
            QueryType::String => quote!(&args.required::<String>(#name)?),
            _ => quote!(args.required::<#ty>(#name)?),
        });
    }
    let optional: Vec<&QueryParam> = op.query_params.iter().filter(|q| !q.required).collect();
    if !optional.is_empty() {
        let query = format_ident!("{}Query", heck::ToUpperCamelCase::to_upper_camel_case(op.id.as_str()));
        let setters = optional.iter().map(|q| {
            let (name, ty) = (&q.name, query_type(&q.rust_type));
            let setter = format_ident!("{}", heck::ToSnakeCase::to_snake_case(q.name.as_str()));
            quote! { if let Some(value) = args.optional::<#ty>(#name)? { query = query.#setter(value); } }
        });
        prepare.push(quote! {
            let mut query = types::#query::new();
            #(#setters)*
        });
        args.push(quote!(query));
    }
    match &op.body {
        Some(Body { multipart: Some(files), .. }) => {
            for f in files {
                let name = &f.name;
                args.push(quote!(args.upload(#name)?));
            }
        }
        Some(body) => {
            let t = format_ident!("{}", type_name(&body.schema));
            args.push(quote!(args.body::<types::#t>()?));
        }
        None => {}
    }
    quote! {
        #id => {
            #(#prepare)*
            crate::runtime::to_json(client.#method(#(#args),*).await?)
        }
    }
}
