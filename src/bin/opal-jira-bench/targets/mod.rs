//! The five targets, measured in order, each from its own fresh databases; the
//! simulators (one per deployment, seeded with the largest ticket count once) are shared.

mod latency;
mod local;
mod revocations;
mod round_trips;

use crate::Size;
use crate::checks::Target;
use crate::scenario::Bench;
use crate::sim::{Flavor, Sim};

/// The workload of each target at one size.
pub struct Workload {
    /// Bound tickets per round-trip measurement.
    pub round_trip_tickets: &'static [usize],
    /// Bound tickets of the latency measurement, and the latency added to each call.
    pub latency_tickets: usize,
    pub latency_ms: u64,
    /// Due revocations.
    pub revocations: usize,
    /// Requests in the database of the local-cost measurements, and how many are active.
    pub history: usize,
    pub active: usize,
}

impl Workload {
    pub fn of(size: Size) -> Workload {
        match size {
            Size::Full => Workload {
                round_trip_tickets: &[10, 1_000, 10_000],
                latency_tickets: 10_000,
                latency_ms: 50,
                revocations: 1_000,
                history: 100_000,
                active: 10_000,
            },
            Size::Small => Workload {
                round_trip_tickets: &[10, 1_000],
                latency_tickets: 1_000,
                // Ten calls make three rounds; at 50 ms those would be outweighed by
                // the fixed costs of an unoptimized build (process start, JSON at
                // debug speed), and the check would no longer be about parallelism.
                latency_ms: 200,
                revocations: 100,
                history: 10_000,
                active: 1_000,
            },
        }
    }

    fn most_tickets(&self) -> usize {
        let largest = self.round_trip_tickets.iter().copied().max().unwrap_or(0);
        largest.max(self.latency_tickets).max(self.active)
    }
}

/// The simulators of both deployments.
pub struct Sims {
    pub cloud: Sim,
    pub datacenter: Sim,
}

impl Sims {
    pub fn get(&mut self, flavor: Flavor) -> &mut Sim {
        match flavor {
            Flavor::Cloud => &mut self.cloud,
            Flavor::DataCenter => &mut self.datacenter,
        }
    }
}

/// What to run.
pub struct Options {
    pub size: Size,
    /// Bring the binaries up to date through cargo first.
    pub build: bool,
    /// Keep the temporary directory.
    pub keep: bool,
    /// The targets to measure; empty for all.
    pub only: Vec<u8>,
}

/// Measures the targets and prints the results; `Ok(false)` when one was missed.
pub fn run_all(options: &Options) -> anyhow::Result<bool> {
    let size = options.size;
    let bench = Bench::new(options.build, options.keep)?;
    let work = Workload::of(size);
    let build_kind = if bench.optimized {
        "optimized build"
    } else {
        "unoptimized build: absolute timings are reported, not checked"
    };
    println!("opal-jira-bench: {} size, {build_kind}", size.as_str());

    let mut sims = Sims {
        cloud: Sim::start(
            &bench.sim_binary,
            Flavor::Cloud,
            &bench.path("sim-cloud.log"),
        )?,
        datacenter: Sim::start(
            &bench.sim_binary,
            Flavor::DataCenter,
            &bench.path("sim-datacenter.log"),
        )?,
    };
    for flavor in Flavor::BOTH {
        sims.get(flavor).tickets(work.most_tickets())?;
    }

    let mut targets = Vec::new();
    let mut measure = |number, name, run: &mut dyn FnMut(&mut Target) -> anyhow::Result<()>| {
        if !options.only.is_empty() && !options.only.contains(&number) {
            return;
        }
        let mut target = Target::new(number, name);
        if let Err(err) = run(&mut target) {
            println!("{name}: could not measure: {err:#} FAIL");
            target.error = Some(format!("{err:#}"));
        }
        targets.push(target);
    };
    measure(1, "Jira round trips", &mut |t| {
        round_trips::measure(&bench, &mut sims, &work, t)
    });
    measure(2, "latency bound", &mut |t| {
        latency::measure(&bench, &mut sims, &work, t)
    });
    measure(3, "parallel revocations", &mut |t| {
        revocations::measure(&bench, &mut sims, &work, t)
    });
    measure(4, "local cost", &mut |t| {
        local::measure(&bench, &mut sims, &work, t)
    });

    // Target 5 is this run itself: every target measured was met, and the verdict is
    // the exit code.
    let met = targets.iter().all(Target::met);
    println!();
    println!("summary");
    for target in &targets {
        println!("{}", target.summary());
    }
    let verdict = if met { "PASS" } else { "FAIL" };
    println!(
        "target 5 (no regressions): {verdict}, exit code {}",
        u8::from(!met)
    );
    Ok(met)
}
