//! `opal-jira tickets search [TEXT]`.

use clap::Args;

use crate::ctx::Ctx;
use crate::jira::jql;
use crate::render::{TicketJson, short_span};

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Only tickets whose summary contains these words
    pub text: Option<String>,

    /// Include tickets whose status category is Done
    #[arg(long)]
    pub all_statuses: bool,

    /// Show at most N tickets
    #[arg(long, value_name = "N", default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub limit: u32,
}

pub fn run(ctx: &Ctx, args: &SearchArgs) -> anyhow::Result<()> {
    let connection = ctx.connection()?;
    let jql = jql::my_tickets(&connection.project, args.text.as_deref(), args.all_statuses);
    let issues = ctx.jira()?.search(&jql, args.limit as usize)?;

    if ctx.ui.json() {
        // Only JSON shows links, so only JSON pays for learning them.
        let urls = crate::ticketing::links::ticket_urls(ctx, &issues)?;
        let tickets: Vec<TicketJson> = issues
            .iter()
            .zip(urls)
            .map(|(issue, url)| TicketJson::new(issue, url))
            .collect();
        return ctx.ui.print_json(&tickets);
    }
    if issues.is_empty() {
        ctx.ui.status(&format!(
            "No open tickets in {} are assigned to you.",
            connection.project
        ));
        return Ok(());
    }
    let now = ctx.now();
    let rows = issues
        .iter()
        .map(|issue| {
            vec![
                issue.key.clone(),
                issue.status.clone(),
                issue
                    .updated
                    .map(|at| format!("{} ago", short_span((now - at).num_seconds())))
                    .unwrap_or_default(),
                issue.summary.clone(),
            ]
        })
        .collect();
    ctx.ui
        .print_table(&["KEY", "STATUS", "UPDATED", "SUMMARY"], rows)
}
