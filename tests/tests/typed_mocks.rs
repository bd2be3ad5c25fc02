//! What users of the crate get with the `mock` feature: typed httpmock helpers, one per
//! operation, to mock the Opentact API in their own tests.

use httpmock::MockServer;
use opentact_client::mock::MockServerExt;
use opentact_client::{Client, Server, types};

#[tokio::test]
async fn a_user_mocks_two_operations_with_typed_helpers() {
    let server = MockServer::start_async().await;
    let app_id = uuid::Uuid::parse_str("1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a").unwrap();
    let app: types::SipControlApp =
        types::SipControlApp::builder().uuid(Some(app_id)).name(Some("Support line".to_string())).try_into().unwrap();

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
        when.uuid(&app_id);
        then.ok(&types::SipControlAppResponse {
            success: true,
            payload: Some(Box::new(app.clone())),
            message: None,
            status: None,
        });
    });

    let client = Client::builder().server(Server::Custom(server.base_url())).token("test").build().unwrap();
    assert_eq!(client.list_sip_control_apps().await.unwrap(), vec![app.clone()]);
    assert_eq!(client.get_sip_control_app_by_uuid(app_id).await.unwrap(), app);
    list.assert_async().await;
    get.assert_async().await;
}
