//! `worklog search QUERY...`: the query language, date flags, and printing.

use crate::Outcome;
use crate::cli::{SearchArgs, SortOrder};
use crate::context::Context;
use crate::dates;
use crate::error::Result;
use crate::index::{print, searcher};

pub fn run(ctx: &Context, args: SearchArgs) -> Result<Outcome> {
    let (cfg, repo) = ctx.open()?;
    let now = ctx.clock.now();
    let store = super::fresh_store(ctx, &cfg, &repo)?;
    let around = match &args.around {
        Some(a) => {
            let r = dates::parse_range(a, now)?;
            let w = dates::parse_window(args.window.as_deref().unwrap_or("30d"))?.num_seconds();
            let (s, e) = (r.start.timestamp(), r.end.timestamp());
            Some(((s + e) / 2, (e - s) / 2 + w))
        }
        None => None,
    };
    let req = searcher::Request {
        query: args.query.join(" "),
        since: args
            .since
            .as_deref()
            .map(|s| dates::parse_range(s, now))
            .transpose()?
            .map(|r| r.start.timestamp()),
        until: args
            .until
            .as_deref()
            .map(|s| dates::parse_range(s, now))
            .transpose()?
            .map(|r| r.end.timestamp()),
        around,
        kind: args.kind.clone(),
        tags: args.tags.clone(),
        from: args.from.clone(),
        all_versions: args.all_versions,
        limit: args.limit.unwrap_or(20),
        sort_by_date: args.sort == SortOrder::Date,
        count_only: args.count,
    };
    let res = searcher::search(&store, &req, now)?;
    let mut out = ctx.stdout();
    if args.count {
        if args.json {
            crate::output::json_line(&mut out, &serde_json::json!({ "count": res.total }))?;
        } else {
            use std::io::Write;
            writeln!(out, "{}", res.total)?;
        }
        return Ok(if res.total == 0 {
            Outcome::Problems
        } else {
            Outcome::Success
        });
    }
    print::hits(&mut out, &res.hits, args.json, ctx.color)?;
    if res.hits.is_empty() {
        ctx.info("no matches");
        return Ok(Outcome::Problems);
    }
    Ok(Outcome::Success)
}
