//! Deciding which access must end, and ending it exactly once.
//!
//! A request is due when its expiry has passed (`expired`), its ticket's status
//! category is Done (`ticket_closed`), or its ticket is confirmed gone
//! (`ticket_deleted`). Only evidence counts: a ticket missing from a batch answer is
//! looked up on its own, and a ticket that could not be checked is never revoked for
//! it. Time-based revocation needs no Jira at all.
//!
//! A 404 is weak evidence: Jira gives it for a deleted ticket and for one this account
//! may no longer see. So before anything is revoked for `ticket_deleted`,
//! [`confirm_deletions`] checks that the project is still visible and that the deletions
//! are not a large share of the bound tickets; either failing looks like a permission
//! change, and nothing is revoked for it.
//!
//! Revocation claims the request in the database first, so two processes can never run
//! the same revoke command at once; the command runs; then the outcome is recorded.
//! After SIGINT or SIGTERM ([`crate::interrupt`]) no new revocation starts; those
//! already running finish and are recorded.

use std::collections::{HashMap, HashSet};
use std::sync::mpsc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::db::{Claimant, Db, Request, RevokeReason};
use crate::hooks::{self, HookReport, HookVars};
use crate::interrupt;
use crate::jira::{Issue, JiraClient, StatusCategory};

/// What Jira says about a bound ticket.
#[derive(Debug, Clone)]
pub enum TicketState {
    /// It exists; its current key and status category.
    Found {
        key: String,
        category: StatusCategory,
    },
    /// A lookup by id answered 404.
    Gone,
}

/// The result of asking Jira about a set of tickets.
#[derive(Debug, Default)]
pub struct TicketCheck {
    pub states: HashMap<String, TicketState>,
    /// Issues whose key is not the one on record (they moved), as Jira returned them,
    /// by id. Only these are kept whole: a pass over many tickets keeps its memory for
    /// the states. Those from a batch carry only their key, status and project.
    pub moved: HashMap<String, Issue>,
    /// One line per kind of failure; the tickets involved stay unchecked.
    pub errors: Vec<String>,
}

impl TicketCheck {
    /// Records an issue Jira returned, keeping it whole only when its key moved.
    fn found(&mut self, issue: Issue, stored_keys: &HashMap<String, String>) {
        let state = TicketState::Found {
            key: issue.key.clone(),
            category: issue.status_category,
        };
        self.states.insert(issue.id.clone(), state);
        if stored_keys.get(&issue.id) != Some(&issue.key) {
            self.moved.insert(issue.id.clone(), issue);
        }
    }
}

/// Why a request must end now, if it must.
pub fn due_reason(
    request: &Request,
    now: DateTime<Utc>,
    tickets: &HashMap<String, TicketState>,
) -> Option<RevokeReason> {
    if request.expires_at.is_some_and(|at| at <= now) {
        return Some(RevokeReason::Expired);
    }
    let ticket = request.ticket.as_ref()?;
    match tickets.get(&ticket.id)? {
        TicketState::Found {
            category: StatusCategory::Done,
            ..
        } => Some(RevokeReason::TicketClosed),
        TicketState::Found { .. } => None,
        TicketState::Gone => Some(RevokeReason::TicketDeleted),
    }
}

/// Asks Jira about every ticket id: in batches first, then one by one (several at
/// once) for the ids a batch did not return (search is eventually consistent, and a
/// missing issue may simply be unindexed). `stored_keys` maps each id to the key on
/// record, to tell which tickets moved.
pub fn check_tickets(
    client: &JiraClient,
    ids: &[String],
    stored_keys: &HashMap<String, String>,
) -> TicketCheck {
    let mut check = TicketCheck::default();
    if ids.is_empty() {
        return check;
    }
    let batch = match client.issues_by_id(ids) {
        Ok(batch) => batch,
        Err(err) => {
            check
                .errors
                .push(format!("could not check {} tickets: {err}", ids.len()));
            return check;
        }
    };
    let mut unchecked: HashSet<&str> = HashSet::new();
    if !batch.failed_ids.is_empty() {
        let first = &batch.failed_ids[0].1;
        check.errors.push(format!(
            "could not check {} tickets: {first}",
            batch.failed_ids.len()
        ));
        unchecked.extend(batch.failed_ids.iter().map(|(id, _)| id.as_str()));
    }
    for issue in batch.found {
        check.found(issue, stored_keys);
    }

    let missing: Vec<String> = ids
        .iter()
        .filter(|id| !check.states.contains_key(*id) && !unchecked.contains(id.as_str()))
        .cloned()
        .collect();
    let mut lookup_errors = Vec::new();
    for (id, result) in missing.iter().zip(client.issues_one_by_one(&missing)) {
        match result {
            Ok(Some(issue)) => check.found(issue, stored_keys),
            Ok(None) => {
                check.states.insert(id.clone(), TicketState::Gone);
            }
            Err(err) => lookup_errors.push(format!("ticket {id}: {err}")),
        }
    }
    if let Some(first) = lookup_errors.first() {
        check.errors.push(format!(
            "could not check {} tickets: {first}",
            lookup_errors.len()
        ));
    }
    // Deletions are only candidates here: see `confirm_deletions`.
    check
}

/// Confirmed deletions at once from which a share above one half looks like lost
/// permissions rather than housekeeping.
pub const MASS_DELETION_MIN: usize = 3;

/// Why the tickets that answered 404 were not accepted as deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unconfirmed {
    /// The evidence points at the configuration (the account's permissions): a person
    /// must look before anything is revoked for `ticket_deleted`.
    Configuration { message: String, hint: String },
    /// The project could not be checked (Jira trouble); try again next pass.
    Unchecked(String),
}

/// Keeps a 404 from revoking access when it may mean "hidden" rather than "deleted".
///
/// When some tickets answered 404 (`TicketState::Gone`), asks for the project (one
/// request). If the project is not visible, or if at least [`MASS_DELETION_MIN`]
/// tickets and more than half of the `checked` ones are gone at once (unless
/// `allow_mass`), the gone tickets are taken out of `check`, so nothing is revoked for
/// them, and the reason is returned.
pub fn confirm_deletions(
    client: &JiraClient,
    project: &str,
    check: &mut TicketCheck,
    checked: usize,
    allow_mass: bool,
) -> Option<Unconfirmed> {
    let gone: Vec<String> = check
        .states
        .iter()
        .filter(|(_, state)| matches!(state, TicketState::Gone))
        .map(|(id, _)| id.clone())
        .collect();
    if gone.is_empty() {
        return None;
    }
    let count = gone.len();
    let verdict = match client.project(project) {
        Ok(Some(_)) if allow_mass || count < MASS_DELETION_MIN || count * 2 <= checked => {
            return None;
        }
        Ok(Some(_)) => Unconfirmed::Configuration {
            message: format!(
                "{count} of {checked} bound tickets answered 404 at once; not revoking for ticket_deleted, since this looks like lost permissions rather than deleted tickets"
            ),
            hint: format!(
                "Check that the Jira account can still browse every ticket in {project} (issue security levels, project roles). If the tickets really were deleted, run `opal-jira reconcile --allow-mass-deletion` once."
            ),
        },
        Ok(None) => Unconfirmed::Configuration {
            message: format!(
                "project {project} is not visible to the Jira account: {count} tickets answered 404, and nothing is revoked for ticket_deleted until the project is visible again"
            ),
            hint: format!(
                "Give the account the Browse Projects permission in {project} again, or check OPAL_JIRA_PROJECT and the profile with `opal-jira configure show`."
            ),
        },
        Err(err) => Unconfirmed::Unchecked(format!(
            "could not check {count} tickets that answered 404: confirming that project {project} is visible failed: {err}"
        )),
    };
    for id in gone {
        check.states.remove(&id);
    }
    Some(verdict)
}

/// How far Jira's clock may be from this host's before a warning: expiry is decided by
/// this host's clock.
pub const CLOCK_SKEW_LIMIT: chrono::Duration = chrono::Duration::minutes(2);

/// A warning when `skew` (Jira's clock minus this host's) is beyond [`CLOCK_SKEW_LIMIT`].
pub fn clock_skew_warning(skew: chrono::Duration) -> Option<String> {
    if skew.abs() <= CLOCK_SKEW_LIMIT {
        return None;
    }
    let direction = if skew > chrono::Duration::zero() {
        "behind"
    } else {
        "ahead of"
    };
    Some(format!(
        "this host's clock is {} s {direction} Jira's; expiry is decided by this host's clock, so access may end at the wrong time (check NTP)",
        skew.num_seconds().abs()
    ))
}

/// The outcome of one revocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Revoked,
    /// Another process holds the claim on this request.
    Busy,
    Failed(String),
}

/// How long a claim protects a revocation in progress: the command's time limit and a
/// margin. A crashed process's claim is taken over sooner (see `Db::claim_revoke`).
fn lease(timeout: Duration) -> chrono::Duration {
    chrono::Duration::seconds(timeout.as_secs() as i64 + 60)
}

/// What a worker needs to run one revoke command.
struct Job {
    request_id: i64,
    line: String,
    vars: HookVars,
    timeout: Duration,
}

/// Claims a request and prepares its revoke command. `Err(outcome)` when it cannot run.
fn prepare(
    db: &Db,
    claimant: &Claimant,
    request: &Request,
    reason: RevokeReason,
    now: DateTime<Utc>,
) -> anyhow::Result<Result<Job, Outcome>> {
    let Some(resource) = db.resource(&request.resource)? else {
        return Ok(Err(Outcome::Failed(format!(
            "resource `{}` no longer exists",
            request.resource
        ))));
    };
    let timeout = Duration::from_secs(resource.timeout_secs.max(1) as u64);
    if !db.claim_revoke(request.id, claimant, now, lease(timeout))? {
        return Ok(Err(Outcome::Busy));
    }
    test_pause("AFTER_CLAIM", request.id);
    Ok(Ok(Job {
        request_id: request.id,
        line: resource.revoke,
        vars: HookVars {
            request_id: request.id,
            resource: request.resource.clone(),
            requester: request.requester.clone(),
            ticket: request.ticket.as_ref().map(|ticket| ticket.key.clone()),
            reason: Some(reason),
        },
        timeout,
    }))
}

fn run_job(job: &Job) -> Result<HookReport, String> {
    hooks::run(&job.line, &job.vars, job.timeout)
        .map_err(|err| format!("revoke command could not run: {err:#}"))
}

/// Who records a revocation: the acting user and the claim this process holds.
struct Recorder<'a> {
    db: &'a Db,
    actor: &'a str,
    claimant: Claimant,
}

impl Recorder<'_> {
    /// Records a finished revoke command. A revocation that another process finished
    /// first (after taking over an expired claim) counts as done.
    fn record(
        &self,
        request_id: i64,
        reason: RevokeReason,
        note: Option<&str>,
        now: DateTime<Utc>,
        result: Result<HookReport, String>,
    ) -> anyhow::Result<Outcome> {
        let (error, report) = match result {
            Ok(report) if report.success() => {
                test_pause("AFTER_REVOKE", request_id);
                self.db
                    .finish_revoke(request_id, reason, now, note, self.actor, &report)?;
                return Ok(Outcome::Revoked);
            }
            Ok(report) => {
                let error = report
                    .failure_summary()
                    .unwrap_or_else(|| "revoke command failed".to_string());
                (error, Some(report))
            }
            Err(error) => (error, None),
        };
        self.db.fail_revoke(
            request_id,
            &self.claimant,
            &error,
            now,
            self.actor,
            report.as_ref(),
        )?;
        Ok(Outcome::Failed(error))
    }
}

/// Crash tests stop the process at a chosen point: with `__OPAL_JIRA_TEST_PAUSE_<POINT>`
/// naming a file, reaching the point writes the request id there and sleeps, so the
/// test can kill the process right there.
fn test_pause(point: &str, request_id: i64) {
    let Some(marker) = std::env::var_os(format!("__OPAL_JIRA_TEST_PAUSE_{point}")) else {
        return;
    };
    if std::fs::write(&marker, request_id.to_string()).is_ok() {
        std::thread::sleep(Duration::from_secs(60));
    }
}

/// Revokes one request now, in this thread.
pub fn revoke_one(
    db: &Db,
    request: &Request,
    reason: RevokeReason,
    note: Option<&str>,
    actor: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<Outcome> {
    let recorder = Recorder {
        db,
        actor,
        claimant: Claimant::current(),
    };
    let job = match prepare(db, &recorder.claimant, request, reason, now)? {
        Ok(job) => job,
        Err(outcome) => return Ok(outcome),
    };
    let result = run_job(&job);
    recorder.record(request.id, reason, note, now, result)
}

/// Revokes many requests, running up to `jobs` revoke commands at once. The database
/// is used from this thread only; workers just run commands. Each request is claimed
/// right before its command starts, so a claim never waits in a queue. After an
/// interrupt the requests not yet started are left out of the outcomes.
pub fn revoke_many(
    db: &Db,
    due: &[(Request, RevokeReason)],
    jobs: usize,
    actor: &str,
    now: &dyn Fn() -> DateTime<Utc>,
    progress: &dyn Fn(usize, usize),
) -> anyhow::Result<Vec<(i64, RevokeReason, Outcome)>> {
    let jobs = jobs.max(1);
    let reasons: HashMap<i64, RevokeReason> = due
        .iter()
        .map(|(request, reason)| (request.id, *reason))
        .collect();
    let mut outcomes = Vec::with_capacity(due.len());
    let recorder = Recorder {
        db,
        actor,
        claimant: Claimant::current(),
    };
    let (job_tx, job_rx) = mpsc::channel::<Job>();
    let job_rx = std::sync::Mutex::new(job_rx);
    let (done_tx, done_rx) = mpsc::channel::<(i64, Result<HookReport, String>)>();

    std::thread::scope(|scope| -> anyhow::Result<()> {
        for _ in 0..jobs.min(due.len()) {
            let done_tx = done_tx.clone();
            let job_rx = &job_rx;
            scope.spawn(move || {
                loop {
                    let next = match job_rx.lock() {
                        Ok(receiver) => receiver.recv(),
                        Err(_) => break,
                    };
                    let Ok(job) = next else { break };
                    let result = run_job(&job);
                    if done_tx.send((job.request_id, result)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_tx);

        let mut pending = due.iter();
        let mut in_flight = 0usize;
        loop {
            // After SIGINT or SIGTERM, start nothing new; what runs is still recorded.
            if in_flight < jobs
                && !interrupt::requested()
                && let Some((request, reason)) = pending.next()
            {
                match prepare(db, &recorder.claimant, request, *reason, now())? {
                    Ok(job) => {
                        job_tx
                            .send(job)
                            .map_err(|_| anyhow::anyhow!("revoke workers stopped"))?;
                        in_flight += 1;
                    }
                    Err(outcome) => outcomes.push((request.id, *reason, outcome)),
                }
                continue;
            }
            if in_flight == 0 {
                break;
            }
            let (id, result) = done_rx
                .recv()
                .map_err(|_| anyhow::anyhow!("revoke workers stopped"))?;
            in_flight -= 1;
            let reason = reasons[&id];
            let outcome = recorder.record(id, reason, None, now(), result)?;
            outcomes.push((id, reason, outcome));
            progress(outcomes.len(), due.len());
        }
        drop(job_tx);
        Ok(())
    })?;
    Ok(outcomes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{RequestStatus, TicketRef};

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("valid time")
            .with_timezone(&Utc)
    }

    fn request(expires_at: Option<&str>, ticket: Option<&str>) -> Request {
        Request {
            id: 1,
            resource: "db".into(),
            requester: "ana@acme.com".into(),
            requested_by: "ana@acme.com".into(),
            reason: None,
            status: RequestStatus::Active,
            created_at: at("2026-12-01T00:00:00Z"),
            expires_at: expires_at.map(at),
            ticket: ticket.map(|id| TicketRef {
                id: id.into(),
                key: "OPS-1".into(),
                url: String::new(),
            }),
            revoked_at: None,
            revoke_reason: None,
            error: None,
        }
    }

    #[test]
    fn expiry_wins_and_needs_no_ticket_state() {
        let now = at("2026-12-02T00:00:00Z");
        let none = HashMap::new();
        assert_eq!(
            due_reason(
                &request(Some("2026-12-01T12:00:00Z"), Some("10001")),
                now,
                &none
            ),
            Some(RevokeReason::Expired)
        );
        assert_eq!(
            due_reason(&request(Some("2026-12-02T00:00:00Z"), None), now, &none),
            Some(RevokeReason::Expired)
        );
        assert_eq!(
            due_reason(&request(Some("2026-12-03T00:00:00Z"), None), now, &none),
            None
        );
    }

    #[test]
    fn ticket_states_decide_bound_requests() {
        let now = at("2026-12-02T00:00:00Z");
        let bound = request(None, Some("10001"));
        let mut states = HashMap::new();
        assert_eq!(
            due_reason(&bound, now, &states),
            None,
            "unchecked ticket must not be revoked"
        );
        states.insert(
            "10001".to_string(),
            TicketState::Found {
                key: "OPS-1".into(),
                category: StatusCategory::Indeterminate,
            },
        );
        assert_eq!(due_reason(&bound, now, &states), None);
        states.insert(
            "10001".to_string(),
            TicketState::Found {
                key: "OPS-1".into(),
                category: StatusCategory::Done,
            },
        );
        assert_eq!(
            due_reason(&bound, now, &states),
            Some(RevokeReason::TicketClosed)
        );
        states.insert("10001".to_string(), TicketState::Gone);
        assert_eq!(
            due_reason(&bound, now, &states),
            Some(RevokeReason::TicketDeleted)
        );
    }
}
