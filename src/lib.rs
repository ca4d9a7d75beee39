//! opal-jira: time-bound access to named resources, tied to Jira tickets.
//!
//! The binary in `main.rs` is a thin shell over this library: `cli` parses and
//! dispatches, `cmd` holds one module per command, and the domain lives beside it
//! (`jira` talks to Jira, `db` owns the SQLite store, `hooks` runs grant and revoke
//! commands, `reconcile` decides what must end).

pub mod db;
pub mod error;
pub mod hooks;
pub mod secret;
