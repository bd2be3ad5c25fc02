//! The three forms of a diff report: text for a person, JSON, and a Keep a Changelog section.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::{Value, json};

use super::{Category, Group, Report, RustChange, SemverLevel, WireChange};

fn group_title(group: &Group) -> String {
    match group {
        Group::Document => "the spec as a whole".into(),
        Group::Operation(id) => format!("operation {id}"),
        Group::Schema(name) => format!("schema {name}"),
        Group::OtherRust => "other generated code".into(),
    }
}

fn level_name(level: Option<SemverLevel>) -> &'static str {
    match level {
        None => "none",
        Some(SemverLevel::Minor) => "minor",
        Some(SemverLevel::Major) => "major",
    }
}

/// The changes of one group, in report order.
struct Grouped<'a> {
    wire: Vec<&'a WireChange>,
    rust: Vec<&'a RustChange>,
}

fn grouped(report: &Report) -> BTreeMap<&Group, Grouped<'_>> {
    let mut out: BTreeMap<&Group, Grouped> = BTreeMap::new();
    for change in &report.wire {
        out.entry(&change.group).or_insert_with(|| Grouped { wire: vec![], rust: vec![] }).wire.push(change);
    }
    for change in &report.rust {
        out.entry(&change.group).or_insert_with(|| Grouped { wire: vec![], rust: vec![] }).rust.push(change);
    }
    out
}

fn located(change: &WireChange) -> String {
    if change.location.is_empty() {
        change.description.clone()
    } else {
        format!("{}: {}", change.location, change.description)
    }
}

fn rust_line(change: &RustChange) -> String {
    match (&change.before, &change.after) {
        (None, Some(after)) => format!("+ {} {after}", change.item),
        (Some(before), None) => format!("- {} {before}", change.item),
        (Some(before), Some(after)) => format!("~ {} {before} -> {after}", change.item),
        (None, None) => change.item.clone(),
    }
}

impl Report {
    /// One line saying what the whole change needs.
    pub fn summary(&self) -> String {
        if self.is_empty() {
            return format!("no changes between {} and {}", self.base, self.head);
        }
        let breaking_wire = self.wire.iter().filter(|c| c.breaking).count();
        let wire = if self.wire.is_empty() {
            "no wire changes".to_string()
        } else {
            let n = self.wire.len();
            format!("{n} wire change{}, {breaking_wire} breaking", if n == 1 { "" } else { "s" })
        };
        let rust = match (self.rust_level(), self.next_version()) {
            (None, _) => "Rust API unchanged".to_string(),
            (Some(level), Some(next)) => {
                format!("Rust API: {} change, next version {next}", level_name(Some(level)))
            }
            (Some(level), None) => format!("Rust API: {} change", level_name(Some(level))),
        };
        format!("{} -> {}: {wire}; {rust}", self.base, self.head)
    }

    /// For a person: grouped by operation and schema, one line per change and its reason.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{}", self.summary());
        for (group, changes) in grouped(self) {
            let _ = writeln!(out, "\n{}", group_title(group));
            for change in &changes.wire {
                let mark = if change.breaking { "BREAKING" } else { "ok" };
                let _ = writeln!(out, "  {mark:<9}{}", located(change));
                let _ = writeln!(out, "  {:<9}  {}", "", change.reason);
            }
            for change in &changes.rust {
                let mark = match change.level {
                    SemverLevel::Major => "rust MAJOR",
                    SemverLevel::Minor => "rust minor",
                };
                let _ = writeln!(out, "  {mark:<11}{}", rust_line(change));
                let _ = writeln!(out, "  {:<11}  {}", "", change.reason);
            }
        }
        out
    }

    /// Machine-readable.
    pub fn to_json(&self) -> Value {
        let groups: Vec<Value> = grouped(self)
            .into_iter()
            .map(|(group, changes)| {
                let (kind, name) = match group {
                    Group::Document => ("document", None),
                    Group::Operation(id) => ("operation", Some(id.as_str())),
                    Group::Schema(name) => ("schema", Some(name.as_str())),
                    Group::OtherRust => ("other", None),
                };
                json!({
                    "kind": kind,
                    "name": name,
                    "wire": changes.wire.iter().map(|c| json!({
                        "location": c.location,
                        "category": category_name(c.category),
                        "description": c.description,
                        "breaking": c.breaking,
                        "reason": c.reason,
                    })).collect::<Vec<_>>(),
                    "rust_api": changes.rust.iter().map(|c| json!({
                        "item": c.item,
                        "before": c.before,
                        "after": c.after,
                        "level": level_name(Some(c.level)),
                        "reason": c.reason,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        json!({
            "base": self.base,
            "head": self.head,
            "breaking": self.breaking(),
            "wire": { "changes": self.wire.len(), "breaking": self.wire_breaking() },
            "rust_api": {
                "changes": self.rust.len(),
                "level": level_name(self.rust_level()),
                "current_version": self.client_version,
                "next_version": self.next_version(),
            },
            "groups": groups,
        })
    }

    /// The "Unreleased" section of CHANGELOG.md (Keep a Changelog 1.1.0).
    pub fn to_markdown(&self) -> String {
        let mut out = String::from("## [Unreleased]\n\n");
        if self.is_empty() {
            out.push_str("No changes to the spec or the client's API.\n");
            return out;
        }
        let rust = match (self.rust_level(), self.next_version()) {
            (None, _) => "unchanged".to_string(),
            (Some(SemverLevel::Major), Some(next)) => format!("breaking, needs version {next}"),
            (Some(SemverLevel::Minor), Some(next)) => format!("additions only, version {next}"),
            (Some(SemverLevel::Major), None) => "breaking, needs a new major version (0.x: minor)".into(),
            (Some(SemverLevel::Minor), None) => "additions only, a new minor version (0.x: patch)".into(),
        };
        let breaking = self.wire.iter().filter(|c| c.breaking).count();
        let _ = writeln!(
            out,
            "Spec changes since `{}` (written by `cargo xtask diff --markdown`). Wire: {}. Rust API of \
             `opentact-client`: {rust}.\n",
            self.base,
            match breaking {
                0 => "nothing breaks".to_string(),
                1 => "1 breaking change".to_string(),
                n => format!("{n} breaking changes"),
            },
        );
        for category in [Category::Added, Category::Changed, Category::Removed] {
            let mut lines = Vec::new();
            for (group, changes) in grouped(self) {
                for change in changes.wire.iter().filter(|c| c.category == category) {
                    let mark = if change.breaking { "**Breaking:** " } else { "" };
                    lines.push(format!("- {mark}{}: {} ({})", group_title(group), located(change), change.reason));
                }
                for change in changes.rust.iter().filter(|c| rust_category(c) == category) {
                    let mark = if change.level == SemverLevel::Major { "**Breaking:** " } else { "" };
                    lines.push(format!(
                        "- {mark}Rust API ({}): `{}` {} ({})",
                        group_title(group),
                        change.item,
                        rust_detail(change),
                        change.reason
                    ));
                }
            }
            if !lines.is_empty() {
                let _ = writeln!(out, "### {}\n\n{}\n", category_name(category), lines.join("\n"));
            }
        }
        out
    }
}

fn category_name(category: Category) -> &'static str {
    match category {
        Category::Added => "Added",
        Category::Changed => "Changed",
        Category::Removed => "Removed",
    }
}

fn rust_category(change: &RustChange) -> Category {
    match (&change.before, &change.after) {
        (None, _) => Category::Added,
        (_, None) => Category::Removed,
        _ => Category::Changed,
    }
}

fn rust_detail(change: &RustChange) -> String {
    match (&change.before, &change.after) {
        (None, Some(after)) => format!("added: `{after}`"),
        (Some(before), None) => format!("removed: was `{before}`"),
        (Some(before), Some(after)) => format!("`{before}` is now `{after}`"),
        (None, None) => String::new(),
    }
}
