//! Facts against the spec (every difference, explained by an erratum or not), and facts
//! against facts (what changed in the docs).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

use super::examples::ExampleValidators;
use super::{Facts, FieldFacts, OperationFacts};
use opentact_codegen::{Spec, escape_token};

/// How a fact id names a body table row whose name cell is empty.
pub const UNNAMED: &str = "(unnamed)";

/// One place where the docs and the spec say different things.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Difference {
    /// The fact, `CreateTNOrder.body.voice.type`: what errata `covers` name.
    pub fact: String,
    pub page: String,
    pub operation: String,
    pub docs: String,
    pub spec: String,
    /// The ids of the errata whose `covers` name this difference; empty when unexplained.
    pub errata: Vec<String>,
}

/// An `x-opentact-errata` entry and the facts it says it covers.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Erratum {
    pub id: String,
    /// JSON pointer of the node the entry is on.
    pub pointer: String,
    pub covers: Vec<String>,
}

/// A fact that changed between the committed facts and the pages read now.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    pub page: String,
    /// `CreateTNOrder.body.voice.type`, or `CreateTNOrder` for a whole operation.
    pub fact: String,
    pub before: String,
    pub after: String,
}

/// A stale `covers` item: an erratum that names a difference that no longer exists.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Stale {
    pub erratum: String,
    pub pointer: String,
    pub covers: String,
}

/// A page whose files broke off before their end (read with `--partial`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PartialPage {
    /// The operations its facts cover.
    pub read: Vec<String>,
    /// The spec's operations of the page that its facts do not show: not checked.
    pub not_checked: Vec<String>,
}

/// Everything `cargo xtask docs-check` prints.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    /// Facts per page title.
    pub facts: BTreeMap<String, usize>,
    /// Files read per page title (`order.txt 2026-11-23`).
    pub sources: BTreeMap<String, Vec<String>>,
    /// The partial pages by title: the operations read, and those left unchecked.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub partial: BTreeMap<String, PartialPage>,
    pub changes: Vec<Change>,
    pub differences: Vec<Difference>,
    pub stale: Vec<Stale>,
    /// `covers` items about operations no page with facts documents (a page nobody saved yet):
    /// neither explained nor stale, only listed, until that page's facts are accepted.
    pub unchecked: Vec<Stale>,
    /// Ids of errata without `covers`: departures in prose (a pasted description) or ones the
    /// spec resolves without a difference the check can see; they are not checked.
    pub without_covers: Vec<String>,
}

impl Report {
    pub fn facts_read(&self) -> usize {
        self.facts.values().sum()
    }

    pub fn unexplained(&self) -> usize {
        self.differences.iter().filter(|d| d.errata.is_empty()).count()
    }

    pub fn explained(&self) -> usize {
        self.differences.len() - self.unexplained()
    }

    /// Clean: no unexplained difference and no stale erratum (changes in the docs alone are
    /// news, not failures).
    pub fn is_clean(&self) -> bool {
        self.unexplained() == 0 && self.stale.is_empty()
    }
}

/// Every `x-opentact-errata` entry of the spec, with its `covers` list (empty when absent).
pub fn errata(spec: &Spec) -> Vec<Erratum> {
    fn walk(value: &Value, pointer: String, out: &mut Vec<Erratum>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    if k == "x-opentact-errata" {
                        for entry in v.as_array().into_iter().flatten() {
                            out.push(Erratum {
                                id: entry.get("id").and_then(Value::as_str).unwrap_or_default().to_string(),
                                pointer: pointer.clone(),
                                covers: entry
                                    .get("covers")
                                    .and_then(Value::as_array)
                                    .into_iter()
                                    .flatten()
                                    .filter_map(Value::as_str)
                                    .map(str::to_string)
                                    .collect(),
                            });
                        }
                    } else {
                        walk(v, format!("{pointer}/{}", escape_token(k)), out);
                    }
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    walk(v, format!("{pointer}/{i}"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(&spec.json, "#".into(), &mut out);
    out
}

/// Whether a `covers` item names `fact`: the fact itself, a prefix of it at a `.`, or a
/// pattern with `*` (any run of characters).
pub(crate) fn covers(pattern: &str, fact: &str) -> bool {
    if !pattern.contains('*') {
        return fact == pattern || fact.strip_prefix(pattern).is_some_and(|rest| rest.starts_with('.'));
    }
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !fact.starts_with(first) || fact.len() < first.len() + last.len() || !fact.ends_with(last) {
        return false;
    }
    let mut rest = &fact[first.len()..fact.len() - last.len()];
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle) {
            Some(at) => rest = &rest[at + middle.len()..],
            None => return false,
        }
    }
    true
}

/// The facts against the spec: every difference, the errata that explain it, stale errata.
pub fn compare(facts: &Facts, spec: &Spec) -> Report {
    // Fields shared through `allOf` are compared where a reader of the schema finds them.
    let spec = &opentact_codegen::spec::flatten::without_all_of(spec);
    let facts = &with_spec_names(facts, spec);
    let mut report = Report::default();
    let mut found = Vec::new();
    let ops = spec_operations(spec);
    let validators = ExampleValidators::new(&spec.json);
    for (title, page) in &facts.pages {
        report.facts.insert(title.clone(), page.count());
        let source = |s: &super::Source| match &s.truncated {
            None => format!("{} {}", s.file, s.date),
            Some(t) => format!("{} {}, breaks off at line {} in {}", s.file, s.date, t.line, t.operation),
        };
        report.sources.insert(title.clone(), page.sources.iter().map(source).collect());
        // A partial page says nothing about the operations it does not reach.
        let on_page = |spec_op: &SpecOperation| spec_op.page.as_deref() == Some(title.as_str()) && !page.is_partial();
        let mut diff = |operation: &str, fact: String, docs: String, spec: String| {
            found.push(Difference {
                fact,
                page: title.clone(),
                operation: operation.to_string(),
                docs,
                spec,
                errata: Vec::new(),
            });
        };
        for (name, op) in &page.operations {
            match ops.get(name.as_str()) {
                Some(spec_op) => operation(spec, &validators, name, op, spec_op, &mut |f, d, s| diff(name, f, d, s)),
                None => diff(name, name.clone(), format!("{} {}", op.method, op.url), "no such operation".into()),
            }
        }
        // Operations of the spec on this page that the page does not document.
        for (name, spec_op) in &ops {
            if on_page(spec_op) && !page.operations.contains_key(*name) {
                diff(
                    name,
                    name.to_string(),
                    "no such operation".into(),
                    format!("{} {}", spec_op.method.to_uppercase(), spec_op.path),
                );
            }
        }
        if page.is_partial() {
            let not_checked = ops
                .iter()
                .filter(|(n, o)| o.page.as_deref() == Some(title.as_str()) && !page.operations.contains_key(**n))
                .map(|(n, _)| n.to_string())
                .collect();
            report
                .partial
                .insert(title.clone(), PartialPage { read: page.operations.keys().cloned().collect(), not_checked });
        }
    }
    let errata = errata(spec);
    for d in &mut found {
        let ids: BTreeSet<String> =
            errata.iter().filter(|e| e.covers.iter().any(|c| covers(c, &d.fact))).map(|e| e.id.clone()).collect();
        d.errata = ids.into_iter().collect();
    }
    // The operations the facts speak for: those the pages show, and the spec's operations on
    // those pages (a whole page that lacks one documents its absence; a partial one does not).
    let mut documented: BTreeSet<&str> =
        facts.pages.values().flat_map(|p| p.operations.keys()).map(String::as_str).collect();
    documented.extend(
        ops.iter()
            .filter(|(_, o)| o.page.as_ref().and_then(|p| facts.pages.get(p)).is_some_and(|p| !p.is_partial()))
            .map(|(n, _)| *n),
    );
    for e in &errata {
        for c in &e.covers {
            if !found.iter().any(|d| covers(c, &d.fact)) {
                let item = Stale { erratum: e.id.clone(), pointer: e.pointer.clone(), covers: c.clone() };
                let operation = c.split('.').next().unwrap_or_default();
                if operation.contains('*') || documented.contains(operation) {
                    report.stale.push(item);
                } else {
                    report.unchecked.push(item);
                }
            }
        }
    }
    let with: BTreeSet<&String> = errata.iter().filter(|e| !e.covers.is_empty()).map(|e| &e.id).collect();
    let without: BTreeSet<String> = errata.iter().filter(|e| !with.contains(&e.id)).map(|e| e.id.clone()).collect();
    report.without_covers = without.into_iter().collect();
    found.sort();
    report.differences = found;
    report
}

/// `facts` with each operation a page names by a heading of its own (`SMS`, or `Token (PATCH
/// https://...)` where a heading repeats) under the spec's operationId: an operation's
/// `x-opentact-docs-operations` maps a page title to its heading there. The committed facts
/// keep the page's own names.
pub fn with_spec_names(facts: &Facts, spec: &Spec) -> Facts {
    let mut names: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    for item in spec.json["paths"].as_object().into_iter().flatten().map(|(_, item)| item) {
        for op in item.as_object().into_iter().flatten().map(|(_, op)| op) {
            let Some(id) = op.get("operationId").and_then(Value::as_str) else { continue };
            for (page, heading) in op["x-opentact-docs-operations"].as_object().into_iter().flatten() {
                if let Some(heading) = heading.as_str() {
                    names.insert((page.as_str(), heading), id);
                }
            }
        }
    }
    let mut renamed = facts.clone();
    for (title, page) in renamed.pages.iter_mut() {
        page.operations = std::mem::take(&mut page.operations)
            .into_iter()
            .map(|(name, op)| match names.get(&(title.as_str(), name.as_str())) {
                Some(id) => (id.to_string(), op),
                None => (name, op),
            })
            .collect();
    }
    renamed
}

/// What the spec says about one operation.
struct SpecOperation<'s> {
    path: &'s str,
    method: &'s str,
    op: &'s Value,
    path_item: &'s Value,
    /// The doc page title of its tag (`x-opentact-docs-page`).
    page: Option<String>,
}

fn spec_operations(spec: &Spec) -> BTreeMap<&str, SpecOperation<'_>> {
    let mut pages = BTreeMap::new();
    for tag in spec.json["tags"].as_array().into_iter().flatten() {
        if let (Some(name), Some(page)) = (tag["name"].as_str(), tag["x-opentact-docs-page"].as_str()) {
            pages.insert(name, page.to_string());
        }
    }
    let mut out = BTreeMap::new();
    for (path, item) in spec.json["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            let Some(id) = op.get("operationId").and_then(Value::as_str) else { continue };
            let page = op["tags"][0].as_str().and_then(|t| pages.get(t)).cloned();
            out.insert(id, SpecOperation { path, method, op, path_item: item, page });
        }
    }
    out
}

/// Follows `$ref`s; returns the value and the name of the last component followed.
fn resolve<'s>(spec: &'s Spec, mut value: &'s Value) -> (&'s Value, Option<&'s str>) {
    let mut name = None;
    for _ in 0..16 {
        let Some(r) = value.get("$ref").and_then(Value::as_str) else { break };
        name = r.rsplit('/').next();
        match spec.resolve(r) {
            Some(v) => value = v,
            None => break,
        }
    }
    (value, name)
}

fn show(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "(none)".into(),
        Some(v) => v.to_string(),
    }
}

fn operation(
    spec: &Spec,
    validators: &ExampleValidators,
    name: &str,
    docs: &OperationFacts,
    spec_op: &SpecOperation,
    diff: &mut dyn FnMut(String, String, String),
) {
    let fact = |rest: &str| format!("{name}.{rest}");
    if docs.method.to_lowercase() != spec_op.method {
        diff(fact("method"), docs.method.clone(), spec_op.method.to_uppercase());
    }
    // The path: the URL without one of the servers.
    let servers: Vec<&str> =
        spec.json["servers"].as_array().into_iter().flatten().filter_map(|s| s["url"].as_str()).collect();
    let path = match servers.iter().find(|s| docs.url.starts_with(*s)) {
        Some(server) => docs.url[server.len()..].to_string(),
        None => {
            diff(fact("server"), docs.url.clone(), servers.join(", "));
            docs.url.splitn(4, '/').nth(3).map(|p| format!("/{p}")).unwrap_or_default()
        }
    };
    if path != spec_op.path {
        diff(fact("path"), path, spec_op.path.to_string());
    }

    // Path parameters (declared on the path item or the operation).
    let mut spec_params = BTreeMap::new();
    for params in [&spec_op.path_item["parameters"], &spec_op.op["parameters"]] {
        for p in params.as_array().into_iter().flatten() {
            let (p, _) = resolve(spec, p);
            if p["in"] == "path"
                && let Some(n) = p["name"].as_str()
            {
                spec_params.insert(n.to_string(), &p["schema"]);
            }
        }
    }
    for (param, field) in &docs.path_parameters {
        match spec_params.get(param) {
            Some(schema) => compare_field(spec, &fact(&format!("path_parameter.{param}")), field, schema, None, diff),
            None => diff(fact(&format!("path_parameter.{param}")), field.kind.clone(), "(none)".into()),
        }
    }
    for param in spec_params.keys().filter(|p| !docs.path_parameters.contains_key(*p)) {
        diff(fact(&format!("path_parameter.{param}")), "(none)".into(), "a path parameter".into());
    }

    // Headers: the token header and the content type.
    let auth = auth_header(spec, spec_op.op);
    let body = spec_op.op.get("requestBody").map(|b| resolve(spec, b).0);
    let media: Vec<&str> =
        body.and_then(|b| b["content"].as_object()).into_iter().flatten().map(|(k, _)| k.as_str()).collect();
    for (header, value) in &docs.headers {
        if Some(header.as_str()) == auth.as_deref() {
            continue;
        }
        if header.eq_ignore_ascii_case("content-type") {
            if !media.contains(&value.as_str()) {
                let spec = if media.is_empty() { "no request body".into() } else { media.join(", ") };
                diff(fact(&format!("header.{header}")), value.clone(), spec);
            }
            continue;
        }
        diff(fact(&format!("header.{header}")), value.clone(), "(none)".into());
    }
    if let Some(auth) = &auth
        && !docs.headers.contains_key(auth)
    {
        diff(fact(&format!("header.{auth}")), "(none)".into(), "the token header".into());
    }
    if !media.is_empty() && !docs.headers.keys().any(|h| h.eq_ignore_ascii_case("content-type")) {
        diff(fact("header.Content-Type"), "(none)".into(), media.join(", "));
    }

    // The body.
    let json_body = body.map(|b| &b["content"]["application/json"]["schema"]).filter(|s| !s.is_null());
    match (&docs.body, body) {
        (None, None) => {}
        (Some(_), None) => diff(fact("body"), "a request body".into(), "no request body".into()),
        (None, Some(_)) => diff(fact("body"), "no request body".into(), format!("a {} body", media.join(", "))),
        (Some(fields), Some(_)) => match json_body {
            Some(schema) => body_fields(spec, name, fields, schema, diff),
            None => diff(fact("body"), "a JSON body".into(), format!("a {} body", media.join(", "))),
        },
    }

    // Statuses and their examples.
    let responses = spec_op.op["responses"].as_object();
    let spec_statuses: BTreeSet<&str> =
        responses.into_iter().flatten().map(|(k, _)| k.as_str()).filter(|k| *k != "default").collect();
    for (status, response) in &docs.responses {
        let Some(spec_response) = responses.and_then(|r| r.get(status)) else {
            diff(fact(&format!("status.{status}")), "documented".into(), "(none)".into());
            continue;
        };
        let (spec_response, _) = resolve(spec, spec_response);
        let Some(example) = &response.example else { continue };
        let schema = &spec_response["content"]["application/json"]["schema"];
        if schema.is_null() {
            diff(fact(&format!("response.{status}.example")), "a JSON body".into(), "no JSON body".into());
            continue;
        }
        example_difference(validators, &fact(&format!("response.{status}.example")), schema, example, diff);
    }
    for status in spec_statuses.iter().filter(|s| !docs.responses.contains_key(**s)) {
        diff(fact(&format!("status.{status}")), "(none)".into(), "a response".into());
    }
    if let (Some(example), Some(schema)) = (&docs.request_example, json_body) {
        example_difference(validators, &fact("request.example"), schema, example, diff);
    }
}

fn example_difference(
    validators: &ExampleValidators,
    fact: &str,
    schema: &Value,
    example: &Value,
    diff: &mut dyn FnMut(String, String, String),
) {
    // An error body repeats its HTTP status; the docs' example may carry another one.
    if let (Some(Value::Bool(false)), Some(body_status)) =
        (example.get("success"), example.get("status").and_then(Value::as_u64))
        && let Some(status) = fact.split('.').nth(2)
        && status != body_status.to_string()
    {
        diff(
            format!("{fact}.status"),
            format!("\"status\": {body_status} in the {status} example"),
            format!("\"status\": {status}"),
        );
    }
    let realistic = validators.replace_placeholders(schema, example);
    let errors = validators.validate_example(schema, &realistic);
    if let Some(first) = errors.first() {
        let more = if errors.len() > 1 { format!(" (and {} more)", errors.len() - 1) } else { String::new() };
        diff(fact.to_string(), "the documented example".into(), format!("rejects it: {first}{more}"));
        return;
    }
    let unknown = validators.unknown_fields(schema, &realistic);
    if !unknown.is_empty() {
        diff(format!("{fact}.fields"), unknown.join(", "), "(not described)".into());
    }
}

/// The header the spec's security scheme sends the token in.
fn auth_header(spec: &Spec, op: &Value) -> Option<String> {
    let security = op.get("security").unwrap_or(&spec.json["security"]);
    let scheme = security[0].as_object()?.keys().next()?;
    let scheme = &spec.json["components"]["securitySchemes"][scheme];
    (scheme["type"] == "apiKey" && scheme["in"] == "header").then(|| scheme["name"].as_str().map(str::to_string))?
}

fn body_fields(
    spec: &Spec,
    name: &str,
    docs: &BTreeMap<String, FieldFacts>,
    schema: &Value,
    diff: &mut dyn FnMut(String, String, String),
) {
    let (schema, _) = resolve(spec, schema);
    let properties = schema["properties"].as_object();
    let required: BTreeSet<&str> =
        schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    let mut matched = BTreeSet::new();
    for (field, facts) in docs {
        let fact = format!("{name}.body.{}", if field.is_empty() { UNNAMED } else { field });
        // The spec may name a property differently: `x-opentact-docs-names` maps the docs'
        // name to the property.
        let renamed = schema["x-opentact-docs-names"][field.as_str()].as_str();
        let found = properties.and_then(|p| p.get_key_value(renamed.unwrap_or(field.as_str())));
        match found {
            Some((prop, prop_schema)) => {
                matched.insert(prop.as_str());
                if prop != field {
                    diff(format!("{fact}.name"), field.clone(), prop.clone());
                }
                compare_field(spec, &fact, facts, prop_schema, Some(required.contains(prop.as_str())), diff);
            }
            None => diff(fact, describe(facts), "(none)".into()),
        }
    }
    for (prop, prop_schema) in properties.into_iter().flatten() {
        if !matched.contains(prop.as_str()) {
            let (s, name_of) = resolve(spec, prop_schema);
            let kind =
                name_of.map(str::to_string).or_else(|| s["type"].as_str().map(str::to_string)).unwrap_or_default();
            diff(format!("{name}.body.{prop}"), "(none)".into(), kind);
        }
    }
}

fn describe(f: &FieldFacts) -> String {
    match &f.type_name {
        Some(t) => format!("{} ({t})", f.kind),
        None => f.kind.clone(),
    }
}

fn compare_field(
    spec: &Spec,
    fact: &str,
    docs: &FieldFacts,
    schema: &Value,
    required: Option<bool>,
    diff: &mut dyn FnMut(String, String, String),
) {
    let (schema, ref_name) = resolve(spec, schema);
    let mut check = |what: &str, docs: String, spec: String| {
        if docs != spec {
            diff(format!("{fact}.{what}"), docs, spec);
        }
    };
    let spec_type = schema["type"].as_str().map(str::to_string).unwrap_or_else(|| "(any)".into());
    check("type", docs.kind.clone(), spec_type);
    if let Some(type_name) = &docs.type_name {
        // The spec drops the TypeScript `I` prefix (ISIPControlApp -> SIPControlApp).
        let bare = match type_name.strip_prefix('I') {
            Some(rest) if rest.starts_with(|c: char| c.is_ascii_uppercase()) => rest,
            _ => type_name.as_str(),
        };
        check("type_name", bare.to_string(), ref_name.unwrap_or("(inline)").to_string());
    }
    let num = |v: Option<f64>| v.map(|n| n.to_string()).unwrap_or_else(|| "(none)".into());
    let spec_num = |k: &str| num(schema[k].as_f64());
    let int = |v: Option<u64>| v.map(|n| n.to_string()).unwrap_or_else(|| "(none)".into());
    check("format", show(docs.format.clone().map(Value::String).as_ref()), show(schema.get("format")));
    check("pattern", show(docs.pattern.clone().map(Value::String).as_ref()), show(schema.get("pattern")));
    check("minimum", num(docs.minimum), spec_num("minimum"));
    check("maximum", num(docs.maximum), spec_num("maximum"));
    check("min_length", int(docs.min_length), int(schema["minLength"].as_u64()));
    check("max_length", int(docs.max_length), int(schema["maxLength"].as_u64()));
    check("min_items", int(docs.min_items), int(schema["minItems"].as_u64()));
    check("default", show(docs.default.as_ref()), show(schema.get("default")));
    let set = |v: Option<&Vec<Value>>| {
        v.map(|values| {
            let mut s: Vec<String> = values.iter().map(Value::to_string).collect();
            s.sort();
            format!("[{}]", s.join(", "))
        })
        .unwrap_or_else(|| "(none)".into())
    };
    check("enum", set(docs.enum_values.as_ref()), set(schema["enum"].as_array()));
    if docs.items.is_some() || schema["type"] == "array" {
        let (items, _) = resolve(spec, &schema["items"]);
        check("items.type", show(docs.items.clone().map(Value::String).as_ref()), show(items.get("type")));
        check("items.format", show(docs.items_format.clone().map(Value::String).as_ref()), show(items.get("format")));
    }
    if let Some(required) = required {
        check("required", docs.required.unwrap_or(false).to_string(), required.to_string());
    }
}

/// What changed between two sets of facts (the committed ones and those read now).
pub fn changes(before: &Facts, after: &Facts) -> Vec<Change> {
    let mut out = Vec::new();
    let titles: BTreeSet<&String> = before.pages.keys().chain(after.pages.keys()).collect();
    for title in titles {
        let (Some(b), Some(a)) = (before.pages.get(title), after.pages.get(title)) else {
            // A page read now that was never kept, or kept and not read now: nothing to compare
            // unless it is new; a page left off the command line is not a change in the docs.
            if let Some(a) = after.pages.get(title)
                && !before.pages.contains_key(title)
            {
                out.push(Change {
                    page: title.clone(),
                    fact: "(page)".into(),
                    before: "(none)".into(),
                    after: format!("{} operations", a.operations.len()),
                });
            }
            continue;
        };
        // A partial page read now does not show the operations after its break: not a change
        // in the docs, but `--accept` drops their facts, so they are named.
        let partial = a.is_partial();
        for name in b.operations.keys().filter(|n| partial && !a.operations.contains_key(*n)) {
            out.push(Change {
                page: title.clone(),
                fact: name.clone(),
                before: summary(serde_json::to_value(&b.operations[name]).ok().as_ref()),
                after: "(not read: the page breaks off before it)".into(),
            });
        }
        let mut b = b.operations.clone();
        if partial {
            b.retain(|name, _| a.operations.contains_key(name));
        }
        let b = serde_json::to_value(&b).unwrap_or(Value::Null);
        let a = serde_json::to_value(&a.operations).unwrap_or(Value::Null);
        diff_tree(title, "", &b, &a, &mut out);
    }
    out
}

fn diff_tree(page: &str, at: &str, before: &Value, after: &Value, out: &mut Vec<Change>) {
    let join = |k: &str| if at.is_empty() { k.to_string() } else { format!("{at}.{k}") };
    match (before, after) {
        // Examples are one fact each: they are compared whole.
        (Value::Object(b), Value::Object(a)) if !at.ends_with("example") => {
            let keys: BTreeSet<&String> = b.keys().chain(a.keys()).collect();
            for k in keys {
                let (bv, av) = (b.get(k), a.get(k));
                match (bv, av) {
                    (Some(bv), Some(av)) => diff_tree(page, &join(k), bv, av, out),
                    _ => out.push(Change { page: page.into(), fact: join(k), before: summary(bv), after: summary(av) }),
                }
            }
        }
        (b, a) if b != a => {
            out.push(Change { page: page.into(), fact: at.into(), before: summary(Some(b)), after: summary(Some(a)) })
        }
        _ => {}
    }
}

fn summary(value: Option<&Value>) -> String {
    match value {
        None => "(none)".into(),
        Some(Value::Object(map)) if map.contains_key("method") && map.contains_key("url") => {
            format!("{} {}", map["method"].as_str().unwrap_or_default(), map["url"].as_str().unwrap_or_default())
        }
        Some(Value::Object(map)) if map.contains_key("type") => map["type"].as_str().unwrap_or_default().to_string(),
        Some(v) => {
            let text = v.to_string();
            if text.len() > 80 {
                format!("{}…", &text[..text.char_indices().nth(77).map_or(text.len(), |(i, _)| i)])
            } else {
                text
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn covers_a_fact_a_prefix_at_a_dot_or_a_pattern() {
        assert!(covers("CreateTNOrder.body.voice", "CreateTNOrder.body.voice"));
        assert!(covers("CreateTNOrder.body.voice", "CreateTNOrder.body.voice.type"));
        assert!(!covers("CreateTNOrder.body.voice", "CreateTNOrder.body.voices"));
        assert!(!covers("CreateTNOrder.body.voice.type", "CreateTNOrder.body.voice"));
        assert!(covers("*.path_parameter.uuid.format", "GetOrderByUUID.path_parameter.uuid.format"));
        assert!(!covers("*.path_parameter.uuid.format", "GetOrderByUUID.path_parameter.uuid.pattern"));
        assert!(covers("ModifySIPControlApp.body.webhook_*", "ModifySIPControlApp.body.webhook_url"));
        assert!(!covers("ModifySIPControlApp.body.webhook_*", "CreateSIPControlApp.body.webhook_url"));
        assert!(!covers("A*c*e", "AbcdE") && covers("A*c*e", "Abcde"));
    }
}
