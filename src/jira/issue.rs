//! Single-issue reads: `GET …/issue/{idOrKey}`.

use super::model::{ISSUE_FIELDS, Issue, WireIssue, is_issue_id, validate_key};
use super::{Call, JiraClient, JiraError, JiraErrorKind};

impl JiraClient {
    /// One issue by numeric id or key. `None` when Jira answers 404, which means the
    /// issue was deleted *or* this account may not see it: Jira does not say which.
    ///
    /// Keys are validated (and upper-cased) first; anything that is neither an id nor
    /// a key is refused without a request.
    pub fn issue(&self, id_or_key: &str) -> Result<Option<Issue>, JiraError> {
        self.issue_throttled(id_or_key, None)
    }

    /// [`issue`](Self::issue), telling `on_throttle` about each 429.
    pub(crate) fn issue_throttled(
        &self,
        id_or_key: &str,
        on_throttle: Option<&(dyn Fn() + Sync)>,
    ) -> Result<Option<Issue>, JiraError> {
        let target = if is_issue_id(id_or_key) {
            id_or_key.to_string()
        } else {
            validate_key(id_or_key).map_err(|err| {
                let path = self.api_path("/issue/{issueIdOrKey}");
                JiraError::new(
                    "GET",
                    &path,
                    JiraErrorKind::InvalidInput {
                        message: err.message,
                    },
                )
            })?
        };
        let mut call = Call::get(self.api_path(&format!("/issue/{target}")))
            .query("fields", ISSUE_FIELDS.join(","));
        if let Some(callback) = on_throttle {
            call = call.on_throttle(callback);
        }
        Ok(self
            .send_json_optional::<WireIssue>(&call)?
            .map(Issue::from))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::testserver::{Reply, TestServer, issue_json};
    use super::super::{Deployment, StatusCategory};

    #[test]
    fn fetches_an_issue_with_explicit_fields() {
        let server = TestServer::start(|_| Reply::json(200, issue_json("10012", "OPS-12", "done")));
        let issue = server
            .client(Deployment::Cloud)
            .issue("ops-12")
            .unwrap()
            .unwrap();
        assert_eq!(issue.key, "OPS-12");
        assert_eq!(issue.status_category, StatusCategory::Done);

        let requests = server.requests();
        assert_eq!(requests.len(), 1);
        assert_eq!(requests[0].method, "GET");
        assert_eq!(
            requests[0].path(),
            "/rest/api/3/issue/OPS-12",
            "key is upper-cased"
        );
        assert!(
            requests[0]
                .url
                .contains("fields=summary%2Cstatus%2Cassignee%2Cproject%2Cupdated"),
            "{}",
            requests[0].url
        );
    }

    #[test]
    fn data_center_uses_rest_v2() {
        let server = TestServer::start(|_| Reply::json(200, issue_json("20001", "HELP-3", "new")));
        let issue = server
            .client(Deployment::DataCenter)
            .issue("20001")
            .unwrap()
            .unwrap();
        assert_eq!(issue.id, "20001");
        assert_eq!(server.requests()[0].path(), "/rest/api/2/issue/20001");
    }

    #[test]
    fn not_found_is_none() {
        let server = TestServer::start(|_| {
            Reply::json(
                404,
                json!({"errorMessages": ["Issue does not exist or you do not have permission to see it."], "errors": {}}),
            )
        });
        assert_eq!(
            server.client(Deployment::Cloud).issue("OPS-404").unwrap(),
            None
        );
    }

    #[test]
    fn malformed_keys_never_reach_jira() {
        let server = TestServer::start(|_| Reply::json(200, json!({})));
        let client = server.client(Deployment::Cloud);
        for bad in ["X-1) OR (1=1", "OPS-1/../../myself", "", "ops 1"] {
            let err = client.issue(bad).unwrap_err();
            assert!(
                err.to_string().contains("is not a Jira ticket key"),
                "{err}"
            );
        }
        assert!(server.requests().is_empty());
    }
}
