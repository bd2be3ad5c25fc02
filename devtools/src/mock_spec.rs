//! The copy of the spec that Prism serves (`cargo xtask mock` and the end-to-end tests): the
//! same operations, parameters, request bodies and examples, with the response schemas' object
//! relations deeper than [`MOCK_DEPTH`] levels replaced by bare objects.
//!
//! Why: the entities of this API reference each other (a lease has an account, whose users have
//! an account, ...). Prism walks that recursive graph before it listens (45-80 s on two cores)
//! and for every request (seconds each), and its data generator cannot follow recursive `$ref`s
//! at all (Prism documents that it does not serialise circular references). On the copy Prism
//! starts in seconds and answers at once. Request bodies are not recursive and are inlined
//! whole, so Prism validates requests exactly as the spec says; a bare object is generated as
//! `{}` (with `--json-schema-faker-fillProperties=false`), which the truncated schemas accept
//! (the workspace test `mock_spec` checks both, and that every example still validates).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde_json::{Value, json};

/// Object levels of a response kept before the rest becomes a bare object.
pub const MOCK_DEPTH: usize = 3;

/// `prism mock` arguments that make generated (dynamic) data follow the copy: a bare object
/// is generated as `{}`, not filled with made-up properties.
pub const DYNAMIC_ARGS: [&str; 1] = ["--json-schema-faker-fillProperties=false"];

/// The spec (as JSON) with every object `$ref` of a response inlined down to `depth` levels and
/// a bare object below that; request bodies inlined whole. Scalar components (UUID, enums, ...)
/// stay `$ref`s; shared responses are inlined and object schemas with properties are dropped
/// from the components (nothing refers to them any more).
pub fn acyclic(spec: &Value, depth: usize) -> Value {
    let mut copy = spec.clone();
    for item in copy.get_mut("paths").and_then(Value::as_object_mut).into_iter().flat_map(|p| p.values_mut()) {
        let Some(item) = item.as_object_mut() else { continue };
        for op in item.values_mut().filter(|o| o.get("responses").is_some()) {
            for media in media_objects(op.pointer_mut("/requestBody/content")) {
                // Request bodies are not recursive (the workspace tests check it): inlined whole.
                media["schema"] = inline(spec, &media["schema"], usize::MAX / 2);
            }
            for response in
                op.get_mut("responses").and_then(Value::as_object_mut).into_iter().flat_map(|r| r.values_mut())
            {
                *response = resolve(spec, response).clone();
                for media in media_objects(response.get_mut("content")) {
                    media["schema"] = inline(spec, &media["schema"], depth);
                }
            }
        }
    }
    if let Some(components) = copy.get_mut("components").and_then(Value::as_object_mut) {
        components.remove("responses");
        if let Some(schemas) = components.get_mut("schemas").and_then(Value::as_object_mut) {
            schemas.retain(|_, s| !is_object(spec, s) || (s.get("properties").is_none() && s.get("allOf").is_none()));
        }
    }
    copy
}

/// Writes [`acyclic`] of `spec` to `<dir>/opentact-mock.json` (atomically: a temporary file
/// renamed into place, so a concurrent reader never sees half a file) and returns its path.
pub fn write_acyclic(spec: &Value, dir: &Path) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let path = dir.join("opentact-mock.json");
    let text = serde_json::to_vec_pretty(&acyclic(spec, MOCK_DEPTH))?;
    let temp = tempfile::NamedTempFile::new_in(dir).with_context(|| format!("creating a file in {}", dir.display()))?;
    std::fs::write(temp.path(), text).with_context(|| format!("writing {}", temp.path().display()))?;
    temp.persist(&path).with_context(|| format!("renaming into {}", path.display()))?;
    Ok(path)
}

fn media_objects(content: Option<&mut Value>) -> impl Iterator<Item = &mut Value> {
    content.and_then(Value::as_object_mut).into_iter().flat_map(|c| c.values_mut()).filter(|m| m.is_object())
}

/// An object schema: `type: object`, or an `allOf` of objects (a schema extending another).
fn is_object(spec: &Value, schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("object")
        || schema
            .get("allOf")
            .and_then(Value::as_array)
            .is_some_and(|members| members.iter().all(|m| is_object(spec, resolve(spec, m))))
}

/// The target of a local `$ref`, or the value itself.
fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(r) => spec.pointer(r.trim_start_matches('#')).unwrap_or(value),
        None => value,
    }
}

fn inline(spec: &Value, schema: &Value, depth: usize) -> Value {
    let target = resolve(spec, schema);
    let object = is_object(spec, target);
    if schema.get("$ref").is_some() && !object {
        return schema.clone();
    }
    if object && depth == 0 {
        return json!({"type": "object"});
    }
    let mut out = target.clone();
    // The members of an `allOf` are the same value as the schema itself: the same depth.
    if let Some(members) = out.get_mut("allOf").and_then(Value::as_array_mut) {
        for member in members.iter_mut() {
            *member = inline(spec, member, depth);
        }
    }
    let below = if object { depth - 1 } else { depth };
    if let Some(props) = out.get_mut("properties").and_then(Value::as_object_mut) {
        for prop in props.values_mut() {
            *prop = inline(spec, prop, below);
        }
    }
    for key in ["items", "additionalProperties"] {
        if let Some(child) = out.get(key).filter(|c| c.is_object()).cloned() {
            out[key] = inline(spec, &child, below);
        }
    }
    out
}
