//! Commit, then mail: the one path every command that changes a doc goes through.

use git2::Oid;

use crate::config::Config;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::mail::Outbox;
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
    let oid = commit(ctx, cfg, repo, paths, doc, message)?;
    if !no_mail {
        publish(ctx, cfg, repo, oid, doc)?;
    }
    Ok(oid)
}

/// Commit `paths` in one commit, then mail each of them (one mail per doc). Every doc is
/// tried; the first failure is returned after all were tried.
pub fn commit_and_publish_all(
    ctx: &Context,
    cfg: &Config,
    repo: &Repo,
    paths: &[&str],
    message: &str,
    no_mail: bool,
) -> Result<Oid> {
    let label = if paths.len() == 1 {
        paths[0].to_string()
    } else {
        format!("{} docs", paths.len())
    };
    let oid = commit(ctx, cfg, repo, paths, &label, message)?;
    if no_mail {
        return Ok(oid);
    }
    let mut first_err = None;
    for p in paths {
        if let Err(e) = publish(ctx, cfg, repo, oid, p) {
            if first_err.is_some() {
                ctx.warn(e.message());
            } else {
                first_err = Some(e);
            }
        }
    }
    match first_err {
        Some(e) => Err(e),
        None => Ok(oid),
    }
}

fn commit(
    ctx: &Context,
    cfg: &Config,
    repo: &Repo,
    paths: &[&str],
    label: &str,
    message: &str,
) -> Result<Oid> {
    let id = ctx.identity(cfg, repo)?;
    let sig = Repo::signature(&id, ctx.clock.now())?;
    let oid = repo.commit_paths(paths, message, &sig)?;
    ctx.info(format!(
        "committed {} {label}: {}",
        short(oid),
        message.lines().next().unwrap_or("")
    ));
    Ok(oid)
}

/// Mail the version of `doc` made by `commit` to the worklog address. On failure the
/// commit stays as it is, unmailed (no note), for `worklog mail --pending`.
pub fn publish(ctx: &Context, cfg: &Config, repo: &Repo, commit: Oid, doc: &str) -> Result<()> {
    let kept = |e: Error| {
        let msg = format!(
            "{doc}: commit {} kept but not mailed: {}",
            short(commit),
            e.message()
        );
        let mut out = Error::new(e.kind(), msg);
        for h in e.hints() {
            out = out.with_hint(h.clone());
        }
        out.with_hint("`worklog mail --pending` sends it once the problem is fixed")
    };
    let identity = ctx.identity(cfg, repo)?;
    let outbox = Outbox::new(cfg, repo, identity, &ctx.env, ctx.clock.now()).map_err(kept)?;
    let update = outbox.update_at(commit, doc)?;
    let mail = outbox.compose(&update)?;
    outbox.deliver(&mail).map_err(kept)?;
    ctx.info(format!(
        "mailed {doc} to {} via {}",
        mail.to,
        outbox.describe()
    ));
    Ok(())
}

/// The 8-character abbreviation used in output.
pub fn short(oid: Oid) -> String {
    oid.to_string()[..8].to_string()
}
