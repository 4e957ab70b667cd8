//! Retention: after `drop_oldest`, the table answers as if it held only the newest
//! events.

use bulbwatch_api::{CalcOp, Calculation, QuerySpec};
use bulbwatch_query::{EventTable, execute};
use proptest::prelude::*;

use crate::assert_same;
use crate::generate::{SPAN, T0, event, spec};
use crate::reference::{self, Event, V};

/// Push a batch, or drop some of the oldest.
#[derive(Clone, Debug)]
enum Step {
    Push(Vec<Event>),
    Drop(usize),
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    proptest::collection::vec(
        prop_oneof![
            proptest::collection::vec(event(), 0..30).prop_map(Step::Push),
            (0usize..40).prop_map(Step::Drop),
        ],
        1..8,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(250))]

    #[test]
    fn queries_agree_after_drops(
        steps in steps(),
        (spec, now) in spec(),
        chunk_rows in prop::sample::select(vec![1usize, 4, 9, 64]),
    ) {
        let mut table = EventTable::with_chunk_rows(chunk_rows);
        // The reference keeps the held events sorted: a late event goes after those
        // with the same or an earlier timestamp; a drop removes from the front.
        let mut held: Vec<Event> = Vec::new();
        let mut seq = 0.0;
        for step in steps {
            match step {
                Step::Push(batch) => {
                    for mut e in batch {
                        e.fields.insert("seq".into(), V::N(seq));
                        seq += 1.0;
                        e.push_into(&mut table);
                        let at = held.partition_point(|h| h.ts <= e.ts);
                        held.insert(at, e);
                    }
                }
                Step::Drop(n) => {
                    let gone = table.drop_oldest(n);
                    prop_assert_eq!(gone, n.min(held.len()));
                    held.drain(..gone);
                }
            }
            prop_assert_eq!(table.len(), held.len());
            prop_assert_eq!(table.oldest_ms(), held.first().map(|e| e.ts));
        }

        // Exactly the held rows: same count, same sequence numbers.
        let whole = QuerySpec {
            dataset: "test".into(),
            calculations: vec![
                Calculation::count(),
                Calculation::of(CalcOp::Sum, "seq"),
                Calculation::of(CalcOp::Min, "seq"),
                Calculation::of(CalcOp::CountDistinct, "seq"),
            ],
            start_time: Some(T0 / 1000),
            end_time: Some((T0 + SPAN) / 1000),
            ..QuerySpec::default()
        };
        if !held.is_empty() {
            let r = execute(&table, &whole, now).unwrap();
            assert_same(&r, &reference::execute(&held, &whole, now));
        }

        match reference::check(&held, &spec) {
            Err(field) => {
                let e = execute(&table, &spec, now).expect_err("the reference refuses this spec");
                prop_assert_eq!(e.field, field);
            }
            Ok(()) => assert_same(
                &execute(&table, &spec, now).unwrap(),
                &reference::execute(&held, &spec, now),
            ),
        }
        let mut names: Vec<String> = table.columns().into_iter().map(|c| c.name).collect();
        names.sort();
        let mut expected: Vec<String> = held.iter().flat_map(|e| e.fields.keys().cloned()).collect();
        expected.sort();
        expected.dedup();
        prop_assert_eq!(names, expected);
    }
}
