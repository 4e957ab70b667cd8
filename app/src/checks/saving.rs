//! Whether the check in the editor is safe on the server, as the save status says it.

use bulbwatch_api::CHECK_NAME_MAX_CHARS;

/// The save status next to the check's name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveState {
    /// Opening the check.
    Loading,
    /// The server has exactly what the editor shows.
    Saved {
        /// Its version.
        version: u32,
    },
    /// An older version is open; editing it saves a new version.
    Viewing {
        /// The version open.
        version: u32,
        /// The latest version.
        latest: u32,
    },
    /// Edited; saved shortly after typing stops (the browser keeps a draft meanwhile).
    Editing,
    /// A save is on its way.
    Saving,
    /// The last save failed: why.
    Failed(String),
}

impl SaveState {
    /// The words shown: "saved · v3", "saving…", "save failed: …".
    pub fn label(&self) -> String {
        match self {
            Self::Loading => "loading…".to_string(),
            Self::Saved { version } => format!("saved · v{version}"),
            Self::Viewing { version, latest } => {
                format!("v{version} of {latest} · editing saves a new version")
            }
            Self::Editing => "editing…".to_string(),
            Self::Saving => "saving…".to_string(),
            Self::Failed(why) => format!("save failed: {why} (your text is kept in this browser)"),
        }
    }

    /// Whether the status is a problem to show in red.
    pub fn is_problem(&self) -> bool {
        matches!(self, Self::Failed(_))
    }
}

/// What is wrong with a check name, if anything: 1–80 characters once trimmed.
pub fn name_problem(name: &str) -> Option<String> {
    let chars = name.trim().chars().count();
    (chars == 0 || chars > CHECK_NAME_MAX_CHARS)
        .then(|| format!("a check's name must be 1–{CHECK_NAME_MAX_CHARS} characters, got {chars}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_real_save_reads_saved() {
        assert_eq!(SaveState::Saved { version: 3 }.label(), "saved · v3");
        for state in [
            SaveState::Loading,
            SaveState::Editing,
            SaveState::Saving,
            SaveState::Failed("server away".into()),
            SaveState::Viewing {
                version: 2,
                latest: 5,
            },
        ] {
            assert!(!state.label().contains("saved"), "{}", state.label());
        }
        assert!(SaveState::Failed("x".into()).is_problem());
    }

    #[test]
    fn names_are_one_to_eighty_characters() {
        assert_eq!(name_problem("classic"), None);
        assert_eq!(name_problem(&"é".repeat(80)), None);
        assert!(name_problem("   ").unwrap().contains("got 0"));
        assert!(name_problem(&"x".repeat(81)).unwrap().contains("got 81"));
    }
}
