//! opal-jira: time-bound access to named resources, tied to Jira tickets.
//!
//! The binary in `main.rs` is a thin shell over this library: `cli` parses and
//! dispatches, `cmd` holds one module per command, and the domain lives beside it
//! (`jira` talks to Jira, `db` owns the SQLite store, `hooks` runs grant and revoke
//! commands, `reconcile` decides what must end, `ticketing` links, creates and comments
//! on tickets, `doctor` checks the setup).

pub mod cli;
pub mod clock;
pub mod cmd;
pub mod complete;
pub mod connection;
pub mod ctx;
pub mod db;
pub mod doctor;
pub mod duration;
pub mod error;
pub mod hooks;
pub mod interrupt;
pub mod jira;
pub mod logging;
pub mod reconcile;
pub mod redact;
pub mod render;
pub mod secret;
pub mod ticketing;
pub mod ui;
