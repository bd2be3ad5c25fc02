//! Fuzzing on stable Rust with a seeded PRNG, one file per target: the spec pipeline
//! (`spec_pipeline.rs`: `opentact_codegen::parse`, `lint`, `generate` on mutated copies of
//! `spec/opentact.yaml`), the envelope decoders (`decoders.rs`: every response type the client
//! decodes, on mutated documented payloads and arbitrary JSON) and the whole client
//! (`client.rs`: one call per envelope type against a server answering mutated bodies). This
//! file holds what they share: the budget, where failing inputs go, panic capture.
//!
//! `cargo test` runs a fixed number of cases with a fixed seed. `cargo xtask fuzz --seconds N`
//! runs longer, with a fresh seed: it sets `OPENTACT_FUZZ_SECONDS` (the time each target gets)
//! and, to replay a run, `OPENTACT_FUZZ_SEED`. A failing case is written to `target/fuzz/`;
//! keep it under `tests/fuzz/` (specs in `specs/`, response bodies in `responses/`), where it
//! runs first on every run from then on.

mod client;
mod decoders;
mod spec_pipeline;

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value;

use opentact_tests::workspace_root;

/// The seed of `cargo test` runs.
const FIXED_SEED: u64 = 0x0b7a_4c3e_5d2f_4e8a;

/// How much to run: fixed counts with a fixed seed, or a time budget.
struct Budget {
    seed: u64,
    until: Option<Instant>,
}

impl Budget {
    fn from_env(target: &str) -> Budget {
        let seconds = std::env::var("OPENTACT_FUZZ_SECONDS").ok().map(|s| s.parse::<u64>().expect("whole seconds"));
        let seed = match std::env::var("OPENTACT_FUZZ_SEED") {
            Ok(seed) => seed.parse().expect("OPENTACT_FUZZ_SEED is a number"),
            Err(_) if seconds.is_some() => fastrand::u64(..),
            Err(_) => FIXED_SEED,
        };
        println!("fuzz {target}: seed {seed} (replay with OPENTACT_FUZZ_SEED={seed})");
        Budget { seed, until: seconds.map(|s| Instant::now() + Duration::from_secs(s)) }
    }

    /// Whether case `index` of a target that runs `fixed` cases in a `cargo test` run is due.
    fn more(&self, index: usize, fixed: usize) -> bool {
        match self.until {
            Some(until) => Instant::now() < until,
            None => index < fixed,
        }
    }

    fn rng(&self, case: usize) -> fastrand::Rng {
        fastrand::Rng::with_seed(self.seed ^ (case as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15))
    }
}

/// Where failing inputs go.
fn crash_dir() -> PathBuf {
    workspace_root().join("target/fuzz")
}

fn regression_cases(kind: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = workspace_root().join("tests/fuzz").join(kind);
    let mut cases: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .map(|entries| entries.flatten().map(|e| e.path()).filter(|p| p.is_file()).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect();
    cases.sort();
    cases
}

/// Saves an input that broke something and returns where. A write that fails (a full disk)
/// is reported on stderr rather than ending the run.
fn keep(name: &str, bytes: &[u8]) -> PathBuf {
    let path = crash_dir().join(name);
    if let Err(e) = std::fs::create_dir_all(crash_dir()).and_then(|()| std::fs::write(&path, bytes)) {
        eprintln!("cannot keep {}: {e}", path.display());
    }
    path
}

/// The message of the last panic on a fuzzing thread, with its location. Those threads do not
/// print panics: codegen catches progenitor's on purpose, and the harness reports the others.
static LAST_PANIC: Mutex<String> = Mutex::new(String::new());

fn record_panics() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name().is_some_and(|name| name.starts_with("fuzz-")) {
                if let Ok(mut last) = LAST_PANIC.lock() {
                    *last = info.to_string();
                }
            } else {
                default(info);
            }
        }));
    });
}

fn last_panic() -> String {
    LAST_PANIC.lock().map(|s| s.clone()).unwrap_or_default()
}

// Shared by the mutators of the spec pipeline and the decoders.

/// Strings that stress identifiers, doc comments, patterns and formats.
const NASTY: &[&str] = &[
    "",
    " ",
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "r#type",
    "1abc",
    "a-b",
    "a b",
    "_",
    "__",
    "Result",
    "Option",
    "Box",
    "Client",
    "Error",
    "builder",
    "types",
    "日本語",
    "*/ fn injected() {} /*",
    "\"#]] compile_error!(\"x\"); #[doc = \"",
    "```\nfn x() {\n```",
    "\\",
    "{uuid}",
    "/",
    "#/components/schemas/",
    "(a+)+$",
    "[",
    "\u{0}",
    "\u{feff}",
    "ǅ",
    "ListSIPControlApps",
    "SIPControlApp",
];

/// JSON pointers of every node (excluding the root).
fn pointers(value: &Value) -> Vec<String> {
    fn walk(value: &Value, pointer: &mut String, out: &mut Vec<String>) {
        let children: Vec<(String, &Value)> = match value {
            Value::Object(map) => map.iter().map(|(k, v)| (k.replace('~', "~0").replace('/', "~1"), v)).collect(),
            Value::Array(items) => items.iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect(),
            _ => return,
        };
        for (token, child) in children {
            let length = pointer.len();
            pointer.push('/');
            pointer.push_str(&token);
            out.push(pointer.clone());
            walk(child, pointer, out);
            pointer.truncate(length);
        }
    }
    let mut out = Vec::new();
    walk(value, &mut String::new(), &mut out);
    out
}

fn pick<'a>(rng: &mut fastrand::Rng, items: &'a [String]) -> Option<&'a String> {
    (!items.is_empty()).then(|| &items[rng.usize(..items.len())])
}
