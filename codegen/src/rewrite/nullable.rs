//! Optional request fields the spec marks `nullable: true` (arrays aside: their "clear" is
//! `[]`) become `Option<Nullable<T>>`, in the type and in its builder, so that a request can
//! leave the field out (`None`), send `null` (`Some(Nullable::Null)`) or send a value. typify
//! writes `Option<T>` for both "optional" and "nullable", which cannot send `null` from an
//! optional field. The builders pass then gives these fields `clear_<field>()`.

use std::collections::BTreeSet;

use super::builders::{generic_arg, serde_rename, unraw};
use super::{SynPass, Target};
use crate::plan::Plan;

pub(crate) struct NullableRequestFields;

impl SynPass for NullableRequestFields {
    fn name(&self) -> &'static str {
        "nullable-request-fields"
    }

    fn target(&self) -> Target {
        Target::Client
    }

    fn run(&self, file: &mut syn::File, plan: &Plan) -> Result<(), String> {
        let types = super::module_items(file, "types").ok_or("progenitor's output has no `types` module")?;
        let mut changed = BTreeSet::new();
        for item in types.iter_mut() {
            let syn::Item::Struct(s) = item else { continue };
            let Some(nullable) = plan.nullable_fields.get(&s.ident.to_string()) else { continue };
            let syn::Fields::Named(named) = &mut s.fields else { continue };
            for field in named.named.iter_mut() {
                let Some(ident) = field.ident.as_ref() else { continue };
                let wire = serde_rename(&field.attrs).unwrap_or_else(|| unraw(ident));
                if !nullable.contains(&wire) {
                    continue;
                }
                let inner = generic_arg(&field.ty, "Option")
                    .ok_or_else(|| format!("{}.{wire} is nullable and optional but not an `Option`", s.ident))?
                    .clone();
                field.ty = syn::parse_quote!(::std::option::Option<crate::runtime::Nullable<#inner>>);
                // `default`: with `deserialize_with`, serde no longer treats a missing field as `None`.
                field
                    .attrs
                    .push(syn::parse_quote!(#[serde(default, deserialize_with = "crate::runtime::nullable::present")]));
                changed.insert((s.ident.to_string(), ident.to_string()));
            }
        }
        let builder = super::submodule_items(types, "builder")
            .ok_or("progenitor's output has no `types::builder` module (struct builders are off)")?;
        for item in builder.iter_mut() {
            let syn::Item::Struct(s) = item else { continue };
            let name = s.ident.to_string();
            let syn::Fields::Named(named) = &mut s.fields else { continue };
            for field in named.named.iter_mut() {
                let Some(ident) = field.ident.as_ref() else { continue };
                if !changed.contains(&(name.clone(), ident.to_string())) {
                    continue;
                }
                let inner = generic_arg(&field.ty, "Result")
                    .and_then(|ok| generic_arg(ok, "Option"))
                    .ok_or_else(|| format!("builder {name}.{ident} is not a `Result<Option<_>, String>`"))?
                    .clone();
                field.ty = syn::parse_quote!(
                    ::std::result::Result<::std::option::Option<crate::runtime::Nullable<#inner>>, ::std::string::String>
                );
            }
        }
        let expected: usize = plan.nullable_fields.values().map(BTreeSet::len).sum();
        match changed.len() == expected {
            true => Ok(()),
            false => Err(format!("{} of {expected} nullable request fields were found", changed.len())),
        }
    }
}
