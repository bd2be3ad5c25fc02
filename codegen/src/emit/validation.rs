//! Validation rule tables for the JSON request bodies (`crate::runtime::validate` checks them
//! on the JSON a body serialises to).

use heck::ToShoutySnakeCase;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::doc;
use crate::plan::{BodyRule, Check, Plan, Step};

/// One `&[Rule]` constant per request body schema.
pub(crate) fn validation_rules(plan: &Plan) -> TokenStream {
    let tables = plan.validation.iter().map(|table| {
        let rules = table.rules.iter().map(rule);
        let name = format_ident!("{}", table.schema.to_shouty_snake_case());
        let docs = doc(&format!("Rules of `{}`.", table.schema));
        quote! {
            #docs
            pub(crate) const #name: &[Rule] = &[#(#rules),*];
        }
    });
    quote! {
        use crate::runtime::{Check, Rule, Step};
        #(#tables)*
    }
}

fn rule(rule: &BodyRule) -> TokenStream {
    let path = rule.path.iter().map(|step| match step {
        Step::Key(name) => quote!(Step::Key(#name)),
        Step::Each => quote!(Step::Each),
    });
    let number = |n: f64| Literal::f64_suffixed(n);
    let count = |n: u64| Literal::usize_suffixed(n as usize);
    let check = match &rule.check {
        Check::Minimum(n) => {
            let n = number(*n);
            quote!(Check::Minimum(#n))
        }
        Check::Maximum(n) => {
            let n = number(*n);
            quote!(Check::Maximum(#n))
        }
        Check::MinLength(n) => {
            let n = count(*n);
            quote!(Check::MinLength(#n))
        }
        Check::MaxLength(n) => {
            let n = count(*n);
            quote!(Check::MaxLength(#n))
        }
        Check::MinItems(n) => {
            let n = count(*n);
            quote!(Check::MinItems(#n))
        }
        Check::MaxItems(n) => {
            let n = count(*n);
            quote!(Check::MaxItems(#n))
        }
        Check::Pattern(p) => quote!(Check::Pattern(#p)),
        Check::Url => quote!(Check::Url),
    };
    quote!(Rule { path: &[#(#path),*], check: #check })
}
