//! The crontab line and the systemd units in the README are checked, so that an admin
//! who copies them gets something that runs: the cron schedule is parsed field by field,
//! the units go through `systemd-analyze verify`, and the opal-jira command lines in
//! both are parsed by the real command tree.

use std::path::Path;

/// The code blocks of the README with the given info string.
fn blocks(kind: &str) -> Vec<String> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("read README.md");
    let mut found = Vec::new();
    let mut current: Option<String> = None;
    for line in readme.lines() {
        match &mut current {
            None if line.trim() == format!("```{kind}") => current = Some(String::new()),
            Some(block) if line.trim() == "```" => {
                found.push(std::mem::take(block));
                current = None;
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None => {}
        }
    }
    found
}

/// Checks one cron time field: `*`, numbers, ranges, lists and steps within bounds.
fn cron_field_ok(field: &str, min: u32, max: u32) -> bool {
    field.split(',').all(|item| {
        let (range, step) = match item.split_once('/') {
            Some((range, step)) => (range, Some(step)),
            None => (item, None),
        };
        let step_ok = step.is_none_or(|step| step.parse::<u32>().is_ok_and(|n| n >= 1 && n <= max));
        let in_bounds = |text: &str| text.parse::<u32>().is_ok_and(|n| (min..=max).contains(&n));
        let range_ok = range == "*"
            || match range.split_once('-') {
                Some((low, high)) => {
                    in_bounds(low)
                        && in_bounds(high)
                        && low.parse::<u32>().ok() <= high.parse::<u32>().ok()
                }
                None => in_bounds(range),
            };
        step_ok && range_ok
    })
}

/// The opal-jira arguments of a command line, checked against the CLI.
#[track_caller]
fn assert_opal_jira_command(words: &[&str]) {
    let start = words
        .iter()
        .position(|word| word.ends_with("/opal-jira"))
        .expect("an opal-jira command");
    let args = words[start..].iter().map(|word| word.to_string());
    if let Err(err) = opal_jira::cli::command().try_get_matches_from(args) {
        panic!("the example command does not parse: {err}");
    }
}

#[test]
fn the_crontab_example_is_valid() {
    let cron = blocks("cron");
    assert_eq!(cron.len(), 1, "one crontab example");
    let lines: Vec<&str> = cron[0]
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .collect();
    assert!(!lines.is_empty());
    let bounds = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)];
    for line in lines {
        let words: Vec<&str> = line.split_whitespace().collect();
        assert!(words.len() > 5, "{line}");
        for (field, (min, max)) in words[..5].iter().zip(bounds) {
            assert!(
                cron_field_ok(field, min, max),
                "bad cron field `{field}` in: {line}"
            );
        }
        assert!(
            words[5..]
                .iter()
                .take_while(|word| !word.starts_with('/'))
                .all(|word| word.contains('=')),
            "{line}"
        );
        assert_opal_jira_command(&words);
    }
    assert!(
        !cron_field_ok("*/0", 0, 59) && !cron_field_ok("61", 0, 59) && !cron_field_ok("5-1", 0, 59)
    );
}

#[test]
fn the_systemd_units_verify() {
    let ini = blocks("ini");
    assert_eq!(ini.len(), 1, "one block with the systemd units");
    let dir = tempfile::tempdir().expect("temp dir");
    let mut units = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in ini[0].lines() {
        if let Some(path) = line.strip_prefix("# /etc/systemd/system/") {
            units.extend(current.take());
            current = Some((path.trim().to_string(), String::new()));
        } else if let Some((_, text)) = &mut current {
            // `verify` insists that the program exists: point it at the built binary.
            text.push_str(
                &line.replace("/usr/local/bin/opal-jira", env!("CARGO_BIN_EXE_opal-jira")),
            );
            text.push('\n');
        }
    }
    units.extend(current);
    let names: Vec<&str> = units.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        ["opal-jira-reconcile.service", "opal-jira-reconcile.timer"]
    );

    for (name, text) in &units {
        std::fs::write(dir.path().join(name), text).expect("write unit");
        if let Some(exec) = text
            .lines()
            .find_map(|line| line.strip_prefix("ExecStart="))
        {
            assert_opal_jira_command(&exec.split_whitespace().collect::<Vec<_>>());
        }
    }
    let output = std::process::Command::new("systemd-analyze")
        .args(["verify", "--man=no"])
        .args(units.iter().map(|(name, _)| dir.path().join(name)))
        .output()
        .expect("systemd-analyze (from the systemd package) runs");
    assert!(
        output.status.success(),
        "systemd-analyze verify failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
