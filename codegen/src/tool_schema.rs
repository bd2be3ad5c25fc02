//! An operation's input as one JSON Schema (2020-12, what MCP tools declare): its path and
//! query parameters as properties under their wire names, a JSON body as the property `body`
//! (kept whole, so a body field can never clash with a parameter's name), a multipart file as
//! a string property holding the file's text. Every named schema they reach is copied into
//! `$defs` (its `$ref` closure), with the constraints the client validates (ranges, lengths,
//! item counts, patterns, enums, required fields). OpenAPI 3.0's `nullable` becomes a `null`
//! type; examples and `x-` extensions, which JSON Schema does not read, are left out.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use crate::plan::ref_name;
use crate::spec::Spec;
use crate::spec::vocabulary::{JSON, MULTIPART, schema_pointer};

/// Where copied schemas go, and what a `$ref` to one becomes.
const DEFS_PREFIX: &str = "#/$defs/";

/// The input schema of the operation `op` (at `item` in `paths`).
pub(crate) fn input_schema(spec: &Spec, item: &Value, op: &Value) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut names = BTreeSet::new();
    let params = item.get("parameters").and_then(Value::as_array).into_iter().flatten();
    for param in params.chain(op.get("parameters").and_then(Value::as_array).into_iter().flatten()) {
        let param = spec.deref(param);
        let Some(name) = param.get("name").and_then(Value::as_str) else { continue };
        let mut schema = convert(param.get("schema").unwrap_or(&json!({})), &mut names);
        if let (Some(text), Value::Object(fields)) = (param.get("description").and_then(Value::as_str), &mut schema) {
            fields.insert("description".into(), Value::String(text.trim().to_string()));
        }
        let is_path = param.get("in").and_then(Value::as_str) == Some("path");
        if is_path || param.get("required").and_then(Value::as_bool) == Some(true) {
            required.push(Value::String(name.to_string()));
        }
        properties.insert(name.to_string(), schema);
    }
    if let Some(body) = op.get("requestBody").map(|b| spec.deref(b)) {
        let content = body.get("content").and_then(Value::as_object);
        let media = content.and_then(|c| c.iter().next());
        match media {
            Some((media, media_obj)) if media == MULTIPART => {
                let schema = media_obj.get("schema").map(|s| spec.deref(s)).unwrap_or(&Value::Null);
                let files = schema.get("properties").and_then(Value::as_object).into_iter().flatten();
                for (name, prop) in files {
                    let text = prop.get("description").and_then(Value::as_str).unwrap_or("").trim();
                    let description = format!("{text} The file's content, as text.").trim().to_string();
                    properties.insert(name.clone(), json!({"type": "string", "description": description}));
                    required.push(Value::String(name.clone()));
                }
            }
            Some((media, media_obj)) if media == JSON => {
                let mut schema = convert(media_obj.get("schema").unwrap_or(&json!({})), &mut names);
                if let (Some(text), Value::Object(fields)) =
                    (body.get("description").and_then(Value::as_str), &mut schema)
                {
                    fields.insert("description".into(), Value::String(text.trim().to_string()));
                }
                properties.insert("body".into(), schema);
                if body.get("required").and_then(Value::as_bool) == Some(true) {
                    required.push(Value::String("body".into()));
                }
            }
            _ => {}
        }
    }
    let defs = closure(spec, names);
    let mut schema = Map::new();
    schema.insert("type".into(), json!("object"));
    schema.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        schema.insert("required".into(), Value::Array(required));
    }
    schema.insert("additionalProperties".into(), json!(false));
    if !defs.is_empty() {
        schema.insert("$defs".into(), Value::Object(defs.into_iter().collect()));
    }
    Value::Object(schema)
}

/// Every named schema `names` reaches, converted, by name.
fn closure(spec: &Spec, mut names: BTreeSet<String>) -> BTreeMap<String, Value> {
    let mut defs = BTreeMap::new();
    while let Some(name) = names.iter().find(|n| !defs.contains_key(*n)).cloned() {
        let schema = spec.resolve(&schema_pointer(&name)).cloned().unwrap_or_else(|| json!({}));
        let mut found = BTreeSet::new();
        defs.insert(name, convert(&schema, &mut found));
        names.extend(found);
    }
    defs
}

/// A copy of an OpenAPI 3.0 schema as JSON Schema; the named schemas it references are added
/// to `names`.
fn convert(schema: &Value, names: &mut BTreeSet<String>) -> Value {
    match schema {
        Value::Object(fields) => {
            if let Some(name) = ref_name(schema) {
                names.insert(name.to_string());
                // In OpenAPI 3.0 a `$ref`'s siblings are ignored; so here.
                return json!({ "$ref": format!("{DEFS_PREFIX}{name}") });
            }
            let mut out = Map::new();
            for (key, value) in fields {
                if key.starts_with("x-") || matches!(key.as_str(), "example" | "nullable" | "discriminator" | "xml") {
                    continue;
                }
                // `properties` maps names to schemas (a property may be named `example`).
                let value = if key == "properties" {
                    match value {
                        Value::Object(props) => {
                            Value::Object(props.iter().map(|(k, v)| (k.clone(), convert(v, names))).collect())
                        }
                        other => other.clone(),
                    }
                } else {
                    convert(value, names)
                };
                out.insert(key.clone(), value);
            }
            if fields.get("nullable").and_then(Value::as_bool) == Some(true) {
                if let Some(Value::String(t)) = out.get("type").cloned() {
                    out.insert("type".into(), json!([t, "null"]));
                }
                if let Some(Value::Array(values)) = out.get_mut("enum") {
                    values.push(Value::Null);
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| convert(v, names)).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nullable_and_references_become_json_schema() {
        let mut names = BTreeSet::new();
        let schema = json!({
            "type": "object",
            "x-opentact-docs-names": {"a": "b"},
            "example": {"a": 1},
            "properties": {
                "example": {"type": "string", "nullable": true, "enum": ["x"]},
                "kind": {"$ref": "#/components/schemas/Kind", "description": "ignored"}
            }
        });
        let converted = convert(&schema, &mut names);
        assert_eq!(
            converted,
            json!({
                "type": "object",
                "properties": {
                    "example": {"type": ["string", "null"], "enum": ["x", null]},
                    "kind": {"$ref": "#/$defs/Kind"}
                }
            })
        );
        assert_eq!(names.into_iter().collect::<Vec<_>>(), ["Kind"]);
    }
}
