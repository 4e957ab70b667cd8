//! The bulb service's shards as the page knows them: the latest state of every
//! shard's bulb, from the live `bulb` events (each names its shard) and from
//! `GET /api/bulbs`, and which of them is mine. No browser needed, so it is tested
//! natively.

use std::collections::BTreeMap;

use bulbwatch_api::{BulbState, MAX_SHARDS};

/// Every shard's latest bulb, and how many live updates each has had, so that an
/// answer to `GET /api/bulbs` that left the server before a live update never
/// replaces it with an older state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct KnownBulbs {
    bulbs: BTreeMap<u32, BulbState>,
    updates: BTreeMap<u32, u64>,
}

/// How many live updates each shard had when a read was sent (see
/// [`KnownBulbs::mark`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mark(BTreeMap<u32, u64>);

/// One shard's bulb on the page.
#[derive(Clone, Debug, PartialEq)]
pub struct ShardBulb {
    /// Which shard (0 first, as the server and the events count them).
    pub shard: u32,
    /// Whether my changes go to it.
    pub mine: bool,
    /// Its bulb, once known.
    pub state: Option<BulbState>,
}

impl KnownBulbs {
    /// A live update: always the newest state of its shard.
    pub fn live(&mut self, state: BulbState) {
        *self.updates.entry(state.shard).or_default() += 1;
        self.bulbs.insert(state.shard, state);
    }

    /// The live updates seen so far, to hand to [`KnownBulbs::read`] with the answer
    /// of a read sent now.
    pub fn mark(&self) -> Mark {
        Mark(self.updates.clone())
    }

    /// States read from the server (`GET /api/bulbs`, `GET /api/bulb`) after `mark`:
    /// kept for every shard without a live update since. Whether anything changed.
    pub fn read(&mut self, states: Vec<BulbState>, mark: &Mark) -> bool {
        let mut changed = false;
        for state in states {
            let shard = state.shard;
            let seen = self.updates.get(&shard).copied().unwrap_or(0);
            let then = mark.0.get(&shard).copied().unwrap_or(0);
            if seen == then && self.bulbs.get(&shard) != Some(&state) {
                self.bulbs.insert(shard, state);
                changed = true;
            }
        }
        changed
    }

    /// Shard `shard`'s bulb, once known.
    pub fn get(&self, shard: u32) -> Option<&BulbState> {
        self.bulbs.get(&shard)
    }

    /// The room's `shards` bulbs to show, mine first, then the others in order. A
    /// shard beyond the room's count (its queue still draining after the count went
    /// down) is left out; so is `mine` when it is not one of them. Until the server
    /// says which is mine (or when I have not joined), shard 0 comes first, not
    /// marked as mine.
    pub fn shown(&self, shards: u32, mine: Option<u32>) -> Vec<ShardBulb> {
        let shards = shards.clamp(1, MAX_SHARDS);
        let mine = mine.filter(|m| *m < shards);
        let first = mine.unwrap_or(0);
        std::iter::once(first)
            .chain((0..shards).filter(|n| *n != first))
            .map(|shard| ShardBulb {
                shard,
                mine: Some(shard) == mine,
                state: self.bulbs.get(&shard).cloned(),
            })
            .collect()
    }
}

/// "Shard 2", as the events and Explore's `shard` column number them.
pub fn shard_name(shard: u32) -> String {
    format!("Shard {shard}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bulb(shard: u32, hex: &str) -> BulbState {
        BulbState {
            shard,
            colour: hex.into(),
            hex: hex.into(),
            hue: 0,
            sat: 0,
            bri: 0,
            on: true,
            request_id: None,
            applied_at_ms: None,
            applied_by: None,
            queue_length: 0,
            queue_delay_ms: 400,
        }
    }

    fn shards_of(list: &[ShardBulb]) -> Vec<(u32, bool)> {
        list.iter().map(|b| (b.shard, b.mine)).collect()
    }

    #[test]
    fn live_updates_of_different_shards_do_not_overwrite_each_other() {
        let mut bulbs = KnownBulbs::default();
        bulbs.live(bulb(0, "#ff0000"));
        bulbs.live(bulb(2, "#00ff00"));
        bulbs.live(bulb(0, "#0000ff"));
        assert_eq!(bulbs.get(0).unwrap().hex, "#0000ff");
        assert_eq!(bulbs.get(2).unwrap().hex, "#00ff00");
        assert_eq!(bulbs.get(1), None);
    }

    #[test]
    fn mine_comes_first_then_the_others_in_order() {
        let mut bulbs = KnownBulbs::default();
        bulbs.live(bulb(1, "#ff0000"));
        let shown = bulbs.shown(3, Some(2));
        assert_eq!(shards_of(&shown), vec![(2, true), (0, false), (1, false)]);
        assert_eq!(shown[2].state.as_ref().unwrap().hex, "#ff0000");
        assert_eq!(shown[0].state, None, "not known yet");
    }

    #[test]
    fn one_shard_is_one_bulb_whatever_else_arrived() {
        let mut bulbs = KnownBulbs::default();
        bulbs.live(bulb(0, "#ff0000"));
        bulbs.live(bulb(3, "#00ff00"));
        assert_eq!(shards_of(&bulbs.shown(1, Some(0))), vec![(0, true)]);
        assert_eq!(
            shards_of(&bulbs.shown(1, Some(3))),
            vec![(0, false)],
            "a shard the room no longer has is nobody's"
        );
        assert_eq!(shards_of(&bulbs.shown(0, None)), vec![(0, false)]);
        assert_eq!(
            shards_of(&bulbs.shown(2, None)),
            vec![(0, false), (1, false)],
            "shard 0 comes first until the server says which is mine"
        );
        assert_eq!(bulbs.shown(99, None).len(), MAX_SHARDS as usize);
    }

    #[test]
    fn a_read_never_replaces_a_newer_live_update() {
        let mut bulbs = KnownBulbs::default();
        bulbs.live(bulb(0, "#ff0000"));
        let mark = bulbs.mark();
        // While the read is under way, shard 0 changes live.
        bulbs.live(bulb(0, "#00ff00"));
        let changed = bulbs.read(vec![bulb(0, "#ff0000"), bulb(1, "#0000ff")], &mark);
        assert!(changed);
        assert_eq!(bulbs.get(0).unwrap().hex, "#00ff00", "the live one stays");
        assert_eq!(bulbs.get(1).unwrap().hex, "#0000ff", "the read fills in");
        let mark = bulbs.mark();
        assert!(!bulbs.read(vec![bulb(1, "#0000ff")], &mark), "nothing new");
    }

    #[test]
    fn shards_are_named_as_the_events_number_them() {
        assert_eq!(shard_name(0), "Shard 0");
    }
}
