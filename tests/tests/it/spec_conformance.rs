//! The spec itself: it parses, follows the project's rules and standard OpenAPI linters, keeps
//! every operation of the live description or a reason for leaving it out, its examples
//! validate, and its errata are all recorded.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use opentact_tests::{npm_tool, spec, spec_path, venv_tool, workspace_root};
use serde_json::{Value, json};

#[test]
fn parses_with_openapiv3_and_passes_the_project_lint() {
    let spec = spec();
    assert_eq!(spec.json["openapi"], "3.0.3"); // and `load` checked the structure with openapiv3
    let findings = opentact_codegen::lint(spec);
    assert!(
        findings.is_empty(),
        "lint findings:\n{}",
        findings.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n")
    );
}

/// The spec's operations: (operationId, the live operationId it stands for, method, path).
fn spec_operations() -> Vec<(String, String, String, String)> {
    let mut found = Vec::new();
    for (path, item) in spec().json["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                let live = op.get("x-opentact-live-operation").and_then(Value::as_str).unwrap_or(id);
                found.push((id.to_string(), live.to_string(), method.to_uppercase(), path.clone()));
            }
        }
    }
    found
}

/// The operationIds of the exclusion table in spec/README.md (first cell: `` `METHOD /path` Id ``).
fn excluded_operations() -> BTreeSet<String> {
    let readme = std::fs::read_to_string(workspace_root().join("spec/README.md")).unwrap();
    let table = readme.split("## Operations not in the spec").nth(1).expect("the exclusion section");
    let table = table.split("\n## ").next().unwrap();
    table
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|row| row.split_once("` ").map(|(_, rest)| rest))
        .map(|rest| rest.split(" |").next().unwrap().trim().to_string())
        .collect()
}

#[test]
fn every_live_operation_is_in_the_spec_or_excluded_with_a_reason() {
    let text = std::fs::read_to_string(workspace_root().join("spec/live-operations.txt")).unwrap();
    let live: Vec<(String, String, String)> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            assert_eq!(f.len(), 3, "METHOD /path operationId: {l}");
            (f[0].to_string(), f[1].to_string(), f[2].to_string())
        })
        .collect();
    assert_eq!(live.len(), 165, "the live description lists 165 operations");
    let ours = spec_operations();
    let in_spec: BTreeSet<&str> = ours.iter().map(|(_, live, _, _)| live.as_str()).collect();
    let excluded = excluded_operations();
    let missing: Vec<&str> = live
        .iter()
        .map(|(_, _, id)| id.as_str())
        .filter(|id| !in_spec.contains(id) && !excluded.contains(*id))
        .collect();
    assert!(missing.is_empty(), "live operations neither in the spec nor in the exclusion table: {missing:?}");
    let both: Vec<&String> = excluded.iter().filter(|id| in_spec.contains(id.as_str())).collect();
    assert!(both.is_empty(), "in the spec and excluded: {both:?}");
    let unknown: Vec<&String> = excluded.iter().filter(|id| !live.iter().any(|(_, _, l)| l == *id)).collect();
    assert!(unknown.is_empty(), "excluded operations the live description does not have: {unknown:?}");
    // A live operation in the spec keeps its method and path, unless an erratum on it says why.
    for (id, live_id, method, path) in &ours {
        let Some((live_method, live_path, _)) = live.iter().find(|(_, _, l)| l == live_id) else { continue };
        if (live_method, live_path) != (method, path) {
            let op = &spec().json["paths"][path][method.to_lowercase()];
            assert!(
                op.get("x-opentact-errata").is_some(),
                "{id} is at {method} {path}, live at {live_method} {live_path}, with no erratum"
            );
        }
    }
}

#[test]
fn operation_ids_follow_the_docs_and_operations_are_unique_by_method_and_path() {
    let ours = spec_operations();
    let places: BTreeSet<(&str, &str)> = ours.iter().map(|(_, _, m, p)| (m.as_str(), p.as_str())).collect();
    assert_eq!(places.len(), ours.len());
    // The names the docs use where they differ from the live description's.
    for (id, live) in
        [("GetTNLeaseRouteByTN", "GetTNLeaseByTN"), ("GetSIPConnectionProductsList", "GetSIPProductsList")]
    {
        assert!(ours.iter().any(|(i, l, _, _)| i == id && l == live), "{id} stands for {live}");
    }
}

#[test]
fn every_operation_but_auth_is_authenticated_by_x_auth_token_and_auth_by_basic() {
    let spec = spec();
    let schemes = &spec.json["components"]["securitySchemes"];
    let token = &schemes["XAuthToken"];
    assert_eq!(
        (&token["type"], &token["in"], &token["name"]),
        (&json!("apiKey"), &json!("header"), &json!("X-Auth-Token"))
    );
    assert_eq!((&schemes["BasicAuth"]["type"], &schemes["BasicAuth"]["scheme"]), (&json!("http"), &json!("basic")));
    assert_eq!(spec.json["security"], json!([{"XAuthToken": []}]));
    let mut overriding = Vec::new();
    for (_, item) in spec.json["paths"].as_object().unwrap() {
        for (_, op) in item.as_object().unwrap() {
            if let Some(security) = op.get("security") {
                overriding.push((op["operationId"].as_str().unwrap().to_string(), security.clone()));
            }
        }
    }
    assert_eq!(overriding, vec![("Auth".to_string(), json!([{"BasicAuth": []}]))]);
}

pub(crate) use opentact_spec_tools::docs::to_json_schema;

/// Every example of the spec, with the schema it illustrates and where it is.
fn examples(spec: &opentact_codegen::Spec) -> Vec<(String, Value, Value)> {
    let resolve = |v: &Value| -> Value {
        let mut v = v.clone();
        while let Some(r) = v.get("$ref").and_then(Value::as_str) {
            v = spec.resolve(r).cloned().unwrap_or(Value::Null);
        }
        v
    };
    let mut out = Vec::new();
    for (path, item) in spec.json["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(id) = op.get("operationId").and_then(Value::as_str) else { continue };
            let mut holders = Vec::new();
            if let Some(body) = op.get("requestBody") {
                holders.push((format!("{id} request"), resolve(body)));
            }
            for (code, response) in op["responses"].as_object().unwrap() {
                holders.push((format!("{id} {code}"), resolve(response)));
            }
            for (where_, holder) in holders {
                for (media, content) in holder.get("content").and_then(Value::as_object).into_iter().flatten() {
                    for (name, example) in content.get("examples").and_then(Value::as_object).into_iter().flatten() {
                        let value = resolve(example)["value"].clone();
                        out.push((
                            format!("{where_} {media} example {name} ({method} {path})"),
                            content["schema"].clone(),
                            value,
                        ));
                    }
                }
            }
        }
    }
    for (name, schema) in spec.json["components"]["schemas"].as_object().unwrap() {
        if let Some(example) = schema.get("example") {
            out.push((
                format!("schema {name} example"),
                json!({"$ref": format!("#/components/schemas/{name}")}),
                example.clone(),
            ));
        }
    }
    out
}

#[test]
fn every_example_validates_against_its_schema() {
    let spec = spec();
    let components = to_json_schema(&spec.json["components"]["schemas"]);
    let examples = examples(spec);
    let mut failures = Vec::new();
    for (where_, schema, value) in &examples {
        let mut root = to_json_schema(schema);
        // Multipart examples would describe form fields; there are none, and JSON ones need
        // the components to resolve `#/components/schemas/...`.
        root["components"] = json!({"schemas": components});
        let validator = jsonschema::options().should_validate_formats(true).build(&root).expect("schema compiles");
        for error in validator.iter_errors(value) {
            failures.push(format!("{where_}: {} at {}", error, error.instance_path()));
        }
    }
    assert!(examples.len() >= 60, "only {} examples found", examples.len());
    assert!(failures.is_empty(), "{} invalid examples:\n{}", failures.len(), failures.join("\n"));
}

/// The component schemas `name` refers to, directly or through arrays, maps and `allOf`.
fn schema_refs(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v.as_str()) {
                    ("$ref", Some(target)) => {
                        if let Some(name) = target.strip_prefix("#/components/schemas/") {
                            out.insert(name.to_string());
                        }
                    }
                    ("example" | "examples", _) => {}
                    _ => schema_refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| schema_refs(v, out)),
        _ => {}
    }
}

/// openapi-generator's Python generator builds a sample value for every property by walking
/// every path of references; across the entities' cycles that is exponential (it ran out of
/// memory), unless it meets a schema-level `example`, where it stops (spec/README.md).
#[test]
fn every_schema_in_a_reference_cycle_has_an_example() {
    let schemas = spec().json["components"]["schemas"].as_object().unwrap();
    let edges: BTreeMap<&str, BTreeSet<String>> = schemas
        .iter()
        .map(|(name, schema)| {
            let mut out = BTreeSet::new();
            schema_refs(schema, &mut out);
            (name.as_str(), out)
        })
        .collect();
    // A schema is in a cycle when it can reach itself.
    let reaches_itself = |start: &str| {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<&str> = edges[start].iter().map(String::as_str).collect();
        while let Some(next) = todo.pop() {
            if next == start {
                return true;
            }
            if seen.insert(next) {
                todo.extend(edges.get(next).into_iter().flatten().map(String::as_str));
            }
        }
        false
    };
    let in_cycles: Vec<&str> = edges.keys().copied().filter(|name| reaches_itself(name)).collect();
    assert!(in_cycles.contains(&"Account"), "the entities' cycles are where this matters: {in_cycles:?}");
    let without: Vec<&&str> = in_cycles.iter().filter(|name| schemas[**name].get("example").is_none()).collect();
    assert!(without.is_empty(), "schemas in a reference cycle without a schema-level example: {without:?}");
}

#[test]
fn the_example_check_rejects_a_documented_placeholder() {
    // The docs' own placeholders must fail, or the check above proves nothing.
    let spec = spec();
    let mut root = to_json_schema(&json!({"$ref": "#/components/schemas/TNLeasesResponse"}));
    root["components"] = json!({"schemas": to_json_schema(&spec.json["components"]["schemas"])});
    let validator = jsonschema::options().should_validate_formats(true).build(&root).unwrap();
    let placeholder = json!({"success": true, "payload": [{"uuid": "string", "created_on": "2019-08-24T14:15:22Z"}]});
    assert!(!validator.is_valid(&placeholder));
}

/// The errata the project must never lose: every departure from the docs that issue #2 lists.
const REQUIRED_ERRATA: &[&str] = &[
    "voice-profile-remove-path-missing-slash",
    "voice-profile-modify-path-missing-uuid",
    "voice-profile-control-apps-duplicate-path",
    "voice-profile-examples-are-tn-leases",
    "tn-profile-examples-are-tn-leases",
    "filemat-typed-boolean",
    "audio-track-type-typed-boolean",
    "daily-spend-limit-integer-float",
    "sip-app-egress-trunk-stings",
    "list-orders-method",
    "list-orders-single-payload",
    "order-voice-fax-typed-string",
    "order-tns-typed-string",
    "sip-app-404-example-says-401",
    "call-flow-path-pattern-missing-caret",
    "sip-app-empty-body-row",
    "voice-profile-name-description-pasted",
    "voice-profile-remove-description-pasted",
    "example-placeholders",
    "money-as-strings",
    "order-authorization-header",
];

fn errata_ids(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "x-opentact-errata" {
                    for entry in v.as_array().into_iter().flatten() {
                        out.insert(entry["id"].as_str().unwrap_or_default().to_string());
                    }
                } else {
                    errata_ids(v, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| errata_ids(v, out)),
        _ => {}
    }
}

#[test]
fn every_required_erratum_is_recorded_in_the_spec_and_the_readme() {
    let mut in_spec = BTreeSet::new();
    errata_ids(&spec().json, &mut in_spec);
    let readme = std::fs::read_to_string(workspace_root().join("spec/README.md")).unwrap();
    let table = readme.split("\n## Errata\n").nth(1).expect("the errata section").split("\n## ").next().unwrap();
    let in_readme: BTreeSet<String> = table
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .map(str::to_string)
        .collect();
    for id in REQUIRED_ERRATA {
        assert!(in_spec.contains(*id), "erratum {id} is missing from spec/opentact.yaml");
    }
    assert_eq!(in_spec, in_readme, "the errata of spec/opentact.yaml and of the table in spec/README.md differ");
}

#[test]
fn wire_names_that_look_like_typos_stay_on_the_wire() {
    let spec = spec();
    let schemas = &spec.json["components"]["schemas"];
    assert!(schemas["OutboundVoiceProfileNewParams"]["properties"].get("filemat").is_some());
    assert!(schemas["Class4ResourceIpRegGateway"]["properties"].get("rofile_id").is_some());
    assert!(schemas["Class4TrunkSettings"]["properties"].get("enfource_cid").is_some());
    assert!(schemas["EClass4ServiceType"]["enum"].as_array().unwrap().contains(&json!("Standand Deck")));
}

#[test]
fn openapi_spec_validator_finds_no_error() {
    let output = Command::new(venv_tool("openapi-spec-validator")).arg(spec_path()).output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout).to_string() + &String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "openapi-spec-validator failed:\n{text}");
    assert!(text.contains(": OK"), "unexpected output:\n{text}");
}

#[test]
fn redocly_lint_reports_no_error_and_no_warning() {
    let output = Command::new(npm_tool("redocly"))
        .args(["lint", "--format=stylish", "--config"])
        .arg(workspace_root().join("spec/redocly.yaml"))
        .arg(spec_path())
        .env("REDOCLY_TELEMETRY", "off")
        .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).to_string() + &String::from_utf8_lossy(&output.stderr);
    let problems: Vec<&str> = text
        .lines()
        .filter(|l| {
            let mut words = l.split_whitespace();
            words.next().is_some_and(|pos| pos.contains(':') && pos.chars().next().is_some_and(|c| c.is_ascii_digit()))
                && matches!(words.next(), Some("error" | "warning"))
        })
        .collect();
    assert!(output.status.success(), "redocly lint failed:\n{text}");
    assert!(problems.is_empty(), "redocly lint problems:\n{}", problems.join("\n"));
    assert!(text.contains("valid"), "unexpected output:\n{text}");
}
