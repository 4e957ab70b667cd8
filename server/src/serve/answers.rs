//! Answers written on a socket by the connection layer, outside the router, in the
//! same envelope as every other error: a 503 when the server holds as many
//! connections as it may, a 408 when a request's headers stop arriving, and hyper's
//! own answers to requests it cannot parse (400, 414, 431), given a body.

use std::io;
use std::time::Duration;

use bulbwatch_api::{ApiError, ErrorCode};
use tokio::net::TcpStream;

/// Longest a refusal waits to be written and to see the client's request out.
const REFUSAL_WAIT: Duration = Duration::from_millis(500);

/// A complete HTTP/1.1 answer that closes the connection, its body the envelope.
pub(super) fn raw(status: u16, reason: &str, code: ErrorCode, message: &str) -> Vec<u8> {
    let body =
        serde_json::to_string(&ApiError::new(code, message)).unwrap_or_else(|_| String::from("{}"));
    let mut answer = format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\nx-content-type-options: nosniff\r\n",
        body.len()
    );
    if status == 503 {
        answer.push_str("retry-after: 1\r\n");
    }
    answer.push_str("\r\n");
    answer.push_str(&body);
    answer.into_bytes()
}

/// The envelope in place of one of hyper's own empty error answers, if `head` is one.
///
/// hyper writes those (and only those: every answer of the router has a body) as a
/// status line with `content-length: 0` and nothing after the headers.
pub(super) fn in_envelope(head: &[u8]) -> Option<Vec<u8>> {
    // Cheap looks first: this runs on every answer's first write.
    if !head.starts_with(b"HTTP/1.1 4") || !head.ends_with(b"\r\n\r\n") {
        return None;
    }
    let text = std::str::from_utf8(head).ok()?;
    let status = text.get(9..12)?;
    if !text
        .to_ascii_lowercase()
        .contains("\r\ncontent-length: 0\r\n")
    {
        return None;
    }
    let (status, reason, code, message) = match status {
        "400" => (
            400,
            "Bad Request",
            ErrorCode::BadRequest,
            "the request could not be read as HTTP/1.1: a malformed request line or header"
                .to_string(),
        ),
        "414" => (
            414,
            "URI Too Long",
            ErrorCode::UriTooLong,
            format!(
                "the URL is too long: at most {} bytes (64 KB)",
                super::MAX_URI_BYTES
            ),
        ),
        "431" => (
            431,
            "Request Header Fields Too Large",
            ErrorCode::HeadersTooLarge,
            format!(
                "too many headers: at most {} of them, {} KB with the request line",
                super::MAX_HEADERS,
                super::MAX_HEADER_BYTES / 1024
            ),
        ),
        _ => return None,
    };
    Some(raw(status, reason, code, &message))
}

/// The 408 for a request whose headers did not all arrive within `timeout`.
pub(super) fn header_timeout(timeout: Duration) -> Vec<u8> {
    raw(
        408,
        "Request Timeout",
        ErrorCode::RequestTimeout,
        &format!(
            "the request's headers did not all arrive within {} s",
            timeout.as_secs_f64()
        ),
    )
}

/// Writes `answer` (best effort, within [`REFUSAL_WAIT`]) and ends the connection's
/// writing side. What the client sent is read first and after, so closing does not
/// reset the connection before the client has read the answer.
pub(super) async fn write_and_close(stream: &TcpStream, answer: &[u8]) {
    let _ = tokio::time::timeout(REFUSAL_WAIT, async {
        let mut sent = 0;
        while sent < answer.len() {
            if stream.writable().await.is_err() {
                return;
            }
            match stream.try_write(&answer[sent..]) {
                Ok(n) => sent += n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(_) => return,
            }
        }
    })
    .await;
    let _ = shutdown_write(stream);
    drain(stream).await;
}

/// Reads and drops what the client still sends, until it closes or a moment passes.
async fn drain(stream: &TcpStream) {
    let _ = tokio::time::timeout(REFUSAL_WAIT, async {
        let mut buf = [0u8; 4096];
        loop {
            if stream.readable().await.is_err() {
                return;
            }
            match stream.try_read(&mut buf) {
                Ok(0) => return,
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(_) => return,
            }
        }
    })
    .await;
}

/// Ends the writing side of a socket behind `&TcpStream`.
fn shutdown_write(stream: &TcpStream) -> io::Result<()> {
    match socket2::SockRef::from(stream).shutdown(std::net::Shutdown::Write) {
        Err(e) if e.kind() == io::ErrorKind::NotConnected => Ok(()),
        other => other,
    }
}
