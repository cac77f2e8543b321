//! The Python environment of the local stack: a venv in the user's cache dir
//! with pinned moto, cargo-lambda and the Lambda runtime marshaller.

use std::path::PathBuf;
use std::process::Command;

use crate::error::AppError;

/// Pinned packages. Changing a pin makes a new venv (the dir name hashes them).
pub const PACKAGES: &[&str] = &[
    "moto[server]==5.2.5",
    "cargo-lambda==1.9.2",
    "boto3==1.44.5",
    "awslambdaric==4.2.2",
];

pub struct Venv {
    pub dir: PathBuf,
}

impl Venv {
    pub fn python(&self) -> PathBuf {
        self.dir.join("bin").join("python")
    }
    pub fn bin(&self, name: &str) -> PathBuf {
        self.dir.join("bin").join(name)
    }
}

pub fn venv_dir() -> Result<PathBuf, AppError> {
    let mut hash: u64 = 0xcbf29ce484222325; // FNV-1a of the pins
    for byte in PACKAGES.join(" ").bytes() {
        hash = (hash ^ byte as u64).wrapping_mul(0x100000001b3);
    }
    Ok(crate::paths::cache_dir()?.join(format!("venv-{:08x}", hash as u32)))
}

/// Whether the venv is ready.
pub fn is_installed() -> Result<bool, AppError> {
    Ok(venv_dir()?.join(".serverless-crud-installed").exists())
}

/// The Python used to create the venv: `SERVERLESS_CRUD_PYTHON` or `python3`.
fn system_python() -> String {
    std::env::var("SERVERLESS_CRUD_PYTHON").unwrap_or_else(|_| "python3".into())
}

/// Returns the venv, creating it first if needed. `progress` gets one line per step.
/// A lock file serialises concurrent creators (parallel tests, two terminals).
pub fn ensure(progress: &dyn Fn(&str)) -> Result<Venv, AppError> {
    let dir = venv_dir()?;
    let venv = Venv { dir: dir.clone() };
    let marker = dir.join(".serverless-crud-installed");
    if marker.exists() {
        return Ok(venv);
    }
    let parent = dir.parent().expect("venv dir has a parent");
    std::fs::create_dir_all(parent)
        .map_err(|e| AppError::environment(format!("cannot create {}: {e}", parent.display())))?;
    let _lock = crate::paths::FileLock::acquire(&parent.join(".venv.lock"))?;
    if marker.exists() {
        return Ok(venv); // another process finished it while we waited
    }
    let python = system_python();
    let version = Command::new(&python)
        .args(["-c", "import sys; print('%d.%d' % sys.version_info[:2])"])
        .output()
        .map_err(|e| {
            AppError::environment(format!(
                "cannot run `{python}` ({e}). The local stack needs Python 3.9+: install it \
                 (Debian/Ubuntu: apt install python3 python3-venv) or point SERVERLESS_CRUD_PYTHON at one"
            ))
        })?;
    let version = String::from_utf8_lossy(&version.stdout).trim().to_string();
    let (major, minor) = version
        .split_once('.')
        .and_then(|(a, b)| Some((a.parse::<u32>().ok()?, b.parse::<u32>().ok()?)))
        .unwrap_or((0, 0));
    if (major, minor) < (3, 9) {
        return Err(AppError::environment(format!(
            "`{python}` is Python {version}; the local stack needs 3.9 or newer (set SERVERLESS_CRUD_PYTHON)"
        )));
    }
    progress(&format!(
        "creating a Python {version} venv in {}",
        dir.display()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    run(
        Command::new(&python).arg("-m").arg("venv").arg(&dir),
        "python3 -m venv",
        "on Debian/Ubuntu install python3-venv",
    )?;
    progress(&format!(
        "installing {} (one time, ~1 min)",
        PACKAGES.join(", ")
    ));
    run(
        Command::new(venv.python())
            .args(["-m", "pip", "install", "--disable-pip-version-check", "-q"])
            .args(PACKAGES),
        "pip install",
        "check your network access to PyPI (or a proxy: PIP_INDEX_URL), then run `serverless-crud local install` again",
    )?;
    std::fs::write(&marker, PACKAGES.join("\n"))
        .map_err(|e| AppError::environment(format!("cannot write {}: {e}", marker.display())))?;
    Ok(venv)
}

fn run(command: &mut Command, what: &str, hint: &str) -> Result<(), AppError> {
    let output = command
        .output()
        .map_err(|e| AppError::environment(format!("{what} could not start: {e}; {hint}")))?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let tail: Vec<&str> = stderr.lines().rev().take(12).collect();
    let tail: Vec<&str> = tail.into_iter().rev().collect();
    Err(AppError::environment(format!(
        "{what} failed ({}):\n{}\nhint: {hint}",
        output.status,
        tail.join("\n")
    )))
}
