//! The check in the editor and its life on the server: open the right one on load,
//! keep a draft in the browser on every edit, save about a second after typing stops
//! (and before a run), open other checks and old versions, start new ones.

use std::time::Duration;

use bulbwatch_api::{CheckSummary, CheckVersion, SaveCheck, SavedCheck};
use bulbwatch_checks::CLASSIC_CHECK;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiFailure};
use crate::checks::draft::{self, Draft, Start, choose_start, prefer_draft};
use crate::checks::saving::{SaveState, name_problem};
use crate::console;
use crate::contexts::{CurrentAttendee, LastError, MeState};

/// How long after the last keystroke the check is saved.
pub const SAVE_AFTER: Duration = Duration::from_millis(1000);
/// How long after a save the server did not answer it is tried again.
pub const RETRY_AFTER: Duration = Duration::from_secs(5);

/// The open check: what the editor shows and what the server has.
#[derive(Clone, Copy, Debug)]
pub struct CheckDoc {
    /// Its id, once saved.
    pub check_id: RwSignal<Option<String>>,
    /// Its name, as typed.
    pub name: RwSignal<String>,
    /// Its source, as typed.
    pub source: RwSignal<String>,
    /// The version the editor started from.
    pub version: RwSignal<Option<u32>>,
    /// The latest version on the server.
    pub latest: RwSignal<Option<u32>>,
    /// Its share id (`/shared/{share_id}`).
    pub share_id: RwSignal<Option<String>>,
    /// The save status.
    pub status: RwSignal<SaveState>,
    /// My checks, for the switcher.
    pub checks: RwSignal<Vec<CheckSummary>>,
    /// Versions of this check, for the versions menu.
    pub versions: RwSignal<Vec<CheckVersion>>,
    attendee_id: StoredValue<String>,
    /// Edits not yet on the server.
    dirty: StoredValue<bool>,
    saving: StoredValue<bool>,
    /// Another save was asked for while one was on its way.
    again: StoredValue<bool>,
    /// Counts edits, so only the last keystroke's timer saves.
    edits: StoredValue<u64>,
    /// Counts opened checks, so a late answer for a check no longer open is ignored.
    opened: StoredValue<u64>,
    me: CurrentAttendee,
    errors: LastError,
}

impl CheckDoc {
    /// An empty document for `attendee_id`; [`CheckDoc::load`] fills it.
    pub fn new(attendee_id: String, me: CurrentAttendee, errors: LastError) -> Self {
        Self {
            check_id: RwSignal::new(None),
            name: RwSignal::new(String::new()),
            source: RwSignal::new(String::new()),
            version: RwSignal::new(None),
            latest: RwSignal::new(None),
            share_id: RwSignal::new(None),
            status: RwSignal::new(SaveState::Loading),
            checks: RwSignal::new(Vec::new()),
            versions: RwSignal::new(Vec::new()),
            attendee_id: StoredValue::new(attendee_id),
            dirty: StoredValue::new(false),
            saving: StoredValue::new(false),
            again: StoredValue::new(false),
            edits: StoredValue::new(0),
            opened: StoredValue::new(0),
            me,
            errors,
        }
    }

    /// Opens the check to start with: the draft's or the most recent one, or a first
    /// check (`classic`). With the server away, the draft (or the classic check) is
    /// shown and saved once the server answers.
    pub fn load(self) {
        let draft = draft::load(&self.attendee_id.get_value());
        spawn_local(async move {
            let answer = api::checks::list().await;
            if self.opened.try_get_value().is_none() {
                return; // the page is gone
            }
            match answer {
                Ok(list) => {
                    let start = choose_start(&list, draft.as_ref(), CLASSIC_CHECK);
                    self.checks.set(list);
                    match start {
                        Start::Open(id) => self.open_latest(id, draft).await,
                        Start::Create { name, source } => self.create(name, source).await,
                    }
                }
                Err(failure) => {
                    let draft = draft.unwrap_or_else(|| Draft {
                        check_id: None,
                        name: draft::FIRST_CHECK_NAME.to_string(),
                        source: CLASSIC_CHECK.to_string(),
                        base_version: None,
                        edited_at_ms: 0,
                    });
                    if failure.is_unauthorized() {
                        self.me.0.set(MeState::NotJoined);
                        return;
                    }
                    // Show what this browser has, and try the server again shortly.
                    let opened = self.opened.get_value();
                    if self.check_id.get_untracked().is_none() {
                        self.check_id.set(draft.check_id.clone());
                        self.name.set(draft.name);
                        self.source.set(draft.source);
                        self.version.set(draft.base_version);
                    }
                    self.status.set(SaveState::Failed(failure.message));
                    set_timeout(
                        move || {
                            if self.opened.try_get_value() == Some(opened) {
                                self.load();
                            }
                        },
                        RETRY_AFTER,
                    );
                }
            }
        });
    }

    /// The attendee changed the name or the source: keep a draft, save soon.
    pub fn edited(self) {
        self.dirty.set_value(true);
        self.status.set(SaveState::Editing);
        self.keep_draft(js_sys::Date::now() as i64);
        let edit = self.edits.get_value() + 1;
        self.edits.set_value(edit);
        set_timeout(
            move || {
                if self.edits.try_get_value() == Some(edit) {
                    self.save_now();
                }
            },
            SAVE_AFTER,
        );
    }

    /// Saves now if there are edits the server does not have.
    pub fn save_now(self) {
        if self.dirty.get_value() {
            spawn_local(self.save());
        }
    }

    /// Opens another of my checks (saving this one first if edited).
    pub fn switch_to(self, id: String) {
        self.save_now();
        spawn_local(async move { self.open_latest(id, None).await });
    }

    /// Opens version `version` of this check; editing it saves a new version.
    pub fn open_version(self, version: u32) {
        let Some(id) = self.check_id.get_untracked() else {
            return;
        };
        self.save_now();
        if Some(version) == self.latest.get_untracked() {
            spawn_local(async move { self.open_latest(id, None).await });
            return;
        }
        let opened = self.next_opened();
        spawn_local(async move {
            match api::checks::version(&id, version).await {
                Ok(old) if self.opened.try_get_value() == Some(opened) => {
                    self.name.set(old.name);
                    self.source.set(old.source);
                    self.version.set(Some(version));
                    self.dirty.set_value(false);
                    let latest = self.latest.get_untracked().unwrap_or(version);
                    self.status.set(SaveState::Viewing { version, latest });
                }
                Ok(_) => {}
                Err(failure) => self.errors.show(failure.message),
            }
        });
    }

    /// Starts a new check from the classic one, named "check N".
    pub fn new_check(self) {
        self.save_now();
        let taken: Vec<String> = self
            .checks
            .with_untracked(|c| c.iter().map(|c| c.name.clone()).collect());
        let name = (2..)
            .map(|n| format!("check {n}"))
            .find(|name| !taken.contains(name))
            .unwrap_or_else(|| "new check".to_string());
        spawn_local(async move { self.create(name, CLASSIC_CHECK.to_string()).await });
    }

    async fn create(self, name: String, source: String) {
        let opened = self.next_opened();
        self.status.set(SaveState::Saving);
        match api::checks::create(&SaveCheck { name, source }).await {
            Ok(saved) if self.opened.try_get_value() == Some(opened) => {
                self.show(&saved);
                self.refresh_lists(saved.id);
            }
            Ok(_) => {}
            Err(failure) => self.failed(&failure),
        }
    }

    async fn open_latest(self, id: String, draft: Option<Draft>) {
        let opened = self.next_opened();
        self.status.set(SaveState::Loading);
        match api::checks::get(&id).await {
            Ok(saved) if self.opened.try_get_value() == Some(opened) => {
                self.show(&saved);
                if let Some(draft) = draft.filter(|d| prefer_draft(d, &saved)) {
                    // Typed here but never saved: the draft wins, and is saved soon.
                    self.name.set(draft.name);
                    self.source.set(draft.source);
                    self.edited();
                }
                self.refresh_lists(saved.id);
            }
            Ok(_) => {}
            Err(failure) => self.failed(&failure),
        }
    }

    /// Shows a check as the server has it.
    fn show(self, saved: &SavedCheck) {
        self.check_id.set(Some(saved.id.clone()));
        self.name.set(saved.name.clone());
        self.source.set(saved.source.clone());
        self.version.set(Some(saved.version));
        self.latest.set(Some(saved.version));
        self.share_id.set(Some(saved.share_id.clone()));
        self.dirty.set_value(false);
        self.status.set(SaveState::Saved {
            version: saved.version,
        });
        self.keep_draft(saved.saved_at_ms);
    }

    async fn save(self) {
        if self.saving.get_value() {
            self.again.set_value(true);
            return;
        }
        self.saving.set_value(true);
        loop {
            self.again.set_value(false);
            if let Some(problem) = name_problem(&self.name.get_untracked()) {
                self.status.set(SaveState::Failed(problem));
                break;
            }
            let body = SaveCheck {
                name: self.name.get_untracked().trim().to_string(),
                source: self.source.get_untracked(),
            };
            let opened = self.opened.get_value();
            self.dirty.set_value(false);
            self.status.set(SaveState::Saving);
            let answer = match self.check_id.get_untracked() {
                Some(id) => api::checks::update(&id, &body).await,
                None => api::checks::create(&body).await,
            };
            if self.opened.try_get_value() != Some(opened) {
                break;
            }
            match answer {
                Ok(saved) => {
                    self.check_id.set(Some(saved.id.clone()));
                    self.version.set(Some(saved.version));
                    self.latest.set(Some(saved.version));
                    self.share_id.set(Some(saved.share_id.clone()));
                    if !self.dirty.get_value() {
                        self.status.set(SaveState::Saved {
                            version: saved.version,
                        });
                        self.keep_draft(js_sys::Date::now() as i64);
                    } else {
                        self.status.set(SaveState::Editing);
                    }
                    self.refresh_lists(saved.id);
                }
                Err(failure) => {
                    self.dirty.set_value(true);
                    self.failed(&failure);
                    break;
                }
            }
            if !self.again.get_value() {
                break;
            }
        }
        self.saving.set_value(false);
    }

    /// Shows why the server did not do what we asked, and tries again later when it
    /// did not answer at all.
    fn failed(self, failure: &ApiFailure) {
        if failure.is_unauthorized() {
            self.me.0.set(MeState::NotJoined);
        }
        self.status.set(SaveState::Failed(failure.message.clone()));
        let Some(opened) = self.opened.try_get_value() else {
            return; // the page is gone
        };
        if failure.status.is_none() || failure.status.is_some_and(|s| s >= 500) {
            set_timeout(
                move || {
                    if self.opened.try_get_value() == Some(opened) {
                        self.save_now();
                    }
                },
                RETRY_AFTER,
            );
        }
    }

    /// Reloads my checks and this check's versions (names and versions changed).
    fn refresh_lists(self, id: String) {
        spawn_local(async move {
            match api::checks::list().await {
                Ok(list) => self.checks.set(list),
                Err(failure) => {
                    console::info(&format!("could not refresh the checks list: {failure}"));
                }
            }
            match api::checks::versions(&id).await {
                Ok(versions)
                    if self.check_id.try_get_untracked().flatten().as_deref()
                        == Some(id.as_str()) =>
                {
                    self.versions.set(versions);
                }
                Ok(_) => {}
                Err(failure) => console::info(&format!("could not list the versions: {failure}")),
            }
        });
    }

    fn keep_draft(self, edited_at_ms: i64) {
        let draft = Draft {
            check_id: self.check_id.get_untracked(),
            name: self.name.get_untracked(),
            source: self.source.get_untracked(),
            base_version: self.version.get_untracked(),
            edited_at_ms,
        };
        draft::store(&self.attendee_id.get_value(), &draft);
    }

    fn next_opened(self) -> u64 {
        let opened = self.opened.get_value() + 1;
        self.opened.set_value(opened);
        opened
    }
}
