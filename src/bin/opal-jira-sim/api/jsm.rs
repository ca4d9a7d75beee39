//! The Jira Service Management REST API (`/rest/servicedeskapi/…`): service desks,
//! request types, customers and customer requests, in the shapes of Atlassian's JSM
//! spec. Lists use JSM's own paging (`size`, `start`, `limit`, `isLastPage`, `values`,
//! `_links`) and errors JSM's own body (`errorMessage`, `i18nErrorMessage`), both unlike
//! the platform API's.
//!
//! Data Center differs where Jira does: customers are created with `fullName` and added
//! to a desk by `usernames`, requests are raised on behalf of a username, and a request's
//! `_links` and `currentStatus` lack `agent` and `statusCategory`.

use serde_json::{Map, Value, json};

use super::Call;
use crate::desk::{REQUEST_TYPE_FIELD, RequestType};
use crate::http::Reply;
use crate::state::{Category, Flavor, Issue, NewIssue, State, jira_time};

/// The most items a JSM list returns per page.
const MAX_LIMIT: usize = 100;

/// The servicedeskapi endpoints the simulator knows.
enum Endpoint<'p> {
    Desks,
    Desk(&'p str),
    RequestTypes(&'p str),
    DeskCustomers(&'p str),
    Customer,
    Requests,
    Request(&'p str),
}

/// Answers a `/rest/servicedeskapi/…` request from an authenticated caller.
pub fn route(state: &mut State, call: &Call, rest: &str) -> Reply {
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let endpoint = match segments.as_slice() {
        ["servicedesk"] => Endpoint::Desks,
        ["servicedesk", id] => Endpoint::Desk(id),
        ["servicedesk", id, "requesttype"] => Endpoint::RequestTypes(id),
        ["servicedesk", id, "customer"] => Endpoint::DeskCustomers(id),
        ["customer"] => Endpoint::Customer,
        ["request"] => Endpoint::Requests,
        ["request", id] => Endpoint::Request(id),
        _ => {
            let message = format!("No resource was found at {}.", call.request.path);
            return error(404, "sd.error.not.found", &message);
        }
    };
    let method = call.request.method.as_str();
    let allowed: &[&str] = match endpoint {
        Endpoint::DeskCustomers(_) => &["GET", "POST"],
        Endpoint::Customer | Endpoint::Requests => &["POST"],
        _ => &["GET"],
    };
    if !allowed.contains(&method) {
        return Reply::empty(405).with_header("Allow", &allowed.join(", "));
    }
    match (endpoint, method) {
        (Endpoint::Desks, _) => desks(state, call),
        (Endpoint::Desk(id), _) => match visible_desk(state, call, id) {
            Ok(project) => Reply::json(200, &desk_json(state, call.base, project)),
            Err(reply) => reply,
        },
        (Endpoint::RequestTypes(id), _) => request_types(state, call, id),
        (Endpoint::DeskCustomers(id), "GET") => desk_customers(state, call, id),
        (Endpoint::DeskCustomers(id), _) => add_desk_customers(state, call, id),
        (Endpoint::Customer, _) => create_customer(state, call),
        (Endpoint::Requests, _) => create_request(state, call),
        (Endpoint::Request(id), _) => get_request(state, call, id),
    }
}

/// JSM's error body.
fn error(status: u16, key: &str, message: &str) -> Reply {
    Reply::json(
        status,
        &json!({
            "errorMessage": message,
            "i18nErrorMessage": {"i18nKey": key, "parameters": []},
        }),
    )
}

/// `start` and `limit` of a list request, with JSM's defaults.
fn paging(call: &Call) -> (usize, usize) {
    let number = |name: &str| call.request.param(name).and_then(|v| v.parse().ok());
    let start = number("start").unwrap_or(0);
    let limit = number("limit").unwrap_or(50).clamp(1, MAX_LIMIT);
    (start, limit)
}

/// One page of `items` in JSM's paged shape, with `next`/`prev` links to `path`.
fn page(call: &Call, path: &str, items: Vec<Value>) -> Reply {
    let (start, limit) = paging(call);
    let total = items.len();
    let values: Vec<Value> = items.into_iter().skip(start).take(limit).collect();
    let api = format!("{}/rest/servicedeskapi", call.base);
    let mut links = json!({
        "base": api,
        "context": "",
        "self": format!("{api}/{path}?start={start}&limit={limit}"),
    });
    let last = start + values.len() >= total;
    if !last {
        links["next"] = json!(format!(
            "{api}/{path}?start={}&limit={limit}",
            start + limit
        ));
    }
    if start > 0 {
        let prev = start.saturating_sub(limit);
        links["prev"] = json!(format!("{api}/{path}?start={prev}&limit={limit}"));
    }
    Reply::json(
        200,
        &json!({
            "_expands": [],
            "size": values.len(),
            "start": start,
            "limit": limit,
            "isLastPage": last,
            "_links": links,
            "values": values,
        }),
    )
}

/// The project whose desk `id` names (a desk id; Cloud also takes the project key),
/// when the caller may see it.
fn visible_desk(state: &State, call: &Call, id: &str) -> Result<usize, Reply> {
    let by_key = match state.config.flavor {
        Flavor::Cloud => state
            .project_by_key(id)
            .filter(|&p| state.projects[p].desk.is_some()),
        Flavor::DataCenter => None,
    };
    match state.desk_project(id).or(by_key) {
        Some(p) if state.project_visible(p, Some(call.user())) => Ok(p),
        _ => Err(error(
            404,
            "sd.servicedesk.error.not.found",
            &format!("The service desk with id '{id}' does not exist, or you cannot see it."),
        )),
    }
}

fn desk_json(state: &State, base: &str, project: usize) -> Value {
    let p = &state.projects[project];
    let desk = p
        .desk
        .as_ref()
        .expect("only service desk projects are passed");
    json!({
        "id": desk.id,
        "projectId": p.id,
        "projectName": p.name,
        "projectKey": p.key,
        "_links": {"self": format!("{base}/rest/servicedeskapi/servicedesk/{}", desk.id)},
    })
}

/// `GET servicedesk`: every desk the caller may see.
fn desks(state: &State, call: &Call) -> Reply {
    let items = (0..state.projects.len())
        .filter(|&p| state.projects[p].desk.is_some())
        .filter(|&p| state.project_visible(p, Some(call.user())))
        .map(|p| desk_json(state, call.base, p))
        .collect();
    page(call, "servicedesk", items)
}

fn request_type_json(state: &State, base: &str, project: usize, rt: &RequestType) -> Value {
    let desk = state.projects[project]
        .desk
        .as_ref()
        .expect("request types belong to desks");
    json!({
        "_expands": [],
        "id": rt.id,
        "_links": {"self": format!(
            "{base}/rest/servicedeskapi/servicedesk/{}/requesttype/{}", desk.id, rt.id
        )},
        "name": rt.name,
        "description": rt.description,
        "helpText": "",
        "issueTypeId": rt.issue_type_id,
        "serviceDeskId": desk.id,
        "portalId": desk.portal_id,
        "groupIds": ["1"],
    })
}

/// `GET servicedesk/{id}/requesttype`, narrowed by `searchQuery` (name or description).
fn request_types(state: &State, call: &Call, id: &str) -> Reply {
    let project = match visible_desk(state, call, id) {
        Ok(project) => project,
        Err(reply) => return reply,
    };
    let query = call.request.param("searchQuery").map(str::to_lowercase);
    let desk = state.projects[project]
        .desk
        .as_ref()
        .expect("visible_desk returns desk projects");
    let items = desk
        .request_types
        .iter()
        .filter(|rt| {
            query.as_ref().is_none_or(|q| {
                rt.name.to_lowercase().contains(q) || rt.description.to_lowercase().contains(q)
            })
        })
        .map(|rt| request_type_json(state, call.base, project, rt))
        .collect();
    page(call, &format!("servicedesk/{}/requesttype", desk.id), items)
}

/// A person in JSM's `UserDTO` shape.
fn user_dto(state: &State, base: &str, index: usize) -> Value {
    let u = &state.users[index];
    match state.config.flavor {
        Flavor::Cloud => json!({
            "accountId": u.account_id,
            "emailAddress": u.email,
            "displayName": u.display_name,
            "active": u.active,
            "timeZone": "Etc/UTC",
            "_links": {"jiraRest": format!("{base}/rest/api/2/user?accountId={}", u.account_id)},
        }),
        Flavor::DataCenter => json!({
            "name": u.name,
            "key": u.key,
            "emailAddress": u.email,
            "displayName": u.display_name,
            "active": u.active,
            "timeZone": "Etc/UTC",
            "_links": {"jiraRest": format!("{base}/rest/api/2/user?username={}", u.name)},
        }),
    }
}

/// `GET servicedesk/{id}/customer?query=`: the desk's customers whose display name, name
/// or email starts with the query.
fn desk_customers(state: &State, call: &Call, id: &str) -> Reply {
    let project = match visible_desk(state, call, id) {
        Ok(project) => project,
        Err(reply) => return reply,
    };
    if state.users[call.user()].customer {
        return error(
            403,
            "sd.customers.error.no.permission",
            "You do not have permission to view this service desk's customers.",
        );
    }
    let query = call.request.param("query").unwrap_or("").to_lowercase();
    let desk = state.projects[project]
        .desk
        .as_ref()
        .expect("visible_desk returns desk projects");
    let items = desk
        .customers
        .iter()
        .copied()
        .filter(|&u| {
            let user = &state.users[u];
            [&user.display_name, &user.name, &user.email]
                .iter()
                .any(|text| text.to_lowercase().starts_with(&query))
        })
        .map(|u| user_dto(state, call.base, u))
        .collect();
    page(call, &format!("servicedesk/{}/customer", desk.id), items)
}

/// Finds a user by the identifier each flavour uses in JSM bodies: account id on Cloud,
/// username on Data Center.
fn user_by_ref(state: &State, reference: &str) -> Option<usize> {
    state.users.iter().position(|u| match state.config.flavor {
        Flavor::Cloud => u.account_id == reference,
        Flavor::DataCenter => u.name.eq_ignore_ascii_case(reference),
    })
}

/// Reads a JSON object body, refusing members the DTO does not have (JSM's DTOs allow
/// no additional properties).
fn dto(call: &Call, allowed: &[&str]) -> Result<Map<String, Value>, Reply> {
    let body = super::json_object(call.request)?;
    if let Some(unknown) = body.keys().find(|k| !allowed.contains(&k.as_str())) {
        let message = format!("Unrecognized field \"{unknown}\", not marked as ignorable.");
        return Err(error(400, "sd.request.error.invalid.body", &message));
    }
    Ok(body)
}

/// `POST servicedesk/{id}/customer`: adds existing customers (`accountIds` on Cloud,
/// `usernames` on Data Center) to the desk. 204 also when they already are.
fn add_desk_customers(state: &mut State, call: &Call, id: &str) -> Reply {
    let project = match visible_desk(state, call, id) {
        Ok(project) => project,
        Err(reply) => return reply,
    };
    let member = match state.config.flavor {
        Flavor::Cloud => "accountIds",
        Flavor::DataCenter => "usernames",
    };
    let body = match dto(call, &["accountIds", "usernames"]) {
        Ok(body) => body,
        Err(reply) => return reply,
    };
    if !state.users[call.user()].administer {
        return error(
            403,
            "sd.admin.error.no.permission",
            "You must be a service desk administrator to add customers.",
        );
    }
    let names: Vec<String> = body
        .get(member)
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    if names.is_empty() {
        let message = format!("The request body must list the customers in `{member}`.");
        return error(400, "sd.customers.error.empty", &message);
    }
    let mut unknown = Vec::new();
    for name in &names {
        match user_by_ref(state, name) {
            Some(user) => {
                let desk = state.projects[project]
                    .desk
                    .as_mut()
                    .expect("visible_desk returns desk projects");
                if !desk.customers.contains(&user) {
                    desk.customers.push(user);
                }
            }
            None => unknown.push(name.clone()),
        }
    }
    if !unknown.is_empty() {
        let message = format!("These users do not exist: {}", unknown.join(", "));
        return error(400, "sd.customers.error.unknown", &message);
    }
    Reply::empty(204)
}

/// `POST customer`: a new portal-only customer account. Needs the ADMINISTER global
/// permission and the site's customer signup setting turned on.
fn create_customer(state: &mut State, call: &Call) -> Reply {
    let flavor = state.config.flavor;
    // Data Center's DTO has only `email` and `fullName`; Cloud renamed `fullName` to
    // `displayName` and still takes the old name.
    let allowed: &[&str] = match flavor {
        Flavor::Cloud => &["email", "displayName", "fullName"],
        Flavor::DataCenter => &["email", "fullName"],
    };
    let body = match dto(call, allowed) {
        Ok(body) => body,
        Err(reply) => return reply,
    };
    if !state.users[call.user()].administer {
        return error(
            403,
            "sd.customer.error.no.permission",
            "You must be a Jira administrator to create customers.",
        );
    }
    if !state.config.customer_signup {
        return error(
            403,
            "sd.customer.error.signup.disabled",
            "Customer accounts cannot be created: customer signup is disabled on this site.",
        );
    }
    let text = |name: &str| body.get(name).and_then(Value::as_str).map(str::trim);
    let Some(email) = text("email").filter(|e| e.contains('@')) else {
        return error(
            400,
            "sd.customer.error.email",
            "A valid email address is required.",
        );
    };
    let name = text("displayName")
        .or_else(|| text("fullName"))
        .unwrap_or(email)
        .to_string();
    if state.user_by_email(email).is_some() {
        let strict = call.request.param("strictConflictStatusCode") == Some("true");
        let status = if strict { 409 } else { 400 };
        let message = format!("An account already exists for this email: {email}");
        return error(status, "sd.customer.error.exists", &message);
    }
    match state.add_customer(email, &name) {
        Ok(user) => Reply::json(201, &user_dto(state, call.base, user)),
        Err(message) => error(400, "sd.customer.error.invalid", &message),
    }
}

/// JSM's `DateDTO`.
fn date(at: chrono::DateTime<chrono::Utc>) -> Value {
    json!({
        "iso8601": at.format("%Y-%m-%dT%H:%M:%S+0000").to_string(),
        "jira": jira_time(at),
        "friendly": at.format("%d/%b/%y %I:%M %p").to_string(),
        "epochMillis": at.timestamp_millis(),
    })
}

/// A customer request in JSM's `CustomerRequestDTO` shape.
fn request_json(state: &State, base: &str, issue: &Issue) -> Value {
    let project = &state.projects[issue.project];
    let desk = project.desk.as_ref().expect("requests live in desks");
    let flavor = state.config.flavor;
    let mut status = json!({"status": issue.status, "statusDate": date(issue.updated)});
    let mut links = json!({
        "jiraRest": format!("{base}/rest/api/2/issue/{}", issue.id),
        "web": format!("{base}/servicedesk/customer/portal/{}/{}", desk.portal_id, issue.key),
        "self": format!("{base}/rest/servicedeskapi/request/{}", issue.id),
    });
    if flavor == Flavor::Cloud {
        let category = match issue.category {
            Category::New => "NEW",
            Category::Indeterminate => "INDETERMINATE",
            Category::Done => "DONE",
        };
        status["statusCategory"] = json!(category);
        links["agent"] = json!(format!("{base}/browse/{}", issue.key));
    }
    let mut fields =
        vec![json!({"fieldId": "summary", "label": "Summary", "value": issue.summary})];
    if !issue.description.is_null() {
        fields.push(
            json!({"fieldId": "description", "label": "Description", "value": issue.description}),
        );
    }
    json!({
        "_expands": ["participant", "status", "sla", "requestType", "serviceDesk", "attachment",
                     "action", "comment"],
        "issueId": issue.id.to_string(),
        "issueKey": issue.key,
        "requestTypeId": issue.request_type,
        "serviceDeskId": desk.id,
        "createdDate": date(issue.created),
        "reporter": issue.reporter.map(|u| user_dto(state, base, u)),
        "requestFieldValues": fields,
        "currentStatus": status,
        "_links": links,
    })
}

/// `GET request/{issueIdOrKey}`: 404 for issues that are not customer requests, as well
/// as for missing and hidden ones.
fn get_request(state: &State, call: &Call, id_or_key: &str) -> Reply {
    let issue = state
        .issue_id(id_or_key)
        .and_then(|id| state.issue(id))
        .filter(|issue| state.issue_visible(issue, Some(call.user())))
        .filter(|issue| issue.request_type.is_some());
    match issue {
        Some(issue) => Reply::json(200, &request_json(state, call.base, issue)),
        None => error(
            404,
            "sd.request.error.not.found",
            &format!("The request '{id_or_key}' does not exist, or you cannot see it."),
        ),
    }
}

/// `POST request`: raises a customer request of a request type, optionally on behalf of
/// someone else (who then is its reporter).
fn create_request(state: &mut State, call: &Call) -> Reply {
    let allowed = [
        "serviceDeskId",
        "requestTypeId",
        "requestFieldValues",
        "raiseOnBehalfOf",
        "requestParticipants",
        "isAdfRequest",
        "channel",
        "form",
    ];
    let body = match dto(call, &allowed) {
        Ok(body) => body,
        Err(reply) => return reply,
    };
    let text = |name: &str| match body.get(name) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let bad = |message: &str| error(400, "sd.request.create.error", message);

    let Some(desk_id) = text("serviceDeskId") else {
        return bad("The service desk id is required.");
    };
    let project = match visible_desk(state, call, &desk_id) {
        Ok(project) => project,
        Err(reply) => return reply,
    };
    let desk = state.projects[project]
        .desk
        .clone()
        .expect("visible_desk returns desk projects");
    let Some(request_type) = text("requestTypeId")
        .and_then(|id| desk.request_types.iter().find(|rt| rt.id == id).cloned())
    else {
        return bad("The request type does not exist in this service desk.");
    };
    let Some(screen) = state.screen(project, &request_type.issue_type_id) else {
        let name = state
            .issue_type_name(&request_type.issue_type_id)
            .unwrap_or("?");
        return bad(&format!(
            "The issue type '{name}' of request type '{}' is not available in this project.",
            request_type.name
        ));
    };
    let screen = screen.to_vec();
    if !screen.iter().any(|f| f == REQUEST_TYPE_FIELD) {
        return bad("The request type field is not on the create screen of its issue type.");
    }

    let values = body
        .get("requestFieldValues")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let Some(summary) = values
        .get("summary")
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
    else {
        return bad("Summary is required.");
    };
    let description = values.get("description").cloned().unwrap_or(Value::Null);
    let adf = body.get("isAdfRequest").and_then(Value::as_bool) == Some(true);
    if !description.is_null() && !adf && !description.is_string() {
        return bad("The description must be text unless isAdfRequest is set.");
    }

    let caller = call.user();
    let reporter = match text("raiseOnBehalfOf") {
        None => caller,
        Some(reference) => {
            let Some(user) = user_by_ref(state, &reference) else {
                return bad(&format!("The user '{reference}' does not exist."));
            };
            if user != caller {
                if !state.users[caller].modify_reporter {
                    return error(
                        403,
                        "sd.request.create.error.behalf",
                        "You do not have permission to raise requests on behalf of others \
                         (Modify Reporter).",
                    );
                }
                if !screen.iter().any(|f| f == "reporter") {
                    return bad(
                        "Field 'reporter' cannot be set. It is not on the appropriate screen, \
                         or unknown.",
                    );
                }
                if state.users[user].customer && !desk.customers.contains(&user) {
                    return bad(&format!(
                        "The user '{reference}' is not a customer of this service desk."
                    ));
                }
            }
            user
        }
    };

    let new = NewIssue {
        project: state.projects[project].key.clone(),
        summary: Some(summary.to_string()),
        status: Some("Waiting for support".into()),
        status_category: Some(Category::New),
        reporter: Some(state.users[reporter].email.clone()),
        ..NewIssue::default()
    };
    let id = match state.add_issue(new) {
        Ok(id) => id,
        Err(message) => return bad(&message),
    };
    let issue = state.issue_mut(id).expect("the issue was just created");
    issue.issue_type = request_type.issue_type_id.clone();
    issue.request_type = Some(request_type.id.clone());
    issue.description = description;
    let issue = state.issue(id).expect("the issue was just created");
    Reply::json(201, &request_json(state, call.base, issue))
}
