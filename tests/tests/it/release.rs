//! `cargo xtask release`: the version the spec's changes need (patch for a change that breaks
//! nothing in Rust, minor for a breaking one while 0.x, a lower version asked for refused), the
//! changelog moved under it, and on a scratch git repository what a release changes (and what
//! a dry run and a failed package check do not). On codegen's small test spec
//! (`codegen/src/testdata/small.yaml`), whose diff (two generations) takes a fifth of a second
//! where the real spec's takes seconds; the diff itself is tested on the real spec in
//! `spec_diff.rs`.

use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

use opentact_tests::workspace_root;
use semver::Version;
use xtask::Outcome;
use xtask::release::{Base, Options, last_release, plan, plan_from_report, release_with};

const DATE: &str = "2026-12-02";
const CHANGELOG: &str =
    "# Changelog\n\n## [Unreleased]\n\n### Added\n\n- Something.\n\n## [0.1.0] - 2026-01-01\n\n- First.\n";
/// An enum gains a value: a new variant of a `#[non_exhaustive]` enum (Rust minor).
const ADDITION: (&str, &str) = ("enum: [1st, second-one]", "enum: [1st, second-one, third]");
/// An enum loses a value: a variant removed (Rust major).
const REMOVAL: (&str, &str) = ("enum: [1st, second-one]", "enum: [1st]");

fn small_path() -> std::path::PathBuf {
    workspace_root().join("codegen/src/testdata/small.yaml")
}

/// The small spec, loaded once.
fn spec() -> &'static opentact_codegen::Spec {
    static SPEC: OnceLock<opentact_codegen::Spec> = OnceLock::new();
    SPEC.get_or_init(|| opentact_codegen::load(&small_path()).expect("the small spec loads"))
}

fn mutated(text: &str, (from, to): (&str, &str)) -> String {
    let changed = text.replacen(from, to, 1);
    assert_ne!(changed, text, "the mutation applies");
    changed
}

fn head(change: (&str, &str)) -> opentact_codegen::Spec {
    opentact_codegen::parse(Path::new("head.yaml"), mutated(&spec().source, change)).expect("the mutated spec loads")
}

fn v(text: &str) -> Version {
    Version::parse(text).expect("a version")
}

/// The diff of the breaking change, computed once (generating both clients takes a while).
fn breaking_report() -> opentact_spec_tools::Report {
    static REPORT: OnceLock<opentact_spec_tools::Report> = OnceLock::new();
    REPORT.get_or_init(|| xtask::diff::compare(spec(), &head(REMOVAL)).expect("the diff runs")).clone()
}

#[test]
fn a_change_that_breaks_nothing_in_rust_is_a_patch_release() {
    let plan = plan(spec(), &head(ADDITION), CHANGELOG, &v("0.1.0"), None, DATE).expect("a plan");
    assert_eq!((plan.proposed.clone(), plan.version.clone()), (v("0.1.1"), v("0.1.1")), "{}", plan.summary);
    assert_eq!(plan.section, "## [0.1.1] - 2026-12-02\n\n### Added\n\n- Something.\n");
    assert_eq!(
        plan.changelog,
        "# Changelog\n\n## [Unreleased]\n\n## [0.1.1] - 2026-12-02\n\n### Added\n\n- Something.\n\n\
         ## [0.1.0] - 2026-01-01\n\n- First.\n"
    );
}

#[test]
fn a_breaking_change_bumps_the_minor_version_while_0x() {
    let plan = plan_from_report(breaking_report(), CHANGELOG, &v("0.1.0"), None, DATE).expect("a plan");
    assert_eq!(plan.version, v("0.2.0"), "{}", plan.summary);
    assert!(plan.changelog.contains("## [0.2.0] - 2026-12-02\n"), "{}", plan.changelog);
    // From 1.0 on, the major version.
    let plan = plan_from_report(breaking_report(), CHANGELOG, &v("1.4.2"), None, DATE).expect("a plan");
    assert_eq!(plan.version, v("2.0.0"));
    // A higher version than the verdict may be asked for.
    let plan = plan_from_report(breaking_report(), CHANGELOG, &v("0.1.0"), Some("1.0.0"), DATE).expect("a plan");
    assert_eq!((plan.proposed, plan.version), (v("0.2.0"), v("1.0.0")));
}

#[test]
fn a_version_below_the_verdict_is_refused() {
    for asked in ["0.1.1", "v0.1.9", "0.2.0-rc.1", "0.1.0"] {
        let error = plan_from_report(breaking_report(), CHANGELOG, &v("0.1.0"), Some(asked), DATE).unwrap_err();
        let message = format!("{error:#}");
        assert!(message.contains("refused") && message.contains("lower than 0.2.0"), "{asked}: {message}");
    }
    let error = plan_from_report(breaking_report(), CHANGELOG, &v("0.1.0"), Some("next"), DATE).unwrap_err();
    assert!(format!("{error:#}").contains("`next` is not a version"), "{error:#}");
}

fn git(root: &Path, args: &[&str]) -> String {
    let output = Command::new("git").current_dir(root).args(args).output().expect("git runs");
    assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

/// A repository holding what a release reads and writes: the spec, CHANGELOG.md and the
/// workspace manifest (version 0.1.0), committed once.
fn scratch_repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temp dir");
    let root = dir.path();
    std::fs::create_dir(root.join("spec")).expect("spec/");
    std::fs::copy(small_path(), root.join("spec/opentact.yaml")).expect("the spec copied");
    std::fs::write(root.join("CHANGELOG.md"), CHANGELOG).expect("CHANGELOG.md");
    let manifest = "[workspace]\nmembers = []\n\n[workspace.package]\nversion = \"0.1.0\"\nedition = \"2024\"\n";
    std::fs::write(root.join("Cargo.toml"), manifest).expect("Cargo.toml");
    git(root, &["init", "--quiet"]);
    for (key, value) in [("user.name", "test"), ("user.email", "test@example.com"), ("commit.gpgsign", "false")] {
        git(root, &["config", key, value]);
    }
    git(root, &["config", "tag.gpgsign", "false"]);
    git(root, &["add", "."]);
    git(root, &["commit", "--quiet", "-m", "first"]);
    dir
}

#[test]
fn a_release_on_a_scratch_repository_commits_and_tags_and_a_dry_run_changes_nothing() {
    let repo = scratch_repository();
    let root = repo.path();
    let first = git(root, &["rev-parse", "--short", "HEAD"]);
    let spec_file = root.join("spec/opentact.yaml");
    let text = std::fs::read_to_string(&spec_file).expect("the spec");
    std::fs::write(&spec_file, mutated(&text, ADDITION)).expect("the spec changed");
    git(root, &["commit", "--quiet", "-am", "spec: a new state"]);

    // No release tag: from the first commit. A dry run changes nothing.
    assert_eq!(last_release(root).expect("a base"), Base { rev: first, is_tag: false });
    let head = git(root, &["rev-parse", "HEAD"]);
    let dry = Options { dry_run: true, version: None };
    let checked = std::cell::Cell::new(0);
    let check = |_: &Path| {
        checked.set(checked.get() + 1);
        Ok(())
    };
    assert_eq!(release_with(root, &dry, DATE, &check).expect("a dry run"), Outcome::Success);
    assert_eq!(
        (git(root, &["rev-parse", "HEAD"]), git(root, &["status", "--porcelain"])),
        (head.clone(), String::new())
    );
    assert_eq!((git(root, &["tag"]), checked.get()), (String::new(), 0), "a dry run tags nothing and checks nothing");

    // From the last release tag: a release sets the version, moves the changelog, commits, tags.
    git(root, &["tag", "-a", "v0.1.0", "-m", "0.1.0", "HEAD~1"]);
    assert_eq!(last_release(root).expect("a base"), Base { rev: "v0.1.0".into(), is_tag: true });
    let real = Options { dry_run: false, version: None };
    assert_eq!(release_with(root, &real, DATE, &check).expect("a release"), Outcome::Success);
    assert_eq!(checked.get(), 1, "the package check ran");
    assert_eq!(git(root, &["log", "-1", "--format=%s"]), "release 0.1.1");
    assert_eq!(git(root, &["rev-parse", "v0.1.1^{commit}"]), git(root, &["rev-parse", "HEAD"]));
    assert_eq!(git(root, &["status", "--porcelain"]), "", "everything the release changed is committed");
    assert_eq!(xtask::manifest::workspace_version(root).expect("a version"), v("0.1.1"));
    let changelog = std::fs::read_to_string(root.join("CHANGELOG.md")).expect("CHANGELOG.md");
    assert!(
        changelog.contains("## [Unreleased]\n\n## [0.1.1] - 2026-12-02\n\n### Added\n\n- Something.\n"),
        "{changelog}"
    );

    // Nothing new in the changelog: refused before anything else.
    let error = release_with(root, &real, DATE, &check).unwrap_err();
    assert!(format!("{error:#}").contains("nothing to release"), "{error:#}");
    // A dirty working tree: refused.
    std::fs::write(root.join("CHANGELOG.md"), format!("{changelog}\n- More.\n")).expect("CHANGELOG.md");
    let error = release_with(root, &real, DATE, &check).unwrap_err();
    assert!(format!("{error:#}").contains("uncommitted changes"), "{error:#}");

    // A failed package check restores the files and commits nothing.
    let changelog = changelog.replace("## [Unreleased]\n", "## [Unreleased]\n\n- More.\n");
    std::fs::write(root.join("CHANGELOG.md"), &changelog).expect("CHANGELOG.md");
    git(root, &["commit", "--quiet", "-am", "changelog: more"]);
    let head = git(root, &["rev-parse", "HEAD"]);
    let failing = |_: &Path| Err(anyhow::anyhow!("the package does not build"));
    let error = release_with(root, &real, DATE, &failing).unwrap_err();
    assert!(format!("{error:#}").contains("the package does not build"), "{error:#}");
    assert_eq!(git(root, &["rev-parse", "HEAD"]), head);
    assert_eq!(git(root, &["status", "--porcelain"]), "", "the files are restored");
    assert!(!git(root, &["tag"]).contains("v0.1.2"), "no tag");
}
