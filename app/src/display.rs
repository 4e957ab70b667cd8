//! Plain functions that turn bulb state into words and colours. No browser needed, so
//! they are tested natively.

use bulbwatch_api::BulbState;

/// How long ago `then_ms` was, seen from `now_ms` (both milliseconds since the Unix
/// epoch), in the words a room reads at a glance: "just now", "12 s ago", "3 min ago".
pub fn relative_time(then_ms: i64, now_ms: i64) -> String {
    // A clock a little ahead of ours must not read "-2 s ago".
    let secs = (now_ms - then_ms).max(0) / 1000;
    match secs {
        0..5 => "just now".to_string(),
        5..60 => format!("{secs} s ago"),
        60..3600 => format!("{} min ago", secs / 60),
        3600..86_400 => format!("{} h ago", secs / 3600),
        _ => format!("{} d ago", secs / 86_400),
    }
}

/// How the bulb's current colour is named to people: the named colour as asked for
/// ("red"), or the hex in capitals for any other colour.
pub fn colour_label(state: &BulbState) -> String {
    let colour = if state.colour.starts_with('#') {
        state.colour.to_uppercase()
    } else {
        state.colour.clone()
    };
    if state.on {
        colour
    } else {
        format!("off ({colour})")
    }
}

/// The colour the bulb glows, `#rrggbb`; `None` while it is switched off.
pub fn glow(state: &BulbState) -> Option<String> {
    state.on.then(|| state.hex.clone())
}

/// The line under the bulb saying who set it, to what, and when. The setter's name is
/// returned apart so the page can emphasise it (as text, never as markup).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SetByLine {
    /// Nobody has changed the bulb since the server started.
    NeverSet,
    /// The last change applied.
    Set {
        /// Colour as people name it, see [`colour_label`].
        colour: String,
        /// Who asked for it, when the server knows.
        by: Option<String>,
        /// "12 s ago", when the server knows when.
        when: Option<String>,
    },
}

impl SetByLine {
    /// Builds the line for `state` as seen at `now_ms`.
    pub fn new(state: &BulbState, now_ms: i64) -> Self {
        if state.request_id.is_none() && state.applied_by.is_none() {
            return Self::NeverSet;
        }
        Self::Set {
            colour: colour_label(state),
            by: state.applied_by.as_ref().map(|a| a.name.clone()),
            when: state.applied_at_ms.map(|t| relative_time(t, now_ms)),
        }
    }
}

/// A colour as red, green and blue bytes, from `#rrggbb` (case-insensitive).
pub fn parse_hex(hex: &str) -> Option<(u8, u8, u8)> {
    let digits = hex.strip_prefix('#')?;
    if digits.len() != 6 || !digits.is_ascii() {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&digits[i..i + 2], 16).ok();
    Some((byte(0)?, byte(2)?, byte(4)?))
}

/// Text drawn on top of a colour: dark on light colours, light on dark ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ink {
    /// Near-black text.
    Dark,
    /// Near-white text.
    Light,
}

impl Ink {
    /// The CSS colour of this ink.
    pub fn css(self) -> &'static str {
        match self {
            Self::Dark => "#10131a",
            Self::Light => "#f4f6fb",
        }
    }
}

/// Which ink reads best on `background` (`#rrggbb`), by its WCAG relative luminance;
/// anything unreadable as a colour counts as dark (the page's own background).
pub fn ink_for(background: &str) -> Ink {
    let Some((r, g, b)) = parse_hex(background) else {
        return Ink::Light;
    };
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
    // The crossover where black and white text have equal contrast.
    if luminance > 0.179 {
        Ink::Dark
    } else {
        Ink::Light
    }
}

/// The words after the queue length: "changes waiting" / "change waiting", plus how far
/// apart the server applies them.
pub fn queue_words(queue_length: u32, queue_delay_ms: u32) -> String {
    let noun = if queue_length == 1 {
        "change"
    } else {
        "changes"
    };
    let secs = f64::from(queue_delay_ms) / 1000.0;
    let secs = crate::checks::format::fixed(secs, 1);
    format!("{noun} waiting · applied {secs} s apart")
}

#[cfg(test)]
mod tests {
    use super::*;
    use bulbwatch_api::Attendee;

    fn state() -> BulbState {
        BulbState {
            shard: 0,
            colour: "red".into(),
            hex: "#ff0000".into(),
            hue: 0,
            sat: 254,
            bri: 254,
            on: true,
            request_id: Some("r-1".into()),
            applied_at_ms: Some(1_000_000),
            applied_by: Some(Attendee {
                id: "a1".into(),
                name: "Ada".into(),
            }),
            queue_length: 0,
            queue_delay_ms: 400,
        }
    }

    #[test]
    fn relative_time_reads_naturally() {
        let t = 1_000_000;
        assert_eq!(relative_time(t, t), "just now");
        assert_eq!(relative_time(t, t + 4_999), "just now");
        assert_eq!(relative_time(t, t + 12_000), "12 s ago");
        assert_eq!(relative_time(t, t + 59_999), "59 s ago");
        assert_eq!(relative_time(t, t + 60_000), "1 min ago");
        assert_eq!(relative_time(t, t + 3_599_000), "59 min ago");
        assert_eq!(relative_time(t, t + 7_200_000), "2 h ago");
        assert_eq!(relative_time(t, t + 3 * 86_400_000), "3 d ago");
    }

    #[test]
    fn relative_time_never_goes_negative() {
        assert_eq!(relative_time(10_000, 5_000), "just now");
    }

    #[test]
    fn set_by_line_names_setter_and_time() {
        let line = SetByLine::new(&state(), 1_012_000);
        assert_eq!(
            line,
            SetByLine::Set {
                colour: "red".into(),
                by: Some("Ada".into()),
                when: Some("12 s ago".into()),
            }
        );
    }

    #[test]
    fn a_dark_bulb_has_no_glow_and_says_off() {
        let mut s = state();
        assert_eq!(glow(&s), Some(s.hex.clone()));
        s.on = false;
        assert_eq!(glow(&s), None);
        assert_eq!(colour_label(&s), "off (red)");
    }

    #[test]
    fn set_by_line_before_first_change() {
        let mut s = state();
        s.request_id = None;
        s.applied_at_ms = None;
        s.applied_by = None;
        assert_eq!(SetByLine::new(&s, 0), SetByLine::NeverSet);
    }

    #[test]
    fn custom_colours_are_labelled_by_hex() {
        let mut s = state();
        s.colour = "#12abef".into();
        assert_eq!(colour_label(&s), "#12ABEF");
    }

    #[test]
    fn parse_hex_accepts_only_rrggbb() {
        assert_eq!(parse_hex("#ff8000"), Some((255, 128, 0)));
        assert_eq!(parse_hex("#FF8000"), Some((255, 128, 0)));
        assert_eq!(parse_hex("ff8000"), None);
        assert_eq!(parse_hex("#fff"), None);
        assert_eq!(parse_hex("#gg0000"), None);
        assert_eq!(parse_hex("#ff80é"), None);
    }

    #[test]
    fn ink_contrasts_with_background() {
        assert_eq!(ink_for("#ffffff"), Ink::Dark);
        assert_eq!(ink_for("#ffff00"), Ink::Dark);
        assert_eq!(ink_for("#00ff00"), Ink::Dark);
        assert_eq!(ink_for("#0000ff"), Ink::Light);
        assert_eq!(ink_for("#000000"), Ink::Light);
        assert_eq!(ink_for("#8000ff"), Ink::Light);
        assert_eq!(ink_for("not a colour"), Ink::Light);
    }

    #[test]
    fn queue_words_agree_with_the_number() {
        assert_eq!(queue_words(1, 400), "change waiting · applied 0.4 s apart");
        assert_eq!(
            queue_words(0, 2000),
            "changes waiting · applied 2.0 s apart"
        );
    }
}
