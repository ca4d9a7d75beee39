-- 0002: what opal-jira has learned about Jira projects.
--
-- Why: the link a ticket gets depends on its project's kind (a Jira Service Management
-- ticket links to the customer portal, others to `/browse/KEY`), and a connection from
-- the environment has no saved profile to remember that kind in. Learning it costs
-- round trips (the project, its service desk, a request type for the portal id), so the
-- answer is kept here, per site and project, and `opal-jira doctor` refreshes it.

CREATE TABLE jira_projects (
    site TEXT NOT NULL,
    project_key TEXT NOT NULL,
    project_type TEXT NOT NULL,
    service_desk_id TEXT,
    portal_id TEXT,
    checked_at TEXT NOT NULL,
    PRIMARY KEY (site, project_key)
);
