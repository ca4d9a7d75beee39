//! `opal-jira configure`: set up the Jira connection, check it, and save it in the OS
//! keyring. `configure show` and `configure remove` live beside it.

mod show;

use std::io::Read as _;

use anyhow::Context as _;
use clap::{Args, Subcommand};

use crate::connection::{self, Connection, Identity, Source, store};
use crate::ctx::Ctx;
use crate::error::UserError;
use crate::jira::{Deployment, JiraClient};
use crate::secret::Secret;

/// The oldest Data Center release with personal access tokens.
pub const MIN_DC_VERSION: (u32, u32) = (8, 14);

/// Set up the Jira connection and save it in the OS keyring
///
/// On a terminal, prompts for whatever the flags leave out. Without one (or with
/// `--no-input`) every value must come from flags, and the token from standard input
/// with `--token-stdin`. Unless `--no-verify`, the credentials, the project and (on Data
/// Center) the version are checked before anything is saved.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ConfigureArgs {
    #[command(subcommand)]
    pub action: Option<ConfigureAction>,

    /// Jira deployment: `cloud` or `datacenter`
    #[arg(long, value_name = "KIND", value_parser = connection::parse_deployment)]
    pub deployment: Option<Deployment>,

    /// Cloud workspace name (`acme` means https://acme.atlassian.net)
    #[arg(long, value_name = "NAME")]
    pub workspace: Option<String>,

    /// Site base URL (required for Data Center; replaces --workspace on Cloud)
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,

    /// Key of the project that tickets belong to, e.g. OPS
    #[arg(long, value_name = "KEY")]
    pub project: Option<String>,

    /// Your Jira email (required for Cloud, optional for Data Center)
    #[arg(long, value_name = "EMAIL")]
    pub email: Option<String>,

    /// Read the API token (Cloud) or personal access token (Data Center) from stdin
    #[arg(long)]
    pub token_stdin: bool,

    /// Save without checking the connection against Jira
    #[arg(long)]
    pub no_verify: bool,
}

#[derive(Debug, Subcommand)]
pub enum ConfigureAction {
    /// Show the effective connection (token redacted) and where it comes from
    Show,
    /// Delete the profile's keyring entry
    Remove,
}

pub fn run(ctx: &Ctx, args: &ConfigureArgs) -> anyhow::Result<()> {
    match args.action {
        Some(ConfigureAction::Show) => return show::run(ctx),
        Some(ConfigureAction::Remove) => return remove(ctx),
        None => {}
    }
    refuse_when_env_configured("save a profile")?;

    let mut connection = gather(ctx, args)?;
    if args.no_verify {
        ctx.ui
            .warn("saving without checking the connection (--no-verify)");
    } else {
        verify(ctx, &mut connection)?;
    }

    let store = store::from_env()?;
    let profile = serde_json::to_string(&connection.to_profile())?;
    store.set(&connection.profile, &profile)?;
    ctx.ui.status(&format!(
        "Saved profile `{}` ({} project {} at {}) in the {}.",
        connection.profile,
        deployment_name(connection.deployment),
        connection.project,
        connection.base_url,
        store.describe()
    ));
    Ok(())
}

/// The keyring is never touched while the environment holds the connection.
fn refuse_when_env_configured(action: &str) -> anyhow::Result<()> {
    if connection::env_configured() {
        return Err(UserError::usage(format!(
            "cannot {action} while {} or {} is set: the connection comes from the environment",
            connection::vars::TOKEN,
            connection::vars::TOKEN_FILE
        ))
        .hint("Unset them to use a profile saved in the OS keyring.")
        .into());
    }
    Ok(())
}

fn remove(ctx: &Ctx) -> anyhow::Result<()> {
    refuse_when_env_configured("remove a profile")?;
    let store = store::from_env()?;
    let profile = &ctx.global.profile;
    if store.delete(profile)? {
        ctx.ui.status(&format!(
            "Removed profile `{profile}` from the {}.",
            store.describe()
        ));
        Ok(())
    } else {
        Err(UserError::usage(format!("there is no saved profile `{profile}` to remove")).into())
    }
}

/// Collects the connection from flags, prompting for the rest when allowed.
fn gather(ctx: &Ctx, args: &ConfigureArgs) -> anyhow::Result<Connection> {
    let prompt = ctx.ui.can_prompt();
    let need = |flag: &str| {
        UserError::usage(format!("{flag} is required when not prompting"))
            .hint("Run `opal-jira configure` on a terminal to be asked, or pass every flag.")
    };

    let deployment = match args.deployment {
        Some(deployment) => deployment,
        None if prompt => prompt_deployment()?,
        None => return Err(need("--deployment").into()),
    };

    let mut workspace = args.workspace.clone();
    let base_url = match (&args.url, &workspace, deployment) {
        (Some(url), _, _) => connection::parse_site_url(url)?,
        (None, Some(name), Deployment::Cloud) => connection::workspace_url(name)?,
        (None, None, Deployment::Cloud) if prompt => {
            let name = ask("Cloud workspace (the NAME in NAME.atlassian.net)")?;
            let url = connection::workspace_url(&name)?;
            workspace = Some(name);
            url
        }
        (None, _, Deployment::DataCenter) if prompt => {
            connection::parse_site_url(&ask("Jira base URL (e.g. https://jira.example.com)")?)?
        }
        (None, _, Deployment::Cloud) => return Err(need("--workspace or --url").into()),
        (None, _, Deployment::DataCenter) => return Err(need("--url").into()),
    };

    let project = match &args.project {
        Some(key) => connection::parse_project_key(key)?,
        None if prompt => connection::parse_project_key(&ask("Project key (e.g. OPS)")?)?,
        None => return Err(need("--project").into()),
    };

    let email = match (&args.email, deployment) {
        (Some(email), _) => Some(parse_email(email)?),
        (None, Deployment::Cloud) if prompt => {
            Some(parse_email(&ask("Your Atlassian account email")?)?)
        }
        (None, Deployment::Cloud) => return Err(need("--email").into()),
        (None, Deployment::DataCenter) => None,
    };

    let token = if args.token_stdin {
        read_token_stdin()?
    } else if prompt {
        let label = match deployment {
            Deployment::Cloud => "API token",
            Deployment::DataCenter => "Personal access token",
        };
        let token = dialoguer::Password::new().with_prompt(label).interact()?;
        Secret::new(token.trim())
    } else {
        return Err(UserError::usage("the token is required when not prompting")
            .hint("Pipe it in with `--token-stdin`, e.g. `opal-jira configure ... --token-stdin < token.txt`.")
            .into());
    };

    Ok(Connection {
        profile: ctx.global.profile.clone(),
        source: Source::Keyring,
        deployment,
        base_url,
        workspace,
        project,
        email,
        token,
        ca_cert: std::env::var_os(connection::vars::CA_CERT).map(Into::into),
        identity: None,
        project_type: None,
    })
}

fn prompt_deployment() -> anyhow::Result<Deployment> {
    let choice = dialoguer::Select::new()
        .with_prompt("Jira deployment")
        .items([
            "Jira Cloud (NAME.atlassian.net)",
            "Jira Data Center 8.14 or later",
        ])
        .default(0)
        .interact()?;
    Ok(if choice == 0 {
        Deployment::Cloud
    } else {
        Deployment::DataCenter
    })
}

fn ask(prompt: &str) -> anyhow::Result<String> {
    Ok(dialoguer::Input::<String>::new()
        .with_prompt(prompt)
        .interact_text()?)
}

fn read_token_stdin() -> anyhow::Result<Secret> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .context("reading the token from stdin")?;
    let token = text.trim();
    if token.is_empty() {
        return Err(
            UserError::usage("--token-stdin was given but standard input was empty").into(),
        );
    }
    if token.contains(char::is_whitespace) {
        return Err(UserError::usage(
            "the token read from standard input contains spaces or several lines",
        )
        .hint("Pipe in the token alone, e.g. `printf %s \"$TOKEN\" | opal-jira configure ...`.")
        .into());
    }
    Ok(Secret::new(token))
}

/// A light check of an email address: one `@` with text on both sides and no spaces.
pub fn parse_email(text: &str) -> anyhow::Result<String> {
    let email = text.trim();
    let valid = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    };
    if !valid {
        return Err(UserError::usage(format!("invalid email address `{email}`")).into());
    }
    Ok(email.to_string())
}

/// Checks the connection against Jira: the token, the deployment, the version, the
/// project. Caches the identity and the project type in the connection.
fn verify(ctx: &Ctx, connection: &mut Connection) -> anyhow::Result<()> {
    let client = JiraClient::new(connection::tune_from_env(connection.jira_config())?)?;

    let info = client.server_info().context("checking the Jira server")?;
    let server_is_cloud = info.is_cloud();
    match (connection.deployment, server_is_cloud) {
        (Deployment::Cloud, false) => {
            return Err(UserError::usage(format!(
                "{} is not Jira Cloud (it reports deployment type `{}`)",
                connection.base_url, info.deployment_type
            ))
            .hint("Use `--deployment datacenter` for a self-managed Jira.")
            .into());
        }
        (Deployment::DataCenter, true) => {
            return Err(
                UserError::usage(format!("{} is Jira Cloud", connection.base_url))
                    .hint("Use `--deployment cloud` with your email and an API token.")
                    .into(),
            );
        }
        (Deployment::DataCenter, false)
            if !info.version_at_least(MIN_DC_VERSION.0, MIN_DC_VERSION.1) =>
        {
            return Err(UserError::usage(format!(
                "Jira {} is too old: opal-jira needs Data Center 8.14 or later (personal access tokens)",
                info.version
            ))
            .into());
        }
        _ => {}
    }

    let me = client.myself().context("checking the token")?;
    ctx.ui
        .status(&format!("Authenticated as {}.", me.display_name));
    connection.identity = Some(Identity::from(&me));
    if connection.email.is_none() {
        connection.email = me.email.clone();
    }

    let Some(project) = client
        .project(&connection.project)
        .context("checking the project")?
    else {
        return Err(UserError::usage(format!(
            "project {} does not exist, or {} cannot see it",
            connection.project, me.display_name
        ))
        .hint("Check the key with `--project`, and that your account can browse the project.")
        .into());
    };
    connection.project_type = project.project_type_key.clone();
    Ok(())
}

pub fn deployment_name(deployment: Deployment) -> &'static str {
    match deployment {
        Deployment::Cloud => "Jira Cloud",
        Deployment::DataCenter => "Jira Data Center",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_check() {
        assert_eq!(parse_email(" ana@acme.com ").unwrap(), "ana@acme.com");
        for bad in [
            "",
            "ana",
            "@acme.com",
            "ana@",
            "ana@acme",
            "a b@acme.com",
            "a@b@c.com",
            "ana@.com",
        ] {
            assert!(parse_email(bad).is_err(), "{bad} accepted");
        }
    }
}
