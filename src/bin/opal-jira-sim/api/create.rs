//! Creating issues and what a client asks before it does: `POST issue`, the createmeta
//! pages (`issue/createmeta/{project}/issuetypes[/{id}]`) and `mypermissions`.
//!
//! The flavours differ as Jira does. Cloud's v3 takes an Atlassian Document as the
//! description, v2 a string; Cloud names people by `id` (or `accountId`), Data Center by
//! `name`. Createmeta pages are `{issueTypes|fields, startAt, maxResults, total}` on
//! Cloud and `{values, startAt, maxResults, total, isLast}` on Data Center. Cloud's
//! `mypermissions` needs the `permissions` parameter; Data Center's answers with every
//! permission.

use serde_json::{Map, Value, json};

use super::issue::is_adf_document;
use super::{Call, json_object};
use crate::desk::{REQUEST_TYPE_FIELD, request_type_field};
use crate::http::Reply;
use crate::state::{Flavor, NewIssue, State};

/// Cloud refuses createmeta pages larger than this.
const CLOUD_MAX_RESULTS: usize = 200;

/// The project a createmeta or create request names, when the caller may see it.
fn project_ref(state: &State, call: &Call, reference: &str) -> Option<usize> {
    state
        .project_by_ref(reference)
        .filter(|&p| state.project_visible(p, Some(call.user())))
}

/// `startAt` and `maxResults`, refusing Cloud's over-large pages.
fn paging(state: &State, call: &Call) -> Result<(usize, usize), Reply> {
    let number = |name: &str| {
        call.request
            .param(name)
            .and_then(|v| v.parse::<usize>().ok())
    };
    let start = number("startAt").unwrap_or(0);
    let max = number("maxResults").unwrap_or(50);
    if state.config.flavor == Flavor::Cloud && max > CLOUD_MAX_RESULTS {
        return Err(Reply::jira_error(
            400,
            &format!("Parameter 'maxResults' must not exceed the limit '{CLOUD_MAX_RESULTS}'"),
        ));
    }
    Ok((start, max.max(1)))
}

/// One createmeta page, in the flavour's shape; `cloud_member` names Cloud's list.
fn meta_page(
    state: &State,
    call: &Call,
    cloud_member: &str,
    items: Vec<Value>,
) -> Result<Reply, Reply> {
    let (start, max) = paging(state, call)?;
    let total = items.len();
    let values: Vec<Value> = items.into_iter().skip(start).take(max).collect();
    let last = start + values.len() >= total;
    let body = match state.config.flavor {
        Flavor::Cloud => json!({
            cloud_member: values,
            "startAt": start,
            "maxResults": max,
            "total": total,
        }),
        Flavor::DataCenter => json!({
            "values": values,
            "startAt": start,
            "maxResults": max,
            "total": total,
            "isLast": last,
        }),
    };
    Ok(Reply::json(200, &body))
}

fn no_project(reference: &str) -> Reply {
    Reply::jira_error(
        400,
        &format!("No project could be found with key or id '{reference}'."),
    )
}

/// `GET issue/createmeta/{project}/issuetypes`.
pub fn issue_types(state: &State, call: &Call, reference: &str) -> Reply {
    let Some(project) = project_ref(state, call, reference) else {
        return no_project(reference);
    };
    let view = call.view(state);
    let items = state.projects[project]
        .issue_types
        .iter()
        .map(|t| view.issue_type(&t.type_id))
        .collect();
    meta_page(state, call, "issueTypes", items).unwrap_or_else(|reply| reply)
}

/// The createmeta description of one create-screen field.
fn field_meta(flavor: Flavor, key: &str) -> Value {
    let (field_id, name, required, schema) = match key {
        REQUEST_TYPE_FIELD => {
            let (id, name) = request_type_field(flavor);
            let schema = json!({"type": "sd-customerrequesttype",
                "custom": "com.atlassian.servicedesk:vp-origin", "customId": 10010});
            (id, name, false, schema)
        }
        "summary" => ("summary", "Summary", true, json!({"type": "string"})),
        "issuetype" => (
            "issuetype",
            "Issue Type",
            true,
            json!({"type": "issuetype"}),
        ),
        "project" => ("project", "Project", true, json!({"type": "project"})),
        "description" => (
            "description",
            "Description",
            false,
            json!({"type": "string"}),
        ),
        "reporter" => ("reporter", "Reporter", true, json!({"type": "user"})),
        "assignee" => ("assignee", "Assignee", false, json!({"type": "user"})),
        other => (other, other, false, json!({"type": "any"})),
    };
    let mut schema = schema;
    if key != REQUEST_TYPE_FIELD {
        schema["system"] = json!(field_id);
    }
    let mut meta = json!({
        "fieldId": field_id,
        "name": name,
        "required": required,
        "schema": schema,
        "operations": ["set"],
        "hasDefaultValue": false,
    });
    if flavor == Flavor::Cloud {
        meta["key"] = json!(field_id);
    }
    meta
}

/// `GET issue/createmeta/{project}/issuetypes/{issueTypeId}`: the create screen's fields.
pub fn fields(state: &State, call: &Call, reference: &str, type_id: &str) -> Reply {
    let Some(project) = project_ref(state, call, reference) else {
        return no_project(reference);
    };
    let Some(screen) = state.screen(project, type_id) else {
        return Reply::jira_error(
            400,
            &format!("The issue type with id '{type_id}' is not available in this project."),
        );
    };
    let flavor = state.config.flavor;
    let items = screen.iter().map(|key| field_meta(flavor, key)).collect();
    meta_page(state, call, "fields", items).unwrap_or_else(|reply| reply)
}

/// The permissions the simulator models: (key, id, name, type, description).
const PERMISSIONS: [(&str, &str, &str, &str, &str); 6] = [
    (
        "BROWSE_PROJECTS",
        "10",
        "Browse Projects",
        "PROJECT",
        "Ability to browse projects.",
    ),
    (
        "CREATE_ISSUES",
        "11",
        "Create Issues",
        "PROJECT",
        "Ability to create issues.",
    ),
    (
        "ASSIGN_ISSUES",
        "13",
        "Assign Issues",
        "PROJECT",
        "Ability to assign issues.",
    ),
    (
        "ADD_COMMENTS",
        "15",
        "Add Comments",
        "PROJECT",
        "Ability to comment on issues.",
    ),
    (
        "MODIFY_REPORTER",
        "30",
        "Modify Reporter",
        "PROJECT",
        "Ability to modify the reporter when creating or editing an issue.",
    ),
    (
        "ADMINISTER",
        "0",
        "Administer Jira",
        "GLOBAL",
        "Ability to perform most administration functions.",
    ),
];

/// `GET mypermissions?projectKey=&permissions=`.
pub fn my_permissions(state: &State, call: &Call) -> Reply {
    let flavor = state.config.flavor;
    if let Some(key) = call.request.param("projectKey")
        && project_ref(state, call, key).is_none()
    {
        return Reply::jira_error(404, &format!("No project could be found with key '{key}'."));
    }
    let asked: Option<Vec<String>> = call.request.param("permissions").map(|list| {
        list.split(',')
            .map(|k| k.trim().to_string())
            .filter(|k| !k.is_empty())
            .collect()
    });
    // Cloud insists on being told which permissions; Data Center answers with all.
    let wanted = match (flavor, asked) {
        (Flavor::Cloud, None) => {
            return Reply::jira_error(400, "The permissions query parameter is required.");
        }
        (Flavor::Cloud, Some(list)) if list.is_empty() => {
            return Reply::jira_error(400, "The permissions query parameter is required.");
        }
        (Flavor::Cloud, Some(list)) => {
            let unknown: Vec<&String> = list
                .iter()
                .filter(|k| !PERMISSIONS.iter().any(|p| p.0 == k.as_str()))
                .collect();
            if let Some(first) = unknown.first() {
                return Reply::jira_error(400, &format!("Unrecognized permission key: {first}"));
            }
            list
        }
        (Flavor::DataCenter, _) => PERMISSIONS.iter().map(|p| p.0.to_string()).collect(),
    };
    let user = &state.users[call.user()];
    let mut map = Map::new();
    for (key, id, name, kind, description) in PERMISSIONS {
        if !wanted.iter().any(|w| w == key) {
            continue;
        }
        let have = match key {
            "MODIFY_REPORTER" => user.modify_reporter,
            "ADMINISTER" => user.administer,
            _ => !user.customer,
        };
        map.insert(
            key.to_string(),
            json!({"id": id, "key": key, "name": name, "type": kind,
                   "description": description, "havePermission": have}),
        );
    }
    Reply::json(200, &json!({"permissions": map}))
}

/// A person named in a create request: `{"id"}` or `{"accountId"}` on Cloud,
/// `{"name"}` on Data Center.
fn person(state: &State, value: &Value) -> Result<usize, String> {
    let field = |name: &str| value.get(name).and_then(Value::as_str);
    let found = match state.config.flavor {
        Flavor::Cloud => field("id")
            .or_else(|| field("accountId"))
            .and_then(|id| state.users.iter().position(|u| u.account_id == id)),
        Flavor::DataCenter => field("name").and_then(|name| {
            state
                .users
                .iter()
                .position(|u| u.name.eq_ignore_ascii_case(name))
        }),
    };
    found.ok_or_else(|| format!("User '{value}' does not exist."))
}

/// `POST issue`: creates an issue from `fields`, each of which must be on the issue
/// type's create screen.
pub fn create(state: &mut State, call: &Call) -> Reply {
    let body = match json_object(call.request) {
        Ok(body) => body,
        Err(reply) => return reply,
    };
    let Some(fields) = body.get("fields").and_then(Value::as_object).cloned() else {
        return Reply::jira_error(400, "The request must contain `fields`.");
    };
    let mut errors = Map::new();
    let fail = |errors: &mut Map<String, Value>, field: &str, message: String| {
        errors.insert(field.to_string(), json!(message));
    };

    let project = fields
        .get("project")
        .and_then(|p| p.get("key").or_else(|| p.get("id")))
        .and_then(Value::as_str)
        .and_then(|reference| project_ref(state, call, reference));
    let Some(project) = project else {
        fail(&mut errors, "project", "valid project is required".into());
        return errors_reply(errors);
    };
    let issue_type = fields.get("issuetype").and_then(|t| {
        let by_id = t.get("id").and_then(Value::as_str).map(String::from);
        let by_name = t.get("name").and_then(Value::as_str).and_then(|name| {
            state.projects[project]
                .issue_types
                .iter()
                .find(|pt| state.issue_type_name(&pt.type_id) == Some(name))
                .map(|pt| pt.type_id.clone())
        });
        by_id.or(by_name)
    });
    let Some(screen) = issue_type
        .as_deref()
        .and_then(|id| state.screen(project, id))
        .map(<[String]>::to_vec)
    else {
        fail(
            &mut errors,
            "issuetype",
            "valid issue type is required".into(),
        );
        return errors_reply(errors);
    };
    let issue_type = issue_type.expect("a screen was found for it");

    let caller = call.user();
    for name in fields.keys() {
        let settable = screen.iter().any(|f| f == name)
            && (name != "reporter" || state.users[caller].modify_reporter);
        if !settable {
            fail(
                &mut errors,
                name,
                format!(
                    "Field '{name}' cannot be set. It is not on the appropriate screen, or unknown."
                ),
            );
        }
    }
    let summary = fields
        .get("summary")
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty());
    if summary.is_none() {
        fail(
            &mut errors,
            "summary",
            "You must specify a summary of the issue.".into(),
        );
    }
    let description = fields.get("description").cloned().unwrap_or(Value::Null);
    match (call.version, &description) {
        (_, Value::Null) => {}
        (3, doc) if !is_adf_document(doc) => fail(
            &mut errors,
            "description",
            "Operation value must be an Atlassian Document (see the Atlassian Document Format)"
                .into(),
        ),
        (2, text) if !text.is_string() => fail(
            &mut errors,
            "description",
            "Operation value must be a string".into(),
        ),
        _ => {}
    }
    let mut people = [None, None];
    for (slot, name) in ["reporter", "assignee"].into_iter().enumerate() {
        if let Some(value) = fields.get(name) {
            match person(state, value) {
                Ok(user) if name == "assignee" && state.users[user].customer => fail(
                    &mut errors,
                    name,
                    format!(
                        "User '{}' cannot be assigned issues.",
                        state.users[user].email
                    ),
                ),
                Ok(user) => people[slot] = Some(user),
                Err(message) => fail(&mut errors, name, message),
            }
        }
    }
    if !errors.is_empty() {
        return errors_reply(errors);
    }

    let email = |user: usize| state.users[user].email.clone();
    let new = NewIssue {
        project: state.projects[project].key.clone(),
        summary: summary.map(String::from),
        reporter: Some(email(people[0].unwrap_or(caller))),
        assignee: people[1].map(email),
        ..NewIssue::default()
    };
    let id = match state.add_issue(new) {
        Ok(id) => id,
        Err(message) => return Reply::jira_error(400, &message),
    };
    let issue = state.issue_mut(id).expect("the issue was just created");
    issue.issue_type = issue_type;
    issue.request_type = None;
    issue.description = description;
    let key = issue.key.clone();
    Reply::json(
        201,
        &json!({
            "id": id.to_string(),
            "key": key,
            "self": format!("{}/rest/api/{}/issue/{id}", call.base, call.version),
        }),
    )
}

fn errors_reply(errors: Map<String, Value>) -> Reply {
    Reply::json(400, &json!({"errorMessages": [], "errors": errors}))
}
