//! The `opentact` binary as a user runs it: every command against Prism (which validates each
//! request against the spec), failures against wiremock (exit codes, messages, no token
//! anywhere), `--dry-run`, `login`, completions, and the output on a pseudo-terminal. Tests of
//! the binary live here because only this package's tests get `CARGO_BIN_EXE_opentact`; the
//! tests that need no binary (the command list, generation) are in `tests/tests/it/cli.rs`.
//! The Prism test needs the pinned npm tools in `.tools/` (`cargo xtask test` installs them).

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use opentact_cli::{BodyKind, COMMANDS, Location, ValueType};
use opentact_tests::{DYNAMIC_ARGS, Prism, TOKEN, spec, write_acyclic};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The binary with a clean environment: no token or server from the caller's, and a config
/// directory of the test's own (never the user's).
fn opentact(config: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_opentact"));
    command
        .env_remove("OPENTACT_TOKEN")
        .env_remove("OPENTACT_BASE_URL")
        .env_remove("OPENTACT_EMAIL")
        .env_remove("OPENTACT_PASSWORD")
        .env("XDG_CONFIG_HOME", config)
        .env("HOME", config)
        .stdin(Stdio::null());
    command
}

fn run(config: &Path, args: &[&str]) -> Output {
    // The login is for `auth` (HTTP Basic); every other command sends the token.
    opentact(config)
        .env("OPENTACT_TOKEN", TOKEN)
        .env("OPENTACT_EMAIL", "maria.lopez@acme.example")
        .env("OPENTACT_PASSWORD", "correct horse")
        .args(args)
        .output()
        .expect("opentact runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Exit code, stdout, stderr; and neither stream shows the token.
fn outcome(output: &Output) -> (i32, String, String) {
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert!(!stdout.contains(TOKEN) && !stderr.contains(TOKEN), "the token was printed:\n{stdout}\n{stderr}");
    (output.status.code().unwrap_or(-1), stdout, stderr)
}

/// The `example` of the named schema of `operation`'s path parameter `name`, if it has one.
fn path_parameter_example(operation: &str, name: &str) -> Option<String> {
    let spec = spec();
    let op = spec.json["paths"]
        .as_object()?
        .values()
        .flat_map(|item| item.as_object().into_iter().flatten())
        .find(|(_, op)| op["operationId"] == operation)?
        .1;
    let param = op["parameters"].as_array()?.iter().find(|p| p["name"] == name)?;
    let schema = spec.resolve(param["schema"]["$ref"].as_str()?)?;
    Some(match &schema["example"] {
        Value::String(s) => s.clone(),
        Value::Null => return None,
        other => other.to_string(),
    })
}

/// The command line that runs `command` with valid values: path parameters, required query
/// parameters, files, and the spec's example of the body (named after its schema) when it has
/// one. Written from the table alone, so a new operation is covered without a change here.
fn arguments(command: &opentact_cli::Command, dir: &Path) -> Vec<String> {
    let mut args = vec![command.group.to_string(), command.name.to_string()];
    for arg in command.args {
        // A path parameter of a named schema (`{tn}`, `{domain}`) takes that schema's example.
        let example =
            (arg.location == Location::Path).then(|| path_parameter_example(command.operation, arg.name)).flatten();
        let value = if let Some(example) = example {
            example
        } else {
            match arg.value {
                ValueType::Uuid | ValueType::String => "4b5c6d7e-8f9a-4b0c-9d1e-2f3a4b5c6d7e".to_string(),
                ValueType::Integer | ValueType::Number => "1".to_string(),
                ValueType::Boolean => "true".to_string(),
                ValueType::Enum(values) | ValueType::IntegerEnum(values) => values[0].to_string(),
                ValueType::File => {
                    let file = dir.join(format!("{}.xml", arg.name));
                    std::fs::write(&file, r#"<?xml version="1.0"?><Response><Hangup/></Response>"#).unwrap();
                    file.display().to_string()
                }
            }
        };
        match arg.location {
            Location::Path => args.push(value),
            Location::Query | Location::File if arg.required => args.extend([format!("--{}", arg.flag), value]),
            _ => {}
        }
    }
    if command.body == BodyKind::Json {
        let op = spec().json["paths"]
            .as_object()
            .into_iter()
            .flatten()
            .flat_map(|(_, item)| item.as_object().into_iter().flatten())
            .find(|(_, op)| op["operationId"] == command.operation)
            .map(|(_, op)| op.clone())
            .unwrap_or_default();
        let reference = op["requestBody"]["content"]["application/json"]["schema"]["$ref"].as_str().unwrap_or("");
        let schema = reference.rsplit('/').next().unwrap_or("");
        let example = &spec().json["components"]["examples"][schema]["value"];
        let body = if example.is_null() { json!({}) } else { example.clone() };
        let file = dir.join(format!("{}.json", command.operation));
        std::fs::write(&file, body.to_string()).unwrap();
        args.extend(["--body".to_string(), file.display().to_string()]);
    }
    args
}

#[test]
fn every_command_runs_against_prism() {
    let dir = tempfile::tempdir().unwrap();
    let served = write_acyclic(&spec().json, dir.path()).unwrap();
    let args: Vec<&str> = ["--errors", "--seed", "opentact-cli"].into_iter().chain(DYNAMIC_ARGS).collect();
    let prism = Prism::start(&served, 0, &args).unwrap_or_else(|e| panic!("{e}"));
    let mut failures = Vec::new();
    for command in COMMANDS {
        let mut args = vec!["--base-url".to_string(), prism.base_url.clone()];
        args.extend(arguments(command, dir.path()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, stdout, stderr) = outcome(&run(dir.path(), &args));
        let parsed = serde_json::from_str::<Value>(&stdout);
        if code != 0 || parsed.is_err() {
            failures.push(format!("{} ({}): exit {code}\n{stdout}{stderr}", command.operation, args.join(" ")));
        }
    }
    let violations = prism.violations();
    assert!(
        failures.is_empty() && violations.is_empty(),
        "failures:\n{}\nPrism violations:\n{}",
        failures.join("\n"),
        violations.join("\n")
    );
}

/// Flags set the body's top-level fields on top of `--body`, typed by the spec.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flags_become_the_fields_of_the_body() {
    let server = MockServer::start().await;
    let app = json!({"uuid": "1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a", "name": "Night line"});
    Mock::given(method("POST"))
        .and(path("/sip/app"))
        .and(header("x-auth-token", TOKEN))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"success": true, "payload": app})))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let body = dir.path().join("body.json");
    std::fs::write(&body, r#"{"name": "Day line", "subdomain": "acme-night"}"#).unwrap();
    let output = run(
        dir.path(),
        &[
            "--base-url",
            &server.uri(),
            "sip-control-app",
            "create",
            "--body",
            &body.display().to_string(),
            "--name",
            "Night line",
            "--is-active",
            "false",
            "--webhook-request-timeout",
            "3000",
        ],
    );
    let (code, stdout, stderr) = outcome(&output);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(serde_json::from_str::<Value>(&stdout).unwrap(), app);
    let requests = server.received_requests().await.unwrap_or_default();
    let sent: Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(
        sent,
        // The timeout is a number in the spec (the live description's type), so it is sent as one.
        json!({"name": "Night line", "subdomain": "acme-night", "is_active": false, "webhook_request_timeout": 3000.0})
    );
}

/// `--all` on a paged search asks for page after page (same body, the cursor moved) until
/// `total`, and prints the items of every page as one list; without it, one page as the service
/// sent it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_walks_every_page_and_prints_one_list() {
    const TOTAL: u64 = 5;
    let server = MockServer::start().await;
    let log = |n: u64| json!({"uuid": format!("00000000-0000-4000-8000-{n:012}"), "name": "Say"});
    Mock::given(method("POST"))
        .and(path("/sip/app/1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a/logs"))
        .respond_with(move |request: &wiremock::Request| {
            let number = |name: &str| {
                let found = request.url.query_pairs().find(|(k, _)| k == name);
                found.and_then(|(_, v)| v.parse::<u64>().ok()).unwrap_or(0)
            };
            let (take, skip) = (number("take"), number("skip"));
            let data: Vec<Value> = (skip..(skip + take).min(TOTAL)).map(log).collect();
            let page = json!({"take": take, "skip": skip, "total": TOTAL, "data": data});
            ResponseTemplate::new(200).set_body_json(json!({"success": true, "payload": page}))
        })
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let search = |all: bool| {
        let mut args = vec!["--base-url".to_string(), server.uri(), "call-control".into(), "search-flow-logs".into()];
        args.extend(["1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a", "--take", "2", "--call-uuid"].map(String::from));
        args.push("7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b".into());
        if all {
            args.push("--all".into());
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run(dir.path(), &args)
    };

    let (code, stdout, stderr) = outcome(&search(true));
    assert_eq!(code, 0, "{stdout}{stderr}");
    let items: Value = serde_json::from_str(&stdout).unwrap();
    let uuids: Vec<&str> = items.as_array().unwrap().iter().filter_map(|i| i["uuid"].as_str()).collect();
    assert_eq!(uuids, (0..TOTAL).map(|n| format!("00000000-0000-4000-8000-{n:012}")).collect::<Vec<_>>());
    let requests = server.received_requests().await.unwrap_or_default();
    let queries: Vec<&str> = requests.iter().map(|r| r.url.query().unwrap_or_default()).collect();
    assert_eq!(queries, ["skip=0&take=2", "skip=2&take=2", "skip=4&take=2"]);
    let bodies: Vec<Value> = requests.iter().map(|r| serde_json::from_slice(&r.body).unwrap()).collect();
    assert!(bodies.iter().all(|b| b == &json!({"call_uuid": "7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b"})), "{bodies:?}");

    let (code, stdout, stderr) = outcome(&search(false));
    assert_eq!(code, 0, "{stdout}{stderr}");
    let page: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!((page["total"].as_u64(), page["data"].as_array().map(Vec::len)), (Some(TOTAL), Some(2)));
    assert_eq!(server.received_requests().await.unwrap_or_default().len(), 4, "one more request, one page");
}

/// A `null` in `--body` reaches the wire (it clears the lease's SIP connection); the flags set
/// values on top of it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn null_in_the_body_file_is_sent_as_null() {
    let server = MockServer::start().await;
    let lease = json!({"uuid": "4a5b6c7d-8e9f-4a0b-9c1d-2e3f4a5b6c7d", "autorenew": false});
    Mock::given(method("PATCH"))
        .and(path("/lease/tn/4a5b6c7d-8e9f-4a0b-9c1d-2e3f4a5b6c7d"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true, "payload": lease})))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let body = dir.path().join("body.json");
    std::fs::write(&body, r#"{"sip_connection": null}"#).unwrap();
    let body = body.display().to_string();
    let args = ["--base-url", &server.uri(), "leases", "modify-tn", "4a5b6c7d-8e9f-4a0b-9c1d-2e3f4a5b6c7d"];
    let output = run(dir.path(), &[&args[..], &["--body", &body, "--autorenew", "false"]].concat());
    let (code, stdout, stderr) = outcome(&output);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let requests = server.received_requests().await.unwrap_or_default();
    let sent: Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(sent, json!({"sip_connection": null, "autorenew": false}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_api_error_prints_the_service_message_and_exits_3() {
    let server = MockServer::start().await;
    let refusal = json!({"success": false, "message": "Not enough account balance", "status": 402});
    Mock::given(method("POST"))
        .and(path("/sms"))
        .respond_with(ResponseTemplate::new(402).set_body_json(refusal))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let output = run(
        dir.path(),
        &[
            "--base-url",
            &server.uri(),
            "sms",
            "send",
            "--tn",
            "12025550143",
            "--to",
            "15551234567",
            "--message",
            "Your code is 4812",
        ],
    );
    let (code, stdout, stderr) = outcome(&output);
    assert_eq!(code, i32::from(opentact_cli::exit::API), "{stderr}");
    assert!(stderr.contains("Not enough account balance") && stderr.contains("402"), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(!stderr.contains("panicked") && !stderr.contains("Api("), "a debug dump: {stderr}");

    Mock::given(method("GET"))
        .and(path("/order/e7fad289-f977-45bb-bc42-448d1290555c"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"success": false, "message": "Order not found"})))
        .mount(&server)
        .await;
    let output =
        run(dir.path(), &["--base-url", &server.uri(), "order", "get", "e7fad289-f977-45bb-bc42-448d1290555c"]);
    let (code, _, stderr) = outcome(&output);
    assert_eq!(code, i32::from(opentact_cli::exit::NOT_FOUND), "{stderr}");
    assert!(stderr.contains("Order not found"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timeout_exits_5() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/sip/app"))
        .respond_with(ResponseTemplate::new(200).set_delay(std::time::Duration::from_secs(10)))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let output = run(dir.path(), &["--base-url", &server.uri(), "--timeout", "1", "sip-control-app", "list"]);
    let (code, _, stderr) = outcome(&output);
    assert_eq!(code, i32::from(opentact_cli::exit::NETWORK), "{stderr}");
    assert!(stderr.contains("timed out"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_values_are_refused_before_sending_naming_the_flag() {
    let server = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let base = server.uri();
    let cases: [(&[&str], &str); 7] = [
        // clap's usage errors: a value that is not a number, not a documented value, an
        // unknown flag, a bad UUID.
        (&["sip-control-app", "create", "--webhook-request-timeout", "soon"], "--webhook-request-timeout"),
        (&["sip-control-app", "create", "--webhook-method", "TELEPORT"], "--webhook-method"),
        (&["sip-control-app", "create", "--no-such-flag", "1"], "--no-such-flag"),
        (&["sip-control-app", "get", "not-a-uuid"], "<uuid>"),
        // The client's checks from the spec: a range and two lengths, named by the flag.
        (&["leases", "list-tn", "--take", "500"], "--take"),
        (&["sip-control-app", "create", "--name", ""], "--name"),
        (&["sms", "send", "--tn", "12025550143", "--to", "15", "--message", "hi"], "--to"),
    ];
    for (args, named) in cases {
        let mut all = vec!["--base-url", base.as_str()];
        all.extend_from_slice(args);
        let (code, _, stderr) = outcome(&run(dir.path(), &all));
        assert_eq!(code, i32::from(opentact_cli::exit::USAGE), "{args:?}: {stderr}");
        assert!(stderr.contains(named), "{args:?} does not name {named}: {stderr}");
    }
    // A required field missing from the body is named by its flag too.
    let (code, _, stderr) =
        outcome(&run(dir.path(), &["--base-url", &base, "sms", "send", "--tn", "12025550143", "--message", "hi"]));
    assert_eq!(code, i32::from(opentact_cli::exit::USAGE), "{stderr}");
    assert!(stderr.contains("--to"), "{stderr}");
    assert!(server.received_requests().await.unwrap_or_default().is_empty(), "a refused request was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_prints_the_request_sends_nothing_and_hides_the_token() {
    let server = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let output = run(
        dir.path(),
        &[
            "--base-url",
            &format!("{}/rest", server.uri()),
            "--dry-run",
            "sms",
            "send",
            "--tn",
            "12025550143",
            "--to",
            "15551234567",
            "--message",
            "Your code is 4812",
        ],
    );
    let (code, stdout, stderr) = outcome(&output);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with(&format!("POST {}/rest/sms\n", server.uri())), "{stdout}");
    assert!(stdout.contains("x-auth-token: <redacted>"), "{stdout}");
    assert!(stdout.contains("15551234567"), "{stdout}");
    assert!(server.received_requests().await.unwrap_or_default().is_empty(), "--dry-run sent a request");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_saves_the_token_for_the_user_only_and_later_calls_use_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/sip/app"))
        .and(header("x-auth-token", "saved-token-91b2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true, "payload": []})))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let mut login = opentact(dir.path())
        .args(["login", "--token-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut login.stdin.take().unwrap(), b"saved-token-91b2\n").unwrap();
    let output = login.wait_with_output().unwrap();
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert!(output.status.success(), "{stderr}");
    assert!(!stdout.contains("saved-token-91b2") && !stderr.contains("saved-token-91b2"), "{stdout}{stderr}");
    let file = dir.path().join("opentact/config.json");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    }
    // No OPENTACT_TOKEN: the saved one is used.
    let output = opentact(dir.path()).args(["--base-url", &server.uri(), "sip-control-app", "list"]).output().unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout).trim(), "[]");
    // Without either, the error says how to set one.
    let empty = tempfile::tempdir().unwrap();
    let output =
        opentact(empty.path()).args(["--base-url", &server.uri(), "sip-control-app", "list"]).output().unwrap();
    assert_eq!(output.status.code(), Some(i32::from(opentact_cli::exit::FAILURE)));
    assert!(text(&output.stderr).contains("OPENTACT_TOKEN"), "{}", text(&output.stderr));
}

#[test]
fn completions_and_help() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish"] {
        let (code, stdout, stderr) = outcome(&run(dir.path(), &["completions", shell]));
        assert_eq!(code, 0, "{stderr}");
        assert!(stdout.contains("sip-control-app"), "{shell}: {stdout}");
    }
    let (code, stdout, _) = outcome(&run(dir.path(), &["--help"]));
    assert_eq!(code, 0);
    assert!(stdout.contains("Exit codes:") && stdout.contains("sip-control-app"), "{stdout}");
    // A command's help comes from the spec's summary and description.
    let (code, stdout, _) = outcome(&run(dir.path(), &["sms", "send", "--help"]));
    assert_eq!(code, 0);
    assert!(
        stdout.contains("POST /sms") && stdout.contains("effect: spend") && stdout.contains("--message"),
        "{stdout}"
    );
    let (code, _, stderr) = outcome(&run(dir.path(), &["no-such-group"]));
    assert_eq!(code, i32::from(opentact_cli::exit::USAGE), "{stderr}");
}

/// What a person at a terminal sees: the binary on a pseudo-terminal (so `isatty` is true).
fn on_terminal(config: &Path, args: &[&str]) -> String {
    let (mut pty, pts) = pty_process::blocking::open().expect("a pty opens");
    let child = pty_process::blocking::Command::new(env!("CARGO_BIN_EXE_opentact"))
        .env_remove("OPENTACT_BASE_URL")
        .env_remove("OPENTACT_EMAIL")
        .env_remove("OPENTACT_PASSWORD")
        .env("OPENTACT_TOKEN", TOKEN)
        .env("XDG_CONFIG_HOME", config)
        .env("NO_COLOR", "1")
        .args(args)
        .spawn(pts)
        .expect("opentact starts on the pty");
    let mut seen = Vec::new();
    let mut buffer = [0u8; 4096];
    // Linux answers EIO once the child has closed its side: that is the end of the output.
    while let Ok(n) = pty.read(&mut buffer) {
        if n == 0 {
            break;
        }
        seen.extend_from_slice(&buffer[..n]);
    }
    let mut child = child;
    let status = child.wait().expect("opentact ends");
    let seen = text(&seen).replace("\r\n", "\n");
    assert!(status.success(), "{seen}");
    assert!(!seen.contains(TOKEN));
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_terminal_gets_pretty_json_and_tables() {
    let server = MockServer::start().await;
    let apps = json!([
        {"uuid": "1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a", "name": "Support line", "tech_prefix": 482913},
        {"uuid": "2d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a", "name": "Sales", "tech_prefix": 100000}
    ]);
    Mock::given(method("GET"))
        .and(path("/sip/app"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true, "payload": apps})))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let uri = server.uri();
    let config = dir.path().to_path_buf();
    let uri2 = uri.clone();
    let config2 = config.clone();
    let pretty =
        tokio::task::spawn_blocking(move || on_terminal(&config2, &["--base-url", &uri2, "sip-control-app", "list"]))
            .await
            .unwrap();
    assert!(pretty.starts_with("[\n  {\n    \""), "{pretty}");
    assert_eq!(serde_json::from_str::<Value>(&pretty).unwrap(), apps);
    let table = tokio::task::spawn_blocking(move || {
        on_terminal(&config, &["--base-url", &uri, "--output", "table", "sip-control-app", "list"])
    })
    .await
    .unwrap();
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 3, "{table}");
    assert!(lines[0].starts_with("UUID") && lines[0].contains("NAME"), "{table}");
    assert!(lines[1].starts_with("1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a  Support line"), "{table}");
    // Not a terminal: the same payload on one line.
    let output = run(dir.path(), &["--base-url", &server.uri(), "sip-control-app", "list"]);
    let (_, stdout, _) = outcome(&output);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
}
