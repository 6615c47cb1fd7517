//! `worklog check` (not built yet).

use crate::Outcome;
use crate::cli::CheckArgs;
use crate::context::Context;
use crate::error::{Error, Result};

pub fn run(_ctx: &Context, _args: CheckArgs) -> Result<Outcome> {
    Err(Error::internal("`worklog check` is not built yet"))
}
