//! Markers on a chart over time, kept off the data. Markers that fall close together
//! (eight points switched in one go, a facilitator's round of changes) are one group:
//! one line, one label that sums them up ("8 points switched"), every marker's time
//! and text in its details. Labels sit in a band above the plot, one beside the other,
//! each over its line (or led to it by a short line), shortened where the band is
//! crowded and left out where there is no room at all (the line and its details stay).

use bulbwatch_api::MarkerKind;

use crate::plot_rect::PlotRect;
use crate::series::MarkerLine;
use crate::theme::{LABEL_TEXT_CSS, TITLE_TEXT_CSS, Theme};
use crate::ticks::format_time;

/// Markers closer than this many CSS px …
pub const GROUP_CSS: f64 = 8.0;
/// … or than this share of the plot's width to a group's first marker join it.
pub const GROUP_SHARE: f64 = 0.02;
/// The fewest characters a shortened label keeps; with less room it is left out.
pub const MIN_LABEL_CHARS: usize = 6;
/// How far right of its line (CSS px) a label may start when the space above the line
/// is taken (by the title or the label before): a short leader joins them.
pub const LEADER_CSS: f64 = 90.0;
/// Where the title starts, CSS px from the canvas's left edge.
pub const TITLE_X_CSS: f64 = 8.0;
/// Room between labels (and between a label and its line), CSS px.
const GAP_CSS: f64 = 6.0;

/// Markers drawn as one line with one label.
#[derive(Clone, Debug, PartialEq)]
pub struct MarkerGroup {
    /// Device x of its line: the first marker's.
    pub x: f64,
    /// Device x of its last marker (`x` for a single one).
    pub x_last: f64,
    /// Its markers, oldest first.
    pub markers: Vec<MarkerLine>,
}

impl MarkerGroup {
    /// What the label says (see [`summary`]).
    pub fn summary(&self) -> String {
        summary(&self.markers)
    }

    /// Each marker as `14:05:30 instrumentation point x switched on (Ada)`, oldest first.
    pub fn details(&self) -> Vec<String> {
        self.markers
            .iter()
            .map(|m| format!("{} {}", format_time(m.at_ms, 1000), m.text))
            .collect()
    }
}

/// A group's label, placed in the band.
#[derive(Clone, Debug, PartialEq)]
pub struct MarkerLabel {
    /// Device x of its left edge.
    pub left: f64,
    /// Its width, device px (as estimated from its characters).
    pub width: f64,
    /// What it says, shortened to fit.
    pub text: String,
}

impl MarkerLabel {
    /// Whether the label stands over `x` (else a leader joins it to its line).
    pub fn covers(&self, x: f64) -> bool {
        x >= self.left && x <= self.left + self.width
    }
}

/// Where a chart's markers go.
#[derive(Clone, Debug, PartialEq)]
pub struct MarkerLayout {
    /// The band above the plot the labels share with the title (device px).
    pub band: PlotRect,
    /// The groups, in time order.
    pub groups: Vec<MarkerGroup>,
    /// Per group, its label, if it has room for one.
    pub labels: Vec<Option<MarkerLabel>>,
}

/// What a group's label says: a single marker's text; for several of one kind how
/// many of what ("8 points switched", "3 queue-delay changes"); else "5 changes".
pub fn summary(markers: &[MarkerLine]) -> String {
    match markers {
        [] => String::new(),
        [one] => one.text.clone(),
        [first, rest @ ..] => {
            let n = markers.len();
            if rest.iter().all(|m| m.kind == first.kind) {
                format!("{n} {}", plural(first.kind))
            } else {
                format!("{n} changes")
            }
        }
    }
}

/// Several markers of a kind, after their count.
fn plural(kind: MarkerKind) -> &'static str {
    match kind {
        MarkerKind::QueueDelay => "queue-delay changes",
        MarkerKind::InstrumentationPoint => "points switched",
        MarkerKind::Phase => "phase changes",
        MarkerKind::RoomSwitch => "room switches flipped",
        MarkerKind::Reveal => "reveals",
        MarkerKind::Scenario => "scenario changes",
        MarkerKind::Shards => "shard changes",
    }
}

/// The markers inside `[start_ms, end_ms]` in groups, in time order: a marker less
/// than `max_gap` device px right of its group's first marker joins that group, so a
/// group is never wider than `max_gap`.
pub fn group_markers(
    markers: &[MarkerLine],
    rect: &PlotRect,
    (start_ms, end_ms): (i64, i64),
    max_gap: f64,
) -> Vec<MarkerGroup> {
    let span = (end_ms - start_ms).max(1) as f64;
    let mut inside: Vec<&MarkerLine> = markers
        .iter()
        .filter(|m| (start_ms..=end_ms).contains(&m.at_ms))
        .collect();
    inside.sort_by_key(|m| m.at_ms);
    let mut groups: Vec<MarkerGroup> = Vec::new();
    for m in inside {
        let x = rect.left + (m.at_ms - start_ms) as f64 / span * rect.width();
        match groups.last_mut() {
            Some(g) if x - g.x < max_gap => {
                g.x_last = x;
                g.markers.push(m.clone());
            }
            _ => groups.push(MarkerGroup {
                x,
                x_last: x,
                markers: vec![m.clone()],
            }),
        }
    }
    groups
}

/// Labels for `groups` (in time order) in `band`, left to right, none overlapping
/// another (at least `gap` apart) nor leaving the band. Each stands over its line,
/// centred where it can be, and stops short of the next group's line; where the space
/// over its line is taken it may start up to `leader` px right of it. A label with
/// no room for all of it is shortened (down to [`MIN_LABEL_CHARS`]), or else left out.
/// `char_w` is the width of a character, device px.
pub fn place_labels(
    groups: &[MarkerGroup],
    band: &PlotRect,
    char_w: f64,
    gap: f64,
    leader: f64,
) -> Vec<Option<MarkerLabel>> {
    let mut free = band.left;
    groups
        .iter()
        .enumerate()
        .map(|(k, g)| {
            let x = g.x;
            let hi = groups
                .get(k + 1)
                .map_or(band.right, |next| (next.x - gap).min(band.right));
            if x + leader < free || hi <= free {
                return None;
            }
            let full = g.summary();
            let want = full.chars().count() as f64 * char_w;
            // The leftmost start: over the line (no further left than needed), or
            // the first free place right of it.
            let lo = if x >= free { free.max(x - want) } else { free };
            let room = hi - lo;
            let chars = (room.min(want) / char_w).floor().max(0.0) as usize;
            if chars < MIN_LABEL_CHARS.min(full.chars().count()) {
                return None;
            }
            let text = shorten(&full, chars);
            let width = text.chars().count() as f64 * char_w;
            // Centred over the line when there is room, else as near as fits.
            let left = if x >= free {
                (x - width / 2.0).clamp(lo, (hi - width).min(x).max(lo))
            } else {
                lo
            };
            free = left + width + gap;
            Some(MarkerLabel { left, width, text })
        })
        .collect()
}

/// Where the title and the labels go above a plot `rect` on a canvas `canvas_width`
/// device px wide: the band from the canvas's top to just above the plot, its labels'
/// part starting right of the title.
pub fn label_band(rect: &PlotRect, canvas_width: f64, title: &str, theme: &Theme) -> PlotRect {
    let gap = f64::from(theme.px(GAP_CSS));
    let left = if title.is_empty() {
        gap
    } else {
        title_x(theme) + title_width(title, theme) + 2.0 * gap
    };
    PlotRect {
        left,
        top: 0.0,
        right: (canvas_width - gap).max(left),
        bottom: (rect.top - f64::from(theme.px(2.0))).max(0.0),
    }
}

/// The title's left edge, device px.
pub fn title_x(theme: &Theme) -> f64 {
    f64::from(theme.px(TITLE_X_CSS))
}

/// About how wide the title is drawn, device px (capitals, as in `COUNT` or
/// `P95(duration_ms)`, count a quarter wider than other letters).
pub fn title_width(title: &str, theme: &Theme) -> f64 {
    let capitals = title.chars().filter(|c| c.is_uppercase()).count();
    theme.text_width(title.chars().count(), TITLE_TEXT_CSS)
        + theme.text_width(capitals, TITLE_TEXT_CSS) / 4.0
}

/// The markers of a chart over `range` drawn in `rect` on a canvas `canvas_width`
/// device px wide with `title` at the top left: their groups and labels. The drawing
/// and the page's tooltips over the labels both come from here.
pub fn marker_layout(
    markers: &[MarkerLine],
    rect: &PlotRect,
    range: (i64, i64),
    title: &str,
    canvas_width: f64,
    theme: &Theme,
) -> MarkerLayout {
    let max_gap = f64::from(theme.px(GROUP_CSS)).max(rect.width() * GROUP_SHARE);
    let groups = group_markers(markers, rect, range, max_gap);
    let band = label_band(rect, canvas_width, title, theme);
    let labels = place_labels(
        &groups,
        &band,
        theme.text_width(1, LABEL_TEXT_CSS),
        f64::from(theme.px(GAP_CSS)),
        f64::from(theme.px(LEADER_CSS)),
    );
    MarkerLayout {
        band,
        groups,
        labels,
    }
}

/// `s` cut to `max` characters with an ellipsis.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}
