//! `opal-jira doctor`: every part of the setup opal-jira depends on, checked in order,
//! each with a verdict and, for a failure, the exact fix.
//!
//! The local parts come first (the connection's configuration, the keyring, the
//! database), then Jira: the server and its version, the token, the project and the
//! account's permissions, and for a Jira Service Management project each step of the
//! JSM setup (see [`jsm`]). A check that cannot run because an earlier one failed is
//! `skip`; one that cannot be checked at all through Jira's REST API is `info`, and says
//! so rather than guess.
//!
//! Doctor also refreshes what opal-jira remembers about the project: its kind in the
//! saved profile, and its kind, service desk and portal in the database.

mod jsm;

use serde::Serialize;

use crate::cmd::configure::MIN_DC_VERSION;
use crate::connection::{self, Connection, Source, store};
use crate::ctx::Ctx;
use crate::error::{self, ExitKind};
use crate::jira::{Deployment, JiraClient, JiraError};
use crate::ticketing::project::{self, ProjectInfo};

/// A check's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Checked and fine.
    Pass,
    /// Checked and broken; the check's `fix` says what to do.
    Fail,
    /// Not checked, because something it needs failed first.
    Skip,
    /// Cannot be checked through Jira's REST API; the detail says what to look at.
    Info,
}

impl Status {
    /// The word in the table.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "ok",
            Status::Fail => "FAIL",
            Status::Skip => "skip",
            Status::Info => "info",
        }
    }
}

/// One line of the report.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// A stable identifier, e.g. `token` or `request_type`.
    pub name: &'static str,
    /// True for `pass` and `info`.
    pub ok: bool,
    pub status: Status,
    pub detail: String,
    /// What to do about a failure.
    pub fix: Option<String>,
}

impl Check {
    fn new(name: &'static str, status: Status, detail: String, fix: Option<String>) -> Check {
        Check {
            name,
            ok: matches!(status, Status::Pass | Status::Info),
            status,
            detail,
            fix,
        }
    }

    pub(crate) fn pass(name: &'static str, detail: impl Into<String>) -> Check {
        Check::new(name, Status::Pass, detail.into(), None)
    }

    pub(crate) fn fail(
        name: &'static str,
        detail: impl Into<String>,
        fix: impl Into<String>,
    ) -> Check {
        Check::new(name, Status::Fail, detail.into(), Some(fix.into()))
    }

    pub(crate) fn skip(name: &'static str, why: impl Into<String>) -> Check {
        Check::new(name, Status::Skip, why.into(), None)
    }

    pub(crate) fn info(name: &'static str, detail: impl Into<String>) -> Check {
        Check::new(name, Status::Info, detail.into(), None)
    }
}

/// Every check, in order.
#[derive(Debug, Default)]
pub struct Report {
    pub checks: Vec<Check>,
    /// The connection is not configured at all (the exit code is then 2).
    pub unconfigured: bool,
}

impl Report {
    /// True when no check failed or was skipped.
    pub fn ok(&self) -> bool {
        self.checks.iter().all(|check| check.ok)
    }

    /// How many checks failed.
    pub fn failures(&self) -> usize {
        self.checks
            .iter()
            .filter(|check| check.status == Status::Fail)
            .count()
    }

    fn push(&mut self, check: Check) -> bool {
        let ok = check.ok;
        self.checks.push(check);
        ok
    }

    /// Marks the checks that could not run, so the report always lists every one.
    fn skip_all(&mut self, names: &[&'static str], why: &str) {
        for name in names {
            self.checks.push(Check::skip(name, why));
        }
    }
}

/// The Jira checks after the server answered, in order, for skipping.
const JIRA_CHECKS: [&str; 4] = ["token", "token_expiry", "project", "modify_reporter"];

/// Runs every check.
pub fn run(ctx: &Ctx) -> Report {
    let mut report = Report::default();
    let connection = check_configuration(ctx, &mut report);
    report.push(check_keyring(ctx));
    report.push(check_database(ctx));

    let Some(connection) = connection else {
        report.skip_all(&["server"], "needs a configured connection");
        report.skip_all(&JIRA_CHECKS, "needs a configured connection");
        return report;
    };
    let client = match ctx.jira() {
        Ok(client) => client,
        Err(err) => {
            report.push(Check::fail(
                "server",
                format!("cannot set up the connection: {err:#}"),
                error::hints(&err).join(" "),
            ));
            report.skip_all(&JIRA_CHECKS, "needs a working connection");
            return report;
        }
    };
    if !check_server(client, connection, &mut report) {
        report.skip_all(&JIRA_CHECKS, "needs Jira to answer");
        return report;
    }
    if !report.push(check_token(client, connection)) {
        report.skip_all(&JIRA_CHECKS[1..], "needs a valid token");
        return report;
    }
    report.push(token_expiry(connection));
    let Some(info) = check_project(ctx, client, connection, &mut report) else {
        report.skip_all(&JIRA_CHECKS[3..], "needs the project");
        return report;
    };
    let permissions = client.my_permissions(&info.key, &["MODIFY_REPORTER", "ADMINISTER"]);
    report.push(check_modify_reporter(&info, &permissions));
    if info.is_service_desk() {
        jsm::run(client, &info, &permissions, &mut report);
    }
    report
}

fn check_configuration<'c>(ctx: &'c Ctx, report: &mut Report) -> Option<&'c Connection> {
    match ctx.connection() {
        Ok(connection) => {
            let source = match connection.source {
                Source::Keyring => format!("profile `{}` in the OS keyring", connection.profile),
                Source::Environment => "the environment".to_string(),
            };
            report.push(Check::pass(
                "configuration",
                format!(
                    "{} at {}, project {}, from {source}",
                    crate::cmd::configure::deployment_name(connection.deployment),
                    connection.base_url,
                    connection.project
                ),
            ));
            Some(connection)
        }
        Err(err) => {
            report.unconfigured = error::exit_kind(&err) == ExitKind::Usage;
            let mut fix = error::hints(&err).join(" ");
            if fix.is_empty() {
                fix = "Run `opal-jira configure`, or set the OPAL_JIRA_* variables.".into();
            }
            report.push(Check::fail("configuration", format!("{err:#}"), fix));
            None
        }
    }
}

fn check_keyring(ctx: &Ctx) -> Check {
    const NAME: &str = "keyring";
    // The contract: while the environment holds the connection, the keyring is left
    // alone entirely.
    if connection::env_configured() {
        return Check::info(
            NAME,
            "not used: the connection comes from the environment (OPAL_JIRA_TOKEN or OPAL_JIRA_TOKEN_FILE is set)",
        );
    }
    let profile = &ctx.global.profile;
    let headless = "On a headless Linux host set OPAL_JIRA_KEYRING=keyutils, or configure \
                    from the environment (OPAL_JIRA_TOKEN and the other OPAL_JIRA_* variables).";
    let store = match store::from_env() {
        Ok(store) => store,
        Err(err) => return Check::fail(NAME, format!("{err:#}"), headless),
    };
    match store.get(profile) {
        Ok(Some(_)) => Check::pass(
            NAME,
            format!("profile `{profile}` is in the {}", store.describe()),
        ),
        Ok(None) => Check::fail(
            NAME,
            format!("no profile `{profile}` in the {}", store.describe()),
            "Run `opal-jira configure` to save one.",
        ),
        Err(err) => Check::fail(NAME, format!("{err:#}"), headless),
    }
}

fn check_database(ctx: &Ctx) -> Check {
    const NAME: &str = "database";
    let fix = "Point --db or OPAL_JIRA_DB at a writable file (its directory is created).";
    let path = match ctx.db_path() {
        Ok(path) => path,
        Err(err) => return Check::fail(NAME, format!("{err:#}"), fix),
    };
    match ctx.db().and_then(|db| db.schema_version()) {
        Ok(version) => Check::pass(NAME, format!("{} (schema {version})", path.display())),
        Err(err) => {
            let hints = error::hints(&err);
            let fix = if hints.is_empty() {
                fix.to_string()
            } else {
                hints.join(" ")
            };
            Check::fail(NAME, format!("{err:#}"), fix)
        }
    }
}

/// What to do about a failed call, from the error's own advice when it has some.
fn fix_for(err: &JiraError, fallback: &str) -> String {
    err.hint().unwrap_or_else(|| fallback.to_string())
}

/// The server answers and is the deployment configured; Data Center is 8.14 or later.
fn check_server(client: &JiraClient, connection: &Connection, report: &mut Report) -> bool {
    let info = match client.server_info() {
        Ok(info) => info,
        Err(err) => {
            let fix = fix_for(&err, "Check the Jira URL with `opal-jira configure show`.");
            return report.push(Check::fail("server", err.to_string(), fix));
        }
    };
    let url = &connection.base_url;
    match (connection.deployment, info.is_cloud()) {
        (Deployment::Cloud, false) => {
            return report.push(Check::fail(
                "server",
                format!(
                    "{url} is not Jira Cloud (it reports deployment type `{}`)",
                    info.deployment_type
                ),
                "Configure it as `datacenter` (`opal-jira configure --deployment datacenter` or OPAL_JIRA_DEPLOYMENT=datacenter).",
            ));
        }
        (Deployment::DataCenter, true) => {
            return report.push(Check::fail(
                "server",
                format!("{url} is Jira Cloud"),
                "Configure it as `cloud` with your email and an API token (`opal-jira configure --deployment cloud` or OPAL_JIRA_DEPLOYMENT=cloud).",
            ));
        }
        (Deployment::Cloud, true) => {
            return report.push(Check::pass("server", format!("Jira Cloud at {url}")));
        }
        (Deployment::DataCenter, false) => {}
    }
    report.push(Check::pass("server", format!("Jira Data Center at {url}")));
    let (major, minor) = MIN_DC_VERSION;
    if info.version_at_least(major, minor) {
        report.push(Check::pass(
            "data_center_version",
            format!("Jira {} (8.14 or later is needed)", info.version),
        ))
    } else {
        report.push(Check::fail(
            "data_center_version",
            format!(
                "Jira {} is older than 8.14, the first version with personal access tokens",
                info.version
            ),
            "Upgrade Jira Data Center to 8.14 or later.",
        ))
    }
}

fn check_token(client: &JiraClient, connection: &Connection) -> Check {
    const NAME: &str = "token";
    match client.myself() {
        Ok(me) => {
            let email = me
                .email
                .map(|email| format!(" ({email})"))
                .unwrap_or_default();
            Check::pass(NAME, format!("authenticated as {}{email}", me.display_name))
        }
        Err(err) if err.is_auth() => {
            let fix = match connection.deployment {
                Deployment::Cloud => {
                    "Create an API token at https://id.atlassian.com/manage-profile/security/api-tokens, then run `opal-jira configure` (or set OPAL_JIRA_TOKEN) with it and the account's email."
                }
                Deployment::DataCenter => {
                    "Create a personal access token in Jira (your profile → Personal Access Tokens), then run `opal-jira configure` (or set OPAL_JIRA_TOKEN) with it."
                }
            };
            Check::fail(NAME, err.to_string(), fix)
        }
        Err(err) => {
            let fix = fix_for(&err, "Try again; if it persists, check Jira's status.");
            Check::fail(NAME, err.to_string(), fix)
        }
    }
}

/// Jira does not say when a token expires, so this only says where to look.
fn token_expiry(connection: &Connection) -> Check {
    let detail = match connection.deployment {
        Deployment::Cloud => {
            "not checked: Jira Cloud does not report an API token's expiry through its REST API (tokens expire within a year of creation); see it at https://id.atlassian.com/manage-profile/security/api-tokens"
        }
        Deployment::DataCenter => {
            "not checked: Jira Data Center does not say which token a call used, so its expiry cannot be read; see it in Jira under your profile → Personal Access Tokens"
        }
    };
    Check::info("token_expiry", detail)
}

/// The project exists; what is remembered about it is refreshed.
fn check_project(
    ctx: &Ctx,
    client: &JiraClient,
    connection: &Connection,
    report: &mut Report,
) -> Option<ProjectInfo> {
    const NAME: &str = "project";
    let key = &connection.project;
    let info = match project::learn(client, key) {
        Ok(Some(info)) => info,
        Ok(None) => {
            report.push(Check::fail(
                NAME,
                format!("project {key} does not exist, or this account cannot see it"),
                "Check the key (`opal-jira configure --project` or OPAL_JIRA_PROJECT), and that the account has Browse Projects in it.",
            ));
            return None;
        }
        Err(err) => {
            let fix = fix_for(&err, "Try again; if it persists, check Jira's status.");
            report.push(Check::fail(NAME, err.to_string(), fix));
            return None;
        }
    };
    project::remember(ctx, &info);
    let refreshed = refresh_profile(ctx, connection, &info.project_type);
    let kind = if info.is_service_desk() {
        "a Jira Service Management project"
    } else {
        "a project of type"
    };
    let mut detail = if info.is_service_desk() {
        format!("{key} is {kind}")
    } else {
        format!("{key} is {kind} `{}`", info.project_type)
    };
    if let Some(note) = refreshed {
        detail.push_str(&format!(" ({note})"));
    }
    report.push(Check::pass(NAME, detail));
    Some(info)
}

/// Updates the project type saved in the keyring profile when Jira says otherwise.
/// Returns a note for the report when it changed.
fn refresh_profile(ctx: &Ctx, connection: &Connection, kind: &str) -> Option<String> {
    if connection.source != Source::Keyring || connection.project_type.as_deref() == Some(kind) {
        return None;
    }
    let mut updated = connection.clone();
    updated.project_type = Some(kind.to_string());
    let saved = store::from_env().and_then(|store| {
        let text = serde_json::to_string(&updated.to_profile())?;
        store.set(&connection.profile, &text)
    });
    match saved {
        Ok(()) => Some(format!("saved in profile `{}`", connection.profile)),
        Err(err) => {
            ctx.ui.warn(&format!(
                "could not save the project type in profile `{}`: {err:#}",
                connection.profile
            ));
            None
        }
    }
}

fn check_modify_reporter(
    info: &ProjectInfo,
    permissions: &Result<std::collections::HashMap<String, bool>, JiraError>,
) -> Check {
    const NAME: &str = "modify_reporter";
    match permissions {
        Ok(held) if held.get("MODIFY_REPORTER").copied().unwrap_or(false) => Check::pass(
            NAME,
            format!(
                "the account holds Modify Reporter in {}, so tickets it creates can name the requester as reporter",
                info.key
            ),
        ),
        Ok(_) => Check::fail(
            NAME,
            format!(
                "the account lacks the Modify Reporter permission in {}: `request --create-ticket --for` cannot make the requester the reporter",
                info.key
            ),
            format!(
                "A Jira admin grants Modify Reporter to the account (or a role it has) in project {}'s permission scheme (Project settings → Permissions).",
                info.key
            ),
        ),
        Err(err) => Check::fail(
            NAME,
            err.to_string(),
            fix_for(err, "Try again; if it persists, check Jira's status."),
        ),
    }
}
