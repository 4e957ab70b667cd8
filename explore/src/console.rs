//! The pieces of the facilitator's console (`/facilitator`, see `pages/console.rs`),
//! made to be projected: big type, calm colours, nothing that must not be photographed
//! in the presenter view. Each takes signals and callbacks, so a test can mount it
//! alone.

pub mod board;
pub mod bulbs_panel;
pub mod controls;
pub mod join_panel;
pub mod rehearsal;
pub mod room_chart;
pub mod scenario_room;
pub mod scenarios;
pub mod session;
pub mod stepper;

pub use board::BoardTiles;
pub use bulbs_panel::BulbsPanel;
pub use controls::ConsoleControls;
pub use join_panel::JoinPanel;
pub use rehearsal::RehearsalPanel;
pub use room_chart::RoomChart;
pub use scenario_room::{ScenarioControls, ScenarioRoom};
pub use scenarios::{PanelProblem, ScenarioPanel};
pub use session::NewSession;
pub use stepper::PhaseStepper;
