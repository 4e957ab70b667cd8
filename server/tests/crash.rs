//! The durability promise, tested: the real binary is killed with SIGKILL while
//! attendees join, save checks, record runs and change the bulb at once, then started
//! again on the same data directory. Everything that was acknowledged (201, 200 or
//! 202) before the kill is there afterwards: every attendee's token, every check
//! version, every run, and every bulb change in the queue's table.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

/// A `bulbwatch serve` process and what it printed at start.
struct Process {
    child: Child,
    base: String,
    join_code: String,
}

fn start(data_dir: &std::path::Path) -> Process {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bulbwatch"))
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--facilitator-token",
            "crash-test-secret",
        ])
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--app-dir")
        .arg(data_dir.join("no-app"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let (mut base, mut join_code) = (None, None);
    while base.is_none() || join_code.is_none() {
        let line = lines
            .next()
            .expect("the server prints its address and join code")
            .unwrap();
        if let Some(url) = line.strip_prefix("Bulbwatch is running at ") {
            base = Some(url.trim().to_string());
        } else if let Some(code) = line.trim().strip_prefix("Join code:") {
            join_code = Some(code.trim().to_string());
        }
    }
    // Keep reading, so a full pipe never blocks the server.
    std::thread::spawn(move || for _ in lines {});
    Process {
        child,
        base: base.unwrap(),
        join_code: join_code.unwrap(),
    }
}

/// What the server acknowledged before the kill.
#[derive(Default)]
struct Acknowledged {
    attendees: Vec<(String, String)>,
    versions: Vec<(String, String, u32)>,
    runs: Vec<(String, String)>,
    changes: Vec<String>,
}

const COLOURS: [&str; 3] = ["red", "green", "blue"];

fn report(i: usize) -> Value {
    json!({
        "verdict": if i.is_multiple_of(3) { "fail" } else { "pass" },
        "failure": null, "steps": [], "requests": [], "logs": [],
        "duration_ms": 12.0, "trace_id": "0af7651916cd43dd8448eb211c80319c",
        "iterations": 1, "colour": "green", "request_id": null
    })
}

/// One attendee: joins, then saves, records and changes the bulb until stopped.
async fn attendee(
    base: String,
    code: String,
    n: usize,
    acked: Arc<Mutex<Acknowledged>>,
    stop: tokio_util::sync::CancellationToken,
) {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let name = format!("writer {n}");
    let Ok(res) = client
        .post(format!("{base}/api/attendees"))
        .json(&json!({"name": name, "code": code}))
        .send()
        .await
    else {
        return;
    };
    if res.status() != 201 {
        return;
    }
    let Ok(joined) = res.json::<Value>().await else {
        return;
    };
    let token = joined["token"].as_str().unwrap().to_string();
    acked.lock().unwrap().attendees.push((token.clone(), name));
    let mut check_id: Option<String> = None;
    let mut i = 0usize;
    while !stop.is_cancelled() && i < 15 {
        i += 1;
        // A check version.
        let source = format!("// writer {n}, version {i}\nbulb.set(\"red\");");
        let req = match &check_id {
            None => client.post(format!("{base}/api/checks")),
            Some(id) => client.put(format!("{base}/api/checks/{id}")),
        };
        if let Ok(res) = req
            .bearer_auth(&token)
            .json(&json!({"name": format!("check {n}"), "source": source}))
            .send()
            .await
            && res.status().is_success()
            && let Ok(saved) = res.json::<Value>().await
        {
            let id = saved["id"].as_str().unwrap().to_string();
            let version = u32::try_from(saved["version"].as_u64().unwrap()).unwrap();
            acked
                .lock()
                .unwrap()
                .versions
                .push((token.clone(), id.clone(), version));
            check_id = Some(id);
        }
        // A run.
        if let Ok(res) = client
            .post(format!("{base}/api/runs"))
            .bearer_auth(&token)
            .json(&json!({"check_name": "classic", "report": report(i)}))
            .send()
            .await
            && res.status() == 201
            && let Ok(run) = res.json::<Value>().await
        {
            let id = run["run_id"].as_str().unwrap().to_string();
            acked.lock().unwrap().runs.push((token.clone(), id));
        }
        // A bulb change.
        if let Ok(res) = client
            .put(format!("{base}/api/bulb"))
            .bearer_auth(&token)
            .json(&json!({"colour": COLOURS[i % COLOURS.len()]}))
            .send()
            .await
            && res.status() == 202
            && let Ok(accepted) = res.json::<Value>().await
        {
            let id = accepted["request_id"].as_str().unwrap().to_string();
            acked.lock().unwrap().changes.push(id);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_acknowledged_is_lost_when_the_server_is_killed() {
    let data = tempfile::tempdir().unwrap();
    let server = start(data.path());
    let acked = Arc::new(Mutex::new(Acknowledged::default()));
    let stop = tokio_util::sync::CancellationToken::new();
    let writers: Vec<_> = (0..20)
        .map(|n| {
            tokio::spawn(attendee(
                server.base.clone(),
                server.join_code.clone(),
                n,
                acked.clone(),
                stop.clone(),
            ))
        })
        .collect();
    // Kill it in the middle of the writes, once a good number are acknowledged.
    for _ in 0..200 {
        let enough = {
            let a = acked.lock().unwrap();
            a.runs.len() >= 60 && a.changes.len() >= 60
        };
        if enough {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let mut child = server.child;
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    stop.cancel();
    for w in writers {
        w.await.unwrap();
    }
    let acked = Arc::try_unwrap(acked).ok().unwrap().into_inner().unwrap();
    assert!(
        acked.attendees.len() >= 10 && acked.runs.len() >= 20 && acked.changes.len() >= 20,
        "too little was written before the kill to tell: {} attendees, {} runs, {} changes",
        acked.attendees.len(),
        acked.runs.len(),
        acked.changes.len()
    );

    eprintln!(
        "acknowledged before the kill: {} attendees, {} check versions, {} runs, {} bulb changes",
        acked.attendees.len(),
        acked.versions.len(),
        acked.runs.len(),
        acked.changes.len()
    );
    let again = start(data.path());
    let client = reqwest::Client::new();
    let base = &again.base;
    for (token, name) in &acked.attendees {
        let res = client
            .get(format!("{base}/api/attendees/me"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{name}'s token after the kill");
        assert_eq!(res.json::<Value>().await.unwrap()["name"], name.as_str());
    }
    for (token, id, version) in &acked.versions {
        let res = client
            .get(format!("{base}/api/checks/{id}/versions/{version}"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status(),
            200,
            "check {id} version {version} after the kill"
        );
    }
    for (token, id) in &acked.runs {
        let res = client
            .get(format!("{base}/api/runs/{id}"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "run {id} after the kill");
    }
    let db = rusqlite::Connection::open(data.path().join(bulbwatch::store::DB_FILE)).unwrap();
    let mut stmt = db
        .prepare("SELECT count(*) FROM bulb_changes WHERE request_id = ?1")
        .unwrap();
    for id in &acked.changes {
        let n: i64 = stmt.query_row([id], |row| row.get(0)).unwrap();
        assert_eq!(n, 1, "bulb change {id} after the kill");
    }
    let mut child = again.child;
    child.kill().unwrap();
    child.wait().unwrap();
}
