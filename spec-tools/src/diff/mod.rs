//! `cargo xtask diff`: what changed between two versions of the spec, classified twice: for
//! the wire (does it break a client of any language, and in which direction) and for the Rust
//! API of `opentact-client` (what changes in the generated public API, read from the code
//! `generate` produces for each version, and whether that needs a new major version).

mod render;
mod surface;
mod wire;

use std::collections::BTreeMap;

use heck::{ToSnakeCase, ToUpperCamelCase};

pub use surface::{ApiSurface, ItemKind, SurfaceItem, api_surface, operation_surface};

use opentact_codegen::spec::flatten::without_all_of;
use opentact_codegen::{GenerateError, Spec, SpecError};

/// Where a change is reported: the spec as a whole, one operation, one named schema, or (for
/// Rust API changes no operation or schema explains) the generated code in general.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    Document,
    Operation(String),
    Schema(String),
    OtherRust,
}

/// Keep a Changelog's kinds of change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    Added,
    Changed,
    Removed,
}

/// One change on the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireChange {
    pub group: Group,
    /// Inside the group: `request body .name`, `response 200 .payload[].state`, or empty.
    pub location: String,
    pub category: Category,
    pub description: String,
    /// Whether a client of any language that worked before can fail now.
    pub breaking: bool,
    /// Why, per direction (`requests: ...; responses: ...`).
    pub reason: String,
}

/// What a change of the generated public API needs from the crate's version number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SemverLevel {
    /// Only additions that cannot break code that compiled before: a new minor version
    /// (0.x: a new patch version).
    Minor,
    /// Code that compiled before may not compile now: a new major version (0.x: a new minor).
    Major,
}

/// One change of the generated public API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RustChange {
    pub group: Group,
    /// The path a user writes: `types::SipControlApp.name`, `Client::list_orders`.
    pub item: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub level: SemverLevel,
    pub reason: String,
}

/// Everything that changed between two specs.
#[derive(Clone, Debug)]
pub struct Report {
    /// What the base is called in the output (`HEAD`, a commit).
    pub base: String,
    /// What the new version is called (`working copy`).
    pub head: String,
    pub wire: Vec<WireChange>,
    pub rust: Vec<RustChange>,
    /// The crate's current version, to name the next one (set by the caller).
    pub client_version: Option<String>,
}

impl Report {
    /// Whether any change breaks a client on the wire.
    pub fn wire_breaking(&self) -> bool {
        self.wire.iter().any(|c| c.breaking)
    }

    /// The version bump the Rust API changes need (`None`: the public API is unchanged).
    pub fn rust_level(&self) -> Option<SemverLevel> {
        self.rust.iter().map(|c| c.level).max()
    }

    /// Whether anything breaks, on the wire or in the Rust API.
    pub fn breaking(&self) -> bool {
        self.wire_breaking() || self.rust_level() == Some(SemverLevel::Major)
    }

    pub fn is_empty(&self) -> bool {
        self.wire.is_empty() && self.rust.is_empty()
    }

    /// The version `client_version` becomes with these changes.
    pub fn next_version(&self) -> Option<String> {
        let current = self.client_version.as_deref()?;
        let level = self.rust_level()?;
        let mut parts = current.split('.').map(|p| p.parse::<u64>().ok());
        let (Some(Some(major)), Some(Some(minor)), Some(Some(patch))) = (parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        Some(match (major, level) {
            (0, SemverLevel::Major) => format!("0.{}.0", minor + 1),
            (0, SemverLevel::Minor) => format!("0.{minor}.{}", patch + 1),
            (_, SemverLevel::Major) => format!("{}.0.0", major + 1),
            (_, SemverLevel::Minor) => format!("{major}.{}.0", minor + 1),
        })
    }
}

/// Compares `base` with `head`: the wire from the two documents, the Rust API from the code
/// `crate::generate` produces for each (in memory).
pub fn diff(base: &Spec, head: &Spec) -> Result<Report, GenerateError> {
    // The same document has no change: skip generating the client twice (seconds each).
    if base.json == head.json {
        return Ok(Report {
            base: base.path.display().to_string(),
            head: head.path.display().to_string(),
            wire: Vec::new(),
            rust: Vec::new(),
            client_version: None,
        });
    }
    diff_from_surface(base, &surface_of(base)?, head)
}

/// [`diff`] with the Rust API surface of `base` already known (`surface_of(base)`): comparing
/// one base with many heads generates the base's client once.
pub fn diff_from_surface(base: &Spec, base_surface: &ApiSurface, head: &Spec) -> Result<Report, GenerateError> {
    let (wire, renames) = wire_changes(base, head)?;
    let head_surface = surface_of(head)?;
    let attribution = Attribution::new(base, head, &renames);
    let rust = compare_surfaces(base_surface, &head_surface, &attribution);
    Ok(Report {
        base: base.path.display().to_string(),
        head: head.path.display().to_string(),
        wire,
        rust,
        client_version: None,
    })
}

/// The wire changes from `base` to `head`, each read as a client reads it: a schema that moved
/// its fields into `allOf: [{$ref: Base}, {...}]` (how the spec shares fields) or put a
/// description beside a `$ref` is compared by the fields it has, not by how it is written.
fn wire_changes(base: &Spec, head: &Spec) -> Result<(Vec<WireChange>, BTreeMap<String, String>), GenerateError> {
    let (base, head) = (without_all_of(base), without_all_of(head));
    let (base_typed, head_typed) = (typed(&base)?, typed(&head)?);
    Ok(wire::compare(&base_typed, &head_typed, &base.json, &head.json))
}

/// The typed OpenAPI model of a loaded spec (`load` has already checked that it is one).
fn typed(spec: &Spec) -> Result<openapiv3::OpenAPI, GenerateError> {
    serde_json::from_value(spec.json.clone()).map_err(|e| {
        GenerateError::Spec(SpecError {
            file: spec.path.clone(),
            line: None,
            column: None,
            pointer: None,
            message: format!("not an OpenAPI 3.0 document: {e}"),
        })
    })
}

/// The Rust API surface of the client `spec` generates.
pub fn surface_of(spec: &Spec) -> Result<ApiSurface, GenerateError> {
    let files = opentact_codegen::generate(spec)?;
    api_surface(&files).map_err(|e| GenerateError::Internal {
        step: "diff",
        message: format!("the generated code does not parse: {e}"),
    })
}

/// Compares two API surfaces item by item.
pub fn compare_surfaces(base: &ApiSurface, head: &ApiSurface, attribution: &Attribution) -> Vec<RustChange> {
    let mut out = Vec::new();
    let change =
        |item: &str, before: Option<&SurfaceItem>, after: Option<&SurfaceItem>, level, reason: &str| RustChange {
            group: attribution.group_of(item),
            item: item.to_string(),
            before: before.map(|i| i.signature.clone()),
            after: after.map(|i| i.signature.clone()),
            level,
            reason: reason.to_string(),
        };
    for (key, old) in &base.items {
        match head.items.get(key) {
            None => out.push(change(
                key,
                Some(old),
                None,
                SemverLevel::Major,
                "removed: code that uses it no longer compiles",
            )),
            Some(new) if new != old => out.push(change(
                key,
                Some(old),
                Some(new),
                SemverLevel::Major,
                "changed: code written against the old signature may no longer compile",
            )),
            Some(_) => {}
        }
    }
    for (key, new) in head.items.iter().filter(|(k, _)| !base.items.contains_key(*k)) {
        // A new field or variant breaks code only when its owner existed and was exhaustive.
        let owner_exhaustive = |owner: &str| match base.items.get(owner).map(|o| &o.kind) {
            Some(ItemKind::Struct { exhaustive }) | Some(ItemKind::Enum { exhaustive }) => *exhaustive,
            _ => false,
        };
        let (level, reason) = match &new.kind {
            ItemKind::Field { owner } if owner_exhaustive(owner) => (
                SemverLevel::Major,
                "added to a struct without #[non_exhaustive]: struct literals that name every field no longer compile",
            ),
            ItemKind::Variant { owner } if owner_exhaustive(owner) => {
                (SemverLevel::Major, "added to an enum without #[non_exhaustive]: exhaustive matches no longer compile")
            }
            ItemKind::Variant { .. } => {
                (SemverLevel::Minor, "added to a #[non_exhaustive] enum: matches already have a catch-all arm")
            }
            _ => (SemverLevel::Minor, "added: nothing used it before"),
        };
        out.push(change(key, None, Some(new), level, reason));
    }
    out
}

/// Which operation or schema a generated item belongs to, from the names the generators give:
/// progenitor names methods after the operationId in snake case and builders in upper camel
/// case; typify names types after the schema in upper camel case.
pub struct Attribution {
    operations: BTreeMap<String, String>,
    schemas: BTreeMap<String, String>,
}

impl Attribution {
    fn new(base: &Spec, head: &Spec, renames: &BTreeMap<String, String>) -> Attribution {
        let mut operations = BTreeMap::new();
        let mut schemas = BTreeMap::new();
        for spec in [base, head] {
            let items =
                spec.json.get("paths").and_then(serde_json::Value::as_object).into_iter().flat_map(|p| p.values());
            for op in items.filter_map(serde_json::Value::as_object).flat_map(|item| item.values()) {
                if let Some(id) = op.get("operationId").and_then(serde_json::Value::as_str) {
                    operations.insert(id.to_snake_case(), id.to_string());
                    operations.insert(id.to_upper_camel_case(), id.to_string());
                }
            }
            let schemas_json = spec.json.pointer("/components/schemas").and_then(serde_json::Value::as_object);
            for name in schemas_json.into_iter().flat_map(|m| m.keys()) {
                // A renamed schema's new type is reported under its old name, with the rename.
                let group = renames.iter().find(|(_, new)| *new == name).map_or(name, |(old, _)| old);
                schemas.insert(name.to_upper_camel_case(), group.clone());
                // Enums keep their `E` (plan.rs: `ESIPControlAppMethod` is `ESipControlAppMethod`).
                if let Some(rest) = name.strip_prefix('E').filter(|r| r.starts_with(|c: char| c.is_ascii_uppercase())) {
                    schemas.insert(format!("E{}", rest.to_upper_camel_case()), group.clone());
                }
            }
        }
        Attribution { operations, schemas }
    }

    fn group_of(&self, item: &str) -> Group {
        let segments = item.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|s| !s.is_empty());
        for segment in segments {
            if let Some(schema) = self.schemas.get(segment) {
                return Group::Schema(schema.clone());
            }
            let operation = segment.strip_suffix("When").or_else(|| segment.strip_suffix("Then")).unwrap_or(segment);
            if let Some(op) = self.operations.get(operation) {
                return Group::Operation(op.clone());
            }
        }
        Group::OtherRust
    }
}

#[cfg(test)]
mod tests;
