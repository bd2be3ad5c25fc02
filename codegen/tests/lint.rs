//! Every lint rule on a minimal spec: one that breaks it (the rule, the pointer and the line it
//! names) and a near miss that keeps it.

use std::collections::BTreeSet;
use std::path::Path;

use opentact_codegen::{Diagnostic, RULES, Rule, Severity};

/// A small spec that passes every rule: two operations sharing a path parameter.
const BASE: &str = r#"openapi: 3.0.3
info:
  title: Test
  version: '1'
servers:
  - url: https://api.example.com
    description: Production
  - url: https://stage.example.com
    description: Stage
paths:
  /thing/{uuid}:
    parameters:
      - name: uuid
        in: path
        required: true
        schema:
          $ref: '#/components/schemas/UUID'
    get:
      operationId: GetThing
      x-opentact-effect: read
      tags: [Thing]
      summary: Get a thing
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ThingResponse'
    delete:
      operationId: DeleteThing
      x-opentact-effect: destroy
      tags: [Thing]
      summary: Delete a thing
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ThingResponse'
components:
  schemas:
    UUID:
      type: string
      format: uuid
    Thing:
      type: object
      properties:
        name:
          type: string
    ThingResponse:
      type: object
      properties:
        success:
          type: boolean
        payload:
          $ref: '#/components/schemas/Thing'
"#;

/// `BASE` with `from` replaced by `to` (which must occur exactly once).
fn edit(from: &str, to: &str) -> String {
    assert_eq!(BASE.matches(from).count(), 1, "{from:?} occurs once in BASE");
    BASE.replacen(from, to, 1)
}

fn lint(text: &str) -> Vec<Diagnostic> {
    let spec = opentact_codegen::parse(Path::new("test.yaml"), text.to_string()).expect("the test spec loads");
    opentact_codegen::lint(&spec)
}

/// The 1-based line of the only line of `text` containing `marker`.
fn line_of(text: &str, marker: &str) -> usize {
    let lines: Vec<usize> = text.lines().enumerate().filter(|(_, l)| l.contains(marker)).map(|(i, _)| i + 1).collect();
    assert_eq!(lines.len(), 1, "{marker:?} is on exactly one line");
    lines[0]
}

/// `bad` breaks `rule` exactly at the given (pointer, line) places; `good` does not break it.
fn check(rule: Rule, bad: &str, expected: &[(&str, usize)], good: &str) {
    let found: Vec<(String, Option<usize>)> =
        lint(bad).into_iter().filter(|d| d.rule == rule).map(|d| (d.pointer, d.line)).collect();
    let expected: Vec<(String, Option<usize>)> =
        expected.iter().map(|(pointer, line)| (pointer.to_string(), Some(*line))).collect();
    assert_eq!(found, expected, "{rule} on the bad spec");
    let good_findings: Vec<Diagnostic> = lint(good).into_iter().filter(|d| d.rule == rule).collect();
    assert!(good_findings.is_empty(), "{rule} on the good spec: {good_findings:#?}");
}

const GET: &str = "#/paths/~1thing~1{uuid}/get";

#[test]
fn the_base_spec_is_clean() {
    assert_eq!(lint(BASE), Vec::new());
}

#[test]
fn every_rule_has_one_entry_with_a_unique_kebab_case_id() {
    let ids: BTreeSet<&str> = RULES.iter().map(|r| r.id).collect();
    assert_eq!(ids.len(), RULES.len(), "rule ids are unique");
    for (index, info) in RULES.iter().enumerate() {
        // Rule::info indexes RULES by the enum's discriminant.
        assert_eq!(info.rule as usize, index, "{} is out of order in RULES", info.id);
        assert_eq!(info.rule.info(), info);
        assert!(info.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{} is kebab-case", info.id);
        assert!(!info.description.is_empty());
    }
}

#[test]
fn operation_id() {
    let bad = edit("      operationId: GetThing\n", "");
    check(Rule::OperationId, &bad, &[(GET, line_of(&bad, "    get:"))], BASE);
}

#[test]
fn operation_id_unique() {
    let bad = edit("operationId: DeleteThing", "operationId: GetThing  # again");
    let pointer = "#/paths/~1thing~1{uuid}/delete/operationId";
    check(Rule::OperationIdUnique, &bad, &[(pointer, line_of(&bad, "GetThing  # again"))], BASE);
    let message = lint(&bad).into_iter().find(|d| d.rule == Rule::OperationIdUnique).unwrap().message;
    assert!(message.contains(&format!("first at {GET}")), "{message}");
}

#[test]
fn operation_tag() {
    let bad = edit("      tags: [Thing]\n      summary: Get a thing", "      tags: []\n      summary: Get a thing");
    check(Rule::OperationTag, &bad, &[(GET, line_of(&bad, "    get:"))], BASE);
}

#[test]
fn operation_summary() {
    let bad = edit("summary: Get a thing", "summary: '  '");
    check(Rule::OperationSummary, &bad, &[(GET, line_of(&bad, "    get:"))], BASE);
}

#[test]
fn operation_effect() {
    let missing = edit("      x-opentact-effect: read\n", "");
    check(Rule::OperationEffect, &missing, &[(GET, line_of(&missing, "    get:"))], BASE);
    // A value outside the four is named where it is; `spend` is one of them.
    let unknown = edit("x-opentact-effect: read", "x-opentact-effect: readonly");
    let pointer = format!("{GET}/x-opentact-effect");
    check(
        Rule::OperationEffect,
        &unknown,
        &[(&pointer, line_of(&unknown, "readonly"))],
        &edit("effect: read", "effect: spend"),
    );
}

#[test]
fn ref_resolves() {
    let pointer = "#/components/schemas/ThingResponse/properties/payload/$ref";
    let bad = edit("$ref: '#/components/schemas/Thing'\n", "$ref: '#/components/schemas/Thing2'\n");
    check(Rule::RefResolves, &bad, &[(pointer, line_of(&bad, "schemas/Thing2'"))], BASE);
    let remote = edit("$ref: '#/components/schemas/Thing'\n", "$ref: 'other.yaml#/Thing'\n");
    check(Rule::RefResolves, &remote, &[(pointer, line_of(&remote, "other.yaml"))], BASE);
}

const THING_PROPS: &str = "        name:\n          type: string\n";

#[test]
fn no_inline_enum() {
    let bad =
        edit(THING_PROPS, &format!("{THING_PROPS}        kind:\n          type: string\n          enum: [a, b]\n"));
    // A named enum component is fine.
    let good = edit(THING_PROPS, &format!("{THING_PROPS}    Kind:\n      type: string\n      enum: [a, b]\n")).replace(
        "        name:\n          type: string\n",
        "        name:\n          $ref: '#/components/schemas/Kind'\n",
    );
    check(Rule::NoInlineEnum, &bad, &[("#/components/schemas/Thing/properties/kind", line_of(&bad, "kind:"))], &good);
}

#[test]
fn no_inline_object() {
    let inline =
        "        inner:\n          type: object\n          properties:\n            x:\n              type: string\n";
    let bad = edit(THING_PROPS, &format!("{THING_PROPS}{inline}"));
    // A free-form object has no properties to name.
    let good = edit(THING_PROPS, &format!("{THING_PROPS}        inner:\n          type: object\n"));
    check(
        Rule::NoInlineObject,
        &bad,
        &[("#/components/schemas/Thing/properties/inner", line_of(&bad, "inner:"))],
        &good,
    );
}

#[test]
fn no_inline_object_allows_the_own_part_of_a_component_extending_another() {
    let member = |name: &str| {
        format!("        - type: object\n          properties:\n            {name}:\n              type: string\n")
    };
    let component = |members: &str| edit(THING_PROPS, &format!("{THING_PROPS}    Special:\n      allOf:\n{members}"));
    let base = "        - $ref: '#/components/schemas/Thing'\n";
    // One inline member beside the base is the component's own fields.
    let good = component(&format!("{base}{}", member("extra")));
    // A second inline member is an unnamed object again, and so is one that extends nothing.
    let second = component(&format!("{base}{}{}", member("extra"), member("more")));
    let unanchored = component(&member("extra"));
    let line = |spec: &str, field: &str| line_of(spec, &format!("            {field}:")) - 2;
    check(Rule::NoInlineObject, &second, &[("#/components/schemas/Special/allOf/2", line(&second, "more"))], &good);
    check(
        Rule::NoInlineObject,
        &unanchored,
        &[("#/components/schemas/Special/allOf/0", line(&unanchored, "extra"))],
        &good,
    );
}

#[test]
fn no_copied_properties() {
    let fields: String =
        ["a", "b", "c", "d", "e"].iter().map(|f| format!("        {f}:\n          type: string\n")).collect();
    let with = |extra: &str| edit(THING_PROPS, &format!("{fields}{extra}"));
    // Copy repeats all five of Thing's fields (one reworded); Small repeats too few to count.
    let bad = with(&format!(
        "    Copy:\n      type: object\n      properties:\n{}        own:\n          type: integer\n",
        fields.replacen("type: string\n", "type: string\n          description: reworded\n", 1)
    ));
    let good = with(
        "    Copy:\n      allOf:\n        - $ref: '#/components/schemas/Thing'\n        - type: object\n          properties:\n            own:\n              type: integer\n    Small:\n      type: object\n      properties:\n        a:\n          type: string\n        b:\n          type: string\n",
    );
    let line = line_of(&bad, "    Copy:") + 2;
    check(Rule::NoCopiedProperties, &bad, &[("#/components/schemas/Copy/properties", line)], &good);
    // A field whose schema differs is not a copy of it.
    let differs = with(&format!(
        "    Copy:\n      type: object\n      properties:\n{}",
        fields.replacen("type: string\n", "type: integer\n", 1)
    ));
    assert!(lint(&differs).iter().all(|d| d.rule != Rule::NoCopiedProperties));
}

const GET_SCHEMA: &str =
    "              schema:\n                $ref: '#/components/schemas/ThingResponse'\n    delete:";

#[test]
fn body_is_ref() {
    let bad = edit(GET_SCHEMA, "              schema:\n                type: string\n    delete:");
    let good = edit(
        GET_SCHEMA,
        "              schema:\n                type: array\n                items:\n                  $ref: '#/components/schemas/ThingResponse'\n    delete:",
    );
    let pointer = format!("{GET}/responses/200/content/application~1json/schema");
    // The line of `schema:`, just above the inline type.
    check(Rule::BodyIsRef, &bad, &[(&pointer, line_of(&bad, "                type: string") - 1)], &good);
}

#[test]
fn content_type() {
    let body = |media: &str| {
        edit(
            "      summary: Delete a thing\n",
            &format!(
                "      summary: Delete a thing\n      requestBody:\n        content:\n          {media}:\n            schema:\n              $ref: '#/components/schemas/Thing'\n"
            ),
        )
    };
    let pointer = "#/paths/~1thing~1{uuid}/delete/requestBody/content/application~1xml";
    // Uploads may be multipart; nothing else but JSON is generated.
    let bad = body("application/xml");
    check(Rule::ContentType, &bad, &[(pointer, line_of(&bad, "application/xml:"))], &body("multipart/form-data"));
}

#[test]
fn uuid_path_parameter() {
    let bad = edit("      type: string\n      format: uuid\n", "      type: string\n");
    let good = edit("      format: uuid\n", &format!("      pattern: '{}'\n", opentact_codegen::UUID_PATTERN));
    // Both operations share the parameter: one finding, at the shared list.
    let pointer = "#/paths/~1thing~1{uuid}/parameters/0/schema";
    check(Rule::UuidPathParameter, &bad, &[(pointer, line_of(&bad, "schemas/UUID'") - 1)], &good);
}

#[test]
fn path_parameter_declared() {
    let bad = edit("  /thing/{uuid}:", "  /thing/{uuid}/{part}:");
    let expected = [
        ("#/paths/~1thing~1{uuid}~1{part}/get", line_of(&bad, "    get:")),
        ("#/paths/~1thing~1{uuid}~1{part}/delete", line_of(&bad, "    delete:")),
    ];
    check(Rule::PathParameterDeclared, &bad, &expected, BASE);
}

#[test]
fn integer_enum_varnames() {
    let level = |extra: &str| {
        edit(
            THING_PROPS,
            &format!(
                "{THING_PROPS}        level:\n          $ref: '#/components/schemas/Level'\n    Level:\n      type: integer\n      enum: [1, 2]\n{extra}"
            ),
        )
    };
    let bad = level("      x-enum-varnames: [Low]\n");
    let good = level("      x-enum-varnames: [Low, High]\n");
    check(Rule::IntegerEnumVarnames, &bad, &[("#/components/schemas/Level", line_of(&bad, "    Level:"))], &good);
}

#[test]
fn pattern_supported() {
    let with = |pattern: &str| {
        edit(
            "        name:\n          type: string\n",
            &format!(
                "        name:\n          type: string\n          pattern: '{pattern}'\n        pattern:\n          type: string\n"
            ),
        )
    };
    // A lookahead: ECMA-262 has it, regex-lite does not. A property named `pattern` is no pattern.
    let bad = with("^(?=a)b$");
    let good = with("^[0-9a-f]{8}-[0-9a-f]{4}$");
    check(
        Rule::PatternSupported,
        &bad,
        &[("#/components/schemas/Thing/properties/name/pattern", line_of(&bad, "pattern: '"))],
        &good,
    );
}

#[test]
fn component_used_is_a_warning() {
    let bad = format!("{BASE}    Orphan:\n      type: string\n");
    check(Rule::ComponentUsed, &bad, &[("#/components/schemas/Orphan", line_of(&bad, "Orphan:"))], BASE);
    let findings = lint(&bad);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].severity, Severity::Warning);
    assert!(
        findings[0].to_string().starts_with(&format!("line {}: warning[component-used]", line_of(&bad, "Orphan:")))
    );
}

#[test]
fn errata_entry() {
    let erratum = |fields: &str| {
        edit(
            "    Thing:\n      type: object\n",
            &format!("    Thing:\n      type: object\n      x-opentact-errata:\n        - id: E1\n{fields}"),
        )
    };
    let bad = erratum("          docs: the docs\n          spec: the spec\n");
    let good = erratum("          docs: the docs\n          spec: the spec\n          evidence: a response\n");
    check(
        Rule::ErrataEntry,
        &bad,
        &[("#/components/schemas/Thing/x-opentact-errata/0", line_of(&bad, "- id: E1"))],
        &good,
    );
    let empty =
        edit("    Thing:\n      type: object\n", "    Thing:\n      type: object\n      x-opentact-errata: []\n");
    check(
        Rule::ErrataEntry,
        &empty,
        &[("#/components/schemas/Thing/x-opentact-errata", line_of(&empty, "x-opentact-errata"))],
        &good,
    );
}

#[test]
fn schema_type() {
    let bad = edit("        name:\n          type: string\n", "        name:\n          type: text\n");
    let pointer = "#/components/schemas/Thing/properties/name/type";
    check(Rule::SchemaType, &bad, &[(pointer, line_of(&bad, "type: text"))], BASE);
}

#[test]
fn format_needs_type() {
    let bad = edit("        name:\n          type: string\n", "        name:\n          format: date-time\n");
    let good = edit(
        "        name:\n          type: string\n",
        "        name:\n          type: string\n          format: date-time\n",
    );
    let pointer = "#/components/schemas/Thing/properties/name";
    check(Rule::FormatNeedsType, &bad, &[(pointer, line_of(&bad, "        name:"))], &good);
}

#[test]
fn parameter_location() {
    let param = |place: &str| {
        let param = format!(
            "      parameters:\n        - name: take\n          in: {place}\n          schema:\n            type: integer\n"
        );
        edit("      summary: Get a thing\n", &format!("      summary: Get a thing\n{param}"))
    };
    let bad = param("header");
    let pointer = format!("{GET}/parameters/0");
    check(Rule::ParameterLocation, &bad, &[(&pointer, line_of(&bad, "- name: take"))], &param("query"));
}

#[test]
fn query_parameter_schema() {
    let param = |schema: &str| {
        let param =
            format!("      parameters:\n        - name: take\n          in: query\n          schema:\n{schema}");
        edit("      summary: Get a thing\n", &format!("      summary: Get a thing\n{param}"))
    };
    let bad = param("            type: array # of what\n            items:\n              type: integer\n");
    let good = param("            type: integer\n            minimum: 1\n");
    let pointer = format!("{GET}/parameters/0/schema");
    check(Rule::QueryParameterSchema, &bad, &[(&pointer, line_of(&bad, "# of what") - 1)], &good);
}

#[test]
fn path_parameter_schema() {
    let bad = edit(
        "        schema:\n          $ref: '#/components/schemas/UUID'\n",
        "        schema:\n          type: string # not a named schema\n",
    );
    let pointer = "#/paths/~1thing~1{uuid}/parameters/0/schema";
    check(Rule::PathParameterSchema, &bad, &[(pointer, line_of(&bad, "# not a named schema") - 1)], BASE);
}

const DELETE_SUMMARY: &str = "      summary: Delete a thing\n";

#[test]
fn body_content() {
    let bad = edit(DELETE_SUMMARY, &format!("{DELETE_SUMMARY}      requestBody:\n        description: nothing\n"));
    let pointer = "#/paths/~1thing~1{uuid}/delete/requestBody";
    check(Rule::BodyContent, &bad, &[(pointer, line_of(&bad, "requestBody:"))], BASE);
}

#[test]
fn multipart_files_only() {
    let body = |format: &str| {
        edit(
            DELETE_SUMMARY,
            &format!(
                "{DELETE_SUMMARY}      requestBody:\n        content:\n          multipart/form-data:\n            schema:\n              $ref: '#/components/schemas/Upload'\n"
            ),
        )
        .replace("    UUID:\n", &format!("    Upload:\n      type: object\n      properties:\n        file:\n          type: string\n{format}    UUID:\n"))
    };
    let bad = body("");
    let good = body("          format: binary\n");
    let pointer = "#/components/schemas/Upload/properties/file";
    check(Rule::MultipartFilesOnly, &bad, &[(pointer, line_of(&bad, "        file:"))], &good);
}

#[test]
fn success_response() {
    let bad = BASE.replacen("        '200':\n", "        '201':\n          description: created\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Thing'\n        '200':\n", 1);
    let pointer = format!("{GET}/responses");
    check(Rule::SuccessResponse, &bad, &[(&pointer, line_of(&bad, "        '201':") - 1)], BASE);

    // A 204 beside a 200 with a body is refused; every success without a body is kept.
    const DELETE_RESPONSES: &str = "      summary: Delete a thing\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/ThingResponse'\n";
    let bad = edit(DELETE_RESPONSES, &format!("{DELETE_RESPONSES}        '204':\n          description: gone\n"));
    let pointer = "#/paths/~1thing~1{uuid}/delete/responses";
    let expected = [(pointer, line_of(&bad, "summary: Delete a thing") + 1)];
    check(Rule::SuccessResponse, &bad, &expected, BASE);
    let message = lint(&bad).into_iter().find(|d| d.rule == Rule::SuccessResponse).map(|d| d.message);
    assert!(message.is_some_and(|m| m.contains("some 2xx responses have a body and others none")));
    let empty = "      summary: Delete a thing\n      responses:\n        '204':\n          description: gone\n";
    let good = edit(DELETE_RESPONSES, empty);
    check(Rule::SuccessResponse, &bad, &expected, &good);
}

#[test]
fn success_envelope() {
    const PAYLOAD: &str = "        payload:\n          $ref: '#/components/schemas/Thing'\n";
    let payload = |schema: &str| edit(PAYLOAD, &format!("        payload:\n{schema}"));
    // A payload of a shape the generator cannot return, named with the payload's line.
    let bad = payload("          type: integer\n");
    let pointer = "#/components/schemas/ThingResponse/properties/payload";
    check(Rule::SuccessEnvelope, &bad, &[(pointer, line_of(&bad, "        payload:"))], BASE);
    let message = lint(&bad).into_iter().find(|d| d.rule == Rule::SuccessEnvelope).map(|d| d.message);
    assert!(message.is_some_and(|m| m.contains("ThingResponse: the payload must be")));
    // A free-form object with properties, a string with a format: still refused.
    for refused in [
        "          type: object\n          additionalProperties: true\n          properties:\n            a:\n              type: string\n",
        "          type: string\n          format: date-time\n",
        "          type: array\n          items:\n            type: string\n",
    ] {
        let bad = payload(refused);
        check(Rule::SuccessEnvelope, &bad, &[(pointer, line_of(&bad, "        payload:"))], BASE);
    }
    // Without `success` it is no envelope.
    let bad = edit("        success:\n          type: boolean\n", "        ok:\n          type: boolean\n");
    let envelope = "#/components/schemas/ThingResponse";
    check(Rule::SuccessEnvelope, &bad, &[(envelope, line_of(&bad, "    ThingResponse:"))], BASE);

    // What is kept: a plain string with a field beside it, free-form objects, a map of a named
    // schema, and no payload at all.
    let kept = [
        payload("          type: string\n        url:\n          type: string\n"),
        payload("          type: object\n          additionalProperties: true\n"),
        payload("          type: object\n          additionalProperties: {}\n"),
        payload(
            "          type: object\n          additionalProperties:\n            $ref: '#/components/schemas/Thing'\n",
        ),
        edit(PAYLOAD, "")
            .replace("    Thing:\n      type: object\n      properties:\n        name:\n          type: string\n", ""),
    ];
    for good in &kept {
        let errors: Vec<Diagnostic> = lint(good).into_iter().filter(|d| d.severity == Severity::Error).collect();
        assert_eq!(errors, Vec::new(), "{good}");
    }
}

#[test]
fn security_requirement() {
    let schemes = "components:\n  securitySchemes:\n    Login:\n      type: http\n      scheme: basic\n    Key:\n      type: apiKey\n      in: query\n      name: key\n";
    let secured = |security: &str| {
        edit("      summary: Get a thing\n", &format!("      summary: Get a thing\n      security:\n{security}"))
            .replacen("components:\n", schemes, 1)
    };
    // A scheme the client cannot send, named at the scheme; two alternatives, at the operation.
    let bad = secured("        - Key: []\n");
    let pointer = "#/components/securitySchemes/Key";
    check(Rule::SecurityRequirement, &bad, &[(pointer, line_of(&bad, "    Key:"))], &secured("        - Login: []\n"));
    let bad = secured("        - Login: []\n        - Key: []\n");
    let pointer = format!("{GET}/security");
    check(Rule::SecurityRequirement, &bad, &[(&pointer, line_of(&bad, "      security:"))], &secured("        []\n"));
    let message = lint(&bad).into_iter().find(|d| d.rule == Rule::SecurityRequirement).map(|d| d.message);
    assert!(message.is_some_and(|m| m.contains("one requirement of one scheme")));
}

/// BASE with a paged search (the coverage draft's shape: the page's fields partly from allOf).
fn paged(marking: &str) -> String {
    let search = format!(
        "  /thing/search:\n    get:\n      operationId: SearchThings\n      tags: [Thing]\n      summary: Search things\n      x-opentact-effect: read\n      x-opentact-paged:\n{marking}      parameters:\n        - name: take\n          in: query\n          schema:\n            type: integer\n            minimum: 1\n        - name: skip\n          in: query\n          schema:\n            type: integer\n            minimum: 0\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/ThingsPageResponse'\n"
    );
    let schemas = "    SearchPage:\n      type: object\n      properties:\n        total:\n          type: integer\n    ThingsPage:\n      allOf:\n        - $ref: '#/components/schemas/SearchPage'\n        - $ref: '#/components/schemas/ThingItems'\n    ThingItems:\n      type: object\n      properties:\n        data:\n          type: array\n          items:\n            $ref: '#/components/schemas/Thing'\n    ThingsPageResponse:\n      type: object\n      properties:\n        success:\n          type: boolean\n        payload:\n          $ref: '#/components/schemas/ThingsPage'\n";
    BASE.replacen("components:\n", &format!("{search}components:\n"), 1).replacen(
        "  schemas:\n",
        &format!("  schemas:\n{schemas}"),
        1,
    )
}

const MARKING: &str = "        cursor: [take, skip]\n        in: query\n        items: data\n        total: total\n";

#[test]
fn paged_marking() {
    let good = paged(MARKING);
    let errors: Vec<Diagnostic> = lint(&good).into_iter().filter(|d| d.severity == Severity::Error).collect();
    assert_eq!(errors, Vec::new());
    let marking = "#/paths/~1thing~1search/get/x-opentact-paged";
    // A shape the walk does not know, at the marking.
    for shape in [
        MARKING.replace("[take, skip]", "[skip, take]"),
        MARKING.replace("in: query", "in: body"),
        format!("{MARKING}        size: 10\n"),
    ] {
        let bad = paged(&shape);
        check(Rule::PagedMarking, &bad, &[(marking, line_of(&bad, "x-opentact-paged:"))], &good);
    }
    // A cursor field the operation does not take.
    let bad = paged(&MARKING.replace("[take, skip]", "[page, size]"));
    let cursor = format!("{marking}/cursor");
    let line = line_of(&bad, "cursor: [page, size]");
    check(Rule::PagedMarking, &bad, &[(&cursor, line), (&cursor, line)], &good);
    // Fields the page does not have (or not of their kind), at the marking's field.
    let bad = paged(&MARKING.replace("items: data", "items: rows"));
    let items = format!("{marking}/items");
    check(Rule::PagedMarking, &bad, &[(&items, line_of(&bad, "items: rows"))], &good);
    let bad =
        paged(MARKING).replace("        total:\n          type: integer\n", "        total:\n          type: string\n");
    let total = format!("{marking}/total");
    check(Rule::PagedMarking, &bad, &[(&total, line_of(&bad, "total: total"))], &good);
    let message = lint(&bad).into_iter().find(|d| d.rule == Rule::PagedMarking).map(|d| d.message);
    assert!(message.is_some_and(|m| m.contains("the page ThingsPage has no integer field total")));
}

#[test]
fn enum_value_type() {
    let kinds = |values: &str| {
        edit(
            THING_PROPS,
            &format!(
                "{THING_PROPS}    Level:\n      type: integer\n      enum: [{values}]\n      x-enum-varnames: [Low, High]\n"
            ),
        )
    };
    let bad = kinds("1, 'two'");
    check(
        Rule::EnumValueType,
        &bad,
        &[("#/components/schemas/Level/enum/1", line_of(&bad, "enum: [1"))],
        &kinds("1, 2"),
    );
}

#[test]
fn servers() {
    let bad = edit("    description: Stage\n", "    description: production again\n");
    let expected = [("#/servers", line_of(&bad, "servers:")), ("#/servers/1", line_of(&bad, "https://stage"))];
    check(Rule::Servers, &bad, &expected, BASE);
}
