//! `worklog commit [DOC...] -m MSG [--no-mail]`: commit edits made outside worklog in one
//! commit, then mail each doc.

use crate::Outcome;
use crate::cli::CommitArgs;
use crate::context::Context;
use crate::cycle::commit_and_publish_all;
use crate::error::{Error, Result};
use crate::store::edit_locks;

pub fn run(ctx: &Context, args: CommitArgs) -> Result<Outcome> {
    let (cfg, repo) = ctx.open()?;
    if args.message.trim().is_empty() {
        return Err(Error::user("empty commit message").with_hint("say what changed: -m \"...\""));
    }
    let dirty = repo.dirty_docs()?;
    let locks = edit_locks(repo.git().path());
    let held = |path: &str| locks.iter().find(|l| l.doc == path && !l.is_stale());
    let mut paths: Vec<String> = Vec::new();
    if args.docs.is_empty() {
        for d in &dirty {
            if let Some(l) = held(&d.path) {
                ctx.warn(format!(
                    "{}: skipped, being edited by {}",
                    d.path,
                    l.holder()
                ));
                continue;
            }
            paths.push(d.path.clone());
        }
        if paths.is_empty() {
            return Err(Error::user(
                "nothing to commit: no doc has uncommitted changes",
            ));
        }
    } else {
        for input in &args.docs {
            let doc = ctx.doc(&cfg, input)?;
            if let Some(l) = held(&doc.path) {
                return Err(
                    Error::user(format!("{}: being edited by {}", doc.path, l.holder()))
                        .with_hint("let that edit finish; it commits and mails the doc itself"),
                );
            }
            if !dirty.iter().any(|d| d.path == doc.path) {
                return Err(Error::user(format!("{}: no uncommitted changes", doc.path)));
            }
            if !paths.contains(&doc.path) {
                paths.push(doc.path);
            }
        }
    }
    let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
    commit_and_publish_all(
        ctx,
        &cfg,
        &repo,
        &refs,
        args.message.trim_end(),
        args.no_mail,
    )?;
    Ok(Outcome::Success)
}
