//! `opentact-mcp` as an MCP client runs it: the official Python SDK (`mcp`, pinned in
//! `tools/requirements.txt`) starts the binary over stdio (`tests/mcp_client.py`) against
//! Prism (which validates every request against the spec) and against wiremock (a service
//! error). The Python driver only reports what the SDK received; the checks are here, against
//! the generated table. Needs the pinned tools in `.tools/` (`cargo xtask test` installs them).

use std::process::Command;

use opentact_mcp::{Effect, TOOLS};
use opentact_tests::{Prism, TOKEN, client, ids, spec, venv_tool, workspace_root, write_acyclic};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// One session: the server's flags and the calls to make (tool name, arguments).
fn session(args: &[&str], calls: &[(&str, Value)]) -> Value {
    let calls: Vec<Value> =
        calls.iter().map(|(name, arguments)| json!({"name": name, "arguments": arguments})).collect();
    json!({"args": args, "calls": calls})
}

/// Runs the Python SDK's client through `sessions` with the server at `base_url`; the reports,
/// after checking that nothing the client received or logged holds the token.
fn drive(base_url: &str, sessions: Vec<Value>) -> Vec<Value> {
    let dir = tempfile::tempdir().expect("a temp dir");
    let plan = json!({
        "command": env!("CARGO_BIN_EXE_opentact-mcp"),
        "env": {"OPENTACT_TOKEN": TOKEN, "OPENTACT_BASE_URL": base_url},
        "sessions": sessions,
    });
    let plan_file = dir.path().join("plan.json");
    std::fs::write(&plan_file, plan.to_string()).expect("the plan is written");
    let python = venv_tool("python");
    assert!(
        python.exists(),
        "{} is missing: run `cargo xtask test` (it installs tools/requirements.txt)",
        python.display()
    );
    let output = Command::new(&python)
        .arg(workspace_root().join("opentact-mcp/tests/mcp_client.py"))
        .arg(&plan_file)
        .output()
        .expect("the MCP client runs");
    let (stdout, stderr) = (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "the MCP client failed:\n{stdout}\n{stderr}");
    assert!(!stdout.contains(TOKEN) && !stderr.contains(TOKEN), "the token reached the client:\n{stdout}\n{stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("the client's report is not JSON ({e}):\n{stdout}"))
}

fn tool_names(report: &Value) -> Vec<String> {
    let tools = report["tools"]["tools"].as_array().cloned().unwrap_or_default();
    tools.iter().filter_map(|t| t["name"].as_str().map(str::to_string)).collect()
}

/// The text of a call's result and whether it is a tool error.
fn outcome(call: &Value) -> (bool, String) {
    let texts: Vec<&str> =
        call["content"].as_array().into_iter().flatten().filter_map(|c| c["text"].as_str()).collect();
    (call["isError"] == json!(true), texts.join("\n"))
}

/// The documented example of a request body schema.
fn example(schema: &str) -> Value {
    spec().json["components"]["examples"][schema]["value"].clone()
}

#[test]
fn the_python_sdk_lists_calls_and_is_refused_against_prism() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let served = write_acyclic(&spec().json, dir.path()).expect("the mock's spec is written");
    let prism = Prism::start(&served, 0, &["--errors"]).unwrap_or_else(|e| panic!("{e}"));
    let app_body = example("SIPControlAppNewParams");
    assert!(app_body.is_object(), "the spec has an example of SIPControlAppNewParams");
    let reports = drive(
        &prism.base_url,
        vec![
            session(
                &[],
                &[
                    ("ListSIPControlApps", json!({})),
                    ("CreateSIPControlApp", json!({"body": app_body})),
                    ("GetSIPControlAppByUUID", json!({"uuid": "not-a-uuid"})),
                    ("GetSIPControlAppByUUID", json!({"uuid": ids::APP.to_string(), "color": "red"})),
                ],
            ),
            session(
                &["--allow-writes", "--allow-spending"],
                &[
                    ("CreateSIPControlApp", json!({"body": app_body})),
                    ("CreateSIPControlApp", json!({"body": {"name": 7}})),
                ],
            ),
            session(&["--allow-writes"], &[("CreateTNOrder", json!({"body": {"items": [{"tn": 12025550143_i64}]}}))]),
            session(&["--allow-writes", "--allow-spending", "--tools", "List*"], &[]),
        ],
    );
    let [safe, all, writes, narrowed] = &reports[..] else { panic!("four sessions: {reports:?}") };

    // initialize: the server says who it is and that it has tools.
    assert_eq!(safe["initialize"]["serverInfo"]["name"], "opentact-mcp", "{}", safe["initialize"]);
    assert!(safe["initialize"]["capabilities"]["tools"].is_object(), "{}", safe["initialize"]);

    // Listing: only the read tools by default; every operation with both flags.
    let read: Vec<&str> = TOOLS.iter().filter(|t| t.effect == Effect::Read).map(|t| t.name).collect();
    assert!(!read.is_empty() && read.len() < TOOLS.len());
    assert_eq!(tool_names(safe), read);
    let every: Vec<&str> = TOOLS.iter().map(|t| t.name).collect();
    assert_eq!(tool_names(all), every);
    let listed_writes = tool_names(writes);
    assert!(listed_writes.iter().all(|n| TOOLS.iter().any(|t| t.name == n && t.effect != Effect::Spend)));
    assert_eq!(listed_writes.len(), TOOLS.iter().filter(|t| t.effect != Effect::Spend).count());
    let list_tools: Vec<&str> = read.iter().copied().filter(|n| n.starts_with("List")).collect();
    assert_eq!(tool_names(narrowed), list_tools);

    // Every listed tool carries its schema and its three hints, as the effect says.
    for tool in all["tools"]["tools"].as_array().into_iter().flatten() {
        let row = TOOLS.iter().find(|t| t.name == tool["name"]).expect("a listed tool is in the table");
        assert_eq!(tool["inputSchema"], serde_json::from_str::<Value>(row.input_schema).unwrap(), "{}", row.name);
        let hints = &tool["annotations"];
        let expected = match (row.effect, row.method) {
            (Effect::Read, _) => (true, false, true),
            (Effect::Write, "PUT" | "PATCH") => (false, false, true),
            (Effect::Write, _) | (Effect::Spend, _) => (false, false, false),
            (Effect::Destroy, _) => (false, true, true),
        };
        let got =
            (hints["readOnlyHint"].as_bool(), hints["destructiveHint"].as_bool(), hints["idempotentHint"].as_bool());
        assert_eq!(got, (Some(expected.0), Some(expected.1), Some(expected.2)), "{}: {hints}", row.name);
    }

    // A read tool: the payload the client itself gets from the same mock.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let direct = client(prism.base_url.clone());
    let apps = runtime.block_on(direct.list_sip_control_apps()).expect("the client lists the apps");
    let (error, text) = outcome(&safe["calls"][0]);
    assert!(!error, "{text}");
    assert_eq!(safe["calls"][0]["structuredContent"], json!({"items": serde_json::to_value(&apps).unwrap()}));
    assert!(!apps.is_empty(), "the mock lists no app");
    assert!(text.contains(&apps[0].uuid.map(|u| u.to_string()).unwrap_or_default()), "{}", safe["calls"][0]);

    // A write tool without the flag: refused, naming the flag; with it, the created app.
    let (error, text) = outcome(&safe["calls"][1]);
    assert!(error && text.contains("--allow-writes"), "{text}");
    let (error, text) = outcome(&all["calls"][0]);
    assert!(!error, "{text}");
    let body: opentact_client::types::SipControlAppNewParams = serde_json::from_value(app_body.clone()).unwrap();
    let created = runtime.block_on(direct.create_sip_control_app(body)).expect("the client creates the app");
    assert_eq!(all["calls"][0]["structuredContent"], serde_json::to_value(&created).unwrap());
    // A spend with --allow-writes alone: refused, naming the other flag.
    let (error, text) = outcome(&writes["calls"][0]);
    assert!(error && text.contains("--allow-spending") && !text.contains("--allow-writes"), "{text}");

    // Bad arguments: tool errors from the schema check, naming the argument; nothing sent.
    let bad = [(&safe["calls"][2], ["uuid", "not-a-uuid"]), (&safe["calls"][3], ["color", "arguments"])];
    for (call, words) in bad.into_iter().chain([(&all["calls"][1], ["/body/name", "string"])]) {
        let (error, text) = outcome(call);
        assert!(error && text.starts_with("invalid arguments"), "{call}");
        assert!(words.iter().all(|w| text.contains(w)), "{words:?} in {text}");
    }
    let violations = prism.violations();
    assert!(violations.is_empty(), "Prism violations:\n{}", violations.join("\n"));
}

/// A service error is a tool error with the service's message and status; the token is in
/// nothing the client receives (`drive` checks every byte of the report and the log).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_402_is_a_tool_error_with_the_service_message() {
    let server = MockServer::start().await;
    let refusal = json!({"success": false, "message": "Not enough account balance", "status": 402});
    Mock::given(method("POST"))
        .and(path("/order/tn"))
        .and(header("x-auth-token", TOKEN))
        .respond_with(ResponseTemplate::new(402).set_body_json(refusal))
        .expect(1)
        .mount(&server)
        .await;
    let uri = server.uri();
    let reports = tokio::task::spawn_blocking(move || {
        drive(
            &uri,
            vec![session(
                &["--allow-writes", "--allow-spending"],
                &[("CreateTNOrder", json!({"body": {"items": [{"tn": 12025550143_i64, "voice": true}]}}))],
            )],
        )
    })
    .await
    .expect("the client ran");
    let (error, text) = outcome(&reports[0]["calls"][0]);
    assert!(error, "{}", reports[0]);
    assert!(text.contains("Not enough account balance") && text.contains("402"), "{text}");
}
