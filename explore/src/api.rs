//! Explore's calls to the Bulbwatch API, through the page's one fetch helper
//! (`bulbwatch_app::api::send`), so failures read the same in both apps.

use bulbwatch_api::{
    ColumnInfo, CompareResult, CompareSpec, Marker, QueryAnswer, QuerySpec, TraceSpan,
};
use bulbwatch_app::api::{ApiFailure, send};
use gloo_net::http::Request;

/// `POST /api/query`.
pub async fn query(spec: &QuerySpec) -> Result<QueryAnswer, ApiFailure> {
    send("running the query", Request::post("/api/query").json(spec)).await
}

/// `POST /api/compare`.
pub async fn compare(spec: &CompareSpec) -> Result<CompareResult, ApiFailure> {
    send(
        "comparing the selection",
        Request::post("/api/compare").json(spec),
    )
    .await
}

/// `GET /api/datasets/{name}/columns`.
pub async fn columns(dataset: &str) -> Result<Vec<ColumnInfo>, ApiFailure> {
    let url = format!(
        "/api/datasets/{}/columns",
        js_sys::encode_uri_component(dataset)
    );
    send("loading the dataset's columns", Request::get(&url).build()).await
}

/// `GET /api/traces/{trace_id}`.
pub async fn trace(trace_id: &str) -> Result<Vec<TraceSpan>, ApiFailure> {
    let url = format!("/api/traces/{}", js_sys::encode_uri_component(trace_id));
    send("loading the trace", Request::get(&url).build()).await
}

/// `GET /api/markers?from=…&to=…`: markers with `from_ms <= at_ms < to_ms`.
pub async fn markers(from_ms: i64, to_ms: i64) -> Result<Vec<Marker>, ApiFailure> {
    let url = format!("/api/markers?from={from_ms}&to={to_ms}");
    send("loading the markers", Request::get(&url).build()).await
}

/// The facilitator's calls (the server answers 401 or 403 to anyone else).
pub mod room {
    use bulbwatch_api::{
        Board, Diagnosis, JoinInfo, MarkDiagnosis, NewSession, Phase, QueueDelay, RoomState,
        ScenarioBoard, SessionExported, SetJoinCode, SetPhase, SetRehearsal, SetScenario,
        SetShards, SetSwitch, SimulatedRemoved,
    };
    use bulbwatch_app::api::{ApiFailure, send, send_no_content};
    use gloo_net::http::Request;

    fn segment(id: &str) -> String {
        String::from(js_sys::encode_uri_component(id))
    }

    /// `PUT /api/room/phase`.
    pub async fn set_phase(phase: Phase) -> Result<RoomState, ApiFailure> {
        send(
            "moving the room to another phase",
            Request::put("/api/room/phase").json(&SetPhase { phase }),
        )
        .await
    }

    /// `PUT /api/room/switches/{id}`.
    pub async fn set_switch(id: &str, on: bool) -> Result<RoomState, ApiFailure> {
        let url = format!("/api/room/switches/{}", segment(id));
        send(
            "switching the room setting",
            Request::put(&url).json(&SetSwitch { on }),
        )
        .await
    }

    /// `POST /api/room/reveal` (show) or `DELETE /api/room/reveal` (hide).
    pub async fn set_reveal(show: bool) -> Result<RoomState, ApiFailure> {
        if show {
            send(
                "revealing the answer",
                Request::post("/api/room/reveal").build(),
            )
            .await
        } else {
            send(
                "hiding the reveal",
                Request::delete("/api/room/reveal").build(),
            )
            .await
        }
    }

    /// `GET /api/room/join`.
    pub async fn join_info() -> Result<JoinInfo, ApiFailure> {
        send(
            "reading the join code",
            Request::get("/api/room/join").build(),
        )
        .await
    }

    /// `PUT /api/room/join` with `{}`: a new code.
    pub async fn new_join_code() -> Result<JoinInfo, ApiFailure> {
        send(
            "making a new join code",
            Request::put("/api/room/join").json(&SetJoinCode::default()),
        )
        .await
    }

    /// `GET /api/room/board`.
    pub async fn board() -> Result<Board, ApiFailure> {
        send("reading the board", Request::get("/api/room/board").build()).await
    }

    /// `PUT /api/room/diagnoses/{attendee_id}`.
    pub async fn mark_diagnosis(attendee_id: &str, right: bool) -> Result<Diagnosis, ApiFailure> {
        let url = format!("/api/room/diagnoses/{}", segment(attendee_id));
        send(
            "marking the diagnosis",
            Request::put(&url).json(&MarkDiagnosis { right }),
        )
        .await
    }

    /// `DELETE /api/attendees/{id}`.
    pub async fn remove_attendee(attendee_id: &str) -> Result<(), ApiFailure> {
        let url = format!("/api/attendees/{}", segment(attendee_id));
        send_no_content("removing the attendee", Request::delete(&url).build()).await
    }

    /// `POST /api/room/sessions`: export everything, then empty the room.
    pub async fn new_session() -> Result<SessionExported, ApiFailure> {
        send(
            "starting a new session",
            Request::post("/api/room/sessions").json(&NewSession { confirm: true }),
        )
        .await
    }

    /// `GET /api/room/scenarios`: the failure scenarios, the seed, the shards and the
    /// rehearsal.
    pub async fn scenarios() -> Result<ScenarioBoard, ApiFailure> {
        send(
            "reading the scenarios",
            Request::get("/api/room/scenarios").build(),
        )
        .await
    }

    /// `PUT /api/room/scenarios/{id}`.
    pub async fn set_scenario(id: &str, change: &SetScenario) -> Result<ScenarioBoard, ApiFailure> {
        let url = format!("/api/room/scenarios/{}", segment(id));
        send("changing the scenario", Request::put(&url).json(change)).await
    }

    /// `PUT /api/room/shards`.
    pub async fn set_shards(shards: u32) -> Result<ScenarioBoard, ApiFailure> {
        send(
            "changing the shards",
            Request::put("/api/room/shards").json(&SetShards { shards }),
        )
        .await
    }

    /// `PUT /api/room/rehearsal`: run this many simulated attendees.
    pub async fn set_rehearsal(change: &SetRehearsal) -> Result<ScenarioBoard, ApiFailure> {
        send(
            "changing the rehearsal room",
            Request::put("/api/room/rehearsal").json(change),
        )
        .await
    }

    /// `DELETE /api/room/rehearsal`: remove every simulated attendee.
    pub async fn remove_simulated() -> Result<SimulatedRemoved, ApiFailure> {
        send(
            "removing the simulated attendees",
            Request::delete("/api/room/rehearsal").build(),
        )
        .await
    }

    /// `PUT /api/bulb/queue-delay`.
    pub async fn set_queue_delay(queue_delay_ms: i64) -> Result<QueueDelay, ApiFailure> {
        send(
            "setting the queue delay",
            Request::put("/api/bulb/queue-delay").json(&QueueDelay { queue_delay_ms }),
        )
        .await
    }
}
