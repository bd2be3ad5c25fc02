//! The plain-text scrape of a doc page: one token per line (blank lines between tokens or
//! not), table headings and rows as name / type / notes lines, JSON examples as they were
//! rendered (an example may run into the next token on its last line: `}Code Example`).

use serde_json::Value;

use super::page::{ParseError, RawOperation, RawPage, Row, TYPES, Table, is_operation_name, method_and_url};

enum Token {
    Line(usize, String),
    Json(usize, Value),
    Curl(usize, String),
}

/// Splits the text into lines, JSON values and curl commands; and where the page ends inside
/// a JSON example (the tokens stop there).
fn tokens(text: &str) -> Result<(Vec<Token>, Option<ParseError>), ParseError> {
    let line_at = |offset: usize| text[..offset].matches('\n').count() + 1;
    let mut out = Vec::new();
    let mut offset = 0;
    while offset < text.len() {
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let line = text[offset..end].trim();
        let line_no = line_at(offset);
        if line.starts_with('{') {
            let start = offset + text[offset..end].find('{').unwrap_or(0);
            let mut stream = serde_json::Deserializer::from_str(&text[start..]).into_iter::<Value>();
            match stream.next() {
                Some(Ok(value)) => {
                    out.push(Token::Json(line_no, value));
                    let after = start + stream.byte_offset();
                    // What follows the value on its last line is the next token.
                    let rest_end = text[after..].find('\n').map_or(text.len(), |i| after + i);
                    let rest = text[after..rest_end].trim();
                    if !rest.is_empty() {
                        out.push(Token::Line(line_at(after), rest.to_string()));
                    }
                    offset = rest_end + 1;
                }
                // The page ends inside the value: it breaks off here.
                Some(Err(e)) if e.is_eof() => {
                    let why = format!(
                        "the JSON example that starts here is not valid JSON, the page ends in it (truncated?): {e}"
                    );
                    return Ok((out, Some((line_no, why))));
                }
                Some(Err(e)) => {
                    return Err((
                        line_no + e.line().saturating_sub(1),
                        format!("the JSON example that starts on line {line_no} is not valid JSON: {e}"),
                    ));
                }
                None => return Ok((out, Some((line_no, "a JSON example starts here but the page ends".into())))),
            }
            continue;
        }
        if line.starts_with("curl ") {
            let mut command = String::new();
            let mut cursor = offset;
            loop {
                let e = text[cursor..].find('\n').map_or(text.len(), |i| cursor + i);
                let part = text[cursor..e].trim();
                command.push_str(part.trim_end_matches('\\'));
                command.push(' ');
                cursor = e + 1;
                if !part.ends_with('\\') || cursor >= text.len() {
                    break;
                }
            }
            out.push(Token::Curl(line_no, command));
            offset = cursor;
            continue;
        }
        if !line.is_empty() {
            out.push(Token::Line(line_no, line.to_string()));
        }
        offset = end + 1;
    }
    Ok((out, None))
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')) && !TYPES.contains(&s)
}

/// Parses the text scrape of one page.
pub(super) fn parse(text: &str) -> Result<RawPage, ParseError> {
    let (tokens, mut truncated) = tokens(text)?;
    let line = |i: usize| match tokens.get(i) {
        Some(Token::Line(_, s)) => Some(s.as_str()),
        _ => None,
    };
    let line_no = |i: usize| match tokens.get(i) {
        Some(Token::Line(n, _) | Token::Json(n, _) | Token::Curl(n, _)) => *n,
        None => text.lines().count(),
    };
    let mut page = RawPage { title: line(0).unwrap_or_default().to_string(), ..RawPage::default() };
    let mut table: Option<Table> = None;
    let mut footer = false;
    let mut i = 1;
    while i < tokens.len() {
        // A new operation: its name, then the method and URL (on one line or two).
        if let Some(name) = line(i).filter(|n| is_operation_name(n))
            && let Some((method, mut url)) = line(i + 1).and_then(method_and_url)
        {
            let mut next = i + 2;
            if url.is_empty() {
                match line(next) {
                    Some(u) if u.starts_with("http") => url = u.to_string(),
                    // The page breaks off between the method and the URL: this is the
                    // operation cut off.
                    None if next >= tokens.len() => {
                        truncated.get_or_insert_with(|| {
                            (line_no(i + 1), format!("the page ends after {method}, before the URL (truncated?)"))
                        });
                    }
                    _ => return Err((line_no(i + 1), format!("operation {name}: {method} is not followed by a URL"))),
                }
                next += 1;
            }
            page.operations.push(RawOperation {
                line: line_no(i),
                name: name.into(),
                method,
                url,
                ..Default::default()
            });
            table = None;
            i = next;
            continue;
        }
        if line(i) == Some("Last updated") {
            footer = true;
            table = None;
            i += 1;
            continue;
        }
        let Some(op) = page.operations.last_mut() else {
            i += 1; // the page's own description, before the first operation
            continue;
        };
        match &tokens[i] {
            Token::Json(n, value) => {
                table = None;
                op.examples.push((*n, None, value.clone()));
            }
            Token::Curl(n, command) => op.curls.push((*n, command.clone())),
            Token::Line(n, s) => {
                if let Some(t) = Table::from_heading(s) {
                    table = Some(t);
                    op.has_body |= t == Table::Body;
                    if line(i + 1) == Some("Name") && line(i + 2) == Some("Type") && line(i + 3) == Some("Description")
                    {
                        i += 3;
                    }
                } else if s == "Code Example" {
                    table = None;
                } else if let Some(t) = table {
                    if is_name(s) && line(i + 1).is_some_and(|k| TYPES.contains(&k)) {
                        let kind = line(i + 1).unwrap_or_default().to_string();
                        op.rows.push((t, Row { line: *n, name: s.clone(), kind, notes: Vec::new() }));
                        i += 1;
                    } else if TYPES.contains(&s.as_str()) {
                        // A row whose name cell is empty.
                        op.rows.push((t, Row { line: *n, name: String::new(), kind: s.clone(), notes: Vec::new() }));
                    } else if let Some((_, row)) = op.rows.last_mut().filter(|(rt, _)| *rt == t) {
                        row.notes.push(s.clone());
                    } else {
                        return Err((*n, format!("expected a table row (a name, then a type), found {s:?}")));
                    }
                }
                // Anything else is prose (an operation's description).
            }
        }
        i += 1;
    }
    if !footer && truncated.is_none() {
        truncated =
            Some((line_no(tokens.len()), "the page ends without the \"Last updated\" footer (truncated?)".into()));
    }
    page.truncated = truncated;
    Ok(page)
}
