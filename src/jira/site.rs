//! Facts about the site itself: `serverInfo` and projects.

use super::model::{Project, ServerInfo, WireProject, WireServerInfo, is_project_key};
use super::{Call, JiraClient, JiraError, JiraErrorKind};

impl JiraClient {
    /// The site's version and deployment type. Jira answers this anonymously, so it
    /// says nothing about the credentials, even to reject them: that is the job of
    /// [`myself`](Self::myself).
    pub fn server_info(&self) -> Result<ServerInfo, JiraError> {
        let call = Call::get(self.api_path("/serverInfo")).anonymous_ok();
        Ok(self.send_json::<WireServerInfo>(&call)?.into())
    }

    /// A project by key (any case). `None` when it does not exist or this account
    /// may not see it.
    pub fn project(&self, key: &str) -> Result<Option<Project>, JiraError> {
        let key = key.to_ascii_uppercase();
        if !is_project_key(&key) {
            let path = self.api_path("/project/{projectIdOrKey}");
            return Err(JiraError::new(
                "GET",
                &path,
                JiraErrorKind::InvalidInput {
                    message: format!("`{key}` is not a Jira project key"),
                },
            ));
        }
        let call = Call::get(self.api_path(&format!("/project/{key}")));
        Ok(self
            .send_json_optional::<WireProject>(&call)?
            .map(Project::from))
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use serde_json::json;

    use super::super::Deployment;
    use super::super::testserver::{Reply, TestServer};

    #[test]
    fn reads_server_info() {
        let server = TestServer::start(|_| {
            Reply::json(
                200,
                json!({"baseUrl": "https://jira.acme.test", "version": "10.3.13",
                "versionNumbers": [10, 3, 13], "deploymentType": "Server",
                "serverTime": "2025-01-02T03:04:05.000+0100", "buildNumber": 10030013}),
            )
        });
        let info = server.client(Deployment::DataCenter).server_info().unwrap();
        assert_eq!(server.requests()[0].path(), "/rest/api/2/serverInfo");
        assert!(!info.is_cloud());
        assert_eq!(info.version_numbers, vec![10, 3, 13]);
        assert_eq!(
            info.server_time,
            Some(Utc.with_ymd_and_hms(2025, 1, 2, 2, 4, 5).unwrap())
        );
        assert_eq!(info.base_url.as_deref(), Some("https://jira.acme.test"));
    }

    #[test]
    fn reads_a_project_and_maps_404_to_none() {
        let server = TestServer::start(|request| match request.path() {
            "/rest/api/3/project/OPS" => Reply::json(
                200,
                json!({"id": "10000", "key": "OPS",
                "name": "Operations", "projectTypeKey": "service_desk"}),
            ),
            _ => Reply::json(
                404,
                json!({"errorMessages": ["No project could be found with key 'NOPE'."]}),
            ),
        });
        let client = server.client(Deployment::Cloud);
        let project = client.project("ops").unwrap().unwrap();
        assert_eq!(
            (project.id.as_str(), project.key.as_str()),
            ("10000", "OPS")
        );
        assert!(project.is_service_desk());
        assert_eq!(client.project("NOPE").unwrap(), None);

        let err = client.project("OPS\" OR 1=1").unwrap_err();
        assert!(
            err.to_string().contains("is not a Jira project key"),
            "{err}"
        );
        assert_eq!(server.requests().len(), 2, "the bad key was not sent");
    }
}
