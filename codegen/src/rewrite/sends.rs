//! Two rewrites of the `send` methods progenitor generates for the raw client.
//!
//! - The `api-version` request header progenitor adds to every call goes. It is a dropshot
//!   convention (the spec's `info.version`, `1.0.0` here); Opentact's docs define no such
//!   header, so the client should not send it. Building it also cost a `HeaderMap` (two
//!   allocations) per call. Header parameters of the spec, if any, are kept.
//! - Responses decode through `crate::runtime::from_response`, which moves the headers into
//!   the `ResponseValue` where progenitor's `ResponseValue::from_response` clones them.

use syn::visit_mut::VisitMut;

use super::{SynPass, Target};
use crate::plan::Plan;

pub(crate) struct DropApiVersionHeader;

impl SynPass for DropApiVersionHeader {
    fn name(&self) -> &'static str {
        "sends-drop-api-version-header"
    }

    fn target(&self) -> Target {
        Target::Client
    }

    fn run(&self, file: &mut syn::File, _: &Plan) -> Result<(), String> {
        drop_api_version_header(file);
        match leftover_literal(file, "api-version") {
            true => Err("the api-version header is still sent".into()),
            false => Ok(()),
        }
    }
}

pub(crate) struct DecodeWithoutCloningHeaders;

impl SynPass for DecodeWithoutCloningHeaders {
    fn name(&self) -> &'static str {
        "sends-decode-without-cloning-headers"
    }

    fn target(&self) -> Target {
        Target::Client
    }

    fn run(&self, file: &mut syn::File, _: &Plan) -> Result<(), String> {
        decode_without_cloning_headers(file);
        let left = super::any_path(file, |path| {
            let mut names = path.segments.iter().map(|s| &s.ident);
            matches!((names.next(), names.next()), (Some(a), Some(b)) if a == "ResponseValue" && b == "from_response")
        });
        match left {
            true => Err("a ResponseValue::from_response call is left".into()),
            false => Ok(()),
        }
    }
}

/// Whether a string literal `value` is left in `file`.
fn leftover_literal(file: &mut syn::File, value: &str) -> bool {
    struct Find<'a>(&'a str, bool);
    impl VisitMut for Find<'_> {
        fn visit_lit_str_mut(&mut self, lit: &mut syn::LitStr) {
            self.1 |= lit.value() == self.0;
        }
    }
    let mut find = Find(value, false);
    find.visit_file_mut(file);
    find.1
}

/// Drops the header from every generated `send`; returns how many calls sent it.
fn drop_api_version_header(file: &mut syn::File) -> usize {
    let mut visitor = DropHeader { removed: 0 };
    visitor.visit_file_mut(file);
    visitor.removed
}

/// Points every `ResponseValue::from_response(..)` at `crate::runtime::from_response(..)`;
/// returns how many there were.
fn decode_without_cloning_headers(file: &mut syn::File) -> usize {
    let mut visitor = Decode { replaced: 0 };
    visitor.visit_file_mut(file);
    visitor.replaced
}

struct Decode {
    replaced: usize,
}

impl VisitMut for Decode {
    fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
        if let syn::Expr::Path(function) = &mut *call.func {
            let segments: Vec<String> = function.path.segments.iter().map(|s| s.ident.to_string()).collect();
            if segments == ["ResponseValue", "from_response"] {
                function.path = syn::parse_quote!(crate::runtime::from_response);
                self.replaced += 1;
            }
        }
        syn::visit_mut::visit_expr_call_mut(self, call);
    }
}

struct DropHeader {
    removed: usize,
}

impl VisitMut for DropHeader {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        syn::visit_mut::visit_block_mut(self, block);
        let before = block.stmts.len();
        block.stmts.retain(|stmt| !appends_api_version(stmt));
        if block.stmts.len() == before {
            return;
        }
        self.removed += 1;
        // Without other headers the map is empty: drop it and its `.headers(header_map)`.
        let still_used = block
            .stmts
            .iter()
            .any(|stmt| !declares_header_map(stmt) && !is_request_chain(stmt) && mentions_header_map(stmt));
        if !still_used {
            block.stmts.retain(|stmt| !declares_header_map(stmt));
            for stmt in &mut block.stmts {
                RemoveHeadersCall.visit_stmt_mut(stmt);
            }
        }
    }
}

fn tokens(stmt: &syn::Stmt) -> String {
    quote::quote!(#stmt).to_string()
}

/// `header_map.append(<"api-version">, ..)`. Checked structurally first: turning every
/// statement of the file into text would cost more than the rest of the pass.
fn appends_api_version(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Expr(syn::Expr::MethodCall(call), _) = stmt else { return false };
    let on_header_map = matches!(&*call.receiver, syn::Expr::Path(p) if p.path.is_ident("header_map"));
    on_header_map && call.method == "append" && tokens(stmt).contains("\"api-version\"")
}

fn declares_header_map(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Local(local) = stmt else { return false };
    matches!(&local.pat, syn::Pat::Ident(p) if p.ident == "header_map")
}

fn is_request_chain(stmt: &syn::Stmt) -> bool {
    matches!(stmt, syn::Stmt::Local(_)) && tokens(stmt).contains(". headers (header_map)")
}

fn mentions_header_map(stmt: &syn::Stmt) -> bool {
    tokens(stmt).split(|c: char| !c.is_alphanumeric() && c != '_').any(|word| word == "header_map")
}

/// `x.headers(header_map)` becomes `x`.
struct RemoveHeadersCall;

impl VisitMut for RemoveHeadersCall {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        while let syn::Expr::MethodCall(call) = expr
            && call.method == "headers"
            && call.args.len() == 1
            && matches!(&call.args[0], syn::Expr::Path(p) if p.path.is_ident("header_map"))
        {
            *expr = (*call.receiver).clone();
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEND: &str = r#"
        impl Op {
            pub async fn send(self) {
                let url = format!("{}/x", client.baseurl);
                let mut header_map = ::reqwest::header::HeaderMap::with_capacity(HEADERS);
                header_map.append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(super::Client::api_version()),
                );
                PARAM
                #[allow(unused_mut)]
                let mut request = client.client.get(url).header(ACCEPT, json).headers(header_map).build()?;
                client.exec(request).await
            }
        }
    "#;

    fn dropped(source: &str) -> (usize, String) {
        let mut file: syn::File = syn::parse_str(source).unwrap();
        let removed = drop_api_version_header(&mut file);
        (removed, prettyplease::unparse(&file))
    }

    #[test]
    fn the_header_and_its_empty_map_are_gone() {
        let (removed, out) = dropped(&SEND.replace("HEADERS", "1usize").replace("PARAM", ""));
        assert_eq!(removed, 1);
        assert!(!out.contains("api-version") && !out.contains("header_map"), "{out}");
        assert!(out.contains(".get(url).header(ACCEPT, json).build()?"), "the rest of the chain stays: {out}");
    }

    #[test]
    fn responses_decode_through_the_runtime() {
        let mut file: syn::File = syn::parse_str(
            "async fn send() { match status { 200u16 => ResponseValue::from_response(response).await, \
             _ => Err(Error::ErrorResponse(ResponseValue::from_response(response).await?)) } }",
        )
        .unwrap();
        assert_eq!(decode_without_cloning_headers(&mut file), 2);
        let out = prettyplease::unparse(&file);
        assert_eq!(out.matches("crate::runtime::from_response(response)").count(), 2, "{out}");
    }

    #[test]
    fn a_header_parameter_keeps_the_map() {
        let param = r#"header_map.append("x-trace", trace.to_string().try_into()?);"#;
        let (removed, out) = dropped(&SEND.replace("HEADERS", "2usize").replace("PARAM", param));
        assert_eq!(removed, 1);
        assert!(!out.contains("api-version"), "{out}");
        assert!(out.contains("\"x-trace\"") && out.contains(".headers(header_map)"), "{out}");
    }
}
