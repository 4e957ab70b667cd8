//! A recorded run's report, held to the check engine's own limits: what the engine
//! keeps of a run (log lines, requests, steps, the length of a message) is all a
//! report may carry, so a script that posts reports by hand cannot store more than a
//! check could. Each refusal names the field at fault.

use bulbwatch_checks::{CheckReport, Limits, STEP_NAME_MAX_CHARS};

use crate::error::AppError;

/// Longest path of a recorded request (the bulb service's paths are short).
pub const REQUEST_PATH_MAX_CHARS: usize = 2_048;
/// Longest id (trace, span, request) or colour a report carries.
pub const ID_MAX_CHARS: usize = 64;

fn at_most(field: &str, text: &str, max: usize) -> Result<(), AppError> {
    let chars = text.chars().count();
    if chars > max {
        return Err(AppError::Invalid(format!(
            "{field}: at most {max} characters, got {chars}"
        )));
    }
    Ok(())
}

fn at_most_items(field: &str, len: usize, max: usize) -> Result<(), AppError> {
    if len > max {
        return Err(AppError::Invalid(format!(
            "{field}: at most {max} entries (the check engine keeps no more), got {len}"
        )));
    }
    Ok(())
}

/// Refuses a report over any of the engine's limits (400, the field at fault).
pub fn check(report: &CheckReport) -> Result<(), AppError> {
    let limits = Limits::default();
    let text = limits.max_log_chars;
    if let Some(failure) = &report.failure {
        at_most("report.failure.message", &failure.message, text)?;
        for (field, value) in [
            ("report.failure.expected", &failure.expected),
            ("report.failure.actual", &failure.actual),
            ("report.failure.step", &failure.step),
        ] {
            if let Some(value) = value {
                at_most(field, value, text)?;
            }
        }
    }
    at_most_items("report.logs", report.logs.len(), limits.max_logs)?;
    for (i, line) in report.logs.iter().enumerate() {
        at_most(&format!("report.logs[{i}].text"), &line.text, text)?;
    }
    at_most_items("report.steps", report.steps.len(), limits.max_steps)?;
    for (i, step) in report.steps.iter().enumerate() {
        at_most(
            &format!("report.steps[{i}].name"),
            &step.name,
            STEP_NAME_MAX_CHARS,
        )?;
    }
    at_most_items(
        "report.requests",
        report.requests.len(),
        limits.max_requests,
    )?;
    for (i, request) in report.requests.iter().enumerate() {
        at_most(
            &format!("report.requests[{i}].path"),
            &request.path,
            REQUEST_PATH_MAX_CHARS,
        )?;
        at_most(
            &format!("report.requests[{i}].trace_id"),
            &request.trace_id,
            ID_MAX_CHARS,
        )?;
        at_most(
            &format!("report.requests[{i}].span_id"),
            &request.span_id,
            ID_MAX_CHARS,
        )?;
        if let Some(step) = &request.step {
            at_most(
                &format!("report.requests[{i}].step"),
                step,
                STEP_NAME_MAX_CHARS,
            )?;
        }
    }
    at_most("report.trace_id", &report.trace_id, ID_MAX_CHARS)?;
    for (field, value) in [
        ("report.colour", &report.colour),
        ("report.request_id", &report.request_id),
    ] {
        if let Some(value) = value {
            at_most(field, value, ID_MAX_CHARS)?;
        }
    }
    Ok(())
}
