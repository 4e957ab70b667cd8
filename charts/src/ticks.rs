//! Axis ticks: "nice" values (1, 2 or 5 × 10ⁿ apart) for numbers, round steps (1 s …
//! 1 h … 1 day) for times, and their labels. Times are labelled in the viewer's time
//! zone, set once by the page with [`set_local_offset_ms`] (UTC until then).

use std::sync::atomic::{AtomicI64, Ordering};

/// Local time minus UTC, ms.
static LOCAL_OFFSET_MS: AtomicI64 = AtomicI64::new(0);

/// Sets the viewer's time zone for time labels: local time minus UTC, ms.
pub fn set_local_offset_ms(offset_ms: i64) {
    LOCAL_OFFSET_MS.store(offset_ms, Ordering::Relaxed);
}

/// The viewer's time zone offset (local time minus UTC, ms).
pub fn local_offset_ms() -> i64 {
    LOCAL_OFFSET_MS.load(Ordering::Relaxed)
}

/// The distance between nice ticks that gives at most `max_count` over a span.
pub fn nice_step(span: f64, max_count: usize) -> f64 {
    nice_ticks_with_step(0.0, span, max_count).1
}

/// Nice tick values inside `[min, max]`: at most `max_count` (and at least one), each a
/// multiple of one step of 1, 2 or 5 × 10ⁿ.
pub fn nice_ticks(min: f64, max: f64, max_count: usize) -> Vec<f64> {
    nice_ticks_with_step(min, max, max_count).0
}

/// [`nice_ticks`] and the step between them.
pub fn nice_ticks_with_step(min: f64, max: f64, max_count: usize) -> (Vec<f64>, f64) {
    if !(min.is_finite() && max.is_finite()) {
        return (Vec::new(), 1.0);
    }
    let (min, max) = if min <= max { (min, max) } else { (max, min) };
    let span = max - min;
    if span == 0.0 {
        return (vec![min], 1.0);
    }
    let max_count = max_count.max(1);
    let mut power = 10f64.powf((span / max_count as f64).log10().floor() - 1.0);
    let mut previous: Option<(f64, f64)> = None;
    loop {
        for m in [1.0, 2.0, 5.0] {
            let step = m * power;
            let first = (min / step - 1e-9).ceil() as i64;
            let last = (max / step + 1e-9).floor() as i64;
            let count = (last - first + 1).max(0) as usize;
            if count == 0 {
                // Too coarse to land inside: the finer step's first tick alone.
                let (v, step) = previous.unwrap_or((min, step));
                return (vec![v], step);
            }
            if count <= max_count {
                let ticks = (first..=last)
                    .map(|k| tidy(k as f64 * step, step))
                    .collect();
                return (ticks, step);
            }
            previous = Some((tidy(first as f64 * step, step), step));
        }
        power *= 10.0;
    }
}

/// `v` rounded to the decimals a step shows (drops float noise such as 0.30000000000000004).
fn tidy(v: f64, step: f64) -> f64 {
    let scale = 10f64.powi(decimals(step) as i32);
    (v * scale).round() / scale
}

/// A tick label: as many decimals as the step needs, thousands as `k`, millions as `M`.
pub fn format_tick(v: f64, step: f64) -> String {
    let a = v.abs();
    if a >= 1e6 && step >= 1e5 {
        return format!("{}M", trim(format!("{:.*}", decimals(step / 1e6), v / 1e6)));
    }
    if a >= 1e4 && step >= 1e3 {
        return format!("{}k", trim(format!("{:.*}", decimals(step / 1e3), v / 1e3)));
    }
    trim(format!("{:.*}", decimals(step), v))
}

/// A value for people (hover, legends): whole above 100, else up to 2 decimals.
pub fn format_value(v: f64) -> String {
    if !v.is_finite() {
        return "–".to_owned();
    }
    if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else {
        trim(format!("{v:.2}"))
    }
}

/// Decimals that show a step's digits.
fn decimals(step: f64) -> usize {
    if step >= 1.0 || step <= 0.0 {
        0
    } else {
        (-step.log10().floor()) as usize
    }
}

/// Drops trailing zeros after a decimal point, and "-0".
fn trim(s: String) -> String {
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    };
    if s == "-0" { "0".to_owned() } else { s }
}

const SECOND: i64 = 1000;
const MINUTE: i64 = 60 * SECOND;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// The round time steps, shortest first.
const TIME_STEPS: [i64; 20] = [
    SECOND,
    2 * SECOND,
    5 * SECOND,
    10 * SECOND,
    15 * SECOND,
    30 * SECOND,
    MINUTE,
    2 * MINUTE,
    5 * MINUTE,
    10 * MINUTE,
    15 * MINUTE,
    30 * MINUTE,
    HOUR,
    2 * HOUR,
    3 * HOUR,
    6 * HOUR,
    12 * HOUR,
    DAY,
    2 * DAY,
    7 * DAY,
];

/// The shortest round step that gives at most `max_count` ticks over `[start, end]`.
pub fn time_step(start_ms: i64, end_ms: i64, max_count: usize) -> i64 {
    let span = (end_ms - start_ms).max(0);
    let max_count = max_count.max(1) as i64;
    TIME_STEPS
        .iter()
        .copied()
        .find(|step| span / step < max_count)
        .unwrap_or_else(|| ((span / max_count).max(DAY) + DAY - 1) / DAY * DAY)
}

/// Time ticks in `[start, end]` on round local times, with labels such as `14:05`,
/// `14:05:30` (steps under a minute) or `Mar 5` (steps of days).
pub fn time_ticks(start_ms: i64, end_ms: i64, max_count: usize) -> Vec<(i64, String)> {
    if end_ms < start_ms {
        return Vec::new();
    }
    let step = time_step(start_ms, end_ms, max_count);
    let offset = local_offset_ms();
    let first = (start_ms + offset).div_euclid(step) * step - offset;
    let first = if first < start_ms {
        first + step
    } else {
        first
    };
    (0..)
        .map(|k| first + k * step)
        .take_while(|&t| t <= end_ms)
        .map(|t| (t, format_time(t, step)))
        .collect()
}

/// A local time at the precision a step needs: `14:05:30`, `14:05`, `Mar 5`.
pub fn format_time(ms: i64, step_ms: i64) -> String {
    let local = ms + local_offset_ms();
    let of_day = local.rem_euclid(DAY);
    let (h, m, s) = (
        of_day / HOUR,
        of_day % HOUR / MINUTE,
        of_day % MINUTE / SECOND,
    );
    if step_ms >= DAY {
        let (month, day) = month_day(local.div_euclid(DAY));
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        format!("{} {day}", MONTHS[month as usize - 1])
    } else if step_ms % MINUTE != 0 {
        format!("{h:02}:{m:02}:{s:02}")
    } else {
        format!("{h:02}:{m:02}")
    }
}

/// Month (1–12) and day of a day number since 1970-01-01 (proleptic Gregorian).
fn month_day(days: i64) -> (u32, u32) {
    let z = days + 719_468;
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_right() {
        // 2026-01-01 is day 20454.
        assert_eq!(month_day(20_454), (1, 1));
        assert_eq!(month_day(20_454 + 59), (3, 1));
        assert_eq!(month_day(0), (1, 1));
    }
}
