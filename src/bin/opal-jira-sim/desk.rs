//! What a project offers for creating issues, and what Jira Service Management adds.
//!
//! Every project has issue types, each with a create screen (the fields that can be set
//! when creating it). A JSM project (`service_desk`) also has a service desk: its portal,
//! its request types (each based on an issue type) and its customers. A new JSM project
//! comes with opal-jira's whole setup in place (the issue type `Service Request - Opal`,
//! the request type `Access Change - Opal` using it, the request type and reporter fields
//! on its create screen); [`Break`] takes one step of it away, for tests of `doctor` and
//! of the errors a broken setup causes.

use serde::Deserialize;

use crate::state::{Flavor, State};

/// The issue type opal-jira's JSM setup asks for.
pub const OPAL_ISSUE_TYPE: &str = "Service Request - Opal";
/// The request type opal-jira raises requests with.
pub const OPAL_REQUEST_TYPE: &str = "Access Change - Opal";

/// The screen key that stands for JSM's request type custom field, whose id and name
/// differ per flavour (see [`request_type_field`]).
pub const REQUEST_TYPE_FIELD: &str = "requesttype";

/// The fields every issue type's create screen starts with.
const BASE_SCREEN: [&str; 6] = [
    "summary",
    "issuetype",
    "project",
    "description",
    "reporter",
    "assignee",
];

/// The id and the name of the request type custom field: Cloud calls it `Request Type`,
/// Data Center `Customer Request Type`; its id is site-specific.
pub fn request_type_field(flavor: Flavor) -> (&'static str, &'static str) {
    match flavor {
        Flavor::Cloud => ("customfield_10010", "Request Type"),
        Flavor::DataCenter => ("customfield_10101", "Customer Request Type"),
    }
}

/// An issue type a project offers, with the fields of its create screen.
#[derive(Debug, Clone)]
pub struct ProjectIssueType {
    pub type_id: String,
    /// Field keys (`summary`, `reporter`, …, and [`REQUEST_TYPE_FIELD`]).
    pub screen: Vec<String>,
}

/// A customer request type of a service desk.
#[derive(Debug, Clone)]
pub struct RequestType {
    pub id: String,
    pub name: String,
    pub description: String,
    pub issue_type_id: String,
}

/// The service desk of a JSM project.
#[derive(Debug, Clone)]
pub struct Desk {
    pub id: String,
    /// The customer portal's id; deliberately never equal to the desk id, as on many
    /// real sites, so that a client mixing them up builds a wrong link.
    pub portal_id: String,
    pub request_types: Vec<RequestType>,
    /// Users (indexes into `State::users`) added to the desk as customers.
    pub customers: Vec<usize>,
}

/// One step of opal-jira's JSM setup to take away (`POST /_sim/projects/{key}/break`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Break {
    /// The project no longer offers the issue type `Service Request - Opal`.
    NoIssueType,
    /// The request type `Access Change - Opal` is deleted.
    NoRequestType,
    /// The request type is based on `Service Request` instead.
    WrongIssueType,
    /// The request type field is missing from the issue type's create screen.
    NoRequestTypeField,
    /// The reporter field is missing from the issue type's create screen.
    NoReporterField,
}

impl State {
    /// The id of the issue type called `name`, registering it on first use.
    pub fn issue_type_id(&mut self, name: &str) -> String {
        let position = match self
            .issue_type_names
            .iter()
            .position(|n| n.eq_ignore_ascii_case(name))
        {
            Some(position) => position,
            None => {
                self.issue_type_names.push(name.to_string());
                self.issue_type_names.len() - 1
            }
        };
        (10001 + position).to_string()
    }

    /// The name of an issue type id, if it is one.
    pub fn issue_type_name(&self, id: &str) -> Option<&str> {
        let position = id.parse::<usize>().ok()?.checked_sub(10001)?;
        self.issue_type_names.get(position).map(String::as_str)
    }

    /// Gives a new project its issue types and, for JSM, its service desk.
    pub(crate) fn set_up_project(&mut self, index: usize) {
        let screen = |extra: bool| {
            let mut fields: Vec<String> = BASE_SCREEN.iter().map(|f| f.to_string()).collect();
            if extra {
                fields.push(REQUEST_TYPE_FIELD.to_string());
            }
            fields
        };
        if self.projects[index].kind != "service_desk" {
            let types = ["Task", "Bug"]
                .map(|name| ProjectIssueType {
                    type_id: self.issue_type_id(name),
                    screen: screen(false),
                })
                .to_vec();
            self.projects[index].issue_types = types;
            return;
        }

        let plain = self.issue_type_id("Service Request");
        let opal = self.issue_type_id(OPAL_ISSUE_TYPE);
        self.projects[index].issue_types = vec![
            ProjectIssueType {
                type_id: plain.clone(),
                screen: screen(true),
            },
            ProjectIssueType {
                type_id: opal.clone(),
                screen: screen(true),
            },
        ];
        let desks = self.projects.iter().filter(|p| p.desk.is_some()).count() as u64;
        let desk_id = desks + 1;
        let first_type = 11001 + desks * 10;
        self.projects[index].desk = Some(Desk {
            id: desk_id.to_string(),
            portal_id: (desk_id + 100).to_string(),
            request_types: vec![
                RequestType {
                    id: first_type.to_string(),
                    name: "Get IT help".into(),
                    description: "Ask the service desk for help with anything".into(),
                    issue_type_id: plain,
                },
                RequestType {
                    id: (first_type + 1).to_string(),
                    name: OPAL_REQUEST_TYPE.into(),
                    description: "Time-bound access to a resource, granted by opal-jira".into(),
                    issue_type_id: opal,
                },
            ],
            customers: Vec::new(),
        });
    }

    /// Takes one step of the JSM setup away from a project.
    pub fn break_setup(&mut self, key: &str, step: Break) -> Result<(), String> {
        let index = self
            .project_by_key(key)
            .ok_or_else(|| format!("no project '{key}'"))?;
        let opal = self.issue_type_id(OPAL_ISSUE_TYPE);
        let plain = self.issue_type_id("Service Request");
        let project = &mut self.projects[index];
        let desk = project
            .desk
            .as_mut()
            .ok_or_else(|| format!("project '{key}' is not a service desk"))?;
        let request_type = desk
            .request_types
            .iter()
            .position(|rt| rt.name == OPAL_REQUEST_TYPE);
        match step {
            Break::NoIssueType => project.issue_types.retain(|t| t.type_id != opal),
            Break::NoRequestType => {
                if let Some(position) = request_type {
                    desk.request_types.remove(position);
                }
            }
            Break::WrongIssueType => {
                if let Some(position) = request_type {
                    desk.request_types[position].issue_type_id = plain;
                }
            }
            Break::NoRequestTypeField | Break::NoReporterField => {
                let field = match step {
                    Break::NoRequestTypeField => REQUEST_TYPE_FIELD,
                    _ => "reporter",
                };
                for issue_type in &mut project.issue_types {
                    if issue_type.type_id == opal {
                        issue_type.screen.retain(|f| f != field);
                    }
                }
            }
        }
        Ok(())
    }

    /// The project whose service desk has this id.
    pub fn desk_project(&self, desk_id: &str) -> Option<usize> {
        self.projects
            .iter()
            .position(|p| p.desk.as_ref().is_some_and(|d| d.id == desk_id))
    }

    /// The create screen of an issue type in a project, when the project offers it.
    pub fn screen(&self, project: usize, type_id: &str) -> Option<&[String]> {
        self.projects[project]
            .issue_types
            .iter()
            .find(|t| t.type_id == type_id)
            .map(|t| t.screen.as_slice())
    }

    /// Creates a portal-only customer account: no licence, no token. On Cloud it gets a
    /// `qm:` account id; on Data Center its username is its email.
    pub fn add_customer(&mut self, email: &str, display_name: &str) -> Result<usize, String> {
        let n = self.users.len();
        let (account_id, name) = match self.config.flavor {
            Flavor::Cloud => (
                format!("qm:4f1c2b7e-9a3d-4c5e-8f60-1a2b3c4d5e6f:{n:024x}"),
                None,
            ),
            Flavor::DataCenter => (format!("customer-{n}"), Some(email.to_string())),
        };
        let user = crate::state::NewUser {
            email: email.to_string(),
            display_name: Some(display_name.to_string()),
            token: None,
            account_id: Some(account_id),
            name,
            key: None,
            active: true,
            administer: false,
            modify_reporter: false,
            customer: true,
        };
        self.add_user(user)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::NewUser;

    fn site(flavor: Flavor) -> State {
        let mut s = State::new(flavor);
        s.add_user(NewUser::new("ann@example.com", Some("t")))
            .unwrap();
        s.add_project("OPS", None, Some("service_desk".into()), None)
            .unwrap();
        s.add_project("DEV", None, None, None).unwrap();
        s
    }

    #[test]
    fn a_new_service_desk_has_the_whole_opal_setup() {
        let mut s = site(Flavor::Cloud);
        let desk = s.projects[0].desk.clone().unwrap();
        assert_eq!(desk.id, "1");
        assert_ne!(desk.portal_id, desk.id, "portal and desk ids differ");
        let opal = s.issue_type_id(OPAL_ISSUE_TYPE);
        let request_type = desk
            .request_types
            .iter()
            .find(|rt| rt.name == OPAL_REQUEST_TYPE)
            .unwrap();
        assert_eq!(request_type.issue_type_id, opal);
        let screen = s.screen(0, &opal).unwrap();
        assert!(screen.iter().any(|f| f == REQUEST_TYPE_FIELD));
        assert!(screen.iter().any(|f| f == "reporter"));
        assert!(
            s.projects[1].desk.is_none(),
            "software projects have no desk"
        );
        assert_eq!(s.issue_type_name("10001"), Some("Task"));
    }

    #[test]
    fn each_break_takes_one_step_away() {
        let mut s = site(Flavor::DataCenter);
        let opal = s.issue_type_id(OPAL_ISSUE_TYPE);
        s.break_setup("OPS", Break::NoReporterField).unwrap();
        assert!(!s.screen(0, &opal).unwrap().iter().any(|f| f == "reporter"));
        s.break_setup("OPS", Break::WrongIssueType).unwrap();
        let desk = s.projects[0].desk.as_ref().unwrap();
        assert_ne!(desk.request_types[1].issue_type_id, opal);
        s.break_setup("OPS", Break::NoRequestType).unwrap();
        assert_eq!(s.projects[0].desk.as_ref().unwrap().request_types.len(), 1);
        s.break_setup("OPS", Break::NoIssueType).unwrap();
        assert!(s.screen(0, &opal).is_none());
        assert!(s.break_setup("DEV", Break::NoIssueType).is_err());
    }

    #[test]
    fn customers_get_flavour_specific_identities() {
        let mut cloud = site(Flavor::Cloud);
        let c = cloud.add_customer("guest@x.io", "Guest").unwrap();
        assert!(cloud.users[c].account_id.starts_with("qm:"));
        assert!(cloud.users[c].customer && cloud.users[c].token.is_none());
        let mut dc = site(Flavor::DataCenter);
        let c = dc.add_customer("guest@x.io", "Guest").unwrap();
        assert_eq!(dc.users[c].name, "guest@x.io");
        assert!(dc.add_customer("guest@x.io", "Again").is_err());
    }
}
