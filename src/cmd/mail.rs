//! `worklog mail` (not built yet).

use crate::Outcome;
use crate::cli::MailArgs;
use crate::context::Context;
use crate::error::{Error, Result};

pub fn run(_ctx: &Context, _args: MailArgs) -> Result<Outcome> {
    Err(Error::internal("`worklog mail` is not built yet"))
}
