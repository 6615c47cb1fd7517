//! `worklog import` (not built yet).

use crate::Outcome;
use crate::cli::ImportCommand;
use crate::context::Context;
use crate::error::{Error, Result};

pub fn run(_ctx: &Context, _args: ImportCommand) -> Result<Outcome> {
    Err(Error::internal("`worklog import` is not built yet"))
}
