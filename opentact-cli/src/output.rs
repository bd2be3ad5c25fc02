//! How a payload is printed: JSON (pretty on a terminal, one line otherwise), or a table.

use std::io::IsTerminal;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::Error;

/// Columns shown first in a table, when the rows have them.
const FIRST_COLUMNS: [&str; 8] = ["uuid", "name", "state", "status", "tn", "type", "created_on", "updated_on"];
/// At most this many columns: a table is for a quick look; `--output json` has everything.
const MAX_COLUMNS: usize = 8;

/// A payload as JSON, without the fields that have no value (the client's types write an
/// absent optional field as `null`; the service leaves most of them out).
pub(crate) fn to_json<T: Serialize>(payload: T) -> Result<Value, Error> {
    let mut value =
        serde_json::to_value(payload).map_err(|e| Error::Local(format!("cannot show the payload as JSON: {e}")))?;
    drop_nulls(&mut value);
    Ok(value)
}

fn drop_nulls(value: &mut Value) {
    match value {
        Value::Object(fields) => {
            fields.retain(|_, v| !v.is_null());
            fields.values_mut().for_each(drop_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

/// How to print.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Table,
}

/// The text to print for `payload`; `raw` wraps it in the service's envelope.
pub fn render(payload: Value, format: Format, raw: bool, terminal: bool) -> String {
    let value = if raw { serde_json::json!({ "success": true, "payload": payload }) } else { payload };
    match (format, &value) {
        (Format::Table, Value::Array(rows)) if !raw => table(rows),
        (Format::Table, Value::Object(fields)) if !raw => fields_table(fields),
        _ if terminal => serde_json::to_string_pretty(&value).unwrap_or_default(),
        _ => value.to_string(),
    }
}

/// Whether stdout is a terminal (a person reading).
pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => format!("[{}]", items.len()),
        Some(Value::Object(_)) => "{…}".to_string(),
        Some(other) => other.to_string(),
    }
}

/// Rows of objects: the preferred columns first, then the others of the first rows.
fn table(rows: &[Value]) -> String {
    let mut columns: Vec<String> =
        FIRST_COLUMNS.iter().filter(|c| rows.iter().any(|r| r.get(**c).is_some())).map(|c| c.to_string()).collect();
    for row in rows {
        for (key, value) in row.as_object().into_iter().flatten() {
            if columns.len() < MAX_COLUMNS && !value.is_object() && !value.is_array() && !columns.contains(key) {
                columns.push(key.clone());
            }
        }
    }
    if columns.is_empty() {
        return rows.iter().map(|r| cell(Some(r))).collect::<Vec<_>>().join("\n");
    }
    let cells: Vec<Vec<String>> = rows.iter().map(|r| columns.iter().map(|c| cell(r.get(c))).collect()).collect();
    let header: Vec<String> = columns.iter().map(|c| c.to_uppercase()).collect();
    aligned(std::iter::once(header).chain(cells).collect())
}

/// One object: a row per field.
fn fields_table(fields: &Map<String, Value>) -> String {
    aligned(fields.iter().map(|(k, v)| vec![k.clone(), cell(Some(v))]).collect())
}

fn aligned(rows: Vec<Vec<String>>) -> String {
    let columns = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> =
        (0..columns).map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0)).collect();
    rows.iter()
        .map(|row| {
            let cells: Vec<String> = row.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
            cells.join("  ").trim_end().to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_puts_the_usual_columns_first_and_aligns_them() {
        let rows = serde_json::json!([
            {"tech_prefix": 1, "name": "Support line", "uuid": "a1", "nested": {"x": 1}},
            {"tech_prefix": 22, "name": "B", "uuid": "b2"}
        ]);
        let text = render(rows, Format::Table, false, false);
        assert_eq!(text, "UUID  NAME          TECH_PREFIX\na1    Support line  1\nb2    B             22");
    }

    #[test]
    fn json_is_pretty_on_a_terminal_and_one_line_otherwise() {
        let value = serde_json::json!({"a": [1]});
        assert_eq!(render(value.clone(), Format::Json, false, false), r#"{"a":[1]}"#);
        assert_eq!(render(value.clone(), Format::Json, false, true), "{\n  \"a\": [\n    1\n  ]\n}");
        let raw: Value = serde_json::from_str(&render(value, Format::Json, true, false)).unwrap_or_default();
        assert_eq!(raw, serde_json::json!({"success": true, "payload": {"a": [1]}}));
    }
}
