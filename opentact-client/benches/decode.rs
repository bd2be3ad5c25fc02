//! Decode throughput, allocations and drop time of list responses: the client's generated
//! types against `serde_json::Value` and minimal hand-written structs (TN leases), on lists
//! of 100, 1 000 and 10 000 documented TN leases and of 1 000 of each other entity.
//!
//! `cargo bench -p opentact-client --bench decode [-- --quick] [-- --json <path>]`
//! (`cargo xtask bench` adds openapi-generator's models to the same table.)

#[macro_use]
mod support;

fn main() {
    let settings = support::Settings::from_args();
    let figures = support::run_decode(&settings, &support::standard_decoders());
    settings.write_json(&figures);
    println!(
        "size_of: TnLease {} B, User {} B, Account {} B, SipControlApp {} B",
        size_of::<opentact_client::types::TnLease>(),
        size_of::<opentact_client::types::User>(),
        size_of::<opentact_client::types::Account>(),
        size_of::<opentact_client::types::SipControlApp>()
    );
}
