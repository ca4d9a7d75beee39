//! End-to-end tests: the real `opal-jira` binary against the Jira simulator over
//! loopback, with a real SQLite file and real grant and revoke programs.

#[path = "../support/sim.rs"]
mod sim;
mod support;

mod comments;
mod concurrency;
mod configure;
mod crash;
mod create_ticket;
mod demo;
mod docs;
mod doctor;
mod examples;
mod faults;
mod help;
mod jsm;
mod keyring;
mod log;
mod permissions;
mod pty;
mod reconcile;
mod request;
mod requests;
mod resources;
mod scale;
mod secrets;
mod storage;
mod store;
mod terminal;
mod tickets;
mod trust;
