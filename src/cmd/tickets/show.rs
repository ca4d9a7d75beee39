//! `opal-jira tickets show KEY`.

use clap::Args;

use crate::ctx::Ctx;
use crate::error::UserError;
use crate::jira;
use crate::render::TicketJson;

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Ticket key, e.g. OPS-12
    #[arg(value_parser = jira::parse_key_arg)]
    pub key: String,
}

pub fn run(ctx: &Ctx, args: &ShowArgs) -> anyhow::Result<()> {
    let Some(issue) = ctx.jira()?.issue(&args.key)? else {
        return Err(UserError::failure(format!(
            "ticket {} does not exist, or you do not have permission to see it",
            args.key
        ))
        .into());
    };
    let ticket = TicketJson::new(&issue, super::ticket_url(ctx, &issue)?);
    if ctx.ui.json() {
        return ctx.ui.print_json(&ticket);
    }
    ctx.ui.print_fields(&[
        ("key", ticket.key),
        ("summary", ticket.summary),
        (
            "status",
            format!("{} ({})", ticket.status, ticket.status_category),
        ),
        (
            "assignee",
            ticket
                .assignee
                .unwrap_or_else(|| "(unassigned)".to_string()),
        ),
        ("updated", ticket.updated.unwrap_or_default()),
        ("url", ticket.url),
    ])
}
