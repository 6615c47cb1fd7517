//! The doc root's git repository: commits of named paths only, doc histories that follow
//! renames, last-change dates, and the uncommitted docs.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, TimeZone};
use git2::{
    Delta, DiffFindOptions, DiffOptions, ErrorCode, Oid, Repository, Signature, Sort, Status,
    StatusOptions,
};

use super::commit_lock::CommitLock;
use crate::doc::is_doc_path;
use crate::error::{Error, Result};

/// Who commits: git's identity unless overridden.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub name: String,
    pub email: String,
}

/// The facts about one commit that worklog shows.
#[derive(Debug, Clone)]
pub struct CommitInfo {
    pub id: Oid,
    pub time: DateTime<FixedOffset>,
    pub author: String,
    pub email: String,
    pub summary: String,
    pub message: String,
}

/// One version of a doc: the commit that made it and the blob it left (None: deleted).
#[derive(Debug, Clone)]
pub struct Version {
    pub commit: CommitInfo,
    /// The doc's path in that commit.
    pub path: String,
    pub blob: Option<Oid>,
    /// The path it had before, when this commit renamed it.
    pub renamed_from: Option<String>,
}

/// One changed file in a commit, against its first parent.
#[derive(Debug, Clone)]
pub struct Change {
    pub path: String,
    pub blob: Option<Oid>,
    pub old_path: Option<String>,
}

/// An uncommitted change to a doc in the work tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirtyDoc {
    pub path: String,
    /// `new`, `modified` or `deleted`.
    pub state: &'static str,
}

pub struct Repo {
    repo: Repository,
    root: PathBuf,
}

impl std::fmt::Debug for Repo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Repo({})", self.root.display())
    }
}

/// Convert a git time to a chrono time with its own offset.
pub fn git_time(t: git2::Time) -> DateTime<FixedOffset> {
    let offset = FixedOffset::east_opt(t.offset_minutes() * 60)
        .unwrap_or_else(|| FixedOffset::east_opt(0).unwrap());
    offset
        .timestamp_opt(t.seconds(), 0)
        .single()
        .unwrap_or_default()
}

pub fn commit_info(c: &git2::Commit<'_>) -> CommitInfo {
    let author = c.author();
    CommitInfo {
        id: c.id(),
        time: git_time(c.committer().when()),
        author: author.name().unwrap_or("").to_string(),
        email: author.email().unwrap_or("").to_string(),
        summary: c.summary().ok().flatten().unwrap_or("").to_string(),
        message: c.message().unwrap_or("").to_string(),
    }
}

impl Repo {
    /// Open the repository whose work tree is `root`.
    pub fn open(root: &Path) -> Result<Repo> {
        let repo = Repository::open(root).map_err(|e| {
            Error::user(format!(
                "{}: not a git work tree ({})",
                root.display(),
                e.message()
            ))
            .with_hint("run `worklog init` there to adopt it")
        })?;
        Ok(Repo {
            repo,
            root: root.to_path_buf(),
        })
    }

    /// Create a repository on branch `main`.
    pub fn init(root: &Path) -> Result<Repo> {
        let mut opts = git2::RepositoryInitOptions::new();
        opts.initial_head("main");
        let repo = Repository::init_opts(root, &opts)?;
        Ok(Repo {
            repo,
            root: root.to_path_buf(),
        })
    }

    pub fn git(&self) -> &Repository {
        &self.repo
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The committer: overrides first, then git's `GIT_AUTHOR_*` variables, then `user.name`/`user.email`.
    pub fn identity(
        &self,
        name: Option<&str>,
        email: Option<&str>,
        env: &crate::env::Env,
    ) -> Result<Identity> {
        let cfg = self.repo.config()?;
        let name = name
            .map(str::to_string)
            .or_else(|| env.get("GIT_AUTHOR_NAME").map(str::to_string))
            .or_else(|| cfg.get_string("user.name").ok());
        let email = email
            .map(str::to_string)
            .or_else(|| env.get("GIT_AUTHOR_EMAIL").map(str::to_string))
            .or_else(|| cfg.get_string("user.email").ok());
        match (name, email) {
            (Some(name), Some(email)) => Ok(Identity { name, email }),
            _ => Err(Error::user("who are you? git's user.name and user.email are not set")
                .with_hint("git config --global user.name \"Your Name\"; git config --global user.email you@example.org")),
        }
    }

    pub fn signature(id: &Identity, when: DateTime<FixedOffset>) -> Result<Signature<'static>> {
        let t = git2::Time::new(when.timestamp(), when.offset().local_minus_utc() / 60);
        Ok(Signature::new(&id.name, &id.email, &t)?)
    }

    pub fn head_commit(&self) -> Option<git2::Commit<'_>> {
        self.repo.head().ok()?.peel_to_commit().ok()
    }

    /// Commit exactly `paths` (root-relative) as they are in the work tree: present files are
    /// added, missing ones removed. Nothing else staged by hand is included. Waits for other
    /// worklog processes and for git's `index.lock`.
    pub fn commit_paths(&self, paths: &[&str], message: &str, sig: &Signature<'_>) -> Result<Oid> {
        let _lock = CommitLock::acquire(self.repo.path())?;
        let head = self.head_commit();
        let base = match &head {
            Some(c) => c.tree()?,
            None => {
                let empty = self.repo.treebuilder(None)?.write()?;
                self.repo.find_tree(empty)?
            }
        };
        let mut update = git2::build::TreeUpdateBuilder::new();
        for p in paths {
            let abs = self.root.join(p);
            if abs.is_file() {
                let oid = self.repo.blob_path(&abs)?;
                let mode = file_mode(&abs);
                update.upsert(*p, oid, mode);
            } else {
                update.remove(*p);
            }
        }
        let tree_id = update.create_updated(&self.repo, &base)?;
        if tree_id == base.id() && head.is_some() {
            return Err(Error::user(format!(
                "nothing to commit: {} unchanged since the last commit",
                paths.join(", ")
            )));
        }
        let tree = self.repo.find_tree(tree_id)?;
        let parents: Vec<&git2::Commit<'_>> = head.iter().collect();
        let oid = self
            .repo
            .commit(Some("HEAD"), sig, sig, message, &tree, &parents)?;
        self.sync_index(paths)?;
        Ok(oid)
    }

    /// Bring the index entries of `paths` in line with the work tree, so `git status` is clean.
    fn sync_index(&self, paths: &[&str]) -> Result<()> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let mut index = self.repo.index()?;
            index.read(true)?;
            for p in paths {
                if self.root.join(p).is_file() {
                    index.add_path(Path::new(p))?;
                } else {
                    let _ = index.remove_path(Path::new(p));
                }
            }
            match index.write() {
                Ok(()) => return Ok(()),
                Err(e) if e.code() == ErrorCode::Locked && std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(25));
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Docs with uncommitted changes (new, modified, deleted), sorted by path.
    pub fn dirty_docs(&self) -> Result<Vec<DirtyDoc>> {
        let mut opts = StatusOptions::new();
        opts.include_untracked(true)
            .recurse_untracked_dirs(true)
            .include_ignored(false);
        let statuses = self.repo.statuses(Some(&mut opts))?;
        let mut out = Vec::new();
        for s in statuses.iter() {
            let Ok(path) = s.path() else { continue };
            if !is_doc_path(path) {
                continue;
            }
            let st = s.status();
            let state = if st.intersects(Status::WT_NEW | Status::INDEX_NEW)
                && !st.contains(Status::WT_DELETED)
            {
                "new"
            } else if st.intersects(Status::WT_DELETED | Status::INDEX_DELETED) {
                "deleted"
            } else if st.intersects(
                Status::WT_MODIFIED
                    | Status::INDEX_MODIFIED
                    | Status::WT_RENAMED
                    | Status::INDEX_RENAMED
                    | Status::WT_TYPECHANGE,
            ) {
                "modified"
            } else {
                continue;
            };
            out.push(DirtyDoc {
                path: path.to_string(),
                state,
            });
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }

    /// Refuse to touch a doc whose work-tree copy holds changes worklog did not make: the
    /// error shows the diffstat and suggests `worklog commit`.
    /// Also refuses a doc whose edit lock another live process holds.
    pub fn ensure_clean(&self, path: &str) -> Result<()> {
        let me = std::process::id();
        if let Some(l) = super::edit_locks(self.repo.path())
            .into_iter()
            .find(|l| l.doc == path && l.pid != me && !l.is_stale())
        {
            return Err(
                Error::user(format!("{path}: being edited by {}", l.holder()))
                    .with_hint("let that edit finish; it commits and mails the doc itself"),
            );
        }
        // One file's status, not a walk of the whole tree.
        let dirty = match self.repo.status_file(Path::new(path)) {
            Ok(st) => !st.is_empty() && !st.contains(Status::IGNORED),
            Err(e) if e.code() == ErrorCode::NotFound => false,
            Err(e) => return Err(e.into()),
        };
        if !dirty {
            return Ok(());
        }
        let stat = self.diff_stat(path).unwrap_or_default();
        let mut err = Error::user(format!(
            "{path}: has uncommitted changes that worklog did not make"
        ));
        for l in stat.lines() {
            err = err.with_detail(format!("  {l}"));
        }
        Err(err.with_hint(format!(
            "commit them first: worklog commit {path} -m \"what you changed\""
        )))
    }

    /// `git diff --stat` of one path against HEAD, as lines.
    pub fn diff_stat(&self, path: &str) -> Result<String> {
        let head_tree = self.head_commit().map(|c| c.tree()).transpose()?;
        let mut opts = DiffOptions::new();
        opts.pathspec(path)
            .include_untracked(true)
            .recurse_untracked_dirs(true)
            .show_untracked_content(true);
        let diff = self
            .repo
            .diff_tree_to_workdir_with_index(head_tree.as_ref(), Some(&mut opts))?;
        let stats = diff.stats()?;
        let buf = stats.to_buf(git2::DiffStatsFormat::FULL, 72)?;
        Ok(buf.as_str().unwrap_or("").to_string())
    }

    /// Every version of the doc at `path`, newest first, following renames back in time
    /// (like `git log --follow`, along first parents).
    pub fn doc_history(&self, path: &str) -> Result<Vec<Version>> {
        let mut out = Vec::new();
        let Some(head) = self.head_commit() else {
            return Ok(out);
        };
        let mut walk = self.repo.revwalk()?;
        walk.push(head.id())?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME)?;
        let mut name = path.to_string();
        for oid in walk {
            let commit = self.repo.find_commit(oid?)?;
            let tree = commit.tree()?;
            let now = tree.get_path(Path::new(&name)).ok().map(|e| e.id());
            let parent_trees = commit
                .parents()
                .map(|p| p.tree())
                .collect::<Result<Vec<_>, _>>()?;
            let before: Vec<Option<Oid>> = parent_trees
                .iter()
                .map(|t| t.get_path(Path::new(&name)).ok().map(|e| e.id()))
                .collect();
            // As `git log`: a commit counts when it differs from every parent (a merge
            // that took one side's version unchanged is not a change of the doc).
            let changed = if before.is_empty() {
                now.is_some()
            } else {
                before.iter().all(|b| *b != now)
            };
            if !changed {
                continue;
            }
            let renamed_from = if now.is_some() && before.iter().all(Option::is_none) {
                self.rename_source(parent_trees.first(), &tree, &name)?
            } else {
                None
            };
            out.push(Version {
                commit: commit_info(&commit),
                path: name.clone(),
                blob: now,
                renamed_from: renamed_from.clone(),
            });
            if let Some(old) = renamed_from {
                name = old;
            }
        }
        Ok(out)
    }

    /// When `name` appears in `tree`, the path it was renamed from, if any.
    fn rename_source(
        &self,
        parent: Option<&git2::Tree<'_>>,
        tree: &git2::Tree<'_>,
        name: &str,
    ) -> Result<Option<String>> {
        let Some(parent) = parent else {
            return Ok(None);
        };
        let mut diff = self
            .repo
            .diff_tree_to_tree(Some(parent), Some(tree), None)?;
        let mut find = DiffFindOptions::new();
        find.renames(true);
        diff.find_similar(Some(&mut find))?;
        for d in diff.deltas() {
            if d.status() == Delta::Renamed
                && d.new_file().path().and_then(|p| p.to_str()) == Some(name)
            {
                return Ok(d
                    .old_file()
                    .path()
                    .and_then(|p| p.to_str())
                    .map(str::to_string));
            }
        }
        Ok(None)
    }

    /// Call `f` for every commit reachable from HEAD (newest first) with its doc changes
    /// against its first parent. Renames are detected when `renames` is set.
    pub fn for_each_change(
        &self,
        renames: bool,
        f: impl FnMut(&CommitInfo, &[Change]) -> Result<()>,
    ) -> Result<()> {
        self.for_each_change_since(renames, &[], f)
    }

    /// As [`Repo::for_each_change`], but stops at `hide` and its ancestors (e.g. a
    /// baseline), so the cost scales with the commits since then.
    pub fn for_each_change_since(
        &self,
        renames: bool,
        hide: &[Oid],
        mut f: impl FnMut(&CommitInfo, &[Change]) -> Result<()>,
    ) -> Result<()> {
        let Some(head) = self.head_commit() else {
            return Ok(());
        };
        let mut walk = self.repo.revwalk()?;
        walk.push(head.id())?;
        for h in hide {
            walk.hide(*h)?;
        }
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME)?;
        for oid in walk {
            let commit = self.repo.find_commit(oid?)?;
            let tree = commit.tree()?;
            let parent_tree = commit.parent(0).ok().map(|p| p.tree()).transpose()?;
            let mut diff = self
                .repo
                .diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), None)?;
            if renames {
                let mut find = DiffFindOptions::new();
                find.renames(true);
                diff.find_similar(Some(&mut find))?;
            }
            // For a merge, keep only changes that differ from every parent (see doc_history).
            let other_parents = commit
                .parents()
                .skip(1)
                .map(|p| p.tree())
                .collect::<Result<Vec<_>, _>>()?;
            let same_as_other_parent = |path: &str, blob: Option<Oid>| {
                other_parents
                    .iter()
                    .any(|t| t.get_path(Path::new(path)).ok().map(|e| e.id()) == blob)
            };
            let mut changes = Vec::new();
            for d in diff.deltas() {
                let new_path = d.new_file().path().and_then(|p| p.to_str()).unwrap_or("");
                let old_path = d.old_file().path().and_then(|p| p.to_str()).unwrap_or("");
                match d.status() {
                    _ if same_as_other_parent(
                        if d.status() == Delta::Deleted {
                            old_path
                        } else {
                            new_path
                        },
                        (d.status() != Delta::Deleted).then(|| d.new_file().id()),
                    ) => {}
                    Delta::Deleted if is_doc_path(old_path) => changes.push(Change {
                        path: old_path.to_string(),
                        blob: None,
                        old_path: None,
                    }),
                    Delta::Added
                    | Delta::Modified
                    | Delta::Renamed
                    | Delta::Copied
                    | Delta::Typechange
                        if is_doc_path(new_path) =>
                    {
                        changes.push(Change {
                            path: new_path.to_string(),
                            blob: Some(d.new_file().id()),
                            old_path: (d.status() == Delta::Renamed).then(|| old_path.to_string()),
                        })
                    }
                    _ => {}
                }
            }
            if !changes.is_empty() {
                f(&commit_info(&commit), &changes)?;
            }
        }
        Ok(())
    }

    /// The newest commit that touched each doc path (first-parent history).
    pub fn last_changes(&self) -> Result<HashMap<String, CommitInfo>> {
        let mut out: HashMap<String, CommitInfo> = HashMap::new();
        self.for_each_change(false, |c, changes| {
            for ch in changes {
                out.entry(ch.path.clone()).or_insert_with(|| c.clone());
            }
            Ok(())
        })?;
        Ok(out)
    }

    pub fn blob(&self, id: Oid) -> Result<Vec<u8>> {
        Ok(self.repo.find_blob(id)?.content().to_vec())
    }

    /// Resolve a revision (hash, branch, `HEAD~3`) to a commit.
    pub fn commit_for_rev(&self, rev: &str) -> Result<git2::Commit<'_>> {
        let obj = self
            .repo
            .revparse_single(rev)
            .map_err(|_| Error::user(format!("{rev}: not a date or revision that git knows")))?;
        obj.peel_to_commit()
            .map_err(|_| Error::user(format!("{rev}: does not name a commit")))
    }

    pub fn find_commit(&self, id: Oid) -> Result<CommitInfo> {
        Ok(commit_info(&self.repo.find_commit(id)?))
    }
}

#[cfg(unix)]
fn file_mode(p: &Path) -> git2::FileMode {
    use std::os::unix::fs::PermissionsExt;
    match std::fs::metadata(p) {
        Ok(m) if m.permissions().mode() & 0o111 != 0 => git2::FileMode::BlobExecutable,
        _ => git2::FileMode::Blob,
    }
}

#[cfg(not(unix))]
fn file_mode(_: &Path) -> git2::FileMode {
    git2::FileMode::Blob
}
