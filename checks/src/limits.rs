//! The sandbox: how much a check may be, do, and take. Every limit ends a run with a
//! message that says which limit and what it was, never a hang or a crash.

use bulbwatch_api::CHECK_SOURCE_MAX_BYTES;
use rhai::{Engine, EvalAltResult};

/// Limits of one run. `Limits::default()` is what the workshop uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest script, in bytes; checked before compiling. Default 32 KiB, the same
    /// bound the server puts on saved checks.
    pub max_script_bytes: usize,
    /// Rhai operations per run (a runaway `loop {}` stops here). Default 5,000,000.
    pub max_operations: u64,
    /// Nested function and closure calls. Default 48.
    pub max_call_depth: usize,
    /// Longest string, in bytes. Default 64 KiB.
    pub max_string_bytes: usize,
    /// Longest array. Default 10,000.
    pub max_array_len: usize,
    /// Largest object map. Default 10,000.
    pub max_map_len: usize,
    /// Wall-clock time per run, in milliseconds, sleeps and requests included.
    /// Default 30,000.
    pub max_run_ms: u64,
    /// Log lines kept in the report; later ones are counted, not kept. Default 500.
    pub max_logs: usize,
    /// Characters kept of one log line, and of the failure message. Default 2,000.
    pub max_log_chars: usize,
    /// Requests kept in the report; later ones are counted, not kept. Default 1,000.
    pub max_requests: usize,
    /// Steps kept in the report; later ones are counted, not kept. Default 1,000.
    pub max_steps: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_script_bytes: CHECK_SOURCE_MAX_BYTES,
            max_operations: 5_000_000,
            max_call_depth: 48,
            max_string_bytes: 64 * 1024,
            max_array_len: 10_000,
            max_map_len: 10_000,
            max_run_ms: 30_000,
            max_logs: 200,
            max_log_chars: 500,
            max_requests: 300,
            max_steps: 300,
        }
    }
}

impl Limits {
    /// Puts the limits Rhai enforces itself on the engine.
    pub(crate) fn apply(&self, engine: &mut Engine) {
        engine
            .set_max_operations(self.max_operations)
            .set_max_call_levels(self.max_call_depth)
            .set_max_string_size(self.max_string_bytes)
            .set_max_array_size(self.max_array_len)
            .set_max_map_size(self.max_map_len);
    }

    /// The error for a script over `max_script_bytes`, if it is.
    pub(crate) fn check_script_size(&self, script: &str) -> Result<(), String> {
        if script.len() > self.max_script_bytes {
            return Err(format!(
                "the check is {} bytes; a check can be at most {} bytes ({} KB): make it shorter",
                script.len(),
                self.max_script_bytes,
                self.max_script_bytes / 1024
            ));
        }
        Ok(())
    }

    /// The message for the wall-clock limit.
    pub(crate) fn wall_clock_message(&self) -> String {
        #[allow(clippy::cast_precision_loss)]
        let secs = self.max_run_ms as f64 / 1000.0;
        format!("the check ran longer than {secs} s")
    }

    /// Says which limit a Rhai error is, if it is one of Rhai's own limits.
    pub(crate) fn rhai_limit_message(&self, err: &EvalAltResult) -> Option<String> {
        Some(match err {
            EvalAltResult::ErrorTooManyOperations(..) => format!(
                "the check ran more than {} operations: is there a loop that never ends?",
                self.max_operations
            ),
            EvalAltResult::ErrorStackOverflow(..) => format!(
                "calls nested more than {} deep: is there a function that calls itself forever?",
                self.max_call_depth
            ),
            EvalAltResult::ErrorDataTooLarge(what, ..) => {
                if what.starts_with("Length of string") {
                    format!("a string grew longer than {} bytes", self.max_string_bytes)
                } else if what.starts_with("Size of array") {
                    format!("an array grew past {} items", self.max_array_len)
                } else if what.starts_with("Size of object map") {
                    format!("a map grew past {} entries", self.max_map_len)
                } else {
                    format!("{what} is over the check's limit")
                }
            }
            EvalAltResult::ErrorTooManyVariables(..) => "too many variables".to_string(),
            EvalAltResult::ErrorTooManyModules(..) => "too many modules".to_string(),
            _ => return None,
        })
    }
}
