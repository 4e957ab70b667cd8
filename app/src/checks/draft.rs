//! The unsaved draft: every edit is also kept in the browser's `localStorage`, so
//! nothing typed is lost while the server is away. On load the page decides which
//! check to open and whether the draft beats the server's copy.

use bulbwatch_api::{CheckSummary, SavedCheck};
use serde::{Deserialize, Serialize};

/// What the browser keeps between visits: the check being edited and its text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// The saved check it belongs to; `None` when it was never saved.
    pub check_id: Option<String>,
    /// The name as typed.
    pub name: String,
    /// The source as typed.
    pub source: String,
    /// The server version the edits started from.
    pub base_version: Option<u32>,
    /// When it was last edited (browser clock), ms since the Unix epoch.
    pub edited_at_ms: i64,
}

/// How the editor starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Start {
    /// Open this saved check.
    Open(String),
    /// Save a first check with this name and source, then open it.
    Create {
        /// Its name.
        name: String,
        /// Its source.
        source: String,
    },
}

/// The name of a new attendee's first check.
pub const FIRST_CHECK_NAME: &str = "classic";

/// Which check to open: the one the draft was editing if the attendee still has it,
/// else the most recently saved; with none at all, a first check — the draft's text
/// when there is an unsaved one, else `classic`.
pub fn choose_start(checks: &[CheckSummary], draft: Option<&Draft>, classic: &str) -> Start {
    if let Some(id) = draft.and_then(|d| d.check_id.as_ref())
        && checks.iter().any(|c| &c.id == id)
    {
        return Start::Open(id.clone());
    }
    if let Some(latest) = checks.iter().max_by_key(|c| c.saved_at_ms) {
        return Start::Open(latest.id.clone());
    }
    match draft.filter(|d| d.check_id.is_none()) {
        Some(draft) => Start::Create {
            name: non_empty_name(&draft.name),
            source: draft.source.clone(),
        },
        None => Start::Create {
            name: FIRST_CHECK_NAME.to_string(),
            source: classic.to_string(),
        },
    }
}

/// Whether to show the draft instead of the server's copy: it is for this check, it
/// differs, and it is newer — started from the server's latest version (or later), or
/// edited after that version was saved.
pub fn prefer_draft(draft: &Draft, server: &SavedCheck) -> bool {
    draft.check_id.as_deref() == Some(server.id.as_str())
        && (draft.source != server.source || draft.name != server.name)
        && (draft.base_version.is_some_and(|v| v >= server.version)
            || draft.edited_at_ms > server.saved_at_ms)
}

fn non_empty_name(name: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        FIRST_CHECK_NAME.to_string()
    } else {
        name.to_string()
    }
}

/// The `localStorage` key of an attendee's draft (attendees sharing a browser keep
/// theirs apart).
pub fn storage_key(attendee_id: &str) -> String {
    format!("bulbwatch.draft.{attendee_id}")
}

/// Reads the draft; a missing, unreadable or foreign value is no draft.
pub fn load(attendee_id: &str) -> Option<Draft> {
    let text = storage()?.get_item(&storage_key(attendee_id)).ok()??;
    serde_json::from_str(&text).ok()
}

/// Keeps the draft. Storage may be full or switched off: then the server copy is all
/// there is, which the save status already shows.
pub fn store(attendee_id: &str, draft: &Draft) {
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(draft))
        && let Err(e) = storage.set_item(&storage_key(attendee_id), &text)
    {
        crate::console::warn_with("could not keep the draft in localStorage", &e);
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(id: &str, saved_at_ms: i64) -> CheckSummary {
        CheckSummary {
            id: id.into(),
            name: id.into(),
            version: 1,
            saved_at_ms,
        }
    }

    fn saved(id: &str, source: &str, version: u32, saved_at_ms: i64) -> SavedCheck {
        SavedCheck {
            id: id.into(),
            name: "classic".into(),
            source: source.into(),
            version,
            saved_at_ms,
            share_id: "s".into(),
        }
    }

    fn draft(check_id: Option<&str>, source: &str, base: Option<u32>, at: i64) -> Draft {
        Draft {
            check_id: check_id.map(Into::into),
            name: "classic".into(),
            source: source.into(),
            base_version: base,
            edited_at_ms: at,
        }
    }

    #[test]
    fn a_new_attendee_gets_classic() {
        assert_eq!(
            choose_start(&[], None, "CLASSIC"),
            Start::Create {
                name: "classic".into(),
                source: "CLASSIC".into()
            }
        );
    }

    #[test]
    fn an_unsaved_draft_becomes_the_first_check() {
        let d = draft(None, "log(1);", None, 5);
        assert_eq!(
            choose_start(&[], Some(&d), "CLASSIC"),
            Start::Create {
                name: "classic".into(),
                source: "log(1);".into()
            }
        );
    }

    #[test]
    fn the_drafts_check_wins_else_the_latest() {
        let checks = [summary("a", 10), summary("b", 30), summary("c", 20)];
        assert_eq!(choose_start(&checks, None, "X"), Start::Open("b".into()));
        let d = draft(Some("c"), "x", Some(1), 5);
        assert_eq!(
            choose_start(&checks, Some(&d), "X"),
            Start::Open("c".into())
        );
        let gone = draft(Some("zzz"), "x", Some(1), 5);
        assert_eq!(
            choose_start(&checks, Some(&gone), "X"),
            Start::Open("b".into())
        );
    }

    #[test]
    fn the_draft_wins_only_when_newer_and_different() {
        let server = saved("a", "server text", 3, 1000);
        assert!(prefer_draft(
            &draft(Some("a"), "typed", Some(3), 500),
            &server
        ));
        assert!(
            prefer_draft(&draft(Some("a"), "typed", Some(2), 2000), &server),
            "edited after the save"
        );
        assert!(
            !prefer_draft(&draft(Some("a"), "typed", Some(2), 500), &server),
            "the server moved on since"
        );
        assert!(!prefer_draft(
            &draft(Some("a"), "server text", Some(3), 5000),
            &server
        ));
        assert!(!prefer_draft(
            &draft(Some("b"), "typed", Some(3), 5000),
            &server
        ));
    }
}
