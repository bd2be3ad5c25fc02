//! End to end against Prism, a mock server nobody here wrote: it validates every request the
//! client sends against the spec and every response it makes up. Every operation is called
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
use opentact_tests::ids::{APP, CALL};
use opentact_tests::{DYNAMIC_ARGS, Prism, TOKEN, client_builder, request, spec, workspace_root, write_acyclic};
use serde_json::Value;

/// Calls every operation once with the spec's request examples; the outcome of each, by
/// operationId. The table was first written by a script from the generated signatures and the
/// spec's example names; a new operation needs a line here (`assert_clean_pass` counts them
/// against `OPERATIONS`).
async fn call_every_operation(client: &Client) -> Vec<(&'static str, Result<(), Error>)> {
    // Prism checks formats and patterns, not that an entity exists: one id serves every uuid.
    const ID: uuid::Uuid = APP;
    let xml = || Upload::xml(r#"<?xml version="1.0"?><Response><Say>Thanks for calling</Say><Hangup/></Response>"#);
    let mut outcomes = Vec::new();
    // Each call's future is boxed: a hundred of them inline make this function's future too
    // large for a test thread's stack in a debug build.
    macro_rules! call {
        ($id:literal, $call:expr) => {
            outcomes.push(($id, Box::pin($call).await.map(|_| ())))
        };
    }
    call!("ListOutboundVoiceProfiles", client.list_outbound_voice_profiles());
    call!(
        "CreateOutboundVoiceProfile",
        client.create_outbound_voice_profile(&request::<types::OutboundVoiceProfileNewParams>(
            "OutboundVoiceProfileNewParams"
        ))
    );
    call!("GetOutboundVoiceProfileByUUID", client.get_outbound_voice_profile_by_uuid(ID));
    call!("RemoveOutboundVoiceProfileByUUID", client.remove_outbound_voice_profile_by_uuid(ID));
    call!(
        "ModifyOutboundVoiceProfile",
        client.modify_outbound_voice_profile(
            ID,
            &request::<types::OutboundVoiceProfileUpdateParams>("OutboundVoiceProfileUpdateParams")
        )
    );
    call!("GetOutboundVoiceProfileSIPConnectionsByUUID", client.get_outbound_voice_profile_sip_connections_by_uuid(ID));
    call!("GetOutboundVoiceProfileControlAppsByUUID", client.get_outbound_voice_profile_control_apps_by_uuid(ID));
    call!("ListTNProfiles", client.list_tn_profiles());
    call!("GetTNSpecialPricesByAccount", client.get_tn_special_prices_by_account());
    call!("GetTNProfileByUUID", client.get_tn_profile_by_uuid(ID));
    call!("ListSIPControlApps", client.list_sip_control_apps());
    call!(
        "CreateSIPControlApp",
        client.create_sip_control_app(&request::<types::SipControlAppNewParams>("SIPControlAppNewParams"))
    );
    call!("GetSIPControlAppByUUID", client.get_sip_control_app_by_uuid(ID));
    call!("RemoveSIPControlAppByUUID", client.remove_sip_control_app_by_uuid(ID));
    call!(
        "ModifySIPControlApp",
        client.modify_sip_control_app(ID, &request::<types::SipControlAppUpdateParams>("SIPControlAppUpdateParams"))
    );
    call!("GetSIPControlAppTNLeasesList", client.get_sip_control_app_tn_leases_list(ID));
    call!(
        "AssignTNLeasesToSIPControlApp",
        client.assign_tn_leases_to_sip_control_app(ID, &request::<types::TnLeasesAssignParams>("TNLeasesAssignParams"))
    );
    call!("GetSIPControlAppCall", client.get_sip_control_app_call(ID));
    call!(
        "ExecuteSIPControlAppCallExecuteCallFlow",
        client.execute_sip_control_app_call_execute_call_flow(CALL, xml())
    );
    call!("CreateTNOrder", client.create_tn_order(&request::<types::TnOrderNewParams>("TNOrderNewParams")));
    call!("GetOrderPrice", client.get_order_price(&request::<types::TnOrderNewParams>("TNOrderNewParams")));
    call!("ListOrders", client.list_orders());
    call!("GetOrderByUUID", client.get_order_by_uuid(ID));
    call!("Search", client.search(types::SearchQuery::new(), &request::<types::TnSearchParams>("TNSearchParams")));
    call!("ListTNLeases", client.list_tn_leases());
    call!(
        "SearchTNLeases",
        client.search_tn_leases(
            types::SearchTnLeasesQuery::new(),
            &request::<types::TnLeaseSearchParams>("TNLeaseSearchParams")
        )
    );
    call!("GetTNLeaseRouteByTN", client.get_tn_lease_route_by_tn("12025550143"));
    call!("GetTNLeaseByUUID", client.get_tn_lease_by_uuid(ID));
    call!("RemoveTNLeaseByUUID", client.remove_tn_lease_by_uuid(ID));
    call!("ModifyTNLease", client.modify_tn_lease(ID, &request::<types::TnLeaseUpdateParams>("TNLeaseUpdateParams")));
    call!(
        "EnableSMSOnNumber",
        client.enable_sms_on_number(
            "12025550143",
            &request::<types::TnLeaseSmsSubscriptionNewParams>("TNLeaseSMSSubscriptionNewParams")
        )
    );
    call!("DisableSMSOnNumber", client.disable_sms_on_number("12025550143"));
    call!(
        "SearchTNOrders",
        client.search_tn_orders(
            types::SearchTnOrdersQuery::new(),
            &request::<types::TnOrderSearchParams>("TNOrderSearchParams")
        )
    );
    call!("ListSIPConnections", client.list_sip_connections());
    call!(
        "CreateSIPConnection",
        client.create_sip_connection(&request::<types::SipConnectionNewParams>("SIPConnectionNewParams"))
    );
    call!("GetSIPConnectionByUUID", client.get_sip_connection_by_uuid(ID));
    call!("RemoveSIPConnectionByID", client.remove_sip_connection_by_id(ID));
    call!(
        "ModifySIPConnection",
        client.modify_sip_connection(ID, &request::<types::SipConnectionUpdateParams>("SIPConnectionUpdateParams"))
    );
    call!("GetSIPConnectionTNLeasesList", client.get_sip_connection_tn_leases_list(ID));
    call!(
        "AssignTNLeasesToSIPConnection",
        client.assign_tn_leases_to_sip_connection(ID, &request::<types::TnLeasesAssignParams>("TNLeasesAssignParams"))
    );
    call!("GetSIPConnectionProductsList", client.get_sip_connection_products_list());
    call!("SendSMS", client.send_sms(&request::<types::SmsNewParams>("SMSNewParams")));
    call!("GetSMSByUUID", client.get_sms_by_uuid(ID));
    call!("GetSMSIByUUID", client.get_smsi_by_uuid(ID));
    call!(
        "SearchOutboundSMS",
        client.search_outbound_sms(
            types::SearchOutboundSmsQuery::new(),
            &request::<types::SmsSearchParams>("SMSSearchParams")
        )
    );
    call!(
        "SearchInboundSMS",
        client.search_inbound_sms(
            types::SearchInboundSmsQuery::new(),
            &request::<types::SmsiSearchParams>("SMSISearchParams")
        )
    );
    call!(
        "SearchSMS",
        client.search_sms(types::SearchSmsQuery::new(), &request::<types::SmsismsSearchParams>("SMSISMSSearchParams"))
    );
    call!("ListMessagingProfiles", client.list_messaging_profiles());
    call!(
        "CreateMessagingProfile",
        client.create_messaging_profile(&request::<types::MessagingProfileNewParams>("MessagingProfileNewParams"))
    );
    call!("GetMessagingProfileByUUID", client.get_messaging_profile_by_uuid(ID));
    call!("RemoveMessagingProfileByUUID", client.remove_messaging_profile_by_uuid(ID));
    call!(
        "ModifyMessagingProfile",
        client.modify_messaging_profile(
            ID,
            &request::<types::MessagingProfileUpdateParams>("MessagingProfileUpdateParams")
        )
    );
    call!("GetMessagingProfileLeasesByUUID", client.get_messaging_profile_leases_by_uuid(ID));
    call!("CreateToken", client.create_token(&request::<types::TokenNewParams>("TokenNewParams")));
    call!("GetTokenList", client.get_token_list());
    call!("GetAccount", client.get_account());
    call!("GetAccountByUUID", client.get_account_by_uuid(ID));
    call!("GetUsersByAccount", client.get_users_by_account());
    call!("AddUserToAccount", client.add_user_to_account(&request::<types::UserNewParams>("UserNewParams")));
    call!("DeactivateUserAccountByUUID", client.deactivate_user_account_by_uuid(ID));
    call!("GetCurrentUser", client.get_current_user());
    call!("CreateUser", client.create_user(&request::<types::UserNewParams>("UserNewParamsWithAccount")));
    call!("GetUserByUUID", client.get_user_by_uuid(ID));
    call!("UpdateUserByUUID", client.update_user_by_uuid(ID, &request::<types::UserUpdateParams>("UserUpdateParams")));
    call!("CreateAddress", client.create_address(&request::<types::AddressNewParams>("AddressNewParams")));
    call!("GetAddressListByAccount", client.get_address_list_by_account());
    call!("GetAddressListByUser", client.get_address_list_by_user());
    call!("GetAddress", client.get_address(ID));
    call!("RemoveAddressByUUID", client.remove_address_by_uuid(ID));
    call!("UpdateAddress", client.update_address(ID, &request::<types::AddressUpdateParams>("AddressUpdateParams")));
    call!("ListPayments", client.list_payments());
    call!("CreatePayment", client.create_payment(&request::<types::PaymentNewParams>("PaymentNewParams")));
    call!("GetPaymentByUUID", client.get_payment_by_uuid(ID));
    call!(
        "SearchTransactions",
        client.search_transactions(
            types::SearchTransactionsQuery::new(),
            &request::<types::TransactionSearchParams>("TransactionSearchParams")
        )
    );
    call!("GetTransactionByUUID", client.get_transaction_by_uuid(ID));
    call!(
        "GetTransactionInvoiceReport",
        client.get_transaction_invoice_report(types::GetTransactionInvoiceReportQuery::new())
    );
    call!(
        "GetTransactionDashboardReport",
        client.get_transaction_dashboard_report(
            types::ETransactionReferenceType::Payment,
            types::GetTransactionDashboardReportQuery::new()
        )
    );
    call!("UpdatePayment", client.update_payment(ID));
    call!("Auth", client.auth());
    call!("RemoveAll", client.remove_all());
    call!("DeleteUserByUUID", client.delete_user_by_uuid(ID));
    call!("ReactivateUserAccountByUUID", client.reactivate_user_account_by_uuid(ID));
    call!("GetTechPrefixRoute", client.get_tech_prefix_route("12025550143", "acme.sip.opentact.org"));
    call!("GetSIPControlAppStaticCallFlow", client.get_sip_control_app_static_call_flow(ID));
    call!("SaveSIPControlAppStaticCallFlow", client.save_sip_control_app_static_call_flow(&ID.to_string(), xml()));
    call!("RemoveSIPControlAppStaticCallFlow", client.remove_sip_control_app_static_call_flow(ID));
    call!("ListDictTimeZone", client.list_dict_time_zone());
    call!("ListDictGTTSVoices", client.list_dict_gtts_voices());
    call!("ListDictCountry", client.list_dict_country());
    call!("GetSettings", client.get_settings());
    call!("ListSIPDomains", client.list_sip_domains());
    call!("CreateSIPDomain", client.create_sip_domain(&request::<types::SipDomainNewParams>("SIPDomainNewParams")));
    call!("GetSIPDomainByDomainName", client.get_sip_domain_by_domain_name("acme.sip.opentact.org"));
    call!("RemoveSIPDomainByDomainName", client.remove_sip_domain_by_domain_name("acme.sip.opentact.org"));
    call!(
        "ModifySIPDomainByDomainName",
        client.modify_sip_domain_by_domain_name(
            "acme.sip.opentact.org",
            &request::<types::SipDomainUpdateParams>("SIPDomainUpdateParams")
        )
    );
    call!("ListSIPSwitchesBySIPDomainUUID", client.list_sip_switches_by_sip_domain_uuid("acme.sip.opentact.org"));
    call!(
        "CreateSIPSwitch",
        client.create_sip_switch("acme.sip.opentact.org", &request::<types::SipSwitchNewParams>("SIPSwitchNewParams"))
    );
    call!("GetSIPSwitchByUUID", client.get_sip_switch_by_uuid("acme.sip.opentact.org", ID));
    call!("RemoveSIPSwitchByUUID", client.remove_sip_switch_by_uuid("acme.sip.opentact.org", ID));
    call!(
        "ModifySIPSwitch",
        client.modify_sip_switch(
            "acme.sip.opentact.org",
            ID,
            &request::<types::SipSwitchUpdateParams>("SIPSwitchUpdateParams")
        )
    );
    call!("ListSIPUsersBySIPDomainUUID", client.list_sip_users_by_sip_domain_uuid("acme.sip.opentact.org"));
    call!(
        "CreateSIPUser",
        client.create_sip_user("acme.sip.opentact.org", &request::<types::SipUserNewParams>("SIPUserNewParams"))
    );
    call!("GetSIPUserByUUID", client.get_sip_user_by_uuid("acme.sip.opentact.org", ID));
    call!("RemoveSIPUserByUUID", client.remove_sip_user_by_uuid("acme.sip.opentact.org", ID));
    call!(
        "ModifySIPUser",
        client.modify_sip_user(
            "acme.sip.opentact.org",
            ID,
            &request::<types::SipUserUpdateParams>("SIPUserUpdateParams")
        )
    );
    call!("ListSIPUserInvites", client.list_sip_user_invites("acme.sip.opentact.org"));
    call!(
        "CreateSIPUserInvite",
        client.create_sip_user_invite(
            "acme.sip.opentact.org",
            &request::<types::SipUserInviteNewParams>("SIPUserInviteNewParams")
        )
    );
    call!("RemoveSIPUserInviteByUUID", client.remove_sip_user_invite_by_uuid("acme.sip.opentact.org", ID));
    call!(
        "ModifySIPUserInvite",
        client.modify_sip_user_invite(
            "acme.sip.opentact.org",
            ID,
            &request::<types::SipUserInviteUpdateParams>("SIPUserInviteUpdateParams")
        )
    );
    call!(
        "SearchCallFlowLogs",
        client.search_call_flow_logs(
            ID,
            types::SearchCallFlowLogsQuery::new(),
            &request::<types::LogCallFlowSearchParams>("LogCallFlowSearchParams")
        )
    );
    call!("GetSIPControlAppCallsList", client.get_sip_control_app_calls_list());
    call!(
        "SearchSCACalls",
        client.search_sca_calls(
            types::SearchScaCallsQuery::new(),
            &request::<types::SipControlAppCallSearchParams>("SIPControlAppCallSearchParams")
        )
    );
    call!("RemoveByTokenString", client.remove_by_token_string("9f2c4e1a7b3d4f6e8a0c2e4f6a8b0c2d"));
    call!("ModifyToken", client.modify_token(ID, &request::<types::TokenUpdateParams>("TokenUpdateParams")));
    outcomes
}

async fn assert_clean_pass(prism: &Prism, dynamic: bool) {
    let started = Instant::now();
    // `Auth` logs in with HTTP Basic; every other operation sends the token.
    let mut builder = client_builder(prism.base_url.as_str()).login("maria.lopez@acme.example", "correct horse");
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

    // The customer's job (search, order, wait, route, SMS, send) runs against the mock, every
    // request validated by Prism.
    let before = prism.violations().len();
    let output = std::process::Command::new(env!("CARGO"))
        .current_dir(workspace_root())
        .args(["run", "--quiet", "--package", "opentact-client", "--example", "first_number", "--", "212%"])
        .env("OPENTACT_BASE_URL", &prism.base_url)
        .env("OPENTACT_TOKEN", TOKEN)
        .env("SIP_CONNECTION", APP.to_string())
        .env("MESSAGING_PROFILE", APP.to_string())
        .env("SMS_CAMPAIGN", APP.to_string())
        .env("SEND_TO", "12025550111")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "first_number failed: {}{}", stdout, String::from_utf8_lossy(&output.stderr));
    for step in
        ["found +", "ordered: order", "succeeded", "routes to SIP connection", "SMS enabled on +", "sent message"]
    {
        assert!(stdout.contains(step), "no {step:?} in:\n{stdout}");
    }
    assert_eq!(prism.violations()[before..], [] as [String; 0], "the journey sent an invalid request");

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
