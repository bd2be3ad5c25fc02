//! `Client::with_options`: per-call timeout, retry policy and headers, checked on the wire;
//! the view shares the client's HTTP client and leaves the client's own settings alone.

use std::time::Duration;

use opentact_client::{Client, Error, RetryPolicy, Server};
use opentact_tests::{TOKEN, client_builder};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const APPS: &str = r#"{"success": true, "payload": []}"#;

fn apps() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(APPS, "application/json")
}

fn retries() -> RetryPolicy {
    RetryPolicy::default().with_max_retries(2).with_initial_backoff(Duration::from_millis(1))
}

/// A client whose own policy retries, so that a view's policy is told apart from it.
fn client_for(server: &MockServer) -> Client {
    client_builder(server.uri()).retry(retries()).build().unwrap()
}

#[tokio::test]
async fn a_view_sends_its_headers_and_the_client_does_not() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/sip/app")).respond_with(apps()).mount(&server).await;
    let client = client_for(&server);

    let view = client.with_options(|o| o.header("x-request-id", "nightly-42").header("x-auth-token", "stolen"));
    view.list_sip_control_apps().await.unwrap();
    client.list_sip_control_apps().await.unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].headers.get("x-request-id").map(|v| v.as_bytes()), Some(&b"nightly-42"[..]));
    assert_eq!(requests[1].headers.get("x-request-id"), None, "the client keeps its own settings");
    // Extra headers never replace the token.
    assert_eq!(requests[0].headers.get("x-auth-token").map(|v| v.as_bytes()), Some(TOKEN.as_bytes()));
    // A view of a view keeps what the first view set.
    let nested = view.with_options(|o| o.timeout(Duration::from_secs(5)));
    nested.list_sip_control_apps().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[2].headers.get("x-request-id").map(|v| v.as_bytes()), Some(&b"nightly-42"[..]));
}

#[tokio::test]
async fn a_views_timeout_applies_to_its_calls_only() {
    let server = MockServer::start().await;
    let slow = apps().set_delay(Duration::from_millis(400));
    Mock::given(method("GET")).and(path("/sip/app")).respond_with(slow).mount(&server).await;
    let client = client_for(&server);

    let hasty = client.with_options(|o| o.timeout(Duration::from_millis(50)).retry(RetryPolicy::none()));
    let error = hasty.list_sip_control_apps().await.unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    // The client's own timeout (30 s) still lets the slow answer through.
    client.list_sip_control_apps().await.unwrap();
}

#[tokio::test]
async fn a_views_retry_policy_is_the_one_applied() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/sip/app"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).and(path("/sip/app")).respond_with(apps()).mount(&server).await;
    let client = client_for(&server);

    // No retries: the 503 is the answer, after one request.
    let once = client.with_options(|o| o.retry(RetryPolicy::none()));
    let error = once.list_sip_control_apps().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503), "{error:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    // The client's policy retries the same failure.
    server.reset().await;
    Mock::given(method("GET"))
        .and(path("/sip/app"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).and(path("/sip/app")).respond_with(apps()).mount(&server).await;
    client.list_sip_control_apps().await.unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_view_uses_the_same_http_client() {
    // A header only the ready-made HTTP client adds: the view's requests carry it too, so the
    // view did not build an HTTP client of its own.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/sip/app"))
        .and(header("x-from-http-client", "yes"))
        .respond_with(apps())
        .expect(2)
        .mount(&server)
        .await;
    let mut defaults = reqwest::header::HeaderMap::new();
    defaults.insert("x-from-http-client", reqwest::header::HeaderValue::from_static("yes"));
    let http = reqwest::Client::builder().default_headers(defaults).build().unwrap();
    let client =
        Client::builder().server(Server::Custom(server.uri())).token("test").http_client(http).build().unwrap();

    client.list_sip_control_apps().await.unwrap();
    client.with_options(|o| o.header("x-request-id", "1")).list_sip_control_apps().await.unwrap();
    server.verify().await;
}

#[tokio::test]
async fn a_header_that_cannot_be_sent_fails_the_call_before_anything_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(apps()).expect(0).mount(&server).await;
    let client = client_for(&server);

    let view = client.with_options(|o| o.header("x-request-id", "line\nbreak"));
    let error = view.list_sip_control_apps().await.unwrap_err();
    let Error::InvalidRequest(invalid) = &error else { panic!("expected InvalidRequest, got {error:?}") };
    assert_eq!(invalid.operation, Some("ListSIPControlApps"));
    assert!(error.to_string().contains("x-request-id"), "{error}");
    // Debug output of a view never shows header values (they may be credentials).
    let secret = client.with_options(|o| o.header("x-api-key", "hunter2"));
    assert!(!format!("{secret:?}").contains("hunter2"));
    server.verify().await;
}
