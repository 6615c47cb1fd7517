//! `worklog log DOC`: the doc's commits, newest first, following renames, each marked
//! mailed, unmailed, skipped (`--no-mail`) or history (from before worklog, never mailed).

use std::io::Write;

use serde::Serialize;

use crate::Outcome;
use crate::cli::LogArgs;
use crate::context::Context;
use crate::cycle::short;
use crate::error::{Error, Result};
use crate::mail::MailState;
use crate::output::{json_line, style_date, style_dim};

#[derive(Serialize)]
struct Row<'a> {
    commit: String,
    date: String,
    author: &'a str,
    email: &'a str,
    summary: &'a str,
    path: &'a str,
    renamed_from: Option<&'a str>,
    deleted: bool,
    /// A mail for this version went out (recorded in `refs/notes/worklog`).
    mailed: bool,
    /// `mailed`, `unmailed`, `skipped` (`--no-mail`), or `history` (before the baseline or
    /// imported: never mailed).
    mail_state: &'static str,
    mailed_at: Option<&'a str>,
}

pub fn run(ctx: &Context, args: LogArgs) -> Result<Outcome> {
    let (cfg, repo) = ctx.open()?;
    let doc = ctx.doc(&cfg, &args.doc)?;
    let history = repo.doc_history(&doc.path)?;
    if history.is_empty() {
        return Err(
            Error::user(format!("{}: no commits touch it", doc.path)).with_hint(format!(
                "commit it with `worklog commit {} -m MSG`",
                doc.path
            )),
        );
    }
    let state = MailState::load(&repo)?;
    let mut out = ctx.stdout();
    let (ds, dim) = (style_date(ctx.color), style_dim(ctx.color));
    for v in &history {
        let record = state.mailed(v.commit.id, &v.path);
        let mail_state = if record.is_some_and(|m| m.skipped) {
            "skipped"
        } else if record.is_some() {
            "mailed"
        } else if state.counts(&v.commit) {
            "unmailed"
        } else {
            "history"
        };
        let row = Row {
            commit: v.commit.id.to_string(),
            date: v.commit.time.to_rfc3339(),
            author: &v.commit.author,
            email: &v.commit.email,
            summary: &v.commit.summary,
            path: &v.path,
            renamed_from: v.renamed_from.as_deref(),
            deleted: v.blob.is_none(),
            mailed: record.is_some_and(|m| !m.skipped),
            mail_state,
            mailed_at: record.filter(|m| !m.skipped).map(|m| m.when.as_str()),
        };
        if args.json {
            json_line(&mut out, &row)?;
            continue;
        }
        let mut extra = String::new();
        if let Some(old) = &v.renamed_from {
            extra.push_str(&format!("  {dim}(renamed from {old}){dim:#}"));
        } else if v.blob.is_none() {
            extra.push_str(&format!("  {dim}(deleted){dim:#}"));
        }
        if v.path != doc.path && v.renamed_from.is_none() {
            extra.push_str(&format!("  {dim}[{}]{dim:#}", v.path));
        }
        writeln!(
            out,
            "{ds}{}{ds:#}  {}  {:<8}  {}  {}{extra}",
            v.commit.time.format("%Y-%m-%d %H:%M"),
            short(v.commit.id),
            mail_state,
            v.commit.author,
            v.commit.summary
        )?;
    }
    Ok(Outcome::Success)
}
