//! Opening, migrating and sharing the database file.

use std::fs;
use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;
use std::sync::{Arc, Barrier};
use std::thread;

use super::testutil::{active_request, revoke_report, time, usage_message};
use super::*;
use rusqlite::config::DbConfig;

fn mode(path: &Path) -> u32 {
    fs::metadata(path).expect("metadata").permissions().mode() & 0o777
}

fn pragma<T: rusqlite::types::FromSql>(db: &Db, name: &str) -> T {
    db.conn
        .pragma_query_value(None, name, |row| row.get(0))
        .expect("pragma")
}

fn add_prod_db(db: &Db) -> anyhow::Result<()> {
    db.add_resource(
        &Resource::new(
            "prod-db",
            "revoke {requester}",
            time("2026-12-01T00:00:00Z"),
        ),
        "admin",
    )
}

#[test]
fn a_new_database_is_created_private_and_migrated() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("data/opal-jira/opal-jira.db");
    let db = Db::open(&path)?;

    assert_eq!(db.schema_version()?, SCHEMA_VERSION);
    assert_eq!(db.path(), Some(path.as_path()));
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&dir.path().join("data")), 0o700);
    assert_eq!(mode(&dir.path().join("data/opal-jira")), 0o700);
    assert_eq!(pragma::<String>(&db, "journal_mode"), "wal");
    assert_eq!(pragma::<i64>(&db, "foreign_keys"), 1);
    assert_eq!(pragma::<i64>(&db, "busy_timeout"), 10_000);

    // SQLite's side files take the database's mode.
    add_prod_db(&db)?;
    let wal = path.with_extension("db-wal");
    assert!(wal.exists());
    assert_eq!(mode(&wal), 0o600);
    assert_eq!(mode(&path.with_extension("db-shm")), 0o600);
    Ok(())
}

#[test]
fn existing_directories_and_files_keep_their_modes() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let shared = dir.path().join("shared");
    fs::create_dir(&shared)?;
    fs::set_permissions(&shared, fs::Permissions::from_mode(0o755))?;
    let path = shared.join("opal.db");
    fs::File::create(&path)?.set_permissions(fs::Permissions::from_mode(0o640))?;

    Db::open(&path)?;
    assert_eq!(mode(&shared), 0o755);
    assert_eq!(mode(&path), 0o640);
    Ok(())
}

#[test]
fn reopening_keeps_data_and_changes_nothing() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("opal.db");
    let id = {
        let db = Db::open(&path)?;
        add_prod_db(&db)?;
        db.insert_request(&active_request("prod-db"))?
    };
    let db = Db::open(&path)?;
    assert_eq!(db.schema_version()?, SCHEMA_VERSION);
    assert_eq!(db.resources()?.len(), 1);
    assert_eq!(
        db.request(id)?.map(|r| r.resource).as_deref(),
        Some("prod-db")
    );
    drop(db);
    Db::open(&path)?;
    Ok(())
}

#[test]
fn migrations_are_numbered_files_that_explain_themselves() -> anyhow::Result<()> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/db/migrations");
    let mut names: Vec<String> = fs::read_dir(&dir)?
        .map(|entry| Ok(entry?.file_name().to_string_lossy().into_owned()))
        .collect::<anyhow::Result<_>>()?;
    names.sort();
    assert_eq!(
        names.len(),
        MIGRATIONS.len(),
        "every file is embedded in MIGRATIONS: {names:?}"
    );
    for (index, name) in names.iter().enumerate() {
        let number = format!("{:04}_", index + 1);
        assert!(
            name.starts_with(&number) && name.ends_with(".sql"),
            "{name} should start with {number}"
        );
        let text = fs::read_to_string(dir.join(name))?;
        assert_eq!(text, MIGRATIONS[index], "{name} is embedded in order");
        assert!(text.starts_with("-- "), "{name} opens with a why-comment");
    }
    Ok(())
}

/// Writes an SQLite file by hand, in rollback-journal mode, with the given user_version.
fn foreign_database(path: &Path, user_version: u32, sql: &str) -> anyhow::Result<Vec<u8>> {
    let conn = rusqlite::Connection::open(path)?;
    conn.execute_batch(sql)?;
    conn.pragma_update(None, "user_version", user_version)?;
    drop(conn);
    Ok(fs::read(path)?)
}

fn side_files_absent(path: &Path) -> bool {
    ["db-wal", "db-shm", "db-journal"]
        .iter()
        .all(|ext| !path.with_extension(ext).exists())
}

#[test]
fn a_newer_database_is_refused_untouched() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("opal.db");
    let newer = SCHEMA_VERSION + 1;
    let before = foreign_database(&path, newer, "CREATE TABLE future (x INTEGER);")?;

    let err = Db::open(&path).err().expect("refused");
    assert_eq!(
        usage_message(&err),
        format!(
            "database `{}` was written by a newer opal-jira (schema {newer}, this build knows {SCHEMA_VERSION})",
            path.display()
        )
    );
    assert!(!crate::error::hints(&err).is_empty());
    assert!(
        fs::read(&path)? == before,
        "the file must be byte-identical"
    );
    assert!(side_files_absent(&path));
    Ok(())
}

#[test]
fn a_newer_database_with_an_unmerged_log_is_refused_untouched() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("opal.db");
    let wal = path.with_extension("db-wal");
    // As a newer build might leave it: WAL mode, its last changes still in the log.
    let conn = rusqlite::Connection::open(&path)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
    conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get::<_, String>(0))?;
    conn.pragma_update(None, "wal_autocheckpoint", 0)?;
    conn.execute_batch("CREATE TABLE future (x INTEGER); INSERT INTO future VALUES (1);")?;
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)?;
    drop(conn);
    let (before, wal_before) = (fs::read(&path)?, fs::read(&wal)?);
    assert!(!wal_before.is_empty());

    let err = Db::open(&path).err().expect("refused");
    assert!(usage_message(&err).contains("was written by a newer opal-jira"));
    assert!(
        fs::read(&path)? == before,
        "the database file must be byte-identical"
    );
    assert!(
        fs::read(&wal)? == wal_before,
        "the log must not be merged or dropped"
    );
    Ok(())
}

#[test]
fn a_file_that_is_not_a_database_is_refused_untouched() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("notes.db");
    let text = "these are notes, not a database\n".repeat(64);
    fs::write(&path, &text)?;

    let err = Db::open(&path).err().expect("refused");
    assert_eq!(
        usage_message(&err),
        format!("`{}` is not an opal-jira database", path.display())
    );
    assert!(
        format!("{err:#}").contains("file is not a database"),
        "{err:#}"
    );
    assert_eq!(fs::read_to_string(&path)?, text);
    assert!(side_files_absent(&path));
    Ok(())
}

#[test]
fn another_programs_database_is_refused_untouched() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("other.db");
    let before = foreign_database(&path, 0, "CREATE TABLE contacts (name TEXT);")?;

    let err = Db::open(&path).err().expect("refused");
    assert_eq!(
        usage_message(&err),
        format!(
            "`{}` is an SQLite database, but not an opal-jira one",
            path.display()
        )
    );
    assert!(
        fs::read(&path)? == before,
        "the file must be byte-identical"
    );
    Ok(())
}

#[test]
fn a_directory_in_place_of_the_file_is_an_error_naming_it() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let err = Db::open(dir.path()).err().expect("a directory");
    assert!(
        format!("{err:#}").contains(&dir.path().display().to_string()),
        "{err:#}"
    );
    Ok(())
}

#[test]
fn two_processes_racing_for_a_claim_get_one_winner() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("opal.db");
    let setup = Db::open(&path)?;
    add_prod_db(&setup)?;
    let ids: Vec<i64> = (0..20)
        .map(|_| setup.insert_request(&active_request("prod-db")))
        .collect::<anyhow::Result<_>>()?;

    let barrier = Arc::new(Barrier::new(2));
    let racers: Vec<_> = (0..2u32)
        .map(|n| {
            let (path, ids, barrier) = (path.clone(), ids.clone(), Arc::clone(&barrier));
            thread::spawn(move || -> anyhow::Result<Vec<bool>> {
                let db = Db::open(&path)?;
                let me = Claimant {
                    host: format!("host-{n}"),
                    pid: 1000 + n,
                };
                let lease = chrono::Duration::minutes(5);
                let mut won = Vec::new();
                for id in ids {
                    barrier.wait();
                    won.push(db.claim_revoke(id, &me, time("2026-12-04T01:00:00Z"), lease)?);
                }
                Ok(won)
            })
        })
        .collect();
    let results: Vec<Vec<bool>> = racers
        .into_iter()
        .map(|racer| racer.join().expect("no panic"))
        .collect::<anyhow::Result<_>>()?;
    for (n, id) in ids.iter().enumerate() {
        assert!(
            results[0][n] ^ results[1][n],
            "request {id}: exactly one winner"
        );
        let started = setup
            .events(&EventFilter {
                request_id: Some(*id),
                ..EventFilter::default()
            })?
            .iter()
            .filter(|e| e.kind == kind::REVOKE_STARTED)
            .count();
        assert_eq!(started, 1);
    }
    Ok(())
}

#[test]
fn eight_writers_on_one_new_file_all_succeed() -> anyhow::Result<()> {
    const THREADS: u32 = 8;
    const EACH: usize = 25;
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("nested/opal.db");
    let barrier = Arc::new(Barrier::new(THREADS as usize));

    // All open the same file at once, before it exists: creation and the first
    // migration are contended too.
    let writers: Vec<_> = (0..THREADS)
        .map(|n| {
            let (path, barrier) = (path.clone(), Arc::clone(&barrier));
            thread::spawn(move || -> anyhow::Result<usize> {
                barrier.wait();
                let db = Db::open(&path)?;
                let name = format!("res-{n}");
                db.add_resource(
                    &Resource::new(&name, "revoke", time("2026-12-01T00:00:00Z")),
                    "admin",
                )?;
                let me = Claimant {
                    host: "host".into(),
                    pid: 5000 + n,
                };
                let lease = chrono::Duration::minutes(5);
                let at = time("2026-12-04T01:00:00Z");
                let mut revoked = 0;
                for i in 0..EACH {
                    let id = db.insert_request(&active_request(&name))?;
                    db.mark_granted(id, None, at)?;
                    if i % 2 == 0 && db.claim_revoke(id, &me, at, lease)? {
                        db.finish_revoke(
                            id,
                            RevokeReason::Expired,
                            at,
                            None,
                            "reconcile",
                            &revoke_report(),
                        )?;
                        revoked += 1;
                    }
                }
                Ok(revoked)
            })
        })
        .collect();
    let mut revoked = 0;
    for writer in writers {
        revoked += writer.join().expect("no panic")?;
    }

    let db = Db::open(&path)?;
    let all = db.list_requests(&RequestFilter {
        all: true,
        ..RequestFilter::default()
    })?;
    assert_eq!(all.len(), THREADS as usize * EACH);
    assert_eq!(revoked, THREADS as usize * EACH.div_ceil(2));
    assert_eq!(db.active_requests()?.len(), all.len() - revoked);
    assert_eq!(db.resources()?.len(), THREADS as usize);
    Ok(())
}
