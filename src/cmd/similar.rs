//! `worklog similar` (not built yet).

use crate::Outcome;
use crate::cli::SimilarArgs;
use crate::context::Context;
use crate::error::{Error, Result};

pub fn run(_ctx: &Context, _args: SimilarArgs) -> Result<Outcome> {
    Err(Error::internal("`worklog similar` is not built yet"))
}
