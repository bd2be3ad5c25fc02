//! `cargo xtask mock`: serves a Prism mock of the spec until asked to stop (Ctrl-C, SIGTERM or
//! SIGHUP), and then stops Prism too. Prism serves the acyclic copy of the spec
//! (opentact-devtools' `mock_spec`, written under target/mock/): on the recursive spec itself it
//! needs about a minute to start and seconds per request, and cannot generate random data.

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use opentact_devtools::{DYNAMIC_ARGS, Prism, install_npm, target_dir, write_acyclic};
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

use crate::{Outcome, SPEC, spec};

/// What `cargo xtask mock` was asked to do.
pub struct Options {
    /// Port to listen on (0 or `None`: a free one).
    pub port: Option<u16>,
    /// Random (schema-generated) responses instead of the spec's examples.
    pub dynamic: bool,
}

/// Serves until a signal asks it to stop, then stops Prism and returns `Success`; an error
/// when Prism cannot start or exits by itself.
pub fn mock(root: &Path, options: &Options) -> Result<Outcome> {
    install_npm(root)?;
    let spec = spec::working(root)?;
    let served = write_acyclic(&spec.json, &target_dir().join("mock"))?;
    let mut args = Vec::new();
    if options.dynamic {
        args.extend(["--dynamic", "--seed", "opentact"]);
        args.extend(DYNAMIC_ARGS);
    }
    // The handlers are in place before Prism starts: a signal from then on stops Prism instead
    // of ending this process without it (Prism runs in its own process group, so only this
    // process decides when it stops). SIGKILL cannot be caught; nothing stops Prism then.
    let mut signals = Signals::new([SIGINT, SIGTERM, SIGHUP]).context("installing the signal handlers")?;
    let (signalled, received) = mpsc::channel();
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            let _ = signalled.send(signal);
        }
    });
    println!("starting Prism on {} (from {SPEC})...", served.display());
    let mut prism = Prism::start(&served, options.port.unwrap_or(0), &args).map_err(anyhow::Error::msg)?;
    println!("Opentact mock listening on {}", prism.base_url);
    println!(
        "  OPENTACT_BASE_URL={} OPENTACT_TOKEN=any cargo run -p opentact-client --example list_sip_control_apps",
        prism.base_url
    );
    println!("  curl -H 'X-Auth-Token: any' {}/sip/app", prism.base_url);
    println!("Prism's process id: {}; press Ctrl-C to stop", prism.pid());
    loop {
        match received.recv_timeout(Duration::from_millis(200)) {
            Ok(signal) => {
                drop(prism); // kills Prism's process group and waits for it
                println!("stopped Prism (signal {signal})");
                return Ok(Outcome::Success);
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => bail!("the signal handler thread ended"),
        }
        if let Some(status) = prism.try_wait()? {
            bail!("Prism exited by itself ({status}):\n{}", prism.log().join("\n"));
        }
    }
}
