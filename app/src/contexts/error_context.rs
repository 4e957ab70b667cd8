//! The last error the page met, shown in the banner until dismissed or superseded.

use leptos::prelude::*;

/// The last error's message, if any.
#[derive(Clone, Copy, Debug)]
pub struct LastError(pub RwSignal<Option<String>>);

impl LastError {
    /// Shows `message` in place of any earlier error.
    pub fn show(self, message: impl Into<String>) {
        self.0.set(Some(message.into()));
    }

    /// Hides the banner.
    pub fn clear(self) {
        self.0.set(None);
    }
}

/// Creates the page's error slot and provides it.
pub fn provide_last_error() -> LastError {
    let errors = LastError(RwSignal::new(None));
    provide_context(errors);
    errors
}

/// The page's error slot.
pub fn use_last_error() -> LastError {
    expect_context()
}
