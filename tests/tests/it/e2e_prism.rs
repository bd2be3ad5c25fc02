//! End to end against Prism, a mock server nobody here wrote: it validates every request the
//! client sends against the spec and every response it makes up. All 25 operations are called
//! twice, with the spec's examples and with random (seeded) data; the test fails on any
//! validation error in Prism's log, any non-2xx answer and any response the client cannot
//! decode.
//!
//! Everything goes to one Prism serving the spec's acyclic copy, the one `cargo xtask mock`
//! serves (opentact-devtools' `mock_spec`: object relations deeper than three levels of a
//! response are bare objects; why, and `mock_spec.rs` proves it faithful). The random pass asks
//! for generated data with Prism's `Prefer: dynamic=true` header.

use std::time::Instant;

use opentact_client::{Client, Error, Upload, types};
use opentact_tests::ids::{APP, CALL, ORDER, PROFILE, TN_PROFILE};
use opentact_tests::{DYNAMIC_ARGS, Prism, TOKEN, client_builder, request, spec, workspace_root, write_acyclic};
use serde_json::Value;

/// Calls every operation once; the outcome of each, by operationId.
async fn call_every_operation(client: &Client) -> Vec<(&'static str, Result<(), Error>)> {
    let ovp_new: types::OutboundVoiceProfileNewParams = request("OutboundVoiceProfileNewParams");
    let ovp_update: types::OutboundVoiceProfileUpdateParams =
        serde_json::from_value(serde_json::json!({"name": "Outbound US (night)", "record_calls": 0})).unwrap();
    let app_new: types::SipControlAppNewParams = request("SIPControlAppNewParams");
    let app_update: types::SipControlAppUpdateParams = request("SIPControlAppUpdateParams");
    let assign: types::TnLeasesAssignParams = request("TNLeasesAssignParams");
    let order: types::TnOrderNewParams = request("TNOrderNewParams");
    let xml = Upload::xml(r#"<?xml version="1.0"?><Response><Say>Thanks for calling</Say><Hangup/></Response>"#);
    fn done<T>(r: opentact_client::Result<T>) -> Result<(), Error> {
        r.map(|_| ())
    }
    vec![
        ("ListOutboundVoiceProfiles", done(client.list_outbound_voice_profiles().await)),
        ("CreateOutboundVoiceProfile", done(client.create_outbound_voice_profile(&ovp_new).await)),
        ("GetOutboundVoiceProfileByUUID", done(client.get_outbound_voice_profile_by_uuid(PROFILE).await)),
        ("ModifyOutboundVoiceProfile", done(client.modify_outbound_voice_profile(PROFILE, &ovp_update).await)),
        ("RemoveOutboundVoiceProfileByUUID", done(client.remove_outbound_voice_profile_by_uuid(PROFILE).await)),
        (
            "GetOutboundVoiceProfileSIPConnectionsByUUID",
            done(client.get_outbound_voice_profile_sip_connections_by_uuid(PROFILE).await),
        ),
        (
            "GetOutboundVoiceProfileControlAppsByUUID",
            done(client.get_outbound_voice_profile_control_apps_by_uuid(PROFILE).await),
        ),
        ("ListTNProfiles", done(client.list_tn_profiles().await)),
        ("GetTNSpecialPricesByAccount", done(client.get_tn_special_prices_by_account().await)),
        ("GetTNProfileByUUID", done(client.get_tn_profile_by_uuid(TN_PROFILE).await)),
        ("ListSIPControlApps", done(client.list_sip_control_apps().await)),
        ("CreateSIPControlApp", done(client.create_sip_control_app(&app_new).await)),
        ("GetSIPControlAppByUUID", done(client.get_sip_control_app_by_uuid(APP).await)),
        ("ModifySIPControlApp", done(client.modify_sip_control_app(APP, &app_update).await)),
        ("RemoveSIPControlAppByUUID", done(client.remove_sip_control_app_by_uuid(APP).await)),
        ("GetSIPControlAppTNLeasesList", done(client.get_sip_control_app_tn_leases_list(APP).await)),
        ("AssignTNLeasesToSIPControlApp", done(client.assign_tn_leases_to_sip_control_app(APP, &assign).await)),
        (
            "ExecuteSIPControlAppCallExecuteCallFlow",
            done(client.execute_sip_control_app_call_execute_call_flow(CALL, xml).await),
        ),
        ("CreateTNOrder", done(client.create_tn_order(&order).await)),
        ("GetOrderPrice", done(client.get_order_price(&order).await)),
        ("ListOrders", done(client.list_orders().await)),
        ("GetOrderByUUID", done(client.get_order_by_uuid(ORDER).await)),
        (
            "GetTransactionInvoiceReport",
            done(
                client
                    .get_transaction_invoice_report(
                        types::GetTransactionInvoiceReportQuery::new().from("2026-10-01").to("2026-11-01"),
                    )
                    .await,
            ),
        ),
        ("GetSIPControlAppStaticCallFlow", done(client.get_sip_control_app_static_call_flow(APP).await)),
        ("RemoveSIPControlAppStaticCallFlow", done(client.remove_sip_control_app_static_call_flow(APP).await)),
    ]
}

async fn assert_clean_pass(prism: &Prism, dynamic: bool) {
    let started = Instant::now();
    let mut builder = client_builder(prism.base_url.as_str());
    if dynamic {
        // Prism's per-request switch from the examples to schema-generated data.
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("prefer", reqwest::header::HeaderValue::from_static("dynamic=true"));
        builder = builder.http_client(reqwest::Client::builder().default_headers(headers).build().unwrap());
    }
    let outcomes = call_every_operation(&builder.build().unwrap()).await;
    let mode = if dynamic { "dynamic" } else { "static" };
    assert_eq!(outcomes.len(), opentact_client::OPERATIONS.len());
    let failures: Vec<String> =
        outcomes.iter().filter_map(|(op, r)| r.as_ref().err().map(|e| format!("{op}: {e}"))).collect();
    let violations = prism.violations();
    assert!(
        failures.is_empty() && violations.is_empty(),
        "{mode} pass:\nclient errors:\n{}\nPrism violations:\n{}",
        failures.join("\n"),
        violations.join("\n")
    );
    println!("{mode} pass: {} operations in {:.2} s", outcomes.len(), started.elapsed().as_secs_f64());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_round_trips_through_prism() {
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let served = write_acyclic(&spec().json, dir.path()).unwrap();
    let args: Vec<&str> = ["--errors", "--seed", "opentact-e2e"].into_iter().chain(DYNAMIC_ARGS).collect();
    let prism = tokio::task::spawn_blocking(move || Prism::start(&served, 0, &args));
    let prism = prism.await.unwrap().unwrap_or_else(|e| panic!("{e}"));
    println!("Prism on the acyclic copy listening after {:.1} s", started.elapsed().as_secs_f64());
    assert_clean_pass(&prism, false).await;
    assert_clean_pass(&prism, true).await;
    // Control: the header really switches Prism to generated data.
    let raw = reqwest::Client::new();
    let list = |prefer: Option<&'static str>| {
        let mut request = raw.get(format!("{}/sip/app", prism.base_url)).header("x-auth-token", TOKEN);
        if let Some(prefer) = prefer {
            request = request.header("prefer", prefer);
        }
        async move { request.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let (examples, generated) = (list(None).await, list(Some("dynamic=true")).await);
    assert_eq!(examples["payload"][0]["name"], "Support line", "{examples}");
    assert_ne!(examples, generated, "Prefer: dynamic=true still answered with the example");

    // The example program works against the mock too.
    let output = std::process::Command::new(env!("CARGO"))
        .current_dir(workspace_root())
        .args([
            "run",
            "--quiet",
            "--package",
            "opentact-client",
            "--features",
            "mock",
            "--example",
            "list_sip_control_apps",
        ])
        .env("OPENTACT_BASE_URL", &prism.base_url)
        .env("OPENTACT_TOKEN", TOKEN)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "the example failed: {}{}", stdout, String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("1 SIP control app(s)") && stdout.contains("Support line"), "{stdout}");

    // Controls: Prism really validates, so a clean log above means something.
    let no_token = raw.get(format!("{}/sip/app", prism.base_url)).send().await.unwrap();
    assert_eq!(no_token.status().as_u16(), 401);
    let bad_body = raw
        .post(format!("{}/sip/app", prism.base_url))
        .header("x-auth-token", TOKEN)
        .json(&serde_json::json!({"name": ""}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad_body.status().as_u16(), 422);
    let violations = prism.violations();
    assert!(violations.iter().any(|v| v.contains("name")), "Prism did not report the invalid body: {violations:?}");
}
