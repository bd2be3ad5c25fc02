//! The spec's `servers`, one constant each, for `opentact_client::Server`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::doc;
use crate::plan::Plan;

pub(crate) fn servers(plan: &Plan) -> TokenStream {
    let constants = plan.servers.iter().map(|server| {
        let name = format_ident!("{}", server.constant);
        let url = &server.url;
        let docs = doc(&server.description);
        quote! {
            #docs
            pub(crate) const #name: &str = #url;
        }
    });
    quote! { #(#constants)* }
}
