//! `opal-jira-sim`: a stateful, in-memory Jira simulator (Cloud or Data Center flavour).
//!
//! opal-jira's integration tests and demo run the real `opal-jira` binary against this
//! program over loopback. It serves a faithful subset of the Jira platform REST API plus an
//! admin API under `/_sim/` through which tests seed data, inject faults and read back the
//! requests it received.

// A test and demo tool: it prints its address, its log and the demo straight out.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod admin;
mod api;
mod auth;
mod demo;
mod desk;
mod faults;
mod http;
mod jql;
mod server;
mod state;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::state::Flavor;

/// Simulate a Jira site on 127.0.0.1 for tests and demos
#[derive(Debug, Parser)]
#[command(name = "opal-jira-sim", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the simulated Jira until standard input closes or the process is signalled
    Serve(ServeArgs),
    /// Walk through the whole opal-jira flow against a simulated Jira
    Demo(demo::DemoArgs),
}

/// Options of `opal-jira-sim serve`.
#[derive(Debug, clap::Args)]
struct ServeArgs {
    /// Which Jira to imitate
    #[arg(long, value_enum, default_value_t = Flavor::Cloud)]
    flavor: Flavor,

    /// TCP port on 127.0.0.1 (0 picks a free one)
    #[arg(long, default_value_t = 0)]
    port: u16,

    /// JSON file with initial config, users, projects and issues (same shapes as the admin API)
    #[arg(long, value_name = "FILE.json")]
    seed: Option<PathBuf>,

    /// Log every request (method, path, status, time) to stderr
    #[arg(short, long)]
    verbose: bool,
}

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => {
            server::serve(args.flavor, args.port, args.seed.as_deref(), args.verbose)
        }
        Command::Demo(args) => demo::run(&args),
    };
    if let Err(err) = result {
        eprintln!("opal-jira-sim: {err:#}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
