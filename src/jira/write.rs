//! Writing to issues: `POST …/issue` (create) and `POST …/issue/{id}/comment`.
//!
//! Cloud speaks REST v3, whose rich-text fields are Atlassian Document Format; Data
//! Center speaks v2, which takes strings. People are `{"id": accountId}` on Cloud and
//! `{"name": username}` on Data Center.

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::model::{is_issue_id, is_project_key, validate_key};
use super::{Call, Deployment, JiraClient, JiraError, JiraErrorKind, adf};

/// An issue to create.
#[derive(Debug, Clone)]
pub struct NewIssue<'a> {
    pub project_key: &'a str,
    /// The issue type's name, e.g. `Task`.
    pub issue_type: &'a str,
    pub summary: &'a str,
    /// Plain text; lines become paragraphs on Cloud.
    pub description: &'a str,
    /// Who reports it (account id on Cloud, username on Data Center); the caller when
    /// `None`. Setting it needs the *Modify Reporter* permission.
    pub reporter: Option<&'a str>,
    /// Who it is assigned to (same kind of reference as `reporter`).
    pub assignee: Option<&'a str>,
}

/// What Jira says about an issue it just created.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CreatedIssue {
    pub id: String,
    pub key: String,
}

impl JiraClient {
    /// Rich text as this deployment's REST API wants it: a document on Cloud, a string
    /// on Data Center.
    fn rich_text(&self, text: &str) -> Value {
        match self.deployment() {
            Deployment::Cloud => adf::document(text),
            Deployment::DataCenter => json!(text),
        }
    }

    /// A person in a create body: `{"id": …}` on Cloud, `{"name": …}` on Data Center.
    fn person(&self, reference: &str) -> Value {
        match self.deployment() {
            Deployment::Cloud => json!({ "id": reference }),
            Deployment::DataCenter => json!({ "name": reference }),
        }
    }

    /// Creates an issue and returns its id and key.
    pub fn create_issue(&self, new: &NewIssue<'_>) -> Result<CreatedIssue, JiraError> {
        let path = self.api_path("/issue");
        if !is_project_key(&new.project_key.to_ascii_uppercase()) {
            let message = format!("`{}` is not a Jira project key", new.project_key);
            return Err(JiraError::new(
                "POST",
                &path,
                JiraErrorKind::InvalidInput { message },
            ));
        }
        let mut fields = Map::new();
        fields.insert("project".into(), json!({ "key": new.project_key }));
        fields.insert("issuetype".into(), json!({ "name": new.issue_type }));
        fields.insert("summary".into(), json!(new.summary));
        fields.insert("description".into(), self.rich_text(new.description));
        if let Some(reporter) = new.reporter {
            fields.insert("reporter".into(), self.person(reporter));
        }
        if let Some(assignee) = new.assignee {
            fields.insert("assignee".into(), self.person(assignee));
        }
        let call = Call::post(path, json!({ "fields": fields }));
        self.send_json(&call)
    }

    /// Adds a comment to an issue (by id or key).
    pub fn add_comment(&self, id_or_key: &str, text: &str) -> Result<(), JiraError> {
        let target = if is_issue_id(id_or_key) {
            id_or_key.to_string()
        } else {
            validate_key(id_or_key).map_err(|err| {
                let path = self.api_path("/issue/{issueIdOrKey}/comment");
                JiraError::new(
                    "POST",
                    &path,
                    JiraErrorKind::InvalidInput {
                        message: err.message,
                    },
                )
            })?
        };
        let path = self.api_path(&format!("/issue/{target}/comment"));
        let call = Call::post(path, json!({ "body": self.rich_text(text) }));
        // The answer is the comment; nothing in it is needed.
        self.send_json::<Value>(&call).map(drop)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::Deployment;
    use super::super::testserver::{Reply, TestServer};
    use super::NewIssue;

    fn new_issue() -> NewIssue<'static> {
        NewIssue {
            project_key: "OPS",
            issue_type: "Task",
            summary: "Access to db for ana",
            description: "Resource: db\nReason: INC-4",
            reporter: Some("ref-1"),
            assignee: Some("ref-1"),
        }
    }

    #[test]
    fn cloud_creates_with_a_document_and_account_ids() {
        let server = TestServer::start(|_| {
            Reply::json(201, json!({"id": "10042", "key": "OPS-42", "self": "x"}))
        });
        let created = server
            .client(Deployment::Cloud)
            .create_issue(&new_issue())
            .unwrap();
        assert_eq!(
            (created.id.as_str(), created.key.as_str()),
            ("10042", "OPS-42")
        );
        let request = &server.requests()[0];
        assert_eq!(request.path(), "/rest/api/3/issue");
        let fields = &request.json()["fields"];
        assert_eq!(fields["project"], json!({"key": "OPS"}));
        assert_eq!(fields["issuetype"], json!({"name": "Task"}));
        assert_eq!(fields["reporter"], json!({"id": "ref-1"}));
        assert_eq!(fields["assignee"], json!({"id": "ref-1"}));
        assert_eq!(fields["description"]["type"], "doc");
        assert_eq!(
            fields["description"]["content"][1]["content"][0]["text"],
            "Reason: INC-4"
        );
    }

    #[test]
    fn data_center_creates_with_a_string_and_usernames() {
        let server = TestServer::start(|_| Reply::json(201, json!({"id": "1", "key": "OPS-1"})));
        let mut new = new_issue();
        new.reporter = None;
        server
            .client(Deployment::DataCenter)
            .create_issue(&new)
            .unwrap();
        let request = &server.requests()[0];
        assert_eq!(request.path(), "/rest/api/2/issue");
        let fields = &request.json()["fields"];
        assert_eq!(fields["description"], "Resource: db\nReason: INC-4");
        assert_eq!(fields["assignee"], json!({"name": "ref-1"}));
        assert!(fields.get("reporter").is_none(), "the caller reports it");
    }

    #[test]
    fn comments_are_documents_on_cloud_and_text_on_data_center() {
        let server = TestServer::start(|_| Reply::json(201, json!({"id": "1"})));
        server
            .client(Deployment::Cloud)
            .add_comment("10012", "granted")
            .unwrap();
        server
            .client(Deployment::DataCenter)
            .add_comment("ops-12", "granted")
            .unwrap();
        let requests = server.requests();
        assert_eq!(requests[0].path(), "/rest/api/3/issue/10012/comment");
        assert_eq!(requests[0].json()["body"]["type"], "doc");
        assert_eq!(requests[1].path(), "/rest/api/2/issue/OPS-12/comment");
        assert_eq!(requests[1].json()["body"], "granted");
        let err = server
            .client(Deployment::Cloud)
            .add_comment("../x", "no")
            .unwrap_err();
        assert!(err.to_string().contains("not a Jira ticket key"), "{err}");
        assert_eq!(server.requests().len(), 2);
    }
}
