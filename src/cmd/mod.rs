//! One module per command; each exports its clap arguments and a `run` function.

pub mod completions;
pub mod configure;
pub mod doctor;
pub mod log;
pub mod pickers;
pub mod reconcile;
pub mod request;
pub mod requests;
pub mod resources;
pub mod revoke;
pub mod tickets;
