//! The local stack: an offline AWS for development, workshops and tests.
//!
//! moto server (DynamoDB, IAM, Lambda and API Gateway control planes) +
//! cargo-lambda's emulator (Lambda Invoke, Runtime API, function URLs) +
//! runtime workers running the dispatcher against moto.

pub mod issuer;
pub mod process;
pub mod supervisor;
pub mod venv;

pub use supervisor::Supervisor;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::AppError;
pub use crate::stack::Integration;

/// The embedded runtime loop (see the file for why it is ours).
pub const RUNTIME_WORKER: &str = include_str!("runtime_worker.py");
/// moto's server as the local stack runs it (`moto_server_ext.py`).
pub const MOTO_SERVER_EXT: &str = include_str!("moto_server_ext.py");

/// Name of the function `local up` creates.
pub const DEFAULT_FUNCTION: &str = "crud";

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
    /// The gateway's random choices are seeded (`local up --seed`).
    #[serde(default)]
    pub seed: Option<u64>,
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

    pub fn save(&self) -> Result<(), AppError> {
        crate::paths::write_json(&state_file(&self.dir), self)
    }

    /// SDK config for the local AWS: moto endpoint, dummy credentials, the
    /// loopback HTTP client. Built, not loaded: nothing of the user's AWS
    /// setup (profile files, environment) applies to the local stack.
    pub fn sdk_config(&self) -> aws_config::SdkConfig {
        use aws_credential_types::provider::SharedCredentialsProvider;
        aws_config::SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .http_client(crate::aws_http::loopback_client())
            .sleep_impl(aws_smithy_async::rt::sleep::default_async_sleep().expect("tokio sleep"))
            .time_source(aws_smithy_async::time::SystemTimeSource::new())
            .retry_config(aws_config::retry::RetryConfig::standard())
            .region(aws_config::Region::new(self.region.clone()))
            .credentials_provider(SharedCredentialsProvider::new(
                aws_credential_types::Credentials::new("test", "test", None, None, "local"),
            ))
            .endpoint_url(&self.moto.endpoint)
            .build()
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
    pub fn free_slot(&self) -> Option<String> {
        (1..=SLOTS).map(slot_name).find(|slot| {
            !self
                .functions
                .iter()
                .any(|f| f.route.as_deref() == Some(slot))
        })
    }

    /// The Cargo.toml the emulator reads its function names from:
    /// cargo-lambda routes only names listed as `[[bin]]` there (and re-reads
    /// the file on change).
    pub fn emulator_manifest(&self) -> String {
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
        manifest
    }
}

pub fn emulator_dir(state_dir: &Path) -> PathBuf {
    state_dir.join("emulator")
}

pub fn write_file(path: &Path, contents: &str) -> Result<(), AppError> {
    crate::paths::write_private(path, contents.as_bytes())
}
