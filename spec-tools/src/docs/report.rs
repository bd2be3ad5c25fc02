//! The docs-check report: text a person reads in one go, or JSON for tools.

use std::fmt::Write;

use super::Report;

/// The report as text: pages read (and, for a partial page, the operations it covers),
/// changes in the docs, differences (each with what the
/// docs and the spec say and the erratum that covers it), stale errata, a summary line.
pub fn render_text(report: &Report) -> String {
    let mut out = String::new();
    for (page, count) in &report.facts {
        let sources = report.sources.get(page).map(|s| s.join(", ")).unwrap_or_default();
        let _ = writeln!(out, "read {page:?} ({sources}): {count} facts");
        if let Some(partial) = report.partial.get(page) {
            let not_checked =
                if partial.not_checked.is_empty() { "none".into() } else { partial.not_checked.join(", ") };
            let _ = writeln!(
                out,
                "  partial page: its facts cover {} ({}); the spec's other operations of the page are not checked: {not_checked}",
                partial.read.len(),
                partial.read.join(", ")
            );
        }
    }
    if !report.changes.is_empty() {
        let _ = writeln!(out, "\nchanged in the docs since the committed facts ({}):", report.changes.len());
        for c in &report.changes {
            let _ = writeln!(out, "  {} / {}: was {}, now {}", c.page, c.fact, c.before, c.after);
        }
    }
    let unexplained: Vec<_> = report.differences.iter().filter(|d| d.errata.is_empty()).collect();
    if !unexplained.is_empty() {
        let _ = writeln!(out, "\nUNEXPLAINED differences between the docs and the spec ({}):", unexplained.len());
        for d in unexplained {
            let _ = writeln!(
                out,
                "  {} / {} / {}\n      docs: {}\n      spec: {}",
                d.page, d.operation, d.fact, d.docs, d.spec
            );
        }
    }
    let explained: Vec<_> = report.differences.iter().filter(|d| !d.errata.is_empty()).collect();
    if !explained.is_empty() {
        let _ = writeln!(out, "\ndifferences explained by errata ({}):", explained.len());
        for d in explained {
            let _ = writeln!(
                out,
                "  {} / {} / {} [{}]\n      docs: {}\n      spec: {}",
                d.page,
                d.operation,
                d.fact,
                d.errata.join(", "),
                d.docs,
                d.spec
            );
        }
    }
    if !report.stale.is_empty() {
        let _ =
            writeln!(out, "\nSTALE errata (they cover a difference that no longer exists) ({}):", report.stale.len());
        for s in &report.stale {
            let _ = writeln!(out, "  {} at {}: covers {}", s.erratum, s.pointer, s.covers);
        }
    }
    if !report.unchecked.is_empty() {
        let _ = writeln!(
            out,
            "\ncovers of operations no page with facts shows (not checked until their page's facts are accepted) ({}):",
            report.unchecked.len()
        );
        for s in &report.unchecked {
            let _ = writeln!(out, "  {} at {}: covers {}", s.erratum, s.pointer, s.covers);
        }
    }
    if !report.without_covers.is_empty() {
        let _ = writeln!(
            out,
            "\nerrata without `covers` (not about a fact the check reads; not checked): {}",
            report.without_covers.join(", ")
        );
    }
    let _ = writeln!(
        out,
        "\n{} facts read, {} changes in the docs, {} differences, {} explained, {} unexplained, {} stale errata",
        report.facts_read(),
        report.changes.len(),
        report.differences.len(),
        report.explained(),
        report.unexplained(),
        report.stale.len()
    );
    out
}

/// The report as JSON (the same content, plus the summary counts).
pub fn render_json(report: &Report) -> String {
    let mut value = serde_json::to_value(report).unwrap_or_default();
    value["summary"] = serde_json::json!({
        "facts": report.facts_read(),
        "changes": report.changes.len(),
        "differences": report.differences.len(),
        "explained": report.explained(),
        "unexplained": report.unexplained(),
        "stale": report.stale.len(),
        "unchecked": report.unchecked.len(),
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}
