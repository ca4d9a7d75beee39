//! End-to-end tests: the real `opal-jira` binary against the Jira simulator over
//! loopback, with a real SQLite file and real grant and revoke programs.

#[path = "../support/sim.rs"]
mod sim;
mod support;

mod configure;
mod help;
mod keyring;
mod log;
mod reconcile;
mod request;
mod requests;
mod resources;
mod scale;
mod tickets;
