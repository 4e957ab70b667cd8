//! The engine's HTTP transport in the browser: synchronous `XMLHttpRequest` to the
//! page's own origin. The worker may block (that is what it is for); the token cookie
//! is HttpOnly and goes along by itself, because the request is same-origin.

use bulbwatch_checks::{HttpRequest, HttpResponse, Transport, TransportError};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::XmlHttpRequest;

/// Sends each request to `base_url` + its path and waits for the whole answer.
#[derive(Clone, Debug)]
pub struct XhrTransport {
    base_url: String,
}

impl XhrTransport {
    /// A transport to `base_url` (`http://host:port`, no trailing slash).
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
        }
    }

    /// A transport to the origin this code runs on (`self.location.origin`, in a
    /// worker or a page alike).
    pub fn same_origin() -> Self {
        let origin = js_sys::Reflect::get(&js_sys::global(), &"location".into())
            .and_then(|location| js_sys::Reflect::get(&location, &"origin".into()))
            .ok()
            .and_then(|origin| origin.as_string())
            .unwrap_or_default();
        Self::new(origin)
    }

    /// Where requests go.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
}

impl Transport for XhrTransport {
    fn send(&mut self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
        let method = req.method.as_str();
        let url = format!("{}{}", self.base_url, req.path);
        let failed = |e: JsValue| {
            TransportError::new(format!(
                "{method} {} got no answer: {}",
                req.path,
                js_error_message(&e)
            ))
        };
        let xhr = XmlHttpRequest::new().map_err(failed)?;
        xhr.open_with_async(method, &url, false).map_err(failed)?;
        for (name, value) in &req.headers {
            xhr.set_request_header(name, value).map_err(failed)?;
        }
        match &req.body {
            Some(body) => xhr.send_with_opt_str(Some(body)),
            None => xhr.send(),
        }
        .map_err(failed)?;
        let status = xhr.status().map_err(failed)?;
        if status == 0 {
            // No HTTP answer at all (blocked, or the connection dropped).
            return Err(TransportError::new(format!(
                "{method} {} got no answer (the browser reported status 0)",
                req.path
            )));
        }
        let headers = parse_headers(&xhr.get_all_response_headers().map_err(failed)?);
        let body = xhr.response_text().map_err(failed)?.unwrap_or_default();
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }
}

/// `getAllResponseHeaders()` text (`name: value` lines ending in CRLF) as pairs.
pub fn parse_headers(raw: &str) -> Vec<(String, String)> {
    raw.split("\r\n")
        .flat_map(|line| line.split('\n'))
        .filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            let name = name.trim();
            (!name.is_empty()).then(|| (name.to_string(), value.trim().to_string()))
        })
        .collect()
}

/// The message of a thrown JavaScript value (an `Error`, a `DOMException`, a string).
pub fn js_error_message(e: &JsValue) -> String {
    if let Some(error) = e.dyn_ref::<js_sys::Error>() {
        return String::from(error.message());
    }
    if let Some(message) = js_sys::Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
    {
        return message;
    }
    e.as_string()
        .unwrap_or_else(|| "the browser gave no reason".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_headers_are_split_into_pairs() {
        let raw =
            "content-type: application/json\r\nx-request-id: r-1\r\nset-cookie: a=b; Path=/\r\n";
        assert_eq!(
            parse_headers(raw),
            vec![
                ("content-type".to_string(), "application/json".to_string()),
                ("x-request-id".to_string(), "r-1".to_string()),
                ("set-cookie".to_string(), "a=b; Path=/".to_string()),
            ]
        );
        assert!(parse_headers("").is_empty());
        assert_eq!(
            parse_headers("date: Mon, 01 Jan 2024 10:00:00 GMT"),
            vec![("date".into(), "Mon, 01 Jan 2024 10:00:00 GMT".into())]
        );
    }
}
