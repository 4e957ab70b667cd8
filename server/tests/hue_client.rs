//! A real, unmodified Hue client library (phue 1.1 from PyPI, pure Python) against a
//! whole server with its Hue listener: `scripts/hue_client_check.py` pairs (refused
//! before the link button, accepted after), lists the lights, sets a colour and reads
//! it back once the queue applied it, switches the light and sets a colour
//! temperature through phue's Light objects, and reconnects with the saved username.
//!
//! phue lives in a venv that `scripts/test.sh native` makes (`ensure_hue_client` in
//! scripts/setup.sh); `BULBWATCH_HUE_PYTHON` names its interpreter.

mod support;

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use support::RecordingBulb;
use support::running::Running;

/// The venv's Python: `BULBWATCH_HUE_PYTHON`, else `hue-client-venv` in the target
/// folder this test was built in.
fn python() -> PathBuf {
    if let Some(path) = std::env::var_os("BULBWATCH_HUE_PYTHON") {
        return PathBuf::from(path);
    }
    // target/debug/deps/hue_client-… → target
    let exe = std::env::current_exe().unwrap();
    let target = exe.ancestors().nth(3).unwrap().to_path_buf();
    target.join("hue-client-venv/bin/python")
}

#[tokio::test]
async fn phue_pairs_lists_the_lights_sets_a_colour_and_reads_it_back() {
    let python = python();
    assert!(
        python.is_file(),
        "phue's venv is missing ({} does not exist): run `./scripts/test.sh native`, which \
         installs it, or set BULBWATCH_HUE_PYTHON to a Python that has phue==1.1",
        python.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let server = Running::start_with_hue(dir.path(), Arc::new(RecordingBulb::default())).await;
    let client = reqwest::Client::new();
    // A real queue: the colour shows some time after phue's PUT was answered.
    server.set_delay(&client, 150).await;
    let bridge = server
        .hue_base
        .clone()
        .expect("the Hue API listens")
        .trim_start_matches("http://")
        .to_string();
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scripts/hue_client_check.py");
    let config = dir.path().join("phue.json");
    let (base, token) = (server.base.clone(), server.facilitator());
    let output = tokio::task::spawn_blocking(move || {
        Command::new(&python)
            .arg(&script)
            .args(["--bridge", &bridge, "--console", &base])
            .args(["--facilitator-token", &token])
            .arg("--config")
            .arg(&config)
            .output()
            .expect("python runs")
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the phue check failed ({}):\n{stderr}\n{stdout}",
        output.status
    );
    let seen: Value = serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("not one JSON line ({e}): {stdout}\n{stderr}"));
    assert_eq!(seen["refused_before_button"], 101, "{seen}");
    assert_eq!(seen["username_length"], 40);
    assert_eq!(seen["lights"]["1"], "Bulbwatch bulb 1");
    assert_eq!(seen["bridge_name"], "Bulbwatch");
    assert!(seen["hue_read_back"].as_u64().unwrap().abs_diff(10000) < 600);
    assert_eq!(seen["bri_read_back"], 200);
    assert_eq!(seen["colormode"], "hs");
    assert_eq!(seen["ct_read_back"], 400);
    assert_eq!(seen["reconnected_name"], "Bulbwatch bulb 1");

    // The room saw phue as the writer, through the same queue.
    let bulb = server.drained(&client, Duration::from_secs(10)).await;
    assert_eq!(bulb["applied_by"]["name"], "python_hue", "{bulb}");
    assert_eq!(bulb["on"], true);
    let room = server
        .as_facilitator(&client, "GET", "/api/room/hue", Value::Null)
        .await;
    assert_eq!(room["apps"][0]["devicetype"], "python_hue");
    server.shut_down().await;
}
