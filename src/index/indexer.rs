//! Filling the index: doc versions from git (new commits only), the work tree's docs
//! (changed files only), and the archives (new Maildir files, appended mbox bytes, a
//! rewritten mbox again). Mail is parsed on worker threads; one tantivy commit per run,
//! then the state file, so a killed run leaves the last good index and a rerun redoes
//! the rest (every add is preceded by a delete of its key).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, sync_channel};
use std::time::Instant;

use git2::{Delta, ObjectType, Oid, Sort};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use tantivy::{IndexWriter, TantivyDocument, Term};

use super::bodies::BodyWriter;
use super::schema::{Fields, SCHEMA_VERSION};
use super::state::{self, SourceState, State, TreeEntry};
use super::{Store, ierr};
use crate::archive::{self, Mail, SourceKind, mbox};
use crate::config::Config;
use crate::doc::{self, Document, is_doc_path};
use crate::error::Result;
use crate::store::{Repo, git_time};

/// What a run did, for the one-line summary and `--json`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub added: usize,
    pub updated: usize,
    pub removed: usize,
    pub docs: usize,
    pub versions: usize,
    pub mails: usize,
    /// Reasons and counts of things not indexed (duplicates, broken messages, ...).
    pub skipped: BTreeMap<String, usize>,
    /// Reasons and counts of things indexed best-effort (bad dates, bad encodings, ...).
    pub problems: BTreeMap<String, usize>,
    pub rebuilt: bool,
    pub seconds: f64,
}

impl Summary {
    fn skip(&mut self, why: &str, n: usize) {
        if n > 0 {
            *self.skipped.entry(why.to_string()).or_default() += n;
        }
    }
    fn problem(&mut self, why: &str, n: usize) {
        if n > 0 {
            *self.problems.entry(why.to_string()).or_default() += n;
        }
    }
    fn merge(&mut self, o: Summary) {
        self.added += o.added;
        self.updated += o.updated;
        self.mails += o.mails;
        for (k, v) in o.skipped {
            self.skip(&k, v);
        }
        for (k, v) in o.problems {
            self.problem(&k, v);
        }
    }

    /// `indexed 3 docs, 12 doc versions, 19486 mails: 19501 added, 0 updated; skipped: ...`
    pub fn line(&self) -> String {
        let mut s = format!(
            "index: {} added, {} updated, {} removed ({} work tree docs, {} doc versions, {} mails) in {:.1}s",
            self.added,
            self.updated,
            self.removed,
            self.docs,
            self.versions,
            self.mails,
            self.seconds
        );
        let list = |m: &BTreeMap<String, usize>| {
            m.iter()
                .map(|(k, v)| format!("{v} {k}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !self.skipped.is_empty() {
            s.push_str(&format!("; skipped: {}", list(&self.skipped)));
        }
        if !self.problems.is_empty() {
            s.push_str(&format!("; indexed despite: {}", list(&self.problems)));
        }
        s
    }
}

/// How to run.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub rebuild: bool,
    /// Read the archive sources too (a freshness check before a search does not).
    pub archives: bool,
    /// Read only the built-in local Maildir (the freshness check, when it got new mail).
    pub local_maildir: bool,
    pub progress: bool,
}

/// The mtimes of a Maildir's `cur/` and `new/`: they change when a message arrives.
fn maildir_mtimes(dir: &Path) -> Vec<i128> {
    ["cur", "new"]
        .iter()
        .map(|d| {
            std::fs::metadata(dir.join(d))
                .map(|m| mtime_ns(&m))
                .unwrap_or(0)
        })
        .collect()
}

fn mtime_ns(m: &std::fs::Metadata) -> i128 {
    m.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as i128)
        .unwrap_or(0)
}

fn source_id(p: &Path) -> String {
    format!(
        "{:016x}",
        crate::hash::fnv1a64(p.as_os_str().as_encoded_bytes())
    )
}

/// The cheap check before a search: has HEAD moved or a work tree doc changed since the
/// last run (`st`, as the open store read it)? Then index just that. Archives are not
/// looked at (that is `worklog index`).
pub fn refresh(cfg: &Config, repo: &Repo, st: &State) -> Result<Option<Summary>> {
    let head = repo.head_commit().map(|c| c.id().to_string());
    let mut changed = head
        .as_ref()
        .map(|h| !st.heads.contains(h))
        .unwrap_or(!st.heads.is_empty());
    if !changed {
        let docs = doc::list_docs(&cfg.root);
        changed = docs.len() != st.tree.len()
            || docs.iter().any(|p| {
                let Some(e) = st.tree.get(p) else { return true };
                match std::fs::metadata(cfg.root.join(p)) {
                    Ok(m) => mtime_ns(&m) != e.mtime_ns || m.len() != e.size,
                    Err(_) => true,
                }
            });
    }
    // New mail in the built-in local archive (the default transport delivers there).
    let local = &cfg.default_maildir;
    let local_new = local.is_dir()
        && st
            .sources
            .get(&local.display().to_string())
            .is_none_or(|s| s.dir_mtimes != maildir_mtimes(local));
    if !changed && !local_new {
        return Ok(None);
    }
    let opts = Options {
        local_maildir: local_new,
        ..Options::default()
    };
    match run(cfg, repo, opts) {
        Ok(s) => Ok(Some(s)),
        // Another process is writing the index: search what is there.
        Err(e) if e.message().contains(BUSY) => Ok(None),
        Err(e) => Err(e),
    }
}

const BUSY: &str = "is being updated by another worklog process";

/// One indexing run at a time per index: a lock file beside the index directory (which a
/// rebuild deletes), released by the OS when the process ends, even by kill -9.
fn lock(dir: &Path) -> Result<std::fs::File> {
    let name = format!(
        "{}.lock",
        dir.file_name().and_then(|n| n.to_str()).unwrap_or("index")
    );
    let p = dir.with_file_name(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| crate::error::Error::from(e).context(parent.display()))?;
    }
    let f = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&p)
        .map_err(|e| crate::error::Error::from(e).context(p.display()))?;
    match f.try_lock() {
        Ok(()) => Ok(f),
        Err(std::fs::TryLockError::WouldBlock) => Err(crate::error::Error::user(format!(
            "{}: the search index {BUSY}",
            dir.display()
        ))
        .with_hint("wait for the other `worklog index` to finish")),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(crate::error::Error::from(e).context(p.display()))
        }
    }
}

/// Index what is new (everything with `rebuild` or when there is no usable index).
pub fn run(cfg: &Config, repo: &Repo, opts: Options) -> Result<Summary> {
    let started = Instant::now();
    let dir = &cfg.index_dir;
    let _lock = lock(dir)?;
    let existing = if opts.rebuild {
        None
    } else {
        Store::open(dir)?
    };
    let (store, mut st, fresh) = match existing {
        Some(s) => {
            let st = State::load(dir).unwrap_or_default();
            (s, st, false)
        }
        None => (
            Store::create(dir)?,
            State {
                schema: SCHEMA_VERSION,
                ..State::default()
            },
            true,
        ),
    };
    let mut sum = Summary {
        rebuilt: fresh,
        ..Summary::default()
    };
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(1, 4);
    let (nthreads, heap) = if opts.archives {
        (threads, 100_000_000)
    } else {
        (1, 15_000_000)
    };
    let writer: IndexWriter<TantivyDocument> = store
        .index
        .writer_with_num_threads(nthreads, heap)
        .map_err(|e| ierr(dir, e))?;
    let bodies = BodyWriter::open(dir)?;
    let w = Writer {
        writer: &writer,
        bodies: &bodies,
        f: &store.fields,
        fresh,
    };

    index_history(repo, &w, &mut st, &mut sum)?;
    index_tree(&cfg.root, &w, &mut st, &mut sum)?;
    let mut seen_updates = Vec::new();
    let sources: Vec<&PathBuf> = if opts.archives {
        cfg.archive_sources.iter().collect()
    } else if opts.local_maildir {
        vec![&cfg.default_maildir]
    } else {
        Vec::new()
    };
    if !sources.is_empty() {
        let progress = if opts.progress {
            ProgressBar::new(0)
        } else {
            ProgressBar::hidden()
        };
        let ids = Mutex::new(HashSet::new());
        for src in sources {
            let s = index_source(dir, src, &w, &mut st, &ids, &progress)?;
            if let Some(seen) = s.1 {
                seen_updates.push(seen);
            }
            sum.merge(s.0);
        }
        progress.finish_and_clear();
    }
    bodies.flush()?;
    let mut writer = writer;
    writer.commit().map_err(|e| ierr(dir, e))?;
    if opts.archives {
        // Fewer segments make every later search faster; it runs once per full index.
        let ids = store
            .index
            .searchable_segment_ids()
            .map_err(|e| ierr(dir, e))?;
        if ids.len() > 1 {
            let _ = writer.merge(&ids).wait();
        }
    }
    let _ = writer.wait_merging_threads();
    st.heads = repo
        .head_commit()
        .map(|c| vec![c.id().to_string()])
        .unwrap_or_default();
    for (id, seen) in seen_updates {
        state::save_seen(dir, &id, &seen)?;
    }
    st.save(dir)?;
    sum.docs = st.tree.len();
    sum.versions = st.versions.len();
    sum.seconds = started.elapsed().as_secs_f64();
    Ok(sum)
}

/// The writer and whether the index started empty (then no deletes are needed).
struct Writer<'a> {
    writer: &'a IndexWriter<TantivyDocument>,
    bodies: &'a BodyWriter,
    f: &'a Fields,
    fresh: bool,
}

impl Writer<'_> {
    fn delete_key(&self, key: &str) {
        if !self.fresh {
            self.writer
                .delete_term(Term::from_field_text(self.f.key, key));
        }
    }
    /// Replace the record `key` with `doc`, whose text goes to the body store.
    fn put(&self, key: &str, mut doc: TantivyDocument, text: &str) -> Result<()> {
        let mut head = super::searcher::read_record(self.f, &doc);
        head.body = (0, text.len() as u64);
        let (entry_at, text_at) = self.bodies.append(&head.header(), text)?;
        doc.add_u64(self.f.body_at, text_at);
        doc.add_u64(self.f.body_len, text.len() as u64);
        doc.add_u64(self.f.entry_at, entry_at);
        self.delete_key(key);
        self.writer
            .add_document(doc)
            .map_err(|e| crate::error::Error::failed(format!("search index: {e}")))?;
        Ok(())
    }
}

#[allow(clippy::too_many_arguments)]
/// A record for one doc text (a version or the work tree file). A doc whose front matter
/// does not parse is still indexed, with its file name as title.
fn doc_record(
    f: &Fields,
    key: &str,
    path: &str,
    bytes: &[u8],
    date: i64,
    commit: Option<&str>,
    author: &str,
    sum: &mut Summary,
) -> TantivyDocument {
    let mut d = TantivyDocument::default();
    let text = String::from_utf8_lossy(bytes);
    match Document::parse_str(path, text.to_string()) {
        Ok(parsed) => {
            d.add_text(f.title, &parsed.title);
            for t in &parsed.front.tags {
                d.add_text(f.tags, t.to_lowercase());
            }
            for s in &parsed.front.systems {
                d.add_text(f.systems, s.to_lowercase());
            }
        }
        Err(_) => {
            sum.problem("docs with unreadable front matter", 1);
            d.add_text(f.title, doc::file_stem(path));
        }
    }
    d.add_text(f.key, key);
    d.add_text(f.kind_of_record, "doc");
    d.add_u64(f.group, super::searcher::group_of_doc(path));
    d.add_u64(f.linked, 0);
    d.add_text(f.path, path);
    d.add_text(f.text, &text);
    if let Some(k) = doc::kind_of(path) {
        d.add_text(f.kind, doc::normalize_kind(k));
    }
    if !author.is_empty() {
        d.add_text(f.from, author);
    }
    d.add_i64(f.date, date);
    if let Some(c) = commit {
        d.add_text(f.commit, c);
    }
    d
}

/// Every doc version of every commit not yet indexed, oldest first, one record per
/// (path, blob): the commit that first had it gives its date.
/// Rename detection only where a commit both removes and adds a doc (cheap elsewhere).
fn record_renames(diff: &mut git2::Diff<'_>, date: i64, st: &mut State) -> Result<()> {
    let doc_delta = |d: &git2::DiffDelta<'_>, status: Delta| {
        let f = if status == Delta::Deleted {
            d.old_file()
        } else {
            d.new_file()
        };
        d.status() == status && f.path().and_then(|p| p.to_str()).is_some_and(is_doc_path)
    };
    let deltas: Vec<_> = diff.deltas().collect();
    if !(deltas.iter().any(|d| doc_delta(d, Delta::Deleted))
        && deltas.iter().any(|d| doc_delta(d, Delta::Added)))
    {
        return Ok(());
    }
    let mut find = git2::DiffFindOptions::new();
    find.renames(true);
    diff.find_similar(Some(&mut find))?;
    for d in diff.deltas().filter(|d| d.status() == Delta::Renamed) {
        let (Some(from), Some(to)) = (
            d.old_file().path().and_then(|p| p.to_str()),
            d.new_file().path().and_then(|p| p.to_str()),
        ) else {
            continue;
        };
        let r = super::state::Rename {
            from: from.to_string(),
            to: to.to_string(),
            time: date,
        };
        if is_doc_path(to) && !st.renames.contains(&r) {
            st.renames.push(r);
        }
    }
    Ok(())
}

fn index_history(repo: &Repo, w: &Writer<'_>, st: &mut State, sum: &mut Summary) -> Result<()> {
    let git = repo.git();
    let Some(head) = repo.head_commit() else {
        return Ok(());
    };
    if st.heads.contains(&head.id().to_string()) {
        return Ok(());
    }
    let mut walk = git.revwalk()?;
    walk.push(head.id())?;
    for h in &st.heads {
        if let Ok(oid) = Oid::from_str(h)
            && git.find_commit(oid).is_ok()
        {
            let _ = walk.hide(oid);
        }
    }
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
    for oid in walk {
        let commit = git.find_commit(oid?)?;
        let tree = commit.tree()?;
        let parent_tree = commit.parent(0).ok().map(|p| p.tree()).transpose()?;
        let mut diff = git.diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), None)?;
        let date = git_time(commit.committer().when()).timestamp();
        record_renames(&mut diff, date, st)?;
        let author = commit.author();
        let author = format!(
            "{} <{}>",
            author.name().unwrap_or(""),
            author.email().unwrap_or("")
        );
        let cid = commit.id().to_string();
        for d in diff.deltas() {
            if matches!(
                d.status(),
                Delta::Deleted | Delta::Unmodified | Delta::Ignored | Delta::Untracked
            ) {
                continue;
            }
            let Some(path) = d.new_file().path().and_then(|p| p.to_str()) else {
                continue;
            };
            if !is_doc_path(path) {
                continue;
            }
            let blob = d.new_file().id();
            let vkey = format!("{blob}:{path}");
            if st.versions.contains(&vkey) {
                continue;
            }
            let Ok(b) = git.find_blob(blob) else {
                sum.skip("doc versions whose blob is missing", 1);
                continue;
            };
            let key = format!("v:{vkey}");
            let rec = doc_record(w.f, &key, path, b.content(), date, Some(&cid), &author, sum);
            w.put(&key, rec, &String::from_utf8_lossy(b.content()))?;
            st.versions.insert(vkey);
            sum.added += 1;
        }
    }
    Ok(())
}

/// The work tree's docs: a file equal to a committed version is that version; one that
/// differs (uncommitted edits) gets a record of its own, dated by its mtime.
fn index_tree(root: &Path, w: &Writer<'_>, st: &mut State, sum: &mut Summary) -> Result<()> {
    let docs = doc::list_docs(root);
    let present: BTreeSet<&str> = docs.iter().map(String::as_str).collect();
    let gone: Vec<String> = st
        .tree
        .keys()
        .filter(|p| !present.contains(p.as_str()))
        .cloned()
        .collect();
    for p in gone {
        if st.tree.remove(&p).is_some_and(|e| e.dirty) {
            w.delete_key(&format!("w:{p}"));
            sum.removed += 1;
        }
    }
    for p in &docs {
        let abs = root.join(p);
        let Ok(meta) = std::fs::metadata(&abs) else {
            continue;
        };
        let (mt, size) = (mtime_ns(&meta), meta.len());
        let prev = st.tree.get(p).cloned();
        if let Some(e) = &prev
            && e.mtime_ns == mt
            && e.size == size
        {
            // Unchanged file; but a commit may have made its uncommitted text a version.
            if e.dirty && st.versions.contains(&format!("{}:{p}", e.blob)) {
                w.delete_key(&format!("w:{p}"));
                sum.removed += 1;
                if let Some(e) = st.tree.get_mut(p) {
                    e.dirty = false;
                }
            }
            continue;
        }
        let Ok(bytes) = std::fs::read(&abs) else {
            sum.skip("unreadable docs", 1);
            continue;
        };
        let blob = Oid::hash_object(ObjectType::Blob, &bytes)?.to_string();
        let committed = st.versions.contains(&format!("{blob}:{p}"));
        let was_dirty = prev.as_ref().is_some_and(|e| e.dirty);
        let key = format!("w:{p}");
        if committed {
            if was_dirty {
                w.delete_key(&key);
                sum.removed += 1;
            }
        } else {
            let date = (mt / 1_000_000_000) as i64;
            let rec = doc_record(w.f, &key, p, &bytes, date, None, "", sum);
            w.put(&key, rec, &String::from_utf8_lossy(&bytes))?;
            if was_dirty {
                sum.updated += 1
            } else {
                sum.added += 1
            }
        }
        st.tree.insert(
            p.clone(),
            TreeEntry {
                mtime_ns: mt,
                size,
                blob,
                dirty: !committed,
            },
        );
    }
    Ok(())
}

/// One raw message waiting to be parsed, with a date to fall back on.
struct Raw {
    bytes: Vec<u8>,
    fallback_date: Option<i64>,
}

type Seen = (String, BTreeSet<String>);

/// Read one archive source: returns the summary and, for a Maildir, its updated name set.
fn index_source(
    dir: &Path,
    src: &Path,
    w: &Writer<'_>,
    st: &mut State,
    ids: &Mutex<HashSet<String>>,
    progress: &ProgressBar,
) -> Result<(Summary, Option<Seen>)> {
    let mut sum = Summary::default();
    let key = src.display().to_string();
    let sid = source_id(src);
    let kind = archive::kind_of(src);
    let prev = st.sources.get(&key).cloned();
    match kind {
        SourceKind::Missing => Ok((sum, None)),
        SourceKind::Maildir => {
            let mut seen = if w.fresh {
                BTreeSet::new()
            } else {
                state::load_seen(dir, &sid)
            };
            // Taken before listing: a message arriving meanwhile makes the next check look.
            let dir_mtimes = maildir_mtimes(src);
            let entries: Vec<_> = archive::maildir::list(src)
                .into_iter()
                .filter(|e| !seen.contains(&e.name))
                .collect();
            if entries.is_empty() {
                if let Some(s) = st.sources.get_mut(&key) {
                    s.dir_mtimes = dir_mtimes;
                }
                return Ok((sum, None));
            }
            progress.set_message(key.clone());
            // Each source has its own bar: files here, bytes for an mbox.
            progress.set_style(
                ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} {elapsed}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            progress.set_position(0);
            progress.set_length(entries.len() as u64);
            let names: Vec<String> = entries.iter().map(|e| e.name.clone()).collect();
            let paths: Vec<PathBuf> = entries.into_iter().map(|e| e.path).collect();
            let s = pipeline(w, &sid, ids, progress, |tx| {
                let mut batch = Vec::with_capacity(64);
                let mut bytes = 0usize;
                for p in &paths {
                    let Ok(data) = std::fs::read(p) else { continue };
                    let fallback = std::fs::metadata(p)
                        .ok()
                        .map(|m| (mtime_ns(&m) / 1_000_000_000) as i64);
                    bytes += data.len();
                    batch.push(Raw {
                        bytes: data,
                        fallback_date: fallback,
                    });
                    if batch.len() >= 64 || bytes > 1 << 20 {
                        let n = batch.len() as u64;
                        if tx(std::mem::take(&mut batch), n).is_err() {
                            return;
                        }
                        bytes = 0;
                    }
                }
                let n = batch.len() as u64;
                let _ = tx(batch, n);
            })?;
            sum.merge(s);
            seen.extend(names);
            st.sources.insert(
                key,
                SourceState {
                    kind: kind.name().into(),
                    dir_mtimes,
                    ..SourceState::default()
                },
            );
            Ok((sum, Some((sid, seen))))
        }
        SourceKind::Mbox | SourceKind::MboxGz => {
            let meta = std::fs::metadata(src)
                .map_err(|e| crate::error::Error::from(e).context(src.display()))?;
            let size = meta.len();
            let mt = mtime_ns(&meta);
            let gz = kind == SourceKind::MboxGz;
            let mut start = 0u64;
            if let Some(p) = &prev {
                let same_start = p.kind == kind.name()
                    && p.size <= size
                    && fingerprint(src, 0, p.size.min(1024))? == p.head;
                if gz {
                    if same_start && p.size == size && p.mtime_ns == mt {
                        return Ok((sum, None));
                    }
                } else if same_start
                    && fingerprint(src, p.size.saturating_sub(1024), p.size)? == p.tail
                {
                    start = p.size;
                }
                if start == 0 && !w.fresh {
                    // Rewritten (or shrunk): what it held before goes, what it holds now comes.
                    w.writer
                        .delete_term(Term::from_field_text(w.f.source, &sid));
                    sum.updated += 1;
                }
            }
            if start == size && !gz {
                return Ok((sum, None));
            }
            progress.set_message(key.clone());
            progress.set_style(
                ProgressStyle::with_template(
                    "{spinner} {msg} [{bar:30}] {bytes}/{total_bytes} {elapsed}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            progress.set_position(0);
            progress.set_length(if gz { 0 } else { size - start });
            let mut consumed = 0u64;
            let s = {
                let consumed = &mut consumed;
                pipeline(w, &sid, ids, progress, |tx| {
                    let Ok(mut file) = std::fs::File::open(src) else {
                        return;
                    };
                    if start > 0 && file.seek(SeekFrom::Start(start)).is_err() {
                        return;
                    }
                    let input: Box<dyn Read> = if gz {
                        Box::new(flate2::read::MultiGzDecoder::new(file))
                    } else {
                        Box::new(file)
                    };
                    let mut batch = Vec::with_capacity(64);
                    let mut bytes = 0usize;
                    let mut stop = false;
                    let r = mbox::read_messages(BufReader::with_capacity(1 << 20, input), |m| {
                        bytes += m.bytes.len() + m.from_line.len() + 1;
                        batch.push(Raw {
                            fallback_date: mbox::from_line_date(&m.from_line),
                            bytes: m.bytes,
                        });
                        if batch.len() >= 128 || bytes > 1 << 20 {
                            let n = if gz { 0 } else { bytes as u64 };
                            if tx(std::mem::take(&mut batch), n).is_err() {
                                stop = true;
                                return false;
                            }
                            bytes = 0;
                        }
                        true
                    });
                    let n = if gz { 0 } else { bytes as u64 };
                    let _ = tx(batch, n);
                    if let Ok(c) = r {
                        *consumed = c;
                    }
                    let _ = stop;
                })?
            };
            sum.merge(s);
            let end = if gz { size } else { start + consumed };
            st.sources.insert(
                key,
                SourceState {
                    kind: kind.name().into(),
                    size: end,
                    mtime_ns: mt,
                    head: fingerprint(src, 0, end.min(size).min(1024))?,
                    tail: if gz {
                        0
                    } else {
                        fingerprint(src, end.saturating_sub(1024), end)?
                    },
                    dir_mtimes: Vec::new(),
                },
            );
            Ok((sum, None))
        }
    }
}

/// A hash of bytes `[from, to)` of a file.
fn fingerprint(p: &Path, from: u64, to: u64) -> Result<u64> {
    let mut f =
        std::fs::File::open(p).map_err(|e| crate::error::Error::from(e).context(p.display()))?;
    f.seek(SeekFrom::Start(from))?;
    let mut buf = vec![0u8; (to - from) as usize];
    f.read_exact(&mut buf)?;
    Ok(crate::hash::fnv1a64(&buf))
}

type Batch = Vec<Raw>;

/// Run `produce` (which sends batches of raw messages) on this thread while worker
/// threads parse them and hand records to the writer.
fn pipeline(
    w: &Writer<'_>,
    sid: &str,
    ids: &Mutex<HashSet<String>>,
    progress: &ProgressBar,
    produce: impl FnOnce(&dyn Fn(Batch, u64) -> std::result::Result<(), ()>),
) -> Result<Summary> {
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(1, 4);
    let (tx, rx) = sync_channel::<Batch>(workers * 2);
    let rx = Mutex::new(rx);
    let total = Mutex::new(Summary::default());
    let failure: Mutex<Option<crate::error::Error>> = Mutex::new(None);
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                let mut local = Summary::default();
                loop {
                    let batch = {
                        let rx: std::sync::MutexGuard<'_, Receiver<Batch>> = match rx.lock() {
                            Ok(g) => g,
                            Err(_) => break,
                        };
                        match rx.recv() {
                            Ok(b) => b,
                            Err(_) => break,
                        }
                    };
                    for raw in batch {
                        if let Err(e) = index_mail(w, sid, ids, &raw, &mut local) {
                            if let Ok(mut f) = failure.lock() {
                                f.get_or_insert(e);
                            }
                            return;
                        }
                    }
                }
                if let Ok(mut t) = total.lock() {
                    t.merge(local);
                }
            });
        }
        let send = |b: Batch, n: u64| {
            progress.inc(n);
            tx.send(b).map_err(|_| ())
        };
        produce(&send);
        drop(tx);
    });
    if let Some(e) = failure.into_inner().ok().flatten() {
        return Err(e);
    }
    Ok(total.into_inner().unwrap_or_default())
}

fn index_mail(
    w: &Writer<'_>,
    sid: &str,
    ids: &Mutex<HashSet<String>>,
    raw: &Raw,
    sum: &mut Summary,
) -> Result<()> {
    let Some(m) = archive::parse_mail(&raw.bytes, raw.fallback_date) else {
        sum.skip("broken messages", 1);
        return Ok(());
    };
    for p in &m.problems {
        sum.problem(p, 1);
    }
    {
        let Ok(mut set) = ids.lock() else {
            return Ok(());
        };
        if !set.insert(m.message_id.clone()) {
            sum.skip("duplicate Message-IDs", 1);
            return Ok(());
        }
    }
    let key = format!("m:{}", m.message_id);
    let (rec, text) = mail_record(w.f, &key, sid, &m);
    w.put(&key, rec, &text)?;
    sum.added += 1;
    sum.mails += 1;
    Ok(())
}

fn mail_record(f: &Fields, key: &str, sid: &str, m: &Mail) -> (TantivyDocument, String) {
    let mut d = TantivyDocument::default();
    d.add_text(f.key, key);
    d.add_text(f.kind_of_record, "mail");
    let (group, linked) =
        super::searcher::mail_group(&m.message_id, m.path.as_deref(), m.commit.as_deref());
    d.add_u64(f.group, group);
    d.add_u64(f.linked, u64::from(linked));
    d.add_text(f.message_id, &m.message_id);
    d.add_text(f.source, sid);
    d.add_text(f.from, &m.from);
    d.add_text(f.to, &m.to);
    d.add_text(f.subject, &m.subject);
    let mut text = String::with_capacity(m.subject.len() + m.body.len() + 2);
    text.push_str(&m.subject);
    text.push_str("\n\n");
    text.push_str(&m.body);
    d.add_text(f.text, &text);
    d.add_i64(f.date, m.date.unwrap_or(0));
    if let Some(c) = &m.commit {
        d.add_text(f.commit, c);
    }
    if let Some(p) = &m.path {
        d.add_text(f.path, p);
        d.add_text(f.title, p);
    }
    if let Some(k) = &m.kind {
        d.add_text(f.kind, doc::normalize_kind(k));
    }
    for t in &m.tags {
        d.add_text(f.tags, t);
    }
    (d, text)
}
