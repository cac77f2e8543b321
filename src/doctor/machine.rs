//! The machine's side, for the local stack (no AWS calls): Python and its
//! venv module, the emulator venv, the default ports, the state dir, a
//! running local stack, the stack state files, proxy variables.

use std::path::Path;

use super::Check;
use crate::local::{venv, LocalState, Supervisor};

pub async fn checks() -> Vec<Check> {
    let mut checks = vec![python(), emulator_venv()];
    let local = LocalState::load().ok().flatten();
    checks.push(ports(local.as_ref()));
    checks.push(state_dir());
    checks.push(local_stack().await);
    checks.push(stack_states());
    checks.push(proxy(&std::env::vars().collect::<Vec<_>>()));
    checks
}

fn python() -> Check {
    let probe = venv::probe_python();
    match probe.problem() {
        Some((what, fix)) => Check::fail("python", what, fix),
        None => Check::pass(
            "python",
            format!(
                "`{}` is Python {} with venv",
                probe.python,
                probe.version.unwrap_or_default()
            ),
        ),
    }
}

fn emulator_venv() -> Check {
    let dir = venv::venv_dir()
        .map(|d| d.display().to_string())
        .unwrap_or_default();
    match venv::is_installed() {
        Ok(true) => Check::pass("venv", format!("emulator packages ready in {dir}")),
        // Not a failure: the first `local up` makes it.
        Ok(false) => Check::pass(
            "venv",
            format!("not installed yet: `serverless-crud local install` (or the first `local up`) makes {dir}, about a minute, from PyPI"),
        ),
        Err(e) => Check::fail("venv", e.to_string(), "set SERVERLESS_CRUD_CACHE_DIR to a writable directory"),
    }
}

/// The ports `local up` uses by default (or as its variables say): free, or
/// the running local stack's own.
fn ports(local: Option<&LocalState>) -> Check {
    let wanted = [
        ("moto", "SERVERLESS_CRUD_MOTO_PORT", 4566, "--moto-port"),
        (
            "Lambda emulator",
            "SERVERLESS_CRUD_LAMBDA_PORT",
            9001,
            "--lambda-port",
        ),
        (
            "API gateway",
            "SERVERLESS_CRUD_GATEWAY_PORT",
            4567,
            "--gateway-port",
        ),
    ];
    let ours: Vec<u16> = local
        .filter(|s| Supervisor::is_running(s))
        .map(|s| {
            let mut ports = vec![s.moto.port, s.lambda.port];
            ports.extend(s.gateway.as_ref().map(|g| g.port));
            ports
        })
        .unwrap_or_default();
    let mut busy = Vec::new();
    let mut fixes = Vec::new();
    let mut seen = Vec::new();
    for (what, var, default, flag) in wanted {
        let port = std::env::var(var)
            .ok()
            .and_then(|p| p.parse().ok())
            .unwrap_or(default);
        if ours.contains(&port) {
            seen.push(format!("{port} ({what}, the local stack's)"));
        } else if std::net::TcpListener::bind(("127.0.0.1", port)).is_err() {
            busy.push(format!("{port} ({what}) is in use by another program"));
            fixes.push(format!("{flag} 0"));
        } else {
            seen.push(format!("{port} ({what}) free"));
        }
    }
    match busy.is_empty() {
        true => Check::pass("ports", seen.join(", ")),
        false => Check::fail(
            "ports",
            busy.join("; "),
            format!(
                "stop what listens there, or start on free ports: `serverless-crud local up {}`",
                fixes.join(" ")
            ),
        ),
    }
}

/// The state dir holds API keys and stack state: it must be the user's own.
fn state_dir() -> Check {
    let dir = match crate::paths::state_dir() {
        Ok(dir) => dir,
        Err(e) => return Check::fail("stateDir", e.to_string(), "set SERVERLESS_CRUD_STATE_DIR"),
    };
    let shown = dir.display();
    let Ok(meta) = std::fs::metadata(&dir) else {
        return Check::pass(
            "stateDir",
            format!("{shown} (made owner-only on first use)"),
        );
    };
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let mode = meta.permissions().mode() & 0o777;
    let mine = meta.uid() == unsafe { libc::getuid() };
    if !meta.is_dir() {
        return Check::fail(
            "stateDir",
            format!("{shown} is not a directory"),
            "move it away, or set SERVERLESS_CRUD_STATE_DIR",
        );
    }
    match (mine, mode & 0o077 == 0) {
        (true, true) => Check::pass("stateDir", format!("{shown} (owner-only)")),
        (false, _) => Check::fail(
            "stateDir",
            format!("{shown} belongs to another user"),
            "set SERVERLESS_CRUD_STATE_DIR to a directory of yours",
        ),
        (true, false) => Check::fail(
            "stateDir",
            format!("{shown} is readable by others (mode {mode:o}): it holds API keys"),
            format!("chmod 700 {shown}"),
        ),
    }
}

async fn local_stack() -> Check {
    match Supervisor::status().await {
        Ok(None) => Check::pass(
            "localStack",
            "not running (start it: `serverless-crud local up`)",
        ),
        Ok(Some(status)) => match status.problem() {
            None => Check::pass("localStack", "running and healthy"),
            Some(problem) => Check::fail(
                "localStack",
                problem.to_string(),
                "serverless-crud local up",
            ),
        },
        Err(e) => Check::fail(
            "localStack",
            e.to_string(),
            "delete the state file it names, then `local up`",
        ),
    }
}

/// Every stack state file parses (a broken one hides a stack from status).
fn stack_states() -> Check {
    let Ok(root) = crate::paths::state_dir() else {
        return Check::pass("stackStates", "no state dir");
    };
    let mut files = Vec::new();
    collect_json(&root.join("stacks"), &mut files);
    let broken: Vec<String> = files
        .iter()
        .filter(|f| match std::fs::read_to_string(f) {
            Ok(text) => serde_json::from_str::<crate::stack::StackState>(&text).is_err(),
            // Gone since the listing (a teardown): nothing to read.
            Err(e) => e.kind() != std::io::ErrorKind::NotFound,
        })
        .map(|f| f.display().to_string())
        .collect();
    match broken.is_empty() {
        true => Check::pass("stackStates", format!("{} stack state file(s) readable", files.len())),
        false => Check::fail(
            "stackStates",
            format!("unreadable: {}", broken.join(", ")),
            "delete it and run `serverless-crud teardown --stack NAME`, which finds resources by their tags",
        ),
    }
}

fn collect_json(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_json(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// A proxy variable without NO_PROXY for loopback sends the local stack's
/// traffic (127.0.0.1) to the proxy.
pub fn proxy(vars: &[(String, String)]) -> Check {
    let get = |name: &str| {
        vars.iter()
            .find(|(k, v)| k.eq_ignore_ascii_case(name) && !v.is_empty())
            .map(|(k, v)| (k.clone(), v.clone()))
    };
    let proxies: Vec<String> = ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"]
        .iter()
        .filter_map(|n| get(n).map(|(k, _)| k))
        .collect();
    if proxies.is_empty() {
        return Check::pass("proxy", "no proxy variables");
    }
    let no_proxy = get("NO_PROXY").map(|(_, v)| v).unwrap_or_default();
    let exempt = |host: &str| {
        no_proxy
            .split(',')
            .any(|h| h.trim() == host || h.trim() == "*")
    };
    match exempt("127.0.0.1") && exempt("localhost") {
        true => Check::pass("proxy", format!("{} set; loopback exempt (NO_PROXY)", proxies.join(", "))),
        false => Check::fail(
            "proxy",
            format!("{} set without NO_PROXY for 127.0.0.1 and localhost: the local stack's traffic would go to the proxy", proxies.join(", ")),
            "export NO_PROXY=127.0.0.1,localhost",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_proxy_must_exempt_loopback() {
        assert!(proxy(&vars(&[])).ok);
        assert!(!proxy(&vars(&[("HTTP_PROXY", "http://proxy:3128")])).ok);
        assert!(
            !proxy(&vars(&[
                ("https_proxy", "http://p:1"),
                ("NO_PROXY", "localhost")
            ]))
            .ok
        );
        assert!(
            proxy(&vars(&[
                ("HTTPS_PROXY", "http://p:1"),
                ("no_proxy", "127.0.0.1, localhost")
            ]))
            .ok
        );
        assert!(proxy(&vars(&[("ALL_PROXY", "socks5://p"), ("NO_PROXY", "*")])).ok);
    }
}
