//! The spec as other-language teams use it: openapi-generator makes a Python and a TypeScript
//! (typescript-fetch) client with no errors and no warnings about the spec, the Python models
//! load every response example, the TypeScript client type-checks, and openapi-typescript
//! produces types. openapi-generator's output is cached by its exact inputs under
//! `target/generated/` (DEVELOPERS.md says why that is sound); every check runs every time.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use opentact_tests::{cached_generation, npm_tool, pinned_pypi, spec_path, venv_tool, workspace_root};

/// A minimal valid spec with the standard constructs of ours that openapi-generator logs
/// about while generating correct code: a named `oneOf` of primitive types (`FlexibleNumber`,
/// a number or a numeric string), for which 7.26.0 logs "Failed to get the schema name: null"
/// in typescript-fetch (and for any spec at all in python); and a query parameter named `from`
/// (GetTransactionInvoiceReport's), a Python keyword, which the python generator renames and
/// logs "From (reserved word) cannot be used as model name". Warnings the baseline shares are the
/// generator's; any other warning is about our spec and fails the test.
const BASELINE: &str = r#"
openapi: 3.0.3
info: {title: Baseline, version: '1'}
paths:
  /things:
    get:
      operationId: ListThings
      parameters:
        - {name: from, in: query, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Amount:
      oneOf:
        - type: number
        - type: string
    Thing:
      type: object
      properties:
        name: {type: string}
        amount: {$ref: '#/components/schemas/Amount'}
"#;

/// The generator's settings besides the generator name; part of the cache key.
const GLOBAL_PROPERTIES: &str = "apiTests=false,modelTests=false,apiDocs=false,modelDocs=false";

/// openapi-generator's output for `spec`: `<dir>/client/` and its log `<dir>/generator.log`.
/// Cached by every input (spec bytes, generator, pinned version, options; no templates are
/// used): see `opentact_tests::cached_generation`.
fn openapi_generator(spec: &Path, generator: &str, properties: &str) -> PathBuf {
    let spec_bytes = std::fs::read(spec).unwrap_or_else(|e| panic!("cannot read {}: {e}", spec.display()));
    let version = pinned_pypi("openapi-generator-cli");
    let inputs: [(&str, &[u8]); 5] = [
        ("spec", &spec_bytes),
        ("tool", version.as_bytes()),
        ("generator", generator.as_bytes()),
        ("additional-properties", properties.as_bytes()),
        ("global-property", GLOBAL_PROPERTIES.as_bytes()),
    ];
    cached_generation(&format!("openapi-generator-{generator}"), &inputs, |out| {
        let started = Instant::now();
        let output = Command::new(venv_tool("openapi-generator-cli"))
            .args(["generate", "-g", generator, "-i"])
            .arg(spec)
            .arg("-o")
            .arg(out.join("client"))
            .arg(format!("--additional-properties={properties}"))
            .arg(format!("--global-property={GLOBAL_PROPERTIES}"))
            .output()
            .expect("openapi-generator-cli runs (it needs java on PATH)");
        let log = String::from_utf8_lossy(&output.stdout).to_string() + &String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "openapi-generator {generator} failed on {}:\n{log}", spec.display());
        std::fs::write(out.join("generator.log"), log).unwrap();
        println!("openapi-generator {generator} on {}: {:.1} s", spec.display(), started.elapsed().as_secs_f64());
    })
}

/// The distinct WARN/ERROR messages of a generator log.
fn warnings(generated: &Path) -> BTreeSet<String> {
    let log = std::fs::read_to_string(generated.join("generator.log")).unwrap();
    log.lines()
        .filter(|l| l.contains(" WARN ") || l.contains(" ERROR ") || l.contains("Exception"))
        .map(|l| l.split_once(" - ").map_or(l, |(_, message)| message).trim().to_string())
        .collect()
}

/// Generates with `generator` from the spec; fails on any warning the baseline does not share.
/// Returns the generated client's directory.
fn generate_without_spec_warnings(generator: &str, properties: &str) -> PathBuf {
    let dir = tempfile::tempdir().unwrap();
    let baseline_spec = dir.path().join("baseline.yaml");
    std::fs::write(&baseline_spec, BASELINE).unwrap();
    let baseline = warnings(&openapi_generator(&baseline_spec, generator, properties));
    let ours = openapi_generator(&spec_path(), generator, properties);
    let about_the_spec: Vec<String> = warnings(&ours).difference(&baseline).cloned().collect();
    assert!(about_the_spec.is_empty(), "openapi-generator {generator} warns about the spec:\n{about_the_spec:#?}");
    ours.join("client")
}

#[test]
fn python_client_generates_cleanly_and_loads_every_response_example() {
    let client = generate_without_spec_warnings("python", "packageName=opentact_client,projectName=opentact-client");
    let script = workspace_root().join("tests/other-languages/python_examples.py");
    let output = Command::new(venv_tool("python")).arg(script).arg(spec_path()).arg(client).output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout).to_string() + &String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the Python models do not load every example:\n{text}");
    assert!(text.contains(" response examples, 0 failures"), "{text}");
    println!("{}", text.trim());
}

#[test]
fn typescript_fetch_client_generates_cleanly_and_type_checks() {
    let client = generate_without_spec_warnings("typescript-fetch", "npmName=opentact-client,supportsES6=true");
    let started = Instant::now();
    let output = Command::new(npm_tool("tsc"))
        .arg("-p")
        .arg(client.join("tsconfig.json"))
        .args(["--noEmit", "--strict"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).to_string() + &String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "tsc --noEmit failed:\n{text}");
    println!("tsc --noEmit --strict: {:.1} s", started.elapsed().as_secs_f64());
    assert!(client.join("src/apis/SIPControlAppApi.ts").exists(), "one API class per tag");
}

#[test]
fn openapi_typescript_produces_types() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("opentact.d.ts");
    let output = Command::new(npm_tool("openapi-typescript")).arg(spec_path()).arg("-o").arg(&out).output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout).to_string() + &String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "openapi-typescript failed:\n{text}");
    assert!(!text.to_lowercase().contains("warn") && !text.to_lowercase().contains("error"), "{text}");
    let types = std::fs::read_to_string(&out).unwrap();
    for name in ["SIPControlApp:", "EVoiceRecordCallType:", "\"/sip/app/call/{uuid}\""] {
        assert!(types.contains(name), "{name} missing from the generated types");
    }
    let check = Command::new(npm_tool("tsc")).arg("--noEmit").arg("--strict").arg(&out).output().unwrap();
    assert!(
        check.status.success(),
        "the generated types do not type-check:\n{}",
        String::from_utf8_lossy(&check.stdout)
    );
}
