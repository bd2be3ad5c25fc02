//! `cargo xtask docs-check`: the doc pages (or the committed facts) against the spec. The
//! reading and comparing is `opentact_spec_tools::docs`; this only does files and exit codes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use opentact_spec_tools::docs::{self, FACTS_FILE, Facts};

/// Exit code: no unexplained difference, no stale erratum.
pub const CLEAN: u8 = 0;
/// Exit code: unexplained differences or stale errata.
pub const DIFFERENCES: u8 = 1;
/// Exit code: a page, the facts or the spec could not be read, or a usage error.
pub const UNREADABLE: u8 = 2;

/// Runs the check and prints the report (text, or JSON with `json`) on stdout, errors on
/// stderr. With `pages`, they are read and compared; `accept` then rewrites the committed
/// facts from them. Returns the exit code.
pub fn docs_check(root: &Path, pages: &[PathBuf], accept: bool, json: bool) -> u8 {
    match run(root, pages, accept, json) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            UNREADABLE
        }
    }
}

fn run(root: &Path, pages: &[PathBuf], accept: bool, json: bool) -> Result<u8, String> {
    if accept && pages.is_empty() {
        return Err("--accept needs the pages to take the facts from".into());
    }
    let spec = opentact_codegen::load(&root.join(crate::SPEC)).map_err(|e| e.to_string())?;
    let facts_path = root.join(FACTS_FILE);
    let committed = match std::fs::read_to_string(&facts_path) {
        Ok(text) => Facts::from_json(&facts_path, &text).map_err(|e| e.to_string())?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !pages.is_empty() => Facts::default(),
        Err(e) => {
            return Err(format!("{}: {e} (run with the doc pages and --accept to create it)", facts_path.display()));
        }
    };
    let read = if pages.is_empty() { None } else { Some(docs::read_pages(pages).map_err(|e| e.to_string())?) };
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
        crate::files::write_all(root, &files).map_err(|e| format!("writing {FACTS_FILE}: {e:#}"))?;
        eprintln!("wrote {FACTS_FILE} ({} facts)", accepted.count());
    }
    Ok(if report.is_clean() { CLEAN } else { DIFFERENCES })
}
