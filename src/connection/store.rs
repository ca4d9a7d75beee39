//! Where saved profiles live: the OS keyring.
//!
//! A profile is one keyring entry (service `opal-jira`, account = profile name) whose
//! secret is the profile as JSON, token included. On Linux the Secret Service (GNOME
//! Keyring, KWallet) is the default; `OPAL_JIRA_KEYRING=keyutils` picks the kernel
//! keyring instead, for headless hosts. Tests point `__OPAL_JIRA_TEST_KEYRING_DIR` at a
//! directory to use plain files, since a keyring mock cannot outlive one process.

use std::fs;
use std::io::Write as _;
use std::path::PathBuf;

use anyhow::Context as _;

use crate::error::UserError;

/// The keyring service name of every entry.
pub const SERVICE: &str = "opal-jira";

/// Chooses the backend (`secret-service` or `keyutils`).
pub const BACKEND_VAR: &str = "OPAL_JIRA_KEYRING";

/// Test hook: store profiles as files in this directory instead of the keyring.
pub const TEST_DIR_VAR: &str = "__OPAL_JIRA_TEST_KEYRING_DIR";

/// Reads, writes and deletes one secret per profile.
pub trait SecretStore {
    /// A short name for messages ("the Secret Service", ...).
    fn describe(&self) -> String;
    fn get(&self, profile: &str) -> anyhow::Result<Option<String>>;
    fn set(&self, profile: &str, secret: &str) -> anyhow::Result<()>;
    /// Deletes the entry; `false` when there was none.
    fn delete(&self, profile: &str) -> anyhow::Result<bool>;
}

/// The store chosen by the environment.
pub fn from_env() -> anyhow::Result<Box<dyn SecretStore>> {
    if let Some(dir) = std::env::var_os(TEST_DIR_VAR) {
        return Ok(Box::new(FileStore {
            dir: PathBuf::from(dir),
        }));
    }
    let backend = std::env::var(BACKEND_VAR).unwrap_or_default();
    match backend.as_str() {
        "" | "default" | "secret-service" => Ok(Box::new(KeyringStore::new(Backend::Default))),
        #[cfg(target_os = "linux")]
        "keyutils" => Ok(Box::new(KeyringStore::new(Backend::Keyutils))),
        other => Err(UserError::usage(format!(
            "unknown keyring backend `{other}` in {BACKEND_VAR}"
        ))
        .hint(format!(
            "Use `secret-service` (the default) or `keyutils`, or unset {BACKEND_VAR}."
        ))
        .into()),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Backend {
    /// The platform default: Secret Service on Linux, Keychain on macOS, Credential
    /// Manager on Windows.
    Default,
    /// The Linux kernel keyring (kept until reboot).
    #[cfg(target_os = "linux")]
    Keyutils,
}

struct KeyringStore {
    backend: Backend,
}

impl KeyringStore {
    fn new(backend: Backend) -> Self {
        #[cfg(target_os = "linux")]
        if backend == Backend::Keyutils {
            // A process started outside a login session (cron, systemd, a container) has
            // no session keyring, and the kernel then hides keys from it; joining one
            // first makes keys readable. Under a real login session this changes nothing.
            let _ = linux_keyutils::KeyRing::from_special_id(
                linux_keyutils::KeyRingIdentifier::Session,
                true,
            );
            keyring::set_default_credential_builder(keyring::keyutils::default_credential_builder());
        }
        KeyringStore { backend }
    }

    fn entry(&self, profile: &str) -> anyhow::Result<keyring::Entry> {
        keyring::Entry::new(SERVICE, profile).map_err(|err| self.unavailable(err))
    }

    /// Turns a keyring failure into an error that says the keyring is unreachable and
    /// how to run without it.
    fn unavailable(&self, err: keyring::Error) -> anyhow::Error {
        UserError::usage(format!(
            "the OS keyring ({}) is not reachable: {err}",
            self.describe()
        ))
        .hint(
            "Without a keyring (cron, CI, headless hosts) set the connection in the \
                 environment: OPAL_JIRA_TOKEN (or OPAL_JIRA_TOKEN_FILE), OPAL_JIRA_DEPLOYMENT, \
                                  OPAL_JIRA_URL or OPAL_JIRA_WORKSPACE, OPAL_JIRA_PROJECT and OPAL_JIRA_EMAIL. \
                 On a Linux host without a desktop session, OPAL_JIRA_KEYRING=keyutils keeps \
                 profiles in the kernel keyring instead (until reboot).",
        )
        .into()
    }
}

impl SecretStore for KeyringStore {
    fn describe(&self) -> String {
        match self.backend {
            Backend::Default if cfg!(target_os = "linux") => "Secret Service".to_string(),
            Backend::Default => "platform keyring".to_string(),
            #[cfg(target_os = "linux")]
            Backend::Keyutils => "kernel keyutils".to_string(),
        }
    }

    fn get(&self, profile: &str) -> anyhow::Result<Option<String>> {
        match self.entry(profile)?.get_password() {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(err) => Err(self.unavailable(err)),
        }
    }

    fn set(&self, profile: &str, secret: &str) -> anyhow::Result<()> {
        self.entry(profile)?
            .set_password(secret)
            .map_err(|err| self.unavailable(err))
    }

    fn delete(&self, profile: &str) -> anyhow::Result<bool> {
        match self.entry(profile)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(err) => Err(self.unavailable(err)),
        }
    }
}

/// Profiles as private files in a directory: the test stand-in for a keyring.
struct FileStore {
    dir: PathBuf,
}

impl FileStore {
    fn path(&self, profile: &str) -> PathBuf {
        self.dir.join(format!("{SERVICE}.{profile}.json"))
    }
}

impl SecretStore for FileStore {
    fn describe(&self) -> String {
        format!("test file store in {}", self.dir.display())
    }

    fn get(&self, profile: &str) -> anyhow::Result<Option<String>> {
        let path = self.path(profile);
        match fs::read_to_string(&path) {
            Ok(text) => Ok(Some(text)),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(err).with_context(|| format!("reading {}", path.display())),
        }
    }

    fn set(&self, profile: &str, secret: &str) -> anyhow::Result<()> {
        fs::create_dir_all(&self.dir)
            .with_context(|| format!("creating {}", self.dir.display()))?;
        let path = self.path(profile);
        let mut options = fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options
            .open(&path)
            .with_context(|| format!("writing {}", path.display()))?;
        file.write_all(secret.as_bytes())
            .with_context(|| format!("writing {}", path.display()))
    }

    fn delete(&self, profile: &str) -> anyhow::Result<bool> {
        let path = self.path(profile);
        match fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(err) => Err(err).with_context(|| format!("deleting {}", path.display())),
        }
    }
}
