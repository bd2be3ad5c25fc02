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
            Unknown(crate::UnknownValue),
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
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = crate::UnknownVariant;
            /// Parses a documented value; anything else is an error.
            fn from_str(value: &str) -> ::std::result::Result<Self, crate::UnknownVariant> {
                match value {
                    #(#values => Ok(Self::#idents),)*
                    _ => Err(crate::UnknownVariant::new(#schema, value)),
                }
            }
        }

        impl ::std::convert::TryFrom<&str> for #name {
            type Error = crate::UnknownVariant;
            fn try_from(value: &str) -> ::std::result::Result<Self, crate::UnknownVariant> {
                value.parse()
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    Self::Unknown(raw) => ::serde::Serialize::serialize(raw, serializer),
                    known => serializer.serialize_str(known.as_str()),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                // Documented values decode without allocating.
                crate::open_enum::string_enum(deserializer, |value| value.parse().ok(), Self::Unknown)
            }
        }
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

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match (self.value(), self) {
                    (Some(n), _) => write!(f, "{n}"),
                    (None, Self::Unknown(raw)) => f.write_str(raw.as_str()),
                    (None, _) => Ok(()),
                }
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = crate::UnknownVariant;
            /// Parses a documented value (`"1"`); anything else is an error.
            fn from_str(value: &str) -> ::std::result::Result<Self, crate::UnknownVariant> {
                value
                    .trim()
                    .parse::<i64>()
                    .ok()
                    .and_then(Self::from_number)
                    .ok_or_else(|| crate::UnknownVariant::new(#schema, value))
            }
        }

        impl ::std::convert::TryFrom<i64> for #name {
            type Error = crate::UnknownVariant;
            fn try_from(value: i64) -> ::std::result::Result<Self, crate::UnknownVariant> {
                Self::from_number(value).ok_or_else(|| crate::UnknownVariant::new(#schema, &value.to_string()))
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    Self::Unknown(raw) => ::serde::Serialize::serialize(raw, serializer),
                    known => serializer.serialize_i64(known.value().unwrap_or_default()),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            /// Accepts the number, or the number as a string (`"1"`).
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                crate::open_enum::integer_enum(deserializer, Self::from_number, Self::Unknown)
            }
        }
    }
}
