//! A run's requests as the result pane lists them: repeats in a row (the same method
//! and path from the same step, such as thirty polls of `GET /api/bulb`) fold into one
//! line with their count, their statuses and the spread of their times.

use bulbwatch_api::RequestReport;

use super::format;

/// Requests in a row that differ only in their answer.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestGroup<'a> {
    /// The first of them (method, path, step and trace come from it).
    pub first: &'a RequestReport,
    /// How many there were.
    pub count: usize,
    /// Each status seen (`None`: no answer) and how often, in order of first sight.
    pub statuses: Vec<(Option<u16>, usize)>,
    /// The fastest, ms.
    pub min_ms: f64,
    /// The slowest, ms.
    pub max_ms: f64,
}

impl RequestGroup<'_> {
    /// "200", or "200 × 28, 404 × 2"; "—" for requests that got no answer.
    pub fn status_text(&self) -> String {
        let name = |s: Option<u16>| s.map_or_else(|| "—".to_string(), |s| s.to_string());
        match self.statuses.as_slice() {
            [(status, _)] => name(*status),
            many => many
                .iter()
                .map(|(status, n)| format!("{} × {n}", name(*status)))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    /// Whether every answer was a 2xx.
    pub fn all_ok(&self) -> bool {
        self.statuses
            .iter()
            .all(|(s, _)| matches!(s, Some(200..=299)))
    }

    /// Whether some request got no answer at all.
    pub fn some_unanswered(&self) -> bool {
        self.statuses.iter().any(|(s, _)| s.is_none())
    }

    /// "4 ms", or "3–11 ms" for a group whose times spread.
    pub fn time_text(&self) -> String {
        let (low, high) = (format::duration(self.min_ms), format::duration(self.max_ms));
        if low == high {
            return low;
        }
        match (low.strip_suffix(" ms"), high.strip_suffix(" ms")) {
            (Some(low), Some(high)) => format!("{low}–{high} ms"),
            _ => format!("{low}–{high}"),
        }
    }
}

/// `requests` with repeats in a row folded together, in the order they were sent.
pub fn group_requests(requests: &[RequestReport]) -> Vec<RequestGroup<'_>> {
    let mut groups: Vec<RequestGroup<'_>> = Vec::new();
    for r in requests {
        if let Some(last) = groups.last_mut()
            && last.first.method == r.method
            && last.first.path == r.path
            && last.first.step == r.step
        {
            last.count += 1;
            last.min_ms = last.min_ms.min(r.duration_ms);
            last.max_ms = last.max_ms.max(r.duration_ms);
            match last.statuses.iter_mut().find(|(s, _)| *s == r.status) {
                Some((_, n)) => *n += 1,
                None => last.statuses.push((r.status, 1)),
            }
            continue;
        }
        groups.push(RequestGroup {
            first: r,
            count: 1,
            statuses: vec![(r.status, 1)],
            min_ms: r.duration_ms,
            max_ms: r.duration_ms,
        });
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use bulbwatch_api::HttpMethod;

    fn request(method: HttpMethod, status: Option<u16>, ms: f64, step: &str) -> RequestReport {
        RequestReport {
            method,
            path: "/api/bulb".into(),
            status,
            duration_ms: ms,
            trace_id: "ab".repeat(16),
            span_id: "cd".repeat(8),
            step: Some(step.into()),
        }
    }

    #[test]
    fn thirty_polls_fold_into_one_line_after_the_put() {
        let mut requests = vec![request(HttpMethod::Put, Some(202), 9.0, "set colour")];
        for i in 0..30 {
            requests.push(request(
                HttpMethod::Get,
                Some(200),
                3.0 + f64::from(i % 9),
                "wait",
            ));
        }
        let groups = group_requests(&requests);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].count, 1);
        assert_eq!(groups[1].count, 30);
        assert_eq!(groups[1].status_text(), "200");
        assert_eq!(groups[1].time_text(), "3–11 ms");
        assert_eq!(groups[0].time_text(), "9 ms");
        assert!(groups[1].all_ok());
    }

    #[test]
    fn mixed_answers_are_counted_and_other_steps_or_methods_split() {
        let requests = vec![
            request(HttpMethod::Get, Some(200), 3.0, "wait"),
            request(HttpMethod::Get, Some(404), 2.0, "wait"),
            request(HttpMethod::Get, Some(200), 1500.0, "wait"),
            request(HttpMethod::Get, None, 2.0, "again"),
            request(HttpMethod::Put, Some(202), 2.0, "again"),
        ];
        let groups = group_requests(&requests);
        assert_eq!(groups.len(), 3);
        assert_eq!(groups[0].status_text(), "200 × 2, 404 × 1");
        assert!(!groups[0].all_ok());
        assert_eq!(groups[0].time_text(), "2 ms–1.50 s");
        assert_eq!(groups[1].status_text(), "—");
        assert!(groups[1].some_unanswered());
    }
}
