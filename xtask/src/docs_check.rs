//! `cargo xtask docs-check`: the doc pages (or the committed facts) against the spec. The
//! reading and comparing is `opentact_spec_tools::docs`; this only does files and the outcome.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use opentact_spec_tools::docs::{self, FACTS_FILE, Facts, Truncated};

use crate::{Outcome, spec};

/// How `docs-check` runs (its flags).
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Rewrite the committed facts from the pages read.
    pub accept: bool,
    /// Print the report as JSON.
    pub json: bool,
    /// Read a page that breaks off before its end: the operations before the break.
    pub partial: bool,
}

/// Runs the check and prints the report (text, or JSON with `json`) on stdout. With `pages`,
/// they are read and compared; `accept` then rewrites the committed facts from them. A page
/// whose file breaks off before its end is an error unless `partial`: then the operations
/// before the break are read (printed on stderr) and the page is recorded as partial. Exit
/// codes (documented in `cargo xtask docs-check --help`): `Success` (0) no unexplained
/// difference and no stale erratum, `Failure` (1) unexplained differences or stale errata, an
/// error (2) a page, the facts or the spec cannot be read, or `--accept` or `--partial`
/// without pages.
pub fn docs_check(root: &Path, pages: &[PathBuf], options: &Options) -> Result<Outcome> {
    let Options { accept, json, partial } = *options;
    if accept && pages.is_empty() {
        bail!("--accept needs the pages to take the facts from");
    }
    if partial && pages.is_empty() {
        bail!("--partial needs the pages to read");
    }
    let spec = spec::working(root)?;
    let facts_path = root.join(FACTS_FILE);
    let committed = match std::fs::read_to_string(&facts_path) {
        Ok(text) => Facts::from_json(&facts_path, &text).map_err(|e| anyhow!("{e}"))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !pages.is_empty() => Facts::default(),
        Err(e) => {
            bail!("{}: {e} (run with the doc pages and --accept to create it)", facts_path.display());
        }
    };
    let truncated = if partial { Truncated::ReadPartial } else { Truncated::Refuse };
    let read =
        if pages.is_empty() { None } else { Some(docs::read_pages(pages, truncated).map_err(|e| anyhow!("{e}"))?) };
    for (title, page) in read.iter().flat_map(|r| &r.pages) {
        for (source, t) in page.sources.iter().filter_map(|s| s.truncated.as_ref().map(|t| (s, t))) {
            eprintln!("{} breaks off at line {}, in {}: that operation is not read", source.file, t.line, t.operation);
        }
        let read: Vec<&str> = page.operations.keys().map(String::as_str).collect();
        if page.is_partial() {
            eprintln!("partial page {title:?}: read {} operations: {}", read.len(), read.join(", "));
        } else if page.sources.iter().any(|s| s.truncated.is_some()) {
            eprintln!("page {title:?}: another of its files is whole, so the page is not partial");
        }
    }
    let report = docs::check(&spec, &committed, read.as_ref());
    if json {
        print!("{}", docs::render_json(&report));
    } else {
        print!("{}", docs::render_text(&report));
    }
    if accept && let Some(read) = &read {
        // Pages not given keep their committed facts.
        let accepted = committed.updated_with(read);
        let files = BTreeMap::from([(PathBuf::from(FACTS_FILE), accepted.to_json())]);
        crate::files::write_all(root, &files).with_context(|| format!("writing {FACTS_FILE}"))?;
        eprintln!("wrote {FACTS_FILE} ({} facts)", accepted.count());
    }
    Ok(Outcome::from_success(report.is_clean()))
}
