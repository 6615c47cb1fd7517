//! Commit, then mail: the one path every command that changes a doc goes through.

use git2::Oid;

use crate::config::Config;
use crate::context::Context;
use crate::error::Result;
use crate::store::Repo;

/// Commit `paths` with `message` using the user's identity and the run's clock, then mail
/// the update of `doc` unless `no_mail`. A failed mail keeps the commit (recorded unmailed)
/// and returns the mail error.
pub fn commit_and_publish(
    ctx: &Context,
    cfg: &Config,
    repo: &Repo,
    paths: &[&str],
    doc: &str,
    message: &str,
    no_mail: bool,
) -> Result<Oid> {
    let id = ctx.identity(cfg, repo)?;
    let sig = Repo::signature(&id, ctx.clock.now())?;
    let oid = repo.commit_paths(paths, message, &sig)?;
    ctx.info(format!(
        "committed {} {doc}: {}",
        short(oid),
        message.lines().next().unwrap_or("")
    ));
    if !no_mail {
        publish(ctx, cfg, repo, oid, doc)?;
    }
    Ok(oid)
}

/// Mail the version of `doc` made by `commit` to the worklog address.
pub fn publish(ctx: &Context, _cfg: &Config, _repo: &Repo, _commit: Oid, doc: &str) -> Result<()> {
    ctx.warn(format!(
        "{doc}: mail is not built yet; the commit stays unmailed"
    ));
    Ok(())
}

/// The 8-character abbreviation used in output.
pub fn short(oid: Oid) -> String {
    oid.to_string()[..8].to_string()
}
