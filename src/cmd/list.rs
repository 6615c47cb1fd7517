//! `worklog list`: docs with kind, title, tags, last change (from git) and progress.

use std::io::Write;

use serde::Serialize;

use crate::Outcome;
use crate::cli::ListArgs;
use crate::context::Context;
use crate::dates::parse_range;
use crate::doc::{Document, is_archived, kind_of, list_docs, normalize_kind};
use crate::error::{IoContext, Result};
use crate::output::{json_line, pad, style_date, style_dim, style_path, truncate};

#[derive(Serialize)]
struct Progress {
    done: usize,
    total: usize,
}

#[derive(Serialize)]
struct Row {
    path: String,
    kind: Option<String>,
    title: String,
    tags: Vec<String>,
    systems: Vec<String>,
    /// Last change, from git (RFC 3339); null when never committed.
    date: Option<String>,
    commit: Option<String>,
    archived: bool,
    progress: Option<Progress>,
    started: Option<String>,
    completed: Option<String>,
    /// Whole days since `started` for active checklists.
    age_days: Option<i64>,
    uncommitted: bool,
}

pub fn run(ctx: &Context, args: ListArgs) -> Result<Outcome> {
    let (cfg, repo) = ctx.open()?;
    let kind = args.kind.as_deref().map(normalize_kind);
    let since = args
        .since
        .as_deref()
        .map(|s| parse_range(s, ctx.clock.now()))
        .transpose()?;
    let last = repo.last_changes()?;
    let dirty: std::collections::HashSet<String> =
        repo.dirty_docs()?.into_iter().map(|d| d.path).collect();
    let mut out = ctx.stdout();
    let mut problems = false;
    let mut hidden_archived = 0usize;
    for path in list_docs(&cfg.root) {
        let archived = is_archived(&path);
        if args.archived != archived {
            hidden_archived += usize::from(archived);
            continue;
        }
        if kind.is_some() && kind.as_deref() != kind_of(&path) {
            continue;
        }
        let abs = cfg.root.join(&path);
        let bytes = std::fs::read(&abs).with_path(&abs)?;
        let doc = match Document::parse(&path, &bytes) {
            Ok(d) => d,
            Err(e) => {
                ctx.warn(format!("{e} (skipped)"));
                problems = true;
                continue;
            }
        };
        if !args
            .tags
            .iter()
            .all(|t| doc.front.tags.iter().any(|d| d.eq_ignore_ascii_case(t)))
        {
            continue;
        }
        let change = last.get(&path);
        if let Some(since) = &since {
            let when = if archived {
                doc.front
                    .completed
                    .as_deref()
                    .and_then(|c| parse_range(c, ctx.clock.now()).ok())
                    .map(|r| r.start)
            } else {
                change.map(|c| c.time)
            };
            if when.is_none_or(|w| w < since.start) {
                continue;
            }
        }
        let is_checklist = kind_of(&path) == Some("checklists");
        let (done, total) = doc.progress();
        let age_days = (is_checklist && !archived)
            .then(|| {
                doc.front
                    .started
                    .as_deref()
                    .and_then(|s| parse_range(s, ctx.clock.now()).ok())
            })
            .flatten()
            .map(|r| (ctx.clock.now() - r.start).num_days());
        let row = Row {
            kind: kind_of(&path).map(str::to_string),
            title: doc.title.clone(),
            tags: doc.front.tags.clone(),
            systems: doc.front.systems.clone(),
            date: change.map(|c| c.time.to_rfc3339()),
            commit: change.map(|c| c.id.to_string()),
            archived,
            progress: (is_checklist || total > 0).then_some(Progress { done, total }),
            started: doc.front.started.clone(),
            completed: doc.front.completed.clone(),
            age_days,
            uncommitted: dirty.contains(&path),
            path,
        };
        if args.json {
            json_line(&mut out, &row)?;
        } else {
            print_row(&mut out, ctx, &row)?;
        }
    }
    if hidden_archived > 0
        && !args.json
        && !args.archived
        && kind.as_deref().is_none_or(|k| k == "checklists")
    {
        ctx.info(format!(
            "({hidden_archived} archived checklists not shown: --archived lists them)"
        ));
    }
    Ok(if problems {
        Outcome::Problems
    } else {
        Outcome::Success
    })
}

fn print_row(out: &mut impl Write, ctx: &Context, r: &Row) -> Result<()> {
    let (ds, ps, dim) = (
        style_date(ctx.color),
        style_path(ctx.color),
        style_dim(ctx.color),
    );
    let date = match (&r.date, r.uncommitted) {
        (_, true) => "uncommitted".to_string(),
        (Some(d), false) => d[..10].to_string(),
        (None, false) => "-".to_string(),
    };
    let mut line = format!(
        "{ds}{}{ds:#}  {ps}{}{ps:#}  {}",
        pad(&date, 11),
        pad(&r.path, 40),
        truncate(&r.title, 60)
    );
    if let Some(p) = &r.progress {
        line.push_str(&format!("  {}/{}", p.done, p.total));
    }
    if let Some(age) = r.age_days {
        line.push_str(&format!(
            " (started {}, {age}d ago)",
            r.started.as_deref().unwrap_or("?")
        ));
    }
    if !r.tags.is_empty() {
        line.push_str(&format!("  {dim}[{}]{dim:#}", r.tags.join(", ")));
    }
    writeln!(out, "{line}")?;
    Ok(())
}
