//! Numbers and ids of a run as people read them.

/// A duration at a glance: "0.4 ms", "38 ms", "1.24 s", "31.0 s".
pub fn duration(ms: f64) -> String {
    let ms = ms.max(0.0);
    if ms < 1.0 {
        format!("{} ms", fixed(ms, 1))
    } else if ms < 1000.0 {
        format!("{} ms", fixed(ms, 0))
    } else if ms < 10_000.0 {
        format!("{} s", fixed(ms / 1000.0, 2))
    } else {
        format!("{} s", fixed(ms / 1000.0, 1))
    }
}

/// `value` with `decimals` digits after the point, as `format!("{value:.N}")` writes it
/// (ties to even), for the numbers people read here: milliseconds and seconds, up to
/// 3 decimals. Integer arithmetic instead of the float formatter keeps about 5 KB
/// (gzip) out of the page's wasm. Past 10^15 it reads the nearest value it can hold.
pub fn fixed(value: f64, decimals: u8) -> String {
    if value.is_nan() {
        return "NaN".to_string();
    }
    let sign = if value.is_sign_negative() { "-" } else { "" };
    if value.is_infinite() {
        return format!("{sign}inf");
    }
    let decimals = u32::from(decimals.min(3));
    let scale = 10_u64.pow(decimals);
    // `as` saturates: a value too large to hold reads as the largest one.
    let scaled = round_scaled(value.abs(), scale as f64) as u64;
    let whole = scaled / scale;
    if decimals == 0 {
        return format!("{sign}{whole}");
    }
    let fraction = scaled % scale;
    format!(
        "{sign}{whole}.{fraction:0width$}",
        width = decimals as usize
    )
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

/// `value × scale` rounded to a whole number as the exact product would round (ties to
/// even). The float product can land on a tie that the exact one misses (0.05 × 10 is
/// 0.5, though 0.05 is a little more than a twentieth): there, the product's rounding
/// error (Dekker's exact product, `scale` being a small whole number) breaks the tie.
fn round_scaled(value: f64, scale: f64) -> f64 {
    let product = value * scale;
    let floor = product.floor();
    if product - floor != 0.5 {
        return product.round_ties_even();
    }
    let split = 134_217_729.0 * value; // 2^27 + 1
    let high = split - (split - value);
    let low = value - high;
    let error = (high * scale - product) + low * scale;
    if error > 0.0 {
        floor + 1.0
    } else if error < 0.0 {
        floor
    } else {
        product.round_ties_even()
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
    fn fixed_reads_as_the_float_formatter_does() {
        for value in [
            0.0,
            0.04,
            0.05,
            0.15,
            0.25,
            0.42,
            0.5,
            0.95,
            0.999,
            1.0,
            1.005,
            1.24,
            2.5,
            3.5,
            9.95,
            12.345,
            37.6,
            99.95,
            999.9,
            1240.0,
            31_000.0,
            123_456.789,
            -0.04,
            -1.5,
        ] {
            assert_eq!(fixed(value, 0), format!("{value:.0}"), "{value}");
            assert_eq!(fixed(value, 1), format!("{value:.1}"), "{value}");
            assert_eq!(fixed(value, 2), format!("{value:.2}"), "{value}");
            assert_eq!(fixed(value, 3), format!("{value:.3}"), "{value}");
        }
        for ms in (0..200_000_u32).step_by(7) {
            let secs = f64::from(ms) / 1000.0;
            assert_eq!(fixed(secs, 1), format!("{secs:.1}"), "{ms} ms");
            assert_eq!(fixed(secs, 2), format!("{secs:.2}"), "{ms} ms");
        }
        // Near ties by the thousand: halves of every last digit, as floats hold them.
        for k in 0..100_000_u32 {
            let value = f64::from(k) * 0.0005;
            for decimals in 0..=3 {
                let want = format!("{value:.prec$}", prec = usize::from(decimals));
                assert_eq!(fixed(value, decimals), want, "{value} to {decimals}");
            }
        }
        assert_eq!(fixed(f64::NAN, 1), "NaN");
        assert_eq!(fixed(f64::INFINITY, 1), "inf");
        assert_eq!(fixed(f64::NEG_INFINITY, 1), "-inf");
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
