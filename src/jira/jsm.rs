//! Jira Service Management (`/rest/servicedeskapi`): service desks, request types,
//! customers and customer requests.
//!
//! This API has its own paging (`start`, `limit`, `isLastPage`, `values`) and error body
//! (`errorMessage`), and every call carries `X-ExperimentalApi: opt-in`, which JSM wants
//! for its experimental endpoints and ignores elsewhere. People are named by account id
//! on Cloud and by username on Data Center; a new customer is created with `displayName`
//! on Cloud and `fullName` on Data Center.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::json;

use super::model::{User, WireUser, is_issue_id, validate_key};
use super::{Call, Deployment, JiraClient, JiraError, JiraErrorKind};

/// The service desk API's root, the same on Cloud and Data Center.
const ROOT: &str = "/rest/servicedeskapi";
/// Items asked for per page.
const PAGE_LIMIT: usize = 50;
/// A bound on pages, against a site that never says it is done.
const MAX_PAGES: usize = 200;

/// The service desk of a JSM project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceDesk {
    pub id: String,
    pub project_key: String,
}

/// A customer request type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestType {
    pub id: String,
    pub name: String,
    /// The issue type its requests are created with.
    pub issue_type_id: String,
    /// The customer portal its requests are shown in (not the service desk's id).
    pub portal_id: Option<String>,
}

/// A customer request: a JSM issue as its customers see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerRequest {
    pub issue_id: String,
    pub issue_key: String,
    /// The page the customer opens in the portal (`_links.web`).
    pub portal_url: Option<String>,
}

/// A customer request to raise.
#[derive(Debug, Clone)]
pub struct NewCustomerRequest<'a> {
    pub service_desk_id: &'a str,
    pub request_type_id: &'a str,
    pub summary: &'a str,
    /// Plain text (the service desk API takes strings on both deployments).
    pub description: &'a str,
    /// Raise it for this person (account id on Cloud, username on Data Center), who
    /// becomes its reporter; the caller when `None`.
    pub on_behalf_of: Option<&'a str>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Page<T> {
    #[serde(default = "Vec::new")]
    values: Vec<T>,
    is_last_page: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireDesk {
    id: String,
    #[serde(default)]
    project_key: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireRequestType {
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    issue_type_id: String,
    portal_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireRequest {
    issue_id: String,
    issue_key: String,
    #[serde(rename = "_links", default)]
    links: WireRequestLinks,
}

#[derive(Default, Deserialize)]
struct WireRequestLinks {
    web: Option<String>,
}

impl From<WireRequest> for CustomerRequest {
    fn from(wire: WireRequest) -> CustomerRequest {
        CustomerRequest {
            issue_id: wire.issue_id,
            issue_key: wire.issue_key,
            portal_url: wire.links.web.filter(|url| !url.trim().is_empty()),
        }
    }
}

impl JiraClient {
    /// A GET under the service desk API.
    fn desk_get<'a>(&self, rest: &str) -> Call<'a> {
        Call::get(format!("{ROOT}{rest}")).header("X-ExperimentalApi", "opt-in")
    }

    /// A POST under the service desk API.
    fn desk_post<'a>(&self, rest: &str, body: serde_json::Value) -> Call<'a> {
        Call::post(format!("{ROOT}{rest}"), body).header("X-ExperimentalApi", "opt-in")
    }

    /// Every item of a paged listing, or stops early once `found` says so.
    fn desk_pages<T: DeserializeOwned>(
        &self,
        rest: &str,
        query: &[(&'static str, &str)],
        found: impl Fn(&T) -> bool,
    ) -> Result<Vec<T>, JiraError> {
        let mut items: Vec<T> = Vec::new();
        for _ in 0..MAX_PAGES {
            let mut call = self
                .desk_get(rest)
                .query("start", items.len().to_string())
                .query("limit", PAGE_LIMIT.to_string());
            for (name, value) in query {
                call = call.query(name, *value);
            }
            let page: Page<T> = self.send_json(&call)?;
            let count = page.values.len();
            let hit = page.values.iter().any(&found);
            items.extend(page.values);
            if hit || count == 0 || page.is_last_page.unwrap_or(true) {
                break;
            }
        }
        Ok(items)
    }

    /// Refuses an id from elsewhere that is not a plain number before it reaches a path.
    fn check_id(&self, what: &str, id: &str, template: &str) -> Result<(), JiraError> {
        if is_issue_id(id) {
            return Ok(());
        }
        let message = format!("`{id}` is not a {what} id");
        Err(JiraError::new(
            "GET",
            &format!("{ROOT}{template}"),
            JiraErrorKind::InvalidInput { message },
        ))
    }

    /// The service desk of a project (by key, any case), when it has one the caller
    /// can see. The API has no filter by project, so this pages through the desks.
    pub fn service_desk(&self, project_key: &str) -> Result<Option<ServiceDesk>, JiraError> {
        let wanted = project_key.to_ascii_uppercase();
        let desks: Vec<WireDesk> = self.desk_pages("/servicedesk", &[], |desk: &WireDesk| {
            desk.project_key.eq_ignore_ascii_case(&wanted)
        })?;
        Ok(desks
            .into_iter()
            .find(|desk| desk.project_key.eq_ignore_ascii_case(&wanted))
            .map(|desk| ServiceDesk {
                id: desk.id,
                project_key: desk.project_key,
            }))
    }

    /// Every request type of a service desk.
    pub fn request_types(&self, desk_id: &str) -> Result<Vec<RequestType>, JiraError> {
        self.check_id("service desk", desk_id, "/servicedesk/{id}/requesttype")?;
        let rest = format!("/servicedesk/{desk_id}/requesttype");
        let types: Vec<WireRequestType> = self.desk_pages(&rest, &[], |_| false)?;
        Ok(types
            .into_iter()
            .map(|wire| RequestType {
                id: wire.id,
                name: wire.name,
                issue_type_id: wire.issue_type_id,
                portal_id: wire.portal_id.filter(|id| !id.trim().is_empty()),
            })
            .collect())
    }

    /// A customer request by issue id or key. `None` when Jira answers 404: the issue
    /// is missing, hidden, or not a customer request.
    pub fn customer_request(&self, id_or_key: &str) -> Result<Option<CustomerRequest>, JiraError> {
        let target = if is_issue_id(id_or_key) {
            id_or_key.to_string()
        } else {
            validate_key(id_or_key).map_err(|err| {
                JiraError::new(
                    "GET",
                    &format!("{ROOT}/request/{{issueIdOrKey}}"),
                    JiraErrorKind::InvalidInput {
                        message: err.message,
                    },
                )
            })?
        };
        let call = self.desk_get(&format!("/request/{target}"));
        Ok(self
            .send_json_optional::<WireRequest>(&call)?
            .map(CustomerRequest::from))
    }

    /// Raises a customer request and returns it (with its portal link).
    pub fn create_customer_request(
        &self,
        new: &NewCustomerRequest<'_>,
    ) -> Result<CustomerRequest, JiraError> {
        let mut body = json!({
            "serviceDeskId": new.service_desk_id,
            "requestTypeId": new.request_type_id,
            "requestFieldValues": {"summary": new.summary, "description": new.description},
        });
        if let Some(person) = new.on_behalf_of {
            body["raiseOnBehalfOf"] = json!(person);
        }
        let call = self.desk_post("/request", body);
        Ok(self.send_json::<WireRequest>(&call)?.into())
    }

    /// The customer of a service desk whose email is exactly `email` (ignoring case).
    pub fn desk_customer(&self, desk_id: &str, email: &str) -> Result<Option<User>, JiraError> {
        self.check_id("service desk", desk_id, "/servicedesk/{id}/customer")?;
        let rest = format!("/servicedesk/{desk_id}/customer");
        let matches = |wire: &WireUser| {
            wire.email_address
                .as_deref()
                .is_some_and(|own| own.trim().eq_ignore_ascii_case(email.trim()))
        };
        let customers: Vec<WireUser> = self.desk_pages(&rest, &[("query", email)], matches)?;
        Ok(customers.into_iter().find(matches).map(User::from))
    }

    /// Creates a portal-only customer account. Needs the Jira administrators global
    /// permission, and a site that allows new customer accounts.
    pub fn create_customer(&self, email: &str, display_name: &str) -> Result<User, JiraError> {
        let mut call = match self.deployment() {
            Deployment::Cloud => self.desk_post(
                "/customer",
                json!({"email": email, "displayName": display_name}),
            ),
            Deployment::DataCenter => self.desk_post(
                "/customer",
                json!({"email": email, "fullName": display_name}),
            ),
        };
        if self.deployment() == Deployment::Cloud {
            // A duplicate email is then a 409 rather than a 400 like any other problem.
            call = call.query("strictConflictStatusCode", "true");
        }
        Ok(self.send_json::<WireUser>(&call)?.into())
    }

    /// Adds a customer (account id on Cloud, username on Data Center) to a service
    /// desk; adding one who already is a customer changes nothing.
    pub fn add_desk_customer(&self, desk_id: &str, person: &str) -> Result<(), JiraError> {
        self.check_id("service desk", desk_id, "/servicedesk/{id}/customer")?;
        let body = match self.deployment() {
            Deployment::Cloud => json!({ "accountIds": [person] }),
            Deployment::DataCenter => json!({ "usernames": [person] }),
        };
        let call = self.desk_post(&format!("/servicedesk/{desk_id}/customer"), body);
        self.send_no_content(&call)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::Deployment;
    use super::super::testserver::{Reply, TestServer};
    use super::NewCustomerRequest;

    fn page(values: serde_json::Value, last: bool) -> Reply {
        Reply::json(
            200,
            json!({"size": values.as_array().map_or(0, Vec::len), "start": 0, "limit": 50,
                   "isLastPage": last, "values": values, "_links": {}}),
        )
    }

    #[test]
    fn finds_the_desk_of_a_project_across_pages_and_opts_in() {
        let server = TestServer::start(|request| {
            if request.url.contains("start=0") {
                page(json!([{"id": "1", "projectKey": "HR"}]), false)
            } else {
                page(json!([{"id": "7", "projectKey": "OPS"}]), true)
            }
        });
        let desk = server
            .client(Deployment::Cloud)
            .service_desk("ops")
            .unwrap()
            .unwrap();
        assert_eq!(desk.id, "7");
        let requests = server.requests();
        assert_eq!(requests.len(), 2);
        assert!(requests[1].url.contains("start=1"), "{}", requests[1].url);
        for request in &requests {
            assert_eq!(request.path(), "/rest/servicedeskapi/servicedesk");
            assert_eq!(request.header("X-ExperimentalApi"), Some("opt-in"));
        }
    }

    #[test]
    fn request_types_carry_the_portal_id() {
        let server = TestServer::start(|_| {
            page(
                json!([{"id": "25", "name": "Access Change - Opal", "issueTypeId": "10003",
                        "serviceDeskId": "7", "portalId": "101"}]),
                true,
            )
        });
        let client = server.client(Deployment::DataCenter);
        let types = client.request_types("7").unwrap();
        assert_eq!(types[0].portal_id.as_deref(), Some("101"));
        assert_eq!(types[0].issue_type_id, "10003");
        assert!(client.request_types("7/../x").is_err());
        assert_eq!(server.requests().len(), 1);
    }

    #[test]
    fn raises_requests_on_behalf_of_someone_and_reads_the_portal_link() {
        let server = TestServer::start(|request| match request.method.as_str() {
            "POST" => Reply::json(
                201,
                json!({"issueId": "10050", "issueKey": "OPS-5",
                       "_links": {"web": "https://x/servicedesk/customer/portal/101/OPS-5",
                                  "agent": "https://x/browse/OPS-5"}}),
            ),
            _ => Reply::json(404, json!({"errorMessage": "not a customer request"})),
        });
        let client = server.client(Deployment::Cloud);
        let created = client
            .create_customer_request(&NewCustomerRequest {
                service_desk_id: "7",
                request_type_id: "25",
                summary: "Access to db",
                description: "why",
                on_behalf_of: Some("qm:1"),
            })
            .unwrap();
        assert_eq!(
            created.portal_url.as_deref(),
            Some("https://x/servicedesk/customer/portal/101/OPS-5")
        );
        let body = server.requests()[0].json();
        assert_eq!(body["raiseOnBehalfOf"], "qm:1");
        assert_eq!(body["requestFieldValues"]["summary"], "Access to db");
        assert_eq!(client.customer_request("OPS-9").unwrap(), None);
    }

    #[test]
    fn customers_are_created_and_added_per_deployment() {
        let server = TestServer::start(|request| match request.path() {
            "/rest/servicedeskapi/customer" => Reply::json(
                201,
                json!({"accountId": "qm:9", "name": "guest@x.io",
                       "emailAddress": "guest@x.io", "displayName": "Guest"}),
            ),
            _ => Reply::raw(204, "application/json", ""),
        });
        let cloud = server.client(Deployment::Cloud);
        let user = cloud.create_customer("guest@x.io", "Guest").unwrap();
        assert_eq!(user.account_id.as_deref(), Some("qm:9"));
        cloud.add_desk_customer("7", "qm:9").unwrap();
        let dc = server.client(Deployment::DataCenter);
        dc.create_customer("guest@x.io", "Guest").unwrap();
        dc.add_desk_customer("7", "guest@x.io").unwrap();

        let requests = server.requests();
        assert!(requests[0].url.contains("strictConflictStatusCode=true"));
        assert_eq!(requests[0].json()["displayName"], "Guest");
        assert_eq!(requests[1].json(), json!({"accountIds": ["qm:9"]}));
        assert_eq!(requests[2].json()["fullName"], "Guest");
        assert!(requests[2].json().get("displayName").is_none());
        assert_eq!(requests[3].json(), json!({"usernames": ["guest@x.io"]}));
    }
}
