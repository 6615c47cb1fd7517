//! `worklog man` (not built yet).

use crate::Outcome;
use crate::cli::ManArgs;
use crate::context::Context;
use crate::error::{Error, Result};

pub fn run(_ctx: &Context, _args: ManArgs) -> Result<Outcome> {
    Err(Error::internal("`worklog man` is not built yet"))
}
