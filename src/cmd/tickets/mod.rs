//! `opal-jira tickets`: the Jira tickets assigned to you.

mod search;
mod show;

use clap::Subcommand;

use crate::ctx::Ctx;
use crate::jira::Issue;

#[derive(Debug, Subcommand)]
pub enum TicketsCommand {
    /// List the open tickets in the project assigned to you, most recently updated first
    Search(search::SearchArgs),
    /// Show one ticket
    Show(show::ShowArgs),
}

pub fn run(ctx: &Ctx, command: &TicketsCommand) -> anyhow::Result<()> {
    match command {
        TicketsCommand::Search(args) => search::run(ctx, args),
        TicketsCommand::Show(args) => show::run(ctx, args),
    }
}

/// The link a person should follow for a ticket: the customer portal for a Jira
/// Service Management project, `<site>/browse/<KEY>` otherwise.
pub fn ticket_url(ctx: &Ctx, issue: &Issue) -> anyhow::Result<String> {
    crate::ticketing::links::ticket_url(ctx, issue)
}
