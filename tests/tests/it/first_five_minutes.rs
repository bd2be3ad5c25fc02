//! The program of issue 11 ("a client that reads like the docs"), unchanged, run against the
//! crate's typed httpmock helpers: plain-value builders, builders passed straight to calls,
//! `try_into()?` in a function returning `opentact_client::Result`, and per-call options.
//! The mocks check what reaches the wire, so the builder's plain values are seen as JSON.

use std::time::Duration;

use httpmock::MockServer;
use opentact_client::mock::MockServerExt;
use opentact_client::{Client, Error, RetryPolicy, types};
use opentact_tests::client;
use opentact_tests::ids::PROFILE;
use serde_json::json;

// --- the program, verbatim -------------------------------------------------------
#[rustfmt::skip]
async fn first_five_minutes(client: &Client) -> opentact_client::Result<()> {
    // optional fields take plain values; the builder goes straight into the call
    let profile = client
        .create_outbound_voice_profile(
            types::OutboundVoiceProfileNewParams::builder()
                .name("Outbound US")
                .tech_prefix(482_913)
                .channel_limit(20)
                .max_rate(0.05)
                .record_calls(types::EVoiceRecordCallType::AllCalls)
                .filemat(types::EVoiceRecordCallFileType::Mp3),
        )
        .await?;
    println!("{:?}", profile.uuid);

    // an invalid builder is an error of the crate, not a panic and not a string
    let bad = client.get_order_price(types::TnOrderNewParams::builder()).await;
    assert!(matches!(bad, Err(Error::InvalidRequest(_))));

    // a finished value still works, by value or by reference
    let order: types::TnOrderNewParams = types::TnOrderNewParams::builder().items([types::TnOrderItemNewParams::builder().tn(12_025_550_143).voice(true)]).try_into()?;
    let price = client.get_order_price(&order).await?;
    println!("{:?}", price.mrc);

    // per-call options: a cheap view of the same client
    let patient = client.with_options(|o| o.timeout(Duration::from_secs(120)).retry(RetryPolicy::none()));
    let _apps = patient.list_sip_control_apps().await?;
    Ok(())
}
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_first_five_minutes_program_runs_against_the_typed_mock() {
    let server = MockServer::start_async().await;
    // Response types are #[non_exhaustive] with public fields and `Default`: a fake answer is
    // the default with the fields the test cares about set.
    let mut created = types::OutboundVoiceProfile::default();
    created.uuid = Some(PROFILE);
    created.name = Some("Outbound US".into());
    let price: types::TnOrderPrice = serde_json::from_value(json!({"nrc": 1.5, "mrc": "0.75"})).unwrap();
    let mut app = types::SipControlApp::default();
    app.name = Some("Support line".into());

    // The plain values reach the wire as the spec's JSON (an integer literal for a `number`
    // field is sent as a number, the enums as their wire values).
    let create = server.create_outbound_voice_profile(|when, then| {
        when.into_inner().json_body(json!({
            "name": "Outbound US",
            "tech_prefix": 482_913,
            "channel_limit": 20.0,
            "max_rate": 0.05,
            "record_calls": 1,
            "filemat": "mp3",
        }));
        then.created(&created);
    });
    let order = server.get_order_price(|when, then| {
        when.into_inner().json_body_includes(json!({"items": [{"tn": 12_025_550_143_i64, "voice": true}]}).to_string());
        then.ok(&price);
    });
    let list = server.list_sip_control_apps(|_, then| {
        then.ok(&[app]);
    });

    first_five_minutes(&client(server.base_url())).await.unwrap();

    create.assert_async().await;
    // Once: the invalid builder sent nothing.
    order.assert_calls_async(1).await;
    list.assert_async().await;
}

/// The control: an empty order builder names the missing field, and is never sent.
#[tokio::test]
async fn an_invalid_builder_is_an_invalid_request_naming_the_field_and_nothing_is_sent() {
    let server = MockServer::start_async().await;
    let order = server.get_order_price(|_, then| {
        then.api_error(500, "must not be reached");
    });
    let client = client(server.base_url());

    let error = client.get_order_price(types::TnOrderNewParams::builder()).await.unwrap_err();
    let Error::InvalidRequest(invalid) = &error else { panic!("expected InvalidRequest, got {error:?}") };
    assert_eq!(invalid.operation, Some("GetOrderPrice"));
    assert_eq!(invalid.violations.len(), 1, "{:?}", invalid.violations);
    assert_eq!(invalid.violations[0].field, "/items");
    assert_eq!(invalid.violations[0].problem, "is required");
    assert_eq!(error.to_string(), "GetOrderPrice was not sent: invalid request: /items is required");

    // Every field that failed is named, by its name on the wire.
    let error = client
        .create_sip_control_app(types::SipControlAppNewParams::builder().name("").webhook_url("ftp://x"))
        .await
        .unwrap_err();
    let Error::InvalidRequest(invalid) = &error else { panic!("expected InvalidRequest, got {error:?}") };
    assert_eq!(invalid.violations.len(), 1, "{:?}", invalid.violations);
    assert_eq!(invalid.violations[0].field, "/name");

    order.assert_calls_async(0).await;
}

/// `try_into()?` of a builder outside a call is this crate's error too.
#[test]
fn try_into_a_body_outside_a_call_is_an_invalid_request() {
    fn build() -> opentact_client::Result<types::TnOrderNewParams> {
        Ok(types::TnOrderNewParams::builder().try_into()?)
    }
    let error = build().unwrap_err();
    assert!(matches!(&error, Error::InvalidRequest(invalid) if invalid.operation.is_none()), "{error:?}");
    assert!(error.to_string().contains("items"), "{error}");
}

/// The README's table says which JSON bodies its example's builders send; so they do.
#[test]
fn the_readme_table_shows_the_bodies_the_builders_send() {
    let readme = std::fs::read_to_string(opentact_tests::workspace_root().join("README.md")).unwrap();
    let body_in_row = |needle: &str| -> serde_json::Value {
        let row = readme
            .lines()
            .find(|l| l.starts_with('|') && l.contains(needle))
            .unwrap_or_else(|| panic!("no row {needle}"));
        let json = row.split('`').find(|cell| cell.starts_with('{')).unwrap_or_else(|| panic!("no JSON in {row}"));
        serde_json::from_str(json).unwrap()
    };
    let order: types::TnOrderNewParams = types::TnOrderNewParams::builder()
        .items([types::TnOrderItemNewParams::builder().tn(12_025_550_143).voice(true)])
        .try_into()
        .unwrap();
    assert_eq!(serde_json::to_value(&order).unwrap(), body_in_row("TnOrderNewParams::builder().items"));
    let profile: types::OutboundVoiceProfileNewParams =
        types::OutboundVoiceProfileNewParams::builder().name("Outbound US").tech_prefix(482_913).try_into().unwrap();
    assert_eq!(serde_json::to_value(&profile).unwrap(), body_in_row(".create_outbound_voice_profile("));
}
