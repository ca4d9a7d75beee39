//! `opal-jira doctor`: check everything the setup depends on and say how to fix what
//! is broken. The checks live in [`crate::doctor`]; this prints them.

use clap::Args;
use serde_json::json;

use crate::ctx::Ctx;
use crate::doctor;
use crate::error::UserError;

/// Check the connection, token, server, project, database and keyring, and in a Jira
/// Service Management project each step of its setup
///
/// Prints one line per check with its result and, for a failure, the fix. Exits 1 when
/// a check fails, 2 when no connection is configured.
#[derive(Debug, Args)]
pub struct DoctorArgs {}

pub fn run(ctx: &Ctx, _args: &DoctorArgs) -> anyhow::Result<()> {
    let report = doctor::run(ctx);
    if ctx.ui.json() {
        ctx.ui
            .print_json(&json!({"ok": report.ok(), "checks": report.checks}))?;
    } else {
        let rows = report
            .checks
            .iter()
            .map(|check| {
                vec![
                    check.status.as_str().to_string(),
                    check.name.to_string(),
                    check.detail.clone(),
                    check.fix.clone().unwrap_or_default(),
                ]
            })
            .collect();
        ctx.ui
            .print_table(&["RESULT", "CHECK", "DETAIL", "FIX"], rows)?;
    }

    if report.ok() {
        ctx.ui
            .status("Everything opal-jira depends on is in order.");
        return Ok(());
    }
    if report.unconfigured {
        return Err(UserError::usage("no Jira connection is configured")
            .hint("Run `opal-jira configure`, or set the OPAL_JIRA_* variables (see `opal-jira doctor` above).")
            .into());
    }
    let failures = report.failures();
    let noun = if failures == 1 { "check" } else { "checks" };
    Err(UserError::failure(format!("{failures} {noun} failed; see the FIX column")).into())
}
