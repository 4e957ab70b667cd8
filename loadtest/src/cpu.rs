//! CPU time of a process from `/proc/PID/stat` (utime + stime), to tell whether the
//! server or this tool spent the time of a fan-out.

/// Clock ticks per second of `/proc/PID/stat` (`USER_HZ`: 100 on Linux).
const TICKS_PER_S: f64 = 100.0;

/// CPU time (user + system) `pid` has used so far, ms; `None` without `/proc`.
pub fn cpu_ms(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    parse_stat(&stat)
}

/// utime + stime of a `/proc/PID/stat` line, ms (fields 14 and 15, counted after the
/// command name, which may hold spaces and parentheses).
fn parse_stat(stat: &str) -> Option<f64> {
    let (_, after) = stat.rsplit_once(") ")?;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / TICKS_PER_S * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_and_system_time_are_added() {
        let stat = "42 (bulb watch) S 1 42 42 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 3 0";
        assert_eq!(parse_stat(stat), Some(3000.0));
        assert_eq!(parse_stat("garbage"), None);
        assert!(cpu_ms(std::process::id()).is_some());
    }
}
