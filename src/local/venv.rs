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
pub fn system_python() -> String {
    std::env::var("SERVERLESS_CRUD_PYTHON").unwrap_or_else(|_| "python3".into())
}

/// What the system Python can do for the local stack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PythonProbe {
    pub python: String,
    /// "3.11", when it ran.
    pub version: Option<String>,
    /// `venv` and `ensurepip` import (Debian ships them apart: python3-venv).
    pub has_venv: bool,
}

impl PythonProbe {
    /// Why the local stack cannot use it, with the fix; None when it can.
    pub fn problem(&self) -> Option<(String, String)> {
        let python = &self.python;
        let Some(version) = &self.version else {
            return Some((
                format!("cannot run `{python}`"),
                format!(
                    "install Python 3.9+ ({}), or point SERVERLESS_CRUD_PYTHON at one",
                    install_hint()
                ),
            ));
        };
        let parsed = version
            .split_once('.')
            .and_then(|(a, b)| Some((a.parse::<u32>().ok()?, b.parse::<u32>().ok()?)))
            .unwrap_or((0, 0));
        if parsed < (3, 9) {
            return Some((
                format!("`{python}` is Python {version}; the local stack needs 3.9 or newer"),
                format!(
                    "install a newer Python ({}), or set SERVERLESS_CRUD_PYTHON",
                    install_hint()
                ),
            ));
        }
        if !self.has_venv {
            return Some((
                format!("`{python}` (Python {version}) has no `venv` module (or no ensurepip)"),
                format!("install it: {}", install_hint()),
            ));
        }
        None
    }
}

/// Runs the system Python once: its version and whether venv works.
pub fn probe_python() -> PythonProbe {
    let python = system_python();
    let script = "import sys; print('%d.%d' % sys.version_info[:2])\n\
                  try:\n import venv, ensurepip; print('venv')\nexcept ImportError: print('no-venv')";
    let out = Command::new(&python).args(["-c", script]).output().ok();
    let text = out
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).to_string())
        .unwrap_or_default();
    let mut lines = text.lines();
    PythonProbe {
        version: lines.next().map(str::to_string),
        has_venv: lines.next() == Some("venv"),
        python,
    }
}

/// The packages to install for this system, the detected one first; every
/// known system named, so a room of mixed laptops reads one line.
pub fn install_hint() -> String {
    let all = [
        (
            "debian",
            "Debian/Ubuntu: sudo apt install python3 python3-venv",
        ),
        ("fedora", "Fedora: sudo dnf install python3"),
        (
            "macos",
            "macOS: brew install python@3.12 (or python.org's installer)",
        ),
    ];
    let release = std::fs::read_to_string("/etc/os-release").unwrap_or_default();
    let ids: String = release
        .lines()
        .filter(|l| l.starts_with("ID=") || l.starts_with("ID_LIKE="))
        .collect::<Vec<_>>()
        .join(" ");
    let this = if cfg!(target_os = "macos") {
        "macos"
    } else if ids.contains("fedora") || ids.contains("rhel") {
        "fedora"
    } else {
        "debian"
    };
    let mut hints: Vec<&str> = all
        .iter()
        .filter(|(id, _)| *id == this)
        .map(|(_, h)| *h)
        .collect();
    hints.extend(all.iter().filter(|(id, _)| *id != this).map(|(_, h)| *h));
    hints.join("; ")
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
    let probe = probe_python();
    if let Some((what, fix)) = probe.problem() {
        return Err(AppError::environment(format!("{what}; {fix}")));
    }
    let (python, version) = (
        probe.python.clone(),
        probe.version.clone().unwrap_or_default(),
    );
    progress(&format!(
        "first run: the local stack installs {} into a venv (one time, usually about a minute, needs PyPI)",
        PACKAGES.join(", ")
    ));
    progress(&format!(
        "creating a Python {version} venv in {}",
        dir.display()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    run(
        Command::new(&python).arg("-m").arg("venv").arg(&dir),
        "python3 -m venv",
        &install_hint(),
        &|_| {},
    )?;
    let started = std::time::Instant::now();
    run(
        Command::new(venv.python())
            .args(["-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "off"])
            .args(PACKAGES),
        "pip install",
        "check your network access to PyPI (or a proxy: PIP_INDEX_URL), then run `serverless-crud local install` again",
        // pip's own steps, as progress: what it fetches and installs.
        &|line| {
            if line.starts_with("Collecting") || line.starts_with("Installing collected") {
                progress(&format!("  [{:>3}s] {line}", started.elapsed().as_secs()));
            }
        },
    )?;
    progress(&format!(
        "installed in {:.0}s",
        started.elapsed().as_secs_f64()
    ));
    std::fs::write(&marker, PACKAGES.join("\n"))
        .map_err(|e| AppError::environment(format!("cannot write {}: {e}", marker.display())))?;
    Ok(venv)
}

/// Runs `command`, passing each line of its standard output to `line`
/// as it comes; on failure, the end of its standard error and `hint`.
fn run(command: &mut Command, what: &str, hint: &str, line: &dyn Fn(&str)) -> Result<(), AppError> {
    use std::io::BufRead;
    let mut child = command
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| AppError::environment(format!("{what} could not start: {e}; {hint}")))?;
    let stderr = child.stderr.take().expect("piped");
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut std::io::BufReader::new(stderr), &mut text);
        text
    });
    if let Some(stdout) = child.stdout.take() {
        for text in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            line(&text);
        }
    }
    let status = child
        .wait()
        .map_err(|e| AppError::environment(format!("{what} failed: {e}")))?;
    let stderr = errors.join().unwrap_or_default();
    if status.success() {
        return Ok(());
    }
    let tail: Vec<&str> = stderr.lines().rev().take(12).collect();
    let tail: Vec<&str> = tail.into_iter().rev().collect();
    Err(AppError::environment(format!(
        "{what} failed ({status}):\n{}\nhint: {hint}",
        tail.join("\n")
    )))
}
