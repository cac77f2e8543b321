//! Where the tool keeps its files. Both roots can be overridden, which is how
//! the tests isolate themselves.

use std::path::PathBuf;

use crate::error::AppError;

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "serverless-crud")
}

/// State (local stack, stacks): `SERVERLESS_CRUD_STATE_DIR`, else the
/// platform state dir (`~/.local/state/serverless-crud` on Linux).
pub fn state_dir() -> Result<PathBuf, AppError> {
    if let Some(dir) = std::env::var_os("SERVERLESS_CRUD_STATE_DIR") {
        return Ok(PathBuf::from(dir));
    }
    let dirs = project_dirs().ok_or_else(|| no_home("SERVERLESS_CRUD_STATE_DIR"))?;
    Ok(dirs
        .state_dir()
        .unwrap_or_else(|| dirs.data_local_dir())
        .to_path_buf())
}

/// Cache (the Python venv of the local stack): `SERVERLESS_CRUD_CACHE_DIR`,
/// else the platform cache dir (`~/.cache/serverless-crud` on Linux).
pub fn cache_dir() -> Result<PathBuf, AppError> {
    if let Some(dir) = std::env::var_os("SERVERLESS_CRUD_CACHE_DIR") {
        return Ok(PathBuf::from(dir));
    }
    let dirs = project_dirs().ok_or_else(|| no_home("SERVERLESS_CRUD_CACHE_DIR"))?;
    Ok(dirs.cache_dir().to_path_buf())
}

fn no_home(var: &str) -> AppError {
    AppError::environment(format!("cannot find a home directory; set {var}"))
}

/// Creates `dir` (and parents) readable by the owner only.
pub fn private_dir(dir: &std::path::Path) -> Result<(), AppError> {
    if dir.is_dir() {
        return Ok(());
    }
    crate::dry_run::guard(&format!("create {}", dir.display()))?;
    // Every directory created on the way is owner-only, not just the last
    // (the state dir itself holds API keys).
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| AppError::io("create", dir, e))
}

/// Writes a file readable and writable by the owner only (atomically).
pub fn write_private(path: &std::path::Path, contents: &[u8]) -> Result<(), AppError> {
    use std::io::Write;
    crate::dry_run::guard(&format!("write {}", path.display()))?;
    // A temporary name of this process's own: two writers never share it.
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut tmp_name = path.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(format!(".{}.{n}.tmp", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    let fail = |e: std::io::Error| AppError::io("write", path, e);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&tmp).map_err(fail)?;
    file.write_all(contents).map_err(fail)?;
    file.sync_all().map_err(fail)?;
    std::fs::rename(&tmp, path).map_err(fail)
}

/// Reads a JSON file the tool wrote: None if absent; a damaged file is an
/// error that says how to recover (`fix`).
pub fn read_json<T: serde::de::DeserializeOwned>(
    path: &std::path::Path,
    fix: &str,
) -> Result<Option<T>, AppError> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| AppError::usage(format!("{} is damaged ({e}); {fix}", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(AppError::io("read", path, e)),
    }
}

/// Writes `value` as JSON, owner-only, creating its directory owner-only.
pub fn write_json<T: serde::Serialize>(path: &std::path::Path, value: &T) -> Result<(), AppError> {
    if let Some(dir) = path.parent() {
        private_dir(dir)?;
    }
    let json = serde_json::to_vec_pretty(value).expect("state serialises");
    write_private(path, &json)
}

/// An exclusive advisory lock held for the value's lifetime.
pub struct FileLock {
    _file: std::fs::File,
}

impl FileLock {
    /// Like `acquire`, but first tries without waiting; when another process
    /// holds the lock, `on_wait` gets its pid (written in the file by
    /// `acquire_recorded`) before this one waits.
    /// The lock if it is free now, else `Err(holder pid, if recorded)`.
    pub fn try_acquire(path: &std::path::Path) -> Result<Result<Self, Option<u32>>, AppError> {
        let mut busy = None;
        let lock = Self::acquire_recorded_or(path, |holder| busy = Some(holder), false)?;
        Ok(match (lock, busy) {
            (Some(lock), _) => Ok(lock),
            (None, holder) => Err(holder.flatten()),
        })
    }

    pub fn acquire_recorded(
        path: &std::path::Path,
        on_wait: impl FnOnce(Option<u32>),
    ) -> Result<Self, AppError> {
        Ok(Self::acquire_recorded_or(path, on_wait, true)?.expect("waited for the lock"))
    }

    /// Takes the lock, recording our pid in it; when another process holds
    /// it, calls `on_busy` with its pid and then waits (`wait`) or gives up.
    fn acquire_recorded_or(
        path: &std::path::Path,
        on_busy: impl FnOnce(Option<u32>),
        wait: bool,
    ) -> Result<Option<Self>, AppError> {
        use std::io::{Seek, Write};
        use std::os::unix::io::AsRawFd;
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(path)
            .map_err(|e| AppError::io("open", path, e))?;
        let fd = file.as_raw_fd();
        if unsafe { libc::flock(fd, libc::LOCK_EX | libc::LOCK_NB) } != 0 {
            let holder = std::fs::read_to_string(path)
                .ok()
                .and_then(|s| s.trim().parse().ok());
            on_busy(holder);
            if !wait {
                return Ok(None);
            }
            if unsafe { libc::flock(fd, libc::LOCK_EX) } != 0 {
                return Err(AppError::environment(format!(
                    "cannot lock {}",
                    path.display()
                )));
            }
        }
        let _ = file.set_len(0);
        let _ = file.rewind();
        let _ = write!(file, "{}", std::process::id());
        Ok(Some(FileLock { _file: file }))
    }

    pub fn acquire(path: &std::path::Path) -> Result<Self, AppError> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .map_err(|e| AppError::io("open", path, e))?;
        #[cfg(unix)]
        {
            use std::os::unix::io::AsRawFd;
            if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } != 0 {
                return Err(AppError::environment(format!(
                    "cannot lock {}",
                    path.display()
                )));
            }
        }
        Ok(FileLock { _file: file })
    }
}
