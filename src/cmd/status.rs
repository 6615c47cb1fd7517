//! `worklog status [--json]`: uncommitted docs, unmailed versions, held and stale locks.

use std::io::Write;

use serde_json::json;

use crate::Outcome;
use crate::cli::StatusArgs;
use crate::context::Context;
use crate::cycle::short;
use crate::error::Result;
use crate::mail::Health;
use crate::output::{json_line, style_date, style_path, style_warn};

pub fn run(ctx: &Context, args: StatusArgs) -> Result<Outcome> {
    let (_cfg, repo) = ctx.open()?;
    let h = Health::gather(&repo)?;
    let mut out = ctx.stdout();
    if args.json {
        for d in &h.uncommitted {
            json_line(
                &mut out,
                &json!({"type": "uncommitted", "path": d.path, "state": d.state}),
            )?;
        }
        for p in &h.unmailed {
            json_line(
                &mut out,
                &json!({
                    "type": "unmailed",
                    "commit": p.commit.id.to_string(),
                    "date": p.commit.time.to_rfc3339(),
                    "path": p.path,
                    "summary": p.commit.summary,
                    "deleted": p.blob.is_none(),
                }),
            )?;
        }
        for l in &h.locks {
            json_line(
                &mut out,
                &json!({
                    "type": "lock",
                    "path": l.doc,
                    "user": l.user,
                    "host": l.host,
                    "pid": l.pid,
                    "since": l.since,
                    "stale": l.is_stale(),
                }),
            )?;
        }
        return Ok(Outcome::Success);
    }
    let (ps, ds, ws) = (
        style_path(ctx.color),
        style_date(ctx.color),
        style_warn(ctx.color),
    );
    if h.uncommitted.is_empty() && h.unmailed.is_empty() && h.locks.is_empty() {
        writeln!(out, "all committed and mailed")?;
        return Ok(Outcome::Success);
    }
    if !h.uncommitted.is_empty() {
        writeln!(
            out,
            "Uncommitted (commit with `worklog commit DOC -m MSG`):"
        )?;
        for d in &h.uncommitted {
            writeln!(out, "  {:<9} {ps}{}{ps:#}", d.state, d.path)?;
        }
    }
    if !h.unmailed.is_empty() {
        writeln!(out, "Unmailed (send with `worklog mail --pending`):")?;
        for p in &h.unmailed {
            let gone = if p.blob.is_none() { " (deleted)" } else { "" };
            writeln!(
                out,
                "  {}  {ds}{}{ds:#}  {ps}{}{ps:#}{gone}  {}",
                short(p.commit.id),
                p.commit.time.format("%Y-%m-%d %H:%M"),
                p.path,
                p.commit.summary
            )?;
        }
    }
    if !h.locks.is_empty() {
        writeln!(out, "Edit locks:")?;
        for l in &h.locks {
            if l.is_stale() {
                writeln!(
                    out,
                    "  {ws}stale{ws:#}  {ps}{}{ps:#}  {}  ({})",
                    l.doc,
                    l.holder(),
                    l.file.display()
                )?;
            } else {
                writeln!(out, "  held   {ps}{}{ps:#}  {}", l.doc, l.holder())?;
            }
        }
    }
    Ok(Outcome::Success)
}
