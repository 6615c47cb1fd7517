//! `worklog checklist` (not built yet).

use crate::Outcome;
use crate::cli::ChecklistCommand;
use crate::context::Context;
use crate::error::{Error, Result};

pub fn run(_ctx: &Context, _args: ChecklistCommand) -> Result<Outcome> {
    Err(Error::internal("`worklog checklist` is not built yet"))
}
