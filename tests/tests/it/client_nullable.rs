//! Fields that can be sent as `null` (`Option<Nullable<_>>`): on the wire, `null` is in a PATCH
//! body only when the caller asked for it with `clear_<field>()`; `set_<field>(None)` and an
//! unset field leave it out, and a value is sent as itself.

use opentact_client::{Nullable, types};
use opentact_tests::client;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const LEASE: &str = "4a5b6c7d-8e9f-4a0b-9c1d-2e3f4a5b6c7d";
const CONNECTION: &str = "5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f";

/// The JSON bodies of the requests the server got, in order.
async fn bodies(server: &MockServer) -> Vec<Value> {
    let requests = server.received_requests().await.unwrap_or_default();
    requests.iter().map(|r| serde_json::from_slice(&r.body).expect("a JSON body")).collect()
}

#[tokio::test]
async fn null_is_sent_only_when_asked_for() {
    let server = MockServer::start().await;
    let lease = json!({"uuid": LEASE, "autorenew": false});
    Mock::given(method("PATCH"))
        .and(path(format!("/lease/tn/{LEASE}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true, "payload": lease})))
        .mount(&server)
        .await;
    let client = client(server.uri());
    let uuid = LEASE.parse().unwrap();
    let connection: uuid::Uuid = CONNECTION.parse().unwrap();
    let update = types::TnLeaseUpdateParams::builder;

    let cleared = client.modify_tn_lease(uuid, update().clear_sip_connection().autorenew(false)).await.unwrap();
    assert_eq!(cleared.uuid, Some(uuid), "the answer decodes");
    client.modify_tn_lease(uuid, update().set_sip_connection(None).autorenew(false)).await.unwrap();
    client.modify_tn_lease(uuid, update().autorenew(false)).await.unwrap();
    client.modify_tn_lease(uuid, update().sip_connection(connection)).await.unwrap();
    client.modify_tn_lease(uuid, update().set_sip_connection(Some(connection))).await.unwrap();
    // The last setter wins: a value, then a clear, sends null.
    client.modify_tn_lease(uuid, update().sip_connection(connection).clear_sip_connection()).await.unwrap();

    assert_eq!(
        bodies(&server).await,
        [
            json!({"sip_connection": null, "autorenew": false}),
            json!({"autorenew": false}),
            json!({"autorenew": false}),
            json!({"sip_connection": CONNECTION}),
            json!({"sip_connection": CONNECTION}),
            json!({"sip_connection": null}),
        ]
    );
}

/// A struct literal says the same three things, and reading one back keeps `null` apart from
/// absent (a typed mock or a test that decodes a request body sees what was sent).
#[test]
fn the_type_keeps_absent_null_and_a_value_apart() {
    let connection: uuid::Uuid = CONNECTION.parse().unwrap();
    for (sip_connection, wire) in [
        (None, json!({})),
        (Some(Nullable::Null), json!({"sip_connection": null})),
        (Some(Nullable::Value(connection)), json!({"sip_connection": CONNECTION})),
    ] {
        let update = types::TnLeaseUpdateParams { sip_connection, ..Default::default() };
        assert_eq!(serde_json::to_value(&update).unwrap(), wire);
        assert_eq!(serde_json::from_value::<types::TnLeaseUpdateParams>(wire).unwrap(), update);
    }
}
