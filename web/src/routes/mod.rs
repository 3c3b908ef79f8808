//! One module per page.

pub mod entity;
pub mod home;
pub mod item;
pub mod relays;
pub mod search;
pub mod story;
pub mod timeline;
pub mod updates;
