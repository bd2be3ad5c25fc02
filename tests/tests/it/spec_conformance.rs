//! The spec itself: it parses, follows the project's rules and standard OpenAPI linters, keeps
//! its 25 operations, its examples validate, and its errata are all recorded.

use std::collections::BTreeSet;
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

/// The 25 operations (of the docs and of the live description), each with its method and path. Any change fails loudly.
const OPERATIONS: &[(&str, &str, &str)] = &[
    ("GetTransactionInvoiceReport", "GET", "/transaction/report/invoice"),
    ("GetSIPControlAppStaticCallFlow", "GET", "/sip/app/call/flow/{uuid}"),
    ("RemoveSIPControlAppStaticCallFlow", "DELETE", "/sip/app/call/flow/{uuid}"),
    ("ListOutboundVoiceProfiles", "GET", "/profile/outbound_voice"),
    ("CreateOutboundVoiceProfile", "POST", "/profile/outbound_voice"),
    ("GetOutboundVoiceProfileByUUID", "GET", "/profile/outbound_voice/{uuid}"),
    ("ModifyOutboundVoiceProfile", "PATCH", "/profile/outbound_voice/{uuid}"),
    ("RemoveOutboundVoiceProfileByUUID", "DELETE", "/profile/outbound_voice/{uuid}"),
    ("GetOutboundVoiceProfileSIPConnectionsByUUID", "GET", "/profile/outbound_voice/{uuid}/connections/sip"),
    ("GetOutboundVoiceProfileControlAppsByUUID", "GET", "/profile/outbound_voice/{uuid}/connections/app"),
    ("ListTNProfiles", "GET", "/profile/tn"),
    ("GetTNSpecialPricesByAccount", "GET", "/profile/tn/special_prices"),
    ("GetTNProfileByUUID", "GET", "/profile/tn/{uuid}"),
    ("ListSIPControlApps", "GET", "/sip/app"),
    ("CreateSIPControlApp", "POST", "/sip/app"),
    ("GetSIPControlAppByUUID", "GET", "/sip/app/{uuid}"),
    ("ModifySIPControlApp", "PATCH", "/sip/app/{uuid}"),
    ("RemoveSIPControlAppByUUID", "DELETE", "/sip/app/{uuid}"),
    ("GetSIPControlAppTNLeasesList", "GET", "/sip/app/{uuid}/tnlease"),
    ("AssignTNLeasesToSIPControlApp", "POST", "/sip/app/{uuid}/tnlease"),
    ("ExecuteSIPControlAppCallExecuteCallFlow", "POST", "/sip/app/call/{uuid}"),
    ("CreateTNOrder", "POST", "/order/tn"),
    ("GetOrderPrice", "POST", "/order/price"),
    ("ListOrders", "GET", "/order"),
    ("GetOrderByUUID", "GET", "/order/{uuid}"),
];

#[test]
fn has_exactly_the_22_documented_operations() {
    let spec = spec();
    let mut found = BTreeSet::new();
    for (path, item) in spec.json["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                found.insert((id.to_string(), method.to_uppercase(), path.clone()));
            }
        }
    }
    let expected: BTreeSet<_> =
        OPERATIONS.iter().map(|(i, m, p)| (i.to_string(), m.to_string(), p.to_string())).collect();
    assert_eq!(OPERATIONS.len(), 25);
    assert_eq!(found, expected);
}

#[test]
fn every_operation_is_authenticated_by_x_auth_token() {
    let spec = spec();
    let scheme = &spec.json["components"]["securitySchemes"]["XAuthToken"];
    assert_eq!(
        (&scheme["type"], &scheme["in"], &scheme["name"]),
        (&json!("apiKey"), &json!("header"), &json!("X-Auth-Token"))
    );
    assert_eq!(spec.json["security"], json!([{"XAuthToken": []}]));
    for (_, item) in spec.json["paths"].as_object().unwrap() {
        for (_, op) in item.as_object().unwrap() {
            assert!(op.get("security").is_none(), "an operation overrides the global security");
        }
    }
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
    let in_readme: BTreeSet<String> = readme
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
    assert!(schemas["SIPConnectionTrunkSettingsNewParams"]["properties"].get("enfource_cid").is_some());
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
