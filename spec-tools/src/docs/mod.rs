//! The link between Opentact's doc pages and the spec, made mechanical.
//!
//! [`read_page`] reads one doc page (the plain-text scrape `*.txt` or the GitBook markdown
//! export `*.md`) into [`PageFacts`]: facts, not prose (operation name, method, path,
//! parameters, headers, body fields with their types and limits, documented statuses and
//! the example bodies as JSON). [`Facts`] is what the project keeps instead of the pages
//! (`spec/docs-facts.json`). [`compare`] lists every difference between the facts and the
//! spec, each explained by an `x-opentact-errata` entry that `covers` it or unexplained;
//! [`changes`] lists what changed in the docs since the committed facts.
//!
//! A page whose file breaks off before its end is refused, unless it is read with
//! [`Truncated::ReadPartial`] (`--partial`): then the operations before the break are its
//! facts, the source records where it broke off, and the spec's other operations of the page
//! are left unchecked (neither undocumented nor making their errata stale).

mod compare;
mod examples;
mod markdown;
mod page;
mod report;
mod text;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use compare::{Change, Difference, Erratum, PartialPage, Report, Stale, changes, compare, errata, with_spec_names};
pub use examples::{ExampleValidators, replace_placeholders, to_json_schema, validate_example};
pub use report::{render_json, render_text};

/// Where the committed facts live, relative to the workspace root.
pub const FACTS_FILE: &str = "spec/docs-facts.json";

/// Everything the project keeps from the doc pages: one entry per page title.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Facts {
    pub pages: BTreeMap<String, PageFacts>,
}

/// The facts of one doc page (possibly read from both of its formats).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PageFacts {
    /// The page title (`# SIP Control App`, or the first line of the text scrape).
    pub title: String,
    /// The files the facts were read from.
    pub sources: Vec<Source>,
    pub operations: BTreeMap<String, OperationFacts>,
}

/// One file a page's facts came from.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Source {
    /// The file name (no directory: the pages are not part of the repository).
    pub file: String,
    /// `text` or `markdown`.
    pub format: String,
    /// `YYYY-MM-DD`: the file's modification date (the pages carry no date of their own).
    pub date: String,
    /// Where the file breaks off before the page ends (read with `--partial`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub truncated: Option<Truncation>,
}

/// Where a page's file breaks off: its facts are the operations before that line.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Truncation {
    /// The line (1-based) where the file stops being readable.
    pub line: usize,
    /// The operation the break cuts off: its facts are not kept.
    pub operation: String,
}

/// What reading does with a page whose file breaks off before the page ends.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Truncated {
    /// An error, which names the operations [`Truncated::ReadPartial`] would read.
    #[default]
    Refuse,
    /// Read the operations before the break (the one it cuts off is dropped) and record the
    /// break in the page's [`Source`]: the page is partial.
    ReadPartial,
}

/// What a page says about one operation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OperationFacts {
    pub method: String,
    /// The documented URL as written (host included).
    pub url: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub path_parameters: BTreeMap<String, FieldFacts>,
    /// Header name to its documented value (`JWT_TOKEN`, `application/json`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// Request body fields by name (an unnamed table row is the name "").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<BTreeMap<String, FieldFacts>>,
    /// Documented response statuses and their example bodies.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub responses: BTreeMap<String, ResponseFacts>,
    /// The request body the page's curl example sends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_example: Option<Value>,
}

/// A documented response status.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ResponseFacts {
    /// The example body, exactly as documented (placeholders included).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<Value>,
}

/// A parameter or body field: its type and every machine-readable constraint the docs give.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FieldFacts {
    #[serde(rename = "type")]
    pub kind: String,
    /// The named type in parentheses, `(EVoiceRecordCallType)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    #[serde(default, rename = "enum", skip_serializing_if = "Option::is_none")]
    pub enum_values: Option<Vec<Value>>,
    /// "Array of numbers" in the description: the type of the items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items_format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_items: Option<u64>,
}

/// A page that cannot be read: the file, the line (1-based) and why. Never a partial read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageError {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for PageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for PageError {}

/// The whole check: `committed` facts against the spec, or, when pages were read, those
/// pages' facts (and the committed facts of the other pages) against the spec, plus what
/// changed since `committed`.
pub fn check(spec: &opentact_codegen::Spec, committed: &Facts, read: Option<&Facts>) -> Report {
    match read {
        None => compare(committed, spec),
        Some(read) => {
            // The pages not given are what their committed facts say: checking one changed
            // page must not call the other pages' errata stale.
            let mut report = compare(&committed.updated_with(read), spec);
            report.changes = changes(committed, read);
            report
        }
    }
}

/// Reads one doc page file; its date is the file's modification date.
pub fn read_page(path: &Path, truncated: Truncated) -> Result<PageFacts, PageError> {
    let error = |line, message: String| PageError { file: path.to_path_buf(), line, message };
    let bytes = std::fs::read(path).map_err(|e| error(None, format!("cannot read: {e}")))?;
    let date = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .map(page::date_of)
        .map_err(|e| error(None, format!("cannot read the modification date: {e}")))?;
    parse_page(path, &bytes, &date, truncated)
}

/// Parses the bytes of a page named `path` (`.txt` or `.md`), dated `date`.
pub fn parse_page(path: &Path, bytes: &[u8], date: &str, truncated: Truncated) -> Result<PageFacts, PageError> {
    let error = |line, message: String| PageError { file: path.to_path_buf(), line, message };
    if bytes.contains(&0) {
        return Err(error(None, "binary file (it contains NUL bytes), not a doc page".into()));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() + 1;
        error(Some(line), format!("not UTF-8 text ({e})"))
    })?;
    if text.trim().is_empty() {
        return Err(error(Some(1), "empty page".into()));
    }
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default();
    let (format, raw) = match ext {
        "txt" => ("text", text::parse(text)),
        "md" => ("markdown", markdown::parse(text)),
        _ => {
            return Err(error(
                None,
                format!(
                    "unknown page format `.{ext}`: expected the text scrape (.txt) or the GitBook markdown export (.md)"
                ),
            ));
        }
    };
    let mut raw = raw.map_err(|(line, message)| error(Some(line), message))?;
    let truncation = match raw.truncated.take() {
        None => None,
        Some((line, why)) => {
            // The operation the break falls in may miss facts: it is cut off.
            let Some(cut_off) = raw.operations.pop() else {
                return Err(error(Some(line), format!("{why}; the page breaks off before any operation")));
            };
            let read: Vec<&str> = raw.operations.iter().map(|o| o.name.as_str()).collect();
            if read.is_empty() {
                return Err(error(
                    Some(line),
                    format!("{why}; the page breaks off in its first operation, {}", cut_off.name),
                ));
            }
            if truncated == Truncated::Refuse {
                return Err(error(
                    Some(line),
                    format!(
                        "{why}; the page breaks off in operation {}: `--partial` reads the {} operation{} before it ({}) and records the page as partial",
                        cut_off.name,
                        read.len(),
                        if read.len() == 1 { "" } else { "s" },
                        read.join(", ")
                    ),
                ));
            }
            Some(Truncation { line, operation: cut_off.name })
        }
    };
    let mut facts = page::build(raw).map_err(|(line, message)| error(Some(line), message))?;
    let file = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    facts.sources = vec![Source { file, format: format.into(), date: date.into(), truncated: truncation }];
    Ok(facts)
}

/// Reads several pages into one [`Facts`]. The two formats of one page (same title) are
/// merged: facts only one of them has are taken, facts they disagree on are an error.
pub fn read_pages(paths: &[PathBuf], truncated: Truncated) -> Result<Facts, PageError> {
    let mut facts = Facts::default();
    for path in paths {
        let page = read_page(path, truncated)?;
        page::merge_into(&mut facts, page).map_err(|message| PageError { file: path.clone(), line: None, message })?;
    }
    Ok(facts)
}

impl Facts {
    /// The committed facts file's text: sorted keys, two-space indent, trailing newline.
    pub fn to_json(&self) -> String {
        // Going through Value with sorted maps keeps the layout independent of struct order.
        let value = serde_json::to_value(self).unwrap_or(Value::Null);
        let mut text = serde_json::to_string_pretty(&sorted(value)).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Parses the committed facts file.
    pub fn from_json(path: &Path, text: &str) -> Result<Facts, PageError> {
        serde_json::from_str(text).map_err(|e| PageError {
            file: path.to_path_buf(),
            line: Some(e.line()),
            message: format!("not a facts file: {e}"),
        })
    }

    /// These facts with the pages of `read` replacing (or adding to) the pages of the same
    /// title: what `--accept` keeps when only some pages were read.
    pub fn updated_with(&self, read: &Facts) -> Facts {
        let mut out = self.clone();
        out.pages.extend(read.pages.iter().map(|(title, page)| (title.clone(), page.clone())));
        out
    }

    /// How many facts a page holds (see [`PageFacts::count`]).
    pub fn count(&self) -> usize {
        self.pages.values().map(PageFacts::count).sum()
    }
}

impl PageFacts {
    /// Whether every file of the page broke off before its end (see [`Truncation`]): the
    /// facts then cover only the operations read, and the spec's other operations of the page
    /// are not checked. One whole file of the page (the other format) makes it whole.
    pub fn is_partial(&self) -> bool {
        !self.sources.is_empty() && self.sources.iter().all(|s| s.truncated.is_some())
    }

    /// The number of facts: per operation its method and path, each parameter, header, body
    /// field constraint, status and example.
    pub fn count(&self) -> usize {
        self.operations.values().map(OperationFacts::count).sum()
    }
}

impl OperationFacts {
    pub fn count(&self) -> usize {
        let fields = |m: &BTreeMap<String, FieldFacts>| m.values().map(FieldFacts::count).sum::<usize>();
        2 + fields(&self.path_parameters)
            + self.headers.len()
            + self.body.as_ref().map_or(0, fields)
            + self.responses.values().map(|r| 1 + usize::from(r.example.is_some())).sum::<usize>()
            + usize::from(self.request_example.is_some())
    }
}

impl FieldFacts {
    pub fn count(&self) -> usize {
        1 + [
            self.type_name.is_some(),
            self.format.is_some(),
            self.pattern.is_some(),
            self.required.is_some(),
            self.default.is_some(),
            self.minimum.is_some(),
            self.maximum.is_some(),
            self.min_length.is_some(),
            self.max_length.is_some(),
            self.enum_values.is_some(),
            self.items.is_some(),
            self.items_format.is_some(),
            self.min_items.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count()
    }
}

/// `value` with every object's keys in sorted order (serde_json keeps insertion order here).
fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}
