//! `opal-jira log`: the audit log, oldest first.

use chrono::{DateTime, Utc};
use clap::Args;
use serde_json::json;

use crate::clock::{self, rfc3339};
use crate::ctx::Ctx;
use crate::db::EventFilter;

/// Show the audit log, oldest first (JSON Lines with --output json)
#[derive(Debug, Args)]
pub struct LogArgs {
    /// Only events of this request
    #[arg(long, value_name = "ID")]
    pub request: Option<i64>,

    /// Only events at or after this time (RFC 3339)
    #[arg(long, value_name = "TIME", value_parser = clock::parse_rfc3339)]
    pub since: Option<DateTime<Utc>>,

    /// Only events before this time (RFC 3339)
    #[arg(long, value_name = "TIME", value_parser = clock::parse_rfc3339)]
    pub until: Option<DateTime<Utc>>,
}

pub fn run(ctx: &Ctx, args: &LogArgs) -> anyhow::Result<()> {
    let filter = EventFilter {
        request_id: args.request,
        since: args.since,
        until: args.until,
    };
    let db = ctx.db()?;
    if ctx.ui.json() {
        // One line per event as it is read, so that a log of years streams into a SIEM
        // without being held in memory, and `| head` stops the reading.
        return db.for_each_event(&filter, |event| {
            ctx.ui.print_json_line(&json!({
                "id": event.id,
                "at": rfc3339(event.at),
                "request_id": event.request_id,
                "kind": event.kind,
                "actor": event.actor,
                "message": event.message,
                "detail": event.detail,
            }))?;
            Ok(!ctx.ui.stdout_closed())
        });
    }
    let events = db.events(&filter)?;
    if events.is_empty() {
        ctx.ui.status("No events match.");
        return Ok(());
    }
    let rows = events
        .iter()
        .map(|event| {
            vec![
                rfc3339(event.at),
                event
                    .request_id
                    .map(|id| id.to_string())
                    .unwrap_or_default(),
                event.kind.clone(),
                event.actor.clone(),
                event.message.clone(),
            ]
        })
        .collect();
    ctx.ui
        .print_table(&["AT", "REQUEST", "EVENT", "ACTOR", "MESSAGE"], rows)
}
