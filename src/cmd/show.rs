//! `worklog show DOC [--at DATE|REV]`: a doc now, or as it was then (following renames).

use std::io::Write;

use crate::Outcome;
use crate::cli::ShowArgs;
use crate::context::Context;
use crate::cycle::short;
use crate::dates::parse_range;
use crate::error::{Error, IoContext, Result};
use crate::store::{Repo, Version};

pub fn run(ctx: &Context, args: ShowArgs) -> Result<Outcome> {
    let (cfg, repo) = ctx.open()?;
    let doc = ctx.doc(&cfg, &args.doc)?;
    let Some(at) = &args.at else {
        if !doc.exists {
            return Err(
                Error::user(format!("{}: not in the work tree (deleted?)", doc.path)).with_hint(
                    format!(
                        "`worklog log {}` shows its history; `--at DATE` an old version",
                        doc.path
                    ),
                ),
            );
        }
        let bytes = std::fs::read(&doc.abs).with_path(&doc.abs)?;
        ctx.stdout().write_all(&bytes)?;
        return Ok(Outcome::Success);
    };
    let history = repo.doc_history(&doc.path)?;
    if history.is_empty() {
        return Err(Error::user(format!("{}: has no history in git", doc.path)));
    }
    let version = version_at(&repo, &history, at, ctx)?;
    let Some(version) = version else {
        return Err(Error::user(format!(
            "{}: did not exist yet at {at}",
            doc.path
        )));
    };
    let Some(blob) = version.blob else {
        return Err(Error::user(format!(
            "{}: had been deleted at {at} (by {} on {})",
            doc.path,
            short(version.commit.id),
            version.commit.time.format("%Y-%m-%d")
        )));
    };
    if version.path != doc.path {
        ctx.info(format!("({} was then {})", doc.path, version.path));
    }
    ctx.stdout().write_all(&repo.blob(blob)?)?;
    Ok(Outcome::Success)
}

/// The version current at a date (end of that day, month or year) or at a revision.
fn version_at<'h>(
    repo: &Repo,
    history: &'h [Version],
    at: &str,
    ctx: &Context,
) -> Result<Option<&'h Version>> {
    if let Ok(range) = parse_range(at, ctx.clock.now()) {
        return Ok(history.iter().find(|v| v.commit.time < range.end));
    }
    let target = repo.commit_for_rev(at)?.id();
    let git = repo.git();
    for v in history {
        if v.commit.id == target || git.graph_descendant_of(target, v.commit.id)? {
            return Ok(Some(v));
        }
    }
    Ok(None)
}
