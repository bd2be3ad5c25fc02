//! Fuzz target: every envelope decoder of the client on mutated documented payloads, arbitrary
//! JSON and mutated bytes, on a 2 MiB stack (tokio's worker threads).

use std::sync::{Arc, Mutex};
use std::time::Instant;

use opentact_client::types;
use opentact_tests::{spec_path, workspace_root};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use super::{Budget, NASTY, keep, last_panic, pick, pointers, record_panics, regression_cases};

/// Cases of a `cargo test` run.
const DECODE_CASES: usize = 3000;

/// Calls `$check` with every envelope type the client decodes (the `Envelope` impls of the
/// generated facade; `envelope_list_is_complete` keeps this list in step with them).
macro_rules! for_each_envelope {
    ($check:ident, $($arg:expr),*) => {{
        $check::<types::OutboundVoiceProfilesResponse>($($arg),*);
        $check::<types::OutboundVoiceProfileResponse>($($arg),*);
        $check::<types::SipConnectionsResponse>($($arg),*);
        $check::<types::SipControlAppsResponse>($($arg),*);
        $check::<types::TnProfilesResponse>($($arg),*);
        $check::<types::TnSpecialPricesResponse>($($arg),*);
        $check::<types::TnProfileResponse>($($arg),*);
        $check::<types::SipControlAppResponse>($($arg),*);
        $check::<types::TnLeasesResponse>($($arg),*);
        $check::<types::SipControlAppCallResponse>($($arg),*);
        $check::<types::TnOrderResponse>($($arg),*);
        $check::<types::TnOrderPriceResponse>($($arg),*);
        $check::<types::TnOrdersResponse>($($arg),*);
        $check::<types::TransactionInvoiceReportResponse>($($arg),*);
        $check::<types::TNsPageResponse>($($arg),*);
        $check::<types::TnLeasesPageResponse>($($arg),*);
        $check::<types::TnLeaseResponse>($($arg),*);
        $check::<types::TnLeaseSubscriptionResponse>($($arg),*);
        $check::<types::TnOrdersPageResponse>($($arg),*);
        $check::<types::SipConnectionResponse>($($arg),*);
        $check::<types::SipProductsResponse>($($arg),*);
        $check::<types::SmsResponse>($($arg),*);
        $check::<types::SmsiResponse>($($arg),*);
        $check::<types::SmsPageResponse>($($arg),*);
        $check::<types::SmsiPageResponse>($($arg),*);
        $check::<types::SmsismsPageResponse>($($arg),*);
        $check::<types::MessagingProfilesResponse>($($arg),*);
        $check::<types::MessagingProfileResponse>($($arg),*);
        $check::<types::TokenResponse>($($arg),*);
        $check::<types::TokensResponse>($($arg),*);
        $check::<types::AccountResponse>($($arg),*);
        $check::<types::UsersResponse>($($arg),*);
        $check::<types::UserResponse>($($arg),*);
        $check::<types::AddressResponse>($($arg),*);
        $check::<types::AddressesResponse>($($arg),*);
        $check::<types::PaymentsResponse>($($arg),*);
        $check::<types::PaymentResponse>($($arg),*);
        $check::<types::TransactionsPageResponse>($($arg),*);
        $check::<types::TransactionResponse>($($arg),*);
        $check::<types::DictTimeZonesResponse>($($arg),*);
        $check::<types::DictgttsVoicesResponse>($($arg),*);
        $check::<types::DictCountriesResponse>($($arg),*);
        $check::<types::SettingsResponse>($($arg),*);
        $check::<types::SipDomainsResponse>($($arg),*);
        $check::<types::SipDomainResponse>($($arg),*);
        $check::<types::SipSwitchesResponse>($($arg),*);
        $check::<types::SipSwitchResponse>($($arg),*);
        $check::<types::SipUsersResponse>($($arg),*);
        $check::<types::SipUserResponse>($($arg),*);
        $check::<types::SipUserInvitesResponse>($($arg),*);
        $check::<types::SipUserInviteResponse>($($arg),*);
        $check::<types::LogCallFlowsPageResponse>($($arg),*);
        $check::<types::SipControlAppCallsResponse>($($arg),*);
        $check::<types::SipControlAppCallsPageResponse>($($arg),*);
        $check::<types::SipControlAppCallFlowResponse>($($arg),*);
        $check::<types::FreeFormResponse>($($arg),*);
        $check::<types::TransactionDashboardReportResponse>($($arg),*);
    }};
}

#[test]
fn envelope_list_is_complete() {
    let source =
        std::fs::read_to_string(workspace_root().join(opentact_codegen::GENERATED_DIR).join("operations.rs")).unwrap();
    let mut generated: Vec<String> = source
        .lines()
        .filter_map(|line| line.strip_prefix("impl crate::runtime::Envelope for types::"))
        .map(|rest| rest.trim_end_matches(" {").to_string())
        .collect();
    generated.sort();
    let mut listed = Vec::new();
    fn name<T>(listed: &mut Vec<String>) {
        listed.extend(std::any::type_name::<T>().rsplit("::").next().map(str::to_string));
    }
    for_each_envelope!(name, &mut listed);
    listed.sort();
    assert_eq!(listed, generated, "update for_each_envelope! in tests/tests/it/fuzz/decoders.rs");
}

/// The documented examples (`components/examples`): envelopes, payloads and error bodies.
pub(super) fn documented_examples() -> Vec<Value> {
    let spec = opentact_codegen::load(&spec_path()).unwrap();
    let examples = spec.json.pointer("/components/examples").and_then(Value::as_object).cloned().unwrap_or_default();
    let mut seeds: Vec<Value> = examples.values().filter_map(|e| e.get("value").cloned()).collect();
    // Payloads as the payload of a successful envelope too.
    let payloads: Vec<Value> = seeds.iter().filter_map(|s| s.get("payload").cloned()).collect();
    seeds.extend(payloads.iter().map(|p| json!({ "success": true, "payload": p })));
    seeds.extend(payloads.into_iter().map(|p| json!({ "success": false, "message": "no", "payload": p })));
    seeds
}

fn random_json(rng: &mut fastrand::Rng, depth: usize) -> Value {
    match rng.u8(..if depth > 4 { 6 } else { 8 }) {
        0 => Value::Null,
        1 => json!(rng.bool()),
        2 => json!(rng.i64(..)),
        3 => json!(rng.f64() * 10f64.powi(rng.i32(-300..300))),
        4 => json!(NASTY[rng.usize(..NASTY.len())]),
        5 => json!(["success", "payload", "message", "status", "uuid", "tn", "state"][rng.usize(..7)]),
        6 => Value::Array((0..rng.usize(..4)).map(|_| random_json(rng, depth + 1)).collect()),
        _ => {
            let keys = ["success", "payload", "message", "status", "uuid", "name", "tn", "state", "nrc", "mrc"];
            let map: Map<String, Value> = (0..rng.usize(..5))
                .map(|_| (keys[rng.usize(..keys.len())].to_string(), random_json(rng, depth + 1)))
                .collect();
            Value::Object(map)
        }
    }
}

/// One JSON-level mutation of a value.
fn mutate_json(rng: &mut fastrand::Rng, value: &mut Value) {
    let all = pointers(value);
    let Some(pointer) = pick(rng, &all).cloned() else {
        *value = random_json(rng, 0);
        return;
    };
    let Some(node) = value.pointer_mut(&pointer) else { return };
    *node = match rng.u8(..10) {
        0 => Value::Null,
        1 => random_json(rng, 0),
        2 => json!(node.to_string()), // a number or object as a string
        3 => match node {
            Value::String(s) => s.parse::<f64>().map_or(json!(0), |n| json!(n)),
            _ => json!(-1),
        },
        4 => json!(["", "unknown_state", "NaN", "-0", "1e999", "0.50", "9223372036854775808"][rng.usize(..7)]),
        5 => json!(u64::MAX),
        6 => json!(i64::MIN),
        7 => json!(f64::MAX),
        8 => json!([node.take()]),
        _ => json!({ "nested": node.take() }),
    };
}

/// One byte-level mutation of a serialised body.
fn mutate_bytes(rng: &mut fastrand::Rng, bytes: &mut Vec<u8>) {
    let at = rng.usize(..=bytes.len());
    match rng.u8(..10) {
        0 => bytes.truncate(at),
        1 => bytes.insert(at, rng.u8(..)),
        2 => bytes.splice(at..at, *b"\"\\ud800\"").for_each(drop), // a lone surrogate
        3 => bytes.splice(at..at, [0xff, 0xfe, 0xc0, 0x80]).for_each(drop), // invalid UTF-8
        4 => {
            // A duplicate key at the top level.
            if bytes.first() == Some(&b'{') {
                bytes.splice(1..1, *br#""success":false,"payload":null,"#).for_each(drop);
            }
        }
        5 => {
            let depth = rng.usize(100..=100_000);
            let (open, close) = if rng.bool() { ("[", "]") } else { ("{\"a\":", "}") };
            let nested = format!("{}1{}", open.repeat(depth), close.repeat(depth));
            bytes.splice(at..at, nested.into_bytes()).for_each(drop);
        }
        6 => {
            let number =
                ["1e999999", "-1e-999999", "123456789012345678901234567890", "-0", "0.0000000000000000001", "1E+2"]
                    [rng.usize(..6)];
            bytes.splice(at..at, number.bytes()).for_each(drop);
        }
        7 => bytes.splice(at..at, *b"\"\\u00\"").for_each(drop), // a broken escape
        8 => bytes.splice(..0, [0xef, 0xbb, 0xbf]).for_each(drop), // a byte order mark
        _ => bytes.extend_from_slice(b" trailing"),
    }
}

/// A fuzzed body: mostly mutated documented examples, sometimes arbitrary JSON or bytes.
pub(super) fn fuzzed_body(rng: &mut fastrand::Rng, seeds: &[Value]) -> Vec<u8> {
    let mut value = if rng.u8(..5) == 0 { random_json(rng, 0) } else { seeds[rng.usize(..seeds.len())].clone() };
    for _ in 0..rng.usize(..4) {
        mutate_json(rng, &mut value);
    }
    let mut bytes = serde_json::to_vec(&value).unwrap();
    if rng.u8(..3) == 0 {
        for _ in 0..rng.usize(1..=3) {
            mutate_bytes(rng, &mut bytes);
        }
    }
    bytes
}

/// Decodes `body` as `T` the way the raw client does, and again with path tracking the way
/// the error mapping does; neither may panic.
fn decode_as<T: DeserializeOwned>(body: &[u8], decoded: &mut usize) {
    if serde_json::from_slice::<T>(body).is_ok() {
        *decoded += 1;
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let _ = serde_path_to_error::deserialize::<_, T>(&mut deserializer);
}

/// Runs `check` on a thread with a 2 MiB stack (tokio's worker threads, where the client
/// decodes, have that much).
fn on_small_stack<R: Send + 'static>(check: impl FnOnce() -> R + Send + 'static) -> std::thread::Result<R> {
    std::thread::Builder::new().name("fuzz-decode".into()).stack_size(2 << 20).spawn(check).unwrap().join()
}

#[test]
fn every_decoder_survives_mutated_payloads() {
    record_panics();
    let budget = Budget::from_env("response decoders");
    let seeds = documented_examples();
    let mut failures = Vec::new();

    let regressions = regression_cases("responses");
    for (path, body) in &regressions {
        let body = body.clone();
        if on_small_stack(move || for_each_envelope!(decode_as, &body, &mut 0)).is_err() {
            failures.push(format!("regression case {}: panic: {}", path.display(), last_panic()));
        }
    }

    let started = Instant::now();
    let (mut case, mut decoded) = (0, 0);
    // Cases in batches, each batch on a fresh small-stack thread.
    while budget.more(case, DECODE_CASES) && failures.is_empty() {
        let batch: Vec<(usize, Vec<u8>)> =
            (case..case + 100).map(|c| (c, fuzzed_body(&mut budget.rng(c), &seeds))).collect();
        case += batch.len();
        let shared = Arc::new(Mutex::new(None::<(usize, Vec<u8>)>));
        let current = shared.clone();
        let result = on_small_stack(move || {
            let mut decoded = 0;
            for (index, body) in batch {
                *current.lock().unwrap() = Some((index, body.clone()));
                // Kept before decoding: a stack overflow aborts without unwinding.
                keep("last-response-case.json", &body);
                for_each_envelope!(decode_as, &body, &mut decoded);
            }
            decoded
        });
        match result {
            Ok(n) => decoded += n,
            Err(_) => {
                let (index, body) = shared.lock().unwrap().clone().unwrap_or_default();
                let kept = keep(&format!("response-{}-{index}.json", budget.seed), &body);
                failures.push(format!("case {index}: panic: {}\n  input: {}", last_panic(), kept.display()));
            }
        }
    }
    println!(
        "fuzz response decoders: {case} bodies x 13 envelope types ({decoded} decodes succeeded) + {} regression \
         case(s) in {:.0} s",
        regressions.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
