//! The simulated site's data: config, users, projects, issues and comments, all in memory,
//! plus the fault rules and request log that the admin API manages.
//!
//! Every operation here is synchronous and runs under the server's single mutex.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::desk::{Desk, ProjectIssueType};
use crate::faults::FaultRule;

/// First numeric id handed out to issues, projects and comments, as on a fresh Jira.
const FIRST_ID: u64 = 10000;

/// Which Jira product the simulator imitates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Deserialize)]
pub enum Flavor {
    /// Jira Cloud: REST v2 and v3, Basic `email:token`, `search/jql`, bulkfetch.
    #[serde(rename = "cloud")]
    Cloud,
    /// Jira Data Center: REST v2 only, Bearer PATs, `search` with `startAt`/`total`.
    #[value(name = "datacenter")]
    #[serde(rename = "datacenter")]
    DataCenter,
}

impl Flavor {
    /// The name used on the command line and in `/_sim/config`.
    pub fn as_str(self) -> &'static str {
        match self {
            Flavor::Cloud => "cloud",
            Flavor::DataCenter => "datacenter",
        }
    }
}

/// Tunables exposed through `GET|PUT /_sim/config`.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Which product is imitated.
    pub flavor: Flavor,
    /// Sleep before every non-admin request, outside the state lock.
    pub latency_ms: u64,
    /// Largest page a search returns (Cloud: when fields beyond id/key are asked).
    pub search_page_cap: u32,
    /// Cloud only: largest `search/jql` page when only `id`/`key` are asked.
    pub search_id_page_cap: u32,
    /// Cloud only: most ids or keys one bulkfetch accepts.
    pub bulkfetch_cap: u32,
    /// Data Center version reported by serverInfo.
    pub dc_version: [u32; 3],
    /// Shift of the site's clock against the host's, in seconds.
    pub server_time_offset_secs: i64,
    /// Cloud only: whether `search/jql` rejects unknown keys like DC's validateQuery does.
    pub cloud_validate_keys: bool,
    /// Whether the site lets new JSM customer accounts be created (the customer signup
    /// setting); when off, even an administrator's `POST servicedeskapi/customer` fails.
    pub customer_signup: bool,
}

/// The fields `PUT /_sim/config` accepts; absent fields keep their value.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigPatch {
    flavor: Option<Flavor>,
    latency_ms: Option<u64>,
    search_page_cap: Option<u32>,
    search_id_page_cap: Option<u32>,
    bulkfetch_cap: Option<u32>,
    dc_version: Option<[u32; 3]>,
    server_time_offset_secs: Option<i64>,
    cloud_validate_keys: Option<bool>,
    customer_signup: Option<bool>,
}

impl Config {
    /// Defaults matching the real product of that flavour.
    pub fn defaults(flavor: Flavor) -> Config {
        Config {
            flavor,
            latency_ms: 0,
            search_page_cap: match flavor {
                Flavor::Cloud => 100,
                Flavor::DataCenter => 1000,
            },
            search_id_page_cap: 5000,
            bulkfetch_cap: 100,
            dc_version: [10, 3, 13],
            server_time_offset_secs: 0,
            cloud_validate_keys: false,
            customer_signup: true,
        }
    }

    /// Applies a patch. Switching flavour resets the page cap to the new flavour's default
    /// unless the same patch sets it.
    pub fn apply(&mut self, patch: ConfigPatch) {
        if let Some(flavor) = patch.flavor {
            if flavor != self.flavor && patch.search_page_cap.is_none() {
                self.search_page_cap = Config::defaults(flavor).search_page_cap;
            }
            self.flavor = flavor;
        }
        let p = patch;
        self.latency_ms = p.latency_ms.unwrap_or(self.latency_ms);
        self.search_page_cap = p.search_page_cap.unwrap_or(self.search_page_cap);
        self.search_id_page_cap = p.search_id_page_cap.unwrap_or(self.search_id_page_cap);
        self.bulkfetch_cap = p.bulkfetch_cap.unwrap_or(self.bulkfetch_cap);
        self.dc_version = p.dc_version.unwrap_or(self.dc_version);
        self.server_time_offset_secs = p
            .server_time_offset_secs
            .unwrap_or(self.server_time_offset_secs);
        self.cloud_validate_keys = p.cloud_validate_keys.unwrap_or(self.cloud_validate_keys);
        self.customer_signup = p.customer_signup.unwrap_or(self.customer_signup);
    }

    /// The config as `GET /_sim/config` shows it.
    pub fn to_json(&self) -> Value {
        json!({
            "flavor": self.flavor.as_str(),
            "latency_ms": self.latency_ms,
            "search_page_cap": self.search_page_cap,
            "search_id_page_cap": self.search_id_page_cap,
            "bulkfetch_cap": self.bulkfetch_cap,
            "dc_version": self.dc_version,
            "server_time_offset_secs": self.server_time_offset_secs,
            "cloud_validate_keys": self.cloud_validate_keys,
            "customer_signup": self.customer_signup,
        })
    }
}

/// A status category; the ids, keys and colours are Jira's fixed built-in ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    New,
    Indeterminate,
    Done,
}

impl Category {
    /// Every category an issue can be in.
    pub const ALL: [Category; 3] = [Category::New, Category::Indeterminate, Category::Done];

    /// The numeric id (`statusCategory.id`).
    pub fn id(self) -> u32 {
        match self {
            Category::New => 2,
            Category::Indeterminate => 4,
            Category::Done => 3,
        }
    }

    /// The key (`statusCategory.key`), the value to test for "closed".
    pub fn key(self) -> &'static str {
        match self {
            Category::New => "new",
            Category::Indeterminate => "indeterminate",
            Category::Done => "done",
        }
    }

    /// The English display name, also accepted by JQL.
    pub fn name(self) -> &'static str {
        match self {
            Category::New => "To Do",
            Category::Indeterminate => "In Progress",
            Category::Done => "Done",
        }
    }

    /// The `colorName` Jira pairs with the category.
    pub fn color(self) -> &'static str {
        match self {
            Category::New => "blue-gray",
            Category::Indeterminate => "yellow",
            Category::Done => "green",
        }
    }

    /// Finds a category by name, key or id, ignoring case, as JQL does.
    pub fn parse(text: &str) -> Option<Category> {
        let t = text.trim();
        Category::ALL.into_iter().find(|c| {
            t.eq_ignore_ascii_case(c.name())
                || t.eq_ignore_ascii_case(c.key())
                || t == c.id().to_string()
        })
    }
}

/// A Jira user. On Cloud `account_id` identifies them; on DC `name` and `key` do.
#[derive(Debug, Clone)]
pub struct User {
    pub account_id: String,
    pub email: String,
    pub display_name: String,
    /// API token (Cloud) or personal access token (DC); `None` cannot authenticate.
    pub token: Option<String>,
    pub name: String,
    pub key: String,
    pub active: bool,
    /// The global permission ADMINISTER (Jira administrators).
    pub administer: bool,
    /// The project permission MODIFY_REPORTER, in every project.
    pub modify_reporter: bool,
    /// A portal-only JSM customer: no licence, found by the service desk's customer
    /// search but (on Cloud) not by the platform's user search.
    pub customer: bool,
}

/// A project; `visible_to` restricts who may see it and its issues.
#[derive(Debug, Clone)]
pub struct Project {
    pub id: String,
    pub key: String,
    pub name: String,
    /// `software` or `service_desk`.
    pub kind: String,
    /// Lower-case emails of the only users allowed to see it; `None` = everyone.
    pub visible_to: Option<Vec<String>>,
    /// The issue types it offers, with their create screens.
    pub issue_types: Vec<ProjectIssueType>,
    /// The service desk of a `service_desk` project.
    pub desk: Option<Desk>,
    last_number: u64,
}

/// An issue with the handful of fields the simulator models.
#[derive(Debug, Clone)]
pub struct Issue {
    pub id: u64,
    pub key: String,
    /// Keys the issue had before moves, oldest first; they still resolve.
    pub old_keys: Vec<String>,
    /// Index into `State::projects`.
    pub project: usize,
    pub summary: String,
    pub status: String,
    pub category: Category,
    /// Index into `State::users`.
    pub assignee: Option<usize>,
    pub reporter: Option<usize>,
    /// The issue type id.
    pub issue_type: String,
    /// The request type id, for issues that are JSM customer requests.
    pub request_type: Option<String>,
    /// A string (v2) or an ADF document (v3), as sent; null when none.
    pub description: Value,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub deleted: bool,
    /// Search index lag: a GET finds it, a search does not.
    pub hidden_from_search: bool,
    /// No permission: 404 everywhere, like a deleted issue.
    pub forbidden: bool,
}

impl Issue {
    /// The number after the dash in the current key.
    pub fn number(&self) -> u64 {
        key_number(&self.key).unwrap_or(0)
    }
}

/// A comment added through the REST API.
#[derive(Debug, Clone)]
pub struct Comment {
    pub id: u64,
    pub issue: u64,
    pub author: usize,
    /// A string (v2) or an ADF document (v3), as sent.
    pub body: Value,
    pub api_version: u8,
    pub created: DateTime<Utc>,
}

/// Input for a new user (`POST /_sim/users`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub email: String,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub token: Option<String>,
    #[serde(default)]
    pub account_id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub key: Option<String>,
    #[serde(default = "yes")]
    pub active: bool,
    #[serde(default)]
    pub administer: bool,
    #[serde(default = "yes")]
    pub modify_reporter: bool,
    #[serde(default)]
    pub customer: bool,
}

fn yes() -> bool {
    true
}

/// Changes to a user's permissions (`PATCH /_sim/users/{email}`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    pub administer: Option<bool>,
    pub modify_reporter: Option<bool>,
}

impl NewUser {
    /// An active user with generated ids.
    #[cfg(test)]
    pub fn new(email: &str, token: Option<&str>) -> NewUser {
        NewUser {
            email: email.into(),
            display_name: None,
            token: token.map(String::from),
            account_id: None,
            name: None,
            key: None,
            active: true,
            administer: false,
            modify_reporter: true,
            customer: false,
        }
    }
}

/// Input for a new issue; `None` fields take defaults.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewIssue {
    pub project: String,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub status_category: Option<Category>,
    #[serde(default)]
    pub assignee: Option<String>,
    #[serde(default)]
    pub reporter: Option<String>,
    #[serde(default)]
    pub key: Option<String>,
    #[serde(default)]
    pub created: Option<String>,
    #[serde(default)]
    pub updated: Option<String>,
}

/// Changes to an issue; a present-but-null `assignee` unassigns.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssuePatch {
    pub summary: Option<String>,
    pub status: Option<String>,
    pub status_category: Option<Category>,
    #[serde(default, deserialize_with = "present")]
    pub assignee: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub reporter: Option<Option<String>>,
    pub hidden_from_search: Option<bool>,
    pub forbidden: Option<bool>,
    pub updated: Option<String>,
}

/// Keeps `null` apart from an absent field: absent = `None`, null = `Some(None)`.
fn present<'de, D, T>(de: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(de).map(Some)
}

/// The whole simulated site.
#[derive(Debug)]
pub struct State {
    pub config: Config,
    pub users: Vec<User>,
    pub projects: Vec<Project>,
    /// Indexed by `id - FIRST_ID`; deleted issues stay, flagged.
    pub issues: Vec<Issue>,
    pub comments: Vec<Comment>,
    pub faults: Vec<FaultRule>,
    /// Request log entries in arrival order.
    pub log: Vec<Value>,
    /// Upper-case current and historical keys to issue id.
    keys: HashMap<String, u64>,
    /// Status names in order of first use; a status's id is its position plus FIRST_ID.
    statuses: Vec<String>,
    /// Issue type names; an issue type's id is its position plus 10001.
    pub(crate) issue_type_names: Vec<String>,
}

impl State {
    /// An empty site of the given flavour.
    pub fn new(flavor: Flavor) -> State {
        State {
            config: Config::defaults(flavor),
            users: Vec::new(),
            projects: Vec::new(),
            issues: Vec::new(),
            comments: Vec::new(),
            faults: Vec::new(),
            log: Vec::new(),
            keys: HashMap::new(),
            statuses: Category::ALL.iter().map(|c| c.name().to_string()).collect(),
            issue_type_names: vec!["Task".into(), "Service Request".into()],
        }
    }

    /// Forgets everything except the flavour.
    pub fn reset(&mut self) {
        *self = State::new(self.config.flavor);
    }

    /// The site's clock: the host's, shifted by `server_time_offset_secs`.
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::seconds(self.config.server_time_offset_secs)
    }

    /// Adds a user; email must be new. Missing ids are generated per flavour's habits.
    pub fn add_user(&mut self, new: NewUser) -> Result<usize, String> {
        let email = new.email;
        if email.trim().is_empty() {
            return Err("email must not be empty".into());
        }
        if self.user_by_email(&email).is_some() {
            return Err(format!("a user with email '{email}' already exists"));
        }
        let n = self.users.len();
        let local = email.split('@').next().unwrap_or(&email).to_string();
        let user = User {
            account_id: new
                .account_id
                .unwrap_or_else(|| format!("5b10ac8d82e05b22cc{:06x}", n + 1)),
            display_name: new.display_name.unwrap_or_else(|| local.clone()),
            token: new.token,
            name: new.name.unwrap_or(local),
            key: new.key.unwrap_or_else(|| format!("JIRAUSER{}", 10100 + n)),
            active: new.active,
            administer: new.administer,
            modify_reporter: new.modify_reporter,
            customer: new.customer,
            email,
        };
        let clash = self
            .users
            .iter()
            .any(|u| u.account_id == user.account_id || u.name.eq_ignore_ascii_case(&user.name));
        if clash {
            return Err(format!(
                "account id or username of '{}' is already taken",
                user.email
            ));
        }
        self.users.push(user);
        Ok(n)
    }

    /// Adds a project; the key must be new and look like a Jira project key.
    pub fn add_project(
        &mut self,
        key: &str,
        name: Option<String>,
        kind: Option<String>,
        id: Option<String>,
    ) -> Result<usize, String> {
        let valid = key.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && key
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            return Err(format!(
                "project key '{key}' must be upper-case letters and digits"
            ));
        }
        if self.project_by_key(key).is_some() {
            return Err(format!("project '{key}' already exists"));
        }
        let kind = kind.unwrap_or_else(|| "software".into());
        if kind != "software" && kind != "service_desk" {
            return Err(format!(
                "project type '{kind}' is not software or service_desk"
            ));
        }
        let id = id.unwrap_or_else(|| (FIRST_ID + self.projects.len() as u64).to_string());
        if self.projects.iter().any(|p| p.id == id) {
            return Err(format!("project id '{id}' already exists"));
        }
        self.projects.push(Project {
            id,
            key: key.to_string(),
            name: name.unwrap_or_else(|| key.to_string()),
            kind,
            visible_to: None,
            issue_types: Vec::new(),
            desk: None,
            last_number: 0,
        });
        let index = self.projects.len() - 1;
        self.set_up_project(index);
        Ok(index)
    }

    /// Changes a user's permissions.
    pub fn patch_user(&mut self, email: &str, patch: UserPatch) -> Result<usize, String> {
        let index = self
            .user_by_email(email)
            .ok_or_else(|| format!("no user '{email}'"))?;
        let user = &mut self.users[index];
        user.administer = patch.administer.unwrap_or(user.administer);
        user.modify_reporter = patch.modify_reporter.unwrap_or(user.modify_reporter);
        Ok(index)
    }

    /// Restricts (or, with `None`, opens) who can see a project.
    pub fn set_visibility(&mut self, key: &str, emails: Option<Vec<String>>) -> Result<(), String> {
        let index = self
            .project_by_key(key)
            .ok_or_else(|| format!("no project '{key}'"))?;
        let lower = emails.map(|list| list.iter().map(|e| e.to_lowercase()).collect());
        self.projects[index].visible_to = lower;
        Ok(())
    }

    /// Creates an issue and returns its id.
    pub fn add_issue(&mut self, new: NewIssue) -> Result<u64, String> {
        let project = self
            .project_by_key(&new.project)
            .ok_or_else(|| format!("no project '{}'", new.project))?;
        let (status, category) = status_pair(new.status, new.status_category);
        let assignee = self.user_ref(new.assignee.as_deref())?;
        let reporter = self.user_ref(new.reporter.as_deref())?;
        let now = self.now();
        let created = parse_time(new.created.as_deref())?.unwrap_or(now);
        let updated = parse_time(new.updated.as_deref())?.unwrap_or(created);

        let number = match &new.key {
            Some(key) => self.claim_key(project, key)?,
            None => self.projects[project].last_number + 1,
        };
        let project_data = &mut self.projects[project];
        project_data.last_number = project_data.last_number.max(number);
        let key = format!("{}-{number}", project_data.key);

        let id = FIRST_ID + self.issues.len() as u64;
        self.register_status(&status);
        self.keys.insert(key.to_uppercase(), id);
        // Issues seeded into a service desk are requests of its first request type, as
        // if raised through the portal.
        let data = &self.projects[project];
        let (issue_type, request_type) =
            match data.desk.as_ref().and_then(|d| d.request_types.first()) {
                Some(first) => (first.issue_type_id.clone(), Some(first.id.clone())),
                None => {
                    let first = data.issue_types.first().map(|t| t.type_id.clone());
                    (first.unwrap_or_else(|| "10001".into()), None)
                }
            };
        self.issues.push(Issue {
            id,
            key,
            old_keys: Vec::new(),
            project,
            summary: new.summary.unwrap_or_else(|| format!("Issue {id}")),
            status,
            category,
            assignee,
            reporter,
            issue_type,
            request_type,
            description: Value::Null,
            created,
            updated,
            deleted: false,
            hidden_from_search: false,
            forbidden: false,
        });
        Ok(id)
    }

    /// Checks an explicit key for a new issue and returns its number.
    fn claim_key(&self, project: usize, key: &str) -> Result<u64, String> {
        let prefix = format!("{}-", self.projects[project].key);
        let number = key
            .strip_prefix(&prefix)
            .and_then(|n| n.parse::<u64>().ok())
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("key '{key}' does not belong to project '{prefix}'"))?;
        if self.keys.contains_key(&key.to_uppercase()) {
            return Err(format!("key '{key}' is already used"));
        }
        Ok(number)
    }

    /// Applies admin changes to an issue and bumps `updated`.
    pub fn patch_issue(&mut self, id: u64, patch: IssuePatch) -> Result<(), String> {
        let assignee = match &patch.assignee {
            Some(value) => Some(self.user_ref(value.as_deref())?),
            None => None,
        };
        let reporter = match &patch.reporter {
            Some(value) => Some(self.user_ref(value.as_deref())?),
            None => None,
        };
        let updated = parse_time(patch.updated.as_deref())?.unwrap_or_else(|| self.now());
        if patch.status.is_some() || patch.status_category.is_some() {
            let issue = self.issue(id).ok_or("no such issue")?;
            // A category follows a built-in status name unless given; a built-in status
            // name follows a new category, while a custom name is kept.
            let category = patch
                .status_category
                .or_else(|| patch.status.as_deref().and_then(builtin_category))
                .unwrap_or(issue.category);
            let status = match &patch.status {
                Some(name) => name.clone(),
                None if builtin_category(&issue.status).is_some() => category.name().to_string(),
                None => issue.status.clone(),
            };
            self.register_status(&status);
            let issue = self.issue_mut(id).ok_or("no such issue")?;
            issue.status = status;
            issue.category = category;
        }
        let issue = self.issue_mut(id).ok_or("no such issue")?;
        if let Some(summary) = patch.summary {
            issue.summary = summary;
        }
        if let Some(a) = assignee {
            issue.assignee = a;
        }
        if let Some(r) = reporter {
            issue.reporter = r;
        }
        if let Some(h) = patch.hidden_from_search {
            issue.hidden_from_search = h;
        }
        if let Some(f) = patch.forbidden {
            issue.forbidden = f;
        }
        issue.updated = updated;
        Ok(())
    }

    /// Moves an issue to another project; its old key keeps resolving. Returns the new key.
    pub fn move_issue(&mut self, id: u64, project_key: &str) -> Result<String, String> {
        let target = self
            .project_by_key(project_key)
            .ok_or_else(|| format!("no project '{project_key}'"))?;
        let now = self.now();
        let project = &mut self.projects[target];
        project.last_number += 1;
        let new_key = format!("{}-{}", project.key, project.last_number);

        let issue = self.issue_mut(id).ok_or("no such issue")?;
        if issue.project == target {
            return Err(format!("issue is already in project '{project_key}'"));
        }
        let old = std::mem::replace(&mut issue.key, new_key.clone());
        issue.old_keys.push(old);
        issue.project = target;
        issue.updated = now;
        self.keys.insert(new_key.to_uppercase(), id);
        Ok(new_key)
    }

    /// Marks an issue deleted: it disappears from every Jira endpoint.
    pub fn delete_issue(&mut self, id: u64) -> Result<(), String> {
        let issue = self.issue_mut(id).ok_or("no such issue")?;
        issue.deleted = true;
        Ok(())
    }

    /// Stores a comment and returns it.
    pub fn add_comment(&mut self, issue: u64, author: usize, body: Value, version: u8) -> &Comment {
        let comment = Comment {
            id: FIRST_ID + self.comments.len() as u64,
            issue,
            author,
            body,
            api_version: version,
            created: self.now(),
        };
        self.comments.push(comment);
        self.comments.last().expect("a comment was just pushed")
    }

    /// The issue with this id, deleted or not.
    pub fn issue(&self, id: u64) -> Option<&Issue> {
        let index = id.checked_sub(FIRST_ID)?;
        self.issues.get(usize::try_from(index).ok()?)
    }

    pub(crate) fn issue_mut(&mut self, id: u64) -> Option<&mut Issue> {
        let index = id.checked_sub(FIRST_ID)?;
        self.issues.get_mut(usize::try_from(index).ok()?)
    }

    /// Resolves a numeric id or a current or historical key (any case), deleted or not.
    pub fn issue_id(&self, id_or_key: &str) -> Option<u64> {
        if let Ok(id) = id_or_key.parse::<u64>() {
            return self.issue(id).map(|i| i.id);
        }
        self.keys.get(&id_or_key.to_uppercase()).copied()
    }

    /// Finds a project by key, ignoring case.
    pub fn project_by_key(&self, key: &str) -> Option<usize> {
        self.projects
            .iter()
            .position(|p| p.key.eq_ignore_ascii_case(key))
    }

    /// Finds a project by id, key or name (the forms JQL and the REST paths accept).
    pub fn project_by_ref(&self, text: &str) -> Option<usize> {
        self.projects
            .iter()
            .position(|p| p.id == text || p.key.eq_ignore_ascii_case(text))
            .or_else(|| {
                self.projects
                    .iter()
                    .position(|p| p.name.eq_ignore_ascii_case(text))
            })
    }

    /// Finds a user by email, ignoring case.
    pub fn user_by_email(&self, email: &str) -> Option<usize> {
        self.users
            .iter()
            .position(|u| u.email.eq_ignore_ascii_case(email))
    }

    /// Whether `caller` may see the project at `index`.
    pub fn project_visible(&self, index: usize, caller: Option<usize>) -> bool {
        match &self.projects[index].visible_to {
            None => true,
            Some(emails) => caller.is_some_and(|c| {
                let email = self.users[c].email.to_lowercase();
                emails.contains(&email)
            }),
        }
    }

    /// Whether `caller` gets this issue from GET, bulkfetch and the key resolution in JQL.
    pub fn issue_visible(&self, issue: &Issue, caller: Option<usize>) -> bool {
        !issue.deleted && !issue.forbidden && self.project_visible(issue.project, caller)
    }

    /// The id Jira would give a status name.
    pub fn status_id(&self, name: &str) -> String {
        let pos = self
            .statuses
            .iter()
            .position(|s| s.eq_ignore_ascii_case(name))
            .unwrap_or(0);
        (FIRST_ID + pos as u64).to_string()
    }

    /// Whether a status with this name (any case) or id exists.
    pub fn status_known(&self, text: &str) -> Option<&str> {
        let by_name = self.statuses.iter().find(|s| s.eq_ignore_ascii_case(text));
        let by_id = text
            .parse::<u64>()
            .ok()
            .and_then(|id| id.checked_sub(FIRST_ID))
            .and_then(|i| self.statuses.get(usize::try_from(i).ok()?));
        by_name.or(by_id).map(String::as_str)
    }

    fn register_status(&mut self, name: &str) {
        if !self.statuses.iter().any(|s| s.eq_ignore_ascii_case(name)) {
            self.statuses.push(name.to_string());
        }
    }

    /// Resolves an optional email to a user index; an unknown email is an error.
    fn user_ref(&self, email: Option<&str>) -> Result<Option<usize>, String> {
        match email {
            None => Ok(None),
            Some(e) => self
                .user_by_email(e)
                .map(Some)
                .ok_or_else(|| format!("no user '{e}'")),
        }
    }
}

/// The category of a built-in status name.
fn builtin_category(status: &str) -> Option<Category> {
    Category::ALL
        .into_iter()
        .find(|c| c.name().eq_ignore_ascii_case(status))
}

/// Fills in whichever of status name and category is missing from the other.
fn status_pair(status: Option<String>, category: Option<Category>) -> (String, Category) {
    match (status, category) {
        (Some(s), Some(c)) => (s, c),
        (Some(s), None) => {
            let c = builtin_category(&s).unwrap_or(Category::New);
            (s, c)
        }
        (None, Some(c)) => (c.name().to_string(), c),
        (None, None) => (Category::New.name().to_string(), Category::New),
    }
}

/// Parses the number of a key such as `ABC-12`.
pub fn key_number(key: &str) -> Option<u64> {
    key.rsplit_once('-').and_then(|(_, n)| n.parse().ok())
}

/// Parses an admin timestamp: RFC 3339 or Jira's `2024-01-02T03:04:05.000+0000`.
fn parse_time(text: Option<&str>) -> Result<Option<DateTime<Utc>>, String> {
    let Some(text) = text else { return Ok(None) };
    DateTime::parse_from_rfc3339(text)
        .or_else(|_| DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f%z"))
        .map(|t| Some(t.with_timezone(&Utc)))
        .map_err(|_| format!("timestamp '{text}' is neither RFC 3339 nor Jira's format"))
}

/// Formats a time the way Jira does: milliseconds and a `+0000` offset without a colon.
pub fn jira_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3f+0000").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> State {
        let mut s = State::new(Flavor::Cloud);
        s.add_user(NewUser::new("ann@example.com", Some("t")))
            .unwrap();
        s.add_project("ABC", None, None, None).unwrap();
        s.add_project("XYZ", Some("Other".into()), None, None)
            .unwrap();
        s
    }

    fn issue(s: &mut State, project: &str) -> u64 {
        let new = NewIssue {
            project: project.into(),
            ..NewIssue::default()
        };
        s.add_issue(new).unwrap()
    }

    #[test]
    fn ids_start_at_10000_and_keys_count_per_project() {
        let mut s = site();
        let a = issue(&mut s, "ABC");
        let b = issue(&mut s, "XYZ");
        let c = issue(&mut s, "ABC");
        assert_eq!((a, b, c), (10000, 10001, 10002));
        assert_eq!(s.issue(c).unwrap().key, "ABC-2");
        assert_eq!(s.issue(b).unwrap().key, "XYZ-1");
        assert_eq!(s.issue_id("abc-2"), Some(10002));
        assert_eq!(s.issue_id("10001"), Some(10001));
        assert_eq!(s.issue_id("ABC-9"), None);
    }

    #[test]
    fn moved_issue_keeps_its_old_key() {
        let mut s = site();
        let id = issue(&mut s, "ABC");
        let new_key = s.move_issue(id, "XYZ").unwrap();
        assert_eq!(new_key, "XYZ-1");
        assert_eq!(s.issue_id("ABC-1"), Some(id));
        assert_eq!(s.issue_id("XYZ-1"), Some(id));
        assert_eq!(s.issue(id).unwrap().old_keys, vec!["ABC-1".to_string()]);
        // The next ABC issue must not reuse the moved issue's number.
        let next = issue(&mut s, "ABC");
        assert_eq!(s.issue(next).unwrap().key, "ABC-2");
    }

    #[test]
    fn explicit_keys_are_checked_and_advance_the_counter() {
        let mut s = site();
        let new = NewIssue {
            project: "ABC".into(),
            key: Some("ABC-7".into()),
            ..Default::default()
        };
        s.add_issue(new).unwrap();
        let next = issue(&mut s, "ABC");
        assert_eq!(s.issue(next).unwrap().key, "ABC-8");
        let dup = NewIssue {
            project: "ABC".into(),
            key: Some("ABC-7".into()),
            ..Default::default()
        };
        assert!(s.add_issue(dup).is_err());
        let wrong = NewIssue {
            project: "ABC".into(),
            key: Some("XYZ-3".into()),
            ..Default::default()
        };
        assert!(s.add_issue(wrong).is_err());
    }

    #[test]
    fn status_and_category_fill_each_other_in() {
        assert_eq!(status_pair(Some("done".into()), None).1, Category::Done);
        assert_eq!(
            status_pair(None, Some(Category::Indeterminate)).0,
            "In Progress"
        );
        assert_eq!(status_pair(Some("Review".into()), None).1, Category::New);
        assert_eq!(
            Category::parse("in progress"),
            Some(Category::Indeterminate)
        );
        assert_eq!(Category::parse("3"), Some(Category::Done));
        assert_eq!(Category::parse("closed"), None);
    }

    #[test]
    fn patching_status_keeps_name_and_category_consistent() {
        let mut s = site();
        let id = issue(&mut s, "ABC");
        let patch = |json: serde_json::Value| serde_json::from_value::<IssuePatch>(json).unwrap();
        s.patch_issue(id, patch(json!({"status_category": "done"})))
            .unwrap();
        assert_eq!(
            (
                s.issue(id).unwrap().status.as_str(),
                s.issue(id).unwrap().category
            ),
            ("Done", Category::Done)
        );
        s.patch_issue(id, patch(json!({"status": "In Review"})))
            .unwrap();
        assert_eq!(
            s.issue(id).unwrap().category,
            Category::Done,
            "a custom name keeps the category"
        );
        s.patch_issue(id, patch(json!({"status_category": "indeterminate"})))
            .unwrap();
        assert_eq!(s.issue(id).unwrap().status, "In Review");
        s.patch_issue(id, patch(json!({"status": "to do"})))
            .unwrap();
        assert_eq!(s.issue(id).unwrap().category, Category::New);
        s.patch_issue(id, patch(json!({"assignee": "ann@example.com"})))
            .unwrap();
        assert_eq!(s.issue(id).unwrap().assignee, Some(0));
        s.patch_issue(id, patch(json!({"assignee": null}))).unwrap();
        assert_eq!(s.issue(id).unwrap().assignee, None, "null unassigns");
    }

    #[test]
    fn visibility_restricts_by_email() {
        let mut s = site();
        s.add_user(NewUser::new("bob@example.com", None)).unwrap();
        s.set_visibility("ABC", Some(vec!["ANN@example.com".into()]))
            .unwrap();
        assert!(s.project_visible(0, Some(0)));
        assert!(!s.project_visible(0, Some(1)));
        assert!(!s.project_visible(0, None));
        assert!(s.project_visible(1, Some(1)));
    }

    #[test]
    fn unknown_references_are_errors() {
        let mut s = site();
        let bad_user = NewIssue {
            project: "ABC".into(),
            assignee: Some("nobody@example.com".into()),
            ..Default::default()
        };
        assert!(s.add_issue(bad_user).is_err());
        assert!(
            s.add_issue(NewIssue {
                project: "NOPE".into(),
                ..Default::default()
            })
            .is_err()
        );
        assert!(s.add_project("abc", None, None, None).is_err());
        assert!(s.add_user(NewUser::new("ann@example.com", None)).is_err());
    }

    #[test]
    fn jira_time_has_millis_and_no_colon_in_offset() {
        let t = DateTime::parse_from_rfc3339("2026-12-03T14:05:20.974Z").unwrap();
        assert_eq!(
            jira_time(t.with_timezone(&Utc)),
            "2026-12-03T14:05:20.974+0000"
        );
    }
}
