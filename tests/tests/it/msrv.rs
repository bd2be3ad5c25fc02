//! The minimum supported Rust version (`rust-version` in Cargo.toml) is only tested with the
//! toolchain of this machine, which is newer. What can be checked offline: no locked dependency
//! declares a newer `rust-version` than ours (clippy's `incompatible_msrv` lint, part of
//! `cargo xtask test`, checks our own use of the standard library).

use std::process::Command;

use opentact_tests::workspace_root;
use serde_json::Value;

/// `1.88` and `1.88.0` as the same comparable version.
fn version(text: &str) -> [u64; 3] {
    let mut parts = text.split('.').map(|part| part.parse().unwrap_or(0));
    [(); 3].map(|()| parts.next().unwrap_or(0))
}

#[test]
fn no_dependency_needs_a_newer_rust_than_our_rust_version() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let rustc = Command::new("rustc").arg("-vV").output().expect("rustc runs");
    let rustc = String::from_utf8_lossy(&rustc.stdout).to_string();
    let host = rustc.lines().find_map(|l| l.strip_prefix("host: ")).expect("rustc -vV names the host");
    // Only the host's dependencies: the others need not be downloaded.
    let output = Command::new(cargo)
        .current_dir(workspace_root())
        .args(["metadata", "--format-version", "1", "--locked", "--filter-platform", host])
        .output()
        .expect("cargo metadata runs");
    assert!(output.status.success(), "cargo metadata failed:\n{}", String::from_utf8_lossy(&output.stderr));
    let metadata: Value = serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON");
    let packages = metadata["packages"].as_array().expect("a package list");
    let ours = packages
        .iter()
        .find(|p| p["name"] == "opentact-client")
        .and_then(|p| p["rust_version"].as_str())
        .expect("opentact-client declares rust-version");
    let newer: Vec<String> = packages
        .iter()
        .filter_map(|p| Some((p["name"].as_str()?, p["version"].as_str()?, p["rust_version"].as_str()?)))
        .filter(|(_, _, needs)| version(needs) > version(ours))
        .map(|(name, v, needs)| format!("{name} {v} needs Rust {needs}"))
        .collect();
    assert!(newer.is_empty(), "rust-version is {ours}, but:\n{}", newer.join("\n"));
}
