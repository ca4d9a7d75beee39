//! `opal-jira reconcile`: end every active request that expired or whose ticket closed
//! or disappeared. Meant for cron: it keeps going past failures, reports them all, and
//! exits 1 when anything could not be done (2 when the Jira account's permissions look
//! wrong, see `reconcile::confirm_deletions`).
//!
//! A pass is bounded in time: the Jira checks by `--jira-budget`, each revoke command
//! by its resource's time limit. One pass runs at a time per database; another waits
//! `--wait` for it, then gives up with exit code 1 and says who holds the lock.

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use clap::Args;
use serde::Serialize;

use crate::ctx::Ctx;
use crate::db::{Request, RevokeReason};
use crate::error::UserError;
use crate::interrupt;
use crate::reconcile::{self, Outcome, TicketCheck, Unconfirmed};

/// End access that expired or whose ticket closed (run it from cron)
#[derive(Debug, Args)]
pub struct ReconcileArgs {
    /// Report what would be revoked, and change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// How many revoke commands may run at once
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,

    /// The most time the pass spends asking Jira; tickets not checked by then are
    /// reported as unchecked, and expiry is enforced regardless
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = parse_span)]
    pub jira_budget: Duration,

    /// How long to wait for another pass on the same database to finish (0 = not at all)
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = parse_wait)]
    pub wait: Duration,

    /// Revoke for deleted tickets even when many disappear at once (after checking that
    /// they really were deleted)
    #[arg(long)]
    pub allow_mass_deletion: bool,

    /// How many Jira requests may be in flight at once (halved while Jira answers 429)
    #[arg(
        long,
        value_name = "N",
        env = "OPAL_JIRA_CONCURRENCY",
        default_value_t = 4,
        value_parser = clap::value_parser!(u16).range(1..=32)
    )]
    pub jira_concurrency: u16,
}

fn parse_span(text: &str) -> Result<Duration, String> {
    crate::duration::parse(text)
        .map(|seconds| Duration::from_secs(seconds.unsigned_abs()))
        .map_err(|err| err.to_string())
}

fn parse_wait(text: &str) -> Result<Duration, String> {
    if text.trim() == "0" {
        return Ok(Duration::ZERO);
    }
    parse_span(text)
}

/// The contract's reconcile report.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub dry_run: bool,
    pub checked: usize,
    pub revoked: Vec<Revoked>,
    pub failed: Vec<Failed>,
    pub errors: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Revoked {
    pub id: i64,
    pub reason: RevokeReason,
}

#[derive(Debug, Serialize)]
pub struct Failed {
    pub id: i64,
    pub error: String,
}

pub fn run(ctx: &Ctx, args: &ReconcileArgs) -> anyhow::Result<()> {
    let db = ctx.db()?;
    let mut report = Report {
        dry_run: args.dry_run,
        ..Report::default()
    };
    // A dry run changes nothing, so it needs no lock.
    let _lock = if args.dry_run {
        None
    } else {
        match db.lock_passes(args.wait, ctx.now())? {
            Ok(lock) => Some(lock),
            Err(holder) => {
                let message =
                    format!("another reconcile pass is running ({holder}); this pass did nothing");
                report.errors.push(message.clone());
                // In table mode the error itself says it all.
                if ctx.ui.json() {
                    print(ctx, &report, &[], None)?;
                }
                return Err(UserError::failure(message)
                    .hint("It covers the same requests. If passes often overlap, run them less often or raise `--wait`.")
                    .into());
            }
        }
    };

    let active = db.active_requests()?;
    report.checked = active.len();
    let now = ctx.now();
    let (check, config_error) = check_bound_tickets(ctx, args, &active, now, &mut report);
    if !args.dry_run {
        follow_moved_tickets(ctx, &active, &check);
    }

    let due: Vec<(Request, RevokeReason)> = active
        .iter()
        .filter_map(|request| {
            reconcile::due_reason(request, now, &check.states)
                .map(|reason| (request.clone(), reason))
        })
        .collect();

    if args.dry_run {
        report.revoked = due
            .iter()
            .map(|(request, reason)| Revoked {
                id: request.id,
                reason: *reason,
            })
            .collect();
    } else {
        interrupt::install();
        let progress = ctx.ui.progress("revoking");
        let outcomes = reconcile::revoke_many(
            db,
            &due,
            usize::from(args.jobs),
            "reconcile",
            &|| ctx.now(),
            &|done, total| progress.update(done, total),
        )?;
        progress.finish();
        let not_started = due.len() - outcomes.len();
        for (id, reason, outcome) in outcomes {
            match outcome {
                Outcome::Revoked => report.revoked.push(Revoked { id, reason }),
                Outcome::Failed(error) => report.failed.push(Failed { id, error }),
                Outcome::Busy => log::info!("request {id} is being revoked by another process"),
            }
        }
        report.revoked.sort_by_key(|revoked| revoked.id);
        report.failed.sort_by_key(|failed| failed.id);
        let ended = report.revoked.iter().map(|r| (r.id, r.reason));
        let comment_errors = crate::ticketing::comments::after_revokes(ctx, &active, ended);
        report.errors.extend(comment_errors);
        if interrupt::requested() {
            report.errors.push(format!(
                "interrupted: {not_started} due requests were not revoked; the next pass will revoke them"
            ));
        }
    }

    // The configuration error ends the run with its own message; no need to warn twice.
    let final_error = config_error.as_ref().map(|(message, _)| message.as_str());
    print(ctx, &report, &active, final_error)?;
    if let Some((message, hint)) = config_error {
        return Err(UserError::usage(message).hint(hint).into());
    }
    if interrupt::requested() {
        return Err(UserError::failure(format!(
            "reconcile was interrupted: {}",
            summary_line(&report)
        ))
        .into());
    }
    if report.failed.is_empty() && report.errors.is_empty() {
        Ok(())
    } else {
        Err(UserError::failure(summary_line(&report)).into())
    }
}

/// A configuration error found while checking tickets: the message and its hint.
type ConfigError = Option<(String, String)>;

/// Asks Jira about the tickets of requests that are not already due by time, within
/// the pass's Jira budget. Jira trouble becomes report errors, never a stop: expiry
/// still runs.
fn check_bound_tickets(
    ctx: &Ctx,
    args: &ReconcileArgs,
    active: &[Request],
    now: chrono::DateTime<chrono::Utc>,
    report: &mut Report,
) -> (TicketCheck, ConfigError) {
    let stored_keys: HashMap<String, String> = active
        .iter()
        .filter(|request| request.expires_at.is_none_or(|at| at > now))
        .filter_map(|request| request.ticket.as_ref())
        .map(|ticket| (ticket.id.clone(), ticket.key.clone()))
        .collect();
    if stored_keys.is_empty() {
        return (TicketCheck::default(), None);
    }
    let ids: Vec<String> = stored_keys
        .keys()
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let connected = ctx
        .jira()
        .and_then(|client| Ok((client, &ctx.connection()?.project)));
    let (client, project) = match connected {
        Ok(found) => found,
        Err(err) => {
            report
                .errors
                .push(format!("could not check {} tickets: {err:#}", ids.len()));
            return (TicketCheck::default(), None);
        }
    };
    let client = client
        .with_time_limit(args.jira_budget)
        .with_concurrency(usize::from(args.jira_concurrency));
    let mut check = reconcile::check_tickets(&client, &ids, &stored_keys);
    report.errors.extend(check.errors.iter().cloned());

    let unconfirmed = reconcile::confirm_deletions(
        &client,
        project,
        &mut check,
        ids.len(),
        args.allow_mass_deletion,
    );
    if let Some(warning) = client.clock_skew().and_then(reconcile::clock_skew_warning) {
        ctx.ui.warn(&warning);
    }
    match unconfirmed {
        None => (check, None),
        Some(Unconfirmed::Unchecked(error)) => {
            report.errors.push(error);
            (check, None)
        }
        Some(Unconfirmed::Configuration { message, hint }) => {
            report.errors.push(message.clone());
            (check, Some((message, hint)))
        }
    }
}

/// Keeps stored keys and links current for tickets that moved to a new key.
fn follow_moved_tickets(ctx: &Ctx, active: &[Request], check: &TicketCheck) {
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for request in active {
        let Some(ticket) = &request.ticket else {
            continue;
        };
        let Some(issue) = check.moved.get(&ticket.id) else {
            continue;
        };
        if issue.key == ticket.key || seen.insert(&ticket.id, &issue.key).is_some() {
            continue;
        }
        let result = super::tickets::ticket_url(ctx, issue).and_then(|url| {
            ctx.db()?
                .update_ticket(&ticket.id, &issue.key, &url, "reconcile", ctx.now())
        });
        match result {
            Ok(_) => log::info!("ticket {} is now {}", ticket.key, issue.key),
            Err(err) => ctx.ui.warn(&format!(
                "could not record that {} moved to {}: {err:#}",
                ticket.key, issue.key
            )),
        }
    }
}

fn summary_line(report: &Report) -> String {
    let verb = if report.dry_run {
        "would revoke"
    } else {
        "revoked"
    };
    let noun = if report.checked == 1 {
        "request"
    } else {
        "requests"
    };
    format!(
        "checked {} active {noun}: {verb} {}, {} failed, {} errors",
        report.checked,
        report.revoked.len(),
        report.failed.len(),
        report.errors.len()
    )
}

/// Prints the report; in table mode errors become warnings, except `final_error`, which
/// the run's own error message will say.
fn print(
    ctx: &Ctx,
    report: &Report,
    active: &[Request],
    final_error: Option<&str>,
) -> anyhow::Result<()> {
    if ctx.ui.json() {
        return ctx.ui.print_json(report);
    }
    let by_id: HashMap<i64, &Request> =
        active.iter().map(|request| (request.id, request)).collect();
    let describe = |id: i64| {
        by_id.get(&id).map_or(String::new(), |request| {
            format!("{} for {}", request.resource, request.requester)
        })
    };
    let mut rows = Vec::new();
    let verb = if report.dry_run {
        "would revoke"
    } else {
        "revoked"
    };
    for revoked in &report.revoked {
        rows.push(vec![
            revoked.id.to_string(),
            verb.to_string(),
            describe(revoked.id),
            revoked.reason.as_str().to_string(),
        ]);
    }
    for failed in &report.failed {
        rows.push(vec![
            failed.id.to_string(),
            "failed".to_string(),
            describe(failed.id),
            failed.error.clone(),
        ]);
    }
    if !rows.is_empty() {
        ctx.ui
            .print_table(&["ID", "ACTION", "ACCESS", "DETAIL"], rows)?;
    }
    for error in &report.errors {
        if Some(error.as_str()) != final_error {
            ctx.ui.warn(error);
        }
    }
    if report.failed.is_empty() && report.errors.is_empty() {
        ctx.ui
            .status(&format!("{}.", capitalize(&summary_line(report))));
    }
    Ok(())
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or(String::new(), |first| {
        first.to_uppercase().chain(chars).collect()
    })
}
