//! The wire rules on small specs, and the Rust API rules on small surfaces. The real spec and
//! its mutations are in tests/tests/spec_diff.rs.

use std::path::Path;

use super::*;

/// A spec with one operation that sends a `Thing` and returns a `Thing` list, and one that
/// only returns a `Node` (recursive).
fn spec(schemas: &str) -> Spec {
    let text = format!(
        r#"openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  /things:
    post:
      operationId: CreateThing
      requestBody:
        required: true
        content:
          application/json:
            schema: {{$ref: '#/components/schemas/NewThing'}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Thing'}}
        '404':
          description: missing
  /nodes:
    get:
      operationId: ListNodes
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Node'}}
components:
  schemas:
{schemas}"#
    );
    opentact_codegen::parse(Path::new("t.yaml"), text).expect("test spec parses")
}

const SCHEMAS: &str = r#"    State: {type: string, enum: [new, done]}
    NewThing:
      type: object
      required: [name]
      properties:
        name: {type: string, maxLength: 10}
        state: {$ref: '#/components/schemas/State'}
    Thing:
      type: object
      properties:
        name: {type: string}
        state: {$ref: '#/components/schemas/State'}
        kind: {$ref: '#/components/schemas/Kind'}
    Kind: {type: string, enum: [a, b]}
    Node:
      type: object
      properties:
        label: {type: string}
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
"#;

fn wire_diff(old: &str, new: &str) -> Vec<WireChange> {
    wire_changes(&spec(old), &spec(new)).unwrap().0
}

fn only(changes: &[WireChange]) -> &WireChange {
    assert_eq!(changes.len(), 1, "{changes:#?}");
    &changes[0]
}

#[test]
fn an_unchanged_spec_has_no_changes() {
    assert!(wire_diff(SCHEMAS, SCHEMAS).is_empty());
}

#[test]
fn fields_shared_through_all_of_are_compared_by_the_fields_not_the_writing() {
    let shared = SCHEMAS.replace(
        "    Thing:\n      type: object\n      properties:\n        name: {type: string}\n        state: {$ref: '#/components/schemas/State'}\n        kind: {$ref: '#/components/schemas/Kind'}\n",
        "    Named:\n      type: object\n      properties:\n        name: {type: string}\n        state: {$ref: '#/components/schemas/State'}\n    Thing:\n      allOf:\n      - $ref: '#/components/schemas/Named'\n      - type: object\n        properties:\n          kind: {allOf: [{$ref: '#/components/schemas/Kind'}], description: Its kind.}\n",
    );
    assert_ne!(shared, SCHEMAS, "the replacement applied");
    let changes = wire_diff(SCHEMAS, &shared);
    let change = only(&changes);
    assert_eq!(change.group, Group::Schema("Named".into()), "only the new base is a change: {changes:#?}");
    assert!(!change.breaking, "{change:?}");
    // A real change behind the allOf is still seen.
    let narrowed = shared.replace(
        "    Named:\n      type: object\n      properties:\n        name: {type: string}",
        "    Named:\n      type: object\n      properties:\n        name: {type: integer}",
    );
    assert_ne!(narrowed, shared, "the replacement applied");
    let changes = wire_diff(SCHEMAS, &narrowed);
    assert!(
        changes.iter().any(|c| c.group == Group::Schema("Thing".into()) && c.location == "name" && c.breaking),
        "{changes:#?}"
    );
}

#[test]
fn a_new_required_request_field_breaks_callers() {
    let new = SCHEMAS.replace("required: [name]", "required: [name, state]");
    let changes = wire_diff(SCHEMAS, &new);
    let change = only(&changes);
    assert_eq!(change.group, Group::Schema("NewThing".into()));
    assert_eq!(change.location, "state");
    assert!(change.breaking, "{change:?}");
    assert!(change.reason.starts_with("requests:"), "{}", change.reason);
}

#[test]
fn a_response_field_becoming_required_breaks_nobody() {
    let new =
        SCHEMAS.replace("    Thing:\n      type: object\n", "    Thing:\n      type: object\n      required: [name]\n");
    let change = only(&wire_diff(SCHEMAS, &new)).clone();
    assert!(!change.breaking, "{change:?}");
    assert!(change.reason.contains("readers now always get it"), "{}", change.reason);
}

#[test]
fn enum_values_break_in_the_direction_that_reads_them() {
    // Kind only travels in responses: a new value breaks closed-enum readers.
    let new = SCHEMAS.replace("enum: [a, b]", "enum: [a, b, c]");
    let change = only(&wire_diff(SCHEMAS, &new)).clone();
    assert_eq!(change.group, Group::Schema("Kind".into()));
    assert!(change.breaking && change.reason.contains("closed-enum"), "{change:?}");
    // State travels both ways: breaking (responses), and the reason says so.
    let new = SCHEMAS.replace("enum: [new, done]", "enum: [new, done, archived]");
    let change = only(&wire_diff(SCHEMAS, &new)).clone();
    assert!(change.breaking && change.reason.contains("requests: callers may send it"), "{change:?}");
    // Removing a value only breaks callers that send it.
    let new = SCHEMAS.replace("enum: [a, b]", "enum: [a]");
    assert!(!only(&wire_diff(SCHEMAS, &new)).breaking);
}

#[test]
fn limits_break_requests_when_tighter_and_responses_when_looser() {
    let tighter = SCHEMAS.replace("maxLength: 10", "maxLength: 5");
    let change = only(&wire_diff(SCHEMAS, &tighter)).clone();
    assert!(change.breaking && change.description.contains("tighter"), "{change:?}");
    let looser = SCHEMAS.replace("maxLength: 10", "maxLength: 50");
    assert!(!only(&wire_diff(SCHEMAS, &looser)).breaking);
}

#[test]
fn a_recursive_schema_is_reported_once() {
    let new = SCHEMAS.replace("label: {type: string}", "label: {type: integer}");
    let change = only(&wire_diff(SCHEMAS, &new)).clone();
    assert_eq!(change.group, Group::Schema("Node".into()));
    assert_eq!(change.location, "label");
    assert!(change.breaking && change.description.contains("string to integer"), "{change:?}");
}

#[test]
fn nullability_breaks_readers_of_responses() {
    let new = SCHEMAS.replace(
        "        name: {type: string}\n        state",
        "        name: {type: string, nullable: true}\n        state",
    );
    let change = only(&wire_diff(SCHEMAS, &new)).clone();
    assert_eq!(change.group, Group::Schema("Thing".into()));
    assert!(change.breaking && change.reason.contains("null"), "{change:?}");
}

#[test]
fn a_renamed_field_with_the_same_schema_is_one_change() {
    let new = SCHEMAS.replace("        label: {type: string}", "        title: {type: string}");
    let change = only(&wire_diff(SCHEMAS, &new)).clone();
    assert!(change.description.contains("renamed-looking") && change.breaking, "{change:?}");
}

#[test]
fn a_schema_renamed_without_a_change_of_shape_is_not_a_wire_change() {
    let new = SCHEMAS.replace("Kind", "Flavour");
    let change = only(&wire_diff(SCHEMAS, &new)).clone();
    assert_eq!(change.group, Group::Schema("Kind".into()));
    assert!(change.description.contains("renamed to `Flavour`") && !change.breaking, "{change:?}");
    // A recursive schema refers to itself under the new name.
    let new = SCHEMAS.replace("Node", "TreeNode");
    let change = only(&wire_diff(SCHEMAS, &new)).clone();
    assert!(change.description.contains("renamed to `TreeNode`"), "{change:?}");
}

#[test]
fn operations_moved_removed_and_statuses() {
    let base = spec(SCHEMAS);
    let moved_text = base
        .source
        .replace("  /nodes:\n", "  /tree:\n")
        .replace("        '404':\n          description: missing\n", "");
    let head = opentact_codegen::parse(Path::new("t.yaml"), moved_text).unwrap();
    let changes = wire::compare(&typed(&base).unwrap(), &typed(&head).unwrap(), &base.json, &head.json).0;
    let moved = changes.iter().find(|c| c.description.contains("moved from GET /nodes to GET /tree"));
    let moved = moved.unwrap_or_else(|| panic!("{changes:#?}"));
    assert!(moved.breaking && moved.group == Group::Operation("ListNodes".into()));
    let status = changes.iter().find(|c| c.location == "response 404").unwrap();
    assert!(!status.breaking, "removing a documented status is harmless: {status:?}");

    let removed_text = base
        .source
        .replace("      operationId: ListNodes\n", "      operationId: ListTrees\n")
        .replace("  /nodes:\n", "  /trees:\n");
    let head = opentact_codegen::parse(Path::new("t.yaml"), removed_text).unwrap();
    let changes = wire::compare(&typed(&base).unwrap(), &typed(&head).unwrap(), &base.json, &head.json).0;
    assert!(changes.iter().any(|c| c.description.starts_with("operation removed") && c.breaking));
    assert!(changes.iter().any(|c| c.description.starts_with("operation added") && !c.breaking));
}

fn item(kind: ItemKind, signature: &str) -> SurfaceItem {
    SurfaceItem { kind, signature: signature.into() }
}

#[test]
fn rust_api_levels_follow_the_generated_code() {
    let mut base = ApiSurface::default();
    base.items.insert("types::Thing".into(), item(ItemKind::Struct { exhaustive: true }, "struct"));
    base.items.insert("types::Kind".into(), item(ItemKind::Enum { exhaustive: false }, "enum #[non_exhaustive]"));
    let attribution = Attribution::new(&spec(SCHEMAS), &spec(SCHEMAS), &Default::default());

    let mut head = base.clone();
    head.items.insert("types::Kind::C".into(), item(ItemKind::Variant { owner: "types::Kind".into() }, "variant"));
    let changes = compare_surfaces(&base, &head, &attribution);
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].level, SemverLevel::Minor, "{changes:?}");
    assert_eq!(changes[0].group, Group::Schema("Kind".into()));

    head.items
        .insert("types::Thing.extra".into(), item(ItemKind::Field { owner: "types::Thing".into() }, "Option<String>"));
    let changes = compare_surfaces(&base, &head, &attribution);
    let field = changes.iter().find(|c| c.item == "types::Thing.extra").unwrap();
    assert_eq!(field.level, SemverLevel::Major, "a struct literal breaks: {field:?}");

    let changes = compare_surfaces(&head, &base, &attribution);
    assert!(changes.iter().all(|c| c.level == SemverLevel::Major), "removals break: {changes:?}");
}

#[test]
fn next_version_follows_semver_with_the_0x_rule() {
    let mut report =
        Report { base: "a".into(), head: "b".into(), wire: vec![], rust: vec![], client_version: Some("0.1.3".into()) };
    assert_eq!(report.next_version(), None);
    let change = RustChange {
        group: Group::OtherRust,
        item: "x".into(),
        before: None,
        after: Some("fn()".into()),
        level: SemverLevel::Minor,
        reason: String::new(),
    };
    report.rust.push(change.clone());
    assert_eq!(report.next_version().as_deref(), Some("0.1.4"));
    report.rust.push(RustChange { level: SemverLevel::Major, ..change });
    assert_eq!(report.next_version().as_deref(), Some("0.2.0"));
    report.client_version = Some("1.2.3".into());
    assert_eq!(report.next_version().as_deref(), Some("2.0.0"));
}
