//! Load and faults: 2 000 calls through one `Client`, 100 in flight, against a loopback server
//! that answers a fixed mix of 200, 429 with `Retry-After`, 503, answers slower than the
//! timeout, dropped connections and truncated bodies. Asserts behaviour only, never speed:
//! every call ends with its own payload or the error its fault calls for, after exactly as
//! many attempts as the retry policy allows; a POST that may have been processed is never
//! sent again; no call hangs; memory still held does not grow with the number of calls.
//! (`cargo xtask bench` measures speed; this file never does.)

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};
use std::time::Duration;

use opentact_client::{Client, Error, RetryPolicy, Server, types};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use uuid::Uuid;

#[path = "../../../opentact-client/benches/support/loopback.rs"]
mod loopback;

/// The system allocator, keeping count of the bytes currently allocated by the threads of this
/// test's runtime (the other tests of this binary run in parallel on threads of their own).
struct Live;

static LIVE_BYTES: AtomicI64 = AtomicI64::new(0);

thread_local! {
    static COUNTED: Cell<bool> = const { Cell::new(false) };
}

fn count(bytes: i64) {
    if COUNTED.try_with(Cell::get).unwrap_or(false) {
        LIVE_BYTES.fetch_add(bytes, Ordering::Relaxed);
    }
}

#[global_allocator]
static GLOBAL: Live = Live;

// SAFETY: every call is forwarded unchanged to the system allocator.
unsafe impl GlobalAlloc for Live {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size() as i64);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count(-(layout.size() as i64));
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size as i64 - layout.size() as i64);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

const CALLS: usize = 2_000;
const IN_FLIGHT: usize = 100;
const BATCHES: usize = 4;
/// One attempt's limit: generous (a loopback answer takes milliseconds even with the other
/// tests of this binary on the cores), but each batch waits for its slow calls' three
/// timeouts, so it is most of this test's time. The server's slow answers take far longer.
const TIMEOUT: Duration = Duration::from_millis(1_500);
const SLOW: Duration = Duration::from_secs(30);
/// A call that takes longer than this hangs (the slowest legitimate call: 3 timeouts and
/// two short backoffs).
const HANG: Duration = Duration::from_secs(60);

fn policy() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_retries(2)
        .with_initial_backoff(Duration::from_millis(5))
        .with_max_backoff(Duration::from_secs(1))
}

/// What the server does with one call (with every attempt of it).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Fault {
    None,
    /// 429 with `Retry-After: 0` on the first attempt, then 200.
    RateLimitedOnce,
    /// 429 asking for an hour: longer than the policy waits.
    RateLimitedLong,
    /// 503 on the first attempt, then 200.
    UnavailableOnce,
    /// 503 on every attempt.
    Unavailable,
    /// Answers after the client's timeout.
    Slow,
    /// Reads the request, then closes the connection without answering.
    Dropped,
    /// Sends the headers and half of the body, then closes the connection.
    Truncated,
}

const MIX: [Fault; 16] = [
    Fault::None,
    Fault::RateLimitedOnce,
    Fault::None,
    Fault::UnavailableOnce,
    Fault::None,
    Fault::Unavailable,
    Fault::None,
    Fault::Slow,
    Fault::None,
    Fault::Dropped,
    Fault::None,
    Fault::Truncated,
    Fault::None,
    Fault::RateLimitedLong,
    Fault::None,
    Fault::None,
];

fn fault(call: usize) -> Fault {
    MIX[call % MIX.len()]
}

/// A quarter of the calls are POSTs (AssignTNLeasesToSIPControlApp), the rest GETs.
fn is_post(call: usize) -> bool {
    (call / MIX.len()) % 4 == 1
}

/// The uuid a call sends in its path: the server reads the call's number back from it.
fn call_uuid(call: usize) -> Uuid {
    Uuid::from_u128(0x0b7a4c3e_5d2f_4e8a_9c1b_000000000000 | call as u128)
}

/// How a call must end.
#[derive(Debug, PartialEq)]
enum Expected {
    Payload,
    Api(u16),
    Timeout,
    Connection,
}

/// The outcome and the number of attempts the policy allows for `call`.
fn expected(call: usize) -> (Expected, u32) {
    let tries = policy().max_retries + 1;
    // Idempotent GETs are retried after an ambiguous failure; POSTs never are.
    let ambiguous_tries = if is_post(call) { 1 } else { tries };
    match fault(call) {
        Fault::None => (Expected::Payload, 1),
        Fault::RateLimitedOnce | Fault::UnavailableOnce => (Expected::Payload, 2),
        Fault::RateLimitedLong => (Expected::Api(429), 1),
        Fault::Unavailable => (Expected::Api(503), tries),
        Fault::Slow => (Expected::Timeout, ambiguous_tries),
        Fault::Dropped => (Expected::Connection, ambiguous_tries),
        // The status arrived, so the request was processed: not retried, even for a GET.
        Fault::Truncated => (Expected::Connection, 1),
    }
}

fn outcome(result: Result<Option<Uuid>, Error>, call: usize) -> Expected {
    match result {
        Ok(uuid) => {
            assert_eq!(uuid, Some(call_uuid(call)), "call {call} got another call's payload");
            Expected::Payload
        }
        Err(Error::Api(api)) => Expected::Api(api.status.as_u16()),
        Err(Error::Timeout(_)) => Expected::Timeout,
        Err(Error::Connection(_)) => Expected::Connection,
        Err(other) => panic!("call {call} ({:?}) ended with an unexpected error: {other:?}", fault(call)),
    }
}

/// Attempts the server has seen, per call.
struct Attempts(Vec<AtomicU32>);

#[test]
fn many_calls_in_flight_through_faults_end_as_the_policy_says() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .on_thread_start(|| COUNTED.set(true))
        .enable_all()
        .build()
        .unwrap();
    COUNTED.set(true);
    runtime.block_on(async {
        // Everything that lives for the whole test is allocated before memory is measured.
        let attempts = Arc::new(Attempts((0..CALLS).map(|_| AtomicU32::new(0)).collect()));
        let base = serve(attempts.clone()).await;
        // No idle connections are kept, so that what is still allocated after a batch is what
        // the calls left behind, not the pool's buffers (which vary from batch to batch).
        let http = reqwest::Client::builder().timeout(TIMEOUT).pool_max_idle_per_host(0).build().unwrap();
        let client = Client::builder()
            .server(Server::Custom(base))
            .token("load-test-token")
            .http_client(http)
            .retry(policy())
            .build()
            .unwrap();
        let body = types::TnLeasesAssignParams::builder().add(vec![call_uuid(0)]).try_into().unwrap();
        let body: Arc<types::TnLeasesAssignParams> = Arc::new(body);

        let mut live_after = Vec::new();
        let per_batch = CALLS / BATCHES;
        for batch in 0..BATCHES {
            let mut tasks = tokio::task::JoinSet::new();
            let next = Arc::new(AtomicU32::new((batch * per_batch) as u32));
            let end = ((batch + 1) * per_batch) as u32;
            for _ in 0..IN_FLIGHT {
                let (client, body, next) = (client.clone(), body.clone(), next.clone());
                tasks.spawn(async move {
                    let mut ended = Vec::new();
                    loop {
                        let call = next.fetch_add(1, Ordering::Relaxed);
                        if call >= end {
                            return ended;
                        }
                        let call = call as usize;
                        let uuid = call_uuid(call);
                        let result = tokio::time::timeout(HANG, async {
                            if is_post(call) {
                                let leases = client.assign_tn_leases_to_sip_control_app(uuid, &*body).await?;
                                Ok(leases.first().and_then(|lease| lease.uuid))
                            } else {
                                Ok(client.get_sip_control_app_by_uuid(uuid).await?.uuid)
                            }
                        })
                        .await
                        .unwrap_or_else(|_| panic!("call {call} ({:?}) hangs", fault(call)));
                        ended.push((call, outcome(result, call)));
                    }
                });
            }
            let mut ended = 0;
            while let Some(done) = tasks.join_next().await {
                for (call, outcome) in done.expect("a call task panicked") {
                    let (expected, tries) = expected(call);
                    let seen = attempts.0[call].load(Ordering::Relaxed);
                    let what =
                        format!("call {call}: {} with {:?}", if is_post(call) { "POST" } else { "GET" }, fault(call));
                    assert_eq!(outcome, expected, "{what}");
                    assert_eq!(seen, tries, "{what}: the server saw {seen} attempts, the policy allows {tries}");
                    ended += 1;
                }
            }
            assert_eq!(ended, per_batch, "every call of batch {batch} ended");
            live_after.push(LIVE_BYTES.load(Ordering::Relaxed));
        }

        // Runtime structures are sized by the first batch; after that, a leak of 100 bytes per
        // call would add 100 KB over the 1 000 calls after the second batch.
        let growth = live_after[BATCHES - 1] - live_after[1];
        assert!(
            growth < 100_000,
            "memory still allocated grew by {growth} bytes over the last {} calls (after each batch: {live_after:?})",
            CALLS / 2
        );
    });
}

/// A keep-alive HTTP/1.1 server on loopback that answers each request as its call's fault says.
async fn serve(attempts: Arc<Attempts>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(connection(socket, attempts.clone()));
        }
    });
    format!("http://{address}")
}

async fn connection(mut socket: TcpStream, attempts: Arc<Attempts>) -> std::io::Result<()> {
    let mut buffer = Vec::with_capacity(4096);
    while let Some(head) = loopback::next_request(&mut socket, &mut buffer).await? {
        // "get /sip/app/<uuid> http/1.1" or "post /sip/app/<uuid>/tnlease http/1.1"
        let call = head
            .split_whitespace()
            .nth(1)
            .and_then(|path| path.split('/').nth(3))
            .and_then(|uuid| uuid.parse::<Uuid>().ok())
            .map(|uuid| (uuid.as_u128() & 0xffff_ffff) as usize)
            .filter(|call| *call < attempts.0.len());
        let Some(call) = call else {
            socket.write_all(&response(404, &[], br#"{"success":false,"message":"no such call"}"#)).await?;
            continue;
        };
        let attempt = attempts.0[call].fetch_add(1, Ordering::Relaxed) + 1;
        let uuid = call_uuid(call);
        let payload = if is_post(call) {
            format!(r#"{{"success":true,"payload":[{{"uuid":"{uuid}","tn":{{"tn":12025550143}}}}]}}"#)
        } else {
            format!(r#"{{"success":true,"payload":{{"uuid":"{uuid}","name":"Support line","is_active":true}}}}"#)
        };
        let ok = response(200, &[], payload.as_bytes());
        let busy = |status| response(status, &[("retry-after", "0")], br#"{"success":false,"message":"busy"}"#);
        match (fault(call), attempt) {
            (Fault::None, _) | (Fault::RateLimitedOnce | Fault::UnavailableOnce, 2..) => socket.write_all(&ok).await?,
            (Fault::RateLimitedOnce, _) => socket.write_all(&busy(429)).await?,
            (Fault::UnavailableOnce | Fault::Unavailable, _) => socket.write_all(&busy(503)).await?,
            (Fault::RateLimitedLong, _) => {
                let slow_down = br#"{"success":false,"message":"slow down"}"#;
                socket.write_all(&response(429, &[("retry-after", "3600")], slow_down)).await?
            }
            (Fault::Slow, _) => {
                // Answers late, unless the client gives up first (then the connection closes).
                let mut byte = [0u8; 1];
                tokio::select! {
                    _ = tokio::time::sleep(SLOW) => socket.write_all(&ok).await?,
                    _ = socket.read(&mut byte) => {}
                }
                return Ok(());
            }
            (Fault::Dropped, _) => return Ok(()),
            (Fault::Truncated, _) => {
                socket.write_all(&ok[..ok.len() - payload.len() / 2]).await?;
                return Ok(());
            }
        }
    }
    Ok(())
}

fn response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut head =
        format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n", body.len());
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}
