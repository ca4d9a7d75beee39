//! The audit log: an append-only list of what happened, to which request, by whom.
//!
//! The store writes its own events in the same transaction as the change they describe;
//! other modules add theirs (`configured`, `reconcile_error`, …) with
//! [`Db::record_event`].

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, Row, params, params_from_iter};

use super::{AuditEvent, Db, EventFilter, StoreContext as _, column_time, time_text};

/// The kinds of event the store itself writes.
pub mod kind {
    pub const RESOURCE_ADDED: &str = "resource_added";
    pub const RESOURCE_REMOVED: &str = "resource_removed";
    pub const REQUESTED: &str = "requested";
    pub const GRANTED: &str = "granted";
    pub const GRANT_FAILED: &str = "grant_failed";
    pub const BOUND: &str = "bound";
    pub const EXTENDED: &str = "extended";
    pub const TICKET_MOVED: &str = "ticket_moved";
    pub const REVOKE_STARTED: &str = "revoke_started";
    pub const REVOKED: &str = "revoked";
    pub const REVOKE_FAILED: &str = "revoke_failed";
    /// `request --create-ticket` created the request's ticket.
    pub const TICKET_CREATED: &str = "ticket_created";
    /// A comment about the request was added to its ticket.
    pub const COMMENTED: &str = "commented";
    /// A comment about the request could not be added to its ticket.
    pub const COMMENT_FAILED: &str = "comment_failed";
}

/// An event about to be written.
pub(super) struct NewEvent<'a> {
    pub at: DateTime<Utc>,
    pub request_id: Option<i64>,
    pub kind: &'a str,
    pub actor: &'a str,
    pub message: String,
    pub detail: serde_json::Value,
}

/// Writes one event on `conn`, which is normally the transaction of the change it
/// describes.
pub(super) fn insert_event(conn: &Connection, event: &NewEvent<'_>) -> anyhow::Result<i64> {
    let detail = serde_json::to_string(&event.detail).context("cannot encode event detail")?;
    let id = conn.query_row(
        "INSERT INTO audit_events (at, request_id, kind, actor, message, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         RETURNING id",
        params![
            time_text(event.at)?,
            event.request_id,
            event.kind,
            event.actor,
            event.message,
            detail
        ],
        |row| row.get(0),
    )?;
    Ok(id)
}

const EVENT_COLUMNS: &str = "id, at, request_id, kind, actor, message, detail";

fn read_event(row: &Row<'_>) -> rusqlite::Result<AuditEvent> {
    let detail: String = row.get(6)?;
    Ok(AuditEvent {
        id: row.get(0)?,
        at: column_time(row, 1)?,
        request_id: row.get(2)?,
        kind: row.get(3)?,
        actor: row.get(4)?,
        message: row.get(5)?,
        detail: serde_json::from_str(&detail)
            .map_err(|err| super::conversion_error(6, err.into()))?,
    })
}

/// The query behind [`Db::events`], with its parameters.
fn events_query(filter: &EventFilter) -> anyhow::Result<(String, Vec<Value>)> {
    let mut clauses = Vec::new();
    let mut args = Vec::new();
    if let Some(id) = filter.request_id {
        args.push(Value::Integer(id));
        clauses.push(format!("request_id = ?{}", args.len()));
    }
    if let Some(since) = filter.since {
        args.push(Value::Text(time_text(since)?));
        clauses.push(format!("at >= ?{}", args.len()));
    }
    if let Some(until) = filter.until {
        args.push(Value::Text(time_text(until)?));
        clauses.push(format!("at < ?{}", args.len()));
    }
    let mut sql = format!("SELECT {EVENT_COLUMNS} FROM audit_events");
    if !clauses.is_empty() {
        sql.push_str(" WHERE ");
        sql.push_str(&clauses.join(" AND "));
    }
    // Events stamped in the same second keep the order they were written in.
    sql.push_str(" ORDER BY at, id");
    Ok((sql, args))
}

impl Db {
    /// Appends an event to the audit log and returns its id.
    ///
    /// `message` is one readable sentence; `detail` holds structured facts (a JSON
    /// object, or `null`).
    pub fn record_event(
        &self,
        request_id: Option<i64>,
        kind: &str,
        actor: &str,
        message: &str,
        detail: serde_json::Value,
        at: DateTime<Utc>,
    ) -> anyhow::Result<i64> {
        let event = NewEvent {
            at,
            request_id,
            kind,
            actor,
            message: message.to_string(),
            detail,
        };
        self.write(|tx| insert_event(tx, &event))
            .store_context(self, || {
                format!("cannot record a `{kind}` event in the audit log")
            })
    }

    /// The events matching `filter`, oldest first.
    pub fn events(&self, filter: &EventFilter) -> anyhow::Result<Vec<AuditEvent>> {
        let mut events = Vec::new();
        self.for_each_event(filter, |event| {
            events.push(event);
            Ok(true)
        })?;
        Ok(events)
    }

    /// Hands the events matching `filter` to `visit` one at a time, oldest first, without
    /// holding them all in memory; `visit` returns `false` to stop early.
    pub fn for_each_event(
        &self,
        filter: &EventFilter,
        mut visit: impl FnMut(AuditEvent) -> anyhow::Result<bool>,
    ) -> anyhow::Result<()> {
        let (sql, args) = events_query(filter)?;
        let mut statement = self
            .conn
            .prepare(&sql)
            .map_err(anyhow::Error::new)
            .store_context(self, || "cannot read the audit log".to_string())?;
        let rows = statement
            .query_map(params_from_iter(args), read_event)
            .map_err(anyhow::Error::new)
            .store_context(self, || "cannot read the audit log".to_string())?;
        for row in rows {
            let event = row
                .map_err(anyhow::Error::new)
                .store_context(self, || "cannot read the audit log".to_string())?;
            if !visit(event)? {
                break;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testutil::{query_plan, time};
    use serde_json::json;

    #[test]
    fn events_round_trip_in_order() -> anyhow::Result<()> {
        let db = Db::open_in_memory()?;
        let first = db.record_event(
            None,
            "configured",
            "ana@acme.com",
            "configured profile default for OPS",
            json!({"profile": "default"}),
            time("2026-12-03T17:00:00Z"),
        )?;
        // Written later but stamped earlier (another host's clock): time decides.
        let earlier = db.record_event(
            None,
            "reconcile_error",
            "reconcile",
            "Jira answered 503",
            json!(null),
            time("2026-12-03T16:00:00Z"),
        )?;
        // Same second as the first: the order of writing decides.
        let same_second = db.record_event(
            None,
            "note",
            "ana",
            "second in the same second",
            json!({}),
            time("2026-12-03T17:00:00Z"),
        )?;

        let events = db.events(&EventFilter::default())?;
        let ids: Vec<i64> = events.iter().map(|e| e.id).collect();
        assert_eq!(ids, [earlier, first, same_second]);
        assert_eq!(events[0].detail, json!(null));
        assert_eq!(
            events[1],
            AuditEvent {
                id: first,
                at: time("2026-12-03T17:00:00Z"),
                request_id: None,
                kind: "configured".into(),
                actor: "ana@acme.com".into(),
                message: "configured profile default for OPS".into(),
                detail: json!({"profile": "default"}),
            }
        );
        Ok(())
    }

    #[test]
    fn events_filter_by_time() -> anyhow::Result<()> {
        let db = Db::open_in_memory()?;
        for (n, at) in [
            "2026-12-01T00:00:00Z",
            "2026-12-02T00:00:00Z",
            "2026-12-03T00:00:00Z",
        ]
        .iter()
        .enumerate()
        {
            db.record_event(
                None,
                "note",
                "ana",
                &format!("event {n}"),
                json!({}),
                time(at),
            )?;
        }
        let since = EventFilter {
            since: Some(time("2026-12-02T00:00:00Z")),
            ..EventFilter::default()
        };
        let messages: Vec<String> = db.events(&since)?.into_iter().map(|e| e.message).collect();
        assert_eq!(messages, ["event 1", "event 2"]);
        Ok(())
    }

    #[test]
    fn an_event_for_an_unknown_request_is_refused() -> anyhow::Result<()> {
        let db = Db::open_in_memory()?;
        let err = db
            .record_event(
                Some(99),
                "note",
                "ana",
                "about nothing",
                json!({}),
                time("2026-12-01T00:00:00Z"),
            )
            .expect_err("foreign key");
        assert!(format!("{err:#}").contains("FOREIGN KEY"), "{err:#}");
        assert!(db.events(&EventFilter::default())?.is_empty());
        Ok(())
    }

    #[test]
    fn event_lookups_use_indexes() -> anyhow::Result<()> {
        let db = Db::open_in_memory()?;
        let (sql, _) = events_query(&EventFilter {
            request_id: Some(1),
            ..EventFilter::default()
        })?;
        assert!(query_plan(&db, &sql, &[Value::Integer(1)])?.contains("audit_events_by_request"));
        let since = EventFilter {
            since: Some(time("2026-12-01T00:00:00Z")),
            ..EventFilter::default()
        };
        let (sql, args) = events_query(&since)?;
        assert!(query_plan(&db, &sql, &args)?.contains("audit_events_by_at"));
        Ok(())
    }
}
