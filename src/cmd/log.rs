//! `worklog log DOC`: the doc's commits, newest first, following renames.

use std::io::Write;

use serde::Serialize;

use crate::Outcome;
use crate::cli::LogArgs;
use crate::context::Context;
use crate::cycle::short;
use crate::error::{Error, Result};
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
    let mut out = ctx.stdout();
    let (ds, dim) = (style_date(ctx.color), style_dim(ctx.color));
    for v in &history {
        let row = Row {
            commit: v.commit.id.to_string(),
            date: v.commit.time.to_rfc3339(),
            author: &v.commit.author,
            email: &v.commit.email,
            summary: &v.commit.summary,
            path: &v.path,
            renamed_from: v.renamed_from.as_deref(),
            deleted: v.blob.is_none(),
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
            "{ds}{}{ds:#}  {}  {}  {}{extra}",
            v.commit.time.format("%Y-%m-%d %H:%M"),
            short(v.commit.id),
            v.commit.author,
            v.commit.summary
        )?;
    }
    Ok(Outcome::Success)
}
