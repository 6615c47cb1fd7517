//! `worklog similar DOC|MESSAGE-ID`: docs and mails most like it.

use crate::Outcome;
use crate::cli::SimilarArgs;
use crate::context::Context;
use crate::error::Result;
use crate::index::{print, searcher, similar};

pub fn run(ctx: &Context, args: SimilarArgs) -> Result<Outcome> {
    let (cfg, repo) = ctx.open()?;
    let store = super::fresh_store(ctx, &cfg, &repo)?;
    let (text, group) = similar::target(&store, &cfg.root, &ctx.cwd, &args.target)?;
    let hits = searcher::similar(&store, &text, Some(group), args.limit)?;
    print::hits(&mut ctx.stdout(), &hits, args.json, ctx.color)?;
    if hits.is_empty() {
        ctx.info("nothing similar found");
        return Ok(Outcome::Problems);
    }
    Ok(Outcome::Success)
}
