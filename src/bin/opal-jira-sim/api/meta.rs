//! Site-level endpoints: serverInfo, myself, project lookup, user search and the login
//! page that an SSO redirect lands on.

use serde_json::{Value, json};

use super::Call;
use crate::http::Reply;
use crate::state::{Flavor, State, jira_time};

/// `GET serverInfo`: anonymous-capable, so it never proves that credentials are good.
pub fn server_info(state: &State, call: &Call) -> Reply {
    let config = &state.config;
    let now = jira_time(state.now());
    let body = match config.flavor {
        Flavor::Cloud => json!({
            "baseUrl": call.base,
            "displayUrl": call.base,
            "version": "1001.0.0-SNAPSHOT",
            "versionNumbers": [1001, 0, 0],
            "deploymentType": "Cloud",
            "buildNumber": 100295,
            "buildDate": "2026-01-05T00:00:00.000+0000",
            "serverTime": now,
            "scmInfo": "0f3c9e4b6a1d2c8e7f5a4b3c2d1e0f9a8b7c6d5e",
            "serverTitle": "Jira",
            "serverTimeZone": "Etc/UTC",
            "defaultLocale": {"locale": "en_US"},
        }),
        Flavor::DataCenter => {
            let [major, minor, patch] = config.dc_version;
            json!({
                "baseUrl": call.base,
                "version": format!("{major}.{minor}.{patch}"),
                "versionNumbers": [major, minor, patch],
                "deploymentType": "Server",
                "buildNumber": major * 100_000 + minor * 1000 + patch,
                "buildDate": "2025-06-02T00:00:00.000+0000",
                "databaseBuildNumber": major * 100_000 + minor * 1000 + patch,
                "serverTime": now,
                "scmInfo": "4d2e8a1f0b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e",
                "serverTitle": "Jira",
            })
        }
    };
    Reply::json(200, &body)
}

/// `GET myself`.
pub fn myself(state: &State, call: &Call) -> Reply {
    Reply::json(200, &call.view(state).myself(call.user()))
}

/// `GET project/{idOrKey}`: 404 for unknown projects and those hidden from the caller.
pub fn project(state: &State, call: &Call, id_or_key: &str) -> Reply {
    match state.project_by_ref(id_or_key) {
        Some(p) if state.project_visible(p, Some(call.user())) => {
            Reply::json(200, &call.view(state).project(p))
        }
        _ => Reply::jira_error(
            404,
            &format!("No project could be found with key '{id_or_key}'."),
        ),
    }
}

/// `GET user/search`: Cloud takes `query` (prefix of display name or email) or an exact
/// `accountId`; DC takes `username` (prefix of username, display name or email).
pub fn user_search(state: &State, call: &Call) -> Reply {
    let request = call.request;
    let flavor = state.config.flavor;
    let starts = |text: &str, prefix: &str| text.to_lowercase().starts_with(&prefix.to_lowercase());

    let matches: Vec<usize> = match flavor {
        Flavor::Cloud => {
            let (query, account) = (request.param("query"), request.param("accountId"));
            match (query, account) {
                (Some(_), Some(_)) => {
                    return Reply::jira_error(
                        400,
                        "Specify either 'query' or 'accountId', not both.",
                    );
                }
                (None, None) => {
                    return Reply::jira_error(400, "One of 'query' or 'accountId' is required.");
                }
                (Some(q), None) => (0..state.users.len())
                    .filter(|&i| {
                        let u = &state.users[i];
                        // Portal-only JSM customers are not site users on Cloud.
                        !q.is_empty()
                            && !u.customer
                            && (starts(&u.display_name, q) || starts(&u.email, q))
                    })
                    .collect(),
                (None, Some(a)) => (0..state.users.len())
                    .filter(|&i| state.users[i].account_id == a)
                    .collect(),
            }
        }
        Flavor::DataCenter => {
            let Some(name) = request.param("username").filter(|n| !n.is_empty()) else {
                return Reply::jira_error(400, "The username query parameter was not provided");
            };
            let inactive = request.param("includeInactive") == Some("true");
            let active = request.param("includeActive") != Some("false");
            (0..state.users.len())
                .filter(|&i| {
                    let u = &state.users[i];
                    let wanted = if u.active { active } else { inactive };
                    wanted
                        && (starts(&u.name, name)
                            || starts(&u.display_name, name)
                            || starts(&u.email, name))
                })
                .collect()
        }
    };

    let start = request
        .param("startAt")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0usize);
    let max = request
        .param("maxResults")
        .and_then(|s| s.parse().ok())
        .unwrap_or(50usize);
    let view = call.view(state);
    let page: Vec<Value> = matches
        .iter()
        .skip(start)
        .take(max)
        .map(|&u| view.user(u))
        .collect();
    Reply::json(200, &Value::Array(page))
}

/// The page an SSO redirect points at: a login form, never JSON.
pub fn login_page() -> Reply {
    Reply::bytes(
        200,
        "text/html;charset=UTF-8",
        "<!DOCTYPE html><html><head><title>Log in - Jira</title></head><body>\
         <form id=\"login-form\" method=\"post\" action=\"/login.jsp\">\
         <input name=\"os_username\"><input name=\"os_password\" type=\"password\">\
         <button>Log In</button></form></body></html>",
    )
}
