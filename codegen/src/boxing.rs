//! Boxes the relations of response entities. typify embeds related entities inline (it boxes
//! only to break cycles), which makes a TN lease ~47 KB and serde's decoding frames so large
//! that a few levels of documented nesting overflow a 2 MiB stack in debug builds.

use std::collections::BTreeSet;

use serde_json::Value;
use syn::visit_mut::VisitMut;

use crate::load::Spec;
use crate::plan::{ref_name, type_name};

/// Names of the schemas request bodies use, directly or nested.
pub(crate) fn request_schemas(spec: &Spec) -> BTreeSet<String> {
    let empty = serde_json::Map::new();
    let schemas = spec.json.pointer("/components/schemas").and_then(Value::as_object).unwrap_or(&empty);
    let mut in_requests = BTreeSet::new();
    let mut pending: Vec<String> = Vec::new();
    for item in spec.json.get("paths").and_then(Value::as_object).into_iter().flatten().map(|(_, i)| i) {
        for op in item.as_object().into_iter().flatten().map(|(_, o)| o) {
            for media in
                op.pointer("/requestBody/content").and_then(Value::as_object).into_iter().flatten().map(|(_, m)| m)
            {
                if let Some(name) = media.get("schema").and_then(ref_name) {
                    pending.push(name.to_string());
                }
            }
        }
    }
    while let Some(name) = pending.pop() {
        if in_requests.insert(name.clone()) {
            collect_refs(schemas.get(&name).unwrap_or(&Value::Null), &mut pending);
        }
    }
    in_requests
}

/// Rust names of object schemas that no request body uses (so boxing them never touches a
/// type users build by hand).
pub(crate) fn response_only_objects(spec: &Spec) -> BTreeSet<String> {
    let in_requests = request_schemas(spec);
    let empty = serde_json::Map::new();
    let schemas = spec.json.pointer("/components/schemas").and_then(Value::as_object).unwrap_or(&empty);
    schemas
        .iter()
        .filter(|(name, schema)| {
            schema.get("type").and_then(Value::as_str) == Some("object") && !in_requests.contains(*name)
        })
        .map(|(name, _)| type_name(name))
        .collect()
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(name) = ref_name(value) {
                out.push(name.to_string());
            }
            map.values().for_each(|v| collect_refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// Rewrites `Option<X>` to `Option<Box<X>>` for every `X` in `boxed`, leaving typify's own
/// `Box<Option<X>>` alone.
pub(crate) fn box_relations(file: &mut syn::File, boxed: &BTreeSet<String>) {
    Boxer { boxed }.visit_file_mut(file);
}

struct Boxer<'a> {
    boxed: &'a BTreeSet<String>,
}

impl VisitMut for Boxer<'_> {
    fn visit_type_path_mut(&mut self, node: &mut syn::TypePath) {
        let Some(last) = node.path.segments.last_mut() else { return };
        if last.ident == "Box" {
            return;
        }
        if last.ident == "Option" {
            if let syn::PathArguments::AngleBracketed(args) = &mut last.arguments {
                if let Some(syn::GenericArgument::Type(syn::Type::Path(inner))) = args.args.first_mut() {
                    let is_boxed_type = inner.qself.is_none()
                        && inner
                            .path
                            .segments
                            .last()
                            .is_some_and(|s| s.arguments.is_none() && self.boxed.contains(&s.ident.to_string()));
                    if is_boxed_type {
                        let original = inner.clone();
                        *inner = syn::parse_quote!(::std::boxed::Box<#original>);
                        return;
                    }
                }
            }
        }
        syn::visit_mut::visit_type_path_mut(self, node);
    }
}
