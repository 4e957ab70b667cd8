//! Where marker labels go: markers closer than a label's room share one label ("queue
//! delay set to 0 ms (+2 more)"), so a burst of switches reads as one event instead of
//! text piled on text. Every marker still gets its own line.

use crate::plot_rect::PlotRect;
use crate::series::MarkerLine;

/// One label for one or more neighbouring markers.
#[derive(Clone, Debug, PartialEq)]
pub struct MarkerLabel {
    /// Device x of the first marker of the group (the label hangs from its line).
    pub x: f64,
    /// The latest marker's text, with how many more the group holds.
    pub text: String,
    /// Row of the label (0, 1, 2, then 0 again), so neighbouring groups overlap less.
    pub row: usize,
}

/// The device x of each marker inside `[start_ms, end_ms]`, in time order.
pub fn marker_xs<'a>(
    markers: &'a [MarkerLine],
    rect: &PlotRect,
    start_ms: i64,
    end_ms: i64,
) -> Vec<(f64, &'a MarkerLine)> {
    let span = (end_ms - start_ms).max(1) as f64;
    let mut xs: Vec<(f64, &'a MarkerLine)> = markers
        .iter()
        .filter(|m| (start_ms..=end_ms).contains(&m.at_ms))
        .map(|m| {
            let x = rect.left + (m.at_ms - start_ms) as f64 / span * rect.width();
            (x, m)
        })
        .collect();
    xs.sort_by_key(|a| a.1.at_ms);
    xs
}

/// The labels for markers at device positions `xs` (in time order): markers within
/// `min_gap` device pixels of the group's first one join its label.
pub fn marker_labels(xs: &[(f64, &MarkerLine)], min_gap: f64) -> Vec<MarkerLabel> {
    let mut groups: Vec<(f64, Vec<&MarkerLine>)> = Vec::new();
    for &(x, m) in xs {
        match groups.last_mut() {
            Some((first_x, members)) if x - *first_x < min_gap => members.push(m),
            _ => groups.push((x, vec![m])),
        }
    }
    groups
        .into_iter()
        .enumerate()
        .map(|(k, (x, members))| {
            let latest = members.last().map_or("", |m| m.text.as_str());
            let text = match members.len() {
                1 => latest.to_owned(),
                n => format!("{latest} (+{} more)", n - 1),
            };
            MarkerLabel {
                x,
                text,
                row: k % 3,
            }
        })
        .collect()
}

/// Which side of its line a label goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelSide {
    /// Starting just right of the line.
    Right,
    /// Ending just left of the line.
    Left,
}

/// Where a label `width` device pixels wide (with `gap` to its line) goes, and the
/// room it has there: right of the line when it fits there, else left of it when it
/// fits there, else on the side with more room (where it is shortened to fit).
pub fn label_side(x: f64, width: f64, gap: f64, rect: &PlotRect) -> (LabelSide, f64) {
    let room_right = (rect.right - x - gap).max(0.0);
    let room_left = (x - gap - rect.left).max(0.0);
    if width <= room_right || (width > room_left && room_right >= room_left) {
        (LabelSide::Right, room_right)
    } else {
        (LabelSide::Left, room_left)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marker(at_ms: i64, text: &str) -> MarkerLine {
        MarkerLine {
            at_ms,
            text: text.into(),
        }
    }

    #[test]
    fn close_markers_share_one_label_and_far_ones_keep_theirs() {
        let rect = PlotRect {
            left: 100.0,
            top: 0.0,
            right: 1100.0,
            bottom: 400.0,
        };
        let markers = vec![
            marker(3_600_000, "queue delay set to 0 ms"),
            marker(1_000, "point on"),
            marker(3_599_000, "point a on"),
            marker(3_598_000, "point b on"),
            marker(7_200_000, "outside"),
        ];
        let xs = marker_xs(&markers, &rect, 0, 3_600_000);
        assert_eq!(xs.len(), 4, "the one past the end is left out");
        assert!((xs[0].0 - (100.0 + 1000.0 * 1_000.0 / 3_600_000.0)).abs() < 1e-9);
        let labels = marker_labels(&xs, 40.0);
        assert_eq!(
            labels,
            vec![
                MarkerLabel {
                    x: xs[0].0,
                    text: "point on".into(),
                    row: 0
                },
                MarkerLabel {
                    x: xs[1].0,
                    text: "queue delay set to 0 ms (+2 more)".into(),
                    row: 1
                },
            ]
        );
    }

    #[test]
    fn a_label_goes_where_it_reads_whole() {
        let rect = PlotRect {
            left: 0.0,
            right: 300.0,
            top: 0.0,
            bottom: 100.0,
        };
        // Room on the right: right, even past the middle.
        assert_eq!(
            label_side(200.0, 80.0, 4.0, &rect),
            (LabelSide::Right, 96.0)
        );
        // Too near the right edge for it: left.
        assert_eq!(
            label_side(250.0, 80.0, 4.0, &rect),
            (LabelSide::Left, 246.0)
        );
        // Too wide for either side: the roomier one, with the room it has.
        assert_eq!(
            label_side(100.0, 250.0, 4.0, &rect),
            (LabelSide::Right, 196.0)
        );
        assert_eq!(
            label_side(200.0, 250.0, 4.0, &rect),
            (LabelSide::Left, 196.0)
        );
    }

    #[test]
    fn no_markers_no_labels() {
        assert!(marker_labels(&[], 40.0).is_empty());
    }
}
