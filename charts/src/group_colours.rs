//! Which colour each group gets, the same in every chart of one answer. In a workshop
//! about a coloured bulb, a group called "green" drawn in blue misleads: when every
//! group names a different bulb colour, each is drawn in (a screen-friendly shade of)
//! that colour. Otherwise groups take the categorical palette in the order of the
//! answer's totals.

use bulbwatch_api::{QueryResult, Scalar};

use crate::colour_scale::{Rgb, category};

/// Shades of the bulb's named colours that read well on the dark background (pure
/// `#0000ff` blue is nearly invisible there).
const BULB_SHADES: [(&str, Rgb); 9] = [
    ("red", (0xff, 0x5c, 0x5c)),
    ("orange", (0xff, 0xa1, 0x4a)),
    ("yellow", (0xff, 0xe0, 0x5c)),
    ("green", (0x4a, 0xde, 0x6e)),
    ("cyan", (0x5c, 0xe1, 0xf0)),
    ("blue", (0x6e, 0x8c, 0xff)),
    ("purple", (0xb0, 0x85, 0xff)),
    ("pink", (0xff, 0x6e, 0xb4)),
    ("white", (0xe8, 0xea, 0xef)),
];

/// The colours of an answer's groups.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupColours {
    /// The groups in the order of the totals.
    order: Vec<Vec<Option<Scalar>>>,
    /// Whether every group names a bulb colour of its own.
    named: bool,
}

/// The bulb shade a value names, if it is one of the bulb's colour names.
fn bulb_shade(value: &Option<Scalar>) -> Option<Rgb> {
    match value {
        Some(Scalar::String(s)) => BULB_SHADES
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(s.trim()))
            .map(|&(_, rgb)| rgb),
        _ => None,
    }
}

/// The first bulb shade a group's values name.
fn group_shade(group: &[Option<Scalar>]) -> Option<Rgb> {
    group.iter().find_map(bulb_shade)
}

impl GroupColours {
    /// The colours for the groups of `r`.
    pub fn of_result(r: &QueryResult) -> Self {
        let mut order: Vec<Vec<Option<Scalar>>> =
            r.totals.iter().map(|t| t.group.clone()).collect();
        for s in &r.series {
            if !order.contains(&s.group) {
                order.push(s.group.clone());
            }
        }
        let shades: Vec<Option<Rgb>> = order.iter().map(|g| group_shade(g)).collect();
        let named = !shades.is_empty()
            && shades.iter().all(Option::is_some)
            && shades
                .iter()
                .enumerate()
                .all(|(i, s)| !shades[..i].contains(s));
        GroupColours { order, named }
    }

    /// The colour of `group`.
    pub fn colour(&self, group: &[Option<Scalar>]) -> Rgb {
        if self.named
            && let Some(shade) = group_shade(group)
        {
            return shade;
        }
        let i = self
            .order
            .iter()
            .position(|g| g.as_slice() == group)
            .unwrap_or(self.order.len());
        category(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bulbwatch_api::{GroupRow, GroupSeries};

    fn result(groups: &[&[&str]]) -> QueryResult {
        let group = |g: &[&str]| g.iter().map(|v| Some(Scalar::from(*v))).collect::<Vec<_>>();
        QueryResult {
            totals: groups
                .iter()
                .map(|g| GroupRow {
                    group: group(g),
                    values: vec![Some(1.0)],
                })
                .collect(),
            // The series come in another order: colours must not follow it.
            series: groups
                .iter()
                .rev()
                .map(|g| GroupSeries {
                    group: group(g),
                    points: Vec::new(),
                })
                .collect(),
            start_time_ms: 0,
            end_time_ms: 60_000,
            granularity_ms: 60_000,
            breakdowns: vec!["colour".into()],
            calculations: Vec::new(),
            matched_events: 0,
            heatmaps: Vec::new(),
            groups_truncated: false,
        }
    }

    fn key(g: &[&str]) -> Vec<Option<Scalar>> {
        g.iter().map(|v| Some(Scalar::from(*v))).collect()
    }

    #[test]
    fn groups_named_after_bulb_colours_are_drawn_in_them() {
        let r = result(&[&["green", "false"], &["red", "true"], &["blue", "true"]]);
        let colours = GroupColours::of_result(&r);
        assert_eq!(
            colours.colour(&key(&["green", "false"])),
            (0x4a, 0xde, 0x6e)
        );
        assert_eq!(colours.colour(&key(&["blue", "true"])), (0x6e, 0x8c, 0xff));
    }

    #[test]
    fn a_colour_named_twice_falls_back_to_the_palette_in_totals_order() {
        let r = result(&[&["green", "false"], &["green", "true"], &["red", "true"]]);
        let colours = GroupColours::of_result(&r);
        assert_eq!(colours.colour(&key(&["green", "false"])), category(0));
        assert_eq!(colours.colour(&key(&["green", "true"])), category(1));
        assert_eq!(colours.colour(&key(&["red", "true"])), category(2));
    }

    #[test]
    fn groups_without_colour_names_take_the_palette() {
        let r = result(&[&["PUT /api/bulb"], &["GET /api/bulb"]]);
        let colours = GroupColours::of_result(&r);
        assert_eq!(colours.colour(&key(&["PUT /api/bulb"])), category(0));
        assert_eq!(colours.colour(&key(&["GET /api/bulb"])), category(1));
        assert_eq!(colours.colour(&key(&["unknown"])), category(2));
    }
}
