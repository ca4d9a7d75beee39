//! What the rest of opal-jira sees of Jira: normalized issues, users, projects and
//! server facts, plus the serde shapes they are read from and the small parsers
//! (timestamps, ticket keys) that keep Jira's quirks out of the callers.
//!
//! Cloud (REST v3) and Data Center (REST v2) differ in user identity and timestamp
//! style; the types here hide those differences.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::error::UserError;

/// The fields every issue request asks for. Cloud's `search/jql` returns only `id`
/// unless told otherwise, so the list is always explicit.
pub(crate) const ISSUE_FIELDS: [&str; 5] = ["summary", "status", "assignee", "project", "updated"];

/// A Jira issue reduced to what opal-jira needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// The numeric issue id as Jira sends it; it never changes, unlike the key.
    pub id: String,
    /// The current key, e.g. `OPS-12`.
    pub key: String,
    pub summary: String,
    /// The status name shown in Jira, e.g. `In Progress`.
    pub status: String,
    pub status_category: StatusCategory,
    pub assignee: Option<User>,
    pub project_key: String,
    pub updated: Option<DateTime<Utc>>,
}

impl Issue {
    /// True when the issue's status is in the Done category, which is what "closed"
    /// means to opal-jira (the resolution field is deliberately ignored).
    pub fn is_done(&self) -> bool {
        self.status_category == StatusCategory::Done
    }
}

/// The category of a workflow status, from `fields.status.statusCategory.key`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusCategory {
    New,
    Indeterminate,
    Done,
    Undefined,
}

impl StatusCategory {
    /// Reads Jira's category key; anything unknown is `Undefined`.
    pub fn from_key(key: &str) -> StatusCategory {
        match key {
            "new" => StatusCategory::New,
            "indeterminate" => StatusCategory::Indeterminate,
            "done" => StatusCategory::Done,
            _ => StatusCategory::Undefined,
        }
    }

    /// The contract's spelling: `new`, `indeterminate`, `done` or `undefined`.
    pub fn as_str(self) -> &'static str {
        match self {
            StatusCategory::New => "new",
            StatusCategory::Indeterminate => "indeterminate",
            StatusCategory::Done => "done",
            StatusCategory::Undefined => "undefined",
        }
    }
}

/// A Jira user. Cloud identifies people by `account_id`; Data Center by `key`
/// (stable) and `name` (the username, which can be renamed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub account_id: Option<String>,
    pub name: Option<String>,
    pub key: Option<String>,
    pub display_name: String,
    /// May be missing on Cloud when the person hides it.
    pub email: Option<String>,
    pub active: bool,
}

impl User {
    /// Whether both values describe the same person: by account id on Cloud, else by
    /// key, else by username (case-insensitive, as Data Center treats usernames).
    pub fn same_person(&self, other: &User) -> bool {
        if let (Some(a), Some(b)) = (&self.account_id, &other.account_id) {
            return a == b;
        }
        if let (Some(a), Some(b)) = (&self.key, &other.key) {
            return a == b;
        }
        if let (Some(a), Some(b)) = (&self.name, &other.name) {
            return a.eq_ignore_ascii_case(b);
        }
        false
    }

    /// Whether the user's visible email is `email`, ignoring case.
    pub fn has_email(&self, email: &str) -> bool {
        self.email
            .as_deref()
            .is_some_and(|own| own.trim().eq_ignore_ascii_case(email.trim()))
    }
}

/// A Jira project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    pub id: String,
    pub key: String,
    pub name: String,
    /// `software`, `service_desk` or `business` when Jira says.
    pub project_type_key: Option<String>,
}

impl Project {
    /// True for Jira Service Management projects.
    pub fn is_service_desk(&self) -> bool {
        self.project_type_key.as_deref() == Some("service_desk")
    }
}

/// What `serverInfo` says about the site. It can be read anonymously, so it proves
/// nothing about the credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerInfo {
    /// `Cloud`, or `Server` (which Data Center also reports).
    pub deployment_type: String,
    pub version: String,
    pub version_numbers: Vec<u32>,
    pub server_time: Option<DateTime<Utc>>,
    pub base_url: Option<String>,
}

impl ServerInfo {
    /// True only when Jira says `Cloud`; Data Center says `Server`.
    pub fn is_cloud(&self) -> bool {
        self.deployment_type.eq_ignore_ascii_case("cloud")
    }

    /// Whether the version is at least `major.minor` (e.g. 8.14 for personal access
    /// tokens). Missing numbers count as zero.
    pub fn version_at_least(&self, major: u32, minor: u32) -> bool {
        let have_major = self.version_numbers.first().copied().unwrap_or(0);
        let have_minor = self.version_numbers.get(1).copied().unwrap_or(0);
        (have_major, have_minor) >= (major, minor)
    }
}

/// Parses a Jira timestamp. Jira writes offsets without a colon
/// (`2020-12-03T14:05:20.974+0100`); RFC 3339 is accepted too.
pub fn parse_jira_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(time) = DateTime::parse_from_rfc3339(s) {
        return Some(time.with_timezone(&Utc));
    }
    DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f%z")
        .ok()
        .map(|time| time.with_timezone(&Utc))
}

/// The longest ticket key accepted; real keys are far shorter, and the cap keeps
/// absurd input out of URLs and JQL.
const MAX_KEY_LEN: usize = 64;

/// Checks a ticket key such as `OPS-12` and returns it in upper case.
///
/// A key is a project key (a letter, then at least one letter, digit or `_`), a dash
/// and a number without leading zeros. Anything else is refused here, so it never
/// reaches a JQL query or a URL path.
pub fn validate_key(key: &str) -> Result<String, UserError> {
    let refuse = || {
        UserError::usage(format!("`{key}` is not a Jira ticket key"))
            .hint("A ticket key looks like `OPS-12`: the project key, a dash and the number.")
    };
    if key.is_empty() || key.len() > MAX_KEY_LEN || !key.is_ascii() {
        return Err(refuse());
    }

    let upper = key.to_ascii_uppercase();
    let (project, number) = upper.rsplit_once('-').ok_or_else(refuse)?;
    if !is_project_key(project) || !is_issue_number(number) {
        return Err(refuse());
    }
    Ok(upper)
}

/// Whether `s` has the shape of an upper-case project key.
pub(crate) fn is_project_key(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let rest = chars.as_str();
    first.is_ascii_uppercase()
        && !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// Whether `s` is a positive decimal number without a leading zero.
fn is_issue_number(s: &str) -> bool {
    !s.is_empty() && !s.starts_with('0') && s.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `s` looks like a numeric issue id (what opal-jira stores for a ticket).
pub(crate) fn is_issue_id(s: &str) -> bool {
    is_issue_number(s) && s.len() <= 19
}

// ---- Wire shapes: only the fields read, everything optional that Jira may omit. ----

/// An issue as Jira sends it. The id and key are checked while reading: they end up in
/// the database, in URLs and in revoke commands, so an answer with a malformed one is
/// refused whole rather than half believed.
#[derive(Debug, Deserialize)]
pub(crate) struct WireIssue {
    #[serde(deserialize_with = "checked_issue_id")]
    pub id: String,
    #[serde(deserialize_with = "checked_key")]
    pub key: String,
    #[serde(default)]
    pub fields: WireFields,
}

fn checked_issue_id<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let id = String::deserialize(deserializer)?;
    if is_issue_id(&id) {
        Ok(id)
    } else {
        Err(serde::de::Error::custom(format!(
            "issue id `{}` is not a number",
            id.escape_debug()
        )))
    }
}

fn checked_key<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let key = String::deserialize(deserializer)?;
    validate_key(&key).map_err(|_| {
        serde::de::Error::custom(format!(
            "issue key `{}` is not a ticket key",
            key.chars().take(80).collect::<String>().escape_debug()
        ))
    })
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct WireFields {
    pub summary: Option<String>,
    pub status: Option<WireStatus>,
    pub assignee: Option<WireUser>,
    pub project: Option<WireProject>,
    pub updated: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct WireStatus {
    #[serde(default)]
    pub name: String,
    #[serde(rename = "statusCategory")]
    pub status_category: Option<WireStatusCategory>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct WireStatusCategory {
    #[serde(default)]
    pub key: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WireUser {
    pub account_id: Option<String>,
    pub name: Option<String>,
    pub key: Option<String>,
    pub display_name: Option<String>,
    pub email_address: Option<String>,
    pub active: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WireProject {
    pub id: String,
    pub key: String,
    #[serde(default)]
    pub name: String,
    pub project_type_key: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WireServerInfo {
    #[serde(default)]
    pub deployment_type: String,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub version_numbers: Vec<u32>,
    pub server_time: Option<String>,
    pub base_url: Option<String>,
}

/// Cloud sends the deprecated `name` and `key` as empty strings; they mean nothing.
fn non_empty(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.trim().is_empty())
}

impl From<WireUser> for User {
    fn from(wire: WireUser) -> User {
        let account_id = non_empty(wire.account_id);
        let name = non_empty(wire.name);
        let display_name = non_empty(wire.display_name)
            .or_else(|| name.clone())
            .or_else(|| account_id.clone())
            .unwrap_or_default();
        User {
            account_id,
            name,
            key: non_empty(wire.key),
            display_name,
            email: non_empty(wire.email_address),
            // Jira omits `active` on some embedded user objects; those are live users.
            active: wire.active.unwrap_or(true),
        }
    }
}

impl From<WireIssue> for Issue {
    fn from(wire: WireIssue) -> Issue {
        let fields = wire.fields;
        let (status, status_category) = match fields.status {
            Some(status) => {
                let category = status
                    .status_category
                    .map(|c| StatusCategory::from_key(&c.key));
                (status.name, category.unwrap_or(StatusCategory::Undefined))
            }
            None => (String::new(), StatusCategory::Undefined),
        };
        // The key's prefix is the project key; the field is the authority when present.
        let project_key = match fields.project {
            Some(project) => project.key,
            None => wire
                .key
                .rsplit_once('-')
                .map(|(p, _)| p.to_string())
                .unwrap_or_default(),
        };
        Issue {
            id: wire.id,
            key: wire.key,
            summary: fields.summary.unwrap_or_default(),
            status,
            status_category,
            assignee: fields.assignee.map(User::from),
            project_key,
            updated: fields.updated.as_deref().and_then(parse_jira_time),
        }
    }
}

impl From<WireProject> for Project {
    fn from(wire: WireProject) -> Project {
        Project {
            id: wire.id,
            key: wire.key,
            name: wire.name,
            project_type_key: non_empty(wire.project_type_key),
        }
    }
}

impl From<WireServerInfo> for ServerInfo {
    fn from(wire: WireServerInfo) -> ServerInfo {
        ServerInfo {
            deployment_type: wire.deployment_type,
            version: wire.version,
            version_numbers: wire.version_numbers,
            server_time: wire.server_time.as_deref().and_then(parse_jira_time),
            base_url: non_empty(wire.base_url),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn parses_jira_offsets_without_colon_and_rfc3339() {
        let expected = Utc.with_ymd_and_hms(2020, 12, 3, 13, 5, 20).unwrap()
            + chrono::Duration::milliseconds(974);
        assert_eq!(
            parse_jira_time("2020-12-03T14:05:20.974+0100"),
            Some(expected)
        );
        assert_eq!(
            parse_jira_time("2020-12-03T14:05:20.974+01:00"),
            Some(expected)
        );
        assert_eq!(parse_jira_time("2020-12-03T13:05:20.974Z"), Some(expected));
        assert_eq!(
            parse_jira_time("2020-12-03T09:05:20-0400"),
            Some(Utc.with_ymd_and_hms(2020, 12, 3, 13, 5, 20).unwrap())
        );
    }

    #[test]
    fn rejects_malformed_times() {
        for bad in [
            "",
            "yesterday",
            "2020-12-03",
            "2020-12-03T14:05:20",
            "2020-13-03T14:05:20Z",
        ] {
            assert_eq!(parse_jira_time(bad), None, "{bad:?} should not parse");
        }
    }

    #[test]
    fn validate_key_normalizes_case() {
        assert_eq!(validate_key("OPS-12").unwrap(), "OPS-12");
        assert_eq!(validate_key("ops-12").unwrap(), "OPS-12");
        assert_eq!(validate_key("My_Proj2-7").unwrap(), "MY_PROJ2-7");
    }

    #[test]
    fn validate_key_refuses_everything_else() {
        let bad = [
            "",
            " ",
            "OPS",
            "OPS-",
            "-12",
            "O-12",
            "OPS-0",
            "OPS-012",
            "OPS 12",
            "OPS-12 ",
            " OPS-12",
            "OPS--12",
            "OPS-1-2",
            "1OPS-12",
            "_OPS-12",
            "\"OPS-12\"",
            "OPS-12\"",
            "X-1) OR (1=1",
            "OPS-1 OR key = OPS-2",
            "OPS-12\n",
            "ÖPS-12",
            "OPS-１２",
            "OPS-12/../../x",
        ];
        for key in bad {
            let err = validate_key(key).expect_err(key);
            assert!(
                err.message.contains("is not a Jira ticket key"),
                "{key:?}: {}",
                err.message
            );
            assert!(!err.hints.is_empty());
        }
        assert!(validate_key(&format!("OPS-{}", "9".repeat(80))).is_err());
    }

    #[test]
    fn issue_ids_are_plain_numbers() {
        assert!(is_issue_id("10012"));
        for bad in [
            "",
            "0",
            "012",
            "1e3",
            "10012)",
            "-1",
            "10012 OR 1=1",
            &"9".repeat(20),
        ] {
            assert!(!is_issue_id(bad), "{bad:?}");
        }
    }

    #[test]
    fn status_category_keys_round_trip() {
        for key in ["new", "indeterminate", "done", "undefined"] {
            assert_eq!(StatusCategory::from_key(key).as_str(), key);
        }
        // The spec's own example uses keys that real sites do not send.
        assert_eq!(
            StatusCategory::from_key("completed"),
            StatusCategory::Undefined
        );
        assert_eq!(StatusCategory::from_key("DONE"), StatusCategory::Undefined);
    }

    fn user(account: Option<&str>, key: Option<&str>, name: Option<&str>) -> User {
        User {
            account_id: account.map(String::from),
            name: name.map(String::from),
            key: key.map(String::from),
            display_name: "someone".into(),
            email: None,
            active: true,
        }
    }

    #[test]
    fn same_person_uses_the_strongest_shared_identity() {
        let cloud_a = user(Some("5b10a"), None, None);
        assert!(cloud_a.same_person(&user(Some("5b10a"), None, None)));
        assert!(!cloud_a.same_person(&user(Some("5b10b"), None, None)));

        // A key match wins over a differing (renamed) username.
        let dc = user(None, Some("JIRAUSER10100"), Some("ana"));
        assert!(dc.same_person(&user(None, Some("JIRAUSER10100"), Some("ana.lima"))));
        assert!(!dc.same_person(&user(None, Some("JIRAUSER10101"), Some("ana"))));
        assert!(user(None, None, Some("Ana")).same_person(&user(None, None, Some("ana"))));

        // Nothing in common means not provably the same person.
        assert!(!cloud_a.same_person(&user(None, None, Some("ana"))));
    }

    #[test]
    fn cloud_issue_json_normalizes() {
        let json = r#"{"id":"10012","key":"OPS-12","fields":{
            "summary":"Disk full on db-3",
            "status":{"name":"In Progress","statusCategory":{"id":4,"key":"indeterminate"}},
            "assignee":{"accountId":"5b10ac8d82e05b22cc7d4ef5","displayName":"Ana Lima",
                        "emailAddress":null,"active":true,"name":"","key":""},
            "project":{"id":"10000","key":"OPS","name":"Operations"},
            "updated":"2024-05-01T09:30:00.000+0000"}}"#;
        let issue: Issue = serde_json::from_str::<WireIssue>(json).unwrap().into();
        assert_eq!(issue.id, "10012");
        assert_eq!(issue.key, "OPS-12");
        assert_eq!(issue.summary, "Disk full on db-3");
        assert_eq!(issue.status, "In Progress");
        assert_eq!(issue.status_category, StatusCategory::Indeterminate);
        assert_eq!(issue.project_key, "OPS");
        assert_eq!(
            issue.updated,
            Some(Utc.with_ymd_and_hms(2024, 5, 1, 9, 30, 0).unwrap())
        );
        let assignee = issue.assignee.unwrap();
        assert_eq!(
            assignee.account_id.as_deref(),
            Some("5b10ac8d82e05b22cc7d4ef5")
        );
        assert_eq!(assignee.name, None, "Cloud's empty name means no name");
        assert_eq!(assignee.key, None);
        assert_eq!(assignee.email, None);
    }

    #[test]
    fn dc_issue_without_assignee_or_category() {
        let json = r#"{"id":"20001","key":"HELP-3","fields":{"summary":"x",
            "status":{"name":"Open"},"assignee":null,"updated":null}}"#;
        let issue: Issue = serde_json::from_str::<WireIssue>(json).unwrap().into();
        assert_eq!(issue.status_category, StatusCategory::Undefined);
        assert_eq!(issue.assignee, None);
        assert_eq!(issue.project_key, "HELP", "falls back to the key's prefix");
        assert!(!issue.is_done());
    }

    #[test]
    fn server_info_version_gate() {
        let info = ServerInfo {
            deployment_type: "Server".into(),
            version: "8.14.0".into(),
            version_numbers: vec![8, 14, 0],
            server_time: None,
            base_url: None,
        };
        assert!(!info.is_cloud());
        assert!(info.version_at_least(8, 14));
        assert!(!info.version_at_least(8, 15));
        assert!(!info.version_at_least(9, 0));
        let old = ServerInfo {
            version_numbers: vec![8, 13, 9],
            ..info.clone()
        };
        assert!(!old.version_at_least(8, 14));
        let new = ServerInfo {
            version_numbers: vec![10],
            ..info
        };
        assert!(new.version_at_least(8, 14));
    }
}
