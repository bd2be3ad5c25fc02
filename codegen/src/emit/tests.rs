//! Snapshots of each emitter on a small spec that reaches branches the real spec does not: an
//! integer enum, string values that need a `V` prefix, a list payload, a multipart body with
//! a path parameter, and every kind of validation rule (with recursion and allOf).

use std::path::Path;

use proc_macro2::TokenStream;

use crate::plan::Plan;
use crate::spec::{Spec, parse};

/// The small spec (`plan`'s tests use it too).
const SPEC: &str = include_str!("../testdata/small.yaml");
fn spec(text: &str) -> Spec {
    match parse(Path::new("test.yaml"), text.to_string()) {
        // As `generate` reads it: extending components merged into one object.
        Ok(spec) => crate::spec::flatten::merge_extensions(&spec),
        Err(e) => panic!("the test spec loads: {e}"),
    }
}

fn plan() -> Plan {
    match Plan::new(&spec(SPEC)) {
        Ok(plan) => plan,
        Err(e) => panic!("the test spec plans: {e}"),
    }
}

/// Formatted like the generated files, so snapshots read as code.
fn pretty(tokens: TokenStream) -> String {
    prettyplease::unparse(&syn::parse2(tokens).expect("the emitter's output parses"))
}

#[test]
fn enums() {
    insta::assert_snapshot!(pretty(super::enums(&plan())));
}

#[test]
fn operations() {
    let plan = plan();
    let examples = super::examples::collect(&spec(SPEC), &plan).expect("the examples render");
    insta::assert_snapshot!(pretty(super::operations(&plan, &examples)));
}

#[test]
fn multipart() {
    insta::assert_snapshot!(pretty(super::multipart_methods(&plan())));
}

#[test]
fn validation() {
    insta::assert_snapshot!(pretty(super::validation_rules(&plan())));
}

#[test]
fn cli_commands() {
    insta::assert_snapshot!(pretty(super::cli_commands(&plan())));
}

#[test]
fn mcp_tools() {
    insta::assert_snapshot!(pretty(super::mcp_tools(&plan())));
}

/// A query parameter or body field named like a flag of the CLI itself gets a prefix, so that
/// every command's flags stay distinct (clap would refuse the command tree otherwise).
#[test]
fn cli_flags_never_clash_with_the_global_flags() {
    let renamed = SPEC.replacen("        - name: skip\n", "        - name: output\n", 1).replacen(
        "        website:\n",
        "        raw:\n",
        1,
    );
    let plan = Plan::new(&spec(&renamed)).expect("plans");
    let code = pretty(super::cli_commands(&plan));
    assert!(code.contains("name: \"output\",\n                flag: \"query-output\""), "{code}");
    assert!(code.contains("name: \"raw\",\n                flag: \"body-raw\""), "{code}");
}

#[test]
fn servers() {
    insta::assert_snapshot!(pretty(super::servers(&plan())));
}

#[test]
fn no_multipart_operation_gives_an_empty_file() {
    let without = SPEC.replace("multipart/form-data", "application/json");
    let plan = Plan::new(&spec(&without)).expect("plans");
    assert!(super::multipart_methods(&plan).is_empty());
}

/// The whole pipeline, progenitor included, accepts the small spec and generates every file.
#[test]
fn generate_runs_on_the_small_spec() {
    let files = crate::generate(&spec(SPEC)).expect("generates");
    let names: Vec<String> = files.keys().map(|p| p.display().to_string()).collect();
    let client = ["client.rs", "enums.rs", "httpmock.rs", "mod.rs", "multipart.rs", "operations.rs", "servers.rs"];
    let expected: Vec<String> = ["commands.rs", "mod.rs"]
        .iter()
        .map(|f| format!("{}/{f}", crate::CLI_GENERATED_DIR))
        .chain(client.iter().chain(&["validate.rs"]).map(|f| format!("{}/{f}", crate::GENERATED_DIR)))
        .chain(["mod.rs", "tools.rs"].iter().map(|f| format!("{}/{f}", crate::MCP_GENERATED_DIR)))
        .collect();
    assert_eq!(names, expected);
    let client = &files[&Path::new(crate::GENERATED_DIR).join("client.rs")];
    // The passes and boxing took: the float is an f64, the optional request array nullable,
    // the envelope's payload optional and boxed (a response-only object), the boolean enum and
    // the multipart body schema gone.
    assert!(client.contains("pub price: Option<f64>"), "{client}");
    assert!(client.contains("pub tags: Option<Vec<ThingParamsTagsItem>>"), "{client}");
    assert!(client.contains("pub payload: Option<Box<Thing>>"), "{client}");
    assert!(!client.contains("SuccessTrue") && !client.contains("struct ThingFile"), "{client}");
}

/// An optional `nullable: true` field of a request body: `Option<Nullable<_>>` in the type (left
/// out, `null`, or a value on the wire), and `field(v)`, `set_field(Option<_>)`, `clear_field()`
/// in the builder; the optional array beside it keeps its `[]` clear.
#[test]
fn nullable_request_fields() {
    let files = crate::generate(&spec(SPEC)).expect("generates");
    let client = &files[&Path::new(crate::GENERATED_DIR).join("client.rs")];
    let file = syn::parse_file(client).expect("client.rs parses");
    let types = file.items.iter().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    });
    let types = types.expect("a types module");
    let builder = types.iter().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "builder" => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    });
    let named = |item: &&syn::Item| match item {
        syn::Item::Struct(s) => s.ident == "ThingUpdateParams",
        syn::Item::Impl(i) => i.trait_.is_none() && quote::quote!(#i).to_string().starts_with("impl ThingUpdateParams"),
        _ => false,
    };
    let items: Vec<syn::Item> = types.iter().chain(builder.expect("a builder module")).filter(named).cloned().collect();
    assert_eq!(items.len(), 4, "the struct, its builder, and their impls");
    insta::assert_snapshot!(prettyplease::unparse(&syn::File { shebang: None, attrs: vec![], items }));
}
