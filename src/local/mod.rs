//! The local stack: an offline AWS for development, workshops and tests.
//!
//! moto server (DynamoDB, IAM, Lambda and API Gateway control planes) +
//! cargo-lambda's emulator (Lambda Invoke, Runtime API, function URLs) +
//! runtime workers running the dispatcher against moto.

pub mod process;
pub mod supervisor;
pub mod venv;

pub use supervisor::Supervisor;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::{AppError, TransportKind};

/// The embedded runtime loop (see the file for why it is ours).
pub const RUNTIME_WORKER: &str = include_str!("runtime_worker.py");

/// Name of the function `local up` creates.
pub const DEFAULT_FUNCTION: &str = "crud";

/// How function-URL requests reach the handler (see runtime_worker.py).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Integration {
    /// Lambda proxy: the function gets API Gateway's proxy event and answers
    /// with {statusCode, headers, body}
    Proxy,
    /// Non-proxy (passthrough): the function gets the request body as its
    /// event and its result is the 200 body (the tutorial's wiring)
    NonProxy,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Service {
    pub pid: u32,
    pub port: u16,
    pub endpoint: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LocalFunction {
    pub name: String,
    /// The Python file the workers run.
    pub handler_file: PathBuf,
    pub handler: String,
    pub environment: BTreeMap<String, String>,
    pub integration: Integration,
    pub workers: Vec<u32>,
    /// Function URL on the emulator.
    pub url: String,
    /// The name the emulator knows it by: a slot listed when the emulator
    /// started (a name registered later costs a `cargo metadata` run per
    /// request), or the name itself. None: the name.
    #[serde(default)]
    pub route: Option<String>,
    #[serde(default = "default_memory")]
    pub memory_mb: u32,
    #[serde(default = "default_timeout")]
    pub timeout_secs: u32,
}

fn default_memory() -> u32 {
    128
}

fn default_timeout() -> u32 {
    30
}

/// Emulator routes listed at start, lent to functions registered later.
pub const SLOTS: usize = 48;

fn slot_name(i: usize) -> String {
    format!("fn-{i:02}")
}

/// How a function runs locally.
pub struct FunctionConfig {
    pub environment: BTreeMap<String, String>,
    pub integration: Integration,
    pub workers: usize,
    pub memory_mb: u32,
    pub timeout_secs: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LocalState {
    pub region: String,
    pub dir: PathBuf,
    pub venv: PathBuf,
    pub moto: Service,
    pub lambda: Service,
    /// The local API Gateway data plane.
    #[serde(default)]
    pub gateway: Option<Service>,
    pub functions: Vec<LocalFunction>,
    /// Workers and the gateway emit logs and metrics into moto.
    #[serde(default = "telemetry_on")]
    pub telemetry: bool,
}

fn telemetry_on() -> bool {
    true
}

pub fn dir() -> Result<PathBuf, AppError> {
    Ok(crate::paths::state_dir()?.join("local"))
}

fn state_file(dir: &Path) -> PathBuf {
    dir.join("state.json")
}

impl LocalState {
    /// The recorded stack, if any (whether or not its processes still run).
    pub fn load() -> Result<Option<LocalState>, AppError> {
        crate::paths::read_json(
            &state_file(&dir()?),
            "stop any leftover processes and delete it",
        )
    }

    /// The running stack, or an error telling how to start one.
    pub fn require() -> Result<LocalState, AppError> {
        match Self::load()? {
            Some(state) if state.is_running() => Ok(state),
            Some(_) => Err(AppError::transport(
                TransportKind::Unreachable,
                "the local stack",
                "the local stack is recorded but not running (its processes are gone); run `serverless-crud local up`",
            )),
            None => Err(AppError::transport(
                TransportKind::Unreachable,
                "the local stack",
                "no local stack is running; start one with `serverless-crud local up --table NAME`",
            )),
        }
    }

    /// Changes the running stack's state under an exclusive lock: several
    /// processes (parallel `setup`s, two terminals) may register functions
    /// at once, and a plain load-change-save would lose one of them.
    pub fn modify<T>(
        change: impl FnOnce(&mut LocalState) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let dir = dir()?;
        crate::paths::private_dir(&dir)?;
        let _lock = crate::paths::FileLock::acquire(&dir.join("state.lock"))?;
        let mut state = Self::require()?;
        let out = change(&mut state)?;
        state.save()?;
        Ok(out)
    }

    pub fn save(&self) -> Result<(), AppError> {
        crate::paths::write_json(&state_file(&self.dir), self)
    }

    /// SDK config for the local AWS: moto endpoint, dummy credentials.
    pub async fn sdk_config(&self) -> aws_config::SdkConfig {
        aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new(self.region.clone()))
            .credentials_provider(aws_credential_types::Credentials::new(
                "test", "test", None, None, "local",
            ))
            .endpoint_url(&self.moto.endpoint)
            .load()
            .await
    }

    pub fn is_running(&self) -> bool {
        process::is_ours(self.moto.pid, "moto_server")
            && process::is_ours(self.lambda.pid, "cargo-lambda")
    }

    pub fn function(&self, name: &str) -> Option<&LocalFunction> {
        self.functions.iter().find(|f| f.name == name)
    }

    pub fn logs_dir(&self) -> PathBuf {
        self.dir.join("logs")
    }

    /// The function URL of `name` on the emulator.
    pub fn function_url(&self, name: &str) -> String {
        format!(
            "{}/lambda-url/{}/",
            self.lambda.endpoint,
            self.route_of(name)
        )
    }

    /// The emulator route of a function (its slot, or its name).
    pub fn route_of(&self, name: &str) -> String {
        self.function(name)
            .and_then(|f| f.route.clone())
            .unwrap_or_else(|| name.to_string())
    }

    /// Every function's name -> emulator route.
    pub fn routes(&self) -> std::collections::HashMap<String, String> {
        self.functions
            .iter()
            .map(|f| (f.name.clone(), self.route_of(&f.name)))
            .collect()
    }

    /// A slot no function uses (None: all lent; the name itself is used).
    fn free_slot(&self) -> Option<String> {
        (1..=SLOTS).map(slot_name).find(|slot| {
            !self
                .functions
                .iter()
                .any(|f| f.route.as_deref() == Some(slot))
        })
    }

    /// Registers a function with the emulator (it re-reads its Cargo.toml) and
    /// starts `workers` runtime workers for it. Replaces a function of the
    /// same name (its old workers are stopped).
    pub fn add_function(
        &mut self,
        name: &str,
        code: &str,
        config: FunctionConfig,
    ) -> Result<(), AppError> {
        self.remove_function(name);
        let route = (name != DEFAULT_FUNCTION)
            .then(|| self.free_slot())
            .flatten();
        let runtime_dir = self.dir.join("functions").join(name);
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
                self.lambda.endpoint,
                route.as_deref().unwrap_or(name)
            ),
            route,
            memory_mb: config.memory_mb,
            timeout_secs: config.timeout_secs,
        };
        self.functions.push(function);
        self.write_emulator_manifest()?;
        self.start_workers(name, config.workers)?;
        self.save()
    }

    /// Stops a function's workers and forgets it.
    pub fn remove_function(&mut self, name: &str) -> bool {
        let Some(index) = self.functions.iter().position(|f| f.name == name) else {
            return false;
        };
        let function = self.functions.remove(index);
        for pid in function.workers {
            if process::is_ours(pid, "runtime_worker.py") {
                process::stop(pid, Duration::from_secs(2));
            }
        }
        let _ = self.write_emulator_manifest();
        true
    }

    /// Starts new workers in place of dead ones (a crash, an OOM kill);
    /// returns how many were restarted.
    pub fn restart_dead_workers(&mut self) -> Result<usize, AppError> {
        let mut restarted = 0;
        let names: Vec<String> = self.functions.iter().map(|f| f.name.clone()).collect();
        for name in names {
            let function = self
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
                self.start_workers(&name, dead)?;
                restarted += dead;
            }
        }
        if restarted > 0 {
            self.save()?;
        }
        Ok(restarted)
    }

    /// Workers recorded but no longer running.
    pub fn dead_workers(&self) -> usize {
        self.functions
            .iter()
            .flat_map(|f| &f.workers)
            .filter(|pid| !process::is_ours(**pid, "runtime_worker.py"))
            .count()
    }

    fn start_workers(&mut self, name: &str, count: usize) -> Result<(), AppError> {
        let worker_script = self.dir.join("runtime_worker.py");
        write_file(&worker_script, RUNTIME_WORKER)?;
        let logs = self.logs_dir();
        crate::paths::private_dir(&logs)?;
        let venv = venv::Venv {
            dir: self.venv.clone(),
        };
        let runtime_api = format!("127.0.0.1:{}/.rt/{}", self.lambda.port, self.route_of(name));
        let moto = self.moto.endpoint.clone();
        let region = self.region.clone();
        let telemetry = self.telemetry;
        let function = self
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
            command
                .envs(&function.environment)
                .env("AWS_LAMBDA_RUNTIME_API", &runtime_api)
                .env("AWS_LAMBDA_FUNCTION_NAME", name)
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
                .env("SCRUD_TELEMETRY", if telemetry { "on" } else { "off" })
                .env("SCRUD_HANDLER_FILE", &function.handler_file)
                .env("SCRUD_HANDLER", &function.handler)
                .env(
                    "SCRUD_INTEGRATION",
                    match function.integration {
                        Integration::Proxy => "proxy",
                        Integration::NonProxy => "non-proxy",
                    },
                )
                // The function talks to the local AWS with dummy credentials.
                .env("AWS_ENDPOINT_URL", &moto)
                .env("AWS_ACCESS_KEY_ID", "test")
                .env("AWS_SECRET_ACCESS_KEY", "test")
                .env("AWS_REGION", &region)
                .env("AWS_DEFAULT_REGION", &region)
                .env("PYTHONUNBUFFERED", "1")
                .env("PYTHONDONTWRITEBYTECODE", "1");
            let child =
                process::spawn_detached(command, &logs.join(format!("function-{name}.log")))?;
            function.workers.push(child.id());
        }
        Ok(())
    }

    /// cargo-lambda routes only function names listed as `[[bin]]` in the
    /// Cargo.toml of the directory it runs in; it re-reads the file on change.
    pub fn write_emulator_manifest(&self) -> Result<(), AppError> {
        let dir = emulator_dir(&self.dir);
        crate::paths::private_dir(&dir)?;
        let mut manifest = String::from(
            "# Written by serverless-crud: the function names the emulator routes.\n\
             [package]\nname = \"serverless-crud-local\"\nversion = \"0.0.0\"\nedition = \"2021\"\n",
        );
        // The default function and the slots are always listed (the emulator
        // knows them from its start: no per-request `cargo metadata`), and
        // any function that got no slot under its own name.
        let mut names: Vec<String> = vec![DEFAULT_FUNCTION.to_string()];
        names.extend((1..=SLOTS).map(slot_name));
        for f in &self.functions {
            let route = self.route_of(&f.name);
            if !names.contains(&route) {
                names.push(route);
            }
        }
        for name in names {
            manifest.push_str(&format!(
                "\n[[bin]]\nname = \"{name}\"\npath = \"main.rs\"\n"
            ));
        }
        write_file(&dir.join("Cargo.toml"), &manifest)
    }
}

pub fn emulator_dir(state_dir: &Path) -> PathBuf {
    state_dir.join("emulator")
}

pub fn write_file(path: &Path, contents: &str) -> Result<(), AppError> {
    crate::paths::write_private(path, contents.as_bytes())
}
