//! The GitBook markdown export of a doc page: `#` page title, `##` operations, a method badge
//! (`<mark>`), `####` tables, `{% tab %}` blocks whose titles are statuses (JSON examples) or
//! languages (code samples; the cURL one carries the request body). An empty (or blank) code
//! block in a status tab is no example, as the export leaves many of them so.

use std::sync::LazyLock;

use regex::Regex;

use super::page::{ParseError, RawOperation, RawPage, Row, Table, is_operation_name};

static BADGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^<mark[^>]*>`([A-Z]+)`</mark>\s*`([^`]+)`\s*$").unwrap_or_else(|_| unreachable!()));
static TAB: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^\{%\s*tab\s+title="([^"]*)"\s*%\}$"#).unwrap_or_else(|_| unreachable!()));
static REQUIRED_MARK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<mark[^>]*>\s*\*\s*</mark>|\*$").unwrap_or_else(|_| unreachable!()));

/// A table cell as text lines: HTML and markdown escapes removed, `<br>` splits lines.
fn cell(raw: &str) -> Vec<String> {
    let mut s = raw.trim().to_string();
    for tag in ["<p>", "</p>", "<code>", "</code>", "`"] {
        s = s.replace(tag, "");
    }
    for (escaped, plain) in [("\\_", "_"), ("\\[", "["), ("\\]", "]"), ("\\*", "*"), ("\\|", "|")] {
        s = s.replace(escaped, plain);
    }
    s.split("<br>").map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect()
}

/// Parses the markdown export of one page.
pub(super) fn parse(text: &str) -> Result<RawPage, ParseError> {
    let lines: Vec<&str> = text.lines().collect();
    let mut page = RawPage::default();
    let mut table: Option<Table> = None;
    let mut table_rows = 0usize;
    let mut tab: Option<String> = None;
    let mut open_tabs: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let n = i + 1;
        let line = lines[i].trim_end();
        if let Some(title) = line.strip_prefix("# ") {
            page.title = title.trim().to_string();
        } else if let Some(name) = line.strip_prefix("## ") {
            let name = name.trim();
            if !is_operation_name(name) {
                return Err((n, format!("expected an operation name after ##, found {name:?}")));
            }
            page.operations.push(RawOperation { line: n, name: name.into(), ..RawOperation::default() });
            table = None;
        } else if line.starts_with("### ") || line == "###" {
            table = None;
        } else if let Some(heading) = line.strip_prefix("#### ") {
            table = Table::from_heading(heading);
            table_rows = 0;
            let op = page.operations.last_mut().ok_or((n, format!("table {heading:?} before any operation")))?;
            if table.is_none() {
                return Err((n, format!("unknown section {heading:?}")));
            }
            op.has_body |= table == Some(Table::Body);
        } else if let Some(c) = BADGE.captures(line) {
            let op = page.operations.last_mut().ok_or((n, "method badge before any operation".to_string()))?;
            op.method = c[1].to_string();
            op.url = c[2].to_string();
        } else if line.starts_with('|') {
            let Some(t) = table else { return Err((n, "a table row outside a table section".into())) };
            table_rows += 1;
            // The first two rows are the column names and the separator.
            if table_rows > 2 {
                let cells: Vec<&str> = line.trim().trim_matches('|').split('|').collect();
                if cells.len() != 3 {
                    return Err((n, format!("expected 3 cells (name, type, description), found {}", cells.len())));
                }
                let name_cell = cells[0].trim();
                let required = REQUIRED_MARK.is_match(name_cell);
                let name = cell(&REQUIRED_MARK.replace_all(name_cell, "")).join(" ");
                let kind = cell(cells[1]).join(" ");
                let mut notes = cell(cells[2]);
                if required {
                    notes.push("required".into());
                }
                let op = page.operations.last_mut().ok_or((n, "table before any operation".to_string()))?;
                op.rows.push((t, Row { line: n, name, kind, notes }));
            }
        } else if line.trim() == "{% tabs %}" {
            open_tabs.push(n);
            table = None;
        } else if line.trim() == "{% endtabs %}" {
            open_tabs.pop().ok_or((n, "{% endtabs %} without {% tabs %}".to_string()))?;
        } else if let Some(c) = TAB.captures(line.trim()) {
            tab = Some(c[1].trim().to_string());
        } else if line.trim() == "{% endtab %}" {
            tab = None;
        } else if line.trim_start().starts_with("```") {
            let start = n;
            let mut body = Vec::new();
            i += 1;
            while i < lines.len() && !lines[i].trim_start().starts_with("```") {
                body.push(lines[i]);
                i += 1;
            }
            if i == lines.len() {
                page.truncated = Some((start, "code block not closed (truncated?)".into()));
                break;
            }
            let Some(op) = page.operations.last_mut() else {
                i += 1;
                continue;
            };
            let title = tab.clone().unwrap_or_default();
            let status: String = title.chars().take_while(char::is_ascii_digit).collect();
            // The export leaves many example tabs empty (or blank): no example there.
            let empty = body.iter().all(|l| l.trim().is_empty());
            if status.len() == 3 && !empty {
                let value = serde_json::from_str(&body.join("\n")).map_err(|e| {
                    (start + e.line(), format!("the {title:?} example of {} is not valid JSON: {e}", op.name))
                })?;
                op.examples.push((start, Some(status), value));
            } else if title.eq_ignore_ascii_case("curl") {
                let command: Vec<&str> = body.iter().map(|l| l.trim().trim_end_matches('\\')).collect();
                op.curls.push((start + 1, command.join(" ")));
            }
        }
        i += 1;
    }
    if let Some(line) = open_tabs.last()
        && page.truncated.is_none()
    {
        page.truncated = Some((*line, "{% tabs %} is never closed (truncated?)".into()));
    }
    Ok(page)
}
