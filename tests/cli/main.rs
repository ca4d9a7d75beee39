//! End-to-end tests: the real `opal-jira` binary against the Jira simulator over
//! loopback, with a real SQLite file and real grant and revoke programs.

#[path = "../support/sim.rs"]
mod sim;
mod support;

mod concurrency;
mod configure;
mod crash;
mod docs;
mod examples;
mod faults;
mod help;
mod keyring;
mod log;
mod permissions;
mod pty;
mod reconcile;
mod request;
mod requests;
mod resources;
mod secrets;
mod storage;
mod store;
mod terminal;
mod tickets;
mod trust;
