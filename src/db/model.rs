//! The records the store keeps, as plain Rust values that know nothing of SQL.
//!
//! `Request` and `TicketRef` serialize to the request object of the JSON contract, so the
//! command layer can print them as they are.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A named thing access can be granted to, with the commands that grant and revoke it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resource {
    pub name: String,
    pub description: Option<String>,
    /// The grant command line; a resource without one only records requests.
    pub grant: Option<String>,
    /// The revoke command line.
    pub revoke: String,
    /// The longest expiry a request may ask for, if limited.
    pub max_expire_secs: Option<i64>,
    /// The time limit of each grant and revoke command.
    pub timeout_secs: i64,
    pub created_at: DateTime<Utc>,
}

impl Resource {
    /// The time limit of a command when the resource sets none.
    pub const DEFAULT_TIMEOUT_SECS: i64 = 60;

    /// A resource with only a revoke command and the default time limit.
    pub fn new(
        name: impl Into<String>,
        revoke: impl Into<String>,
        created_at: DateTime<Utc>,
    ) -> Self {
        Resource {
            name: name.into(),
            description: None,
            grant: None,
            revoke: revoke.into(),
            max_expire_secs: None,
            timeout_secs: Self::DEFAULT_TIMEOUT_SECS,
            created_at,
        }
    }
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    /// Access may exist: granted, being granted, or waiting for a revoke that failed.
    Active,
    /// Access was revoked.
    Revoked,
    /// The grant command failed; nothing was left active.
    Failed,
}

/// Why access ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevokeReason {
    Expired,
    TicketClosed,
    TicketDeleted,
    Manual,
}

/// Declares `as_str`, `Display` and `FromStr` from one table of names, so the three can
/// never disagree with each other (or with serde's snake_case names, which a test checks).
macro_rules! named_enum {
    ($type:ident, $what:literal, { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $type {
            /// Every value, in declaration order.
            pub const ALL: &'static [$type] = &[$($type::$variant),+];

            /// The lower-case name used in the database, JSON and command lines.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($type::$variant => $name),+
                }
            }
        }

        impl fmt::Display for $type {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $type {
            type Err = anyhow::Error;

            fn from_str(text: &str) -> anyhow::Result<Self> {
                match text {
                    $($name => Ok($type::$variant),)+
                    _ => anyhow::bail!("unknown {} `{text}`", $what),
                }
            }
        }
    };
}

named_enum!(RequestStatus, "request status", {
    Active => "active",
    Revoked => "revoked",
    Failed => "failed",
});

named_enum!(RevokeReason, "revoke reason", {
    Expired => "expired",
    TicketClosed => "ticket_closed",
    TicketDeleted => "ticket_deleted",
    Manual => "manual",
});

/// The Jira ticket a request is bound to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TicketRef {
    /// The key, e.g. `OPS-12`; it changes when the ticket moves to another project.
    pub key: String,
    /// Jira's numeric issue id, e.g. `10012`; it survives a move.
    pub id: String,
    /// Where a person opens the ticket (the portal URL for JSM).
    pub url: String,
}

/// One access request, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Request {
    pub id: i64,
    pub resource: String,
    /// Who gets access.
    pub requester: String,
    /// Who asked for it (differs from `requester` with `--for`).
    pub requested_by: String,
    pub reason: Option<String>,
    pub status: RequestStatus,
    pub created_at: DateTime<Utc>,
    /// `None` when access ends only with the ticket.
    pub expires_at: Option<DateTime<Utc>>,
    pub ticket: Option<TicketRef>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoke_reason: Option<RevokeReason>,
    /// The last grant or revoke failure, cleared when a revoke succeeds.
    pub error: Option<String>,
}

/// A request about to be recorded (and then granted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRequest {
    pub resource: String,
    pub requester: String,
    pub requested_by: String,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub ticket: Option<TicketRef>,
}

/// Which requests [`Db::list_requests`](super::Db::list_requests) returns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestFilter {
    /// Include revoked and failed requests, not only active ones.
    pub all: bool,
    pub resource: Option<String>,
    pub ticket_key: Option<String>,
    /// Only requests with an expiry at or before this time (indefinite ones never match).
    pub expiring_before: Option<DateTime<Utc>>,
    pub limit: Option<usize>,
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEvent {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub request_id: Option<i64>,
    /// What happened, in snake_case: `requested`, `granted`, `revoked`, `configured`, …
    pub kind: String,
    /// Who did it: a person's email, or the process for automatic steps.
    pub actor: String,
    /// One readable sentence.
    pub message: String,
    /// Structured facts: command reports, previous values, errors.
    pub detail: serde_json::Value,
}

/// What is known about a Jira project on a site, so that its tickets' links can be
/// built without asking Jira each time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectFacts {
    /// The site's base URL.
    pub site: String,
    pub project_key: String,
    /// Jira's `projectTypeKey`: `software`, `service_desk`, `business`, …
    pub project_type: String,
    /// For a JSM project: its service desk.
    pub service_desk_id: Option<String>,
    /// For a JSM project: its customer portal, when known.
    pub portal_id: Option<String>,
    /// When Jira was last asked.
    pub checked_at: DateTime<Utc>,
}

/// Which events [`Db::events`](super::Db::events) returns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventFilter {
    pub request_id: Option<i64>,
    /// Only events at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Only events before this time.
    pub until: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_match_serde() -> anyhow::Result<()> {
        for status in RequestStatus::ALL {
            assert_eq!(status.as_str().parse::<RequestStatus>()?, *status);
            assert_eq!(serde_json::to_value(status)?, status.as_str());
        }
        for reason in RevokeReason::ALL {
            assert_eq!(reason.as_str().parse::<RevokeReason>()?, *reason);
            assert_eq!(serde_json::to_value(reason)?, reason.as_str());
            assert_eq!(reason.to_string(), reason.as_str());
        }
        assert_eq!(RevokeReason::TicketClosed.as_str(), "ticket_closed");
        Ok(())
    }

    #[test]
    fn unknown_names_are_refused() {
        let err = "Active".parse::<RequestStatus>().expect_err("case matters");
        assert_eq!(err.to_string(), "unknown request status `Active`");
        let err = "closed".parse::<RevokeReason>().expect_err("not a reason");
        assert_eq!(err.to_string(), "unknown revoke reason `closed`");
    }
}
