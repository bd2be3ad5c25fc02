//! `cargo xtask docs`: one self-contained HTML page holding every operation, every named
//! schema and every erratum, that loads nothing from any other host.

use std::collections::BTreeSet;

use opentact_tests::{spec, workspace_root};
use serde_json::Value;

/// Every erratum id in the spec, wherever it is.
fn errata_ids(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for entry in map.get("x-opentact-errata").and_then(Value::as_array).into_iter().flatten() {
                out.insert(entry["id"].as_str().unwrap_or_default().to_string());
            }
            map.values().for_each(|v| errata_ids(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| errata_ids(v, out)),
        _ => {}
    }
}

/// The opening tags `<name ...>` in `html`.
fn tags<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    html.match_indices(&format!("<{name}"))
        .filter_map(|(start, _)| html[start..].find('>').map(|end| &html[start..=start + end]))
        .collect()
}

#[test]
fn the_reference_is_one_offline_page_with_every_operation_schema_and_erratum() {
    let root = workspace_root();
    assert_eq!(xtask::docs::docs(&root).expect("cargo xtask docs runs"), xtask::Outcome::Success);
    let html = std::fs::read_to_string(root.join(xtask::docs::REFERENCE)).expect("the page was written");
    let spec = spec();

    let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    let operations: Vec<&str> = spec.json["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().iter())
        .filter(|(method, _)| methods.contains(&method.as_str()))
        .filter_map(|(_, op)| op["operationId"].as_str())
        .collect();
    assert_eq!(operations.len(), 25);
    for id in operations {
        // Redoc renders operations in the browser from the definition embedded in the page.
        assert!(html.contains(&format!("\"operationId\":\"{id}\"")), "operation {id} is not in the page");
    }
    let schemas = spec.json["components"]["schemas"].as_object().unwrap().keys();
    for name in schemas {
        assert!(html.contains(&format!("\"{name}\":{{")), "schema {name} is not in the page");
    }

    // The errata reach the reader: an "Errata" section (pre-rendered) naming each of them, and
    // a note in the description of each operation, schema or field that has one.
    let mut ids = BTreeSet::new();
    errata_ids(&spec.json, &mut ids);
    assert!(ids.len() > 20, "{ids:?}");
    assert!(html.contains("data-section-id=\"/section/errata\""), "no Errata section is rendered");
    for id in &ids {
        assert!(html.contains(&format!("<code>{id}</code>")), "erratum {id} is not rendered");
        assert!(html.contains(&format!("- **`{id}`**")), "erratum {id} has no note where it applies");
    }

    // Nothing from another host: no script or stylesheet by URL, no CSS import.
    for tag in tags(&html, "script") {
        assert!(!tag.contains("src="), "the page loads a script: {tag}");
    }
    for tag in tags(&html, "link") {
        assert!(!tag.contains("href=\"http") && !tag.contains("href=\"//"), "the page loads a resource: {tag}");
    }
    assert!(!html.contains("@import url(") && !html.contains("fonts.googleapis"), "the page imports CSS from a host");
}
