//! The store: resources, access requests and the audit log, in one SQLite file.
//!
//! All SQL of opal-jira lives under this module, behind the plain Rust API of [`Db`] and
//! the types of [`model`], which know nothing of SQL. A PostgreSQL backend (several hosts
//! sharing state) is planned, so the SQL is kept portable:
//!
//! - only statements both engines accept: `INSERT … RETURNING`, CHECK constraints,
//!   partial indexes; no `INSERT OR REPLACE`, no SQLite date functions;
//! - numbered parameters (`?1`, `?2`), which map one to one onto PostgreSQL's `$1`;
//! - times as RFC 3339 UTC text with whole seconds (`2026-12-03T17:00:00Z`), formatted
//!   and parsed only here. Text rather than unix seconds because it is the form users
//!   and the JSON contract see, it reads plainly in `sqlite3` or `psql`, and with a fixed
//!   width and a `Z` suffix its text order is its time order, so `<` in SQL is correct;
//! - each change and its audit event are written in one transaction.
//!
//! SQLite specifics stay in this file: opening, pragmas, and migrations keyed on
//! `PRAGMA user_version`.

mod audit;
#[cfg(any(test, feature = "bench"))]
mod bulk;
mod lock;
pub mod model;
mod projects;
mod requests;
mod resources;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use chrono::{DateTime, Datelike as _, SecondsFormat, Utc};
use rusqlite::config::DbConfig;
use rusqlite::types::Type;
use rusqlite::{Connection, ErrorCode, OpenFlags, Row, Transaction, TransactionBehavior};

use crate::error::UserError;

pub use audit::kind;
pub use lock::{LockHolder, PassLock};
pub use model::{
    AuditEvent, EventFilter, NewRequest, ProjectFacts, Request, RequestFilter, RequestStatus,
    Resource, RevokeReason, TicketRef,
};
pub use requests::Claimant;

/// The schema migrations in order: entry N (from 1) brings the database to schema N.
/// Append only; a migration that has shipped is never edited.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_jira_projects.sql"),
];

/// The schema version this build writes and understands.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// How long a statement waits for another process's write lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

const OTHER_DATABASE_HINT: &str = "Point --db or OPAL_JIRA_DB at the opal-jira database, \
     or at a path that does not exist yet.";

/// How times are stored: RFC 3339, UTC, whole seconds, fixed width.
const TIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%SZ";

/// An open store. Each thread or process opens its own; they coordinate through the
/// database's locks.
pub struct Db {
    conn: Connection,
    path: Option<PathBuf>,
}

impl Db {
    /// Opens the database at `path`, creating it (and missing parent directories) when
    /// absent, and brings its schema up to date.
    ///
    /// A new directory gets mode 0700 and a new file 0600. A file that is not an
    /// opal-jira database, or one written by a newer opal-jira, is refused with nothing
    /// changed.
    pub fn open(path: &Path) -> anyhow::Result<Db> {
        Db::open_checked(path).map_err(|err| {
            if crate::error::user_error(&err).is_some() {
                return err;
            }
            match storage_error(&path.display().to_string(), &err) {
                Some(user) => err.context(user),
                None => err,
            }
        })
    }

    fn open_checked(path: &Path) -> anyhow::Result<Db> {
        create_private_parents(path)?;
        create_private_file(path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)
            .with_context(|| format!("cannot open database `{}`", path.display()))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // SQLite quietly opens a file it may not write read-only; say so up front.
        if conn.is_readonly(rusqlite::MAIN_DB)? {
            return Err(UserError::usage(format!(
                "database `{}` cannot be written by this user",
                path.display()
            ))
            .hint("opal-jira writes its database on every command: check the owner and mode of the file and its directory, or point --db or OPAL_JIRA_DB at a writable path.")
            .into());
        }
        conn.pragma_update(None, "foreign_keys", true)?;
        // Closing the last connection to a WAL database copies the log into the file;
        // until the checks pass, a refused database must not even get that.
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
        let db = Db {
            conn,
            path: Some(path.to_path_buf()),
        };

        // Nothing above writes to the file: a database we must refuse is left exactly as
        // it was found. Switching the journal mode is the first write.
        db.check_schema()?;
        db.conn
            .set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, false)?;
        db.use_wal()?;
        db.migrate()?;
        Ok(db)
    }

    /// A private database in memory, for tests.
    pub fn open_in_memory() -> anyhow::Result<Db> {
        let conn = Connection::open_in_memory().context("cannot open an in-memory database")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        let db = Db { conn, path: None };
        db.migrate()?;
        Ok(db)
    }

    /// The file this store lives in; `None` in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The schema version recorded in the database.
    pub fn schema_version(&self) -> anyhow::Result<u32> {
        Ok(schema_version_of(&self.conn)?)
    }

    fn display_path(&self) -> String {
        self.path
            .as_deref()
            .map_or_else(|| ":memory:".to_string(), |p| p.display().to_string())
    }

    /// Refuses a file that is not an SQLite database, an SQLite database that is not
    /// ours, and a schema newer than this build.
    fn check_schema(&self) -> anyhow::Result<()> {
        let path = self.display_path();
        // One statement, so both values come from the same snapshot even while another
        // process is creating the schema.
        let read = self.conn.query_row(
            "SELECT (SELECT user_version FROM pragma_user_version),
                    (SELECT count(*) FROM sqlite_master WHERE type = 'table')",
            [],
            |row| Ok((row.get::<_, u32>(0)?, row.get::<_, i64>(1)?)),
        );
        let (version, tables) = match read.map_err(anyhow::Error::new) {
            Ok(values) => values,
            Err(err) if is_not_a_database(&err) => {
                return Err(err.context(
                    UserError::usage(format!("`{path}` is not an opal-jira database"))
                        .hint(OTHER_DATABASE_HINT),
                ));
            }
            Err(err) => return Err(err.context(format!("cannot read database `{path}`"))),
        };
        if version > SCHEMA_VERSION {
            return Err(UserError::usage(format!(
                "database `{path}` was written by a newer opal-jira (schema {version}, this build knows {SCHEMA_VERSION})"
            ))
            .hint("Upgrade opal-jira on this host; an older build cannot use this database safely.")
            .into());
        }
        if version == 0 && tables > 0 {
            return Err(UserError::usage(format!(
                "`{path}` is an SQLite database, but not an opal-jira one"
            ))
            .hint(OTHER_DATABASE_HINT)
            .into());
        }
        Ok(())
    }

    /// Write-ahead logging lets readers work while another process writes.
    fn use_wal(&self) -> anyhow::Result<()> {
        let current: String = self
            .conn
            .pragma_query_value(None, "journal_mode", |row| row.get(0))?;
        if current.eq_ignore_ascii_case("wal") {
            return Ok(());
        }
        // Switching needs the file to itself. When several processes open a new file at
        // once, SQLite answers "busy" straight away instead of calling the busy handler
        // (waiting could deadlock), so the waiting happens here.
        let deadline = Instant::now() + BUSY_TIMEOUT;
        let mode: String = loop {
            match self
                .conn
                .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
            {
                Ok(mode) => break mode,
                Err(err) if is_busy(&err) && Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(err) => {
                    return Err(err).with_context(|| {
                        format!(
                            "cannot switch database `{}` to WAL mode",
                            self.display_path()
                        )
                    });
                }
            }
        };
        if !mode.eq_ignore_ascii_case("wal") {
            // Some file systems (network mounts) cannot share WAL memory; SQLite then
            // keeps its rollback journal, which is slower under contention but correct.
            log::warn!(
                "database `{}` stays in {mode} journal mode",
                self.display_path()
            );
        }
        Ok(())
    }

    /// Applies the migrations this database lacks, all in one transaction.
    fn migrate(&self) -> anyhow::Result<()> {
        if self.schema_version()? == SCHEMA_VERSION {
            return Ok(());
        }
        self.write(|tx| {
            // Another process may have migrated while this one waited for the lock.
            let from = schema_version_of(tx)?;
            if from >= SCHEMA_VERSION {
                return Ok(());
            }
            for (index, sql) in MIGRATIONS.iter().enumerate().skip(from as usize) {
                tx.execute_batch(sql)
                    .with_context(|| format!("cannot apply schema migration {}", index + 1))?;
            }
            tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
            Ok(())
        })
        .with_context(|| {
            format!(
                "cannot update the schema of database `{}`",
                self.display_path()
            )
        })
    }

    /// Runs `f` in one write transaction, committed only when `f` succeeds.
    ///
    /// `BEGIN IMMEDIATE` takes the write lock up front. A deferred transaction that reads
    /// first and writes later can fail at once when another process wrote in between;
    /// taking the lock first makes concurrent writers queue on the busy timeout instead.
    fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> anyhow::Result<T>) -> anyhow::Result<T> {
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .context("cannot start a database transaction")?;
        let value = f(&tx)?;
        tx.commit()
            .context("cannot commit a database transaction")?;
        Ok(value)
    }
}

fn schema_version_of(conn: &Connection) -> rusqlite::Result<u32> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
}

fn is_busy(err: &rusqlite::Error) -> bool {
    matches!(
        err.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

fn is_not_a_database(err: &anyhow::Error) -> bool {
    err.downcast_ref::<rusqlite::Error>()
        .and_then(rusqlite::Error::sqlite_error_code)
        .is_some_and(|code| code == ErrorCode::NotADatabase)
}

/// Adds `what` as context to an error, unless it is already a message for the user; a
/// storage failure (damaged, read-only, locked, full) becomes one, naming the file.
trait StoreContext<T> {
    fn store_context(self, db: &Db, what: impl FnOnce() -> String) -> anyhow::Result<T>;
}

impl<T> StoreContext<T> for anyhow::Result<T> {
    fn store_context(self, db: &Db, what: impl FnOnce() -> String) -> anyhow::Result<T> {
        self.map_err(|err| {
            if err.is::<UserError>() {
                return err;
            }
            let err = err.context(what());
            match storage_error(&db.display_path(), &err) {
                Some(user) => err.context(user),
                None => err,
            }
        })
    }
}

/// Says in words what a storage-level SQLite failure means for the user, and what to
/// do about it; `None` for any other error.
fn storage_error(path: &str, err: &anyhow::Error) -> Option<UserError> {
    let sqlite = err
        .chain()
        .find_map(|cause| cause.downcast_ref::<rusqlite::Error>())?;
    let detail = sqlite.to_string();
    let user = match sqlite.sqlite_error_code()? {
        ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase => {
            UserError::failure(format!("database `{path}` is damaged ({detail})")).hint(format!(
                "Restore it from a backup; opal-jira does not repair it. `sqlite3 {path} .recover` may rescue what is left."
            ))
        }
        ErrorCode::ReadOnly => UserError::usage(format!(
            "database `{path}` cannot be written by this user ({detail})"
        ))
        .hint(
            "opal-jira writes its database on every command: check the owner and mode of the file and its directory, or point --db or OPAL_JIRA_DB at a writable path.",
        ),
        ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => UserError::failure(format!(
            "database `{path}` is locked by another process, which held it for more than {} s",
            BUSY_TIMEOUT.as_secs()
        ))
        .hint(format!(
            "Try again; if it stays locked, look for the process holding it (`fuser {path}`)."
        )),
        ErrorCode::DiskFull => {
            UserError::failure(format!("the disk holding database `{path}` is full"))
                .hint("Free some space; nothing was written.")
        }
        ErrorCode::CannotOpen => UserError::usage(format!(
            "cannot open database `{path}` ({detail})"
        ))
        .hint("Check that the directory exists and that this user may create files in it."),
        _ => return None,
    };
    Some(user)
}

/// The stored form of a time; see the module notes.
fn time_text(at: DateTime<Utc>) -> anyhow::Result<String> {
    // Beyond four-digit years the text loses its fixed width, and with it its order.
    if !(0..=9999).contains(&at.year()) {
        return Err(
            UserError::usage(format!("time {at} is outside the years 0000 to 9999")).into(),
        );
    }
    Ok(at.format(TIME_FORMAT).to_string())
}

/// A time as messages show it; the same text as the stored form.
fn show_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn parse_time(text: &str) -> anyhow::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.with_timezone(&Utc))
        .with_context(|| format!("stored time `{text}` is not RFC 3339"))
}

fn conversion_error(index: usize, err: anyhow::Error) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(index, Type::Text, err.into())
}

fn column_time(row: &Row<'_>, index: usize) -> rusqlite::Result<DateTime<Utc>> {
    let text: String = row.get(index)?;
    parse_time(&text).map_err(|err| conversion_error(index, err))
}

fn column_opt_time(row: &Row<'_>, index: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    let text: Option<String> = row.get(index)?;
    text.map(|text| parse_time(&text).map_err(|err| conversion_error(index, err)))
        .transpose()
}

fn column_parsed<T>(row: &Row<'_>, index: usize) -> rusqlite::Result<T>
where
    T: std::str::FromStr<Err = anyhow::Error>,
{
    let text: String = row.get(index)?;
    text.parse().map_err(|err| conversion_error(index, err))
}

/// Creates the missing directories above `path` one by one, so that each one created
/// here, and only those, is set to 0700; an existing directory is the user's business.
#[cfg(unix)]
fn create_private_parents(path: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::{DirBuilderExt as _, PermissionsExt as _};

    let Some(parent) = path.parent() else {
        return Ok(());
    };
    let missing: Vec<&Path> = parent
        .ancestors()
        .take_while(|dir| !dir.as_os_str().is_empty() && !dir.exists())
        .collect();
    for dir in missing.into_iter().rev() {
        match fs::DirBuilder::new().mode(0o700).create(dir) {
            // The umask may have narrowed the mode (0500 would lock us out).
            Ok(()) => fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
                .with_context(|| format!("cannot set the mode of `{}`", dir.display()))?,
            // Another process created it a moment ago.
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {}
            Err(err) => {
                return Err(err)
                    .with_context(|| format!("cannot create directory `{}`", dir.display()));
            }
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn create_private_parents(path: &Path) -> anyhow::Result<()> {
    match path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
        Some(dir) => fs::create_dir_all(dir)
            .with_context(|| format!("cannot create directory `{}`", dir.display())),
        None => Ok(()),
    }
}

/// Creates the database file with mode 0600 before SQLite sees it; SQLite gives its
/// `-wal` and `-shm` files the mode of the database file.
#[cfg(unix)]
fn create_private_file(path: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};

    match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(file) => file
            .set_permissions(fs::Permissions::from_mode(0o600))
            .with_context(|| format!("cannot set the mode of `{}`", path.display())),
        Err(err) if err.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(err) => {
            Err(err).with_context(|| format!("cannot create database `{}`", path.display()))
        }
    }
}

#[cfg(not(unix))]
fn create_private_file(path: &Path) -> anyhow::Result<()> {
    match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(err) if err.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(err) => {
            Err(err).with_context(|| format!("cannot create database `{}`", path.display()))
        }
    }
}

#[cfg(test)]
mod testutil;

#[cfg(test)]
mod tests;
