//! `opal-jira revoke ID`: end one active request now.

use clap::Args;
use clap_complete::ArgValueCandidates;

use crate::complete;
use crate::ctx::Ctx;
use crate::db::RevokeReason;
use crate::error::UserError;
use crate::reconcile::{self, Outcome};

use super::requests::{find, print_one};

#[derive(Debug, Args)]
pub struct RevokeArgs {
    /// Request id
    #[arg(add = ArgValueCandidates::new(complete::active_request_ids))]
    pub id: i64,

    /// Why (kept in the audit log)
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}

pub fn run(ctx: &Ctx, args: &RevokeArgs) -> anyhow::Result<()> {
    let request = find(ctx, args.id)?;
    if request.status.as_str() != "active" {
        return Err(UserError::usage(format!(
            "request {} is not active (it is {})",
            request.id,
            request.status.as_str()
        ))
        .into());
    }
    let db = ctx.db()?;
    // An interrupt now waits for the revoke command, so its outcome is recorded.
    crate::interrupt::install();
    let outcome = reconcile::revoke_one(
        db,
        &request,
        RevokeReason::Manual,
        args.reason.as_deref(),
        &ctx.actor(),
        ctx.now(),
    )?;
    match outcome {
        Outcome::Revoked => {
            ctx.ui.status(&format!("Revoked request {}.", request.id));
            let note = args.reason.as_deref();
            crate::ticketing::comments::after_revoke(ctx, &request, RevokeReason::Manual, note);
            print_one(ctx, &find(ctx, args.id)?)
        }
        Outcome::Busy => Err(UserError::failure(format!(
            "request {} is being revoked by another opal-jira process right now",
            request.id
        ))
        .into()),
        Outcome::Failed(error) => {
            print_one(ctx, &find(ctx, args.id)?)?;
            Err(
                UserError::failure(format!("could not revoke request {}: {error}", request.id))
                    .hint("The request stays active; `opal-jira reconcile` retries it.")
                    .into(),
            )
        }
    }
}
