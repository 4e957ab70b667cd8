//! `bulbwatch check FILE --url URL`: the page's check, run from a terminal with the
//! same engine. Joins as an attendee, runs, prints what the page shows, records the
//! run on the server, and exits 0 (pass), 1 (fail) or 2 (the check is wrong).

mod printer;
pub mod transport;

use std::cell::RefCell;
use std::process::ExitCode;
use std::rc::Rc;

use bulbwatch_api::{CHECK_SOURCE_MAX_BYTES, CheckReport, Joined, RecordRun, RunSummary, Verdict};
use bulbwatch_checks::{RunOptions, SystemClock, run_check, trace_id_from_bytes};

use crate::config::CheckArgs;
use transport::BlockingTransport;

/// Runs the check and turns its verdict into the exit code.
pub fn run(args: &CheckArgs) -> ExitCode {
    match run_inner(args) {
        Ok(Verdict::Pass) => ExitCode::from(0),
        Ok(Verdict::Fail) => ExitCode::from(1),
        Ok(Verdict::Error) => ExitCode::from(2),
        Err(message) => {
            eprintln!("bulbwatch check: {message}");
            ExitCode::from(2)
        }
    }
}

fn run_inner(args: &CheckArgs) -> Result<Verdict, String> {
    let script = std::fs::read_to_string(&args.file)
        .map_err(|e| format!("cannot read {}: {e}", args.file.display()))?;
    if script.len() > CHECK_SOURCE_MAX_BYTES {
        return Err(format!(
            "{} is {} bytes; a check may be at most {} KB",
            args.file.display(),
            script.len(),
            CHECK_SOURCE_MAX_BYTES / 1024
        ));
    }
    let (base, code_in_url) = split_join_url(&args.url);
    let code = args.code.clone().or(code_in_url).ok_or_else(|| {
        "the room's join code is needed: pass --code CODE (or BULBWATCH_JOIN_CODE), or give the join link as --url (http://HOST:PORT/join/CODE)".to_string()
    })?;
    let client = transport::client()?;
    let name = args.name.clone().unwrap_or_else(login_name);
    let joined = join(&client, &base, &name, &code)?;

    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| format!("cannot make a trace id: {e}"))?;
    let options = RunOptions::new(trace_id_from_bytes(bytes));
    let check_name = check_name(args);
    let json = args.json;
    if !json {
        printer::header(&check_name, &base, &name, &options.trace_id);
    }
    let transport = Rc::new(RefCell::new(BlockingTransport::new(
        client.clone(),
        base.clone(),
        joined.token.clone(),
    )));
    let mut printer = printer::Printer::default();
    let report = run_check(
        &script,
        &options,
        transport,
        Rc::new(SystemClock),
        move |progress| {
            if !json {
                printer.progress(&progress);
            }
        },
    );
    let recorded = record(&client, &base, &joined.token, &check_name, &report);
    if json {
        let text = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
        println!("{text}");
    } else {
        printer::summary(&report);
    }
    match recorded {
        Ok(run) if !json => println!("Recorded: {base}/runs/{}", run.run_id),
        Ok(_) => {}
        Err(e) => eprintln!("warning: the run was not recorded on the server: {e}"),
    }
    Ok(report.verdict)
}

/// The user's login name, for joining when `--name` is not given.
fn login_name() -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|var| std::env::var(var).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "terminal".to_string())
}

/// The file's stem names the check: `checks/classic.rhai` → "classic".
fn check_name(args: &CheckArgs) -> String {
    args.file
        .file_stem()
        .map(|s| {
            s.to_string_lossy()
                .chars()
                .take(bulbwatch_api::CHECK_NAME_MAX_CHARS)
                .collect()
        })
        .filter(|s: &String| !s.trim().is_empty())
        .unwrap_or_else(|| "check".to_string())
}

/// The server's base URL and, when `url` is a join link (`…/join/CODE`), its code.
pub(crate) fn split_join_url(url: &str) -> (String, Option<String>) {
    let url = url.trim().trim_end_matches('/');
    match url.rsplit_once("/join/") {
        Some((base, code)) if !code.is_empty() && !code.contains('/') => {
            (base.to_string(), Some(code.to_string()))
        }
        _ => (url.to_string(), None),
    }
}

fn join(
    client: &reqwest::blocking::Client,
    base: &str,
    name: &str,
    code: &str,
) -> Result<Joined, String> {
    let url = format!("{base}/api/attendees");
    let res = client
        .post(&url)
        .json(&serde_json::json!({ "name": name, "code": code }))
        .send()
        .map_err(|e| format!("cannot reach {url}: {e}"))?;
    transport::decode(res).map_err(|e| format!("cannot join {base} as {name:?}: {e}"))
}

fn record(
    client: &reqwest::blocking::Client,
    base: &str,
    token: &str,
    check_name: &str,
    report: &CheckReport,
) -> Result<RunSummary, String> {
    let body = RecordRun {
        check_id: None,
        check_name: check_name.to_string(),
        report: report.clone(),
        scheduled: false,
    };
    let res = client
        .post(format!("{base}/api/runs"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .map_err(|e| e.to_string())?;
    transport::decode(res)
}

#[cfg(test)]
mod tests {
    use super::split_join_url;

    #[test]
    fn a_join_link_gives_the_base_and_the_code() {
        assert_eq!(
            split_join_url("http://127.0.0.1:8080/join/ACDEFH"),
            ("http://127.0.0.1:8080".into(), Some("ACDEFH".into()))
        );
        assert_eq!(
            split_join_url("http://127.0.0.1:8080/"),
            ("http://127.0.0.1:8080".into(), None)
        );
    }
}
