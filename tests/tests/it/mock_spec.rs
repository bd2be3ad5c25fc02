//! The acyclic copy of the spec that Prism serves (`cargo xtask mock`, e2e_prism.rs) is faithful
//! to spec/opentact.yaml: the same operations, parameters, security, statuses and media types;
//! request bodies exactly the spec's (so Prism validates requests as the spec says); every
//! example still valid; and wherever a response schema was cut to a bare object, what Prism
//! generates there (`{}`) is valid against the spec's real schema.

use std::collections::BTreeMap;

use opentact_tests::{MOCK_DEPTH, acyclic, spec};
use serde_json::{Value, json};

use crate::spec_conformance::to_json_schema;

fn copy() -> Value {
    acyclic(&spec().json, MOCK_DEPTH)
}

/// Every `$ref` replaced by its target, recursively; panics on a cycle (request bodies must
/// have none). Written apart from the copy's own inlining, so it checks it.
fn dereferenced(doc: &Value, value: &Value, seen: &mut Vec<String>) -> Value {
    match value {
        Value::Object(map) => {
            if let Some(r) = map.get("$ref").and_then(Value::as_str) {
                assert!(!seen.contains(&r.to_string()), "cycle through {r}: {seen:?}");
                let target = doc.pointer(r.trim_start_matches('#')).unwrap_or_else(|| panic!("{r} does not resolve"));
                seen.push(r.to_string());
                let out = dereferenced(doc, target, seen);
                seen.pop();
                return out;
            }
            Value::Object(map.iter().map(|(k, v)| (k.clone(), dereferenced(doc, v, seen))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| dereferenced(doc, v, seen)).collect()),
        other => other.clone(),
    }
}

/// (`METHOD path`, operation) of a document.
fn operations(doc: &Value) -> Vec<(String, &Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap().iter().filter(|(_, o)| o.get("responses").is_some()) {
            out.push((format!("{} {path}", method.to_uppercase()), op));
        }
    }
    out
}

fn all_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(r) = map.get("$ref").and_then(Value::as_str) {
                out.push(r.to_string());
            }
            map.values().for_each(|v| all_refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| all_refs(v, out)),
        _ => {}
    }
}

#[test]
fn the_mock_copy_has_every_operation_parameter_status_and_media_type() {
    let (real, copy) = (&spec().json, copy());
    let (real_ops, copy_ops) = (operations(real), operations(&copy));
    assert_eq!(real_ops.len(), 25);
    assert_eq!(
        real_ops.iter().map(|(k, _)| k).collect::<Vec<_>>(),
        copy_ops.iter().map(|(k, _)| k).collect::<Vec<_>>()
    );
    for ((name, real_op), (_, copy_op)) in real_ops.iter().zip(&copy_ops) {
        for key in ["operationId", "parameters", "security"] {
            assert_eq!(real_op.get(key), copy_op.get(key), "{name}: {key} differs");
        }
        let responses = |op: &Value| -> Vec<(String, Vec<String>)> {
            let mut out = Vec::new();
            for (status, response) in op["responses"].as_object().unwrap() {
                let media = response.get("content").and_then(Value::as_object).map(|c| c.keys().cloned().collect());
                out.push((status.clone(), media.unwrap_or_default()));
            }
            out
        };
        // Statuses and media types; the schemas are checked by the tests below.
        let shallow = |doc: &Value, op: &Value| {
            let mut op = op.clone();
            for response in op["responses"].as_object_mut().unwrap().values_mut() {
                if let Some(r) = response.get("$ref").and_then(Value::as_str) {
                    *response = doc.pointer(r.trim_start_matches('#')).unwrap().clone();
                }
                if let Some(content) = response.get_mut("content").and_then(Value::as_object_mut) {
                    for media in content.values_mut() {
                        media["schema"] = json!({});
                    }
                }
            }
            op
        };
        assert_eq!(responses(&shallow(real, real_op)), responses(&shallow(&copy, copy_op)), "{name}: responses differ");
    }
    for (key, value) in real.as_object().unwrap() {
        if key != "paths" && key != "components" {
            assert_eq!(Some(value), copy.get(key), "top-level {key} differs");
        }
    }
    let mut refs = Vec::new();
    all_refs(&copy, &mut refs);
    assert!(!refs.is_empty());
    for r in refs {
        assert!(copy.pointer(r.trim_start_matches('#')).is_some(), "the copy's {r} does not resolve");
    }
}

#[test]
fn the_mock_copy_has_the_spec_request_bodies_exactly() {
    let (real, copy) = (&spec().json, copy());
    let mut bodies = 0;
    for ((name, real_op), (_, copy_op)) in operations(real).iter().zip(&operations(&copy)) {
        let real_body = real_op.get("requestBody").map(|b| dereferenced(real, b, &mut Vec::new()));
        let copy_body = copy_op.get("requestBody").map(|b| dereferenced(&copy, b, &mut Vec::new()));
        assert_eq!(real_body, copy_body, "{name}: request body differs");
        bodies += usize::from(real_body.is_some());
    }
    assert!(bodies >= 8, "only {bodies} request bodies");
}

/// A JSON Schema validator for an OpenAPI schema of `doc`.
fn validator(doc: &Value, schema: &Value) -> jsonschema::Validator {
    let mut root = to_json_schema(schema);
    root["components"] = json!({"schemas": to_json_schema(&doc["components"]["schemas"])});
    jsonschema::options().should_validate_formats(true).build(&root).expect("schema compiles")
}

#[test]
fn every_response_example_validates_against_the_mock_copy() {
    let copy = copy();
    let mut checked = 0;
    for (name, op) in operations(&copy) {
        for (status, response) in op["responses"].as_object().unwrap() {
            for (media_type, media) in response.get("content").and_then(Value::as_object).into_iter().flatten() {
                let validator = validator(&copy, &media["schema"]);
                for (example, value) in media.get("examples").and_then(Value::as_object).into_iter().flatten() {
                    let value = &dereferenced(&copy, value, &mut Vec::new())["value"];
                    let errors: Vec<String> = validator.iter_errors(value).map(|e| e.to_string()).collect();
                    assert!(errors.is_empty(), "{name} {status} {media_type} example {example}: {errors:?}");
                    checked += 1;
                }
            }
        }
    }
    assert!(checked >= 20, "only {checked} response examples");
}

/// Walks a response schema of the copy beside the spec's; at every bare object of the copy
/// where the spec has properties, `{}` (what Prism generates there) must satisfy the spec.
/// `cuts` maps each cut schema (as text: many cuts share a component) to where it was first met.
fn check_cuts(real: &Value, copy_schema: &Value, real_schema: &Value, at: &str, cuts: &mut BTreeMap<String, String>) {
    let mut real_schema = real_schema;
    while let Some(r) = real_schema.get("$ref").and_then(Value::as_str) {
        real_schema = real.pointer(r.trim_start_matches('#')).unwrap();
    }
    if copy_schema == &json!({"type": "object"}) && real_schema.get("properties").is_some() {
        let key = real_schema.to_string();
        if cuts.contains_key(&key) {
            return;
        }
        let errors: Vec<String> = validator(real, real_schema).iter_errors(&json!({})).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{at}: the mock generates {{}}, which the spec rejects: {errors:?}");
        cuts.insert(key, at.to_string());
        return;
    }
    for (key, copy_prop) in copy_schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
        check_cuts(real, copy_prop, &real_schema["properties"][key], &format!("{at}.{key}"), cuts);
    }
    for key in ["items", "additionalProperties"] {
        if let Some(child) = copy_schema.get(key).filter(|c| c.is_object()) {
            check_cuts(real, child, &real_schema[key], &format!("{at}.{key}"), cuts);
        }
    }
}

#[test]
fn what_the_mock_generates_at_a_cut_is_valid_against_the_spec() {
    let (real, copy) = (&spec().json, copy());
    let mut cuts = BTreeMap::new();
    for ((name, real_op), (_, copy_op)) in operations(real).iter().zip(&operations(&copy)) {
        for (status, copy_response) in copy_op["responses"].as_object().unwrap() {
            let mut real_response = &real_op["responses"][status];
            if let Some(r) = real_response.get("$ref").and_then(Value::as_str) {
                real_response = real.pointer(r.trim_start_matches('#')).unwrap();
            }
            for (media_type, media) in copy_response.get("content").and_then(Value::as_object).into_iter().flatten() {
                let real_schema = &real_response["content"][media_type]["schema"];
                check_cuts(real, &media["schema"], real_schema, &format!("{name} {status}"), &mut cuts);
            }
        }
    }
    // The recursive relations are really cut (or this test checks nothing).
    assert!(!cuts.is_empty(), "no response schema was cut");
}
