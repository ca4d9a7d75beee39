//! What kind of project a ticket lives in, learned once and remembered.
//!
//! A ticket's link, and how a ticket is created, depend on whether its project is a Jira
//! Service Management project (`projectTypeKey` `service_desk`). Learning that costs
//! round trips: the project, and for JSM its service desk and a request type (which
//! carries the customer portal's id). So the answer is looked for, cheapest first, in
//! the saved profile (the configured project's type, recorded by `configure`), then in
//! the database (per site and project, for every connection including those from the
//! environment), and only then asked of Jira and written to the database. `doctor`
//! asks Jira again and rewrites both.
//!
//! The database is a cache here: when it cannot be opened, the facts come from Jira
//! and the command goes on.

use anyhow::Context as _;

use crate::ctx::Ctx;
use crate::db::ProjectFacts;
use crate::error::UserError;
use crate::jira::{JiraClient, JiraError};

/// Jira's `projectTypeKey` for Jira Service Management projects.
pub const SERVICE_DESK: &str = "service_desk";

/// What links and ticket creation need to know about a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectInfo {
    pub key: String,
    /// Jira's `projectTypeKey` (`software`, `service_desk`, `business`, …).
    pub project_type: String,
    /// The service desk of a JSM project, when the account can see it.
    pub service_desk_id: Option<String>,
    /// The customer portal of a JSM project, when a request type names it.
    pub portal_id: Option<String>,
}

impl ProjectInfo {
    /// True for Jira Service Management projects.
    pub fn is_service_desk(&self) -> bool {
        self.project_type == SERVICE_DESK
    }
}

impl From<ProjectFacts> for ProjectInfo {
    fn from(facts: ProjectFacts) -> ProjectInfo {
        ProjectInfo {
            key: facts.project_key,
            project_type: facts.project_type,
            service_desk_id: facts.service_desk_id,
            portal_id: facts.portal_id,
        }
    }
}

/// What is known about project `key`, asking Jira only when nothing is remembered.
pub fn info(ctx: &Ctx, key: &str) -> anyhow::Result<ProjectInfo> {
    let connection = ctx.connection()?;
    let key = key.to_ascii_uppercase();
    let profile_type = connection
        .project_type
        .as_deref()
        .filter(|_| key == connection.project);

    // A project that is not JSM needs nothing beyond its kind, which the profile holds.
    if let Some(kind) = profile_type.filter(|kind| *kind != SERVICE_DESK) {
        return Ok(ProjectInfo {
            key,
            project_type: kind.to_string(),
            service_desk_id: None,
            portal_id: None,
        });
    }
    let site = connection.base_url.as_str();
    match ctx.db().and_then(|db| db.project_facts(site, &key)) {
        Ok(Some(facts)) if profile_type.is_none_or(|kind| kind == facts.project_type) => {
            return Ok(facts.into());
        }
        Ok(_) => {}
        Err(err) => log::debug!("not using remembered project facts: {err:#}"),
    }
    refresh(ctx, &key)
}

/// Asks Jira about project `key` and remembers the answer.
pub fn refresh(ctx: &Ctx, key: &str) -> anyhow::Result<ProjectInfo> {
    let client = ctx.jira()?;
    let info = learn(client, key)?.ok_or_else(|| {
        UserError::failure(format!(
            "project {key} does not exist, or this account cannot see it"
        ))
    })?;
    remember(ctx, &info);
    Ok(info)
}

/// Asks Jira: the project, and for JSM its service desk and portal. `None` when the
/// project does not exist or is hidden.
pub fn learn(client: &JiraClient, key: &str) -> Result<Option<ProjectInfo>, JiraError> {
    let Some(project) = client.project(key)? else {
        return Ok(None);
    };
    let mut info = ProjectInfo {
        key: project.key.clone(),
        project_type: project
            .project_type_key
            .clone()
            .unwrap_or_else(|| "software".to_string()),
        service_desk_id: None,
        portal_id: None,
    };
    if info.is_service_desk()
        && let Some(desk) = client.service_desk(&project.key)?
    {
        // Every request type of a desk names the same portal.
        let types = client.request_types(&desk.id)?;
        info.portal_id = types.into_iter().find_map(|rt| rt.portal_id);
        info.service_desk_id = Some(desk.id);
    }
    Ok(Some(info))
}

/// Writes what was learned to the database; a failure there only costs a later
/// round trip, so it is logged, not reported.
pub fn remember(ctx: &Ctx, info: &ProjectInfo) {
    let result = ctx.connection().and_then(|connection| {
        let facts = ProjectFacts {
            site: connection.base_url.as_str().to_string(),
            project_key: info.key.clone(),
            project_type: info.project_type.clone(),
            service_desk_id: info.service_desk_id.clone(),
            portal_id: info.portal_id.clone(),
            checked_at: ctx.now(),
        };
        ctx.db()?
            .save_project_facts(&facts)
            .context("remembering the project's kind")
    });
    if let Err(err) = result {
        log::info!("could not remember project {}: {err:#}", info.key);
    }
}
