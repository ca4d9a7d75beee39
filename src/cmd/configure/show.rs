//! `opal-jira configure show`: the effective connection, token redacted, and its source.

use serde_json::json;

use crate::connection::Source;
use crate::ctx::Ctx;

use super::deployment_name;

pub fn run(ctx: &Ctx) -> anyhow::Result<()> {
    let connection = ctx.connection()?;
    let source = match connection.source {
        Source::Keyring => "OS keyring",
        Source::Environment => "environment",
    };
    let identity = connection.identity.as_ref();

    if ctx.ui.json() {
        return ctx.ui.print_json(&json!({
            "profile": connection.profile,
            "source": connection.source,
            "deployment": connection.deployment,
            "url": connection.base_url.as_str(),
            "workspace": connection.workspace,
            "project": connection.project,
            "project_type": connection.project_type,
            "email": connection.email,
            "token": connection.token.redacted(),
            "user": identity.map(|identity| &identity.display_name),
            "ca_cert": connection.ca_cert,
        }));
    }

    let mut fields = vec![
        ("profile", connection.profile.clone()),
        ("source", source.to_string()),
        (
            "deployment",
            deployment_name(connection.deployment).to_string(),
        ),
        ("url", connection.base_url.to_string()),
        ("project", connection.project.clone()),
        (
            "email",
            connection
                .email
                .clone()
                .unwrap_or_else(|| "(none)".to_string()),
        ),
        ("token", connection.token.redacted()),
    ];
    if let Some(kind) = &connection.project_type {
        fields.push(("project type", kind.clone()));
    }
    if let Some(identity) = identity {
        fields.push(("user", identity.display_name.clone()));
    }
    if let Some(path) = &connection.ca_cert {
        fields.push(("ca cert", path.display().to_string()));
    }
    ctx.ui.print_fields(&fields)
}
