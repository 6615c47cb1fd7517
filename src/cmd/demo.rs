//! `worklog demo [DIR]`: build the sample doc root with worklog's own commands, then tour it.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::DateTime;
use clap::Parser;

use crate::Outcome;
use crate::cli::{Cli, DemoArgs};
use crate::clock::Clock;
use crate::context::Context;
use crate::demo::{SEARCHES, STEPS};
use crate::error::{Error, IoContext, Result};

const ADDRESS: &str = "worklog@demo.example";

pub fn run(ctx: &Context, args: DemoArgs) -> Result<Outcome> {
    let dir = match args.dir {
        Some(d) => {
            let d = if d.is_absolute() { d } else { ctx.cwd.join(d) };
            if d.exists() && std::fs::read_dir(&d).with_path(&d)?.next().is_some() {
                return Err(Error::user(format!("{}: not empty; the demo needs an empty or new folder", d.display())));
            }
            std::fs::create_dir_all(&d).with_path(&d)?;
            d
        }
        None => tempfile::Builder::new()
            .prefix("worklog-demo-")
            .tempdir()
            .map_err(|e| Error::failed(format!("cannot make a temp dir: {e}")))?
            .keep(),
    };
    let dir = dir.canonicalize().with_path(&dir)?;
    let mut out = ctx.stdout();
    writeln!(out, "Building a sample doc root in {} ...", dir.display())?;

    let first = STEPS[0].when;
    step(ctx, &dir, first, STEPS[0].who, &["init", &dir.display().to_string(), "--address", ADDRESS], true)?;
    // Later commands typed by hand in the demo root commit as a demo user.
    let repo = crate::store::Repo::open(&dir)?;
    let mut git_cfg = repo.git().config()?;
    git_cfg.set_str("user.name", "Demo User")?;
    git_cfg.set_str("user.email", "demo@demo.example")?;
    for s in STEPS {
        for (path, text) in s.write {
            let abs = dir.join(path);
            std::fs::create_dir_all(abs.parent().unwrap_or(&dir)).with_path(&abs)?;
            std::fs::write(&abs, text).with_path(&abs)?;
        }
        step(ctx, &dir, s.when, s.who, s.args, true)?;
    }
    let maildir = sub_context(ctx, &dir, "", ("", ""), true)?.config()?.default_maildir;
    let mails = ["new", "cur"]
        .iter()
        .filter_map(|d| std::fs::read_dir(maildir.join(d)).ok())
        .map(|r| r.count())
        .sum::<usize>();
    writeln!(
        out,
        "{} commits from 2014 to 2026; {mails} update mails delivered into the local archive {}.\n",
        repo.git().revwalk().and_then(|mut w| w.push_head().map(|_| w.count())).unwrap_or(0),
        maildir.display()
    )?;
    drop(out);

    let root_arg = format!("--root {}", shell_quote(&dir.display().to_string()));
    for (title, args) in SEARCHES {
        let mut out = ctx.stdout();
        writeln!(out, "# {title}\n$ worklog {root_arg} {}", args.iter().map(|a| shell_quote(a)).collect::<Vec<_>>().join(" "))?;
        drop(out);
        step(ctx, &dir, "", ("", ""), args, false)?;
        writeln!(ctx.stdout())?;
    }
    let mut out = ctx.stdout();
    writeln!(out, "Try next (in {}):", dir.display())?;
    for cmd in [
        "worklog list",
        "worklog list --archived",
        "worklog log restore-from-backup",
        "worklog show restore-from-backup --at 2016-01-01",
        "worklog checklist show debian13-upgrade",
        "worklog checklist tick debian13-upgrade",
        "worklog search 'date:2015-02 zfs' --json",
        "worklog status",
    ] {
        writeln!(out, "  cd {} && {cmd}", shell_quote(&dir.display().to_string()))?;
    }
    Ok(Outcome::Success)
}

/// Run one worklog command line in-process against the demo root, as `who` at `when`
/// (an empty `when` keeps the real clock).
fn step(ctx: &Context, dir: &Path, when: &str, who: (&str, &str), args: &[&str], quiet: bool) -> Result<Outcome> {
    let argv = std::iter::once("worklog").chain(args.iter().copied());
    let cli = Cli::try_parse_from(argv).map_err(|e| Error::internal(format!("demo step {args:?}: {e}")))?;
    let sub = sub_context(ctx, dir, when, who, quiet)?;
    super::dispatch(&sub, cli.command).map_err(|e| e.context(format!("demo step `worklog {}`", args.join(" "))))
}

/// A context for the demo root. Mail goes to the built-in local Maildir whatever the
/// user's own configuration says, so the demo never sends real mail.
fn sub_context(ctx: &Context, dir: &Path, when: &str, who: (&str, &str), quiet: bool) -> Result<Context> {
    let mut env = ctx.env.clone();
    env.set("WORKLOG_CONFIG", "/dev/null");
    env.set("WORKLOG_TRANSPORT", "maildir");
    for key in ["WORKLOG_MAIL_TO", "WORKLOG_ARCHIVE_SOURCES", "WORKLOG_MAILDIR", "WORKLOG_ROOT", "WORKLOG_INDEX_DIR"] {
        env.remove(key);
    }
    if !who.0.is_empty() {
        for (k, v) in [("WORKLOG_NAME", who.0), ("WORKLOG_EMAIL", who.1), ("GIT_AUTHOR_NAME", who.0), ("GIT_AUTHOR_EMAIL", who.1)] {
            env.set(k, v);
        }
    }
    let clock = if when.is_empty() {
        ctx.clock
    } else {
        Clock::fixed(DateTime::parse_from_rfc3339(when).map_err(|e| Error::internal(format!("demo clock {when}: {e}")))?)
    };
    Ok(Context {
        env,
        clock,
        cwd: dir.to_path_buf(),
        root_flag: Some(PathBuf::from(dir)),
        color: ctx.color,
        color_err: ctx.color_err,
        quiet,
    })
}

fn shell_quote(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=@,".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}
