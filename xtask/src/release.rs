//! `cargo xtask release [--dry-run] [VERSION]`: releases opentact-client.
//!
//! Two layers. [`plan`] is the release computed from its inputs alone (the spec at the last
//! release and now, CHANGELOG.md's text, the current version, the version asked for, the
//! date): which version, and the new changelog. [`release_with`] is the thin layer around it
//! that reads those inputs from git and the checkout, prints the plan, and (unless
//! `--dry-run`) writes the files, runs the package check, commits and tags.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use semver::Version;

use crate::manifest::{MANIFEST, set_manifest_version, workspace_version};
use crate::{Outcome, git, spec};

/// The changelog whose Unreleased section a release moves under its version.
pub const CHANGELOG: &str = "CHANGELOG.md";
/// The heading of the section a release takes its entries from.
pub const UNRELEASED: &str = "## [Unreleased]";

/// What `cargo xtask release` was asked to do.
pub struct Options {
    /// Print everything and change nothing.
    pub dry_run: bool,
    /// The version to release instead of the proposed one (refused when lower).
    pub version: Option<String>,
}

/// What a release does, computed from its inputs.
#[derive(Debug)]
pub struct Plan {
    /// The workspace version now.
    pub current: Version,
    /// The verdict: the version the changes since the last release need.
    pub proposed: Version,
    /// The version released: `proposed`, or the one asked for (never lower).
    pub version: Version,
    /// `cargo xtask diff`'s one-line summary of the changes.
    pub summary: String,
    /// The released section: its heading (`## [X.Y.Z] - date`) and the Unreleased entries.
    pub section: String,
    /// CHANGELOG.md after the release: an empty Unreleased section, then `section`.
    pub changelog: String,
}

/// The release from its inputs: the verdict of the spec diff between `base` (the last release)
/// and `head`, the version (`requested`, when given, must not be lower than the verdict), and
/// the changelog with its Unreleased section moved under that version and `date`.
///
/// The verdict is `cargo xtask diff`'s (`Report::next_version`): while 0.x, a change that breaks
/// the Rust API bumps the minor version and anything else the patch; from 1.0, major, minor and
/// patch. When the generated API did not change (a fix of the hand-written layer), a patch.
/// A wire change that breaks other languages but not the Rust API does not raise the Rust
/// version; the summary still says it.
pub fn plan(
    base: &opentact_codegen::Spec,
    head: &opentact_codegen::Spec,
    changelog: &str,
    current: &Version,
    requested: Option<&str>,
    date: &str,
) -> Result<Plan> {
    // The changelog first: an empty Unreleased section ends the release before the diff.
    unreleased_entries(changelog)?;
    plan_from_report(crate::diff::compare(base, head)?, changelog, current, requested, date)
}

/// [`plan`] from the diff's report of the changes since the last release.
pub fn plan_from_report(
    mut report: opentact_spec_tools::Report,
    changelog: &str,
    current: &Version,
    requested: Option<&str>,
    date: &str,
) -> Result<Plan> {
    let entries = unreleased_entries(changelog)?;
    (report.base, report.head) = ("the last release".into(), "now".into());
    report.client_version = Some(current.to_string());
    let proposed = match report.next_version() {
        Some(next) => Version::parse(&next).with_context(|| format!("the diff proposed `{next}`"))?,
        None if report.rust_level().is_none() => Version::new(current.major, current.minor, current.patch + 1),
        None => bail!("cannot compute the version after {current} (not MAJOR.MINOR.PATCH)"),
    };
    let version = match requested {
        None => proposed.clone(),
        Some(text) => {
            let asked = Version::parse(text.trim_start_matches('v'))
                .with_context(|| format!("`{text}` is not a version (MAJOR.MINOR.PATCH)"))?;
            if asked < proposed {
                bail!(
                    "refused: {asked} is lower than {proposed}, the version the changes since the last release need \
                     ({}); release {proposed} or higher",
                    report.summary()
                );
            }
            asked
        }
    };
    let (section, changelog) = move_unreleased(changelog, entries, &version, date)?;
    Ok(Plan { current: current.clone(), proposed, version, summary: report.summary(), section, changelog })
}

/// The lines of the Unreleased section (after its heading, up to the next `## ` heading or the
/// link definitions at the end), or an error when there is no such section or it is empty.
fn unreleased_entries(changelog: &str) -> Result<(usize, usize)> {
    let lines: Vec<&str> = changelog.lines().collect();
    let heading = lines
        .iter()
        .position(|l| l.trim_end() == UNRELEASED)
        .with_context(|| format!("{CHANGELOG} has no `{UNRELEASED}` section"))?;
    let end = lines[heading + 1..]
        .iter()
        .position(|l| l.starts_with("## ") || is_link_definition(l))
        .map_or(lines.len(), |n| heading + 1 + n);
    if lines[heading + 1..end].iter().all(|l| l.trim().is_empty()) {
        bail!(
            "nothing to release: the `{UNRELEASED}` section of {CHANGELOG} is empty (`cargo xtask diff --markdown` \
             writes the entries of spec changes)"
        );
    }
    Ok((heading, end))
}

/// `[name]: url`, Keep a Changelog's link definitions at the end of the file.
fn is_link_definition(line: &str) -> bool {
    line.starts_with('[') && line.contains("]: ")
}

/// The released section and the new changelog: `(heading, end)` are the Unreleased section's
/// heading line and the line after its entries.
fn move_unreleased(
    changelog: &str,
    (heading, end): (usize, usize),
    version: &Version,
    date: &str,
) -> Result<(String, String)> {
    let lines: Vec<&str> = changelog.lines().collect();
    let entries = lines[heading + 1..end].join("\n");
    let section = format!("## [{version}] - {date}\n\n{}\n", entries.trim_matches('\n'));
    let mut out = String::new();
    for line in &lines[..=heading] {
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&section);
    if end < lines.len() {
        out.push('\n');
        for line in &lines[end..] {
            out.push_str(line);
            out.push('\n');
        }
    }
    if !changelog.ends_with('\n') {
        out.pop();
    }
    Ok((section, out))
}

/// Where a release starts from: the last release tag reachable from HEAD, or the first commit.
#[derive(Debug, PartialEq, Eq)]
pub struct Base {
    /// The revision the spec is compared at.
    pub rev: String,
    /// Whether `rev` is a release tag (`v*`); otherwise it is the first commit.
    pub is_tag: bool,
}

/// The last `v*` tag reachable from HEAD; the first commit when there is none.
pub fn last_release(root: &Path) -> Result<Base> {
    if let Ok(tag) = git::git(root, &["describe", "--tags", "--abbrev=0", "--match", "v*", "HEAD"]) {
        return Ok(Base { rev: tag, is_tag: true });
    }
    let roots = git::git(root, &["rev-list", "--max-parents=0", "HEAD"])?;
    // Several roots (merged histories): the oldest, listed last.
    let first = roots.lines().last().context("the repository has no commit")?;
    Ok(Base { rev: git::git(root, &["rev-parse", "--short", first])?, is_tag: false })
}

/// A release read from the checkout: where it starts and its plan.
pub struct Prepared {
    pub base: Base,
    pub plan: Plan,
}

/// Reads the inputs of [`plan`] from the checkout at `root` (the spec at the last release and
/// in the working copy, CHANGELOG.md, the workspace version) and computes it.
pub fn prepare(root: &Path, requested: Option<&str>, date: &str) -> Result<Prepared> {
    let base = last_release(root)?;
    let changelog_path = root.join(CHANGELOG);
    let changelog =
        std::fs::read_to_string(&changelog_path).with_context(|| format!("reading {}", changelog_path.display()))?;
    unreleased_entries(&changelog)?; // before the spec diff, which takes a while
    let base_spec = spec::at_revision(root, &base.rev)?;
    let head_spec = spec::working(root).context("the working spec does not load")?;
    let current = workspace_version(root)?;
    let plan = plan(&base_spec, &head_spec, &changelog, &current, requested, date)?;
    Ok(Prepared { base, plan })
}

/// Today's date (UTC), as the changelog writes it.
pub fn today() -> String {
    chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()).format("%Y-%m-%d").to_string()
}

/// `cargo xtask release`: [`release_with`] today's date and the real package check.
pub fn release(root: &Path, options: &Options) -> Result<Outcome> {
    release_with(root, options, &today(), &package_check)
}

/// The package check of a release: Cargo.lock takes the new version (`cargo update
/// --workspace` touches only the workspace's own crates), then `cargo package` builds the
/// crate from its packaged files, as a user's build would.
pub fn package_check(root: &Path) -> Result<()> {
    let cargo = || {
        let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        command.current_dir(root);
        command
    };
    opentact_devtools::run(cargo().args(["update", "--workspace"]))?;
    opentact_devtools::run(cargo().args(["package", "--package", "opentact-client", "--allow-dirty"]))
}

/// Prints the release; unless `dry_run`, sets the version, moves the changelog section, runs
/// `check` (restoring the files when it fails), commits and tags `vX.Y.Z`. Errors (exit 2):
/// a version below the verdict, an empty Unreleased section, a dirty working tree, an
/// existing tag, a failed check.
pub fn release_with(
    root: &Path,
    options: &Options,
    date: &str,
    check: &dyn Fn(&Path) -> Result<()>,
) -> Result<Outcome> {
    let dirty = git::git(root, &["status", "--porcelain"])?;
    if !dirty.is_empty() && !options.dry_run {
        bail!("the working tree has uncommitted changes (git status); commit or stash them first:\n{dirty}");
    }
    let Prepared { base, plan } = prepare(root, options.version.as_deref(), date)?;
    let tag = format!("v{}", plan.version);
    print_plan(&base, &plan, &tag, options);
    if options.dry_run {
        if !dirty.is_empty() {
            println!("note: the working tree has uncommitted changes (compared as they are); a release refuses them");
        }
        println!("dry run: nothing was changed");
        return Ok(Outcome::Success);
    }
    if git::is_commit(root, &format!("refs/tags/{tag}"))? {
        bail!("the tag {tag} exists already");
    }
    let files = Files::read(root)?;
    let manifest = set_manifest_version(&files.manifest, &plan.version)?;
    std::fs::write(root.join(MANIFEST), manifest)?;
    std::fs::write(root.join(CHANGELOG), &plan.changelog)?;
    if let Err(e) = check(root) {
        files.restore(root)?;
        return Err(e.context(format!("the package check failed; {MANIFEST}, Cargo.lock and {CHANGELOG} are restored")));
    }
    let mut add = vec!["add", "--", MANIFEST, CHANGELOG];
    if root.join("Cargo.lock").exists() {
        add.push("Cargo.lock");
    }
    git::git(root, &add)?;
    let message = format!("release {}\n\n{}", plan.version, plan.section);
    git::git(root, &["commit", "--quiet", "-m", &message])?;
    git::git(root, &["tag", "-a", &tag, "-m", &format!("opentact-client {}", plan.version)])?;
    println!("committed and tagged {tag}; publish with `git push --follow-tags`");
    Ok(Outcome::Success)
}

fn print_plan(base: &Base, plan: &Plan, tag: &str, options: &Options) {
    let since = if base.is_tag {
        format!("{} (the last release tag)", base.rev)
    } else {
        format!("{} (the first commit: no release tag v* yet)", base.rev)
    };
    let would = if options.dry_run { "would " } else { "" };
    println!("release of opentact-client since {since}");
    println!("  changes: {}", plan.summary);
    println!("  version: {} now; the changes need {}", plan.current, plan.proposed);
    match &options.version {
        Some(_) if plan.version != plan.proposed => println!("  releasing {} (asked for)", plan.version),
        _ => println!("  releasing {}", plan.version),
    }
    println!("  {would}set [workspace.package] version = \"{}\" in {MANIFEST}", plan.version);
    println!("  {would}move the Unreleased section of {CHANGELOG} under:\n");
    for line in plan.section.lines() {
        println!("    {line}");
    }
    println!();
    println!("  {would}run: cargo update --workspace; cargo package --package opentact-client --allow-dirty");
    println!("  {would}run: git commit -m \"release {}\"; git tag -a {tag}", plan.version);
}

/// The files a release changes, as they were, to restore when the check fails.
struct Files {
    manifest: String,
    changelog: String,
    lock: Option<String>,
}

impl Files {
    fn read(root: &Path) -> Result<Files> {
        let read = |name: &str| {
            let path: PathBuf = root.join(name);
            std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))
        };
        Ok(Files { manifest: read(MANIFEST)?, changelog: read(CHANGELOG)?, lock: read("Cargo.lock").ok() })
    }

    fn restore(&self, root: &Path) -> Result<()> {
        std::fs::write(root.join(MANIFEST), &self.manifest)?;
        std::fs::write(root.join(CHANGELOG), &self.changelog)?;
        if let Some(lock) = &self.lock {
            std::fs::write(root.join("Cargo.lock"), lock)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use semver::Version;

    use super::{move_unreleased, unreleased_entries};

    const CHANGELOG: &str = "# Changelog\n\nIntro.\n\n## [Unreleased]\n\n### Added\n\n- A thing.\n\n## [0.1.0] - 2026-01-01\n\n- First.\n\n[0.1.0]: https://example.com\n";

    #[test]
    fn the_unreleased_entries_move_under_the_version() {
        let entries = unreleased_entries(CHANGELOG).expect("entries");
        let (section, text) = move_unreleased(CHANGELOG, entries, &Version::new(0, 1, 1), "2026-12-02").expect("moved");
        assert_eq!(section, "## [0.1.1] - 2026-12-02\n\n### Added\n\n- A thing.\n");
        assert_eq!(
            text,
            "# Changelog\n\nIntro.\n\n## [Unreleased]\n\n## [0.1.1] - 2026-12-02\n\n### Added\n\n- A thing.\n\n\
             ## [0.1.0] - 2026-01-01\n\n- First.\n\n[0.1.0]: https://example.com\n"
        );
        // The only section, followed by link definitions.
        let only = "## [Unreleased]\n- A thing.\n[Unreleased]: https://example.com\n";
        let entries = unreleased_entries(only).expect("entries");
        let (_, text) = move_unreleased(only, entries, &Version::new(1, 0, 0), "2026-12-02").expect("moved");
        assert_eq!(
            text,
            "## [Unreleased]\n\n## [1.0.0] - 2026-12-02\n\n- A thing.\n\n[Unreleased]: https://example.com\n"
        );
    }

    #[test]
    fn an_empty_or_missing_unreleased_section_is_refused() {
        let empty = unreleased_entries("## [Unreleased]\n\n\n## [0.1.0]\n- x\n").unwrap_err().to_string();
        assert!(empty.contains("nothing to release"), "{empty}");
        let missing = unreleased_entries("# Changelog\n").unwrap_err().to_string();
        assert!(missing.contains("has no `## [Unreleased]` section"), "{missing}");
    }
}
