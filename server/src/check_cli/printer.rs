//! What `bulbwatch check` prints: the steps, requests and logs as they happen, then
//! the verdict and the failure with its place, like the page's result pane.

use bulbwatch_api::{CheckReport, Progress, StepOutcome, Verdict};

/// The first line: what runs where.
pub fn header(check: &str, base: &str, name: &str, trace_id: &str) {
    println!("Running {check} against {base} as {name} (trace {trace_id})");
}

/// Prints progress lines indented by how deep in steps the run is.
#[derive(Debug, Default)]
pub struct Printer {
    depth: usize,
}

impl Printer {
    /// One progress line.
    pub fn progress(&mut self, progress: &Progress) {
        match progress {
            Progress::StepStarted { name, .. } => {
                println!("{}▸ {name}", self.indent());
                self.depth += 1;
            }
            Progress::StepFinished {
                name,
                duration_ms,
                outcome,
            } => {
                self.depth = self.depth.saturating_sub(1);
                let mark = match outcome {
                    StepOutcome::Pass => "✓",
                    StepOutcome::Fail => "✗",
                };
                println!("{}{mark} {name} ({})", self.indent(), ms(*duration_ms));
            }
            Progress::Request(r) => {
                let status = r
                    .status
                    .map_or_else(|| "no answer".to_string(), |s| s.to_string());
                println!(
                    "{}{} {} → {status} ({}) span {}",
                    self.indent(),
                    r.method,
                    r.path,
                    ms(r.duration_ms),
                    r.span_id
                );
            }
            Progress::Log(line) => println!("{}log: {}", self.indent(), line.text),
        }
    }

    fn indent(&self) -> String {
        "  ".repeat(self.depth)
    }
}

/// The verdict and, if it did not pass, why and where.
pub fn summary(report: &CheckReport) {
    let verdict = match report.verdict {
        Verdict::Pass => "PASS",
        Verdict::Fail => "FAIL",
        Verdict::Error => "ERROR",
    };
    println!(
        "{verdict} in {} · {} request(s) · trace {}",
        ms(report.duration_ms),
        report.requests.len(),
        report.trace_id
    );
    if let Some(f) = &report.failure {
        println!("  {}", f.message);
        let mut place = Vec::new();
        if let (Some(line), Some(column)) = (f.line, f.column) {
            place.push(format!("line {line}, column {column}"));
        }
        if let Some(step) = &f.step {
            place.push(format!("in step \"{step}\""));
        }
        if !place.is_empty() {
            println!("  at {}", place.join(" "));
        }
    }
}

fn ms(ms: f64) -> String {
    if ms >= 1000.0 {
        format!("{:.1} s", ms / 1000.0)
    } else {
        format!("{ms:.0} ms")
    }
}
