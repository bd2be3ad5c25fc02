//! Fuzz target: the whole client (hooks, body limit, decoding, envelope unwrapping, error
//! mapping), one call per envelope type, against a server that answers mutated bodies.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use opentact_client::{Client, Error, RetryPolicy, Server, Upload, types};
use opentact_tests::spec_path;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::decoders::{documented_examples, fuzzed_body};
use super::{Budget, keep, last_panic, record_panics};

/// Cases of a `cargo test` run.
const CLIENT_CASES: usize = 1000;

/// Serves whatever body and status the current case put in.
#[derive(Clone)]
struct Current(Arc<Mutex<(u16, Vec<u8>)>>);

impl Respond for Current {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let (status, body) = self.0.lock().unwrap().clone();
        ResponseTemplate::new(status).set_body_raw(body, "application/json")
    }
}

/// The documented example each of [`call`]'s calls answers with.
const CALL_EXAMPLES: [&str; 14] = [
    "OutboundVoiceProfiles",
    "OutboundVoiceProfile",
    "SIPConnections",
    "SIPControlApps",
    "TNProfiles",
    "TNSpecialPrices",
    "TNProfile",
    "SIPControlApps",
    "SIPControlApp",
    "TNLeases",
    "SIPControlAppCall",
    "TNOrder",
    "TNOrderPrice",
    "TNOrders",
];

/// One call per envelope type, through the whole client: hooks, body limit, decoding,
/// envelope unwrapping and error mapping.
async fn call(client: &Client, which: usize) -> opentact_client::Result<()> {
    let id = uuid::Uuid::nil();
    match which % 14 {
        0 => client.list_outbound_voice_profiles().await.map(drop),
        1 => client.get_outbound_voice_profile_by_uuid(id).await.map(drop),
        2 => client.get_outbound_voice_profile_sip_connections_by_uuid(id).await.map(drop),
        3 => client.get_outbound_voice_profile_control_apps_by_uuid(id).await.map(drop),
        4 => client.list_tn_profiles().await.map(drop),
        5 => client.get_tn_special_prices_by_account().await.map(drop),
        6 => client.get_tn_profile_by_uuid(id).await.map(drop),
        7 => client.list_sip_control_apps().await.map(drop),
        8 => client.get_sip_control_app_by_uuid(id).await.map(drop),
        9 => client.get_sip_control_app_tn_leases_list(id).await.map(drop),
        10 => {
            let call = "4b5c6d7e-8f9a-4b0c-9d1e-2f3a4b5c6d7e";
            client.execute_sip_control_app_call_execute_call_flow(call, Upload::xml("<Response/>")).await.map(drop)
        }
        11 => client.get_order_by_uuid(id).await.map(drop),
        12 => {
            let order: types::TnOrderNewParams = types::TnOrderNewParams::builder()
                .items([types::TnOrderItemNewParams::builder().tn(12025550143)])
                .try_into()?;
            client.get_order_price(&order).await.map(drop)
        }
        _ => client.list_orders().await.map(drop),
    }
}

#[test]
fn the_client_survives_mutated_responses() {
    record_panics();
    let budget = Budget::from_env("client responses");
    let seeds = documented_examples();
    let examples = opentact_codegen::load(&spec_path()).unwrap().json["components"]["examples"].clone();
    // The client runs where users run it: on tokio's worker threads (2 MiB stacks).
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("fuzz-client")
        .enable_all()
        .build()
        .unwrap();
    let failures = runtime.block_on(async move {
        let server = MockServer::start().await;
        let current = Current(Arc::new(Mutex::new((200, Vec::new()))));
        Mock::given(wiremock::matchers::any()).respond_with(current.clone()).mount(&server).await;
        let client = Client::builder()
            .server(Server::Custom(server.uri()))
            .token("t")
            .retry(RetryPolicy::none())
            .build()
            .unwrap();
        let client = Arc::new(client);
        let started = Instant::now();
        let (mut case, mut ok) = (0, 0);
        let mut failures = Vec::new();
        while budget.more(case, CLIENT_CASES) {
            let mut rng = budget.rng(case);
            let status = [200, 200, 200, 200, 201, 400, 401, 404, 409, 500, 502][rng.usize(..11)];
            let which = rng.usize(..14);
            // Mostly the call's own documented answer, mutated; sometimes any other body.
            let body = if rng.u8(..4) == 0 {
                fuzzed_body(&mut rng, &seeds)
            } else {
                fuzzed_body(&mut rng, std::slice::from_ref(&examples[CALL_EXAMPLES[which]]["value"]))
            };
            keep("last-client-case.json", &body);
            *current.0.lock().unwrap() = (status, body.clone());
            let client = client.clone();
            // A task: its panic is caught and reported instead of ending the run.
            match tokio::spawn(async move { call(&client, which).await }).await {
                Ok(Ok(())) => ok += 1,
                Ok(Err(Error::Api(_) | Error::Decode(_))) => {}
                Ok(Err(other)) => failures.push(format!("case {case} (HTTP {status}, call {which}): {other:?}")),
                Err(_) => {
                    let kept = keep(&format!("client-{}-{case}.json", budget.seed), &body);
                    failures.push(format!("case {case}: panic: {}\n  input: {}", last_panic(), kept.display()));
                }
            }
            if failures.len() >= 5 {
                break;
            }
            case += 1;
        }
        println!(
            "fuzz client responses: {case} calls ({ok} succeeded, the rest typed errors) in {:.0} s",
            started.elapsed().as_secs_f64()
        );
        failures
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
