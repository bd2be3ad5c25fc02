//! Token streams for what progenitor does not generate, one file each; they read only the
//! plan. The runtime pieces they call (`crate::runtime`, `crate::UnknownValue`, ...) are
//! hand-written in opentact-client.

mod cli;
mod enums;
pub(crate) mod examples;
mod mcp;
mod multipart;
mod operations;
mod servers;
#[cfg(test)]
mod tests;
mod validation;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::plan::{Body, Envelope, Operation, ParamKind, Payload, QueryParam, QueryType, type_name};

pub(crate) use cli::cli_commands;
pub(crate) use enums::enums;
pub(crate) use mcp::mcp_tools;
pub(crate) use multipart::multipart_methods;
pub(crate) use operations::operations;
pub(crate) use servers::servers;
pub(crate) use validation::validation_rules;

pub(crate) fn module_list() -> TokenStream {
    // Properties the spec leaves undescribed have no docs; everything described is. progenitor's
    // httpmock output formats path values with `.to_string()`, which newer clippy flags.
    quote! {
        #[allow(missing_docs)]
        pub(crate) mod client;
        pub(crate) mod enums;
        pub(crate) mod multipart;
        pub(crate) mod operations;
        pub(crate) mod servers;
        pub(crate) mod validate;
        #[cfg(feature = "mock")]
        #[allow(missing_docs, clippy::to_string_in_format_args)]
        pub(crate) mod httpmock;
    }
}

/// The module list of the CLI's generated directory.
pub(crate) fn cli_module_list() -> TokenStream {
    quote! {
        pub(crate) mod commands;
    }
}

/// The module list of the MCP server's generated directory.
pub(crate) fn mcp_module_list() -> TokenStream {
    quote! {
        pub(crate) mod tools;
    }
}

pub(crate) fn doc(text: &str) -> TokenStream {
    quote! { #[doc = #text] }
}

pub(crate) fn operation_doc(op: &Operation) -> String {
    let mut text = op.summary.clone();
    if !op.description.is_empty() {
        text.push_str("\n\n");
        text.push_str(&op.description);
    }
    let files = op.body.as_ref().and_then(|b| b.multipart.as_ref()).into_iter().flatten();
    let arguments: Vec<String> = op
        .path_params
        .iter()
        .map(|p| format!("\n- `{}`: {}", p.name, p.description))
        .chain(files.map(|f| format!("\n- `{}`: {}", f.name, f.description)))
        .collect();
    if !arguments.is_empty() {
        text.push_str("\n\nArguments:");
        text.push_str(&arguments.concat());
    }
    text.push_str(&format!("\n\n`{} {}` (operation `{}`).", op.method, op.path, op.id));
    text
}

/// The Rust type of an envelope's payload.
pub(crate) fn payload_type(payload: &Payload) -> TokenStream {
    match payload {
        Payload::One(t) => {
            let t = format_ident!("{t}");
            quote!(types::#t)
        }
        Payload::Many(t) => {
            let t = format_ident!("{t}");
            quote!(::std::vec::Vec<types::#t>)
        }
        Payload::Text => quote!(::std::string::String),
        Payload::FreeForm => quote!(::serde_json::Map<::std::string::String, ::serde_json::Value>),
        Payload::Map(t) => {
            let t = format_ident!("{t}");
            quote!(::std::collections::HashMap<::std::string::String, types::#t>)
        }
        Payload::Absent => quote!(()),
    }
}

/// What a facade call returns for an envelope: its payload, or the whole envelope when it has
/// fields beside the payload (the caller needs them too).
pub(crate) fn returned_type(envelope: &Envelope) -> TokenStream {
    if envelope.beside.is_empty() {
        payload_type(&envelope.payload)
    } else {
        let t = format_ident!("{}", type_name(&envelope.schema));
        quote!(types::#t)
    }
}

pub(crate) fn raw_param_type(kind: &ParamKind) -> TokenStream {
    match kind {
        ParamKind::Uuid => quote!(::uuid::Uuid),
        ParamKind::Named(name) => {
            let name = format_ident!("{name}");
            quote!(types::#name)
        }
        ParamKind::Enum(name) => {
            let name = format_ident!("{name}");
            quote!(crate::generated::enums::#name)
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

/// The `match` arm of a front end (CLI, MCP) that calls the facade method of `op` with the
/// values read from `values` (the CLI's parsed flags, the tool's arguments: both have `uuid`,
/// `text`, `required`, `optional`, `upload` and `body`). With `walk_pages`, a paged search walks
/// every page (its `<operation>_pages`) when `values.all_pages()` says so.
pub(crate) fn front_end_call_arm(op: &Operation, values: &proc_macro2::Ident, walk_pages: bool) -> TokenStream {
    let id = &op.id;
    let method = format_ident!("{}", op.rust_name);
    let mut prepare = Vec::new();
    let mut args = Vec::new();
    for p in &op.path_params {
        let name = &p.name;
        args.push(match &p.kind {
            ParamKind::Uuid => quote!(#values.uuid(#name)?),
            ParamKind::Named(_) => quote!(#values.text(#name)?),
            ParamKind::Enum(t) => {
                let t = format_ident!("{t}");
                quote!(#values.required::<types::#t>(#name)?)
            }
        });
    }
    for q in op.query_params.iter().filter(|q| q.required) {
        let (name, ty) = (&q.name, query_type(&q.rust_type));
        args.push(match q.rust_type {
            QueryType::String => quote!(&#values.required::<String>(#name)?),
            _ => quote!(#values.required::<#ty>(#name)?),
        });
    }
    let optional: Vec<&QueryParam> = op.query_params.iter().filter(|q| !q.required).collect();
    if !optional.is_empty() {
        let query = format_ident!("{}Query", heck::ToUpperCamelCase::to_upper_camel_case(op.id.as_str()));
        let setters = optional.iter().map(|q| {
            let (name, ty) = (&q.name, query_type(&q.rust_type));
            let setter = format_ident!("{}", heck::ToSnakeCase::to_snake_case(q.name.as_str()));
            quote! { if let Some(value) = #values.optional::<#ty>(#name)? { query = query.#setter(value); } }
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
                args.push(quote!(#values.upload(#name)?));
            }
        }
        Some(body) => {
            let t = format_ident!("{}", type_name(&body.schema));
            args.push(quote!(#values.body::<types::#t>()?));
        }
        None => {}
    }
    let call = quote!(crate::runtime::to_json(client.#method(#(#args),*).await?));
    let call = match op.paged.is_some() && walk_pages {
        false => call,
        true => {
            let pages = format_ident!("{}_pages", op.rust_name);
            quote! {
                if #values.all_pages() {
                    crate::runtime::to_json(client.#pages(#(#args),*).all().await?)
                } else {
                    #call
                }
            }
        }
    };
    quote! {
        #id => {
            #(#prepare)*
            #call
        }
    }
}
