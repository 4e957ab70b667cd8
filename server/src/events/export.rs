//! Export: a dataset's events in a time range, streamed page by page as NDJSON (one
//! JSON object per line) or CSV (a header with the union of every event's fields).

use axum::body::Body;
use bulbwatch_api::Dataset;
use futures_util::stream;
use serde_json::{Map, Value};

use crate::error::AppError;
use crate::store::{EventRow, Store};

/// Events read from the database per page of the stream.
const PAGE: u32 = 2_000;

/// How exported events are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// One JSON object per line.
    Ndjson,
    /// Comma-separated, RFC 4180 quoting; `timestamp` first, then the other fields
    /// sorted by name.
    Csv,
}

impl ExportFormat {
    /// The format named `name` (`ndjson`, `csv`).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "ndjson" => Some(Self::Ndjson),
            "csv" => Some(Self::Csv),
            _ => None,
        }
    }

    /// Its media type.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Ndjson => "application/x-ndjson",
            Self::Csv => "text/csv; charset=utf-8",
        }
    }
}

/// The body of an export of `dataset` with `from_ms <= timestamp < to_ms`. Each event
/// carries `timestamp` (ms) even when its fields lack it (`e2e` events).
pub async fn export_body(
    store: Store,
    dataset: Dataset,
    from_ms: i64,
    to_ms: i64,
    format: ExportFormat,
) -> Result<Body, AppError> {
    let header = match format {
        ExportFormat::Ndjson => None,
        ExportFormat::Csv => {
            let mut columns = vec!["timestamp".to_string()];
            columns.extend(
                store
                    .event_columns(dataset, from_ms, to_ms)
                    .await?
                    .into_iter()
                    .filter(|c| c != "timestamp"),
            );
            Some(columns)
        }
    };
    let first = header
        .as_ref()
        .map(|columns| csv_line(columns.iter().map(|c| csv_cell(c))));
    // State: the key to continue after, or `None` once the last page was read.
    let pages = stream::unfold(Some(None), move |after: Option<Option<(i64, i64)>>| {
        let store = store.clone();
        let header = header.clone();
        async move {
            let after = after?;
            let rows = match store
                .events_page(dataset, from_ms, to_ms, after, PAGE)
                .await
            {
                Ok(rows) => rows,
                Err(e) => return Some((Err(e), None)),
            };
            if rows.is_empty() {
                return None;
            }
            let next = (rows.len() == PAGE as usize)
                .then(|| rows.last().map(|r| (r.timestamp_ms, r.seq)))
                .flatten();
            let text = render(&rows, header.as_deref());
            Some((Ok(text), next.map(Some)))
        }
    });
    let head = stream::iter(first.map(Ok::<_, AppError>));
    Ok(Body::from_stream(futures_util::StreamExt::chain(
        head, pages,
    )))
}

fn render(rows: &[EventRow], csv_columns: Option<&[String]>) -> String {
    let mut out = String::new();
    for row in rows {
        let mut fields: Map<String, Value> = match serde_json::from_str(&row.fields) {
            Ok(Value::Object(map)) => map,
            // Not an object: should not happen; keep the text so nothing is lost.
            _ => Map::from_iter([("fields".to_string(), Value::String(row.fields.clone()))]),
        };
        fields
            .entry("timestamp")
            .or_insert_with(|| Value::from(row.timestamp_ms));
        match csv_columns {
            None => {
                out.push_str(&Value::Object(fields).to_string());
                out.push('\n');
            }
            Some(columns) => out.push_str(&csv_line(
                columns
                    .iter()
                    .map(|c| fields.get(c).map_or(String::new(), csv_value)),
            )),
        }
    }
    out
}

fn csv_line(cells: impl Iterator<Item = String>) -> String {
    let mut line = cells.collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

fn csv_value(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => csv_cell(s),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => csv_cell(&other.to_string()),
    }
}

/// A cell, quoted when it holds a comma, a quote or a line break. Text a spreadsheet
/// would take for a formula (starting `=`, `+`, `-`, `@`, a tab or a carriage return:
/// an attendee's name, a check's log line) gets a leading `'`, so it shows as text and
/// never runs (OWASP's advice on CSV injection). Numbers are written as numbers.
fn csv_cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_only_when_needed() {
        assert_eq!(csv_cell("green"), "green");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_value(&serde_json::json!([1, 2])), "\"[1,2]\"");
        assert_eq!(csv_value(&Value::Null), "");
    }

    #[test]
    fn a_cell_a_spreadsheet_would_run_is_written_as_text() {
        assert_eq!(
            csv_cell("=HYPERLINK(\"http://x\",\"y\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""
        );
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("-2+3"), "'-2+3");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("\tx"), "'\tx");
        assert_eq!(csv_value(&serde_json::json!(-5)), "-5");
        assert_eq!(csv_cell("Ada = Grace"), "Ada = Grace");
    }
}
