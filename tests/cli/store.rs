//! Where the SQLite file goes and how it is created (`storage.rs` covers the files that
//! cannot be used).

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
