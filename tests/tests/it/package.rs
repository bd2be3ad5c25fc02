//! What `opentact-client`'s package ships is a reviewed list, and the files it must carry from
//! the workspace (licences, changelog, security policy) are the workspace's, byte for byte.

use std::process::Command;

use opentact_tests::workspace_root;

/// The copies the crate directory holds, because a package holds only files under it.
const COPIES: [&str; 4] = ["LICENSE-MIT", "LICENSE-APACHE", "CHANGELOG.md", "SECURITY.md"];

#[test]
fn the_crate_ships_the_workspace_licences_changelog_and_security_policy_unchanged() {
    let root = workspace_root();
    for name in COPIES {
        let workspace = std::fs::read(root.join(name)).unwrap_or_else(|e| panic!("{name} at the root: {e}"));
        let crate_copy = std::fs::read(root.join("opentact-client").join(name))
            .unwrap_or_else(|e| panic!("{name} in the crate: {e}"));
        assert!(workspace == crate_copy, "opentact-client/{name} differs from ./{name}: copy it over");
    }
}

/// `cargo package --list` against `tests/tests/package-list.txt`: a file that starts or stops
/// shipping fails here until the list is updated (and so reviewed).
#[test]
fn the_package_ships_exactly_the_reviewed_files() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(workspace_root())
        .args(["package", "-p", "opentact-client", "--list", "--allow-dirty", "--locked"])
        .output()
        .expect("cargo package runs");
    assert!(output.status.success(), "cargo package --list failed:\n{}", String::from_utf8_lossy(&output.stderr));
    let listed = String::from_utf8_lossy(&output.stdout);
    // Written by cargo from git, whatever the tree: not a file of ours.
    let shipped: Vec<&str> = listed.lines().filter(|l| *l != ".cargo_vcs_info.json").collect();
    let expected = std::fs::read_to_string(workspace_root().join("tests/tests/package-list.txt")).unwrap();
    let expected: Vec<&str> = expected.lines().collect();
    assert_eq!(shipped, expected, "the package's files changed: review, then update tests/tests/package-list.txt");
}

/// The crate README is the crate page on the registry and on GitHub, and the crate's rustdoc:
/// nothing in it may be rustdoc-only (hidden `# ` lines in code, intra-doc links).
#[test]
fn the_crate_readme_renders_outside_rustdoc() {
    let readme = std::fs::read_to_string(workspace_root().join("opentact-client/README.md")).unwrap();
    let mut in_code = false;
    for (i, line) in readme.lines().enumerate() {
        if line.starts_with("```") {
            in_code = !in_code;
        } else if in_code {
            assert!(!line.starts_with("# ") && line != "#", "line {}: a hidden rustdoc line: {line}", i + 1);
        } else {
            let intra = line.match_indices("[`").any(|(at, _)| {
                let rest = &line[at..];
                rest.find("`]").is_some_and(|end| !rest[end + 2..].starts_with('('))
            });
            assert!(!intra, "line {}: an intra-doc link: {line}", i + 1);
        }
    }
}
