//! Request rows: a request is recorded before its grant runs, then marked granted or
//! failed, bound to tickets, and finally revoked exactly once.
//!
//! Revocation is claimed first. [`Db::claim_revoke`] is one conditional UPDATE, so of
//! two processes racing for the same request only one sees its row change; the winner
//! runs the revoke command and then calls [`Db::finish_revoke`] or [`Db::fail_revoke`],
//! which release the claim. A claim left by a process that crashed is taken over once
//! its lease runs out, or at once when it was made on this host by a pid that no longer
//! exists.

use std::fmt;

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension as _, Row, params, params_from_iter};
use serde_json::json;

use super::audit::{NewEvent, insert_event, kind};
use super::resources::unknown_resource;
use super::{
    Db, NewRequest, Request, RequestFilter, RequestStatus, RevokeReason, StoreContext as _,
    TicketRef, column_opt_time, column_parsed, column_time, show_time, time_text,
};
use crate::error::UserError;
use crate::hooks::HookReport;

/// The process that holds (or wants) the right to revoke a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimant {
    pub host: String,
    pub pid: u32,
}

impl Claimant {
    /// This process on this host.
    pub fn current() -> Claimant {
        Claimant {
            host: host_identity(),
            pid: std::process::id(),
        }
    }
}

impl fmt::Display for Claimant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} pid {}", self.host, self.pid)
    }
}

const REQUEST_COLUMNS: &str = "id, resource, requester, requested_by, reason, status, created_at, \
     expires_at, ticket_id, ticket_key, ticket_url, revoked_at, revoke_reason, error";

fn read_request(row: &Row<'_>) -> rusqlite::Result<Request> {
    let ticket_id: Option<String> = row.get(8)?;
    let ticket_key: Option<String> = row.get(9)?;
    let ticket_url: Option<String> = row.get(10)?;
    let revoke_reason: Option<String> = row.get(12)?;
    Ok(Request {
        id: row.get(0)?,
        resource: row.get(1)?,
        requester: row.get(2)?,
        requested_by: row.get(3)?,
        reason: row.get(4)?,
        status: column_parsed(row, 5)?,
        created_at: column_time(row, 6)?,
        expires_at: column_opt_time(row, 7)?,
        // The schema keeps the three ticket columns all set or all empty.
        ticket: match (ticket_id, ticket_key, ticket_url) {
            (Some(id), Some(key), Some(url)) => Some(TicketRef { key, id, url }),
            _ => None,
        },
        revoked_at: column_opt_time(row, 11)?,
        revoke_reason: revoke_reason
            .map(|name| name.parse().map_err(|err| super::conversion_error(12, err)))
            .transpose()?,
        error: row.get(13)?,
    })
}

fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<Request>> {
    conn.query_row(
        &format!("SELECT {REQUEST_COLUMNS} FROM requests WHERE id = ?1"),
        [id],
        read_request,
    )
    .optional()
}

/// The request `id`, or an error for the user when there is none.
fn require(conn: &Connection, id: i64) -> anyhow::Result<Request> {
    match find(conn, id)? {
        Some(request) => Ok(request),
        None => Err(UserError::usage(format!("no request with id {id}"))
            .hint("`opal-jira requests list --all` shows every request.")
            .into()),
    }
}

fn require_active(conn: &Connection, id: i64, action: &str) -> anyhow::Result<Request> {
    let request = require(conn, id)?;
    if request.status != RequestStatus::Active {
        return Err(UserError::usage(format!(
            "request {id} is {}; only an active request can be {action}",
            request.status
        ))
        .into());
    }
    Ok(request)
}

/// How long access lasts, in words: "until 2026-12-04T10:00:00Z (ticket OPS-12)".
fn span(expires_at: Option<DateTime<Utc>>, ticket: Option<&TicketRef>) -> String {
    match (expires_at, ticket) {
        (Some(at), Some(ticket)) => format!("until {} (ticket {})", show_time(at), ticket.key),
        (Some(at), None) => format!("until {}", show_time(at)),
        (None, Some(ticket)) => format!("until {} is closed", ticket.key),
        (None, None) => "with no end".to_string(),
    }
}

/// The query behind [`Db::list_requests`], with its parameters.
fn list_query(filter: &RequestFilter) -> anyhow::Result<(String, Vec<Value>)> {
    let mut clauses = Vec::new();
    let mut args = Vec::new();
    if !filter.all {
        clauses.push("status = 'active'".to_string());
    }
    if let Some(resource) = &filter.resource {
        args.push(Value::Text(resource.clone()));
        clauses.push(format!("resource = ?{}", args.len()));
    }
    if let Some(key) = &filter.ticket_key {
        args.push(Value::Text(key.clone()));
        clauses.push(format!("ticket_key = ?{}", args.len()));
    }
    if let Some(before) = filter.expiring_before {
        args.push(Value::Text(time_text(before)?));
        clauses.push(format!("expires_at <= ?{}", args.len()));
    }
    let mut sql = format!("SELECT {REQUEST_COLUMNS} FROM requests");
    if !clauses.is_empty() {
        sql.push_str(" WHERE ");
        sql.push_str(&clauses.join(" AND "));
    }
    sql.push_str(" ORDER BY created_at DESC, id DESC");
    if let Some(limit) = filter.limit {
        args.push(Value::Integer(
            i64::try_from(limit).context("limit too large")?,
        ));
        sql.push_str(&format!(" LIMIT ?{}", args.len()));
    }
    Ok((sql, args))
}

/// Looks up a ticket bound to any request by Jira's issue id.
const BY_TICKET_ID: &str = "SELECT id, ticket_key FROM requests
     WHERE ticket_id = ?1 AND (ticket_key <> ?2 OR ticket_url <> ?3) ORDER BY id";

impl Db {
    /// Records a new request as active and returns its id.
    ///
    /// Call this before running the grant command: if the process dies while the command
    /// runs, the request is on file and will be revoked in due course. The resource must
    /// exist when the row is written.
    pub fn insert_request(&self, new: &NewRequest) -> anyhow::Result<i64> {
        let ticket = new.ticket.as_ref();
        self.write(|tx| {
            // Inserting through a SELECT on resources checks the name in the same
            // statement, so a resource removed a moment ago cannot slip through.
            let id: Option<i64> = tx
                .query_row(
                    "INSERT INTO requests
                         (resource, requester, requested_by, reason, status, created_at,
                          expires_at, ticket_id, ticket_key, ticket_url)
                     SELECT name, ?2, ?3, ?4, 'active', ?5, ?6, ?7, ?8, ?9
                     FROM resources WHERE name = ?1
                     RETURNING id",
                    params![
                        new.resource,
                        new.requester,
                        new.requested_by,
                        new.reason,
                        time_text(new.created_at)?,
                        new.expires_at.map(time_text).transpose()?,
                        ticket.map(|t| &t.id),
                        ticket.map(|t| &t.key),
                        ticket.map(|t| &t.url),
                    ],
                    |row| row.get(0),
                )
                .optional()?;
            let Some(id) = id else {
                return Err(unknown_resource(tx, &new.resource));
            };

            let on_behalf = if new.requested_by == new.requester {
                String::new()
            } else {
                format!(" for {}", new.requester)
            };
            insert_event(
                tx,
                &NewEvent {
                    at: new.created_at,
                    request_id: Some(id),
                    kind: kind::REQUESTED,
                    actor: &new.requested_by,
                    message: format!(
                        "{} requested {}{on_behalf} {}",
                        new.requested_by,
                        new.resource,
                        span(new.expires_at, ticket)
                    ),
                    detail: json!({
                        "resource": new.resource,
                        "requester": new.requester,
                        "requested_by": new.requested_by,
                        "reason": new.reason,
                        "expires_at": new.expires_at,
                        "ticket": ticket,
                    }),
                },
            )?;
            Ok(id)
        })
        .store_context(self, || {
            format!("cannot record a request for `{}`", new.resource)
        })
    }

    /// Records that the grant command succeeded (`report` is `None` for a resource
    /// without one). The request was active from the start; this adds the audit event.
    pub fn mark_granted(
        &self,
        id: i64,
        report: Option<&HookReport>,
        at: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        self.write(|tx| {
            let request = require_active(tx, id, "granted")?;
            insert_event(
                tx,
                &NewEvent {
                    at,
                    request_id: Some(id),
                    kind: kind::GRANTED,
                    actor: &request.requested_by,
                    message: format!(
                        "granted {} to {} {}",
                        request.resource,
                        request.requester,
                        span(request.expires_at, request.ticket.as_ref())
                    ),
                    detail: json!({ "hook": report }),
                },
            )?;
            Ok(())
        })
        .store_context(self, || format!("cannot record the grant of request {id}"))
    }

    /// Records that the grant failed: the request becomes `failed` with `error`.
    pub fn mark_grant_failed(
        &self,
        id: i64,
        error: &str,
        report: Option<&HookReport>,
        at: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        self.write(|tx| {
            let request = require_active(tx, id, "marked failed")?;
            tx.execute(
                "UPDATE requests SET status = 'failed', error = ?2
                 WHERE id = ?1 AND status = 'active'",
                params![id, error],
            )?;
            insert_event(
                tx,
                &NewEvent {
                    at,
                    request_id: Some(id),
                    kind: kind::GRANT_FAILED,
                    actor: &request.requested_by,
                    message: format!(
                        "could not grant {} to {}: {error}",
                        request.resource, request.requester
                    ),
                    detail: json!({ "error": error, "hook": report }),
                },
            )?;
            Ok(())
        })
        .store_context(self, || {
            format!("cannot record the failed grant of request {id}")
        })
    }

    /// The request `id`, if there is one.
    pub fn request(&self, id: i64) -> anyhow::Result<Option<Request>> {
        find(&self.conn, id)
            .map_err(anyhow::Error::from)
            .store_context(self, || format!("cannot read request {id}"))
    }

    /// The requests matching `filter`, newest first.
    pub fn list_requests(&self, filter: &RequestFilter) -> anyhow::Result<Vec<Request>> {
        let (sql, args) = list_query(filter)?;
        self.query_requests(&sql, args)
            .store_context(self, || "cannot list requests".to_string())
    }

    /// Every active request, oldest first: what reconcile examines.
    pub fn active_requests(&self) -> anyhow::Result<Vec<Request>> {
        let sql =
            format!("SELECT {REQUEST_COLUMNS} FROM requests WHERE status = 'active' ORDER BY id");
        self.query_requests(&sql, Vec::new())
            .store_context(self, || "cannot list active requests".to_string())
    }

    fn query_requests(&self, sql: &str, args: Vec<Value>) -> anyhow::Result<Vec<Request>> {
        let mut statement = self.conn.prepare(sql)?;
        let requests = statement.query_map(params_from_iter(args), read_request)?;
        Ok(requests.collect::<rusqlite::Result<_>>()?)
    }

    /// Binds an active request to a ticket, replacing any earlier binding.
    pub fn bind_ticket(
        &self,
        id: i64,
        ticket: &TicketRef,
        actor: &str,
        at: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        self.write(|tx| {
            let request = require_active(tx, id, "bound to a ticket")?;
            tx.execute(
                "UPDATE requests SET ticket_id = ?2, ticket_key = ?3, ticket_url = ?4
                 WHERE id = ?1 AND status = 'active'",
                params![id, ticket.id, ticket.key, ticket.url],
            )?;
            let was = match &request.ticket {
                Some(previous) => format!(" (was {})", previous.key),
                None => String::new(),
            };
            insert_event(
                tx,
                &NewEvent {
                    at,
                    request_id: Some(id),
                    kind: kind::BOUND,
                    actor,
                    message: format!(
                        "bound request {id} ({} for {}) to {}{was}",
                        request.resource, request.requester, ticket.key
                    ),
                    detail: json!({ "ticket": ticket, "previous": request.ticket }),
                },
            )?;
            Ok(())
        })
        .store_context(self, || {
            format!("cannot bind request {id} to {}", ticket.key)
        })
    }

    /// Moves the expiry of an active request that has one.
    pub fn set_expiry(
        &self,
        id: i64,
        expires_at: DateTime<Utc>,
        actor: &str,
        at: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let stored = time_text(expires_at)?;
        self.write(|tx| {
            let request = require_active(tx, id, "extended")?;
            let Some(previous) = request.expires_at else {
                return Err(UserError::usage(format!(
                    "request {id} has no expiry: it ends when its ticket closes"
                ))
                .into());
            };
            tx.execute(
                "UPDATE requests SET expires_at = ?2 WHERE id = ?1 AND status = 'active'",
                params![id, stored],
            )?;
            insert_event(
                tx,
                &NewEvent {
                    at,
                    request_id: Some(id),
                    kind: kind::EXTENDED,
                    actor,
                    message: format!(
                        "moved the expiry of request {id} ({} for {}) from {} to {}",
                        request.resource,
                        request.requester,
                        show_time(previous),
                        show_time(expires_at)
                    ),
                    detail: json!({ "previous": show_time(previous), "expires_at": show_time(expires_at) }),
                },
            )?;
            Ok(())
        })
        .store_context(self, || format!("cannot change the expiry of request {id}"))
    }

    /// Follows a ticket that moved (new key, new URL) for every request bound to Jira
    /// issue `ticket_id`, whatever its status. Returns how many requests changed.
    pub fn update_ticket(
        &self,
        ticket_id: &str,
        new_key: &str,
        new_url: &str,
        actor: &str,
        at: DateTime<Utc>,
    ) -> anyhow::Result<usize> {
        self.write(|tx| {
            let moved: Vec<(i64, String)> = {
                let mut statement = tx.prepare(BY_TICKET_ID)?;
                let rows = statement.query_map(params![ticket_id, new_key, new_url], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })?;
                rows.collect::<rusqlite::Result<_>>()?
            };
            tx.execute(
                "UPDATE requests SET ticket_key = ?2, ticket_url = ?3
                 WHERE ticket_id = ?1 AND (ticket_key <> ?2 OR ticket_url <> ?3)",
                params![ticket_id, new_key, new_url],
            )?;
            for (id, old_key) in &moved {
                let message = if old_key == new_key {
                    format!("ticket {new_key} has a new address {new_url}")
                } else {
                    format!("ticket {old_key} is now {new_key}")
                };
                insert_event(
                    tx,
                    &NewEvent {
                        at,
                        request_id: Some(*id),
                        kind: kind::TICKET_MOVED,
                        actor,
                        message,
                        detail: json!({
                            "ticket_id": ticket_id,
                            "old_key": old_key,
                            "key": new_key,
                            "url": new_url,
                        }),
                    },
                )?;
            }
            Ok(moved.len())
        })
        .store_context(self, || {
            format!("cannot update the requests bound to Jira issue {ticket_id}")
        })
    }

    /// Claims the right to revoke request `id`. Returns `true` to exactly one caller
    /// while the request is active and nobody else holds a live claim on it.
    ///
    /// A claim is live until `lease` has passed since it was made, unless it was made on
    /// this host by a process that no longer exists.
    pub fn claim_revoke(
        &self,
        id: i64,
        claimant: &Claimant,
        now: DateTime<Utc>,
        lease: chrono::Duration,
    ) -> anyhow::Result<bool> {
        let stale_before = now
            .checked_sub_signed(lease)
            .context("revoke lease is too long")?;
        self.write(|tx| {
            let request = require(tx, id)?;
            let now_text = time_text(now)?;
            let mut claimed = tx.execute(
                "UPDATE requests SET claim_host = ?2, claim_pid = ?3, claimed_at = ?4
                 WHERE id = ?1 AND status = 'active'
                   AND (claimed_at IS NULL OR claimed_at < ?5)",
                params![
                    id,
                    claimant.host,
                    claimant.pid,
                    now_text,
                    time_text(stale_before)?
                ],
            )?;

            // A claim whose process died on this host will never be finished: take it
            // over now instead of waiting out the lease. The UPDATE matches the exact claim
            // seen, so it fails if the claim changed in the meantime.
            let mut replaced = None;
            if claimed == 0 {
                let holder: Option<(String, i64, String)> = tx
                    .query_row(
                        "SELECT claim_host, claim_pid, claimed_at FROM requests
                         WHERE id = ?1 AND status = 'active' AND claim_host IS NOT NULL",
                        [id],
                        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
                    )
                    .optional()?;
                if let Some((host, pid, claimed_at)) = holder {
                    let dead = host == claimant.host
                        && pid != i64::from(claimant.pid)
                        && !process_exists(pid);
                    if dead {
                        claimed = tx.execute(
                            "UPDATE requests SET claim_host = ?2, claim_pid = ?3, claimed_at = ?4
                             WHERE id = ?1 AND status = 'active'
                               AND claim_host = ?5 AND claim_pid = ?6 AND claimed_at = ?7",
                            params![
                                id,
                                claimant.host,
                                claimant.pid,
                                now_text,
                                host,
                                pid,
                                claimed_at
                            ],
                        )?;
                        replaced =
                            Some(json!({ "host": host, "pid": pid, "claimed_at": claimed_at }));
                    }
                }
            }
            if claimed == 0 {
                return Ok(false);
            }

            insert_event(
                tx,
                &NewEvent {
                    at: now,
                    request_id: Some(id),
                    kind: kind::REVOKE_STARTED,
                    actor: &claimant.to_string(),
                    message: format!(
                        "started revoking {} from {}",
                        request.resource, request.requester
                    ),
                    detail: json!({
                        "host": claimant.host,
                        "pid": claimant.pid,
                        "lease_secs": lease.num_seconds(),
                        "replaced_claim": replaced,
                    }),
                },
            )?;
            Ok(true)
        })
        .store_context(self, || format!("cannot claim request {id} for revoking"))
    }

    /// Records a successful revoke: the request becomes `revoked` and its claim and error
    /// are cleared. `note` is the free text of `revoke --reason`.
    ///
    /// Returns `false`, changing nothing, when the request was no longer active (another
    /// process finished first; revoke commands are safe to run twice).
    pub fn finish_revoke(
        &self,
        id: i64,
        reason: RevokeReason,
        at: DateTime<Utc>,
        note: Option<&str>,
        actor: &str,
        report: &HookReport,
    ) -> anyhow::Result<bool> {
        self.write(|tx| {
            let request = require(tx, id)?;
            let changed = tx.execute(
                "UPDATE requests
                 SET status = 'revoked', revoked_at = ?2, revoke_reason = ?3, error = NULL,
                     claim_host = NULL, claim_pid = NULL, claimed_at = NULL
                 WHERE id = ?1 AND status = 'active'",
                params![id, time_text(at)?, reason.as_str()],
            )?;
            if changed == 0 {
                log::info!(
                    "request {id} is already {}; its revoke is not recorded again",
                    request.status
                );
                return Ok(false);
            }
            let why = match note {
                Some(note) => format!("{reason}: {note}"),
                None => reason.to_string(),
            };
            insert_event(
                tx,
                &NewEvent {
                    at,
                    request_id: Some(id),
                    kind: kind::REVOKED,
                    actor,
                    message: format!(
                        "revoked {} from {} ({why})",
                        request.resource, request.requester
                    ),
                    detail: json!({ "reason": reason, "note": note, "hook": report }),
                },
            )?;
            Ok(true)
        })
        .store_context(self, || format!("cannot record the revoke of request {id}"))
    }

    /// Records a failed revoke: the request stays active with `error` set, to be retried
    /// by the next pass. The claim is released only if `claimant` still holds it; the
    /// failure is logged either way. `report` is `None` when the command never started.
    pub fn fail_revoke(
        &self,
        id: i64,
        claimant: &Claimant,
        error: &str,
        at: DateTime<Utc>,
        actor: &str,
        report: Option<&HookReport>,
    ) -> anyhow::Result<()> {
        self.write(|tx| {
            let request = require(tx, id)?;
            tx.execute(
                "UPDATE requests
                 SET error = ?2, claim_host = NULL, claim_pid = NULL, claimed_at = NULL
                 WHERE id = ?1 AND status = 'active' AND claim_host = ?3 AND claim_pid = ?4",
                params![id, error, claimant.host, claimant.pid],
            )?;
            insert_event(
                tx,
                &NewEvent {
                    at,
                    request_id: Some(id),
                    kind: kind::REVOKE_FAILED,
                    actor,
                    message: format!(
                        "could not revoke {} from {}: {error}",
                        request.resource, request.requester
                    ),
                    detail: json!({ "error": error, "hook": report }),
                },
            )?;
            Ok(())
        })
        .store_context(self, || {
            format!("cannot record the failed revoke of request {id}")
        })
    }
}

/// This host as claims name it. A claim's pid is only looked up by a process that sees
/// the same pids: on Linux the name therefore carries the boot and the pid namespace
/// too, so hosts or containers sharing a host name and a database never take each
/// other's live claims for dead ones (they wait for the lease instead).
fn host_identity() -> String {
    let name = hostname();
    match pid_space() {
        Some(space) => format!("{name} ({space})"),
        None => name,
    }
}

/// The boot and pid namespace this process lives in, e.g. `boot 1f0c9a2e, pid ns
/// 4026531836`.
#[cfg(target_os = "linux")]
fn pid_space() -> Option<String> {
    let boot = std::fs::read_to_string("/proc/sys/kernel/random/boot_id").ok()?;
    let boot: String = boot.trim().chars().take(8).collect();
    let namespace = std::fs::read_link("/proc/self/ns/pid").ok()?;
    let namespace: String = namespace
        .to_string_lossy()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    (!boot.is_empty() && !namespace.is_empty()).then(|| format!("boot {boot}, pid ns {namespace}"))
}

#[cfg(not(target_os = "linux"))]
fn pid_space() -> Option<String> {
    None
}

/// Whether a process with this pid exists on this host. When unsure, it says yes: a
/// claim then waits for its lease instead of being taken over too early.
#[cfg(unix)]
fn process_exists(pid: i64) -> bool {
    // Pid 0 and negative values would address process groups, not a process.
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if pid <= 0 {
        return false;
    }
    // SAFETY: signal 0 sends nothing; kill(2) only checks that the process exists.
    let alive = unsafe { libc::kill(pid, 0) } == 0;
    // EPERM means it exists but belongs to someone else.
    alive || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

#[cfg(not(unix))]
fn process_exists(_pid: i64) -> bool {
    true
}

#[cfg(unix)]
fn hostname() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: the pointer and length describe `buf`, which gethostname(2) fills.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if rc != 0 {
        return "localhost".to_string();
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    String::from_utf8_lossy(&buf[..end]).into_owned()
}

#[cfg(not(unix))]
fn hostname() -> String {
    std::env::var("COMPUTERNAME").unwrap_or_else(|_| "localhost".to_string())
}

#[cfg(test)]
mod tests;
