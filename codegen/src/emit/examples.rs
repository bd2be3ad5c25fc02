//! A short rustdoc example for every operation, written from the spec's own examples: the
//! request built with the body's builder (from the request example or, where the spec has
//! none, from the fields of the response example the body accepts), the call, and what the
//! response example says comes back. Each compiles as a `no_run` doctest.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use heck::ToSnakeCase;
use serde_json::Value;

use crate::plan::{EnumDef, Operation, ParamKind, Payload, Plan, QueryType, ref_name, type_name};
use crate::spec::{Spec, SpecError};

/// A UUID for path parameters when the example answer has none of its own.
const PLACEHOLDER_UUID: &str = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

/// The example section (Markdown, with a fenced doctest) of each operation, by `operationId`.
pub(crate) fn collect(spec: &Spec, plan: &Plan) -> Result<BTreeMap<String, String>, SpecError> {
    let mut out = BTreeMap::new();
    for op in &plan.operations {
        let (text, pages) = example(spec, plan, op)
            .map_err(|message| SpecError::at(spec, &operation_pointer(op), format!("{}: example: {message}", op.id)))?;
        out.insert(op.id.clone(), text);
        if let Some(pages) = pages {
            out.insert(pages_key(&op.id), pages);
        }
    }
    Ok(out)
}

/// The key of the example of a paged search's `<operation>_pages` in [`collect`]'s map.
pub(crate) fn pages_key(operation_id: &str) -> String {
    format!("{operation_id}/pages")
}

fn operation_pointer(op: &Operation) -> String {
    format!("#/paths/{}/{}", crate::spec::escape_token(&op.path), op.method.to_lowercase())
}

/// The example of the operation's method, and of its `<operation>_pages` if it is a paged search.
fn example(spec: &Spec, plan: &Plan, op: &Operation) -> Result<(String, Option<String>), String> {
    let operation = spec.json.pointer(&operation_pointer(op)[1..]).ok_or("the operation is missing")?;
    let answer = response_example(spec, operation);
    let payload = answer.as_ref().and_then(|a| a.get("payload"));
    let envelope = match op.envelope() {
        Some(name) => Some(plan.envelopes.iter().find(|e| e.schema == name).ok_or("no envelope")?),
        None => None,
    };
    // The payload alone is returned (not the whole envelope, not nothing).
    let kind = envelope.filter(|e| e.beside.is_empty()).map(|e| &e.payload);

    let mut args = Vec::new();
    for param in &op.path_params {
        match &param.kind {
            ParamKind::Uuid => {
                let uuid = payload.and_then(|p| p.get("uuid")).and_then(Value::as_str).unwrap_or(PLACEHOLDER_UUID);
                let uuid = if matches!(kind, Some(Payload::One(_))) { uuid } else { PLACEHOLDER_UUID };
                args.push(format!("{uuid:?}.parse()?"));
            }
            ParamKind::Enum(name) => {
                let e = plan.enums.iter().find(|e| &e.rust_name == name).ok_or("an unknown enum")?;
                let first = e.variants.first().ok_or("an enum without values")?;
                args.push(format!("types::{name}::{}", first.ident));
            }
            ParamKind::Named(_) => {
                let value = payload.and_then(|p| p.get(&param.name)).and_then(Value::as_str).unwrap_or("example");
                args.push(format!("{value:?}"));
            }
        }
    }
    for q in op.query_params.iter().filter(|q| q.required) {
        args.push(match &q.rust_type {
            QueryType::String => "\"example\"".to_string(),
            QueryType::Integer | QueryType::Integer32 => "1".to_string(),
            QueryType::Number => "1.0".to_string(),
            QueryType::Boolean => "true".to_string(),
            QueryType::Enum(name) => {
                let e = plan.enums.iter().find(|e| &e.rust_name == name).ok_or("an unknown enum")?;
                let first = e.variants.first().ok_or("an enum without values")?;
                format!("types::{name}::{}", first.ident)
            }
        });
    }
    if op.query_params.iter().any(|q| !q.required) {
        args.push(format!("types::{}Query::new()", heck::ToUpperCamelCase::to_upper_camel_case(op.id.as_str())));
    }
    if let Some(body) = &op.body {
        match &body.multipart {
            Some(files) => {
                for file in files {
                    args.push(format!(
                        "opentact_client::Upload::xml(std::fs::read({:?})?)",
                        format!("{}.xml", file.name)
                    ));
                }
            }
            None => {
                let schema = spec
                    .resolve(&crate::spec::vocabulary::schema_pointer(&body.schema))
                    .ok_or_else(|| format!("no schema {}", body.schema))?;
                let request = request_example(spec, operation).or_else(|| {
                    // No request example: two fields of the answer that the body accepts.
                    let props = schema.get("properties")?.as_object()?;
                    let fields: serde_json::Map<String, Value> = payload?
                        .as_object()?
                        .iter()
                        .filter(|(k, v)| props.contains_key(*k) && !v.is_object() && !v.is_array())
                        .take(2)
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect();
                    Some(Value::Object(fields))
                });
                let request = request.unwrap_or(Value::Object(Default::default()));
                args.push(builder(spec, plan, &body.schema, schema, &request, 3)?);
            }
        }
    }

    let pages = op.paged.as_ref().map(|paged| pages_example(op, &paged.item_type, &args));
    let binding = match (envelope, kind) {
        (_, Some(Payload::One(t))) => Some(t.to_snake_case()),
        (_, Some(Payload::Many(t))) => Some(format!("{}s", t.to_snake_case())),
        (_, Some(Payload::Text)) => Some("text".to_string()),
        (_, Some(Payload::FreeForm)) => Some("fields".to_string()),
        (_, Some(Payload::Map(t))) => Some(format!("{}_by_name", t.to_snake_case())),
        (_, Some(Payload::Absent)) | (None, None) => None,
        (Some(e), None) => Some(type_name(&e.schema).to_snake_case()),
    };
    let mut code = String::new();
    code.push_str("# async fn example(client: &opentact_client::Client) -> Result<(), Box<dyn std::error::Error>> {\n");
    if op.body.as_ref().is_some_and(|b| b.multipart.is_none()) || args.iter().any(|a| a.contains("types::")) {
        code.push_str("use opentact_client::types;\n\n");
    }
    let call = if args.is_empty() {
        format!("client.{}().await?", op.rust_name)
    } else if args.len() == 1 && !args[0].contains('\n') {
        format!("client.{}({}).await?", op.rust_name, args[0])
    } else {
        let args: Vec<String> = args.iter().map(|a| format!("        {},\n", a.replace('\n', "\n        "))).collect();
        format!("client\n    .{}(\n{}    )\n    .await?", op.rust_name, args.concat())
    };
    let Some(binding) = binding else {
        let _ = writeln!(code, "{call};");
        code.push_str("# Ok(())\n# }\n");
        return Ok((format!("# Example\n\n```no_run\n{code}```"), pages));
    };
    let _ = writeln!(code, "let {binding} = {call};");
    let shown = |item: &Value| summary(item, 3);
    match (kind, payload) {
        (Some(Payload::One(_)), Some(item)) if !shown(item).is_empty() => {
            let _ = writeln!(code, "// The spec's example answer has {}", shown(item));
        }
        (Some(Payload::Many(_)), Some(Value::Array(items))) if items.first().is_some_and(|i| !shown(i).is_empty()) => {
            let _ = writeln!(code, "// The spec's example answer has [{{ {} }}, ..]", shown(&items[0]));
        }
        _ => {}
    }
    let field = kind.and_then(|kind| field_to_print(payload, kind));
    match (kind, field) {
        (Some(Payload::One(_)), Some(field)) => {
            let _ = writeln!(code, "println!(\"{{:?}}\", {binding}.{field});");
        }
        (Some(Payload::Many(item_type)), Some(field)) => {
            let item = item_type.to_snake_case();
            let _ = writeln!(code, "for {item} in &{binding} {{\n    println!(\"{{:?}}\", {item}.{field});\n}}");
        }
        _ => {
            let _ = writeln!(code, "println!(\"{{{binding}:?}}\");");
        }
    }
    code.push_str("# Ok(())\n# }\n");
    Ok((format!("# Example\n\n```no_run\n{code}```"), pages))
}

/// Walking every item of a paged search with the same arguments as its one-page call.
fn pages_example(op: &Operation, item_type: &str, args: &[String]) -> String {
    let method = format!("{}_pages", op.rust_name);
    let item = item_type.to_snake_case();
    let mut code = String::new();
    code.push_str("# async fn example(client: &opentact_client::Client) -> Result<(), Box<dyn std::error::Error>> {\n");
    if args.iter().any(|a| a.contains("types::")) {
        code.push_str("use opentact_client::types;\n\n");
    }
    code.push_str("// Each page is fetched when the loop reaches it.\n");
    let call = if args.len() == 1 && !args[0].contains('\n') {
        format!("client.{method}({})", args[0])
    } else {
        let args: Vec<String> = args.iter().map(|a| format!("    {},\n", a.replace('\n', "\n    "))).collect();
        format!("client.{method}(\n{})", args.concat())
    };
    let _ = writeln!(code, "let mut {item}s = {call};");
    let _ = writeln!(code, "while let Some({item}) = {item}s.next().await {{\n    println!(\"{{:?}}\", {item}?);\n}}");
    code.push_str("# Ok(())\n# }\n");
    format!("# Example\n\n```no_run\n{code}```")
}

/// The first example of the first 2xx JSON response.
fn response_example(spec: &Spec, operation: &Value) -> Option<Value> {
    let responses = operation.get("responses")?.as_object()?;
    let (_, response) = responses.iter().find(|(code, _)| code.starts_with('2'))?;
    let media = spec.deref(response).pointer("/content/application~1json")?;
    first_example(spec, media)
}

fn request_example(spec: &Spec, operation: &Value) -> Option<Value> {
    let body = spec.deref(operation.get("requestBody")?);
    first_example(spec, body.pointer("/content/application~1json")?)
}

fn first_example(spec: &Spec, media: &Value) -> Option<Value> {
    if let Some(example) = media.get("example") {
        return Some(example.clone());
    }
    let (_, example) = media.get("examples")?.as_object()?.iter().next()?;
    spec.deref(example).get("value").cloned()
}

/// `types::X::builder()` and one setter per field of `value`, each on its own line.
fn builder(
    spec: &Spec,
    plan: &Plan,
    name: &str,
    schema: &Value,
    value: &Value,
    depth: usize,
) -> Result<String, String> {
    let mut out = format!("types::{}::builder()", type_name(name));
    let props = schema.get("properties").and_then(Value::as_object);
    for (key, field) in value.as_object().into_iter().flatten() {
        if field.is_null() {
            // Only a field that can be sent as `null` has `clear_<field>()`; the spec's lint
            // checks examples against their schemas, so any other null is not in a request.
            let nullable = plan.nullable_fields.get(&type_name(name)).is_some_and(|f| f.contains(key));
            if !nullable {
                return Err(format!("{name}.{key} is null in the example but cannot be sent as null"));
            }
            let _ = write!(out, "\n    .clear_{}()", setter(key).trim_start_matches("r#"));
            continue;
        }
        let prop = props.and_then(|p| p.get(key)).ok_or_else(|| format!("{name} has no property {key}"))?;
        let expr = expression(spec, plan, prop, field, depth)?;
        let _ = write!(out, "\n    .{}({})", setter(key), expr.replace('\n', "\n    "));
    }
    Ok(out)
}

/// The value schema of a map (an object with no properties and a schema for the others).
fn map_values(schema: &Value) -> Option<&Value> {
    let has_properties = schema.get("properties").and_then(Value::as_object).is_some_and(|p| !p.is_empty());
    schema.get("additionalProperties").filter(|v| v.is_object() && !has_properties)
}

/// A Rust expression for `value`, a value of the property schema `prop`.
fn expression(spec: &Spec, plan: &Plan, prop: &Value, value: &Value, depth: usize) -> Result<String, String> {
    let prop = match prop.get("allOf").and_then(Value::as_array) {
        Some(members) if members.len() == 1 => &members[0],
        _ => prop,
    };
    if let Some(target) = ref_name(prop) {
        if let Some(e) = plan.enums.iter().find(|e| e.schema == target) {
            return enum_variant(e, value);
        }
        let schema = spec.resolve(&crate::spec::vocabulary::schema_pointer(target)).ok_or("dangling $ref")?;
        if let (Some(values), Some(entries)) = (map_values(schema), value.as_object()) {
            // typify's newtype around a `HashMap`, built from the example's entries.
            let entries: Result<Vec<String>, String> = entries
                .iter()
                .map(|(k, v)| Ok(format!("({k:?}.to_string(), {})", expression(spec, plan, values, v, depth)?)))
                .collect();
            return Ok(format!(
                "types::{}(std::collections::HashMap::from([{}]))",
                type_name(target),
                entries?.join(", ")
            ));
        }
        if schema.get("type").and_then(Value::as_str) == Some("object") && value.is_object() {
            if depth == 0 {
                return Err(format!("{target}: example nested too deep"));
            }
            return builder(spec, plan, target, schema, value, depth - 1);
        }
        return expression(spec, plan, schema, value, depth);
    }
    Ok(match value {
        // typify types these as chrono's, which do not convert from `&str`: parse them.
        Value::String(s) if prop.get("format").and_then(Value::as_str) == Some("date-time") => {
            format!("{s:?}.parse::<opentact_client::chrono::DateTime<opentact_client::chrono::Utc>>()?")
        }
        Value::String(s) if prop.get("format").and_then(Value::as_str) == Some("date") => {
            format!("{s:?}.parse::<opentact_client::chrono::NaiveDate>()?")
        }
        Value::String(s) => format!("{s:?}"),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => {
            let item_schema = prop.get("items").unwrap_or(&Value::Null);
            let items: Result<Vec<String>, String> =
                items.iter().map(|item| expression(spec, plan, item_schema, item, depth)).collect();
            format!("vec![{}]", items?.join(", "))
        }
        Value::Null => return Err("null in a request example".into()),
        Value::Object(_) => return Err("an inline object in a request example".into()),
    })
}

fn enum_variant(e: &EnumDef, value: &Value) -> Result<String, String> {
    let variant =
        e.variants.iter().find(|v| &v.value == value).ok_or_else(|| format!("{value} is not a {}", e.schema))?;
    Ok(format!("types::{}::{}", e.rust_name, variant.ident))
}

/// The builder method typify names for a property.
fn setter(key: &str) -> String {
    let name = key.to_snake_case();
    if is_keyword(&name) { format!("{name}_") } else { name }
}

fn is_keyword(name: &str) -> bool {
    matches!(
        name,
        "as" | "break"
            | "const"
            | "continue"
            | "crate"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "async"
            | "await"
            | "dyn"
            | "abstract"
            | "become"
            | "box"
            | "do"
            | "final"
            | "macro"
            | "override"
            | "priv"
            | "typeof"
            | "unsized"
            | "virtual"
            | "yield"
            | "try"
            | "gen"
    )
}

/// Up to `n` scalar fields of an example object, as `uuid 5c2f.., name "Outbound US"`.
fn summary(item: &Value, n: usize) -> String {
    let Some(fields) = item.as_object() else { return String::new() };
    let mut shown: Vec<(&String, &Value)> = fields.iter().filter(|(_, v)| !v.is_object() && !v.is_array()).collect();
    // The identifier first, timestamps last, otherwise the example's order.
    shown.sort_by_key(|(k, _)| match k.as_str() {
        "uuid" => 0,
        k if k.ends_with("_on") || k.ends_with("_at") => 2,
        _ => 1,
    });
    shown.truncate(n);
    shown.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ")
}

/// A field of the payload to print: `uuid` when the example has one, else its first scalar
/// field whose Rust name is the JSON name.
fn field_to_print(payload: Option<&Value>, kind: &Payload) -> Option<String> {
    let item = match (kind, payload?) {
        (Payload::Many(_), Value::Array(items)) => items.first()?,
        (_, item) => item,
    };
    let fields = item.as_object()?;
    if fields.contains_key("uuid") {
        return Some("uuid".into());
    }
    fields.iter().find(|(k, v)| !v.is_object() && k.to_snake_case() == **k && !is_keyword(k)).map(|(k, _)| k.clone())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::plan::Plan;
    use crate::spec::parse;

    const SPEC: &str = include_str!("../testdata/small.yaml");
    const BODY: &str = "              $ref: '#/components/schemas/ThingParams'\n";
    const ANSWER: &str = "                $ref: '#/components/schemas/ThingResponse'\n";

    /// The rendered examples of the spec `text`, by operationId.
    fn examples(text: &str) -> Result<std::collections::BTreeMap<String, String>, String> {
        let spec = parse(Path::new("test.yaml"), text.to_string()).map_err(|e| e.to_string())?;
        let spec = crate::spec::flatten::merge_extensions(&spec); // as `generate` reads it
        let plan = Plan::new(&spec).map_err(|e| e.to_string())?;
        super::collect(&spec, &plan).map_err(|e| e.to_string())
    }

    /// The small spec with a request example (nested object, allOf, list, number) and a
    /// response example on CreateThing.
    fn with_examples(request: &str) -> String {
        let body = format!("{BODY}            example: {request}\n");
        let answer = format!("{ANSWER}              example: {{success: true, payload: {{name: Lamp, level: 2}}}}\n");
        SPEC.replacen(BODY, &body, 1).replacen(ANSWER, &answer, 1)
    }

    #[test]
    fn the_request_example_becomes_builder_calls_and_the_answer_a_comment() {
        let text = with_examples("{name: Lamp, tags: ['#home'], price: 9.5, limits: {count: 2}, parent: {name: Base}}");
        let examples = examples(&text).unwrap();
        let example = &examples["CreateThing"];
        for line in [
            "```no_run",
            "types::ThingParams::builder()",
            ".name(\"Lamp\")",
            ".tags(vec![\"#home\"])",
            ".price(9.5)",
            ".limits(types::Limits::builder()",
            ".count(2)",
            ".parent(types::ThingParams::builder()",
            ".name(\"Base\")",
            "// The spec's example answer has name \"Lamp\", level 2",
            "println!(\"{:?}\", thing.name);",
        ] {
            assert!(example.contains(line), "missing {line:?} in\n{example}");
        }
        // An operation without examples still shows the call.
        assert!(examples["ListThings"].contains("let things = client.list_things().await?;"));
    }

    #[test]
    fn an_example_the_types_cannot_hold_names_the_operation() {
        let text = with_examples("{name: Lamp, colour: red}");
        let error = examples(&text).err().unwrap();
        assert!(error.contains("CreateThing: example: ThingParams has no property colour"), "{error}");
        assert!(error.contains("/paths/~1thing/post"), "{error}");
    }
}
