//! Prices a telephone number order, then places it only when `ORDER=yes` (ordering costs money).
//!
//! ```sh
//! OPENTACT_TOKEN=... cargo run -p opentact-client --example order_number -- 12025550143
//! ```

use opentact_client::{Client, types};

#[tokio::main]
async fn main() -> opentact_client::Result<()> {
    let number: i64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(12_025_550_143);
    let client = Client::from_env()?;

    // A missing or invalid field is an `Error::InvalidRequest`, before anything is sent.
    let order: types::TnOrderNewParams = types::TnOrderNewParams::builder()
        .items([types::TnOrderItemNewParams::builder().tn(number).voice(true).sms(true)])
        .try_into()?;

    let price = client.get_order_price(&order).await?;
    let show = |n: &Option<opentact_client::FlexibleNumber>| n.as_ref().map_or("?".to_string(), |n| n.to_string());
    println!("+{number}: {} now, {} a month", show(&price.nrc), show(&price.mrc));

    if std::env::var("ORDER").as_deref() != Ok("yes") {
        println!("set ORDER=yes to place the order");
        return Ok(());
    }
    // Never retried on a timeout (a second attempt could order the number twice); a request id
    // lets Opentact's support find this very call.
    let request_id = format!("order-{number}");
    let placed = client.with_options(|o| o.header("x-request-id", &request_id)).create_tn_order(&order).await?;
    println!(
        "order {} is {}",
        placed.uuid.map(|u| u.to_string()).unwrap_or_default(),
        placed.state.map(|s| s.to_string()).unwrap_or_default()
    );
    Ok(())
}
