//! Diagnostic logging to stderr.
//!
//! `-v` shows info, `-vv` debug (one line per Jira call), `-vvv` trace; `OPAL_JIRA_LOG`
//! (`error`, `warn`, `info`, `debug`, `trace`) overrides the flags. Only opal-jira's own
//! log lines are shown: the libraries underneath stay quiet.

#![allow(clippy::print_stderr)]

use log::{LevelFilter, Log, Metadata, Record};

struct StderrLogger {
    level: LevelFilter,
}

impl Log for StderrLogger {
    fn enabled(&self, metadata: &Metadata) -> bool {
        metadata.level() <= self.level && metadata.target().starts_with("opal_jira")
    }

    fn log(&self, record: &Record) {
        if self.enabled(record.metadata()) {
            let level = record.level().as_str().to_ascii_lowercase();
            let message = crate::ui::sanitize(&record.args().to_string());
            eprintln!("opal-jira: {level}: {message}");
        }
    }

    fn flush(&self) {}
}

/// Installs the logger for the given `-v` count. Warnings show unless `quiet`.
pub fn init(verbose: u8, quiet: bool, env_level: Option<&str>) {
    let from_flags = match (quiet, verbose) {
        (true, _) => LevelFilter::Error,
        (false, 0) => LevelFilter::Warn,
        (false, 1) => LevelFilter::Info,
        (false, 2) => LevelFilter::Debug,
        (false, _) => LevelFilter::Trace,
    };
    let level = env_level
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(from_flags);
    if log::set_boxed_logger(Box::new(StderrLogger { level })).is_ok() {
        log::set_max_level(level);
    }
}
