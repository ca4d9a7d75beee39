//! Where a person opens a ticket.
//!
//! For a Jira Service Management project that is the customer portal: the requester is
//! often a customer who cannot open the agent view at all. For any other project it is
//! `<site>/browse/<KEY>`.
//!
//! One ticket (`tickets show`, `request --ticket`, `requests bind`, a ticket that moved)
//! gets the request's own `_links.web` from `GET servicedeskapi/request/{id}`: one call,
//! and exactly the link Jira gives its customers. Many tickets at once (`tickets
//! search`) get links built as `<site>/servicedesk/customer/portal/<portalId>/<KEY>`
//! from the project's portal id, which is remembered (see [`super::project`]), so a
//! search costs no request per ticket. An issue in a JSM project that is not a customer
//! request has no `_links.web`; it gets the built link too.

use crate::ctx::Ctx;
use crate::jira::{Issue, JiraClient};

use super::project::{self, ProjectInfo};

/// The link for one ticket.
pub fn ticket_url(ctx: &Ctx, issue: &Issue) -> anyhow::Result<String> {
    let client = ctx.jira()?;
    let info = project::info(ctx, &issue.project_key)?;
    if !info.is_service_desk() {
        return Ok(client.browse_url(&issue.key));
    }
    if let Some(request) = client.customer_request(&issue.id)?
        && let Some(url) = request.portal_url
    {
        return Ok(url);
    }
    Ok(built_url(client, &info, &issue.key))
}

/// The links for many tickets, in order, without a request per ticket when their
/// project's portal is known.
pub fn ticket_urls(ctx: &Ctx, issues: &[Issue]) -> anyhow::Result<Vec<String>> {
    let client = ctx.jira()?;
    let mut infos: Vec<ProjectInfo> = Vec::new();
    let mut urls = Vec::with_capacity(issues.len());
    for issue in issues {
        let known = infos.iter().position(|info| info.key == issue.project_key);
        let index = match known {
            Some(index) => index,
            None => {
                infos.push(project::info(ctx, &issue.project_key)?);
                infos.len() - 1
            }
        };
        let info = &infos[index];
        let url = if !info.is_service_desk() {
            client.browse_url(&issue.key)
        } else if info.portal_id.is_some() {
            built_url(client, info, &issue.key)
        } else {
            ticket_url(ctx, issue)?
        };
        urls.push(url);
    }
    Ok(urls)
}

/// The portal link built from the project's portal id. Without one (no request type the
/// account can see), the browse link is all there is.
fn built_url(client: &JiraClient, info: &ProjectInfo, key: &str) -> String {
    match &info.portal_id {
        Some(portal) => portal_url(client, portal, key),
        None => {
            log::warn!(
                "no customer portal is known for project {}; linking {key} to the agent view",
                info.key
            );
            client.browse_url(key)
        }
    }
}

/// `<site>/servicedesk/customer/portal/<portal>/<KEY>`, the address of a request in
/// the customer portal.
pub fn portal_url(client: &JiraClient, portal_id: &str, key: &str) -> String {
    let site = client.base_url().as_str().trim_end_matches('/');
    format!("{site}/servicedesk/customer/portal/{portal_id}/{key}")
}
