//! The job a customer comes for, end to end: find a number, order it, wait for the order,
//! point the number at a SIP connection, turn on SMS and send a first message.
//!
//! Ordering and sending cost money, so this refuses to run against production: point it at the
//! mock (`cargo xtask mock` in another terminal) or at the stage server.
//!
//! ```sh
//! OPENTACT_BASE_URL=http://127.0.0.1:41235 OPENTACT_TOKEN=any \
//!   SIP_CONNECTION=... MESSAGING_PROFILE=... SMS_CAMPAIGN=... SEND_TO=12025550111 \
//!   cargo run -p opentact-client --example first_number -- '212%'
//! ```
//!
//! Against the mock, the ids may be any UUIDs: the mock checks their shape, not that they exist.

use std::time::Duration;

use opentact_client::types::{self, ETnOrderState};
use opentact_client::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let pattern = std::env::args().nth(1).unwrap_or_else(|| "212%".to_string());
    let var = |name: &str| std::env::var(name).map_err(|_| format!("set {name}"));
    let base_url =
        var("OPENTACT_BASE_URL").map_err(|_| "set OPENTACT_BASE_URL (the mock or stage): this spends money")?;
    if base_url.contains("api.opentact.org") {
        return Err("refusing to order and send against production".into());
    }
    let sip_connection: uuid::Uuid = var("SIP_CONNECTION")?.parse()?;
    let messaging_profile: uuid::Uuid = var("MESSAGING_PROFILE")?.parse()?;
    let sms_campaign: uuid::Uuid = var("SMS_CAMPAIGN")?.parse()?;
    let send_to = var("SEND_TO")?;
    let client = Client::from_env()?;

    // 1. Find a number: the first page of numbers matching the pattern.
    let page = client
        .search(types::SearchQuery::new().page(1).size(10), types::TnSearchParams::builder().pattern(pattern.as_str()))
        .await?;
    let tn = page.data.iter().find_map(|n| n.tn).ok_or("no number matches the pattern")?;
    println!("found +{tn} ({} match)", page.total.unwrap_or(page.data.len() as i64));

    // 2. Order it with voice and SMS.
    let order = client
        .create_tn_order(
            types::TnOrderNewParams::builder()
                .items([types::TnOrderItemNewParams::builder().tn(tn).voice(true).sms(true)]),
        )
        .await?;
    let order_id = order.uuid.ok_or("the order came back without a uuid")?;
    println!("ordered: order {order_id}");

    // 3. Wait for the order: it is processed asynchronously.
    let mut state = order.state;
    for _ in 0..10 {
        if matches!(state, Some(ETnOrderState::Success | ETnOrderState::Failed)) {
            break;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
        state = client.get_order_by_uuid(order_id).await?.state;
    }
    match state {
        Some(ETnOrderState::Success) => println!("order {order_id} succeeded"),
        other => return Err(format!("order {order_id} did not succeed: {other:?}").into()),
    }

    // 4. The number's lease, assigned to the SIP connection that will carry its calls.
    let lease = client.get_tn_lease_route_by_tn(&tn.to_string()).await?;
    let lease_id = lease.uuid.ok_or("the lease came back without a uuid")?;
    client
        .assign_tn_leases_to_sip_connection(sip_connection, types::TnLeasesAssignParams::builder().add([lease_id]))
        .await?;
    println!("lease {lease_id} routes to SIP connection {sip_connection}");

    // 5. SMS on the number, through a messaging profile and campaign.
    let sms = types::TnLeaseSmsSubscriptionNewParams::builder()
        .messaging_profile(messaging_profile)
        .sms_campaign(sms_campaign);
    client.enable_sms_on_number(&tn.to_string(), sms).await?;
    println!("SMS enabled on +{tn}");

    // 6. The first message. A 402 (no balance) is an `Error::Api` with the service's message.
    let message = types::SmsNewParams::builder().to(send_to.as_str()).tn(tn).message("Hello from Rust");
    match client.send_sms(message).await {
        Ok(sent) => println!("sent message {}", sent.uuid.map(|u| u.to_string()).unwrap_or_default()),
        Err(Error::Api(api)) => {
            return Err(format!("{} failed ({}): {}", api.operation, api.status, api.message).into());
        }
        Err(other) => return Err(other.into()),
    }
    Ok(())
}
