//! Bringing history kept by other tools into the doc root's git history.

pub mod rcs;
