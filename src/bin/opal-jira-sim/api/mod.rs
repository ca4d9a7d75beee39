//! The Jira platform REST API as each flavour serves it: routing, authentication gates and
//! the identity headers Jira adds to its answers.

mod create;
mod issue;
mod jsm;
mod meta;
mod render;
mod search;

use crate::auth::Caller;
use crate::http::{Incoming, Reply};
use crate::state::{Flavor, State};

pub use render::View;

/// What one request needs besides the state.
pub struct Call<'a> {
    pub request: &'a Incoming,
    pub caller: Caller,
    /// `http://127.0.0.1:PORT`, for `self` links.
    pub base: &'a str,
    /// REST API version from the path: 2 or 3.
    pub version: u8,
}

impl Call<'_> {
    /// The authenticated user; routes that need one are only reached when there is one.
    fn user(&self) -> usize {
        self.caller
            .user()
            .expect("routes needing a user run only for authenticated callers")
    }

    fn view<'s>(&'s self, state: &'s State) -> View<'s> {
        View {
            state,
            base: self.base,
            version: self.version,
        }
    }
}

/// The endpoints the simulator knows.
enum Endpoint<'p> {
    ServerInfo,
    Myself,
    Project(&'p str),
    UserSearch,
    SearchJql,
    RemovedSearch,
    Search,
    BulkFetch,
    Issue(&'p str),
    Comment(&'p str),
    CreateIssue,
    CreateMetaTypes(&'p str),
    CreateMetaFields(&'p str, &'p str),
    MyPermissions,
}

/// Answers a non-admin request.
pub fn route(state: &mut State, caller: Caller, request: &Incoming, base: &str) -> Reply {
    if request.path == "/login.jsp" {
        return meta::login_page();
    }
    let flavor = state.config.flavor;
    if let Some(rest) = request.path.strip_prefix("/rest/servicedeskapi/") {
        if caller.user().is_none() {
            return unauthorized(flavor);
        }
        // JSM's version is its own; the platform version only shapes platform links.
        let call = Call {
            request,
            caller,
            base,
            version: 2,
        };
        return jsm::route(state, &call, rest);
    }
    let Some((version, endpoint)) = endpoint(flavor, &request.path) else {
        return not_found(request);
    };
    let allowed: &[&str] = match endpoint {
        Endpoint::SearchJql | Endpoint::Search | Endpoint::RemovedSearch => &["GET", "POST"],
        Endpoint::BulkFetch | Endpoint::Comment(_) | Endpoint::CreateIssue => &["POST"],
        _ => &["GET"],
    };
    if !allowed.contains(&request.method.as_str()) {
        return Reply::empty(405).with_header("Allow", &allowed.join(", "));
    }
    let call = Call {
        request,
        caller,
        base,
        version,
    };
    match endpoint {
        // Both are answered whoever asks: serverInfo allows anonymous access and the
        // removed search endpoint is gone for everyone.
        Endpoint::ServerInfo => return meta::server_info(state, &call),
        Endpoint::RemovedSearch => return search::removed(),
        _ => {}
    }
    if caller.user().is_none() {
        return unauthorized(flavor);
    }
    match endpoint {
        Endpoint::Myself => meta::myself(state, &call),
        Endpoint::Project(key) => meta::project(state, &call, key),
        Endpoint::UserSearch => meta::user_search(state, &call),
        Endpoint::SearchJql => search::cloud(state, &call),
        Endpoint::Search => search::datacenter(state, &call),
        Endpoint::BulkFetch => search::bulkfetch(state, &call),
        Endpoint::Issue(id) => issue::get(state, &call, id),
        Endpoint::Comment(id) => issue::comment(state, &call, id),
        Endpoint::CreateIssue => create::create(state, &call),
        Endpoint::CreateMetaTypes(project) => create::issue_types(state, &call, project),
        Endpoint::CreateMetaFields(project, id) => create::fields(state, &call, project, id),
        Endpoint::MyPermissions => create::my_permissions(state, &call),
        Endpoint::ServerInfo | Endpoint::RemovedSearch => unreachable!("answered above"),
    }
}

/// Maps a path to an endpoint for the flavour: DC has no v3, `search/jql` or bulkfetch;
/// Cloud has only the removed form of `search`.
fn endpoint(flavor: Flavor, path: &str) -> Option<(u8, Endpoint<'_>)> {
    let rest = path.strip_prefix("/rest/api/")?;
    let (version, rest) = rest.split_once('/')?;
    let version = match (version, flavor) {
        ("2", _) => 2,
        ("3", Flavor::Cloud) => 3,
        _ => return None,
    };
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let cloud = flavor == Flavor::Cloud;
    let endpoint = match segments.as_slice() {
        ["serverInfo"] => Endpoint::ServerInfo,
        ["myself"] => Endpoint::Myself,
        ["project", key] => Endpoint::Project(key),
        ["user", "search"] => Endpoint::UserSearch,
        ["search", "jql"] if cloud => Endpoint::SearchJql,
        ["search"] if cloud => Endpoint::RemovedSearch,
        ["search"] => Endpoint::Search,
        ["issue", "bulkfetch"] if cloud => Endpoint::BulkFetch,
        ["issue", "bulkfetch"] => return None,
        ["issue"] => Endpoint::CreateIssue,
        ["issue", "createmeta", project, "issuetypes"] => Endpoint::CreateMetaTypes(project),
        ["issue", "createmeta", project, "issuetypes", id] => {
            Endpoint::CreateMetaFields(project, id)
        }
        ["mypermissions"] => Endpoint::MyPermissions,
        ["issue", id] => Endpoint::Issue(id),
        ["issue", id, "comment"] => Endpoint::Comment(id),
        _ => return None,
    };
    Some((version, endpoint))
}

fn not_found(request: &Incoming) -> Reply {
    let message = format!(
        "No resource was found at {} {}.",
        request.method, request.path
    );
    Reply::jira_error(404, &message)
}

/// The 401 each flavour sends: JSON on Cloud, Tomcat's HTML page on Data Center.
pub fn unauthorized(flavor: Flavor) -> Reply {
    let reply = match flavor {
        Flavor::Cloud => Reply::jira_error(
            401,
            "You are not authenticated. Authentication required to perform this operation.",
        ),
        Flavor::DataCenter => Reply::bytes(
            401,
            "text/html;charset=UTF-8",
            "<!doctype html><html lang=\"en\"><head><title>Unauthorized (401)</title></head>\
             <body><h1>Unauthorized (401)</h1><p>Encountered a \"401 - Unauthorized\" error \
             while loading this page.</p></body></html>",
        ),
    };
    reply
        .with_header("X-Seraph-LoginReason", "AUTHENTICATED_FAILED")
        .with_header("WWW-Authenticate", "Basic realm=\"protected-area\"")
}

/// Adds the identity headers Jira sends: `X-Seraph-LoginReason`, and `X-AACCOUNTID`
/// (Cloud) or `X-AUSERNAME` (Data Center).
pub fn decorate(reply: Reply, state: &State, caller: Caller) -> Reply {
    let flavor = state.config.flavor;
    let mut reply = match caller {
        Caller::User(u) => {
            let user = &state.users[u];
            let reply = reply.with_default_header("X-Seraph-LoginReason", "OK");
            match flavor {
                Flavor::Cloud => reply.with_default_header("X-AACCOUNTID", &user.account_id),
                Flavor::DataCenter => reply.with_default_header("X-AUSERNAME", &user.name),
            }
        }
        Caller::Bad => reply.with_default_header("X-Seraph-LoginReason", "AUTHENTICATED_FAILED"),
        Caller::Anonymous => reply,
    };
    if flavor == Flavor::DataCenter && caller.user().is_none() {
        reply = reply.with_default_header("X-AUSERNAME", "anonymous");
    }
    // The site's clock, so `server_time_offset_secs` shows in every answer as it would
    // on a real Jira whose clock is off.
    let date = state.now().format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    reply.with_default_header("Date", &date)
}

/// Reads a request body as a JSON object, or answers 400 as Jira does for bad payloads.
fn json_object(request: &Incoming) -> Result<serde_json::Map<String, serde_json::Value>, Reply> {
    match request.json_body() {
        Some(serde_json::Value::Object(map)) => Ok(map),
        _ => Err(Reply::jira_error(
            400,
            "Invalid request payload. Refer to the REST API documentation and try again.",
        )),
    }
}
