//! Every request is traced: one span with the operation id, method, path, status, attempts and
//! duration; never the body or the token.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use opentact_client::{RetryPolicy, types};
use opentact_tests::{TOKEN, client_builder};
use serde_json::json;
use tracing_subscriber::fmt::format::FmtSpan;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_retried_order_is_one_span_with_status_and_attempts_and_no_secrets() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"success": true, "payload": {"state": "created"}})),
        )
        .with_priority(2)
        .mount(&server)
        .await;
    // Answers the warm-up call below (retried, so the retry event's call site is registered too).
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let retry = RetryPolicy::default()
        .with_max_retries(2)
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_secs(1));
    let client = client_builder(server.uri()).retry(retry).build().unwrap();
    // Other tests of this binary run on other threads without a subscriber, and tracing caches
    // per call site whether it is enabled. If one of them registered the request span's call
    // site while this test set its subscriber, the site could stay disabled. So the site is
    // registered first, by a call made before the subscriber exists (a GET answered 503);
    // setting the subscriber then re-evaluates every registered site.
    let _ = client.list_sip_control_apps().await;
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let order = types::TnOrderNewParams::builder()
        .items([types::TnOrderItemNewParams::builder().tn(12025550143_i64)])
        .try_into()
        .unwrap();
    client.create_tn_order(&order).await.unwrap();

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let close = log
        .lines()
        .find(|l| l.contains("opentact.request") && l.contains("close"))
        .unwrap_or_else(|| panic!("no closed span in:\n{log}"));
    for field in [
        "operation_id=\"CreateTNOrder\"",
        "method=POST",
        "path=\"/order/tn\"",
        "status=201",
        "attempts=2",
        "duration_ms=",
    ] {
        assert!(close.contains(field), "{field} missing from {close}");
    }
    assert!(log.contains("retrying"), "the retry is logged:\n{log}");
    assert!(!log.contains(TOKEN), "the token leaked:\n{log}");
    assert!(!log.contains("12025550143"), "the body leaked:\n{log}");
}
