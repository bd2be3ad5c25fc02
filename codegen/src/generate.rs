//! Generation: plan, prepare (`passes`), progenitor for the types and the raw client, then
//! codegen's own emitters for what progenitor cannot do by itself (open enums, the multipart
//! upload, the envelope-unwrapping facade, request validation rules, servers). Returns file
//! contents keyed by path; writes nothing.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit;
use crate::load::{Spec, SpecError};
use crate::plan::{Plan, enum_name, type_name};

/// Where the generated files go, relative to the workspace root.
pub const GENERATED_DIR: &str = "opentact-client/src/generated";

/// Hand-written types that components are replaced with.
const REPLACEMENTS: &[(&str, &str)] = &[
    ("UUID", "::uuid::Uuid"),
    ("FlexibleNumber", "crate::FlexibleNumber"),
    ("FlexibleBoolean", "crate::FlexibleBoolean"),
];

/// Generates every file of `opentact-client/src/generated/`. The same spec gives the same
/// bytes on any machine.
pub fn generate(spec: &Spec) -> Result<BTreeMap<PathBuf, String>, SpecError> {
    let plan = Plan::new(spec)?;
    let prepared = crate::passes::prepare_for_progenitor(spec, &plan)?;

    let client = run_progenitor(spec, &plan, |generator| generator.generate_tokens(&prepared))?;
    let client = post_process(spec, &plan, client)?;
    let mock = run_progenitor(spec, &plan, |generator| generator.httpmock(&prepared, "crate::generated::client"))?;
    let mock = crate::mock_helpers::reshape(mock, &payload_types(&plan))
        .map_err(|e| SpecError::whole(spec, format!("reshaping the typed mocks: {e}")))?;

    let files = [
        ("mod.rs", "module list", emit::module_list()),
        ("client.rs", "types and the raw progenitor client", client),
        ("multipart.rs", "multipart uploads on the raw client", emit::multipart_methods(&plan)),
        ("enums.rs", "open enums", emit::enums(&plan)),
        ("operations.rs", "the client's operations", emit::operations(&plan)),
        ("servers.rs", "the spec's servers", emit::servers(&plan)),
        ("validate.rs", "request validation rules", emit::validation_rules(&plan)),
        ("httpmock.rs", "typed httpmock helpers", mock),
    ];
    let mut out = BTreeMap::new();
    for (name, what, tokens) in files {
        let path = PathBuf::from(GENERATED_DIR).join(name);
        out.insert(path, format_file(spec, what, tokens)?);
    }
    Ok(out)
}

/// Each envelope's Rust name, with the type its payload is lent as to a typed mock.
fn payload_types(plan: &Plan) -> BTreeMap<String, TokenStream> {
    plan.envelopes
        .iter()
        .map(|e| {
            let payload = match &e.payload {
                crate::plan::Payload::One(t) => {
                    let t = quote::format_ident!("{t}");
                    quote!(types::#t)
                }
                crate::plan::Payload::Many(t) => {
                    let t = quote::format_ident!("{t}");
                    quote!([types::#t])
                }
            };
            (type_name(&e.schema), payload)
        })
        .collect()
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

/// The syn passes over progenitor's output, each in its own module: `sends` and `patterns`
/// (then a check that they applied), `boxing` (response entities hold their relations in
/// boxes), `builders`, and `timestamps` (`date-time` fields decode through the client's fast
/// path). First it checks that every replacement took: typify silently ignores a key that
/// matches no type, and would then emit its own (strict) type.
fn post_process(spec: &Spec, plan: &Plan, tokens: TokenStream) -> Result<TokenStream, SpecError> {
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
    crate::sends::drop_api_version_header(&mut file);
    crate::sends::decode_without_cloning_headers(&mut file);
    crate::patterns::use_regex_lite(&mut file);
    if let Some(left) = leftover_of_rewrites(&mut file) {
        return Err(SpecError::whole(
            spec,
            format!("internal: a rewrite of progenitor's output (sends.rs, patterns.rs) did not apply: {left}"),
        ));
    }
    crate::boxing::box_relations(&mut file, &plan.response_only_objects);
    let bodies = plan
        .operations
        .iter()
        .filter_map(|op| op.body.as_ref().filter(|b| b.multipart.is_none()).map(|b| type_name(&b.schema)))
        .collect();
    let request_types = plan.request_schemas.iter().map(|s| type_name(s)).collect();
    crate::builders::reshape(&mut file, &bodies, &request_types)
        .map_err(|e| SpecError::whole(spec, format!("reshaping the builders: {e}")))?;
    crate::timestamps::fast_timestamps(&mut file);
    Ok(quote::ToTokens::into_token_stream(file))
}

/// What the rewrites of `sends.rs` and `patterns.rs` should have left nowhere in the file
/// (a newer progenitor could write it differently): the first one found.
fn leftover_of_rewrites(file: &mut syn::File) -> Option<&'static str> {
    struct Find(Option<&'static str>);
    // VisitMut (which changes nothing here): syn's `visit` feature is not compiled in.
    impl syn::visit_mut::VisitMut for Find {
        fn visit_lit_str_mut(&mut self, lit: &mut syn::LitStr) {
            if lit.value() == "api-version" {
                self.0 = self.0.or(Some("the api-version header"));
            }
        }
        fn visit_path_mut(&mut self, path: &mut syn::Path) {
            let first = path.segments.first().map(|s| s.ident.to_string());
            let second = path.segments.iter().nth(1).map(|s| s.ident.to_string());
            match (first.as_deref(), second.as_deref()) {
                (Some("ResponseValue"), Some("from_response")) => {
                    self.0 = self.0.or(Some("ResponseValue::from_response"));
                }
                (Some("regress"), _) => self.0 = self.0.or(Some("a regress path")),
                _ => {}
            }
            syn::visit_mut::visit_path_mut(self, path);
        }
    }
    let mut find = Find(None);
    syn::visit_mut::VisitMut::visit_file_mut(&mut find, file);
    find.0
}

fn format_file(spec: &Spec, what: &str, tokens: TokenStream) -> Result<String, SpecError> {
    let mut file: syn::File = syn::parse2(tokens)
        .map_err(|e| SpecError::whole(spec, format!("internal: generated {what} do not parse: {e}")))?;
    crate::short_paths::shorten(&mut file);
    let body = prettyplease::unparse(&file);
    Ok(format!(
        "// @generated by `cargo xtask generate` from spec/opentact.yaml: {what}.\n\
         // Do not edit by hand: change the spec (or codegen/) and run `cargo xtask generate`.\n\
         // spec sha256: {}\n\n{body}",
        spec.sha256
    ))
}
