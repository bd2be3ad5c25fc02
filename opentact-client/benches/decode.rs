//! Prints decode figures for a ~10 MB list of TN leases (the hostile-size case of the tests):
//! the typed, lenient decode against a plain `serde_json::Value` parse of the same bytes, as a
//! ratio measured in one run, plus the in-memory size of the largest entities.
//!
//! `cargo bench -p opentact-client --bench decode`

use std::hint::black_box;
use std::time::Instant;

use opentact_client::types;
use serde_json::json;

fn main() {
    let lease = json!({
        "uuid": "0b7a4c3e-5d2f-4e8a-9c1b-7f6e5d4c3b2a",
        "created_on": "2026-01-12T10:04:31Z",
        "expired_on": "2027-01-12T10:04:31.120Z",
        "autorenew": true,
        "tn": {"tn": 12025550143_i64, "registered": true, "profile": {"name": "US", "nrc": "1.00", "mrc": 1.5}},
        "account": {"name": "Acme Telecom", "level": "Level1", "balance": "125.40", "users": []},
        "tnorder": {"state": "success", "price": {"nrc": 1, "mrc": "1.50", "items": []}},
        "sip_control_app": {"name": "Support line", "webhook_method": "GET", "class4_egress_trunk_settings": {"rate_decimal": "6", "media_type": "Bypass Media"}},
        "created_by": {"email": "maria.lopez@acme.example", "role": "Admin", "gender": "Agender"}
    });
    let count = 10 * 1024 * 1024 / lease.to_string().len() + 1;
    let body = json!({"success": true, "payload": vec![lease; count]}).to_string();
    let mb = body.len() as f64 / (1024.0 * 1024.0);

    let rounds = 5;
    let time = |f: &dyn Fn()| {
        f(); // warm up
        let start = Instant::now();
        for _ in 0..rounds {
            f();
        }
        start.elapsed().as_secs_f64() / rounds as f64
    };
    let typed = time(&|| {
        black_box(serde_json::from_slice::<types::TnLeasesResponse>(body.as_bytes()).unwrap());
    });
    let untyped = time(&|| {
        black_box(serde_json::from_slice::<serde_json::Value>(body.as_bytes()).unwrap());
    });
    println!("body: {mb:.1} MiB, {count} TN leases");
    println!("typed decode:    {:.1} ms ({:.0} MiB/s)", typed * 1e3, mb / typed);
    println!("serde_json::Value: {:.1} ms ({:.0} MiB/s)", untyped * 1e3, mb / untyped);
    println!("typed / Value time ratio: {:.2}", typed / untyped);
    println!(
        "size_of: TnLease {} B, OutboundVoiceProfile {} B, TnOrder {} B, SipControlApp {} B",
        std::mem::size_of::<types::TnLease>(),
        std::mem::size_of::<types::OutboundVoiceProfile>(),
        std::mem::size_of::<types::TnOrder>(),
        std::mem::size_of::<types::SipControlApp>()
    );
}
