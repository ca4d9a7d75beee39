//! The Jira connection: which site, which project, which credentials.
//!
//! It comes from one of two places. When `OPAL_JIRA_TOKEN` or `OPAL_JIRA_TOKEN_FILE` is
//! set, everything comes from the environment and the keyring is never touched (cron,
//! CI, headless hosts). Otherwise it is the profile saved by `opal-jira configure` in the
//! OS keyring.

pub mod store;

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;
use reqwest::Url;
use serde::{Deserialize, Serialize};

use crate::error::UserError;
use crate::jira::{Deployment, JiraConfig, User};
use crate::secret::Secret;

/// The environment variables of the contract.
pub mod vars {
    pub const DEPLOYMENT: &str = "OPAL_JIRA_DEPLOYMENT";
    pub const WORKSPACE: &str = "OPAL_JIRA_WORKSPACE";
    pub const URL: &str = "OPAL_JIRA_URL";
    pub const PROJECT: &str = "OPAL_JIRA_PROJECT";
    pub const EMAIL: &str = "OPAL_JIRA_EMAIL";
    pub const TOKEN: &str = "OPAL_JIRA_TOKEN";
    pub const TOKEN_FILE: &str = "OPAL_JIRA_TOKEN_FILE";
    pub const CA_CERT: &str = "OPAL_JIRA_CA_CERT";
    /// Extension: the time limit of each Jira request (a duration, default 30s).
    pub const TIMEOUT: &str = "OPAL_JIRA_TIMEOUT";
    /// Extension: the most one Jira call waits out rate limiting (default 60s).
    pub const RETRY_WAIT: &str = "OPAL_JIRA_RETRY_WAIT";
}

/// Where the effective connection came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Keyring,
    Environment,
}

/// The Jira user behind the token, cached at configure time so that commands need no
/// extra round trip to learn it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    pub display_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

impl From<&User> for Identity {
    fn from(user: &User) -> Self {
        Identity {
            account_id: user.account_id.clone(),
            name: user.name.clone(),
            key: user.key.clone(),
            display_name: user.display_name.clone(),
            email: user.email.clone(),
        }
    }
}

impl Identity {
    /// The same person as a Jira user object: account id on Cloud, user key (else
    /// username) on Data Center.
    pub fn is(&self, user: &User) -> bool {
        match (&self.account_id, &user.account_id) {
            (Some(mine), Some(theirs)) => mine == theirs,
            _ => match (&self.key, &user.key) {
                (Some(mine), Some(theirs)) => mine == theirs,
                _ => self.name.is_some() && self.name == user.name,
            },
        }
    }
}

/// A saved profile: the keyring entry's content.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Profile {
    pub deployment: Deployment,
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace: Option<String>,
    pub project: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_type: Option<String>,
}

/// The effective connection.
#[derive(Debug, Clone)]
pub struct Connection {
    pub profile: String,
    pub source: Source,
    pub deployment: Deployment,
    pub base_url: Url,
    pub workspace: Option<String>,
    pub project: String,
    pub email: Option<String>,
    pub token: Secret,
    pub ca_cert: Option<PathBuf>,
    pub identity: Option<Identity>,
    pub project_type: Option<String>,
}

impl Connection {
    /// The settings the Jira client needs.
    pub fn jira_config(&self) -> JiraConfig {
        JiraConfig {
            deployment: self.deployment,
            base_url: self.base_url.clone(),
            email: self.email.clone(),
            token: self.token.clone(),
            ca_cert: self.ca_cert.clone(),
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            max_retry_wait: Duration::from_secs(60),
            concurrency: 4,
        }
    }

    /// The profile to save for this connection.
    pub fn to_profile(&self) -> Profile {
        Profile {
            deployment: self.deployment,
            url: self.base_url.to_string(),
            workspace: self.workspace.clone(),
            project: self.project.clone(),
            email: self.email.clone(),
            token: self.token.expose().to_string(),
            identity: self.identity.clone(),
            project_type: self.project_type.clone(),
        }
    }
}

/// Applies `OPAL_JIRA_TIMEOUT` and `OPAL_JIRA_RETRY_WAIT` to a client configuration.
/// They tune any connection, from the keyring or the environment; a value that is not
/// a duration is a configuration error naming the variable.
pub fn tune_from_env(mut config: JiraConfig) -> anyhow::Result<JiraConfig> {
    if let Some(timeout) = duration_var(vars::TIMEOUT)? {
        config.read_timeout = timeout;
        config.connect_timeout = config.connect_timeout.min(timeout);
    }
    if let Some(wait) = duration_var(vars::RETRY_WAIT)? {
        config.max_retry_wait = wait;
    }
    Ok(config)
}

fn duration_var(name: &str) -> anyhow::Result<Option<Duration>> {
    let Some(text) = env_var(name) else {
        return Ok(None);
    };
    let seconds =
        crate::duration::parse(&text).map_err(|err| UserError::usage(format!("{name}: {err}")))?;
    Ok(Some(Duration::from_secs(seconds.unsigned_abs())))
}

/// Whether the environment holds the connection (and the keyring must be left alone).
pub fn env_configured() -> bool {
    std::env::var_os(vars::TOKEN).is_some() || std::env::var_os(vars::TOKEN_FILE).is_some()
}

/// Resolves the effective connection: the environment when it holds a token, else the
/// profile in the keyring.
pub fn resolve(profile: &str, warn: &dyn Fn(&str)) -> anyhow::Result<Connection> {
    if env_configured() {
        return from_env(profile, warn);
    }
    let store = store::from_env()?;
    let Some(text) = store.get(profile)? else {
        return Err(UserError::usage(format!(
            "no Jira connection is configured (profile `{profile}`)"
        ))
        .hint("Run `opal-jira configure` to set one up.")
        .hint(
            "For cron and headless hosts, set OPAL_JIRA_TOKEN (or OPAL_JIRA_TOKEN_FILE), \
                 OPAL_JIRA_DEPLOYMENT, OPAL_JIRA_URL or OPAL_JIRA_WORKSPACE, OPAL_JIRA_PROJECT \
                 and OPAL_JIRA_EMAIL instead.",
        )
        .into());
    };
    let saved: Profile = serde_json::from_str(&text).map_err(|_| {
        UserError::usage(format!(
            "the saved profile `{profile}` in the keyring is unreadable"
        ))
        .hint("Run `opal-jira configure` again to replace it.")
    })?;
    let base_url = parse_site_url(&saved.url)?;
    Ok(Connection {
        profile: profile.to_string(),
        source: Source::Keyring,
        deployment: saved.deployment,
        base_url,
        workspace: saved.workspace,
        project: saved.project,
        email: saved.email,
        token: Secret::new(saved.token),
        ca_cert: ca_cert_from_env(),
        identity: saved.identity,
        project_type: saved.project_type,
    })
}

fn env_var(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|value| value.trim().to_string())
        .filter(|value| !value.is_empty())
}

fn missing(name: &str, why: &str) -> anyhow::Error {
    UserError::usage(format!("{name} is not set, and it is required {why}"))
        .hint(format!(
            "The connection comes from the environment because {} or {} is set; set {name} too.",
            vars::TOKEN,
            vars::TOKEN_FILE
        ))
        .into()
}

fn ca_cert_from_env() -> Option<PathBuf> {
    env_var(vars::CA_CERT).map(PathBuf::from)
}

fn from_env(profile: &str, warn: &dyn Fn(&str)) -> anyhow::Result<Connection> {
    let deployment = match env_var(vars::DEPLOYMENT) {
        None => return Err(missing(vars::DEPLOYMENT, "(`cloud` or `datacenter`)")),
        Some(value) => parse_deployment(&value)
            .map_err(|message| UserError::usage(format!("{}: {message}", vars::DEPLOYMENT)))?,
    };
    let workspace = env_var(vars::WORKSPACE);
    let base_url = match (env_var(vars::URL), &workspace, deployment) {
        (Some(url), _, _) => {
            parse_site_url(&url).with_context(|| format!("{} is not usable", vars::URL))?
        }
        (None, Some(name), Deployment::Cloud) => workspace_url(name)?,
        (None, _, Deployment::Cloud) => {
            return Err(missing(
                vars::WORKSPACE,
                "for Jira Cloud (or set OPAL_JIRA_URL)",
            ));
        }
        (None, _, Deployment::DataCenter) => {
            return Err(missing(vars::URL, "for Jira Data Center"));
        }
    };
    let project = env_var(vars::PROJECT)
        .ok_or_else(|| missing(vars::PROJECT, "(a project key such as OPS)"))?;
    let project = parse_project_key(&project)?;
    let email = env_var(vars::EMAIL);
    if deployment == Deployment::Cloud && email.is_none() {
        return Err(missing(
            vars::EMAIL,
            "for Jira Cloud (the API token belongs to it)",
        ));
    }
    let token = token_from_env(warn)?;
    Ok(Connection {
        profile: profile.to_string(),
        source: Source::Environment,
        deployment,
        base_url,
        workspace,
        project,
        email,
        token,
        ca_cert: ca_cert_from_env(),
        identity: None,
        project_type: None,
    })
}

fn token_from_env(warn: &dyn Fn(&str)) -> anyhow::Result<Secret> {
    if let Some(token) = env_var(vars::TOKEN) {
        return Ok(Secret::new(token));
    }
    let Some(path) = env_var(vars::TOKEN_FILE) else {
        return Err(UserError::usage(format!("{} is set but empty", vars::TOKEN)).into());
    };
    let path = PathBuf::from(path);
    warn_if_readable_by_others(&path, warn);
    let text = std::fs::read_to_string(&path).map_err(|err| {
        UserError::usage(format!(
            "cannot read the token file {} ({}): {err}",
            path.display(),
            vars::TOKEN_FILE
        ))
    })?;
    let token = text.trim();
    if token.is_empty() {
        return Err(UserError::usage(format!("the token file {} is empty", path.display())).into());
    }
    Ok(Secret::new(token))
}

#[cfg(unix)]
fn warn_if_readable_by_others(path: &Path, warn: &dyn Fn(&str)) {
    use std::os::unix::fs::PermissionsExt as _;
    if let Ok(meta) = std::fs::metadata(path)
        && meta.permissions().mode() & 0o077 != 0
    {
        warn(&format!(
            "the token file {} can be read by other users; run `chmod 600 {}`",
            path.display(),
            path.display()
        ));
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_path: &Path, _warn: &dyn Fn(&str)) {}

/// Parses `cloud` or `datacenter`, for clap and the environment.
pub fn parse_deployment(text: &str) -> Result<Deployment, String> {
    text.parse::<Deployment>()
        .map_err(|err| format!("{err}: use `cloud` or `datacenter`"))
}

/// A Cloud workspace name becomes `https://NAME.atlassian.net`.
pub fn workspace_url(name: &str) -> anyhow::Result<Url> {
    let name = name.trim().to_ascii_lowercase();
    let valid = !name.is_empty()
        && name.len() <= 63
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !name.starts_with('-')
        && !name.ends_with('-');
    if !valid {
        return Err(UserError::usage(format!(
            "invalid Cloud workspace `{name}`: use the name before `.atlassian.net`, e.g. `acme`"
        ))
        .into());
    }
    Ok(Url::parse(&format!("https://{name}.atlassian.net"))?)
}

/// Validates a project key (`OPS`, `ABC_2`) and upper-cases it.
pub fn parse_project_key(text: &str) -> anyhow::Result<String> {
    let key = text.trim().to_ascii_uppercase();
    let mut chars = key.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && key.len() <= 255;
    if !valid {
        return Err(UserError::usage(format!(
            "invalid project key `{text}`: a project key is letters, digits and `_`, starting with a letter (e.g. `OPS`)"
        ))
        .into());
    }
    Ok(key)
}

/// Checks a site URL given by the user: the client's rules (`https://` for every host,
/// plain `http://` only for loopback ones, no credentials), then no query or fragment
/// and no API gateway. The trailing slash is dropped.
pub fn parse_site_url(text: &str) -> anyhow::Result<Url> {
    let trimmed = text.trim();
    let url = Url::parse(trimmed).map_err(|err| {
        UserError::usage(format!("invalid Jira URL `{trimmed}`: {err}"))
            .hint("Give the site's base URL, e.g. `https://jira.example.com`.")
    })?;
    crate::jira::check_base_url(&url)?;
    let host = url.host_str().unwrap_or_default();
    // Scoped API tokens go through Atlassian's API gateway, whose URLs are not the
    // site's: ticket links built on them would lead nowhere.
    if host.eq_ignore_ascii_case("api.atlassian.com") {
        return Err(UserError::usage(
            "scoped API tokens (the api.atlassian.com gateway) are not supported".to_string(),
        )
        .hint(
            "Create a classic API token (without scopes) and give the site itself, e.g. \
             `--workspace acme` or `https://acme.atlassian.net`.",
        )
        .into());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(UserError::usage(format!(
            "invalid Jira URL `{trimmed}`: give the site's base URL, without `?` or `#` parts"
        ))
        .into());
    }
    let mut url = url;
    let path = url.path().trim_end_matches('/').to_string();
    url.set_path(&path);
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_url_rules() {
        assert_eq!(
            parse_site_url("https://jira.acme.com/").unwrap().as_str(),
            "https://jira.acme.com/"
        );
        assert_eq!(
            parse_site_url("https://acme.com/jira/").unwrap().as_str(),
            "https://acme.com/jira"
        );
        for ok in [
            "http://127.0.0.1:8080",
            "http://localhost:1",
            "http://[::1]:9",
            "http://127.9.9.9",
        ] {
            assert!(parse_site_url(ok).is_ok(), "{ok} refused");
        }
        for bad in [
            "http://jira.acme.com",
            "http://10.0.0.1",
            "http://localhost.evil.com",
            "ftp://jira.acme.com",
            "jira.acme.com",
            "",
            "https://user:pw@jira.acme.com",
            "https://jira.acme.com/?x=1",
            "https://jira.acme.com/#frag",
            "https://api.atlassian.com/ex/jira/1a2b3c",
        ] {
            assert!(parse_site_url(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn workspace_and_project_rules() {
        assert_eq!(
            workspace_url("Acme").unwrap().as_str(),
            "https://acme.atlassian.net/"
        );
        for bad in ["", "acme.atlassian.net", "-acme", "ac me", "acme/x"] {
            assert!(workspace_url(bad).is_err(), "{bad} accepted");
        }
        assert_eq!(parse_project_key("ops").unwrap(), "OPS");
        for bad in ["", "1OPS", "OP-S", "O\"PS", "OPS X"] {
            assert!(parse_project_key(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn deployment_names() {
        assert_eq!(parse_deployment("Cloud"), Ok(Deployment::Cloud));
        assert_eq!(parse_deployment("datacenter"), Ok(Deployment::DataCenter));
        assert!(
            parse_deployment("onprem")
                .unwrap_err()
                .contains("unknown Jira deployment")
        );
    }
}
