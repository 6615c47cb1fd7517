//! `worklog import rcs`: read RCS `,v` files natively and replay their trunk revisions
//! into the doc root's git history.

mod date;
mod diff;
mod keywords;
mod lexer;
mod rcs_file;
mod replay;
mod source;

pub use lexer::{ParseError, Pos};
pub use rcs_file::{Delta, DeltaText, RcsFile, Revision};
pub use replay::{Note, Options, Summary, TRAILER, import};
pub use source::{Source, find_sources};
