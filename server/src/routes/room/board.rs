//! `GET /api/room/board` (facilitator): a tile per attendee and the room's pass rate.

use axum::extract::State;
use bulbwatch_api::{BOARD_RECENT_RUNS, Board, BoardTile, PassRatePoint, Verdict};

use std::collections::HashSet;

use crate::AppState;
use crate::auth::Facilitator;
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::room::reveal::points_at;
use crate::store::now_ms;
use crate::store::room::BoardRun;

/// Slice widths the pass-rate chart may use, ms: the smallest that gives at most
/// `MAX_SLICES` slices.
const SLICES_MS: [i64; 7] = [10_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000];
const MAX_SLICES: i64 = 90;
/// The slowest schedule the page offers, ms.
const SLOWEST_SCHEDULE_MS: i64 = 300_000;

pub(super) async fn board(
    State(state): State<AppState>,
    _: Facilitator,
) -> Result<ApiJson<Board>, AppError> {
    let attendees = state.store.attendees().await?;
    let mut runs = state
        .store
        .recent_runs_by_attendee(BOARD_RECENT_RUNS)
        .await?;
    let mut diagnoses = state.store.diagnoses().await?;
    let simulated: HashSet<String> = state
        .store
        .simulated_attendees()
        .await?
        .into_iter()
        .collect();
    let causes = state.scenarios.active_causes();
    let now = now_ms();
    let tiles = attendees
        .into_iter()
        .map(|attendee| {
            let recent = runs.remove(&attendee.id).unwrap_or_default();
            let latest = recent.latest.first();
            BoardTile {
                last_verdict: latest.map(|r| r.verdict),
                last_run_at_ms: latest.map(|r| r.started_at_ms),
                recent_runs: recent.latest.len() as u32,
                recent_passed: recent
                    .latest
                    .iter()
                    .filter(|r| r.verdict == Verdict::Pass)
                    .count() as u32,
                total_runs: recent.total,
                scheduled: schedule_running(&recent.latest, now),
                diagnosis: diagnoses.remove(&attendee.id),
                points_at: Vec::new(),
                simulated: simulated.contains(&attendee.id),
                attendee,
            }
        })
        .map(|mut tile: BoardTile| {
            if let Some(evidence) = tile.diagnosis.as_ref().and_then(|d| d.evidence.as_deref()) {
                tile.points_at = points_at(evidence, &causes);
            }
            tile
        })
        .collect();
    let outcomes = state.store.run_outcomes().await?;
    let (slice_ms, pass_rate) = slices(&outcomes, now);
    Ok(ApiJson(Board {
        tiles,
        pass_rate,
        slice_ms,
    }))
}

/// A schedule runs when the latest run was scheduled and the next is not overdue:
/// due one interval (the gap between the last two scheduled runs) after the last,
/// with a run's time and some slack on top.
fn schedule_running(latest: &[BoardRun], now: i64) -> bool {
    let Some(last) = latest.first().filter(|r| r.scheduled) else {
        return false;
    };
    let interval = match latest.get(1).filter(|r| r.scheduled) {
        Some(before) => {
            (last.started_at_ms - before.started_at_ms).clamp(1_000, SLOWEST_SCHEDULE_MS)
        }
        None => SLOWEST_SCHEDULE_MS,
    };
    now - last.started_at_ms <= 2 * interval + 30_000
}

/// The room's runs in slices from the first run to now, empty ones included.
fn slices(outcomes: &[(i64, bool)], now: i64) -> (i64, Vec<PassRatePoint>) {
    let Some(&(first, _)) = outcomes.first() else {
        return (SLICES_MS[0], Vec::new());
    };
    let span = (now - first).max(1);
    let slice = SLICES_MS
        .into_iter()
        .find(|s| span / s < MAX_SLICES)
        .unwrap_or(SLICES_MS[SLICES_MS.len() - 1]);
    let start = first - first.rem_euclid(slice);
    let count = ((now - start) / slice + 1) as usize;
    let mut points: Vec<PassRatePoint> = (0..count)
        .map(|i| PassRatePoint {
            start_ms: start + i as i64 * slice,
            runs: 0,
            passed: 0,
        })
        .collect();
    for &(at, passed) in outcomes {
        let i = ((at - start) / slice).clamp(0, count as i64 - 1) as usize;
        points[i].runs += 1;
        points[i].passed += u32::from(passed);
    }
    (slice, points)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(at: i64, scheduled: bool) -> BoardRun {
        BoardRun {
            verdict: Verdict::Pass,
            started_at_ms: at,
            scheduled,
        }
    }

    #[test]
    fn a_schedule_runs_until_its_next_run_is_overdue() {
        let latest = [run(100_000, true), run(95_000, true)];
        assert!(schedule_running(&latest, 110_000));
        assert!(!schedule_running(&latest, 100_000 + 2 * 5_000 + 30_001));
        assert!(!schedule_running(&[run(100_000, false)], 100_001));
        assert!(!schedule_running(&[], 0));
    }

    #[test]
    fn slices_cover_the_session_with_empty_ones_kept() {
        let (slice, points) = slices(&[(5_000, true), (8_000, false), (31_000, true)], 45_000);
        assert_eq!(slice, 10_000);
        assert_eq!(points.len(), 5);
        assert_eq!((points[0].runs, points[0].passed), (2, 1));
        assert_eq!((points[1].runs, points[2].runs, points[3].runs), (0, 0, 1));
        let (slice, points) = slices(&[(0, true)], 3_600_000);
        assert_eq!(slice, 60_000);
        assert!(points.len() <= MAX_SLICES as usize);
    }
}
