//! The messages between the page and the check worker. Both ends send JSON text
//! (`postMessage` of a string), so the shapes are plain serde and tested natively.

use bulbwatch_api::{CheckReport, LogLine, Progress, RequestReport, StepOutcome};
use serde::{Deserialize, Serialize};

/// The worker's script, relative to the site's root (Trunk writes it unhashed).
pub const WORKER_URL: &str = "/check_worker_loader.js";

/// A run's wall-clock limit, as the engine's default `Limits` has it.
pub const RUN_LIMIT_MS: u64 = 30_000;

/// How long after the limit the page stops waiting and terminates the worker: a
/// blocking request or sleep cannot be interrupted from inside the worker.
pub const WATCHDOG_GRACE_MS: u64 = 2_000;

/// Page → worker: run this check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunRequest {
    /// The check's source.
    pub script: String,
    /// The run's trace id, 32 lowercase hex digits, drawn by the page.
    pub trace_id: String,
}

/// Worker → page. Sent as text: a word, then (for progress and reports) a newline
/// and the JSON of the payload — simpler to read than a tagged enum, which keeps the
/// page's wasm smaller.
#[derive(Clone, Debug, PartialEq)]
pub enum WorkerMessage {
    /// The worker's wasm has loaded and it listens: runs may be sent.
    Ready,
    /// Something happened in the running check.
    Progress(Progress),
    /// The run ended: its report.
    Done(Box<CheckReport>),
}

impl WorkerMessage {
    /// The message as sent.
    pub fn encode(&self) -> String {
        let (word, payload) = match self {
            Self::Ready => return "ready".to_string(),
            Self::Progress(p) => ("progress", serde_json::to_string(&WireProgress::from(p))),
            Self::Done(r) => ("done", serde_json::to_string(r)),
        };
        // Reports are plain data: this does not fail, but never panic in a worker.
        format!("{word}\n{}", payload.unwrap_or_default())
    }

    /// Reads a message the worker sent.
    pub fn decode(text: &str) -> Result<Self, String> {
        let unreadable = |e: &dyn std::fmt::Display| {
            format!("the check worker sent a message the page cannot read ({e})")
        };
        let (word, payload) = text.split_once('\n').unwrap_or((text, ""));
        match word {
            "ready" => Ok(Self::Ready),
            "progress" => serde_json::from_str::<WireProgress>(payload)
                .map(|p| Self::Progress(p.into()))
                .map_err(|e| unreadable(&e)),
            "done" => serde_json::from_str(payload)
                .map(|r| Self::Done(Box::new(r)))
                .map_err(|e| unreadable(&e)),
            other => Err(unreadable(&format!("unknown kind {other:?}"))),
        }
    }
}

/// [`Progress`] as it travels to the page: externally tagged (`{"log": {…}}`), which
/// the page reads with far less code than the API's internally tagged form.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum WireProgress {
    StepStarted {
        name: String,
        depth: u32,
    },
    StepFinished {
        name: String,
        duration_ms: f64,
        outcome: StepOutcome,
    },
    Request(RequestReport),
    Log(LogLine),
}

impl From<&Progress> for WireProgress {
    fn from(p: &Progress) -> Self {
        match p.clone() {
            Progress::StepStarted { name, depth } => Self::StepStarted { name, depth },
            Progress::StepFinished {
                name,
                duration_ms,
                outcome,
            } => Self::StepFinished {
                name,
                duration_ms,
                outcome,
            },
            Progress::Request(r) => Self::Request(r),
            Progress::Log(l) => Self::Log(l),
        }
    }
}

impl From<WireProgress> for Progress {
    fn from(p: WireProgress) -> Self {
        match p {
            WireProgress::StepStarted { name, depth } => Self::StepStarted { name, depth },
            WireProgress::StepFinished {
                name,
                duration_ms,
                outcome,
            } => Self::StepFinished {
                name,
                duration_ms,
                outcome,
            },
            WireProgress::Request(r) => Self::Request(r),
            WireProgress::Log(l) => Self::Log(l),
        }
    }
}

/// 16 random bytes as a trace id: 32 lowercase hex digits, never all zero (W3C Trace
/// Context). The same rule as the engine's `trace_id_from_bytes`, kept here so the
/// page does not link the engine.
pub fn trace_id_from_bytes(bytes: [u8; 16]) -> String {
    let mut bytes = bytes;
    if bytes.iter().all(|b| *b == 0) {
        bytes[15] = 1;
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use bulbwatch_api::Verdict;

    #[test]
    fn limit_matches_the_engine() {
        assert_eq!(
            RUN_LIMIT_MS,
            bulbwatch_checks::Limits::default().max_run_ms,
            "the page's watchdog must follow the engine's wall-clock limit"
        );
    }

    #[test]
    fn trace_ids_match_the_engine() {
        for bytes in [[0_u8; 16], [0xab; 16], [7; 16]] {
            assert_eq!(
                trace_id_from_bytes(bytes),
                bulbwatch_checks::trace_id_from_bytes(bytes)
            );
        }
    }

    #[test]
    fn messages_round_trip() {
        let progress = WorkerMessage::Progress(Progress::Log(LogLine {
            at_ms: 3.0,
            text: "hello".into(),
        }));
        let json = progress.encode();
        assert!(json.starts_with("progress\n{\"log\":"), "{json}");
        assert_eq!(WorkerMessage::decode(&json).unwrap(), progress);
        assert_eq!(
            WorkerMessage::decode(&WorkerMessage::Ready.encode()).unwrap(),
            WorkerMessage::Ready
        );
        let report = CheckReport {
            verdict: Verdict::Pass,
            failure: None,
            steps: vec![],
            requests: vec![],
            logs: vec![],
            steps_dropped: 0,
            requests_dropped: 0,
            logs_dropped: 0,
            duration_ms: 12.0,
            trace_id: "ab".repeat(16),
            iterations: 0,
            colour: None,
            request_id: None,
            shard: None,
        };
        let done = WorkerMessage::Done(Box::new(report));
        assert_eq!(WorkerMessage::decode(&done.encode()).unwrap(), done);
        for bad in ["nonsense", "progress\n{}", "done\n[]"] {
            assert!(
                WorkerMessage::decode(bad)
                    .unwrap_err()
                    .contains("cannot read"),
                "{bad}"
            );
        }
    }
}
