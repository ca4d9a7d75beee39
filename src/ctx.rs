//! The context of one run: global flags, the user interface, the clock, and the parts
//! that are built only when a command asks for them (connection, Jira client, database).
//!
//! Building lazily keeps `--help`, `completions` and `configure` free of any setup they
//! do not need: a broken keyring or database cannot stop them.

use std::cell::OnceCell;
use std::path::PathBuf;

use anyhow::Context as _;

use crate::cli::GlobalArgs;
use crate::clock::Clock;
use crate::connection::{self, Connection};
use crate::db::Db;
use crate::error::UserError;
use crate::jira::JiraClient;
use crate::ui::Ui;

pub struct Ctx {
    pub global: GlobalArgs,
    pub ui: Ui,
    pub clock: Clock,
    connection: OnceCell<Connection>,
    jira: OnceCell<JiraClient>,
    db: OnceCell<Db>,
}

impl Ctx {
    pub fn new(global: GlobalArgs, ui: Ui, clock: Clock) -> Self {
        Ctx {
            global,
            ui,
            clock,
            connection: OnceCell::new(),
            jira: OnceCell::new(),
            db: OnceCell::new(),
        }
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// The effective Jira connection (environment, else keyring).
    pub fn connection(&self) -> anyhow::Result<&Connection> {
        if let Some(connection) = self.connection.get() {
            return Ok(connection);
        }
        let resolved = connection::resolve(&self.global.profile, &|text| self.ui.warn(text))?;
        Ok(self.connection.get_or_init(|| resolved))
    }

    /// The Jira client for the effective connection.
    pub fn jira(&self) -> anyhow::Result<&JiraClient> {
        if let Some(client) = self.jira.get() {
            return Ok(client);
        }
        let config = connection::tune_from_env(self.connection()?.jira_config())?;
        let client = JiraClient::new(config)?;
        Ok(self.jira.get_or_init(|| client))
    }

    /// The database, opened (and migrated) on first use.
    pub fn db(&self) -> anyhow::Result<&Db> {
        if let Some(db) = self.db.get() {
            return Ok(db);
        }
        let path = self.db_path()?;
        let db = Db::open(&path)?;
        Ok(self.db.get_or_init(|| db))
    }

    /// `--db`, `OPAL_JIRA_DB`, else the platform data directory.
    pub fn db_path(&self) -> anyhow::Result<PathBuf> {
        default_db_path(self.global.db.clone())
    }

    /// Who is running this command, for the audit log: the Jira user when known from
    /// the saved profile, else the operating-system user.
    pub fn actor(&self) -> String {
        if let Some(email) = self.connection.get().and_then(|c| c.email.clone()) {
            return email;
        }
        os_user()
    }
}

/// The database path: the given one (`--db` or `OPAL_JIRA_DB`), else
/// `opal-jira.db` in the platform data directory.
pub fn default_db_path(given: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    if let Some(path) = given {
        return Ok(path);
    }
    let dirs = directories::ProjectDirs::from("", "", "opal-jira")
        .context("cannot find a home directory for the database")
        .map_err(|err| {
            UserError::usage(err.to_string()).hint("Pass `--db PATH` or set OPAL_JIRA_DB.")
        })?;
    Ok(dirs.data_dir().join("opal-jira.db"))
}

/// The operating-system user name (for the audit log).
pub fn os_user() -> String {
    for name in ["USER", "LOGNAME"] {
        if let Ok(value) = std::env::var(name)
            && !value.is_empty()
        {
            return value;
        }
    }
    #[cfg(unix)]
    {
        // SAFETY: getuid has no preconditions and cannot fail.
        let uid = unsafe { libc::getuid() };
        format!("uid {uid}")
    }
    #[cfg(not(unix))]
    "unknown".to_string()
}
