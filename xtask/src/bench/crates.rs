//! The crates `cargo xtask bench` builds beside the workspace, under `target/bench/`:
//! openapi-generator's (made buildable on its own), the client as of `--before REV`, and the
//! decode comparison, written from the templates in `compare/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use super::measure::{remove, run};

/// Where openapi-generator's crate is generated, relative to `target/bench`.
pub(super) const THEIRS: &str = "openapi-generator";
/// The crate name openapi-generator is told to use.
pub(super) const THEIRS_CRATE: &str = "opentact-openapi";

const COMPARE_MANIFEST: &str = include_str!("compare/Cargo.toml.template");
const COMPARE_MAIN: &str = include_str!("compare/main.rs.template");

/// Makes openapi-generator's crate buildable on its own: its own workspace, and our lock file
/// so that the crates both use are at the same versions.
pub(super) fn prepare_theirs(root: &Path, dir: &Path) -> Result<()> {
    let manifest = dir.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest).context("reading openapi-generator's Cargo.toml")?;
    if !text.contains("\n[workspace]") {
        text.push_str("\n[workspace]\n");
        std::fs::write(&manifest, text)?;
    }
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
    // Resolve and download now, so that no clean build below times the network.
    run(Command::new("cargo").arg("fetch").arg("--manifest-path").arg(&manifest))
}

/// `git archive` of the client (and what its workspace needs) at `rev`, renamed to
/// `opentact-client-before` so that it can sit beside today's client in one build.
pub(super) fn extract_before(root: &Path, rev: &str, dir: &Path) -> Result<()> {
    remove(dir)?;
    std::fs::create_dir_all(dir)?;
    let archive = Command::new("git")
        .current_dir(root)
        .args(["archive", "--format=tar", rev, "Cargo.toml", "Cargo.lock", "opentact-client"])
        .output()
        .context("running git archive")?;
    if !archive.status.success() {
        bail!("git archive {rev}: {}", String::from_utf8_lossy(&archive.stderr));
    }
    let mut tar = Command::new("tar").current_dir(dir).arg("-x").stdin(std::process::Stdio::piped()).spawn()?;
    std::io::Write::write_all(tar.stdin.as_mut().context("tar's stdin")?, &archive.stdout)?;
    drop(tar.stdin.take());
    if !tar.wait()?.success() {
        bail!("tar could not unpack the archive of {rev}");
    }
    let workspace = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&workspace)?;
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with("default-members"))
        .map(|l| if l.starts_with("members") { "members = [\"opentact-client\"]" } else { l })
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&workspace, text)?;
    let manifest = dir.join("opentact-client/Cargo.toml");
    let text = std::fs::read_to_string(&manifest)?;
    // `workspace = ".."`: inherit that revision's `[workspace.dependencies]`. Without it cargo,
    // loading the crate as a path dependency from under this workspace's `target/`, took
    // today's root manifest instead and failed on a dependency that has since gone.
    let text = text.replacen("name = \"opentact-client\"", "name = \"opentact-client-before\"", 1);
    std::fs::write(&manifest, text.replacen("[package]", "[package]\nworkspace = \"..\"", 1))?;
    // Benches and examples of that revision are not needed (and may not build there).
    for extra in ["benches", "examples"] {
        remove(&dir.join("opentact-client").join(extra))?;
    }
    let text = std::fs::read_to_string(&manifest)?;
    let text = text.split("\n[[bench]]").next().unwrap_or(&text).to_string();
    std::fs::write(&manifest, text)?;
    run(Command::new("cargo").arg("fetch").arg("--manifest-path").arg(&workspace))
}

/// The crate that runs the decode benchmark with openapi-generator's models (and, with
/// `before`, the client as it was) as extra decoders: `compare/*.template` rendered into
/// `<dir>/compare`.
pub(super) fn write_compare_crate(root: &Path, dir: &Path, before: bool) -> Result<PathBuf> {
    let crate_dir = dir.join("compare");
    std::fs::create_dir_all(crate_dir.join("src"))?;
    let client = root.join("opentact-client");
    let values = [
        ("client", format!("{client:?}")),
        ("support", format!("{:?}", client.join("benches/support/mod.rs"))),
        ("theirs_crate", THEIRS_CRATE.to_string()),
        ("theirs_dir", THEIRS.to_string()),
    ];
    std::fs::write(crate_dir.join("Cargo.toml"), render(COMPARE_MANIFEST, before, &values))?;
    std::fs::write(crate_dir.join("src/main.rs"), render(COMPARE_MAIN, before, &values))?;
    // Same crate versions as the workspace where they overlap.
    if !crate_dir.join("Cargo.lock").exists() {
        std::fs::copy(root.join("Cargo.lock"), crate_dir.join("Cargo.lock"))?;
    }
    Ok(crate_dir)
}

/// A template with `{{name}}` replaced by its value. Lines marked `//before ` or `#before `
/// (after their indentation) are kept without the mark when `before`, and dropped otherwise.
fn render(template: &str, before: bool, values: &[(&str, String)]) -> String {
    let mut out = String::new();
    for line in template.lines() {
        let code = line.trim_start();
        let indent = &line[..line.len() - code.len()];
        match code.strip_prefix("//before ").or_else(|| code.strip_prefix("#before ")) {
            Some(code) if before => out.push_str(&format!("{indent}{code}\n")),
            Some(_) => {}
            None => out.push_str(&format!("{line}\n")),
        }
    }
    for (name, value) in values {
        out = out.replace(&format!("{{{{{name}}}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{COMPARE_MAIN, COMPARE_MANIFEST, render};

    #[test]
    fn the_templates_render_with_and_without_before() {
        let values = [
            ("client", "\"/w/opentact-client\"".to_string()),
            ("support", "\"/w/opentact-client/benches/support/mod.rs\"".to_string()),
            ("theirs_crate", "opentact-openapi".to_string()),
            ("theirs_dir", "openapi-generator".to_string()),
        ];
        for before in [false, true] {
            let manifest = render(COMPARE_MANIFEST, before, &values);
            let main = render(COMPARE_MAIN, before, &values);
            for text in [&manifest, &main] {
                assert!(!text.contains("{{") && !text.contains("//before") && !text.contains("#before"), "{text}");
            }
            assert!(manifest.contains("opentact-client = { path = \"/w/opentact-client\""), "{manifest}");
            assert!(manifest.contains("opentact-openapi = { path = \"../openapi-generator\""), "{manifest}");
            assert!(main.contains("#[path = \"/w/opentact-client/benches/support/mod.rs\"]"), "{main}");
            assert_eq!(manifest.contains("opentact-client-before = {"), before, "{manifest}");
            assert_eq!(main.contains("opentact_client_before::types::*"), before, "{main}");
            assert_eq!(main.contains("cases: decode_cases!(before)"), before, "{main}");
            // Indentation is kept for the lines marked inside a block.
            assert_eq!(
                main.contains("\n    decoders.push(support::Decoder { name: \"opentact-client before\""),
                before
            );
        }
    }
}
