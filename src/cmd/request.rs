//! `opal-jira request`: check the request against the rules, record it, grant it.

use std::time::Duration;

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use clap::{ArgGroup, Args};
use clap_complete::ArgValueCandidates;

use crate::clock::{self, rfc3339};
use crate::complete;
use crate::connection::Identity;
use crate::ctx::Ctx;
use crate::db::{NewRequest, Resource, TicketRef};
use crate::duration;
use crate::error::UserError;
use crate::hooks::{self, HookVars};
use crate::jira::{self, Issue, StatusCategory, jql};
use crate::render::request_json;
use crate::ticketing;

use super::pickers;

/// Request access to a resource, and grant it
///
/// Access ends at the expiry, or when the bound ticket's status category becomes Done,
/// whichever comes first.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("expiry").args(["expire", "until", "indefinite"])))]
#[command(group(ArgGroup::new("ticket_source").args(["ticket", "create_ticket"])))]
pub struct RequestArgs {
    /// Resource to access (may be left out when only one exists)
    #[arg(long, value_name = "NAME", add = ArgValueCandidates::new(complete::resource_names))]
    pub resource: Option<String>,

    /// Bind the access to this ticket (it must be assigned to the requester)
    #[arg(long, value_name = "KEY", value_parser = jira::parse_key_arg)]
    pub ticket: Option<String>,

    /// Create a ticket for this request in the configured project and bind it (in a
    /// Jira Service Management project: a request of type `Access Change - Opal`, with
    /// the requester as reporter)
    #[arg(long)]
    pub create_ticket: bool,

    /// Issue type of the ticket --create-ticket creates outside Jira Service Management
    /// projects [default: Task]
    #[arg(long, value_name = "NAME", requires = "create_ticket")]
    pub issue_type: Option<String>,

    /// Request on behalf of this person (they become the requester)
    #[arg(long = "for", value_name = "EMAIL")]
    pub for_email: Option<String>,

    /// How long access lasts, e.g. 8h, 2d or 1h30m
    #[arg(long, value_name = "DURATION", value_parser = duration::parse)]
    pub expire: Option<i64>,

    /// When access ends (RFC 3339, e.g. 2026-12-24T18:00:00Z)
    #[arg(long, value_name = "TIME", value_parser = clock::parse_rfc3339)]
    pub until: Option<DateTime<Utc>>,

    /// No expiry: access ends only when the ticket closes (needs --ticket or
    /// --create-ticket)
    #[arg(long, requires = "ticket_source")]
    pub indefinite: bool,

    /// Why access is needed (kept in the request and the audit log)
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}

/// The person access is for.
pub struct Requester {
    pub email: String,
    /// The Jira user, when known (for the assignee rule).
    pub identity: Option<Identity>,
}

impl Requester {
    fn person(&self) -> ticketing::create::Person<'_> {
        ticketing::create::Person {
            email: &self.email,
            identity: self.identity.as_ref(),
        }
    }
}

pub fn run(ctx: &Ctx, args: &RequestArgs) -> anyhow::Result<()> {
    let now = ctx.now();
    let db = ctx.db()?;
    // On a terminal, whatever the flags leave open is asked for; elsewhere the same gaps
    // are errors that name the flag.
    let no_expiry = args.expire.is_none() && args.until.is_none() && !args.indefinite;
    let interactive = ctx.ui.can_prompt() && (args.resource.is_none() || no_expiry);
    let resource = match &args.resource {
        None if interactive => pickers::resource(db.resources()?)?,
        name => pick_resource(ctx, name.as_deref())?,
    };
    let ticket_key = match &args.ticket {
        None if interactive && args.for_email.is_none() && !args.create_ticket => pick_ticket(ctx)?,
        key => key.clone(),
    };
    let expires_at = if interactive && no_expiry {
        pickers::expiry(&resource, ticket_key.is_some() || args.create_ticket, now)?
    } else {
        expiry(args, now)?
    };
    check_max_expire(&resource, expires_at, now)?;

    let requested_by = configured_user(ctx, ticket_key.is_some() || args.create_ticket)?;
    let requester = match &args.for_email {
        Some(email) => other_person(ctx, email)?,
        None => Requester {
            email: requested_by.email.clone(),
            identity: requested_by.identity.clone(),
        },
    };
    let checked = match &ticket_key {
        Some(key) => Some(check_ticket(ctx, key, &requester)?.1),
        None => None,
    };
    // Confirm before a ticket is created, so that declining leaves nothing behind.
    if interactive {
        let until = expires_at.map_or("the ticket closes".to_string(), rfc3339);
        let bound = match &checked {
            Some(ticket) => format!(", bound to {}", ticket.key),
            None if args.create_ticket => ", bound to a new ticket".to_string(),
            None => String::new(),
        };
        pickers::confirm(&format!(
            "{} for {} until {until}{bound}",
            resource.name, requester.email
        ))?;
    }
    let ticket = match checked {
        Some(ticket) => Some(ticket),
        // The ticket rules do not apply to a ticket made for this request.
        None if args.create_ticket => Some(create_ticket(
            ctx,
            args,
            &resource.name,
            &requester,
            &requested_by,
            expires_at,
        )?),
        None => None,
    };

    let new = NewRequest {
        resource: resource.name.clone(),
        requester: requester.email.clone(),
        requested_by: requested_by.email.clone(),
        reason: args.reason.clone(),
        created_at: now,
        expires_at,
        ticket,
    };
    let id = match db.insert_request(&new) {
        Ok(id) => id,
        Err(err) => {
            if let Some(ticket) = new.ticket.as_ref().filter(|_| args.create_ticket) {
                ticketing::comments::after_unrecorded(ctx, ticket, &new, &err);
            }
            return Err(err);
        }
    };
    if let Some(ticket) = new.ticket.as_ref().filter(|_| args.create_ticket) {
        ticketing::create::record_created(ctx, id, ticket);
    }
    let granted = grant(ctx, &resource, id, &new);
    ticketing::comments::after_grant(ctx, id, granted.is_err());
    granted?;

    let request = db
        .request(id)?
        .context("the request just recorded is missing")?;
    if ctx.ui.json() {
        ctx.ui.print_json(&request_json(&request))?;
    } else {
        let until = request
            .expires_at
            .map_or("the ticket closes".to_string(), rfc3339);
        ctx.ui.status(&format!(
            "Granted {} to {} until {} (request {}).",
            request.resource, request.requester, until, request.id
        ));
    }
    Ok(())
}

/// Runs the grant command (if any) and records the outcome. A failure leaves the
/// request `failed`, never active.
fn grant(ctx: &Ctx, resource: &Resource, id: i64, new: &NewRequest) -> anyhow::Result<()> {
    let db = ctx.db()?;
    let Some(line) = &resource.grant else {
        return db.mark_granted(id, None, ctx.now());
    };
    let vars = HookVars {
        request_id: id,
        resource: resource.name.clone(),
        requester: new.requester.clone(),
        ticket: new.ticket.as_ref().map(|ticket| ticket.key.clone()),
        reason: None,
    };
    let timeout = Duration::from_secs(resource.timeout_secs.max(1) as u64);
    let report = match hooks::run(line, &vars, timeout) {
        Ok(report) => report,
        Err(err) => {
            let message = format!("grant command could not run: {err:#}");
            db.mark_grant_failed(id, &message, None, ctx.now())?;
            return Err(UserError::failure(format!("request {id} failed: {message}")).into());
        }
    };
    if report.success() {
        return db.mark_granted(id, Some(&report), ctx.now());
    }
    let message = report
        .failure_summary()
        .unwrap_or_else(|| "grant command failed".to_string());
    db.mark_grant_failed(id, &message, Some(&report), ctx.now())?;
    if ctx.ui.json()
        && let Some(request) = db.request(id)?
    {
        ctx.ui.print_json(&request_json(&request))?;
    }
    Err(UserError::failure(format!("request {id} failed: {message}"))
        .hint("Nothing was granted; the request is recorded as failed. Fix the grant command and request again.")
        .into())
}

/// The open tickets assigned to the configured user, to pick from.
fn pick_ticket(ctx: &Ctx) -> anyhow::Result<Option<String>> {
    let project = &ctx.connection()?.project;
    let issues = ctx
        .jira()?
        .search(&jql::my_tickets(project, None, false), 50)?;
    pickers::ticket(&issues)
}

/// Creates the request's ticket (`--create-ticket`) for `requester`, asked for by
/// `requested_by`.
fn create_ticket(
    ctx: &Ctx,
    args: &RequestArgs,
    resource: &str,
    requester: &Requester,
    requested_by: &Requester,
    expires_at: Option<DateTime<Utc>>,
) -> anyhow::Result<TicketRef> {
    let plan = ticketing::create::Plan {
        resource,
        requester: requester.person(),
        requested_by: requested_by.person(),
        now: ctx.now(),
        expires_at,
        reason: args.reason.as_deref(),
        issue_type: args.issue_type.as_deref(),
    };
    let ticket = ticketing::create::create(ctx, &plan)?;
    ctx.ui
        .status(&format!("Created ticket {} ({}).", ticket.key, ticket.url));
    Ok(ticket)
}

/// `--resource`, or the only resource there is.
fn pick_resource(ctx: &Ctx, name: Option<&str>) -> anyhow::Result<Resource> {
    let db = ctx.db()?;
    if let Some(name) = name {
        return db.resource(name)?.ok_or_else(|| {
            let names = resource_names(ctx).unwrap_or_default();
            UserError::usage(format!("unknown resource `{name}`"))
                .hint(available(&names))
                .into()
        });
    }
    let mut resources = db.resources()?;
    match resources.len() {
        1 => Ok(resources.remove(0)),
        0 => Err(UserError::usage("no resources are registered")
            .hint("An admin adds one with `opal-jira resources add NAME --revoke CMD`.")
            .into()),
        _ => {
            let names: Vec<String> = resources
                .into_iter()
                .map(|resource| resource.name)
                .collect();
            Err(
                UserError::usage("--resource is required when several resources exist")
                    .hint(available(&names))
                    .into(),
            )
        }
    }
}

fn resource_names(ctx: &Ctx) -> anyhow::Result<Vec<String>> {
    Ok(ctx
        .db()?
        .resources()?
        .into_iter()
        .map(|resource| resource.name)
        .collect())
}

fn available(names: &[String]) -> String {
    if names.is_empty() {
        "No resources are registered yet.".to_string()
    } else {
        format!("Available resources: {}.", names.join(", "))
    }
}

/// The expiry time from `--expire`, `--until` or `--indefinite` (None).
fn expiry(args: &RequestArgs, now: DateTime<Utc>) -> anyhow::Result<Option<DateTime<Utc>>> {
    if let Some(seconds) = args.expire {
        return Ok(Some(now + chrono::Duration::seconds(seconds)));
    }
    if let Some(until) = args.until {
        if until <= now {
            return Err(UserError::usage(format!(
                "--until {} is not in the future (now is {})",
                rfc3339(until),
                rfc3339(now)
            ))
            .into());
        }
        return Ok(Some(until));
    }
    if args.indefinite {
        return Ok(None);
    }
    Err(UserError::usage("an expiry is required")
        .hint("Pass `--expire DURATION` (e.g. 8h), `--until TIME`, or `--indefinite` together with `--ticket`.")
        .into())
}

fn check_max_expire(
    resource: &Resource,
    expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let Some(max) = resource.max_expire_secs else {
        return Ok(());
    };
    let limit = duration::format(max);
    match expires_at {
        None => Err(UserError::usage(format!(
            "resource `{}` allows access for at most {limit}, so it cannot be indefinite",
            resource.name
        ))
        .into()),
        Some(at) if (at - now).num_seconds() > max => Err(UserError::usage(format!(
            "resource `{}` allows access for at most {limit}; {} is longer",
            resource.name,
            duration::format((at - now).num_seconds())
        ))
        .hint(format!("Ask for `--expire {limit}` or less."))
        .into()),
        Some(_) => Ok(()),
    }
}

/// The configured Jira user, as recorded in `requested_by`; `need_identity` when the
/// Jira user must be known (to check a ticket's assignee or to create a ticket).
pub fn configured_user(ctx: &Ctx, need_identity: bool) -> anyhow::Result<Requester> {
    let connection = ctx.connection()?;
    // Unbound access needs only the email: no call to Jira for it.
    if let (None, Some(email), false) = (&connection.identity, &connection.email, need_identity) {
        return Ok(Requester {
            email: email.clone(),
            identity: None,
        });
    }
    let identity = match &connection.identity {
        Some(identity) => identity.clone(),
        // A connection from the environment has no cached identity: ask Jira once.
        None => Identity::from(&ctx.jira()?.myself()?),
    };
    let email = connection
        .email
        .clone()
        .or_else(|| identity.email.clone())
        .or_else(|| identity.name.clone())
        .context("the configured Jira user has no email address or username")?;
    Ok(Requester {
        email,
        identity: Some(identity),
    })
}

/// The person named by `--for EMAIL`, looked up in Jira so that the assignee rule can
/// be checked.
fn other_person(ctx: &Ctx, email: &str) -> anyhow::Result<Requester> {
    lookup_person(ctx, &super::configure::parse_email(email)?)
}

/// Someone known by email (or, on Data Center, username), with their Jira user when
/// one has that address.
pub fn lookup_person(ctx: &Ctx, email: &str) -> anyhow::Result<Requester> {
    let identity = ctx
        .jira()?
        .find_user_by_email(email)?
        .map(|user| Identity::from(&user));
    Ok(Requester {
        email: email.to_string(),
        identity,
    })
}

/// Applies the ticket rules: the ticket exists, is in the configured project, is
/// assigned to the requester, and is not Done.
pub fn check_ticket(
    ctx: &Ctx,
    key: &str,
    requester: &Requester,
) -> anyhow::Result<(Issue, TicketRef)> {
    let connection = ctx.connection()?;
    let Some(issue) = ctx.jira()?.issue(key)? else {
        return Err(UserError::usage(format!(
            "ticket {key} does not exist, or you do not have permission to see it"
        ))
        .into());
    };
    if issue.project_key != connection.project {
        return Err(UserError::usage(format!(
            "ticket {} is in project {}, not in the configured project {}",
            issue.key, issue.project_key, connection.project
        ))
        .into());
    }
    let assigned = match (&issue.assignee, &requester.identity) {
        (Some(assignee), Some(identity)) => identity.is(assignee),
        (Some(assignee), None) => assignee
            .email
            .as_deref()
            .is_some_and(|email| email.eq_ignore_ascii_case(&requester.email)),
        (None, _) => false,
    };
    if !assigned {
        let holder = issue
            .assignee
            .as_ref()
            .map_or("nobody".to_string(), |user| user.display_name.clone());
        return Err(UserError::usage(format!(
            "ticket {} is assigned to {holder}, not to {}",
            issue.key, requester.email
        ))
        .hint("Access can only be bound to a ticket assigned to the requester.")
        .into());
    }
    if issue.status_category == StatusCategory::Done {
        return Err(UserError::usage(format!(
            "ticket {} is already closed (status {})",
            issue.key, issue.status
        ))
        .into());
    }
    let url = super::tickets::ticket_url(ctx, &issue)?;
    let ticket = TicketRef {
        id: issue.id.clone(),
        key: issue.key.clone(),
        url,
    };
    Ok((issue, ticket))
}
