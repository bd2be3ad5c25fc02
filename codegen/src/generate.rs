//! Generation: progenitor for the types and the raw client, plus what progenitor cannot do
//! by itself (open enums, the multipart upload, the envelope-unwrapping facade, request
//! validation rules). Returns file contents keyed by path; writes nothing.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::emit;
use crate::load::{Spec, SpecError};
use crate::plan::{Plan, enum_name, type_name};

/// Where the generated files go, relative to the workspace root.
pub const GENERATED_DIR: &str = "opentact-client/src/generated";

/// Hand-written types that components are replaced with.
const REPLACEMENTS: &[(&str, &str)] = &[("UUID", "::uuid::Uuid"), ("FlexibleNumber", "crate::FlexibleNumber")];

/// Generates every file of `opentact-client/src/generated/`. The same spec gives the same
/// bytes on any machine.
pub fn generate(spec: &Spec) -> Result<BTreeMap<PathBuf, String>, SpecError> {
    let plan = Plan::new(spec)?;
    let prepared = prepare_for_progenitor(spec, &plan)?;

    let client = run_progenitor(spec, &plan, |generator| generator.generate_tokens(&prepared))?;
    let client = box_relations(spec, &plan, client)?;
    let mock = run_progenitor(spec, &plan, |generator| generator.httpmock(&prepared, "crate::generated::client"))?;

    let multipart = emit::multipart_methods(&plan);
    let files = [
        ("mod.rs", "module list", emit::module_list()),
        ("client.rs", "types and the raw progenitor client", quote! { #client #multipart }),
        ("enums.rs", "open enums", emit::enums(&plan)),
        ("operations.rs", "the client's operations", emit::operations(&plan)),
        ("validate.rs", "request validation rules", emit::validation_rules(spec, &plan)),
        ("httpmock.rs", "typed httpmock helpers", mock),
    ];
    let mut out = BTreeMap::new();
    for (name, what, tokens) in files {
        let path = PathBuf::from(GENERATED_DIR).join(name);
        out.insert(path, format_file(spec, what, tokens)?);
    }
    Ok(out)
}

/// The spec as progenitor should see it. Only this copy changes; the spec stays truthful.
fn prepare_for_progenitor(spec: &Spec, plan: &Plan) -> Result<openapiv3::OpenAPI, SpecError> {
    let mut json = spec.json.clone();

    if let Some(paths) = json.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            let Some(item) = item.as_object_mut() else { continue };
            for op in item.values_mut() {
                // Errors are decoded by the hand-written layer from the raw response, so the
                // HTTP status survives bodies that are not JSON (an HTML 502 page).
                if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
                    responses.retain(|code, _| code.starts_with('2'));
                }
            }
            // progenitor cannot build multipart bodies; emit::multipart_methods does.
            item.retain(|method, op| {
                let multipart = op.pointer("/requestBody/content/multipart~1form-data").is_some();
                !(crate::lint::METHODS.contains(&method.as_str()) && multipart)
            });
        }
        paths.retain(|_, item| {
            item.as_object().is_some_and(|m| m.keys().any(|k| crate::lint::METHODS.contains(&k.as_str())))
        });
    }

    let request_schemas = crate::boxing::request_schemas(spec);
    if let Some(schemas) = json.pointer_mut("/components/schemas").and_then(Value::as_object_mut) {
        // An optional array would be a `Vec` that is left out when empty, so a request could
        // never send `[]` (in a PATCH, "clear the list" would silently mean "unchanged").
        // Nullable, it is an `Option<Vec<_>>`: absent and empty stay different.
        for name in &request_schemas {
            let Some(schema) = schemas.get_mut(name) else { continue };
            let required: Vec<String> = schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect();
            for (prop_name, prop) in schema.get_mut("properties").and_then(Value::as_object_mut).into_iter().flatten() {
                if prop.get("type").and_then(Value::as_str) == Some("array") && !required.contains(prop_name) {
                    prop["nullable"] = Value::Bool(true);
                }
            }
        }
        // `format: float` would be an f32, which prints 19.99 as 19.989999771118164 on the
        // wire; an f64 keeps every decimal the user wrote.
        fn widen_floats(value: &mut Value) {
            match value {
                Value::Object(map) => {
                    if map.get("type").and_then(Value::as_str) == Some("number")
                        && map.get("format").and_then(Value::as_str) == Some("float")
                    {
                        map.insert("format".into(), Value::from("double"));
                    }
                    map.values_mut().for_each(widen_floats);
                }
                Value::Array(items) => items.iter_mut().for_each(widen_floats),
                _ => {}
            }
        }
        schemas.values_mut().for_each(widen_floats);
        // A nullable object would become `struct X(Option<XInner>)`; optional fields accept
        // null anyway (`Option<X>`), so the types stay plain structs.
        for schema in schemas.values_mut() {
            if schema.get("type").and_then(Value::as_str) == Some("object") {
                if let Some(schema) = schema.as_object_mut() {
                    schema.remove("nullable");
                }
            }
        }
        // Boolean enums only pin envelopes' `success` (relaxed below); nothing else uses them.
        schemas.retain(|_, schema| {
            !(schema.get("type").and_then(Value::as_str) == Some("boolean") && schema.get("enum").is_some())
        });
        // Multipart body schemas describe form fields, not a JSON type.
        for op in &plan.operations {
            if let Some(body) = op.body.as_ref().filter(|b| b.multipart.is_some()) {
                schemas.remove(&body.schema);
            }
        }
        // Envelopes decode even when the service answers a 2xx with `{"success": false,
        // "message": ...}`: the payload may be absent and the error fields are kept, so the
        // client can report the server's message with the real status.
        for envelope in &plan.envelopes {
            let Some(schema) = schemas.get_mut(&envelope.schema).and_then(Value::as_object_mut) else { continue };
            if let Some(required) = schema.get_mut("required").and_then(Value::as_array_mut) {
                required.retain(|r| r != "payload");
            }
            if let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) {
                // `success: false` must decode, to become an error.
                props.insert("success".into(), serde_json::json!({"type": "boolean"}));
                props.entry("message").or_insert(serde_json::json!({"type": "string", "description": "The service's message when `success` is false."}));
                props.entry("status").or_insert(serde_json::json!({"type": "integer", "description": "The HTTP status the service repeats when `success` is false."}));
            }
        }
    }

    serde_json::from_value(json)
        .map_err(|e| SpecError::whole(spec, format!("internal: the prepared spec is not OpenAPI: {e}")))
}

fn settings(plan: &Plan) -> progenitor::GenerationSettings {
    use progenitor::{GenerationSettings, HooksMode, InterfaceStyle, TagStyle, TypeImpl};
    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_inner_type(quote!(crate::ClientState))
        .with_hooks(HooksMode::Expected)
        .with_derive("PartialEq");
    let impls = || [TypeImpl::Display, TypeImpl::FromStr].into_iter();
    for e in &plan.enums {
        settings.with_replacement(
            type_name(&e.schema),
            format!("crate::generated::enums::{}", enum_name(&e.schema)),
            impls(),
        );
    }
    for (schema, rust) in REPLACEMENTS {
        settings.with_replacement(type_name(schema), rust, impls());
    }
    settings
}

/// Runs progenitor, turning its panics (it asserts on specs it cannot handle) into errors.
/// The default panic hook still prints progenitor's own message first.
fn run_progenitor(
    spec: &Spec,
    plan: &Plan,
    run: impl FnOnce(&mut progenitor::Generator) -> Result<TokenStream, progenitor::Error>,
) -> Result<TokenStream, SpecError> {
    let settings = settings(plan);
    let mut generator = progenitor::Generator::new(&settings);
    let result = catch_unwind(AssertUnwindSafe(|| run(&mut generator)));
    match result {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(e)) => Err(SpecError::whole(spec, format!("progenitor rejected the spec: {e}"))),
        Err(panic) => {
            let reason = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "no reason given".into());
            Err(SpecError::whole(spec, format!("progenitor failed on the spec: {reason}")))
        }
    }
}

/// See `boxing`: response entities hold their relations in boxes. Also checks that every
/// replacement took: typify silently ignores a key that matches no type, and would then emit
/// its own (strict) type.
fn box_relations(spec: &Spec, plan: &Plan, tokens: TokenStream) -> Result<TokenStream, SpecError> {
    let mut file: syn::File = syn::parse2(tokens)
        .map_err(|e| SpecError::whole(spec, format!("internal: progenitor's output does not parse: {e}")))?;
    let keys: Vec<String> =
        plan.enums.iter().map(|e| type_name(&e.schema)).chain(REPLACEMENTS.iter().map(|(s, _)| type_name(s))).collect();
    for item in &file.items {
        let syn::Item::Mod(types) = item else { continue };
        if types.ident != "types" {
            continue;
        }
        for inner in types.content.iter().flat_map(|(_, items)| items) {
            let ident = match inner {
                syn::Item::Struct(s) => &s.ident,
                syn::Item::Enum(e) => &e.ident,
                syn::Item::Type(t) => &t.ident,
                _ => continue,
            };
            if keys.iter().any(|k| ident == k) {
                return Err(SpecError::whole(
                    spec,
                    format!("internal: the replacement of {ident} did not apply; typify generated its own type"),
                ));
            }
        }
    }
    crate::boxing::box_relations(&mut file, &crate::boxing::response_only_objects(spec));
    Ok(quote::ToTokens::into_token_stream(file))
}

fn format_file(spec: &Spec, what: &str, tokens: TokenStream) -> Result<String, SpecError> {
    let file: syn::File = syn::parse2(tokens)
        .map_err(|e| SpecError::whole(spec, format!("internal: generated {what} do not parse: {e}")))?;
    let body = prettyplease::unparse(&file);
    Ok(format!(
        "// @generated by `cargo xtask generate` from spec/opentact.yaml: {what}.\n\
         // Do not edit by hand: change the spec (or codegen/) and run `cargo xtask generate`.\n\
         // spec sha256: {}\n\n{body}",
        spec.sha256
    ))
}
