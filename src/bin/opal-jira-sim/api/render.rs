//! JSON shapes of users, projects, statuses and issues, per flavour and API version,
//! following Atlassian's published schemas (only the fields the simulator models).

use serde_json::{Map, Value, json};

use crate::state::{Category, Flavor, Issue, State, jira_time};

/// Issue fields the simulator can return, in the order Jira tends to list them.
const FIELDS: [&str; 9] = [
    "summary",
    "status",
    "assignee",
    "reporter",
    "project",
    "issuetype",
    "resolution",
    "created",
    "updated",
];

/// Which issue fields to include in a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldSet {
    /// Only `{"id"}` per issue: Cloud `search/jql` when no fields are asked for.
    IdOnly,
    /// `id`, `key`, `self` and these fields.
    Some(Vec<&'static str>),
}

impl FieldSet {
    /// Parses a `fields` list (`*all`, `*navigable`, names, `-name` exclusions; unknown
    /// names are ignored as Jira does). An empty list means `default`.
    pub fn parse<S: AsRef<str>>(list: &[S], default: FieldSet) -> FieldSet {
        let items: Vec<&str> = list
            .iter()
            .flat_map(|s| s.as_ref().split(','))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if items.is_empty() {
            return default;
        }
        let mut chosen: Vec<&'static str> = Vec::new();
        for item in &items {
            if item.eq_ignore_ascii_case("*all") || item.eq_ignore_ascii_case("*navigable") {
                chosen = FIELDS.to_vec();
            }
        }
        for item in &items {
            if let Some(name) = FIELDS.iter().find(|f| f.eq_ignore_ascii_case(item))
                && !chosen.contains(name)
            {
                chosen.push(name);
            }
        }
        for item in &items {
            if let Some(excluded) = item.strip_prefix('-') {
                chosen.retain(|f| !f.eq_ignore_ascii_case(excluded));
            }
        }
        FieldSet::Some(chosen)
    }

    /// All fields (`*all`).
    pub fn all() -> FieldSet {
        FieldSet::Some(FIELDS.to_vec())
    }

    /// Whether only identifiers were asked for (Cloud allows bigger pages then).
    pub fn only_ids<S: AsRef<str>>(list: &[S]) -> bool {
        list.iter()
            .flat_map(|s| s.as_ref().split(','))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .all(|f| f.eq_ignore_ascii_case("id") || f.eq_ignore_ascii_case("key"))
    }
}

/// Renders site objects for one request (flavour, base URL and API version fixed).
pub struct View<'a> {
    pub state: &'a State,
    pub base: &'a str,
    pub version: u8,
}

impl View<'_> {
    fn api(&self) -> String {
        format!("{}/rest/api/{}", self.base, self.version)
    }

    /// A user as embedded in issue fields and search results.
    pub fn user(&self, index: usize) -> Value {
        let u = &self.state.users[index];
        match self.state.config.flavor {
            Flavor::Cloud => json!({
                "self": format!("{}/user?accountId={}", self.api(), u.account_id),
                "accountId": u.account_id,
                "accountType": if u.customer { "customer" } else { "atlassian" },
                "emailAddress": u.email,
                "displayName": u.display_name,
                "active": u.active,
                "timeZone": "Etc/UTC",
            }),
            Flavor::DataCenter => json!({
                "self": format!("{}/user?username={}", self.api(), u.name),
                "name": u.name,
                "key": u.key,
                "emailAddress": u.email,
                "displayName": u.display_name,
                "active": u.active,
                "timeZone": "Etc/UTC",
            }),
        }
    }

    /// The caller as `/myself` describes them.
    pub fn myself(&self, index: usize) -> Value {
        let mut user = self.user(index);
        let extra = match self.state.config.flavor {
            // Cloud still sends the retired username fields, as empty strings.
            Flavor::Cloud => json!({"name": "", "key": "", "locale": "en_US"}),
            Flavor::DataCenter => json!({"deleted": false, "locale": "en_US"}),
        };
        merge(&mut user, extra);
        user
    }

    /// A project as `GET project/{key}` and the `project` field show it.
    pub fn project(&self, index: usize) -> Value {
        let p = &self.state.projects[index];
        json!({
            "self": format!("{}/project/{}", self.api(), p.id),
            "id": p.id,
            "key": p.key,
            "name": p.name,
            "projectTypeKey": p.kind,
            "simplified": false,
        })
    }

    fn category(&self, c: Category) -> Value {
        json!({
            "self": format!("{}/statuscategory/{}", self.api(), c.id()),
            "id": c.id(),
            "key": c.key(),
            "colorName": c.color(),
            "name": c.name(),
        })
    }

    fn status(&self, issue: &Issue) -> Value {
        let id = self.state.status_id(&issue.status);
        json!({
            "self": format!("{}/status/{id}", self.api()),
            "description": "",
            "name": issue.status,
            "id": id,
            "statusCategory": self.category(issue.category),
        })
    }

    /// An issue type as the `issuetype` field and createmeta list it.
    pub fn issue_type(&self, id: &str) -> Value {
        json!({
            "self": format!("{}/issuetype/{id}", self.api()),
            "id": id,
            "name": self.state.issue_type_name(id).unwrap_or("Unknown"),
            "description": "",
            "iconUrl": format!("{}/images/icons/issuetypes/task.svg", self.base),
            "subtask": false,
        })
    }

    fn field(&self, issue: &Issue, name: &str) -> Value {
        match name {
            "summary" => json!(issue.summary),
            "status" => self.status(issue),
            "assignee" => issue.assignee.map_or(Value::Null, |u| self.user(u)),
            "reporter" => issue.reporter.map_or(Value::Null, |u| self.user(u)),
            "project" => self.project(issue.project),
            "issuetype" => self.issue_type(&issue.issue_type),
            // Resolution is independent of the status category in real Jira; here a
            // done issue is resolved as "Done" and every other one is unresolved.
            "resolution" if issue.category == Category::Done => json!({
                "self": format!("{}/resolution/10000", self.api()),
                "id": "10000",
                "name": "Done",
                "description": "Work on this issue is complete.",
            }),
            "created" => json!(jira_time(issue.created)),
            "updated" => json!(jira_time(issue.updated)),
            _ => Value::Null,
        }
    }

    /// An issue with the chosen fields.
    pub fn issue(&self, issue: &Issue, fields: &FieldSet) -> Value {
        let names = match fields {
            FieldSet::IdOnly => return json!({"id": issue.id.to_string()}),
            FieldSet::Some(names) => names,
        };
        let mut map = Map::new();
        for name in names {
            map.insert((*name).to_string(), self.field(issue, name));
        }
        json!({
            "expand": "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations",
            "id": issue.id.to_string(),
            "self": format!("{}/issue/{}", self.api(), issue.id),
            "key": issue.key,
            "fields": map,
        })
    }
}

/// Copies the keys of `extra` (an object) into `target` (an object).
fn merge(target: &mut Value, extra: Value) {
    if let (Value::Object(t), Value::Object(e)) = (target, extra) {
        t.extend(e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_lists_expand_exclude_and_ignore_unknowns() {
        let all = FieldSet::parse(&["*all"], FieldSet::IdOnly);
        assert_eq!(all, FieldSet::all());
        let some = FieldSet::parse(
            &["summary,status", "customfield_1", "Assignee"],
            FieldSet::IdOnly,
        );
        assert_eq!(some, FieldSet::Some(vec!["summary", "status", "assignee"]));
        let minus = FieldSet::parse(&["*navigable,-summary"], FieldSet::IdOnly);
        let FieldSet::Some(names) = minus else {
            panic!("expected named fields")
        };
        assert!(!names.contains(&"summary") && names.contains(&"status"));
        let empty: [&str; 0] = [];
        assert_eq!(FieldSet::parse(&empty, FieldSet::IdOnly), FieldSet::IdOnly);
        assert_eq!(
            FieldSet::parse(&["id", "key"], FieldSet::IdOnly),
            FieldSet::Some(vec![])
        );
    }

    #[test]
    fn only_ids_detects_identifier_requests() {
        assert!(FieldSet::only_ids(&["id,key"]));
        assert!(FieldSet::only_ids::<&str>(&[]));
        assert!(!FieldSet::only_ids(&["id", "summary"]));
    }
}
