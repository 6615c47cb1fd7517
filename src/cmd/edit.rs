//! `worklog edit` (not built yet).

use crate::Outcome;
use crate::cli::EditArgs;
use crate::context::Context;
use crate::error::{Error, Result};

pub fn run(_ctx: &Context, _args: EditArgs) -> Result<Outcome> {
    Err(Error::internal("`worklog edit` is not built yet"))
}
