//! Background processes of the local stack: start detached, check, stop.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::error::AppError;

/// Starts `command` in its own process group (so Ctrl-C in the terminal does
/// not reach it), stdout and stderr appended to `log`.
pub fn spawn_detached(mut command: Command, log: &Path) -> Result<Child, AppError> {
    crate::dry_run::guard(&format!(
        "start {}",
        command.get_program().to_string_lossy()
    ))?;
    let open = || {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .map_err(|e| AppError::environment(format!("cannot open log {}: {e}", log.display())))
    };
    command.stdin(Stdio::null()).stdout(open()?).stderr(open()?);
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    let program = command.get_program().to_string_lossy().into_owned();
    command
        .spawn()
        .map_err(|e| AppError::environment(format!("cannot start {program}: {e}")))
}

/// Is `pid` alive, and (where /proc exists) still running `expect` in its
/// command line? The second check keeps `down` from killing a recycled pid.
pub fn is_ours(pid: u32, expect: &str) -> bool {
    if !is_alive(pid) {
        return false;
    }
    match std::fs::read(format!("/proc/{pid}/cmdline")) {
        Ok(cmdline) => String::from_utf8_lossy(&cmdline).contains(expect),
        Err(_) => !Path::new("/proc/self").exists(),
    }
}

pub fn is_alive(pid: u32) -> bool {
    if pid == 0 {
        return false;
    }
    // A zombie still answers kill(0); /proc tells the truth where it exists.
    if let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        if let Some(state) = stat
            .rsplit(')')
            .next()
            .and_then(|s| s.split_whitespace().next())
        {
            return state != "Z";
        }
    }
    unsafe { libc::kill(pid as i32, 0) == 0 }
}

/// Pids of live processes whose command line contains `needle` (Linux /proc;
/// empty elsewhere).
pub fn find_by_cmdline(needle: &str) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| *pid != std::process::id() && is_ours(*pid, needle))
        .collect()
}

/// SIGTERM to the process group, then SIGKILL after `grace`.
pub fn stop(pid: u32, grace: Duration) -> bool {
    if crate::dry_run::guard("stop a process").is_err() {
        return false;
    }
    let signal = |sig| unsafe {
        if libc::kill(-(pid as i32), sig) != 0 {
            libc::kill(pid as i32, sig);
        }
    };
    signal(libc::SIGTERM);
    let deadline = Instant::now() + grace;
    while Instant::now() < deadline {
        if !is_alive(pid) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    signal(libc::SIGKILL);
    // A process with a large heap (moto holding a big table) takes a while
    // to be torn down by the kernel even after SIGKILL.
    let deadline = Instant::now() + Duration::from_secs(5);
    while is_alive(pid) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    !is_alive(pid)
}

/// `port` if free on 127.0.0.1 (0 picks a free one); a clear error otherwise.
/// The listener is returned so two claims cannot get the same free port;
/// drop it just before starting the server.
pub fn claim_port(port: u16, flag: &str) -> Result<(u16, TcpListener), AppError> {
    match TcpListener::bind(("127.0.0.1", port)) {
        Ok(listener) => Ok((listener.local_addr().map(|a| a.port()).unwrap_or(port), listener)),
        Err(e) => Err(AppError::environment(format!(
            "port {port} on 127.0.0.1 is not available ({e}); another program (or an earlier local stack) uses it. \
             Pick another with {flag} PORT, or stop the earlier stack with `serverless-crud local down`"
        ))),
    }
}

/// Waits until something listens on `port`, or `child` dies, or `timeout`
/// passes. (A TCP probe: the emulator holds unknown HTTP paths open.)
pub async fn wait_listening(
    port: u16,
    child: &mut Child,
    name: &str,
    log: &Path,
    timeout: Duration,
) -> Result<(), AppError> {
    let deadline = Instant::now() + timeout;
    let mut delay = Duration::from_millis(50);
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(AppError::environment(format!(
                "{name} exited during start-up ({status}). Last lines of {}:\n{}",
                log.display(),
                log_tail(log, 15)
            )));
        }
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(AppError::environment(format!(
                "{name} did not listen on port {port} within {}s. Last lines of {}:\n{}",
                timeout.as_secs(),
                log.display(),
                log_tail(log, 15)
            )));
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_millis(500));
    }
}

pub fn log_tail(path: &Path, lines: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}
