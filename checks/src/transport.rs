//! The seam between the engine and the network: the browser worker sends through
//! synchronous XHR, the terminal through a blocking HTTP client, tests through a fake.

use bulbwatch_api::HttpMethod;

/// A request the engine wants sent. The engine has already added `content-type` (when
/// there is a body) and `traceparent`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpRequest {
    /// HTTP method.
    pub method: HttpMethod,
    /// Path relative to the server's base URL, starting with `/` (may carry a query).
    pub path: String,
    /// Headers to send, names in lowercase.
    pub headers: Vec<(String, String)>,
    /// Body text, if any (JSON unless the check passed a string of its own).
    pub body: Option<String>,
}

impl HttpRequest {
    /// The first header with that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

/// The answer, whatever its status: a 4xx or 5xx is an answer, not an error.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Response headers, in any case; the engine lowercases the names.
    pub headers: Vec<(String, String)>,
    /// Body text.
    pub body: String,
}

impl HttpResponse {
    /// A response with a JSON body.
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        Self {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string(),
        }
    }

    /// The first header with that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

/// The request got no answer: connection refused, DNS, CORS, timeout, …
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransportError {
    /// What happened, for people ("connection refused").
    pub message: String,
}

impl TransportError {
    /// An error with that message.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl std::fmt::Display for TransportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TransportError {}

/// Sends one request and waits for its answer (blocking: checks are synchronous).
pub trait Transport {
    /// Sends `req` to the server's base URL + `req.path`.
    fn send(&mut self, req: HttpRequest) -> Result<HttpResponse, TransportError>;
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}
