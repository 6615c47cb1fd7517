//! `worklog import rcs PATH... [--into DIR] [--domain D]`: RCS history into git.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::Outcome;
use crate::cli::{ImportCommand, ImportRcsArgs};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::import::rcs::{self, Note, Options};
use crate::output::style_error;

pub fn run(ctx: &Context, cmd: ImportCommand) -> Result<Outcome> {
    match cmd {
        ImportCommand::Rcs(a) => run_rcs(ctx, a),
    }
}

fn run_rcs(ctx: &Context, args: ImportRcsArgs) -> Result<Outcome> {
    let (_cfg, repo) = ctx.open()?;
    if args.domain.is_empty() || args.domain.contains(['<', '>', '@', ' ']) {
        return Err(Error::user(format!(
            "--domain {:?}: not a mail domain",
            args.domain
        )));
    }
    let (sources, missing) = rcs::find_sources(&args.paths, &ctx.cwd);
    for m in &missing {
        print_error(ctx, m);
    }
    let progress = if std::io::stderr().is_terminal() && !ctx.quiet {
        let pb = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template("{bar:30} {pos}/{len} revisions  {msg}")
            .map_err(|e| Error::internal(format!("progress template: {e}")))?;
        pb.set_style(style);
        pb.enable_steady_tick(Duration::from_millis(200));
        pb
    } else {
        ProgressBar::hidden()
    };
    let opts = Options {
        into: args.into.clone().unwrap_or_default(),
        domain: args.domain.clone(),
    };
    let pb = progress.clone();
    let mut note = |n: Note| {
        pb.suspend(|| match n {
            Note::Warn(m) => ctx.warn(m),
            Note::Fail(m) => print_error(ctx, &m),
        })
    };
    let s = rcs::import(&repo, sources, &opts, &progress, &mut note)?;
    writeln!(
        ctx.stdout(),
        "imported {} file{} ({} revision{}, {} commit{}); skipped {} branch revision{}, {} empty file{}; {} failed{}",
        s.files,
        plural(s.files),
        s.revisions,
        plural(s.revisions),
        s.commits,
        plural(s.commits),
        s.branch_revisions,
        plural(s.branch_revisions),
        s.skipped,
        plural(s.skipped),
        s.failed + missing.len(),
        if s.uncommitted > 0 {
            format!("; {} left uncommitted", s.uncommitted)
        } else {
            String::new()
        },
    )?;
    if s.failed + missing.len() > 0 {
        Ok(Outcome::Problems)
    } else {
        Ok(Outcome::Success)
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A per-file error: reported like a fatal one, but the batch goes on.
fn print_error(ctx: &Context, msg: &str) {
    let es = style_error(ctx.color_err);
    let _ = writeln!(std::io::stderr(), "{es}worklog: error:{es:#} {msg}");
}
