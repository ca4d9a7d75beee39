//! The committed shell completions (`completions/`) and man pages (`man/`) are generated
//! from the command tree; this test fails when they drift from it.
//!
//! To rewrite them after changing the CLI:
//!
//! ```sh
//! OPAL_JIRA_UPDATE_DOCS=1 cargo test --test cli docs::
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::ValueEnum as _;
use clap_complete::{Generator as _, Shell};

use crate::sim::Flavor;
use crate::support::TestEnv;

const UPDATE_VAR: &str = "OPAL_JIRA_UPDATE_DOCS";

/// Every generated file, by path relative to the repository root.
fn generated() -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    for shell in Shell::value_variants() {
        let mut command = opal_jira::cli::command();
        let mut script = Vec::new();
        clap_complete::generate(*shell, &mut command, "opal-jira", &mut script);
        files.insert(
            Path::new("completions").join(shell.file_name("opal-jira")),
            script,
        );
    }
    let mut root = opal_jira::cli::command();
    root.build();
    add_man_pages(&root, "opal-jira", &mut files);
    files
}

fn add_man_pages(command: &clap::Command, name: &str, files: &mut BTreeMap<PathBuf, Vec<u8>>) {
    let mut page = Vec::new();
    let bin_name = format!(
        "opal-jira{}",
        name.strip_prefix("opal-jira")
            .unwrap_or(name)
            .replace('-', " ")
    );
    let named = command
        .clone()
        .display_name(name.to_string())
        .bin_name(bin_name);
    clap_mangen::Man::new(named)
        .render(&mut page)
        .expect("render a man page");
    files.insert(Path::new("man").join(format!("{name}.1")), page);
    for sub in command
        .get_subcommands()
        .filter(|sub| !sub.is_hide_set() && sub.get_name() != "help")
    {
        add_man_pages(sub, &format!("{name}-{}", sub.get_name()), files);
    }
}

fn committed(root: &Path, dir: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| Path::new(dir).join(entry.file_name()))
        .collect();
    paths.sort();
    paths
}

#[test]
fn completions_and_man_pages_match_the_cli() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = generated();
    let update = std::env::var_os(UPDATE_VAR).is_some();
    let mut problems = Vec::new();

    for dir in ["completions", "man"] {
        for path in committed(root, dir) {
            if !files.contains_key(&path) {
                if update {
                    std::fs::remove_file(root.join(&path)).expect("remove a stale file");
                } else {
                    problems.push(format!("{} is no longer generated", path.display()));
                }
            }
        }
    }
    for (path, content) in &files {
        let full = root.join(path);
        if std::fs::read(&full).ok().as_deref() == Some(content.as_slice()) {
            continue;
        }
        if update {
            std::fs::create_dir_all(full.parent().expect("a parent")).expect("create dir");
            std::fs::write(&full, content).expect("write a generated file");
        } else {
            problems.push(format!("{} is missing or out of date", path.display()));
        }
    }
    assert!(
        problems.is_empty(),
        "{}\nrun `{UPDATE_VAR}=1 cargo test --test cli docs::` to rewrite them",
        problems.join("\n")
    );
    assert!(
        files
            .keys()
            .any(|path| path.ends_with("opal-jira-requests-bind.1"))
    );
    assert!(files.len() > 20);
}

#[test]
fn the_completions_command_prints_the_committed_script() {
    let env = TestEnv::new(Flavor::Cloud);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let printed = env.run(&["completions", "fish"]).success().stdout;
    let committed =
        std::fs::read_to_string(root.join("completions/opal-jira.fish")).expect("committed");
    assert_eq!(printed, committed);
}

#[test]
fn shells_complete_resource_names_and_request_ids() {
    let mut env = TestEnv::new(Flavor::Cloud);
    env.run(&[
        "resources",
        "add",
        "prod-db",
        "--revoke",
        "true",
        "--description",
        "Production",
    ])
    .success();
    env.run(&["resources", "add", "bastion", "--revoke", "true"])
        .success();
    let id = env.json(&["request", "--resource", "bastion", "--expire", "1h"])["id"].to_string();
    let ended = env.json(&["request", "--resource", "bastion", "--expire", "1h"])["id"].to_string();
    env.run(&["revoke", &ended]).success();

    let complete = |env: &mut TestEnv, words: &[&str]| -> Vec<String> {
        env.set_env("COMPLETE", "bash");
        env.set_env("_CLAP_COMPLETE_INDEX", &(words.len() - 1).to_string());
        env.set_env("_CLAP_COMPLETE_COMP_TYPE", "9");
        env.set_env("_CLAP_COMPLETE_SPACE", "true");
        env.set_env("_CLAP_IFS", "\n");
        let mut args = vec!["--"];
        args.extend_from_slice(words);
        let run = env.run(&args).success();
        run.stdout.lines().map(str::to_string).collect()
    };
    assert_eq!(
        complete(&mut env, &["opal-jira", "request", "--resource", ""]),
        ["bastion", "prod-db"]
    );
    // Ids come first (flags follow), and only active requests are offered.
    for words in [
        &["opal-jira", "revoke", ""][..],
        &["opal-jira", "requests", "show", ""],
    ] {
        let offered = complete(&mut env, words);
        assert_eq!(offered[0], id, "{offered:?}");
        assert!(!offered.contains(&ended), "{offered:?}");
    }
    // Completing never creates a database.
    env.set_env("OPAL_JIRA_DB", &env.path("none/db").display().to_string());
    assert!(complete(&mut env, &["opal-jira", "request", "--resource", ""]).is_empty());
    assert!(!env.path("none").exists());
}
