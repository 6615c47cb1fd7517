//! `worklog init [DIR] [--address ADDR]`: make or adopt a doc root.

use std::path::Path;

use crate::Outcome;
use crate::cli::InitArgs;
use crate::config::TEAM_FILE;
use crate::context::Context;
use crate::cycle::short;
use crate::error::{IoContext, Result};
use crate::store::Repo;

const LAYOUT: &[&str] = &["build", "howto", "checklists", "checklists/archive"];

fn team_file(address: Option<&str>) -> String {
    let to = match address {
        Some(a) => format!("to = {}\n", toml_string(a)),
        None => "# to = \"worklog@example.org\"   # the team's worklog address\n".to_string(),
    };
    format!(
        "# worklog team settings (see `worklog config` and docs/guide.md)\n\n[mail]\n{to}subject-prefix = \"[worklog]\"\n\n[archive]\n# where the worklog mail ends up: mbox, mbox.gz or Maildir\nsources = []\n"
    )
}

fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

pub fn run(ctx: &Context, args: InitArgs) -> Result<Outcome> {
    let dir = match &args.dir {
        Some(d) if d.is_absolute() => d.clone(),
        Some(d) => ctx.cwd.join(d),
        None => ctx.cwd.clone(),
    };
    std::fs::create_dir_all(&dir).with_path(&dir)?;
    let dir = dir.canonicalize().with_path(&dir)?;

    let had_git = dir.join(".git").exists();
    let repo = if had_git {
        Repo::open(&dir)?
    } else {
        Repo::init(&dir)?
    };

    let mut created: Vec<String> = Vec::new();
    for sub in LAYOUT {
        let keep = dir.join(sub).join(".gitkeep");
        if !dir.join(sub).is_dir() {
            std::fs::create_dir_all(dir.join(sub)).with_path(&dir.join(sub))?;
        }
        if !keep.exists() && is_empty_dir(&dir.join(sub))? {
            std::fs::write(&keep, "").with_path(&keep)?;
            created.push(format!("{sub}/.gitkeep"));
        }
    }
    let team = dir.join(TEAM_FILE);
    if team.exists() {
        if let Some(a) = &args.address {
            ctx.warn(format!(
                "{}: exists already; left as it is (--address {a} not written)",
                team.display()
            ));
        }
    } else {
        std::fs::write(&team, team_file(args.address.as_deref())).with_path(&team)?;
        created.push(TEAM_FILE.to_string());
    }

    // A fresh repository adopts the text files already there; an existing one keeps its
    // uncommitted work untouched.
    let mut paths = created.clone();
    if !had_git {
        for p in crate::doc::list_docs(&dir) {
            paths.push(p);
        }
    }
    let commit_paths: Vec<&str> = paths
        .iter()
        .map(String::as_str)
        .filter(|p| dir.join(p).is_file())
        .collect();
    if commit_paths.is_empty() {
        ctx.info(format!(
            "{} is already a worklog doc root; nothing to do",
            dir.display()
        ));
        return Ok(Outcome::Success);
    }
    let identity = repo.identity(None, None, &ctx.env)?;
    let sig = Repo::signature(&identity, ctx.clock.now())?;
    // The trailer marks the baseline: commits up to here are history, not unmailed updates.
    let message = if had_git {
        "worklog init: add layout and worklog.toml\n\nWorklog-Init: baseline\n"
    } else {
        "worklog init\n\nWorklog-Init: baseline\n"
    };
    let oid = repo
        .commit_paths(&commit_paths, message, &sig)
        .map_err(|e| e.context(dir.display()))?;
    ctx.info(format!(
        "initialised doc root {} ({} files in commit {})",
        dir.display(),
        commit_paths.len(),
        short(oid)
    ));
    if had_git {
        let dirty = repo.dirty_docs()?;
        if !dirty.is_empty() {
            ctx.info(format!(
                "{} docs have uncommitted changes, left as they were: see `worklog status`",
                dirty.len()
            ));
        }
    }
    Ok(Outcome::Success)
}

fn is_empty_dir(p: &Path) -> Result<bool> {
    Ok(std::fs::read_dir(p).with_path(p)?.next().is_none())
}
