//! The spec as progenitor should see it: a copy of the JSON rewritten by small named passes.
//! Only the copy changes; `spec/opentact.yaml` stays truthful for other-language teams.
//! DEVELOPERS.md has a table of the passes and why each exists.

use serde_json::{Map, Value, json};

use crate::error::GenerateError;
use crate::plan::{Plan, is_boolean, is_object};
use crate::spec::Spec;
use crate::spec::vocabulary::METHODS;

/// A rewrite of the copy, reading the plan for the facts it needs.
type Pass = fn(&mut Value, &Plan);

/// The passes, in the order they run.
pub(crate) const PASSES: [(&str, Pass); 10] = [
    ("plain_query_parameters", plain_query_parameters),
    ("one_line_parameter_descriptions", one_line_parameter_descriptions),
    ("only_success_responses", only_success_responses),
    ("remove_multipart_operations", remove_multipart_operations),
    ("nullable_optional_request_arrays", nullable_optional_request_arrays),
    ("float_to_double", float_to_double),
    ("unwrap_nullable_objects", unwrap_nullable_objects),
    ("remove_boolean_enums", remove_boolean_enums),
    ("remove_multipart_body_schemas", remove_multipart_body_schemas),
    ("relax_envelopes", relax_envelopes),
];

/// Runs every pass on a copy of the spec and reads the result as OpenAPI for progenitor.
pub(crate) fn prepare_for_progenitor(plan: &Plan, spec: &Spec) -> Result<openapiv3::OpenAPI, GenerateError> {
    let mut json = spec.json.clone();
    for (_, pass) in PASSES {
        pass(&mut json, plan);
    }
    serde_json::from_value(json)
        .map_err(|e| GenerateError::internal("prepare", format!("the prepared spec is not OpenAPI: {e}")))
}

fn schemas_mut(json: &mut Value) -> impl Iterator<Item = (&String, &mut Value)> {
    json.pointer_mut("/components/schemas").and_then(Value::as_object_mut).into_iter().flatten()
}

fn operations_mut(json: &mut Value) -> impl Iterator<Item = &mut Value> {
    let items = json.get_mut("paths").and_then(Value::as_object_mut).into_iter().flat_map(Map::values_mut);
    items
        .filter_map(Value::as_object_mut)
        .flat_map(|item| item.iter_mut().filter(|(method, _)| METHODS.contains(&method.as_str())).map(|(_, op)| op))
}

/// Query parameter schemas lose their limits: the facade checks them (naming the parameter)
/// before the call, and typify would otherwise turn each limit into a type (`NonZeroU64` for
/// `minimum: 1`, a newtype per constrained string) that the facade's plain values do not fit.
fn plain_query_parameters(json: &mut Value, _: &Plan) {
    const LIMITS: [&str; 7] =
        ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "pattern"];
    for op in operations_mut(json) {
        for param in op.get_mut("parameters").and_then(Value::as_array_mut).into_iter().flatten() {
            if param.get("in").and_then(Value::as_str) != Some("query") {
                continue;
            }
            if let Some(schema) = param.get_mut("schema").and_then(Value::as_object_mut) {
                for key in LIMITS {
                    schema.remove(key);
                }
            }
        }
    }
}

/// progenitor lists each parameter in its method's rustdoc as a markdown item
/// (`- `name`: description`); a description's later lines would fall outside the item (and a
/// line starting with `-` or `1.` would start another).
fn one_line_parameter_descriptions(json: &mut Value, _: &Plan) {
    for op in operations_mut(json) {
        for param in op.get_mut("parameters").and_then(Value::as_array_mut).into_iter().flatten() {
            if let Some(text) = param.get("description").and_then(Value::as_str).filter(|t| t.contains('\n')) {
                param["description"] = Value::from(text.split_whitespace().collect::<Vec<_>>().join(" "));
            }
        }
    }
}

/// Error responses go: the hand-written layer decodes them from the raw response, so the HTTP
/// status survives bodies that are not JSON (an HTML 502 page); progenitor also asserts when
/// an operation has two different error types.
fn only_success_responses(json: &mut Value, _: &Plan) {
    for op in operations_mut(json) {
        if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
            responses.retain(|code, _| code.starts_with('2'));
        }
    }
}

/// progenitor rejects `multipart/form-data`; `emit::multipart` generates those methods. A path
/// left without operations goes too.
fn remove_multipart_operations(json: &mut Value, _: &Plan) {
    let Some(paths) = json.get_mut("paths").and_then(Value::as_object_mut) else { return };
    for item in paths.values_mut().filter_map(Value::as_object_mut) {
        item.retain(|method, op| {
            let multipart = op.pointer("/requestBody/content/multipart~1form-data").is_some();
            !(METHODS.contains(&method.as_str()) && multipart)
        });
    }
    paths.retain(|_, item| item.as_object().is_some_and(|m| m.keys().any(|k| METHODS.contains(&k.as_str()))));
}

/// An optional array would be a `Vec` that is left out when empty, so a request could never
/// send `[]` (in a PATCH, "clear the list" would silently mean "unchanged"). Nullable, it is an
/// `Option<Vec<_>>`: absent and empty stay different.
fn nullable_optional_request_arrays(json: &mut Value, plan: &Plan) {
    for (name, schema) in schemas_mut(json) {
        if !plan.request_schemas.contains(name) {
            continue;
        }
        let required: Vec<String> =
            schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(as_string).collect();
        for (prop_name, prop) in schema.get_mut("properties").and_then(Value::as_object_mut).into_iter().flatten() {
            if prop.get("type").and_then(Value::as_str) == Some("array") && !required.contains(prop_name) {
                prop["nullable"] = Value::Bool(true);
            }
        }
    }
}

fn as_string(value: &Value) -> Option<String> {
    value.as_str().map(str::to_string)
}

/// `format: float` would be an f32, which prints 19.99 as 19.989999771118164 on the wire; an
/// f64 keeps every decimal the user wrote.
fn float_to_double(json: &mut Value, _: &Plan) {
    fn widen(value: &mut Value) {
        match value {
            Value::Object(map) => {
                if map.get("type").and_then(Value::as_str) == Some("number")
                    && map.get("format").and_then(Value::as_str) == Some("float")
                {
                    map.insert("format".into(), Value::from("double"));
                }
                map.values_mut().for_each(widen);
            }
            Value::Array(items) => items.iter_mut().for_each(widen),
            _ => {}
        }
    }
    schemas_mut(json).for_each(|(_, schema)| widen(schema));
}

/// A nullable object would become `struct X(Option<XInner>)`; optional fields accept `null`
/// anyway (`Option<X>`), so the types stay plain structs.
fn unwrap_nullable_objects(json: &mut Value, _: &Plan) {
    for (_, schema) in schemas_mut(json) {
        if is_object(schema)
            && let Some(schema) = schema.as_object_mut()
        {
            schema.remove("nullable");
        }
    }
}

/// Boolean enums only pin envelopes' `success` to `true` (for mocks); `relax_envelopes`
/// replaces those uses, and nothing else uses them.
fn remove_boolean_enums(json: &mut Value, _: &Plan) {
    let Some(schemas) = json.pointer_mut("/components/schemas").and_then(Value::as_object_mut) else { return };
    let removed: Vec<String> = schemas
        .iter()
        .filter(|(_, schema)| is_boolean(schema) && schema.get("enum").is_some())
        .map(|(name, _)| format!("#/components/schemas/{name}"))
        .collect();
    schemas.retain(|_, schema| !(is_boolean(schema) && schema.get("enum").is_some()));
    // A schema no operation answers with (so not relaxed as an envelope) may still point at one.
    replace_refs(json, &removed, &json!({"type": "boolean"}));
}

/// Replaces every `{"$ref": target}` whose target is in `targets` with `replacement`.
fn replace_refs(value: &mut Value, targets: &[String], replacement: &Value) {
    match value {
        Value::Object(map) => {
            let points_at_target =
                map.get("$ref").and_then(Value::as_str).is_some_and(|r| targets.iter().any(|t| t == r));
            if points_at_target {
                *value = replacement.clone();
            } else {
                map.values_mut().for_each(|v| replace_refs(v, targets, replacement));
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| replace_refs(v, targets, replacement)),
        _ => {}
    }
}

/// Multipart body schemas describe form fields, not a JSON type.
fn remove_multipart_body_schemas(json: &mut Value, plan: &Plan) {
    let Some(schemas) = json.pointer_mut("/components/schemas").and_then(Value::as_object_mut) else { return };
    for op in &plan.operations {
        if let Some(body) = op.body.as_ref().filter(|b| b.multipart.is_some()) {
            schemas.remove(&body.schema);
        }
    }
}

/// Envelopes decode even when the service answers a 2xx with `{"success": false, "message":
/// ...}`: the payload may be absent, `success` is any boolean, and the error fields are kept,
/// so the client can report the server's message with the real status.
fn relax_envelopes(json: &mut Value, plan: &Plan) {
    for (name, schema) in schemas_mut(json) {
        if !plan.envelopes.iter().any(|e| &e.schema == name) {
            continue;
        }
        let Some(schema) = schema.as_object_mut() else { continue };
        if let Some(required) = schema.get_mut("required").and_then(Value::as_array_mut) {
            required.retain(|r| r != "payload");
        }
        if let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) {
            props.insert("success".into(), json!({"type": "boolean"}));
            props
                .entry("message")
                .or_insert(json!({"type": "string", "description": "The service's message when `success` is false."}));
            props.entry("status").or_insert(
                json!({"type": "integer", "description": "The HTTP status the service repeats when `success` is false."}),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Body, Credential, Envelope, FileField, Operation, Payload, Success};

    #[test]
    fn query_parameters_lose_their_limits_and_path_parameters_keep_theirs() {
        let input = json!({"paths": {"/t": {"get": {"parameters": [
            {"name": "take", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
            {"name": "id", "in": "path", "schema": {"type": "integer", "minimum": 1}}
        ]}}}});
        let out = run(plain_query_parameters, &Plan::default(), input);
        let params = &out["paths"]["/t"]["get"]["parameters"];
        assert_eq!(params[0]["schema"], json!({"type": "integer"}));
        assert_eq!(params[1]["schema"], json!({"type": "integer", "minimum": 1}));
    }

    #[test]
    fn parameter_descriptions_become_one_line() {
        let input = json!({"paths": {"/t/{domain}": {"get": {"parameters": [
            {"name": "domain", "in": "path", "description": "Name of the domain; it identifies\n- the domain."},
            {"name": "take", "in": "query", "description": "One line."}
        ]}}}});
        let out = run(one_line_parameter_descriptions, &Plan::default(), input);
        let params = &out["paths"]["/t/{domain}"]["get"]["parameters"];
        assert_eq!(params[0]["description"], "Name of the domain; it identifies - the domain.");
        assert_eq!(params[1]["description"], "One line.");
    }

    fn run(pass: Pass, plan: &Plan, mut input: Value) -> Value {
        pass(&mut input, plan);
        input
    }

    fn schemas(value: Value) -> Value {
        json!({"components": {"schemas": value}})
    }

    fn operation(schema: &str, multipart: bool) -> Operation {
        let files = vec![FileField { name: "file".into(), description: String::new() }];
        Operation {
            id: "Upload".into(),
            rust_name: "upload".into(),
            method: "POST".into(),
            path: "/upload".into(),
            summary: String::new(),
            description: String::new(),
            path_params: Vec::new(),
            query_params: Vec::new(),
            body: Some(Body { schema: schema.into(), multipart: multipart.then_some(files), fields: Vec::new() }),
            success: Success::Envelope("Envelope".into()),
            credential: Credential::Token,
            effect: crate::plan::Effect::Write,
            tag: "Upload".into(),
            command: "upload".into(),
            input_schema: serde_json::Value::Null,
            paged: None,
        }
    }

    #[test]
    fn every_pass_is_in_the_developers_table() {
        // The table in DEVELOPERS.md names the passes; every name appears in it once.
        let docs = include_str!("../../DEVELOPERS.md");
        for (name, _) in PASSES {
            assert_eq!(docs.matches(&format!("`{name}`")).count(), 1, "{name} in DEVELOPERS.md's pass table");
        }
    }

    #[test]
    fn only_success_responses_keeps_2xx() {
        let input = json!({"paths": {"/a": {
            "get": {"responses": {"200": {"description": "ok"}, "404": {"description": "no"}, "default": {}}},
            "post": {"responses": {"201": {"description": "made"}, "400": {"description": "bad"}}},
            "parameters": [],
        }}});
        let expected = json!({"paths": {"/a": {
            "get": {"responses": {"200": {"description": "ok"}}},
            "post": {"responses": {"201": {"description": "made"}}},
            "parameters": [],
        }}});
        assert_eq!(run(only_success_responses, &Plan::default(), input), expected);
    }

    #[test]
    fn remove_multipart_operations_drops_them_and_emptied_paths() {
        let multipart = json!({"requestBody": {"content": {"multipart/form-data": {}}}});
        let plain = json!({"requestBody": {"content": {"application/json": {}}}});
        let input = json!({"paths": {
            "/upload": {"post": multipart, "parameters": []},
            "/mixed": {"put": multipart, "get": plain},
        }});
        let expected = json!({"paths": {"/mixed": {"get": plain}}});
        assert_eq!(run(remove_multipart_operations, &Plan::default(), input), expected);
    }

    #[test]
    fn nullable_optional_request_arrays_only_touches_optional_arrays_of_request_schemas() {
        let object = json!({
            "type": "object",
            "required": ["kept"],
            "properties": {"kept": {"type": "array"}, "optional": {"type": "array"}, "name": {"type": "string"}},
        });
        let plan = Plan { request_schemas: ["Request".to_string()].into(), ..Plan::default() };
        let output = run(
            nullable_optional_request_arrays,
            &plan,
            schemas(json!({"Request": object.clone(), "Response": object.clone()})),
        );
        let mut request = object.clone();
        request["properties"]["optional"]["nullable"] = json!(true);
        assert_eq!(output, schemas(json!({"Request": request, "Response": object})));
    }

    #[test]
    fn float_to_double_widens_nested_floats_only() {
        let input = schemas(json!({"Price": {"type": "object", "properties": {
            "amount": {"type": "number", "format": "float"},
            "list": {"type": "array", "items": {"type": "number", "format": "float"}},
            "count": {"type": "integer", "format": "int32"},
        }}}));
        let expected = schemas(json!({"Price": {"type": "object", "properties": {
            "amount": {"type": "number", "format": "double"},
            "list": {"type": "array", "items": {"type": "number", "format": "double"}},
            "count": {"type": "integer", "format": "int32"},
        }}}));
        assert_eq!(run(float_to_double, &Plan::default(), input), expected);
    }

    #[test]
    fn unwrap_nullable_objects_leaves_other_nullables() {
        let input = schemas(json!({
            "Thing": {"type": "object", "nullable": true, "properties": {}},
            "Name": {"type": "string", "nullable": true},
        }));
        let expected = schemas(json!({
            "Thing": {"type": "object", "properties": {}},
            "Name": {"type": "string", "nullable": true},
        }));
        assert_eq!(run(unwrap_nullable_objects, &Plan::default(), input), expected);
    }

    #[test]
    fn remove_boolean_enums_keeps_other_enums_and_booleans() {
        let input = schemas(json!({
            "SuccessTrue": {"type": "boolean", "enum": [true]},
            "Flag": {"type": "boolean"},
            "Kind": {"type": "string", "enum": ["a"]},
        }));
        let expected = schemas(json!({"Flag": {"type": "boolean"}, "Kind": {"type": "string", "enum": ["a"]}}));
        assert_eq!(run(remove_boolean_enums, &Plan::default(), input), expected);
    }

    #[test]
    fn remove_boolean_enums_turns_references_left_behind_into_booleans() {
        // An envelope no operation answers with is not relaxed, but must not dangle.
        let unused_envelope =
            json!({"type": "object", "properties": {"success": {"$ref": "#/components/schemas/SuccessTrue"}}});
        let input = schemas(json!({"SuccessTrue": {"type": "boolean", "enum": [true]}, "Unused": unused_envelope}));
        let expected = schemas(json!({"Unused": {"type": "object", "properties": {"success": {"type": "boolean"}}}}));
        assert_eq!(run(remove_boolean_enums, &Plan::default(), input), expected);
    }

    #[test]
    fn remove_multipart_body_schemas_keeps_json_bodies() {
        let plan = Plan { operations: vec![operation("Form", true), operation("Json", false)], ..Plan::default() };
        let input = schemas(json!({"Form": {"type": "object"}, "Json": {"type": "object"}}));
        let expected = schemas(json!({"Json": {"type": "object"}}));
        assert_eq!(run(remove_multipart_body_schemas, &plan, input), expected);
    }

    #[test]
    fn relax_envelopes_makes_payload_optional_and_adds_error_fields() {
        let envelope = Envelope { schema: "Envelope".into(), payload: Payload::One("Thing".into()), beside: vec![] };
        let plan = Plan { envelopes: vec![envelope], ..Plan::default() };
        let object = json!({
            "type": "object",
            "required": ["success", "payload"],
            "properties": {
                "success": {"$ref": "#/components/schemas/SuccessTrue"},
                "payload": {"$ref": "#/components/schemas/Thing"},
                "status": {"type": "integer", "description": "documented"},
            },
        });
        let output = run(relax_envelopes, &plan, schemas(json!({"Envelope": object.clone(), "Thing": object.clone()})));
        let relaxed = json!({
            "type": "object",
            "required": ["success"],
            "properties": {
                "success": {"type": "boolean"},
                "payload": {"$ref": "#/components/schemas/Thing"},
                "status": {"type": "integer", "description": "documented"},
                "message": {"type": "string", "description": "The service's message when `success` is false."},
            },
        });
        assert_eq!(output, schemas(json!({"Envelope": relaxed, "Thing": object})));
    }
}
