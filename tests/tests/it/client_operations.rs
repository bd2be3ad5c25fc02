//! Every operation of the client against a local mock server: the request has the documented
//! method, path, `X-Auth-Token`, content type and body, and the documented example response
//! decodes into the typed result.

use opentact_client::{Client, Upload, types};
use opentact_tests::ids::{APP, CALL, ORDER, PROFILE, TN_PROFILE};
use opentact_tests::{TOKEN, client, example, same_json};
use serde_json::Value;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

struct Api {
    server: MockServer,
    client: Client,
}

impl Api {
    async fn new() -> Api {
        let server = MockServer::start().await;
        let client = client(server.uri());
        Api { server, client }
    }

    /// Expects exactly one `verb route` request with the token (and `body` as JSON, when
    /// given) and answers it with `response`.
    async fn expect(&self, verb: &str, route: &str, body: Option<Value>, status: u16, response: Value) {
        let mut mock = Mock::given(method(verb))
            .and(path(route))
            .and(header("x-auth-token", TOKEN))
            .and(header("accept", "application/json"));
        if let Some(expected) = body {
            mock = mock.and(header("content-type", "application/json")).and(move |request: &Request| {
                serde_json::from_slice(&request.body).is_ok_and(|sent: Value| same_json(&sent, &expected))
            });
        }
        mock.respond_with(ResponseTemplate::new(status).set_body_json(response)).expect(1).mount(&self.server).await;
    }
}

fn body<T: serde::de::DeserializeOwned>(example_name: &str) -> (T, Value) {
    let json = example(example_name);
    (serde_json::from_value(json.clone()).expect("the documented request example decodes into the request type"), json)
}

#[tokio::test]
async fn list_outbound_voice_profiles() {
    let api = Api::new().await;
    api.expect("GET", "/profile/outbound_voice", None, 200, example("OutboundVoiceProfiles")).await;
    let profiles = api.client.list_outbound_voice_profiles().await.unwrap();
    assert_eq!(profiles[0].uuid, Some(PROFILE));
    assert_eq!(profiles[0].record_calls, Some(types::EVoiceRecordCallType::AllCalls));
    assert_eq!(profiles[0].filemat, Some(types::EVoiceRecordCallFileType::Mp3));
}

#[tokio::test]
async fn create_outbound_voice_profile() {
    let api = Api::new().await;
    let (params, json) = body::<types::OutboundVoiceProfileNewParams>("OutboundVoiceProfileNewParams");
    api.expect("POST", "/profile/outbound_voice", Some(json), 201, example("OutboundVoiceProfile")).await;
    let profile = api.client.create_outbound_voice_profile(&params).await.unwrap();
    assert_eq!(profile.name.as_deref(), Some("Outbound US"));
    assert_eq!(profile.audio_track_type, Some(types::EVoiceRecordCallAudioTrackType::SingleTrack));
}

#[tokio::test]
async fn get_outbound_voice_profile_by_uuid() {
    let api = Api::new().await;
    api.expect("GET", &format!("/profile/outbound_voice/{PROFILE}"), None, 200, example("OutboundVoiceProfile")).await;
    let profile = api.client.get_outbound_voice_profile_by_uuid(PROFILE).await.unwrap();
    assert_eq!(profile.daily_spent_limit.unwrap().to_f64(), 50.0);
}

#[tokio::test]
async fn modify_outbound_voice_profile() {
    let api = Api::new().await;
    let name: types::OutboundVoiceProfileUpdateParamsName = "Outbound US (night)".parse().unwrap();
    let params = types::OutboundVoiceProfileUpdateParams::builder().name(name).max_rate(0.04).try_into().unwrap();
    let json = serde_json::json!({"name": "Outbound US (night)", "max_rate": 0.04});
    api.expect(
        "PATCH",
        &format!("/profile/outbound_voice/{PROFILE}"),
        Some(json),
        200,
        example("OutboundVoiceProfile"),
    )
    .await;
    api.client.modify_outbound_voice_profile(PROFILE, &params).await.unwrap();
}

#[tokio::test]
async fn remove_outbound_voice_profile_by_uuid() {
    let api = Api::new().await;
    api.expect("DELETE", &format!("/profile/outbound_voice/{PROFILE}"), None, 200, example("OutboundVoiceProfile"))
        .await;
    let removed = api.client.remove_outbound_voice_profile_by_uuid(PROFILE).await.unwrap();
    assert_eq!(removed.uuid, Some(PROFILE));
}

#[tokio::test]
async fn get_outbound_voice_profile_sip_connections_by_uuid() {
    let api = Api::new().await;
    api.expect(
        "GET",
        &format!("/profile/outbound_voice/{PROFILE}/connections/sip"),
        None,
        200,
        example("SIPConnections"),
    )
    .await;
    let connections = api.client.get_outbound_voice_profile_sip_connections_by_uuid(PROFILE).await.unwrap();
    assert_eq!(connections[0].port, Some(5060));
}

#[tokio::test]
async fn get_outbound_voice_profile_control_apps_by_uuid() {
    let api = Api::new().await;
    api.expect(
        "GET",
        &format!("/profile/outbound_voice/{PROFILE}/connections/app"),
        None,
        200,
        example("SIPControlApps"),
    )
    .await;
    let apps = api.client.get_outbound_voice_profile_control_apps_by_uuid(PROFILE).await.unwrap();
    assert_eq!(apps[0].subdomain.as_deref(), Some("acme-support"));
}

#[tokio::test]
async fn list_tn_profiles() {
    let api = Api::new().await;
    api.expect("GET", "/profile/tn", None, 200, example("TNProfiles")).await;
    let profiles = api.client.list_tn_profiles().await.unwrap();
    assert_eq!(profiles[0].priority, Some(types::EPriority::High));
    assert_eq!(profiles[0].mrc.as_ref().unwrap().to_f64(), 1.5);
}

#[tokio::test]
async fn get_tn_special_prices_by_account() {
    let api = Api::new().await;
    api.expect("GET", "/profile/tn/special_prices", None, 200, example("TNSpecialPrices")).await;
    let prices = api.client.get_tn_special_prices_by_account().await.unwrap();
    assert_eq!(prices[0].expired_on.unwrap().to_rfc3339(), "2026-12-31T23:59:59+00:00");
}

#[tokio::test]
async fn get_tn_profile_by_uuid() {
    let api = Api::new().await;
    api.expect("GET", &format!("/profile/tn/{TN_PROFILE}"), None, 200, example("TNProfile")).await;
    let profile = api.client.get_tn_profile_by_uuid(TN_PROFILE).await.unwrap();
    assert_eq!(profile.class4_vendor_res_id, Some(27));
}

#[tokio::test]
async fn list_sip_control_apps() {
    let api = Api::new().await;
    api.expect("GET", "/sip/app", None, 200, example("SIPControlApps")).await;
    let apps = api.client.list_sip_control_apps().await.unwrap();
    let trunk = apps[0].class4_egress_trunk_settings.as_ref().unwrap();
    assert_eq!(trunk.media_type, Some(types::EClass4MediaType::BypassMedia));
    assert_eq!(trunk.rate_decimal.as_ref().unwrap().as_str(), "6");
}

#[tokio::test]
async fn create_sip_control_app() {
    let api = Api::new().await;
    let (params, json) = body::<types::SipControlAppNewParams>("SIPControlAppNewParams");
    api.expect("POST", "/sip/app", Some(json), 201, example("SIPControlApp")).await;
    let app = api.client.create_sip_control_app(&params).await.unwrap();
    assert_eq!(app.uuid, Some(APP));
}

#[tokio::test]
async fn get_sip_control_app_by_uuid() {
    let api = Api::new().await;
    api.expect("GET", &format!("/sip/app/{APP}"), None, 200, example("SIPControlApp")).await;
    let app = api.client.get_sip_control_app_by_uuid(APP).await.unwrap();
    let profile = app.outbound_voice_profile.unwrap();
    assert_eq!(profile.uuid, Some(PROFILE));
}

#[tokio::test]
async fn modify_sip_control_app() {
    let api = Api::new().await;
    let (params, json) = body::<types::SipControlAppUpdateParams>("SIPControlAppUpdateParams");
    api.expect("PATCH", &format!("/sip/app/{APP}"), Some(json), 200, example("SIPControlApp")).await;
    api.client.modify_sip_control_app(APP, &params).await.unwrap();
}

#[tokio::test]
async fn remove_sip_control_app_by_uuid() {
    let api = Api::new().await;
    api.expect("DELETE", &format!("/sip/app/{APP}"), None, 200, example("SIPControlApp")).await;
    api.client.remove_sip_control_app_by_uuid(APP).await.unwrap();
}

#[tokio::test]
async fn get_sip_control_app_tn_leases_list() {
    let api = Api::new().await;
    api.expect("GET", &format!("/sip/app/{APP}/tnlease"), None, 200, example("TNLeases")).await;
    let leases = api.client.get_sip_control_app_tn_leases_list(APP).await.unwrap();
    assert_eq!(leases[0].tn.as_ref().unwrap().tn, Some(12_025_550_143));
}

#[tokio::test]
async fn assign_tn_leases_to_sip_control_app() {
    let api = Api::new().await;
    let (params, json) = body::<types::TnLeasesAssignParams>("TNLeasesAssignParams");
    api.expect("POST", &format!("/sip/app/{APP}/tnlease"), Some(json), 200, example("TNLeases")).await;
    let leases = api.client.assign_tn_leases_to_sip_control_app(APP, &params).await.unwrap();
    assert_eq!(leases.len(), 1);
}

#[tokio::test]
async fn execute_sip_control_app_call_execute_call_flow() {
    let api = Api::new().await;
    let xml = r#"<?xml version="1.0"?><Response><Say>Hello</Say><Hangup/></Response>"#;
    Mock::given(method("POST"))
        .and(path(format!("/sip/app/call/{CALL}")))
        .and(header("x-auth-token", TOKEN))
        .and(move |request: &Request| {
            let content_type = request.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
            let body = String::from_utf8_lossy(&request.body);
            content_type.starts_with("multipart/form-data; boundary=")
                && body.contains("Content-Disposition: form-data; name=\"file\"; filename=\"call_flow.xml\"")
                && body.contains("Content-Type: application/xml")
                && body.contains(xml)
        })
        .respond_with(ResponseTemplate::new(200).set_body_json(example("SIPControlAppCall")))
        .expect(1)
        .mount(&api.server)
        .await;
    let call = api.client.execute_sip_control_app_call_execute_call_flow(CALL, Upload::xml(xml)).await.unwrap();
    assert_eq!(call.state, Some(types::ECallState::Started));
    assert_eq!(call.channel.unwrap().state, Some(types::EFreeswitchChannelState::CsNew));
}

#[tokio::test]
async fn create_tn_order() {
    let api = Api::new().await;
    let (params, json) = body::<types::TnOrderNewParams>("TNOrderNewParams");
    api.expect("POST", "/order/tn", Some(json), 201, example("TNOrderCreated")).await;
    let order = api.client.create_tn_order(&params).await.unwrap();
    assert_eq!(order.state, Some(types::ETnOrderState::Created));
    assert_eq!(order.price, None, "not priced yet");
}

#[tokio::test]
async fn get_order_price() {
    let api = Api::new().await;
    let (params, json) = body::<types::TnOrderNewParams>("TNOrderNewParams");
    api.expect("POST", "/order/price", Some(json), 200, example("TNOrderPrice")).await;
    let price = api.client.get_order_price(&params).await.unwrap();
    assert_eq!(price.items[0].voice_outgoing_per_min_cost.as_ref().unwrap().as_str(), "0.0090");
}

#[tokio::test]
async fn list_orders() {
    let api = Api::new().await;
    api.expect("GET", "/order", None, 200, example("TNOrders")).await;
    let orders = api.client.list_orders().await.unwrap();
    assert_eq!(orders[0].uuid, Some(ORDER));
}

#[tokio::test]
async fn get_order_by_uuid() {
    let api = Api::new().await;
    api.expect("GET", &format!("/order/{ORDER}"), None, 200, example("TNOrder")).await;
    let order = api.client.get_order_by_uuid(ORDER).await.unwrap();
    assert_eq!(order.request.unwrap().profile.as_deref(), Some("US"));
    assert_eq!(order.profile.unwrap().class4_client_billing_rule_id, Some(14));
}

/// Query parameters go on the wire as set, and a parameter left `None` is not sent at all.
#[tokio::test]
async fn get_transaction_invoice_report() {
    let api = Api::new().await;
    api.expect("GET", "/transaction/report/invoice", None, 200, example("TransactionInvoiceReport")).await;
    let query = types::GetTransactionInvoiceReportQuery::new().from("2026-10-01").to("2026-11-01 00:00");
    let report = api.client.get_transaction_invoice_report(query).await.unwrap();
    assert_eq!(report.from.as_deref(), Some("2026-10-01"));
    assert_eq!(report.report[1].ref_type, Some(types::ETransactionReferenceType::SmsOutgoing));
    let requests = api.server.received_requests().await.unwrap();
    assert_eq!(requests[0].url.query(), Some("from=2026-10-01&to=2026-11-01+00%3A00"));

    let api = Api::new().await;
    api.expect("GET", "/transaction/report/invoice", None, 200, example("TransactionInvoiceReport")).await;
    api.client.get_transaction_invoice_report(types::GetTransactionInvoiceReportQuery::new()).await.unwrap();
    let requests = api.server.received_requests().await.unwrap();
    assert_eq!(requests[0].url.query(), None, "unset parameters are not sent");
}

/// A string payload with a field beside it: the whole envelope comes back, both fields decoded.
#[tokio::test]
async fn get_sip_control_app_static_call_flow() {
    let api = Api::new().await;
    let answer = example("SIPControlAppCallFlow");
    api.expect("GET", &format!("/sip/app/call/flow/{APP}"), None, 200, answer.clone()).await;
    let flow = api.client.get_sip_control_app_static_call_flow(APP).await.unwrap();
    assert_eq!(flow.payload.as_deref(), answer["payload"].as_str());
    assert!(flow.payload.as_deref().is_some_and(|xml| xml.contains("<Say>Thank you for calling Acme support.</Say>")));
    assert_eq!(flow.url.as_deref(), Some("https://flows.acme.example/support.xml"));

    // The payload is required even though the envelope is returned whole.
    let api = Api::new().await;
    let without = serde_json::json!({"success": true, "url": "https://flows.acme.example/support.xml"});
    api.expect("GET", &format!("/sip/app/call/flow/{APP}"), None, 200, without).await;
    match api.client.get_sip_control_app_static_call_flow(APP).await {
        Err(opentact_client::Error::Decode(e)) => assert_eq!(e.path, "payload"),
        other => panic!("expected a decode error, got {other:?}"),
    }
    // `success: false` in a 200 is the service's error, with its message.
    let api = Api::new().await;
    let refused = serde_json::json!({"success": false, "message": "no flow stored"});
    api.expect("GET", &format!("/sip/app/call/flow/{APP}"), None, 200, refused).await;
    match api.client.get_sip_control_app_static_call_flow(APP).await {
        Err(opentact_client::Error::Api(e)) => assert_eq!(e.message, "no flow stored"),
        other => panic!("expected an API error, got {other:?}"),
    }
}

/// A free-form payload decodes to its JSON object, whatever fields it has.
#[tokio::test]
async fn remove_sip_control_app_static_call_flow() {
    let api = Api::new().await;
    api.expect("DELETE", &format!("/sip/app/call/flow/{APP}"), None, 200, example("FreeFormOk")).await;
    let removed = api.client.remove_sip_control_app_static_call_flow(APP).await.unwrap();
    assert!(removed.is_empty());

    let api = Api::new().await;
    let answer = serde_json::json!({"success": true, "payload": {"removed": 1, "flow": {"url": null}}});
    api.expect("DELETE", &format!("/sip/app/call/flow/{APP}"), None, 200, answer).await;
    let removed = api.client.remove_sip_control_app_static_call_flow(APP).await.unwrap();
    assert_eq!(removed.get("removed"), Some(&serde_json::json!(1)));
    assert_eq!(removed.get("flow"), Some(&serde_json::json!({"url": null})));
    assert_eq!(removed.len(), 2);
}

/// The first 23 operations have a wiremock test here (exact method, path, body and decoded
/// answer); every operation, those included, is called through Prism by `e2e_prism`, which
/// validates the request against the spec and decodes the answer.
#[test]
fn every_operation_has_a_test_here_or_in_the_prism_table() {
    let here = include_str!("client_operations.rs");
    // rustfmt breaks long rows over lines; compare without whitespace.
    let prism: String = include_str!("e2e_prism.rs").split_whitespace().collect();
    let mut here_count = 0;
    for op in opentact_client::OPERATIONS {
        let tested_here = here.contains(&format!("async fn {}()", op.method_name));
        here_count += usize::from(tested_here);
        let called_in_prism = prism.contains(&format!("call!(\"{}\",client.{}(", op.id, op.method_name));
        assert!(called_in_prism, "{} is not called in e2e_prism's table", op.id);
    }
    assert!(here_count >= 23, "the wiremock tests of the first operations are gone ({here_count})");
    assert_eq!(opentact_client::OPERATIONS.len(), opentact_tests::operation_count());
}

/// A call sends the headers the API defines and HTTP needs, nothing else: in particular not
/// progenitor's `api-version` (a dropshot convention Opentact does not define; codegen's
/// `sends.rs` removes it).
#[tokio::test]
async fn a_call_sends_no_header_the_api_does_not_define() {
    let api = Api::new().await;
    api.expect("GET", &format!("/sip/app/{APP}"), None, 200, example("SIPControlApp")).await;
    api.client.get_sip_control_app_by_uuid(APP).await.unwrap();
    let requests = api.server.received_requests().await.unwrap();
    let mut names: Vec<&str> = requests[0].headers.keys().map(|name| name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["accept", "host", "user-agent", "x-auth-token"]);
}
