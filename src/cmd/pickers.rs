//! The prompts of an interactive `request`: a fuzzy picker for the resource, one for
//! the ticket, a choice of expiry, and a confirmation. Only called when prompting is
//! allowed (`Ui::can_prompt`); every prompt has a flag that replaces it.

use chrono::{DateTime, Utc};
use dialoguer::{Confirm, FuzzySelect, Input, Select};

use crate::db::Resource;
use crate::duration;
use crate::error::UserError;
use crate::jira::Issue;

/// Durations offered for the expiry, shortest first.
const PRESETS: [i64; 5] = [3_600, 4 * 3_600, 8 * 3_600, 86_400, 7 * 86_400];

fn cancelled() -> anyhow::Error {
    UserError::failure("cancelled: nothing was requested").into()
}

/// Picks one resource; a single resource is taken without asking.
pub fn resource(mut resources: Vec<Resource>) -> anyhow::Result<Resource> {
    if resources.len() <= 1 {
        return resources.pop().ok_or_else(|| {
            UserError::usage("no resources are registered")
                .hint("An admin adds one with `opal-jira resources add NAME --revoke CMD`.")
                .into()
        });
    }
    let items: Vec<String> = resources
        .iter()
        .map(|resource| match &resource.description {
            Some(description) => format!("{}  {}", resource.name, crate::ui::sanitize(description)),
            None => resource.name.clone(),
        })
        .collect();
    let chosen = FuzzySelect::new()
        .with_prompt("Resource (type to filter)")
        .items(&items)
        .default(0)
        .interact_opt()?
        .ok_or_else(cancelled)?;
    Ok(resources.swap_remove(chosen))
}

/// Picks one of the given tickets, or none.
pub fn ticket(issues: &[Issue]) -> anyhow::Result<Option<String>> {
    let mut items = vec!["No ticket".to_string()];
    items.extend(issues.iter().map(|issue| {
        format!(
            "{}  {}  [{}]",
            issue.key,
            crate::ui::sanitize(&issue.summary),
            issue.status
        )
    }));
    let chosen = FuzzySelect::new()
        .with_prompt("Ticket (type to filter)")
        .items(&items)
        .default(if issues.is_empty() { 0 } else { 1 })
        .interact_opt()?
        .ok_or_else(cancelled)?;
    Ok(chosen.checked_sub(1).map(|index| issues[index].key.clone()))
}

/// Chooses how long access lasts: presets within the resource's maximum, the maximum
/// itself, "until the ticket closes" (bound requests without a maximum), or a typed
/// duration. `None` means indefinite.
pub fn expiry(
    resource: &Resource,
    bound: bool,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<DateTime<Utc>>> {
    let max = resource.max_expire_secs;
    let mut choices: Vec<(String, Option<i64>)> = PRESETS
        .iter()
        .filter(|seconds| max.is_none_or(|max| **seconds <= max))
        .map(|seconds| (duration::format(*seconds), Some(*seconds)))
        .collect();
    if let Some(max) = max.filter(|max| !PRESETS.contains(max)) {
        choices.push((
            format!("{} (the maximum)", duration::format(max)),
            Some(max),
        ));
    }
    if bound && max.is_none() {
        choices.push(("until the ticket closes".to_string(), None));
    }
    let mut items: Vec<&str> = choices.iter().map(|(label, _)| label.as_str()).collect();
    items.push("another duration…");
    let default = choices
        .iter()
        .position(|(_, seconds)| *seconds == Some(8 * 3_600))
        .unwrap_or(0);
    let chosen = Select::new()
        .with_prompt("Access for")
        .items(&items)
        .default(default)
        .interact_opt()?
        .ok_or_else(cancelled)?;
    let seconds = match choices.get(chosen) {
        Some((_, seconds)) => *seconds,
        None => Some(typed_duration(max)?),
    };
    Ok(seconds.map(|seconds| now + chrono::Duration::seconds(seconds)))
}

fn typed_duration(max: Option<i64>) -> anyhow::Result<i64> {
    let text: String = Input::new()
        .with_prompt("Duration (e.g. 2h or 1h30m)")
        .validate_with(|text: &String| -> Result<(), String> {
            let seconds = duration::parse(text).map_err(|err| err.to_string())?;
            match max {
                Some(max) if seconds > max => Err(format!(
                    "the maximum for this resource is {}",
                    duration::format(max)
                )),
                _ => Ok(()),
            }
        })
        .interact_text()?;
    Ok(duration::parse(&text)?)
}

/// Shows what is about to happen and asks to go ahead.
pub fn confirm(summary: &str) -> anyhow::Result<()> {
    let go = Confirm::new()
        .with_prompt(format!("{summary}. Grant it?"))
        .default(true)
        .interact_opt()?;
    if go == Some(true) {
        Ok(())
    } else {
        Err(cancelled())
    }
}
