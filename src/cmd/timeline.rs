//! `worklog timeline --around DATE [--window W]`: commits and mails of a period.

use std::io::Write;

use crate::Outcome;
use crate::cli::TimelineArgs;
use crate::context::Context;
use crate::dates;
use crate::error::Result;
use crate::index::{print, timeline};
use crate::output;

pub fn run(ctx: &Context, args: TimelineArgs) -> Result<Outcome> {
    let (cfg, repo) = ctx.open()?;
    let now = ctx.clock.now();
    let r = dates::parse_range(&args.around, now)?;
    let w = dates::parse_window(&args.window)?.num_seconds();
    let (start, end) = (r.start.timestamp() - w, r.end.timestamp() + w);
    let store = super::fresh_store(ctx, &cfg, &repo)?;
    let events = timeline::events(&repo, Some(&store), start, end)?;
    let mut out = ctx.stdout();
    let ds = output::style_date(ctx.color);
    let ps = output::style_path(ctx.color);
    for e in &events {
        if args.json {
            output::json_line(&mut out, e)?;
            continue;
        }
        let when = chrono::DateTime::parse_from_rfc3339(&e.date)
            .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default();
        let id = if e.kind == "commit" {
            e.id[..e.id.len().min(8)].to_string()
        } else {
            String::new()
        };
        let paths = if e.paths.is_empty() {
            String::new()
        } else {
            format!("  ({ps}{}{ps:#})", e.paths.join(", "))
        };
        writeln!(
            out,
            "{ds}{when}{ds:#}  {:<6}  {:<8}  {}  {}{paths}",
            e.kind,
            id,
            output::truncate(&e.from, 32),
            e.subject
        )?;
    }
    if events.is_empty() {
        ctx.info(format!(
            "nothing between {} and {}",
            print::day(start),
            print::day(end)
        ));
        return Ok(Outcome::Problems);
    }
    Ok(Outcome::Success)
}
