//! `worklog timeline` (not built yet).

use crate::Outcome;
use crate::cli::TimelineArgs;
use crate::context::Context;
use crate::error::{Error, Result};

pub fn run(_ctx: &Context, _args: TimelineArgs) -> Result<Outcome> {
    Err(Error::internal("`worklog timeline` is not built yet"))
}
