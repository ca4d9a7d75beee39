//! Target 1: with nothing changed, a pass over T distinct bound tickets makes at most
//! ceil(T/100) + 2 Jira requests, on either deployment, counted from the simulator's log.

use anyhow::{Context as _, ensure};

use super::{Sims, Workload};
use crate::checks::{Check, Target, Unit};
use crate::scenario::{Bench, Requests};
use crate::sim::{Flavor, Sim};

pub fn measure(
    bench: &Bench,
    sims: &mut Sims,
    work: &Workload,
    target: &mut Target,
) -> anyhow::Result<()> {
    for flavor in Flavor::BOTH {
        for &tickets in work.round_trip_tickets {
            let sim = sims.get(flavor);
            let requests = count_requests(bench, sim, tickets)?;
            let limit = tickets.div_ceil(100) + 2;
            target.add(
                Check::new(
                    format!("{}, T={tickets}", flavor.as_str()),
                    requests.len() as f64,
                    limit as f64,
                    Unit::Requests,
                )
                .note(calls(&requests)),
            );
        }
    }
    Ok(())
}

/// Runs one pass over `tickets` bound tickets, nothing due, and returns the Jira
/// requests it made as `METHOD path` lines.
pub fn count_requests(bench: &Bench, sim: &mut Sim, tickets: usize) -> anyhow::Result<Vec<String>> {
    let db = bound_database(bench, sim, tickets)?;
    sim.clear_log()?;
    let (_, report) = bench.reconcile(sim, &db)?;
    check_quiet_pass(&report, tickets)?;
    Ok(sim
        .log()?
        .into_iter()
        .map(|entry| format!("{} {}", entry.method, entry.path))
        .collect())
}

/// A database whose `tickets` active requests are each bound to a distinct open ticket.
pub fn bound_database(
    bench: &Bench,
    sim: &mut Sim,
    tickets: usize,
) -> anyhow::Result<std::path::PathBuf> {
    let shape = Requests::new(sim.url());
    let requests: Vec<_> = sim
        .tickets(tickets)?
        .iter()
        .enumerate()
        .map(|(n, ticket)| shape.bound(n, ticket))
        .collect();
    let name = format!("bound-{}-{tickets}.db", sim.flavor().as_str());
    bench.database(&name, "true", &requests)
}

/// A pass over open tickets must examine them all and revoke nothing.
pub fn check_quiet_pass(report: &serde_json::Value, active: usize) -> anyhow::Result<()> {
    let checked = report["checked"]
        .as_u64()
        .context("report without `checked`")?;
    ensure!(
        checked == active as u64,
        "the pass checked {checked} of {active} requests"
    );
    let nothing = |field: &str| report[field].as_array().is_some_and(Vec::is_empty);
    ensure!(
        nothing("revoked") && nothing("failed") && nothing("errors"),
        "a pass with nothing due revoked or failed something: {report}"
    );
    Ok(())
}

/// `100 × POST /rest/api/3/issue/bulkfetch`: which calls, how many of each.
fn calls(requests: &[String]) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for call in requests {
        match counts.iter_mut().find(|(seen, _)| seen == call) {
            Some((_, count)) => *count += 1,
            None => counts.push((call, 1)),
        }
    }
    counts
        .iter()
        .map(|(call, count)| format!("{count} × {call}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_are_grouped_in_first_seen_order() {
        let log = ["POST /a", "GET /b", "POST /a"].map(String::from);
        assert_eq!(calls(&log), "2 × POST /a, 1 × GET /b");
        assert_eq!(calls(&[]), "");
    }

    #[test]
    fn a_quiet_pass_checks_everything_and_revokes_nothing() {
        let quiet = serde_json::json!({"checked": 3, "revoked": [], "failed": [], "errors": []});
        assert!(check_quiet_pass(&quiet, 3).is_ok());
        assert!(check_quiet_pass(&quiet, 4).is_err());
        let noisy =
            serde_json::json!({"checked": 3, "revoked": [{"id": 1}], "failed": [], "errors": []});
        assert!(check_quiet_pass(&noisy, 3).is_err());
    }
}
