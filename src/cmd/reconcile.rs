//! `opal-jira reconcile`: end every active request that expired or whose ticket closed
//! or disappeared. Meant for cron: it keeps going past failures, reports them all, and
//! exits 1 when anything could not be done.

use std::collections::{BTreeSet, HashMap};

use clap::Args;
use serde::Serialize;

use crate::ctx::Ctx;
use crate::db::{Request, RevokeReason};
use crate::error::UserError;
use crate::reconcile::{self, Outcome, TicketCheck};

/// End access that expired or whose ticket closed (run it from cron)
#[derive(Debug, Args)]
pub struct ReconcileArgs {
    /// Report what would be revoked, and change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// How many revoke commands may run at once
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,

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
    let active = db.active_requests()?;
    let mut report = Report {
        dry_run: args.dry_run,
        checked: active.len(),
        ..Report::default()
    };

    let now = ctx.now();
    let check = check_bound_tickets(ctx, args, &active, now, &mut report);
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
        let outcomes =
            reconcile::revoke_many(db, &due, usize::from(args.jobs), "reconcile", &|| ctx.now())?;
        for (id, reason, outcome) in outcomes {
            match outcome {
                Outcome::Revoked => report.revoked.push(Revoked { id, reason }),
                Outcome::Failed(error) => report.failed.push(Failed { id, error }),
                Outcome::Busy => log::info!("request {id} is being revoked by another process"),
            }
        }
        report.revoked.sort_by_key(|revoked| revoked.id);
        report.failed.sort_by_key(|failed| failed.id);
    }

    print(ctx, &report, &active)?;
    if report.failed.is_empty() && report.errors.is_empty() {
        Ok(())
    } else {
        Err(UserError::failure(summary_line(&report)).into())
    }
}

/// Asks Jira about the tickets of requests that are not already due by time. Jira
/// trouble becomes report errors, never a stop: expiry still runs.
fn check_bound_tickets(
    ctx: &Ctx,
    args: &ReconcileArgs,
    active: &[Request],
    now: chrono::DateTime<chrono::Utc>,
    report: &mut Report,
) -> TicketCheck {
    let ids: BTreeSet<String> = active
        .iter()
        .filter(|request| request.expires_at.is_none_or(|at| at > now))
        .filter_map(|request| request.ticket.as_ref().map(|ticket| ticket.id.clone()))
        .collect();
    if ids.is_empty() {
        return TicketCheck::default();
    }
    let ids: Vec<String> = ids.into_iter().collect();
    let client = match ctx.jira() {
        Ok(client) => client
            .clone()
            .with_concurrency(usize::from(args.jira_concurrency)),
        Err(err) => {
            report
                .errors
                .push(format!("could not check {} tickets: {err:#}", ids.len()));
            return TicketCheck::default();
        }
    };
    let check = reconcile::check_tickets(&client, &ids);
    report.errors.extend(check.errors.iter().cloned());
    check
}

/// Keeps stored keys and links current for tickets that moved to a new key.
fn follow_moved_tickets(ctx: &Ctx, active: &[Request], check: &TicketCheck) {
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for request in active {
        let Some(ticket) = &request.ticket else {
            continue;
        };
        let Some(issue) = check.issues.get(&ticket.id) else {
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

fn print(ctx: &Ctx, report: &Report, active: &[Request]) -> anyhow::Result<()> {
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
        ctx.ui.warn(error);
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
