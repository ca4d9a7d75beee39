//! Writing many requests at once, each in whatever state it is given: the benchmark and
//! tests use it to build a store with a long history (100 000 requests) in seconds,
//! where one transaction per request would take minutes.
//!
//! Only built for tests and the `bench` feature: opal-jira itself records each request
//! through [`Db::insert_request`], which runs the grant rules' bookkeeping.

use std::collections::HashSet;

use anyhow::Context as _;
use rusqlite::{OptionalExtension as _, params};
use serde_json::json;

use super::audit::{NewEvent, insert_event, kind};
use super::{Db, Request, RequestStatus, StoreContext as _, time_text};
use crate::error::UserError;

impl Db {
    /// Stores `requests` as they are (status, times, ticket, revocation) in one
    /// transaction, with a `requested` audit event each and a `revoked` event for each
    /// revoked one. The `id` of each given request is ignored: the store assigns ids,
    /// returned in the order of `requests`. Every resource named must exist.
    pub fn import_requests(&self, requests: &[Request]) -> anyhow::Result<Vec<i64>> {
        self.write(|tx| {
            let mut known = HashSet::new();
            for request in requests {
                if known.contains(request.resource.as_str()) {
                    continue;
                }
                let found: Option<i64> = tx
                    .query_row(
                        "SELECT id FROM resources WHERE name = ?1",
                        [&request.resource],
                        |row| row.get(0),
                    )
                    .optional()?;
                if found.is_none() {
                    return Err(UserError::usage(format!(
                        "there is no resource named `{}`",
                        request.resource
                    ))
                    .into());
                }
                known.insert(request.resource.as_str());
            }

            let mut insert = tx.prepare_cached(
                "INSERT INTO requests
                     (resource, requester, requested_by, reason, status, created_at,
                      expires_at, ticket_id, ticket_key, ticket_url, revoked_at,
                      revoke_reason, error)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
                 RETURNING id",
            )?;
            let mut ids = Vec::with_capacity(requests.len());
            for request in requests {
                let ticket = request.ticket.as_ref();
                let id: i64 = insert.query_row(
                    params![
                        request.resource,
                        request.requester,
                        request.requested_by,
                        request.reason,
                        request.status.as_str(),
                        time_text(request.created_at)?,
                        request.expires_at.map(time_text).transpose()?,
                        ticket.map(|t| &t.id),
                        ticket.map(|t| &t.key),
                        ticket.map(|t| &t.url),
                        request.revoked_at.map(time_text).transpose()?,
                        request.revoke_reason.map(|reason| reason.as_str()),
                        request.error,
                    ],
                    |row| row.get(0),
                )?;
                write_events(tx, id, request)?;
                ids.push(id);
            }
            Ok(ids)
        })
        .store_context(self, || {
            format!("cannot import {} requests", requests.len())
        })
    }
}

/// The events a request in this state would have left behind, in short.
fn write_events(tx: &rusqlite::Transaction<'_>, id: i64, request: &Request) -> anyhow::Result<()> {
    insert_event(
        tx,
        &NewEvent {
            at: request.created_at,
            request_id: Some(id),
            kind: kind::REQUESTED,
            actor: &request.requested_by,
            message: format!("{} requested {}", request.requested_by, request.resource),
            detail: json!({ "imported": true }),
        },
    )?;
    if request.status == RequestStatus::Revoked {
        let at = request
            .revoked_at
            .context("a revoked request has a revocation time")?;
        insert_event(
            tx,
            &NewEvent {
                at,
                request_id: Some(id),
                kind: kind::REVOKED,
                actor: "reconcile",
                message: format!("revoked {} from {}", request.resource, request.requester),
                detail: json!({ "reason": request.revoke_reason, "imported": true }),
            },
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testutil::{db_with_resource, time, usage_message};
    use crate::db::{EventFilter, RequestFilter, RevokeReason, TicketRef};

    fn request(status: RequestStatus, n: i64) -> Request {
        let revoked = status == RequestStatus::Revoked;
        Request {
            id: 0,
            resource: "prod-db".into(),
            requester: format!("user{n}@acme.com"),
            requested_by: "ana@acme.com".into(),
            reason: None,
            status,
            created_at: time("2026-12-01T09:00:00Z") + chrono::Duration::seconds(n),
            expires_at: Some(time("2026-12-02T09:00:00Z")),
            ticket: Some(TicketRef {
                key: format!("OPS-{n}"),
                id: (10000 + n).to_string(),
                url: format!("https://acme.atlassian.net/browse/OPS-{n}"),
            }),
            revoked_at: revoked.then(|| time("2026-12-01T12:00:00Z")),
            revoke_reason: revoked.then_some(RevokeReason::Expired),
            error: None,
        }
    }

    #[test]
    fn imported_requests_read_back_as_given() -> anyhow::Result<()> {
        let db = db_with_resource();
        let given = vec![
            request(RequestStatus::Revoked, 1),
            request(RequestStatus::Active, 2),
            request(RequestStatus::Failed, 3),
        ];
        let ids = db.import_requests(&given)?;
        assert_eq!(ids.len(), 3);
        for (id, expected) in ids.iter().zip(&given) {
            let stored = db.request(*id)?.expect("imported");
            assert_eq!(
                stored,
                Request {
                    id: *id,
                    ..expected.clone()
                }
            );
        }
        let active = db.active_requests()?;
        assert_eq!(active.iter().map(|r| r.id).collect::<Vec<_>>(), [ids[1]]);

        let kinds: Vec<String> = db
            .events(&EventFilter {
                request_id: Some(ids[0]),
                ..EventFilter::default()
            })?
            .into_iter()
            .map(|event| event.kind)
            .collect();
        assert_eq!(kinds, ["requested", "revoked"]);
        Ok(())
    }

    #[test]
    fn an_unknown_resource_imports_nothing() -> anyhow::Result<()> {
        let db = db_with_resource();
        let mut stray = request(RequestStatus::Active, 2);
        stray.resource = "no-such".into();
        let err = db
            .import_requests(&[request(RequestStatus::Active, 1), stray])
            .expect_err("unknown resource");
        assert!(usage_message(&err).contains("no-such"), "{err:#}");
        let all = RequestFilter {
            all: true,
            ..RequestFilter::default()
        };
        assert!(
            db.list_requests(&all)?.is_empty(),
            "the transaction rolled back"
        );
        Ok(())
    }

    #[test]
    fn the_schema_still_guards_imported_rows() {
        let db = db_with_resource();
        let mut broken = request(RequestStatus::Revoked, 1);
        broken.revoked_at = None;
        assert!(
            db.import_requests(&[broken]).is_err(),
            "a revoked request without a time is refused"
        );
    }
}
