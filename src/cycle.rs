//! Commit, then mail: the one path every command that changes a doc goes through.

use git2::Oid;

use crate::config::Config;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::mail::Outbox;
use crate::store::Repo;

/// Commit `paths` with `message` using the user's identity and the run's clock, then mail
/// the update of `doc` unless `no_mail` (then the version is noted as deliberately unmailed). A failed mail keeps the commit (recorded unmailed)
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
    if no_mail {
        skip(ctx, cfg, repo, oid, &[doc])?;
    } else {
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
        skip(ctx, cfg, repo, oid, paths)?;
        return Ok(oid);
    }
    publish_each(ctx, cfg, repo, oid, paths)?;
    Ok(oid)
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

/// `--no-mail`: note that these versions are deliberately not mailed, so `status` and
/// `check` do not report them and `mail --pending` leaves them alone.
fn skip(ctx: &Context, cfg: &Config, repo: &Repo, commit: Oid, docs: &[&str]) -> Result<()> {
    let identity = ctx.identity(cfg, repo)?;
    crate::mail::record_skipped(repo, commit, docs, &identity, ctx.clock.now())?;
    ctx.info(format!(
        "not mailed (--no-mail); `worklog mail {}` sends it",
        docs.join(" ")
    ));
    Ok(())
}

/// Mail the version of `doc` made by `commit` to the worklog address. On failure the
/// commit stays as it is, unmailed (no note), for `worklog mail --pending`.
pub fn publish(ctx: &Context, cfg: &Config, repo: &Repo, commit: Oid, doc: &str) -> Result<()> {
    publish_each(ctx, cfg, repo, commit, &[doc])
}

/// Mail each of `docs` as `commit` left it: one mail per doc, all through one transport
/// (a password command runs once). Every doc is tried; the first failure is returned.
pub fn publish_each(
    ctx: &Context,
    cfg: &Config,
    repo: &Repo,
    commit: Oid,
    docs: &[&str],
) -> Result<()> {
    let kept = |doc: &str, e: Error| {
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
    let label = docs.join(", ");
    let identity = ctx.identity(cfg, repo)?;
    let outbox =
        Outbox::new(cfg, repo, identity, &ctx.env, ctx.clock.now()).map_err(|e| kept(&label, e))?;
    let mut first_err = None;
    for doc in docs {
        let sent = outbox
            .update_at(commit, doc)
            .and_then(|u| outbox.compose(&u))
            .and_then(|mail| outbox.deliver(&mail).map(|()| mail));
        match sent {
            Ok(mail) => ctx.info(format!(
                "mailed {doc} to {} via {}",
                mail.to,
                outbox.describe()
            )),
            Err(e) if first_err.is_none() => first_err = Some(kept(doc, e)),
            Err(e) => ctx.warn(kept(doc, e).message()),
        }
    }
    match first_err {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// The 8-character abbreviation used in output.
pub fn short(oid: Oid) -> String {
    oid.to_string()[..8].to_string()
}
