//! The spec as the HTML reference (`cargo xtask docs`) shows it: a copy whose descriptions
//! carry the `x-opentact-errata` entries, which reference renderers do not display by
//! themselves. The committed spec is not changed.

use serde_json::Value;

use opentact_codegen::Spec;

const ERRATA: &str = "x-opentact-errata";

/// One erratum as Markdown: what the docs say, what the spec says, and the evidence.
fn erratum_markdown(entry: &Value) -> String {
    let field = |key: &str| entry.get(key).and_then(Value::as_str).unwrap_or("").trim().to_string();
    let mut text = format!("- **`{}`**", field("id"));
    for (key, label) in [("docs", "Opentact's docs"), ("spec", "This document"), ("evidence", "Evidence")] {
        let value = field(key);
        if !value.is_empty() {
            text.push_str(&format!("\n  - {label}: {}", value.replace('\n', " ")));
        }
    }
    text
}

fn errata_of(node: &Value) -> Vec<&Value> {
    node.get(ERRATA).and_then(Value::as_array).map(|a| a.iter().collect()).unwrap_or_default()
}

/// Appends an "Errata" note to `node`'s description when it has errata; returns how many.
fn annotate(node: &mut Value, heading: &str) -> usize {
    let errata: Vec<String> = errata_of(node).into_iter().map(erratum_markdown).collect();
    if errata.is_empty() {
        return 0;
    }
    let Some(map) = node.as_object_mut() else { return 0 };
    let description = map.get("description").and_then(Value::as_str).unwrap_or("").trim_end().to_string();
    let note = format!("{heading}\n\n{}", errata.join("\n"));
    let joined = if description.is_empty() { note } else { format!("{description}\n\n{note}") };
    map.insert("description".into(), Value::String(joined));
    errata.len()
}

/// The spec as JSON with every erratum written into the description of the operation,
/// schema or field it belongs to, plus a list of all of them (and where they are) in `info`.
pub fn reference_spec(spec: &Spec) -> Value {
    let mut json = spec.json.clone();
    let mut index = Vec::new();
    if let Some(map) = json.as_object_mut() {
        for (key, child) in map.iter_mut().filter(|(k, _)| k.as_str() != "info") {
            annotate_all(child, key, &mut index);
        }
    }
    if let Some(info) = json.get_mut("info") {
        let own: Vec<String> = errata_of(info).into_iter().map(erratum_markdown).collect();
        for erratum in errata_of(info) {
            let id = erratum.get("id").and_then(Value::as_str).unwrap_or_default();
            index.push(format!("| `{id}` | the whole document (below) |"));
        }
        if let Some(map) = info.as_object_mut() {
            let description = map.get("description").and_then(Value::as_str).unwrap_or("").trim_end().to_string();
            let mut section = format!(
                "{description}\n\n# Errata\n\nThis reference is generated from `spec/opentact.yaml`. Where the \
                 document departs from Opentact's own pages it says so in an erratum, shown in the description \
                 of the operation, schema or field concerned. All {} of them:\n\n| erratum | where |\n|---|---|\n{}",
                index.len(),
                index.join("\n")
            );
            if !own.is_empty() {
                section.push_str(&format!("\n\nErrata about the whole document:\n\n{}", own.join("\n")));
            }
            map.insert("description".into(), Value::String(section));
        }
    }
    json
}

/// Annotates every node below `node` that has errata; `at` says where `node` is, for the index.
fn annotate_all(node: &mut Value, at: &str, index: &mut Vec<String>) {
    let place = node
        .get("operationId")
        .and_then(Value::as_str)
        .map_or_else(|| format!("`{at}`"), |id| format!("operation `{id}`"));
    for erratum in errata_of(node) {
        let id = erratum.get("id").and_then(Value::as_str).unwrap_or_default();
        index.push(format!("| `{id}` | {place} |"));
    }
    annotate(node, NOTE);
    match node {
        Value::Object(map) => {
            for (key, child) in map.iter_mut().filter(|(k, _)| !matches!(k.as_str(), ERRATA | "examples" | "example")) {
                annotate_all(child, &format!("{at}/{key}"), index);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                annotate_all(child, &format!("{at}/{i}"), index);
            }
        }
        _ => {}
    }
}

const NOTE: &str = "**Errata**: where this document departs from Opentact's pages, and why.";
