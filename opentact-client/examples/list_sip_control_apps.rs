//! Lists the SIP control apps of the account.
//!
//! ```sh
//! OPENTACT_TOKEN=... cargo run -p opentact-client --example list_sip_control_apps
//! # against a local mock (`cargo xtask mock` prints the URL):
//! OPENTACT_BASE_URL=http://127.0.0.1:4010 OPENTACT_TOKEN=any cargo run -p opentact-client --example list_sip_control_apps
//! ```

use std::time::Duration;

use opentact_client::Client;

#[tokio::main]
async fn main() -> opentact_client::Result<()> {
    let client = Client::from_env()?;
    // A long list may take a while: this call waits up to two minutes (the client's default is 30 s).
    let apps = client.with_options(|o| o.timeout(Duration::from_secs(120))).list_sip_control_apps().await?;
    println!("{} SIP control app(s) at {}", apps.len(), client.base_url());
    for app in apps {
        let uuid = app.uuid.map(|u| u.to_string()).unwrap_or_else(|| "?".into());
        let name = app.name.as_deref().unwrap_or("(unnamed)");
        let call_flow = app.call_flow_url.as_deref().unwrap_or("no call flow");
        println!("{uuid}  {name}  {call_flow}");
    }
    Ok(())
}
