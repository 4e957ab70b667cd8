//! W3C Trace Context: one trace id per run, a fresh span id per request, sent as
//! `traceparent: 00-<trace id>-<span id>-01` so the server's spans join the check's trace.
//! No randomness in here (the engine must not need getrandom): the caller brings the
//! trace id's bytes, span ids are derived from it.

use std::fmt::Write as _;

/// A trace id (32 lowercase hex) from 16 random bytes the caller drew. An all-zero
/// id is invalid in W3C Trace Context, so one is turned into `…01`.
pub fn trace_id_from_bytes(bytes: [u8; 16]) -> String {
    let mut bytes = bytes;
    if bytes.iter().all(|b| *b == 0) {
        bytes[15] = 1;
    }
    hex(&bytes)
}

/// Whether `id` is a valid trace id: 32 lowercase hex digits, not all zero.
pub fn is_valid_trace_id(id: &str) -> bool {
    is_lower_hex_id(id, 32)
}

/// Whether `id` is a valid span id: 16 lowercase hex digits, not all zero.
pub fn is_valid_span_id(id: &str) -> bool {
    is_lower_hex_id(id, 16)
}

/// The `traceparent` header value for a sampled span.
pub fn traceparent(trace_id: &str, span_id: &str) -> String {
    format!("00-{trace_id}-{span_id}-01")
}

/// Hands out span ids: distinct within a run, never zero, reproducible from the trace id.
#[derive(Clone, Debug)]
pub struct SpanIds {
    seed: u64,
    counter: u64,
}

impl SpanIds {
    /// Span ids for the run with this trace id.
    pub fn new(trace_id: &str) -> Self {
        // FNV-1a over the trace id: different runs get different sequences.
        let seed = trace_id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        Self { seed, counter: 0 }
    }

    /// The next span id.
    pub fn next_id(&mut self) -> String {
        loop {
            self.counter += 1;
            // splitmix64 is a bijection of its input, so distinct counters give
            // distinct ids; skip the one counter that would map to zero.
            let id = splitmix64(self.seed.wrapping_add(self.counter));
            if id != 0 {
                return format!("{id:016x}");
            }
        }
    }
}

fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn is_lower_hex_id(id: &str, len: usize) -> bool {
    id.len() == len
        && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        && id.bytes().any(|b| b != b'0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trace_ids_are_32_lowercase_hex_and_never_zero() {
        let id = trace_id_from_bytes([0xab; 16]);
        assert_eq!(id, "ab".repeat(16));
        assert!(is_valid_trace_id(&id));
        let zero = trace_id_from_bytes([0; 16]);
        assert_eq!(zero, format!("{}01", "0".repeat(30)));
        assert!(is_valid_trace_id(&zero));
        assert!(!is_valid_trace_id(&"0".repeat(32)));
        assert!(!is_valid_trace_id(&"AB".repeat(16)));
        assert!(!is_valid_trace_id("abc"));
    }

    #[test]
    fn span_ids_are_distinct_valid_and_seeded_by_the_trace() {
        let mut a = SpanIds::new(&"ab".repeat(16));
        let ids: Vec<String> = (0..1000).map(|_| a.next_id()).collect();
        let unique: std::collections::HashSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len());
        assert!(ids.iter().all(|id| is_valid_span_id(id)), "{ids:?}");
        let mut b = SpanIds::new(&"cd".repeat(16));
        assert_ne!(ids[0], b.next_id());
    }

    #[test]
    fn traceparent_has_the_w3c_shape() {
        assert_eq!(
            traceparent("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"),
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
        );
    }
}
