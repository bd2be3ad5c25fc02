//! spec/README.md's "Generating a client" tells the truth: clients generated with the options
//! it gives decode a response carrying an enum value the spec does not list and a money
//! amount sent as a string; and (the control) what it says about the default options holds.
//! Each client is generated once per option set and reused for every check.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use opentact_tests::{example, npm_tool, spec_path, venv_tool, workspace_root};
use serde_json::{Value, json};

/// The value no version of the spec lists for `ETNOrderState`.
const UNKNOWN_STATE: &str = "on_hold";

/// GetOrderByUUID's documented response, with the order in an undocumented state and its
/// price as the service sometimes sends it (amounts as strings).
fn response(unknown_state: bool) -> Value {
    let mut value = example("TNOrder");
    let payload = value.get_mut("payload").expect("an envelope");
    assert!(payload.get("state").is_some(), "the example has a state to replace");
    if unknown_state {
        payload["state"] = json!(UNKNOWN_STATE);
    }
    payload["price"] = json!({"nrc": "12.50", "mrc": "0.75"});
    value
}

fn write_response(dir: &Path, unknown_state: bool) -> PathBuf {
    let path = dir.join(format!("response-{unknown_state}.json"));
    std::fs::write(&path, serde_json::to_string(&response(unknown_state)).unwrap()).unwrap();
    path
}

fn generate(generator: &str, out: &Path, extra: &[&str], properties: &str) {
    let started = Instant::now();
    let output = Command::new(venv_tool("openapi-generator-cli"))
        .args(["generate", "-g", generator, "-i"])
        .arg(spec_path())
        .arg("-o")
        .arg(out)
        .args(extra)
        .arg(format!("--additional-properties={properties}"))
        .arg("--global-property=apiTests=false,modelTests=false,apiDocs=false,modelDocs=false")
        .output()
        .expect("openapi-generator-cli runs (it needs java on PATH)");
    let log = String::from_utf8_lossy(&output.stdout).to_string() + &String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "openapi-generator {generator} {extra:?} failed:\n{log}");
    println!("openapi-generator {generator} {extra:?}: {:.1} s", started.elapsed().as_secs_f64());
}

fn decoded(command: &mut Command) -> Value {
    let output = command.output().expect("the decoder runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{text}{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("the decoder printed no JSON ({e}): {text}"))
}

fn assert_kept(result: &Value, what: &str) {
    assert_eq!(result["decoded"], true, "{what}: {result}");
    assert_eq!(result["value"]["payload"]["state"], UNKNOWN_STATE, "{what} keeps the unknown value: {result}");
    assert_eq!(result["value"]["payload"]["price"]["nrc"], "12.50", "{what} keeps the amount: {result}");
}

#[test]
fn python_clients_keep_unknown_enum_values_with_the_template_and_fail_without_it() {
    let dir = tempfile::tempdir().unwrap();
    let properties = "packageName=opentact_client,projectName=opentact-client";
    let template = workspace_root().join("spec/generators/python");
    let forward = dir.path().join("forward");
    let default = dir.path().join("default");
    // Both at once: each takes about two minutes of mostly one core on this recursive spec.
    std::thread::scope(|scope| {
        let template = template.to_str().unwrap();
        let forward = scope.spawn(|| generate("python", &forward, &["-t", template], properties));
        generate("python", &default, &[], properties);
        forward.join().unwrap();
    });

    let script = workspace_root().join("tests/other-languages/decode_python.py");
    let decode = |client: &Path, document: &Path| {
        decoded(Command::new(venv_tool("python")).arg(&script).arg(client).arg("TNOrderResponse").arg(document))
    };
    let unknown = write_response(dir.path(), true);
    let known = write_response(dir.path(), false);

    assert_kept(&decode(&forward, &unknown), "python with spec/generators/python");

    // The control: the default options reject the unknown value, and only it (the same
    // response with a documented state decodes, amounts as strings included).
    let rejected = decode(&default, &unknown);
    assert_eq!(rejected["decoded"], false, "the default Python client accepts unknown values now: {rejected}");
    let error = rejected["error"].as_str().unwrap_or_default();
    assert!(error.contains("state") && error.contains(UNKNOWN_STATE), "{error}");
    let accepted = decode(&default, &known);
    assert_eq!(accepted["decoded"], true, "{accepted}");
    assert_eq!(accepted["value"]["payload"]["price"]["nrc"], "12.50", "{accepted}");
}

#[test]
fn typescript_fetch_clients_keep_unknown_enum_values_with_the_default_options() {
    let dir = tempfile::tempdir().unwrap();
    let client = dir.path().join("client");
    generate("typescript-fetch", &client, &[], "npmName=opentact-client,supportsES6=true");
    let compiled = dir.path().join("js");
    let started = Instant::now();
    let output = Command::new(npm_tool("tsc"))
        .arg("-p")
        .arg(client.join("tsconfig.json"))
        .arg("--outDir")
        .arg(&compiled)
        .args(["--module", "commonjs", "--declaration", "false"])
        .output()
        .unwrap();
    assert!(output.status.success(), "tsc failed:\n{}", String::from_utf8_lossy(&output.stdout));
    println!("tsc to CommonJS: {:.1} s", started.elapsed().as_secs_f64());

    let script = workspace_root().join("tests/other-languages/decode_typescript.js");
    let unknown = write_response(dir.path(), true);
    // typescript-fetch never checks enum values when decoding (its `...FromJSON` casts), so
    // the defaults already keep the value; spec/README.md says so and asks for a default
    // branch wherever code switches on one.
    let result = decoded(Command::new("node").arg(&script).arg(&compiled).arg("TNOrderResponse").arg(&unknown));
    assert_kept(&result, "typescript-fetch with the default options");
}
