//! `opal-jira requests`: list and inspect access requests, bind one to a ticket.

mod extend;

use clap::{Args, Subcommand};
use clap_complete::ArgValueCandidates;

use crate::complete;
use crate::ctx::Ctx;
use crate::db::{Request, RequestFilter};
use crate::duration;
use crate::error::UserError;
use crate::jira;
use crate::render::{REQUEST_HEADER, request_fields, request_json, request_row};

use super::request::{Requester, check_ticket};

#[derive(Debug, Subcommand)]
pub enum RequestsCommand {
    /// List requests (active ones unless --all), newest first
    List(ListArgs),
    /// Show one request
    Show(ShowArgs),
    /// Bind an active request to a ticket (the same ticket rules as `request`)
    Bind(BindArgs),
    Extend(extend::ExtendArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Include revoked and failed requests
    #[arg(long)]
    pub all: bool,

    /// Only requests for this resource
    #[arg(long, value_name = "NAME", add = ArgValueCandidates::new(complete::resource_names))]
    pub resource: Option<String>,

    /// Only requests bound to this ticket
    #[arg(long, value_name = "KEY", value_parser = jira::parse_key_arg)]
    pub ticket: Option<String>,

    /// Only active requests that end within this time, e.g. 2h
    #[arg(long, value_name = "DURATION", value_parser = duration::parse, conflicts_with = "all")]
    pub expiring_within: Option<i64>,

    /// Show at most N requests, the newest (default: all)
    #[arg(long, value_name = "N", default_value_t = 0, hide_default_value = true)]
    pub limit: usize,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Request id
    #[arg(add = ArgValueCandidates::new(complete::active_request_ids))]
    pub id: i64,
}

#[derive(Debug, Args)]
pub struct BindArgs {
    /// Request id
    #[arg(add = ArgValueCandidates::new(complete::active_request_ids))]
    pub id: i64,

    /// Ticket key, e.g. OPS-12
    #[arg(long, value_name = "KEY", value_parser = jira::parse_key_arg)]
    pub ticket: String,
}

pub fn run(ctx: &Ctx, command: &RequestsCommand) -> anyhow::Result<()> {
    match command {
        RequestsCommand::List(args) => list(ctx, args),
        RequestsCommand::Show(args) => print_one(ctx, &find(ctx, args.id)?),
        RequestsCommand::Bind(args) => bind(ctx, args),
        RequestsCommand::Extend(args) => extend::run(ctx, args),
    }
}

fn list(ctx: &Ctx, args: &ListArgs) -> anyhow::Result<()> {
    let filter = RequestFilter {
        all: args.all,
        resource: args.resource.clone(),
        ticket_key: args.ticket.clone(),
        expiring_before: args
            .expiring_within
            .map(|seconds| ctx.now() + chrono::Duration::seconds(seconds)),
        // One more than shown tells whether the list was cut.
        limit: (args.limit > 0).then(|| args.limit.saturating_add(1)),
    };
    let mut requests = ctx.db()?.list_requests(&filter)?;
    if args.limit > 0 && requests.len() > args.limit {
        requests.truncate(args.limit);
        ctx.ui.warn(&format!(
            "showing the newest {} matching requests; leave out `--limit` to see them all",
            args.limit
        ));
    }
    if ctx.ui.json() {
        let list: Vec<_> = requests.iter().map(request_json).collect();
        return ctx.ui.print_json(&list);
    }
    if requests.is_empty() {
        let what = if args.all {
            "requests"
        } else {
            "active requests"
        };
        ctx.ui.status(&format!("No {what} match."));
        return Ok(());
    }
    let now = ctx.now();
    let rows = requests
        .iter()
        .map(|request| request_row(request, now))
        .collect();
    ctx.ui.print_table(&REQUEST_HEADER, rows)
}

/// The request with this id, or a usage error saying there is none.
pub fn find(ctx: &Ctx, id: i64) -> anyhow::Result<Request> {
    ctx.db()?
        .request(id)?
        .ok_or_else(|| UserError::usage(format!("there is no request {id}")).into())
}

/// Prints one request: the contract's object in JSON, `key: value` lines otherwise.
pub fn print_one(ctx: &Ctx, request: &Request) -> anyhow::Result<()> {
    if ctx.ui.json() {
        ctx.ui.print_json(&request_json(request))
    } else {
        ctx.ui.print_fields(&request_fields(request, ctx.now()))
    }
}

fn bind(ctx: &Ctx, args: &BindArgs) -> anyhow::Result<()> {
    let request = find(ctx, args.id)?;
    if request.status.as_str() != "active" {
        return Err(UserError::usage(format!(
            "request {} is {}; only active requests can be bound",
            request.id,
            request.status.as_str()
        ))
        .into());
    }
    let requester = requester_of(ctx, &request)?;
    let (_, ticket) = check_ticket(ctx, &args.ticket, &requester)?;
    ctx.db()?
        .bind_ticket(request.id, &ticket, &ctx.actor(), ctx.now())?;
    crate::ticketing::comments::after_bind(ctx, request.id);
    ctx.ui
        .status(&format!("Bound request {} to {}.", request.id, ticket.key));
    print_one(ctx, &find(ctx, args.id)?)
}

/// The Jira identity of a request's requester: the configured user when it is them,
/// else a lookup by email.
fn requester_of(ctx: &Ctx, request: &Request) -> anyhow::Result<Requester> {
    let me = super::request::configured_user(ctx, true)?;
    if me.email.eq_ignore_ascii_case(&request.requester) {
        return Ok(me);
    }
    super::request::lookup_person(ctx, &request.requester)
}
