//! The pass lock: at most one `reconcile` pass at a time per database.
//!
//! Claims already keep two processes from revoking the same request; the pass lock keeps
//! whole passes from overlapping, so a slow pass and the next cron run do not both work
//! through the same list and report each other's revocations as busy.
//!
//! With SQLite it is an advisory lock on a file beside the database (`<db>.lock`): the
//! kernel drops it when the holder exits, however it exits, so a crashed pass never
//! leaves it behind. A PostgreSQL store would use a session advisory lock, which has the
//! same property; callers only see [`Db::lock_passes`].

use std::fs::{self, File};
use std::io::Write as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Claimant, Db, show_time};

/// How often a waiting pass tries the lock again.
const RETRY_EVERY: Duration = Duration::from_millis(50);

/// Held while a pass runs; dropping it releases the lock.
#[derive(Debug)]
pub struct PassLock {
    _file: Option<File>,
}

/// Who holds the pass lock, as far as the lock file tells.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockHolder {
    pub host: Option<String>,
    pub pid: Option<u32>,
    pub since: Option<DateTime<Utc>>,
}

impl std::fmt::Display for LockHolder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.pid, &self.host) {
            (Some(pid), Some(host)) => write!(f, "pid {pid} on {host}")?,
            (Some(pid), None) => write!(f, "pid {pid}")?,
            _ => write!(f, "an unknown process")?,
        }
        if let Some(since) = self.since {
            write!(f, ", since {}", show_time(since))?;
        }
        Ok(())
    }
}

impl Db {
    /// Takes the pass lock, trying for up to `wait`. `Ok(Err(holder))` when another
    /// process kept it all that time. `now` is recorded for the next waiter's message.
    pub fn lock_passes(
        &self,
        wait: Duration,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Result<PassLock, LockHolder>> {
        let Some(path) = self.lock_path() else {
            // An in-memory store belongs to one process.
            return Ok(Ok(PassLock { _file: None }));
        };
        let mut file = open_lock_file(&path)?;
        let deadline = Instant::now() + wait;
        loop {
            if try_lock(&file).with_context(|| format!("cannot lock `{}`", path.display()))? {
                break;
            }
            if Instant::now() >= deadline {
                return Ok(Err(read_holder(&path)));
            }
            std::thread::sleep(RETRY_EVERY);
        }

        // Only the holder writes, so the next waiter reads a whole record (or nothing,
        // if it looks between the truncation and the write; then it says so).
        let claimant = Claimant::current();
        let holder = LockHolder {
            host: Some(claimant.host),
            pid: Some(claimant.pid),
            since: Some(now),
        };
        let text = serde_json::to_string(&holder).context("cannot encode the lock holder")?;
        file.set_len(0)
            .and_then(|()| file.write_all(text.as_bytes()))
            .with_context(|| format!("cannot write `{}`", path.display()))?;
        Ok(Ok(PassLock { _file: Some(file) }))
    }

    fn lock_path(&self) -> Option<PathBuf> {
        let path = self.path.as_ref()?;
        let mut name = path.file_name()?.to_os_string();
        name.push(".lock");
        Some(path.with_file_name(name))
    }
}

fn read_holder(path: &std::path::Path) -> LockHolder {
    fs::read_to_string(path)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

#[cfg(unix)]
fn open_lock_file(path: &std::path::Path) -> anyhow::Result<File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    // Not truncated on open: the holder's record must survive a waiter opening it.
    fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("cannot open the lock file `{}`", path.display()))
}

#[cfg(not(unix))]
fn open_lock_file(path: &std::path::Path) -> anyhow::Result<File> {
    fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .with_context(|| format!("cannot open the lock file `{}`", path.display()))
}

/// Takes an exclusive lock on the file without blocking; `false` when another process
/// holds it. The standard library's file locks are `flock` on Unix and `LockFileEx` on
/// Windows, both released by the system when the holder exits. Files are opened
/// close-on-exec, so revoke commands never inherit (and keep) the lock.
fn try_lock(file: &File) -> std::io::Result<bool> {
    match file.try_lock() {
        Ok(()) => Ok(true),
        Err(fs::TryLockError::WouldBlock) => Ok(false),
        Err(fs::TryLockError::Error(err)) => Err(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(dir: &tempfile::TempDir) -> Db {
        Db::open(&dir.path().join("store.db")).expect("open")
    }

    #[test]
    fn one_holder_at_a_time_and_released_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let (first, second) = (open(&dir), open(&dir));
        let now = Utc::now();
        let held = first.lock_passes(Duration::ZERO, now).unwrap().unwrap();

        let started = Instant::now();
        let holder = second
            .lock_passes(Duration::from_millis(200), now)
            .unwrap()
            .unwrap_err();
        assert!(started.elapsed() >= Duration::from_millis(200), "it waited");
        assert_eq!(holder.pid, Some(std::process::id()));
        assert!(
            holder
                .to_string()
                .starts_with(&format!("pid {}", std::process::id()))
        );

        drop(held);
        assert!(second.lock_passes(Duration::ZERO, now).unwrap().is_ok());
        assert!(dir.path().join("store.db.lock").exists());
    }

    #[test]
    fn a_memory_store_always_gets_the_lock() {
        let db = Db::open_in_memory().unwrap();
        let _a = db.lock_passes(Duration::ZERO, Utc::now()).unwrap().unwrap();
        assert!(db.lock_passes(Duration::ZERO, Utc::now()).unwrap().is_ok());
    }
}
