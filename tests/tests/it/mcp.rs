//! The MCP server's tool table is the spec's operation list: one tool per operation, its
//! effect from `x-opentact-effect`, and an operation added to the spec is a tool after
//! generation with no hand-written change. (The binary's tests, driven by the official Python
//! SDK, are in `opentact-mcp/tests/mcp.rs`.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use opentact_tests::{spec, spec_path};
use serde_json::Value;

/// The spec's operations: operationId and effect.
fn effects(json: &Value) -> BTreeMap<String, String> {
    json["paths"]
        .as_object()
        .into_iter()
        .flatten()
        .flat_map(|(_, item)| item.as_object().into_iter().flatten())
        .filter_map(|(_, op)| {
            let id = op.get("operationId").and_then(Value::as_str)?;
            Some((id.to_string(), op.get("x-opentact-effect").and_then(Value::as_str).unwrap_or("").to_string()))
        })
        .collect()
}

#[test]
fn there_is_one_tool_per_operation_of_the_spec() {
    let tools: BTreeMap<String, String> =
        opentact_mcp::TOOLS.iter().map(|t| (t.name.to_string(), format!("{:?}", t.effect).to_lowercase())).collect();
    assert_eq!(tools.len(), opentact_mcp::TOOLS.len(), "an operation has two tools");
    assert_eq!(tools, effects(&spec().json));
    for tool in opentact_mcp::TOOLS {
        // MCP tool names: 1 to 128 characters of A-Z, a-z, 0-9, `_`, `-` and `.`.
        let valid = |c: char| c.is_ascii_alphanumeric() || "_-.".contains(c);
        assert!(!tool.name.is_empty() && tool.name.len() <= 128 && tool.name.chars().all(valid), "{}", tool.name);
        assert!(!tool.title.is_empty() && tool.description.starts_with(tool.title), "{}", tool.name);
    }
}

/// The tools in a generated `tools.rs` (one `name: "..."` per tool).
fn generated_tools(files: &BTreeMap<PathBuf, String>) -> BTreeSet<String> {
    let path = Path::new(opentact_codegen::MCP_GENERATED_DIR).join("tools.rs");
    let text = files.get(&path).unwrap_or_else(|| panic!("{} is generated", path.display()));
    text.split("name: \"").skip(1).filter_map(|rest| rest.split('"').next()).map(str::to_string).collect()
}

#[test]
fn an_operation_added_to_the_spec_is_a_tool_after_generation() {
    let text = std::fs::read_to_string(spec_path()).unwrap();
    let before = generated_tools(&opentact_codegen::generate(spec()).unwrap());
    assert_eq!(before.len(), opentact_mcp::TOOLS.len());
    // A copy of ListOrders on a path of its own, with a new operationId.
    let start = text.find("  /order:\n").expect("the spec has /order");
    let end = start + text[start..].find("\n  /order/{uuid}:").expect("/order is followed by /order/{uuid}");
    let copy = text[start..end].replacen("  /order:\n", "  /order/archived:\n", 1).replacen(
        "operationId: ListOrders",
        "operationId: ListArchivedOrders",
        1,
    );
    let mutated = format!("{}{copy}\n{}", &text[..end + 1], &text[end + 1..]);
    let spec = opentact_codegen::parse(Path::new("mutated.yaml"), mutated).expect("the mutated spec loads");
    let after = generated_tools(&opentact_codegen::generate(&spec).expect("the mutated spec generates"));
    let added: Vec<&String> = after.difference(&before).collect();
    assert_eq!(added, ["ListArchivedOrders"]);
    assert_eq!(after.len(), before.len() + 1);
}
