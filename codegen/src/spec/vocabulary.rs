//! Names of the spec that several modules (and `opentact-spec-tools`) use: spelled once here.

/// HTTP methods an OpenAPI path item can hold.
pub const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// The media type of every JSON body.
pub const JSON: &str = "application/json";

/// The media type of file uploads.
pub const MULTIPART: &str = "multipart/form-data";

/// The extension that records a departure from Opentact's docs.
pub const ERRATA: &str = "x-opentact-errata";

/// The extension that marks a paged search: `{cursor: [take, skip], in: query, items, total}`.
pub const PAGED: &str = "x-opentact-paged";

/// The extension that maps a body field's name in the docs to the spec's property.
pub const DOCS_NAMES: &str = "x-opentact-docs-names";

/// The extension that marks what an operation does to the account: one of [`EFFECTS`].
pub const EFFECT: &str = "x-opentact-effect";

/// The values of [`EFFECT`]: changes nothing, changes something, removes something, spends money.
pub const EFFECTS: [&str; 4] = ["read", "write", "destroy", "spend"];

/// The extension that names an operation's command (on the operation) or a tag's command group
/// (on the tag) in the generated front ends, instead of the rule in `plan::command_name`.
pub const FRONT_END_NAME: &str = "x-opentact-cli";

/// The prefix of a `$ref` to a named schema.
pub const SCHEMA_REF_PREFIX: &str = "#/components/schemas/";

/// The JSON pointer of the named schema `name` (`#/components/schemas/{name}`).
pub fn schema_pointer(name: &str) -> String {
    format!("{SCHEMA_REF_PREFIX}{}", crate::spec::escape_token(name))
}

/// The schema name a `{"$ref": "#/components/schemas/X"}` points at.
pub fn ref_name(value: &serde_json::Value) -> Option<&str> {
    value.get("$ref")?.as_str()?.strip_prefix(SCHEMA_REF_PREFIX)
}
