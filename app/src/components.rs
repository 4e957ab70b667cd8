//! Reusable pieces of the page. They take signals and callbacks as props (no contexts),
//! so each can be mounted alone in a component test.

pub mod bulb;
pub mod bulb_caption;
pub mod check_editor;
pub mod check_result;
pub mod code_view;
pub mod colour_picker;
pub mod diagnosis_card;
pub mod error_banner;
pub mod last_request;
pub mod live_status;
pub mod next_hint;
pub mod point_list;
pub mod room_banner;
pub mod run_history;
pub mod schedule_control;
pub mod shard_bulbs;
pub mod topbar;

pub use bulb::Bulb;
pub use bulb_caption::BulbCaption;
pub use check_editor::CheckEditor;
pub use check_result::CheckResult;
pub use code_view::CodeView;
pub use colour_picker::ColourPicker;
pub use diagnosis_card::DiagnosisCard;
pub use error_banner::ErrorBanner;
pub use last_request::LastRequest;
pub use live_status::LiveStatusBadge;
pub use next_hint::NextHint;
pub use point_list::PointList;
pub use room_banner::RoomBanner;
pub use run_history::RunHistory;
pub use schedule_control::ScheduleControl;
pub use shard_bulbs::ShardBulbs;
pub use topbar::{Section, Topbar};
