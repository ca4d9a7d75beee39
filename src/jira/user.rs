//! People: the caller (`myself`) and lookup by email (`user/search`).

use super::model::{User, WireUser};
use super::{Call, Deployment, JiraClient, JiraError, JiraErrorKind};

/// How many matches to look through for an exact email. Jira 10 caps user search
/// at 100; a full email address rarely prefix-matches more than a few people.
const USER_SEARCH_PAGE: usize = 50;

impl JiraClient {
    /// The account the token belongs to. This is the call that validates the
    /// credentials: it needs a logged-in user, so bad credentials give an error.
    pub fn myself(&self) -> Result<User, JiraError> {
        let call = Call::get(self.api_path("/myself"));
        Ok(self.send_json::<WireUser>(&call)?.into())
    }

    /// The user whose visible email is exactly `email` (ignoring case), preferring an
    /// active account. `None` when no search result carries that email.
    ///
    /// On Cloud, an empty result can also mean the account lacks the *Browse users
    /// and groups* permission: Jira answers `[]` rather than 403.
    pub fn find_user_by_email(&self, email: &str) -> Result<Option<User>, JiraError> {
        let email = email.trim();
        let path = self.api_path("/user/search");
        if email.is_empty() || !email.contains('@') {
            let message = format!("`{email}` is not an email address");
            return Err(JiraError::new(
                "GET",
                &path,
                JiraErrorKind::InvalidInput { message },
            ));
        }
        // Cloud matches `query` against names and emails; Data Center's `username`
        // matches username, name or email.
        let param = match self.deployment() {
            Deployment::Cloud => "query",
            Deployment::DataCenter => "username",
        };
        let call = Call::get(path)
            .query(param, email)
            .query("maxResults", USER_SEARCH_PAGE.to_string());
        let users: Vec<WireUser> = self.send_json(&call)?;

        let users: Vec<User> = users.into_iter().map(User::from).collect();
        // Cloud finds a user who hides their email only when the query is their exact
        // address, and then returns them without it: a lone result with no email is
        // that match. (Several results mean the query also matched by prefix.)
        if self.deployment() == Deployment::Cloud && users.len() == 1 && users[0].email.is_none() {
            return Ok(users.into_iter().next());
        }
        let mut matches: Vec<User> = users.into_iter().filter(|u| u.has_email(email)).collect();
        matches.sort_by_key(|user| !user.active);
        Ok(matches.into_iter().next())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::Deployment;
    use super::super::testserver::{Reply, TestServer};

    #[test]
    fn myself_on_cloud_and_data_center() {
        let server = TestServer::start(|request| match request.path() {
            "/rest/api/3/myself" => Reply::json(
                200,
                json!({"accountId": "acc-1",
                "displayName": "Ana Lima", "emailAddress": "ana@example.com", "active": true,
                "name": "", "key": ""}),
            ),
            _ => Reply::json(
                200,
                json!({"name": "ana", "key": "JIRAUSER10100",
                "displayName": "Ana Lima", "emailAddress": "ana@example.com", "active": true}),
            ),
        });
        let cloud = server.client(Deployment::Cloud).myself().unwrap();
        assert_eq!(cloud.account_id.as_deref(), Some("acc-1"));
        assert_eq!(cloud.key, None);
        let dc = server.client(Deployment::DataCenter).myself().unwrap();
        assert_eq!(dc.key.as_deref(), Some("JIRAUSER10100"));
        assert_eq!(dc.name.as_deref(), Some("ana"));
        assert_eq!(dc.account_id, None);
        let paths: Vec<String> = server
            .requests()
            .iter()
            .map(|r| r.path().to_string())
            .collect();
        assert_eq!(paths, ["/rest/api/3/myself", "/rest/api/2/myself"]);
    }

    #[test]
    fn finds_only_an_exact_email_match() {
        let server = TestServer::start(|_| {
            Reply::json(
                200,
                json!([
                    {"accountId": "acc-2", "displayName": "Ana Other", "emailAddress": "ana@example.com.au", "active": true},
                    {"accountId": "acc-3", "displayName": "Ana Old", "emailAddress": "ANA@example.com", "active": false},
                    {"accountId": "acc-1", "displayName": "Ana Lima", "emailAddress": "Ana@Example.com", "active": true},
                    {"accountId": "acc-4", "displayName": "Hidden", "emailAddress": null, "active": true}
                ]),
            )
        });
        let client = server.client(Deployment::Cloud);
        let user = client
            .find_user_by_email("ana@example.com")
            .unwrap()
            .unwrap();
        assert_eq!(
            user.account_id.as_deref(),
            Some("acc-1"),
            "the active exact match wins"
        );
        let request = &server.requests()[0];
        assert_eq!(request.path(), "/rest/api/3/user/search");
        assert!(
            request.url.contains("query=ana%40example.com"),
            "{}",
            request.url
        );

        assert_eq!(client.find_user_by_email("bob@example.com").unwrap(), None);
        assert!(client.find_user_by_email("not-an-email").is_err());
        assert_eq!(
            server.requests().len(),
            2,
            "the malformed email was not sent"
        );
    }

    #[test]
    fn data_center_searches_by_username_parameter() {
        let server = TestServer::start(|_| {
            Reply::json(
                200,
                json!([{"name": "ana", "key": "JIRAUSER10100",
                "displayName": "Ana Lima", "emailAddress": "ana@example.com", "active": true}]),
            )
        });
        let user = server
            .client(Deployment::DataCenter)
            .find_user_by_email("ana@example.com");
        assert_eq!(user.unwrap().unwrap().key.as_deref(), Some("JIRAUSER10100"));
        let request = &server.requests()[0];
        assert_eq!(request.path(), "/rest/api/2/user/search");
        assert!(
            request.url.contains("username=ana%40example.com"),
            "{}",
            request.url
        );
    }

    #[test]
    fn a_cloud_user_who_hides_their_email_is_found_by_the_exact_address() {
        let server = TestServer::start(|_| {
            Reply::json(
                200,
                json!([{"accountId": "acc-9", "displayName": "Private Person",
                "emailAddress": null, "active": true}]),
            )
        });
        let cloud = server.client(Deployment::Cloud);
        let user = cloud.find_user_by_email("private@example.com").unwrap();
        assert_eq!(user.and_then(|u| u.account_id).as_deref(), Some("acc-9"));
        // Data Center always shows emails: a result without one is no match there.
        let dc = server.client(Deployment::DataCenter);
        assert_eq!(dc.find_user_by_email("private@example.com").unwrap(), None);
    }
}
