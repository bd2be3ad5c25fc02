//! The `opentact` CLI's command table and dispatch (`opentact-cli/src/generated/commands.rs`):
//! one command per operation, grouped by tag, its arguments from the operation's parameters,
//! its top-level scalar body fields and its files. The hand-written crate builds the clap
//! commands from the table, reads the values (`Input`) and prints the payload; `call` is the
//! only code that names the client's methods and types. Like the client's, this generated
//! code names the hand-written crate only through `crate::runtime`.

use heck::ToKebabCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::front_end_call_arm;
use crate::plan::{Body, FieldKind, Operation, ParamKind, Payload, Plan, QueryParam, QueryType, Scalar};

/// Flags of the CLI itself: a query parameter with one of these names is `--query-<name>`, a
/// body field with one of these names (or a parameter's) is `--body-<name>`.
const GLOBAL_FLAGS: [&str; 9] = ["body", "output", "raw", "dry-run", "server", "base-url", "help", "version", "all"];

pub(crate) fn cli_commands(plan: &Plan) -> TokenStream {
    let groups = plan.tags.iter().map(|t| {
        let (name, tag, about) = (&t.group, &t.name, &t.description);
        quote! { Group { name: #name, tag: #tag, about: #about } }
    });
    let commands = plan.operations.iter().map(|op| command(plan, op));
    let arms = plan.operations.iter().map(|op| front_end_call_arm(op, &format_ident!("input"), true));
    quote! {
        #[allow(unused_imports)]
        use opentact_client::types;
        use crate::runtime::{Arg, BodyKind, Command, Effect, Group, Location, ValueType};

        /// One group per tag, in the order of the spec's tags.
        pub const GROUPS: &[Group] = &[#(#groups),*];

        /// One command per operation, in the order of the spec.
        pub const COMMANDS: &[Command] = &[#(#commands),*];

        /// Calls the command's operation with the values `input` holds; the payload as JSON.
        pub(crate) async fn call(
            client: &opentact_client::Client,
            input: &crate::runtime::Input<'_>,
        ) -> Result<::serde_json::Value, crate::runtime::Error> {
            match input.operation() {
                #(#arms)*
                other => Err(crate::runtime::Error::unknown_operation(other)),
            }
        }
    }
}

fn command(plan: &Plan, op: &Operation) -> TokenStream {
    let group = plan.tags.iter().find(|t| t.name == op.tag).map_or_else(|| op.tag.to_kebab_case(), |t| t.group.clone());
    let (id, name, method, path, summary, description) =
        (&op.id, &op.command, &op.method, &op.path, &op.summary, &op.description);
    let effect = format_ident!("{}", op.effect.variant());
    let list = plan
        .envelopes
        .iter()
        .any(|e| Some(e.schema.as_str()) == op.envelope() && matches!(e.payload, Payload::Many(_)));
    let body = match &op.body {
        None => quote!(BodyKind::None),
        Some(Body { multipart: Some(_), .. }) => quote!(BodyKind::Multipart),
        Some(_) => quote!(BodyKind::Json),
    };
    let mut args = Vec::new();
    let mut taken: Vec<String> = Vec::new();
    for p in &op.path_params {
        let value = match &p.kind {
            ParamKind::Uuid => quote!(ValueType::Uuid),
            ParamKind::Named(_) => quote!(ValueType::String),
            ParamKind::Enum(name) => scalar_value(plan, &Scalar::Enum(name.clone())),
        };
        args.push(arg(&p.name, &p.name, quote!(Location::Path), value, false, true, &p.description));
        taken.push(p.name.to_kebab_case());
    }
    for q in &op.query_params {
        let mut flag = q.name.to_kebab_case();
        if GLOBAL_FLAGS.contains(&flag.as_str()) {
            flag = format!("query-{flag}");
        }
        let value = scalar_value(plan, &query_scalar(q));
        args.push(arg(&q.name, &flag, quote!(Location::Query), value, false, q.required, &q.description));
        taken.push(flag);
    }
    if let Some(body) = &op.body {
        for f in body.multipart.iter().flatten() {
            let flag = f.name.to_kebab_case();
            args.push(arg(
                &f.name,
                &flag,
                quote!(Location::File),
                quote!(ValueType::File),
                false,
                true,
                &f.description,
            ));
            taken.push(flag);
        }
        for field in &body.fields {
            let (scalar, list) = match &field.kind {
                FieldKind::Scalar(s) => (s, false),
                FieldKind::List(s) => (s, true),
                FieldKind::Nested => continue,
            };
            let mut flag = field.name.to_kebab_case();
            if GLOBAL_FLAGS.contains(&flag.as_str()) || taken.contains(&flag) {
                flag = format!("body-{flag}");
            }
            let value = scalar_value(plan, scalar);
            // Not required on the command line: `--body` may carry it.
            let help =
                if field.required { format!("{} (required)", field.description) } else { field.description.clone() };
            args.push(arg(&field.name, &flag, quote!(Location::Body), value, list, false, help.trim()));
            taken.push(flag);
        }
    }
    let paged = op.paged.is_some();
    quote! {
        Command {
            operation: #id,
            group: #group,
            name: #name,
            method: #method,
            path: #path,
            summary: #summary,
            description: #description,
            effect: Effect::#effect,
            list: #list,
            paged: #paged,
            body: #body,
            args: &[#(#args),*],
        }
    }
}

fn arg(
    name: &str,
    flag: &str,
    location: TokenStream,
    value: TokenStream,
    list: bool,
    required: bool,
    help: &str,
) -> TokenStream {
    quote! {
        Arg { name: #name, flag: #flag, location: #location, value: #value, list: #list, required: #required, help: #help }
    }
}

fn query_scalar(q: &QueryParam) -> Scalar {
    match &q.rust_type {
        QueryType::Integer32 | QueryType::Integer => Scalar::Integer,
        QueryType::Number => Scalar::Number,
        QueryType::Boolean => Scalar::Boolean,
        QueryType::String => Scalar::String,
        QueryType::Enum(rust) => Scalar::Enum(rust.clone()),
    }
}

/// The table's `ValueType` of a scalar; an enum lists its documented wire values.
fn scalar_value(plan: &Plan, scalar: &Scalar) -> TokenStream {
    match scalar {
        Scalar::Integer => quote!(ValueType::Integer),
        Scalar::Number => quote!(ValueType::Number),
        Scalar::Boolean => quote!(ValueType::Boolean),
        Scalar::String => quote!(ValueType::String),
        // Body fields name the schema, query parameters the Rust type: either finds the enum.
        Scalar::Enum(name) => match plan.enums.iter().find(|e| e.schema == *name || e.rust_name == *name) {
            Some(e) => {
                let values: Vec<String> = e
                    .variants
                    .iter()
                    .map(|v| v.value.as_str().map_or_else(|| v.value.to_string(), str::to_string))
                    .collect();
                if e.integer {
                    quote!(ValueType::IntegerEnum(&[#(#values),*]))
                } else {
                    quote!(ValueType::Enum(&[#(#values),*]))
                }
            }
            None => quote!(ValueType::String),
        },
    }
}
