//! A chunk's string dictionary: each distinct string stored once, numbered densely
//! from 0 in order of first appearance.

use crate::hash::{FxHashMap, hash_str};

/// Strings of one column in one chunk, by id.
#[derive(Clone, Default)]
pub(crate) struct Dictionary {
    /// All strings, back to back.
    text: String,
    /// End offset in `text` of string `id`.
    ends: Vec<u32>,
    /// Hash of a string → the first id with that hash.
    index: FxHashMap<u64, u32>,
    /// Strings whose hash collided with an earlier, different string.
    collisions: FxHashMap<Box<str>, u32>,
}

impl Dictionary {
    /// Number of distinct strings.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Bytes of memory the dictionary holds (allocated capacity; the maps' tables
    /// estimated as hashbrown lays them out).
    pub(crate) fn heap_bytes(&self) -> usize {
        self.text.capacity()
            + self.ends.capacity() * 4
            + map_bytes(self.index.capacity(), size_of::<(u64, u32)>())
            + map_bytes(self.collisions.capacity(), size_of::<(Box<str>, u32)>())
            + self.collisions.keys().map(|k| k.len()).sum::<usize>()
    }

    /// The string with this id.
    pub(crate) fn get(&self, id: u32) -> &str {
        let id = id as usize;
        let start = if id == 0 {
            0
        } else {
            self.ends[id - 1] as usize
        };
        &self.text[start..self.ends[id] as usize]
    }

    /// Every string with its id, in id order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (u32, &str)> {
        (0..self.ends.len() as u32).map(|id| (id, self.get(id)))
    }

    /// The id of `s`, if it is in the dictionary.
    pub(crate) fn lookup(&self, s: &str) -> Option<u32> {
        let id = *self.index.get(&hash_str(s))?;
        if self.get(id) == s {
            Some(id)
        } else {
            self.collisions.get(s).copied()
        }
    }

    /// The id of `s`, adding it if new.
    pub(crate) fn intern(&mut self, s: &str) -> u32 {
        let h = hash_str(s);
        let next = self.ends.len() as u32;
        match self.index.get(&h) {
            None => {
                self.index.insert(h, next);
            }
            Some(&id) if self.get(id) == s => return id,
            Some(_) => {
                if let Some(&id) = self.collisions.get(s) {
                    return id;
                }
                self.collisions.insert(s.into(), next);
            }
        }
        self.text.push_str(s);
        self.ends.push(self.text.len() as u32);
        next
    }
}

/// Bytes of a hash table of `capacity` entries of `entry` bytes: a power of two of
/// buckets at most 7/8 full, one control byte each.
pub(crate) fn map_bytes(capacity: usize, entry: usize) -> usize {
    if capacity == 0 {
        return 0;
    }
    let buckets = (capacity * 8).div_ceil(7).next_power_of_two();
    buckets * (entry + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_is_dense_and_stable() {
        let mut d = Dictionary::default();
        assert_eq!(d.intern("green"), 0);
        assert_eq!(d.intern(""), 1);
        assert_eq!(d.intern("red"), 2);
        assert_eq!(d.intern("green"), 0);
        assert_eq!(d.len(), 3);
        assert_eq!(d.get(1), "");
        assert_eq!(d.get(2), "red");
        assert_eq!(d.lookup("red"), Some(2));
        assert_eq!(d.lookup("blue"), None);
    }

    #[test]
    fn colliding_hashes_keep_strings_apart() {
        let mut d = Dictionary::default();
        d.intern("a");
        // Force a collision: point "b"'s hash at "a"'s id.
        d.index.insert(hash_str("b"), 0);
        assert_eq!(d.lookup("b"), None);
        assert_eq!(d.intern("b"), 1);
        assert_eq!(d.intern("b"), 1);
        assert_eq!(d.lookup("b"), Some(1));
        assert_eq!(d.lookup("a"), Some(0));
    }
}
