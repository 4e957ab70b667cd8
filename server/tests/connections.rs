//! Connection hygiene over real sockets: slow headers, slow bodies, lying lengths,
//! too many connections, and hyper's own refusals, each answered in the envelope
//! within its timeout while a normal client is served.

mod support;

use std::sync::Arc;
use std::time::Duration;

use bulbwatch::TelemetrySettings;
use bulbwatch::serve::ConnectionLimits;
use serde_json::Value;
use support::RecordingBulb;
use support::running::Running;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Limits with short timeouts, so a refusal shows in a second.
fn short(max_connections: usize) -> ConnectionLimits {
    ConnectionLimits {
        max_connections,
        header_timeout: Duration::from_secs(1),
        body_timeout: Duration::from_secs(1),
        max_per_address: max_connections,
    }
}

async fn server(dir: &tempfile::TempDir, limits: ConnectionLimits) -> Running {
    Running::start_limited(
        dir.path(),
        Arc::new(RecordingBulb::default()),
        TelemetrySettings::default(),
        None,
        limits,
    )
    .await
}

async fn connect(server: &Running) -> TcpStream {
    TcpStream::connect(server.base.trim_start_matches("http://"))
        .await
        .unwrap()
}

/// Everything the server sends until it closes the connection (at most `within`).
async fn read_to_close(stream: &mut TcpStream, within: Duration) -> String {
    let mut out = Vec::new();
    tokio::time::timeout(within, stream.read_to_end(&mut out))
        .await
        .expect("the server answers and closes in time")
        .unwrap();
    String::from_utf8_lossy(&out).into_owned()
}

/// The status and the envelope's code of a raw answer.
fn status_and_code(answer: &str) -> (u16, String) {
    let status = answer
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP answer: {answer:?}"));
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
    let envelope: Value =
        serde_json::from_str(body).unwrap_or_else(|e| panic!("no envelope ({e}) in {answer:?}"));
    let code = envelope["error"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        !envelope["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .is_empty(),
        "{answer}"
    );
    (status, code)
}

/// `request` on a new connection, and everything answered until the server closes it.
async fn answer_to(server: &Running, request: &[u8]) -> String {
    answer_on(connect(server).await, request).await
}

/// `request` on `stream`, and everything answered until the server closes it.
async fn answer_on(mut stream: TcpStream, request: &[u8]) -> String {
    stream.write_all(request).await.unwrap();
    read_to_close(&mut stream, Duration::from_secs(10)).await
}

async fn normal_client_is_served(server: &Running) {
    let res = reqwest::get(server.url("/api/bulb")).await.unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn half_sent_headers_get_a_408_while_others_are_served() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(&dir, short(64)).await;
    let mut slow = connect(&server).await;
    slow.write_all(b"GET /api/bulb HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: appl")
        .await
        .unwrap();
    normal_client_is_served(&server).await;
    let answer = read_to_close(&mut slow, Duration::from_secs(10)).await;
    assert_eq!(
        status_and_code(&answer),
        (408, "request_timeout".into()),
        "{answer}"
    );
    normal_client_is_served(&server).await;
    server.shut_down().await;
}

#[tokio::test]
async fn an_idle_kept_alive_connection_is_closed_without_an_answer() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(&dir, short(64)).await;
    let mut idle = connect(&server).await;
    idle.write_all(b"GET /api/bulb HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .unwrap();
    let mut first = vec![0u8; 4096];
    let n = idle.read(&mut first).await.unwrap();
    let first = String::from_utf8_lossy(&first[..n]).into_owned();
    assert!(first.starts_with("HTTP/1.1 200"), "{first}");
    // Kept alive, then nothing more: closed after the idle timeout, no 408.
    let rest = read_to_close(&mut idle, Duration::from_secs(10)).await;
    assert!(!rest.contains("HTTP/1.1"), "{rest}");
    server.shut_down().await;
}

#[tokio::test]
async fn a_body_that_stops_coming_gets_a_408_and_nothing_is_joined() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(&dir, short(64)).await;
    let mut slow = connect(&server).await;
    slow.write_all(
        b"POST /api/attendees HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 60\r\n\r\n{\"name\": \"Ada\"",
    )
    .await
    .unwrap();
    normal_client_is_served(&server).await;
    let answer = read_to_close(&mut slow, Duration::from_secs(10)).await;
    assert_eq!(
        status_and_code(&answer),
        (408, "request_timeout".into()),
        "{answer}"
    );
    let board = server
        .as_facilitator(
            &reqwest::Client::new(),
            "GET",
            "/api/room/board",
            Value::Null,
        )
        .await;
    assert_eq!(board["tiles"].as_array().map(Vec::len), Some(0), "{board}");
    server.shut_down().await;
}

#[tokio::test]
async fn a_length_over_the_limit_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    // The body timeout is long: only an answer that does not wait for the body
    // arrives in time.
    let server = server(
        &dir,
        ConnectionLimits {
            body_timeout: Duration::from_secs(60),
            ..short(64)
        },
    )
    .await;
    let answer = answer_to(
        &server,
        b"POST /api/attendees HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n{\"name\": 1}",
    )
    .await;
    assert_eq!(
        status_and_code(&answer),
        (413, "payload_too_large".into()),
        "{answer}"
    );
    server.shut_down().await;
}

#[tokio::test]
async fn past_the_connection_limit_a_new_one_gets_a_503_until_one_closes() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(
        &dir,
        ConnectionLimits {
            header_timeout: Duration::from_secs(60),
            ..short(3)
        },
    )
    .await;
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(connect(&server).await);
    }
    let answer = answer_to(
        &server,
        b"GET /api/bulb HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    )
    .await;
    assert_eq!(status_and_code(&answer), (503, "busy".into()), "{answer}");
    assert!(
        answer.to_ascii_lowercase().contains("retry-after: 1"),
        "{answer}"
    );
    drop(held.pop());
    // The freed place is taken by the next client (the close may take a moment to
    // reach the server: a few tries).
    let mut served = false;
    for _ in 0..50 {
        if let Ok(res) = reqwest::get(server.url("/api/bulb")).await
            && res.status() == 200
        {
            served = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(served, "a client is served once a connection closes");
    server.shut_down().await;
}

#[tokio::test]
async fn hyper_s_own_refusals_come_in_the_envelope() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(&dir, short(64)).await;

    let long_url = format!(
        "GET /api/bulb?{} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        "a".repeat(70 * 1024)
    );
    let answer = answer_to(&server, long_url.as_bytes()).await;
    assert_eq!(
        status_and_code(&answer),
        (414, "uri_too_long".into()),
        "{answer}"
    );

    let mut many = String::from("GET /api/bulb HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for i in 0..150 {
        many.push_str(&format!("x-header-{i}: {i}\r\n"));
    }
    many.push_str("\r\n");
    let answer = answer_to(&server, many.as_bytes()).await;
    assert_eq!(
        status_and_code(&answer),
        (431, "headers_too_large".into()),
        "{answer}"
    );

    let answer = answer_to(&server, b"GET\0/ HTTP/1.1\r\n\r\n").await;
    assert_eq!(
        status_and_code(&answer),
        (400, "bad_request".into()),
        "{answer}"
    );

    normal_client_is_served(&server).await;
    server.shut_down().await;
}

#[tokio::test]
async fn every_answer_says_nosniff_and_carries_the_policy() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(&dir, short(64)).await;
    for path in ["/api/bulb", "/api/nothing-here", "/"] {
        let res = reqwest::get(server.url(path)).await.unwrap();
        let headers = res.headers();
        assert_eq!(
            headers
                .get("x-content-type-options")
                .map(|v| v.to_str().unwrap()),
            Some("nosniff"),
            "{path}"
        );
        let policy = headers
            .get("content-security-policy")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        assert!(
            policy.contains("script-src 'self' 'wasm-unsafe-eval'"),
            "{path}: {policy}"
        );
        assert!(policy.contains("object-src 'none'"), "{path}: {policy}");
    }
    server.shut_down().await;
}

#[tokio::test]
async fn a_live_stream_outlasts_the_header_and_idle_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(&dir, short(64)).await;
    let mut live = connect(&server).await;
    live.write_all(
        b"GET /api/bulb/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n",
    )
    .await
    .unwrap();
    let mut seen = Vec::new();
    let mut buf = vec![0u8; 8192];
    let n = live.read(&mut buf).await.unwrap();
    seen.extend_from_slice(&buf[..n]);
    assert!(String::from_utf8_lossy(&seen).starts_with("HTTP/1.1 200"));
    // Three header timeouts later, a change still arrives on the same stream.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let client = reqwest::Client::new();
    let token = server.join(&client, "Ada").await;
    server
        .set(&client, &token, serde_json::json!({"colour": "#123456"}))
        .await;
    let arrived = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            let n = live.read(&mut buf).await.unwrap();
            assert!(n > 0, "the live stream was closed");
            seen.extend_from_slice(&buf[..n]);
            if String::from_utf8_lossy(&seen).contains("#123456") {
                return;
            }
        }
    })
    .await;
    assert!(arrived.is_ok(), "{}", String::from_utf8_lossy(&seen));
    server.shut_down().await;
}

/// A connection from another loopback address (Linux routes all of 127/8 to `lo`).
async fn connect_from(server: &Running, from: [u8; 4]) -> TcpStream {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(std::net::SocketAddr::from((from, 0))).unwrap();
    socket
        .connect(server.base.trim_start_matches("http://").parse().unwrap())
        .await
        .unwrap()
}

async fn get_bulb_on(stream: TcpStream) -> String {
    answer_on(
        stream,
        b"GET /api/bulb HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    )
    .await
}

#[tokio::test]
async fn one_address_cannot_hold_the_room_s_connections() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(
        &dir,
        ConnectionLimits {
            header_timeout: Duration::from_secs(60),
            max_per_address: 3,
            ..short(64)
        },
    )
    .await;
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(connect_from(&server, [127, 0, 0, 1]).await);
    }
    let answer = get_bulb_on(connect_from(&server, [127, 0, 0, 1]).await).await;
    assert_eq!(status_and_code(&answer), (503, "busy".into()), "{answer}");
    assert!(
        answer.contains("your address holds 3 connections"),
        "{answer}"
    );
    // Another laptop is served meanwhile.
    let answer = get_bulb_on(connect_from(&server, [127, 0, 0, 2]).await).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    server.shut_down().await;
}
