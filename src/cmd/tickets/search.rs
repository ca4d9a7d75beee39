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
    let jql = search_jql(&connection.project, args.text.as_deref(), args.all_statuses);
    let issues = ctx.jira()?.search(&jql, args.limit as usize)?;

    let tickets = issues
        .iter()
        .map(|issue| Ok(TicketJson::new(issue, super::ticket_url(ctx, issue)?)))
        .collect::<anyhow::Result<Vec<_>>>()?;
    if ctx.ui.json() {
        return ctx.ui.print_json(&tickets);
    }
    if tickets.is_empty() {
        ctx.ui.status(&format!("No open tickets in {} are assigned to you.", connection.project));
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
    ctx.ui.print_table(&["KEY", "STATUS", "UPDATED", "SUMMARY"], rows)
}

/// The JQL for "my tickets in the project": every value quoted, free text reduced to
/// plain words so that search syntax in it cannot change the query.
pub fn search_jql(project: &str, text: Option<&str>, all_statuses: bool) -> String {
    let mut jql = format!("project = {} AND assignee = currentUser()", jql::quote(project));
    if !all_statuses {
        jql.push_str(" AND statusCategory != Done");
    }
    let words = text.map(plain_words).unwrap_or_default();
    if !words.is_empty() {
        jql.push_str(&format!(" AND summary ~ {}", jql::quote(&words)));
    }
    jql.push_str(" ORDER BY updated DESC");
    jql
}

/// Keeps letters, digits and a few joiners; everything else (text-search operators
/// such as `*`, `?`, `~`, quotes, brackets) becomes a space.
fn plain_words(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| if c.is_alphanumeric() || matches!(c, '.' | '_' | '@') { c } else { ' ' })
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jql_quotes_values_and_neutralises_text() {
        assert_eq!(
            search_jql("OPS", None, false),
            "project = \"OPS\" AND assignee = currentUser() AND statusCategory != Done ORDER BY updated DESC"
        );
        assert_eq!(
            search_jql("INT", Some("disk \" OR project = X *full"), true),
            "project = \"INT\" AND assignee = currentUser() AND summary ~ \"disk OR project X full\" ORDER BY updated DESC"
        );
        assert!(!search_jql("OPS", Some("  ~*? "), false).contains("summary"));
    }
}
