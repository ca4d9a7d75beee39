//! The Jira Service Management part of `doctor`: each step of the setup that
//! `request --create-ticket` relies on in a JSM project.
//!
//! 1. the account sees the project's service desk;
//! 2. the issue type `Service Request - Opal` is offered by the project;
//! 3. the request type `Access Change - Opal` exists,
//! 4. and is based on that issue type;
//! 5. the issue type's create screen has the request type field (`Request Type` on
//!    Cloud, `Customer Request Type` on Data Center)
//! 6. and the `Reporter` field (requests are raised on behalf of the requester);
//! 7. the account may create customer accounts (the `Administer Jira` global
//!    permission), for requesters who have no Jira account;
//! 8. whether the site allows new customer accounts at all (its signup setting), which
//!    Jira's REST API does not expose: reported as `info`, never guessed.

use std::collections::HashMap;

use crate::jira::{Deployment, FieldMeta, JiraClient, JiraError, RequestType};
use crate::ticketing::create::{ISSUE_TYPE, REQUEST_TYPE};
use crate::ticketing::project::ProjectInfo;

use super::{Check, Report, fix_for};

/// The JSM checks after the service desk, in order, for skipping.
const AFTER_DESK: [&str; 7] = [
    "issue_type",
    "request_type",
    "request_type_issue_type",
    "request_type_field",
    "reporter_field",
    "customer_accounts",
    "customer_signup",
];

const RETRY: &str = "Try again; if it persists, check Jira's status.";

/// Runs the JSM checks for a JSM project.
pub fn run(
    client: &JiraClient,
    info: &ProjectInfo,
    permissions: &Result<HashMap<String, bool>, JiraError>,
    report: &mut Report,
) {
    let key = &info.key;
    let Some(desk) = info.service_desk_id.as_deref() else {
        report.push(Check::fail(
            "service_desk",
            format!("the account cannot see the service desk of project {key}"),
            format!(
                "Make the account an agent of project {key}'s service desk (Project settings → People: the Service Desk Team role)."
            ),
        ));
        report.skip_all(&AFTER_DESK, "needs the service desk");
        return;
    };
    let portal = info
        .portal_id
        .as_deref()
        .map(|portal| format!(", customer portal {portal}"))
        .unwrap_or_default();
    report.push(Check::pass(
        "service_desk",
        format!("service desk {desk}{portal}"),
    ));

    let issue_type = check_issue_type(client, key, report);
    let request_type = check_request_type(client, key, desk, report);
    check_request_type_issue_type(
        client,
        key,
        issue_type.as_ref(),
        request_type.as_ref(),
        report,
    );

    // The create screen that matters is the issue type's; without the issue type there
    // is none to look at.
    match &issue_type {
        Some((type_id, _)) => check_screen(client, key, type_id, report),
        None => report.skip_all(
            &["request_type_field", "reporter_field"],
            "needs the issue type",
        ),
    }
    report.push(check_customer_accounts(permissions));
    report.push(customer_signup(client.deployment()));
}

/// Step 2: the issue type is offered. Returns its id and name.
fn check_issue_type(
    client: &JiraClient,
    key: &str,
    report: &mut Report,
) -> Option<(String, String)> {
    const NAME: &str = "issue_type";
    match client.create_meta_issue_types(key) {
        Ok(types) => match types
            .into_iter()
            .find(|t| t.name.eq_ignore_ascii_case(ISSUE_TYPE))
        {
            Some(found) => {
                report.push(Check::pass(
                    NAME,
                    format!(
                        "issue type `{}` (id {}) is offered in {key}",
                        found.name, found.id
                    ),
                ));
                Some((found.id, found.name))
            }
            None => {
                report.push(Check::fail(
                    NAME,
                    format!("project {key} does not offer the issue type `{ISSUE_TYPE}`"),
                    format!(
                        "A Jira admin creates the issue type `{ISSUE_TYPE}` (Jira settings → Issues → Issue types) and adds it to project {key}'s issue type scheme."
                    ),
                ));
                None
            }
        },
        Err(err) => {
            report.push(Check::fail(NAME, err.to_string(), fix_for(&err, RETRY)));
            None
        }
    }
}

/// Step 3: the request type exists.
fn check_request_type(
    client: &JiraClient,
    key: &str,
    desk: &str,
    report: &mut Report,
) -> Option<RequestType> {
    const NAME: &str = "request_type";
    match client.request_types(desk) {
        Ok(types) => match types
            .into_iter()
            .find(|rt| rt.name.eq_ignore_ascii_case(REQUEST_TYPE))
        {
            Some(found) => {
                report.push(Check::pass(
                    NAME,
                    format!("request type `{}` (id {}) exists", found.name, found.id),
                ));
                Some(found)
            }
            None => {
                report.push(Check::fail(
                    NAME,
                    format!("the service desk of {key} has no request type `{REQUEST_TYPE}`"),
                    format!(
                        "In project {key}: Project settings → Request types → Create request type `{REQUEST_TYPE}`, based on the issue type `{ISSUE_TYPE}`."
                    ),
                ));
                None
            }
        },
        Err(err) => {
            report.push(Check::fail(NAME, err.to_string(), fix_for(&err, RETRY)));
            None
        }
    }
}

/// Step 4: the request type is based on the issue type.
fn check_request_type_issue_type(
    client: &JiraClient,
    key: &str,
    issue_type: Option<&(String, String)>,
    request_type: Option<&RequestType>,
    report: &mut Report,
) {
    const NAME: &str = "request_type_issue_type";
    let (Some((type_id, _)), Some(request_type)) = (issue_type, request_type) else {
        report.push(Check::skip(
            NAME,
            "needs both the issue type and the request type",
        ));
        return;
    };
    if &request_type.issue_type_id == type_id {
        report.push(Check::pass(
            NAME,
            format!("`{REQUEST_TYPE}` creates issues of type `{ISSUE_TYPE}`"),
        ));
        return;
    }
    // Name the issue type it does use, when the project offers it.
    let used = client
        .create_meta_issue_types(key)
        .ok()
        .and_then(|types| {
            types
                .into_iter()
                .find(|t| t.id == request_type.issue_type_id)
                .map(|t| format!("`{}`", t.name))
        })
        .unwrap_or_else(|| format!("the issue type with id {}", request_type.issue_type_id));
    report.push(Check::fail(
        NAME,
        format!("`{REQUEST_TYPE}` creates issues of {used}, not `{ISSUE_TYPE}`"),
        format!(
            "In project {key}: Project settings → Request types → `{REQUEST_TYPE}`: base it on the issue type `{ISSUE_TYPE}` (recreate it on that issue type if Jira does not let you change it)."
        ),
    ));
}

/// The names each deployment gives the request type field.
fn request_type_field_name(deployment: Deployment) -> &'static str {
    match deployment {
        Deployment::Cloud => "Request Type",
        Deployment::DataCenter => "Customer Request Type",
    }
}

/// Steps 5 and 6: the request type and reporter fields are on the create screen.
fn check_screen(client: &JiraClient, key: &str, type_id: &str, report: &mut Report) {
    let fields = match client.create_meta_fields(key, type_id) {
        Ok(fields) => fields,
        Err(err) => {
            let fix = fix_for(&err, RETRY);
            report.push(Check::fail(
                "request_type_field",
                err.to_string(),
                fix.clone(),
            ));
            report.push(Check::fail("reporter_field", err.to_string(), fix));
            return;
        }
    };
    let screen_fix = |field: &str| {
        format!(
            "A Jira admin adds the `{field}` field to the create screen of issue type `{ISSUE_TYPE}` in project {key} (Project settings → Issue types → `{ISSUE_TYPE}`, or Jira settings → Issues → Screens)."
        )
    };
    let expected = request_type_field_name(client.deployment());
    // Either name is accepted: sites migrated between deployments keep the old one.
    let request_type_field = fields.iter().find(|f| {
        f.name.eq_ignore_ascii_case(expected)
            || f.name.eq_ignore_ascii_case("Request Type")
            || f.name.eq_ignore_ascii_case("Customer Request Type")
    });
    report.push(match request_type_field {
        Some(field) => Check::pass(
            "request_type_field",
            format!(
                "`{}` ({}) is on the create screen",
                field.name, field.field_id
            ),
        ),
        None => Check::fail(
            "request_type_field",
            format!("the create screen of `{ISSUE_TYPE}` lacks the `{expected}` field"),
            screen_fix(expected),
        ),
    });
    let reporter = fields.iter().any(|f: &FieldMeta| f.field_id == "reporter");
    report.push(if reporter {
        Check::pass("reporter_field", "`Reporter` is on the create screen")
    } else {
        Check::fail(
            "reporter_field",
            format!("the create screen of `{ISSUE_TYPE}` lacks the `Reporter` field, so requests cannot be raised on someone's behalf"),
            screen_fix("Reporter"),
        )
    });
}

/// Step 7: the account may create customer accounts.
fn check_customer_accounts(permissions: &Result<HashMap<String, bool>, JiraError>) -> Check {
    const NAME: &str = "customer_accounts";
    match permissions {
        Ok(held) if held.get("ADMINISTER").copied().unwrap_or(false) => Check::pass(
            NAME,
            "the account holds `Administer Jira`, so it can create customer accounts for requesters without one",
        ),
        Ok(_) => Check::fail(
            NAME,
            "the account lacks the global permission `Administer Jira` (ADMINISTER): `request --create-ticket --for` someone without a Jira account will fail",
            "A Jira admin grants it (Jira settings → System → Global permissions), or creates each requester's customer account by hand under the service desk's Customers.",
        ),
        Err(err) => Check::fail(NAME, err.to_string(), fix_for(err, RETRY)),
    }
}

/// Step 8: the site's signup setting, which cannot be read.
fn customer_signup(deployment: Deployment) -> Check {
    let place = match deployment {
        Deployment::Cloud => "Settings → Products → Jira Service Management → Customer access",
        Deployment::DataCenter => {
            "Jira administration → Applications → Jira Service Management → Configuration → Public signup"
        }
    };
    Check::info(
        "customer_signup",
        format!(
            "not checked: Jira's REST API does not expose whether new customer accounts are allowed; if they are not, creating one fails and opal-jira says so. The setting is under {place}"
        ),
    )
}
