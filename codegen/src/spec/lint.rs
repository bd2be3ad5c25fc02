//! Project rules a spec must follow before it is generated from. Each rule has a stable id
//! (used in messages and tests) and points at the node it is about.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::Value;

use crate::plan::Success;
use crate::spec::load::{Spec, escape_token};
use crate::spec::vocabulary::{EFFECT, EFFECTS, ERRATA, JSON, METHODS, MULTIPART, PAGED, ref_name, schema_pointer};

/// The docs' UUID pattern, accepted for `uuid` path parameters.
pub const UUID_PATTERN: &str = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";

/// A component repeating all of another's properties is a copy once there are this many.
const COPY_MIN_FIELDS: usize = 5;
/// So many shared properties are a copy even when each schema has fields of its own.
const COPY_MIN_SHARED: usize = 25;

/// A property's schema without the keys a copy rewords (descriptions, examples).
fn without_prose(schema: &Value) -> Value {
    let mut schema = schema.clone();
    if let Some(map) = schema.as_object_mut() {
        map.retain(|key, _| !matches!(key.as_str(), "description" | "example" | "examples" | "title"));
    }
    schema
}

/// Declares [`Rule`] and [`RULES`] from one list, so a rule cannot exist without its id,
/// severity and description.
macro_rules! rules {
    ($($(#[$doc:meta])* $rule:ident = $id:literal, $severity:ident, $description:literal;)*) => {
        /// A lint rule. Its id, severity and description are in [`RULES`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $($(#[$doc])* $rule,)*
        }

        /// Every rule, in [`Rule`] order.
        pub const RULES: &[RuleInfo] = &[
            $(RuleInfo { rule: Rule::$rule, id: $id, severity: Severity::$severity, description: $description },)*
        ];
    };
}

rules! {
    OperationId = "operation-id", Error, "every operation has an operationId";
    OperationIdUnique = "operation-id-unique", Error, "operationIds are unique";
    /// Tags group operations in other languages' generated clients and in docs.
    OperationTag = "operation-tag", Error, "every operation has a tag";
    /// The summary opens each method's rustdoc.
    OperationSummary = "operation-summary", Error, "every operation has a summary";
    /// The method does not say what an operation does (`GetOrderPrice` is a POST that changes
    /// nothing); the MCP server's safety flags and annotations and the CLI's help read this.
    OperationEffect = "operation-effect", Error,
        "every operation has an x-opentact-effect: read, write, destroy or spend";
    RefResolves = "ref-resolves", Error, "every $ref points at something in the document";
    NoInlineEnum = "no-inline-enum", Error, "enums are named components, not inline schemas";
    NoInlineObject = "no-inline-object", Error, "objects with properties are named components, not inline schemas";
    BodyIsRef = "body-is-ref", Error, "request and response bodies reference a named schema (or an array of one)";
    ContentType = "content-type", Error, "bodies use application/json (multipart/form-data for uploads)";
    UuidPathParameter = "uuid-path-parameter", Error,
        "path parameters named uuid are strings with format uuid or the docs' UUID pattern";
    PathParameterDeclared = "path-parameter-declared", Error, "every {name} in a path is declared as a path parameter";
    IntegerEnumVarnames = "integer-enum-varnames", Error, "integer enums name their values with x-enum-varnames";
    /// A warning: an unused component only generates an unused type, but it is usually a
    /// leftover or a missing `$ref`, worth a look.
    ComponentUsed = "component-used", Warning, "every component is referenced";
    /// The client checks `pattern` with regex-lite (linear time, no dependencies): a pattern
    /// it cannot compile would never be checked.
    PatternSupported = "pattern-supported", Error,
        "every pattern compiles with the client's regex engine (regex-lite: no lookaround or backreferences)";
    ErrataEntry = "errata-entry", Error,
        "x-opentact-errata entries have id, docs, spec, evidence and optional covers (fact names)";
    /// OpenAPI 3.0 has six types; progenitor fails without a line on any other.
    SchemaType = "schema-type", Error, "a schema's type is one of string, number, integer, boolean, array, object";
    /// progenitor fails without a line on a format it cannot place on a type.
    FormatNeedsType = "format-needs-type", Error, "a schema with a format has a type";
    // What the generator cannot generate (yet): one rule per limit, checked here first so the
    // spec author gets a line; `plan.rs` refuses the same shapes as a last resort.
    /// The generator's limit: path and query parameters (no header or cookie parameters).
    ParameterLocation = "parameter-location", Error,
        "parameters are path or query parameters (the generator supports no other)";
    /// The generator's limit: a query parameter is a scalar (with limits) or a named enum.
    QueryParameterSchema = "query-parameter-schema", Error,
        "query parameters are an integer, number, boolean or string, or a $ref to a named enum";
    /// The generator's limit: a path parameter is typed by a named schema (`UUID` or a newtype).
    PathParameterSchema = "path-parameter-schema", Error, "path parameters reference a named schema";
    BodyContent = "body-content", Error, "a request body has a content entry";
    /// The generator's limit: multipart bodies carry files only.
    MultipartFilesOnly = "multipart-files-only", Error, "multipart bodies hold only binary file fields";
    /// The generator's limit: one success type per operation.
    SuccessResponse = "success-response", Error,
        "an operation's 2xx responses all share one named application/json schema, or none has a body (204)";
    /// The generator's limit: successes are `{success, payload}` envelopes (fields beside the
    /// payload are allowed: the facade then returns the whole envelope).
    SuccessEnvelope = "success-envelope", Error,
        "a 2xx response schema is a {success, payload} envelope whose payload is absent, a named schema, an array \
         of one, a plain string, a free-form object or a map of a named schema";
    /// The generator's limit: an operation authenticates with one credential the client holds.
    SecurityRequirement = "security-requirement", Error,
        "an operation's security (or the spec's) is one requirement of one scheme, the X-Auth-Token apiKey header \
         or HTTP basic, or none ([])";
    /// A paged search is walked page by page with its cursor (issue 18); the marking must agree
    /// with the operation's parameters and payload, or the walk would send or read nothing.
    PagedMarking = "paged-marking", Error,
        "x-opentact-paged is {cursor: [take, skip] or [page, size], in: query, items, total}: the cursor fields are \
         integer query parameters of the operation, and its payload has the items array and an integer total";
    EnumValueType = "enum-value-type", Error, "enum values match the enum's type (integers or strings)";
    /// A copy drifts: fixing a field in one place leaves the other wrong, and every generator
    /// emits the fields twice. `allOf: [{$ref: Base}, {own fields}]` shares them instead.
    NoCopiedProperties = "no-copied-properties", Error,
        "no schema re-lists the properties of another (extend it with allOf instead)";
    /// `opentact_client::Server` reads two constants.
    Servers = "servers", Error,
        "servers have a url and a description starting with a distinct name, Production and Stage among them";
}

/// What [`RULES`] says about one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleInfo {
    pub rule: Rule,
    /// Stable id, used in messages (`error[operation-id]`).
    pub id: &'static str,
    pub severity: Severity,
    pub description: &'static str,
}

impl Rule {
    pub fn info(self) -> &'static RuleInfo {
        // RULES lists the rules in declaration order (a test checks it).
        &RULES[self as usize]
    }

    pub fn id(self) -> &'static str {
        self.info().id
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// How bad a finding is. Errors stop generation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// One finding of [`lint`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: Rule,
    pub severity: Severity,
    /// JSON pointer of the node, `#/paths/~1sip~1app/post`.
    pub pointer: String,
    /// Its line in the spec file.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        match self.line {
            Some(line) => write!(f, "line {line}: ")?,
            None => write!(f, "line ?: ")?,
        }
        write!(f, "{severity}[{}]: {} (at {})", self.rule, self.message, self.pointer)
    }
}

/// Checks `spec` against every rule in [`RULES`]. Findings are sorted by line.
pub fn lint(spec: &Spec) -> Vec<Diagnostic> {
    let mut lint = Linter { spec, found: Vec::new() };
    lint.operations();
    lint.references();
    lint.schemas();
    lint.unused_components();
    lint.copied_properties();
    lint.patterns(&spec.json, "#".to_string(), "");
    lint.errata(&spec.json, "#".to_string());
    lint.servers();
    let mut found = lint.found;
    found.sort_by(|a, b| (a.line, &a.pointer, a.rule).cmp(&(b.line, &b.pointer, b.rule)));
    found.dedup();
    found
}

struct Linter<'a> {
    spec: &'a Spec,
    found: Vec<Diagnostic>,
}

impl<'a> Linter<'a> {
    fn report(&mut self, rule: Rule, pointer: String, message: String) {
        let line = self.spec.line_of(&pointer);
        let severity = rule.info().severity;
        self.found.push(Diagnostic { rule, severity, pointer, line, message });
    }

    fn operations(&mut self) {
        let json = &self.spec.json;
        let Some(paths) = json.get("paths").and_then(Value::as_object) else { return };
        let mut ids: BTreeMap<String, String> = BTreeMap::new();
        for (path, item) in paths {
            let item_ptr = format!("#/paths/{}", escape_token(path));
            let shared_params = item.get("parameters");
            for method in METHODS {
                let Some(op) = item.get(method) else { continue };
                let ptr = format!("{item_ptr}/{method}");
                match op.get("operationId").and_then(Value::as_str) {
                    None => self.report(
                        Rule::OperationId,
                        ptr.clone(),
                        format!("{} {path} has no operationId", method.to_uppercase()),
                    ),
                    Some(id) => {
                        if let Some(first) = ids.get(id) {
                            let message = format!("operationId {id} is used twice (first at {first})");
                            self.report(Rule::OperationIdUnique, format!("{ptr}/operationId"), message);
                        } else {
                            ids.insert(id.to_string(), ptr.clone());
                        }
                    }
                }
                let tagged = op.get("tags").and_then(Value::as_array).is_some_and(|t| !t.is_empty());
                if !tagged {
                    self.report(
                        Rule::OperationTag,
                        ptr.clone(),
                        format!("{} {path} has no tag", method.to_uppercase()),
                    );
                }
                let summary = op.get("summary").and_then(Value::as_str).unwrap_or("");
                if summary.trim().is_empty() {
                    self.report(
                        Rule::OperationSummary,
                        ptr.clone(),
                        format!("{} {path} has no summary", method.to_uppercase()),
                    );
                }
                match op.get(EFFECT) {
                    Some(effect) if effect.as_str().is_some_and(|e| EFFECTS.contains(&e)) => {}
                    Some(other) => self.report(
                        Rule::OperationEffect,
                        format!("{ptr}/{EFFECT}"),
                        format!("{EFFECT} is {other}; it must be one of {}", EFFECTS.join(", ")),
                    ),
                    None => self.report(
                        Rule::OperationEffect,
                        ptr.clone(),
                        format!("{} {path} has no {EFFECT} ({})", method.to_uppercase(), EFFECTS.join(", ")),
                    ),
                }
                self.parameters(path, &ptr, shared_params, op.get("parameters"), &item_ptr);
                self.bodies(&ptr, op);
                self.generator_limits(&ptr, item, op);
                self.paged_marking(&ptr, item, op);
            }
        }
    }

    fn parameters(&mut self, path: &str, op_ptr: &str, shared: Option<&Value>, own: Option<&Value>, item_ptr: &str) {
        let mut declared = BTreeSet::new();
        let lists = [(shared, format!("{item_ptr}/parameters")), (own, format!("{op_ptr}/parameters"))];
        for (list, list_ptr) in lists {
            let Some(list) = list.and_then(Value::as_array) else { continue };
            for (i, param) in list.iter().enumerate() {
                let ptr = format!("{list_ptr}/{i}");
                let param = self.spec.deref(param);
                if param.get("in").and_then(Value::as_str) != Some("path") {
                    continue;
                }
                let Some(name) = param.get("name").and_then(Value::as_str) else { continue };
                declared.insert(name.to_string());
                if name == "uuid" {
                    let schema = param.get("schema").map(|s| self.spec.deref(s)).unwrap_or(&Value::Null);
                    let is_string = schema.get("type").and_then(Value::as_str) == Some("string");
                    let has_format = schema.get("format").and_then(Value::as_str) == Some("uuid");
                    let has_pattern = schema.get("pattern").and_then(Value::as_str) == Some(UUID_PATTERN);
                    if !is_string || !(has_format || has_pattern) {
                        let message = format!(
                            "path parameter uuid of {path} must be a string with format uuid or the pattern {UUID_PATTERN}"
                        );
                        self.report(Rule::UuidPathParameter, format!("{ptr}/schema"), message);
                    }
                }
            }
        }
        for segment in path.split('/') {
            if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}'))
                && !declared.contains(name)
            {
                self.report(
                    Rule::PathParameterDeclared,
                    op_ptr.to_string(),
                    format!("{{{name}}} in {path} is not declared as a path parameter"),
                );
            }
        }
    }

    fn bodies(&mut self, op_ptr: &str, op: &Value) {
        if let Some(body) = op.get("requestBody") {
            let body_ptr = format!("{op_ptr}/requestBody");
            let body = self.spec.deref(body);
            self.content(&body_ptr, body, &[JSON, MULTIPART]);
        }
        if let Some(responses) = op.get("responses").and_then(Value::as_object) {
            for (code, response) in responses {
                let ptr = format!("{op_ptr}/responses/{}", escape_token(code));
                let response = self.spec.deref(response);
                self.content(&ptr, response, &[JSON]);
            }
        }
    }

    /// The shapes of an operation the generator cannot generate (yet), one rule per limit.
    fn generator_limits(&mut self, op_ptr: &str, item: &Value, op: &Value) {
        let lists = [
            (item.get("parameters"), op_ptr.rsplit_once('/').map_or(op_ptr, |(p, _)| p)),
            (op.get("parameters"), op_ptr),
        ];
        for (list, owner) in lists {
            for (i, param) in list.and_then(Value::as_array).into_iter().flatten().enumerate() {
                let ptr = format!("{owner}/parameters/{i}");
                let param = self.spec.deref(param);
                let name = param.get("name").and_then(Value::as_str).unwrap_or("?");
                match param.get("in").and_then(Value::as_str) {
                    Some("path") => {
                        if param.get("schema").and_then(ref_name).is_none() {
                            let message =
                                format!("path parameter {name} must reference a named schema (UUID or a newtype)");
                            self.report(Rule::PathParameterSchema, format!("{ptr}/schema"), message);
                        }
                    }
                    Some("query") => {
                        let schema = param.get("schema").unwrap_or(&Value::Null);
                        let scalar = matches!(
                            schema.get("type").and_then(Value::as_str),
                            Some("integer" | "number" | "boolean" | "string")
                        ) && schema.get("enum").is_none();
                        let named_enum = ref_name(schema)
                            .and_then(|n| self.spec.resolve(&schema_pointer(n)))
                            .is_some_and(|t| t.get("enum").is_some());
                        if !scalar && !named_enum {
                            let message = format!("query parameter {name} must be a scalar or a $ref to a named enum");
                            self.report(Rule::QueryParameterSchema, format!("{ptr}/schema"), message);
                        }
                    }
                    other => {
                        let message = format!(
                            "parameter {name} is in {}; the generator supports path and query parameters only",
                            other.unwrap_or("no location")
                        );
                        self.report(Rule::ParameterLocation, ptr, message);
                    }
                }
            }
        }
        if let Some(body) = op.get("requestBody") {
            let body_ptr = format!("{op_ptr}/requestBody");
            let body = self.spec.deref(body);
            let content = body.get("content").and_then(Value::as_object).filter(|c| !c.is_empty());
            match content {
                None => self.report(Rule::BodyContent, body_ptr, "the request body has no content".into()),
                Some(content) => {
                    if let Some(name) = content.get(MULTIPART).and_then(|m| m.get("schema")).and_then(ref_name) {
                        let props = self.spec.resolve(&schema_pointer(name)).and_then(|s| s.get("properties"));
                        for (field, prop) in props.and_then(Value::as_object).into_iter().flatten() {
                            if prop.get("format").and_then(Value::as_str) != Some("binary") {
                                let ptr = format!("{}/properties/{}", schema_pointer(name), escape_token(field));
                                let message = format!("multipart field {field} is not a binary file");
                                self.report(Rule::MultipartFilesOnly, ptr, message);
                            }
                        }
                    }
                }
            }
        }
        if let Err((pointer, message)) = crate::plan::credential(self.spec, op_ptr, op) {
            self.report(Rule::SecurityRequirement, pointer, message);
        }
        let responses_ptr = format!("{op_ptr}/responses");
        let envelope = match crate::plan::success(self.spec, op) {
            Ok(Success::Envelope(name)) => name,
            Ok(Success::Empty) => return,
            Err(message) => return self.report(Rule::SuccessResponse, responses_ptr, message),
        };
        let ptr = schema_pointer(&envelope);
        let Some(schema) = self.spec.resolve(&ptr) else { return };
        let props = schema.get("properties");
        if props.and_then(|p| p.get("success")).is_none() {
            let message = format!("{envelope} is not a {{success, payload}} envelope: it has no `success`");
            return self.report(Rule::SuccessEnvelope, ptr, message);
        }
        if let Err(message) = crate::plan::payload_shape(props.and_then(|p| p.get("payload"))) {
            self.report(Rule::SuccessEnvelope, format!("{ptr}/properties/payload"), format!("{envelope}: {message}"));
        }
    }

    /// `x-opentact-paged` against the operation it marks: its cursor parameters and its payload.
    fn paged_marking(&mut self, op_ptr: &str, item: &Value, op: &Value) {
        let Some(marking) = op.get(PAGED) else { return };
        let ptr = format!("{op_ptr}/{PAGED}");
        let text = |key: &str| marking.get(key).and_then(Value::as_str);
        let cursor: Vec<&str> =
            marking.get("cursor").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
        let known = ["cursor", "in", "items", "total"];
        let unknown: Vec<&String> = marking
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k)
            .filter(|k| !known.contains(&k.as_str()))
            .collect();
        let well_formed = matches!(cursor.as_slice(), ["take", "skip"] | ["page", "size"])
            && text("in") == Some("query")
            && text("items").is_some()
            && text("total").is_some()
            && unknown.is_empty();
        if !well_formed {
            let message = "x-opentact-paged must be {cursor: [take, skip] or [page, size], in: query, items: <field>, \
                           total: <field>} and nothing else"
                .to_string();
            return self.report(Rule::PagedMarking, ptr, message);
        }
        for name in &cursor {
            let found = [item.get("parameters"), op.get("parameters")]
                .into_iter()
                .flatten()
                .filter_map(Value::as_array)
                .flatten()
                .map(|p| self.spec.deref(p))
                .find(|p| {
                    p.get("in").and_then(Value::as_str) == Some("query")
                        && p.get("name").and_then(Value::as_str) == Some(name)
                });
            let integer = found
                .and_then(|p| p.get("schema"))
                .is_some_and(|s| self.spec.deref(s).get("type").and_then(Value::as_str) == Some("integer"));
            if !integer {
                let message = format!("the cursor field {name} is not an integer query parameter of the operation");
                self.report(Rule::PagedMarking, format!("{ptr}/cursor"), message);
            }
        }
        // The page: the envelope's payload, a named schema (its fields may come from allOf).
        let page = match crate::plan::success(self.spec, op) {
            Ok(Success::Envelope(envelope)) => self
                .spec
                .resolve(&format!("{}/properties/payload", schema_pointer(&envelope)))
                .and_then(ref_name)
                .map(str::to_string),
            _ => None,
        };
        let Some(page) = page else {
            let message = "a paged operation answers an envelope whose payload is a named page schema".to_string();
            return self.report(Rule::PagedMarking, ptr, message);
        };
        let page_schema = self.spec.resolve(&schema_pointer(&page)).unwrap_or(&Value::Null);
        let (items, total) = (text("items").unwrap_or_default(), text("total").unwrap_or_default());
        let items_ok = self.property(page_schema, items).is_some_and(|p| {
            p.get("type").and_then(Value::as_str) == Some("array") && p.get("items").and_then(ref_name).is_some()
        });
        if !items_ok {
            let message = format!("the page {page} has no field {items} that is an array of a named schema");
            self.report(Rule::PagedMarking, format!("{ptr}/items"), message);
        }
        let total_ok =
            self.property(page_schema, total).is_some_and(|p| p.get("type").and_then(Value::as_str) == Some("integer"));
        if !total_ok {
            let message = format!("the page {page} has no integer field {total}");
            self.report(Rule::PagedMarking, format!("{ptr}/total"), message);
        }
    }

    /// The schema of property `name` of an object schema, looked up through `$ref`s and `allOf`.
    fn property(&self, schema: &'a Value, name: &str) -> Option<&'a Value> {
        let schema = self.spec.deref(schema);
        if let Some(found) = schema.get("properties").and_then(|p| p.get(name)) {
            return Some(self.spec.deref(found));
        }
        let members = schema.get("allOf").and_then(Value::as_array).into_iter().flatten();
        members.filter_map(|member| self.property(member, name)).next()
    }

    /// `opentact_client::Server` reads `PRODUCTION` and `STAGE` (the first word of a description).
    fn servers(&mut self) {
        let list = self.spec.json.get("servers").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
        let mut words = BTreeSet::new();
        for (i, server) in list.iter().enumerate() {
            let url = server.get("url").and_then(Value::as_str).unwrap_or_default().trim();
            let description = server.get("description").and_then(Value::as_str).unwrap_or_default().trim();
            let word: String = description.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
            if url.is_empty() || !word.starts_with(|c: char| c.is_ascii_alphabetic()) {
                let message = "a server needs a url and a description starting with a name (`Production`)".into();
                self.report(Rule::Servers, format!("#/servers/{i}"), message);
            } else if !words.insert(word.to_uppercase()) {
                self.report(Rule::Servers, format!("#/servers/{i}"), format!("two servers are described as {word}"));
            }
        }
        for expected in ["PRODUCTION", "STAGE"] {
            if !words.contains(expected) {
                let pointer = if self.spec.json.get("servers").is_some() { "#/servers" } else { "#" };
                let message =
                    format!("no server's description starts with {expected} (opentact_client::Server reads it)");
                self.report(Rule::Servers, pointer.to_string(), message);
            }
        }
    }

    fn content(&mut self, ptr: &str, holder: &Value, allowed: &[&str]) {
        let Some(content) = holder.get("content").and_then(Value::as_object) else { return };
        for (media_type, media) in content {
            let media_ptr = format!("{ptr}/content/{}", escape_token(media_type));
            if !allowed.contains(&media_type.as_str()) {
                let message =
                    format!("unsupported content type {media_type}; the generator handles {}", allowed.join(" and "));
                self.report(Rule::ContentType, media_ptr.clone(), message);
            }
            let Some(schema) = media.get("schema") else { continue };
            let is_ref = |s: &Value| s.get("$ref").is_some();
            let ok = is_ref(schema)
                || (schema.get("type").and_then(Value::as_str) == Some("array")
                    && schema.get("items").is_some_and(is_ref));
            if !ok {
                self.report(
                    Rule::BodyIsRef,
                    format!("{media_ptr}/schema"),
                    "the body schema must be a $ref to a named component".into(),
                );
            }
        }
    }

    /// Every schema's `pattern` (not a property named `pattern`, not examples).
    fn patterns(&mut self, value: &Value, ptr: String, parent_key: &str) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    let child_ptr = format!("{ptr}/{}", escape_token(key));
                    match (key.as_str(), child) {
                        ("example" | "examples", _) => {}
                        ("pattern", Value::String(pattern)) if parent_key != "properties" => {
                            if let Err(e) = regex_lite::Regex::new(pattern) {
                                let message = format!("pattern {pattern:?} does not compile with regex-lite: {e}");
                                self.report(Rule::PatternSupported, child_ptr, message);
                            }
                        }
                        _ => self.patterns(child, child_ptr, key),
                    }
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.patterns(item, format!("{ptr}/{i}"), "");
                }
            }
            _ => {}
        }
    }

    fn references(&mut self) {
        let mut refs = Vec::new();
        collect_refs(&self.spec.json, "#".to_string(), &mut refs);
        for (ptr, target) in refs {
            if !target.starts_with("#/") {
                self.report(
                    Rule::RefResolves,
                    ptr,
                    format!("{target} is not a local reference; the spec must be self-contained"),
                );
            } else if self.spec.resolve(&target).is_none() {
                self.report(Rule::RefResolves, ptr, format!("{target} does not exist"));
            }
        }
    }

    fn schemas(&mut self) {
        let Some(schemas) = self.spec.json.pointer("/components/schemas").and_then(Value::as_object) else { return };
        for (name, schema) in schemas {
            let ptr = schema_pointer(name);
            if schema.get("type").and_then(Value::as_str) == Some("integer") && schema.get("enum").is_some() {
                let values = schema.get("enum").and_then(Value::as_array).map_or(0, Vec::len);
                let names = schema.get("x-enum-varnames").and_then(Value::as_array).map_or(0, Vec::len);
                if names != values {
                    let message = format!(
                        "integer enum {name} needs x-enum-varnames with one name per value ({values} values, {names} names)"
                    );
                    self.report(Rule::IntegerEnumVarnames, ptr.clone(), message);
                }
            }
            self.nested_schemas(schema, &ptr, true);
        }
        // Inline schemas under paths (parameters, bodies, responses) are never components.
        if let Some(paths) = self.spec.json.get("paths") {
            self.inline_in(paths, "#/paths".to_string());
        }
    }

    fn inline_in(&mut self, value: &Value, ptr: String) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    let child = format!("{ptr}/{}", escape_token(k));
                    if k == "schema" {
                        self.nested_schemas(v, &child, false);
                    } else if k != "examples" && k != "example" {
                        self.inline_in(v, child);
                    }
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    self.inline_in(v, format!("{ptr}/{i}"));
                }
            }
            _ => {}
        }
    }

    /// Checks a schema and the schemas nested in it; `named` is true only for a component root.
    fn nested_schemas(&mut self, schema: &Value, ptr: &str, named: bool) {
        if schema.get("$ref").is_some() {
            return;
        }
        const TYPES: [&str; 6] = ["string", "number", "integer", "boolean", "array", "object"];
        match schema.get("type") {
            Some(Value::String(t)) if TYPES.contains(&t.as_str()) => {}
            None => {
                if let Some(format) = schema.get("format") {
                    let message = format!("format {format} without a type; say which type it formats");
                    self.report(Rule::FormatNeedsType, ptr.to_string(), message);
                }
            }
            Some(other) => {
                let message = format!("type {other} is not one of {}", TYPES.join(", "));
                self.report(Rule::SchemaType, format!("{ptr}/type"), message);
            }
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            let integer = schema.get("type").and_then(Value::as_str) == Some("integer");
            let boolean = schema.get("type").and_then(Value::as_str) == Some("boolean");
            for (i, value) in values.iter().enumerate() {
                let ok = if integer { value.is_i64() } else { boolean || value.is_string() };
                if !ok {
                    let kind = if integer { "integer" } else { "string" };
                    let message = format!("enum value {value} is not a {kind}, the enum's type");
                    self.report(Rule::EnumValueType, format!("{ptr}/enum/{i}"), message);
                }
            }
        }
        if !named {
            if schema.get("enum").is_some() {
                self.report(
                    Rule::NoInlineEnum,
                    ptr.to_string(),
                    "inline enum; make it a named component under #/components/schemas".into(),
                );
            }
            if schema.get("properties").and_then(Value::as_object).is_some_and(|p| !p.is_empty()) {
                self.report(
                    Rule::NoInlineObject,
                    ptr.to_string(),
                    "inline object; make it a named component under #/components/schemas".into(),
                );
            }
        }
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (name, prop) in props {
                self.nested_schemas(prop, &format!("{ptr}/properties/{}", escape_token(name)), false);
            }
        }
        for key in ["items", "additionalProperties", "not"] {
            if let Some(child) = schema.get(key).filter(|c| c.is_object()) {
                self.nested_schemas(child, &format!("{ptr}/{key}"), false);
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(list) = schema.get(key).and_then(Value::as_array) {
                // `allOf: [{$ref: Base}, {properties}]` on a component is that component extending
                // Base: its one inline member holds the component's own fields, so it counts as
                // named (how the spec shares fields instead of copying them).
                let extends = named && key == "allOf" && list.first().is_some_and(|m| m.get("$ref").is_some());
                for (i, child) in list.iter().enumerate() {
                    self.nested_schemas(child, &format!("{ptr}/{key}/{i}"), extends && i == 1);
                }
            }
        }
    }

    /// Reports a component whose own `properties` repeat every property of another component
    /// (at least [`COPY_MIN_FIELDS`] of them), or at least [`COPY_MIN_SHARED`] of its
    /// properties. Properties are the same when their schemas are, descriptions and examples
    /// aside (a copy often rewords them).
    fn copied_properties(&mut self) {
        let Some(schemas) = self.spec.json.pointer("/components/schemas").and_then(Value::as_object) else { return };
        let own: Vec<(&String, BTreeMap<&String, Value>)> = schemas
            .iter()
            .filter_map(|(name, schema)| {
                let props = schema.get("properties")?.as_object()?;
                Some((name, props.iter().map(|(field, s)| (field, without_prose(s))).collect()))
            })
            .collect();
        for (i, (first, first_props)) in own.iter().enumerate() {
            for (second, second_props) in &own[i + 1..] {
                let shared: Vec<&str> = first_props
                    .iter()
                    .filter(|(field, schema)| second_props.get(*field) == Some(*schema))
                    .map(|(field, _)| field.as_str())
                    .collect();
                let holds_all = |props: &BTreeMap<&String, Value>| shared.len() == props.len();
                // The copy is the schema that repeats all of the other's fields (the later one
                // when both lists are equal), or the later one of a large partial copy.
                let (copy, original) = if shared.len() >= COPY_MIN_FIELDS && holds_all(first_props) {
                    (second, first)
                } else if shared.len() >= COPY_MIN_FIELDS && holds_all(second_props) {
                    (first, second)
                } else if shared.len() >= COPY_MIN_SHARED {
                    (second, first)
                } else {
                    continue;
                };
                let mut named = shared.iter().take(5).copied().collect::<Vec<_>>().join(", ");
                if shared.len() > 5 {
                    named.push_str(", ...");
                }
                let message = format!(
                    "{copy} repeats {} properties of {original} ({named}); extend it with \
                     allOf: [{{$ref: '#/components/schemas/{original}'}}, {{its own properties}}]",
                    shared.len(),
                );
                self.report(Rule::NoCopiedProperties, format!("{}/properties", schema_pointer(copy)), message);
            }
        }
    }

    fn unused_components(&mut self) {
        let mut refs = Vec::new();
        collect_refs(&self.spec.json, "#".to_string(), &mut refs);
        let used: BTreeSet<String> = refs.into_iter().map(|(_, target)| target).collect();
        let Some(components) = self.spec.json.get("components").and_then(Value::as_object) else { return };
        for (kind, entries) in components {
            if kind == "securitySchemes" || kind.starts_with("x-") {
                continue; // security schemes are used by name, not by $ref
            }
            let Some(entries) = entries.as_object() else { continue };
            for name in entries.keys() {
                let ptr = format!("#/components/{kind}/{}", escape_token(name));
                if !used.contains(&ptr) {
                    self.report(
                        Rule::ComponentUsed,
                        ptr.clone(),
                        format!("{kind} component {name} is never referenced"),
                    );
                }
            }
        }
    }

    fn errata(&mut self, value: &Value, ptr: String) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    let child = format!("{ptr}/{}", escape_token(k));
                    if k == ERRATA {
                        let entries = v.as_array().map(Vec::as_slice).unwrap_or_default();
                        if entries.is_empty() {
                            self.report(
                                Rule::ErrataEntry,
                                child.clone(),
                                "x-opentact-errata must be a non-empty list".into(),
                            );
                        }
                        for (i, entry) in entries.iter().enumerate() {
                            for field in ["id", "docs", "spec", "evidence"] {
                                let present =
                                    entry.get(field).and_then(Value::as_str).is_some_and(|s| !s.trim().is_empty());
                                if !present {
                                    self.report(
                                        Rule::ErrataEntry,
                                        format!("{child}/{i}"),
                                        format!("erratum needs a non-empty `{field}`"),
                                    );
                                }
                            }
                            // `covers` names the docs-check facts the erratum explains.
                            if let Some(covers) = entry.get("covers") {
                                let names = covers.as_array().map(Vec::as_slice).unwrap_or_default();
                                if names.is_empty()
                                    || !names.iter().all(|c| c.as_str().is_some_and(|s| !s.trim().is_empty()))
                                {
                                    self.report(
                                        Rule::ErrataEntry,
                                        format!("{child}/{i}/covers"),
                                        "`covers` must be a non-empty list of fact names".into(),
                                    );
                                }
                            }
                        }
                    } else {
                        self.errata(v, child);
                    }
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    self.errata(v, format!("{ptr}/{i}"));
                }
            }
            _ => {}
        }
    }
}

/// Every `$ref` in the document, as (pointer of the `$ref` key, target).
pub(crate) fn collect_refs(value: &Value, ptr: String, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let child = format!("{ptr}/{}", escape_token(k));
                if k == "$ref" {
                    if let Some(target) = v.as_str() {
                        out.push((child, target.to_string()));
                    }
                } else {
                    collect_refs(v, child, out);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                collect_refs(v, format!("{ptr}/{i}"), out);
            }
        }
        _ => {}
    }
}
