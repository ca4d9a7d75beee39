//! `opal-jira resources`: the things access can be requested for, each with the
//! commands that grant and revoke it.

mod add;
mod list;

use clap::{Args, Subcommand};
use clap_complete::ArgValueCandidates;

use crate::complete;
use crate::ctx::Ctx;

#[derive(Debug, Subcommand)]
pub enum ResourcesCommand {
    /// Register a resource and the commands that grant and revoke access to it
    Add(add::AddArgs),
    /// List the registered resources
    List,
    /// Remove a resource (it must have no active requests)
    Remove(RemoveArgs),
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// Name of the resource
    #[arg(add = ArgValueCandidates::new(complete::resource_names))]
    pub name: String,
}

pub fn run(ctx: &Ctx, command: &ResourcesCommand) -> anyhow::Result<()> {
    match command {
        ResourcesCommand::Add(args) => add::run(ctx, args),
        ResourcesCommand::List => list::run(ctx),
        ResourcesCommand::Remove(args) => {
            ctx.db()?
                .remove_resource(&args.name, &ctx.actor(), ctx.now())?;
            ctx.ui.status(&format!("Removed resource `{}`.", args.name));
            Ok(())
        }
    }
}
