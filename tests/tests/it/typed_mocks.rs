//! What users of the crate get with the `mock` feature: typed httpmock helpers, one per
//! operation, to mock the Opentact API in their own tests. A test names the payload (or the
//! error) it wants; the helpers write the `{success, payload}` envelope.

use httpmock::MockServer;
use opentact_client::mock::MockServerExt;
use opentact_client::{Error, types};
use opentact_tests::client;
use opentact_tests::ids::APP;

#[tokio::test]
async fn a_user_mocks_two_operations_with_typed_helpers() {
    let server = MockServer::start_async().await;
    let mut app = types::SipControlApp::default();
    app.uuid = Some(APP);
    app.name = Some("Support line".into());

    let apps = vec![app.clone()];
    let list = server.list_sip_control_apps(|_, then| {
        then.ok(&apps);
    });
    let get = server.get_sip_control_app_by_uuid(|when, then| {
        when.uuid(&APP);
        then.ok(&app);
    });

    let client = client(server.base_url());
    assert_eq!(client.list_sip_control_apps().await.unwrap(), apps);
    assert_eq!(client.get_sip_control_app_by_uuid(APP).await.unwrap(), app);
    list.assert_async().await;
    get.assert_async().await;
}

#[tokio::test]
async fn a_user_mocks_an_api_error_by_status_and_message() {
    let server = MockServer::start_async().await;
    let order = server.create_tn_order(|_, then| {
        then.api_error(402, "Not enough account balance");
    });

    let client = client(server.base_url());
    let error = client
        .create_tn_order(
            types::TnOrderNewParams::builder().items([types::TnOrderItemNewParams::builder().tn(12_025_550_143)]),
        )
        .await
        .unwrap_err();
    let Error::Api(api) = error else { panic!("expected an API error, got {error:?}") };
    assert_eq!(api.status.as_u16(), 402);
    assert_eq!(api.message, "Not enough account balance");
    assert_eq!(api.server_status, Some(402));
    order.assert_async().await;
}
