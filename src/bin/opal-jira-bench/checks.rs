//! Measurements held against limits, grouped by target, and how they are printed.

use std::fmt;

/// What a figure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Requests,
    Seconds,
    Millis,
    Megabytes,
    /// Things that went wrong (revoke commands run twice, requests left active).
    Faults,
}

impl Unit {
    fn show(self, value: f64) -> String {
        match self {
            Unit::Requests if value == 1.0 => "1 request".to_string(),
            Unit::Requests => format!("{value:.0} requests"),
            Unit::Seconds => format!("{value:.2} s"),
            Unit::Millis => format!("{value:.1} ms"),
            Unit::Megabytes => format!("{value:.1} MB"),
            Unit::Faults => format!("{value:.0}"),
        }
    }
}

/// One measured figure and the most it may be.
#[derive(Debug, Clone)]
pub struct Check {
    /// Which case: `cloud, T=10000`.
    pub case: String,
    pub measured: f64,
    pub limit: f64,
    pub unit: Unit,
    /// How the limit is made, or what else was seen.
    pub note: String,
    /// `false` for a figure that is only reported (timings of an unoptimized build).
    pub enforced: bool,
}

impl Check {
    pub fn new(case: impl Into<String>, measured: f64, limit: f64, unit: Unit) -> Check {
        Check {
            case: case.into(),
            measured,
            limit,
            unit,
            note: String::new(),
            enforced: true,
        }
    }

    pub fn note(mut self, note: impl Into<String>) -> Check {
        self.note = note.into();
        self
    }

    /// Reports the figure without holding the run to it.
    pub fn enforced(mut self, enforced: bool) -> Check {
        self.enforced = enforced;
        self
    }

    pub fn passed(&self) -> bool {
        self.measured <= self.limit
    }

    fn verdict(&self) -> &'static str {
        match (self.enforced, self.passed()) {
            (false, _) => "INFO",
            (true, true) => "PASS",
            (true, false) => "FAIL",
        }
    }

    /// How close to its limit the figure is (above 1 is a miss).
    fn ratio(&self) -> f64 {
        if self.limit > 0.0 {
            self.measured / self.limit
        } else if self.measured > 0.0 {
            f64::INFINITY
        } else {
            0.0
        }
    }
}

/// One of the performance targets and what was measured for it.
#[derive(Debug)]
pub struct Target {
    pub number: u8,
    pub name: &'static str,
    pub checks: Vec<Check>,
    /// Why the target could not be measured at all, if it could not.
    pub error: Option<String>,
}

impl Target {
    pub fn new(number: u8, name: &'static str) -> Target {
        Target {
            number,
            name,
            checks: Vec::new(),
            error: None,
        }
    }

    /// Records a check and prints its line at once, so a long run shows progress.
    pub fn add(&mut self, check: Check) {
        println!("{}", Line(self, &check));
        self.checks.push(check);
    }

    pub fn met(&self) -> bool {
        self.error.is_none() && self.checks.iter().all(|c| !c.enforced || c.passed())
    }

    /// The summary line: verdict, how many checks, and the one closest to its limit.
    pub fn summary(&self) -> String {
        let verdict = if self.met() { "PASS" } else { "FAIL" };
        let head = format!("target {} ({}): {verdict}", self.number, self.name);
        if let Some(error) = &self.error {
            return format!("{head}: could not measure: {error}");
        }
        let enforced: Vec<&Check> = self.checks.iter().filter(|c| c.enforced).collect();
        let closest = enforced
            .iter()
            .max_by(|a, b| a.ratio().total_cmp(&b.ratio()))
            .copied();
        match closest {
            Some(check) => format!(
                "{head}, {} checked, closest: {}: {} vs limit {}",
                enforced.len(),
                check.case,
                check.unit.show(check.measured),
                check.unit.show(check.limit)
            ),
            None => format!("{head}, nothing checked at this size (figures reported only)"),
        }
    }
}

/// A check's printed line.
struct Line<'a>(&'a Target, &'a Check);

impl fmt::Display for Line<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Line(target, check) = self;
        write!(
            f,
            "{} ({}): {} vs limit {}",
            target.name,
            check.case,
            check.unit.show(check.measured),
            check.unit.show(check.limit)
        )?;
        if !check.note.is_empty() {
            write!(f, " [{}]", check.note)?;
        }
        write!(f, " {}", check.verdict())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_is_met_only_when_every_enforced_check_passes() {
        let mut target = Target::new(1, "round trips");
        target.add(Check::new("a", 3.0, 3.0, Unit::Requests));
        target.add(Check::new("b", 9.0, 1.0, Unit::Seconds).enforced(false));
        assert!(target.met(), "a reported-only miss does not count");
        assert!(
            target
                .summary()
                .contains("closest: a: 3 requests vs limit 3 requests")
        );
        target.add(Check::new("c", 5.0, 4.0, Unit::Requests));
        assert!(!target.met());
        assert!(target.summary().starts_with("target 1 (round trips): FAIL"));
    }

    #[test]
    fn an_unmeasured_target_fails() {
        let mut target = Target::new(2, "latency");
        target.error = Some("the simulator did not start".into());
        assert!(!target.met());
        assert!(target.summary().contains("could not measure"));
    }

    #[test]
    fn lines_show_figure_limit_note_and_verdict() {
        let target = Target::new(3, "revocations");
        let check = Check::new("1000 due", 26.04, 32.5, Unit::Seconds).note("4 jobs");
        assert_eq!(
            Line(&target, &check).to_string(),
            "revocations (1000 due): 26.04 s vs limit 32.50 s [4 jobs] PASS"
        );
        let zero = Check::new("twice", 1.0, 0.0, Unit::Faults);
        assert!(!zero.passed());
        assert_eq!(zero.ratio(), f64::INFINITY);
    }
}
