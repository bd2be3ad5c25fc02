//! The CLI's command table is the spec's operation list, and it follows the spec: an operation
//! added to the spec is a command after generation, with no hand-written change. (The binary's
//! own tests, which need `CARGO_BIN_EXE_opentact`, are in `opentact-cli/tests/cli.rs`.)

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use opentact_tests::{spec, spec_path};
use serde_json::Value;

/// The spec's operationIds.
fn operation_ids(json: &Value) -> BTreeSet<String> {
    json["paths"]
        .as_object()
        .into_iter()
        .flatten()
        .flat_map(|(_, item)| item.as_object().into_iter().flatten())
        .filter_map(|(_, op)| op.get("operationId").and_then(Value::as_str).map(str::to_string))
        .collect()
}

#[test]
fn there_is_one_command_per_operation_of_the_spec() {
    let commands: Vec<&str> = opentact_cli::COMMANDS.iter().map(|c| c.operation).collect();
    let unique: BTreeSet<String> = commands.iter().map(|c| c.to_string()).collect();
    assert_eq!(unique.len(), commands.len(), "an operation has two commands");
    assert_eq!(unique, operation_ids(&spec().json));
    // Each command is reachable: a group of the table, a name unique in it, not a built-in.
    let mut names = BTreeSet::new();
    for c in opentact_cli::COMMANDS {
        assert!(opentact_cli::GROUPS.iter().any(|g| g.name == c.group), "{} has no group", c.operation);
        assert!(names.insert((c.group, c.name)), "{} {} is taken twice", c.group, c.name);
        assert!(!c.summary.is_empty(), "{} has no help text", c.operation);
    }
    for g in opentact_cli::GROUPS {
        assert!(!opentact_cli::BUILT_IN.contains(&g.name), "group {} hides a built-in command", g.name);
    }
    // The clap tree builds (its debug assertions check every argument) and holds every command.
    let root = opentact_cli::command();
    root.clone().debug_assert();
    for c in opentact_cli::COMMANDS {
        let found = root.find_subcommand(c.group).and_then(|g| g.find_subcommand(c.name));
        assert!(found.is_some(), "`opentact {} {}` is missing", c.group, c.name);
    }
}

/// The commands in a generated `commands.rs` (one `operation: "..."` per command).
fn generated_commands(files: &std::collections::BTreeMap<PathBuf, String>) -> Vec<String> {
    let path = Path::new(opentact_codegen::CLI_GENERATED_DIR).join("commands.rs");
    let text = files.get(&path).unwrap_or_else(|| panic!("{} is generated", path.display()));
    text.split("operation: \"").skip(1).filter_map(|rest| rest.split('"').next()).map(str::to_string).collect()
}

#[test]
fn an_operation_added_to_the_spec_is_a_command_after_generation() {
    let text = std::fs::read_to_string(spec_path()).unwrap();
    let before = generated_commands(&opentact_codegen::generate(spec()).unwrap());
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
    let errors: Vec<String> = opentact_codegen::lint(&spec)
        .iter()
        .filter(|d| d.severity == opentact_codegen::Severity::Error)
        .map(|d| d.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let after = generated_commands(&opentact_codegen::generate(&spec).expect("the mutated spec generates"));
    assert_eq!(after.len(), before.len() + 1, "{after:?}");
    assert_eq!(after.iter().filter(|c| *c == "ListArchivedOrders").count(), 1);
    // The rule names it: the operationId without the tag's words (`Order`).
    let commands = opentact_codegen::generate(&spec).unwrap();
    let file = &commands[&Path::new(opentact_codegen::CLI_GENERATED_DIR).join("commands.rs")];
    assert!(file.contains("name: \"list-archived\""), "the new command is not `order list-archived`");
}
