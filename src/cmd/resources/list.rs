//! `opal-jira resources list`.

use serde_json::json;

use crate::clock::rfc3339;
use crate::ctx::Ctx;
use crate::duration;

pub fn run(ctx: &Ctx) -> anyhow::Result<()> {
    let resources = ctx.db()?.resources()?;
    if ctx.ui.json() {
        let list: Vec<_> = resources
            .iter()
            .map(|resource| {
                json!({
                    "name": resource.name,
                    "description": resource.description,
                    "grant": resource.grant,
                    "revoke": resource.revoke,
                    "max_expire_seconds": resource.max_expire_secs,
                    "timeout_seconds": resource.timeout_secs,
                    "created_at": rfc3339(resource.created_at),
                })
            })
            .collect();
        return ctx.ui.print_json(&list);
    }
    if resources.is_empty() {
        ctx.ui
            .status("No resources yet. Add one with `opal-jira resources add NAME --revoke CMD`.");
        return Ok(());
    }
    let rows = resources
        .iter()
        .map(|resource| {
            vec![
                resource.name.clone(),
                resource
                    .max_expire_secs
                    .map(duration::format)
                    .unwrap_or_else(|| "-".to_string()),
                resource.description.clone().unwrap_or_default(),
                resource.grant.clone().unwrap_or_else(|| "-".to_string()),
                resource.revoke.clone(),
            ]
        })
        .collect();
    ctx.ui
        .print_table(&["NAME", "MAX", "DESCRIPTION", "GRANT", "REVOKE"], rows)
}
