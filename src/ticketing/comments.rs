//! Comments on a request's ticket: when access bound to it is granted (or could not
//! be), when a request is bound to it afterwards, and when access ends. They say who
//! has access, to what, until when, and why it ended.
//!
//! A comment is a courtesy to the people following the ticket, never a condition: it is
//! posted after the grant or revoke it describes, and a comment that fails changes
//! nothing about the request. The failure is written to the audit log
//! (`comment_failed`) and reported: a warning, or in `reconcile` a line in the report's
//! `errors` (so the pass exits 1 and cron's owner hears of it once; the comment is not
//! retried). Every comment posted is logged as `commented`. No comment is attempted on a
//! ticket that was deleted.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::clock::rfc3339;
use crate::ctx::Ctx;
use crate::db::{NewRequest, Request, RevokeReason, TicketRef, kind};
use crate::jira::{JiraClient, JiraErrorKind};

/// One comment to post.
struct Comment {
    request_id: Option<i64>,
    ticket: TicketRef,
    /// What it is about, for the audit log: `granted`, `revoked`, …
    about: &'static str,
    text: String,
}

/// When access ends, as the comments say it.
fn ends(expires_at: Option<DateTime<Utc>>) -> String {
    match expires_at {
        Some(at) => format!(
            "Access ends at {}, or when this ticket is closed if that comes first.",
            rfc3339(at)
        ),
        None => "Access ends when this ticket is closed.".to_string(),
    }
}

/// The comment for access just granted.
pub fn granted_text(request: &Request) -> String {
    let mut lines = vec![
        format!(
            "opal-jira granted {} access to {} (request {}).",
            request.requester, request.resource, request.id
        ),
        ends(request.expires_at),
        format!("Requested by {}.", request.requested_by),
    ];
    if let Some(reason) = &request.reason {
        lines.push(format!("Reason: {reason}"));
    }
    lines.join("\n")
}

/// The comment for a grant that failed.
pub fn grant_failed_text(request: &Request, error: &str) -> String {
    [
        format!(
            "opal-jira could not grant {} access to {} (request {}): {error}",
            request.requester, request.resource, request.id
        ),
        "Nothing was granted; the request is recorded as failed.".to_string(),
    ]
    .join("\n")
}

/// The comment for an active request bound to this ticket after it was granted.
pub fn bound_text(request: &Request, actor: &str) -> String {
    [
        format!(
            "opal-jira: {actor} bound {}'s access to {} (request {}) to this ticket.",
            request.requester, request.resource, request.id
        ),
        ends(request.expires_at),
    ]
    .join("\n")
}

/// The comment for access whose expiry was moved.
pub fn extended_text(request: &Request, previous: DateTime<Utc>, actor: &str) -> String {
    [
        format!(
            "opal-jira: {actor} moved the end of {}'s access to {} (request {}) from {}.",
            request.requester,
            request.resource,
            request.id,
            rfc3339(previous)
        ),
        ends(request.expires_at),
    ]
    .join("\n")
}

/// The comment for access that ended.
pub fn revoked_text(
    request: &Request,
    reason: RevokeReason,
    note: Option<&str>,
    actor: &str,
    at: DateTime<Utc>,
) -> String {
    let why = match reason {
        RevokeReason::Expired => match request.expires_at {
            Some(expiry) => format!("its expiry time ({}) passed", rfc3339(expiry)),
            None => "its expiry time passed".to_string(),
        },
        RevokeReason::TicketClosed => "this ticket was closed".to_string(),
        RevokeReason::TicketDeleted => "its ticket was deleted".to_string(),
        RevokeReason::Manual => match note {
            Some(note) => format!("{actor} revoked it: {note}"),
            None => format!("{actor} revoked it"),
        },
    };
    format!(
        "opal-jira ended {}'s access to {} (request {}) at {}: {why}.",
        request.requester,
        request.resource,
        request.id,
        rfc3339(at)
    )
}

/// The comment for a ticket created for a request that could then not be recorded.
fn unrecorded_text(new: &NewRequest, error: &anyhow::Error) -> String {
    [
        format!(
            "opal-jira created this ticket for {}'s access to {}, but could not record the request: {error:#}",
            new.requester, new.resource
        ),
        "Nothing was granted.".to_string(),
    ]
    .join("\n")
}

/// Comments on request `id`'s ticket, if it has one: `write` gives what the comment is
/// about and its text, from the request and the acting user.
fn comment_on(ctx: &Ctx, id: i64, write: impl FnOnce(&Request, &str) -> (&'static str, String)) {
    let Some(request) = load(ctx, id) else { return };
    let Some(ticket) = request.ticket.clone() else {
        return;
    };
    let actor = actor(ctx);
    let (about, text) = write(&request, &actor);
    let comment = Comment {
        request_id: Some(id),
        ticket,
        about,
        text,
    };
    warn_on_failure(ctx, post_all(ctx, vec![comment], &actor));
}

/// After `request` granted (or, when `failed`, could not grant) request `id`: tells
/// its ticket.
pub fn after_grant(ctx: &Ctx, id: i64, failed: bool) {
    comment_on(ctx, id, |request, _| {
        if failed {
            let error = request.error.as_deref().unwrap_or("the grant failed");
            ("grant_failed", grant_failed_text(request, error))
        } else {
            ("granted", granted_text(request))
        }
    });
}

/// After `requests bind` bound active request `id` to a ticket: tells that ticket.
pub fn after_bind(ctx: &Ctx, id: i64) {
    comment_on(ctx, id, |request, actor| {
        ("bound", bound_text(request, actor))
    });
}

/// After `requests extend` moved the expiry of request `id` (it was `previous`): tells
/// its ticket.
pub fn after_extend(ctx: &Ctx, id: i64, previous: DateTime<Utc>) {
    comment_on(ctx, id, |request, actor| {
        ("extended", extended_text(request, previous, actor))
    });
}

/// After `revoke` ended `request`: tells its ticket.
pub fn after_revoke(ctx: &Ctx, request: &Request, reason: RevokeReason, note: Option<&str>) {
    let actor = actor(ctx);
    let comments = revoke_comments(ctx, [(request, reason, note)], &actor);
    warn_on_failure(ctx, post_all(ctx, comments, &actor));
}

/// After `reconcile` ended the requests in `revoked` (ids and reasons, all among
/// `active`): tells each ticket, and returns one line per comment that failed, for the
/// report's `errors`.
pub fn after_revokes(
    ctx: &Ctx,
    active: &[Request],
    revoked: impl IntoIterator<Item = (i64, RevokeReason)>,
) -> Vec<String> {
    let actor = "reconcile";
    let by_id: HashMap<i64, &Request> =
        active.iter().map(|request| (request.id, request)).collect();
    let ended = revoked
        .into_iter()
        .filter_map(|(id, reason)| Some((*by_id.get(&id)?, reason, None)));
    let comments = revoke_comments(ctx, ended, actor);
    post_all(ctx, comments, actor)
}

/// After a ticket was created for `new` but the request could not be recorded: says
/// so on the ticket, so that nobody takes it for a granted request.
pub fn after_unrecorded(ctx: &Ctx, ticket: &TicketRef, new: &NewRequest, error: &anyhow::Error) {
    let comment = Comment {
        request_id: None,
        ticket: ticket.clone(),
        about: "not_recorded",
        text: unrecorded_text(new, error),
    };
    warn_on_failure(ctx, post_all(ctx, vec![comment], &actor(ctx)));
}

/// Who acts, as comments name them: the Jira user of the connection (which comments
/// need anyway), else the operating-system user.
fn actor(ctx: &Ctx) -> String {
    if let Err(err) = ctx.connection() {
        log::debug!("naming the operating-system user: {err:#}");
    }
    ctx.actor()
}

fn revoke_comments<'a>(
    ctx: &Ctx,
    ended: impl IntoIterator<Item = (&'a Request, RevokeReason, Option<&'a str>)>,
    actor: &str,
) -> Vec<Comment> {
    let now = ctx.now();
    ended
        .into_iter()
        // A deleted ticket cannot be commented on.
        .filter(|(_, reason, _)| *reason != RevokeReason::TicketDeleted)
        .filter_map(|(request, reason, note)| {
            let ticket = request.ticket.clone()?;
            Some(Comment {
                request_id: Some(request.id),
                ticket,
                about: "revoked",
                text: revoked_text(request, reason, note, actor, now),
            })
        })
        .collect()
}

fn load(ctx: &Ctx, id: i64) -> Option<Request> {
    match ctx.db().and_then(|db| db.request(id)) {
        Ok(request) => request,
        Err(err) => {
            ctx.ui.warn(&format!(
                "could not read request {id} to comment on its ticket: {err:#}"
            ));
            None
        }
    }
}

fn warn_on_failure(ctx: &Ctx, errors: Vec<String>) {
    for error in errors {
        ctx.ui
            .warn(&format!("{error} (the request is not affected)"));
    }
}

/// Posts the comments, then records each outcome in the audit log.
/// Returns a line per comment that could not be posted.
fn post_all(ctx: &Ctx, comments: Vec<Comment>, actor: &str) -> Vec<String> {
    if comments.is_empty() {
        return Vec::new();
    }
    let results: Vec<Result<(), String>> = match ctx.jira() {
        Ok(client) => post_concurrently(client, &comments),
        Err(err) => comments.iter().map(|_| Err(format!("{err:#}"))).collect(),
    };

    let mut errors = Vec::new();
    for (comment, result) in comments.iter().zip(results) {
        let about = match comment.request_id {
            Some(id) => format!("request {id}"),
            None => "a request that was not recorded".to_string(),
        };
        let (event, message) = match &result {
            Ok(()) => (
                kind::COMMENTED,
                format!("commented on {} about {about}", comment.ticket.key),
            ),
            Err(error) => {
                let line = format!(
                    "could not comment on {} about {about}: {error}",
                    comment.ticket.key
                );
                errors.push(line.clone());
                (kind::COMMENT_FAILED, line)
            }
        };
        let detail = json!({
            "ticket": comment.ticket,
            "about": comment.about,
            "text": comment.text,
            "error": result.err(),
        });
        let recorded = ctx.db().and_then(|db| {
            db.record_event(
                comment.request_id,
                event,
                actor,
                &message,
                detail,
                ctx.now(),
            )
        });
        if let Err(err) = recorded {
            log::warn!("could not record `{event}` in the audit log: {err:#}");
        }
    }
    errors
}

/// Posts the comments with a few workers (Jira limits comments per issue, not per
/// site). Once Jira is unreachable, or still throttling after the client's retries,
/// the rest are not attempted: each would only wait out the same failure.
fn post_concurrently(client: &JiraClient, comments: &[Comment]) -> Vec<Result<(), String>> {
    let next = Mutex::new(comments.iter().enumerate());
    let slots: Vec<Mutex<Option<Result<(), String>>>> =
        comments.iter().map(|_| Mutex::new(None)).collect();
    let unreachable = AtomicBool::new(false);

    let post = |comment: &Comment| -> Result<(), String> {
        if unreachable.load(Ordering::Relaxed) {
            return Err("not attempted: Jira did not take an earlier comment".to_string());
        }
        client
            .add_comment(&comment.ticket.id, &comment.text)
            .map_err(|err| {
                let hopeless = matches!(
                    err.kind(),
                    JiraErrorKind::Network { .. } | JiraErrorKind::RateLimited { .. }
                );
                if hopeless {
                    unreachable.store(true, Ordering::Relaxed);
                }
                err.to_string()
            })
    };
    let work = || {
        loop {
            let item = next.lock().ok().and_then(|mut items| items.next());
            let Some((index, comment)) = item else { break };
            let result = post(comment);
            if let Ok(mut slot) = slots[index].lock() {
                *slot = Some(result);
            }
        }
    };
    std::thread::scope(|scope| {
        for _ in 0..client.concurrency().min(comments.len()) {
            scope.spawn(work);
        }
    });
    slots
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .ok()
                .flatten()
                .unwrap_or_else(|| Err("the comment was not posted".to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::RequestStatus;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("valid time")
            .with_timezone(&Utc)
    }

    fn request(expires_at: Option<&str>, reason: Option<&str>) -> Request {
        Request {
            id: 7,
            resource: "prod-db".into(),
            requester: "ben@acme.com".into(),
            requested_by: "ana@acme.com".into(),
            reason: reason.map(String::from),
            status: RequestStatus::Active,
            created_at: at("2026-12-03T10:00:00Z"),
            expires_at: expires_at.map(at),
            ticket: Some(TicketRef {
                key: "OPS-12".into(),
                id: "10012".into(),
                url: "https://x/browse/OPS-12".into(),
            }),
            revoked_at: None,
            revoke_reason: None,
            error: None,
        }
    }

    #[test]
    fn grant_comments_say_who_what_and_until_when() {
        let text = granted_text(&request(Some("2026-12-03T18:00:00Z"), Some("INC-4")));
        assert_eq!(
            text,
            "opal-jira granted ben@acme.com access to prod-db (request 7).\n\
             Access ends at 2026-12-03T18:00:00Z, or when this ticket is closed if that comes first.\n\
             Requested by ana@acme.com.\n\
             Reason: INC-4"
        );
        let indefinite = granted_text(&request(None, None));
        assert!(indefinite.contains("Access ends when this ticket is closed."));
        assert!(!indefinite.contains("Reason"));
        let failed = grant_failed_text(&request(None, None), "grant command exited with status 3");
        assert!(failed.contains("could not grant ben@acme.com access to prod-db (request 7)"));
        assert!(failed.contains("exited with status 3") && failed.contains("Nothing was granted"));
    }

    #[test]
    fn revoke_comments_say_why_access_ended() {
        let now = at("2026-12-03T19:00:00Z");
        let expiring = request(Some("2026-12-03T18:00:00Z"), None);
        assert_eq!(
            revoked_text(&expiring, RevokeReason::Expired, None, "reconcile", now),
            "opal-jira ended ben@acme.com's access to prod-db (request 7) at \
             2026-12-03T19:00:00Z: its expiry time (2026-12-03T18:00:00Z) passed."
        );
        let closed = revoked_text(
            &expiring,
            RevokeReason::TicketClosed,
            None,
            "reconcile",
            now,
        );
        assert!(closed.ends_with(": this ticket was closed."), "{closed}");
        let manual = revoked_text(
            &expiring,
            RevokeReason::Manual,
            Some("done early"),
            "ana@acme.com",
            now,
        );
        assert!(
            manual.ends_with(": ana@acme.com revoked it: done early."),
            "{manual}"
        );
        let bound = bound_text(&expiring, "ana@acme.com");
        assert!(bound.starts_with("opal-jira: ana@acme.com bound ben@acme.com's access"));
    }
}
