//! `worklog check [--textfile FILE]`: exit 1 when something is uncommitted, unmailed or
//! stale-locked; optionally Prometheus textfile metrics for node_exporter.

use std::io::Write;

use crate::Outcome;
use crate::cli::CheckArgs;
use crate::context::Context;
use crate::cycle::short;
use crate::error::Result;
use crate::mail::{Health, write_atomically};

pub fn run(ctx: &Context, args: CheckArgs) -> Result<Outcome> {
    let (cfg, repo) = ctx.open()?;
    let h = Health::gather(&repo)?;
    if let Some(file) = &args.textfile {
        let file = if file.is_absolute() {
            file.clone()
        } else {
            ctx.cwd.join(file)
        };
        write_atomically(&file, &h.metrics(&cfg.root, ctx.clock.now()))?;
    }
    let mut out = ctx.stdout();
    for d in &h.uncommitted {
        writeln!(out, "uncommitted: {} ({})", d.path, d.state)?;
    }
    for p in &h.unmailed {
        writeln!(
            out,
            "unmailed: {} {} {}: {}",
            short(p.commit.id),
            p.commit.time.format("%Y-%m-%d"),
            p.path,
            p.commit.summary
        )?;
    }
    for l in h.locks.iter().filter(|l| l.is_stale()) {
        writeln!(
            out,
            "stale lock: {} by {} ({})",
            l.doc,
            l.holder(),
            l.file.display()
        )?;
    }
    if h.problems() > 0 {
        ctx.info(format!(
            "{}: {} uncommitted, {} unmailed, {} (`worklog status` for details)",
            count(h.problems(), "problem"),
            h.uncommitted.len(),
            h.unmailed.len(),
            count(h.stale_locks(), "stale lock"),
        ));
        return Ok(Outcome::Problems);
    }
    Ok(Outcome::Success)
}

fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}
