//! Target 2: with 50 ms added to every Jira call (200 ms at the small size), a pass
//! over the bound tickets finishes within 1.5 times the lower bound its round trips
//! set: ceil(requests / in flight) × the latency, with the default 4 requests in flight.

use super::round_trips::{bound_database, check_quiet_pass};
use super::{Sims, Workload};
use crate::checks::{Check, Target, Unit};
use crate::scenario::Bench;
use crate::sim::Flavor;

/// Requests in flight: opal-jira's default.
const IN_FLIGHT: usize = 4;
const SLACK: f64 = 1.5;

pub fn measure(
    bench: &Bench,
    sims: &mut Sims,
    work: &Workload,
    target: &mut Target,
) -> anyhow::Result<()> {
    for flavor in Flavor::BOTH {
        let sim = sims.get(flavor);
        let (tickets, latency_ms) = (work.latency_tickets, work.latency_ms);
        let db = bound_database(bench, sim, tickets)?;
        sim.clear_log()?;
        sim.set_latency(latency_ms)?;
        let pass = bench.reconcile(sim, &db);
        sim.set_latency(0)?;
        let (run, report) = pass?;
        check_quiet_pass(&report, tickets)?;

        let requests = sim.log()?.len();
        let rounds = requests.div_ceil(IN_FLIGHT);
        let bound = rounds as f64 * latency_ms as f64 / 1e3;
        target.add(
            Check::new(
                format!("{}, T={tickets}", flavor.as_str()),
                run.wall.as_secs_f64(),
                SLACK * bound,
                Unit::Seconds,
            )
            .note(format!(
                "{SLACK} × {rounds} rounds × {latency_ms} ms; {requests} requests, {IN_FLIGHT} in flight"
            )),
        );
    }
    Ok(())
}
