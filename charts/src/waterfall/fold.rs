//! Repeats folded: siblings in a row with the same name and side (thirty polls of
//! `GET /api/bulb`, each with its server spans) become one row until opened, so the
//! trace of one check fits a screen.

use super::{Waterfall, WaterfallRow};

/// Fewest siblings in a row that fold into one.
pub const FOLD_MIN: usize = 3;

/// How a row stands for repeated siblings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Repeat {
    /// A span of its own.
    #[default]
    Single,
    /// The first of `n` repeats, standing for all of them (and their children).
    Folded(usize),
    /// The first of `n` repeats, opened: the others follow.
    Unfolded(usize),
}

impl WaterfallRow {
    /// The row's name as drawn: "GET /api/bulb × 30" for folded repeats.
    pub fn label(&self) -> String {
        match self.repeat {
            Repeat::Folded(n) => format!("{} × {n}", self.name),
            _ => self.name.clone(),
        }
    }
}

impl Waterfall {
    /// Where the subtree of row `k` ends (the index after its last descendant).
    fn subtree_end(&self, k: usize) -> usize {
        let depth = self.rows[k].depth;
        self.rows[k + 1..]
            .iter()
            .position(|r| r.depth <= depth)
            .map_or(self.rows.len(), |p| k + 1 + p)
    }

    /// The rows with repeats folded, except those whose first span id is in `open`.
    /// A folded row spans from the first repeat's start to the last one's end, and
    /// counts as failed when any span it stands for failed.
    pub fn folded(&self, open: &[String]) -> Waterfall {
        let mut rows = Vec::with_capacity(self.rows.len());
        self.fold_range(0..self.rows.len(), open, &mut rows);
        Waterfall {
            start_ms: self.start_ms,
            total_ms: self.total_ms,
            rows,
        }
    }

    /// [`Waterfall::folded`] of the rows in `range` (whole subtrees), onto `rows`.
    fn fold_range(
        &self,
        range: std::ops::Range<usize>,
        open: &[String],
        rows: &mut Vec<WaterfallRow>,
    ) {
        let mut k = range.start;
        while k < range.end {
            let row = &self.rows[k];
            let mut members = vec![k];
            let mut end = self.subtree_end(k);
            while end < range.end
                && self.rows[end].depth == row.depth
                && self.rows[end].name == row.name
                && self.rows[end].kind == row.kind
            {
                members.push(end);
                end = self.subtree_end(end);
            }
            if members.len() < FOLD_MIN {
                rows.push(row.clone());
                k += 1;
                continue;
            }
            if open.contains(&row.span_id) {
                // Opened: each repeat, with its own children folded as anywhere.
                for (n, &m) in members.iter().enumerate() {
                    let mut member = self.rows[m].clone();
                    if n == 0 {
                        member.repeat = Repeat::Unfolded(members.len());
                    }
                    rows.push(member);
                    self.fold_range(m + 1..self.subtree_end(m), open, rows);
                }
            } else {
                let stood_for = &self.rows[k..end];
                let last_end = stood_for
                    .iter()
                    .filter(|r| r.depth == row.depth)
                    .map(|r| r.offset_ms + r.duration_ms)
                    .fold(row.offset_ms, f64::max);
                let mut folded = row.clone();
                folded.repeat = Repeat::Folded(members.len());
                folded.duration_ms = last_end - row.offset_ms;
                folded.error = stood_for.iter().any(|r| r.error);
                rows.push(folded);
            }
            k = end;
        }
    }
}
