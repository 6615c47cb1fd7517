//! What has been indexed: the git heads whose history is in, the doc versions, the work
//! tree files as last seen, and per archive source how far it was read. Written
//! atomically after each tantivy commit; anything newer than it is redone on the next run.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Result;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    pub schema: u32,
    /// Commits whose whole history is indexed.
    pub heads: Vec<String>,
    /// `blob:path` of every indexed doc version.
    pub versions: BTreeSet<String>,
    /// Work tree docs by path.
    pub tree: BTreeMap<String, TreeEntry>,
    /// Archive sources by path.
    pub sources: BTreeMap<String, SourceState>,
    /// Doc renames seen in history, so a doc's versions from before a rename (e.g. a
    /// checklist before `archive` moved it) are one result with its later ones.
    #[serde(default)]
    pub renames: Vec<Rename>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rename {
    pub from: String,
    pub to: String,
    /// Commit time (Unix seconds).
    pub time: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TreeEntry {
    pub mtime_ns: i128,
    pub size: u64,
    pub blob: String,
    /// True when the file differs from every committed version, so it has a record of its own.
    pub dirty: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SourceState {
    pub kind: String,
    /// mbox: bytes read; gzip'd mbox: the file's size.
    pub size: u64,
    pub mtime_ns: i128,
    /// Hashes of the first KiB and of the KiB before `size`: a changed one means rewritten.
    pub head: u64,
    pub tail: u64,
    /// Maildir: the directories' mtimes, for a cheap "nothing new" check.
    pub dir_mtimes: Vec<i128>,
}

fn path(dir: &Path) -> PathBuf {
    dir.join("state.json")
}

impl State {
    /// The state, or None when there is none (or it cannot be read: the index is rebuilt).
    pub fn load(dir: &Path) -> Option<State> {
        let bytes = std::fs::read(path(dir)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    pub fn save(&self, dir: &Path) -> Result<()> {
        write_atomic(&path(dir), &serde_json::to_vec(self)?)
    }
}

/// Write to a temp file in the same directory, fsync, rename: a crash leaves old or new.
pub fn write_atomic(p: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let dir = p.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .map_err(|e| crate::error::Error::from(e).context(dir.display()))?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(p)
        .map_err(|e| crate::error::Error::from(e.error).context(p.display()))?;
    Ok(())
}

/// The names already read from one Maildir, kept beside the state (it can be large and
/// only `worklog index` needs it).
pub fn seen_path(dir: &Path, source_id: &str) -> PathBuf {
    dir.join(format!("maildir-{source_id}.seen"))
}

pub fn load_seen(dir: &Path, source_id: &str) -> BTreeSet<String> {
    std::fs::read_to_string(seen_path(dir, source_id))
        .map(|s| s.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

pub fn save_seen(dir: &Path, source_id: &str, seen: &BTreeSet<String>) -> Result<()> {
    let mut s = String::with_capacity(seen.len() * 40);
    for n in seen {
        s.push_str(n);
        s.push('\n');
    }
    write_atomic(&seen_path(dir, source_id), s.as_bytes())
}
