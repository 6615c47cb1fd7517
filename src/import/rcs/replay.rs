//! Replaying the trunk revisions of many `,v` files into git, interleaved by date: each
//! revision one commit with the RCS author, date and log, and an import trailer.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashSet};
use std::path::{Component, Path, PathBuf};

use chrono::{DateTime, Utc};
use git2::Oid;
use indicatif::ProgressBar;

use super::date::parse_rcs_date;
use super::keywords::collapse;
use super::rcs_file::{RcsFile, Revision};
use super::source::Source;
use crate::error::{Error, IoContext, Result};
use crate::store::{CommitLock, Repo};

/// The trailer every imported commit carries: `Worklog-Import: rcs FILE REV`. Mail treats
/// such commits as history, never as unmailed updates.
pub const TRAILER: &str = "Worklog-Import";

/// How to import.
#[derive(Debug, Clone)]
pub struct Options {
    /// Folder below the root to put the files in (relative; empty: the root).
    pub into: PathBuf,
    /// Mail domain for authors: `AUTHOR <AUTHOR@DOMAIN>`.
    pub domain: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Files whose history was imported.
    pub files: usize,
    /// Trunk revisions imported.
    pub revisions: usize,
    pub commits: usize,
    /// Branch revisions left out.
    pub branch_revisions: usize,
    /// Files with no revisions at all.
    pub skipped: usize,
    /// Files not imported: unreadable, malformed, or their target exists.
    pub failed: usize,
    /// Files whose working copy was copied in uncommitted.
    pub uncommitted: usize,
}

/// Something to tell the user while importing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// Reported, the import goes on as planned (branches, locks, working files).
    Warn(String),
    /// This file is not imported (malformed, unreadable, refused).
    Fail(String),
}

/// One revision ready to commit.
struct Planned {
    rev: String,
    time: DateTime<Utc>,
    author: String,
    message: String,
    /// None: the revision's state is `dead` (the file was removed).
    blob: Option<Oid>,
}

/// One file ready to replay.
struct Plan {
    source: Source,
    target: String,
    executable: bool,
    /// Oldest first.
    revisions: Vec<Planned>,
    /// A working file to copy over the imported one afterwards, and why.
    keep_work: Option<String>,
    branch_count: usize,
}

/// Import `sources` into `repo`'s history. Problems with one file are reported through
/// `note` and the others go on; an `Err` is a failure of git or the doc root itself.
pub fn import(
    repo: &Repo,
    sources: Vec<Source>,
    opts: &Options,
    progress: &ProgressBar,
    note: &mut dyn FnMut(Note),
) -> Result<Summary> {
    let into = check_into(&opts.into)?;
    let into_abs = repo.root().join(&into);
    if into_abs.exists() && !into_abs.is_dir() {
        return Err(Error::user(format!(
            "--into {}: is a file in the doc root, not a folder",
            into.display()
        )));
    }
    let mut summary = Summary::default();
    let mut plans = Vec::new();
    let mut targets = HashSet::new();
    for source in sources {
        progress.set_message(format!("reading {}", source.label));
        match plan(repo, source, &into, &mut targets, note) {
            Ok(Some(p)) => plans.push(p),
            Ok(None) => summary.skipped += 1,
            Err(msg) => {
                summary.failed += 1;
                note(Note::Fail(msg));
            }
        }
    }
    summary.branch_revisions = plans.iter().map(|p| p.branch_count).sum();
    summary.files = plans.len();

    let total: usize = plans.iter().map(|p| p.revisions.len()).sum();
    progress.set_length(total as u64);
    // Merge the files' histories by date; each file keeps its own order even if its dates
    // go backwards (a clock set wrong), so a file's text never steps back in time.
    let mut heap = BinaryHeap::new();
    for (i, p) in plans.iter().enumerate() {
        if let Some(r) = p.revisions.first() {
            heap.push(Reverse((r.time, p.target.clone(), 0usize, i)));
        }
    }
    let mut last_blob: Vec<Option<Oid>> = vec![None; plans.len()];
    while let Some(Reverse((_, _, k, i))) = heap.pop() {
        let p = &plans[i];
        let r = &p.revisions[k];
        progress.set_message(format!("{} {}", p.target, r.rev));
        commit_revision(repo, p, r, last_blob[i], &opts.domain)?;
        last_blob[i] = r.blob;
        summary.commits += 1;
        summary.revisions += 1;
        progress.inc(1);
        if let Some(next) = p.revisions.get(k + 1) {
            heap.push(Reverse((next.time, p.target.clone(), k + 1, i)));
        }
    }
    progress.finish_and_clear();

    for p in &plans {
        let Some(why) = &p.keep_work else { continue };
        let dest = repo.root().join(&p.target);
        std::fs::copy(&p.source.work, &dest).with_path(&p.source.work)?;
        summary.uncommitted += 1;
        note(Note::Warn(format!(
            "{}: {why}; its content is now in {} uncommitted: review it and run `worklog commit {} -m MSG`",
            p.source.label, p.target, p.target
        )));
    }
    Ok(summary)
}

/// `--into` must stay inside the root.
fn check_into(into: &Path) -> Result<PathBuf> {
    let mut out = PathBuf::new();
    for c in into.components() {
        match c {
            Component::Normal(n) if n != ".git" => out.push(n),
            Component::CurDir => {}
            _ => {
                return Err(Error::user(format!(
                    "--into {}: must be a folder inside the doc root, relative to it",
                    into.display()
                )));
            }
        }
    }
    Ok(out)
}

/// Read, parse and reconstruct one file; store its revisions as blobs. `Ok(None)`: skipped
/// (reported); `Err`: the one-line message for a file that failed.
fn plan(
    repo: &Repo,
    source: Source,
    into: &Path,
    targets: &mut HashSet<String>,
    note: &mut dyn FnMut(Note),
) -> Result<Option<Plan>, String> {
    let label = source.label.clone();
    let target_path = into.join(&source.rel);
    let Some(target) = target_path
        .to_str()
        .map(|s| s.replace(std::path::MAIN_SEPARATOR, "/"))
    else {
        return Err(format!(
            "{label}: the name {} is not UTF-8; rename it first",
            target_path.display()
        ));
    };
    if !targets.insert(target.clone()) {
        return Err(format!(
            "{label}: another RCS file in this import already goes to {target}; not imported"
        ));
    }
    if exists_in_root(repo, &target) {
        return Err(format!(
            "{label}: {target} already exists in the doc root; not imported (import never overwrites)"
        ));
    }
    let bytes = std::fs::read(&source.rcs).map_err(|e| format!("{label}: {e}"))?;
    let file = RcsFile::parse(&bytes).map_err(|e| format!("{label}: {e}"))?;
    drop(bytes);

    // Newest first: each text goes into git as a blob right away, so memory stays small.
    let name = source
        .rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut planned: Vec<Planned> = Vec::new();
    let mut head: Option<(String, Vec<u8>)> = None;
    let mut failure: Option<String> = None;
    file.for_each_trunk_revision(|r| {
        if failure.is_some() {
            return;
        }
        if head.is_none() {
            head = Some((r.rev.clone(), r.text.clone()));
        }
        match planned_revision(repo, r, &label, &name) {
            Ok(p) => planned.push(p),
            Err(e) => failure = Some(e),
        }
    })
    .map_err(|e| format!("{label}: {e}"))?;
    if let Some(e) = failure {
        return Err(e);
    }
    planned.reverse();

    let branches = file.branch_revisions();
    if !branches.is_empty() {
        note(Note::Warn(format!(
            "{label}: skipped branch revision{} {} (only the trunk is imported)",
            if branches.len() == 1 { "" } else { "s" },
            branches.join(", ")
        )));
    }
    let Some((head_rev, head_text)) = head else {
        note(Note::Warn(format!(
            "{label}: has no revisions; nothing to import"
        )));
        return Ok(None);
    };

    // A checked-out file may hold work never checked in: keep it (uncommitted) when the
    // working file differs from the head other than by expanded keywords.
    let work = std::fs::read(&source.work).ok();
    let differs = work
        .as_ref()
        .is_some_and(|w| collapse(w) != collapse(&head_text));
    for (user, rev) in &file.locks {
        let state = match (&work, differs) {
            (None, _) => format!("no working file at {}", source.work.display()),
            (Some(_), false) => "its working file has no changes".to_string(),
            (Some(_), true) => "its working file has changes".to_string(),
        };
        note(Note::Warn(format!(
            "{label}: revision {rev} is locked by {user} (checked out for editing); {state}"
        )));
    }
    let keep_work = differs.then(|| match file.locks.first() {
        Some((user, rev)) => format!(
            "the working file {} (locked by {user}) differs from revision {rev}",
            source.work.display()
        ),
        None => format!(
            "the working file {} differs from revision {head_rev}",
            source.work.display()
        ),
    });

    Ok(Some(Plan {
        executable: is_executable(&source.rcs),
        target,
        revisions: planned,
        keep_work,
        branch_count: branches.len(),
        source,
    }))
}

/// Check one revision's date, store its text as a blob, and build its commit message.
fn planned_revision(repo: &Repo, r: &Revision, label: &str, name: &str) -> Result<Planned, String> {
    let time = parse_rcs_date(&r.date).ok_or_else(|| {
        format!(
            "{label}: {}: revision {}: bad date `{}`",
            r.pos, r.rev, r.date
        )
    })?;
    let blob = if r.state == "dead" {
        None
    } else {
        Some(
            repo.git()
                .blob(&r.text)
                .map_err(|e| format!("{label}: git: {}", e.message()))?,
        )
    };
    let mut log = decode(&r.log).trim_end().to_string();
    if log.trim().is_empty() {
        log = format!("RCS revision {} of {name}", r.rev);
    }
    Ok(Planned {
        rev: r.rev.clone(),
        time,
        author: if r.author.is_empty() {
            "unknown".into()
        } else {
            r.author.clone()
        },
        message: format!("{log}\n\n{TRAILER}: rcs {label} {}\n", r.rev),
        blob,
    })
}

/// Write one revision into the work tree and commit it alone, dated and signed as in RCS.
fn commit_revision(
    repo: &Repo,
    p: &Plan,
    r: &Planned,
    previous: Option<Oid>,
    domain: &str,
) -> Result<()> {
    let abs = repo.root().join(&p.target);
    // git refuses `<`, `>` and newlines in names; RCS ids may hold them in theory.
    let mut name: String = r
        .author
        .chars()
        .filter(|c| !matches!(c, '<' | '>' | '\n'))
        .collect();
    if name.is_empty() {
        name = "unknown".into();
    }
    let when = git2::Time::new(r.time.timestamp(), 0);
    let sig = git2::Signature::new(&name, &format!("{name}@{domain}"), &when)?;
    let unchanged = match r.blob {
        Some(b) => previous == Some(b),
        None => !abs.exists(),
    };
    match r.blob {
        Some(b) => {
            if let Some(dir) = abs.parent() {
                std::fs::create_dir_all(dir).with_path(dir)?;
            }
            std::fs::write(&abs, repo.blob(b)?).with_path(&abs)?;
            set_executable(&abs, p.executable)?;
        }
        None if abs.exists() => std::fs::remove_file(&abs).with_path(&abs)?,
        None => {}
    }
    if unchanged {
        // `ci -f` makes a revision with the same text; keep it as an empty commit so its
        // log message is not lost.
        empty_commit(repo, &r.message, &sig)
    } else {
        repo.commit_paths(&[&p.target], &r.message, &sig)
            .map(|_| ())
    }
}

fn empty_commit(repo: &Repo, message: &str, sig: &git2::Signature<'_>) -> Result<()> {
    let git = repo.git();
    let _lock = CommitLock::acquire(git.path())?;
    let head = repo.head_commit();
    let tree = match &head {
        Some(c) => c.tree()?,
        None => git.find_tree(git.treebuilder(None)?.write()?)?,
    };
    let parents: Vec<&git2::Commit<'_>> = head.iter().collect();
    git.commit(Some("HEAD"), sig, sig, message, &tree, &parents)?;
    Ok(())
}

/// True when `target` is in the work tree, the index or HEAD.
fn exists_in_root(repo: &Repo, target: &str) -> bool {
    if repo.root().join(target).symlink_metadata().is_ok() {
        return true;
    }
    let path = Path::new(target);
    let in_index = repo
        .git()
        .index()
        .ok()
        .is_some_and(|i| i.get_path(path, 0).is_some());
    let in_head = repo
        .head_commit()
        .and_then(|c| c.tree().ok())
        .is_some_and(|t| t.get_path(path).is_ok());
    in_index || in_head
}

/// Log messages of decades-old files are often Latin-1: decode UTF-8 when valid, else
/// byte for byte as Latin-1.
fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes.iter().map(|b| char::from(*b)).collect(),
    }
}

#[cfg(unix)]
fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(_: &Path) -> bool {
    false
}

#[cfg(unix)]
fn set_executable(p: &Path, on: bool) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = if on { 0o755 } else { 0o644 };
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).with_path(p)
}

#[cfg(not(unix))]
fn set_executable(_: &Path, _: bool) -> Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn into_stays_inside_the_root() {
        assert_eq!(
            check_into(Path::new("old/rcs")).unwrap(),
            PathBuf::from("old/rcs")
        );
        assert_eq!(check_into(Path::new("./x")).unwrap(), PathBuf::from("x"));
        assert_eq!(check_into(Path::new("")).unwrap(), PathBuf::new());
        for bad in ["../x", "/abs", "a/../../b", ".git/x"] {
            assert!(check_into(Path::new(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn latin1_logs_are_decoded() {
        assert_eq!(decode(b"caf\xe9"), "café");
        assert_eq!(decode("café".as_bytes()), "café");
    }
}
