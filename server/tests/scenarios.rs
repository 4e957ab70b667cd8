//! Each failure scenario, proven with the product's own tools: a rehearsal room of
//! simulated attendees (the classic check, real HTTP) runs with the scenario on; its
//! checks fail; the scenario's revealing query singles out the cause; and the
//! comparison of the failures against the rest ranks the root-cause column first
//! among the columns that do not restate the selection. A room with no scenario on
//! points at none of their causes. The seed is fixed, so every scenario's decisions
//! replay.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use bulbwatch::TelemetrySettings;
use bulbwatch::bulb::VirtualBulb;
use serde_json::{Value, json};
use support::running::Running;

const SEED: u64 = 20_261_201;
/// Simulated attendees in each rehearsal.
const ATTENDEES: u32 = 16;

struct Room {
    server: Running,
    client: reqwest::Client,
    /// An attendee who asks the questions (queries need a joined attendee).
    me: String,
    _data_dir: tempfile::TempDir,
}

impl Room {
    /// A server with the fixed seed, every instrumentation point on, a short queue
    /// delay and `shards` shards.
    async fn open(shards: u32) -> Self {
        let data_dir = tempfile::tempdir().unwrap();
        let server = Running::start_seeded(
            data_dir.path(),
            Arc::new(VirtualBulb::default()),
            TelemetrySettings::default(),
            Some(SEED),
        )
        .await;
        let client = reqwest::Client::new();
        server.set_all_points(&client, true).await;
        server.set_delay(&client, 20).await;
        let me = server.join(&client, "Investigator").await;
        let room = Self {
            server,
            client,
            me,
            _data_dir: data_dir,
        };
        if shards > 1 {
            room.facilitator("PUT", "/api/room/shards", json!({ "shards": shards }))
                .await;
        }
        room
    }

    async fn facilitator(&self, method: &str, path: &str, body: Value) -> Value {
        self.server
            .as_facilitator(&self.client, method, path, body)
            .await
    }

    async fn scenario(&self, id: &str, on: bool, value: Option<i64>) {
        let board = self
            .facilitator(
                "PUT",
                &format!("/api/room/scenarios/{id}"),
                json!({ "on": on, "value": value }),
            )
            .await;
        let state = board["scenarios"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .unwrap();
        assert_eq!(state["on"], on, "{state}");
    }

    /// Runs the rehearsal room for `secs`, then stops it and waits until every
    /// simulated attendee has recorded its last run and the queues are empty.
    async fn rehearse(&self, secs: u64) {
        self.start_rehearsal().await;
        tokio::time::sleep(Duration::from_secs(secs)).await;
        self.stop_rehearsal().await;
    }

    /// Runs the rehearsal room until at least `lost` applies failed (at most
    /// `max_secs`), then stops it as [`Room::rehearse`] does.
    async fn rehearse_until_lost(&self, lost: u64, max_secs: u64) {
        self.start_rehearsal().await;
        let deadline = Instant::now() + Duration::from_secs(max_secs);
        tokio::time::sleep(Duration::from_secs(6)).await;
        loop {
            let failed = self
                .totals(json!({
                    "dataset": "bulb", "calculations": [{"op": "COUNT"}],
                    "filters": [{"column": "name", "op": "=", "value": "bulb.apply"},
                                {"column": "succeeded", "op": "=", "value": false}],
                    "time_range": 3600,
                }))
                .await
                .first()
                .map_or(0, |(_, v)| v[0] as u64);
            if failed >= lost {
                break;
            }
            assert!(
                Instant::now() + Duration::from_secs(2) < deadline,
                "only {failed} applies failed within {max_secs} s"
            );
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
        self.stop_rehearsal().await;
    }

    async fn start_rehearsal(&self) {
        let board = self
            .facilitator(
                "PUT",
                "/api/room/rehearsal",
                json!({ "attendees": ATTENDEES, "interval_ms": 1000 }),
            )
            .await;
        assert_eq!(board["rehearsal"]["running"], ATTENDEES);
    }

    async fn stop_rehearsal(&self) {
        self.facilitator("PUT", "/api/room/rehearsal", json!({ "attendees": 0 }))
            .await;
        let deadline = Instant::now() + Duration::from_secs(15);
        while !self.server.state.rehearsal.all_stopped() {
            assert!(
                Instant::now() < deadline,
                "simulated attendees did not stop"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // Whatever is still queued applies (a scenario's delay stays as it was).
        self.server.set_delay(&self.client, 0).await;
        self.server
            .drained(&self.client, Duration::from_secs(30))
            .await;
        let shards = self.server.state.bulb.shards();
        for n in 0..shards {
            let deadline = Instant::now() + Duration::from_secs(30);
            while self.server.state.bulb.state(n).queue_length > 0 {
                assert!(Instant::now() < deadline, "shard {n} did not drain");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
        // The event writer lands spans in batches.
        tokio::time::sleep(Duration::from_millis(700)).await;
    }

    async fn post(&self, path: &str, spec: Value) -> Value {
        let res = self
            .client
            .post(self.server.url(path))
            .bearer_auth(&self.me)
            .json(&spec)
            .send()
            .await
            .unwrap();
        let status = res.status();
        let body: Value = res.json().await.unwrap();
        assert!(status.is_success(), "{path}: {status} {body}");
        body
    }

    /// `(group, values)` rows of a query's totals.
    async fn totals(&self, spec: Value) -> Vec<(Vec<Value>, Vec<f64>)> {
        let answer = self.post("/api/query", spec).await;
        answer["totals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| {
                let group = row["group"].as_array().unwrap().clone();
                let values = row["values"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_f64().unwrap_or(f64::NAN))
                    .collect();
                (group, values)
            })
            .collect()
    }

    /// The scenario's own revealing query, as the console links it.
    async fn revealing_query(&self, id: &str) -> Value {
        let board = self
            .facilitator("GET", "/api/room/scenarios", json!(null))
            .await;
        let url = board["scenarios"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .unwrap()["explore_url"]
            .as_str()
            .unwrap()
            .to_string();
        let encoded = url.strip_prefix("/explore?q=").unwrap();
        let json = percent_encoding::percent_decode_str(encoded)
            .decode_utf8()
            .unwrap();
        serde_json::from_str(&json).unwrap()
    }

    async fn runs(&self) -> (u64, u64) {
        let rows = self
            .totals(json!({
                "dataset": "e2e", "calculations": [{"op": "COUNT"}],
                "breakdowns": ["success"], "time_range": 3600,
            }))
            .await;
        let count = |success: bool| {
            rows.iter()
                .filter(|(g, _)| g[0] == json!(success))
                .map(|(_, v)| v[0] as u64)
                .sum::<u64>()
        };
        (count(false), count(true))
    }

    /// The request ids of the failed runs.
    async fn failed_request_ids(&self) -> Vec<Value> {
        self.totals(json!({
            "dataset": "e2e", "calculations": [{"op": "COUNT"}],
            "filters": [{"column": "success", "op": "=", "value": false},
                        {"column": "request_id", "op": "exists"}],
            "breakdowns": ["request_id"], "limit": 1000, "time_range": 3600,
        }))
        .await
        .into_iter()
        .map(|(g, _)| g[0].clone())
        .collect()
    }

    /// A comparison of `selection` (filters) against the rest of `dataset` (within
    /// `population` filters): the ranked columns and the restating ones.
    async fn compare(&self, dataset: &str, population: Value, selection: Value) -> Compared {
        self.compare_in(dataset, population, selection, json!({"time_range": 3600}))
            .await
    }

    /// [`Room::compare`] over `range` (`time_range`, or `start_time` and `end_time`).
    async fn compare_in(
        &self,
        dataset: &str,
        population: Value,
        selection: Value,
        range: Value,
    ) -> Compared {
        let mut spec = json!({
            "dataset": dataset,
            "filters": population,
            "selection": {"kind": "filters", "filters": selection},
        });
        for (key, value) in range.as_object().unwrap() {
            spec[key] = value.clone();
        }
        let answer = self.post("/api/compare", spec).await;
        let columns = |key: &str| -> Vec<(String, f64)> {
            answer[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    (
                        c["column"].as_str().unwrap().to_string(),
                        c["score"].as_f64().unwrap(),
                    )
                })
                .collect()
        };
        Compared {
            ranked: columns("columns"),
            restating: columns("restating_columns"),
        }
    }

    async fn failed_vs_passed_runs(&self) -> Compared {
        self.compare(
            "e2e",
            json!([]),
            json!([{"column": "success", "op": "=", "value": false}]),
        )
        .await
    }

    async fn failed_vs_succeeded_applies(&self) -> Compared {
        self.compare(
            "bulb",
            json!([{"column": "name", "op": "=", "value": "bulb.apply"}]),
            json!([{"column": "succeeded", "op": "=", "value": false}]),
        )
        .await
    }
}

#[derive(Debug)]
struct Compared {
    ranked: Vec<(String, f64)>,
    restating: Vec<(String, f64)>,
}

impl Compared {
    fn first(&self) -> (&str, f64) {
        let (column, score) = &self.ranked[0];
        (column.as_str(), *score)
    }

    fn score_of(&self, column: &str) -> f64 {
        self.ranked
            .iter()
            .find(|(c, _)| c == column)
            .map_or(0.0, |(_, s)| *s)
    }

    /// `cause` scores at least `at_least`, and the only columns ranked above it are
    /// `proxies` (columns that follow from it, such as the attendees pinned to a
    /// shard), by a tenth at most: a proxy is a noisier split of the same events,
    /// so on a few hundred of them it may edge ahead, but never far.
    fn ranks_first_but_for_proxies(&self, cause: &str, proxies: &[&str], at_least: f64) {
        let score = self.score_of(cause);
        assert!(score >= at_least, "{cause} scores only {score}: {self:?}");
        for (column, above) in self.ranked.iter().take_while(|(c, _)| c != cause) {
            assert!(
                proxies.contains(&column.as_str()) && above - score <= 0.1,
                "{column} ({above}) ranks above {cause} ({score}): {self:?}"
            );
        }
    }

    /// The first-ranked column is one of `causes`, clearly ahead of the rest.
    fn ranks_first(&self, causes: &[&str], at_least: f64) {
        let (first, score) = self.first();
        assert!(causes.contains(&first), "{first} ranks first: {self:?}");
        assert!(score >= at_least, "{first} scores only {score}: {self:?}");
    }
}

fn group_str(group: &[Value], i: usize) -> String {
    match &group[i] {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flaky_green_loses_only_green_and_the_comparison_says_colour() {
    let room = Room::open(1).await;
    room.scenario("flaky_green", true, None).await;
    room.rehearse_until_lost(6, 90).await;

    let (failed, passed) = room.runs().await;
    assert!(failed > 0 && passed > 0, "{failed} failed, {passed} passed");

    // The revealing query: applies by colour and outcome. Every failed one is green.
    let spec = room.revealing_query("flaky_green").await;
    let rows = room.totals(spec).await;
    let lost: Vec<String> = rows
        .iter()
        .filter(|(g, _)| g[1] == json!(false))
        .map(|(g, _)| group_str(g, 0))
        .collect();
    assert!(!lost.is_empty(), "some green was lost: {rows:?}");
    assert!(
        lost.iter().all(|c| c == "green" || c == "#00ff00"),
        "{lost:?}"
    );

    let compared = room.failed_vs_succeeded_applies().await;
    compared.ranks_first(&["colour", "hue"], 0.5);
    assert!(
        compared.restating.iter().any(|(c, _)| c == "error"),
        "the error only restates a failed apply: {compared:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn background_noise_loses_changes_that_nothing_sets_apart() {
    let room = Room::open(1).await;
    room.scenario("background_noise", true, None).await;
    // 1 in 30 is rare: run until enough are lost to judge, since a handful of
    // failures would make any column look special.
    room.rehearse_until_lost(10, 90).await;

    let spec = room.revealing_query("background_noise").await;
    let rows = room.totals(spec).await;
    let lost: f64 = rows
        .iter()
        .filter(|(g, _)| g[0] == json!(false))
        .map(|(_, v)| v[0])
        .sum();
    let all: f64 = rows.iter().map(|(_, v)| v[0]).sum();
    assert!(lost >= 10.0, "enough changes were lost: {rows:?}");
    let (failed, _) = room.runs().await;
    assert!(failed > 0, "lost changes fail checks");
    assert!(lost / all < 0.15, "about 1 in 30: {lost} of {all}");

    // No attribute singles the lost changes out: the lesson is an error budget.
    let compared = room.failed_vs_succeeded_applies().await;
    let (first, score) = compared.first();
    assert!(score < 0.6, "{first} stands out at {score}: {compared:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gamut_clamp_reads_back_other_colours_for_green_cyan_and_blue() {
    // Eight shards, so the shared bulb's own failures do not drown the clamp's.
    let room = Room::open(8).await;
    room.scenario("gamut_clamp", true, None).await;
    room.rehearse(12).await;

    let (failed, _) = room.runs().await;
    assert!(failed > 0);
    // Clamped applies are only ever the colours outside gamut B.
    let spec = room.revealing_query("gamut_clamp").await;
    let rows = room.totals(spec).await;
    let clamped: Vec<String> = rows
        .iter()
        .filter(|(g, _)| g[1] == json!(true))
        .map(|(g, _)| group_str(g, 0))
        .collect();
    assert!(!clamped.is_empty(), "{rows:?}");
    let outside = ["green", "cyan", "blue", "#00ff00", "#00ffff", "#0000ff"];
    assert!(
        clamped.iter().all(|c| outside.contains(&c.as_str())),
        "{clamped:?}"
    );

    // Failed runs list their outcome apart.
    let compared = room.failed_vs_passed_runs().await;
    for restated in ["message", "actual", "expected", "duration_ms"] {
        assert!(
            compared.ranked.iter().all(|(c, _)| c != restated),
            "{restated} is listed apart: {compared:?}"
        );
    }
    // The applies of the failed runs' changes, against the rest: clamped.
    let ids = room.failed_request_ids().await;
    let compared = room
        .compare(
            "bulb",
            json!([{"column": "name", "op": "=", "value": "bulb.apply"}]),
            json!([{"column": "request_id", "op": "in", "value": ids}]),
        )
        .await;
    compared.ranks_first(&["clamped", "colour", "hue"], 0.4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_shard_is_slow_and_loses_changes_on_that_shard_alone() {
    let room = Room::open(4).await;
    // Lossy first (no slowness), so nothing but the shard sets the failures apart.
    room.scenario("bad_shard", true, Some(0)).await;
    room.rehearse(12).await;

    let (failed, passed) = room.runs().await;
    assert!(failed > 0 && passed > 0, "{failed} failed, {passed} passed");
    let spec = room.revealing_query("bad_shard").await;
    let rows = room.totals(spec).await;
    let failed_shards: Vec<String> = rows
        .iter()
        .filter(|(g, _)| g[1] == json!(false))
        .map(|(g, _)| group_str(g, 0))
        .collect();
    assert!(!failed_shards.is_empty(), "{rows:?}");
    assert!(
        failed_shards.iter().all(|s| s == &failed_shards[0]),
        "one shard loses changes: {rows:?}"
    );

    let compared = room.failed_vs_succeeded_applies().await;
    // With three attendees to a shard, the bad shard's previous writers are its own
    // attendees: a column that names them tells the shard too, and may tie with it.
    // A lost change leaves the shard's last colour standing, so the bad shard's
    // changes replace older colours: `previous_shown_ms` follows from the shard too.
    compared.ranks_first_but_for_proxies(
        "shard",
        &[
            "previous_writer",
            "previous_shown_ms",
            "attendee",
            "attendee_id",
        ],
        0.5,
    );

    // Slow too: the bad shard's bridge takes the time the facilitator set.
    let bad = failed_shards[0].parse::<f64>().unwrap() as u32;
    let good = (bad + 1) % 4;
    room.scenario("bad_shard", true, Some(400)).await;
    let ada = room.server.join(&room.client, "Ada").await;
    for shard in [bad, good] {
        let res = room
            .client
            .put(room.server.url(&format!("/api/bulb?shard={shard}")))
            .bearer_auth(&ada)
            .json(&json!({"colour": "white"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 202);
    }
    room.stop_rehearsal().await;
    let rows = room
        .totals(json!({
            "dataset": "bulb", "calculations": [{"op": "MAX", "column": "save_ms"}],
            "filters": [{"column": "name", "op": "=", "value": "bulb.apply"},
                        {"column": "attendee", "op": "=", "value": "Ada"}],
            "breakdowns": ["shard"], "time_range": 3600,
        }))
        .await;
    let save_ms = |shard: u32| {
        rows.iter()
            .find(|(g, _)| g[0].as_f64() == Some(f64::from(shard)))
            .map(|(_, v)| v[0])
            .unwrap_or_else(|| panic!("shard {shard}: {rows:?}"))
    };
    assert!(save_ms(bad) >= 400.0, "{rows:?}");
    assert!(save_ms(good) < 400.0, "{rows:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_deploy_breaks_hex_colours_from_the_marker_on() {
    // Eight shards, so the shared bulb's own failures do not drown the deploy's.
    let room = Room::open(8).await;
    room.start_rehearsal().await;
    tokio::time::sleep(Duration::from_secs(8)).await;
    room.scenario("bad_deploy", true, None).await;
    tokio::time::sleep(Duration::from_secs(9)).await;
    room.stop_rehearsal().await;

    // The deploy stands on every chart.
    let markers: Value = room
        .client
        .get(room.server.url("/api/markers"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let deploy = markers
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["kind"] == "scenario")
        .expect("the deploy marker");
    assert!(
        deploy["text"].as_str().unwrap().starts_with("deploy"),
        "{deploy}"
    );

    // The revealing query counts failures by input form over time: from the marker
    // on, hex fails far more than before. Runs are counted when they start, and one
    // takes up to about 4 s: the runs started in the 4 s before the deploy may have
    // met it, and count on neither side.
    let deployed_ms = deploy["at_ms"].as_i64().unwrap();
    let deployed_s = deployed_ms / 1000 + 1;
    let mut spec = room.revealing_query("bad_deploy").await;
    let answer = room.post("/api/query", spec.take()).await;
    let hex = answer["series"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["group"][0] == "hex")
        .expect("hex failures");
    // The window fits the rehearsal, and its buckets follow (seconds, here).
    let bucket_ms = answer["granularity_ms"].as_i64().unwrap();
    assert!(bucket_ms <= 5_000, "{bucket_ms} ms buckets");
    let (mut before, mut after) = (0.0, 0.0);
    for point in hex["points"].as_array().unwrap() {
        let n = point["values"][0].as_f64().unwrap_or(0.0);
        let at = point["time_ms"].as_i64().unwrap();
        if at + bucket_ms <= deployed_ms - 4_000 {
            before += n;
        } else if at >= deployed_ms {
            after += n;
        }
    }
    assert!(
        after > before + 3.0,
        "hex failures {before} before, {after} after"
    );

    // What changed at the marker: since then, the failures are set apart by form.
    let since = json!({"start_time": deployed_s, "end_time": deployed_s + 3600});
    let compared = room
        .compare_in(
            "e2e",
            json!([]),
            json!([{"column": "success", "op": "=", "value": false}]),
            since,
        )
        .await;
    compared.ranks_first(&["input_form"], 0.3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_queue_delays_changes_past_the_checks_polling() {
    let room = Room::open(1).await;
    // Mild enough that the queue comes and goes: some changes wait, some do not.
    room.scenario("busy_queue", true, Some(350)).await;
    room.rehearse(10).await;

    let (failed, _) = room.runs().await;
    assert!(failed >= 5, "{failed} failed");
    // The revealing query: the delay from request to applied grows with the queue.
    let spec = room.revealing_query("busy_queue").await;
    let rows = room.totals(spec).await;
    let longest = rows
        .iter()
        .filter(|(g, _)| g[0].is_number())
        .max_by(|a, b| {
            a.0[0]
                .as_f64()
                .unwrap()
                .total_cmp(&b.0[0].as_f64().unwrap())
        })
        .unwrap();
    assert!(
        longest.1[0] > 3000.0,
        "P95 delay at the longest queue: {longest:?}"
    );

    // The slow applies (a box drawn on the delay heatmap: more than the 3 s a check
    // polls), against the rest: the queue they joined.
    let answer = room
        .post(
            "/api/compare",
            json!({
                "dataset": "bulb",
                "filters": [{"column": "name", "op": "=", "value": "bulb.apply"}],
                "time_range": 3600,
                "selection": {"kind": "region", "column": "delay_ms", "min": 3000},
            }),
        )
        .await;
    let first = answer["columns"][0]["column"].as_str().unwrap();
    assert!(first == "queue_length", "{first} ranks first: {answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shared_bulb_shows_as_changes_replaced_before_their_check_read_them() {
    let room = Room::open(1).await;
    room.rehearse(12).await;

    let (failed, _) = room.runs().await;
    assert!(failed > 0, "a busy shared bulb makes some checks fail");
    let spec = room.revealing_query("shared_bulb").await;
    let rows = room.totals(spec).await;
    assert!(!rows.is_empty(), "changes replaced within 200 ms: {rows:?}");

    // The applies that replaced a failed run's change, against the rest: the change
    // they replaced had stood only briefly.
    let ids = room.failed_request_ids().await;
    let compared = room
        .compare(
            "bulb",
            json!([{"column": "name", "op": "=", "value": "bulb.apply"},
                   {"column": "previous_shown_ms", "op": "<", "value": 1000}]),
            json!([{"column": "previous_request_id", "op": "in", "value": ids}]),
        )
        .await;
    compared.ranks_first(
        &["previous_shown_ms", "previous_writer", "queue_length"],
        0.2,
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_no_scenario_on_the_failures_point_at_none_of_their_causes() {
    let room = Room::open(1).await;
    // About 110 runs: the share of hex among failures and passes differs by chance
    // by about 0.09 (one standard deviation), so 0.35 is well clear of luck.
    room.rehearse(16).await;

    // Nothing is lost or clamped.
    let rows = room
        .totals(json!({
            "dataset": "bulb", "calculations": [{"op": "COUNT"}],
            "filters": [{"column": "name", "op": "=", "value": "bulb.apply"}],
            "breakdowns": ["succeeded", "clamped"], "time_range": 3600,
        }))
        .await;
    assert!(!rows.is_empty());
    for (group, _) in &rows {
        assert_eq!(group[0], json!(true), "no apply fails: {rows:?}");
        assert_eq!(group[1], json!(false), "nothing is clamped: {rows:?}");
    }
    // The shared bulb's failures are spread over colours and input forms.
    let compared = room.failed_vs_passed_runs().await;
    assert!(
        compared.score_of("input_form") < 0.35,
        "input_form: {compared:?}"
    );
}
