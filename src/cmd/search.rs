//! `worklog search` (not built yet).

use crate::Outcome;
use crate::cli::SearchArgs;
use crate::context::Context;
use crate::error::{Error, Result};

pub fn run(_ctx: &Context, _args: SearchArgs) -> Result<Outcome> {
    Err(Error::internal("`worklog search` is not built yet"))
}
