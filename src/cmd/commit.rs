//! `worklog commit` (not built yet).

use crate::Outcome;
use crate::cli::CommitArgs;
use crate::context::Context;
use crate::error::{Error, Result};

pub fn run(_ctx: &Context, _args: CommitArgs) -> Result<Outcome> {
    Err(Error::internal("`worklog commit` is not built yet"))
}
