//! What the benchmarks share: a counting allocator, the fixtures (the spec's documented
//! examples, repeated into long lists), the measurement loop and the JSON report.
//!
//! `cargo xtask bench` also compiles this file into a crate it generates under
//! `target/bench/` that adds openapi-generator's models as one more decoder, so every decode
//! figure of the comparison comes from one process and one run.

#![allow(dead_code)] // each bench binary uses part of this module

pub mod minimal;

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The system allocator, counting allocations and the bytes they ask for.
pub struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static ALLOCATED_BYTES: AtomicU64 = AtomicU64::new(0);

#[global_allocator]
static GLOBAL: Counting = Counting;

// SAFETY: every call is forwarded unchanged to the system allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        ALLOCATED_BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        ALLOCATED_BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // A growing Vec or String: counted as one more allocation of the new size.
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        ALLOCATED_BYTES.fetch_add(new_size as u64, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// (allocations, bytes) so far.
pub fn allocations() -> (u64, u64) {
    (ALLOCATIONS.load(Ordering::Relaxed), ALLOCATED_BYTES.load(Ordering::Relaxed))
}

/// Command-line settings shared by the bench binaries: `--quick` (small counts, for trying
/// the harness) and `--json <path>` (write the figures there too). Other arguments, such as
/// the `--bench` that `cargo bench` passes, are ignored.
pub struct Settings {
    pub quick: bool,
    pub json: Option<PathBuf>,
}

impl Settings {
    pub fn from_args() -> Settings {
        let mut settings = Settings { quick: false, json: None };
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--quick" => settings.quick = true,
                "--json" => settings.json = args.next().map(PathBuf::from),
                _ => {}
            }
        }
        settings
    }

    /// Writes `report` as JSON when `--json` was given.
    pub fn write_json(&self, report: &impl Serialize) {
        let Some(path) = &self.json else { return };
        let json = serde_json::to_string_pretty(report).expect("the report serialises");
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("creating the report's folder");
        }
        std::fs::write(path, json).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    }
}

/// The spec the fixtures come from: `OPENTACT_BENCH_SPEC`, or the workspace's.
fn spec_path() -> PathBuf {
    std::env::var_os("OPENTACT_BENCH_SPEC")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/opentact.yaml")))
}

/// The spec's documented example `name` (`components.examples.<name>.value`), as JSON.
pub fn example(name: &str) -> serde_json::Value {
    let path = spec_path();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let spec: serde_json::Value =
        serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()));
    let value = &spec["components"]["examples"][name]["value"];
    assert!(!value.is_null(), "{} has no example {name}", path.display());
    value.clone()
}

/// A `{success, payload}` list response of `count` items made from the first item of the
/// documented list example `name`, each with its own uuid (and number, for TN leases), as
/// the service would send them.
pub fn list_body(name: &str, count: usize) -> Vec<u8> {
    let example = example(name);
    let item = example["payload"][0].clone();
    assert!(item.is_object(), "example {name} has no list payload");
    let items: Vec<serde_json::Value> = (0..count)
        .map(|i| {
            let mut item = item.clone();
            item["uuid"] = format!("0b7a4c3e-5d2f-4e8a-9c1b-{i:012x}").into();
            if let Some(tn) = item.get_mut("tn").and_then(|tn| tn.get_mut("tn")) {
                *tn = (12025550000_i64 + i as i64).into();
            }
            item
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({"success": true, "payload": items})).expect("serialising a fixture")
}

/// What decoding one body into one type costs.
#[derive(Clone, Debug, Serialize)]
pub struct DecodeFigures {
    /// The documented example the list is made of.
    pub case: String,
    /// Items in the list.
    pub items: usize,
    /// Size of the body.
    pub bytes: usize,
    /// Who decodes (`opentact-client`, `serde_json::Value`, ...).
    pub decoder: String,
    /// Median decode time.
    pub decode_ms: f64,
    /// Decimal megabytes (10^6 bytes) of JSON per second, from the median.
    pub mb_per_s: f64,
    /// Heap allocations (a `realloc` counts as one) per list item.
    pub allocations_per_item: f64,
    /// Bytes those allocations asked for, per list item.
    pub allocated_bytes_per_item: f64,
    /// Median time to drop the decoded list.
    pub drop_ms: f64,
}

/// How many times each decode is timed.
pub fn rounds(settings: &Settings, bytes: usize) -> usize {
    match (settings.quick, bytes) {
        (true, _) => 3,
        (false, b) if b > 5_000_000 => 9,
        (false, b) if b > 500_000 => 31,
        _ => 101,
    }
}

/// One decode of `body` into `T`, then its drop: the times and the allocations of the decode.
pub fn measure<T: DeserializeOwned>(body: &[u8]) -> Result<Sample, String> {
    let start = allocations();
    let started = Instant::now();
    let value: T = serde_json::from_slice(std::hint::black_box(body)).map_err(|e| e.to_string())?;
    let decode = started.elapsed();
    let end = allocations();
    let started = Instant::now();
    drop(std::hint::black_box(value));
    Ok(Sample { decode, drop: started.elapsed(), allocations: end.0 - start.0, allocated_bytes: end.1 - start.1 })
}

/// What one decode cost.
pub struct Sample {
    pub decode: Duration,
    pub drop: Duration,
    pub allocations: u64,
    pub allocated_bytes: u64,
}

pub fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The list cases: documented example, response type. `$m` is a module holding the
/// response types under the spec's names (`opentact_client::types`, openapi-generator's
/// `models`): both generators name them alike.
/// (Bench binaries declare `mod support` at their root, hence `$crate::support`.)
macro_rules! decode_cases {
    ($m:ident) => {
        vec![
            ("TNLeases", $crate::support::measure::<$m::TnLeasesResponse> as $crate::support::Decode),
            ("SIPControlApps", $crate::support::measure::<$m::SipControlAppsResponse>),
            ("OutboundVoiceProfiles", $crate::support::measure::<$m::OutboundVoiceProfilesResponse>),
            ("SIPConnections", $crate::support::measure::<$m::SipConnectionsResponse>),
            ("TNProfiles", $crate::support::measure::<$m::TnProfilesResponse>),
            ("TNOrders", $crate::support::measure::<$m::TnOrdersResponse>),
            ("TNSpecialPrices", $crate::support::measure::<$m::TnSpecialPricesResponse>),
        ]
    };
}

/// One decoder of one case.
pub type Decode = fn(&[u8]) -> Result<Sample, String>;

/// A named set of decoders, one per case it can decode.
pub struct Decoder {
    pub name: &'static str,
    pub cases: Vec<(&'static str, Decode)>,
}

/// The decoders every run has: the client's types, `serde_json::Value`, and (TN leases
/// only) minimal hand-written structs.
pub fn standard_decoders() -> Vec<Decoder> {
    mod ours {
        pub use opentact_client::types::*;
    }
    let value: Vec<(&'static str, Decode)> =
        decode_cases!(ours).iter().map(|(case, _)| (*case, measure::<serde_json::Value> as Decode)).collect();
    vec![
        Decoder { name: "opentact-client", cases: decode_cases!(ours) },
        Decoder { name: "serde_json::Value", cases: value },
        Decoder { name: "minimal structs", cases: vec![("TNLeases", measure::<minimal::TnLeasesResponse> as Decode)] },
    ]
}

/// Runs every decoder on lists of TN leases of 100, 1 000 and 10 000 items and on lists of
/// 1 000 of each other entity; prints a table and returns the figures.
pub fn run_decode(settings: &Settings, decoders: &[Decoder]) -> Vec<DecodeFigures> {
    let lease_counts: &[usize] = if settings.quick { &[100, 1_000] } else { &[100, 1_000, 10_000] };
    let other_count = if settings.quick { 100 } else { 1_000 };
    let cases: Vec<&'static str> = decoders[0].cases.iter().map(|(case, _)| *case).collect();
    let mut figures = Vec::new();
    println!(
        "{:<22} {:>6} {:>9}  {:<26} {:>9} {:>9} {:>11} {:>12} {:>9}",
        "case", "items", "MB", "decoder", "ms", "MB/s", "allocs/item", "bytes/item", "drop ms"
    );
    for case in cases {
        let counts: Vec<usize> = if case == "TNLeases" { lease_counts.to_vec() } else { vec![other_count] };
        for items in counts {
            let body = list_body(case, items);
            let rounds = rounds(settings, body.len());
            let decoding: Vec<(&str, Decode)> = decoders
                .iter()
                .filter_map(|d| d.cases.iter().find(|(c, _)| *c == case).map(|(_, decode)| (d.name, *decode)))
                .collect();
            // Rounds alternate between the decoders, so that a busy moment of a shared machine
            // hits them alike; round 0 warms up (and checks that every decoder decodes the body).
            let mut samples: Vec<Vec<Sample>> = decoding.iter().map(|_| Vec::new()).collect();
            for round in 0..=rounds {
                for ((name, decode), samples) in decoding.iter().zip(&mut samples) {
                    let sample = decode(&body).unwrap_or_else(|e| panic!("{name} cannot decode {case}: {e}"));
                    if round > 0 {
                        samples.push(sample);
                    }
                }
            }
            for ((name, _), mut samples) in decoding.into_iter().zip(samples) {
                let mut decode: Vec<Duration> = samples.iter().map(|s| s.decode).collect();
                let mut drops: Vec<Duration> = samples.iter().map(|s| s.drop).collect();
                let decode = median(&mut decode);
                let first = samples.swap_remove(0);
                let f = DecodeFigures {
                    case: case.to_string(),
                    items,
                    bytes: body.len(),
                    decoder: name.to_string(),
                    decode_ms: ms(decode),
                    mb_per_s: body.len() as f64 / 1e6 / decode.as_secs_f64(),
                    allocations_per_item: first.allocations as f64 / items as f64,
                    allocated_bytes_per_item: first.allocated_bytes as f64 / items as f64,
                    drop_ms: ms(median(&mut drops)),
                };
                println!(
                    "{:<22} {:>6} {:>9.2}  {:<26} {:>9.2} {:>9.0} {:>11.1} {:>12.0} {:>9.2}",
                    f.case,
                    f.items,
                    f.bytes as f64 / 1e6,
                    f.decoder,
                    f.decode_ms,
                    f.mb_per_s,
                    f.allocations_per_item,
                    f.allocated_bytes_per_item,
                    f.drop_ms
                );
                figures.push(f);
            }
        }
    }
    figures
}
