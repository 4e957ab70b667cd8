//! Running a query on more than one thread: [`ExecuteOptions`], the units of work a
//! time range's rows are cut into, and running parts of the work side by side.
//!
//! The rows are cut into **units** at fixed places — every [`UNIT_ROWS`] rows of a
//! chunk, counted from the chunk's first row — whatever the number of threads; each
//! thread takes a run of consecutive units, and partial results are merged in unit
//! order. Since every calculation folds its units in the same order on one thread or
//! on several, the answer is the same to the last bit whatever the thread count.

use crate::table::ChunkRows;

/// Rows per unit of work (a chunk holds four).
pub(crate) const UNIT_ROWS: usize = 16_384;

/// How [`crate::execute_with`] runs a query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExecuteOptions {
    /// Threads the query may use, at least 1 (the calling thread is one of them). A
    /// query over fewer than two units of [`UNIT_ROWS`] rows uses one whatever this
    /// says.
    pub threads: usize,
}

impl ExecuteOptions {
    /// At most `threads` threads (0 counts as 1).
    pub fn threads(threads: usize) -> Self {
        Self {
            threads: threads.max(1),
        }
    }
}

impl Default for ExecuteOptions {
    /// The machine's cores, at most 2.
    fn default() -> Self {
        Self::threads(std::thread::available_parallelism().map_or(1, |n| n.get().min(2)))
    }
}

/// The rows of `ranges` cut into units (see the module docs), in order.
pub(crate) fn units<'t>(ranges: &[ChunkRows<'t>]) -> Vec<ChunkRows<'t>> {
    let mut out = Vec::new();
    for r in ranges {
        let mut lo = r.lo;
        while lo < r.hi {
            let hi = ((lo / UNIT_ROWS + 1) * UNIT_ROWS).min(r.hi);
            out.push(ChunkRows {
                chunk: r.chunk,
                lo,
                hi,
            });
            lo = hi;
        }
    }
    out
}

/// `items` cut into at most `parts` runs of consecutive items of about equal
/// `weight`, in order; always at least one run (empty if `items` is).
pub(crate) fn split<T>(items: &[T], parts: usize, weight: impl Fn(&T) -> usize) -> Vec<&[T]> {
    let parts = parts.clamp(1, items.len().max(1));
    let total: usize = items.iter().map(&weight).sum();
    let mut out = Vec::with_capacity(parts);
    let (mut start, mut seen) = (0, 0);
    for (i, item) in items.iter().enumerate() {
        seen += weight(item);
        let k = out.len() + 1;
        // Close run k once it holds its share of the weight, leaving an item for
        // every run still to come.
        if k < parts && seen * parts >= total * k && items.len() - (i + 1) >= parts - k {
            out.push(&items[start..=i]);
            start = i + 1;
        }
    }
    out.push(&items[start..]);
    out
}

/// `f` of every part, in order: the first on this thread, each other on a thread of
/// its own.
pub(crate) fn map_parts<I: Sync, R: Send>(parts: &[I], f: impl Fn(&I) -> R + Sync) -> Vec<R> {
    let Some((first, rest)) = parts.split_first() else {
        return Vec::new();
    };
    if rest.is_empty() {
        return vec![f(first)];
    }
    std::thread::scope(|scope| {
        let f = &f;
        let handles: Vec<_> = rest.iter().map(|p| scope.spawn(move || f(p))).collect();
        let mut out = vec![f(first)];
        for h in handles {
            match h.join() {
                Ok(r) => out.push(r),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_are_in_order_and_balanced() {
        let w = |x: &usize| *x;
        let items = [5, 5, 5, 5, 5, 5];
        let runs = split(&items, 2, w);
        assert_eq!(runs, vec![&items[..3], &items[3..]]);
        assert_eq!(split(&items, 1, w), vec![&items[..]]);
        assert_eq!(split(&items[..1], 4, w), vec![&items[..1]]);
        assert_eq!(split::<usize>(&[], 2, w), vec![&[] as &[usize]]);
        // A heavy first item still leaves an item for the second run.
        let skewed = [100, 1];
        assert_eq!(split(&skewed, 2, w), vec![&skewed[..1], &skewed[1..]]);
        let runs = split(&items, 4, w);
        assert_eq!(runs.len(), 4);
        assert_eq!(runs.concat(), items.to_vec());
    }

    #[test]
    fn parts_answer_in_order() {
        let parts: Vec<usize> = (0..5).collect();
        assert_eq!(map_parts(&parts, |p| p * 10), vec![0, 10, 20, 30, 40]);
        assert_eq!(map_parts::<usize, usize>(&[], |p| *p), Vec::<usize>::new());
    }
}
