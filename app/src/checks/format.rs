//! Numbers and ids of a run as people read them.

/// A duration at a glance: "0.4 ms", "38 ms", "1.24 s", "31.0 s".
pub fn duration(ms: f64) -> String {
    let ms = ms.max(0.0);
    if ms < 1.0 {
        format!("{ms:.1} ms")
    } else if ms < 1000.0 {
        format!("{ms:.0} ms")
    } else if ms < 10_000.0 {
        format!("{:.2} s", ms / 1000.0)
    } else {
        format!("{:.1} s", ms / 1000.0)
    }
}

/// The first 8 characters of a trace id, then "…" (the full id goes in a title).
pub fn short_id(id: &str) -> String {
    if id.chars().count() <= 8 {
        return id.to_string();
    }
    let mut short: String = id.chars().take(8).collect();
    short.push('…');
    short
}

/// "line 4, column 12", as the failure's location reads.
pub fn location(line: u32, column: Option<u32>) -> String {
    match column {
        Some(column) => format!("line {line}, column {column}"),
        None => format!("line {line}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_at_a_glance() {
        assert_eq!(duration(0.42), "0.4 ms");
        assert_eq!(duration(37.6), "38 ms");
        assert_eq!(duration(1240.0), "1.24 s");
        assert_eq!(duration(31_000.0), "31.0 s");
        assert_eq!(duration(-3.0), "0.0 ms");
    }

    #[test]
    fn ids_are_shortened() {
        assert_eq!(short_id("0af7651916cd43dd8448eb211c80319c"), "0af76519…");
        assert_eq!(short_id("abc"), "abc");
    }

    #[test]
    fn locations_name_line_and_column() {
        assert_eq!(location(4, Some(12)), "line 4, column 12");
        assert_eq!(location(4, None), "line 4");
    }
}
