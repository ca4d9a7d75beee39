//! What opal-jira has learned about Jira projects (their kind, and for Jira Service
//! Management projects their service desk and portal), kept per site and project so
//! that commands need not ask Jira again.

use rusqlite::{OptionalExtension as _, params};

use super::{Db, ProjectFacts, StoreContext as _, column_time, time_text};

impl Db {
    /// What is known about project `key` on `site` (the site's base URL), if anything.
    pub fn project_facts(&self, site: &str, key: &str) -> anyhow::Result<Option<ProjectFacts>> {
        let read = || -> anyhow::Result<Option<ProjectFacts>> {
            Ok(self
                .conn
                .query_row(
                    "SELECT site, project_key, project_type, service_desk_id, portal_id,
                            checked_at
                     FROM jira_projects WHERE site = ?1 AND project_key = ?2",
                    params![site, key],
                    |row| {
                        Ok(ProjectFacts {
                            site: row.get(0)?,
                            project_key: row.get(1)?,
                            project_type: row.get(2)?,
                            service_desk_id: row.get(3)?,
                            portal_id: row.get(4)?,
                            checked_at: column_time(row, 5)?,
                        })
                    },
                )
                .optional()?)
        };
        read().store_context(self, || {
            format!("cannot read what is known about project {key}")
        })
    }

    /// Records (or replaces) what is known about a project.
    pub fn save_project_facts(&self, facts: &ProjectFacts) -> anyhow::Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO jira_projects
                     (site, project_key, project_type, service_desk_id, portal_id, checked_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (site, project_key) DO UPDATE SET
                     project_type = excluded.project_type,
                     service_desk_id = excluded.service_desk_id,
                     portal_id = excluded.portal_id,
                     checked_at = excluded.checked_at",
                params![
                    facts.site,
                    facts.project_key,
                    facts.project_type,
                    facts.service_desk_id,
                    facts.portal_id,
                    time_text(facts.checked_at)?,
                ],
            )?;
            Ok(())
        })
        .store_context(self, || {
            format!(
                "cannot record what is known about project {}",
                facts.project_key
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testutil::time;

    fn facts(site: &str, kind: &str, portal: Option<&str>) -> ProjectFacts {
        ProjectFacts {
            site: site.into(),
            project_key: "OPS".into(),
            project_type: kind.into(),
            service_desk_id: portal.map(|_| "1".into()),
            portal_id: portal.map(String::from),
            checked_at: time("2026-12-03T10:00:00Z"),
        }
    }

    #[test]
    fn facts_are_kept_per_site_and_replaced() -> anyhow::Result<()> {
        let db = Db::open_in_memory()?;
        assert_eq!(db.project_facts("https://a", "OPS")?, None);
        db.save_project_facts(&facts("https://a", "software", None))?;
        db.save_project_facts(&facts("https://b", "service_desk", Some("101")))?;
        assert_eq!(
            db.project_facts("https://a", "OPS")?
                .map(|f| f.project_type),
            Some("software".into())
        );
        let mut changed = facts("https://a", "service_desk", Some("7"));
        changed.checked_at = time("2026-12-04T10:00:00Z");
        db.save_project_facts(&changed)?;
        assert_eq!(db.project_facts("https://a", "OPS")?, Some(changed));
        assert_eq!(
            db.project_facts("https://b", "OPS")?
                .and_then(|f| f.portal_id),
            Some("101".into())
        );
        assert_eq!(db.project_facts("https://a", "DEV")?, None);
        Ok(())
    }
}
