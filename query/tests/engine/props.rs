//! `execute` against the reference on random data and random specs: every
//! calculation, every filter operator, AND and OR, breakdowns, orders, havings, limit,
//! time ranges and granularity.

use bulbwatch_query::{EventTable, execute};
use proptest::prelude::*;

use crate::assert_same;
use crate::generate::{events, spec};
use crate::reference::{self, held};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn execute_agrees_with_the_reference(
        pushed in events(120),
        (spec, now) in spec(),
        chunk_rows in prop::sample::select(vec![1usize, 3, 7, 64, 65_536]),
    ) {
        let mut table = EventTable::with_chunk_rows(chunk_rows);
        for e in &pushed {
            e.push_into(&mut table);
        }
        let held = held(&pushed);
        let got = execute(&table, &spec, now);
        match reference::check(&held, &spec) {
            Err(field) => {
                let e = got.expect_err("the reference refuses this spec");
                prop_assert_eq!(e.field, field, "{}", e.message);
            }
            Ok(()) => {
                let got = got.map_err(|e| TestCaseError::fail(e.to_string()))?;
                assert_same(&got, &reference::execute(&held, &spec, now));
            }
        }
    }
}
