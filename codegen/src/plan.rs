//! What the spec asks for, read once into plain data: the operations with their parameters,
//! bodies and payloads, the enums, the envelopes, the request and response-only schemas, the
//! servers and the request validation rules. Every later step works from this plan. It reads
//! the JSON rather than openapiv3's types because every error here names a JSON pointer (and so
//! a line), and the `x-enum-*` extensions and the passes are plain JSON anyway.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToKebabCase, ToSnakeCase, ToUpperCamelCase};
use serde_json::Value;

pub(crate) use crate::spec::vocabulary::ref_name;
use crate::spec::vocabulary::{EFFECT, FRONT_END_NAME, JSON, METHODS, MULTIPART, PAGED, schema_pointer};
use crate::spec::{Spec, SpecError};

/// Everything generation needs to know about the spec. Built once by [`Plan::new`]; the
/// passes and the emitters read it and never walk `spec.json` for these facts again.
#[derive(Default)]
pub(crate) struct Plan {
    /// In the order of the spec (paths, then methods in [`METHODS`] order).
    pub operations: Vec<Operation>,
    /// Every enum component except boolean ones (those only pin `success: true`).
    pub enums: Vec<EnumDef>,
    /// Schemas used as 2xx JSON bodies: `{success, ...}` envelopes, each once.
    pub envelopes: Vec<Envelope>,
    /// Names of the schemas request bodies use, directly or nested.
    pub request_schemas: BTreeSet<String>,
    /// Rust names of the object schemas no request body uses (boxed; see `boxing`).
    pub response_only_objects: BTreeSet<String>,
    /// Rust type name -> wire names of its optional, `nullable: true`, non-array fields, for
    /// the request schemas (`rewrite::nullable` makes them `Option<Nullable<_>>`).
    pub nullable_fields: BTreeMap<String, BTreeSet<String>>,
    /// The spec's `servers`, in order.
    pub servers: Vec<Server>,
    /// Validation rules of every JSON request body schema, sorted by schema name.
    pub validation: Vec<RuleTable>,
    /// The tags operations use, in the order of the spec's `tags` (undeclared ones after).
    pub tags: Vec<Tag>,
}

/// A tag: a group of commands (CLI) and tools (MCP).
pub(crate) struct Tag {
    pub name: String,
    /// Its short name: `x-opentact-cli` on the tag, else the name in kebab-case.
    pub group: String,
    pub description: String,
}

/// What an operation does to the account (`x-opentact-effect`); the method does not say it
/// (`GetOrderPrice` is a POST that changes nothing, `CreateTNOrder` spends money).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Effect {
    Read,
    Write,
    Destroy,
    Spend,
}

impl Effect {
    pub(crate) fn parse(value: &str) -> Option<Effect> {
        match value {
            "read" => Some(Effect::Read),
            "write" => Some(Effect::Write),
            "destroy" => Some(Effect::Destroy),
            "spend" => Some(Effect::Spend),
            _ => None,
        }
    }

    /// The variant's name, as the front ends' `Effect` enums spell it.
    pub(crate) fn variant(self) -> &'static str {
        match self {
            Effect::Read => "Read",
            Effect::Write => "Write",
            Effect::Destroy => "Destroy",
            Effect::Spend => "Spend",
        }
    }
}

pub(crate) struct Operation {
    pub id: String,
    /// The name progenitor gives the method (and the facade reuses).
    pub rust_name: String,
    pub method: String,
    pub path: String,
    pub summary: String,
    pub description: String,
    pub path_params: Vec<PathParam>,
    /// Query parameters, in the spec's order.
    pub query_params: Vec<QueryParam>,
    pub body: Option<Body>,
    /// What its 2xx responses carry.
    pub success: Success,
    /// What it authenticates with (its `security`, or the spec's).
    pub credential: Credential,
    pub effect: Effect,
    /// The first tag.
    pub tag: String,
    /// The short name of its command within its tag's group (see [`command_name`]).
    pub command: String,
    /// Its parameters and body as one JSON Schema (an MCP tool's input; see `tool_schema`).
    pub input_schema: Value,
    /// How to walk its pages, when it is a paged search (`x-opentact-paged`).
    pub paged: Option<Paged>,
}

/// A paged search: its cursor query parameters and the fields of its page.
pub(crate) struct Paged {
    pub cursor: Cursor,
    /// The query parameter of the page size (`take` or `size`) and of the start (`skip` or `page`).
    pub size_param: String,
    pub start_param: String,
    /// The page's array of items and its count of every match.
    pub items: String,
    pub total: String,
    /// The Rust type of an item.
    pub item_type: String,
    /// The page size when the caller sets none: 100, or the size parameter's maximum if lower.
    pub default_size: i64,
}

/// How a paged search says which page it wants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cursor {
    /// `take` items after skipping `skip`.
    TakeSkip,
    /// Page `page` (1-based) of `size` items.
    PageSize,
}

/// How an operation authenticates: the one scheme of its security requirement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Credential {
    /// An `apiKey` scheme in the `X-Auth-Token` header: the client's API token.
    Token,
    /// An `http` scheme `basic`: the client's login (e-mail and password).
    Basic,
    /// `security: []`, or no security anywhere: nothing.
    None,
}

/// What an operation's 2xx responses carry (all of them the same).
pub(crate) enum Success {
    /// A JSON envelope: the name of its schema (`{success, payload}`, see [`Envelope`]).
    Envelope(String),
    /// No body (`204`, or a 2xx without content): the call returns `()`.
    Empty,
}

impl Operation {
    /// The name of its envelope schema; `None` when its successes have no body.
    pub(crate) fn envelope(&self) -> Option<&str> {
        match &self.success {
            Success::Envelope(name) => Some(name),
            Success::Empty => None,
        }
    }
}

pub(crate) struct PathParam {
    pub name: String,
    pub description: String,
    pub kind: ParamKind,
}

/// A query parameter: sent as `?name=value` when set, checked against its schema's limits first.
pub(crate) struct QueryParam {
    pub name: String,
    pub description: String,
    pub required: bool,
    /// The Rust type of its value (`i64`, `String`, `types::Level`, ...).
    pub rust_type: QueryType,
    /// The limits of its schema, checked like a body's (`<OperationId>Query` in `validation`).
    pub rules: Vec<BodyRule>,
}

pub(crate) enum QueryType {
    /// `format: int32`.
    Integer32,
    Integer,
    Number,
    Boolean,
    String,
    /// A named enum (its Rust name).
    Enum(String),
}

pub(crate) enum ParamKind {
    /// `$ref: UUID`: a `uuid::Uuid`.
    Uuid,
    /// A `$ref` to a constrained string component: its generated newtype.
    Named(String),
    /// A `$ref` to an enum component (its Rust name): the method takes the enum itself.
    Enum(String),
}

pub(crate) struct Body {
    pub schema: String,
    /// The file fields of a multipart body; `None` for JSON.
    pub multipart: Option<Vec<FileField>>,
    /// The top-level properties of a JSON body, in the schema's order (empty for multipart).
    pub fields: Vec<BodyField>,
}

/// A top-level property of a JSON request body: a CLI flag when it is a scalar, an enum or a
/// list of either; deeper values come whole in the body.
pub(crate) struct BodyField {
    pub name: String,
    pub description: String,
    pub required: bool,
    pub kind: FieldKind,
}

pub(crate) enum FieldKind {
    Scalar(Scalar),
    List(Scalar),
    /// An object, a list of objects, a composition: only a whole body can carry it.
    Nested,
}

pub(crate) enum Scalar {
    Integer,
    Number,
    Boolean,
    String,
    /// A named enum (its schema name, as in [`EnumDef::schema`]).
    Enum(String),
}

pub(crate) struct FileField {
    pub name: String,
    pub description: String,
}

pub(crate) struct Envelope {
    pub schema: String,
    pub payload: Payload,
    /// Its fields beside `success` and `payload` (the call-flow envelope's `url`), in the
    /// spec's order. When there are some, the facade returns the whole envelope.
    pub beside: Vec<String>,
}

/// What an envelope's `payload` is (see [`payload_shape`]).
pub(crate) enum Payload {
    /// A `$ref` to a named schema (its Rust name).
    One(String),
    /// An array of a named schema (the item's Rust name).
    Many(String),
    /// `type: string` without a format or limits: a `String`.
    Text,
    /// An inline `type: object` with `additionalProperties: true` (or `{}`) and no properties:
    /// a `serde_json::Map`.
    FreeForm,
    /// An inline `type: object` with `additionalProperties: {$ref}` and no properties: a map
    /// from names to the named schema (its Rust name).
    Map(String),
    /// No `payload` property: nothing to return.
    Absent,
}

pub(crate) struct EnumDef {
    pub schema: String,
    pub rust_name: String,
    pub description: String,
    pub integer: bool,
    pub variants: Vec<Variant>,
}

pub(crate) struct Variant {
    pub ident: String,
    /// The wire value (a JSON string or number).
    pub value: Value,
    pub description: Option<String>,
}

/// One entry of the spec's `servers`.
pub(crate) struct Server {
    /// The constant it becomes: the first word of its description, upper-cased (`PRODUCTION`).
    pub constant: String,
    pub url: String,
    pub description: String,
}

/// The servers `opentact_client::Server` has a variant for (constant names, see [`Server`]).
pub(crate) const EXPECTED_SERVERS: [&str; 2] = ["PRODUCTION", "STAGE"];

/// The checks of one request body schema.
pub(crate) struct RuleTable {
    pub schema: String,
    pub rules: Vec<BodyRule>,
}

/// A check on the value at `path` inside a request body.
#[derive(Clone)]
pub(crate) struct BodyRule {
    pub path: Vec<Step>,
    pub check: Check,
}

#[derive(Clone)]
pub(crate) enum Step {
    Key(String),
    /// Every item of an array.
    Each,
}

#[derive(Clone)]
pub(crate) enum Check {
    Minimum(f64),
    Maximum(f64),
    MinLength(u64),
    MaxLength(u64),
    MinItems(u64),
    MaxItems(u64),
    Pattern(String),
    Url,
}

/// The Rust name typify gives a component (heck's UpperCamelCase, as typify uses).
pub(crate) fn type_name(schema: &str) -> String {
    schema.to_upper_camel_case()
}

/// The Rust name of an `E...` enum: the `E` stays, the rest is camel-cased by words
/// (`ESIPControlAppMethod` becomes `ESipControlAppMethod`).
pub(crate) fn enum_name(schema: &str) -> String {
    match schema.strip_prefix('E') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_uppercase()) => format!("E{}", rest.to_upper_camel_case()),
        _ => type_name(schema),
    }
}

/// The name of the rule table of an operation's query parameters.
pub(crate) fn query_table(operation_id: &str) -> String {
    format!("{operation_id}Query")
}

pub(crate) fn method_name(operation_id: &str) -> String {
    operation_id.to_snake_case()
}

/// The short name of an operation's command within its tag's group, unless the operation
/// names it in `x-opentact-cli`: the operationId's words (kebab-case) without the tag's words
/// (singular or plural), each word once, without a trailing `by uuid` or `by id`; the whole
/// operationId when no word is left. `ListSIPControlApps` in `SIP Control App` is `list`,
/// `GetTNSpecialPricesByAccount` in `TN Profile` is `get-special-prices-by-account`.
pub(crate) fn command_name(operation_id: &str, tag: &str) -> String {
    let singular = |w: &str| w.strip_suffix('s').unwrap_or(w).to_string();
    let tag_words: Vec<String> = tag.to_kebab_case().split('-').map(singular).collect();
    let mut words: Vec<String> = Vec::new();
    for word in operation_id.to_kebab_case().split('-') {
        if !tag_words.contains(&singular(word)) && !words.iter().any(|w| w == word) {
            words.push(word.to_string());
        }
    }
    let by_id = |tail: &[String]| matches!(tail, [by, what] if by == "by" && (what == "uuid" || what == "id"));
    if words.len() > 2 && by_id(&words[words.len() - 2..]) {
        words.truncate(words.len() - 2);
    }
    if words.is_empty() { operation_id.to_kebab_case() } else { words.join("-") }
}

/// A name a front end can take as a command or group: lower-case words joined by `-`.
fn is_kebab(name: &str) -> bool {
    !name.is_empty()
        && name.split('-').all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
}

impl Plan {
    pub(crate) fn new(spec: &Spec) -> Result<Plan, SpecError> {
        let json = &spec.json;
        let mut plan = Plan::default();
        let empty = serde_json::Map::new();
        let schemas = json.pointer("/components/schemas").and_then(Value::as_object).unwrap_or(&empty);

        for (name, schema) in schemas {
            if schema.get("enum").is_some() && !is_boolean(schema) {
                plan.enums.push(enum_def(spec, name, schema)?);
            }
        }

        let paths = json.get("paths").and_then(Value::as_object).unwrap_or(&empty);
        for (path, item) in paths {
            for method in METHODS {
                let Some(op) = item.get(method) else { continue };
                let operation = operation(spec, path, method, item, op)?;
                if let Some(name) = operation.envelope()
                    && !plan.envelopes.iter().any(|e| e.schema == name)
                {
                    plan.envelopes.push(envelope(spec, &operation.id, name)?);
                }
                plan.operations.push(operation);
            }
        }

        plan.request_schemas = request_schemas(&plan.operations, schemas);
        plan.nullable_fields = nullable_fields(&plan.request_schemas, schemas);
        plan.response_only_objects = schemas
            .iter()
            .filter(|(name, schema)| is_object(schema) && !plan.request_schemas.contains(*name))
            .map(|(name, _)| type_name(name))
            .collect();
        plan.servers = servers(spec)?;
        plan.tags = tags(spec, &plan.operations)?;
        check_commands(spec, &plan)?;
        plan.validation = validation(spec, &plan.operations);
        for op in plan.operations.iter().filter(|op| op.query_params.iter().any(|q| !q.rules.is_empty())) {
            let rules = op.query_params.iter().flat_map(|q| q.rules.iter().cloned()).collect();
            plan.validation.push(RuleTable { schema: query_table(&op.id), rules });
        }
        Ok(plan)
    }
}

pub(crate) fn is_boolean(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("boolean")
}

pub(crate) fn is_object(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("object")
}

fn at(spec: &Spec, pointer: &str, message: String) -> SpecError {
    SpecError::at(spec, pointer, message)
}

fn operation(spec: &Spec, path: &str, method: &str, item: &Value, op: &Value) -> Result<Operation, SpecError> {
    let ptr = format!("#/paths/{}/{method}", crate::spec::escape_token(path));
    let text = |key: &str| op.get(key).and_then(Value::as_str).unwrap_or("").trim().to_string();
    let id = text("operationId");

    let mut path_params = Vec::new();
    let mut query_params = Vec::new();
    let params = item.get("parameters").and_then(Value::as_array).into_iter().flatten();
    for param in params.chain(op.get("parameters").and_then(Value::as_array).into_iter().flatten()) {
        let param = spec.deref(param);
        let name = param.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
        let schema = param.get("schema").unwrap_or(&Value::Null);
        match param.get("in").and_then(Value::as_str) {
            Some("path") => {}
            Some("query") => {
                query_params.push(query_param(spec, &ptr, &id, &name, param, schema)?);
                continue;
            }
            _ => return Err(at(spec, &ptr, format!("{id}: only path and query parameters are supported"))),
        }
        let kind = match ref_name(schema) {
            Some("UUID") => ParamKind::Uuid,
            Some(other)
                if spec.resolve(&schema_pointer(other)).is_some_and(|s| s.get("enum").is_some() && !is_boolean(s)) =>
            {
                ParamKind::Enum(enum_name(other))
            }
            Some(other) => ParamKind::Named(type_name(other)),
            None => return Err(at(spec, &ptr, format!("{id}: path parameter {name} must reference a named schema"))),
        };
        let description = one_line(param.get("description").and_then(Value::as_str).unwrap_or(""));
        path_params.push(PathParam { name, description, kind });
    }

    let body = match op.get("requestBody") {
        None => None,
        Some(body) => {
            let content = spec.deref(body).get("content").and_then(Value::as_object);
            let Some((media, media_obj)) = content.and_then(|c| c.iter().next()) else {
                return Err(at(spec, &format!("{ptr}/requestBody"), format!("{id}: the request body has no content")));
            };
            let schema_name = media_obj.get("schema").and_then(ref_name).ok_or_else(|| {
                at(spec, &format!("{ptr}/requestBody"), format!("{id}: the request body must reference a named schema"))
            })?;
            let multipart = match media.as_str() {
                JSON => None,
                MULTIPART => Some(multipart_files(spec, &id, schema_name)?),
                other => {
                    return Err(at(
                        spec,
                        &format!("{ptr}/requestBody"),
                        format!("{id}: unsupported request content type {other}"),
                    ));
                }
            };
            let fields = if multipart.is_some() { Vec::new() } else { body_fields(spec, schema_name) };
            Some(Body { schema: schema_name.to_string(), multipart, fields })
        }
    };

    let success =
        success(spec, op).map_err(|message| at(spec, &format!("{ptr}/responses"), format!("{id}: {message}")))?;
    if matches!(success, Success::Empty) && body.as_ref().is_some_and(|b| b.multipart.is_some()) {
        let message = format!("{id}: a multipart upload must answer with an envelope");
        return Err(at(spec, &format!("{ptr}/responses"), message));
    }

    let credential =
        credential(spec, &ptr, op).map_err(|(pointer, message)| at(spec, &pointer, format!("{id}: {message}")))?;
    let effect = op
        .get(EFFECT)
        .and_then(Value::as_str)
        .and_then(Effect::parse)
        .ok_or_else(|| at(spec, &ptr, format!("{id}: {EFFECT} must be one of read, write, destroy, spend")))?;
    let tag = op.pointer("/tags/0").and_then(Value::as_str).unwrap_or_default().to_string();
    let command = match op.get(FRONT_END_NAME) {
        None => command_name(&id, &tag),
        Some(name) => match name.as_str().filter(|n| is_kebab(n)) {
            Some(name) => name.to_string(),
            None => return Err(at(spec, &ptr, format!("{id}: {FRONT_END_NAME} must be a kebab-case name"))),
        },
    };

    let paged = match op.get(PAGED) {
        Some(marking) => Some(paged(spec, &format!("{ptr}/{PAGED}"), &id, marking, &query_params, &success, &body)?),
        None => None,
    };
    Ok(Operation {
        input_schema: crate::tool_schema::input_schema(spec, item, op),
        effect,
        tag,
        command,
        rust_name: method_name(&id),
        id,
        method: method.to_uppercase(),
        path: path.to_string(),
        summary: text("summary"),
        description: text("description"),
        path_params,
        query_params,
        body,
        success,
        credential,
        paged,
    })
}

/// The walk of a paged search; the lint rule `paged-marking` has checked the marking's shape,
/// so these errors are for what the walk needs beyond it.
fn paged(
    spec: &Spec,
    ptr: &str,
    id: &str,
    marking: &Value,
    query: &[QueryParam],
    success: &Success,
    body: &Option<Body>,
) -> Result<Paged, SpecError> {
    let fail = |message: &str| at(spec, ptr, format!("{id}: {message}"));
    let text = |key: &str| marking.get(key).and_then(Value::as_str).map(str::to_string);
    let cursor: Vec<&str> =
        marking.get("cursor").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    let (kind, size_param, start_param) = match cursor.as_slice() {
        ["take", "skip"] => (Cursor::TakeSkip, "take", "skip"),
        ["page", "size"] => (Cursor::PageSize, "size", "page"),
        _ => return Err(fail("x-opentact-paged needs cursor [take, skip] or [page, size]")),
    };
    let (Some(items), Some(total)) = (text("items"), text("total")) else {
        return Err(fail("x-opentact-paged needs items and total"));
    };
    for name in [size_param, start_param] {
        match query.iter().find(|q| q.name == name) {
            Some(q) if !q.required && matches!(q.rust_type, QueryType::Integer | QueryType::Integer32) => {}
            _ => return Err(fail(&format!("the cursor field {name} must be an optional integer query parameter"))),
        }
    }
    if body.as_ref().is_some_and(|b| b.multipart.is_some()) {
        return Err(fail("a paged search cannot be a multipart upload"));
    }
    // The page: the envelope's payload alone, a named schema.
    let envelope = match success {
        Success::Envelope(name) => name,
        Success::Empty => return Err(fail("a paged search answers with a page")),
    };
    let envelope_props = spec.resolve(&format!("{}/properties", schema_pointer(envelope))).and_then(Value::as_object);
    let beside = envelope_props.into_iter().flatten().any(|(k, _)| !matches!(k.as_str(), "success" | "payload"));
    let page = envelope_props.and_then(|p| p.get("payload")).and_then(ref_name);
    let (false, Some(page)) = (beside, page) else {
        return Err(fail("a paged search's envelope holds only its page, a named schema, as payload"));
    };
    let page_schema = spec.resolve(&schema_pointer(page)).unwrap_or(&Value::Null);
    // Generation plans the flattened spec: a page's `allOf` parts are one `properties` here.
    let properties = page_schema.get("properties").and_then(Value::as_object);
    let field = |name: &str| properties.and_then(|p| p.get(name)).map(|v| spec.deref(v));
    let item = field(&items).and_then(|p| p.get("items")).and_then(ref_name);
    let Some(item) = item else {
        return Err(fail(&format!("the page {page} has no field {items} that is an array of a named schema")));
    };
    if field(&total).and_then(|p| p.get("type")).and_then(Value::as_str) != Some("integer") {
        return Err(fail(&format!("the page {page} has no integer field {total}")));
    }
    let maximum = query.iter().filter(|q| q.name == size_param).flat_map(|q| &q.rules).find_map(|r| match r.check {
        Check::Maximum(max) => Some(max),
        _ => None,
    });
    // A maximum below 1 is the spec's own contradiction; the check before sending reports it.
    let default_size = maximum.map_or(100, |max| (max.floor() as i64).clamp(1, 100));
    Ok(Paged {
        cursor: kind,
        size_param: size_param.to_string(),
        start_param: start_param.to_string(),
        items,
        total,
        item_type: type_name(item),
        default_size,
    })
}

/// A query parameter of a scalar type or a named enum, with the limits of its schema.
fn query_param(
    spec: &Spec,
    ptr: &str,
    id: &str,
    name: &str,
    param: &Value,
    schema: &Value,
) -> Result<QueryParam, SpecError> {
    let rust_type = match (ref_name(schema), schema.get("type").and_then(Value::as_str)) {
        (Some(target), _) => match spec.resolve(&schema_pointer(target)) {
            Some(t) if t.get("enum").is_some() && !is_boolean(t) => QueryType::Enum(enum_name(target)),
            _ => return Err(at(spec, ptr, format!("{id}: query parameter {name} must be a scalar or a named enum"))),
        },
        (None, Some("integer")) if schema.get("format").and_then(Value::as_str) == Some("int32") => {
            QueryType::Integer32
        }
        (None, Some("integer")) => QueryType::Integer,
        (None, Some("number")) => QueryType::Number,
        (None, Some("boolean")) => QueryType::Boolean,
        (None, Some("string")) => QueryType::String,
        _ => return Err(at(spec, ptr, format!("{id}: query parameter {name} must be a scalar or a named enum"))),
    };
    let mut rules = Vec::new();
    collect_rules(spec, schema, &mut vec![Step::Key(name.to_string())], &mut Vec::new(), &mut rules);
    Ok(QueryParam {
        name: name.to_string(),
        description: one_line(param.get("description").and_then(Value::as_str).unwrap_or("")),
        required: param.get("required").and_then(Value::as_bool).unwrap_or(false),
        rust_type,
        rules,
    })
}

/// The top-level properties of a JSON body schema and what kind of value each holds.
fn body_fields(spec: &Spec, schema_name: &str) -> Vec<BodyField> {
    let schema = spec.resolve(&schema_pointer(schema_name)).unwrap_or(&Value::Null);
    let required: Vec<&str> =
        schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    let props = schema.get("properties").and_then(Value::as_object).into_iter().flatten();
    props
        .map(|(name, prop)| {
            let described = |s: &Value| s.get("description").and_then(Value::as_str).map(|d| d.trim().to_string());
            let kind = match scalar(spec, prop) {
                Some(s) => FieldKind::Scalar(s),
                None => match spec.deref(prop).get("items").and_then(|items| scalar(spec, items)) {
                    Some(s) => FieldKind::List(s),
                    None => FieldKind::Nested,
                },
            };
            BodyField {
                name: name.clone(),
                description: described(prop).or_else(|| described(spec.deref(prop))).unwrap_or_default(),
                required: required.contains(&name.as_str()),
                kind,
            }
        })
        .collect()
}

/// The scalar a schema is (a named enum, or a plain or named integer, number, boolean or string).
fn scalar(spec: &Spec, schema: &Value) -> Option<Scalar> {
    let target = spec.deref(schema);
    if target.get("enum").is_some() && !is_boolean(target) {
        return ref_name(schema).map(|name| Scalar::Enum(name.to_string()));
    }
    match target.get("type").and_then(Value::as_str) {
        Some("integer") => Some(Scalar::Integer),
        Some("number") => Some(Scalar::Number),
        Some("boolean") => Some(Scalar::Boolean),
        Some("string") if target.get("format").and_then(Value::as_str) != Some("binary") => Some(Scalar::String),
        _ => None,
    }
}

/// The tags the operations use, with their group names and descriptions.
fn tags(spec: &Spec, operations: &[Operation]) -> Result<Vec<Tag>, SpecError> {
    let declared = spec.json.get("tags").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let mut tags: Vec<Tag> = Vec::new();
    for (i, tag) in declared.iter().enumerate() {
        let name = tag.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
        if !operations.iter().any(|op| op.tag == name) {
            continue;
        }
        let group = match tag.get(FRONT_END_NAME) {
            None => name.to_kebab_case(),
            Some(group) => match group.as_str().filter(|g| is_kebab(g)) {
                Some(group) => group.to_string(),
                None => {
                    return Err(at(
                        spec,
                        &format!("#/tags/{i}"),
                        format!("{FRONT_END_NAME} must be a kebab-case name"),
                    ));
                }
            },
        };
        let description = tag.get("description").and_then(Value::as_str).unwrap_or("").trim().to_string();
        tags.push(Tag { name, group, description });
    }
    for op in operations {
        if !tags.iter().any(|t| t.name == op.tag) {
            tags.push(Tag { name: op.tag.clone(), group: op.tag.to_kebab_case(), description: String::new() });
        }
    }
    Ok(tags)
}

/// Two groups, or two commands of a group, with one name would make one command unreachable.
fn check_commands(spec: &Spec, plan: &Plan) -> Result<(), SpecError> {
    for (i, tag) in plan.tags.iter().enumerate() {
        if let Some(other) = plan.tags[..i].iter().find(|t| t.group == tag.group) {
            let message = format!(
                "tags {} and {} both give the command group {}; name one with {FRONT_END_NAME}",
                other.name, tag.name, tag.group
            );
            return Err(at(spec, "#/tags", message));
        }
    }
    for (i, op) in plan.operations.iter().enumerate() {
        if let Some(other) = plan.operations[..i].iter().find(|o| o.tag == op.tag && o.command == op.command) {
            let ptr = format!("#/paths/{}/{}", crate::spec::escape_token(&op.path), op.method.to_lowercase());
            let message = format!(
                "{}: its command `{}` in {} is also {}'s; name one with {FRONT_END_NAME}",
                op.id, op.command, op.tag, other.id
            );
            return Err(at(spec, &ptr, message));
        }
    }
    Ok(())
}

/// The binary fields of a multipart body; other field kinds are not supported.
fn multipart_files(spec: &Spec, id: &str, schema_name: &str) -> Result<Vec<FileField>, SpecError> {
    let ptr = schema_pointer(schema_name);
    let schema = spec.resolve(&ptr).unwrap_or(&Value::Null);
    let props = schema.get("properties").and_then(Value::as_object);
    let mut files = Vec::new();
    for (name, prop) in props.into_iter().flatten() {
        if prop.get("format").and_then(Value::as_str) != Some("binary") {
            return Err(at(
                spec,
                &format!("{ptr}/properties/{name}"),
                format!("{id}: multipart field {name} is not a binary file; only file fields are supported"),
            ));
        }
        let description = prop.get("description").and_then(Value::as_str).unwrap_or("").trim().to_string();
        files.push(FileField { name: name.clone(), description });
    }
    Ok(files)
}

/// What an operation authenticates with: its `security`, else the spec's. The generator supports
/// one requirement of one scheme (or none); the error names where the refused shape is (the
/// requirement or the scheme). The lint rule `security-requirement` reports with it.
pub(crate) fn credential(spec: &Spec, op_ptr: &str, op: &Value) -> Result<Credential, (String, String)> {
    let (requirements, pointer) = match op.get("security") {
        Some(own) => (own, format!("{op_ptr}/security")),
        None => match spec.json.get("security") {
            Some(global) => (global, "#/security".to_string()),
            None => return Ok(Credential::None),
        },
    };
    let schemes: Vec<&String> = match requirements.as_array().map(Vec::as_slice) {
        Some([]) => return Ok(Credential::None),
        Some([one]) => one.as_object().map(|o| o.keys().collect()).unwrap_or_default(),
        _ => vec![],
    };
    let [name] = schemes.as_slice() else {
        let message = "security must be one requirement of one scheme (or []): the generator cannot choose \
                       between alternatives or send two credentials"
            .to_string();
        return Err((pointer, message));
    };
    let scheme_ptr = format!("#/components/securitySchemes/{}", crate::spec::escape_token(name));
    let Some(scheme) = spec.resolve(&scheme_ptr) else {
        return Err((format!("{pointer}/0"), format!("security scheme {name} is not declared")));
    };
    let text = |key: &str| scheme.get(key).and_then(Value::as_str).unwrap_or_default().to_ascii_lowercase();
    match (text("type").as_str(), text("in").as_str(), text("name").as_str(), text("scheme").as_str()) {
        ("apikey", "header", "x-auth-token", _) => Ok(Credential::Token),
        ("http", _, _, "basic") => Ok(Credential::Basic),
        _ => Err((
            scheme_ptr,
            format!("security scheme {name} is neither the X-Auth-Token apiKey header nor HTTP basic"),
        )),
    }
}

/// A parameter's description on one line: rustdoc lists parameters as markdown items, which a
/// second line would leave.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What an operation's 2xx responses carry: all of them the same named JSON schema, or none
/// of them a body. The lint rule `success-response` reports the same shapes with their line.
pub(crate) fn success(spec: &Spec, op: &Value) -> Result<Success, String> {
    let bodies: Vec<Option<&Value>> = op
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(code, _)| code.starts_with('2'))
        .map(|(_, r)| spec.deref(r).get("content").filter(|c| c.as_object().is_some_and(|c| !c.is_empty())))
        .collect();
    if bodies.is_empty() {
        return Err("no 2xx response".into());
    }
    if bodies.iter().all(Option::is_none) {
        return Ok(Success::Empty);
    }
    let names: BTreeSet<Option<&str>> =
        bodies.iter().map(|c| c.and_then(|c| c.pointer("/application~1json/schema")).and_then(ref_name)).collect();
    match names.into_iter().collect::<Vec<_>>().as_slice() {
        [Some(name)] => Ok(Success::Envelope(name.to_string())),
        [None] => Err("no 2xx application/json response with a named schema".into()),
        names if names.contains(&None) => {
            Err("some 2xx responses have a body and others none (or not a named application/json schema)".into())
        }
        names => Err(format!(
            "the 2xx responses have different schemas: {}",
            names.iter().flatten().copied().collect::<Vec<_>>().join(", ")
        )),
    }
}

fn envelope(spec: &Spec, id: &str, name: &str) -> Result<Envelope, SpecError> {
    let ptr = schema_pointer(name);
    let props = spec.resolve(&format!("{ptr}/properties")).and_then(Value::as_object);
    let Some(props) = props.filter(|p| p.contains_key("success")) else {
        return Err(at(spec, &ptr, format!("{id}: a 2xx response must be a {{success, payload}} envelope")));
    };
    let payload = payload_shape(props.get("payload"))
        .map_err(|message| at(spec, &format!("{ptr}/properties/payload"), format!("{name}: {message}")))?;
    let beside = props.keys().filter(|k| *k != "success" && *k != "payload").cloned().collect();
    Ok(Envelope { schema: name.to_string(), payload, beside })
}

/// The kind of an envelope's `payload` schema (absent when there is no `payload` property);
/// the error says what is supported. The lint rule `success-envelope` reports with it.
pub(crate) fn payload_shape(payload: Option<&Value>) -> Result<Payload, String> {
    let Some(payload) = payload else { return Ok(Payload::Absent) };
    if let Some(name) = ref_name(payload) {
        return Ok(Payload::One(type_name(name)));
    }
    let kind = payload.get("type").and_then(Value::as_str);
    let no_properties = payload.get("properties").and_then(Value::as_object).is_none_or(|p| p.is_empty());
    let plain_string = ["format", "pattern", "minLength", "maxLength", "enum"].iter().all(|k| payload.get(k).is_none());
    let items = payload.get("items").and_then(ref_name);
    let values = payload.get("additionalProperties");
    match (kind, items, values) {
        (Some("array"), Some(item), _) => Ok(Payload::Many(type_name(item))),
        (Some("string"), _, _) if plain_string => Ok(Payload::Text),
        (Some("object"), _, Some(Value::Bool(true))) if no_properties => Ok(Payload::FreeForm),
        (Some("object"), _, Some(Value::Object(any))) if no_properties && any.is_empty() => Ok(Payload::FreeForm),
        (Some("object"), _, Some(values)) if no_properties => match ref_name(values) {
            Some(name) => Ok(Payload::Map(type_name(name))),
            None => Err(UNSUPPORTED_PAYLOAD.into()),
        },
        _ => Err(UNSUPPORTED_PAYLOAD.into()),
    }
}

const UNSUPPORTED_PAYLOAD: &str = "the payload must be a $ref to a named schema, an array of one, a plain string, \
     a free-form object (additionalProperties: true) or a map (additionalProperties: a $ref)";

fn enum_def(spec: &Spec, name: &str, schema: &Value) -> Result<EnumDef, SpecError> {
    let ptr = schema_pointer(name);
    let integer = schema.get("type").and_then(Value::as_str) == Some("integer");
    let values = schema.get("enum").and_then(Value::as_array).cloned().unwrap_or_default();
    let names = schema.get("x-enum-varnames").and_then(Value::as_array);
    let descriptions = schema.get("x-enum-descriptions").and_then(Value::as_array);
    let mut variants: Vec<Variant> = Vec::new();
    for (i, value) in values.into_iter().enumerate() {
        let ident = match names.and_then(|n| n.get(i)).and_then(Value::as_str) {
            Some(n) => n.to_upper_camel_case(),
            None => match &value {
                Value::String(s) => s.to_upper_camel_case(),
                _ => return Err(at(spec, &ptr, format!("{name}: integer enums need x-enum-varnames"))),
            },
        };
        let ident = if ident.starts_with(|c: char| c.is_ascii_digit()) { format!("V{ident}") } else { ident };
        if ident.is_empty() || ident == "Unknown" || variants.iter().any(|v| v.ident == ident) {
            return Err(at(
                spec,
                &ptr,
                format!("{name}: value {value} gives the variant name {ident:?}, which is empty, reserved or taken"),
            ));
        }
        let ok = if integer { value.is_i64() } else { value.is_string() };
        if !ok {
            return Err(at(spec, &ptr, format!("{name}: value {value} does not match the enum's type")));
        }
        let description = descriptions.and_then(|d| d.get(i)).and_then(Value::as_str).map(str::to_string);
        variants.push(Variant { ident, value, description });
    }
    Ok(EnumDef {
        schema: name.to_string(),
        rust_name: enum_name(name),
        description: schema.get("description").and_then(Value::as_str).unwrap_or("").trim().to_string(),
        integer,
        variants,
    })
}

/// The optional, `nullable: true`, non-array properties of the request schemas, by Rust type
/// name (see `rewrite::nullable`; an optional array's "clear" is `[]`, not `null`).
fn nullable_fields(
    request_schemas: &BTreeSet<String>,
    schemas: &serde_json::Map<String, Value>,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for name in request_schemas {
        let Some(schema) = schemas.get(name) else { continue };
        let required: BTreeSet<&str> =
            schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
        let fields: BTreeSet<String> = schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter(|(field, prop)| {
                !required.contains(field.as_str())
                    && prop.get("nullable").and_then(Value::as_bool) == Some(true)
                    && prop.get("type").and_then(Value::as_str) != Some("array")
            })
            .map(|(field, _)| field.clone())
            .collect();
        if !fields.is_empty() {
            out.insert(type_name(name), fields);
        }
    }
    out
}

/// Names of the schemas request bodies use, directly or nested.
fn request_schemas(operations: &[Operation], schemas: &serde_json::Map<String, Value>) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut pending: Vec<String> = operations.iter().filter_map(|op| Some(op.body.as_ref()?.schema.clone())).collect();
    while let Some(name) = pending.pop() {
        if found.insert(name.clone()) {
            collect_refs(schemas.get(&name).unwrap_or(&Value::Null), &mut pending);
        }
    }
    found
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

/// The spec's servers; `opentact_client::Server` needs the [`EXPECTED_SERVERS`].
fn servers(spec: &Spec) -> Result<Vec<Server>, SpecError> {
    let list = spec.json.get("servers").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let mut servers: Vec<Server> = Vec::new();
    for (i, server) in list.iter().enumerate() {
        let ptr = format!("#/servers/{i}");
        let url = server.get("url").and_then(Value::as_str).unwrap_or_default().trim().to_string();
        let description = server.get("description").and_then(Value::as_str).unwrap_or_default().trim().to_string();
        let word: String = description.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        let constant = word.to_uppercase();
        if url.is_empty() || !word.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return Err(at(
                spec,
                &ptr,
                "every server needs a url and a description starting with a name (`Production`)".into(),
            ));
        }
        if servers.iter().any(|s| s.constant == constant) {
            return Err(at(spec, &ptr, format!("two servers are described as {word}")));
        }
        servers.push(Server { constant, url, description });
    }
    for expected in EXPECTED_SERVERS {
        if !servers.iter().any(|s| s.constant == expected) {
            let pointer = if spec.json.get("servers").is_some() { "#/servers" } else { "#" };
            return Err(at(
                spec,
                pointer,
                format!(
                    "the servers must include one whose description starts with {} \
                     (opentact_client::Server reads its URL from it)",
                    expected.to_upper_camel_case()
                ),
            ));
        }
    }
    Ok(servers)
}

/// The rules of every JSON request body schema: the ranges, lengths, item counts, patterns
/// and URL formats a body must satisfy.
fn validation(spec: &Spec, operations: &[Operation]) -> Vec<RuleTable> {
    let mut bodies: Vec<&str> = operations
        .iter()
        .filter_map(|op| op.body.as_ref().filter(|b| b.multipart.is_none()).map(|b| b.schema.as_str()))
        .collect();
    bodies.sort();
    bodies.dedup();
    bodies
        .into_iter()
        .map(|schema| {
            let mut rules = Vec::new();
            let root = spec.resolve(&schema_pointer(schema)).unwrap_or(&Value::Null);
            collect_rules(spec, root, &mut Vec::new(), &mut vec![schema.to_string()], &mut rules);
            RuleTable { schema: schema.to_string(), rules }
        })
        .collect()
}

fn collect_rules(spec: &Spec, schema: &Value, path: &mut Vec<Step>, seen: &mut Vec<String>, out: &mut Vec<BodyRule>) {
    if let Some(name) = ref_name(schema) {
        if seen.iter().any(|s| s == name) {
            return; // a recursive schema: its rules are already being collected
        }
        let Some(target) = spec.resolve(&schema_pointer(name)) else { return };
        seen.push(name.to_string());
        collect_rules(spec, target, path, seen, out);
        seen.pop();
        return;
    }
    let number = |key: &str| schema.get(key).and_then(Value::as_f64);
    let count = |key: &str| schema.get(key).and_then(Value::as_u64);
    let checks = [
        number("minimum").map(Check::Minimum),
        number("maximum").map(Check::Maximum),
        count("minLength").map(Check::MinLength),
        count("maxLength").map(Check::MaxLength),
        count("minItems").map(Check::MinItems),
        count("maxItems").map(Check::MaxItems),
        schema.get("pattern").and_then(Value::as_str).map(|p| Check::Pattern(p.to_string())),
        (schema.get("format").and_then(Value::as_str) == Some("uri")).then_some(Check::Url),
    ];
    for check in checks.into_iter().flatten() {
        out.push(BodyRule { path: path.clone(), check });
    }
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (name, prop) in props {
            path.push(Step::Key(name.clone()));
            collect_rules(spec, prop, path, seen, out);
            path.pop();
        }
    }
    if let Some(items) = schema.get("items") {
        path.push(Step::Each);
        collect_rules(spec, items, path, seen, out);
        path.pop();
    }
    // A value must satisfy every allOf member; oneOf/anyOf alternatives are left to the types,
    // which only allow the listed shapes.
    for member in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
        collect_rules(spec, member, path, seen, out);
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    const SPEC: &str = include_str!("testdata/small.yaml");

    fn plan(text: &str) -> Result<Plan, SpecError> {
        let spec = crate::spec::parse(Path::new("test.yaml"), text.to_string()).expect("the test spec loads");
        Plan::new(&crate::spec::flatten::merge_extensions(&spec)) // as `generate` reads it
    }

    fn edit(from: &str, to: &str) -> String {
        assert_eq!(SPEC.matches(from).count(), 1, "{from:?} occurs once in the small spec");
        SPEC.replacen(from, to, 1)
    }

    fn error(text: &str) -> SpecError {
        match plan(text) {
            Ok(_) => panic!("the spec planned"),
            Err(e) => e,
        }
    }

    fn line_of(text: &str, marker: &str) -> Option<usize> {
        text.lines().position(|l| l.contains(marker)).map(|i| i + 1)
    }

    #[test]
    fn the_small_spec_plans() {
        let plan = plan(SPEC).expect("plans");
        let ids: Vec<&str> = plan.operations.iter().map(|o| o.id.as_str()).collect();
        let expected = ["ListThings", "CreateThing", "SearchThings", "UploadThingFile", "GetThingFlow"];
        let more =
            ["TouchThingFlow", "RemoveThingFlow", "GetThingLabels", "GetThingSettings", "PingThing", "UpdateThing"];
        let more = [&more[..], &["LogIn", "PageThings"]].concat();
        assert_eq!(ids, [&expected[..], &more[..]].concat());
        let servers: Vec<(&str, &str)> = plan.servers.iter().map(|s| (s.constant.as_str(), s.url.as_str())).collect();
        assert_eq!(
            servers,
            [("PRODUCTION", "https://api.example.org/rest"), ("STAGE", "https://api.stage.example.org/rest")]
        );
        // Nested and recursive references count; the response-only and error schemas do not.
        let requests: Vec<&str> = plan.request_schemas.iter().map(String::as_str).collect();
        assert_eq!(requests, ["Limits", "ThingFile", "ThingParams", "ThingUpdateParams"]); // ThingName is a path parameter
        // The optional nullable fields of request schemas, arrays aside (their "clear" is `[]`).
        let nullable: Vec<(&str, Vec<&str>)> =
            plan.nullable_fields.iter().map(|(t, f)| (t.as_str(), f.iter().map(String::as_str).collect())).collect();
        assert_eq!(nullable, [("ThingUpdateParams", vec!["nickname", "rank"])]);
        let boxed: Vec<&str> = plan.response_only_objects.iter().map(String::as_str).collect();
        let first = ["Failure", "FreeFormObject", "FreeFormResponse", "PageFacts", "PingResponse", "SettingsResponse"];
        let rest = ["Thing", "ThingFlowResponse", "ThingLabelsResponse", "ThingList", "ThingPage", "ThingPageResponse"];
        let rest = [&rest[..], &["ThingResponse"]].concat();
        assert_eq!(boxed, [&first[..], &rest[..]].concat());
        // Boolean enums are not open enums; error-only schemas are not envelopes.
        let enums: Vec<&str> = plan.enums.iter().map(|e| e.rust_name.as_str()).collect();
        assert_eq!(enums, ["Level", "Kind"]); // in the order of the spec
        let envelopes: Vec<&str> = plan.envelopes.iter().map(|e| e.schema.as_str()).collect();
        let in_order = ["ThingList", "ThingResponse", "ThingFlowResponse", "FreeFormResponse", "ThingLabelsResponse"];
        assert_eq!(envelopes, [&in_order[..], &["SettingsResponse", "PingResponse", "ThingPageResponse"]].concat());
    }

    /// A paged search's walk: cursor, item type (through `allOf`), total and default page size.
    #[test]
    fn a_paged_search_plans_its_walk() {
        let plan = plan(SPEC).expect("plans");
        let op = plan.operations.iter().find(|o| o.id == "PageThings").expect("PageThings");
        let paged = op.paged.as_ref().expect("paged");
        assert_eq!(paged.cursor, Cursor::PageSize);
        assert_eq!((paged.size_param.as_str(), paged.start_param.as_str()), ("size", "page"));
        assert_eq!(
            (paged.items.as_str(), paged.total.as_str(), paged.item_type.as_str()),
            ("things", "count", "Thing")
        );
        assert_eq!(paged.default_size, 50); // the size parameter's maximum
        assert!(plan.operations.iter().filter(|o| o.id != "PageThings").all(|o| o.paged.is_none()));

        // What the walk needs beyond the lint's checks is an error at the marking.
        let listed = edit(
            "          $ref: '#/components/schemas/ThingPage'\n",
            "          type: array\n          items:\n            $ref: '#/components/schemas/Thing'\n",
        );
        let e = error(&listed);
        assert!(e.message.contains("PageThings: a paged search's envelope holds only its page"), "{}", e.message);
        assert_eq!(e.line, line_of(&listed, "x-opentact-paged"));
    }

    /// Each payload shape the generator supports, and what beside the payload is kept.
    #[test]
    fn payload_shapes_and_fields_beside_the_payload() {
        let plan = plan(SPEC).expect("plans");
        let shape = |name: &str| {
            let envelope = plan.envelopes.iter().find(|e| e.schema == name).expect("an envelope");
            let kind = match &envelope.payload {
                Payload::One(t) => format!("one {t}"),
                Payload::Many(t) => format!("many {t}"),
                Payload::Text => "text".into(),
                Payload::FreeForm => "free-form".into(),
                Payload::Map(t) => format!("map of {t}"),
                Payload::Absent => "absent".into(),
            };
            (kind, envelope.beside.clone())
        };
        assert_eq!(shape("ThingFlowResponse"), ("text".into(), vec!["url".to_string()]));
        assert_eq!(shape("FreeFormResponse"), ("one FreeFormObject".into(), vec![]));
        assert_eq!(shape("SettingsResponse"), ("free-form".into(), vec![]));
        assert_eq!(shape("ThingLabelsResponse"), ("map of Thing".into(), vec![]));
        assert_eq!(shape("PingResponse"), ("absent".into(), vec![]));
        assert_eq!(shape("ThingList"), ("many Thing".into(), vec![]));
        let touch = plan.operations.iter().find(|o| o.id == "TouchThingFlow").expect("TouchThingFlow");
        assert!(matches!(touch.success, Success::Empty) && touch.body.is_none());
    }

    /// The operation's own security wins over the spec's; `[]` is none.
    #[test]
    fn each_operation_has_its_credential() {
        let plan = plan(SPEC).expect("plans");
        let of = |id: &str| plan.operations.iter().find(|o| o.id == id).map(|o| o.credential);
        assert_eq!(of("LogIn"), Some(Credential::Basic));
        assert_eq!(of("ListThings"), Some(Credential::Token));
        assert_eq!(of("PingThing"), Some(Credential::None));
        let without = SPEC.replace("security:\n  - XAuthToken: []\n", "");
        let plan = super::tests::plan(&without).expect("plans");
        assert!(
            plan.operations.iter().find(|o| o.id == "ListThings").is_some_and(|o| o.credential == Credential::None)
        );
    }

    #[test]
    fn a_security_the_client_cannot_send_is_an_error() {
        let e = error(&edit(
            "    BasicAuth:\n      type: http\n      scheme: basic\n",
            "    BasicAuth:\n      type: http\n      scheme: bearer\n",
        ));
        assert_eq!(e.pointer.as_deref(), Some("#/components/securitySchemes/BasicAuth"));
        assert!(e.message.contains("LogIn: security scheme BasicAuth is neither"), "{e}");
        let e = error(&edit("        - BasicAuth: []\n", "        - BasicAuth: []\n        - XAuthToken: []\n"));
        assert_eq!(e.pointer.as_deref(), Some("#/paths/~1login/get/security"));
        assert!(e.message.contains("one requirement of one scheme"), "{e}");
        let e = error(&edit("security:\n  - XAuthToken: []\n", "security:\n  - Cookie: []\n"));
        assert_eq!(e.pointer.as_deref(), Some("#/security/0"));
        assert!(e.message.contains("security scheme Cookie is not declared"), "{e}");
    }

    #[test]
    fn a_payload_of_an_unsupported_shape_is_an_error() {
        let text =
            edit("          type: string\n          description: The flow document.\n", "          type: integer\n");
        let e = error(&text);
        assert_eq!(e.pointer.as_deref(), Some("#/components/schemas/ThingFlowResponse/properties/payload"));
        assert!(e.message.contains("ThingFlowResponse: the payload must be"), "{e}");
    }

    #[test]
    fn successes_with_and_without_a_body_are_an_error() {
        let text = edit(
            "        '204':\n          description: touched\n",
            "        '204':\n          description: touched\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/PingResponse'\n",
        );
        let e = error(&text);
        assert_eq!(e.pointer.as_deref(), Some("#/paths/~1thing~1{name}~1flow/put/responses"));
        assert!(e.message.contains("TouchThingFlow: some 2xx responses have a body and others none"), "{e}");
    }

    #[test]
    fn a_missing_expected_server_is_an_error() {
        let text = edit("    description: Stage, for tests\n", "    description: Staging\n");
        let e = error(&text);
        assert_eq!(e.pointer.as_deref(), Some("#/servers"));
        assert_eq!(e.line, line_of(&text, "servers:"));
        assert!(e.message.contains("one whose description starts with Stage"), "{e}");

        let none = edit(
            "servers:\n  - url: https://api.example.org/rest\n    description: Production\n  - url: https://api.stage.example.org/rest\n    description: Stage, for tests\n",
            "",
        );
        let e = error(&none);
        assert_eq!(e.pointer.as_deref(), Some("#"));
        assert!(e.message.contains("Production"), "{e}");
    }

    #[test]
    fn servers_need_a_url_a_name_and_distinct_names() {
        let e = error(&edit("    description: Production\n", "    description: '(live)'\n"));
        assert_eq!(e.pointer.as_deref(), Some("#/servers/0"));
        let e = error(&edit("    description: Stage, for tests\n", "    description: Production too\n"));
        assert_eq!(e.pointer.as_deref(), Some("#/servers/1"));
        assert!(e.message.contains("two servers are described as Production"), "{e}");
    }

    #[test]
    fn a_multipart_field_must_be_a_file() {
        let text = edit("          format: binary\n", "          format: byte\n");
        let e = error(&text);
        assert_eq!(e.pointer.as_deref(), Some("#/components/schemas/ThingFile/properties/file"));
        assert!(e.message.contains("multipart field file is not a binary file"), "{e}");
    }

    #[test]
    fn enum_values_must_give_distinct_variant_names() {
        let e = error(&edit("enum: [1st, second-one]", "enum: [second-one, Second_One]"));
        assert_eq!(e.pointer.as_deref(), Some("#/components/schemas/Kind"));
        assert!(e.message.contains("\"SecondOne\", which is empty, reserved or taken"), "{e}");
        let e = error(&edit("enum: [1st, second-one]", "enum: [1st, unknown]"));
        assert!(e.message.contains("\"Unknown\""), "{e}");
    }

    #[test]
    fn an_integer_enum_needs_names() {
        let e = error(&edit("      x-enum-varnames: [low, high]\n", ""));
        assert!(e.message.contains("Level: integer enums need x-enum-varnames"), "{e}");
    }
}
