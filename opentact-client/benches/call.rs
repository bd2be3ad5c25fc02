//! A whole call through `opentact_client::Client` against the same call written by hand with
//! `reqwest` + `serde` into the same types, both against one in-process loopback server
//! answering the documented `GetSIPControlAppByUUID` response: one call at a time and 64 in
//! flight. Reports the median latency and the process CPU time per call (client and server
//! together; the server's share is the same for both). Rounds alternate between the two
//! clients so that drift on a shared machine hits both alike.
//!
//! `cargo bench -p opentact-client --bench call [-- --quick] [-- --json <path>]`

#[path = "support/loopback.rs"]
mod loopback;
mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use opentact_client::{Client, RetryPolicy, Server, types};
use serde::Serialize;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

const TOKEN: &str = "bench-token";
const APP: &str = "1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a";

/// The figures of one client in one mode.
#[derive(Serialize)]
struct CallFigures {
    mode: String,
    client: String,
    calls: usize,
    median_latency_us: f64,
    cpu_us_per_call: f64,
    /// Heap allocations per call, client and server together (the server's share is the same
    /// for both clients): unlike time, the same on every run.
    allocations_per_call: f64,
}

fn main() {
    let settings = support::Settings::from_args();
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a runtime");
    let figures = runtime.block_on(run(&settings));
    settings.write_json(&figures);
}

async fn run(settings: &support::Settings) -> Vec<CallFigures> {
    let body = serde_json::to_vec(&support::example("SIPControlApp")).expect("serialising the example");
    let base = serve(body).await;
    let ours = Client::builder().server(Server::Custom(base.clone())).token(TOKEN).build().expect("a client");
    // Retries need a copy of each request to send again; this one shows what that costs.
    let no_retries = Client::builder()
        .server(Server::Custom(base.clone()))
        .token(TOKEN)
        .retry(RetryPolicy::none())
        .build()
        .expect("a client");
    let by_hand = ByHand {
        http: reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .connect_timeout(Duration::from_secs(10))
            .build()
            .expect("a reqwest client"),
        base,
    };
    let uuid: uuid::Uuid = APP.parse().expect("a uuid");
    // Both must get the same answer before anything is timed.
    let a = ours.get_sip_control_app_by_uuid(uuid).await.expect("the client's call");
    let b = by_hand.get_sip_control_app(uuid).await.expect("the hand-written call");
    assert_eq!(a, b);

    let (rounds, calls) = if settings.quick { (2, 300) } else { (7, 3_000) };
    let mut figures = Vec::new();
    println!(
        "{:<14} {:<18} {:>7} {:>14} {:>12} {:>12}",
        "mode", "client", "calls", "median µs", "CPU µs/call", "allocs/call"
    );
    for in_flight in [1, 64] {
        let mode = if in_flight == 1 { "one at a time".to_string() } else { format!("{in_flight} in flight") };
        let mut samples: [Vec<(Duration, Duration, u64)>; 3] = [Vec::new(), Vec::new(), Vec::new()];
        for round in 0..=rounds {
            let ours = ours.clone();
            let a = measure(calls, in_flight, move || {
                let ours = ours.clone();
                async move { ours.get_sip_control_app_by_uuid(uuid).await.map(drop).map_err(|e| e.to_string()) }
            })
            .await;
            let by_hand = by_hand.clone();
            let b = measure(calls, in_flight, move || {
                let by_hand = by_hand.clone();
                async move { by_hand.get_sip_control_app(uuid).await.map(drop) }
            })
            .await;
            let no_retries = no_retries.clone();
            let c = measure(calls, in_flight, move || {
                let no_retries = no_retries.clone();
                async move { no_retries.get_sip_control_app_by_uuid(uuid).await.map(drop).map_err(|e| e.to_string()) }
            })
            .await;
            // Round 0 warms up connections and caches.
            if round > 0 {
                samples[0].push(a);
                samples[1].push(b);
                samples[2].push(c);
            }
        }
        for (name, samples) in ["opentact-client", "reqwest by hand", "opentact, no retries"].into_iter().zip(samples) {
            let mut latency: Vec<Duration> = samples.iter().map(|s| s.0).collect();
            let mut cpu: Vec<Duration> = samples.iter().map(|s| s.1).collect();
            let mut allocations: Vec<u64> = samples.iter().map(|s| s.2).collect();
            allocations.sort_unstable();
            let f = CallFigures {
                mode: mode.clone(),
                client: name.to_string(),
                calls: calls * rounds,
                median_latency_us: support::median(&mut latency).as_secs_f64() * 1e6,
                cpu_us_per_call: support::median(&mut cpu).as_secs_f64() * 1e6 / calls as f64,
                allocations_per_call: allocations[allocations.len() / 2] as f64 / calls as f64,
            };
            println!(
                "{:<14} {:<18} {:>7} {:>14.1} {:>12.1} {:>12.1}",
                f.mode, f.client, f.calls, f.median_latency_us, f.cpu_us_per_call, f.allocations_per_call
            );
            figures.push(f);
        }
    }
    figures
}

/// The call as someone would write it by hand: same headers, same types.
#[derive(Clone)]
struct ByHand {
    http: reqwest::Client,
    base: String,
}

impl ByHand {
    async fn get_sip_control_app(&self, uuid: uuid::Uuid) -> Result<types::SipControlApp, String> {
        let response = self
            .http
            .get(format!("{}/sip/app/{uuid}", self.base))
            .header("x-auth-token", TOKEN)
            .header(reqwest::header::USER_AGENT, "bench/0")
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(|e| e.to_string())?;
        if !status.is_success() {
            return Err(format!("{status}: {}", String::from_utf8_lossy(&bytes)));
        }
        let envelope: types::SipControlAppResponse = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
        envelope.payload.map(|app| *app).ok_or_else(|| "no payload".to_string())
    }
}

/// Makes `calls` calls, `in_flight` at a time; returns the median latency, and the process CPU
/// time and heap allocations of the whole batch.
async fn measure<F, Fut>(calls: usize, in_flight: usize, call: F) -> (Duration, Duration, u64)
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    let call = Arc::new(call);
    let cpu_before = cpu_time();
    let (allocations_before, _) = support::allocations();
    let mut tasks = tokio::task::JoinSet::new();
    for worker in 0..in_flight {
        let call = call.clone();
        let share = calls / in_flight + usize::from(worker < calls % in_flight);
        tasks.spawn(async move {
            let mut latencies = Vec::with_capacity(share);
            for _ in 0..share {
                let started = Instant::now();
                call().await.expect("a call against the bench server");
                latencies.push(started.elapsed());
            }
            latencies
        });
    }
    let mut latencies = Vec::with_capacity(calls);
    while let Some(done) = tasks.join_next().await {
        latencies.extend(done.expect("a bench task"));
    }
    let cpu = cpu_time() - cpu_before;
    let allocations = support::allocations().0 - allocations_before;
    (support::median(&mut latencies), cpu, allocations)
}

/// User plus system CPU time of this process so far.
fn cpu_time() -> Duration {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a whole `rusage` into the pointer it is given.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr());
        usage.assume_init()
    };
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1_000);
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// A keep-alive HTTP/1.1 server on loopback that answers every request with `body`.
async fn serve(body: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binding a loopback port");
    let address = listener.local_addr().expect("the bound address");
    let mut response =
        format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n", body.len())
            .into_bytes();
    response.extend_from_slice(&body);
    let response: Arc<[u8]> = response.into();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let _ = socket.set_nodelay(true);
            tokio::spawn(answer(socket, response.clone()));
        }
    });
    format!("http://{address}")
}

async fn answer(mut socket: TcpStream, response: Arc<[u8]>) -> std::io::Result<()> {
    let mut buffer = Vec::with_capacity(4096);
    while loopback::next_request(&mut socket, &mut buffer).await?.is_some() {
        socket.write_all(&response).await?;
    }
    Ok(())
}
