//! Generation: plan, prepare (JSON passes over a copy of the spec), progenitor for the types,
//! the raw client and the typed mocks, the syn rewrites of `rewrite::POST_PASSES` on its
//! output, then codegen's own emitters for what progenitor cannot do by itself (open enums,
//! the multipart upload, the envelope-unwrapping facade, request validation rules, servers).
//! Every file is one `syn::File` from its tokens to prettyplease. Returns file contents keyed
//! by path; writes nothing.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit;
use crate::error::GenerateError;
use crate::plan::{Plan, enum_name, type_name};
use crate::rewrite::{REPLACEMENTS, Target};
use crate::spec::Spec;

/// Where the client's generated files go, relative to the workspace root.
pub const GENERATED_DIR: &str = "opentact-client/src/generated";

/// Where the CLI's generated files go (its command table and dispatch).
pub const CLI_GENERATED_DIR: &str = "opentact-cli/src/generated";

/// Where the MCP server's generated files go (its tool table and dispatch).
pub const MCP_GENERATED_DIR: &str = "opentact-mcp/src/generated";

/// Generates every file of `opentact-client/src/generated/` and of each front end's
/// `generated/` directory (`opentact-cli/src/generated/`, `opentact-mcp/src/generated/`). The same spec gives the same bytes
/// on any machine.
pub fn generate(spec: &Spec) -> Result<BTreeMap<PathBuf, String>, GenerateError> {
    // Components extending another (`allOf`) are read as one flat object from here on.
    let spec = &crate::spec::flatten::merge_extensions(spec);
    let plan = Plan::new(spec)?;
    let examples = emit::examples::collect(spec, &plan)?;
    let prepared = crate::prepare::prepare_for_progenitor(&plan, spec)?;

    let client = run_progenitor(spec, &plan, "the client", |generator| generator.generate_tokens(&prepared))?;
    let mock = run_progenitor(spec, &plan, "the typed mocks", |generator| {
        generator.httpmock(&prepared, "crate::generated::client")
    })?;

    let files = [
        (GENERATED_DIR, "mod.rs", "module list", Target::Every, emit::module_list()),
        (GENERATED_DIR, "client.rs", "types and the raw progenitor client", Target::Client, client),
        (
            GENERATED_DIR,
            "multipart.rs",
            "multipart uploads on the raw client",
            Target::Every,
            emit::multipart_methods(&plan),
        ),
        (GENERATED_DIR, "enums.rs", "open enums", Target::Every, emit::enums(&plan)),
        (GENERATED_DIR, "operations.rs", "the client's operations", Target::Every, emit::operations(&plan, &examples)),
        (GENERATED_DIR, "servers.rs", "the spec's servers", Target::Every, emit::servers(&plan)),
        (GENERATED_DIR, "validate.rs", "request validation rules", Target::Every, emit::validation_rules(&plan)),
        (GENERATED_DIR, "httpmock.rs", "typed httpmock helpers", Target::Mock, mock),
        (CLI_GENERATED_DIR, "mod.rs", "module list of the CLI", Target::Every, emit::cli_module_list()),
        (CLI_GENERATED_DIR, "commands.rs", "the CLI's commands", Target::Every, emit::cli_commands(&plan)),
        (MCP_GENERATED_DIR, "mod.rs", "module list of the MCP server", Target::Every, emit::mcp_module_list()),
        (MCP_GENERATED_DIR, "tools.rs", "the MCP server's tools", Target::Every, emit::mcp_tools(&plan)),
    ];
    let mut out = BTreeMap::new();
    for (dir, name, what, target, tokens) in files {
        let mut file: syn::File = syn::parse2(tokens)
            .map_err(|e| GenerateError::internal("format", format!("the generated {what} do not parse: {e}")))?;
        crate::rewrite::apply(target, &mut file, &plan)?;
        out.insert(PathBuf::from(dir).join(name), with_header(spec, what, &file));
    }
    Ok(out)
}

fn settings(plan: &Plan) -> progenitor::GenerationSettings {
    use progenitor::{GenerationSettings, HooksMode, InterfaceStyle, TagStyle, TypeImpl};
    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_inner_type(quote!(crate::runtime::ClientState))
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
    output: &'static str,
    run: impl FnOnce(&mut progenitor::Generator) -> Result<TokenStream, progenitor::Error>,
) -> Result<TokenStream, GenerateError> {
    let settings = settings(plan);
    let mut generator = progenitor::Generator::new(&settings);
    let failed = |message: String| GenerateError::Progenitor { file: spec.path.clone(), output, message };
    match catch_unwind(AssertUnwindSafe(|| run(&mut generator))) {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(e)) => Err(failed(format!("it rejected the spec: {e}"))),
        Err(panic) => {
            let reason = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "no reason given".into());
            Err(failed(format!("it panicked: {reason}")))
        }
    }
}

fn with_header(spec: &Spec, what: &str, file: &syn::File) -> String {
    format!(
        "// @generated by `cargo xtask generate` from spec/opentact.yaml: {what}.\n\
         // Do not edit by hand: change the spec (or codegen/) and run `cargo xtask generate`.\n\
         // spec sha256: {}\n\n{}",
        spec.sha256,
        prettyplease::unparse(file)
    )
}
