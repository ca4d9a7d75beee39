//! The command-line interface: global flags, the command tree, and dispatch.
//!
//! Each command's arguments live beside its code in `cmd/`; this file only assembles
//! them, so an unwired command is a compile error in the one `match` below.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::cmd;
use crate::ctx::Ctx;
use crate::ui::{ColorChoice, OutputFormat};

/// Time-bound access to named resources, tied to Jira tickets.
///
/// Engineers request access to a resource (a database role, a group, a host) for a
/// bounded time, optionally bound to a Jira ticket assigned to them. Access ends at its
/// expiry or when the ticket is closed, whichever comes first; `opal-jira reconcile`,
/// run from cron, enforces that.
#[derive(Debug, Parser)]
#[command(
    name = "opal-jira",
    version,
    propagate_version = true,
    max_term_width = 100,
    after_help = "Getting started:
  opal-jira configure                              connect to Jira (once per user)
  opal-jira resources add prod-db --revoke CMD     register a resource (admins)
  opal-jira tickets search                         find the tickets assigned to you
  opal-jira request --ticket OPS-12 --expire 8h    get access until OPS-12 closes, 8h at most
  opal-jira reconcile                              end what is due (run it from cron)"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Flags accepted by every command.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// SQLite file holding resources, requests and the audit log
    ///
    /// Defaults to `$XDG_DATA_HOME/opal-jira/opal-jira.db` on Linux.
    #[arg(long, global = true, value_name = "PATH", env = "OPAL_JIRA_DB")]
    pub db: Option<PathBuf>,

    /// Jira connection profile to use (one keyring entry each)
    #[arg(long, global = true, value_name = "NAME", default_value = "default")]
    pub profile: String,

    /// Output format: a table for people or JSON for scripts
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "FORMAT",
        default_value = "table"
    )]
    pub output: OutputFormat,

    /// Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Print only results and errors
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Never prompt (implied when stdin is not a terminal)
    #[arg(long, global = true)]
    pub no_input: bool,

    /// When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "WHEN",
        default_value = "auto"
    )]
    pub color: ColorChoice,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Configure(cmd::configure::ConfigureArgs),
    /// Find the Jira tickets assigned to you
    #[command(subcommand)]
    Tickets(cmd::tickets::TicketsCommand),
    /// Manage the resources that access can be requested for
    #[command(subcommand)]
    Resources(cmd::resources::ResourcesCommand),
    Request(cmd::request::RequestArgs),
    /// List and inspect access requests; bind one to a ticket or extend it
    #[command(subcommand)]
    Requests(cmd::requests::RequestsCommand),
    /// End one active request now
    Revoke(cmd::revoke::RevokeArgs),
    Reconcile(cmd::reconcile::ReconcileArgs),
    /// Check everything the setup depends on, and how to fix what is broken
    Doctor(cmd::doctor::DoctorArgs),
    Log(cmd::log::LogArgs),
    /// Print a shell completion script
    Completions(cmd::completions::CompletionsArgs),
}

/// Runs the parsed command.
pub fn run(ctx: &Ctx, command: &Command) -> anyhow::Result<()> {
    match command {
        Command::Configure(args) => cmd::configure::run(ctx, args),
        Command::Tickets(command) => cmd::tickets::run(ctx, command),
        Command::Resources(command) => cmd::resources::run(ctx, command),
        Command::Request(args) => cmd::request::run(ctx, args),
        Command::Requests(command) => cmd::requests::run(ctx, command),
        Command::Revoke(args) => cmd::revoke::run(ctx, args),
        Command::Reconcile(args) => cmd::reconcile::run(ctx, args),
        Command::Doctor(args) => cmd::doctor::run(ctx, args),
        Command::Log(args) => cmd::log::run(ctx, args),
        Command::Completions(args) => cmd::completions::run(ctx, args),
    }
}

/// The clap command tree, for completions, man pages and tests.
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

#[cfg(test)]
mod tests {
    #[test]
    fn command_tree_is_consistent() {
        super::command().debug_assert();
    }
}
