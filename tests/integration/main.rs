//! The one integration test binary: a module per feature (see README.md here).

mod harness;

mod checklist;
mod completions;
mod cycle;
mod demo;
mod foundation;
mod rcs;
mod search;
