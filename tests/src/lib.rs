//! Everything the workspace tests share: the pinned tools and Prism (from `opentact-devtools`),
//! the spec loaded once with its examples, the ids the examples use, and a client for a test
//! server. Test files never copy these.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use opentact_client::{Client, ClientBuilder, RetryPolicy, Server};
use serde_json::Value;
use uuid::Uuid;

pub use opentact_devtools::{
    DYNAMIC_ARGS, MOCK_DEPTH, Prism, acyclic, npm_tool, target_dir, tool, tools_dir, venv_tool, workspace_root,
    write_acyclic,
};

/// The spec every test reads.
pub fn spec_path() -> PathBuf {
    workspace_root().join("spec/opentact.yaml")
}

/// `spec/opentact.yaml`, loaded once per test binary.
pub fn spec() -> &'static opentact_codegen::Spec {
    static SPEC: OnceLock<opentact_codegen::Spec> = OnceLock::new();
    SPEC.get_or_init(|| opentact_codegen::load(&spec_path()).unwrap_or_else(|e| panic!("the spec does not load: {e}")))
}

/// The operations of the spec (each a method under `paths`).
fn spec_operations() -> Vec<Value> {
    const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    let paths = spec().json["paths"].as_object().expect("paths").clone();
    paths
        .into_iter()
        .filter_map(|(_, item)| item.as_object().cloned())
        .flat_map(|item| item.into_iter().filter(|(m, _)| METHODS.contains(&m.as_str())).map(|(_, op)| op))
        .collect()
}

/// How many operations the spec has (each a method and an operationId under `paths`).
pub fn operation_count() -> usize {
    spec_operations().len()
}

/// How many `Client` methods the facade has: one per operation, and a `<operation>_pages` more
/// for each paged search (`x-opentact-paged`).
pub fn client_method_count() -> usize {
    let operations = spec_operations();
    operations.len() + operations.iter().filter(|op| op.get("x-opentact-paged").is_some()).count()
}

/// A documented example of the spec (`components/examples/<name>/value`).
pub fn example(name: &str) -> Value {
    let value = &spec().json["components"]["examples"][name]["value"];
    assert!(!value.is_null(), "the spec has no example {name:?}");
    value.clone()
}

/// A documented request example as the client's type.
pub fn request<T: serde::de::DeserializeOwned>(example_name: &str) -> T {
    serde_json::from_value(example(example_name))
        .unwrap_or_else(|e| panic!("example {example_name:?} does not decode into the request type: {e}"))
}

/// The ids the spec's examples use.
pub mod ids {
    use super::Uuid;

    pub const APP: Uuid = uuid::uuid!("1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a");
    pub const PROFILE: Uuid = uuid::uuid!("6f5e4d3c-2b1a-4f0e-8d9c-7b6a5f4e3d2c");
    pub const TN_PROFILE: Uuid = uuid::uuid!("2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f");
    pub const ORDER: Uuid = uuid::uuid!("e7fad289-f977-45bb-bc42-448d1290555c");
    /// Call ids are plain strings in the API.
    pub const CALL: &str = "4b5c6d7e-8f9a-4b0c-9d1e-2f3a4b5c6d7e";
}

/// The API token of every test client; distinctive, so a test can search output for it.
pub const TOKEN: &str = "test-token-7f3a9c1d";

/// A client builder for a test server at `base_url`: the test token, no retries. Tests set
/// retries or timeouts on it when they need them.
pub fn client_builder(base_url: impl Into<String>) -> ClientBuilder {
    Client::builder().server(Server::Custom(base_url.into())).token(TOKEN).retry(RetryPolicy::none())
}

/// A client for a test server at `base_url`: the test token, no retries.
pub fn client(base_url: impl Into<String>) -> Client {
    client_builder(base_url).build().unwrap_or_else(|e| panic!("a test client builds: {e}"))
}

/// JSON equality where `50` and `50.0` are the same number (serde_json keeps them apart).
pub fn same_json(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

/// The Rust example of the workspace README, compiled by `cargo test --doc -p opentact-tests`
/// (the published crate's own README is compiled by opentact-client's doctests).
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct WorkspaceReadme;

/// The output of a deterministic generator, cached by its exact inputs: the directory
/// `<target>/generated/<what>/<key>/`, where key is the SHA-256 of every named input (the
/// caller lists all of them: input files' bytes, the tool and its pinned version, every option,
/// any template). `generate` fills the directory it is given and runs only when no output
/// for this key exists yet; it writes into a temporary directory that is renamed to the key
/// when `generate` returns, so an interrupted or failed (panicking) run leaves nothing that
/// is reused. Callers still check the output every time. Deleting `<target>/generated/`
/// forces regeneration (see DEVELOPERS.md).
pub fn cached_generation(what: &str, inputs: &[(&str, &[u8])], generate: impl FnOnce(&Path)) -> PathBuf {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for (name, bytes) in inputs {
        // Lengths first, so no two different input lists hash the same bytes.
        for part in [name.as_bytes(), bytes] {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part);
        }
    }
    let key: String = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
    let parent = target_dir().join("generated").join(what);
    let out = parent.join(key);
    if out.is_dir() {
        return out;
    }
    std::fs::create_dir_all(&parent).unwrap_or_else(|e| panic!("cannot create {}: {e}", parent.display()));
    let temp = tempfile::Builder::new()
        .prefix(".partial-")
        .tempdir_in(&parent)
        .unwrap_or_else(|e| panic!("cannot create a directory in {}: {e}", parent.display()));
    generate(temp.path());
    let staged = temp.keep();
    if let Err(e) = std::fs::rename(&staged, &out) {
        // Another run produced the same key meanwhile (same inputs, same output): keep that one.
        let _ = std::fs::remove_dir_all(&staged);
        assert!(out.is_dir(), "cannot rename {} to {}: {e}", staged.display(), out.display());
    }
    out
}

/// The version `tools/requirements.txt` pins for a PyPI package (`name==version`), for cache
/// keys of tools installed from it.
pub fn pinned_pypi(package: &str) -> String {
    let path = workspace_root().join("tools/requirements.txt");
    let pins = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    pins.lines()
        .map(str::trim)
        .find(|line| line.split("==").next() == Some(package))
        .unwrap_or_else(|| panic!("{} does not pin {package}", path.display()))
        .to_string()
}
