//! What changed on the wire between two specs, and whether it breaks a client of any language.
//!
//! Operations are matched by `operationId` (so a moved operation is one change, not a removal
//! and an addition); schemas by name, with a removed and an added schema of the same shape
//! reported as a rename. A named schema is compared once, at its definition: a `$ref` to the
//! same (or renamed) schema is not followed, so a recursive schema is reported once, where it
//! changed. Whether a change breaks depends on the direction the schema travels in: a new
//! required field breaks callers that send it, a field that may now be missing breaks readers.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{
    AdditionalProperties, OpenAPI, Operation, Parameter, ReferenceOr, RequestBody, Response, Schema, SchemaKind, Type,
};
use serde_json::Value;

use super::{Category, Group, WireChange};

const ERRATA: &str = "x-opentact-errata";

/// Which way the data a schema describes travels.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Dirs {
    /// Sent by callers (request bodies, parameters).
    pub request: bool,
    /// Sent by the service (response bodies).
    pub response: bool,
}

const REQUEST: Dirs = Dirs { request: true, response: false };
const RESPONSE: Dirs = Dirs { request: false, response: true };

/// How one kind of change affects data in one direction.
#[derive(Clone, Copy)]
enum Effect {
    Breaks(&'static str),
    Safe(&'static str),
}
use Effect::{Breaks, Safe};

/// A change's effect on requests (callers writing) and on responses (clients reading).
#[derive(Clone, Copy)]
struct Rule {
    request: Effect,
    response: Effect,
}

const fn rule(request: Effect, response: Effect) -> Rule {
    Rule { request, response }
}

/// A change that breaks both ways (a type change, a renamed field).
const BOTH_BREAK: Rule = rule(
    Breaks("callers send what the service no longer accepts"),
    Breaks("clients read what the service no longer sends"),
);
const TIGHTER: Rule = rule(
    Breaks("the service rejects values callers could send before"),
    Safe("responses stay within what readers already accept"),
);
const LOOSER: Rule = rule(
    Safe("everything callers sent before is still accepted"),
    Breaks("strict readers that check the old constraint reject values the service may now send"),
);

fn classify(dirs: Dirs, rule: Rule) -> (bool, String) {
    let mut breaking = false;
    let mut parts = Vec::new();
    for (used, effect, side) in [(dirs.request, rule.request, "requests"), (dirs.response, rule.response, "responses")]
    {
        match (used, effect) {
            (false, _) => {}
            (true, Breaks(why)) => {
                breaking = true;
                parts.push(format!("{side}: {why}"));
            }
            (true, Safe(why)) if !why.is_empty() => parts.push(format!("{side}: {why}")),
            (true, Safe(_)) => {}
        }
    }
    if parts.is_empty() {
        parts.push("no operation uses it".into());
    }
    (breaking, parts.join("; "))
}

/// The place a comparison is at: the group it reports under, the location inside it, and
/// the directions the data there travels in.
#[derive(Clone)]
struct Here {
    group: Group,
    location: String,
    dirs: Dirs,
}

impl Here {
    fn at(&self, suffix: &str) -> Here {
        let location = match (self.location.is_empty(), suffix.starts_with(['.', '['])) {
            (true, _) => suffix.trim_start_matches('.').to_string(),
            (false, true) => format!("{}{suffix}", self.location),
            (false, false) => format!("{} {suffix}", self.location),
        };
        Here { location, ..self.clone() }
    }
}

struct Differ<'a> {
    base: &'a OpenAPI,
    head: &'a OpenAPI,
    /// Base schema name -> head schema name, for schemas renamed without a change of shape.
    renames: BTreeMap<String, String>,
    changes: Vec<WireChange>,
}

/// Compares two specs; `base_json`/`head_json` are the same documents as JSON (for shape
/// comparisons and reachability).
/// Also returns the schemas renamed without a change of shape (old name -> new name).
pub(crate) fn compare(
    base: &OpenAPI,
    head: &OpenAPI,
    base_json: &Value,
    head_json: &Value,
) -> (Vec<WireChange>, BTreeMap<String, String>) {
    let renames = renamed_schemas(base_json, head_json);
    let mut differ = Differ { base, head, renames, changes: Vec::new() };
    differ.errata(
        &Here { group: Group::Document, location: String::new(), dirs: Dirs::default() },
        base.info.extensions.get(ERRATA),
        head.info.extensions.get(ERRATA),
    );
    differ.operations();
    differ.schemas(&usage(base_json), &usage(head_json));
    (differ.changes, differ.renames)
}

// ------------------------------------------------------------------------------ operations

struct Op<'a> {
    key: String,
    method: String,
    path: String,
    operation: &'a Operation,
    path_parameters: &'a [ReferenceOr<Parameter>],
}

fn operations(spec: &OpenAPI) -> Vec<Op<'_>> {
    let mut out = Vec::new();
    for (path, item) in &spec.paths.paths {
        let ReferenceOr::Item(item) = item else { continue };
        for (method, operation) in item.iter() {
            let method = method.to_uppercase();
            let key = operation.operation_id.clone().unwrap_or_else(|| format!("{method} {path}"));
            out.push(Op { key, method, path: path.clone(), operation, path_parameters: &item.parameters });
        }
    }
    out
}

impl<'a> Differ<'a> {
    fn push(&mut self, here: &Here, category: Category, description: String, dirs: Dirs, rule: Rule) {
        let (breaking, reason) = classify(dirs, rule);
        self.changes.push(WireChange {
            group: here.group.clone(),
            location: here.location.clone(),
            category,
            description,
            breaking,
            reason,
        });
    }

    fn push_plain(&mut self, here: &Here, category: Category, description: String, breaking: bool, reason: &str) {
        self.changes.push(WireChange {
            group: here.group.clone(),
            location: here.location.clone(),
            category,
            description,
            breaking,
            reason: reason.to_string(),
        });
    }

    fn operations(&mut self) {
        let base_ops = operations(self.base);
        let head_ops = operations(self.head);
        let base_keys: BTreeSet<&str> = base_ops.iter().map(|o| o.key.as_str()).collect();
        let mut matched_heads = BTreeSet::new();
        for old in &base_ops {
            // Same operationId; or, failing that, the same method and path under a new id.
            let new = head_ops.iter().find(|n| n.key == old.key).or_else(|| {
                head_ops
                    .iter()
                    .find(|n| !base_keys.contains(n.key.as_str()) && n.method == old.method && n.path == old.path)
            });
            let here =
                Here { group: Group::Operation(old.key.clone()), location: String::new(), dirs: Dirs::default() };
            let Some(new) = new else {
                self.push_plain(
                    &here,
                    Category::Removed,
                    format!("operation removed ({} {})", old.method, old.path),
                    true,
                    "callers of it get an error from the service",
                );
                continue;
            };
            matched_heads.insert(new.key.clone());
            let here = Here { group: Group::Operation(new.key.clone()), ..here };
            if new.key != old.key {
                self.push_plain(
                    &here,
                    Category::Changed,
                    format!("operationId `{}` renamed to `{}`", old.key, new.key),
                    false,
                    "operation ids are not sent on the wire",
                );
            }
            if (old.method.as_str(), old.path.as_str()) != (new.method.as_str(), new.path.as_str()) {
                self.push_plain(
                    &here,
                    Category::Changed,
                    format!("moved from {} {} to {} {}", old.method, old.path, new.method, new.path),
                    true,
                    "callers still send the old method and path",
                );
            }
            self.operation(&here, old, new);
        }
        for new in head_ops.iter().filter(|n| !matched_heads.contains(&n.key)) {
            let here =
                Here { group: Group::Operation(new.key.clone()), location: String::new(), dirs: Dirs::default() };
            self.push_plain(
                &here,
                Category::Added,
                format!("operation added ({} {})", new.method, new.path),
                false,
                "nothing called it before",
            );
        }
    }

    fn operation(&mut self, here: &Here, old: &Op<'a>, new: &Op<'a>) {
        self.errata(here, old.operation.extensions.get(ERRATA), new.operation.extensions.get(ERRATA));
        self.parameters(here, old, new);
        let old_body = old.operation.request_body.as_ref().and_then(|b| resolve_body(self.base, b));
        let new_body = new.operation.request_body.as_ref().and_then(|b| resolve_body(self.head, b));
        let body_here = Here { dirs: REQUEST, ..here.at("request body") };
        match (old_body, new_body) {
            (None, None) => {}
            (None, Some(body)) => {
                let rule = if body.required {
                    rule(Breaks("callers that send no body are rejected"), Safe(""))
                } else {
                    rule(Safe("callers need not send it"), Safe(""))
                };
                let what = if body.required { "required request body added" } else { "optional request body added" };
                self.push(&body_here, Category::Added, what.into(), REQUEST, rule);
            }
            (Some(_), None) => self.push(
                &body_here,
                Category::Removed,
                "request body removed".into(),
                REQUEST,
                rule(Breaks("the service no longer reads what callers send"), Safe("")),
            ),
            (Some(o), Some(n)) => {
                if o.required != n.required {
                    let (what, rule) = if n.required {
                        ("request body became required", TIGHTER)
                    } else {
                        ("request body became optional", LOOSER)
                    };
                    self.push(&body_here, Category::Changed, what.into(), REQUEST, rule);
                }
                self.content(&body_here, &o.content, &n.content);
            }
        }
        self.responses(here, old.operation, new.operation);
    }

    fn parameters(&mut self, here: &Here, old: &Op<'a>, new: &Op<'a>) {
        let collect = |spec: &'a OpenAPI, op: &Op<'a>| -> BTreeMap<(String, String), &'a openapiv3::ParameterData> {
            let mut out = BTreeMap::new();
            for p in op.path_parameters.iter().chain(&op.operation.parameters) {
                let Some(p) = resolve_parameter(spec, p) else { continue };
                let location = match p {
                    Parameter::Query { .. } => "query",
                    Parameter::Header { .. } => "header",
                    Parameter::Path { .. } => "path",
                    Parameter::Cookie { .. } => "cookie",
                };
                let data = p.parameter_data_ref();
                out.insert((location.to_string(), data.name.clone()), data);
            }
            out
        };
        // The spec outlives this function; the operations borrow from it.
        let old_params = collect(self.base, old);
        let new_params = collect(self.head, new);
        for ((location, name), data) in &new_params {
            let param_here = Here { dirs: REQUEST, ..here.at(&format!("{location} parameter `{name}`")) };
            match old_params.get(&(location.clone(), name.clone())) {
                None => {
                    let (what, rule) = if data.required {
                        ("required parameter added", rule(Breaks("callers do not send it and are rejected"), Safe("")))
                    } else {
                        ("optional parameter added", rule(Safe("callers need not send it"), Safe("")))
                    };
                    self.push(&param_here, Category::Added, what.into(), REQUEST, rule);
                }
                Some(old_data) => {
                    if old_data.required != data.required {
                        let (what, rule) =
                            if data.required { ("became required", TIGHTER) } else { ("became optional", LOOSER) };
                        self.push(&param_here, Category::Changed, what.into(), REQUEST, rule);
                    }
                    if let (
                        openapiv3::ParameterSchemaOrContent::Schema(o),
                        openapiv3::ParameterSchemaOrContent::Schema(n),
                    ) = (&old_data.format, &data.format)
                    {
                        self.schema(&param_here, node(o), node(n), &mut BTreeSet::new());
                    }
                }
            }
        }
        for (location, name) in old_params.keys().filter(|k| !new_params.contains_key(*k)) {
            let param_here = Here { dirs: REQUEST, ..here.at(&format!("{location} parameter `{name}`")) };
            self.push(
                &param_here,
                Category::Removed,
                "parameter removed".into(),
                REQUEST,
                rule(Breaks("the service no longer reads it; callers that send it lose its effect"), Safe("")),
            );
        }
    }

    fn responses(&mut self, here: &Here, old: &'a Operation, new: &'a Operation) {
        let statuses = |op: &'a Operation| -> BTreeMap<String, &'a ReferenceOr<Response>> {
            let mut out: BTreeMap<String, &ReferenceOr<Response>> =
                op.responses.responses.iter().map(|(code, r)| (code.to_string(), r)).collect();
            if let Some(default) = &op.responses.default {
                out.insert("default".into(), default);
            }
            out
        };
        let old_statuses = statuses(old);
        let new_statuses = statuses(new);
        for (status, response) in &new_statuses {
            let status_here = Here { dirs: RESPONSE, ..here.at(&format!("response {status}")) };
            match old_statuses.get(status) {
                None if status.starts_with('2') => self.push_plain(
                    &status_here,
                    Category::Added,
                    "success status added".into(),
                    true,
                    "responses: a strict client treats a success status it does not know as an error",
                ),
                None => self.push_plain(
                    &status_here,
                    Category::Added,
                    "error status added".into(),
                    false,
                    "responses: clients already handle statuses the spec did not list as errors",
                ),
                Some(old_response) => {
                    let (Some(o), Some(n)) =
                        (resolve_response(self.base, old_response), resolve_response(self.head, response))
                    else {
                        continue;
                    };
                    self.content(&status_here, &o.content, &n.content);
                }
            }
        }
        for status in old_statuses.keys().filter(|s| !new_statuses.contains_key(*s)) {
            let status_here = here.at(&format!("response {status}"));
            self.push_plain(
                &status_here,
                Category::Removed,
                "documented status removed".into(),
                false,
                "responses: the service no longer sends it; code that handles it is unused, not wrong",
            );
        }
    }

    fn content(&mut self, here: &Here, old: &'a openapiv3::Content, new: &'a openapiv3::Content) {
        for (media, new_media) in new {
            match old.get(media) {
                None => self.push(
                    &here.at(&format!("({media})")),
                    Category::Added,
                    format!("content type {media} added"),
                    here.dirs,
                    rule(
                        Safe("callers may keep sending the old one"),
                        Breaks("clients may receive a content type they cannot read"),
                    ),
                ),
                Some(old_media) => {
                    if let (Some(o), Some(n)) = (&old_media.schema, &new_media.schema) {
                        self.schema(here, node(o), node(n), &mut BTreeSet::new());
                    }
                }
            }
        }
        for media in old.keys().filter(|m| !new.contains_key(*m)) {
            self.push(
                &here.at(&format!("({media})")),
                Category::Removed,
                format!("content type {media} removed"),
                here.dirs,
                rule(Breaks("callers sending it are rejected"), Safe("the service no longer sends it")),
            );
        }
    }

    // -------------------------------------------------------------------------- schemas

    fn schemas(&mut self, base_usage: &BTreeMap<String, Dirs>, head_usage: &BTreeMap<String, Dirs>) {
        let base_names = schema_names(self.base);
        let head_names = schema_names(self.head);
        let dirs_of = |name: &str| {
            let b = base_usage.get(name).copied().unwrap_or_default();
            let h = head_usage.get(name).copied().unwrap_or_default();
            Dirs { request: b.request || h.request, response: b.response || h.response }
        };
        for name in &base_names {
            let Some(old) = component_schema(self.base, name) else { continue };
            let here = Here { group: Group::Schema(name.clone()), location: String::new(), dirs: Dirs::default() };
            if let Some(new_name) = self.renames.get(name).cloned() {
                self.push_plain(
                    &here,
                    Category::Changed,
                    format!("renamed to `{new_name}` (same shape)"),
                    false,
                    "schema names are not sent on the wire",
                );
                continue;
            }
            let Some(new) = component_schema(self.head, name) else {
                self.push_plain(
                    &here,
                    Category::Removed,
                    "schema removed".into(),
                    false,
                    "schema names are not sent on the wire; the places that used it are listed with their operations",
                );
                continue;
            };
            let here = Here { dirs: dirs_of(name), ..here };
            let mut visiting = BTreeSet::new();
            visiting.insert((name.clone(), name.clone()));
            let (Some(o), Some(n)) = (resolve_schema(self.base, node(old)), resolve_schema(self.head, node(new)))
            else {
                continue;
            };
            self.inline(&here, o, n, &mut visiting);
        }
        let renamed_to: BTreeSet<&String> = self.renames.values().collect();
        let added: Vec<String> =
            head_names.iter().filter(|n| !base_names.contains(*n) && !renamed_to.contains(n)).cloned().collect();
        for name in added {
            let here = Here { group: Group::Schema(name), location: String::new(), dirs: Dirs::default() };
            self.push_plain(&here, Category::Added, "schema added".into(), false, "nothing used it before");
        }
    }

    /// Compares two schema positions (each a `$ref` or an inline schema).
    fn schema(&mut self, here: &Here, old: Node<'a>, new: Node<'a>, visiting: &mut BTreeSet<(String, String)>) {
        if let (Node::Ref(o), Node::Ref(n)) = (old, new) {
            if o == n || self.renames.get(o).map(String::as_str) == Some(n) {
                return; // the named schema is compared once, under its own name
            }
            self.push_plain(
                here,
                Category::Changed,
                format!("type `{o}` replaced by `{n}`"),
                false,
                "names are not on the wire; differences of shape are listed separately",
            );
            if !visiting.insert((o.to_string(), n.to_string())) {
                return;
            }
        }
        let (Some(o), Some(n)) = (resolve_schema(self.base, old), resolve_schema(self.head, new)) else { return };
        self.inline(here, o, n, visiting);
    }

    fn inline(&mut self, here: &Here, old: &'a Schema, new: &'a Schema, visiting: &mut BTreeSet<(String, String)>) {
        let dirs = here.dirs;
        self.errata(here, old.schema_data.extensions.get(ERRATA), new.schema_data.extensions.get(ERRATA));
        if old.schema_data.nullable != new.schema_data.nullable {
            let (what, rule) = if new.schema_data.nullable {
                (
                    "became nullable",
                    rule(
                        Safe("callers need not send null"),
                        Breaks("strict readers reject the null the service may now send"),
                    ),
                )
            } else {
                (
                    "no longer nullable",
                    rule(Breaks("callers sending null are rejected"), Safe("readers never get null now")),
                )
            };
            self.push(here, Category::Changed, what.into(), dirs, rule);
        }
        match (&old.schema_kind, &new.schema_kind) {
            (SchemaKind::Type(o), SchemaKind::Type(n)) => self.types(here, o, n, visiting),
            (SchemaKind::OneOf { one_of: o }, SchemaKind::OneOf { one_of: n })
            | (SchemaKind::AnyOf { any_of: o }, SchemaKind::AnyOf { any_of: n })
            | (SchemaKind::AllOf { all_of: o }, SchemaKind::AllOf { all_of: n }) => {
                if o.len() != n.len() {
                    self.push(
                        here,
                        Category::Changed,
                        format!("{} alternatives instead of {}", n.len(), o.len()),
                        dirs,
                        BOTH_BREAK,
                    );
                    return;
                }
                for (i, (o, n)) in o.iter().zip(n).enumerate() {
                    self.schema(&here.at(&format!("(alternative {})", i + 1)), node(o), node(n), visiting);
                }
            }
            (SchemaKind::Any(o), SchemaKind::Any(n)) => {
                if o != n {
                    self.push(here, Category::Changed, "schema changed".into(), dirs, BOTH_BREAK);
                }
            }
            (o, n) => {
                let description = format!("type changed from {} to {}", kind_name(o), kind_name(n));
                self.push(here, Category::Changed, description, dirs, BOTH_BREAK);
            }
        }
    }

    fn types(&mut self, here: &Here, old: &'a Type, new: &'a Type, visiting: &mut BTreeSet<(String, String)>) {
        let dirs = here.dirs;
        match (old, new) {
            (Type::String(o), Type::String(n)) => {
                self.format(here, json(&o.format), json(&n.format));
                self.pattern(here, &o.pattern, &n.pattern);
                self.limit(
                    here,
                    "minLength",
                    o.min_length.map(|v| v as f64),
                    n.min_length.map(|v| v as f64),
                    Bound::Min,
                );
                self.limit(
                    here,
                    "maxLength",
                    o.max_length.map(|v| v as f64),
                    n.max_length.map(|v| v as f64),
                    Bound::Max,
                );
                self.enumeration(here, values(&o.enumeration), values(&n.enumeration));
            }
            (Type::Number(o), Type::Number(n)) => {
                self.format(here, json(&o.format), json(&n.format));
                self.limit(here, "minimum", o.minimum, n.minimum, Bound::Min);
                self.limit(here, "maximum", o.maximum, n.maximum, Bound::Max);
                self.exclusive(
                    here,
                    o.exclusive_minimum,
                    n.exclusive_minimum,
                    o.exclusive_maximum,
                    n.exclusive_maximum,
                );
                self.multiple_of(here, o.multiple_of.map(|v| v.to_string()), n.multiple_of.map(|v| v.to_string()));
                self.enumeration(here, values(&o.enumeration), values(&n.enumeration));
            }
            (Type::Integer(o), Type::Integer(n)) => {
                self.format(here, json(&o.format), json(&n.format));
                self.limit(here, "minimum", o.minimum.map(|v| v as f64), n.minimum.map(|v| v as f64), Bound::Min);
                self.limit(here, "maximum", o.maximum.map(|v| v as f64), n.maximum.map(|v| v as f64), Bound::Max);
                self.exclusive(
                    here,
                    o.exclusive_minimum,
                    n.exclusive_minimum,
                    o.exclusive_maximum,
                    n.exclusive_maximum,
                );
                self.multiple_of(here, o.multiple_of.map(|v| v.to_string()), n.multiple_of.map(|v| v.to_string()));
                self.enumeration(here, values(&o.enumeration), values(&n.enumeration));
            }
            (Type::Boolean(o), Type::Boolean(n)) => {
                self.enumeration(here, values(&o.enumeration), values(&n.enumeration));
            }
            (Type::Array(o), Type::Array(n)) => {
                self.limit(here, "minItems", o.min_items.map(|v| v as f64), n.min_items.map(|v| v as f64), Bound::Min);
                self.limit(here, "maxItems", o.max_items.map(|v| v as f64), n.max_items.map(|v| v as f64), Bound::Max);
                if o.unique_items != n.unique_items {
                    let rule = if n.unique_items { TIGHTER } else { LOOSER };
                    self.push(
                        here,
                        Category::Changed,
                        format!("uniqueItems {} -> {}", o.unique_items, n.unique_items),
                        dirs,
                        rule,
                    );
                }
                match (&o.items, &n.items) {
                    (Some(oi), Some(ni)) => self.schema(&here.at("[]"), node(oi), node(ni), visiting),
                    (None, None) => {}
                    (None, Some(_)) => self.push(here, Category::Changed, "item type now given".into(), dirs, TIGHTER),
                    (Some(_), None) => {
                        self.push(here, Category::Changed, "item type no longer given".into(), dirs, LOOSER)
                    }
                }
            }
            (Type::Object(o), Type::Object(n)) => self.object(here, o, n, visiting),
            (o, n) => {
                let description = format!("type changed from {} to {}", type_name(o), type_name(n));
                self.push(here, Category::Changed, description, dirs, BOTH_BREAK);
            }
        }
    }

    fn object(
        &mut self,
        here: &Here,
        old: &'a openapiv3::ObjectType,
        new: &'a openapiv3::ObjectType,
        visiting: &mut BTreeSet<(String, String)>,
    ) {
        let dirs = here.dirs;
        let old_required: BTreeSet<&str> = old.required.iter().map(String::as_str).collect();
        let new_required: BTreeSet<&str> = new.required.iter().map(String::as_str).collect();
        let mut removed: Vec<&String> = old.properties.keys().filter(|k| !new.properties.contains_key(*k)).collect();
        let mut added: Vec<&String> = new.properties.keys().filter(|k| !old.properties.contains_key(*k)).collect();

        // A removed and an added field of the same schema: most likely a rename.
        let mut renamed = Vec::new();
        for r in removed.clone() {
            let candidates: Vec<&String> =
                added.iter().copied().filter(|a| json(&old.properties[r]) == json(&new.properties[*a])).collect();
            if let [only] = candidates.as_slice() {
                renamed.push((r, *only));
                added.retain(|a| a != only);
                removed.retain(|x| *x != r);
            }
        }
        for (from, to) in renamed {
            self.push(
                &here.at(&format!(".{from}")),
                Category::Changed,
                format!("field renamed-looking: `{from}` removed, `{to}` added with the same schema"),
                dirs,
                rule(Breaks("callers send the old name"), Breaks("readers look for the old name")),
            );
        }
        for name in added {
            let field_here = here.at(&format!(".{name}"));
            if new_required.contains(name.as_str()) {
                self.push(
                    &field_here,
                    Category::Added,
                    "required field added".into(),
                    dirs,
                    rule(
                        Breaks("callers that do not send it are rejected"),
                        Safe("readers ignore fields they do not know"),
                    ),
                );
            } else {
                self.push(
                    &field_here,
                    Category::Added,
                    "optional field added".into(),
                    dirs,
                    rule(Safe("callers need not send it"), Safe("readers ignore fields they do not know")),
                );
            }
        }
        for name in removed {
            let was_required = old_required.contains(name.as_str());
            self.push(
                &here.at(&format!(".{name}")),
                Category::Removed,
                if was_required { "required field removed".into() } else { "optional field removed".into() },
                dirs,
                rule(
                    Breaks("the service no longer reads it; callers that send it lose its effect or are rejected"),
                    Breaks("readers that use it no longer get it"),
                ),
            );
        }
        for (name, old_field) in &old.properties {
            let Some(new_field) = new.properties.get(name) else { continue };
            let field_here = here.at(&format!(".{name}"));
            match (old_required.contains(name.as_str()), new_required.contains(name.as_str())) {
                (false, true) => self.push(
                    &field_here,
                    Category::Changed,
                    "became required".into(),
                    dirs,
                    rule(Breaks("callers that leave it out are rejected"), Safe("readers now always get it")),
                ),
                (true, false) => self.push(
                    &field_here,
                    Category::Changed,
                    "became optional".into(),
                    dirs,
                    rule(
                        Safe("callers may now leave it out"),
                        Breaks("strict readers that need it fail when the service leaves it out"),
                    ),
                ),
                _ => {}
            }
            self.schema(&field_here, node(old_field), node(new_field), visiting);
        }
        match (&old.additional_properties, &new.additional_properties) {
            (Some(AdditionalProperties::Schema(o)), Some(AdditionalProperties::Schema(n))) => {
                self.schema(&here.at(".*"), node(o), node(n), visiting);
            }
            (o, n) if json(o) != json(n) => {
                self.push(here, Category::Changed, "additionalProperties changed".into(), dirs, BOTH_BREAK);
            }
            _ => {}
        }
        self.limit(
            here,
            "minProperties",
            old.min_properties.map(|v| v as f64),
            new.min_properties.map(|v| v as f64),
            Bound::Min,
        );
        self.limit(
            here,
            "maxProperties",
            old.max_properties.map(|v| v as f64),
            new.max_properties.map(|v| v as f64),
            Bound::Max,
        );
    }

    fn format(&mut self, here: &Here, old: Value, new: Value) {
        if old != new {
            let show = |v: &Value| v.as_str().map_or("none".to_string(), str::to_string);
            self.push(
                here,
                Category::Changed,
                format!("format {} -> {}", show(&old), show(&new)),
                here.dirs,
                BOTH_BREAK,
            );
        }
    }

    fn pattern(&mut self, here: &Here, old: &Option<String>, new: &Option<String>) {
        let (rule, what) = match (old, new) {
            (o, n) if o == n => return,
            (None, Some(n)) => (TIGHTER, format!("pattern `{n}` added")),
            (Some(o), None) => (LOOSER, format!("pattern `{o}` removed")),
            (Some(o), Some(n)) => (BOTH_BREAK, format!("pattern `{o}` -> `{n}`")),
            (None, None) => return,
        };
        self.push(here, Category::Changed, what, here.dirs, rule);
    }

    fn limit(&mut self, here: &Here, name: &str, old: Option<f64>, new: Option<f64>, bound: Bound) {
        let tighter = match (old, new) {
            (o, n) if o == n => return,
            (None, Some(_)) => true,
            (Some(_), None) => false,
            (Some(o), Some(n)) => match bound {
                Bound::Min => n > o,
                Bound::Max => n < o,
            },
            (None, None) => return,
        };
        let show = |v: Option<f64>| v.map_or("none".to_string(), |v| v.to_string());
        self.push(
            here,
            Category::Changed,
            format!("{name} {} -> {} ({})", show(old), show(new), if tighter { "tighter" } else { "looser" }),
            here.dirs,
            if tighter { TIGHTER } else { LOOSER },
        );
    }

    fn exclusive(&mut self, here: &Here, old_min: bool, new_min: bool, old_max: bool, new_max: bool) {
        for (name, o, n) in [("exclusiveMinimum", old_min, new_min), ("exclusiveMaximum", old_max, new_max)] {
            if o != n {
                self.push(
                    here,
                    Category::Changed,
                    format!("{name} {o} -> {n}"),
                    here.dirs,
                    if n { TIGHTER } else { LOOSER },
                );
            }
        }
    }

    fn multiple_of(&mut self, here: &Here, old: Option<String>, new: Option<String>) {
        if old != new {
            let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "none".into());
            self.push(
                here,
                Category::Changed,
                format!("multipleOf {} -> {}", show(&old), show(&new)),
                here.dirs,
                BOTH_BREAK,
            );
        }
    }

    fn enumeration(&mut self, here: &Here, old: Vec<Value>, new: Vec<Value>) {
        if old == new {
            return;
        }
        if old.is_empty() {
            self.push(here, Category::Changed, "now limited to listed values".into(), here.dirs, TIGHTER);
            return;
        }
        if new.is_empty() {
            self.push(here, Category::Changed, "no longer limited to listed values".into(), here.dirs, LOOSER);
            return;
        }
        for value in new.iter().filter(|v| !old.contains(v)) {
            self.push(
                here,
                Category::Added,
                format!("enum value {value} added"),
                here.dirs,
                rule(
                    Safe("callers may send it; the old values still work"),
                    Breaks("closed-enum clients (openapi-generator's defaults) reject a value they do not know"),
                ),
            );
        }
        for value in old.iter().filter(|v| !new.contains(v)) {
            self.push(
                here,
                Category::Removed,
                format!("enum value {value} removed"),
                here.dirs,
                rule(
                    Breaks("callers that send it are rejected"),
                    Safe("readers still know every value the service sends"),
                ),
            );
        }
    }

    /// `x-opentact-errata` entries, matched by `id`. Errata document the spec; they never
    /// break a client by themselves (the change they explain is reported where it is).
    fn errata(&mut self, here: &Here, old: Option<&Value>, new: Option<&Value>) {
        let ids = |list: Option<&'_ Value>| -> BTreeMap<String, Value> {
            list.and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|e| (e.get("id").and_then(Value::as_str).unwrap_or("(no id)").to_string(), e.clone()))
                .collect()
        };
        let (old_ids, new_ids) = (ids(old), ids(new));
        for (id, entry) in &new_ids {
            match old_ids.get(id) {
                None => self.push_plain(here, Category::Added, format!("erratum `{id}` added"), false, "documentation"),
                Some(old_entry) if old_entry != entry => {
                    self.push_plain(here, Category::Changed, format!("erratum `{id}` reworded"), false, "documentation")
                }
                Some(_) => {}
            }
        }
        for id in old_ids.keys().filter(|id| !new_ids.contains_key(*id)) {
            self.push_plain(here, Category::Removed, format!("erratum `{id}` removed"), false, "documentation");
        }
    }
}

#[derive(Clone, Copy)]
enum Bound {
    Min,
    Max,
}

// ------------------------------------------------------------------------------ helpers

/// A schema position: a `$ref` (by schema name) or an inline schema.
#[derive(Clone, Copy)]
pub(crate) enum Node<'a> {
    Ref(&'a str),
    Inline(&'a Schema),
}

trait AsNode {
    fn as_node(&self) -> Node<'_>;
}
impl AsNode for ReferenceOr<Schema> {
    fn as_node(&self) -> Node<'_> {
        match self {
            ReferenceOr::Reference { reference } => Node::Ref(schema_name(reference)),
            ReferenceOr::Item(s) => Node::Inline(s),
        }
    }
}
impl AsNode for ReferenceOr<Box<Schema>> {
    fn as_node(&self) -> Node<'_> {
        match self {
            ReferenceOr::Reference { reference } => Node::Ref(schema_name(reference)),
            ReferenceOr::Item(s) => Node::Inline(s),
        }
    }
}
impl AsNode for Box<ReferenceOr<Schema>> {
    fn as_node(&self) -> Node<'_> {
        (**self).as_node()
    }
}

fn node<T: AsNode + ?Sized>(value: &T) -> Node<'_> {
    value.as_node()
}

fn schema_name(reference: &str) -> &str {
    reference.strip_prefix("#/components/schemas/").unwrap_or(reference)
}

/// Follows `$ref`s (a few levels, for aliases) to an inline schema.
fn resolve_schema<'s>(spec: &'s OpenAPI, mut at: Node<'s>) -> Option<&'s Schema> {
    for _ in 0..8 {
        match at {
            Node::Inline(schema) => return Some(schema),
            Node::Ref(name) => at = node(spec.components.as_ref()?.schemas.get(name)?),
        }
    }
    None
}

fn schema_names(spec: &OpenAPI) -> Vec<String> {
    spec.components.as_ref().map(|c| c.schemas.keys().cloned().collect()).unwrap_or_default()
}

fn component_schema<'s>(spec: &'s OpenAPI, name: &str) -> Option<&'s ReferenceOr<Schema>> {
    spec.components.as_ref()?.schemas.get(name)
}

fn component_name<'r>(reference: &'r str, kind: &str) -> Option<&'r str> {
    reference.strip_prefix("#/components/")?.strip_prefix(kind)?.strip_prefix('/')
}

fn resolve_parameter<'s>(spec: &'s OpenAPI, p: &'s ReferenceOr<Parameter>) -> Option<&'s Parameter> {
    match p {
        ReferenceOr::Item(p) => Some(p),
        ReferenceOr::Reference { reference } => {
            spec.components.as_ref()?.parameters.get(component_name(reference, "parameters")?)?.as_item()
        }
    }
}

fn resolve_body<'s>(spec: &'s OpenAPI, b: &'s ReferenceOr<RequestBody>) -> Option<&'s RequestBody> {
    match b {
        ReferenceOr::Item(b) => Some(b),
        ReferenceOr::Reference { reference } => {
            spec.components.as_ref()?.request_bodies.get(component_name(reference, "requestBodies")?)?.as_item()
        }
    }
}

fn resolve_response<'s>(spec: &'s OpenAPI, r: &'s ReferenceOr<Response>) -> Option<&'s Response> {
    match r {
        ReferenceOr::Item(r) => Some(r),
        ReferenceOr::Reference { reference } => {
            spec.components.as_ref()?.responses.get(component_name(reference, "responses")?)?.as_item()
        }
    }
}

fn json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

fn values<T: serde::Serialize>(list: &[Option<T>]) -> Vec<Value> {
    list.iter().map(json).collect()
}

fn type_name(t: &Type) -> &'static str {
    match t {
        Type::String(_) => "string",
        Type::Number(_) => "number",
        Type::Integer(_) => "integer",
        Type::Object(_) => "object",
        Type::Array(_) => "array",
        Type::Boolean(_) => "boolean",
    }
}

fn kind_name(kind: &SchemaKind) -> &'static str {
    match kind {
        SchemaKind::Type(t) => type_name(t),
        SchemaKind::OneOf { .. } => "oneOf",
        SchemaKind::AllOf { .. } => "allOf",
        SchemaKind::AnyOf { .. } => "anyOf",
        SchemaKind::Not { .. } => "not",
        SchemaKind::Any(_) => "an untyped schema",
    }
}

// --------------------------------------------------------------- reachability and renames

/// For each named schema, the directions it travels in: reached from a request body or a
/// parameter, from a response, or both (following `$ref`s through every component).
fn usage(spec: &Value) -> BTreeMap<String, Dirs> {
    let mut out: BTreeMap<String, Dirs> = BTreeMap::new();
    let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    for item in spec.get("paths").and_then(Value::as_object).into_iter().flat_map(|p| p.values()) {
        for (method, op) in item.as_object().into_iter().flatten() {
            if !methods.contains(&method.as_str()) {
                continue;
            }
            let mut request = Vec::new();
            request.extend(op.get("requestBody"));
            request.extend(op.get("parameters"));
            request.extend(item.get("parameters"));
            for (roots, dirs) in [(request, REQUEST), (op.get("responses").into_iter().collect(), RESPONSE)] {
                for name in reachable_schemas(spec, &roots) {
                    let entry = out.entry(name).or_default();
                    entry.request |= dirs.request;
                    entry.response |= dirs.response;
                }
            }
        }
    }
    out
}

fn reachable_schemas(spec: &Value, roots: &[&Value]) -> BTreeSet<String> {
    let mut seen_refs = BTreeSet::new();
    let mut stack: Vec<&Value> = roots.to_vec();
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    if key == "$ref" {
                        // Examples are not data shapes.
                        if let Some(reference) = child.as_str()
                            && !reference.starts_with("#/components/examples/")
                            && seen_refs.insert(reference.to_string())
                            && let Some(target) = reference.strip_prefix('#').and_then(|p| spec.pointer(p))
                        {
                            stack.push(target);
                        }
                    } else if key != "examples" && key != "example" {
                        stack.push(child);
                    }
                }
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    seen_refs.iter().filter_map(|r| r.strip_prefix("#/components/schemas/")).map(str::to_string).collect()
}

/// Schemas that disappeared under one name and appeared under another with the same shape
/// (descriptions, titles and examples aside).
fn renamed_schemas(base: &Value, head: &Value) -> BTreeMap<String, String> {
    let empty = serde_json::Map::new();
    let schemas = |spec: &Value| -> serde_json::Map<String, Value> {
        spec.pointer("/components/schemas").and_then(Value::as_object).cloned().unwrap_or_else(|| empty.clone())
    };
    let (base_schemas, head_schemas) = (schemas(base), schemas(head));
    let added: Vec<&String> = head_schemas.keys().filter(|k| !base_schemas.contains_key(*k)).collect();
    let mut renames = BTreeMap::new();
    for (old_name, old_schema) in base_schemas.iter().filter(|(k, _)| !head_schemas.contains_key(*k)) {
        let candidates: Vec<&&String> = added
            .iter()
            .filter(|new_name| {
                let own_ref = format!("#/components/schemas/{old_name}");
                let new_ref = format!("#/components/schemas/{new_name}");
                shape(old_schema, Some((&own_ref, &new_ref))) == shape(&head_schemas[new_name.as_str()], None)
            })
            .collect();
        if let [only] = candidates.as_slice() {
            renames.insert(old_name.clone(), (**only).clone());
        }
    }
    renames
}

/// A schema without its documentation, with one `$ref` rewritten (a schema's references
/// to itself follow its rename).
fn shape(value: &Value, rewrite: Option<(&str, &str)>) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !matches!(k.as_str(), "description" | "title" | "example" | "examples"))
                .map(|(k, v)| match (k.as_str(), v.as_str(), rewrite) {
                    ("$ref", Some(r), Some((from, to))) if r == from => (k.clone(), Value::String(to.to_string())),
                    _ => (k.clone(), shape(v, rewrite)),
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| shape(v, rewrite)).collect()),
        other => other.clone(),
    }
}
