//! `worklog demo` (not built yet).

use crate::Outcome;
use crate::cli::DemoArgs;
use crate::context::Context;
use crate::error::{Error, Result};

pub fn run(_ctx: &Context, _args: DemoArgs) -> Result<Outcome> {
    Err(Error::internal("`worklog demo` is not built yet"))
}
