//! Busy queue: the queue delay goes up (the facilitator picks how far), so changes
//! wait longer than a check polls. Cause: the queue length, and the delay from
//! request to applied (`bulb.apply.delay`).

use serde_json::json;

use super::{About, RevealFacts, RoomFacts, Scenario, SettingDef, plural};

/// The busy queue.
pub struct BusyQueue;

const ABOUT: About = About {
    id: "busy_queue",
    title: "Busy queue",
    brief: "Every change waits the queue delay before it is applied, one at a time. Raise it and a check's 3 s of polling runs out as soon as a few changes are ahead of its own.",
    root_cause: &["queue_length", "delay_ms"],
    always_on: false,
    needs_shards: false,
};

impl Scenario for BusyQueue {
    fn about(&self) -> &'static About {
        &ABOUT
    }

    fn revealing_query(&self) -> serde_json::Value {
        json!({
            "dataset": "bulb",
            "calculations": [{"op": "P95", "column": "delay_ms"}, {"op": "COUNT"}],
            "filters": [{"column": "name", "op": "=", "value": "bulb.apply"}],
            "breakdowns": ["queue_length"],
            "orders": [{"column": "queue_length"}],
            "time_range": 7200,
            "fit": true,
        })
    }

    fn setting(&self) -> Option<SettingDef> {
        Some(SettingDef {
            label: "Queue delay",
            unit: "ms",
            min: 0,
            max: bulbwatch_api::QUEUE_DELAY_MAX_MS,
            default: 1500,
        })
    }

    fn marker(&self, on: bool, value: i64) -> String {
        if on {
            format!("queue delay raised to {value} ms")
        } else {
            "queue delay back to normal".into()
        }
    }

    fn queue_delay_ms(&self, room: &RoomFacts) -> Option<u32> {
        u32::try_from(room.value).ok()
    }

    fn reveal(&self, facts: &RevealFacts) -> String {
        let delay = facts.queue_delay_ms;
        let numbers = if facts.changes == 0 {
            "No change went through the queue this session yet.".to_string()
        } else {
            format!(
                "This session {} went through it; the longest queue was {}, and from request \
                 to applied took {} ms at P95 ({} ms at worst).",
                plural(facts.changes, "change"),
                plural(u64::from(facts.longest_queue), "change"),
                facts.wait_p95_ms,
                facts.wait_worst_ms,
            )
        };
        // The classic check polls 30 times, 100 ms apart: about 3 s.
        let limit = match 3000u32.checked_div(delay) {
            Some(fits) if fits > 0 => format!(
                " A check that polls for about 3 s gives up once more than {fits} changes are ahead of its own."
            ),
            _ => String::new(),
        };
        format!(
            "Every change waits its turn in one queue, and the bulb's worker waits the queue \
             delay ({delay} ms now) before applying each. The PUT answered 202 at once and \
             nothing threw: the change was simply still queued when the check stopped polling. \
             {numbers}{limit} With the instrumentation point bulb.apply.delay on, the apply \
             spans show it: delay_ms grows with queue_length."
        )
    }
}
