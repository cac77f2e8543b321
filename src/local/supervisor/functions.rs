//! The functions the local stack runs: registered with the emulator (its
//! manifest), each with its runtime workers.

use std::ffi::OsString;
use std::process::Command;
use std::time::Duration;

use crate::error::AppError;
use crate::local::{
    emulator_dir, process, venv, write_file, FunctionConfig, Integration, LocalFunction,
    LocalState, DEFAULT_FUNCTION, RUNTIME_WORKER,
};
use crate::stack::tables::TableSpec;

/// Registers a function with the emulator (it re-reads its Cargo.toml) and
/// starts `workers` runtime workers for it. Replaces a function of the
/// same name (its old workers are stopped).
pub fn add_function(
    state: &mut LocalState,
    name: &str,
    code: &str,
    config: FunctionConfig,
) -> Result<(), AppError> {
    remove_function(state, name)?;
    let route = (name != DEFAULT_FUNCTION)
        .then(|| state.free_slot())
        .flatten();
    let runtime_dir = state.dir.join("functions").join(name);
    crate::paths::private_dir(&runtime_dir)?;
    let handler_file = runtime_dir.join("lambda_function.py");
    write_file(&handler_file, code)?;
    let function = LocalFunction {
        name: name.to_string(),
        handler_file,
        handler: "lambda_handler".into(),
        environment: config.environment,
        integration: config.integration,
        workers: Vec::new(),
        url: format!(
            "{}/lambda-url/{}/",
            state.lambda.endpoint,
            route.as_deref().unwrap_or(name)
        ),
        route,
        memory_mb: config.memory_mb,
        timeout_secs: config.timeout_secs,
    };
    state.functions.push(function);
    write_emulator_manifest(state)?;
    start_workers(state, name, config.workers)?;
    state.save()
}

/// Forgets a function and stops its workers: forgotten (saved) first, so
/// a `local status` meanwhile does not count them as dead workers.
pub fn remove_function(state: &mut LocalState, name: &str) -> Result<bool, AppError> {
    let Some(index) = state.functions.iter().position(|f| f.name == name) else {
        return Ok(false);
    };
    let function = state.functions.remove(index);
    let _ = write_emulator_manifest(state);
    state.save()?;
    for pid in function.workers {
        if process::is_ours(pid, "runtime_worker.py") {
            process::stop(pid, Duration::from_secs(2));
        }
    }
    Ok(true)
}

/// Starts new workers in place of dead ones (a crash, an OOM kill);
/// returns how many were restarted.
pub fn restart_dead_workers(state: &mut LocalState) -> Result<usize, AppError> {
    let mut restarted = 0;
    let names: Vec<String> = state.functions.iter().map(|f| f.name.clone()).collect();
    for name in names {
        let function = state
            .functions
            .iter_mut()
            .find(|f| f.name == name)
            .expect("listed above");
        let before = function.workers.len();
        function
            .workers
            .retain(|pid| process::is_ours(*pid, "runtime_worker.py"));
        let dead = before - function.workers.len();
        if dead > 0 {
            start_workers(state, &name, dead)?;
            restarted += dead;
        }
    }
    if restarted > 0 {
        state.save()?;
    }
    Ok(restarted)
}

/// Workers recorded but no longer running.
pub fn dead_workers(state: &LocalState) -> usize {
    state
        .functions
        .iter()
        .flat_map(|f| &f.workers)
        .filter(|pid| !process::is_ours(**pid, "runtime_worker.py"))
        .count()
}

fn start_workers(state: &mut LocalState, name: &str, count: usize) -> Result<(), AppError> {
    let worker_script = state.dir.join("runtime_worker.py");
    write_file(&worker_script, RUNTIME_WORKER)?;
    let logs = state.logs_dir();
    crate::paths::private_dir(&logs)?;
    let venv = venv::Venv {
        dir: state.venv.clone(),
    };
    let runtime_api = format!(
        "127.0.0.1:{}/.rt/{}",
        state.lambda.port,
        state.route_of(name)
    );
    let moto = state.moto.endpoint.clone();
    let region = state.region.clone();
    let telemetry = state.telemetry;
    let function = state
        .functions
        .iter_mut()
        .find(|f| f.name == name)
        .expect("function registered before its workers");
    for _ in 0..count {
        let mut command = Command::new(venv.python());
        command.arg(&worker_script).env_clear();
        for var in ["PATH", "HOME", "LANG", "TZ", "TMPDIR"] {
            if let Some(value) = std::env::var_os(var) {
                command.env(var, value);
            }
        }
        // A published version runs as `NAME:VERSION` here; Lambda names it
        // NAME, version VERSION.
        let (function_name, version) = name.split_once(':').unwrap_or((name, "$LATEST"));
        command
            .envs(&function.environment)
            .env("AWS_LAMBDA_RUNTIME_API", &runtime_api)
            .env("AWS_LAMBDA_FUNCTION_NAME", function_name)
            .env("AWS_LAMBDA_FUNCTION_VERSION", version)
            .env(
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
                function.memory_mb.to_string(),
            )
            // The emulator's deadline header is a constant, not an epoch:
            // the worker computes the deadline from the timeout.
            .env(
                "AWS_LAMBDA_FUNCTION_TIMEOUT",
                function.timeout_secs.to_string(),
            )
            .envs(runtime_env(function, telemetry))
            // The function talks to the local AWS with dummy credentials.
            .env("AWS_ENDPOINT_URL", &moto)
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test")
            .env("AWS_REGION", &region)
            .env("AWS_DEFAULT_REGION", &region)
            .env("PYTHONUNBUFFERED", "1")
            .env("PYTHONDONTWRITEBYTECODE", "1");
        let log_name = name.replace(':', "-");
        let child =
            process::spawn_detached(command, &logs.join(format!("function-{log_name}.log")))?;
        function.workers.push(child.id());
    }
    Ok(())
}

/// What the runtime worker itself reads (see runtime_worker.py).
fn runtime_env(function: &LocalFunction, telemetry: bool) -> Vec<(&'static str, OsString)> {
    let on_off = |on: bool| OsString::from(if on { "on" } else { "off" });
    let integration = match function.integration {
        Integration::Proxy => "proxy",
        Integration::NonProxy => "non-proxy",
    };
    vec![
        ("SCRUD_TELEMETRY", on_off(telemetry)),
        ("SCRUD_HANDLER_FILE", function.handler_file.clone().into()),
        ("SCRUD_HANDLER", function.handler.clone().into()),
        ("SCRUD_INTEGRATION", integration.into()),
        // A stack function has no function URL on AWS (only the default
        // function keeps the emulator's, the --local transport).
        (
            "SCRUD_FUNCTION_URL",
            on_off(function.name == DEFAULT_FUNCTION),
        ),
        // Where the worker records the invocation it runs (the gateway
        // fails it at once if the worker dies: src/gateway/watch.rs).
        ("SCRUD_BUSY_DIR", busy_dir(&function.handler_file).into()),
    ]
}

/// The busy-file dir of the function whose code is `handler_file`.
fn busy_dir(handler_file: &std::path::Path) -> std::path::PathBuf {
    handler_file
        .parent()
        .unwrap_or(std::path::Path::new("."))
        .join("busy")
}

/// Writes the emulator's manifest (see `LocalState::emulator_manifest`).
pub fn write_emulator_manifest(state: &LocalState) -> Result<(), AppError> {
    let dir = emulator_dir(&state.dir);
    crate::paths::private_dir(&dir)?;
    write_file(&dir.join("Cargo.toml"), &state.emulator_manifest())
}

/// `up --table NEW` on a running stack: add NEW to the function's allow-list
/// (restarting its workers, which read it at start).
pub fn widen_allow_list(
    state: &mut LocalState,
    tables: &[TableSpec],
    workers: u16,
) -> Result<(), AppError> {
    let Some(function) = state.function(DEFAULT_FUNCTION).cloned() else {
        return Ok(());
    };
    let current = function.environment.get("ALLOWED_TABLES");
    let Some(widened) = widened_allow_list(current.map(String::as_str), tables) else {
        return Ok(());
    };
    let mut environment = function.environment.clone();
    environment.insert("ALLOWED_TABLES".into(), widened);
    let code = std::fs::read_to_string(&function.handler_file)
        .map_err(|e| AppError::io("read", &function.handler_file, e))?;
    let count = function.workers.len().max(workers as usize);
    add_function(
        state,
        DEFAULT_FUNCTION,
        &code,
        FunctionConfig {
            environment,
            integration: function.integration,
            workers: count,
            memory_mb: function.memory_mb,
            timeout_secs: function.timeout_secs,
        },
    )
}

/// `current` (ALLOWED_TABLES) with `tables` added, in order, each once;
/// None when nothing changes (all there already, or `*` allows any).
pub fn widened_allow_list(current: Option<&str>, tables: &[TableSpec]) -> Option<String> {
    let mut names: Vec<&str> = current
        .unwrap_or_default()
        .split(',')
        .filter(|s| !s.is_empty())
        .collect();
    if names.contains(&"*") {
        return None;
    }
    let before = names.len();
    for t in tables {
        if !names.contains(&t.name.as_str()) {
            names.push(&t.name);
        }
    }
    (names.len() > before).then(|| names.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn specs(names: &[&str]) -> Vec<TableSpec> {
        names.iter().map(|n| n.parse().unwrap()).collect()
    }

    #[test]
    fn the_allow_list_widens_by_new_tables_only() {
        let w = |current, tables: &[&str]| widened_allow_list(current, &specs(tables));
        assert_eq!(
            w(Some("users"), &["orders"]).as_deref(),
            Some("users,orders")
        );
        assert_eq!(w(Some("users"), &["users"]), None, "already allowed");
        assert_eq!(
            w(Some("aaa,bbb"), &["bbb", "ccc", "ccc"]).as_deref(),
            Some("aaa,bbb,ccc")
        );
        assert_eq!(
            w(Some("*"), &["orders"]),
            None,
            "any table is allowed already"
        );
        assert_eq!(
            w(None, &["xxx:k:N"]).as_deref(),
            Some("xxx"),
            "the name, not its key"
        );
        assert_eq!(w(Some(""), &[]), None);
        assert_eq!(
            w(Some("aaa,,bbb"), &["ccc"]).as_deref(),
            Some("aaa,bbb,ccc")
        );
    }
}
