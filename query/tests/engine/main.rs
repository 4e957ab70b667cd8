//! Tests of the query engine against a brute-force reference, plus targeted checks of
//! heatmaps, comparison, retention and validation.

mod compare;
mod fit;
mod generate;
mod heatmap;
mod props;
mod reference;
mod retention;
mod threads;
mod validation;

use bulbwatch_api::QueryResult;

/// Equal within floating-point noise.
fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => x == y || (x - y).abs() <= 1e-9 * x.abs().max(y.abs()),
        (None, None) => true,
        _ => false,
    }
}

fn close_all(a: &[Option<f64>], b: &[Option<f64>]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| close(*x, *y))
}

/// Asserts two results agree (values within noise), with a readable diff.
pub fn assert_same(engine: &QueryResult, reference: &QueryResult) {
    let head = |r: &QueryResult| {
        (
            r.start_time_ms,
            r.end_time_ms,
            r.granularity_ms,
            r.breakdowns.clone(),
            r.calculations.clone(),
            r.matched_events,
            r.groups_truncated,
        )
    };
    assert_eq!(head(engine), head(reference), "header");
    let groups = |r: &QueryResult| r.totals.iter().map(|g| g.group.clone()).collect::<Vec<_>>();
    assert_eq!(groups(engine), groups(reference), "groups, in order");
    for (e, r) in engine.totals.iter().zip(&reference.totals) {
        assert!(
            close_all(&e.values, &r.values),
            "totals of {:?}: engine {:?}, reference {:?}",
            e.group,
            e.values,
            r.values
        );
    }
    assert_eq!(engine.series.len(), reference.series.len(), "series count");
    for (e, r) in engine.series.iter().zip(&reference.series) {
        assert_eq!(e.group, r.group, "series group");
        assert_eq!(e.points.len(), r.points.len(), "points of {:?}", e.group);
        for (p, q) in e.points.iter().zip(&r.points) {
            assert_eq!(p.time_ms, q.time_ms);
            assert!(
                close_all(&p.values, &q.values),
                "series of {:?} at {}: engine {:?}, reference {:?}",
                e.group,
                p.time_ms,
                p.values,
                q.values
            );
        }
    }
    assert_eq!(engine.heatmaps.len(), reference.heatmaps.len(), "heatmaps");
    for (e, r) in engine.heatmaps.iter().zip(&reference.heatmaps) {
        assert_eq!((&e.column, e.scale), (&r.column, r.scale));
        let eb: Vec<_> = e.boundaries.iter().map(|b| Some(*b)).collect();
        let rb: Vec<_> = r.boundaries.iter().map(|b| Some(*b)).collect();
        assert!(
            close_all(&eb, &rb),
            "boundaries {:?} vs {:?}",
            e.boundaries,
            r.boundaries
        );
        assert_eq!(e.rows, r.rows, "heatmap rows of {}", e.column);
        assert_eq!(e.max_count, r.max_count);
    }
}
