//! A `prism mock` process that is always stopped.

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::npm_tool;

/// A running `prism mock`, in a process group of its own; the group is killed when this is
/// dropped (also when a test panics). Its own group: a Ctrl-C in a terminal reaches only the
/// process that started it, which decides (`cargo xtask mock` stops it on SIGINT, SIGTERM and
/// SIGHUP alike), and a process Prism might start goes with it.
pub struct Prism {
    child: Child,
    /// `http://127.0.0.1:<port>`
    pub base_url: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Prism {
    /// Starts Prism on `spec` and waits until it listens. Port 0 lets the OS choose a free
    /// port (so parallel runs never collide); Prism prints the one it got. `extra` are more
    /// `prism mock` arguments.
    pub fn start(spec: &Path, port: u16, extra: &[&str]) -> Result<Prism, String> {
        let mut child = Command::new(npm_tool("prism"))
            .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string()])
            .args(extra)
            .arg(spec)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cannot start prism: {e}"))?;
        let log = Arc::new(Mutex::new(Vec::new()));
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        for stream in [
            child.stdout.take().map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
            child.stderr.take().map(|s| Box::new(s) as _),
        ]
        .into_iter()
        .flatten()
        {
            let log = Arc::clone(&log);
            let ready_tx = ready_tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    if let Some(url) = line.split("Prism is listening on ").nth(1) {
                        let _ = ready_tx.send(url.trim().to_string());
                    }
                    if let Ok(mut log) = log.lock() {
                        log.push(line);
                    }
                }
            });
        }
        let mut prism = Prism { child, base_url: String::new(), log };
        // Prism resolves the whole (recursive) schema graph before it listens: tens of seconds.
        let deadline = Instant::now() + Duration::from_secs(300);
        loop {
            if let Ok(url) = ready_rx.recv_timeout(Duration::from_millis(200)) {
                prism.base_url = url;
                return Ok(prism);
            }
            if let Ok(Some(status)) = prism.child.try_wait() {
                return Err(format!("prism exited ({status}) before listening:\n{}", prism.log().join("\n")));
            }
            if Instant::now() > deadline {
                return Err(format!("prism did not listen within 300 s:\n{}", prism.log().join("\n")));
            }
        }
    }

    /// Everything Prism printed so far.
    pub fn log(&self) -> Vec<String> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// Lines where Prism reports a request or response that breaks the spec.
    pub fn violations(&self) -> Vec<String> {
        self.log().into_iter().filter(|l| l.contains("✖") || l.contains("Violation")).collect()
    }

    /// The process id of Prism (also its process group's id).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Prism's exit status if it has exited, without waiting.
    pub fn try_wait(&mut self) -> std::io::Result<Option<ExitStatus>> {
        self.child.try_wait()
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        // Only while Prism has not been waited for: until then its pid (the group's id) cannot
        // have been reused.
        if let (Ok(None), Ok(group)) = (self.child.try_wait(), libc::pid_t::try_from(self.child.id())) {
            // SAFETY: kill(2) with a negative pid signals that process group; no memory is
            // involved. The group is Prism's own (`process_group(0)` at spawn).
            unsafe { libc::kill(-group, libc::SIGKILL) };
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
