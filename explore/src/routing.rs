//! Explore's routes, under `/explore`: the query builder (its whole query in the
//! address's `?q=`), one trace, an attendee's check history (embedded by the play page),
//! and the heatmap redraw benchmark; and the facilitator's console at `/facilitator`
//! (the server answers Explore's page there too).

use bulbwatch_app::routing::Routes;

/// Where Explore is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExploreRoute {
    /// `/explore?q=…`: the query builder; `search` is the address's query string.
    Explore {
        /// `location.search`, with its `?` (or empty).
        search: String,
    },
    /// `/explore/traces/{trace_id}`: one trace's waterfall.
    Trace(String),
    /// `/explore/history?check=…`: my runs of a check as charts.
    History {
        /// `location.search`, with its `?` (or empty).
        search: String,
    },
    /// `/explore/bench/heatmap`: redraws a heatmap of 100,000 events and reports the time.
    HeatmapBench,
    /// `/facilitator` (`?presenter=1` for the presenter view): the facilitator's console.
    Console {
        /// `location.search`, with its `?` (or empty).
        search: String,
    },
    /// Anything else under `/explore`.
    NotFound,
}

impl Routes for ExploreRoute {
    fn parse(path: &str, search: &str) -> Self {
        let segments: Vec<&str> = path
            .trim_matches('/')
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        let search = search.to_string();
        match segments.as_slice() {
            ["explore"] => Self::Explore { search },
            ["explore", "traces", id] => Self::Trace((*id).to_string()),
            ["explore", "history"] => Self::History { search },
            ["explore", "bench", "heatmap"] => Self::HeatmapBench,
            ["facilitator"] => Self::Console { search },
            _ => Self::NotFound,
        }
    }

    fn owns(path: &str) -> bool {
        // `/facilitator/login` is the server's: it sets the cookie.
        path == "/explore"
            || path.starts_with("/explore/")
            || path == "/facilitator"
            || path == "/facilitator/"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_routes() {
        let explore = |s: &str| ExploreRoute::Explore { search: s.into() };
        assert_eq!(ExploreRoute::parse("/explore", ""), explore(""));
        assert_eq!(
            ExploreRoute::parse("/explore/", "?q=%7B%7D"),
            explore("?q=%7B%7D")
        );
        assert_eq!(
            ExploreRoute::parse("/explore/traces/4bf92f3577b34da6a3ce929d0e0e4736", ""),
            ExploreRoute::Trace("4bf92f3577b34da6a3ce929d0e0e4736".into())
        );
        assert_eq!(
            ExploreRoute::parse("/explore/history", "?check=c1"),
            ExploreRoute::History {
                search: "?check=c1".into()
            }
        );
        assert_eq!(
            ExploreRoute::parse("/explore/bench/heatmap", ""),
            ExploreRoute::HeatmapBench
        );
        assert_eq!(
            ExploreRoute::parse("/explore/nope", ""),
            ExploreRoute::NotFound
        );
        assert_eq!(
            ExploreRoute::parse("/facilitator", "?presenter=1"),
            ExploreRoute::Console {
                search: "?presenter=1".into()
            }
        );
        assert_eq!(
            ExploreRoute::parse("/facilitator/nope", ""),
            ExploreRoute::NotFound
        );
    }

    #[test]
    fn only_explore_paths_are_its_own() {
        assert!(ExploreRoute::owns("/explore"));
        assert!(ExploreRoute::owns("/explore/traces/abc"));
        assert!(!ExploreRoute::owns("/"));
        assert!(!ExploreRoute::owns("/runs/r-1"));
        assert!(!ExploreRoute::owns("/api/query"));
        assert!(ExploreRoute::owns("/facilitator"));
        assert!(!ExploreRoute::owns("/facilitator/login"));
    }
}
