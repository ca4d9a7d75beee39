//! `opal-jira resources add NAME --revoke CMD [--grant CMD] ...`.

use clap::Args;

use crate::ctx::Ctx;
use crate::db::Resource;
use crate::duration;
use crate::hooks::{self, HookKind};

/// The default time limit of grant and revoke commands.
const DEFAULT_TIMEOUT_SECS: i64 = 60;

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Name of the resource, e.g. prod-db (letters, digits and `._:@/-`)
    #[arg(value_parser = parse_name)]
    pub name: String,

    /// Command that revokes access, split like shell words (no shell runs it)
    ///
    /// Placeholders: {request_id}, {resource}, {requester}, {ticket}, {reason}. The same
    /// values are in the environment as OPAL_JIRA_REQUEST_ID, OPAL_JIRA_RESOURCE,
    /// OPAL_JIRA_REQUESTER, OPAL_JIRA_TICKET and OPAL_JIRA_REVOKE_REASON. It must be safe
    /// to run twice.
    #[arg(long, value_name = "CMD")]
    pub revoke: String,

    /// Command that grants access (same placeholders, except {reason})
    #[arg(long, value_name = "CMD")]
    pub grant: Option<String>,

    /// What the resource is, for people choosing one
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,

    /// Longest access that may be requested, e.g. 8h or 1w (default: no limit)
    #[arg(long, value_name = "DURATION", value_parser = duration::parse)]
    pub max_expire: Option<i64>,

    /// Time limit for each grant or revoke command
    #[arg(long, value_name = "DURATION", value_parser = duration::parse, default_value = "60s")]
    pub timeout: i64,
}

pub fn run(ctx: &Ctx, args: &AddArgs) -> anyhow::Result<()> {
    // The errors name the command they are about and list the placeholders.
    hooks::validate(&args.revoke, HookKind::Revoke)?;
    if let Some(grant) = &args.grant {
        hooks::validate(grant, HookKind::Grant)?;
    }
    let resource = Resource {
        name: args.name.clone(),
        description: args.description.clone(),
        grant: args.grant.clone(),
        revoke: args.revoke.clone(),
        max_expire_secs: args.max_expire,
        timeout_secs: if args.timeout > 0 {
            args.timeout
        } else {
            DEFAULT_TIMEOUT_SECS
        },
        created_at: ctx.now(),
    };
    ctx.db()?.add_resource(&resource, &ctx.actor())?;
    ctx.ui
        .status(&format!("Added resource `{}`.", resource.name));
    Ok(())
}

/// Resource names appear in commands, logs and completions: keep them plain.
fn parse_name(text: &str) -> Result<String, String> {
    let valid = !text.is_empty()
        && text.len() <= 64
        && text.starts_with(|c: char| c.is_ascii_alphanumeric())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._:@/-".contains(c));
    if valid {
        Ok(text.to_string())
    } else {
        Err(format!(
            "invalid resource name `{text}`: use up to 64 letters, digits and `._:@/-`, starting with a letter or digit"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::parse_name;

    #[test]
    fn names() {
        for ok in ["prod-db", "db:ro", "group/admins", "host1.example.com", "a"] {
            assert!(parse_name(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "-x",
            "has space",
            "semi;colon",
            "$(x)",
            &"a".repeat(65),
            "ünï",
        ] {
            assert!(parse_name(bad).is_err(), "{bad}");
        }
    }
}
