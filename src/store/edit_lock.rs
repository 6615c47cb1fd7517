//! Per-doc edit locks in `.git/worklog-locks/`: who edits which doc, from which host and
//! process, since when. A lock whose process is gone from this host is stale.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, IoContext, Result};

const DIR: &str = "worklog-locks";

/// What a lock file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockInfo {
    /// The doc's root-relative path.
    pub doc: String,
    pub user: String,
    pub host: String,
    pub pid: u32,
    /// RFC 3339.
    pub since: String,
    pub file: PathBuf,
}

impl LockInfo {
    /// True when the holder ran on this host and is gone. Locks from other hosts (a shared
    /// file system) cannot be judged and count as held.
    pub fn is_stale(&self) -> bool {
        self.host == this_host() && !super::process_alive(self.pid)
    }

    fn render(&self) -> String {
        format!(
            "doc={}\nuser={}\nhost={}\npid={}\nsince={}\n",
            self.doc, self.user, self.host, self.pid, self.since
        )
    }

    fn parse(file: &Path, text: &str) -> Option<LockInfo> {
        let get = |key: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(key).and_then(|r| r.strip_prefix('=')))
                .map(str::to_string)
        };
        Some(LockInfo {
            doc: get("doc")?,
            user: get("user").unwrap_or_default(),
            host: get("host").unwrap_or_default(),
            pid: get("pid")?.parse().ok()?,
            since: get("since").unwrap_or_default(),
            file: file.to_path_buf(),
        })
    }

    /// "Ann Admin on host1 (pid 4242) since 2015-02-02T10:00:00+01:00"
    pub fn holder(&self) -> String {
        format!(
            "{} on {} (pid {}) since {}",
            self.user, self.host, self.pid, self.since
        )
    }
}

fn this_host() -> String {
    gethostname::gethostname().to_string_lossy().into_owned()
}

/// The lock file of a doc: named by a hash of its path, so any path gives a flat name.
fn lock_file(git_dir: &Path, doc: &str) -> PathBuf {
    let h = crate::hash::fnv1a64(doc.as_bytes());
    git_dir.join(DIR).join(format!("{h:016x}.lock"))
}

/// A held edit lock; released when dropped.
#[derive(Debug)]
pub struct EditLock {
    info: LockInfo,
}

impl EditLock {
    /// Take the lock on `doc` for `user`. Refuses (user error naming the holder) when a
    /// live process holds it; takes over a stale one and returns what it replaced.
    pub fn acquire(
        git_dir: &Path,
        doc: &str,
        user: &str,
        since: &str,
    ) -> Result<(EditLock, Option<LockInfo>)> {
        let file = lock_file(git_dir, doc);
        let dir = file.parent().unwrap_or(git_dir).to_path_buf();
        std::fs::create_dir_all(&dir).with_path(&dir)?;
        let info = LockInfo {
            doc: doc.to_string(),
            user: user.to_string(),
            host: this_host(),
            pid: std::process::id(),
            since: since.to_string(),
            file: file.clone(),
        };
        // Write the whole record first and hard-link it into place: the link either
        // appears complete or fails because another lock is there.
        let tmp = dir.join(format!(
            ".{}.{}.tmp",
            std::process::id(),
            file.file_name().unwrap_or_default().to_string_lossy()
        ));
        {
            let mut f = std::fs::File::create(&tmp).with_path(&tmp)?;
            f.write_all(info.render().as_bytes()).with_path(&tmp)?;
        }
        let mut replaced = None;
        let result = loop {
            match std::fs::hard_link(&tmp, &file) {
                Ok(()) => break Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let Some(held) = read(&file) else {
                        // Vanished meanwhile or unreadable: try again / report.
                        if file.exists() {
                            break Err(Error::user(format!(
                                "{doc}: locked by an unreadable lock file {}",
                                file.display()
                            ))
                            .with_hint(format!(
                                "if no `worklog edit` runs, remove {}",
                                file.display()
                            )));
                        }
                        continue;
                    };
                    if !held.is_stale() {
                        break Err(Error::user(format!(
                            "{doc}: being edited by {}",
                            held.holder()
                        ))
                        .with_hint(format!(
                            "wait for that edit to end; if it is gone, remove {}",
                            file.display()
                        )));
                    }
                    // Move the stale lock aside; only one contender can win this rename.
                    let aside = dir.join(format!(".{}.stale", std::process::id()));
                    if std::fs::rename(&file, &aside).is_ok() {
                        let _ = std::fs::remove_file(&aside);
                        replaced = Some(held);
                    }
                }
                Err(e) => break Err(Error::from(e).context(file.display())),
            }
        };
        let _ = std::fs::remove_file(&tmp);
        result.map(|()| (EditLock { info }, replaced))
    }
}

impl Drop for EditLock {
    fn drop(&mut self) {
        // Only remove it while it is still ours (it may have been taken over as stale).
        if read(&self.info.file).is_some_and(|l| l.pid == self.info.pid && l.host == self.info.host)
        {
            let _ = std::fs::remove_file(&self.info.file);
        }
    }
}

fn read(file: &Path) -> Option<LockInfo> {
    let text = std::fs::read_to_string(file).ok()?;
    LockInfo::parse(file, &text)
}

/// Every edit lock in the repository, held or stale, sorted by doc.
pub fn list(git_dir: &Path) -> Vec<LockInfo> {
    let Ok(entries) = std::fs::read_dir(git_dir.join(DIR)) else {
        return Vec::new();
    };
    let mut out: Vec<LockInfo> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".lock"))
        .filter_map(|e| read(&e.path()))
        .collect();
    out.sort_by(|a, b| a.doc.cmp(&b.doc));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_holder_is_refused_and_stale_lock_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let (lock, replaced) =
            EditLock::acquire(dir.path(), "howto/x.md", "Ann", "2015-02-02T10:00:00+01:00")
                .unwrap();
        assert!(replaced.is_none());
        let err = EditLock::acquire(dir.path(), "howto/x.md", "Bob", "later").unwrap_err();
        assert!(err.message().contains("being edited by Ann on"), "{err}");
        assert_eq!(list(dir.path()).len(), 1);
        drop(lock);
        assert!(list(dir.path()).is_empty());

        // A lock left by a process that no longer exists on this host.
        let dead = LockInfo {
            doc: "howto/x.md".into(),
            user: "Gone".into(),
            host: this_host(),
            pid: i32::MAX as u32 - 1,
            since: "2015-01-01T00:00:00Z".into(),
            file: lock_file(dir.path(), "howto/x.md"),
        };
        std::fs::write(&dead.file, dead.render()).unwrap();
        assert!(list(dir.path())[0].is_stale());
        let (_lock, replaced) = EditLock::acquire(dir.path(), "howto/x.md", "Ann", "now").unwrap();
        assert_eq!(replaced.unwrap().user, "Gone");
        assert_eq!(list(dir.path())[0].user, "Ann");
    }
}
