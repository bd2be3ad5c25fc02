//! Reshapes typify's struct builders (`types::builder::*`) so that they read like the docs.
//!
//! typify 0.8 types every setter as `TryInto<FieldType>`, so an optional field wants
//! `Some(..)` (`.tech_prefix(Some(482_913))`) and an optional string cannot take a `&str`.
//! It has no setting for this, so this pass rewrites its output:
//!
//! - the setter of an optional field takes the value itself (`.tech_prefix(482_913)`,
//!   `.description("x")`, `.record_calls(EVoiceRecordCallType::AllCalls)`), and unboxes
//!   boxed relations (`.account(account)` or `.account(Account::builder()..)`);
//! - `set_<field>(Option<_>)` sets or unsets it (`None` leaves the field out of the request),
//!   the AWS SDK's convention, also the way to pass an `Option` through;
//! - an optional array of a request body gets `clear_<field>()`, which sends `[]` (in an
//!   update, "empty this list"; leaving the field out means "unchanged");
//! - setters carry the field's documentation;
//! - each request body's builder implements `crate::runtime::IntoBody`, so a facade call takes the
//!   builder itself and reports every field that failed to convert as a violation.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{SynPass, Target};
use crate::plan::{Plan, type_name};

/// One builder field: its Rust name, its name on the wire and the type it holds.
struct Field {
    ident: syn::Ident,
    json_name: String,
    ty: syn::Type,
    docs: Vec<syn::Attribute>,
}

pub(crate) struct ReshapeBuilders;

impl SynPass for ReshapeBuilders {
    fn name(&self) -> &'static str {
        "builders"
    }

    fn target(&self) -> Target {
        Target::Client
    }

    fn run(&self, file: &mut syn::File, plan: &Plan) -> Result<(), String> {
        let bodies = plan
            .operations
            .iter()
            .filter_map(|op| op.body.as_ref().filter(|b| b.multipart.is_none()).map(|b| type_name(&b.schema)))
            .collect();
        let request_types = plan.request_schemas.iter().map(|s| type_name(s)).collect();
        reshape(file, &bodies, &request_types)
    }
}

/// Rewrites the builders in `file` (progenitor's output, after boxing). `bodies` are the Rust
/// names of request body types, `request_types` those of every type a request body uses.
fn reshape(file: &mut syn::File, bodies: &BTreeSet<String>, request_types: &BTreeSet<String>) -> Result<(), String> {
    let types = super::module_items(file, "types").ok_or("progenitor's output has no `types` module")?;

    // Field docs and wire names come from the types themselves.
    let mut type_fields: BTreeMap<String, BTreeMap<String, (String, Vec<syn::Attribute>)>> = BTreeMap::new();
    for item in types.iter() {
        let syn::Item::Struct(s) = item else { continue };
        let syn::Fields::Named(named) = &s.fields else { continue };
        let fields = named
            .named
            .iter()
            .filter_map(|f| {
                let ident = f.ident.as_ref()?;
                let docs = f.attrs.iter().filter(|a| a.path().is_ident("doc")).cloned().collect();
                Some((ident.to_string(), (serde_rename(&f.attrs).unwrap_or_else(|| unraw(ident)), docs)))
            })
            .collect();
        type_fields.insert(s.ident.to_string(), fields);
    }

    let builder = super::submodule_items(types, "builder")
        .ok_or("progenitor's output has no `types::builder` module (struct builders are off)")?;

    // Only request types keep a builder: a response type is read, not built, and it derives
    // `Default` with public fields, so a test that fakes one writes `X { name: .., ..Default::default() }`.
    // Dropping them removes about half of the generated lines.
    let unused: BTreeSet<String> = builder
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) if !request_types.contains(&s.ident.to_string()) => Some(s.ident.to_string()),
            _ => None,
        })
        .collect();
    builder.retain(|item| match item {
        syn::Item::Struct(s) => !unused.contains(&s.ident.to_string()),
        syn::Item::Impl(imp) => !last_ident(&imp.self_ty).is_some_and(|name| unused.contains(&name)),
        _ => true,
    });

    let mut builders: BTreeMap<String, Vec<Field>> = BTreeMap::new();
    for item in builder.iter() {
        let syn::Item::Struct(s) = item else { continue };
        let syn::Fields::Named(named) = &s.fields else { continue };
        let name = s.ident.to_string();
        let known = type_fields.get(&name);
        let mut fields = Vec::new();
        for f in &named.named {
            let Some(ident) = f.ident.clone() else { continue };
            let ty = result_ok_type(&f.ty)
                .ok_or_else(|| format!("builder {name}.{ident} is not a `Result<_, String>`"))?
                .clone();
            let (json_name, docs) =
                known.and_then(|k| k.get(&ident.to_string())).cloned().unwrap_or_else(|| (unraw(&ident), Vec::new()));
            fields.push(Field { ident, json_name, ty, docs });
        }
        builders.insert(name, fields);
    }

    let mut added = Vec::new();
    for item in builder.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() {
            continue;
        }
        let Some(name) = type_ident(&imp.self_ty) else { continue };
        let Some(fields) = builders.get(&name) else { continue };
        let existing: BTreeSet<String> = imp
            .items
            .iter()
            .filter_map(|i| match i {
                syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                _ => None,
            })
            .collect();
        let mut items = Vec::new();
        for field in fields {
            for method in setters(field) {
                let method: syn::ImplItemFn =
                    syn::parse2(method).map_err(|e| format!("a setter of {name} does not parse: {e}"))?;
                let method_name = method.sig.ident.to_string();
                if field.ident != method_name && existing.contains(&method_name) {
                    return Err(format!(
                        "builder {name}: the added method {method_name} clashes with a field's setter"
                    ));
                }
                items.push(syn::ImplItem::Fn(method));
            }
        }
        imp.items = items;
        if bodies.contains(&name) {
            added.push(into_body(&name, fields));
        }
    }
    for tokens in added {
        builder.push(syn::parse2(tokens).map_err(|e| format!("an IntoBody impl does not parse: {e}"))?);
    }
    types.retain(|item| match item {
        syn::Item::Impl(imp) if imp.trait_.is_none() => {
            let only_builder =
                imp.items.len() == 1 && matches!(&imp.items[0], syn::ImplItem::Fn(f) if f.sig.ident == "builder");
            !(only_builder && type_ident(&imp.self_ty).is_some_and(|name| unused.contains(&name)))
        }
        _ => true,
    });
    Ok(())
}

/// The setters of one field: the plain setter, and for optional fields `set_<field>` (and
/// `clear_<field>` for optional arrays; only request types have builders).
fn setters(field: &Field) -> Vec<TokenStream> {
    let Field { ident, json_name, ty, docs } = field;
    let message = format!("error converting supplied value for {}: {{e}}", unraw(ident));
    let Some(inner) = generic_arg(ty, "Option") else {
        if let Some(item) = generic_arg(ty, "Vec").filter(|item| !is_primitive(item)) {
            return vec![list_setter(field, item, quote!(items))];
        }
        if is_integer(ty) {
            return vec![quote! {
                #(#docs)*
                pub fn #ident(mut self, value: #ty) -> Self {
                    self.#ident = Ok(value);
                    self
                }
            }];
        }
        // Required fields already take their value.
        return vec![quote! {
            #(#docs)*
            pub fn #ident<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<#ty>,
                T::Error: ::std::fmt::Display,
            {
                self.#ident = value.try_into().map_err(|e| format!(#message));
                self
            }
        }];
    };
    let set = format_ident!("set_{}", unraw(ident));
    let set_doc = format!("Sets `{json_name}`, or leaves it out of the request with `None`.");
    if let Some(value_type) = generic_arg(inner, "Nullable") {
        return nullable_setters(field, value_type, &set, &set_doc);
    }
    let mut out = Vec::new();
    match generic_arg(inner, "Box") {
        Some(boxed) => {
            out.push(quote! {
                #(#docs)*
                pub fn #ident<T>(mut self, value: T) -> Self
                where
                    T: ::std::convert::TryInto<#boxed>,
                    T::Error: ::std::fmt::Display,
                {
                    self.#ident = value
                        .try_into()
                        .map(|value| Some(::std::boxed::Box::new(value)))
                        .map_err(|e| format!(#message));
                    self
                }
            });
            out.push(quote! {
                #[doc = #set_doc]
                pub fn #set(mut self, value: ::std::option::Option<#boxed>) -> Self {
                    self.#ident = Ok(value.map(::std::boxed::Box::new));
                    self
                }
            });
        }
        None => {
            match generic_arg(inner, "Vec").filter(|item| !is_primitive(item)) {
                Some(item) => out.push(list_setter(field, item, quote!(Some(items)))),
                None if is_integer(inner) => out.push(quote! {
                    #(#docs)*
                    pub fn #ident(mut self, value: #inner) -> Self {
                        self.#ident = Ok(Some(value));
                        self
                    }
                }),
                None => out.push(quote! {
                    #(#docs)*
                    pub fn #ident<T>(mut self, value: T) -> Self
                    where
                        T: ::std::convert::TryInto<#inner>,
                        T::Error: ::std::fmt::Display,
                    {
                        self.#ident = value.try_into().map(Some).map_err(|e| format!(#message));
                        self
                    }
                }),
            }
            out.push(quote! {
                #[doc = #set_doc]
                pub fn #set(mut self, value: ::std::option::Option<#inner>) -> Self {
                    self.#ident = Ok(value);
                    self
                }
            });
            if generic_arg(inner, "Vec").is_some() {
                let clear = format_ident!("clear_{}", unraw(ident));
                let clear_doc = format!(
                    "Sends `\"{json_name}\": []`: in an update, this empties the list (leaving the field out \
                     keeps it unchanged)."
                );
                out.push(quote! {
                    #[doc = #clear_doc]
                    pub fn #clear(mut self) -> Self {
                        self.#ident = Ok(Some(::std::vec::Vec::new()));
                        self
                    }
                });
            }
        }
    }
    out
}

/// The setters of an optional field that can be sent as `null` (`Option<Nullable<T>>`, see
/// `rewrite::nullable`): the value, `set_<field>(Option<T>)`, and `clear_<field>()` for `null`.
fn nullable_setters(field: &Field, value_type: &syn::Type, set: &syn::Ident, set_doc: &str) -> Vec<TokenStream> {
    let Field { ident, json_name, docs, .. } = field;
    let message = format!("error converting supplied value for {}: {{e}}", unraw(ident));
    let nullable = quote!(crate::runtime::Nullable);
    let setter = if is_integer(value_type) {
        quote! {
            #(#docs)*
            pub fn #ident(mut self, value: #value_type) -> Self {
                self.#ident = Ok(Some(#nullable::Value(value)));
                self
            }
        }
    } else {
        quote! {
            #(#docs)*
            pub fn #ident<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<#value_type>,
                T::Error: ::std::fmt::Display,
            {
                self.#ident = value.try_into().map(|value| Some(#nullable::Value(value))).map_err(|e| format!(#message));
                self
            }
        }
    };
    let clear = format_ident!("clear_{}", unraw(ident));
    let clear_doc = format!(
        "Sends `\"{json_name}\": null`: in an update, this clears it (leaving the field out keeps it unchanged)."
    );
    vec![
        setter,
        quote! {
            #[doc = #set_doc]
            pub fn #set(mut self, value: ::std::option::Option<#value_type>) -> Self {
                self.#ident = Ok(value.map(#nullable::Value));
                self
            }
        },
        quote! {
            #[doc = #clear_doc]
            pub fn #clear(mut self) -> Self {
                self.#ident = Ok(Some(#nullable::Null));
                self
            }
        },
    ]
}

/// The setter of a list of strings, enums or objects: any iterable of values that convert
/// (`vec!["PCMU"]`, `vec![Item::builder().code(1)]`). Lists of numbers take a `Vec` of the
/// number type itself, so that `vec![12_025_550_143]` infers `i64` (an iterable of anything
/// convertible would fall back to `i32` and reject the literal).
fn list_setter(field: &Field, item: &syn::Type, wrap: TokenStream) -> TokenStream {
    let Field { ident, docs, .. } = field;
    let message = format!("error converting supplied value for {}: item {{i}}: {{e}}", unraw(ident));
    quote! {
        #(#docs)*
        pub fn #ident<T, I>(mut self, value: T) -> Self
        where
            T: ::std::iter::IntoIterator<Item = I>,
            I: ::std::convert::TryInto<#item>,
            I::Error: ::std::fmt::Display,
        {
            self.#ident = value
                .into_iter()
                .enumerate()
                .map(|(i, item)| item.try_into().map_err(|e| format!(#message)))
                .collect::<::std::result::Result<::std::vec::Vec<_>, _>>()
                .map(|items| #wrap);
            self
        }
    }
}

/// Integer setters take the integer type itself: through a generic `TryInto<i64>`, a literal
/// falls back to `i32`, and `.tn(12_025_550_143)` would not compile.
fn is_integer(ty: &syn::Type) -> bool {
    let syn::Type::Path(path) = ty else { return false };
    path.path
        .get_ident()
        .is_some_and(|i| matches!(i.to_string().as_str(), "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64"))
}

fn is_primitive(ty: &syn::Type) -> bool {
    let syn::Type::Path(path) = ty else { return false };
    path.path.get_ident().is_some_and(|i| {
        matches!(
            i.to_string().as_str(),
            "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "f32" | "f64" | "bool"
        )
    })
}

/// `impl IntoBody` for a request body's builder: every field that failed becomes a violation
/// naming it, before anything is sent.
fn into_body(name: &str, fields: &[Field]) -> TokenStream {
    let ty = format_ident!("{name}");
    let checks = fields.iter().map(|f| {
        let ident = &f.ident;
        let pointer = format!("/{}", f.json_name.replace('~', "~0").replace('/', "~1"));
        let rust_name = unraw(ident);
        quote! {
            if let Err(message) = &self.#ident {
                violations.push(crate::runtime::builder_violation(#pointer, #rust_name, message));
            }
        }
    });
    quote! {
        impl crate::runtime::IntoBody<super::#ty> for #ty {
            fn into_body(self, context: crate::runtime::Context) -> crate::runtime::Result<super::#ty> {
                let mut violations = ::std::vec::Vec::new();
                #(#checks)*
                context.finish(violations, || super::#ty::try_from(self))
            }
        }
    }
}

/// `T` of a `Result<T, String>`.
fn result_ok_type(ty: &syn::Type) -> Option<&syn::Type> {
    generic_arg(ty, "Result")
}

/// The first type argument of `ty` when its last path segment is `wrapper`.
pub(super) fn generic_arg<'a>(ty: &'a syn::Type, wrapper: &str) -> Option<&'a syn::Type> {
    let syn::Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != wrapper {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else { return None };
    match args.args.first()? {
        syn::GenericArgument::Type(inner) => Some(inner),
        _ => None,
    }
}

/// The last path segment of a type: `X` of `X` and of `super::X`.
fn last_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) if p.qself.is_none() => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn type_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
            Some(p.path.segments[0].ident.to_string())
        }
        _ => None,
    }
}

pub(super) fn unraw(ident: &syn::Ident) -> String {
    let s = ident.to_string();
    s.strip_prefix("r#").map(str::to_string).unwrap_or(s)
}

/// The `rename` of a field's `#[serde(...)]` attribute.
pub(super) fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    let mut rename = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                rename = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    rename
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reshaped(source: &str, bodies: &[&str]) -> String {
        let mut file: syn::File = syn::parse_str(source).unwrap();
        let bodies: BTreeSet<String> = bodies.iter().map(|s| s.to_string()).collect();
        let request_types = BTreeSet::from(["Params".to_string()]);
        reshape(&mut file, &bodies, &request_types).unwrap();
        prettyplease::unparse(&file)
    }

    const SOURCE: &str = r#"
        pub mod types {
            pub struct Params {
                /// The prefix.
                pub tech_prefix: ::std::option::Option<i32>,
                #[serde(rename = "type", default)]
                pub type_: ::std::option::Option<::std::vec::Vec<i64>>,
                pub name: ::std::string::String,
            }
            pub mod builder {
                pub struct Params {
                    tech_prefix: ::std::result::Result<::std::option::Option<i32>, ::std::string::String>,
                    type_: ::std::result::Result<::std::option::Option<::std::vec::Vec<i64>>, ::std::string::String>,
                    name: ::std::result::Result<::std::string::String, ::std::string::String>,
                }
                impl Params {
                    pub fn tech_prefix<T>(mut self, value: T) -> Self
                    where T: ::std::convert::TryInto<::std::option::Option<i32>>, T::Error: ::std::fmt::Display
                    { self.tech_prefix = value.try_into().map_err(|e| format!("x {e}")); self }
                }
            }
        }
    "#;

    #[test]
    fn optional_setters_take_the_value_and_set_takes_the_option() {
        let out = reshaped(SOURCE, &[]);
        // Integers are taken as themselves, so a literal gets the field's type, not `i32`.
        assert!(out.contains("pub fn tech_prefix(mut self, value: i32) -> Self"), "{out}");
        assert!(!out.contains("TryInto<i32>"), "{out}");
        assert!(out.contains("pub fn set_tech_prefix(mut self, value: ::std::option::Option<i32>)"), "{out}");
        assert!(out.contains("/// The prefix."), "{out}");
        assert!(out.contains("pub fn clear_type_(mut self)"), "{out}");
        assert!(out.contains("Sends `\"type\": []`"), "{out}");
        // A required field keeps its type.
        assert!(out.contains("T: ::std::convert::TryInto<::std::string::String>"), "{out}");
        assert!(!out.contains("IntoBody"), "{out}");
    }

    #[test]
    fn body_builders_report_each_field_by_its_wire_name() {
        let out = reshaped(SOURCE, &["Params"]);
        assert!(out.contains("impl crate::runtime::IntoBody<super::Params> for Params"), "{out}");
        assert!(out.contains("builder_violation(\"/type\", \"type_\", message)"), "{out}");
        assert!(out.contains("builder_violation(\"/name\", \"name\", message)"), "{out}");
    }

    #[test]
    fn only_request_types_keep_a_builder() {
        let source = SOURCE.replace(
            "pub mod builder {",
            "impl Reply { pub fn builder() -> builder::Reply { Default::default() } }
                 impl Reply { pub fn is_done(&self) -> bool { true } }
                 pub struct Reply { pub done: ::std::option::Option<bool> }
                 pub mod builder {
                    pub struct Reply { done: ::std::result::Result<::std::option::Option<bool>, ::std::string::String> }
                    impl ::std::default::Default for Reply { fn default() -> Self { Self { done: Ok(None) } } }
                    impl Reply {}
                    impl ::std::convert::TryFrom<Reply> for super::Reply {
                        type Error = String;
                        fn try_from(value: Reply) -> Result<Self, String> { Ok(Self { done: value.done? }) }
                    }
                    impl ::std::convert::From<super::Reply> for Reply {
                        fn from(value: super::Reply) -> Self { Self { done: Ok(value.done) } }
                    }",
        );
        let out = reshaped(&source, &[]);
        assert!(!out.contains("builder::Reply") && !out.contains("for Reply"), "{out}");
        assert!(out.contains("pub struct Reply"), "the type itself stays: {out}");
        assert!(out.contains("fn is_done"), "other methods of the type stay: {out}");
        assert!(out.contains("pub fn set_tech_prefix"), "the request type keeps its builder: {out}");
    }

    #[test]
    fn a_method_name_taken_by_another_field_is_an_error() {
        let source = SOURCE.replace("pub fn tech_prefix<T>", "pub fn set_tech_prefix<T>");
        let mut file: syn::File = syn::parse_str(&source).unwrap();
        let error = reshape(&mut file, &BTreeSet::new(), &BTreeSet::from(["Params".to_string()])).unwrap_err();
        assert!(error.contains("set_tech_prefix"), "{error}");
    }
}
