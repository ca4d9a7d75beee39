//! `opal-jira requests extend ID (--expire DURATION | --until TIME)`: move the expiry of
//! an active request, within its resource's maximum counted from the original grant.

use chrono::{DateTime, Utc};
use clap::{ArgGroup, Args};
use clap_complete::ArgValueCandidates;

use crate::clock::{self, rfc3339};
use crate::complete;
use crate::ctx::Ctx;
use crate::duration;
use crate::error::UserError;

use super::{find, print_one};

/// Move the expiry of an active request
///
/// The new expiry is counted from now (`--expire`) or given outright (`--until`). It may
/// not be further from the original grant than the resource's maximum. Requests without
/// an expiry end only with their ticket and cannot be extended.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("when").args(["expire", "until"]).required(true)))]
pub struct ExtendArgs {
    /// Request id
    #[arg(add = ArgValueCandidates::new(complete::active_request_ids))]
    pub id: i64,

    /// New duration, counted from now, e.g. 4h
    #[arg(long, value_name = "DURATION", value_parser = duration::parse)]
    pub expire: Option<i64>,

    /// New expiry time (RFC 3339)
    #[arg(long, value_name = "TIME", value_parser = clock::parse_rfc3339)]
    pub until: Option<DateTime<Utc>>,
}

pub fn run(ctx: &Ctx, args: &ExtendArgs) -> anyhow::Result<()> {
    let now = ctx.now();
    let request = find(ctx, args.id)?;
    let new_expiry = match (args.expire, args.until) {
        (Some(seconds), _) => now + chrono::Duration::seconds(seconds),
        (None, Some(until)) => until,
        (None, None) => unreachable!("clap requires --expire or --until"),
    };
    if new_expiry <= now {
        return Err(UserError::usage(format!(
            "--until {} is not in the future (now is {})",
            rfc3339(new_expiry),
            rfc3339(now)
        ))
        .into());
    }

    let db = ctx.db()?;
    if let Some(max) = db
        .resource(&request.resource)?
        .and_then(|resource| resource.max_expire_secs)
    {
        let latest = request.created_at + chrono::Duration::seconds(max);
        if new_expiry > latest {
            return Err(UserError::usage(format!(
                "resource `{}` allows at most {} from the original grant ({}), so request {} can last until {} at the latest",
                request.resource,
                duration::format(max),
                rfc3339(request.created_at),
                request.id,
                rfc3339(latest)
            ))
            .into());
        }
    }

    db.set_expiry(request.id, new_expiry, &ctx.actor(), now)?;
    if let Some(previous) = request.expires_at {
        crate::ticketing::comments::after_extend(ctx, request.id, previous);
    }
    ctx.ui.status(&format!(
        "Request {} now ends at {}.",
        request.id,
        rfc3339(new_expiry)
    ));
    print_one(ctx, &find(ctx, args.id)?)
}
