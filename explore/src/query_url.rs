//! The whole query lives in the address: `/explore?q=<encodeURIComponent(JSON of the
//! QuerySpec)>`, plus `&live=1` while it refreshes itself. Shareable, and Back/Forward
//! re-run earlier queries. Plain Rust, so it is tested natively.

use bulbwatch_api::{CalcOp, Calculation, Filter, FilterCombination, FilterOp, QuerySpec};

/// Where the Explore page is.
pub const EXPLORE_PATH: &str = "/explore";
/// The column that says whose data an event is.
pub const ATTENDEE_COLUMN: &str = "attendee_id";
/// The longest window of the query Explore opens on, seconds (it is fitted to the
/// data: from my first run in it until now).
pub const DEFAULT_TIME_RANGE_S: u64 = 3600;

/// What the address holds: the query, whether it refreshes itself, and what was wrong
/// with the address when it could not be read (the default query is used then).
#[derive(Clone, Debug, PartialEq)]
pub struct AddressQuery {
    /// The query to run.
    pub spec: QuerySpec,
    /// Re-run every few seconds.
    pub live: bool,
    /// Why the address's query was not used, for people.
    pub problem: Option<String>,
}

/// The query Explore opens on: my e2e runs since the first of them (within the last
/// hour, and at least the last 30 seconds), counted and as a heatmap of their durations.
pub fn default_spec(me: &str) -> QuerySpec {
    QuerySpec {
        dataset: "e2e".into(),
        calculations: vec![
            Calculation::count(),
            Calculation::of(CalcOp::Heatmap, "duration_ms"),
        ],
        filters: vec![mine_filter(me)],
        time_range: Some(DEFAULT_TIME_RANGE_S),
        fit: true,
        ..QuerySpec::default()
    }
}

/// `attendee_id = me`: only my data.
pub fn mine_filter(me: &str) -> Filter {
    Filter::new(ATTENDEE_COLUMN, FilterOp::Eq, me)
}

/// Whether the filters keep only my data (the `attendee_id = me` filter, combined by AND).
pub fn is_mine(filters: &[Filter], combination: Option<FilterCombination>, me: &str) -> bool {
    combination != Some(FilterCombination::Or) && filters.contains(&mine_filter(me))
}

/// The filters with (`mine`) or without my-data filter; other filters stay.
pub fn with_scope(filters: &[Filter], me: &str, mine: bool) -> Vec<Filter> {
    let own = mine_filter(me);
    let mut out: Vec<Filter> = filters.iter().filter(|f| **f != own).cloned().collect();
    if mine {
        out.insert(0, own);
    }
    out
}

/// The address of a query: `/explore?q=…` (and `&live=1`).
pub fn url(spec: &QuerySpec, live: bool) -> String {
    format!("{EXPLORE_PATH}{}", search(spec, live))
}

/// The query string of a query, with its `?`.
pub fn search(spec: &QuerySpec, live: bool) -> String {
    let json = serde_json::to_string(spec).unwrap_or_default();
    let live = if live { "&live=1" } else { "" };
    format!("?q={}{live}", encode_component(&json))
}

/// Reads the query from the address's query string (`location.search`, with or without
/// its `?`); no `q` gives the default query, a broken one the default and a problem.
pub fn parse(search: &str, me: &str) -> AddressQuery {
    let mut q = None;
    let mut live = false;
    for pair in search.trim_start_matches('?').split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "q" => q = Some(value),
            "live" => live = value == "1" || value == "true",
            _ => {}
        }
    }
    let fallback = |problem: String| AddressQuery {
        spec: default_spec(me),
        live,
        problem: Some(problem),
    };
    let Some(q) = q.filter(|q| !q.is_empty()) else {
        return AddressQuery {
            spec: default_spec(me),
            live,
            problem: None,
        };
    };
    let Some(json) = decode_component(q) else {
        return fallback(
            "The query in the address is not properly encoded; showing the default query.".into(),
        );
    };
    match serde_json::from_str::<QuerySpec>(&json) {
        Ok(spec) => AddressQuery {
            spec,
            live,
            problem: None,
        },
        Err(e) => fallback(format!(
            "The query in the address could not be read ({e}); showing the default query."
        )),
    }
}

/// `encodeURIComponent`: everything but `A–Z a–z 0–9 - _ . ! ~ * ' ( )` as `%XX` of
/// its UTF-8 bytes.
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The inverse of [`encode_component`] (also reads `+` as a space, as forms write it);
/// `None` for a broken `%` escape or bytes that are not UTF-8.
pub fn decode_component(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use bulbwatch_api::{Having, HavingOp, Order, Scalar, SortOrder};

    fn busy_spec() -> QuerySpec {
        QuerySpec {
            dataset: "bulb".into(),
            calculations: vec![
                Calculation::count(),
                Calculation::of(CalcOp::P95, "delay_ms"),
            ],
            filters: vec![
                Filter::new(
                    "colour",
                    FilterOp::In,
                    vec![Scalar::from("red"), "ü é".into()],
                ),
                Filter::bare("error", FilterOp::DoesNotExist),
                Filter::new("queue_length", FilterOp::Ge, 3.0),
            ],
            filter_combination: Some(FilterCombination::Or),
            breakdowns: vec!["queue_length".into(), "http.route".into()],
            orders: vec![Order {
                column: Some("delay_ms".into()),
                op: Some(CalcOp::P95),
                order: Some(SortOrder::Ascending),
            }],
            limit: Some(5),
            havings: vec![Having {
                calculate_op: CalcOp::Count,
                column: None,
                op: HavingOp::Gt,
                value: 2.0,
            }],
            start_time: Some(1_700_000_000),
            end_time: Some(1_700_003_600),
            granularity: Some(60),
            ..QuerySpec::default()
        }
    }

    #[test]
    fn a_query_survives_the_address() {
        let spec = busy_spec();
        let address = url(&spec, false);
        assert!(address.starts_with("/explore?q=%7B%22dataset%22%3A%22bulb%22"));
        assert!(!address.contains(' ') && !address.contains('"') && !address.contains('&'));
        let back = parse(address.trim_start_matches(EXPLORE_PATH), "me-1");
        assert_eq!(back.spec, spec);
        assert!(!back.live);
        assert_eq!(back.problem, None);
    }

    #[test]
    fn live_rides_along() {
        let spec = default_spec("a-1");
        let s = search(&spec, true);
        assert!(s.ends_with("&live=1"), "{s}");
        let back = parse(&s, "a-1");
        assert!(back.live);
        assert_eq!(back.spec, spec);
    }

    #[test]
    fn a_fitted_query_survives_the_address() {
        let spec = default_spec("a-1");
        let address = url(&spec, false);
        assert!(address.contains("%22fit%22%3Atrue"), "{address}");
        assert_eq!(
            parse(address.trim_start_matches(EXPLORE_PATH), "a-1").spec,
            spec
        );
        // An address with an exact range is not fitted.
        let exact = parse(r#"?q={"dataset":"e2e","time_range":900}"#, "a-1");
        assert_eq!((exact.spec.time_range, exact.spec.fit), (Some(900), false));
        let fitted = parse(
            r#"?q={"dataset":"e2e","time_range":7200,"fit":true}"#,
            "a-1",
        );
        assert!(fitted.spec.fit);
    }

    #[test]
    fn no_query_is_my_runs_since_the_first_in_the_last_hour() {
        for s in ["", "?", "?q=", "?live=0"] {
            let a = parse(s, "a-7");
            assert_eq!(a.problem, None, "{s}");
            assert_eq!(a.spec.dataset, "e2e");
            assert_eq!(
                a.spec.calculations,
                vec![
                    Calculation::count(),
                    Calculation::of(CalcOp::Heatmap, "duration_ms")
                ]
            );
            assert_eq!(a.spec.time_range, Some(3600));
            assert!(a.spec.fit, "fitted to my runs");
            assert!(a.spec.breakdowns.is_empty());
            assert_eq!(
                a.spec.filters,
                vec![Filter::new("attendee_id", FilterOp::Eq, "a-7")]
            );
        }
    }

    #[test]
    fn a_broken_query_says_why_and_falls_back() {
        let typo = format!(
            "?q={}",
            encode_component(r#"{"dataset":"e2e","breakdown":[]}"#)
        );
        let a = parse(&typo, "me");
        let problem = a.problem.unwrap();
        assert!(problem.contains("breakdown"), "{problem}");
        assert_eq!(a.spec, default_spec("me"));

        let a = parse("?q=%7B%2", "me");
        assert!(a.problem.unwrap().contains("not properly encoded"));
        let a = parse("?q=not-json", "me");
        assert!(a.problem.is_some());
    }

    #[test]
    fn hand_written_addresses_are_read() {
        let a = parse(
            r#"?q={"dataset":"bulb","calculations":[{"op":"COUNT"}],"time_range":900}&live=1"#,
            "me",
        );
        assert_eq!(a.problem, None);
        assert_eq!(a.spec.dataset, "bulb");
        assert_eq!(a.spec.time_range, Some(900));
        assert!(a.live);
        assert_eq!(decode_component("a+b%20c").as_deref(), Some("a b c"));
    }

    #[test]
    fn encoding_matches_encode_uri_component() {
        assert_eq!(
            encode_component("{\"a\": [1, \"ü\"]}&=?#/+"),
            "%7B%22a%22%3A%20%5B1%2C%20%22%C3%BC%22%5D%7D%26%3D%3F%23%2F%2B"
        );
        assert_eq!(encode_component("A-z_0.!~*'()"), "A-z_0.!~*'()");
    }

    #[test]
    fn the_scope_adds_and_removes_only_my_filter() {
        let other = Filter::new("success", FilterOp::Eq, false);
        let mine = with_scope(std::slice::from_ref(&other), "me", true);
        assert_eq!(mine, vec![mine_filter("me"), other.clone()]);
        assert!(is_mine(&mine, None, "me"));
        assert!(!is_mine(&mine, Some(FilterCombination::Or), "me"));
        assert!(!is_mine(&mine, None, "someone-else"));
        // Adding twice keeps one.
        assert_eq!(with_scope(&mine, "me", true), mine);
        let room = with_scope(&mine, "me", false);
        assert_eq!(room, vec![other]);
        assert!(!is_mine(&room, None, "me"));
    }
}
