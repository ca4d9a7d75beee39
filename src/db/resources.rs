//! Resource rows: the things access is granted to, with their grant and revoke commands.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension as _, Row, params};
use serde_json::json;

use super::audit::{NewEvent, insert_event, kind};
use super::{Db, Resource, StoreContext as _, column_time, time_text};
use crate::error::UserError;

const RESOURCE_COLUMNS: &str =
    "name, description, grant_command, revoke_command, max_expire_secs, timeout_secs, created_at";

fn read_resource(row: &Row<'_>) -> rusqlite::Result<Resource> {
    Ok(Resource {
        name: row.get(0)?,
        description: row.get(1)?,
        grant: row.get(2)?,
        revoke: row.get(3)?,
        max_expire_secs: row.get(4)?,
        timeout_secs: row.get(5)?,
        created_at: column_time(row, 6)?,
    })
}

fn find(conn: &Connection, name: &str) -> rusqlite::Result<Option<Resource>> {
    conn.query_row(
        &format!("SELECT {RESOURCE_COLUMNS} FROM resources WHERE name = ?1"),
        [name],
        read_resource,
    )
    .optional()
}

fn names(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut statement = conn.prepare("SELECT name FROM resources ORDER BY name")?;
    let names = statement.query_map([], |row| row.get(0))?;
    names.collect()
}

/// The error for a resource name that does not exist, listing the ones that do.
pub(super) fn unknown_resource(conn: &Connection, name: &str) -> anyhow::Error {
    let known = match names(conn) {
        Ok(known) => known,
        Err(err) => return anyhow::Error::new(err).context(format!("no resource named `{name}`")),
    };
    let hint = if known.is_empty() {
        "No resources exist yet; add one with `opal-jira resources add`.".to_string()
    } else {
        format!("Existing resources: {}.", known.join(", "))
    };
    UserError::usage(format!("no resource named `{name}`"))
        .hint(hint)
        .into()
}

impl Db {
    /// Adds a resource; the name must be new.
    pub fn add_resource(&self, resource: &Resource, actor: &str) -> anyhow::Result<()> {
        self.write(|tx| {
            if find(tx, &resource.name)?.is_some() {
                return Err(UserError::usage(format!(
                    "resource `{}` already exists",
                    resource.name
                ))
                .hint(format!(
                    "Pick another name, or remove it first with `opal-jira resources remove {}`.",
                    resource.name
                ))
                .into());
            }
            tx.execute(
                "INSERT INTO resources
                     (name, description, grant_command, revoke_command, max_expire_secs,
                      timeout_secs, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    resource.name,
                    resource.description,
                    resource.grant,
                    resource.revoke,
                    resource.max_expire_secs,
                    resource.timeout_secs,
                    time_text(resource.created_at)?,
                ],
            )?;
            insert_event(
                tx,
                &NewEvent {
                    at: resource.created_at,
                    request_id: None,
                    kind: kind::RESOURCE_ADDED,
                    actor,
                    message: format!("added resource {}", resource.name),
                    detail: json!({ "resource": resource }),
                },
            )?;
            Ok(())
        })
        .store_context(self, || format!("cannot add resource `{}`", resource.name))
    }

    /// Every resource, by name.
    pub fn resources(&self) -> anyhow::Result<Vec<Resource>> {
        let read = || -> rusqlite::Result<Vec<Resource>> {
            let sql = format!("SELECT {RESOURCE_COLUMNS} FROM resources ORDER BY name");
            let mut statement = self.conn.prepare(&sql)?;
            let resources = statement.query_map([], read_resource)?;
            resources.collect()
        };
        read()
            .map_err(anyhow::Error::from)
            .store_context(self, || "cannot list resources".to_string())
    }

    /// The resource called `name`, if there is one.
    pub fn resource(&self, name: &str) -> anyhow::Result<Option<Resource>> {
        find(&self.conn, name)
            .map_err(anyhow::Error::from)
            .store_context(self, || format!("cannot read resource `{name}`"))
    }

    /// Removes a resource. Refused while requests on it are active: their revoke command
    /// would be lost.
    pub fn remove_resource(
        &self,
        name: &str,
        actor: &str,
        at: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        self.write(|tx| {
            let Some(resource) = find(tx, name)? else {
                return Err(unknown_resource(tx, name));
            };
            let active: i64 = tx.query_row(
                "SELECT count(*) FROM requests WHERE resource = ?1 AND status = 'active'",
                [name],
                |row| row.get(0),
            )?;
            if active > 0 {
                let requests = if active == 1 { "request" } else { "requests" };
                return Err(UserError::usage(format!(
                    "resource `{name}` has {active} active {requests}; revoke them before removing it"
                ))
                .hint(format!(
                    "`opal-jira requests list --resource {name}` lists them and `opal-jira revoke ID` ends each one."
                ))
                .into());
            }
            tx.execute("DELETE FROM resources WHERE name = ?1", [name])?;
            insert_event(
                tx,
                &NewEvent {
                    at,
                    request_id: None,
                    kind: kind::RESOURCE_REMOVED,
                    actor,
                    message: format!("removed resource {name}"),
                    detail: json!({ "resource": resource }),
                },
            )?;
            Ok(())
        })
        .store_context(self, || format!("cannot remove resource `{name}`"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testutil::{active_request, hints, revoke_report, time, usage_message};
    use crate::db::{EventFilter, RevokeReason};

    fn full_resource() -> Resource {
        Resource {
            name: "prod-db".into(),
            description: Some("production database, read-only role".into()),
            grant: Some("db-access grant {requester}".into()),
            revoke: "db-access revoke {requester}".into(),
            max_expire_secs: Some(8 * 3600),
            timeout_secs: 30,
            created_at: time("2026-12-01T09:00:00Z"),
        }
    }

    #[test]
    fn resources_round_trip_sorted_by_name() -> anyhow::Result<()> {
        let db = Db::open_in_memory()?;
        let full = full_resource();
        let minimal = Resource::new(
            "api-keys",
            "keys revoke {requester}",
            time("2026-12-02T09:00:00Z"),
        );
        db.add_resource(&full, "ana@acme.com")?;
        db.add_resource(&minimal, "ana@acme.com")?;

        assert_eq!(db.resources()?, vec![minimal.clone(), full.clone()]);
        assert_eq!(db.resource("prod-db")?, Some(full));
        assert_eq!(db.resource("api-keys")?.map(|r| r.timeout_secs), Some(60));
        assert_eq!(db.resource("nope")?, None);

        let events = db.events(&EventFilter::default())?;
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].kind, "resource_added");
        assert_eq!(events[0].message, "added resource prod-db");
        assert_eq!(events[0].actor, "ana@acme.com");
        assert_eq!(
            events[0].detail["resource"]["revoke"],
            "db-access revoke {requester}"
        );
        Ok(())
    }

    #[test]
    fn a_duplicate_name_is_refused() -> anyhow::Result<()> {
        let db = Db::open_in_memory()?;
        db.add_resource(&full_resource(), "ana")?;
        let err = db
            .add_resource(&full_resource(), "ana")
            .expect_err("duplicate");
        assert_eq!(usage_message(&err), "resource `prod-db` already exists");
        assert_eq!(db.events(&EventFilter::default())?.len(), 1);
        Ok(())
    }

    #[test]
    fn invalid_limits_are_refused_by_the_schema() -> anyhow::Result<()> {
        let db = Db::open_in_memory()?;
        let zero_timeout = Resource {
            timeout_secs: 0,
            ..full_resource()
        };
        assert!(db.add_resource(&zero_timeout, "ana").is_err());
        let negative_expiry = Resource {
            max_expire_secs: Some(-1),
            ..full_resource()
        };
        assert!(db.add_resource(&negative_expiry, "ana").is_err());
        assert!(db.resources()?.is_empty());
        Ok(())
    }

    #[test]
    fn removing_an_unknown_resource_lists_the_known_ones() -> anyhow::Result<()> {
        let db = Db::open_in_memory()?;
        let err = db
            .remove_resource("prod-db", "ana", time("2026-12-03T00:00:00Z"))
            .expect_err("none");
        assert_eq!(usage_message(&err), "no resource named `prod-db`");
        assert!(hints(&err)[0].contains("No resources exist yet"));

        db.add_resource(
            &Resource::new("b-vpn", "x", time("2026-12-01T00:00:00Z")),
            "ana",
        )?;
        db.add_resource(
            &Resource::new("a-db", "x", time("2026-12-01T00:00:00Z")),
            "ana",
        )?;
        let err = db
            .remove_resource("prod-db", "ana", time("2026-12-03T00:00:00Z"))
            .expect_err("unknown");
        assert_eq!(hints(&err), ["Existing resources: a-db, b-vpn."]);
        Ok(())
    }

    #[test]
    fn a_resource_with_active_requests_is_kept() -> anyhow::Result<()> {
        let db = Db::open_in_memory()?;
        db.add_resource(&full_resource(), "ana")?;
        let first = db.insert_request(&active_request("prod-db"))?;
        db.insert_request(&active_request("prod-db"))?;
        let at = time("2026-12-04T12:00:00Z");

        let err = db
            .remove_resource("prod-db", "ana", at)
            .expect_err("active requests");
        assert_eq!(
            usage_message(&err),
            "resource `prod-db` has 2 active requests; revoke them before removing it"
        );
        assert!(db.resource("prod-db")?.is_some());

        // Once nothing is active, history does not stand in the way.
        db.finish_revoke(
            first,
            RevokeReason::Manual,
            at,
            None,
            "ana",
            &revoke_report(),
        )?;
        let err = db
            .remove_resource("prod-db", "ana", at)
            .expect_err("one left");
        assert!(usage_message(&err).contains("has 1 active request;"));
        let second = db.active_requests()?[0].id;
        db.finish_revoke(
            second,
            RevokeReason::Manual,
            at,
            None,
            "ana",
            &revoke_report(),
        )?;
        db.remove_resource("prod-db", "ana", at)?;
        assert_eq!(db.resource("prod-db")?, None);
        assert_eq!(
            db.request(first)?.map(|r| r.resource),
            Some("prod-db".to_string())
        );

        let removed = db.events(&EventFilter::default())?.pop().expect("an event");
        assert_eq!(removed.kind, "resource_removed");
        assert_eq!(removed.message, "removed resource prod-db");
        assert_eq!(removed.at, at);
        assert_eq!(removed.detail["resource"]["name"], "prod-db");
        Ok(())
    }
}
