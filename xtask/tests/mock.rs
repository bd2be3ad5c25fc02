//! `cargo xtask mock` stops Prism when it is told to stop, by SIGTERM (what `kill`, a service
//! manager or a CI runner sends) as by Ctrl-C. A test of the xtask binary, so it lives here and
//! not in tests/tests/it: only this package's tests get the binary (`CARGO_BIN_EXE_xtask`).
//! It needs the pinned npm tools in `.tools/` (`cargo xtask test` installs them).

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Kills what the test started if it fails half way.
struct Cleanup {
    mock: Child,
    prism: Option<i32>,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = self.mock.kill();
        let _ = self.mock.wait();
        if let Some(pid) = self.prism {
            // SAFETY: kill(2) on a process group id; no memory is involved.
            unsafe { libc::kill(-pid, libc::SIGKILL) };
        }
    }
}

#[test]
fn sigterm_stops_the_mock_and_prism() {
    let mock = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("mock")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("cargo xtask mock starts");
    let mut cleanup = Cleanup { mock, prism: None };
    let stdout = cleanup.mock.stdout.take().expect("its stdout");
    let (lines, received) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    let (mut url, mut prism) = (None, None);
    let deadline = Instant::now() + Duration::from_secs(180);
    while prism.is_none() {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = received.recv_timeout(left).expect("the mock prints Prism's process id within 180 s");
        if let Some(rest) = line.strip_prefix("Opentact mock listening on ") {
            url = Some(rest.trim().to_string());
        }
        if let Some(rest) = line.strip_prefix("Prism's process id: ") {
            let pid: i32 = rest.split(';').next().and_then(|p| p.trim().parse().ok()).expect("a process id");
            prism = Some(pid);
        }
    }
    let pid = prism.expect("Prism's process id");
    cleanup.prism = Some(pid);
    let address = url.expect("the mock's URL").trim_start_matches("http://").to_string();
    assert!(TcpStream::connect(&address).is_ok(), "Prism listens on {address}");
    assert!(Path::new(&format!("/proc/{pid}")).exists(), "Prism runs as {pid}");

    let mock_pid = i32::try_from(cleanup.mock.id()).expect("a pid");
    // SAFETY: kill(2) on our own child's pid; no memory is involved.
    assert_eq!(unsafe { libc::kill(mock_pid, libc::SIGTERM) }, 0, "SIGTERM sent");
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = cleanup.mock.try_wait().expect("waiting for the mock") {
            break status;
        }
        assert!(Instant::now() < deadline, "the mock did not exit within 30 s of SIGTERM");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "the mock exits with 0 when asked to stop: {status}");
    // The mock waited for Prism before exiting, so Prism's pid is gone (not an orphan), and
    // nothing listens on its port.
    assert!(!Path::new(&format!("/proc/{pid}")).exists(), "Prism ({pid}) still runs after the mock exited");
    assert!(TcpStream::connect(&address).is_err(), "something still listens on {address}");
    cleanup.prism = None;
}
