//! Waiting for a child process and reading how much memory it (or anything it ran) used.

use std::os::unix::process::ExitStatusExt;
use std::process::{Child, ExitStatus};

use anyhow::{Result, bail};

/// Waits for `child`; returns its exit status and the peak resident memory, in bytes, of the
/// largest process among it and the processes it waited for (for `cargo build`: the largest
/// rustc).
pub fn wait_with_peak_memory(child: Child) -> Result<(ExitStatus, u64)> {
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    loop {
        // SAFETY: wait4 writes the status and a whole `rusage` into the pointers it is given;
        // `pid` is our own child, not yet waited for (std's `Child` is dropped without waiting).
        let result = unsafe { libc::wait4(pid, &mut status, 0, usage.as_mut_ptr()) };
        if result == pid {
            break;
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            bail!("waiting for process {pid}: {error}");
        }
    }
    drop(child);
    // SAFETY: wait4 succeeded, so it filled `usage`.
    let usage = unsafe { usage.assume_init() };
    // Linux reports ru_maxrss in kilobytes.
    Ok((ExitStatus::from_raw(status), u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024))
}
