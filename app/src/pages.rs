//! One file per route: `/` (join, then play), `/shared/{share_id}`, `/runs/{run_id}`,
//! `/instrumentation`.

pub mod instrumentation;
pub mod join;
pub mod play;
pub mod run;
pub mod shared;

pub use instrumentation::InstrumentationPage;
pub use join::JoinPage;
pub use play::PlayPage;
pub use run::RunPage;
pub use shared::SharedPage;
