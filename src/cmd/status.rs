//! `worklog status` (not built yet).

use crate::Outcome;
use crate::cli::StatusArgs;
use crate::context::Context;
use crate::error::{Error, Result};

pub fn run(_ctx: &Context, _args: StatusArgs) -> Result<Outcome> {
    Err(Error::internal("`worklog status` is not built yet"))
}
