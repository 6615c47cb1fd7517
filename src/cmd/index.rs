//! `worklog index` (not built yet).

use crate::Outcome;
use crate::cli::IndexArgs;
use crate::context::Context;
use crate::error::{Error, Result};

pub fn run(_ctx: &Context, _args: IndexArgs) -> Result<Outcome> {
    Err(Error::internal("`worklog index` is not built yet"))
}
