//! A period's events in date order: commits from git (with the docs they touched) and
//! the mails the index holds for it.

use git2::Sort;
use serde::Serialize;

use super::Store;
use super::searcher;
use crate::doc::is_doc_path;
use crate::error::Result;
use crate::store::{Repo, git_time};

#[derive(Debug, Clone, Serialize)]
pub struct Event {
    /// Unix seconds.
    #[serde(skip)]
    pub ts: i64,
    /// `commit` or `mail`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub date: String,
    /// Commit id or Message-ID.
    pub id: String,
    /// Author or sender.
    pub from: String,
    /// Commit summary or mail subject.
    pub subject: String,
    /// Docs a commit touched; the linked doc of a mail.
    pub paths: Vec<String>,
    /// For a mail: the commit it carries.
    pub commit: Option<String>,
}

/// Commits and mails with dates in `[start, end)`, oldest first.
pub fn events(repo: &Repo, store: Option<&Store>, start: i64, end: i64) -> Result<Vec<Event>> {
    let mut out = Vec::new();
    if let Some(head) = repo.head_commit() {
        let git = repo.git();
        let mut walk = git.revwalk()?;
        walk.push(head.id())?;
        walk.set_sorting(Sort::TIME)?;
        for oid in walk {
            let c = git.find_commit(oid?)?;
            let t = git_time(c.committer().when());
            let ts = t.timestamp();
            if ts < start || ts >= end {
                continue;
            }
            let tree = c.tree()?;
            let parent = c.parent(0).ok().map(|p| p.tree()).transpose()?;
            let diff = git.diff_tree_to_tree(parent.as_ref(), Some(&tree), None)?;
            let paths = diff
                .deltas()
                .filter_map(|d| {
                    d.new_file()
                        .path()
                        .or(d.old_file().path())
                        .and_then(|p| p.to_str())
                        .map(str::to_string)
                })
                .filter(|p| is_doc_path(p))
                .collect();
            let a = c.author();
            out.push(Event {
                ts,
                kind: "commit",
                date: super::print::rfc3339(ts),
                id: c.id().to_string(),
                from: format!("{} <{}>", a.name().unwrap_or(""), a.email().unwrap_or("")),
                subject: c.summary().ok().flatten().unwrap_or("").to_string(),
                paths,
                commit: None,
            });
        }
    }
    if let Some(store) = store {
        for r in searcher::in_period(store, start, end)? {
            if r.kind_of_record != "mail" {
                continue;
            }
            out.push(Event {
                ts: r.date,
                kind: "mail",
                date: super::print::rfc3339(r.date),
                id: r.message_id,
                from: r.from,
                subject: r.subject,
                paths: if r.path.is_empty() {
                    Vec::new()
                } else {
                    vec![r.path]
                },
                commit: (!r.commit.is_empty()).then_some(r.commit),
            });
        }
    }
    out.sort_by_key(|e| e.ts);
    Ok(out)
}
