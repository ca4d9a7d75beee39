//! Creating the ticket for a request (`request --create-ticket`).
//!
//! In a Jira Service Management project it is a customer request of the request type
//! `Access Change - Opal` (whose issue type is `Service Request - Opal`), raised on
//! behalf of the requester so that they are its reporter and follow it in the portal.
//! A requester with no Jira account (a contractor who only uses the portal) first gets
//! a JSM customer account, which is added to the service desk. In any other project it
//! is an issue of type `Task` (or `--issue-type`) with the requester as reporter and
//! assignee.
//!
//! The ticket's id, key and link come from Jira's answer to the create call. Cloud's
//! search is eventually consistent, so the new ticket is never searched for.

use chrono::{DateTime, Utc};

use crate::clock::rfc3339;
use crate::connection::Identity;
use crate::ctx::Ctx;
use crate::db::{TicketRef, kind};
use crate::duration;
use crate::error::UserError;
use crate::jira::{Deployment, JiraClient, JiraError, NewCustomerRequest, NewIssue, User};

use super::links;
use super::project::{self, ProjectInfo};

/// The request type opal-jira raises its JSM requests with.
pub const REQUEST_TYPE: &str = "Access Change - Opal";
/// The issue type that request type must use.
pub const ISSUE_TYPE: &str = "Service Request - Opal";
/// The issue type of tickets created in other projects, unless `--issue-type` says.
pub const DEFAULT_ISSUE_TYPE: &str = "Task";

const DOCTOR_HINT: &str = "`opal-jira doctor` checks the project's setup and your permissions.";

/// Someone the ticket is about: their email, and their Jira account when they have one.
#[derive(Debug, Clone, Copy)]
pub struct Person<'a> {
    pub email: &'a str,
    pub identity: Option<&'a Identity>,
}

/// What the new ticket is for.
#[derive(Debug, Clone)]
pub struct Plan<'a> {
    pub resource: &'a str,
    /// Who gets access (the reporter, and in other projects the assignee).
    pub requester: Person<'a>,
    /// The configured user, who asks.
    pub requested_by: Person<'a>,
    pub now: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub reason: Option<&'a str>,
    /// `--issue-type`, for projects that are not JSM.
    pub issue_type: Option<&'a str>,
}

impl Plan<'_> {
    /// Whether the requester is the configured user (who then needs no on-behalf).
    fn for_self(&self) -> bool {
        self.requester
            .email
            .eq_ignore_ascii_case(self.requested_by.email)
    }
}

/// The new ticket's summary.
pub fn summary(plan: &Plan<'_>) -> String {
    format!("Access to {} for {}", plan.resource, plan.requester.email)
}

/// The new ticket's description: the resource, how long, and why.
pub fn description(plan: &Plan<'_>) -> String {
    let until = match plan.expires_at {
        Some(at) => format!(
            "Duration: {} (until {}, or until this ticket is closed if that comes first).",
            duration::format((at - plan.now).num_seconds()),
            rfc3339(at)
        ),
        None => "Duration: until this ticket is closed.".to_string(),
    };
    [
        format!(
            "{} requested access to {} for {} through opal-jira.",
            plan.requested_by.email, plan.resource, plan.requester.email
        ),
        format!("Resource: {}", plan.resource),
        until,
        format!("Reason: {}", plan.reason.unwrap_or("(none given)")),
    ]
    .join("\n")
}

/// Creates the ticket for a request in the configured project and returns it.
pub fn create(ctx: &Ctx, plan: &Plan<'_>) -> anyhow::Result<TicketRef> {
    let key = ctx.connection()?.project.clone();
    let client = ctx.jira()?;
    let info = project::info(ctx, &key)?;
    if info.is_service_desk() {
        create_request(ctx, client, &info, plan)
    } else {
        create_issue(client, &info, plan)
    }
}

/// Notes in the audit log that request `id`'s ticket was created for it.
pub fn record_created(ctx: &Ctx, id: i64, ticket: &TicketRef) {
    let recorded = ctx.db().and_then(|db| {
        db.record_event(
            Some(id),
            kind::TICKET_CREATED,
            &ctx.actor(),
            &format!("created ticket {} for request {id}", ticket.key),
            serde_json::json!({ "ticket": ticket }),
            ctx.now(),
        )
    });
    if let Err(err) = recorded {
        ctx.ui.warn(&format!(
            "could not record in the audit log that {} was created: {err:#}",
            ticket.key
        ));
    }
}

/// How Jira names a person in bodies: account id on Cloud, username on Data Center.
fn reference(
    deployment: Deployment,
    account_id: Option<&str>,
    name: Option<&str>,
) -> Option<String> {
    match deployment {
        Deployment::Cloud => account_id.map(String::from),
        Deployment::DataCenter => name.map(String::from),
    }
}

fn identity_reference(client: &JiraClient, identity: &Identity) -> Option<String> {
    reference(
        client.deployment(),
        identity.account_id.as_deref(),
        identity.name.as_deref(),
    )
}

fn user_reference(client: &JiraClient, user: &User) -> anyhow::Result<String> {
    reference(
        client.deployment(),
        user.account_id.as_deref(),
        user.name.as_deref(),
    )
    .ok_or_else(|| {
        UserError::failure(format!(
            "Jira sent the account of {} without an account id or username",
            user.display_name
        ))
        .into()
    })
}

/// A failed create call, with Jira's reason underneath.
fn creation_error(project: &str, err: JiraError) -> anyhow::Error {
    anyhow::Error::new(err).context(
        UserError::failure(format!("could not create the ticket in project {project}"))
            .hint(DOCTOR_HINT),
    )
}

fn create_issue(
    client: &JiraClient,
    info: &ProjectInfo,
    plan: &Plan<'_>,
) -> anyhow::Result<TicketRef> {
    let issue_type = plan.issue_type.unwrap_or(DEFAULT_ISSUE_TYPE);
    let Some(requester) = plan
        .requester
        .identity
        .and_then(|identity| identity_reference(client, identity))
    else {
        return Err(UserError::usage(format!(
            "{} has no Jira account, so a ticket in project {} cannot be assigned to them",
            plan.requester.email, info.key
        ))
        .hint("Create the ticket in Jira for someone with an account and pass `--ticket KEY` instead.")
        .into());
    };
    // The caller reports by default; naming them would need Modify Reporter for nothing.
    let reporter = (!plan.for_self()).then_some(requester.as_str());
    let summary = summary(plan);
    let description = description(plan);
    let new = NewIssue {
        project_key: &info.key,
        issue_type,
        summary: &summary,
        description: &description,
        reporter,
        assignee: Some(&requester),
    };
    let created = client
        .create_issue(&new)
        .map_err(|err| creation_error(&info.key, err))?;
    Ok(TicketRef {
        url: client.browse_url(&created.key),
        id: created.id,
        key: created.key,
    })
}

fn create_request(
    ctx: &Ctx,
    client: &JiraClient,
    info: &ProjectInfo,
    plan: &Plan<'_>,
) -> anyhow::Result<TicketRef> {
    if plan.issue_type.is_some() {
        return Err(UserError::usage(format!(
            "--issue-type does not apply to project {}: it is a Jira Service Management project, \
             where tickets are requests of type `{REQUEST_TYPE}`",
            info.key
        ))
        .into());
    }
    let Some(desk) = info.service_desk_id.as_deref() else {
        return Err(UserError::failure(format!(
            "project {} is a Jira Service Management project, but this account cannot see its service desk",
            info.key
        ))
        .hint(DOCTOR_HINT)
        .into());
    };
    let types = client.request_types(desk)?;
    let Some(request_type) = types
        .iter()
        .find(|rt| rt.name.eq_ignore_ascii_case(REQUEST_TYPE))
    else {
        return Err(UserError::failure(format!(
            "the service desk of project {} has no request type `{REQUEST_TYPE}`",
            info.key
        ))
        .hint("A Jira admin creates it; see \"JSM setup\" in the README.")
        .hint(DOCTOR_HINT)
        .into());
    };

    let on_behalf = if plan.for_self() {
        None
    } else {
        Some(requester_reference(ctx, client, info, desk, plan)?)
    };
    let summary = summary(plan);
    let description = description(plan);
    let new = NewCustomerRequest {
        service_desk_id: desk,
        request_type_id: &request_type.id,
        summary: &summary,
        description: &description,
        on_behalf_of: on_behalf.as_deref(),
    };
    let created = client
        .create_customer_request(&new)
        .map_err(|err| creation_error(&info.key, err))?;
    let url = match (
        created.portal_url,
        request_type.portal_id.as_ref().or(info.portal_id.as_ref()),
    ) {
        (Some(url), _) => url,
        (None, Some(portal)) => links::portal_url(client, portal, &created.issue_key),
        (None, None) => client.browse_url(&created.issue_key),
    };
    Ok(TicketRef {
        id: created.issue_id,
        key: created.issue_key,
        url,
    })
}

/// The requester as the service desk API names them, creating a customer account for
/// them (and adding it to the desk) when they have none.
fn requester_reference(
    ctx: &Ctx,
    client: &JiraClient,
    info: &ProjectInfo,
    desk: &str,
    plan: &Plan<'_>,
) -> anyhow::Result<String> {
    let email = plan.requester.email;
    if let Some(found) = plan
        .requester
        .identity
        .and_then(|identity| identity_reference(client, identity))
    {
        // Someone with an account may still be a customer of other service desks only,
        // and a desk that admits only its own customers would refuse the request. Adding
        // them is harmless when they already belong (Jira answers 204 either way); if it
        // is not allowed, the request itself says what is wrong.
        if let Err(err) = client.add_desk_customer(desk, &found) {
            log::info!(
                "could not add {email} to the service desk of {}: {err}",
                info.key
            );
        }
        return Ok(found);
    }
    // Portal-only customers are not in the platform's user search on Cloud; the desk's
    // own customer list has them.
    if let Some(customer) = client.desk_customer(desk, email)? {
        return user_reference(client, &customer);
    }

    let customer = client
        .create_customer(email, email)
        .map_err(|err| customer_error(client, info, email, err))?;
    let person = user_reference(client, &customer)?;
    client.add_desk_customer(desk, &person).map_err(|err| {
        let hint = "Adding customers to a service desk needs its administrator role (the \
                    project's Administrators role); ask a Jira admin to add them under \
                    Customers, then request again.";
        anyhow::Error::new(err).context(
            UserError::failure(format!(
                "created a customer account for {email}, but could not add it to the service desk of project {}",
                info.key
            ))
            .hint(hint),
        )
    })?;
    ctx.ui.status(&format!(
        "Created a Jira Service Management customer account for {email} and added it to the service desk of {}.",
        info.key
    ));
    Ok(person)
}

/// Says exactly what stopped a customer account from being created: the caller's
/// missing permission, or the site's customer signup setting.
fn customer_error(
    client: &JiraClient,
    info: &ProjectInfo,
    email: &str,
    err: JiraError,
) -> anyhow::Error {
    let failed = format!("cannot create a Jira Service Management customer account for {email}");
    let status = err.status();
    if status == Some(409) {
        let user = UserError::failure(format!(
            "{failed}: an account with that email already exists, but this account cannot see it"
        ))
        .hint(format!(
            "Ask a Jira admin to add {email} to the service desk's customers of project {}, then request again.",
            info.key
        ));
        return anyhow::Error::new(err).context(user);
    }
    if !matches!(status, Some(400 | 403)) {
        return anyhow::Error::new(err).context(UserError::failure(failed));
    }
    // Jira's refusal does not say which; the permission can be asked about.
    let admin = client
        .my_permissions(&info.key, &["ADMINISTER"])
        .map(|held| held.get("ADMINISTER").copied().unwrap_or(false));
    let user = match admin {
        Ok(false) => UserError::failure(format!(
            "{failed}: creating customers needs the Jira global permission `Administer Jira` (ADMINISTER), which this account lacks"
        ))
        .hint("Ask a Jira admin to grant it (Jira settings → System → Global permissions), or to create the customer account, then request again."),
        Ok(true) => {
            let setting = match client.deployment() {
                Deployment::Cloud => {
                    "A Jira admin allows it in Settings → Products → Jira Service Management → Customer access (let customers' accounts be created, i.e. signup), or creates the account by hand under Customers."
                }
                Deployment::DataCenter => {
                    "A Jira admin allows it in Jira administration → Applications → Jira Service Management → Configuration → Public signup, or creates the account by hand under Customers."
                }
            };
            UserError::failure(format!(
                "{failed}: the site does not allow new customer accounts (customer signup is turned off)"
            ))
            .hint(setting)
        }
        Err(check) => {
            log::info!("could not check the ADMINISTER permission: {check}");
            UserError::failure(failed).hint(DOCTOR_HINT)
        }
    };
    anyhow::Error::new(err).context(user)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("valid time")
            .with_timezone(&Utc)
    }

    fn plan(expires_at: Option<&str>, reason: Option<&'static str>) -> Plan<'static> {
        Plan {
            resource: "prod-db",
            requester: Person {
                email: "carol@contractor.io",
                identity: None,
            },
            requested_by: Person {
                email: "ana@acme.com",
                identity: None,
            },
            now: at("2026-12-03T10:00:00Z"),
            expires_at: expires_at.map(at),
            reason,
            issue_type: None,
        }
    }

    #[test]
    fn summary_and_description_name_resource_duration_and_reason() {
        let plan = plan(Some("2026-12-03T18:00:00Z"), Some("INC-4 debug"));
        assert_eq!(summary(&plan), "Access to prod-db for carol@contractor.io");
        assert_eq!(
            description(&plan),
            "ana@acme.com requested access to prod-db for carol@contractor.io through opal-jira.\n\
             Resource: prod-db\n\
             Duration: 8h (until 2026-12-03T18:00:00Z, or until this ticket is closed if that comes first).\n\
             Reason: INC-4 debug"
        );
        let open = description(&super::tests::plan(None, None));
        assert!(
            open.contains("Duration: until this ticket is closed."),
            "{open}"
        );
        assert!(open.contains("Reason: (none given)"), "{open}");
    }

    #[test]
    fn self_requests_are_recognized_by_email() {
        let mut plan = plan(None, None);
        assert!(!plan.for_self());
        plan.requester.email = "ANA@acme.com";
        assert!(plan.for_self());
    }

    #[test]
    fn people_are_named_per_deployment() {
        assert_eq!(
            reference(Deployment::Cloud, Some("acc-1"), Some("ana")),
            Some("acc-1".into())
        );
        assert_eq!(
            reference(Deployment::DataCenter, Some("acc-1"), Some("ana")),
            Some("ana".into())
        );
        assert_eq!(reference(Deployment::Cloud, None, Some("ana")), None);
    }
}
