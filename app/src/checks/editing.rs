//! Text edits the check editor makes by itself: Tab indents, Shift+Tab outdents, and a
//! failure's line and column become a cursor position.
//!
//! Offsets are in UTF-16 code units, the unit of a textarea's `selectionStart`, so a
//! check with emoji or accented names still puts the cursor in the right place.

/// What one Tab inserts: two spaces, the indentation the classic check uses.
pub const INDENT: &str = "  ";

const NEWLINE: u16 = b'\n' as u16;
const SPACE: u16 = b' ' as u16;

/// How many lines `text` has, as the gutter numbers them (an empty text has one).
pub fn line_count(text: &str) -> usize {
    text.split('\n').count()
}

/// An edit of a textarea: replace `start..end` with `insert`, then select
/// `sel_start..sel_end` (all in UTF-16 code units of the text before/after the edit).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// Start of the replaced range.
    pub start: u32,
    /// End of the replaced range.
    pub end: u32,
    /// The new text for that range.
    pub insert: String,
    /// Selection start after the edit.
    pub sel_start: u32,
    /// Selection end after the edit.
    pub sel_end: u32,
}

impl Edit {
    /// The text after the edit (the browser applies it itself; this is for tests and
    /// for the fallback when it cannot).
    pub fn apply(&self, text: &str) -> String {
        let units: Vec<u16> = text.encode_utf16().collect();
        let (start, end) = (to_index(self.start, &units), to_index(self.end, &units));
        let mut out = String::from_utf16_lossy(&units[..start]);
        out.push_str(&self.insert);
        out.push_str(&String::from_utf16_lossy(&units[end..]));
        out
    }
}

/// Tab: with the cursor (or a selection) inside one line, put [`INDENT`] there;
/// with a selection over several lines, indent each of them.
pub fn indent(text: &str, sel_start: u32, sel_end: u32) -> Edit {
    let units: Vec<u16> = text.encode_utf16().collect();
    let (lo, hi) = ordered(sel_start, sel_end, &units);
    if !units[lo..hi].contains(&NEWLINE) {
        let after = to_u32(lo + INDENT.len());
        return Edit {
            start: to_u32(lo),
            end: to_u32(hi),
            insert: INDENT.to_string(),
            sel_start: after,
            sel_end: after,
        };
    }
    let (first, last_end) = touched_lines(&units, lo, hi);
    let block = &units[first..last_end];
    let lines: Vec<&[u16]> = block.split(|u| *u == NEWLINE).collect();
    let mut insert = Vec::with_capacity(block.len() + lines.len() * INDENT.len());
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            insert.push(NEWLINE);
        }
        insert.extend(INDENT.encode_utf16());
        insert.extend_from_slice(line);
    }
    let added = INDENT.len() * lines.len();
    Edit {
        start: to_u32(first),
        end: to_u32(last_end),
        insert: String::from_utf16_lossy(&insert),
        sel_start: to_u32(lo + INDENT.len()),
        sel_end: to_u32(hi + added),
    }
}

/// Shift+Tab: take up to one [`INDENT`] of leading spaces off every line the cursor or
/// selection touches. `None` when there is nothing to take off.
pub fn outdent(text: &str, sel_start: u32, sel_end: u32) -> Option<Edit> {
    let units: Vec<u16> = text.encode_utf16().collect();
    let (lo, hi) = ordered(sel_start, sel_end, &units);
    let (first, last_end) = touched_lines(&units, lo, hi);
    let block = &units[first..last_end];
    let mut insert = Vec::with_capacity(block.len());
    let (mut removed_total, mut removed_before_lo, mut removed_before_hi) = (0, 0, 0);
    let mut line_start = first;
    for (i, line) in block.split(|u| *u == NEWLINE).enumerate() {
        if i > 0 {
            insert.push(NEWLINE);
        }
        let remove = line
            .iter()
            .take(INDENT.len())
            .take_while(|u| **u == SPACE)
            .count();
        insert.extend_from_slice(&line[remove..]);
        // Where the selection's ends move: back by what went before them.
        removed_before_lo += removed_up_to(lo, line_start, remove);
        removed_before_hi += removed_up_to(hi, line_start, remove);
        removed_total += remove;
        line_start += line.len() + 1;
    }
    (removed_total > 0).then(|| Edit {
        start: to_u32(first),
        end: to_u32(last_end),
        insert: String::from_utf16_lossy(&insert),
        sel_start: to_u32(lo - removed_before_lo),
        sel_end: to_u32(hi - removed_before_hi),
    })
}

/// Units removed at `line_start..line_start + remove` that lie before `pos`.
fn removed_up_to(pos: usize, line_start: usize, remove: usize) -> usize {
    pos.saturating_sub(line_start).min(remove)
}

/// The UTF-16 offset of `line`, `column` (both 1-based; columns count characters, as
/// the check engine does). Past the end of a line means its end; past the last line
/// means the end of the text.
pub fn offset_of(text: &str, line: u32, column: u32) -> u32 {
    let mut offset = 0_usize;
    for (i, content) in text.split('\n').enumerate() {
        if i + 1 == line.max(1) as usize {
            let chars = column.max(1) as usize - 1;
            let within: usize = content.chars().take(chars).map(char::len_utf16).sum();
            return to_u32(offset + within);
        }
        offset += content.encode_utf16().count() + 1;
    }
    to_u32(text.encode_utf16().count())
}

/// The 1-based line of a UTF-16 offset.
pub fn line_of(text: &str, offset: u32) -> u32 {
    let units: Vec<u16> = text.encode_utf16().collect();
    let end = to_index(offset, &units);
    to_u32(units[..end].iter().filter(|u| **u == NEWLINE).count() + 1)
}

/// The start of the first touched line and the end of the last: a selection ending
/// right at the start of a line does not touch that line.
fn touched_lines(units: &[u16], lo: usize, hi: usize) -> (usize, usize) {
    let first = units[..lo]
        .iter()
        .rposition(|u| *u == NEWLINE)
        .map_or(0, |i| i + 1);
    let last = if hi > lo && units[hi - 1] == NEWLINE {
        hi - 1
    } else {
        hi
    };
    let last_end = units[last..]
        .iter()
        .position(|u| *u == NEWLINE)
        .map_or(units.len(), |i| last + i);
    (first, last_end.max(first))
}

fn ordered(a: u32, b: u32, units: &[u16]) -> (usize, usize) {
    let (a, b) = (to_index(a, units), to_index(b, units));
    (a.min(b), a.max(b))
}

fn to_index(offset: u32, units: &[u16]) -> usize {
    (offset as usize).min(units.len())
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Applies an edit and shows the selection as `[` and `]`.
    fn show(text: &str, edit: &Edit) -> String {
        let after = edit.apply(text);
        let units: Vec<u16> = after.encode_utf16().collect();
        let (s, e) = (edit.sel_start as usize, edit.sel_end as usize);
        format!(
            "{}[{}]{}",
            String::from_utf16_lossy(&units[..s]),
            String::from_utf16_lossy(&units[s..e]),
            String::from_utf16_lossy(&units[e..])
        )
    }

    #[test]
    fn lines_are_counted_like_the_gutter() {
        assert_eq!(line_count(""), 1);
        assert_eq!(line_count("a"), 1);
        assert_eq!(line_count("a\n"), 2);
        assert_eq!(line_count("a\nb\nc"), 3);
    }

    #[test]
    fn tab_at_the_cursor_inserts_two_spaces() {
        let e = indent("let x = 1;", 4, 4);
        assert_eq!(show("let x = 1;", &e), "let   []x = 1;");
        let e = indent("", 0, 0);
        assert_eq!(show("", &e), "  []");
    }

    #[test]
    fn tab_over_a_selection_in_one_line_replaces_it() {
        let e = indent("abc def", 4, 7);
        assert_eq!(show("abc def", &e), "abc   []");
    }

    #[test]
    fn tab_over_lines_indents_each() {
        let text = "a\nb\nc\nd";
        // From inside "a" to inside "c".
        let e = indent(text, 0, 5);
        assert_eq!(show(text, &e), "  [a\n  b\n  c]\nd");
        // A selection that ends at the start of "c" leaves "c" alone.
        let e = indent(text, 2, 4);
        assert_eq!(show(text, &e), "a\n  [b\n]c\nd");
    }

    #[test]
    fn shift_tab_outdents_touched_lines() {
        let text = "    a\n  b\nc";
        let e = outdent(text, 4, 9).unwrap();
        assert_eq!(show(text, &e), "  [a\nb]\nc");
        // One space only: it goes.
        let e = outdent(" x", 2, 2).unwrap();
        assert_eq!(show(" x", &e), "x[]");
        // Cursor inside the indentation moves to the line start.
        let e = outdent("    y", 1, 1).unwrap();
        assert_eq!(show("    y", &e), "[]  y");
        assert_eq!(outdent("z\nw", 0, 3), None, "nothing to take off");
    }

    #[test]
    fn utf16_offsets_are_respected() {
        // "🙂" is two UTF-16 units.
        let text = "🙂\nb";
        let e = indent(text, 2, 2);
        assert_eq!(e.apply(text), "🙂  \nb");
        assert_eq!(offset_of(text, 2, 1), 3);
        assert_eq!(offset_of("é🙂x", 1, 3), 3);
    }

    #[test]
    fn line_and_column_become_an_offset() {
        let text = "let a = 1;\nassert(a == 2, \"a\");\n";
        assert_eq!(offset_of(text, 1, 1), 0);
        assert_eq!(offset_of(text, 2, 1), 11);
        assert_eq!(offset_of(text, 2, 8), 18);
        assert_eq!(
            offset_of(text, 2, 500),
            11 + 20,
            "past the line's end: its end"
        );
        assert_eq!(offset_of(text, 9, 1), 32, "past the last line: the end");
        assert_eq!(line_of(text, 18), 2);
        assert_eq!(line_of(text, 0), 1);
    }
}
