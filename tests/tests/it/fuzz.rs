//! Fuzzing on stable Rust with a seeded PRNG: the spec pipeline (`opentact_codegen::parse`, `lint`,
//! `generate`) on mutated copies of `spec/opentact.yaml`, and every response decoder of the
//! client on mutated documented payloads and arbitrary JSON.
//!
//! `cargo test` runs a fixed number of cases with a fixed seed. `cargo xtask fuzz --seconds N`
//! runs longer, with a fresh seed: it sets `OPENTACT_FUZZ_SECONDS` (the time each target gets)
//! and, to replay a run, `OPENTACT_FUZZ_SEED`. A failing case is written to `target/fuzz/`;
//! keep it under `tests/fuzz/` (specs in `specs/`, response bodies in `responses/`), where it
//! runs first on every run from then on.

use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use opentact_client::{Client, Error, RetryPolicy, Server, Upload, types};
use opentact_tests::{spec_path, workspace_root};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// The seed of `cargo test` runs.
const FIXED_SEED: u64 = 0x0b7a_4c3e_5d2f_4e8a;
/// Cases of a `cargo test` run.
const SPEC_CASES: usize = 200;
const SPEC_GENERATE_CASES: usize = 10;
const DECODE_CASES: usize = 3000;
const CLIENT_CASES: usize = 1000;
/// A case that takes longer than this hangs (generation takes about a second).
const CASE_DEADLINE: Duration = Duration::from_secs(300);

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

// ---------------------------------------------------------------------------------------------
// The spec pipeline

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

fn nasty(rng: &mut fastrand::Rng) -> String {
    NASTY[rng.usize(..NASTY.len())].to_string()
}

fn huge_string(rng: &mut fastrand::Rng) -> String {
    let piece = nasty(rng);
    let piece = if piece.is_empty() { "x".to_string() } else { piece };
    piece.repeat(rng.usize(1_000..=50_000) / piece.len().max(1))
}

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

fn random_value(rng: &mut fastrand::Rng) -> Value {
    match rng.u8(..9) {
        0 => Value::Null,
        1 => json!(rng.bool()),
        2 => json!(rng.i64(..)),
        3 => json!(rng.f64() * 1e300),
        4 => json!(nasty(rng)),
        5 => json!([]),
        6 => json!({}),
        7 => json!([nasty(rng), rng.u32(..)]),
        _ => json!({ nasty(rng): nasty(rng) }),
    }
}

fn schema_names(doc: &Value) -> Vec<String> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// One OpenAPI-level mutation; returns what it did.
fn mutate_openapi(rng: &mut fastrand::Rng, doc: &mut Value) -> String {
    let all = pointers(doc);
    let objects: Vec<String> = all.iter().filter(|p| doc.pointer(p).is_some_and(Value::is_object)).cloned().collect();
    let schemas = schema_names(doc);
    match rng.u8(..11) {
        0 => {
            // Delete a key.
            let Some(pointer) = pick(rng, &all).cloned() else { return "nothing".into() };
            let (parent, token) = pointer.rsplit_once('/').unwrap_or(("", &pointer));
            let token = token.replace("~1", "/").replace("~0", "~");
            match doc.pointer_mut(parent) {
                Some(Value::Object(map)) => drop(map.shift_remove(&token)),
                Some(Value::Array(items)) => {
                    if let Ok(i) = token.parse::<usize>()
                        && i < items.len()
                    {
                        items.remove(i);
                    }
                }
                _ => {}
            }
            format!("deleted {pointer}")
        }
        1 => {
            // A value of the wrong type.
            let Some(pointer) = pick(rng, &all).cloned() else { return "nothing".into() };
            let value = random_value(rng);
            if let Some(node) = doc.pointer_mut(&pointer) {
                *node = value;
            }
            format!("replaced {pointer}")
        }
        2 => {
            // A dangling or malformed reference.
            let Some(pointer) = pick(rng, &objects).cloned() else { return "nothing".into() };
            let target = [
                "#/components/schemas/DoesNotExist",
                "#/components/schemas/",
                "#/components/examples/SIPControlApp",
                "#/paths",
                "#",
                "",
                "other.yaml#/components/schemas/X",
                "https://example.com/spec.yaml",
                "#/components/schemas/~2",
                "#/components/responses/Missing",
                "#/components/parameters/Missing",
                "#/components/requestBodies/Missing",
            ][rng.usize(..12)];
            if let Some(Value::Object(map)) = doc.pointer_mut(&pointer) {
                map.insert("$ref".into(), json!(target));
            }
            format!("$ref {target} at {pointer}")
        }
        3 => {
            // A cycle of references.
            let (Some(a), Some(b)) = (pick(rng, &schemas).cloned(), pick(rng, &schemas).cloned()) else {
                return "nothing".into();
            };
            let reference = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
            let shape = rng.u8(..4);
            if let Some(Value::Object(map)) = doc.pointer_mut("/components/schemas") {
                match shape {
                    0 => drop(map.insert(a.clone(), reference(&a))),
                    1 => {
                        map.insert(a.clone(), reference(&b));
                        map.insert(b.clone(), reference(&a));
                    }
                    2 => drop(map.insert(a.clone(), json!({ "allOf": [reference(&a)] }))),
                    _ => drop(map.insert(
                        a.clone(),
                        json!({ "type": "object", "required": ["next"], "properties": { "next": reference(&a) } }),
                    )),
                }
            }
            format!("cycle {shape} through {a} and {b}")
        }
        4 => {
            // A huge string.
            let strings: Vec<String> =
                all.iter().filter(|p| doc.pointer(p).is_some_and(Value::is_string)).cloned().collect();
            let Some(pointer) = pick(rng, &strings).cloned() else { return "nothing".into() };
            let huge = huge_string(rng);
            if let Some(node) = doc.pointer_mut(&pointer) {
                *node = json!(huge);
            }
            format!("huge string at {pointer}")
        }
        5 => {
            // Deep nesting of a schema.
            let Some(name) = pick(rng, &schemas).cloned() else { return "nothing".into() };
            // Past codegen's limit of 128 levels, but not so deep that the text gets huge.
            let depth = rng.usize(10..=400);
            let shape = rng.u8(..3);
            let pointer = format!("/components/schemas/{}", name.replace('~', "~0").replace('/', "~1"));
            if let Some(node) = doc.pointer_mut(&pointer) {
                let mut schema = node.take();
                for _ in 0..depth {
                    schema = match shape {
                        0 => json!({ "type": "array", "items": schema }),
                        1 => json!({ "allOf": [schema] }),
                        _ => json!({ "type": "object", "properties": { "a": schema } }),
                    };
                }
                *node = schema;
            }
            format!("{name} nested {depth} deep (shape {shape})")
        }
        6 => {
            // Rename a key, maybe to one with a meaning.
            let Some(pointer) = pick(rng, &objects).cloned() else { return "nothing".into() };
            let new_key =
                ["$ref", "allOf", "oneOf", "anyOf", "enum", "nullable", "required", "items", "x-enum-varnames"]
                    [rng.usize(..9)]
                .to_string();
            let new_key = if rng.bool() { new_key } else { nasty(rng) };
            rename_key(doc, &pointer, rng.usize(..), &new_key);
            format!("renamed a key of {pointer} to {new_key:?}")
        }
        7 => {
            // A tricky identifier: operationId, schema name, property name, enum value.
            let names: Vec<String> = all
                .iter()
                .filter(|p| p.ends_with("/operationId") || p.contains("/enum/") || p.contains("/x-enum-varnames/"))
                .cloned()
                .collect();
            let name = nasty(rng);
            if rng.bool()
                && let Some(pointer) = pick(rng, &names).cloned()
            {
                if let Some(node) = doc.pointer_mut(&pointer) {
                    *node = json!(name);
                }
                return format!("{pointer} = {name:?}");
            }
            let properties: Vec<String> = all.iter().filter(|p| p.ends_with("/properties")).cloned().collect();
            let Some(pointer) = pick(rng, &properties).cloned() else { return "nothing".into() };
            rename_key(doc, &pointer, 0, &name);
            if rng.bool() {
                rename_key(doc, "/components/schemas", rng.usize(..), &name);
            }
            format!("a property (and maybe a schema) of {pointer} renamed to {name:?}")
        }
        8 => {
            // A subtree copied elsewhere.
            let (Some(from), Some(to)) = (pick(rng, &all).cloned(), pick(rng, &all).cloned()) else {
                return "nothing".into();
            };
            let Some(copy) = doc.pointer(&from).cloned() else { return "nothing".into() };
            if let Some(node) = doc.pointer_mut(&to) {
                *node = copy;
            }
            format!("copied {from} to {to}")
        }
        9 => {
            // Extreme numbers where the spec has numbers.
            let numbers: Vec<String> =
                all.iter().filter(|p| doc.pointer(p).is_some_and(Value::is_number)).cloned().collect();
            let Some(pointer) = pick(rng, &numbers).cloned() else { return "nothing".into() };
            let value =
                [json!(-1), json!(0), json!(1e300), json!(u64::MAX), json!(i64::MIN), json!(0.5), json!(-1e-300)]
                    [rng.usize(..7)]
                .clone();
            if let Some(node) = doc.pointer_mut(&pointer) {
                *node = value.clone();
            }
            format!("{pointer} = {value}")
        }
        _ => {
            // A regex that is not one, or a catastrophic one.
            let patterns: Vec<String> = all.iter().filter(|p| p.ends_with("/pattern")).cloned().collect();
            let Some(pointer) = pick(rng, &patterns).cloned() else { return "nothing".into() };
            let pattern = ["(", "[z-a]", "(a+)+$", "\\", "(?<n>x)(?<n>y)", "^(([a-z])+.)+[A-Z]([a-z])+$", "\\p{Nope}"]
                [rng.usize(..7)];
            if let Some(node) = doc.pointer_mut(&pointer) {
                *node = json!(pattern);
            }
            format!("{pointer} = {pattern:?}")
        }
    }
}

/// Renames a key (the `index`-th, modulo the count) of the object at `pointer`, keeping its value.
fn rename_key(doc: &mut Value, pointer: &str, index: usize, new_key: &str) {
    let Some(Value::Object(map)) = doc.pointer_mut(pointer) else { return };
    let Some(old) = map.keys().nth(index % map.len().max(1)).cloned() else { return };
    if let Some(value) = map.shift_remove(&old) {
        map.insert(new_key.to_string(), value);
    }
}

/// Byte offset of the start of each line.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).filter(|i| *i < text.len()).collect()
}

fn char_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// One YAML-level mutation of the text; returns what it did.
fn mutate_yaml(rng: &mut fastrand::Rng, text: &mut String) -> String {
    let starts = line_starts(text);
    if starts.is_empty() {
        text.push_str(&nasty(rng));
        return "appended to an empty text".into();
    }
    let line = rng.usize(..starts.len());
    let start = starts[line];
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i + 1);
    match rng.u8(..10) {
        0 => {
            text.replace_range(start..end, "");
            format!("deleted line {}", line + 1)
        }
        1 => {
            let copy = text[start..end].to_string();
            text.insert_str(end, &copy);
            format!("duplicated line {}", line + 1)
        }
        2 => {
            let shift = rng.usize(1..=4);
            if rng.bool() {
                text.insert_str(start, &" ".repeat(shift));
            } else {
                let spaces = text[start..end].chars().take_while(|c| *c == ' ').count().min(shift);
                text.replace_range(start..start + spaces, "");
            }
            format!("re-indented line {}", line + 1)
        }
        3 => {
            text.insert(start, '\t');
            format!("tab on line {}", line + 1)
        }
        4 => {
            let at = char_boundary(text, rng.usize(..text.len()));
            text.truncate(at);
            format!("truncated at byte {at}")
        }
        5 => {
            let token = [
                ": ",
                "- ",
                "{",
                "}",
                "[",
                "]",
                "&a ",
                "*a",
                "*undefined",
                "!!binary ",
                "!!python/object ",
                "%YAML 1.1\n",
                "---\n",
                "...\n",
                "\0",
                "\u{feff}",
                "'",
                "\"",
                "? ",
                "|",
                ">",
                "#",
                "<<: *a\n",
                "~",
                "\r",
            ][rng.usize(..25)];
            let at = char_boundary(text, rng.usize(..=text.len()));
            text.insert_str(at, token);
            format!("inserted {token:?} at byte {at}")
        }
        6 => {
            // An alias expansion bomb under an extension key.
            let depth = rng.usize(3..=12);
            let mut bomb = String::from("x-bomb:\n  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
            for level in 1..depth {
                let previous = format!("*l{}", level - 1);
                let _ = writeln!(bomb, "  l{level}: &l{level} [{}]", vec![previous; 9].join(", "));
            }
            text.push_str(&bomb);
            format!("alias bomb {depth} deep")
        }
        7 => {
            let other = rng.usize(..starts.len());
            let (a, b) = (line.min(other), line.max(other));
            if a == b {
                return "swapped a line with itself".into();
            }
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            let mut lines: Vec<String> = lines.into_iter().map(str::to_string).collect();
            lines.swap(a, b);
            *text = lines.concat();
            format!("swapped lines {} and {}", a + 1, b + 1)
        }
        8 => {
            let line_text = text[start..end].to_string();
            let Some(colon) = line_text.find(": ") else { return "no scalar to replace".into() };
            let scalar = [
                "null",
                "~",
                "true",
                "1e999",
                "-0",
                "0x1F",
                ".inf",
                ".nan",
                "[]",
                "{}",
                "''",
                "\"\\u0000\"",
                "=",
                "<<",
            ][rng.usize(..14)];
            let newline = if line_text.ends_with('\n') { "\n" } else { "" };
            text.replace_range(start + colon + 2..end, &format!("{scalar}{newline}"));
            format!("line {} value = {scalar}", line + 1)
        }
        _ => {
            let huge = huge_string(rng).replace(['\n', '\r', '\0'], " ");
            text.insert_str(end, &format!("x-huge-{line}: {:?}\n", huge));
            format!("huge scalar after line {}", line + 1)
        }
    }
}

/// What one spec case must end in.
#[derive(Debug)]
enum SpecOutcome {
    ParseError,
    Linted,
    Generated,
    GenerateError,
    LintErrorsThenGenerateError,
}

/// Parses, lints and (when `generate`) generates from `text`, checking every result. `Err`
/// describes a broken promise.
fn run_spec_case(text: String, generate: bool) -> Result<SpecOutcome, String> {
    use opentact_codegen::GenerateError;
    let path = Path::new("spec/fuzzed.yaml");
    let spec = match opentact_codegen::parse(path, text) {
        Ok(spec) => spec,
        Err(e) => {
            if e.file != path || e.message.is_empty() {
                return Err(format!("an error that names no file or says nothing: {e:?}"));
            }
            if e.line.is_none() && e.pointer.is_none() {
                return Err(format!("a load error without a line or a pointer: {e}"));
            }
            return Ok(SpecOutcome::ParseError);
        }
    };
    let findings = opentact_codegen::lint(&spec);
    for diagnostic in &findings {
        if !diagnostic.pointer.starts_with('#') || diagnostic.message.is_empty() {
            return Err(format!("a lint finding without a location: {diagnostic:?}"));
        }
    }
    // `cargo xtask generate` stops at lint errors; generation still must not panic or hang
    // on such a spec, but only a clean spec is owed files or a located error.
    let clean = !findings.iter().any(|d| d.severity == opentact_codegen::Severity::Error);
    if !generate {
        return Ok(SpecOutcome::Linted);
    }
    match opentact_codegen::generate(&spec) {
        Ok(files) if files.len() >= 5 && files.values().all(|f| !f.is_empty()) => Ok(SpecOutcome::Generated),
        Ok(files) => Err(format!("generation returned {} file(s), some empty", files.len())),
        Err(GenerateError::Spec(e)) if e.file != path || e.message.is_empty() => {
            Err(format!("a generation error without a file: {e:?}"))
        }
        Err(_) if !clean => Ok(SpecOutcome::LintErrorsThenGenerateError),
        Err(GenerateError::Spec(e)) if e.line.is_none() && e.pointer.is_none() => {
            Err(format!("a spec without lint errors fails to generate, and the error has no line: {e}"))
        }
        Err(GenerateError::Spec(_)) => Ok(SpecOutcome::GenerateError),
        // progenitor or a rewrite failing on a lint-clean spec: a lint rule is missing.
        Err(e) => Err(format!("a spec without lint errors fails outside the spec's checks: {e}")),
    }
}

/// Runs cases on one worker thread with a main thread's stack (8 MiB), so that a hang is
/// noticed (the deadline) and a panic is reported with its input.
struct Worker {
    jobs: mpsc::Sender<(String, bool)>,
    results: mpsc::Receiver<std::thread::Result<Result<SpecOutcome, String>>>,
}

impl Worker {
    fn start() -> Worker {
        let (jobs, inbox) = mpsc::channel::<(String, bool)>();
        let (outbox, results) = mpsc::channel();
        std::thread::Builder::new()
            .name("fuzz-spec".into())
            .stack_size(8 << 20)
            .spawn(move || {
                for (text, generate) in inbox {
                    let result = catch_unwind(AssertUnwindSafe(|| run_spec_case(text, generate)));
                    if outbox.send(result).is_err() {
                        return;
                    }
                }
            })
            .unwrap();
        Worker { jobs, results }
    }

    fn run(&self, text: &str, generate: bool) -> Result<SpecOutcome, String> {
        // Kept before running: a stack overflow aborts the process without unwinding.
        keep("last-spec-case.yaml", text.as_bytes());
        self.jobs.send((text.to_string(), generate)).map_err(|_| "the worker is gone".to_string())?;
        match self.results.recv_timeout(CASE_DEADLINE) {
            Ok(Ok(result)) => result,
            Ok(Err(_)) => Err(format!("panic: {}", last_panic())),
            Err(_) => Err(format!("no result within {CASE_DEADLINE:?} (a hang)")),
        }
    }
}

#[test]
fn spec_pipeline_survives_mutated_specs() {
    // The harness itself walks, clones and serialises documents nested thousands deep: give
    // it room. The pipeline runs on the worker, with a main thread's stack.
    let harness = std::thread::Builder::new().stack_size(256 << 20).spawn(fuzz_spec_pipeline).unwrap();
    if let Err(panic) = harness.join() {
        std::panic::resume_unwind(panic);
    }
}

fn fuzz_spec_pipeline() {
    record_panics();
    let budget = Budget::from_env("spec pipeline");
    let original = std::fs::read_to_string(spec_path()).unwrap();
    let document = opentact_codegen::parse(&spec_path(), original.clone()).unwrap().json;
    let worker = Worker::start();
    let mut failures = Vec::new();
    let mut counts = std::collections::BTreeMap::<String, usize>::new();

    for (path, bytes) in regression_cases("specs") {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let result = worker.run(&text, true);
        if let Err(problem) = result {
            failures.push(format!("regression case {}: {problem}", path.display()));
        }
        *counts.entry("regression".into()).or_default() += 1;
    }

    let started = Instant::now();
    let mut case = 0;
    let mut generated = 0;
    while budget.more(case, SPEC_CASES) {
        let mut rng = budget.rng(case);
        let mut steps = Vec::new();
        // OpenAPI-level mutations on the document, then (sometimes) YAML-level ones on its text.
        let mut text = if rng.u8(..3) == 0 {
            original.clone()
        } else {
            let mut doc = document.clone();
            for _ in 0..rng.usize(1..=3) {
                steps.push(mutate_openapi(&mut rng, &mut doc));
            }
            if rng.bool() { serde_yaml::to_string(&doc).unwrap() } else { serde_json::to_string_pretty(&doc).unwrap() }
        };
        if steps.is_empty() || rng.u8(..4) == 0 {
            for _ in 0..rng.usize(1..=3) {
                steps.push(mutate_yaml(&mut rng, &mut text));
            }
        }
        // Generation takes about a second: only a few cases go that far in a `cargo test` run.
        let generate = budget.until.is_some() || generated < SPEC_GENERATE_CASES && case % 10 == 0;
        let result = worker.run(&text, generate);
        match result {
            Ok(outcome) => {
                if matches!(
                    outcome,
                    SpecOutcome::Generated | SpecOutcome::GenerateError | SpecOutcome::LintErrorsThenGenerateError
                ) {
                    generated += 1;
                }
                *counts.entry(format!("{outcome:?}")).or_default() += 1;
            }
            Err(problem) => {
                let kept = keep(&format!("spec-{}-{case}.yaml", budget.seed), text.as_bytes());
                failures.push(format!("case {case} ({}): {problem}\n  input: {}", steps.join("; "), kept.display()));
                if failures.len() >= 5 || problem.contains("a hang") {
                    break;
                }
            }
        }
        case += 1;
    }
    println!(
        "fuzz spec pipeline: {case} cases ({generated} generated) in {:.0} s: {counts:?}",
        started.elapsed().as_secs_f64()
    );
    assert!(failures.is_empty(), "{} failure(s):\n{}", failures.len(), failures.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// Response decoders

/// Calls `$check` with every envelope type the client decodes (the `Envelope` impls of the
/// generated facade; `envelope_list_is_complete` keeps this list in step with them).
macro_rules! for_each_envelope {
    ($check:ident, $($arg:expr),*) => {{
        $check::<types::OutboundVoiceProfilesResponse>($($arg),*);
        $check::<types::OutboundVoiceProfileResponse>($($arg),*);
        $check::<types::SipConnectionsResponse>($($arg),*);
        $check::<types::SipControlAppsResponse>($($arg),*);
        $check::<types::TnProfilesResponse>($($arg),*);
        $check::<types::TnSpecialPricesResponse>($($arg),*);
        $check::<types::TnProfileResponse>($($arg),*);
        $check::<types::SipControlAppResponse>($($arg),*);
        $check::<types::TnLeasesResponse>($($arg),*);
        $check::<types::SipControlAppCallResponse>($($arg),*);
        $check::<types::TnOrderResponse>($($arg),*);
        $check::<types::TnOrderPriceResponse>($($arg),*);
        $check::<types::TnOrdersResponse>($($arg),*);
    }};
}

#[test]
fn envelope_list_is_complete() {
    let source =
        std::fs::read_to_string(workspace_root().join(opentact_codegen::GENERATED_DIR).join("operations.rs")).unwrap();
    let mut generated: Vec<String> = source
        .lines()
        .filter_map(|line| line.strip_prefix("impl crate::runtime::Envelope for types::"))
        .map(|rest| rest.trim_end_matches(" {").to_string())
        .collect();
    generated.sort();
    let mut listed = Vec::new();
    fn name<T>(listed: &mut Vec<String>) {
        listed.extend(std::any::type_name::<T>().rsplit("::").next().map(str::to_string));
    }
    for_each_envelope!(name, &mut listed);
    listed.sort();
    assert_eq!(listed, generated, "update for_each_envelope! in tests/tests/it/fuzz.rs");
}

/// The documented examples (`components/examples`): envelopes, payloads and error bodies.
fn documented_examples() -> Vec<Value> {
    let spec = opentact_codegen::load(&spec_path()).unwrap();
    let examples = spec.json.pointer("/components/examples").and_then(Value::as_object).cloned().unwrap_or_default();
    let mut seeds: Vec<Value> = examples.values().filter_map(|e| e.get("value").cloned()).collect();
    // Payloads as the payload of a successful envelope too.
    let payloads: Vec<Value> = seeds.iter().filter_map(|s| s.get("payload").cloned()).collect();
    seeds.extend(payloads.iter().map(|p| json!({ "success": true, "payload": p })));
    seeds.extend(payloads.into_iter().map(|p| json!({ "success": false, "message": "no", "payload": p })));
    seeds
}

fn random_json(rng: &mut fastrand::Rng, depth: usize) -> Value {
    match rng.u8(..if depth > 4 { 6 } else { 8 }) {
        0 => Value::Null,
        1 => json!(rng.bool()),
        2 => json!(rng.i64(..)),
        3 => json!(rng.f64() * 10f64.powi(rng.i32(-300..300))),
        4 => json!(NASTY[rng.usize(..NASTY.len())]),
        5 => json!(["success", "payload", "message", "status", "uuid", "tn", "state"][rng.usize(..7)]),
        6 => Value::Array((0..rng.usize(..4)).map(|_| random_json(rng, depth + 1)).collect()),
        _ => {
            let keys = ["success", "payload", "message", "status", "uuid", "name", "tn", "state", "nrc", "mrc"];
            let map: Map<String, Value> = (0..rng.usize(..5))
                .map(|_| (keys[rng.usize(..keys.len())].to_string(), random_json(rng, depth + 1)))
                .collect();
            Value::Object(map)
        }
    }
}

/// One JSON-level mutation of a value.
fn mutate_json(rng: &mut fastrand::Rng, value: &mut Value) {
    let all = pointers(value);
    let Some(pointer) = pick(rng, &all).cloned() else {
        *value = random_json(rng, 0);
        return;
    };
    let Some(node) = value.pointer_mut(&pointer) else { return };
    *node = match rng.u8(..10) {
        0 => Value::Null,
        1 => random_json(rng, 0),
        2 => json!(node.to_string()), // a number or object as a string
        3 => match node {
            Value::String(s) => s.parse::<f64>().map_or(json!(0), |n| json!(n)),
            _ => json!(-1),
        },
        4 => json!(["", "unknown_state", "NaN", "-0", "1e999", "0.50", "9223372036854775808"][rng.usize(..7)]),
        5 => json!(u64::MAX),
        6 => json!(i64::MIN),
        7 => json!(f64::MAX),
        8 => json!([node.take()]),
        _ => json!({ "nested": node.take() }),
    };
}

/// One byte-level mutation of a serialised body.
fn mutate_bytes(rng: &mut fastrand::Rng, bytes: &mut Vec<u8>) {
    let at = rng.usize(..=bytes.len());
    match rng.u8(..10) {
        0 => bytes.truncate(at),
        1 => bytes.insert(at, rng.u8(..)),
        2 => bytes.splice(at..at, *b"\"\\ud800\"").for_each(drop), // a lone surrogate
        3 => bytes.splice(at..at, [0xff, 0xfe, 0xc0, 0x80]).for_each(drop), // invalid UTF-8
        4 => {
            // A duplicate key at the top level.
            if bytes.first() == Some(&b'{') {
                bytes.splice(1..1, *br#""success":false,"payload":null,"#).for_each(drop);
            }
        }
        5 => {
            let depth = rng.usize(100..=100_000);
            let (open, close) = if rng.bool() { ("[", "]") } else { ("{\"a\":", "}") };
            let nested = format!("{}1{}", open.repeat(depth), close.repeat(depth));
            bytes.splice(at..at, nested.into_bytes()).for_each(drop);
        }
        6 => {
            let number =
                ["1e999999", "-1e-999999", "123456789012345678901234567890", "-0", "0.0000000000000000001", "1E+2"]
                    [rng.usize(..6)];
            bytes.splice(at..at, number.bytes()).for_each(drop);
        }
        7 => bytes.splice(at..at, *b"\"\\u00\"").for_each(drop), // a broken escape
        8 => bytes.splice(..0, [0xef, 0xbb, 0xbf]).for_each(drop), // a byte order mark
        _ => bytes.extend_from_slice(b" trailing"),
    }
}

/// A fuzzed body: mostly mutated documented examples, sometimes arbitrary JSON or bytes.
fn fuzzed_body(rng: &mut fastrand::Rng, seeds: &[Value]) -> Vec<u8> {
    let mut value = if rng.u8(..5) == 0 { random_json(rng, 0) } else { seeds[rng.usize(..seeds.len())].clone() };
    for _ in 0..rng.usize(..4) {
        mutate_json(rng, &mut value);
    }
    let mut bytes = serde_json::to_vec(&value).unwrap();
    if rng.u8(..3) == 0 {
        for _ in 0..rng.usize(1..=3) {
            mutate_bytes(rng, &mut bytes);
        }
    }
    bytes
}

/// Decodes `body` as `T` the way the raw client does, and again with path tracking the way
/// the error mapping does; neither may panic.
fn decode_as<T: DeserializeOwned>(body: &[u8], decoded: &mut usize) {
    if serde_json::from_slice::<T>(body).is_ok() {
        *decoded += 1;
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let _ = serde_path_to_error::deserialize::<_, T>(&mut deserializer);
}

/// Runs `check` on a thread with a 2 MiB stack (tokio's worker threads, where the client
/// decodes, have that much).
fn on_small_stack<R: Send + 'static>(check: impl FnOnce() -> R + Send + 'static) -> std::thread::Result<R> {
    std::thread::Builder::new().name("fuzz-decode".into()).stack_size(2 << 20).spawn(check).unwrap().join()
}

#[test]
fn every_decoder_survives_mutated_payloads() {
    record_panics();
    let budget = Budget::from_env("response decoders");
    let seeds = documented_examples();
    let mut failures = Vec::new();

    let regressions = regression_cases("responses");
    for (path, body) in &regressions {
        let body = body.clone();
        if on_small_stack(move || for_each_envelope!(decode_as, &body, &mut 0)).is_err() {
            failures.push(format!("regression case {}: panic: {}", path.display(), last_panic()));
        }
    }

    let started = Instant::now();
    let (mut case, mut decoded) = (0, 0);
    // Cases in batches, each batch on a fresh small-stack thread.
    while budget.more(case, DECODE_CASES) && failures.is_empty() {
        let batch: Vec<(usize, Vec<u8>)> =
            (case..case + 100).map(|c| (c, fuzzed_body(&mut budget.rng(c), &seeds))).collect();
        case += batch.len();
        let shared = Arc::new(Mutex::new(None::<(usize, Vec<u8>)>));
        let current = shared.clone();
        let result = on_small_stack(move || {
            let mut decoded = 0;
            for (index, body) in batch {
                *current.lock().unwrap() = Some((index, body.clone()));
                // Kept before decoding: a stack overflow aborts without unwinding.
                keep("last-response-case.json", &body);
                for_each_envelope!(decode_as, &body, &mut decoded);
            }
            decoded
        });
        match result {
            Ok(n) => decoded += n,
            Err(_) => {
                let (index, body) = shared.lock().unwrap().clone().unwrap_or_default();
                let kept = keep(&format!("response-{}-{index}.json", budget.seed), &body);
                failures.push(format!("case {index}: panic: {}\n  input: {}", last_panic(), kept.display()));
            }
        }
    }
    println!(
        "fuzz response decoders: {case} bodies x 13 envelope types ({decoded} decodes succeeded) + {} regression \
         case(s) in {:.0} s",
        regressions.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Serves whatever body and status the current case put in.
#[derive(Clone)]
struct Current(Arc<Mutex<(u16, Vec<u8>)>>);

impl Respond for Current {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let (status, body) = self.0.lock().unwrap().clone();
        ResponseTemplate::new(status).set_body_raw(body, "application/json")
    }
}

/// The documented example each of [`call`]'s calls answers with.
const CALL_EXAMPLES: [&str; 14] = [
    "OutboundVoiceProfiles",
    "OutboundVoiceProfile",
    "SIPConnections",
    "SIPControlApps",
    "TNProfiles",
    "TNSpecialPrices",
    "TNProfile",
    "SIPControlApps",
    "SIPControlApp",
    "TNLeases",
    "SIPControlAppCall",
    "TNOrder",
    "TNOrderPrice",
    "TNOrders",
];

/// One call per envelope type, through the whole client: hooks, body limit, decoding,
/// envelope unwrapping and error mapping.
async fn call(client: &Client, which: usize) -> opentact_client::Result<()> {
    let id = uuid::Uuid::nil();
    match which % 14 {
        0 => client.list_outbound_voice_profiles().await.map(drop),
        1 => client.get_outbound_voice_profile_by_uuid(id).await.map(drop),
        2 => client.get_outbound_voice_profile_sip_connections_by_uuid(id).await.map(drop),
        3 => client.get_outbound_voice_profile_control_apps_by_uuid(id).await.map(drop),
        4 => client.list_tn_profiles().await.map(drop),
        5 => client.get_tn_special_prices_by_account().await.map(drop),
        6 => client.get_tn_profile_by_uuid(id).await.map(drop),
        7 => client.list_sip_control_apps().await.map(drop),
        8 => client.get_sip_control_app_by_uuid(id).await.map(drop),
        9 => client.get_sip_control_app_tn_leases_list(id).await.map(drop),
        10 => {
            let call = "4b5c6d7e-8f9a-4b0c-9d1e-2f3a4b5c6d7e";
            client.execute_sip_control_app_call_execute_call_flow(call, Upload::xml("<Response/>")).await.map(drop)
        }
        11 => client.get_order_by_uuid(id).await.map(drop),
        12 => {
            let order: types::TnOrderNewParams =
                types::TnOrderNewParams::builder().tns(vec![12025550143]).try_into()?;
            client.get_order_price(&order).await.map(drop)
        }
        _ => client.list_orders().await.map(drop),
    }
}

#[test]
fn the_client_survives_mutated_responses() {
    record_panics();
    let budget = Budget::from_env("client responses");
    let seeds = documented_examples();
    let examples = opentact_codegen::load(&spec_path()).unwrap().json["components"]["examples"].clone();
    // The client runs where users run it: on tokio's worker threads (2 MiB stacks).
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("fuzz-client")
        .enable_all()
        .build()
        .unwrap();
    let failures = runtime.block_on(async move {
        let server = MockServer::start().await;
        let current = Current(Arc::new(Mutex::new((200, Vec::new()))));
        Mock::given(wiremock::matchers::any()).respond_with(current.clone()).mount(&server).await;
        let client = Client::builder()
            .server(Server::Custom(server.uri()))
            .token("t")
            .retry(RetryPolicy::none())
            .build()
            .unwrap();
        let client = Arc::new(client);
        let started = Instant::now();
        let (mut case, mut ok) = (0, 0);
        let mut failures = Vec::new();
        while budget.more(case, CLIENT_CASES) {
            let mut rng = budget.rng(case);
            let status = [200, 200, 200, 200, 201, 400, 401, 404, 409, 500, 502][rng.usize(..11)];
            let which = rng.usize(..14);
            // Mostly the call's own documented answer, mutated; sometimes any other body.
            let body = if rng.u8(..4) == 0 {
                fuzzed_body(&mut rng, &seeds)
            } else {
                fuzzed_body(&mut rng, std::slice::from_ref(&examples[CALL_EXAMPLES[which]]["value"]))
            };
            keep("last-client-case.json", &body);
            *current.0.lock().unwrap() = (status, body.clone());
            let client = client.clone();
            // A task: its panic is caught and reported instead of ending the run.
            match tokio::spawn(async move { call(&client, which).await }).await {
                Ok(Ok(())) => ok += 1,
                Ok(Err(Error::Api(_) | Error::Decode(_))) => {}
                Ok(Err(other)) => failures.push(format!("case {case} (HTTP {status}, call {which}): {other:?}")),
                Err(_) => {
                    let kept = keep(&format!("client-{}-{case}.json", budget.seed), &body);
                    failures.push(format!("case {case}: panic: {}\n  input: {}", last_panic(), kept.display()));
                }
            }
            if failures.len() >= 5 {
                break;
            }
            case += 1;
        }
        println!(
            "fuzz client responses: {case} calls ({ok} succeeded, the rest typed errors) in {:.0} s",
            started.elapsed().as_secs_f64()
        );
        failures
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
