//! Points the `date-time` fields of the generated types at the client's timestamp decoder
//! (`opentact_client`'s `timestamp.rs`: the service's common form parsed directly, anything
//! else by chrono, so values and errors are chrono's). The field types stay
//! `chrono::DateTime<Utc>`.

use syn::visit_mut::VisitMut;

use super::{SynPass, Target};
use crate::plan::Plan;

/// Adds `#[serde(deserialize_with = ...)]` to every `DateTime<Utc>` and `Option<DateTime<Utc>>`
/// field of the structs in `mod types` that derive `Deserialize`.
pub(crate) struct FastTimestamps;

impl SynPass for FastTimestamps {
    fn name(&self) -> &'static str {
        "timestamps"
    }

    fn target(&self) -> Target {
        Target::Client
    }

    fn run(&self, file: &mut syn::File, _: &Plan) -> Result<(), String> {
        if super::module_items(file, "types").is_none() {
            return Err("progenitor's output has no `types` module".into());
        }
        fast_timestamps(file);
        Ok(())
    }
}

fn fast_timestamps(file: &mut syn::File) {
    for item in &mut file.items {
        if let syn::Item::Mod(types) = item
            && types.ident == "types"
        {
            for inner in types.content.iter_mut().flat_map(|(_, items)| items) {
                if let syn::Item::Struct(s) = inner
                    && derives_deserialize(&s.attrs)
                {
                    Fields.visit_fields_mut(&mut s.fields);
                }
            }
        }
    }
}

fn derives_deserialize(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("derive") && quote::quote!(#a).to_string().contains("Deserialize"))
}

struct Fields;

impl VisitMut for Fields {
    fn visit_field_mut(&mut self, field: &mut syn::Field) {
        let ty = field_type(&field.ty);
        let attr: syn::Attribute = if ty == "::std::option::Option<::chrono::DateTime<::chrono::offset::Utc>>" {
            // `default`: with `deserialize_with`, serde no longer treats a missing field as `None`.
            let has_default = field
                .attrs
                .iter()
                .any(|a| a.path().is_ident("serde") && quote::quote!(#a).to_string().contains("default"));
            if has_default {
                syn::parse_quote!(#[serde(deserialize_with = "crate::runtime::timestamp::optional")])
            } else {
                syn::parse_quote!(#[serde(default, deserialize_with = "crate::runtime::timestamp::optional")])
            }
        } else if ty == "::chrono::DateTime<::chrono::offset::Utc>" {
            syn::parse_quote!(#[serde(deserialize_with = "crate::runtime::timestamp::required")])
        } else {
            return;
        };
        field.attrs.push(attr);
    }
}

fn field_type(ty: &syn::Type) -> String {
    quote::quote!(#ty).to_string().replace(' ', "")
}
