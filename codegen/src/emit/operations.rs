//! The facade: one method per operation on `opentact_client::Client`, the envelope impls,
//! the table of operations and the `match` from method name to `operationId` the hooks use.

use std::collections::BTreeMap;

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc, operation_doc, returned_type};
use crate::plan::{
    Credential, Cursor, Operation, Paged, ParamKind, Payload, Plan, QueryType, Success, query_table, type_name,
};

/// The facade: one method per operation on `crate::runtime::Client`, returning the payload; `examples`
/// (from `examples::collect`) are the rustdoc examples, by `operationId`.
pub(crate) fn operations(plan: &Plan, examples: &BTreeMap<String, String>) -> TokenStream {
    let methods = plan.operations.iter().map(|op| {
        let name = format_ident!("{}", op.rust_name);
        let id = &op.id;
        let envelope = plan.envelopes.iter().find(|e| Some(e.schema.as_str()) == op.envelope());
        let mut text = operation_doc(op);
        // What comes back when it is not the payload alone.
        match (envelope, &op.success) {
            (Some(e), _) if !e.beside.is_empty() => {
                let fields: Vec<String> = e.beside.iter().map(|f| format!("`{f}`")).collect();
                text.push_str(&format!(
                    "\n\nReturns the whole envelope: its `payload` (always present) and {}.",
                    fields.join(", ")
                ));
            }
            (_, Success::Empty) => text.push_str("\n\nThe service answers without a body."),
            _ => {}
        }
        if let Some(example) = examples.get(&op.id) {
            text.push_str("\n\n");
            text.push_str(example);
        }
        let docs = doc(&text);
        let returned = envelope.map_or(quote!(()), returned_type);

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
                ParamKind::Enum(t) => {
                    let t = format_ident!("{t}");
                    params.push(quote!(#ident: crate::generated::enums::#t));
                    call_args.push(quote!(#ident));
                }
            }
        }

        // Query parameters: required ones are arguments, optional ones a `<Operation>Query`.
        let query_struct = format_ident!("{}", query_struct_name(op));
        let mut query_setters = Vec::new();
        let mut query_json = Vec::new();
        for q in op.query_params.iter().filter(|q| q.required) {
            let ident = format_ident!("{}", q.name.to_snake_case());
            let name = &q.name;
            let ty = argument_type(&q.rust_type);
            params.push(quote!(#ident: #ty));
            query_setters.push(quote!(let request = request.#ident(#ident);));
            query_json.push(quote!((#name.to_string(), ::serde_json::to_value(Some(&#ident)).unwrap_or_default())));
        }
        let optional: Vec<_> = op.query_params.iter().filter(|q| !q.required).collect();
        if !optional.is_empty() {
            params.push(quote!(query: queries::#query_struct));
        }
        for q in &optional {
            let ident = format_ident!("{}", q.name.to_snake_case());
            let name = &q.name;
            query_json
                .push(quote!((#name.to_string(), ::serde_json::to_value(query.#ident.as_ref()).unwrap_or_default())));
            query_setters.push(quote! {
                let request = match query.#ident { Some(value) => request.#ident(value), None => request };
            });
        }
        // Only parameters with limits cost a check per call (the table exists only then).
        if op.query_params.iter().any(|q| !q.rules.is_empty()) {
            let rules = format_ident!("{}", query_table(&op.id).to_shouty_snake_case());
            prepare.push(quote! {
                let query_values = ::serde_json::Value::Object(::serde_json::Map::from_iter([#(#query_json),*]));
                crate::runtime::validate(OPERATION, &query_values, crate::generated::validate::#rules)?;
            });
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
                quote! {{
                    let request = self.raw().#name() #(.#setters(#call_args))*;
                    #(#query_setters)*
                    request.body(body).send().await
                }}
            }
            None => {
                let setters = op.path_params.iter().map(|p| format_ident!("{}", p.name));
                quote! {{
                    let request = self.raw().#name() #(.#setters(#call_args))*;
                    #(#query_setters)*
                    request.send().await
                }}
            }
        };

        // A success without a body has no envelope to unwrap.
        let call = match op.success {
            Success::Envelope(_) => quote!(crate::runtime::call),
            Success::Empty => quote!(crate::runtime::call_empty),
        };
        let pages_example = examples.get(&super::examples::pages_key(&op.id));
        let pages = op.paged.as_ref().map(|paged| pages_method(op, paged, &params, pages_example));
        quote! {
            #docs
            pub async fn #name(&self, #(#params),*) -> crate::runtime::Result<#returned> {
                const OPERATION: &str = #id;
                #(#prepare)*
                #call(OPERATION, async { #send }).await
            }
            #pages
        }
    });

    let envelopes = plan.envelopes.iter().map(|e| {
        let t = format_ident!("{}", type_name(&e.schema));
        let returned = returned_type(e);
        let into_parts = if !e.beside.is_empty() {
            // The whole envelope is the answer; its payload must be there all the same.
            quote! {
                let (success, message, status) = (self.success, self.message.clone(), self.status);
                let present = crate::runtime::IntoPayload::is_present(&self.payload);
                crate::runtime::EnvelopeParts { success, payload: present.then_some(self), message, status }
            }
        } else if matches!(e.payload, Payload::Absent) {
            quote! {
                crate::runtime::EnvelopeParts {
                    success: self.success,
                    payload: Some(()),
                    message: self.message,
                    status: self.status,
                }
            }
        } else {
            quote! {
                crate::runtime::EnvelopeParts {
                    success: self.success,
                    payload: crate::runtime::IntoPayload::into_payload(self.payload),
                    message: self.message,
                    status: self.status,
                }
            }
        };
        quote! {
            impl crate::runtime::Envelope for types::#t {
                type Payload = #returned;
                fn succeeded(&self) -> bool {
                    self.success
                }
                fn into_parts(self) -> crate::runtime::EnvelopeParts<Self::Payload> {
                    #into_parts
                }
            }
        }
    });

    let table = plan.operations.iter().map(|op| {
        let (id, method, path, name) = (&op.id, &op.method, &op.path, &op.rust_name);
        quote! { crate::runtime::Operation { id: #id, method: #method, path: #path, method_name: #name } }
    });

    let queries = plan.operations.iter().filter_map(query_struct);

    let ids = plan.operations.iter().map(|op| {
        let (id, name) = (&op.id, &op.rust_name);
        quote! { #name => #id, }
    });

    let credentials = plan.operations.iter().map(|op| {
        let name = &op.rust_name;
        let credential = match op.credential {
            Credential::Token => quote!(Token),
            Credential::Basic => quote!(Basic),
            Credential::None => quote!(None),
        };
        quote! { #name => crate::runtime::Credential::#credential, }
    });

    quote! {
        use crate::generated::client::types;

        /// The optional query parameters of the operations that have some, one struct each.
        pub mod queries {
            #[allow(unused_imports)]
            use crate::generated::client::types;
            #(#queries)*
        }

        impl crate::runtime::Client {
            #(#methods)*
        }

        #(#envelopes)*

        /// Every operation of the API, in the order of the spec.
        pub const OPERATIONS: &[crate::runtime::Operation] = &[#(#table),*];

        /// The `operationId` of a generated method (progenitor gives the hooks the method
        /// name); a name that is no operation's comes back unchanged.
        pub(crate) fn operation_id(method_name: &str) -> &str {
            match method_name {
                #(#ids)*
                other => other,
            }
        }

        /// What a generated method authenticates with (the spec's `security`); a name that is no
        /// operation's gets nothing.
        pub(crate) fn credential(method_name: &str) -> crate::runtime::Credential {
            match method_name {
                #(#credentials)*
                _ => crate::runtime::Credential::None,
            }
        }
    }
}

/// `<operation>_pages`: the same arguments, a [`Pager`] of the items that calls the operation
/// once per page with the cursor set (the caller's page size and start, else the defaults).
fn pages_method(op: &Operation, paged: &Paged, params: &[TokenStream], example: Option<&String>) -> TokenStream {
    let name = format_ident!("{}", op.rust_name);
    let pages = format_ident!("{}_pages", op.rust_name);
    let id = &op.id;
    let item = format_ident!("{}", paged.item_type);
    let (items, total) = (format_ident!("{}", paged.items.to_snake_case()), format_ident!("{}", paged.total));
    let (size, start) =
        (format_ident!("{}", paged.size_param.to_snake_case()), format_ident!("{}", paged.start_param.to_snake_case()));
    let default_size = paged.default_size;
    // The cursor fields' own type (`i32` with `format: int32`); a value too large for it saturates.
    let int32 =
        |param: &str| op.query_params.iter().any(|q| q.name == param && matches!(q.rust_type, QueryType::Integer32));
    let to_field = |param: &str, value: TokenStream| {
        if int32(param) { quote!(Some(i32::try_from(#value).unwrap_or(i32::MAX))) } else { quote!(Some(#value)) }
    };
    let read = |param: &str, ident: &proc_macro2::Ident| {
        if int32(param) { quote!(query.#ident.map(i64::from)) } else { quote!(query.#ident) }
    };
    let (size_now, start_now) = (read(&paged.size_param, &size), read(&paged.start_param, &start));
    let first = match paged.cursor {
        Cursor::TakeSkip => quote!(crate::runtime::first_page(#size_now, #default_size, #start_now, None)),
        Cursor::PageSize => quote!(crate::runtime::first_page(#size_now, #default_size, None, #start_now)),
    };
    let set_size = to_field(&paged.size_param, quote!(request.size));
    let set_start = match paged.cursor {
        Cursor::TakeSkip => to_field(&paged.start_param, quote!(request.offset)),
        Cursor::PageSize => to_field(&paged.start_param, quote!(request.number)),
    };

    // Every argument is owned by the pager and cloned into each page's call.
    let mut own = Vec::new();
    let mut each = Vec::new();
    let mut args = Vec::new();
    // `borrowed`: the method takes `&str` (owned as a `String`); `copy`: nothing to clone.
    let mut own_value = |ident: proc_macro2::Ident, borrowed: bool, copy: bool| {
        if borrowed {
            own.push(quote!(let #ident = #ident.to_owned();));
            args.push(quote!(&#ident));
        } else {
            args.push(quote!(#ident));
        }
        if !copy {
            each.push(quote!(let #ident = #ident.clone();));
        }
    };
    for p in &op.path_params {
        let named = matches!(p.kind, ParamKind::Named(_));
        own_value(format_ident!("{}", p.name), named, !named);
    }
    for q in op.query_params.iter().filter(|q| q.required) {
        let (string, clone) = (matches!(q.rust_type, QueryType::String), matches!(q.rust_type, QueryType::Enum(_)));
        own_value(format_ident!("{}", q.name.to_snake_case()), string, !string && !clone);
    }
    let body = op.body.as_ref().map(|body| {
        let t = format_ident!("{}", type_name(&body.schema));
        quote! {
            const OPERATION: &str = #id;
            let body: types::#t = match crate::runtime::IntoBody::into_body(body, crate::runtime::Context::new(OPERATION)) {
                Ok(body) => body,
                Err(error) => return crate::runtime::Pager::failed(error),
            };
        }
    });
    // Cloned below, to set its cursor.
    own_value(format_ident!("query"), false, true);
    if op.body.is_some() {
        own_value(format_ident!("body"), false, false);
    }
    let mut text = format!(
        "Every item of `{}` ([`Client::{}`](crate::Client::{})), page by page: a `Stream` of `{}`s, or \
         `next().await` and `all().await` (see [`Pager`](crate::Pager)). The page size is `query`'s `{}` or {}, \
         the walk starts at its `{}`; it stops at the page's `{}`, or at a page without `{}`.",
        op.id,
        op.rust_name,
        op.rust_name,
        paged.item_type,
        paged.size_param,
        default_size,
        paged.start_param,
        paged.total,
        paged.items,
    );
    if let Some(example) = example {
        text.push_str("\n\n");
        text.push_str(example);
    }
    let docs = doc(&text);
    quote! {
        #docs
        pub fn #pages(&self, #(#params),*) -> crate::runtime::Pager<types::#item> {
            #body
            #(#own)*
            let first = #first;
            let client = self.clone();
            crate::runtime::pager(first, move |request: crate::runtime::PageRequest| {
                let client = client.clone();
                #(#each)*
                let mut query = query.clone();
                query.#size = #set_size;
                query.#start = #set_start;
                async move {
                    let page = client.#name(#(#args),*).await?;
                    Ok(crate::runtime::Page {
                        items: crate::runtime::PageItems::into_items(page.#items),
                        total: crate::runtime::PageTotal::into_total(page.#total),
                    })
                }
            })
        }
    }
}

fn query_struct_name(op: &Operation) -> String {
    format!("{}Query", op.id.to_upper_camel_case())
}

/// The Rust type a query parameter's value has: the facade's argument, and the struct field.
fn value_type(t: &QueryType) -> TokenStream {
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

fn argument_type(t: &QueryType) -> TokenStream {
    match t {
        QueryType::String => quote!(&str),
        other => value_type(other),
    }
}

/// `<Operation>Query`: the optional query parameters, each `None` (not sent) unless set.
fn query_struct(op: &Operation) -> Option<TokenStream> {
    let optional: Vec<_> = op.query_params.iter().filter(|q| !q.required).collect();
    if optional.is_empty() {
        return None;
    }
    let name = format_ident!("{}", query_struct_name(op));
    let fields = optional.iter().map(|q| {
        let ident = format_ident!("{}", q.name.to_snake_case());
        let ty = value_type(&q.rust_type);
        let docs = doc(if q.description.is_empty() { &q.name } else { &q.description });
        quote! { #docs pub #ident: Option<#ty>, }
    });
    let setters = optional.iter().map(|q| {
        let ident = format_ident!("{}", q.name.to_snake_case());
        let docs = doc(&format!("Sets `{}` (sent as `?{}=...`).", q.name, q.name));
        match &q.rust_type {
            QueryType::String => quote! {
                #docs
                pub fn #ident(mut self, value: impl Into<String>) -> Self { self.#ident = Some(value.into()); self }
            },
            other => {
                let ty = value_type(other);
                quote! {
                    #docs
                    pub fn #ident(mut self, value: #ty) -> Self { self.#ident = Some(value); self }
                }
            }
        }
    });
    let docs = doc(&format!(
        "The optional query parameters of `Client::{}` ({}); a parameter left `None` is not sent.",
        op.rust_name, op.id
    ));
    Some(quote! {
        #docs
        #[derive(Debug, Clone, Default, PartialEq)]
        #[non_exhaustive]
        pub struct #name { #(#fields)* }
        impl #name {
            /// No parameter set.
            pub fn new() -> Self { Self::default() }
            #(#setters)*
        }
    })
}
