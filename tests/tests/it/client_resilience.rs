//! Hostile and surprising responses, retries, client-side validation and secrecy: every case
//! ends in a typed error or a lenient decode, never a panic.

use std::time::{Duration, Instant};

use opentact_client::{Client, Error, RetryPolicy, Server, Upload, types};
use opentact_tests::ids::APP;
use opentact_tests::{TOKEN, client, client_builder};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fast_retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy::default()
        .with_max_retries(max_retries)
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_secs(20))
}

/// A test client that retries `max_retries` times without waiting long.
fn retrying_client(server: &MockServer, max_retries: u32) -> Client {
    client_builder(server.uri()).retry(fast_retries(max_retries)).build().unwrap()
}

async fn answer(template: ResponseTemplate) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/sip/app")).respond_with(template).mount(&server).await;
    let client = client(server.uri());
    (server, client)
}

fn api_error(e: Error) -> opentact_client::ApiError {
    match e {
        Error::Api(api) => *api,
        other => panic!("expected an API error, got {other:?}"),
    }
}

fn decode_error(e: Error) -> opentact_client::DecodeError {
    match e {
        Error::Decode(d) => *d,
        other => panic!("expected a decode error, got {other:?}"),
    }
}

fn lease(extra: Value) -> Value {
    let mut lease = json!({"uuid": "0b7a4c3e-5d2f-4e8a-9c1b-7f6e5d4c3b2a", "tn": {"tn": 12025550143_i64}});
    for (k, v) in extra.as_object().unwrap() {
        lease[k] = v.clone();
    }
    lease
}

#[tokio::test]
async fn an_html_502_page_is_an_api_error_with_its_status() {
    let page = "<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>";
    let (_s, client) = answer(ResponseTemplate::new(502).set_body_raw(page, "text/html")).await;
    let error = api_error(client.list_sip_control_apps().await.unwrap_err());
    assert_eq!((error.operation, error.status.as_u16()), ("ListSIPControlApps", 502));
    assert!(error.message.contains("text/html") && error.message.contains("502 Bad Gateway"), "{}", error.message);
}

#[tokio::test]
async fn an_error_body_gives_the_servers_message_and_status() {
    let body = json!({"success": false, "message": "SIP control app not found", "status": 404});
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/sip/app/{APP}")))
        .respond_with(ResponseTemplate::new(404).set_body_json(body).insert_header("x-request-id", "req-42"))
        .mount(&server)
        .await;
    let client = client(server.uri());
    let error = client.get_sip_control_app_by_uuid(APP).await.unwrap_err();
    assert!(error.is_not_found());
    assert_eq!(
        error.to_string(),
        "GetSIPControlAppByUUID failed: HTTP 404 Not Found: SIP control app not found (request id req-42)"
    );
    let api = api_error(error);
    assert_eq!((api.server_status, api.request_id.as_deref()), (Some(404), Some("req-42")));
}

#[tokio::test]
async fn success_false_with_status_200_is_an_api_error() {
    let body = json!({"success": false, "message": "Not enough account balance", "status": 402});
    let (_s, client) = answer(ResponseTemplate::new(200).set_body_json(body)).await;
    let error = api_error(client.list_sip_control_apps().await.unwrap_err());
    assert_eq!(
        (error.status.as_u16(), error.message.as_str(), error.server_status),
        (200, "Not enough account balance", Some(402))
    );
}

#[tokio::test]
async fn an_empty_200_body_is_a_decode_error() {
    let (_s, client) = answer(ResponseTemplate::new(200)).await;
    let error = decode_error(client.list_sip_control_apps().await.unwrap_err());
    assert_eq!(error.operation, "ListSIPControlApps");
    assert!(error.message.contains("EOF"), "{}", error.message);
}

#[tokio::test]
async fn truncated_json_is_a_decode_error_that_says_where() {
    let body = r#"{"success": true, "payload": [{"uuid": "1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a", "name": "Supp"#;
    let (_s, client) = answer(ResponseTemplate::new(200).set_body_raw(body, "application/json")).await;
    let error = decode_error(client.list_sip_control_apps().await.unwrap_err());
    assert_eq!(error.path, "payload[0].name");
    assert!(error.body_start.starts_with(r#"{"success": true"#));
}

#[tokio::test]
async fn a_body_that_does_not_decode_keeps_the_status_it_came_with() {
    let not_a_list = r#"{"success": true, "payload": 7}"#;
    let (_s, lists) = answer(ResponseTemplate::new(200).set_body_raw(not_a_list, "application/json")).await;
    let error = lists.list_sip_control_apps().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(decode_error(error).path, "payload");

    // CreateTNOrder answers 201: the status is the response's, not one the client assumes.
    let server = MockServer::start().await;
    let broken = json!({"success": true, "payload": {"items": "not a list"}});
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(201).set_body_json(broken)).mount(&server).await;
    let client = client(server.uri());
    let order =
        types::TnOrderNewParams::builder().items([types::TnOrderItemNewParams::builder().tn(12_025_550_143_i64)]);
    let error = client.create_tn_order(order).await.unwrap_err();
    assert!(error.to_string().contains("(HTTP 201 Created)"), "{error}");
    let error = decode_error(error);
    assert_eq!((error.operation, error.status.map(|s| s.as_u16())), ("CreateTNOrder", Some(201)));
    assert_eq!(error.path, "payload.items");
}

#[tokio::test]
async fn a_wrong_type_deep_in_the_body_names_its_path() {
    let body = json!({"success": true, "payload": [lease(json!({"tn": {"tn": "not a number"}}))]});
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(body)).mount(&server).await;
    let client = client(server.uri());
    let error = client.get_sip_control_app_tn_leases_list(APP).await.unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("GetSIPControlAppTNLeasesList failed: the response does not decode at payload[0].tn.tn"),
        "{error}"
    );
    assert_eq!(decode_error(error).path, "payload[0].tn.tn");
}

#[tokio::test]
async fn json_with_a_wrong_content_type_still_decodes_and_a_non_json_200_does_not_panic() {
    let body = json!({"success": true, "payload": []}).to_string();
    let (_s, client) = answer(ResponseTemplate::new(200).set_body_raw(body, "text/plain")).await;
    assert!(client.list_sip_control_apps().await.unwrap().is_empty());

    let (_s, client) = answer(ResponseTemplate::new(200).set_body_raw("<html>maintenance</html>", "text/html")).await;
    let error = decode_error(client.list_sip_control_apps().await.unwrap_err());
    assert!(error.body_start.contains("maintenance"));
}

#[tokio::test]
async fn a_10_mb_list_of_tn_leases_decodes() {
    let one = lease(
        json!({"expired_on": "2027-01-12T10:04:31Z", "autorenew": true, "account": {"name": "Acme Telecom", "balance": "125.40"}}),
    );
    let count = 10 * 1024 * 1024 / one.to_string().len() + 1;
    let body = json!({"success": true, "payload": vec![one; count]}).to_string();
    assert!(body.len() >= 10 * 1024 * 1024);
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    let client = client(server.uri());
    let leases = client.get_sip_control_app_tn_leases_list(APP).await.unwrap();
    assert_eq!(leases.len(), count);
}

#[tokio::test]
async fn unknown_enum_values_money_as_strings_and_empty_or_null_relations_decode() {
    let weird = lease(json!({
        "tnorder": {"state": "archived", "price": {"nrc": "1.00", "mrc": 1.5, "items": []}, "tns": [{"tnlease": null}]},
        "account": {"level": "Level9", "balance": "0.50"},
        "created_by": {"gender": 7},
        "messaging_profile": {},
        "sip_connection": null,
        "sip_control_app": {"class4_egress_trunk_settings": {"rate_decimal": "6", "media_type": "Quantum Media"}},
        "modified_on": "2026-02-17T08:45:02.318Z",
        "created_on": "2026-02-17T08:45:02Z",
        "a_field_from_the_future": {"nested": [1, 2, 3]}
    }));
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true, "payload": [weird]})))
        .mount(&server)
        .await;
    let client = client(server.uri());
    let leases = client.get_sip_control_app_tn_leases_list(APP).await.unwrap();
    let lease = &leases[0];

    let order = lease.tnorder.as_ref().unwrap();
    let state = order.state.as_ref().unwrap();
    assert!(matches!(state, types::ETnOrderState::Unknown(raw) if raw.as_str() == "archived"));
    assert_eq!(serde_json::to_value(state).unwrap(), json!("archived"), "unknown values are sent back unchanged");
    let price = order.price.as_ref().unwrap();
    assert_eq!((price.nrc.as_ref().unwrap().as_str(), price.mrc.as_ref().unwrap().to_f64()), ("1.00", 1.5));

    let account = lease.account.as_ref().unwrap();
    assert!(matches!(account.level, Some(types::EAccountLevel::Unknown(_))));
    assert_eq!(account.balance.as_ref().unwrap().to_f64(), 0.5);
    let gender = lease.created_by.as_ref().unwrap().gender.as_ref().unwrap();
    assert_eq!(serde_json::to_value(gender).unwrap(), json!(7));

    assert_eq!(lease.messaging_profile.as_ref().unwrap().uuid, None, "an empty relation");
    assert!(lease.sip_connection.is_none(), "a null relation");
    assert!(order.tns[0].tnlease.is_none(), "a null relation in a list item");
    let trunk = lease.sip_control_app.as_ref().unwrap().class4_egress_trunk_settings.as_ref().unwrap();
    assert_eq!(trunk.rate_decimal.as_ref().unwrap().as_str(), "6");
    assert!(matches!(trunk.media_type, Some(types::EClass4MediaType::Unknown(_))));
    assert_eq!(lease.modified_on.unwrap().timestamp_subsec_millis(), 318);
    assert!(lease.created_on.is_some());
}

#[tokio::test]
async fn integer_enums_accept_numbers_sent_as_strings() {
    let profile = json!({"record_calls": "2", "audio_track_type": 1, "filemat": "wav"});
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true, "payload": [profile]})))
        .mount(&server)
        .await;
    let client = client(server.uri());
    let profiles = client.list_outbound_voice_profiles().await.unwrap();
    assert_eq!(profiles[0].record_calls, Some(types::EVoiceRecordCallType::SpecificAni));
    assert_eq!(profiles[0].audio_track_type, Some(types::EVoiceRecordCallAudioTrackType::TrackPerChannel));
}

#[tokio::test]
async fn a_connection_reset_is_a_connection_error() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            // Linger 0: closing sends RST instead of FIN. (Deprecated because a non-zero
            // linger blocks on drop; zero never does.)
            #[allow(deprecated)]
            let _ = socket.set_linger(Some(Duration::ZERO));
            drop(socket);
        }
    });
    let client = client_builder(format!("http://{address}")).retry(fast_retries(2)).build().unwrap();
    let error = client.list_sip_control_apps().await.unwrap_err();
    assert!(matches!(error, Error::Connection(_)), "{error:?}");
    assert_eq!(error.operation(), Some("ListSIPControlApps"));
    assert!(std::error::Error::source(&error).is_some());
}

#[tokio::test]
async fn a_slow_server_is_a_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = client_builder(server.uri()).timeout(Duration::from_millis(200)).build().unwrap();
    let error = client.list_sip_control_apps().await.unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(error.to_string(), "ListSIPControlApps failed: the request timed out");
}

#[tokio::test]
async fn a_path_parameter_cannot_change_the_request_path() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let client = client(server.uri());
    for hostile in [
        "../../order/tn",
        "4b5c6d7e-8f9a-4b0c-9d1e-2f3a4b5c6d7e?x=1",
        "4b5c6d7e-8f9a-4b0c-9d1e-2f3a4b5c6d7e/../../x",
        "%2e%2e",
    ] {
        let error = client
            .execute_sip_control_app_call_execute_call_flow(hostile, Upload::xml("<Response/>"))
            .await
            .unwrap_err();
        let Error::InvalidRequest(invalid) = error else { panic!("{hostile}: {error:?}") };
        assert_eq!(invalid.violations[0].field, "uuid");
    }
    // Typed UUID parameters cannot hold a path at all: `Uuid` only prints hex and dashes.
}

#[tokio::test]
async fn requests_that_break_the_spec_are_not_sent() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(201)).expect(0).mount(&server).await;
    let client = client(server.uri());

    let profile = types::OutboundVoiceProfileNewParams::builder()
        .name("Outbound US")
        .tech_prefix(12)
        .channel_limit(-1.0)
        .try_into()
        .unwrap();
    let error = client.create_outbound_voice_profile(&profile).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "CreateOutboundVoiceProfile was not sent: invalid request: /tech_prefix is 12, below the minimum 100000; /channel_limit is -1, below the minimum 0"
    );

    let order = types::TnOrderNewParams::builder().items(Vec::<types::TnOrderItemNewParams>::new()).try_into().unwrap();
    let Error::InvalidRequest(invalid) = client.create_tn_order(&order).await.unwrap_err() else { panic!() };
    assert_eq!(invalid.violations[0].field, "/items");

    let sms = types::SmsNewParams::builder().to("12025550111").tn(12_025_550_143).message("x".repeat(919));
    let Error::InvalidRequest(invalid) = client.send_sms(sms).await.unwrap_err() else { panic!() };
    assert_eq!(invalid.violations[0].field, "/message");

    // Lengths are enforced when the value is built.
    assert!(
        types::SipControlAppNewParams::builder()
            .name("")
            .try_into()
            .map(|_: types::SipControlAppNewParams| ())
            .is_err()
    );
    assert!("x".repeat(256).parse::<types::SipControlAppNewParamsName>().is_err());
    assert!("Support".parse::<types::EClass4MediaType>().is_err(), "unknown enum values cannot be sent");
}

#[tokio::test]
async fn the_token_never_shows_in_debug_display_or_errors() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({"success": false, "message": "Forbidden", "status": 401})),
        )
        .mount(&server)
        .await;
    let client = client(server.uri());
    let error = client.list_sip_control_apps().await.unwrap_err();
    for text in [format!("{client:?}"), format!("{:?}", client.raw()), format!("{error}"), format!("{error:?}")] {
        assert!(!text.contains(TOKEN), "{text}");
    }
    assert!(format!("{client:?}").contains("redacted"));
    // The builder holds the token too, before the client exists.
    let builder = Client::builder().token(TOKEN).server(Server::Custom(server.uri()));
    let shown = format!("{builder:?}");
    assert!(!shown.contains(TOKEN) && shown.contains("<redacted>"), "{shown}");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].headers.get("x-auth-token").unwrap(), TOKEN, "but it is sent");
    assert!(requests[0].headers.get("user-agent").unwrap().to_str().unwrap().starts_with("opentact-client/"));
}

#[test]
fn bad_configuration_is_reported() {
    let config = |r: opentact_client::Result<Client>| match r {
        Err(Error::Config(message)) => message,
        other => panic!("expected a configuration error, got {other:?}"),
    };
    assert!(config(Client::builder().build()).contains("no credentials; call ClientBuilder::token"));
    assert!(config(Client::new("bad\ntoken")).contains("header"));
    assert!(
        config(Client::builder().token("t").server(Server::Custom("not a url".into())).build())
            .contains("not a valid base URL")
    );
    assert!(config(Client::builder().token("t").server(Server::Custom("ftp://x".into())).build()).contains("http(s)"));
    assert_eq!(Client::new("t").unwrap().base_url(), "https://api.opentact.org/rest");
    assert_eq!(
        Client::builder().token("t").server(Server::Stage).build().unwrap().base_url(),
        "https://api.stage.opentact.org/rest"
    );
}

// ---------------------------------------------------------------------------------- retries

async fn flaky(
    verb: &str,
    route: &str,
    failures: u64,
    failure: ResponseTemplate,
    success: ResponseTemplate,
) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(failure)
        .up_to_n_times(failures)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method(verb)).and(path(route)).respond_with(success).with_priority(2).mount(&server).await;
    server
}

fn ok_list() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"success": true, "payload": []}))
}

#[tokio::test]
async fn a_get_that_fails_twice_then_succeeds_is_retried() {
    let server = flaky("GET", "/sip/app", 2, ResponseTemplate::new(503), ok_list()).await;
    let client = retrying_client(&server, 3);
    assert!(client.list_sip_control_apps().await.unwrap().is_empty());
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_server_that_always_fails_is_tried_a_bounded_number_of_times() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502).set_body_raw("bad gateway", "text/plain"))
        .mount(&server)
        .await;
    let client = retrying_client(&server, 3);
    let error = api_error(client.list_sip_control_apps().await.unwrap_err());
    assert_eq!(error.status.as_u16(), 502);
    assert_eq!(server.received_requests().await.unwrap().len(), 4, "the first attempt and 3 retries");
}

#[tokio::test]
async fn an_order_is_retried_when_the_service_did_not_process_it() {
    let created = ResponseTemplate::new(201).set_body_json(json!({"success": true, "payload": {"state": "created"}}));
    let server = flaky("POST", "/order/tn", 1, ResponseTemplate::new(429), created).await;
    let client = retrying_client(&server, 3);
    let order = types::TnOrderNewParams::builder()
        .items([types::TnOrderItemNewParams::builder().tn(12025550143_i64)])
        .try_into()
        .unwrap();
    client.create_tn_order(&order).await.unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn an_order_is_never_retried_when_the_outcome_is_ambiguous() {
    let order = types::TnOrderNewParams::builder()
        .items([types::TnOrderItemNewParams::builder().tn(12025550143_i64)])
        .try_into()
        .unwrap();

    // A timeout after sending: the order may exist.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client =
        client_builder(server.uri()).timeout(Duration::from_millis(200)).retry(fast_retries(3)).build().unwrap();
    assert!(client.create_tn_order(&order).await.unwrap_err().is_timeout());
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    // A gateway error: the backend may have processed it.
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(504)).mount(&server).await;
    let client = retrying_client(&server, 3);
    assert_eq!(client.create_tn_order(&order).await.unwrap_err().status().unwrap().as_u16(), 504);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn retry_after_is_honoured_and_too_long_a_wait_is_not() {
    let busy = ResponseTemplate::new(503).insert_header("retry-after", "1");
    let server = flaky("GET", "/sip/app", 1, busy, ok_list()).await;
    let client = retrying_client(&server, 3);
    let started = Instant::now();
    client.list_sip_control_apps().await.unwrap();
    // The computed backoff is at most 1 ms; only Retry-After explains a 1 s wait.
    assert!(started.elapsed() >= Duration::from_secs(1));

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "3600"))
        .mount(&server)
        .await;
    let client = retrying_client(&server, 3);
    assert_eq!(client.list_sip_control_apps().await.unwrap_err().status().unwrap().as_u16(), 503);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn errors_that_retrying_cannot_fix_are_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(404)).mount(&server).await;
    let client = retrying_client(&server, 3);
    assert!(client.list_sip_control_apps().await.unwrap_err().is_not_found());
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}
