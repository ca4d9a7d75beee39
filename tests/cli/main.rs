//! End-to-end tests: the real `opal-jira` binary against the Jira simulator over
//! loopback, with a real SQLite file and real grant and revoke programs.

#[path = "../support/sim.rs"]
mod sim;
mod support;

mod comments;
mod configure;
mod create_ticket;
mod doctor;
mod help;
mod jsm;
mod keyring;
mod log;
mod reconcile;
mod request;
mod requests;
mod resources;
mod tickets;
