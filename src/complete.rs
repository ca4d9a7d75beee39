//! Shell completion of values that live in the database: resource names and request
//! ids. The shell asks the binary itself at completion time (`COMPLETE=bash opal-jira`,
//! see the README), so the candidates are always current.
//!
//! Completion must never create or change anything: a database that does not exist yet
//! simply offers nothing.

use clap_complete::engine::CompletionCandidate;

use crate::db::{Db, RequestFilter};

fn existing_db() -> Option<Db> {
    let path =
        crate::ctx::default_db_path(std::env::var_os("OPAL_JIRA_DB").map(Into::into)).ok()?;
    if !path.exists() {
        return None;
    }
    Db::open(&path).ok()
}

/// Resource names, each with its description.
pub fn resource_names() -> Vec<CompletionCandidate> {
    let Some(db) = existing_db() else {
        return Vec::new();
    };
    db.resources()
        .unwrap_or_default()
        .into_iter()
        .map(|resource| {
            CompletionCandidate::new(resource.name).help(resource.description.map(Into::into))
        })
        .collect()
}

/// Ids of active requests, each with what it grants to whom.
pub fn active_request_ids() -> Vec<CompletionCandidate> {
    let Some(db) = existing_db() else {
        return Vec::new();
    };
    let filter = RequestFilter {
        limit: Some(200),
        ..RequestFilter::default()
    };
    db.list_requests(&filter)
        .unwrap_or_default()
        .into_iter()
        .map(|request| {
            let help = format!("{} for {}", request.resource, request.requester);
            CompletionCandidate::new(request.id.to_string()).help(Some(help.into()))
        })
        .collect()
}
