//! One open page's live stream: a connection of its own to `GET /api/bulb/events`,
//! read as Server-Sent Events, reporting every bulb state it is shown.

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use bulbwatch_api::BulbState;
use bytes::{Bytes, BytesMut};
use http_body_util::{BodyExt, Empty};
use hyper::Request;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio::sync::mpsc::UnboundedSender;

/// What a page tells the fan-out.
#[derive(Debug)]
pub enum PageNews {
    /// The page has its first events (every shard's bulb and the room): it is open.
    Open,
    /// The page was shown the change `request_id`.
    Shown(Shown),
    /// The page's stream could not open or ended; it sees nothing more.
    Closed { page: usize, why: String },
}

/// A change one page was shown, and when.
#[derive(Debug)]
pub struct Shown {
    pub page: usize,
    pub request_id: String,
    /// When the bulb applied it, ms since the epoch (the server's clock: this machine's).
    pub applied_at_ms: Option<i64>,
    /// When the page had it.
    pub at: Instant,
    /// The same moment, µs since the epoch, to compare with `applied_at_ms`.
    pub at_wall_us: i64,
}

/// Microseconds since the Unix epoch, now.
pub fn wall_us() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX))
}

/// Opens page `page` against `addr` (`127.0.0.1:PORT`) and reads its stream until it
/// ends, telling `news` what it sees. Never panics on what the server sends.
pub async fn open(page: usize, addr: String, news: UnboundedSender<PageNews>) {
    let why = match read(page, &addr, &news).await {
        Ok(()) => "the stream ended".to_string(),
        Err(e) => e,
    };
    let _ = news.send(PageNews::Closed { page, why });
}

async fn read(page: usize, addr: &str, news: &UnboundedSender<PageNews>) -> Result<(), String> {
    let stream = TcpStream::connect(addr)
        .await
        .map_err(|e| format!("connect: {e}"))?;
    let _ = stream.set_nodelay(true);
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("handshake: {e}"))?;
    tokio::spawn(connection);
    let request = Request::get("/api/bulb/events")
        .header("host", addr)
        .header("accept", "text/event-stream")
        .body(Empty::<Bytes>::new())
        .map_err(|e| e.to_string())?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| format!("request: {e}"))?;
    if !response.status().is_success() {
        return Err(format!("answered {}", response.status()));
    }
    let mut body = response.into_body();
    let mut events = EventStream::default();
    let mut open = false;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| format!("body: {e}"))?;
        let Some(chunk) = frame.data_ref() else {
            continue;
        };
        let (at, at_wall_us) = (Instant::now(), wall_us());
        events.push(chunk);
        while let Some(event) = events.next_event() {
            match event.name.as_str() {
                "bulb" => {
                    let Ok(state) = serde_json::from_str::<BulbState>(&event.data) else {
                        continue;
                    };
                    if let Some(request_id) = state.request_id {
                        let _ = news.send(PageNews::Shown(Shown {
                            page,
                            request_id,
                            applied_at_ms: state.applied_at_ms,
                            at,
                            at_wall_us,
                        }));
                    }
                }
                // The first batch ends with the room's state: from here on the page
                // is open and shown every change.
                "room" if !open => {
                    open = true;
                    let _ = news.send(PageNews::Open);
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// One Server-Sent Event: its `event:` name and its `data:` lines joined.
#[derive(Debug, PartialEq, Eq)]
pub struct SseEvent {
    pub name: String,
    pub data: String,
}

/// Bytes of a stream cut into events at blank lines, whatever the chunking.
#[derive(Default)]
pub struct EventStream {
    buffer: BytesMut,
}

impl EventStream {
    /// Adds what arrived.
    pub fn push(&mut self, chunk: &[u8]) {
        self.buffer.extend_from_slice(chunk);
    }

    /// The next whole event, if one has arrived; comments (keep-alives) and events
    /// without data are skipped.
    pub fn next_event(&mut self) -> Option<SseEvent> {
        loop {
            let end = self.buffer.windows(2).position(|w| w == b"\n\n")?;
            let block = self.buffer.split_to(end + 2);
            let text = String::from_utf8_lossy(&block);
            let mut name = String::from("message");
            let mut data: Vec<&str> = Vec::new();
            for line in text.lines() {
                if let Some(value) = line.strip_prefix("event:") {
                    name = value.trim_start().to_string();
                } else if let Some(value) = line.strip_prefix("data:") {
                    data.push(value.strip_prefix(' ').unwrap_or(value));
                }
            }
            if !data.is_empty() {
                return Some(SseEvent {
                    name,
                    data: data.join("\n"),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_cut_at_blank_lines_whatever_the_chunks() {
        let mut stream = EventStream::default();
        stream.push(b"retry: 1000\nevent: bulb\nda");
        assert_eq!(stream.next_event(), None);
        stream.push(b"ta: {\"shard\":0}\n\n:\n\nevent: room\ndata: {}\n\n");
        assert_eq!(
            stream.next_event(),
            Some(SseEvent {
                name: "bulb".into(),
                data: "{\"shard\":0}".into()
            })
        );
        // The keep-alive comment is skipped.
        assert_eq!(
            stream.next_event(),
            Some(SseEvent {
                name: "room".into(),
                data: "{}".into()
            })
        );
        assert_eq!(stream.next_event(), None);
    }
}
