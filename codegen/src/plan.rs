//! What the spec asks for, read once into plain data: the operations with their parameters,
//! bodies and payloads, the enums, the envelopes. Every later step works from this plan.

use heck::{ToSnakeCase, ToUpperCamelCase};
use serde_json::Value;

use crate::lint::{JSON, METHODS, MULTIPART};
use crate::load::{Spec, SpecError};

pub(crate) struct Plan {
    pub operations: Vec<Operation>,
    pub enums: Vec<EnumDef>,
    /// Schemas used as 2xx JSON bodies: `{success, payload}` envelopes.
    pub envelopes: Vec<Envelope>,
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
    pub body: Option<Body>,
    /// Name of the envelope schema of the 2xx response.
    pub envelope: String,
}

pub(crate) struct PathParam {
    pub name: String,
    pub description: String,
    pub kind: ParamKind,
}

pub(crate) enum ParamKind {
    /// `$ref: UUID`: a `uuid::Uuid`.
    Uuid,
    /// A `$ref` to a constrained string component: its generated newtype.
    Named(String),
}

pub(crate) struct Body {
    pub schema: String,
    /// The file fields of a multipart body: (name, description).
    pub multipart: Option<Vec<(String, String)>>,
}

pub(crate) struct Envelope {
    pub schema: String,
    pub payload: Payload,
}

pub(crate) enum Payload {
    One(String),
    Many(String),
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

pub(crate) fn method_name(operation_id: &str) -> String {
    operation_id.to_snake_case()
}

pub(crate) fn ref_name(value: &Value) -> Option<&str> {
    value.get("$ref")?.as_str()?.strip_prefix("#/components/schemas/")
}

impl Plan {
    pub(crate) fn new(spec: &Spec) -> Result<Plan, SpecError> {
        let json = &spec.json;
        let mut plan = Plan { operations: Vec::new(), enums: Vec::new(), envelopes: Vec::new() };
        let empty = serde_json::Map::new();
        let schemas = json.pointer("/components/schemas").and_then(Value::as_object).unwrap_or(&empty);

        for (name, schema) in schemas {
            // A boolean enum (`SuccessTrue`) has no values to add or keep: not an open enum.
            let boolean = schema.get("type").and_then(Value::as_str) == Some("boolean");
            if schema.get("enum").is_some() && !boolean {
                plan.enums.push(enum_def(spec, name, schema)?);
            }
        }

        let paths = json.get("paths").and_then(Value::as_object).unwrap_or(&empty);
        for (path, item) in paths {
            for method in METHODS {
                let Some(op) = item.get(method) else { continue };
                let operation = operation(spec, path, method, item, op)?;
                if !plan.envelopes.iter().any(|e| e.schema == operation.envelope) {
                    plan.envelopes.push(envelope(spec, &operation)?);
                }
                plan.operations.push(operation);
            }
        }
        Ok(plan)
    }
}

fn at(spec: &Spec, pointer: &str, message: String) -> SpecError {
    SpecError::at(spec, pointer, message)
}

fn deref<'a>(spec: &'a Spec, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(r) => spec.resolve(r).unwrap_or(value),
        None => value,
    }
}

fn operation(spec: &Spec, path: &str, method: &str, item: &Value, op: &Value) -> Result<Operation, SpecError> {
    let ptr = format!("#/paths/{}/{method}", crate::load::escape_token(path));
    let text = |key: &str| op.get(key).and_then(Value::as_str).unwrap_or("").trim().to_string();
    let id = text("operationId");

    let mut path_params = Vec::new();
    let params = item.get("parameters").and_then(Value::as_array).into_iter().flatten();
    for param in params.chain(op.get("parameters").and_then(Value::as_array).into_iter().flatten()) {
        let param = deref(spec, param);
        if param.get("in").and_then(Value::as_str) != Some("path") {
            return Err(at(spec, &ptr, format!("{id}: only path parameters are supported")));
        }
        let name = param.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
        let schema = param.get("schema").unwrap_or(&Value::Null);
        let kind = match ref_name(schema) {
            Some("UUID") => ParamKind::Uuid,
            Some(other) => ParamKind::Named(type_name(other)),
            None => return Err(at(spec, &ptr, format!("{id}: path parameter {name} must reference a named schema"))),
        };
        let description = param.get("description").and_then(Value::as_str).unwrap_or("").to_string();
        path_params.push(PathParam { name, description, kind });
    }

    let body = match op.get("requestBody") {
        None => None,
        Some(body) => {
            let content = deref(spec, body).get("content").and_then(Value::as_object);
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
            Some(Body { schema: schema_name.to_string(), multipart })
        }
    };

    let responses = op.get("responses").and_then(Value::as_object);
    let success: Vec<&str> = responses
        .into_iter()
        .flatten()
        .filter(|(code, _)| code.starts_with('2'))
        .filter_map(|(_, r)| deref(spec, r).pointer("/content/application~1json/schema").and_then(ref_name))
        .collect();
    let Some(envelope) = success.first() else {
        return Err(at(
            spec,
            &format!("{ptr}/responses"),
            format!("{id}: no 2xx application/json response with a named schema"),
        ));
    };
    if success.iter().any(|s| s != envelope) {
        return Err(at(
            spec,
            &format!("{ptr}/responses"),
            format!("{id}: every 2xx response must have the same schema"),
        ));
    }

    Ok(Operation {
        rust_name: method_name(&id),
        id,
        method: method.to_uppercase(),
        path: path.to_string(),
        summary: text("summary"),
        description: text("description"),
        path_params,
        body,
        envelope: envelope.to_string(),
    })
}

/// The binary fields of a multipart body; other field kinds are not supported.
fn multipart_files(spec: &Spec, id: &str, schema_name: &str) -> Result<Vec<(String, String)>, SpecError> {
    let ptr = format!("#/components/schemas/{schema_name}");
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
        files.push((name.clone(), description));
    }
    Ok(files)
}

fn envelope(spec: &Spec, op: &Operation) -> Result<Envelope, SpecError> {
    let ptr = format!("#/components/schemas/{}", op.envelope);
    let payload = spec.resolve(&format!("{ptr}/properties/payload"));
    let has_success = spec.resolve(&format!("{ptr}/properties/success")).is_some();
    let payload = match payload {
        Some(p) if has_success => match (ref_name(p), p.get("items").and_then(ref_name)) {
            (Some(one), _) => Payload::One(type_name(one)),
            (None, Some(item)) => Payload::Many(type_name(item)),
            _ => {
                return Err(at(
                    spec,
                    &ptr,
                    "the envelope's payload must reference a named schema or be an array of one".into(),
                ));
            }
        },
        _ => return Err(at(spec, &ptr, format!("{}: a 2xx response must be a {{success, payload}} envelope", op.id))),
    };
    Ok(Envelope { schema: op.envelope.clone(), payload })
}

fn enum_def(spec: &Spec, name: &str, schema: &Value) -> Result<EnumDef, SpecError> {
    let ptr = format!("#/components/schemas/{name}");
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
