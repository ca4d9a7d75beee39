//! A database that is damaged, not opal-jira's, from a newer version, read-only or
//! locked for long: every command gives a clear error naming the file and what to do,
//! and the file is left as it was.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::{FLAVORS, Run, TestEnv};

/// A database with a resource and a few requests; returns the environment and the
/// file's path.
fn with_database() -> (TestEnv, std::path::PathBuf) {
    let env = TestEnv::new(FLAVORS[0]);
    env.run(&["resources", "add", "db", "--revoke", "true"])
        .success();
    for _ in 0..3 {
        env.run(&["request", "--resource", "db", "--expire", "1h"])
            .success();
    }
    let path = env.db_path();
    (env, path)
}

/// The commands each case runs: reads, a write and a pass.
const COMMANDS: [&[&str]; 5] = [
    &["resources", "list"],
    &["requests", "list"],
    &["log"],
    &["resources", "add", "other", "--revoke", "true"],
    &["reconcile"],
];

/// Runs every command, checks each fails with `code` and `message`, and that the file
/// (and its write-ahead log) were left as they were.
#[track_caller]
fn refused_unchanged(env: &TestEnv, path: &Path, code: i32, message: &str) -> Vec<Run> {
    let before = std::fs::read(path).expect("read the database");
    let runs: Vec<Run> = COMMANDS.iter().map(|args| env.run(args)).collect();
    for (args, run) in COMMANDS.iter().zip(&runs) {
        assert_eq!(run.code, code, "{args:?}: {run:?}");
        assert!(run.stderr.contains(message), "{args:?}: {run:?}");
        assert!(run.stderr.contains(&path.display().to_string()), "{run:?}");
        assert!(run.stderr.contains("hint: "), "{run:?}");
    }
    assert!(
        std::fs::read(path).expect("read again") == before,
        "the file changed"
    );
    let wal = path.with_extension("db-wal");
    assert!(
        std::fs::metadata(&wal).map_or(true, |meta| meta.len() == 0),
        "nothing was logged for later"
    );
    runs
}

#[test]
fn a_damaged_database() {
    let (env, path) = with_database();
    // Keep page 1 (the header and the schema), scribble over every other page.
    let mut bytes = std::fs::read(&path).expect("read");
    for page in bytes.chunks_mut(4096).skip(1) {
        for byte in page.iter_mut().skip(8).step_by(7) {
            *byte = 0xAB;
        }
    }
    std::fs::write(&path, bytes).expect("write");
    let runs = refused_unchanged(
        &env,
        &path,
        1,
        "is damaged (database disk image is malformed)",
    );
    assert!(
        runs[0].stderr.contains("Restore it from a backup"),
        "{:?}",
        runs[0]
    );
}

#[test]
fn a_file_that_is_not_a_database() {
    let env = TestEnv::new(FLAVORS[0]);
    let path = env.db_path();
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
    std::fs::write(&path, "name,revoke\nprod,true\n".repeat(300)).expect("write");
    refused_unchanged(&env, &path, 2, "is not an opal-jira database");
}

#[test]
fn a_database_from_a_newer_version() {
    let (env, path) = with_database();
    let conn = rusqlite::Connection::open(&path).expect("open");
    conn.pragma_update(None, "user_version", 99)
        .expect("set the version");
    drop(conn);
    refused_unchanged(
        &env,
        &path,
        2,
        &format!(
            "was written by a newer opal-jira (schema 99, this build knows {})",
            opal_jira::db::SCHEMA_VERSION
        ),
    );
}

#[test]
fn a_database_this_user_cannot_write() {
    use std::os::unix::fs::PermissionsExt as _;
    let (mut env, _) = with_database();
    // A directory others may enter, holding a copy others may only read.
    let shared = tempfile::tempdir().expect("temp dir");
    std::fs::set_permissions(shared.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let path = shared.path().join("opal-jira.db");
    std::fs::copy(env.db_path(), &path).expect("copy");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    env.set_env("OPAL_JIRA_DB", &path.display().to_string());

    let before = std::fs::read(&path).expect("read");
    for args in COMMANDS {
        let run = run_unprivileged(&env, args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(
            run.stderr.contains(&format!(
                "database `{}` cannot be written by this user",
                path.display()
            )),
            "{run:?}"
        );
        assert!(run.stderr.contains("check the owner and mode"), "{run:?}");
    }
    assert!(std::fs::read(&path).expect("read") == before);
}

/// Runs the binary as an ordinary user: root may write any file, so when the tests run
/// as root the command drops to `nobody` with `setpriv`.
fn run_unprivileged(env: &TestEnv, args: &[&str]) -> Run {
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    let mut command = env.command(args);
    if root {
        let inner = command;
        let mut outer = Command::new("setpriv");
        outer.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]);
        outer.arg(inner.get_program()).args(inner.get_args());
        outer.env_clear();
        for (name, value) in inner.get_envs() {
            if let Some(value) = value {
                outer.env(name, value);
            }
        }
        command = outer;
    }
    let output = command
        .output()
        .expect("run (setpriv is part of util-linux)");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[test]
fn a_database_locked_for_long() {
    let (env, path) = with_database();
    let holder = rusqlite::Connection::open(&path).expect("open");
    holder
        .execute_batch("BEGIN IMMEDIATE; INSERT INTO audit_events (at, kind, actor, message, detail) VALUES ('2026-01-01T00:00:00Z', 'test', 'test', 'held', '{}');")
        .expect("take the write lock");

    // Readers are not blocked by a writer.
    env.run(&["resources", "list"]).success();
    let started = Instant::now();
    let run = env.run(&["resources", "add", "other", "--revoke", "true"]);
    let waited = started.elapsed();
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains(&format!(
            "database `{}` is locked by another process, which held it for more than 10 s",
            path.display()
        )),
        "{run:?}"
    );
    assert!(run.stderr.contains("hint: Try again"), "{run:?}");
    assert!(
        waited >= Duration::from_secs(10) && waited < Duration::from_secs(20),
        "{waited:?}"
    );
    holder.execute_batch("ROLLBACK").expect("release");
    let list = env.json(&["resources", "list"]);
    assert_eq!(
        list.as_array().map(Vec::len),
        Some(1),
        "nothing was added: {list}"
    );
}
