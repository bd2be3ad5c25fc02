//! Lists the SIP control apps of the account.
//!
//! ```sh
//! OPENTACT_TOKEN=... cargo run -p opentact-client --example list_sip_control_apps
//! # against a local mock (`cargo xtask mock` prints the URL):
//! OPENTACT_BASE_URL=http://127.0.0.1:4010 OPENTACT_TOKEN=any cargo run -p opentact-client --example list_sip_control_apps
//! ```

#[tokio::main]
async fn main() -> opentact_client::Result<()> {
    let client = opentact_client::Client::from_env()?;
    let apps = client.list_sip_control_apps().await?;
    println!("{} SIP control app(s) at {}", apps.len(), client.base_url());
    for app in apps {
        let uuid = app.uuid.map(|u| u.to_string()).unwrap_or_else(|| "?".into());
        let name = app.name.as_deref().unwrap_or("(unnamed)");
        let call_flow = app.call_flow_url.as_deref().unwrap_or("no call flow");
        println!("{uuid}  {name}  {call_flow}");
    }
    Ok(())
}
