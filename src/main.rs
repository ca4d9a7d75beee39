//! The `opal-jira` binary: parse the command line, run the command, and turn the outcome
//! into an exit code (0 success, 1 failure, 2 usage or configuration error).

#![allow(clippy::print_stderr)]

use std::process::ExitCode;

use clap::Parser as _;

use opal_jira::cli::{self, Cli};
use opal_jira::clock::Clock;
use opal_jira::ctx::Ctx;
use opal_jira::error;
use opal_jira::logging;
use opal_jira::ui::{Ui, sanitize};

fn main() -> ExitCode {
    // `COMPLETE=<shell> opal-jira` prints a completion script, and the shell then calls
    // back here to complete words; neither goes further than this line.
    clap_complete::CompleteEnv::with_factory(cli::command)
        .completer("opal-jira")
        .complete();
    // Help, version and usage errors are handled here, before anything is set up.
    let cli = Cli::parse();
    let quiet = cli.global.quiet;
    logging::init(
        cli.global.verbose,
        quiet,
        std::env::var("OPAL_JIRA_LOG").ok().as_deref(),
    );
    // The TLS stack needs its cryptography chosen once per process.
    let _ = rustls::crypto::ring::default_provider().install_default();

    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            report(&err);
            ExitCode::from(error::exit_kind(&err).code() as u8)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let clock = Clock::from_env()?;
    let ui = Ui::new(
        cli.global.output,
        cli.global.quiet,
        cli.global.no_input,
        cli.global.color,
    );
    let ctx = Ctx::new(cli.global, ui, clock);
    cli::run(&ctx, &cli.command)
}

/// Prints an error: its message, each cause on its own line, then the hints.
fn report(err: &anyhow::Error) {
    let mut chain = err.chain();
    if let Some(top) = chain.next() {
        let label = console::style("error:").red().bold().for_stderr();
        eprintln!("opal-jira: {label} {}", sanitize(&top.to_string()));
    }
    for cause in chain {
        // A UserError deeper in the chain has already been said by its wrapper when the
        // wrapper quotes it; skip exact repeats.
        let text = sanitize(&cause.to_string());
        if !err.to_string().contains(&text) {
            eprintln!("  caused by: {text}");
        }
    }
    for hint in error::hints(err) {
        eprintln!(
            "{} {}",
            console::style("hint:").cyan().for_stderr(),
            sanitize(&hint)
        );
    }
}
