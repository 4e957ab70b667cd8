//! Value labels short enough for the comparison's column that stay as distinct as the
//! values: a long one is cut in the middle (its start and its end both kept), and
//! values that would still read the same are cut around where they first differ;
//! the rare rest is shown whole (it wraps).

/// Most characters of a value shown, the cut marks included.
pub const VALUE_CHARS: usize = 26;

const CUT: char = '…';

/// `labels`, each at most `max` characters where that keeps them apart.
pub fn short_labels(labels: &[String], max: usize) -> Vec<String> {
    let chars: Vec<Vec<char>> = labels.iter().map(|l| l.chars().collect()).collect();
    let mut out: Vec<String> = chars.iter().map(|c| middle_cut(c, max)).collect();
    for i in clashing(&out) {
        out[i] = around_difference(&chars, i, max);
    }
    for i in clashing(&out) {
        out[i] = labels[i].clone();
    }
    out
}

/// The labels that read the same as another.
fn clashing(labels: &[String]) -> Vec<usize> {
    (0..labels.len())
        .filter(|&i| same_as_another(labels, i))
        .collect()
}

fn same_as_another(labels: &[String], i: usize) -> bool {
    labels
        .iter()
        .enumerate()
        .any(|(j, l)| j != i && *l == labels[i])
}

/// The start and the end, the middle left out.
fn middle_cut(c: &[char], max: usize) -> String {
    if c.len() <= max {
        return c.iter().collect();
    }
    let kept = max.saturating_sub(1);
    let head = kept - kept * 2 / 5;
    let tail = kept - head;
    c[..head]
        .iter()
        .chain(std::iter::once(&CUT))
        .chain(&c[c.len() - tail..])
        .collect()
}

/// The start, then the part where label `i` first differs from the one most like it.
fn around_difference(all: &[Vec<char>], i: usize, max: usize) -> String {
    let c = &all[i];
    if c.len() <= max {
        return c.iter().collect();
    }
    let differs_at = all
        .iter()
        .enumerate()
        .filter(|(j, _)| *j != i)
        .map(|(_, other)| c.iter().zip(other).take_while(|(a, b)| a == b).count())
        .max()
        .unwrap_or(0);
    let kept = max.saturating_sub(1);
    if differs_at + 4 <= kept {
        // It differs early: its start says it.
        return c[..kept].iter().chain(std::iter::once(&CUT)).collect();
    }
    let head = (max / 4).max(1);
    let window = max.saturating_sub(head + 2).max(1);
    let start = differs_at.saturating_sub(4).max(head).min(c.len() - window);
    let end = start + window;
    let mut out: String = c[..head].iter().collect();
    out.push(CUT);
    out.extend(&c[start..end]);
    if end < c.len() {
        out.push(CUT);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(of: &[&str]) -> Vec<String> {
        of.iter().map(|s| (*s).to_string()).collect()
    }

    fn all_distinct(shown: &[String]) {
        for (i, a) in shown.iter().enumerate() {
            for b in &shown[i + 1..] {
                assert_ne!(a, b, "{shown:?}");
            }
        }
    }

    #[test]
    fn short_values_stay_whole() {
        let values = labels(&["green", "true", "100 – 200", "(none)"]);
        assert_eq!(short_labels(&values, VALUE_CHARS), values);
    }

    #[test]
    fn long_values_that_end_differently_keep_their_ends() {
        let values = labels(&[
            "poll gave up after 30 tries: the bulb stayed red",
            "poll gave up after 30 tries: the bulb stayed blue",
            "poll gave up after 30 tries: the bulb stayed green",
            "poll gave up after 30 tries: the bulb stayed white",
            "poll gave up after 30 tries: the bulb stayed #12ABEF",
        ]);
        let shown = short_labels(&values, VALUE_CHARS);
        all_distinct(&shown);
        for (s, v) in shown.iter().zip(&values) {
            assert!(s.chars().count() <= VALUE_CHARS, "{s}");
            assert!(s.starts_with("poll gave up"), "{s}");
            assert!(
                v.ends_with(s.rsplit('…').next().unwrap()),
                "{s} ends as {v}"
            );
        }
    }

    #[test]
    fn values_that_differ_only_in_the_middle_are_cut_around_it() {
        let values = labels(&[
            "expected the bulb to turn red within 3000 ms but it did not turn at all",
            "expected the bulb to turn blue within 3000 ms but it did not turn at all",
        ]);
        let shown = short_labels(&values, VALUE_CHARS);
        all_distinct(&shown);
        assert!(shown[0].contains("red"), "{shown:?}");
        assert!(shown[1].contains("blue"), "{shown:?}");
        assert!(shown.iter().all(|s| s.chars().count() <= VALUE_CHARS));
    }

    #[test]
    fn values_that_differ_early_keep_their_start() {
        let values = labels(&[
            "red: the bridge lost the change and nothing was applied to it",
            "blue: the bridge lost the change and nothing was applied to it",
        ]);
        let shown = short_labels(&values, VALUE_CHARS);
        all_distinct(&shown);
        assert!(shown[0].starts_with("red: the bridge"), "{shown:?}");
    }

    #[test]
    fn what_cannot_be_told_apart_short_is_shown_whole() {
        let long = "x".repeat(60);
        let values = vec![format!("{long}a{long}"), format!("{long}b{long}")];
        let shown = short_labels(&values, 10);
        all_distinct(&shown);
    }
}
