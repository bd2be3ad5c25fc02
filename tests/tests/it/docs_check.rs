//! `cargo xtask docs-check`: the doc-page parser on small pages written here (both formats, one
//! page per construct), the committed facts against the spec, mutations of the facts (each
//! reported exactly), broken pages, and the docs' own response examples against the spec and
//! the client's types. Nothing here reads Opentact's pages: only `spec/docs-facts.json`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use opentact_client::types;
use opentact_spec_tools::docs::{self, Facts, FieldFacts, OperationFacts, PageFacts, Report, Truncated, Truncation};
use opentact_tests::{spec_path, workspace_root};
use serde_json::{Value, json};
use xtask::docs_check::Options as DocsCheck;

fn spec() -> opentact_codegen::Spec {
    opentact_codegen::load(&spec_path()).unwrap()
}

fn committed() -> Facts {
    let path = workspace_root().join(docs::FACTS_FILE);
    Facts::from_json(&path, &std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn parse(name: &str, text: &str) -> Result<PageFacts, docs::PageError> {
    docs::parse_page(Path::new(name), text.as_bytes(), "2026-01-02", Truncated::Refuse)
}

/// Parses the same page in both formats and checks that they give the same facts.
fn both(txt: &str, md: &str) -> PageFacts {
    let from_text = parse("page.txt", txt).unwrap_or_else(|e| panic!("text: {e}"));
    let from_markdown = parse("page.md", md).unwrap_or_else(|e| panic!("markdown: {e}"));
    assert_eq!(from_text.title, from_markdown.title);
    assert_eq!(from_text.operations, from_markdown.operations, "the two formats give different facts");
    from_text
}

fn only_operation(page: &PageFacts) -> &OperationFacts {
    assert_eq!(page.operations.len(), 1, "{:?}", page.operations.keys());
    page.operations.values().next().unwrap()
}

// ------------------------------------------------------------------ the parser, per construct

#[test]
fn an_operation_is_a_name_then_a_method_and_url() {
    let txt = "Widgets\nListWidgets\nGET https://api.example.test/rest/widget\nLists widgets.\nLast updated\n";
    // The other text layout: method and URL on two lines, blank lines between tokens.
    let txt_split = "Widgets\n\nListWidgets\n\nGET\n\nhttps://api.example.test/rest/widget\n\nLast updated\n";
    let md = "# Widgets\n\n## ListWidgets\n\n<mark style=\"color:blue;\">`GET`</mark> `https://api.example.test/rest/widget`\n\nLists widgets.\n";
    let page = both(txt, md);
    assert_eq!(page.title, "Widgets");
    assert_eq!(parse("split.txt", txt_split).unwrap().operations, page.operations);
    let op = &page.operations["ListWidgets"];
    assert_eq!((op.method.as_str(), op.url.as_str()), ("GET", "https://api.example.test/rest/widget"));
    assert!(op.body.is_none() && op.responses.is_empty() && op.headers.is_empty());
    assert_eq!(page.sources[0].date, "2026-01-02");
}

#[test]
fn path_parameters_keep_type_and_pattern() {
    let txt = "Widgets\nGetWidget\nGET https://x.test/widget/{uuid}\nPath Parameters\nName\nType\nDescription\nuuid\nstring\n^[0-9a-f]{8}$\nLast updated\n";
    let md = "# Widgets\n## GetWidget\n<mark style=\"color:blue;\">`GET`</mark> `https://x.test/widget/{uuid}`\n#### Path Parameters\n\n| Name | Type | Description |\n| --- | --- | --- |\n| uuid | string | `^\\[0-9a-f]{8}$` |\n";
    let page = both(txt, md);
    let param = &only_operation(&page).path_parameters["uuid"];
    assert_eq!(
        param,
        &FieldFacts { kind: "string".into(), pattern: Some("^[0-9a-f]{8}$".into()), ..Default::default() }
    );
}

/// Headings that are not operation names (the Authentication and SMS pages): a heading in
/// capitals is one, and a heading that repeats names each operation with its method and URL
/// (the spec maps those names to its operations in `x-opentact-docs-operations`).
#[test]
fn a_capitalised_heading_is_an_operation_and_a_repeated_one_is_told_apart_by_its_url() {
    let txt = "Tokens\nSMS\nPOST https://x.test/sms\nToken\nPOST https://x.test/token\nToken\nDELETE https://x.test/token/{token}\nLast updated\n";
    let page = parse("page.txt", txt).unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<&str> = page.operations.keys().map(String::as_str).collect();
    assert_eq!(names, ["SMS", "Token (DELETE https://x.test/token/{token})", "Token (POST https://x.test/token)"]);
    assert_eq!(page.operations["Token (POST https://x.test/token)"].method, "POST");
    // A lone capital is not a heading: the line before a method stays prose.
    let lone = parse("page.txt", "Widgets\nA\nGET https://x.test/a\nLast updated\n");
    assert!(lone.is_err(), "{lone:?}");
}

#[test]
fn headers_keep_their_names_and_values() {
    let txt = "Widgets\nListWidgets\nGET https://x.test/widget\nHeaders\nX-Auth-Token\nstring\nJWT_TOKEN\nContent-Type\nstring\napplication/json\nLast updated\n";
    let md = "# Widgets\n## ListWidgets\n<mark style=\"color:blue;\">`GET`</mark> `https://x.test/widget`\n#### Headers\n| Name | Type | Description |\n| --- | --- | --- |\n| X-Auth-Token | string | JWT\\_TOKEN |\n| Content-Type | string | application/json |\n";
    let page = both(txt, md);
    let headers = &only_operation(&page).headers;
    assert_eq!(headers.get("X-Auth-Token").map(String::as_str), Some("JWT_TOKEN"));
    assert_eq!(headers.get("Content-Type").map(String::as_str), Some("application/json"));
    assert_eq!(headers.len(), 2);
}

/// A header name as a page misspells it (`X.Auth-Token`, on the SIP pages) is a header of
/// that name (an erratum explains it), not a broken table: `.` is a token character of HTTP.
#[test]
fn a_header_name_with_a_dot_is_read_as_written() {
    let txt =
        "Widgets\nListWidgets\nGET https://x.test/widget\nHeaders\nX.Auth-Token\nstring\nJWT_TOKEN\nLast updated\n";
    let md = "# Widgets\n## ListWidgets\n<mark style=\"color:blue;\">`GET`</mark> `https://x.test/widget`\n#### Headers\n| Name | Type | Description |\n| --- | --- | --- |\n| X.Auth-Token | string | JWT\\_TOKEN |\n";
    let page = both(txt, md);
    let headers = &only_operation(&page).headers;
    assert_eq!(headers.iter().collect::<Vec<_>>(), [(&"X.Auth-Token".to_string(), &"JWT_TOKEN".to_string())]);
}

#[test]
fn body_fields_keep_every_machine_readable_constraint() {
    let txt = "\
Widgets
CreateWidget
POST https://x.test/widget
Request Body
prefix
integer
<int32>
[ 100000 .. 999999 ]
name
string
[ 1 .. 255 ] characters Default: US
A name, in prose that is dropped.
active
boolean
Default: \"true\"
mode
integer
(EWidgetMode)
Enum: 0
1
2
format
boolean
(EWidgetFormat)
Enum: \"wav\"
\"mp3\"
limit
number
<double>
>= 0
numbers
string
Array of numbers <double> non-empty Numbers to order
owner
string
^[0-9a-f]{8}$
Owner uuid
string
Last updated
";
    let md = "\
# Widgets
## CreateWidget
<mark style=\"color:green;\">`POST`</mark> `https://x.test/widget`
#### Request Body
| Name | Type | Description |
| --- | --- | --- |
| prefix | integer | <p><code><int32></code><br><code>\\[ 100000 .. 999999 ]</code></p> |
| name | string | <p><code>\\[ 1 .. 255 ] characters</code> Default: US<br>A name, in prose that is dropped.</p> |
| active | boolean | Default: `\"true\"` |
| mode | integer | <p>(EWidgetMode)<br>Enum: 0 1 2</p> |
| format | boolean | <p>(EWidgetFormat)<br>Enum: \"wav\" \"mp3\"</p> |
| limit | number | <p><code><double></code> <code>>= 0</code></p> |
| numbers | string | <p>Array of numbers <double> non-empty<br>Numbers to order</p> |
| owner | string | <p><code>^\\[0-9a-f]{8}$</code><br>Owner uuid</p> |
|  | string |  |
";
    let page = both(txt, md);
    let body = only_operation(&page).body.clone().unwrap();
    let field = |kind: &str| FieldFacts { kind: kind.into(), ..Default::default() };
    let expected = [
        (
            "prefix",
            FieldFacts {
                format: Some("int32".into()),
                minimum: Some(100000.0),
                maximum: Some(999999.0),
                ..field("integer")
            },
        ),
        (
            "name",
            FieldFacts { min_length: Some(1), max_length: Some(255), default: Some(json!("US")), ..field("string") },
        ),
        ("active", FieldFacts { default: Some(json!("true")), ..field("boolean") }),
        (
            "mode",
            FieldFacts {
                type_name: Some("EWidgetMode".into()),
                enum_values: Some(vec![json!(0), json!(1), json!(2)]),
                ..field("integer")
            },
        ),
        (
            "format",
            FieldFacts {
                type_name: Some("EWidgetFormat".into()),
                enum_values: Some(vec![json!("wav"), json!("mp3")]),
                ..field("boolean")
            },
        ),
        ("limit", FieldFacts { format: Some("double".into()), minimum: Some(0.0), ..field("number") }),
        (
            "numbers",
            FieldFacts {
                items: Some("number".into()),
                items_format: Some("double".into()),
                min_items: Some(1),
                ..field("string")
            },
        ),
        ("owner", FieldFacts { pattern: Some("^[0-9a-f]{8}$".into()), ..field("string") }),
        // A row whose name cell is empty is kept as the name "", not dropped.
        ("", field("string")),
    ];
    assert_eq!(body.len(), expected.len(), "{:?}", body.keys());
    for (name, facts) in expected {
        assert_eq!(body.get(name), Some(&facts), "field {name:?}");
    }
}

#[test]
fn response_examples_keep_their_status_and_body() {
    // The text scrape shows no status: an error body carries it, a success body is a 200; the
    // last example may run into the next token on its closing line.
    let txt = "Widgets\nGetWidget\nGET https://x.test/widget\n{\n\"success\": true,\n\"payload\": {\"uuid\": \"string\"}\n}\n{\n\"success\": false,\n\"message\": \"string\",\n\"status\": 404\n}Code Example\nLast updated\n";
    let md = "# Widgets\n## GetWidget\n<mark style=\"color:blue;\">`GET`</mark> `https://x.test/widget`\n{% tabs %}\n{% tab title=\"200 \" %}\n```javascript\n{\n  \"success\": true,\n  \"payload\": {\"uuid\": \"string\"}\n}\n```\n{% endtab %}\n{% tab title=\"404 Not found\" %}\n```javascript\n{\"success\": false, \"message\": \"string\", \"status\": 404}\n```\n{% endtab %}\n{% endtabs %}\n";
    let page = both(txt, md);
    let responses = &only_operation(&page).responses;
    assert_eq!(responses.keys().collect::<Vec<_>>(), ["200", "404"]);
    assert_eq!(responses["200"].example, Some(json!({"success": true, "payload": {"uuid": "string"}})));
    assert_eq!(responses["404"].example, Some(json!({"success": false, "message": "string", "status": 404})));
}

#[test]
fn an_empty_example_block_is_no_example_not_an_error() {
    // GitBook's markdown export often leaves a response tab's code block empty, or blank: no
    // example there (and no fact: the text scrape of the same page shows nothing either).
    let md = "# Widgets\n## GetWidget\n<mark>`GET`</mark> `https://x.test/widget`\n{% tabs %}\n{% tab title=\"200 \" %}\n```json\n{\"success\": true}\n```\n{% endtab %}\n{% tab title=\"404 Not found\" %}\n```json\n```\n{% endtab %}\n{% tab title=\"500\" %}\n```javascript\n  \n\t\n```\n{% endtab %}\n{% endtabs %}\n";
    let txt = "Widgets\nGetWidget\nGET https://x.test/widget\n{\"success\": true}\nLast updated\n";
    let page = both(txt, md);
    let responses = &only_operation(&page).responses;
    assert_eq!(responses.keys().collect::<Vec<_>>(), ["200"]);
    assert_eq!(responses["200"].example, Some(json!({"success": true})));
    // Something that is not JSON in such a block is still an error naming the page and line.
    let bad = md.replace("```javascript\n  \n\t\n```", "```javascript\n  \n{\"success\": fals\n```");
    let e = broken("widgets.md", bad.as_bytes());
    assert_eq!(e.line, Some(17), "{e}");
    assert!(e.to_string().starts_with("widgets.md:17: "), "{e}");
    assert!(e.message.contains("\"500\" example of GetWidget is not valid JSON"), "{e}");
}

#[test]
fn the_curl_example_gives_the_request_body() {
    let txt = "Widgets\nCreateWidget\nPOST https://x.test/widget\nCode Example\ncurl -X POST \"https://x.test/widget\" \\\n-H  \"accept: application/json\" \\\n-d \"{\\\"name\\\":\\\"string\\\",\\\"tns\\\":[0]}\"\nLast updated\n";
    let md = "# Widgets\n## CreateWidget\n<mark style=\"color:green;\">`POST`</mark> `https://x.test/widget`\n### Code Example\n{% tabs %}\n{% tab title=\"cURL\" %}\n```bash\ncurl -X POST \"https://x.test/widget\" \\\n-H  \"accept: application/json\" \\\n-d \"{\\\"name\\\":\\\"string\\\",\\\"tns\\\":[0]}\"\n```\n{% endtab %}\n{% tab title=\"PHP\" %}\n```php\n$data = '{\"other\": 1}';\n```\n{% endtab %}\n{% endtabs %}\n";
    let page = both(txt, md);
    assert_eq!(only_operation(&page).request_example, Some(json!({"name": "string", "tns": [0]})));
}

/// A curl body the shell would not send as JSON (the SMS page's unescaped quote ends the string
/// early) is kept as its text, so the comparison reports it instead of refusing the page.
#[test]
fn a_curl_body_that_is_not_json_is_kept_as_text() {
    let txt = "Widgets\nCreateWidget\nPOST https://x.test/widget\nCode Example\ncurl -X POST \"https://x.test/widget\" \\\n-d \"{\\\"url\\\":\\\"https://endpoint\"}\"\nLast updated\n";
    let page = parse("page.txt", txt).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(only_operation(&page).request_example, Some(json!("{\"url\":\"https://endpoint")));
}

#[test]
fn the_two_formats_of_one_page_are_merged_and_must_agree() {
    let dir = tempfile::tempdir().unwrap();
    let txt = dir.path().join("w.txt");
    let md = dir.path().join("w.md");
    // The text scrape lost the example (as real scrapes do); the markdown has it.
    std::fs::write(&txt, "Widgets\nGetWidget\nGET https://x.test/widget\nLast updated\n").unwrap();
    std::fs::write(&md, "# Widgets\n## GetWidget\n<mark>`GET`</mark> `https://x.test/widget`\n{% tabs %}\n{% tab title=\"200 \" %}\n```json\n{\"success\": true}\n```\n{% endtab %}\n{% endtabs %}\n").unwrap();
    let facts = docs::read_pages(&[txt.clone(), md.clone()], Truncated::Refuse).unwrap();
    let page = &facts.pages["Widgets"];
    assert_eq!(page.sources.len(), 2);
    assert_eq!(page.operations["GetWidget"].responses["200"].example, Some(json!({"success": true})));
    // The file's modification date (today, UTC) is the page's date: YYYY-MM-DD of this year.
    let date = &page.sources[0].date;
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let this_year = 1970 + secs / 31_556_952; // within a day of New Year this may be off by one
    let parts: Vec<u64> = date.split('-').map(|p| p.parse().unwrap()).collect();
    assert!(date.len() == 10 && parts.len() == 3, "{date}");
    assert!(
        parts[0].abs_diff(this_year) <= 1 && (1..=12).contains(&parts[1]) && (1..=31).contains(&parts[2]),
        "{date}"
    );
    // Two formats that disagree on a fact are an error naming the fact.
    std::fs::write(&txt, "Widgets\nGetWidget\nPOST https://x.test/widget\nLast updated\n").unwrap();
    let error = docs::read_pages(&[txt, md], Truncated::Refuse).unwrap_err().to_string();
    assert!(error.contains("disagree") && error.contains("GetWidget.method"), "{error}");
}

// ------------------------------------------------------------------ the committed facts

#[test]
fn committed_facts_explain_every_difference_and_no_erratum_is_stale() {
    let report = docs::compare(&committed(), &spec());
    let text = docs::render_text(&report);
    assert_eq!(report.unexplained(), 0, "{text}");
    assert!(report.stale.is_empty(), "{text}");
    // The thirteen pages (seven of them partial), each with facts; and the comparison found
    // the known departures.
    assert_eq!(report.facts.len(), 13, "{:?}", report.facts);
    assert!(report.facts.values().all(|n| *n > 0));
    assert!(report.differences.iter().any(|d| d.fact == "ListOrders.method" && d.errata == ["list-orders-method"]));
}

#[test]
fn checking_one_unchanged_page_finds_nothing_stale_on_the_other_pages() {
    // `docs-check PAGE` with one page: the other pages' committed facts stand in for them.
    let committed = committed();
    for title in committed.pages.keys() {
        let mut one = Facts::default();
        one.pages.insert(title.clone(), committed.pages[title].clone());
        let report = docs::check(&spec(), &committed, Some(&one));
        let text = docs::render_text(&report);
        assert!(report.is_clean() && report.changes.is_empty(), "{title}:\n{text}");
    }
}

#[test]
fn covers_of_operations_no_page_with_facts_shows_are_listed_not_stale() {
    let spec = spec();
    let report = docs::compare(&committed(), &spec);
    // The errata of pages whose facts are not kept yet (Leases, SMS, ...) are listed.
    assert!(report.unchecked.iter().any(|u| u.covers.starts_with("Search.")), "{:?}", report.unchecked);
    // Without the Order page's facts, its errata are unchecked too; with them, they explain.
    let mut without_order = committed();
    without_order.pages.remove("Order Telephone Number");
    let report = docs::compare(&without_order, &spec);
    assert!(report.stale.is_empty(), "{:?}", report.stale);
    assert!(report.unchecked.iter().any(|u| u.covers == "ListOrders.method"), "{:?}", report.unchecked);
    // A cover of a documented operation that names no difference is still stale.
    let (_, stale, _) = mutate(|facts| op(facts, "ListOrders").method = "GET".into());
    assert!(stale.contains("ListOrders.method"), "{stale:?}");
}

#[test]
fn the_committed_facts_file_is_in_its_stable_form() {
    let path = workspace_root().join(docs::FACTS_FILE);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        Facts::from_json(&path, &text).unwrap().to_json(),
        text,
        "run `cargo xtask docs-check --accept` with the pages"
    );
}

#[test]
fn every_erratum_cover_names_a_difference() {
    // An erratum can only explain what it names: every `covers` item matches a difference.
    let spec = spec();
    let errata = docs::errata(&spec);
    assert!(errata.iter().filter(|e| !e.covers.is_empty()).count() >= 30);
    let report = docs::compare(&committed(), &spec);
    for d in &report.differences {
        for id in &d.errata {
            assert!(errata.iter().any(|e| &e.id == id), "{id}");
        }
    }
}

#[test]
fn the_lint_rejects_a_covers_that_is_not_a_list_of_fact_names() {
    let source = std::fs::read_to_string(spec_path()).unwrap();
    let good = "covers:\n        - ListOrders.method\n        - ListOrders.header.Content-Type\n";
    assert!(source.contains(good));
    for bad in ["covers: []\n", "covers: ListOrders.method\n", "covers: [ListOrders.method, 3]\n", "covers: ['  ']\n"] {
        let spec = opentact_codegen::parse(&spec_path(), source.replace(good, bad)).unwrap();
        let findings: Vec<_> = opentact_codegen::lint(&spec)
            .into_iter()
            .filter(|d| d.rule == opentact_codegen::Rule::ErrataEntry)
            .collect();
        assert_eq!(findings.len(), 1, "{bad}: {findings:?}");
        assert!(findings[0].pointer.ends_with("/covers") && findings[0].line.is_some(), "{:?}", findings[0]);
    }
}

// ------------------------------------------------------------------ mutations

/// What a mutation of the committed facts adds to the report: new unexplained differences,
/// stale errata, and the changes in the docs.
fn mutate(change: impl FnOnce(&mut Facts)) -> (BTreeSet<String>, BTreeSet<String>, Vec<String>) {
    let spec = spec();
    let before = committed();
    let mut after = before.clone();
    change(&mut after);
    let report: Report = docs::check(&spec, &before, Some(&after));
    let unexplained = report.differences.iter().filter(|d| d.errata.is_empty()).map(|d| d.fact.clone()).collect();
    let stale = report.stale.iter().map(|s| s.covers.clone()).collect();
    let changes = report.changes.iter().map(|c| c.fact.clone()).collect();
    (unexplained, stale, changes)
}

fn op<'f>(facts: &'f mut Facts, name: &str) -> &'f mut OperationFacts {
    facts.pages.values_mut().find_map(|p| p.operations.get_mut(name)).unwrap()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn a_body_field_added_is_reported_exactly() {
    let (unexplained, stale, changes) = mutate(|f| {
        let field = FieldFacts { kind: "string".into(), ..Default::default() };
        op(f, "CreateOutboundVoiceProfile").body.as_mut().unwrap().insert("carrier".into(), field);
    });
    assert_eq!(unexplained, set(&["CreateOutboundVoiceProfile.body.carrier"]));
    assert!(stale.is_empty());
    assert_eq!(changes, ["CreateOutboundVoiceProfile.body.carrier"]);
}

#[test]
fn a_field_type_changed_is_reported_exactly() {
    let (unexplained, stale, changes) = mutate(|f| {
        op(f, "CreateOutboundVoiceProfile").body.as_mut().unwrap().get_mut("name").unwrap().kind = "integer".into();
    });
    assert_eq!(unexplained, set(&["CreateOutboundVoiceProfile.body.name.type"]));
    assert!(stale.is_empty());
    assert_eq!(changes, ["CreateOutboundVoiceProfile.body.name.type"]);
}

#[test]
fn an_enum_value_added_is_reported_exactly() {
    let (unexplained, stale, changes) = mutate(|f| {
        let filemat = op(f, "CreateOutboundVoiceProfile").body.as_mut().unwrap().get_mut("filemat").unwrap();
        filemat.enum_values.as_mut().unwrap().push(json!("ogg"));
    });
    assert_eq!(unexplained, set(&["CreateOutboundVoiceProfile.body.filemat.enum"]));
    assert!(stale.is_empty());
    assert_eq!(changes, ["CreateOutboundVoiceProfile.body.filemat.enum"]);
}

#[test]
fn a_path_changed_is_reported_exactly() {
    let (unexplained, stale, changes) = mutate(|f| {
        op(f, "GetSIPControlAppByUUID").url = "https://api.opentact.org/rest/sip/apps/{uuid}".into();
    });
    assert_eq!(unexplained, set(&["GetSIPControlAppByUUID.path"]));
    assert!(stale.is_empty());
    assert_eq!(changes, ["GetSIPControlAppByUUID.url"]);
}

#[test]
fn an_operation_added_is_reported_exactly() {
    let (unexplained, stale, changes) = mutate(|f| {
        let page = f.pages.get_mut("Order Telephone Number").unwrap();
        let new = OperationFacts {
            method: "DELETE".into(),
            url: "https://api.opentact.org/rest/order/{uuid}".into(),
            ..Default::default()
        };
        page.operations.insert("CancelOrder".into(), new);
    });
    assert_eq!(unexplained, set(&["CancelOrder"]));
    assert!(stale.is_empty());
    assert_eq!(changes, ["CancelOrder"]);
}

#[test]
fn an_operation_removed_is_reported_exactly() {
    let (unexplained, stale, changes) = mutate(|f| {
        f.pages.get_mut("Order Telephone Number").unwrap().operations.remove("ListOrders");
    });
    // The spec's operation is now undocumented, and every erratum cover about ListOrders
    // explains nothing any more.
    assert_eq!(unexplained, set(&["ListOrders"]));
    let about_list_orders: BTreeSet<String> =
        docs::errata(&spec()).into_iter().flat_map(|e| e.covers).filter(|c| c.starts_with("ListOrders.")).collect();
    // method, example, Content-Type and the two token headers (see the errata on ListOrders).
    assert_eq!(about_list_orders.len(), 5, "{about_list_orders:?}");
    assert_eq!(stale, about_list_orders);
    assert_eq!(changes, ["ListOrders"]);
}

#[test]
fn a_status_code_added_is_reported_exactly() {
    let (unexplained, stale, changes) = mutate(|f| {
        op(f, "GetSIPControlAppByUUID").responses.insert("500".into(), Default::default());
    });
    assert_eq!(unexplained, set(&["GetSIPControlAppByUUID.status.500"]));
    assert!(stale.is_empty());
    assert_eq!(changes, ["GetSIPControlAppByUUID.responses.500"]);
}

#[test]
fn a_limit_changed_is_reported_exactly() {
    let (unexplained, stale, changes) = mutate(|f| {
        op(f, "CreateSIPControlApp").body.as_mut().unwrap().get_mut("name").unwrap().max_length = Some(128);
    });
    assert_eq!(unexplained, set(&["CreateSIPControlApp.body.name.max_length"]));
    assert!(stale.is_empty());
    assert_eq!(changes, ["CreateSIPControlApp.body.name.max_length"]);
}

// ------------------------------------------------------------------ broken pages

fn broken(name: &str, bytes: &[u8]) -> docs::PageError {
    let error = docs::parse_page(Path::new(name), bytes, "2026-01-02", Truncated::Refuse).unwrap_err();
    assert_eq!(error.file, PathBuf::from(name));
    error
}

#[test]
fn broken_pages_are_clear_errors_with_file_and_line() {
    let page = "Widgets\nGetWidget\nGET https://x.test/widget\n{\n\"success\": true,\n\"payload\": {\n";
    let e = broken("truncated.txt", page.as_bytes());
    assert!(e.line.is_some() && e.message.contains("not valid JSON"), "{e}");
    let e = broken("no-footer.txt", b"Widgets\nGetWidget\nGET https://x.test/widget\n");
    assert!(e.message.contains("footer"), "{e}");
    let e = broken("no-operation.txt", b"Widgets\nSome prose\nLast updated\n");
    assert!(e.message.contains("no operation"), "{e}");
    let e = broken("no-url.txt", b"Widgets\nGetWidget\nGET\nprose\nLast updated\n");
    assert_eq!(e.line, Some(3), "{e}");
    let e = broken("row.txt", b"Widgets\nGetWidget\nGET https://x.test/w\nHeaders\nno row here\nLast updated\n");
    assert_eq!(e.line, Some(5), "{e}");
    let md = "# Widgets\n## GetWidget\n<mark>`GET`</mark> `https://x.test/w`\n{% tabs %}\n{% tab title=\"200 \" %}\n```json\n{\"success\": tru\n```\n";
    let e = broken("bad-json.md", md.as_bytes());
    assert!(e.line.is_some() && e.message.contains("not valid JSON"), "{e}");
    let e = broken("unclosed.md", b"# Widgets\n## GetWidget\n<mark>`GET`</mark> `https://x.test/w`\n{% tabs %}\n");
    assert_eq!(e.line, Some(4), "{e}");
    let e = broken("heading.md", b"# Widgets\n## not an operation\n");
    assert_eq!(e.line, Some(2), "{e}");
    assert!(broken("binary.txt", b"Widgets\0\x01\x02").message.contains("binary"));
    assert!(broken("latin1.txt", b"Widgets\n\xe9t\xe9\n").message.contains("UTF-8"));
    assert_eq!(broken("empty.md", b"  \n").line, Some(1));
    assert!(broken("page.html", b"<html></html>").message.contains("unknown page format"));
}

/// Widgets: ListWidgets and GetWidget whole, then the file breaks off in CreateWidget (at
/// line 17, a code block never closed).
const CUT_MD: &str = "# Widgets\n## ListWidgets\n<mark>`GET`</mark> `https://x.test/widgets`\n## GetWidget\n<mark>`GET`</mark> `https://x.test/widget`\n{% tabs %}\n{% tab title=\"200\" %}\n```json\n{\"success\": true}\n```\n{% endtab %}\n{% endtabs %}\n## CreateWidget\n<mark>`POST`</mark> `https://x.test/widget`\n{% tabs %}\n{% tab title=\"200\" %}\n```json\n{\"success\":\n";
/// The same in the text scrape: it ends in a JSON example (line 9).
const CUT_TXT: &str = "Widgets\nListWidgets\nGET https://x.test/widgets\nGetWidget\nGET https://x.test/widget\n{\"success\": true}\nCreateWidget\nPOST https://x.test/widget\n{\"success\":\n";
/// The same in the text scrape: it ends in a table, without the footer (line 11).
const NO_FOOTER_TXT: &str = "Widgets\nListWidgets\nGET https://x.test/widgets\nGetWidget\nGET https://x.test/widget\n{\"success\": true}\nCreateWidget\nPOST https://x.test/widget\nRequest Body\nname\nstring\n";

fn partial(name: &str, text: &str) -> Result<PageFacts, docs::PageError> {
    docs::parse_page(Path::new(name), text.as_bytes(), "2026-01-02", Truncated::ReadPartial)
}

#[test]
fn a_page_that_breaks_off_is_refused_and_read_partially_only_when_asked() {
    for (name, text, line) in [("cut.md", CUT_MD, 17), ("cut.txt", CUT_TXT, 9), ("no-footer.txt", NO_FOOTER_TXT, 11)] {
        // Refused by default; the error says where, and what --partial would read.
        let e = broken(name, text.as_bytes());
        assert_eq!(e.line, Some(line), "{e}");
        assert!(e.message.contains("(truncated?)") && e.message.contains("in operation CreateWidget"), "{e}");
        assert!(e.message.contains("`--partial` reads the 2 operations before it (ListWidgets, GetWidget)"), "{e}");
        // Read partially: the operations before the break; the one it cuts off is dropped.
        let page = partial(name, text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(page.operations.keys().collect::<Vec<_>>(), ["GetWidget", "ListWidgets"], "{name}");
        assert_eq!(page.operations["GetWidget"].responses["200"].example, Some(json!({"success": true})));
        assert_eq!(page.sources[0].truncated, Some(Truncation { line, operation: "CreateWidget".into() }), "{name}");
        assert!(page.is_partial(), "{name}");
        // Recorded in the facts file's form, and read back.
        let facts = Facts { pages: [(page.title.clone(), page.clone())].into() };
        let json = facts.to_json();
        assert!(json.contains("\"truncated\": {\n") && json.contains("\"operation\": \"CreateWidget\""), "{json}");
        assert_eq!(Facts::from_json(Path::new("f.json"), &json).unwrap(), facts);
    }
    // A page that breaks off in its first operation has nothing to read.
    let first = "Widgets\nListWidgets\nGET https://x.test/widgets\n";
    for e in [broken("first.txt", first.as_bytes()), partial("first.txt", first).unwrap_err()] {
        assert!(e.message.contains("breaks off in its first operation, ListWidgets"), "{e}");
    }
    // Invalid JSON that does not run into the end of the page is no break: still an error.
    let bad =
        "Widgets\nListWidgets\nGET https://x.test/widgets\n{\"success\": tru}\nGetWidget\nGET https://x.test/widget\n";
    let e = partial("bad.txt", bad).unwrap_err();
    assert!(e.line == Some(4) && e.message.contains("not valid JSON"), "{e}");
    // A whole page stays whole (and unmarked) with ReadPartial.
    let whole = format!("{}Last updated\n", NO_FOOTER_TXT);
    let page = partial("whole.txt", &whole).unwrap();
    assert!(!page.is_partial() && page.sources[0].truncated.is_none() && page.operations.len() == 3);
    // The other format of the page, whole, makes the page whole again.
    let dir = tempfile::tempdir().unwrap();
    let (txt, md) = (dir.path().join("w.txt"), dir.path().join("w.md"));
    std::fs::write(&txt, &whole).unwrap();
    std::fs::write(&md, CUT_MD).unwrap();
    let facts = docs::read_pages(&[txt, md.clone()], Truncated::ReadPartial).unwrap();
    let page = &facts.pages["Widgets"];
    assert!(!page.is_partial() && page.operations.contains_key("CreateWidget"));
    assert_eq!(page.sources.iter().filter(|s| s.truncated.is_some()).count(), 1);
    assert!(docs::read_pages(&[md], Truncated::Refuse).unwrap_err().to_string().contains("--partial"));
}

#[test]
fn a_partial_page_leaves_the_operations_it_does_not_reach_unchecked_not_stale() {
    let spec = spec();
    // The Order page's facts read from a file that broke off in ListOrders.
    let mut facts = committed();
    let order = facts.pages.get_mut("Order Telephone Number").unwrap();
    order.operations.remove("ListOrders");
    order.sources[0].truncated = Some(Truncation { line: 120, operation: "ListOrders".into() });
    let report = docs::compare(&facts, &spec);
    let text = docs::render_text(&report);
    // Not "undocumented", and its errata (5 covers) are unchecked, not stale (compare
    // an_operation_removed_is_reported_exactly, where the page is whole).
    assert!(report.is_clean(), "{text}");
    assert!(!report.differences.iter().any(|d| d.operation == "ListOrders"), "{text}");
    assert_eq!(report.unchecked.iter().filter(|u| u.covers.starts_with("ListOrders.")).count(), 5, "{text}");
    let expected = docs::PartialPage {
        read: ["CreateTNOrder", "GetOrderByUUID", "GetOrderPrice"].map(String::from).to_vec(),
        not_checked: vec!["ListOrders".into()],
    };
    assert_eq!(report.partial["Order Telephone Number"], expected);
    assert!(text.contains("(order.txt 2026-11-23, breaks off at line 120 in ListOrders)"), "{text}");
    assert!(text.contains("not checked: ListOrders"), "{text}");
    let json: Value = serde_json::from_str(&docs::render_json(&report)).unwrap();
    assert_eq!(json["partial"]["Order Telephone Number"]["not_checked"], json!(["ListOrders"]));
    // Read now against the whole committed page: the operation not read is named (--accept
    // drops its facts) and nothing else changed.
    let mut read = Facts::default();
    read.pages.insert("Order Telephone Number".into(), facts.pages["Order Telephone Number"].clone());
    let report = docs::check(&spec, &committed(), Some(&read));
    assert!(report.is_clean(), "{}", docs::render_text(&report));
    let changes: Vec<_> = report.changes.iter().map(|c| (c.fact.as_str(), c.after.as_str())).collect();
    assert_eq!(changes, [("ListOrders", "(not read: the page breaks off before it)")]);
}

/// `docs-check --json`, and with `--accept`.
const JSON: DocsCheck = DocsCheck { accept: false, json: true, partial: false };
const ACCEPT: DocsCheck = DocsCheck { accept: true, ..JSON };

#[test]
fn docs_check_exit_codes() {
    let root = workspace_root();
    let dir = tempfile::tempdir().unwrap();
    // 2: a page that cannot be read (and --accept without pages is a usage error).
    let truncated = dir.path().join("truncated.txt");
    std::fs::write(&truncated, "Widgets\nGetWidget\nGET https://x.test/w\n{\n").unwrap();
    assert_eq!(xtask::exit_code(&xtask::docs_check(&root, std::slice::from_ref(&truncated), &JSON)), 2);
    assert_eq!(xtask::exit_code(&xtask::docs_check(&root, &[dir.path().join("missing.md")], &JSON)), 2);
    assert_eq!(xtask::exit_code(&xtask::docs_check(&root, &[], &ACCEPT)), 2);
    // 1: a readable page whose facts the spec does not match (the Order page with one
    // operation: the spec's other Order operations are undocumented now).
    let partial = dir.path().join("order.txt");
    std::fs::write(
        &partial,
        "Order Telephone Number\nListOrders\nGET https://api.opentact.org/rest/order\nLast updated\n",
    )
    .unwrap();
    assert_eq!(xtask::exit_code(&xtask::docs_check(&root, &[partial], &JSON)), 1);
    // 0: the committed facts against the spec.
    assert_eq!(xtask::exit_code(&xtask::docs_check(&root, &[], &JSON)), 0);
}

#[test]
fn accept_rewrites_the_facts_of_the_pages_given_and_keeps_the_others() {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir(root.path().join("spec")).unwrap();
    std::fs::copy(spec_path(), root.path().join("spec/opentact.yaml")).unwrap();
    std::fs::copy(workspace_root().join(docs::FACTS_FILE), root.path().join(docs::FACTS_FILE)).unwrap();
    let page = root.path().join("order.txt");
    std::fs::write(
        &page,
        "Order Telephone Number\nListOrders\nGET https://api.opentact.org/rest/order\nLast updated\n",
    )
    .unwrap();
    // The report still has unexplained differences (exit 1), but the facts are recorded.
    assert_eq!(xtask::exit_code(&xtask::docs_check(root.path(), std::slice::from_ref(&page), &ACCEPT)), 1);
    let path = root.path().join(docs::FACTS_FILE);
    let accepted = Facts::from_json(&path, &std::fs::read_to_string(&path).unwrap()).unwrap();
    let before = committed();
    assert_eq!(accepted.pages.len(), before.pages.len(), "every page is kept");
    let order = &accepted.pages["Order Telephone Number"];
    assert_eq!(order.operations.keys().collect::<Vec<_>>(), ["ListOrders"]);
    assert_eq!(order.sources[0].file, "order.txt");
    for title in ["Voice Profile", "Profile TN info", "SIP Control App"] {
        assert_eq!(accepted.pages[title], before.pages[title], "{title}");
    }
    // Read again, the accepted facts show no change.
    let report = docs::check(
        &opentact_codegen::load(&root.path().join("spec/opentact.yaml")).unwrap(),
        &accepted,
        Some(&docs::read_pages(&[page], Truncated::Refuse).unwrap()),
    );
    assert!(report.changes.is_empty(), "{:?}", report.changes);
}

#[test]
fn partial_reads_a_truncated_page_and_accept_records_it() {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir(root.path().join("spec")).unwrap();
    std::fs::copy(spec_path(), root.path().join("spec/opentact.yaml")).unwrap();
    std::fs::copy(workspace_root().join(docs::FACTS_FILE), root.path().join(docs::FACTS_FILE)).unwrap();
    // The Order page's text scrape with ListOrders as the committed facts have it, breaking
    // off in the next operation.
    let before = committed();
    let list = &before.pages["Order Telephone Number"].operations["ListOrders"];
    let example = serde_json::to_string_pretty(list.responses["200"].example.as_ref().unwrap()).unwrap();
    let text = format!(
        "Order Telephone Number\nListOrders\n{} {}\nHeaders\nName\nType\nDescription\nAuthorization\nstring\nJWT_TOKEN\nContent-Type\nstring\napplication/json\n{example}\nGetOrderPrice\nPOST https://api.opentact.org/rest/order/price\nRequest Body\n",
        list.method, list.url
    );
    let page = root.path().join("order.txt");
    std::fs::write(&page, &text).unwrap();
    // Refused without --partial (exit 2), the error naming the flag.
    let error = xtask::docs_check(root.path(), std::slice::from_ref(&page), &JSON).unwrap_err().to_string();
    assert!(error.contains("order.txt:") && error.contains("--partial") && error.contains("(ListOrders)"), "{error}");
    assert!(xtask::docs_check(root.path(), &[], &DocsCheck { partial: true, ..JSON }).is_err());
    // With --partial: clean (ListOrders as before, the other Order operations unchecked).
    let partial = DocsCheck { partial: true, ..ACCEPT };
    assert_eq!(xtask::exit_code(&xtask::docs_check(root.path(), std::slice::from_ref(&page), &partial)), 0);
    let path = root.path().join(docs::FACTS_FILE);
    let accepted = Facts::from_json(&path, &std::fs::read_to_string(&path).unwrap()).unwrap();
    let order = &accepted.pages["Order Telephone Number"];
    assert_eq!(order.operations.keys().collect::<Vec<_>>(), ["ListOrders"]);
    assert_eq!(&order.operations["ListOrders"], list);
    let line = text.lines().count();
    assert_eq!(order.sources[0].truncated, Some(Truncation { line, operation: "GetOrderPrice".into() }));
    for title in ["Voice Profile", "Profile TN info", "SIP Control App"] {
        assert_eq!(accepted.pages[title], before.pages[title], "{title}");
    }
    // The committed partial facts: nothing stale, nothing undocumented (exit 0).
    assert_eq!(xtask::exit_code(&xtask::docs_check(root.path(), &[], &JSON)), 0);
    // Read again, the accepted facts show no change.
    let spec = opentact_codegen::load(&root.path().join("spec/opentact.yaml")).unwrap();
    let report = docs::check(&spec, &accepted, Some(&docs::read_pages(&[page], Truncated::ReadPartial).unwrap()));
    assert!(report.changes.is_empty() && report.is_clean(), "{}", docs::render_text(&report));
}

// ------------------------------------------------------------------ the docs' own examples

/// Decodes an example as the client decodes the response of the schema it illustrates.
fn decode(schema: &str, value: &Value) -> Result<(), String> {
    fn as_type<T: serde::de::DeserializeOwned>(value: &Value) -> Result<(), String> {
        serde_json::from_value::<T>(value.clone()).map(|_| ()).map_err(|e| e.to_string())
    }
    match schema {
        "AccountResponse" => as_type::<types::AccountResponse>(value),
        "OutboundVoiceProfileResponse" => as_type::<types::OutboundVoiceProfileResponse>(value),
        "OutboundVoiceProfilesResponse" => as_type::<types::OutboundVoiceProfilesResponse>(value),
        "SIPConnectionResponse" => as_type::<types::SipConnectionResponse>(value),
        "SIPConnectionsResponse" => as_type::<types::SipConnectionsResponse>(value),
        "SIPProductsResponse" => as_type::<types::SipProductsResponse>(value),
        "SIPControlAppResponse" => as_type::<types::SipControlAppResponse>(value),
        "SIPControlAppsResponse" => as_type::<types::SipControlAppsResponse>(value),
        "SIPControlAppCallResponse" => as_type::<types::SipControlAppCallResponse>(value),
        "SMSResponse" => as_type::<types::SmsResponse>(value),
        "TNProfileResponse" => as_type::<types::TnProfileResponse>(value),
        "TNProfilesResponse" => as_type::<types::TnProfilesResponse>(value),
        "TNSpecialPricesResponse" => as_type::<types::TnSpecialPricesResponse>(value),
        "TNLeasesResponse" => as_type::<types::TnLeasesResponse>(value),
        "TNOrderResponse" => as_type::<types::TnOrderResponse>(value),
        "TNOrdersResponse" => as_type::<types::TnOrdersResponse>(value),
        "TNOrderPriceResponse" => as_type::<types::TnOrderPriceResponse>(value),
        "ErrorResponse" => as_type::<types::ErrorResponse>(value),
        other => panic!("no client type mapped for {other}"),
    }
}

/// The response schema of `operation` for `status`, and its component name.
fn response_schema(spec: &opentact_codegen::Spec, operation: &str, status: &str) -> (Value, String) {
    for item in spec.json["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            if op["operationId"] != operation {
                continue;
            }
            let mut response = op["responses"][status].clone();
            while let Some(r) = response.get("$ref").and_then(Value::as_str) {
                response = spec.resolve(r).unwrap().clone();
            }
            let schema = response["content"]["application/json"]["schema"].clone();
            let name = schema["$ref"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
            return (schema, name);
        }
    }
    panic!("{operation} {status} is not in the spec");
}

#[test]
fn every_doc_response_example_validates_and_decodes_unless_an_erratum_says_it_shows_another_entity() {
    let spec = spec();
    let facts = committed();
    let report = docs::compare(&facts, &spec);
    // The pages' headings (`SMS`) under the spec's operationIds, as the comparison reads them.
    let facts = docs::with_spec_names(&facts, &spec);
    let mut checked = 0;
    let mut other_entity = BTreeSet::new();
    let validators = docs::ExampleValidators::new(&spec.json);
    for page in facts.pages.values() {
        for (operation, op) in &page.operations {
            for (status, response) in &op.responses {
                let Some(example) = &response.example else { continue };
                let (schema, name) = response_schema(&spec, operation, status);
                let realistic = validators.replace_placeholders(&schema, example);
                let fact = format!("{operation}.response.{status}.example");
                let errors = validators.validate_example(&schema, &realistic);
                match report.differences.iter().find(|d| d.fact == fact) {
                    // The docs show another entity here (a list where one object is returned):
                    // the erratum that says so must hold, and the client rejects the body.
                    Some(d) => {
                        assert!(!d.errata.is_empty(), "{fact} is unexplained");
                        assert!(!errors.is_empty(), "{fact}: the spec accepts it, yet a difference is reported");
                        assert!(decode(&name, &realistic).is_err(), "{fact} decodes although the spec rejects it");
                        other_entity.insert(fact);
                    }
                    None => {
                        assert!(errors.is_empty(), "{fact}: {errors:?}");
                        decode(&name, &realistic).unwrap_or_else(|e| panic!("{fact} does not decode as {name}: {e}"));
                    }
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 40, "only {checked} examples");
    // The operations whose example the errata voice-profile-examples-are-tn-leases,
    // tn-profile-examples-are-tn-leases and list-orders-single-payload describe as a list where
    // one object is returned (or one object where a list is).
    let expected = [
        "CreateOutboundVoiceProfile",
        "GetOutboundVoiceProfileByUUID",
        "ModifyOutboundVoiceProfile",
        "RemoveOutboundVoiceProfileByUUID",
        "GetTNProfileByUUID",
        "ListOrders",
    ];
    assert_eq!(other_entity, expected.iter().map(|op| format!("{op}.response.200.example")).collect());
}

#[test]
fn the_documented_order_responses_decode() {
    // The two the independent read found broken: "price": null on a new order, and the
    // request flags echoed as strings.
    let spec = spec();
    let facts = committed();
    let order = &facts.pages["Order Telephone Number"].operations;
    for (operation, path) in [("CreateTNOrder", "/payload/price"), ("GetOrderByUUID", "/payload/request/voice")] {
        let example = order[operation].responses["200"].example.clone().unwrap();
        assert!(example.pointer(path).is_some_and(|v| v.is_null() || v == "true"), "{operation}: {example}");
        let (schema, name) = response_schema(&spec, operation, "200");
        let realistic = docs::replace_placeholders(&spec.json, &schema, &example);
        assert_eq!(docs::validate_example(&spec.json, &schema, &realistic), Vec::<String>::new());
        let decoded: types::TnOrderResponse = serde_json::from_value(realistic).unwrap();
        assert_eq!(name, "TNOrderResponse");
        if operation == "GetOrderByUUID" {
            let request = decoded.payload.unwrap().request.unwrap();
            assert!(request.voice.unwrap().get() && request.voice.unwrap().was_string());
        }
    }
}

#[test]
fn placeholders_are_replaced_by_valid_values_of_the_same_type() {
    let spec = spec();
    let schema = json!({"$ref": "#/components/schemas/TNLeasesResponse"});
    let placeholder = json!({"success": true, "payload": [{"uuid": "string", "created_on": "2019-08-24T14:15:22Z"}]});
    assert!(!docs::validate_example(&spec.json, &schema, &placeholder).is_empty());
    let realistic = docs::replace_placeholders(&spec.json, &schema, &placeholder);
    assert_eq!(docs::validate_example(&spec.json, &schema, &realistic), Vec::<String>::new());
    let uuid = realistic["payload"][0]["uuid"].as_str().unwrap();
    assert!(uuid::Uuid::parse_str(uuid).is_ok_and(|u| u.get_version_num() == 4), "{uuid}");
    assert_eq!(realistic["payload"][0]["created_on"], "2024-08-24T14:15:22Z");
    // Deterministic, and a value of the wrong type is left for validation to report.
    assert_eq!(docs::replace_placeholders(&spec.json, &schema, &placeholder), realistic);
    let wrong = json!({"success": true, "payload": {"uuid": "string"}});
    assert!(
        !docs::validate_example(&spec.json, &schema, &docs::replace_placeholders(&spec.json, &schema, &wrong))
            .is_empty()
    );
}
