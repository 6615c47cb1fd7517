//! `worklog index [--rebuild] [--json]`: bring the search index up to date.

use std::io::IsTerminal;

use crate::Outcome;
use crate::cli::IndexArgs;
use crate::context::Context;
use crate::error::Result;
use crate::index::indexer::{self, Options};

pub fn run(ctx: &Context, args: IndexArgs) -> Result<Outcome> {
    let (cfg, repo) = ctx.open()?;
    let opts = Options {
        rebuild: args.rebuild,
        archives: true,
        local_maildir: false,
        progress: !ctx.quiet && std::io::stderr().is_terminal(),
    };
    let sum = indexer::run(&cfg, &repo, opts)?;
    if args.json {
        crate::output::json_line(&mut ctx.stdout(), &sum)?;
    }
    ctx.info(sum.line());
    Ok(if sum.skipped.contains_key("broken messages") {
        Outcome::Problems
    } else {
        Outcome::Success
    })
}
