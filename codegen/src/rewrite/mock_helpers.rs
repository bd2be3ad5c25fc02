//! Reshapes progenitor's typed httpmock helpers so that a test names only what it cares about.
//!
//! progenitor's `Then` helpers take the whole response body, so a test wrote envelope fields
//! it never sees (`success: true, message: None, status: None`, a boxed payload). This pass
//! makes each success helper (`ok`, `created`) take the payload and wrap it in the
//! `{success, payload}` envelope, and adds `api_error(status, message)`, which answers the
//! service's error body (`{success: false, message, status}`) with that HTTP status.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;
use syn::visit_mut::VisitMut;

use super::{SynPass, Target};
use crate::plan::{Payload, Plan, type_name};

pub(crate) struct ReshapeMockHelpers;

impl SynPass for ReshapeMockHelpers {
    fn name(&self) -> &'static str {
        "mock-helpers"
    }

    fn target(&self) -> Target {
        Target::Mock
    }

    fn run(&self, file: &mut syn::File, plan: &Plan) -> Result<(), String> {
        reshape(file, &payload_types(plan))
    }
}

/// Each envelope's Rust name, with the type its payload is lent as to a typed mock; `None` for
/// an envelope whose helper keeps taking the whole envelope (it has fields beside the payload,
/// or no payload).
fn payload_types(plan: &Plan) -> BTreeMap<String, Option<TokenStream>> {
    plan.envelopes
        .iter()
        .map(|e| {
            let payload = match &e.payload {
                _ if !e.beside.is_empty() => None,
                Payload::Absent => None,
                Payload::Many(t) => {
                    let t = quote::format_ident!("{t}");
                    Some(quote!([types::#t]))
                }
                Payload::Text => Some(quote!(str)),
                other => Some(crate::emit::payload_type(other)),
            };
            (type_name(&e.schema), payload)
        })
        .collect()
}

/// Rewrites the `Then` helpers of `file` (progenitor's httpmock output). `payloads` maps an
/// envelope's Rust name to the type of its payload as a reference (`types::SipControlApp` or
/// `[types::SipControlApp]`).
fn reshape(file: &mut syn::File, payloads: &BTreeMap<String, Option<TokenStream>>) -> Result<(), String> {
    let operations =
        super::module_items(file, "operations").ok_or("progenitor's httpmock output has no `operations` module")?;
    for item in operations.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        let is_then = matches!(&*imp.self_ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident.to_string().ends_with("Then")));
        if !is_then || imp.trait_.is_some() {
            continue;
        }
        for member in imp.items.iter_mut() {
            let syn::ImplItem::Fn(method) = member else { continue };
            let Some(envelope) = envelope_argument(&method.sig) else { continue };
            let payload = match payloads.get(&envelope) {
                Some(Some(payload)) => payload,
                Some(None) => continue,
                None => return Err(format!("no payload known for the mocked response {envelope}")),
            };
            let status = status_code(&method.block)
                .ok_or_else(|| format!("the mock helper {} sets no status", method.sig.ident))?;
            let name = &method.sig.ident;
            let doc = format!("Answers HTTP {status} with `{{\"success\": true, \"payload\": ...}}` around `payload`.");
            *method = syn::parse2(quote! {
                #[doc = #doc]
                pub fn #name(self, payload: &#payload) -> Self {
                    Self(
                        self.0
                            .status(#status)
                            .header("content-type", "application/json")
                            .json_body_obj(&crate::runtime::Success::new(payload)),
                    )
                }
            })
            .map_err(|e| format!("a mock helper does not parse: {e}"))?;
        }
        let api_error: syn::ImplItemFn = syn::parse2(quote! {
            /// Answers the service's error body, `{"success": false, "message": ..., "status": ...}`,
            /// with HTTP `status` (e.g. `api_error(402, "Not enough account balance")`).
            pub fn api_error(self, status: u16, message: &str) -> Self {
                Self(
                    self.0
                        .status(status)
                        .header("content-type", "application/json")
                        .json_body_obj(&crate::runtime::Failure::new(status, message)),
                )
            }
        })
        .map_err(|e| format!("api_error does not parse: {e}"))?;
        imp.items.push(syn::ImplItem::Fn(api_error));
    }
    Ok(())
}

/// `E` of a helper's `value: &types::E` argument.
fn envelope_argument(sig: &syn::Signature) -> Option<String> {
    sig.inputs.iter().find_map(|input| {
        let syn::FnArg::Typed(arg) = input else { return None };
        let syn::Type::Reference(reference) = &*arg.ty else { return None };
        let syn::Type::Path(path) = &*reference.elem else { return None };
        let segments: Vec<String> = path.path.segments.iter().map(|s| s.ident.to_string()).collect();
        match segments.as_slice() {
            [module, name] if module == "types" => Some(name.clone()),
            _ => None,
        }
    })
}

/// The literal of the first `.status(..)` call in a helper's body.
fn status_code(block: &syn::Block) -> Option<syn::LitInt> {
    struct Find(Option<syn::LitInt>);
    impl VisitMut for Find {
        fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
            if self.0.is_none()
                && call.method == "status"
                && let Some(syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(n), .. })) = call.args.first()
            {
                self.0 = Some(n.clone());
            }
            syn::visit_mut::visit_expr_method_call_mut(self, call);
        }
    }
    // syn's read-only visitor is not enabled in this workspace; this one walks a copy.
    let mut find = Find(None);
    find.visit_block_mut(&mut block.clone());
    find.0
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = r#"
        pub mod operations {
            pub struct GetAppThen(::httpmock::Then);
            impl GetAppThen {
                pub fn new(inner: ::httpmock::Then) -> Self { Self(inner) }
                pub fn ok(self, value: &types::AppResponse) -> Self {
                    Self(self.0.status(200u16).header("content-type", "application/json").json_body_obj(value))
                }
                pub fn created(self, value: &types::AppResponse) -> Self {
                    Self(self.0.status(201u16).json_body_obj(value))
                }
            }
        }
    "#;

    fn payloads() -> BTreeMap<String, Option<TokenStream>> {
        BTreeMap::from([("AppResponse".to_string(), Some(quote!(types::App)))])
    }

    #[test]
    fn success_helpers_take_the_payload_and_keep_their_status() {
        let mut file = syn::parse_str(SOURCE).unwrap();
        reshape(&mut file, &payloads()).unwrap();
        let out = prettyplease::unparse(&file);
        assert!(out.contains("pub fn ok(self, payload: &types::App) -> Self"), "{out}");
        assert!(out.contains("pub fn created(self, payload: &types::App) -> Self"), "{out}");
        assert!(out.contains(".status(201u16)"), "{out}");
        assert!(out.contains("pub fn api_error(self, status: u16, message: &str) -> Self"), "{out}");
        assert!(!out.contains("AppResponse"), "{out}");
    }

    #[test]
    fn an_envelope_returned_whole_keeps_its_helper() {
        let mut file = syn::parse_str(SOURCE).unwrap();
        reshape(&mut file, &BTreeMap::from([("AppResponse".to_string(), None)])).unwrap();
        let out = prettyplease::unparse(&file);
        assert!(out.contains("pub fn ok(self, value: &types::AppResponse) -> Self"), "{out}");
        assert!(out.contains("pub fn api_error(self, status: u16, message: &str) -> Self"), "{out}");
    }

    #[test]
    fn an_envelope_without_a_known_payload_is_an_error() {
        let error = reshape(&mut syn::parse_str(SOURCE).unwrap(), &BTreeMap::new()).unwrap_err();
        assert!(error.contains("AppResponse"), "{error}");
    }
}
