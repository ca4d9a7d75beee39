//! The contract's JSON shapes and the matching table cells, in one place so that every
//! command prints a ticket or a request the same way.

use chrono::{DateTime, Local, Utc};
use serde::Serialize;
use serde_json::{Value, json};

use crate::clock::rfc3339;
use crate::db::{Request, TicketRef};
use crate::jira::Issue;

/// A ticket as the contract prints it.
#[derive(Debug, Serialize)]
pub struct TicketJson {
    pub key: String,
    pub id: String,
    pub summary: String,
    pub status: String,
    pub status_category: String,
    pub assignee: Option<String>,
    pub url: String,
    pub updated: Option<String>,
}

impl TicketJson {
    pub fn new(issue: &Issue, url: String) -> Self {
        TicketJson {
            key: issue.key.clone(),
            id: issue.id.clone(),
            summary: issue.summary.clone(),
            status: issue.status.clone(),
            status_category: issue.status_category.as_str().to_string(),
            assignee: issue
                .assignee
                .as_ref()
                .map(|user| user.display_name.clone()),
            url,
            updated: issue.updated.map(rfc3339),
        }
    }
}

/// A request as the contract prints it.
pub fn request_json(request: &Request) -> Value {
    json!({
        "id": request.id,
        "resource": request.resource,
        "requester": request.requester,
        "requested_by": request.requested_by,
        "reason": request.reason,
        "status": request.status.as_str(),
        "created_at": rfc3339(request.created_at),
        "expires_at": request.expires_at.map(rfc3339),
        "ticket": request.ticket.as_ref().map(ticket_ref_json),
        "revoked_at": request.revoked_at.map(rfc3339),
        "revoke_reason": request.revoke_reason.map(|reason| reason.as_str()),
        "error": request.error,
    })
}

fn ticket_ref_json(ticket: &TicketRef) -> Value {
    json!({"key": ticket.key, "id": ticket.id, "url": ticket.url})
}

/// A time for a table cell: local time, to the minute, with how far it is from now.
pub fn when(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    stamped(at, now, "%Y-%m-%d %H:%M")
}

/// A time for a `key: value` line: local time with its UTC offset, and how far it is
/// from now.
pub fn when_long(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    stamped(at, now, "%Y-%m-%d %H:%M:%S %:z")
}

fn stamped(at: DateTime<Utc>, now: DateTime<Utc>, format: &str) -> String {
    let stamp = at.with_timezone(&Local).format(format);
    let seconds = (at - now).num_seconds();
    if seconds >= 0 {
        format!("{stamp} (in {})", short_span(seconds))
    } else {
        format!("{stamp} ({} ago)", short_span(-seconds))
    }
}

/// `3h 10m`, `2d 4h`, `45s`: the two largest units.
pub fn short_span(seconds: i64) -> String {
    let units = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)];
    let mut parts = Vec::new();
    let mut rest = seconds.max(0);
    for (name, size) in units {
        if rest >= size && parts.len() < 2 {
            parts.push(format!("{}{name}", rest / size));
            rest %= size;
        } else if !parts.is_empty() {
            break;
        }
    }
    if parts.is_empty() {
        "0s".to_string()
    } else {
        parts.join(" ")
    }
}

/// The table columns for requests.
pub const REQUEST_HEADER: [&str; 7] = [
    "ID",
    "RESOURCE",
    "REQUESTER",
    "STATUS",
    "EXPIRES",
    "TICKET",
    "REASON",
];

/// One table row for a request.
pub fn request_row(request: &Request, now: DateTime<Utc>) -> Vec<String> {
    let expires = match (request.status.as_str(), request.expires_at) {
        ("revoked", _) => format!(
            "ended {}",
            request
                .revoke_reason
                .map(|reason| reason.as_str())
                .unwrap_or("")
        ),
        (_, Some(at)) => when(at, now),
        (_, None) => "when the ticket closes".to_string(),
    };
    vec![
        request.id.to_string(),
        request.resource.clone(),
        request.requester.clone(),
        request.status.as_str().to_string(),
        expires,
        request
            .ticket
            .as_ref()
            .map(|ticket| ticket.key.clone())
            .unwrap_or_default(),
        request.reason.clone().unwrap_or_default(),
    ]
}

/// `key: value` lines describing one request.
pub fn request_fields(request: &Request, now: DateTime<Utc>) -> Vec<(&'static str, String)> {
    let mut fields = vec![
        ("id", request.id.to_string()),
        ("resource", request.resource.clone()),
        ("requester", request.requester.clone()),
        ("requested by", request.requested_by.clone()),
        ("status", request.status.as_str().to_string()),
        ("created", when_long(request.created_at, now)),
        (
            "expires",
            request
                .expires_at
                .map_or("when the ticket closes".to_string(), |at| {
                    when_long(at, now)
                }),
        ),
    ];
    if let Some(ticket) = &request.ticket {
        fields.push(("ticket", format!("{} {}", ticket.key, ticket.url)));
    }
    if let Some(reason) = &request.reason {
        fields.push(("reason", reason.clone()));
    }
    if let Some(at) = request.revoked_at {
        fields.push(("revoked", when_long(at, now)));
    }
    if let Some(reason) = request.revoke_reason {
        fields.push(("revoke reason", reason.as_str().to_string()));
    }
    if let Some(error) = &request.error {
        fields.push(("error", error.clone()));
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_span_keeps_two_units() {
        assert_eq!(short_span(0), "0s");
        assert_eq!(short_span(45), "45s");
        assert_eq!(short_span(3 * 3_600 + 10 * 60 + 5), "3h 10m");
        assert_eq!(short_span(2 * 86_400 + 30), "2d");
        assert_eq!(short_span(86_400 + 3_600), "1d 1h");
    }
}
