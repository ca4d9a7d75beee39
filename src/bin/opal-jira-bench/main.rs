//! `opal-jira-bench`: measures the real `opal-jira` binary against the bundled Jira
//! simulator and checks the performance targets of a reconcile pass.
//!
//! It starts its own simulators on 127.0.0.1, seeds them and a fresh SQLite file per
//! scenario in a temporary directory, runs `opal-jira` as a child process, and prints one
//! line per measurement (`target: measured vs limit … PASS|FAIL`) and a summary line per
//! target. It exits 1 when a checked target is missed, 2 when it could not run.
//!
//! Built only with the `bench` feature:
//! `cargo run --release --features bench --bin opal-jira-bench` (full size).

#![allow(clippy::print_stdout, clippy::print_stderr)]

#[cfg(unix)]
mod checks;
#[cfg(unix)]
mod child;
#[cfg(unix)]
mod scenario;
#[cfg(unix)]
mod sim;
#[cfg(unix)]
mod targets;

use std::process::ExitCode;

use clap::{Parser, ValueEnum};

/// Measure a reconcile pass against the performance targets
#[derive(Debug, Parser)]
#[command(name = "opal-jira-bench", version)]
struct Cli {
    /// How big a workload: `small` (seconds, for CI) or `full` (the targets' sizes)
    #[arg(long, value_enum, default_value_t = Size::Full)]
    size: Size,

    /// Use the `opal-jira` and `opal-jira-sim` binaries beside this one as they are,
    /// instead of asking cargo to bring them up to date first
    #[arg(long)]
    no_build: bool,

    /// Keep the temporary directory (databases, logs) and print where it is
    #[arg(long)]
    keep: bool,

    /// Measure only these targets (1 to 4; repeatable); all when not given
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=4))]
    only: Vec<u8>,
}

/// The workload sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Size {
    /// Hundreds to a thousand tickets and requests: a smoke run for CI.
    Small,
    /// The targets' sizes: up to 10 000 tickets and 100 000 requests.
    Full,
}

impl Size {
    /// The spelling of `--size`.
    pub fn as_str(self) -> &'static str {
        match self {
            Size::Small => "small",
            Size::Full => "full",
        }
    }
}

#[cfg(unix)]
fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|first| first == child::SHIM) {
        return child::shim(&args[2..]);
    }
    let cli = Cli::parse();
    // reqwest talks to the simulator's admin API; its TLS stack needs a provider even
    // though the simulator is plain HTTP.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let options = targets::Options {
        size: cli.size,
        build: !cli.no_build,
        keep: cli.keep,
        only: cli.only,
    };
    match targets::run_all(&options) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(err) => {
            eprintln!("opal-jira-bench: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

#[cfg(not(unix))]
fn main() -> ExitCode {
    let _ = Cli::parse();
    eprintln!("opal-jira-bench: error: the benchmark measures processes the Unix way only");
    ExitCode::from(2)
}
