//! Value labels short enough for the comparison's column that stay as distinct as the
//! values: a long one is cut in the middle (its start and its end both kept, cut
//! between words), and values that would still read the same are shown from the word
//! where each first differs from the one most like it; the rare rest is shown whole
//! (it wraps). The whole value is always in the button's title, on hover.

/// Most characters of a value shown, the cut marks included.
pub const VALUE_CHARS: usize = 26;

const CUT: char = '…';

/// How far back a cut looks for the start of a word, characters.
const WORD_REACH: usize = 12;

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

/// Whether a word starts at `k`: the start, or just after a space or a separator.
fn word_starts_at(c: &[char], k: usize) -> bool {
    k == 0
        || (k < c.len()
            && !c[k].is_whitespace()
            && (c[k - 1].is_whitespace() || matches!(c[k - 1], '/' | '(' | '[' | '=' | ',')))
}

/// The start of the word at or before `at`, looking back at most `reach`
/// characters; `at` itself when no word starts that close.
fn word_start_before(c: &[char], at: usize, reach: usize) -> usize {
    (at.saturating_sub(reach)..=at)
        .rev()
        .find(|&k| word_starts_at(c, k))
        .unwrap_or(at)
}

/// The start of the first word at or after `at` and before `until`; `at` when none.
fn word_start_after(c: &[char], at: usize, until: usize) -> usize {
    (at..until.min(c.len()))
        .find(|&k| word_starts_at(c, k))
        .unwrap_or(at)
}

/// The start and the end, the middle left out (cut between words where that
/// loses little).
fn middle_cut(c: &[char], max: usize) -> String {
    if c.len() <= max {
        return c.iter().collect();
    }
    let kept = max.saturating_sub(1);
    let mut head = kept - kept * 2 / 5;
    // End the head at a word's end, if one is in its second half.
    if let Some(end) = (head / 2..=head)
        .rev()
        .find(|&k| k > 0 && k < c.len() && c[k].is_whitespace())
    {
        head = end;
    }
    let tail_from = c.len() - (kept - head);
    // Start the tail at a word's start, if one is in its first half.
    let tail_from = word_start_after(c, tail_from, tail_from + (kept - head) / 2);
    c[..head]
        .iter()
        .chain(std::iter::once(&CUT))
        .chain(&c[tail_from..])
        .collect()
}

/// From the word where label `i` first differs from the one most like it: `…` and
/// that part, cut again at its end when it is still too long.
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
        .unwrap_or(0)
        .min(c.len() - 1);
    let kept = max.saturating_sub(1).max(1);
    if differs_at + 4 <= kept {
        // It differs early: its start says it.
        return c[..kept].iter().chain(std::iter::once(&CUT)).collect();
    }
    let start = word_start_before(c, differs_at, WORD_REACH.min(kept / 2));
    let mut out = String::from(CUT);
    if c.len() - start <= kept {
        // The rest fits: show as much before the difference as there is room for.
        let from = (c.len() - kept..=start)
            .find(|&k| word_starts_at(c, k))
            .unwrap_or(c.len() - kept);
        out.extend(&c[from..]);
    } else {
        let room = kept.saturating_sub(1).max(1);
        out.extend(&c[start..start + room]);
        out.truncate(out.trim_end().len());
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
    fn messages_sharing_a_long_start_show_the_words_that_differ() {
        let colours = ["green", "blue", "red", "cyan", "pink"];
        let values: Vec<String> = colours
            .iter()
            .map(|c| {
                format!(
                    r#"poll gave up after 30 tries: the bulb's colour: expected "{c}", got "white""#
                )
            })
            .collect();
        let shown = short_labels(&values, VALUE_CHARS);
        all_distinct(&shown);
        for (s, c) in shown.iter().zip(colours) {
            assert!(s.chars().count() <= VALUE_CHARS, "{s}");
            // From the word that differs to the end, whole words.
            assert_eq!(*s, format!(r#"…"{c}", got "white""#));
        }
    }

    #[test]
    fn a_middle_cut_falls_between_words() {
        let values = labels(&[
            r#"poll gave up after 30 tries: the change the bulb shows: expected "req-1", got "req-2""#,
            "blue: the bridge lost the change and nothing was applied to it",
        ]);
        let shown = short_labels(&values, VALUE_CHARS);
        assert_eq!(shown[0], r#"poll gave up…got "req-2""#);
        assert_eq!(shown[1], "blue: the…applied to it");
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
