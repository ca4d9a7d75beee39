//! The admin API under `/_sim/`: no auth, JSON in and out. Tests and the demo use it to
//! seed the site, change it behind the client's back, inject faults and read the log.

use serde::Deserialize;
use serde_json::{Value, json};

use crate::desk::Break;
use crate::faults::FaultRule;
use crate::http::{Incoming, Reply};
use crate::state::{
    Category, ConfigPatch, IssuePatch, NewIssue, NewUser, State, UserPatch, jira_time,
};

/// Answers an admin request; the caller holds the state lock.
pub fn handle(state: &mut State, request: &Incoming) -> Reply {
    let path = request.path.trim_end_matches('/');
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).skip(1).collect();
    let result = match (request.method.as_str(), segments.as_slice()) {
        ("POST", ["reset"]) => {
            state.reset();
            Ok(Reply::empty(204))
        }
        ("GET", ["config"]) => Ok(Reply::json(200, &state.config.to_json())),
        ("PUT", ["config"]) => parse::<ConfigPatch>(request).map(|patch| {
            state.config.apply(patch);
            Reply::json(200, &state.config.to_json())
        }),
        ("GET", ["users"]) => {
            let users: Vec<Value> = (0..state.users.len())
                .map(|u| user_json(state, u))
                .collect();
            Ok(Reply::json(200, &Value::Array(users)))
        }
        ("POST", ["users"]) => parse::<NewUser>(request)
            .and_then(|new| state.add_user(new).map_err(bad))
            .map(|u| Reply::json(201, &user_json(state, u))),
        ("PATCH", ["users", email]) => parse::<UserPatch>(request).and_then(|patch| {
            let index = state.patch_user(email, patch).map_err(not_found)?;
            Ok(Reply::json(200, &user_json(state, index)))
        }),
        ("POST", ["projects", key, "break"]) => parse::<BreakStep>(request).and_then(|b| {
            state.break_setup(key, b.step).map_err(bad)?;
            Ok(Reply::empty(204))
        }),
        ("GET", ["projects", key]) => state
            .project_by_key(key)
            .ok_or_else(|| not_found("no such project"))
            .map(|index| Reply::json(200, &project_json(state, index))),
        ("GET", ["projects", key, "customers"]) => state
            .project_by_key(key)
            .ok_or_else(|| not_found("no such project"))
            .map(|index| {
                let emails: Vec<Value> = state.projects[index]
                    .desk
                    .iter()
                    .flat_map(|desk| desk.customers.iter())
                    .map(|&u| json!(state.users[u].email))
                    .collect();
                Reply::json(200, &Value::Array(emails))
            }),
        ("POST", ["projects"]) => parse::<NewProject>(request)
            .and_then(|p| add_project(state, p))
            .map(|p| Reply::json(201, &project_json(state, p))),
        ("PATCH", ["projects", key]) => parse::<ProjectPatch>(request).and_then(|patch| {
            state
                .set_visibility(key, patch.visible_to)
                .map_err(not_found)?;
            let index = state
                .project_by_key(key)
                .ok_or_else(|| not_found("no such project"))?;
            Ok(Reply::json(200, &project_json(state, index)))
        }),
        ("POST", ["issues"]) => parse::<NewIssue>(request)
            .and_then(|new| state.add_issue(new).map_err(bad))
            .map(|id| Reply::json(201, &id_and_key(state, id))),
        ("POST", ["issues", "bulk"]) => parse::<Bulk>(request).and_then(|b| bulk(state, b)),
        ("GET", ["issues", r]) => {
            issue_id(state, r).map(|id| Reply::json(200, &issue_json(state, id)))
        }
        ("PATCH", ["issues", r]) => issue_id(state, r).and_then(|id| {
            let patch = parse::<IssuePatch>(request)?;
            state.patch_issue(id, patch).map_err(bad)?;
            Ok(Reply::json(200, &issue_json(state, id)))
        }),
        ("DELETE", ["issues", r]) => issue_id(state, r).and_then(|id| {
            state.delete_issue(id).map_err(bad)?;
            Ok(Reply::empty(204))
        }),
        ("POST", ["issues", r, "move"]) => issue_id(state, r).and_then(|id| {
            let target = parse::<Move>(request)?;
            state.move_issue(id, &target.project).map_err(bad)?;
            Ok(Reply::json(200, &issue_json(state, id)))
        }),
        ("GET", ["issues", r, "comments"]) => issue_id(state, r).map(|id| {
            let comments: Vec<Value> = state
                .comments
                .iter()
                .filter(|c| c.issue == id)
                .map(|c| {
                    json!({
                        "id": c.id.to_string(),
                        "author": state.users[c.author].email,
                        "body": c.body,
                        "api_version": c.api_version,
                        "created": jira_time(c.created),
                    })
                })
                .collect();
            Reply::json(200, &Value::Array(comments))
        }),
        ("GET", ["faults"]) => {
            let rules: Vec<Value> = state.faults.iter().map(FaultRule::to_json).collect();
            Ok(Reply::json(200, &Value::Array(rules)))
        }
        ("POST", ["faults"]) => parse::<FaultRule>(request).map(|rule| {
            let shown = rule.to_json();
            state.faults.push(rule);
            Reply::json(201, &shown)
        }),
        ("DELETE", ["faults"]) => {
            state.faults.clear();
            Ok(Reply::empty(204))
        }
        ("GET", ["requests"]) => Ok(Reply::json(200, &Value::Array(state.log.clone()))),
        ("DELETE", ["requests"]) => {
            state.log.clear();
            Ok(Reply::empty(204))
        }
        _ => Err(not_found(format!(
            "no admin route {} {}",
            request.method, request.path
        ))),
    };
    result.unwrap_or_else(|reply| reply)
}

/// Applies a seed document: `{"config", "users", "projects", "issues"}`, each entry in the
/// shape its admin endpoint takes (projects may also carry `visible_to`).
pub fn seed(state: &mut State, doc: Value) -> Result<(), String> {
    let Seed {
        config,
        users,
        projects,
        issues,
    } = serde_json::from_value(doc).map_err(|e| format!("invalid seed: {e}"))?;
    if let Some(patch) = config {
        state.config.apply(patch);
    }
    for user in users {
        state.add_user(user)?;
    }
    for project in projects {
        let visible_to = project.visible_to.clone();
        let key = project.key.clone();
        add_project(state, project).map_err(|_| format!("cannot add project '{key}'"))?;
        state.set_visibility(&key, visible_to)?;
    }
    for issue in issues {
        state.add_issue(issue)?;
    }
    Ok(())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Seed {
    #[serde(default)]
    config: Option<ConfigPatch>,
    #[serde(default)]
    users: Vec<NewUser>,
    #[serde(default)]
    projects: Vec<NewProject>,
    #[serde(default)]
    issues: Vec<NewIssue>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewProject {
    key: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    visible_to: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectPatch {
    visible_to: Option<Vec<String>>,
}

/// The body of `POST /_sim/projects/{key}/break`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BreakStep {
    step: Break,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Move {
    project: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Bulk {
    project: String,
    count: usize,
    #[serde(default)]
    assignee: Option<String>,
    #[serde(default)]
    reporter: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    status_category: Option<Category>,
    #[serde(default)]
    summary_prefix: Option<String>,
}

fn bad(message: impl AsRef<str>) -> Reply {
    Reply::json(400, &json!({"error": message.as_ref()}))
}

fn not_found(message: impl AsRef<str>) -> Reply {
    Reply::json(404, &json!({"error": message.as_ref()}))
}

fn parse<T: for<'de> Deserialize<'de>>(request: &Incoming) -> Result<T, Reply> {
    let body: &[u8] = if request.body.is_empty() {
        b"{}"
    } else {
        &request.body
    };
    serde_json::from_slice(body).map_err(|e| bad(format!("invalid JSON body: {e}")))
}

fn issue_id(state: &State, id_or_key: &str) -> Result<u64, Reply> {
    state
        .issue_id(id_or_key)
        .ok_or_else(|| not_found(format!("no issue '{id_or_key}'")))
}

fn add_project(state: &mut State, p: NewProject) -> Result<usize, Reply> {
    let index = state
        .add_project(&p.key, p.name, p.kind, p.id)
        .map_err(bad)?;
    if p.visible_to.is_some() {
        state.set_visibility(&p.key, p.visible_to).map_err(bad)?;
    }
    Ok(index)
}

fn bulk(state: &mut State, b: Bulk) -> Result<Reply, Reply> {
    let prefix = b.summary_prefix.unwrap_or_else(|| "Issue".into());
    let (mut ids, mut keys) = (Vec::with_capacity(b.count), Vec::with_capacity(b.count));
    for n in 1..=b.count {
        let new = NewIssue {
            project: b.project.clone(),
            summary: Some(format!("{prefix} {n}")),
            status: b.status.clone(),
            status_category: b.status_category,
            assignee: b.assignee.clone(),
            reporter: b.reporter.clone(),
            ..NewIssue::default()
        };
        let id = state.add_issue(new).map_err(bad)?;
        ids.push(id.to_string());
        keys.push(state.issue(id).map(|i| i.key.clone()).unwrap_or_default());
    }
    Ok(Reply::json(201, &json!({"ids": ids, "keys": keys})))
}

fn user_json(state: &State, index: usize) -> Value {
    let u = &state.users[index];
    json!({
        "email": u.email,
        "display_name": u.display_name,
        "account_id": u.account_id,
        "name": u.name,
        "key": u.key,
        "active": u.active,
        "has_token": u.token.is_some(),
        "administer": u.administer,
        "modify_reporter": u.modify_reporter,
        "customer": u.customer,
    })
}

fn project_json(state: &State, index: usize) -> Value {
    let p = &state.projects[index];
    let desk = p
        .desk
        .as_ref()
        .map(|d| json!({"id": d.id, "portal_id": d.portal_id}));
    json!({"id": p.id, "key": p.key, "name": p.name, "type": p.kind, "visible_to": p.visible_to,
           "desk": desk})
}

fn id_and_key(state: &State, id: u64) -> Value {
    let key = state.issue(id).map(|i| i.key.clone());
    json!({"id": id.to_string(), "key": key})
}

fn issue_json(state: &State, id: u64) -> Value {
    let Some(i) = state.issue(id) else {
        return Value::Null;
    };
    let email = |u: Option<usize>| u.map(|u| state.users[u].email.clone());
    json!({
        "id": i.id.to_string(),
        "key": i.key,
        "old_keys": i.old_keys,
        "project": state.projects[i.project].key,
        "summary": i.summary,
        "status": i.status,
        "status_category": i.category.key(),
        "assignee": email(i.assignee),
        "reporter": email(i.reporter),
        "issue_type": state.issue_type_name(&i.issue_type),
        "request_type": i.request_type.as_ref().and_then(|id| {
            let desk = state.projects[i.project].desk.as_ref()?;
            desk.request_types.iter().find(|rt| &rt.id == id).map(|rt| rt.name.clone())
        }),
        "description": i.description,
        "created": jira_time(i.created),
        "updated": jira_time(i.updated),
        "deleted": i.deleted,
        "hidden_from_search": i.hidden_from_search,
        "forbidden": i.forbidden,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Flavor;

    fn call(state: &mut State, method: &str, path: &str, body: Value) -> (u16, Value) {
        let bytes = if body.is_null() {
            Vec::new()
        } else {
            serde_json::to_vec(&body).unwrap()
        };
        let reply = handle(state, &Incoming::new(method, path, None, bytes));
        let json = match reply.body {
            crate::http::Body::Bytes(b) if !b.is_empty() => serde_json::from_slice(&b).unwrap(),
            _ => Value::Null,
        };
        (reply.status, json)
    }

    #[test]
    fn seeding_issues_through_the_admin_api() {
        let mut s = State::new(Flavor::Cloud);
        let (status, user) = call(
            &mut s,
            "POST",
            "/_sim/users",
            json!({"email": "a@x.io", "token": "t"}),
        );
        assert_eq!(status, 201);
        assert_eq!(user["name"], "a");
        assert_eq!(user["has_token"], true);
        assert!(
            user.get("token").is_none(),
            "the token must never be echoed"
        );
        assert_eq!(
            call(&mut s, "POST", "/_sim/projects", json!({"key": "ABC"})).0,
            201
        );
        let (status, issue) = call(
            &mut s,
            "POST",
            "/_sim/issues",
            json!({
                "project": "ABC", "summary": "s", "assignee": "a@x.io", "status_category": "done"
            }),
        );
        assert_eq!(status, 201);
        assert_eq!(issue, json!({"id": "10000", "key": "ABC-1"}));
        let (_, shown) = call(&mut s, "GET", "/_sim/issues/abc-1", Value::Null);
        assert_eq!(shown["status"], "Done");
        assert_eq!(shown["assignee"], "a@x.io");
    }

    #[test]
    fn bulk_creates_many_issues_quickly() {
        let mut s = State::new(Flavor::Cloud);
        call(&mut s, "POST", "/_sim/projects", json!({"key": "BIG"}));
        let started = std::time::Instant::now();
        let (status, made) = call(
            &mut s,
            "POST",
            "/_sim/issues/bulk",
            json!({"project": "BIG", "count": 10000}),
        );
        assert_eq!(status, 201);
        assert!(
            started.elapsed().as_secs_f64() < 1.0,
            "{:?}",
            started.elapsed()
        );
        assert_eq!(made["ids"].as_array().unwrap().len(), 10000);
        assert_eq!(made["keys"][9999], "BIG-10000");
    }

    #[test]
    fn bad_admin_input_is_rejected_with_a_reason() {
        let mut s = State::new(Flavor::Cloud);
        let (status, body) = call(&mut s, "POST", "/_sim/issues", json!({"project": "NOPE"}));
        assert_eq!(status, 400);
        assert!(body["error"].as_str().unwrap().contains("NOPE"));
        let (status, _) = call(
            &mut s,
            "POST",
            "/_sim/users",
            json!({"email": "a@x", "tokn": "t"}),
        );
        assert_eq!(status, 400);
        assert_eq!(
            call(&mut s, "PATCH", "/_sim/issues/ABC-1", json!({})).0,
            404
        );
        assert_eq!(call(&mut s, "GET", "/_sim/nothing", Value::Null).0, 404);
        assert_eq!(
            call(&mut s, "PUT", "/_sim/config", json!({"flavour": "cloud"})).0,
            400
        );
    }

    #[test]
    fn config_merges_and_reset_keeps_the_flavour() {
        let mut s = State::new(Flavor::Cloud);
        let (_, config) = call(
            &mut s,
            "PUT",
            "/_sim/config",
            json!({"flavor": "datacenter"}),
        );
        assert_eq!(config["search_page_cap"], 1000);
        let (_, config) = call(&mut s, "PUT", "/_sim/config", json!({"latency_ms": 5}));
        assert_eq!(config["flavor"], "datacenter");
        assert_eq!(config["latency_ms"], 5);
        call(&mut s, "POST", "/_sim/projects", json!({"key": "ABC"}));
        assert_eq!(call(&mut s, "POST", "/_sim/reset", Value::Null).0, 204);
        let (_, config) = call(&mut s, "GET", "/_sim/config", Value::Null);
        assert_eq!(config["flavor"], "datacenter");
        assert_eq!(config["latency_ms"], 0);
        assert!(s.projects.is_empty());
    }

    #[test]
    fn seed_document_builds_a_site() {
        let mut s = State::new(Flavor::Cloud);
        let doc = json!({
            "config": {"latency_ms": 3},
            "users": [{"email": "a@x.io", "token": "t"}],
            "projects": [{"key": "ABC", "visible_to": ["a@x.io"]}],
            "issues": [{"project": "ABC", "summary": "first"}],
        });
        seed(&mut s, doc).unwrap();
        assert_eq!(s.config.latency_ms, 3);
        assert_eq!(s.issues[0].key, "ABC-1");
        assert_eq!(s.projects[0].visible_to, Some(vec!["a@x.io".to_string()]));
        assert!(seed(&mut s, json!({"userz": []})).is_err());
    }
}
