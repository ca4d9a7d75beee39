//! What a project allows: the issue types it offers and the fields on their create
//! screens (`issue/createmeta/{project}/issuetypes[/{id}]`), and the caller's
//! permissions (`mypermissions`).
//!
//! The createmeta pages differ: Cloud answers `{issueTypes|fields, startAt, maxResults,
//! total}`, Data Center `{values, startAt, maxResults, total, isLast}`. Cloud's
//! `mypermissions` must be told which permissions to report; Data Center reports all.

use std::collections::HashMap;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::model::{is_issue_id, is_project_key};
use super::{Call, Deployment, JiraClient, JiraError, JiraErrorKind};

/// Items asked for per createmeta page (Cloud allows at most 200).
const META_PAGE: usize = 100;
/// A bound on pages, against a site that never says it is done.
const MAX_PAGES: usize = 50;

/// An issue type a project offers.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct IssueTypeMeta {
    pub id: String,
    pub name: String,
}

/// A field on an issue type's create screen.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldMeta {
    pub field_id: String,
    pub name: String,
    #[serde(default)]
    pub required: bool,
}

/// One createmeta page in either flavour's shape.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MetaPage<T> {
    #[serde(alias = "issueTypes", alias = "fields", default = "Vec::new")]
    values: Vec<T>,
    total: Option<usize>,
    is_last: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WirePermissions {
    #[serde(default)]
    permissions: HashMap<String, WirePermission>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WirePermission {
    #[serde(default)]
    have_permission: bool,
}

impl JiraClient {
    fn check_project_key(&self, key: &str, path: &str) -> Result<String, JiraError> {
        let key = key.to_ascii_uppercase();
        if is_project_key(&key) {
            return Ok(key);
        }
        let message = format!("`{key}` is not a Jira project key");
        Err(JiraError::new(
            "GET",
            path,
            JiraErrorKind::InvalidInput { message },
        ))
    }

    /// Every item of a createmeta listing, page by page.
    fn meta_pages<T: DeserializeOwned>(&self, path: &str) -> Result<Vec<T>, JiraError> {
        let mut items = Vec::new();
        for _ in 0..MAX_PAGES {
            let call = Call::get(path.to_string())
                .query("startAt", items.len().to_string())
                .query("maxResults", META_PAGE.to_string());
            let page: MetaPage<T> = self.send_json(&call)?;
            let count = page.values.len();
            items.extend(page.values);
            let done = page.is_last.unwrap_or(false)
                || page.total.is_some_and(|total| items.len() >= total)
                || count == 0;
            if done {
                break;
            }
        }
        Ok(items)
    }

    /// The issue types a project offers for creating issues.
    pub fn create_meta_issue_types(&self, project: &str) -> Result<Vec<IssueTypeMeta>, JiraError> {
        let template = self.api_path("/issue/createmeta/{projectIdOrKey}/issuetypes");
        let key = self.check_project_key(project, &template)?;
        self.meta_pages(&self.api_path(&format!("/issue/createmeta/{key}/issuetypes")))
    }

    /// The fields on the create screen of an issue type in a project.
    pub fn create_meta_fields(
        &self,
        project: &str,
        issue_type_id: &str,
    ) -> Result<Vec<FieldMeta>, JiraError> {
        let template = self.api_path("/issue/createmeta/{projectIdOrKey}/issuetypes/{id}");
        let key = self.check_project_key(project, &template)?;
        if !is_issue_id(issue_type_id) {
            let message = format!("`{issue_type_id}` is not an issue type id");
            return Err(JiraError::new(
                "GET",
                &template,
                JiraErrorKind::InvalidInput { message },
            ));
        }
        self.meta_pages(&self.api_path(&format!(
            "/issue/createmeta/{key}/issuetypes/{issue_type_id}"
        )))
    }

    /// Whether the caller holds each of `keys` (e.g. `MODIFY_REPORTER`, `ADMINISTER`)
    /// in the project; a permission Jira does not list counts as not held.
    pub fn my_permissions(
        &self,
        project: &str,
        keys: &[&str],
    ) -> Result<HashMap<String, bool>, JiraError> {
        let path = self.api_path("/mypermissions");
        let key = self.check_project_key(project, &path)?;
        let mut call = Call::get(path).query("projectKey", key);
        // Cloud refuses the call without the list; Data Center has no such parameter.
        if self.deployment() == Deployment::Cloud {
            call = call.query("permissions", keys.join(","));
        }
        let answer: WirePermissions = self.send_json(&call)?;
        Ok(keys
            .iter()
            .map(|key| {
                let held = answer
                    .permissions
                    .get(*key)
                    .is_some_and(|permission| permission.have_permission);
                (key.to_string(), held)
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::Deployment;
    use super::super::testserver::{Reply, TestServer};

    #[test]
    fn reads_both_createmeta_shapes_across_pages() {
        let server = TestServer::start(|request| {
            let url = &request.url;
            match (
                request.path().starts_with("/rest/api/3"),
                url.contains("startAt=0"),
            ) {
                (true, true) => Reply::json(
                    200,
                    json!({"issueTypes": [{"id": "1", "name": "Task"}], "startAt": 0,
                           "maxResults": 1, "total": 2}),
                ),
                (true, false) => Reply::json(
                    200,
                    json!({"issueTypes": [{"id": "2", "name": "Bug"}], "startAt": 1,
                           "maxResults": 1, "total": 2}),
                ),
                (false, _) => Reply::json(
                    200,
                    json!({"values": [{"fieldId": "reporter", "name": "Reporter",
                           "required": true}], "isLast": true}),
                ),
            }
        });
        let types = server
            .client(Deployment::Cloud)
            .create_meta_issue_types("ops")
            .unwrap();
        let names: Vec<&str> = types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["Task", "Bug"]);
        let fields = server
            .client(Deployment::DataCenter)
            .create_meta_fields("OPS", "10003")
            .unwrap();
        assert_eq!(fields[0].field_id, "reporter");
        let paths: Vec<String> = server
            .requests()
            .iter()
            .map(|r| r.path().to_string())
            .collect();
        assert_eq!(
            paths,
            [
                "/rest/api/3/issue/createmeta/OPS/issuetypes",
                "/rest/api/3/issue/createmeta/OPS/issuetypes",
                "/rest/api/2/issue/createmeta/OPS/issuetypes/10003"
            ]
        );
        assert!(
            server
                .client(Deployment::Cloud)
                .create_meta_fields("OPS", "1/../x")
                .is_err()
        );
    }

    #[test]
    fn permissions_are_asked_for_on_cloud_and_filtered_on_data_center() {
        let server = TestServer::start(|_| {
            Reply::json(
                200,
                json!({"permissions": {
                    "MODIFY_REPORTER": {"key": "MODIFY_REPORTER", "havePermission": true},
                    "BROWSE_PROJECTS": {"key": "BROWSE_PROJECTS", "havePermission": true}}}),
            )
        });
        let keys = ["MODIFY_REPORTER", "ADMINISTER"];
        let cloud = server
            .client(Deployment::Cloud)
            .my_permissions("OPS", &keys)
            .unwrap();
        assert!(cloud["MODIFY_REPORTER"]);
        assert!(!cloud["ADMINISTER"], "not listed means not held");
        assert_eq!(cloud.len(), 2);
        server
            .client(Deployment::DataCenter)
            .my_permissions("OPS", &keys)
            .unwrap();
        let requests = server.requests();
        assert!(
            requests[0]
                .url
                .contains("permissions=MODIFY_REPORTER%2CADMINISTER"),
            "{}",
            requests[0].url
        );
        assert!(requests[0].url.contains("projectKey=OPS"));
        assert!(
            !requests[1].url.contains("permissions="),
            "{}",
            requests[1].url
        );
    }
}
