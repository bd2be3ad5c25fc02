//! The docs' example bodies against the spec: placeholders (`"string"`, `0`, 2019 dates)
//! replaced by realistic values of the same type, then validated as JSON Schema.

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

/// OpenAPI 3.0 schema objects to JSON Schema (2020-12): `nullable` becomes a `null` type,
/// OpenAPI-only keywords go. The tests validate the spec's own examples with it too.
pub fn to_json_schema(schema: &Value) -> Value {
    const OPENAPI_ONLY: [&str; 8] =
        ["example", "discriminator", "xml", "externalDocs", "deprecated", "readOnly", "writeOnly", "nullable"];
    match schema {
        Value::Object(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                if k.starts_with("x-") || OPENAPI_ONLY.contains(&k.as_str()) {
                    continue;
                }
                out.insert(k.clone(), to_json_schema(v));
            }
            let mut out = Value::Object(out);
            if map.get("nullable") == Some(&Value::Bool(true)) {
                out = match out.get("type").cloned() {
                    Some(Value::String(t)) => {
                        out["type"] = json!([t, "null"]);
                        out
                    }
                    _ => json!({"anyOf": [out, {"type": "null"}]}),
                };
            }
            out
        }
        Value::Array(items) => Value::Array(items.iter().map(to_json_schema).collect()),
        other => other.clone(),
    }
}

/// `schema` with every object that lists its properties closed to other properties.
fn closed(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => {
            let mut out: Map<String, Value> = map.iter().map(|(k, v)| (k.clone(), closed(v))).collect();
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                out.insert("additionalProperties".into(), Value::Bool(false));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(closed).collect()),
        other => other.clone(),
    }
}

/// A compiled validator, or why the schema does not compile.
type Built = Result<jsonschema::Validator, String>;

/// The validators of one spec's schemas, built once each: converting the spec's components
/// and compiling a validator was nearly all of a docs check's time when every example built
/// its own (three per example).
pub struct ExampleValidators<'a> {
    spec: &'a Value,
    /// The components as JSON Schema, open and closed (see [`closed`]).
    components: [OnceCell<Value>; 2],
    built: RefCell<HashMap<(String, bool), Rc<Built>>>,
}

impl<'a> ExampleValidators<'a> {
    pub fn new(spec: &'a Value) -> Self {
        ExampleValidators { spec, components: Default::default(), built: RefCell::default() }
    }

    /// A validator for `schema` (an OpenAPI schema object of the spec, usually a `$ref`);
    /// `close`d, an object that lists its properties accepts no other.
    fn validator(&self, schema: &Value, close: bool) -> Rc<Built> {
        let key = (schema.to_string(), close);
        if let Some(built) = self.built.borrow().get(&key) {
            return built.clone();
        }
        let components = self.components[usize::from(close)].get_or_init(|| {
            let open = to_json_schema(&self.spec["components"]["schemas"]);
            if close { closed(&open) } else { open }
        });
        let mut root = to_json_schema(schema);
        if close {
            root = closed(&root);
        }
        if let Value::Object(map) = &mut root {
            map.insert("components".into(), json!({"schemas": components}));
        }
        let built = Rc::new(
            jsonschema::options()
                .should_validate_formats(true)
                .build(&root)
                .map_err(|e| format!("schema does not compile: {e}")),
        );
        self.built.borrow_mut().insert(key, built.clone());
        built
    }

    /// Every way `example` breaks `schema`, as `message at /json/pointer`; empty when valid.
    pub fn validate_example(&self, schema: &Value, example: &Value) -> Vec<String> {
        match &*self.validator(schema, false) {
            Ok(v) => v
                .iter_errors(example)
                .map(|e| format!("{} at {}", shorten(&e.to_string()), pointer_or_root(&e.instance_path().to_string())))
                .collect(),
            Err(e) => vec![e.clone()],
        }
    }

    /// The fields of `example` that `schema` does not describe (`/payload/items`), sorted: the
    /// spec accepts them (responses are open), but the docs show something the spec lacks.
    pub fn unknown_fields(&self, schema: &Value, example: &Value) -> Vec<String> {
        use jsonschema::error::ValidationErrorKind as K;
        let Ok(validator) = &*self.validator(schema, true) else { return Vec::new() };
        let mut out: Vec<String> = validator
            .iter_errors(example)
            .flat_map(|e| {
                let at = e.instance_path().to_string();
                match e.kind() {
                    K::AdditionalProperties { unexpected } => unexpected.iter().map(|u| format!("{at}/{u}")).collect(),
                    _ => Vec::new(),
                }
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// `example` with its documented placeholders replaced by realistic values of the same
    /// type: 2019 timestamps move to 2024, and a `"string"` or `0` that breaks its schema (a
    /// UUID, an e-mail address, a URL, an enum, a minimum) becomes a valid value.
    /// Deterministic; anything else, in particular a value of the wrong type, is left for
    /// validation to report.
    pub fn replace_placeholders(&self, schema: &Value, example: &Value) -> Value {
        let mut value = example.clone();
        shift_dates(&mut value);
        let Ok(validator) = &*self.validator(schema, false) else { return value };
        // Each round fixes the placeholders the validator reports; a fix can reveal a deeper one.
        for _ in 0..8 {
            let fixes: Vec<(String, Value)> = validator
                .iter_errors(&value)
                .filter_map(|e| {
                    let pointer = e.instance_path().to_string();
                    let current = value.pointer(&pointer)?;
                    if !is_placeholder(current) {
                        return None;
                    }
                    realistic(e.kind(), &pointer, current).map(|v| (pointer, v))
                })
                .collect();
            if fixes.is_empty() {
                break;
            }
            for (pointer, fix) in fixes {
                if let Some(slot) = value.pointer_mut(&pointer) {
                    *slot = fix;
                }
            }
        }
        value
    }
}

/// [`ExampleValidators::validate_example`] for one example.
pub fn validate_example(spec: &Value, schema: &Value, example: &Value) -> Vec<String> {
    ExampleValidators::new(spec).validate_example(schema, example)
}

/// [`ExampleValidators::replace_placeholders`] for one example.
pub fn replace_placeholders(spec: &Value, schema: &Value, example: &Value) -> Value {
    ExampleValidators::new(spec).replace_placeholders(schema, example)
}

/// A validator message without the whole offending value when that is long.
fn shorten(message: &str) -> String {
    const MAX: usize = 160;
    if message.chars().count() <= MAX {
        return message.to_string();
    }
    let cut: String = message.chars().take(MAX).collect();
    format!("{cut}…")
}

fn pointer_or_root(pointer: &str) -> String {
    if pointer.is_empty() { "/".into() } else { pointer.into() }
}

/// A deterministic version 4 UUID derived from where it goes.
fn uuid_for(pointer: &str) -> String {
    let hash = Sha256::digest(pointer.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&hash[..16]);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

fn is_placeholder(value: &Value) -> bool {
    match value {
        Value::String(s) => s == "string" || s.starts_with("2019-"),
        Value::Number(n) => n.as_f64() == Some(0.0),
        _ => false,
    }
}

/// The realistic value for a placeholder that breaks `kind`, if there is one.
fn realistic(kind: &jsonschema::error::ValidationErrorKind, pointer: &str, current: &Value) -> Option<Value> {
    use jsonschema::error::ValidationErrorKind as K;
    let text = current.is_string();
    Some(match kind {
        K::Format { format } if text => match format.as_str() {
            "uuid" => json!(uuid_for(pointer)),
            "email" => json!("ops@example.com"),
            "uri" | "url" | "uri-reference" => json!("https://example.com/opentact/hook"),
            "date-time" => json!("2024-03-12T09:30:00Z"),
            "date" => json!("2024-03-12"),
            "ipv4" => json!("192.0.2.10"),
            "hostname" => json!("sip.example.com"),
            _ => return None,
        },
        K::Pattern { pattern } if text && pattern.contains("[0-9a-f]{8}") => json!(uuid_for(pointer)),
        K::Pattern { pattern } if text && pattern.contains("[0-9]") => json!("0.50"),
        K::Enum { options } => options.as_array()?.first()?.clone(),
        K::Minimum { limit } | K::ExclusiveMinimum { limit } if current.is_number() => {
            let low = limit.as_f64()?;
            json!(if low.fract() == 0.0 {
                low as i64 + i64::from(matches!(kind, K::ExclusiveMinimum { .. }))
            } else {
                0
            })
        }
        _ => return None,
    })
}

fn shift_dates(value: &mut Value) {
    match value {
        Value::String(s) if s.starts_with("2019-") => *s = format!("2024-{}", &s[5..]),
        Value::Array(items) => items.iter_mut().for_each(shift_dates),
        Value::Object(map) => map.values_mut().for_each(shift_dates),
        _ => {}
    }
}
