//! Shared helpers for the store's unit tests.

use chrono::{DateTime, Utc};
use rusqlite::params_from_iter;
use rusqlite::types::Value;

use super::{Db, NewRequest, Resource};
use crate::error::{ExitKind, UserError};
use crate::hooks::{HookKind, HookReport};

/// A fixed time from RFC 3339 text.
pub fn time(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("test times are valid RFC 3339")
        .with_timezone(&Utc)
}

/// The message of a usage error; fails the test for any other error.
pub fn usage_message(err: &anyhow::Error) -> String {
    let user = err
        .downcast_ref::<UserError>()
        .unwrap_or_else(|| panic!("not a UserError: {err:#}"));
    assert_eq!(user.kind, ExitKind::Usage, "{err:#}");
    user.message.clone()
}

pub fn hints(err: &anyhow::Error) -> Vec<String> {
    crate::error::hints(err)
}

/// A store with one resource, `prod-db`.
pub fn db_with_resource() -> Db {
    let db = Db::open_in_memory().expect("in-memory store");
    let resource = Resource::new(
        "prod-db",
        "db-access revoke {requester}",
        time("2026-12-01T09:00:00Z"),
    );
    db.add_resource(&resource, "admin@acme.com")
        .expect("resource added");
    db
}

/// Ana's eight-hour request for `resource`, unbound.
pub fn active_request(resource: &str) -> NewRequest {
    NewRequest {
        resource: resource.into(),
        requester: "ana@acme.com".into(),
        requested_by: "ana@acme.com".into(),
        reason: Some("INC-4 debug".into()),
        created_at: time("2026-12-03T17:00:00Z"),
        expires_at: Some(time("2026-12-04T01:00:00Z")),
        ticket: None,
    }
}

/// A successful revoke command's report.
pub fn revoke_report() -> HookReport {
    HookReport {
        kind: HookKind::Revoke,
        command: "db-access revoke ana@acme.com".into(),
        exit_code: Some(0),
        signal: None,
        timed_out: false,
        timeout_ms: 60_000,
        stdout: "role dropped\n".into(),
        stderr: String::new(),
        elapsed_ms: 12,
    }
}

/// SQLite's plan for `sql`, one step per line.
pub fn query_plan(db: &Db, sql: &str, args: &[Value]) -> anyhow::Result<String> {
    let mut statement = db.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
    let steps = statement.query_map(params_from_iter(args), |row| row.get::<_, String>(3))?;
    Ok(steps.collect::<rusqlite::Result<Vec<_>>>()?.join("\n"))
}
