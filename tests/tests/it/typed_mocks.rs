//! What users of the crate get with the `mock` feature: typed httpmock helpers, one per
//! operation, to mock the Opentact API in their own tests.

use httpmock::MockServer;
use opentact_client::mock::MockServerExt;
use opentact_client::types;
use opentact_tests::client;
use opentact_tests::ids::APP;

#[tokio::test]
async fn a_user_mocks_two_operations_with_typed_helpers() {
    let server = MockServer::start_async().await;
    let app: types::SipControlApp =
        types::SipControlApp::builder().uuid(Some(APP)).name(Some("Support line".to_string())).try_into().unwrap();

    let list = server.list_sip_control_apps(|when, then| {
        let _ = when;
        then.ok(&types::SipControlAppsResponse {
            success: true,
            payload: vec![app.clone()],
            message: None,
            status: None,
        });
    });
    let get = server.get_sip_control_app_by_uuid(|when, then| {
        when.uuid(&APP);
        then.ok(&types::SipControlAppResponse {
            success: true,
            payload: Some(Box::new(app.clone())),
            message: None,
            status: None,
        });
    });

    let client = client(server.base_url());
    assert_eq!(client.list_sip_control_apps().await.unwrap(), vec![app.clone()]);
    assert_eq!(client.get_sip_control_app_by_uuid(APP).await.unwrap(), app);
    list.assert_async().await;
    get.assert_async().await;
}
