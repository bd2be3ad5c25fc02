//! What both page formats reduce to (tables as rows, examples as JSON), and how rows become
//! facts. The two parsers only find the structure; the meaning of a row is decided here once.

use std::collections::BTreeMap;
use std::sync::LazyLock;
use std::time::SystemTime;

use regex::Regex;
use serde_json::Value;

use super::{Facts, FieldFacts, OperationFacts, PageFacts};

/// A parse failure: the 1-based line and why.
pub(super) type ParseError = (usize, String);

/// A page as its parser found it.
#[derive(Debug, Default)]
pub(super) struct RawPage {
    pub title: String,
    pub operations: Vec<RawOperation>,
    /// Where the file breaks off before the page ends, and the sign of it (an unclosed code
    /// block, no footer). The parser stops there; the last operation is then cut off.
    pub truncated: Option<ParseError>,
}

/// Which table a row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Table {
    PathParameters,
    Headers,
    Body,
}

impl Table {
    /// The table a section heading opens.
    pub fn from_heading(heading: &str) -> Option<Table> {
        match heading.trim() {
            "Path Parameters" => Some(Table::PathParameters),
            "Headers" => Some(Table::Headers),
            "Request Body" => Some(Table::Body),
            _ => None,
        }
    }
}

/// One table row: name, type and the lines of its description cell.
#[derive(Debug)]
pub(super) struct Row {
    pub line: usize,
    pub name: String,
    pub kind: String,
    pub notes: Vec<String>,
}

#[derive(Debug, Default)]
pub(super) struct RawOperation {
    pub line: usize,
    pub name: String,
    pub method: String,
    pub url: String,
    pub rows: Vec<(Table, Row)>,
    /// Whether a Request Body heading was seen (a body table may be empty).
    pub has_body: bool,
    /// (line, status if the page names it, body).
    pub examples: Vec<(usize, Option<String>, Value)>,
    /// (line, the curl command with continuations joined).
    pub curls: Vec<(usize, String)>,
}

/// The types a table row can have.
pub(super) const TYPES: [&str; 6] = ["string", "integer", "number", "boolean", "object", "array"];

/// The methods an operation line can start with.
pub(super) const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/// `YYYY-MM-DD` of a file time (UTC).
pub(super) fn date_of(time: SystemTime) -> String {
    let secs = time.duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let days = (secs / 86_400) as i64;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Whether `name` can be an operation name (`CreateTNOrder`).
pub(super) fn is_operation_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_alphanumeric())
        // `SendSMS`, and a heading in capitals (`SMS`); a lone capital is not a name.
        && (name.chars().any(|c| c.is_ascii_lowercase()) || name.len() > 1)
}

/// Splits `POST https://...` (or a lone method) into method and URL.
pub(super) fn method_and_url(line: &str) -> Option<(String, String)> {
    let mut parts = line.split_whitespace();
    let method = parts.next().filter(|m| METHODS.contains(m))?;
    let url = parts.next().unwrap_or_default();
    if parts.next().is_some() || !(url.is_empty() || url.starts_with("http")) {
        return None;
    }
    Some((method.to_string(), url.to_string()))
}

/// The status an example body implies when the page does not name it: an error body carries
/// its status; a success body is a 200.
pub(super) fn implied_status(body: &Value) -> String {
    match (body.get("success"), body.get("status").and_then(Value::as_u64)) {
        (Some(Value::Bool(false)), Some(status)) => status.to_string(),
        _ => "200".into(),
    }
}

/// The JSON body of a curl command's `-d "..."`, if it has one.
pub(super) fn curl_body(command: &str) -> Result<Option<Value>, String> {
    let Some(start) = command.find("-d \"").or_else(|| command.find("--data \"")) else { return Ok(None) };
    let rest = &command[start..];
    let rest = &rest[rest.find('"').unwrap_or(0) + 1..];
    let mut body = String::new();
    let mut chars = rest.chars();
    loop {
        match chars.next() {
            None => return Err("the curl example's -d \"...\" is not closed".into()),
            Some('\\') => match chars.next() {
                Some(c) => body.push(c),
                None => return Err("the curl example's -d \"...\" is not closed".into()),
            },
            Some('"') => break,
            Some(c) => body.push(c),
        }
    }
    // A body that is not JSON (the SMS page's quote ends the shell string early) is a fact
    // about the page: kept as its text, the comparison reports it against the body schema.
    Ok(Some(serde_json::from_str(&body).unwrap_or(Value::String(body))))
}

static FORMAT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<([a-z][a-z0-9-]*)>").unwrap_or_else(|_| unreachable!()));
static RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\[\s*(-?[0-9.]+)\s*\.\.\s*(-?[0-9.]+)\s*\]\s*(characters|items)?").unwrap_or_else(|_| unreachable!())
});
static BOUND: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(>=|<=)\s*(-?[0-9.]+)").unwrap_or_else(|_| unreachable!()));
static DEFAULT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"Default:\s*(?:"([^"]*)"|(\S+))"#).unwrap_or_else(|_| unreachable!()));
static TYPE_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\(([A-Z][A-Za-z0-9]+)\)").unwrap_or_else(|_| unreachable!()));
static ARRAY_OF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\barray of (strings|numbers|integers|booleans|objects)\b(\s*<([a-z0-9-]+)>)?")
        .unwrap_or_else(|_| unreachable!())
});
static REQUIRED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\brequired\b").unwrap_or_else(|_| unreachable!()));

/// The facts of a row: its type and what its description cell states in machine-readable
/// form. Prose is dropped.
pub(super) fn field(row: &Row) -> Result<FieldFacts, ParseError> {
    if !TYPES.contains(&row.kind.as_str()) {
        return Err((row.line, format!("field `{}` has the unknown type `{}`", row.name, row.kind)));
    }
    let mut facts = FieldFacts { kind: row.kind.clone(), ..FieldFacts::default() };
    let notes = row.notes.join("\n");
    let bad = |what: &str| (row.line, format!("field `{}`: cannot read {what} in {notes:?}", row.name));
    // Enum values run from `Enum:` to the first token that is not a JSON literal.
    let mut prose = notes.clone();
    if let Some(at) = notes.find("Enum:") {
        let mut values = Vec::new();
        let mut end = notes.len();
        let tail = &notes[at + 5..];
        let mut offset = at + 5;
        for token in tail.split_inclusive(char::is_whitespace) {
            let trimmed = token.trim();
            if trimmed.is_empty() {
                offset += token.len();
                continue;
            }
            match serde_json::from_str::<Value>(trimmed) {
                Ok(v @ (Value::Number(_) | Value::String(_))) => values.push(v),
                _ => {
                    end = offset;
                    break;
                }
            }
            offset += token.len();
        }
        if values.is_empty() {
            return Err(bad("the enum values"));
        }
        facts.enum_values = Some(values);
        prose = format!("{} {}", &notes[..at], &notes[end.min(notes.len())..]);
    }
    let array = ARRAY_OF.captures(&prose);
    if let Some(c) = &array {
        facts.items = Some(c[1].to_ascii_lowercase().trim_end_matches('s').to_string());
        facts.items_format = c.get(3).map(|m| m.as_str().to_string());
        if prose.to_ascii_lowercase().contains("non-empty") {
            facts.min_items = Some(1);
        }
    }
    let array_span = array.as_ref().and_then(|c| c.get(0)).map(|m| m.range());
    for c in FORMAT.captures_iter(&prose) {
        let inside = array_span.as_ref().is_some_and(|r| r.contains(&c.get(0).map_or(0, |m| m.start())));
        if !inside {
            facts.format = Some(c[1].to_string());
        }
    }
    if let Some(c) = RANGE.captures(&prose) {
        let low: f64 = c[1].parse().map_err(|_| bad("the range"))?;
        let high: f64 = c[2].parse().map_err(|_| bad("the range"))?;
        match c.get(3).map(|m| m.as_str()) {
            Some("characters") => {
                facts.min_length = Some(low as u64);
                facts.max_length = Some(high as u64);
            }
            Some(_) => {
                facts.min_items = Some(low as u64);
            }
            None => {
                facts.minimum = Some(low);
                facts.maximum = Some(high);
            }
        }
    }
    for c in BOUND.captures_iter(&prose) {
        let bound: f64 = c[2].parse().map_err(|_| bad("a bound"))?;
        if &c[1] == ">=" {
            facts.minimum = Some(bound);
        } else {
            facts.maximum = Some(bound);
        }
    }
    if let Some(c) = DEFAULT.captures(&prose) {
        facts.default = Some(match (c.get(1), c.get(2)) {
            (Some(quoted), _) => Value::String(quoted.as_str().to_string()),
            (None, Some(bare)) => {
                serde_json::from_str(bare.as_str()).unwrap_or_else(|_| Value::String(bare.as_str().into()))
            }
            (None, None) => return Err(bad("the default")),
        });
    }
    if let Some(c) = TYPE_NAME.captures(&prose) {
        facts.type_name = Some(c[1].to_string());
    }
    // A pattern is a token that is anchored at its end and holds a character class.
    facts.pattern = prose.split_whitespace().find(|t| t.ends_with('$') && t.contains('[')).map(str::to_string);
    if REQUIRED.is_match(&prose) {
        facts.required = Some(true);
    }
    Ok(facts)
}

/// Turns a parsed page into facts.
pub(super) fn build(raw: RawPage) -> Result<PageFacts, ParseError> {
    if raw.operations.is_empty() {
        return Err((1, "no operation found (expected an operation name followed by a method and URL)".into()));
    }
    let mut page = PageFacts { title: raw.title, ..PageFacts::default() };
    // A heading that names more than one operation (`Token` on the Authentication page) keys
    // each of them with its method and URL; the spec maps such keys to its operations
    // (`x-opentact-docs-operations`).
    let mut headings: BTreeMap<String, usize> = BTreeMap::new();
    for op in &raw.operations {
        *headings.entry(op.name.clone()).or_default() += 1;
    }
    for mut op in raw.operations {
        if headings[&op.name] > 1 {
            op.name = format!("{} ({} {})", op.name, op.method, op.url);
        }
        if op.method.is_empty() || op.url.is_empty() {
            return Err((op.line, format!("operation {} has no method and URL", op.name)));
        }
        let mut facts = OperationFacts { method: op.method.clone(), url: op.url.clone(), ..OperationFacts::default() };
        if op.has_body {
            facts.body = Some(BTreeMap::new());
        }
        for (table, row) in &op.rows {
            match table {
                Table::PathParameters => {
                    facts.path_parameters.insert(row.name.clone(), field(row)?);
                }
                Table::Headers => {
                    facts.headers.insert(row.name.clone(), row.notes.join(" "));
                }
                Table::Body => {
                    let field = field(row)?;
                    facts.body.get_or_insert_with(BTreeMap::new).insert(row.name.clone(), field);
                }
            }
        }
        for (line, status, body) in op.examples {
            let status = status.unwrap_or_else(|| implied_status(&body));
            let response = facts.responses.entry(status.clone()).or_default();
            if response.example.is_some() {
                return Err((line, format!("operation {}: a second example for status {status}", op.name)));
            }
            response.example = Some(body);
        }
        for (line, command) in &op.curls {
            if let Some(body) = curl_body(command).map_err(|e| (*line, format!("operation {}: {e}", op.name)))? {
                facts.request_example = Some(body);
            }
        }
        if page.operations.insert(op.name.clone(), facts).is_some() {
            return Err((op.line, format!("operation {} appears twice", op.name)));
        }
    }
    Ok(page)
}

/// Adds `page` to `facts`, merging it with the other format of the same page.
pub(super) fn merge_into(facts: &mut Facts, page: PageFacts) -> Result<(), String> {
    let Some(existing) = facts.pages.get_mut(&page.title) else {
        facts.pages.insert(page.title.clone(), page);
        return Ok(());
    };
    let mut existing_json = serde_json::to_value(&existing.operations).map_err(|e| e.to_string())?;
    let new_json = serde_json::to_value(&page.operations).map_err(|e| e.to_string())?;
    merge_json(&mut existing_json, &new_json, &page.title)?;
    existing.operations = serde_json::from_value(existing_json).map_err(|e| e.to_string())?;
    existing.sources.extend(page.sources);
    existing.sources.sort();
    Ok(())
}

/// Union of two fact trees; the same fact with two values is a disagreement between formats.
fn merge_json(into: &mut Value, from: &Value, at: &str) -> Result<(), String> {
    match (into, from) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                match a.get_mut(k) {
                    Some(existing) => merge_json(existing, v, &format!("{at}.{k}"))?,
                    None => {
                        a.insert(k.clone(), v.clone());
                    }
                }
            }
            Ok(())
        }
        (a, b) if a == b => Ok(()),
        (a, b) => Err(format!("the two formats of the page disagree at {at}: {a} and {b}")),
    }
}
