//! Which doc versions still wait to be mailed.
//!
//! Pending = every doc change of a commit newer than the newest commit carrying the trailer
//! `Worklog-Init: baseline` (that commit and its ancestors are history; without one, all
//! commits count), except commits with a `Worklog-Import:` trailer (imported history), and
//! only for paths that the commit's note does not record as mailed (or as deliberately not
//! mailed: `--no-mail`). A commit that deletes
//! a doc is pending too: its mail says the doc was removed.

use std::collections::{HashMap, HashSet};

use git2::{Oid, Sort};

use super::notes::{self, Mailed};
use crate::error::Result;
use crate::store::{CommitInfo, Repo};

/// One unmailed doc version.
#[derive(Debug, Clone)]
pub struct Pending {
    pub commit: CommitInfo,
    pub path: String,
    /// The doc's blob at that commit; `None` when the commit deleted it.
    pub blob: Option<Oid>,
}

/// The mail state of the repository: what is history, what was mailed.
pub struct MailState {
    /// Commits that count for mailing (newer than the baseline, not imported); `None`: all.
    counted: Option<HashSet<Oid>>,
    /// The newest `Worklog-Init: baseline` commit: it and its ancestors are history.
    baseline: Option<Oid>,
    notes: HashMap<Oid, Vec<Mailed>>,
}

/// True when `message` has the trailer `key: value` (value compared when given).
pub fn has_trailer(message: &str, key: &str, value: Option<&str>) -> bool {
    let Ok(trailers) = git2::message_trailers_strs(message) else {
        return false;
    };
    trailers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case(key) && value.is_none_or(|want| v.trim() == want))
}

impl MailState {
    pub fn load(repo: &Repo) -> Result<MailState> {
        let baseline = baseline(repo)?;
        Ok(MailState {
            counted: baseline.map(|b| counted_commits(repo, b)).transpose()?,
            baseline,
            notes: notes::all(repo)?,
        })
    }

    /// Whether changes made by `commit` are to be mailed at all.
    pub fn counts(&self, commit: &CommitInfo) -> bool {
        let newer = self
            .counted
            .as_ref()
            .is_none_or(|set| set.contains(&commit.id));
        newer && !has_trailer(&commit.message, "Worklog-Import", None)
    }

    /// The record of the mail for `path` of `commit`, if one went out.
    pub fn mailed(&self, commit: Oid, path: &str) -> Option<&Mailed> {
        self.notes.get(&commit)?.iter().find(|m| m.path == path)
    }

    /// Every unmailed doc version, oldest first.
    pub fn pending(&self, repo: &Repo) -> Result<Vec<Pending>> {
        let mut out = Vec::new();
        repo.for_each_change_since(true, self.baseline.as_slice(), |c, changes| {
            if !self.counts(c) {
                return Ok(());
            }
            let mut here: Vec<Pending> = changes
                .iter()
                .filter(|ch| self.mailed(c.id, &ch.path).is_none())
                .map(|ch| Pending {
                    commit: c.clone(),
                    path: ch.path.clone(),
                    blob: ch.blob,
                })
                .collect();
            // Reversed below with everything else: keep paths ascending in the end.
            here.sort_by(|a, b| b.path.cmp(&a.path));
            out.extend(here);
            Ok(())
        })?;
        out.reverse();
        Ok(out)
    }
}

/// The newest commit carrying `Worklog-Init: baseline`, if any.
fn baseline(repo: &Repo) -> Result<Option<Oid>> {
    let Some(head) = repo.head_commit() else {
        return Ok(None);
    };
    let git = repo.git();
    let mut walk = git.revwalk()?;
    walk.push(head.id())?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME)?;
    for oid in walk {
        let oid = oid?;
        if has_trailer(
            git.find_commit(oid)?.message().unwrap_or(""),
            "Worklog-Init",
            Some("baseline"),
        ) {
            return Ok(Some(oid));
        }
    }
    Ok(None)
}

/// Commits newer than the baseline.
fn counted_commits(repo: &Repo, baseline: Oid) -> Result<HashSet<Oid>> {
    let mut walk = repo.git().revwalk()?;
    if let Some(head) = repo.head_commit() {
        walk.push(head.id())?;
    }
    walk.hide(baseline)?;
    walk.map(|oid| oid.map_err(Into::into)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailers_are_found_only_in_the_trailer_block() {
        assert!(has_trailer(
            "worklog init\n\nWorklog-Init: baseline\n",
            "Worklog-Init",
            Some("baseline")
        ));
        assert!(!has_trailer(
            "Worklog-Init: baseline\n\nbody text\n",
            "Worklog-Init",
            Some("baseline")
        ));
        assert!(has_trailer(
            "import\n\nWorklog-Import: rcs foo,v 1.2\n",
            "Worklog-Import",
            None
        ));
        assert!(!has_trailer("plain message\n", "Worklog-Import", None));
    }
}
