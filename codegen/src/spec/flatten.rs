//! The spec as the generator reads it: every component that extends another
//! (`allOf: [{$ref: Base}, {own properties}]`, how the spec shares fields instead of copying
//! them) merged into one plain object schema, its base's properties first. Rust users get one
//! flat struct per schema, as before the sharing; the file itself keeps the `allOf` for
//! other-language teams, whose generators handle it (their tests run on the file).

use serde_json::{Map, Value};

use crate::spec::Spec;
use crate::spec::vocabulary::ref_name;

/// A copy of `spec` whose extending components are plain objects.
pub fn merge_extensions(spec: &Spec) -> Spec {
    let mut json = spec.json.clone();
    let Some(schemas) = spec.json.pointer("/components/schemas").and_then(Value::as_object) else {
        return spec.with_json(json);
    };
    for (name, schema) in schemas {
        if extends(schema) {
            json["components"]["schemas"][name] = merged(schemas, schema, 0);
        }
    }
    spec.with_json(json)
}

/// The spec as a checker that compares fields reads it (docs-check): extending components
/// merged as for generation, and every one-member `allOf` (a description put beside a
/// `$ref`) replaced by its member.
pub fn without_all_of(spec: &Spec) -> Spec {
    fn unwrap(value: &mut Value) {
        match value {
            Value::Object(map) => {
                let single = map.get("allOf").and_then(Value::as_array).filter(|m| m.len() == 1).map(|m| m[0].clone());
                if let Some(member) = single {
                    *value = member;
                    unwrap(value);
                    return;
                }
                map.values_mut().for_each(unwrap);
            }
            Value::Array(items) => items.iter_mut().for_each(unwrap),
            _ => {}
        }
    }
    let mut json = merge_extensions(spec).json;
    unwrap(&mut json);
    spec.with_json(json)
}

/// `allOf` whose first member is a `$ref` and whose other members are objects.
fn extends(schema: &Value) -> bool {
    let Some(members) = schema.get("allOf").and_then(Value::as_array) else { return false };
    members.first().is_some_and(|m| ref_name(m).is_some())
        && members[1..].iter().all(|m| m.get("$ref").is_none() && m.get("type").is_none_or(|t| t == "object"))
}

/// `schema` as one object: the wrapper's own keywords, then the members' properties and
/// required fields in order (a base's own base first). `depth` stops a `$ref` cycle, which the
/// spec cannot mean (lint's `ref-resolves` reports dangling ones).
fn merged(schemas: &Map<String, Value>, schema: &Value, depth: usize) -> Value {
    let mut out = Map::new();
    out.insert("type".into(), Value::from("object"));
    let mut properties = Map::new();
    let mut required: Vec<Value> = Vec::new();
    let absorb = |part: &Value, properties: &mut Map<String, Value>, required: &mut Vec<Value>| {
        for (field, prop) in part.get("properties").and_then(Value::as_object).into_iter().flatten() {
            properties.insert(field.clone(), prop.clone());
        }
        for field in part.get("required").and_then(Value::as_array).into_iter().flatten() {
            if !required.contains(field) {
                required.push(field.clone());
            }
        }
    };
    for member in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
        match ref_name(member).and_then(|base| schemas.get(base)) {
            Some(base) if extends(base) && depth < 8 => {
                absorb(&merged(schemas, base, depth + 1), &mut properties, &mut required)
            }
            Some(base) => absorb(base, &mut properties, &mut required),
            None => absorb(member, &mut properties, &mut required),
        }
    }
    absorb(schema, &mut properties, &mut required);
    for (key, value) in schema.as_object().into_iter().flatten() {
        if !matches!(key.as_str(), "allOf" | "properties" | "required" | "type") {
            out.insert(key.clone(), value.clone());
        }
    }
    out.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        out.insert("required".into(), Value::Array(required));
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use serde_json::json;

    use super::*;

    fn spec(schemas: Value) -> Spec {
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": schemas}});
        crate::spec::parse(Path::new("t.yaml"), serde_json::to_string(&doc).unwrap()).unwrap()
    }

    #[test]
    fn an_extending_component_becomes_one_object_with_its_bases_fields_first() {
        let s = spec(json!({
            "Root": {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}},
            "Middle": {"allOf": [{"$ref": "#/components/schemas/Root"},
                {"type": "object", "properties": {"b": {"type": "integer"}}}]},
            "Leaf": {"description": "leaf", "allOf": [{"$ref": "#/components/schemas/Middle"},
                {"type": "object", "required": ["c"], "properties": {"c": {"type": "boolean"}}}]},
        }));
        let flat = merge_extensions(&s);
        let leaf = &flat.json["components"]["schemas"]["Leaf"];
        assert_eq!(
            leaf,
            &json!({"type": "object", "description": "leaf", "required": ["a", "c"], "properties": {
                "a": {"type": "string"}, "b": {"type": "integer"}, "c": {"type": "boolean"}}})
        );
        let order: Vec<&String> = leaf["properties"].as_object().unwrap().keys().collect();
        assert_eq!(order, ["a", "b", "c"]);
        // The file's own reading is untouched.
        assert!(s.json["components"]["schemas"]["Leaf"].get("allOf").is_some());
    }

    #[test]
    fn without_all_of_reads_a_described_reference_as_the_reference() {
        let s = spec(json!({
            "UUID": {"type": "string", "format": "uuid"},
            "Thing": {"type": "object", "properties": {"id": {"allOf": [{"$ref": "#/components/schemas/UUID"}], "description": "d"}}},
        }));
        let read = without_all_of(&s);
        assert_eq!(
            read.json["components"]["schemas"]["Thing"]["properties"]["id"],
            json!({"$ref": "#/components/schemas/UUID"})
        );
    }

    #[test]
    fn a_single_reference_with_a_description_is_not_an_extension() {
        let s = spec(json!({
            "UUID": {"type": "string", "format": "uuid"},
            "Thing": {"type": "object", "properties": {"id": {"allOf": [{"$ref": "#/components/schemas/UUID"}], "description": "d"}}},
            "Odd": {"allOf": [{"type": "object", "properties": {"x": {"type": "string"}}}]},
        }));
        let flat = merge_extensions(&s);
        assert_eq!(flat.json, s.json);
    }
}
