//! The public API of the generated client, read from the generated code itself (never guessed
//! from the spec): one entry per public item, field, variant and method, keyed by the path a
//! user writes (`types::SipControlApp.name`, `Client::list_orders`, `raw::builder::ListOrders::send`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use quote::ToTokens;

/// What a surface entry is; fields and variants know whether adding one breaks code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ItemKind {
    /// A struct; `exhaustive` when every field is public and it is not `#[non_exhaustive]`,
    /// so users can build it with a struct literal (and adding a field breaks them).
    Struct { exhaustive: bool },
    /// An enum; `exhaustive` when it is not `#[non_exhaustive]` (adding a variant breaks matches).
    Enum { exhaustive: bool },
    /// A public field of the struct `owner`.
    Field { owner: String },
    /// A variant of the enum `owner`.
    Variant { owner: String },
    /// A function, method, constant, type alias, trait implementation or trait.
    Other,
}

/// One public item and its signature as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SurfaceItem {
    pub kind: ItemKind,
    pub signature: String,
}

/// The public API of the generated code, keyed by the path a user of `opentact_client` writes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApiSurface {
    pub items: BTreeMap<String, SurfaceItem>,
}

/// Where each generated file's public items appear in `opentact_client` (see its lib.rs:
/// `types` re-exports the typify types and the open enums, `raw` the progenitor client,
/// `mock` the httpmock helpers; the facade methods are inherent methods of `Client`).
fn public_prefix(file: &Path) -> Option<&'static str> {
    match file.file_name()?.to_str()? {
        "client.rs" => Some("raw"),
        "enums.rs" => Some("types"),
        "operations.rs" => Some(""),
        "httpmock.rs" => Some("mock"),
        _ => None, // mod.rs, validate.rs: crate-private
    }
}

/// Reads the public API from generated files (as `codegen::generate` returns them).
pub fn api_surface(files: &BTreeMap<PathBuf, String>) -> Result<ApiSurface, String> {
    let mut surface = ApiSurface::default();
    for (path, source) in files {
        let Some(prefix) = public_prefix(path) else { continue };
        let file = syn::parse_file(source).map_err(|e| format!("{}: {e}", path.display()))?;
        walk(&file.items, prefix, &mut surface);
    }
    Ok(surface)
}

fn add(out: &mut ApiSurface, key: String, kind: ItemKind, signature: String) {
    out.items.insert(key, SurfaceItem { kind, signature });
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() { name.to_string() } else { format!("{prefix}::{name}") }
}

fn is_public(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

fn non_exhaustive(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("non_exhaustive"))
}

fn walk(items: &[syn::Item], prefix: &str, out: &mut ApiSurface) {
    for item in items {
        match item {
            syn::Item::Mod(m) if is_public(&m.vis) => {
                // client.rs's `types` module is re-exported as `opentact_client::types`.
                let name = m.ident.to_string();
                let nested = if prefix == "raw" && name == "types" { "types".to_string() } else { join(prefix, &name) };
                if let Some((_, content)) = &m.content {
                    walk(content, &nested, out);
                }
            }
            syn::Item::Struct(s) if is_public(&s.vis) => {
                let key = join(prefix, &s.ident.to_string());
                let all_public = s.fields.iter().all(|f| is_public(&f.vis));
                let exhaustive = all_public && !non_exhaustive(&s.attrs);
                let mut signature = format!("struct{}", render(&s.generics));
                if let syn::Fields::Unnamed(fields) = &s.fields {
                    let types: Vec<String> = fields.unnamed.iter().map(|f| render(&f.ty)).collect();
                    signature.push_str(&format!("({})", types.join(", ")));
                }
                if !exhaustive {
                    signature.push_str(" (not constructible by literal)");
                }
                if let syn::Fields::Named(fields) = &s.fields {
                    for field in fields.named.iter().filter(|f| is_public(&f.vis)) {
                        let Some(ident) = &field.ident else { continue };
                        add(out, format!("{key}.{ident}"), ItemKind::Field { owner: key.clone() }, render(&field.ty));
                    }
                }
                add(out, key, ItemKind::Struct { exhaustive }, signature);
            }
            syn::Item::Enum(e) if is_public(&e.vis) => {
                let key = join(prefix, &e.ident.to_string());
                let exhaustive = !non_exhaustive(&e.attrs);
                for variant in &e.variants {
                    let fields = if variant.fields.is_empty() { String::new() } else { render(&variant.fields) };
                    add(
                        out,
                        format!("{key}::{}", variant.ident),
                        ItemKind::Variant { owner: key.clone() },
                        format!("variant{fields}"),
                    );
                }
                let note = if exhaustive { "" } else { " #[non_exhaustive]" };
                add(out, key, ItemKind::Enum { exhaustive }, format!("enum{}{note}", render(&e.generics)));
            }
            syn::Item::Fn(f) if is_public(&f.vis) => {
                add(out, join(prefix, &f.sig.ident.to_string()), ItemKind::Other, signature(&f.sig));
            }
            syn::Item::Type(t) if is_public(&t.vis) => {
                add(out, join(prefix, &t.ident.to_string()), ItemKind::Other, format!("type = {}", render(&t.ty)));
            }
            syn::Item::Const(c) if is_public(&c.vis) => {
                add(out, join(prefix, &c.ident.to_string()), ItemKind::Other, format!("const: {}", render(&c.ty)));
            }
            syn::Item::Trait(t) if is_public(&t.vis) => {
                let key = join(prefix, &t.ident.to_string());
                for member in &t.items {
                    if let syn::TraitItem::Fn(f) = member {
                        add(out, format!("{key}::{}", f.sig.ident), ItemKind::Other, signature(&f.sig));
                    }
                }
                add(out, key, ItemKind::Other, format!("trait{}", render(&t.generics)));
            }
            syn::Item::Impl(block) => {
                let Some(owner) = self_type_path(&block.self_ty, prefix) else { continue };
                match &block.trait_ {
                    Some((_, trait_path, _)) => {
                        let name = format!("{owner} impl {}", render(trait_path));
                        add(out, name, ItemKind::Other, format!("impl{}", render(&block.generics)));
                    }
                    None => {
                        for member in &block.items {
                            match member {
                                syn::ImplItem::Fn(f) if is_public(&f.vis) => {
                                    add(out, format!("{owner}::{}", f.sig.ident), ItemKind::Other, signature(&f.sig));
                                }
                                syn::ImplItem::Const(c) if is_public(&c.vis) => {
                                    add(
                                        out,
                                        format!("{owner}::{}", c.ident),
                                        ItemKind::Other,
                                        format!("const: {}", render(&c.ty)),
                                    );
                                }
                                _ => {}
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// The public path of an impl's self type: `crate::Client` (or the generated code's
/// `crate::runtime::Client`) is `Client`; a local type is `<prefix>::Type`.
fn self_type_path(ty: &syn::Type, prefix: &str) -> Option<String> {
    let syn::Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?.ident.to_string();
    let first = path.path.segments.first()?.ident.to_string();
    let runtime = path.path.segments.iter().nth(1).is_some_and(|s| s.ident == "runtime");
    if first == "crate" && (path.path.segments.len() == 2 || (runtime && path.path.segments.len() == 3)) {
        return Some(last);
    }
    Some(join(prefix, &last))
}

fn signature(sig: &syn::Signature) -> String {
    let inputs: Vec<String> = sig
        .inputs
        .iter()
        .map(|input| match input {
            syn::FnArg::Receiver(r) => render(r),
            syn::FnArg::Typed(t) => format!("{}: {}", render(&t.pat), render(&t.ty)),
        })
        .collect();
    let output = match &sig.output {
        syn::ReturnType::Default => String::new(),
        syn::ReturnType::Type(_, ty) => format!(" -> {}", render(ty)),
    };
    let asyncness = if sig.asyncness.is_some() { "async " } else { "" };
    let generics = render(&sig.generics);
    let bounds =
        sig.generics.where_clause.as_ref().map(|w| format!(" where {}", render(&w.predicates))).unwrap_or_default();
    format!("{asyncness}fn{generics}({}){output}{bounds}", inputs.join(", "))
}

/// Tokens as compact text with the paths a user would write: a space only between two words
/// (`mut self`), standard paths shortened.
fn render(tokens: &dyn ToTokens) -> String {
    let spaced = tokens.to_token_stream().to_string();
    let chars: Vec<char> = spaced.chars().collect();
    let is_word = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric() || *c == '_' || *c == '\'');
    let mut text = String::with_capacity(spaced.len());
    for (i, c) in chars.iter().enumerate() {
        if *c != ' ' || (i > 0 && is_word(chars.get(i - 1)) && is_word(chars.get(i + 1))) {
            text.push(*c);
        }
    }
    for (long, short) in [
        ("::std::option::", ""),
        ("::std::vec::", ""),
        ("::std::string::", ""),
        ("::std::boxed::", ""),
        ("::std::collections::", ""),
        ("::std::result::", ""),
        ("::std::convert::", ""),
        ("::std::fmt::", ""),
        ("crate::generated::enums::", "types::"),
        ("crate::generated::client::types::", "types::"),
        ("crate::generated::client::", "raw::"),
        ("super::", ""),
        // The facade's query structs are re-exported under `types`.
        ("queries::", "types::"),
        // The re-exports generated code names; a user writes them from the crate root.
        ("crate::runtime::", ""),
        ("crate::", ""),
        ("::uuid::", "uuid::"),
    ] {
        text = text.replace(long, short);
    }
    text.replace(',', ", ").trim_end_matches([',', ' ']).to_string()
}

/// The facade's operations as the API-surface snapshot shows them: the route and operation,
/// the `Client` method's signature, its error type. One entry per operation, in spec order.
pub fn operation_surface(operations_rs: &str) -> Result<Vec<String>, syn::Error> {
    let file = syn::parse_file(operations_rs)?;
    let render = |tokens: &dyn ToTokens| {
        tokens
            .to_token_stream()
            .to_string()
            .replace(' ', "")
            .replace("::std::vec::Vec", "Vec")
            .replace("::uuid::", "uuid::")
            .replace("crate::runtime::", "")
            .replace("crate::", "")
            .replace("queries::", "types::")
            .replace(',', ", ")
            .replace("impl", "impl ")
    };
    let mut lines = Vec::new();
    for item in &file.items {
        let syn::Item::Impl(block) = item else { continue };
        if block.trait_.is_some() {
            continue; // the envelope impls
        }
        for member in &block.items {
            let syn::ImplItem::Fn(f) = member else { continue };
            let doc: String = f
                .attrs
                .iter()
                .filter_map(|a| a.meta.require_name_value().ok())
                .map(|nv| nv.value.to_token_stream().to_string())
                .collect();
            let route = doc
                .split("\\n\\n")
                .find(|chunk| chunk.starts_with('`') && chunk.contains("(operation"))
                .unwrap_or_default()
                .to_string();
            let params: Vec<String> = f
                .sig
                .inputs
                .iter()
                .filter_map(|p| match p {
                    syn::FnArg::Typed(t) => Some(format!("{}: {}", render(&t.pat), render(&t.ty))),
                    syn::FnArg::Receiver(_) => None,
                })
                .collect();
            let output = match &f.sig.output {
                syn::ReturnType::Type(_, ty) => render(ty),
                syn::ReturnType::Default => "()".into(),
            };
            lines.push(format!(
                "{route}\n    Client::{}({}) -> {output}\n    error: opentact_client::Error",
                f.sig.ident,
                params.join(", ")
            ));
        }
    }
    Ok(lines)
}
