//! Fuzz target: the spec pipeline (`opentact_codegen::parse`, `lint`, `generate`) on mutated copies of
//! `spec/opentact.yaml`, OpenAPI-level and YAML-level mutations.

use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use opentact_tests::spec_path;
use serde_json::{Value, json};

use super::{Budget, NASTY, keep, last_panic, pick, pointers, record_panics, regression_cases};

/// Cases of a `cargo test` run, and how many of them also generate. Each case parses and lints
/// the whole spec, which grew fivefold with issue 19 (200 cases took 76 s in a debug build): the
/// fixed run keeps the loop within its budget, and `cargo xtask fuzz` runs as long as asked.
const SPEC_CASES: usize = 80;
const SPEC_GENERATE_CASES: usize = 4;
/// A case that takes longer than this hangs (generation takes about a second).
const CASE_DEADLINE: Duration = Duration::from_secs(300);

fn nasty(rng: &mut fastrand::Rng) -> String {
    NASTY[rng.usize(..NASTY.len())].to_string()
}

fn huge_string(rng: &mut fastrand::Rng) -> String {
    let piece = nasty(rng);
    let piece = if piece.is_empty() { "x".to_string() } else { piece };
    piece.repeat(rng.usize(1_000..=50_000) / piece.len().max(1))
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
