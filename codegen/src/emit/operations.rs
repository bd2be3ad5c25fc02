//! The facade: one method per operation on `opentact_client::Client`, the envelope impls
//! and the table of operations.

use std::collections::BTreeMap;

use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc, operation_doc, payload_type};
use crate::plan::{ParamKind, Plan, type_name};

/// The facade: one method per operation on `crate::runtime::Client`, returning the payload; `examples`
/// (from `examples::collect`) are the rustdoc examples, by `operationId`.
pub(crate) fn operations(plan: &Plan, examples: &BTreeMap<String, String>) -> TokenStream {
    let methods = plan.operations.iter().map(|op| {
        let name = format_ident!("{}", op.rust_name);
        let id = &op.id;
        let mut text = operation_doc(op);
        if let Some(example) = examples.get(&op.id) {
            text.push_str("\n\n");
            text.push_str(example);
        }
        let docs = doc(&text);
        let envelope = plan.envelopes.iter().find(|e| e.schema == op.envelope);
        let payload = envelope.map_or(quote!(()), |e| payload_type(&e.payload));

        let mut params = Vec::new();
        let mut prepare = Vec::new();
        let mut call_args = Vec::new();
        for p in &op.path_params {
            let ident = format_ident!("{}", p.name);
            let field = &p.name;
            match &p.kind {
                ParamKind::Uuid => {
                    params.push(quote!(#ident: ::uuid::Uuid));
                    call_args.push(quote!(#ident));
                }
                ParamKind::Named(t) => {
                    let t = format_ident!("{t}");
                    params.push(quote!(#ident: &str));
                    prepare.push(quote! {
                        let #ident: types::#t = crate::runtime::parse_param(OPERATION, #field, #ident)?;
                    });
                    call_args.push(quote!(#ident));
                }
            }
        }

        let send = match &op.body {
            Some(body) if body.multipart.is_some() => {
                let files: Vec<_> = body.multipart.iter().flatten().map(|f| format_ident!("{}", f.name)).collect();
                for f in &files {
                    params.push(quote!(#f: crate::runtime::Upload));
                }
                let path_refs = call_args.iter().map(|a| quote!(&#a));
                quote! { self.raw().#name(#(#path_refs,)* #(#files,)*).await }
            }
            Some(body) => {
                let t = format_ident!("{}", type_name(&body.schema));
                let rules = format_ident!("{}", body.schema.to_shouty_snake_case());
                params.push(quote!(body: impl crate::runtime::IntoBody<types::#t>));
                prepare.push(quote! {
                    let body = crate::runtime::IntoBody::into_body(body, crate::runtime::Context::new(OPERATION))?;
                    crate::runtime::validate(OPERATION, &body, crate::generated::validate::#rules)?;
                });
                let setters = op.path_params.iter().map(|p| format_ident!("{}", p.name));
                quote! { self.raw().#name() #(.#setters(#call_args))* .body(body).send().await }
            }
            None => {
                let setters = op.path_params.iter().map(|p| format_ident!("{}", p.name));
                quote! { self.raw().#name() #(.#setters(#call_args))* .send().await }
            }
        };

        quote! {
            #docs
            pub async fn #name(&self, #(#params),*) -> crate::runtime::Result<#payload> {
                const OPERATION: &str = #id;
                #(#prepare)*
                let result = #send;
                crate::runtime::payload(OPERATION, result).await
            }
        }
    });

    let envelopes = plan.envelopes.iter().map(|e| {
        let t = format_ident!("{}", type_name(&e.schema));
        let payload = payload_type(&e.payload);
        quote! {
            impl crate::runtime::Envelope for types::#t {
                type Payload = #payload;
                fn into_parts(self) -> crate::runtime::EnvelopeParts<Self::Payload> {
                    crate::runtime::EnvelopeParts {
                        success: self.success,
                        payload: crate::runtime::IntoPayload::into_payload(self.payload),
                        message: self.message,
                        status: self.status,
                    }
                }
            }
        }
    });

    let table = plan.operations.iter().map(|op| {
        let (id, method, path, name) = (&op.id, &op.method, &op.path, &op.rust_name);
        quote! { crate::runtime::Operation { id: #id, method: #method, path: #path, method_name: #name } }
    });

    quote! {
        use crate::generated::client::types;

        impl crate::runtime::Client {
            #(#methods)*
        }

        #(#envelopes)*

        /// Every operation of the API, in the order of the spec.
        pub const OPERATIONS: &[crate::runtime::Operation] = &[#(#table),*];
    }
}
