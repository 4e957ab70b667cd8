//! The attributes whose values are shared alike in the selection and the baseline:
//! they do not set the selection apart, so they go last, folded and quieter, after
//! those that do.

use bulbwatch_charts::compare::AttributeBars;

/// Scores below this (no value's share differs by 2 percentage points or more)
/// count as alike.
pub const ALIKE_BELOW: f64 = 0.02;

/// Whether an attribute's values are shared alike on both sides.
pub fn is_alike(attribute: &AttributeBars) -> bool {
    attribute.score < ALIKE_BELOW
}

/// The attributes that set the selection apart, then those alike on both sides, each
/// in the order given (the server's: the most different first).
pub fn split_alike(attributes: Vec<AttributeBars>) -> (Vec<AttributeBars>, Vec<AttributeBars>) {
    attributes.into_iter().partition(|a| !is_alike(a))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attribute(column: &str, score: f64) -> AttributeBars {
        AttributeBars {
            column: column.into(),
            score,
            values: Vec::new(),
        }
    }

    fn names(attributes: &[AttributeBars]) -> Vec<&str> {
        attributes.iter().map(|a| a.column.as_str()).collect()
    }

    #[test]
    fn the_columns_that_do_not_differ_go_last() {
        let (differ, alike) = split_alike(vec![
            attribute("colour", 0.6),
            attribute("shard", 0.0),
            attribute("queue_length", 0.3),
            attribute("input_form", 0.005),
            attribute("attendee", 0.02),
        ]);
        assert_eq!(names(&differ), ["colour", "queue_length", "attendee"]);
        assert_eq!(names(&alike), ["shard", "input_form"]);
    }
}
