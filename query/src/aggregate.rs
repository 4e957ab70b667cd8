//! Accumulating calculations per slot (a group, or a group's time bucket), one column
//! at a time over plain slices. Calculations on the same column share their state:
//! SUM, AVG, MIN and MAX one [`Stats`], every percentile one value buffer.
//!
//! Percentiles use the **nearest-rank** definition: of a slot's `n` numbers sorted
//! ascending, Pp is the one at 1-based rank `ceil(p × n / 100)` (P50 of 1, 2, 3, 4 is
//! 2; P99 of 10 numbers is the largest). It is always one of the numbers seen, and is
//! found with `select_nth_unstable` on the slot's values.

use bulbwatch_api::CalcOp;

use crate::groups::ValueIds;
use crate::hash::FxHashSet;
use crate::spec::PlannedCalc;
use crate::table::chunk::Chunk;

/// The nearest-rank percentile `p` of `values` (reordered in place); `None` if empty.
pub fn nearest_rank(values: &mut [f64], p: u32) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let rank = (p as usize * values.len()).div_ceil(100).max(1);
    let (_, v, _) = values.select_nth_unstable_by(rank - 1, f64::total_cmp);
    Some(*v)
}

/// Count, sum, min and max of a column's numbers per slot. Sums are folded unit by
/// unit: each [`Aggregates::add`] sums its rows per slot from zero into `part` and
/// logs the partial sums, which [`merge`] adds in unit order.
struct Stats {
    column: usize,
    n: Vec<u64>,
    min: Vec<f64>,
    max: Vec<f64>,
    /// The current unit's sum per slot, valid where `mark` is the unit's epoch.
    part: Vec<f64>,
    mark: Vec<u32>,
    touched: Vec<u32>,
    /// (slot, sum of one unit's numbers), in unit order.
    log: Vec<(u32, f64)>,
}

/// A column's numbers per slot, gathered as (slot, value) pairs and sorted into one
/// buffer by slot on [`Aggregates::finish`].
struct Quantiles {
    column: usize,
    slots: Vec<u32>,
    values: Vec<f64>,
    /// After finish: slot `s` owns `values[offsets[s]..offsets[s + 1]]`.
    offsets: Vec<usize>,
}

/// Distinct values of a column per slot.
struct Distinct<'t> {
    column: usize,
    ids: ValueIds<'t>,
    sets: Vec<FxHashSet<u32>>,
    scratch: Vec<u32>,
}

/// Where a calculation reads its result.
#[derive(Clone, Copy)]
enum Source {
    Count,
    Stats(usize),
    Quantiles(usize),
    Distinct(usize),
}

/// The state of every calculation of a query, for `slots` slots, over one run of
/// units; [`merge`] turns the runs' states into results.
pub(crate) struct Aggregates<'t> {
    calcs: Vec<(CalcOp, Source)>,
    slots: usize,
    count: Vec<u64>,
    stats: Vec<Stats>,
    quantiles: Vec<Quantiles>,
    distinct: Vec<Distinct<'t>>,
    /// Numbers the calls to `add`.
    epoch: u32,
}

impl<'t> Aggregates<'t> {
    /// State for `calcs` (no HEATMAP), with no slot yet.
    pub(crate) fn new(calcs: &[PlannedCalc]) -> Self {
        let mut a = Aggregates {
            calcs: Vec::new(),
            slots: 0,
            count: Vec::new(),
            stats: Vec::new(),
            quantiles: Vec::new(),
            distinct: Vec::new(),
            epoch: 0,
        };
        for c in calcs {
            let column = c.column.unwrap_or_default();
            let source = match c.op {
                CalcOp::Count => Source::Count,
                CalcOp::Sum | CalcOp::Avg | CalcOp::Min | CalcOp::Max => {
                    Source::Stats(match a.stats.iter().position(|s| s.column == column) {
                        Some(i) => i,
                        None => {
                            a.stats.push(Stats {
                                column,
                                n: Vec::new(),
                                min: Vec::new(),
                                max: Vec::new(),
                                part: Vec::new(),
                                mark: Vec::new(),
                                touched: Vec::new(),
                                log: Vec::new(),
                            });
                            a.stats.len() - 1
                        }
                    })
                }
                CalcOp::CountDistinct => {
                    Source::Distinct(match a.distinct.iter().position(|d| d.column == column) {
                        Some(i) => i,
                        None => {
                            a.distinct.push(Distinct {
                                column,
                                ids: ValueIds::new(),
                                sets: Vec::new(),
                                scratch: Vec::new(),
                            });
                            a.distinct.len() - 1
                        }
                    })
                }
                _ => Source::Quantiles(match a.quantiles.iter().position(|q| q.column == column) {
                    Some(i) => i,
                    None => {
                        a.quantiles.push(Quantiles {
                            column,
                            slots: Vec::new(),
                            values: Vec::new(),
                            offsets: Vec::new(),
                        });
                        a.quantiles.len() - 1
                    }
                }),
            };
            a.calcs.push((c.op, source));
        }
        a
    }

    /// Makes room for at least `slots` slots.
    pub(crate) fn grow(&mut self, slots: usize) {
        if slots <= self.slots {
            return;
        }
        self.slots = slots;
        self.count.resize(slots, 0);
        for s in &mut self.stats {
            s.n.resize(slots, 0);
            s.min.resize(slots, f64::INFINITY);
            s.max.resize(slots, f64::NEG_INFINITY);
            s.part.resize(slots, 0.0);
            s.mark.resize(slots, u32::MAX);
        }
        for d in &mut self.distinct {
            d.sets.resize_with(slots, FxHashSet::default);
        }
    }

    /// Adds the rows of one unit of the chunk, row `rows[i]` to slot `slots[i]`
    /// (below `grow`'s).
    pub(crate) fn add(&mut self, chunk: &'t Chunk, rows: &[u32], slots: &[u32]) {
        for &s in slots {
            self.count[s as usize] += 1;
        }
        let epoch = self.epoch;
        self.epoch = self.epoch.wrapping_add(1);
        for st in &mut self.stats {
            let Some(values) = chunk.numbers(st.column) else {
                continue;
            };
            for (&r, &s) in rows.iter().zip(slots) {
                let v = values[r as usize];
                if !v.is_nan() {
                    let s = s as usize;
                    st.n[s] += 1;
                    if st.mark[s] != epoch {
                        st.mark[s] = epoch;
                        st.part[s] = 0.0;
                        st.touched.push(s as u32);
                    }
                    st.part[s] += v;
                    st.min[s] = st.min[s].min(v);
                    st.max[s] = st.max[s].max(v);
                }
            }
            for s in st.touched.drain(..) {
                st.log.push((s, st.part[s as usize]));
            }
        }
        for q in &mut self.quantiles {
            let Some(values) = chunk.numbers(q.column) else {
                continue;
            };
            for (&r, &s) in rows.iter().zip(slots) {
                let v = values[r as usize];
                if !v.is_nan() {
                    q.slots.push(s);
                    q.values.push(v);
                }
            }
        }
        for d in &mut self.distinct {
            let mut ids = std::mem::take(&mut d.scratch);
            d.ids.assign(chunk, d.column, rows, &mut ids, true);
            for (&id, &s) in ids.iter().zip(slots) {
                if id != u32::MAX {
                    d.sets[s as usize].insert(id);
                }
            }
            d.scratch = ids;
        }
    }

    /// Sorts the percentile buffers by slot; call once after the last `add`.
    pub(crate) fn finish(&mut self) {
        for q in &mut self.quantiles {
            let mut offsets = vec![0usize; self.slots + 1];
            for &s in &q.slots {
                offsets[s as usize + 1] += 1;
            }
            for i in 1..offsets.len() {
                offsets[i] += offsets[i - 1];
            }
            let mut next = offsets.clone();
            let mut sorted = vec![0.0; q.values.len()];
            for (&s, &v) in q.slots.iter().zip(&q.values) {
                sorted[next[s as usize]] = v;
                next[s as usize] += 1;
            }
            q.values = sorted;
            q.slots = Vec::new();
            q.offsets = offsets;
        }
    }
}

/// One run's finished [`Aggregates`] and where its slots go in the merged answer:
/// local slot `s` is `to_global[s]`, or `s` itself without a map.
pub(crate) struct Part<'t> {
    pub(crate) agg: Aggregates<'t>,
    pub(crate) to_global: Option<Vec<u32>>,
}

impl Part<'_> {
    /// Local slot of each global slot (`u32::MAX`: none).
    fn to_local(&self, slots: usize) -> Vec<u32> {
        let mut local = vec![u32::MAX; slots];
        match &self.to_global {
            Some(map) => {
                for (l, &g) in map.iter().enumerate().take(self.agg.slots) {
                    local[g as usize] = l as u32;
                }
            }
            None => {
                for (g, l) in local.iter_mut().enumerate().take(self.agg.slots) {
                    *l = g as u32;
                }
            }
        }
        local
    }

    /// Global slot of a local one.
    fn global(&self, local: usize) -> usize {
        self.to_global.as_ref().map_or(local, |m| m[local] as usize)
    }
}

/// One stats column merged: numbers, sum, min and max per global slot.
struct MergedStats {
    n: Vec<u64>,
    sum: Vec<f64>,
    min: Vec<f64>,
    max: Vec<f64>,
}

/// Merged count, stats and distinct values per global slot.
struct Merged {
    count: Vec<u64>,
    /// Per stats column.
    stats: Vec<MergedStats>,
    /// Per distinct column: distinct values per slot.
    distinct: Vec<Vec<usize>>,
}

/// Every calculation's result for every slot, from the runs' parts (in unit order).
pub(crate) struct Results {
    calcs: usize,
    count: Vec<u64>,
    values: Vec<Option<f64>>,
}

impl Results {
    /// Events added to a slot.
    pub(crate) fn count(&self, slot: usize) -> u64 {
        self.count[slot]
    }

    /// Every calculation's result for a slot.
    pub(crate) fn values(&self, slot: usize) -> Vec<Option<f64>> {
        self.values[slot * self.calcs..(slot + 1) * self.calcs].to_vec()
    }
}

/// Merges the parts (each finished, in unit order) into `slots` global slots, and
/// computes every result; the percentiles on up to `threads` threads.
pub(crate) fn merge(mut parts: Vec<Part<'_>>, slots: usize, threads: usize) -> Results {
    let Some(first) = parts.first() else {
        return Results {
            calcs: 0,
            count: vec![0; slots],
            values: Vec::new(),
        };
    };
    let calcs = first.agg.calcs.clone();
    let (nstats, ndistinct, nq) = (
        first.agg.stats.len(),
        first.agg.distinct.len(),
        first.agg.quantiles.len(),
    );
    let mut merged = Merged {
        count: vec![0; slots],
        stats: Vec::new(),
        distinct: Vec::new(),
    };
    for p in &parts {
        for (l, &c) in p.agg.count.iter().enumerate() {
            merged.count[p.global(l)] += c;
        }
    }
    for i in 0..nstats {
        let mut n = vec![0u64; slots];
        let mut sum = vec![0.0f64; slots];
        let mut min = vec![f64::INFINITY; slots];
        let mut max = vec![f64::NEG_INFINITY; slots];
        for p in &parts {
            let st = &p.agg.stats[i];
            for l in 0..p.agg.slots {
                let g = p.global(l);
                n[g] += st.n[l];
                min[g] = min[g].min(st.min[l]);
                max[g] = max[g].max(st.max[l]);
            }
            for &(l, v) in &st.log {
                sum[p.global(l as usize)] += v;
            }
        }
        merged.stats.push(MergedStats { n, sum, min, max });
    }
    for i in 0..ndistinct {
        let mut ids = std::mem::take(&mut parts[0].agg.distinct[i].ids);
        let mut sets: Vec<FxHashSet<u32>> = vec![FxHashSet::default(); slots];
        for (k, p) in parts.iter_mut().enumerate() {
            let d = &mut p.agg.distinct[i];
            let map = (k > 0).then(|| ids.absorb(&d.ids));
            for (l, set) in d.sets.iter_mut().enumerate() {
                let g = p.to_global.as_ref().map_or(l, |m| m[l] as usize);
                match &map {
                    None if sets[g].is_empty() => sets[g] = std::mem::take(set),
                    None => sets[g].extend(set.iter().copied()),
                    Some(map) => sets[g].extend(set.iter().map(|&id| map[id as usize])),
                }
            }
        }
        merged
            .distinct
            .push(sets.iter().map(FxHashSet::len).collect());
    }

    // The percentiles, slot range by slot range: each slot's numbers from every part
    // gathered into one buffer, then selected.
    let local: Vec<Vec<u32>> = parts.iter().map(|p| p.to_local(slots)).collect();
    let weight = |s: &usize| {
        parts
            .iter()
            .zip(&local)
            .map(|(p, l)| {
                let l = l[*s];
                if l == u32::MAX {
                    return 0;
                }
                p.agg
                    .quantiles
                    .iter()
                    .map(|q| q.offsets[l as usize + 1] - q.offsets[l as usize])
                    .sum::<usize>()
            })
            .sum::<usize>()
            + 1
    };
    let all: Vec<usize> = (0..slots).collect();
    let ranges = crate::parallel::split(&all, threads, weight);
    let (parts, merged, calcs) = (&parts, &merged, &calcs);
    let values = crate::parallel::map_parts(&ranges, |range| {
        let mut out = Vec::with_capacity(range.len() * calcs.len());
        let mut buffers: Vec<Vec<f64>> = vec![Vec::new(); nq];
        for &s in *range {
            for (i, b) in buffers.iter_mut().enumerate() {
                b.clear();
                for (p, l) in parts.iter().zip(&local) {
                    let l = l[s];
                    if l != u32::MAX {
                        let q = &p.agg.quantiles[i];
                        b.extend_from_slice(
                            &q.values[q.offsets[l as usize]..q.offsets[l as usize + 1]],
                        );
                    }
                }
            }
            for &(op, source) in calcs {
                out.push(match source {
                    Source::Count => Some(merged.count[s] as f64),
                    Source::Distinct(i) => Some(merged.distinct[i][s] as f64),
                    Source::Stats(i) => {
                        let st = &merged.stats[i];
                        (st.n[s] > 0).then(|| match op {
                            CalcOp::Sum => st.sum[s],
                            CalcOp::Avg => st.sum[s] / st.n[s] as f64,
                            CalcOp::Min => st.min[s],
                            _ => st.max[s],
                        })
                    }
                    Source::Quantiles(i) => {
                        nearest_rank(&mut buffers[i], op.percentile().unwrap_or(50))
                    }
                });
            }
        }
        out
    });
    Results {
        calcs: calcs.len(),
        count: merged.count.clone(),
        values: values.concat(),
    }
}

#[cfg(test)]
mod tests {
    use super::nearest_rank;

    #[test]
    fn nearest_rank_picks_a_seen_value() {
        let p = |v: &[f64], p| nearest_rank(&mut v.to_vec(), p);
        assert_eq!(p(&[], 50), None);
        assert_eq!(p(&[7.0], 99), Some(7.0));
        assert_eq!(p(&[4.0, 1.0, 3.0, 2.0], 50), Some(2.0));
        assert_eq!(p(&[5.0, 1.0, 3.0, 2.0, 4.0], 50), Some(3.0));
        let ten: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(p(&ten, 90), Some(9.0));
        assert_eq!(p(&ten, 95), Some(10.0));
        assert_eq!(p(&ten, 99), Some(10.0));
        let hundred: Vec<f64> = (1..=100).rev().map(f64::from).collect();
        assert_eq!(p(&hundred, 95), Some(95.0));
    }
}
