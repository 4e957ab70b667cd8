//! One file per page. No router yet: the app shows the join page until joined, then the
//! play page.

pub mod join;
pub mod play;

pub use join::JoinPage;
pub use play::PlayPage;
