//! Open enums: documented values as variants, anything else kept as `Unknown`.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use super::doc;
use crate::plan::{EnumDef, Plan, Variant};

/// Open enums: every documented value is a variant, and any other value the service sends
/// decodes as `Unknown` and serialises back unchanged.
pub(crate) fn enums(plan: &Plan) -> TokenStream {
    let items = plan.enums.iter().map(|e| if e.integer { integer_enum(e) } else { string_enum(e) });
    quote! { #(#items)* }
}

fn enum_docs(e: &EnumDef) -> TokenStream {
    let text = if e.description.is_empty() { format!("`{}` values.", e.schema) } else { e.description.clone() };
    let text = format!(
        "{text}\n\nValues the spec does not list decode as `Unknown` and are sent back unchanged; \
         `Unknown` cannot be built by hand, so requests only carry documented values."
    );
    doc(&text)
}

fn variant_doc(v: &Variant) -> TokenStream {
    let value = match &v.value {
        Value::String(s) => format!("`{s}`"),
        other => format!("`{other}`"),
    };
    match &v.description {
        Some(d) => doc(&format!("{value}: {d}")),
        None => doc(&value),
    }
}

/// The enum itself and its `KNOWN` list, shared by string and integer enums.
fn enum_declaration(e: &EnumDef) -> TokenStream {
    let name = format_ident!("{}", e.rust_name);
    let docs = enum_docs(e);
    let idents: Vec<_> = e.variants.iter().map(|v| format_ident!("{}", v.ident)).collect();
    let variant_docs = e.variants.iter().map(variant_doc);
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_docs #idents,)*
            /// A value this version of the client does not know, kept as the service sent it.
            Unknown(crate::runtime::UnknownValue),
        }

        impl #name {
            /// Every value the spec lists.
            pub const KNOWN: &'static [Self] = &[#(Self::#idents),*];
        }
    }
}

fn string_enum(e: &EnumDef) -> TokenStream {
    let name = format_ident!("{}", e.rust_name);
    let schema = &e.schema;
    let idents: Vec<_> = e.variants.iter().map(|v| format_ident!("{}", v.ident)).collect();
    let values: Vec<&str> = e.variants.iter().filter_map(|v| v.value.as_str()).collect();
    let declaration = enum_declaration(e);
    quote! {
        #declaration

        impl #name {

            /// The value on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#idents => #values,)*
                    Self::Unknown(raw) => raw.as_str(),
                }
            }

            fn from_known(value: &str) -> ::std::option::Option<Self> {
                match value {
                    #(#values => Some(Self::#idents),)*
                    _ => None,
                }
            }
        }

        // Display, FromStr, TryFrom<&str>, Serialize and Deserialize.
        crate::runtime::string_enum_traits!(#name, #schema);
    }
}

fn integer_enum(e: &EnumDef) -> TokenStream {
    let name = format_ident!("{}", e.rust_name);
    let schema = &e.schema;
    let idents: Vec<_> = e.variants.iter().map(|v| format_ident!("{}", v.ident)).collect();
    let values: Vec<Literal> = e.variants.iter().filter_map(|v| v.value.as_i64()).map(Literal::i64_suffixed).collect();
    let declaration = enum_declaration(e);
    quote! {
        #declaration

        impl #name {

            /// The number on the wire (`None` for an unknown value that is not an integer).
            pub fn value(&self) -> ::std::option::Option<i64> {
                match self {
                    #(Self::#idents => Some(#values),)*
                    Self::Unknown(raw) => raw.as_json().as_i64(),
                }
            }

            fn from_number(value: i64) -> ::std::option::Option<Self> {
                match value {
                    #(#values => Some(Self::#idents),)*
                    _ => None,
                }
            }
        }

        // Display, FromStr, TryFrom<i64>, Serialize and Deserialize.
        crate::runtime::integer_enum_traits!(#name, #schema);
    }
}
