//! `cargo xtask diff` on the real spec and small mutations of it: each mutation is classified
//! for the wire and for the Rust API as reasoned below, the independent tool api-schema-diff
//! (pinned in tools/requirements.txt) agrees on breaking / not breaking wherever it looks at
//! the kind of change at all, an unchanged spec reports nothing, and the command's errors.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use opentact_spec_tools::{Category, Group, SemverLevel};
use opentact_tests::{cached_generation, pinned_pypi, spec, spec_path, venv_tool};
use serde_json::{Value, json};

fn real_spec() -> &'static opentact_codegen::Spec {
    spec()
}

/// The real spec's JSON with `mutate` applied, as a loaded spec.
fn mutated(name: &str, mutate: impl FnOnce(&mut Value)) -> opentact_codegen::Spec {
    let mut json = real_spec().json.clone();
    mutate(&mut json);
    let text = serde_json::to_string_pretty(&json).unwrap();
    opentact_codegen::parse(Path::new(&format!("{name}.json")), text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn at<'a>(json: &'a mut Value, pointer: &str) -> &'a mut Value {
    json.pointer_mut(pointer).unwrap_or_else(|| panic!("the spec has no {pointer}; update the mutation"))
}

/// What a mutation must do, with the reason it is right.
struct Expected {
    wire_breaking: bool,
    /// A change that must be in the report (group, and a fragment of its description).
    wire_change: Option<(Group, &'static str)>,
    rust: Option<SemverLevel>,
    /// Whether api-schema-diff 1.0.4 compares this kind of change at all. It reads paths,
    /// methods, parameters, request bodies, response statuses, property sets, `required`
    /// lists and `type`; it does not read `enum` or `nullable`, so it reports nothing there.
    tool_sees_it: bool,
}

struct Mutation {
    name: &'static str,
    spec: opentact_codegen::Spec,
    expected: Expected,
}

fn mutations() -> Vec<Mutation> {
    vec![
        Mutation {
            name: "remove an operation",
            // Callers of GetOrderByUUID get an error; the Rust method disappears.
            spec: mutated("remove-operation", |s| {
                assert!(s["paths"].as_object_mut().unwrap().remove("/order/{uuid}").is_some());
            }),
            expected: Expected {
                wire_breaking: true,
                wire_change: Some((Group::Operation("GetOrderByUUID".into()), "operation removed")),
                rust: Some(SemverLevel::Major),
                tool_sees_it: true,
            },
        },
        Mutation {
            name: "add an optional response field",
            // Readers ignore fields they do not know, and response types are #[non_exhaustive]
            // (no user writes a struct literal of TnOrder): minor.
            spec: mutated("add-response-field", |s| {
                at(s, "/components/schemas/TNOrder/properties")
                    .as_object_mut()
                    .unwrap()
                    .insert("note".into(), json!({"type": "string", "description": "A note."}));
            }),
            expected: Expected {
                wire_breaking: false,
                wire_change: Some((Group::Schema("TNOrder".into()), "optional field added")),
                rust: Some(SemverLevel::Minor),
                tool_sees_it: true,
            },
        },
        Mutation {
            name: "add a required request field",
            // Callers that do not send it are rejected; the Rust body type gains a field.
            spec: mutated("add-required-request-field", |s| {
                at(s, "/components/schemas/SIPControlAppNewParams/properties")
                    .as_object_mut()
                    .unwrap()
                    .insert("region".into(), json!({"type": "string", "description": "Region."}));
                at(s, "/components/schemas/SIPControlAppNewParams/required")
                    .as_array_mut()
                    .unwrap()
                    .push(json!("region"));
            }),
            expected: Expected {
                wire_breaking: true,
                wire_change: Some((Group::Schema("SIPControlAppNewParams".into()), "required field added")),
                rust: Some(SemverLevel::Major),
                tool_sees_it: true,
            },
        },
        Mutation {
            name: "add a response enum value",
            // Closed-enum readers (openapi-generator's Python defaults) reject it; the Rust
            // enum is #[non_exhaustive] and gains a variant: minor.
            spec: mutated("add-enum-value", |s| {
                at(s, "/components/schemas/ETNOrderState/enum").as_array_mut().unwrap().push(json!("cancelled"));
            }),
            expected: Expected {
                wire_breaking: true,
                wire_change: Some((Group::Schema("ETNOrderState".into()), "enum value \"cancelled\" added")),
                rust: Some(SemverLevel::Minor),
                tool_sees_it: false,
            },
        },
        Mutation {
            name: "change a path",
            // Callers still send the old path; the Rust method keeps its name and signature
            // (names come from the operationId), so the Rust API does not change.
            spec: mutated("change-path", |s| {
                let paths = s["paths"].as_object_mut().unwrap();
                let item = paths.remove("/order/price").expect("/order/price");
                paths.insert("/order/quote".into(), item);
            }),
            expected: Expected {
                wire_breaking: true,
                wire_change: Some((
                    Group::Operation("GetOrderPrice".into()),
                    "moved from POST /order/price to POST /order/quote",
                )),
                rust: None,
                tool_sees_it: true,
            },
        },
        Mutation {
            name: "make a response field nullable",
            // Strict readers reject the null; the Rust field is already an Option that
            // accepts null, so its type does not change. (A `nullable` beside a `$ref` would
            // be ignored: OpenAPI 3.0 ignores a reference's siblings.)
            spec: mutated("nullable-response-field", |s| {
                at(s, "/components/schemas/TNOrder/properties/autorenew")
                    .as_object_mut()
                    .unwrap()
                    .insert("nullable".into(), json!(true));
            }),
            expected: Expected {
                wire_breaking: true,
                wire_change: Some((Group::Schema("TNOrder".into()), "became nullable")),
                rust: None,
                tool_sees_it: false,
            },
        },
        Mutation {
            name: "rename a schema without changing its shape",
            // Names are not on the wire; the Rust type `TnOrderPrice` becomes `OrderPrice`.
            spec: {
                let text = serde_json::to_string(&real_spec().json)
                    .unwrap()
                    .replace("\"TNOrderPrice\"", "\"OrderPrice\"")
                    .replace("#/components/schemas/TNOrderPrice\"", "#/components/schemas/OrderPrice\"");
                opentact_codegen::parse(Path::new("rename-schema.json"), text).unwrap()
            },
            expected: Expected {
                wire_breaking: false,
                wire_change: Some((Group::Schema("TNOrderPrice".into()), "renamed to `OrderPrice`")),
                rust: Some(SemverLevel::Major),
                tool_sees_it: true,
            },
        },
    ]
}

/// Runs api-schema-diff on two spec files; returns (breaking, number of changes it found).
/// Its report is cached by the exact inputs (both files, the pinned version, the arguments):
/// see `opentact_tests::cached_generation`.
fn independent_tool(base: &Path, head: &Path) -> (bool, usize) {
    const ARGS: [&str; 3] = ["--format", "json", "--no-fail-on-breaking"];
    let (base_bytes, head_bytes) = (std::fs::read(base).unwrap(), std::fs::read(head).unwrap());
    let (version, args) = (pinned_pypi("api-schema-diff"), ARGS.join(" "));
    let inputs: [(&str, &[u8]); 4] =
        [("base", &base_bytes), ("head", &head_bytes), ("tool", version.as_bytes()), ("args", args.as_bytes())];
    let cached = cached_generation("api-schema-diff", &inputs, |out| {
        let output = Command::new(venv_tool("api-schema-diff")).arg(base).arg(head).args(ARGS).output();
        let output = output.expect("api-schema-diff runs");
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "api-schema-diff failed:\n{text}{}", String::from_utf8_lossy(&output.stderr));
        std::fs::write(out.join("report.json"), &output.stdout).unwrap();
    });
    let text = std::fs::read_to_string(cached.join("report.json")).unwrap();
    let report: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("api-schema-diff printed no JSON ({e}):\n{text}"));
    let count = |key: &str| report[key].as_array().map_or(0, Vec::len);
    (count("breaking") > 0, count("breaking") + count("non_breaking"))
}

#[test]
fn mutations_are_classified_for_the_wire_and_the_rust_api_and_the_independent_tool_agrees() {
    let base = real_spec();
    let cases = mutations();
    let mut reports = Vec::new();
    let base_surface = opentact_spec_tools::surface_of(base).expect("the real spec generates");
    for m in &cases {
        let started = Instant::now();
        let report = opentact_spec_tools::diff_from_surface(base, &base_surface, &m.spec)
            .unwrap_or_else(|e| panic!("{}: {e}", m.name));
        println!("{}: classified in {:.1} s", m.name, started.elapsed().as_secs_f64());
        let (name, text) = (m.name, report.to_text());
        assert_eq!(report.wire_breaking(), m.expected.wire_breaking, "{name}: wire verdict\n{text}");
        if let Some((group, fragment)) = &m.expected.wire_change {
            let found = report.wire.iter().find(|c| &c.group == group && c.description.contains(fragment));
            let change = found.unwrap_or_else(|| panic!("{name}: no `{fragment}` change under {group:?}\n{text}"));
            assert!(!change.reason.is_empty(), "{name}: every change says why");
        }
        assert_eq!(report.rust_level(), m.expected.rust, "{name}: Rust API verdict\n{text}");
        reports.push(report);
    }

    // The tool takes ~15 s of CPU and ~1 GB per pair on this recursive spec: four at a time.
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let base_file = dir.path().join("base.json");
    std::fs::write(&base_file, serde_json::to_string_pretty(&base.json).unwrap()).unwrap();
    let mut tool_results = Vec::new();
    for chunk in cases.chunks(4) {
        let results: Vec<(bool, usize)> = std::thread::scope(|scope| {
            let handles: Vec<_> = chunk
                .iter()
                .map(|m| {
                    let file = dir.path().join(format!("{}.json", m.name.replace(' ', "-")));
                    std::fs::write(&file, &m.spec.source).unwrap();
                    let base_file = &base_file;
                    scope.spawn(move || independent_tool(base_file, &file))
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        tool_results.extend(results);
    }
    println!("api-schema-diff on {} pairs: {:.1} s", cases.len(), started.elapsed().as_secs_f64());

    let mut table = vec![format!("{:<45} {:<14} {:<10} api-schema-diff", "mutation", "wire", "Rust API")];
    for ((m, report), (tool_breaking, tool_changes)) in cases.iter().zip(&reports).zip(tool_results) {
        let name = m.name;
        if m.expected.tool_sees_it {
            assert_eq!(
                tool_breaking,
                report.wire_breaking(),
                "{name}: api-schema-diff disagrees\n{}",
                report.to_text()
            );
        } else {
            // The tool does not compare this kind of change: it must report nothing at all
            // (if a later version starts seeing it, this fails and the pair joins the others).
            assert_eq!(tool_changes, 0, "{name}: api-schema-diff now sees this kind of change");
        }
        let verdict = |breaking: bool| if breaking { "breaking" } else { "not breaking" };
        table.push(format!(
            "{:<45} {:<14} {:<10} {}",
            name,
            verdict(report.wire_breaking()),
            match report.rust_level() {
                None => "none",
                Some(SemverLevel::Minor) => "minor",
                Some(SemverLevel::Major) => "major",
            },
            if m.expected.tool_sees_it { verdict(tool_breaking) } else { "sees nothing" }
        ));
    }
    println!("{}", table.join("\n"));
}

#[test]
fn an_unchanged_spec_reports_nothing_and_the_tool_agrees() {
    let base = real_spec();
    let same = opentact_codegen::parse(Path::new("same.yaml"), base.source.clone()).unwrap();
    let report = opentact_spec_tools::diff(base, &same).unwrap();
    assert!(report.is_empty(), "{}", report.to_text());
    assert!(!report.breaking());
    assert_eq!(report.to_markdown(), "## [Unreleased]\n\nNo changes to the spec or the client's API.\n");
    assert_eq!(independent_tool(&spec_path(), &spec_path()), (false, 0));
}

#[test]
fn a_recursive_schema_change_is_reported_once_where_it_changes() {
    // TNLease is reachable from itself and from many entities; the change is one line.
    let base = real_spec();
    let head = mutated("recursive", |s| {
        at(s, "/components/schemas/TNLease/properties")
            .as_object_mut()
            .unwrap()
            .insert("label".into(), json!({"type": "string"}));
    });
    let report = opentact_spec_tools::diff(base, &head).unwrap();
    assert_eq!(report.wire.len(), 1, "{}", report.to_text());
    assert_eq!(report.wire[0].group, Group::Schema("TNLease".into()));
    assert_eq!(report.wire[0].category, Category::Added);
}

#[test]
fn the_markdown_is_a_keep_a_changelog_section() {
    let base = real_spec();
    let head = mutated("enum", |s| {
        at(s, "/components/schemas/ETNOrderState/enum").as_array_mut().unwrap().push(json!("cancelled"));
    });
    let mut report = opentact_spec_tools::diff(base, &head).unwrap();
    report.client_version = Some("0.1.0".into());
    let markdown = report.to_markdown();
    assert!(markdown.starts_with("## [Unreleased]\n"), "{markdown}");
    assert!(markdown.contains("### Added\n"), "{markdown}");
    assert!(markdown.contains("**Breaking:** schema ETNOrderState: enum value \"cancelled\" added"), "{markdown}");
    assert!(markdown.contains("additions only, version 0.1.1"), "{markdown}");
    let json = report.to_json();
    assert_eq!(json["wire"]["breaking"], true);
    assert_eq!(json["rust_api"]["next_version"], "0.1.1");
}

/// A git repository holding a copy of the spec, committed; the working copy can then change.
fn scratch_repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("spec")).unwrap();
    std::fs::copy(spec_path(), dir.path().join("spec/opentact.yaml")).unwrap();
    std::fs::write(dir.path().join("Cargo.toml"), "[workspace.package]\nversion = \"0.1.0\"\n").unwrap();
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .current_dir(dir.path())
            .args(["-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"])
            .args(args)
            .output()
            .unwrap();
        assert!(status.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&status.stderr));
    };
    git(&["init", "--quiet"]);
    git(&["add", "."]);
    git(&["commit", "--quiet", "-m", "spec"]);
    dir
}

#[test]
fn cargo_xtask_diff_exit_codes_and_errors() {
    use xtask::Outcome::{Failure, Success};
    use xtask::diff::{Format, diff};
    let repo = scratch_repository();
    let root = repo.path();
    // Unchanged: nothing breaks, even with --fail-on-breaking.
    assert_eq!(diff(root, "HEAD", Format::Text, true).unwrap(), Success);
    // Unknown BASE: a clear error (exit 2).
    let error = diff(root, "no-such-revision", Format::Text, false).unwrap_err().to_string();
    assert!(error.contains("unknown git revision `no-such-revision`"), "{error}");

    // A breaking change: exit 1 only with --fail-on-breaking.
    let spec = root.join("spec/opentact.yaml");
    let text = std::fs::read_to_string(&spec).unwrap();
    let breaking = text.replacen(
        "      - success\n      - failed\n      description: State of a TN order.",
        "      - success\n      - failed\n      - cancelled\n      description: State of a TN order.",
        1,
    );
    assert_ne!(text, breaking, "the mutation applies");
    std::fs::write(&spec, &breaking).unwrap();
    assert_eq!(diff(root, "HEAD", Format::Markdown, false).unwrap(), Success);
    assert_eq!(diff(root, "HEAD", Format::Json, true).unwrap(), Failure);
    let report = xtask::diff::report(root, "HEAD").unwrap();
    assert_eq!(report.next_version().as_deref(), Some("0.1.1"), "{}", report.to_text());

    // A spec that does not load at BASE: the error names the revision and the line.
    std::fs::write(&spec, "openapi: 3.0.3\ninfo: [broken\n").unwrap();
    let status = Command::new("git")
        .current_dir(root)
        .args(["-c", "user.name=t", "-c", "user.email=t@e", "commit", "--quiet", "-am", "broken"])
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::write(&spec, &text).unwrap();
    let error = diff(root, "HEAD", Format::Text, false).unwrap_err().to_string();
    assert!(
        error.contains("the spec does not load at `HEAD`") && error.contains("HEAD:spec/opentact.yaml:"),
        "{error}"
    );
    // A revision without the spec.
    let error = diff(root, "HEAD~1", Format::Text, false).map(|_| ()).err();
    assert!(error.is_none(), "HEAD~1 has the good spec");
}
