//! Bars: each group's total for one calculation, as horizontal bars.

use bulbwatch_api::QueryResult;

use crate::colour_scale::Rgb;
use crate::group_colours::{Dash, GroupColours};
use crate::series::group_label;

/// Horizontal bars, one per group, in the answer's order.
#[derive(Clone, Debug, PartialEq)]
pub struct BarsChart {
    /// What the values are: `COUNT`.
    pub value_label: String,
    /// The bars, top first.
    pub bars: Vec<Bar>,
}

/// One group's bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// The group's values.
    pub label: String,
    /// Its total.
    pub value: f64,
    /// Its colour (the same as its line in the series chart).
    pub colour: Rgb,
    /// Its line in the series chart; a bar shows it as solid, half filled or outlined.
    pub dash: Dash,
}

impl BarsChart {
    /// The totals of calculation `calculation` (an index into `r.calculations`); groups
    /// without a value are left out.
    pub fn from_result(r: &QueryResult, calculation: usize) -> Self {
        let value_label = r
            .calculations
            .get(calculation)
            .map_or_else(String::new, |c| c.label.clone());
        let colours = GroupColours::of_result(r);
        let bars = r
            .totals
            .iter()
            .filter_map(|row| {
                let value = (*row.values.get(calculation)?)?;
                let style = colours.style(&row.group);
                Some(Bar {
                    label: if row.group.is_empty() {
                        value_label.clone()
                    } else {
                        group_label(&row.group)
                    },
                    value,
                    colour: style.colour,
                    dash: style.dash,
                })
            })
            .collect();
        BarsChart { value_label, bars }
    }

    /// The largest magnitude to scale the bars to (1 when all are 0).
    pub fn max_value(&self) -> f64 {
        let m = self
            .bars
            .iter()
            .map(|b| b.value.abs())
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max);
        if m > 0.0 { m } else { 1.0 }
    }
}
