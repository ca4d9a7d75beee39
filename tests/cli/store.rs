//! The SQLite file: created private, refused clearly when it cannot be used, and never
//! modified when it was written by a newer version or is not a database at all.

use std::os::unix::fs::PermissionsExt as _;

use crate::sim::Flavor;
use crate::support::TestEnv;

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777
}

#[test]
fn the_database_and_its_directory_are_created_private() {
    let env = TestEnv::new(Flavor::Cloud);
    env.run(&["resources", "add", "db", "--revoke", "true"])
        .success();
    assert_eq!(mode(&env.db_path()), 0o600);
    assert_eq!(mode(env.db_path().parent().unwrap()), 0o700);
}

#[test]
fn the_default_location_follows_xdg_data_home() {
    let mut env = TestEnv::new(Flavor::Cloud);
    env.unset_env("OPAL_JIRA_DB");
    env.run(&["resources", "add", "db", "--revoke", "true"])
        .success();
    assert!(
        env.path("home/.local/share/opal-jira/opal-jira.db")
            .exists()
    );
}

#[test]
fn a_database_from_a_newer_version_is_refused_and_left_alone() {
    let env = TestEnv::new(Flavor::Cloud);
    env.run(&["resources", "add", "db", "--revoke", "true"])
        .success();
    let conn = rusqlite::Connection::open(env.db_path()).expect("open");
    conn.pragma_update(None, "user_version", 999)
        .expect("set version");
    conn.pragma_update(None, "journal_mode", "DELETE")
        .expect("checkpoint");
    drop(conn);
    let before = std::fs::read(env.db_path()).unwrap();
    for args in [
        &["resources", "list"][..],
        &["reconcile"],
        &["request", "--expire", "1h"],
    ] {
        env.run(args).code(2).stderr_has("newer");
    }
    assert_eq!(
        std::fs::read(env.db_path()).unwrap(),
        before,
        "the file is untouched"
    );
}

#[test]
fn a_file_that_is_not_a_database_is_refused_and_left_alone() {
    let env = TestEnv::new(Flavor::Cloud);
    std::fs::create_dir_all(env.db_path().parent().unwrap()).unwrap();
    std::fs::write(env.db_path(), "these are my notes, not a database\n").unwrap();
    let run = env.run(&["resources", "list"]).code(2);
    assert!(
        run.stderr.contains(&env.db_path().display().to_string()),
        "{run:?}"
    );
    assert_eq!(
        std::fs::read_to_string(env.db_path()).unwrap(),
        "these are my notes, not a database\n"
    );
}
