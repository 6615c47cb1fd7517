//! `worklog completions` (not built yet).

use crate::Outcome;
use crate::cli::CompletionsArgs;
use crate::context::Context;
use crate::error::{Error, Result};

pub fn run(_ctx: &Context, _args: CompletionsArgs) -> Result<Outcome> {
    Err(Error::internal("`worklog completions` is not built yet"))
}
