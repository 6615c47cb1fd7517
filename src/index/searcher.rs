//! Running a search: the query with its hard filters, one result per doc (its best
//! version) or per version, the soft `--around` ranking, the looser fallback when the
//! words ANDed find little, and the records of the page shown.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use super::query::{self, Compiler};
use super::snippet::{self, Snippet};
use super::{Fields, Store, ierr};
use crate::error::{Error, Result};

/// What to look for and how to order it; dates are Unix seconds.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub query: String,
    pub since: Option<i64>,
    /// Exclusive end.
    pub until: Option<i64>,
    /// Centre and half-width of the soft window.
    pub around: Option<(i64, i64)>,
    pub kind: Option<String>,
    pub tags: Vec<String>,
    pub from: Option<String>,
    pub all_versions: bool,
    pub limit: usize,
    pub sort_by_date: bool,
    /// Only the count is wanted: no loose matches, no records.
    pub count_only: bool,
}

/// The stored facts of one record (also its header in the body store, as JSON).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Record {
    /// `doc` or `mail`.
    pub kind_of_record: String,
    pub key: String,
    pub date: i64,
    pub path: String,
    pub title: String,
    pub commit: String,
    pub message_id: String,
    pub from: String,
    pub subject: String,
    pub kind: String,
    pub tags: Vec<String>,
    /// Offset and length of the text in the body store.
    pub body: (u64, u64),
    /// The text, when it was read (for a snippet).
    #[serde(skip)]
    pub text: String,
    /// The version's own path, when the result shows the doc under its later name.
    #[serde(skip)]
    pub path_then: Option<String>,
}

impl Record {
    /// The header written before the record's text in the body store.
    pub fn header(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// The record of the body store entry at `at` read into `buf` (header up to
    /// `head_end`, then the text's start); its text offset is set from where it sits.
    fn from_entry(at: u64, buf: &[u8], head_end: usize) -> Option<Record> {
        let mut r: Record = serde_json::from_slice(&buf[4..head_end]).ok()?;
        r.body.0 = at + head_end as u64;
        Some(r)
    }

    /// A record not yet committed (a work tree doc with uncommitted edits).
    pub fn uncommitted(&self) -> bool {
        self.key.starts_with("w:")
    }
}

#[derive(Debug, Clone)]
pub struct Hit {
    pub record: Record,
    pub score: f32,
    /// Found by the looser fallback, not by the words as typed.
    pub loose: bool,
    pub snippet: Snippet,
    /// How many versions of this doc matched (1 for mail).
    pub versions: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Results {
    pub hits: Vec<Hit>,
    /// Distinct results of the query as typed (docs or versions, distinct messages).
    pub total: usize,
    pub loose_total: usize,
}

/// A candidate before its record is read.
#[derive(Debug, Clone, Copy)]
struct Cand {
    score: f32,
    addr: DocAddress,
    group: u64,
    date: i64,
    versions: usize,
    /// An update mail carrying a version of the group's doc.
    linked: bool,
    /// Where its entry is in the body store.
    entry: u64,
}

/// How far into a text a snippet looks for the words: long patches and logs are cut
/// here (their snippet then shows their start), which keeps listing many of them cheap.
const SNIPPET_SCAN: u64 = 32 * 1024;
/// The start of a text read with its record's header, where most matches are.
const FIRST_SCAN: usize = 4096;

pub fn search(store: &Store, req: &Request, now: DateTime<FixedOffset>) -> Result<Results> {
    let f = &store.fields;
    let node = query::parse(&req.query)
        .ok_or_else(|| Error::user(format!("{:?}: nothing to search for", req.query)))?;
    let compiler = Compiler { f, now };
    let main = compiler.compile(&node)?;
    let filters = filters(f, req);
    let searcher = store.searcher()?;
    let strict = collect(&searcher, store, with_filters(main, &filters), req)?;
    let mut out = Results {
        total: strict.len(),
        ..Results::default()
    };
    if req.count_only {
        return Ok(out);
    }
    let mut words = Vec::new();
    query::plain_words(&node, &mut words);
    let anchor = query::first_phrase(&node);
    let mut loose = Vec::new();
    if strict.len() < 3
        && query::is_simple(&node)
        && !words.is_empty()
        && let Some(lq) = query::loose_query(f, &words)
    {
        let found: HashSet<u64> = strict.iter().map(|c| c.group).collect();
        loose = collect(&searcher, store, with_filters(lq, &filters), req)?
            .into_iter()
            .filter(|c| !found.contains(&c.group))
            .collect();
        out.loose_total = loose.len();
    }
    let mut strict = strict;
    if req.sort_by_date {
        strict.sort_by_key(|c| std::cmp::Reverse(c.date));
    }
    let page: Vec<(Cand, bool)> = strict
        .into_iter()
        .map(|c| (c, false))
        .chain(loose.into_iter().map(|c| (c, true)))
        .take(req.limit)
        .collect();
    let page_reader = PageReader {
        store,
        locator: snippet::Locator::new(&words, &anchor),
        all_versions: req.all_versions,
    };
    out.hits = page_reader.read(&page)?;
    Ok(out)
}

/// Reads a page of results from the body store: each one's record and snippet.
struct PageReader<'a> {
    store: &'a Store,
    /// The query's words; without any, mails found by their headers alone need no
    /// snippet (their subject says it).
    locator: snippet::Locator,
    all_versions: bool,
}

impl PageReader<'_> {
    fn read(&self, page: &[(Cand, bool)]) -> Result<Vec<Hit>> {
        let mut buf = Vec::new();
        let mut more = Vec::new();
        let mut hits = Vec::with_capacity(page.len());
        for &(c, loose) in page {
            // One read gets the record's header and the start of its text.
            let read = self.store.bodies.read_entry(c.entry, FIRST_SCAN, &mut buf);
            let Some((mut record, head_end)) =
                read.and_then(|h| Some((Record::from_entry(c.entry, &buf, h)?, h)))
            else {
                return Err(ierr(
                    &self.store.dir,
                    format!("record at byte {} of the body store is unreadable", c.entry),
                ));
            };
            if !self.all_versions
                && record.kind_of_record == "doc"
                && let Some(now) = self.store.renames.final_path(&record.path, record.date)
            {
                record.path_then = Some(std::mem::replace(&mut record.path, now.to_string()));
            }
            let snippet = if self.locator.has_words() || record.kind_of_record != "mail" {
                let start = &buf[head_end..];
                let start = &start[..start.len().min(record.body.1 as usize)];
                self.snippet(&record, start, &mut more)
            } else {
                Snippet::default()
            };
            hits.push(Hit {
                record,
                score: c.score,
                loose,
                snippet,
                versions: c.versions,
            });
        }
        Ok(hits)
    }

    /// Most matches are near the start (`start`, already read): look there, then further.
    fn snippet(&self, record: &Record, start: &[u8], buf: &mut Vec<u8>) -> Snippet {
        use snippet::Part;
        let len = record.body.1;
        let part = if start.len() as u64 >= len {
            Part::Whole
        } else if !self.locator.has_words() {
            Part::LastStart
        } else {
            Part::Start
        };
        if let Some(s) = snippet::from_bytes(start, part, &self.locator, 160) {
            return s;
        }
        let n = len.min(SNIPPET_SCAN);
        let (bytes, part) = if self.store.bodies.read_into(record.body.0, n, buf) {
            let part = if n == len {
                Part::Whole
            } else {
                Part::LastStart
            };
            (&buf[..], part)
        } else {
            (start, Part::LastStart)
        };
        snippet::from_bytes(bytes, part, &self.locator, 160).unwrap_or_default()
    }
}

fn filters(f: &Fields, req: &Request) -> Vec<Box<dyn Query>> {
    let mut out: Vec<Box<dyn Query>> = Vec::new();
    if req.since.is_some() || req.until.is_some() {
        out.push(query::date_query(
            f.date,
            req.since.unwrap_or(i64::MIN),
            req.until.unwrap_or(i64::MAX),
        ));
    }
    if let Some(k) = &req.kind {
        let k = crate::doc::normalize_kind(&k.to_lowercase());
        out.push(Box::new(TermQuery::new(
            Term::from_field_text(f.kind, &k),
            IndexRecordOption::Basic,
        )));
    }
    for t in &req.tags {
        out.push(Box::new(TermQuery::new(
            Term::from_field_text(f.tags, &t.to_lowercase()),
            IndexRecordOption::Basic,
        )));
    }
    if let Some(a) = &req.from {
        out.push(query::words_query(f.from, a));
    }
    out
}

fn with_filters(main: Box<dyn Query>, filters: &[Box<dyn Query>]) -> Box<dyn Query> {
    if filters.is_empty() {
        return main;
    }
    let mut subs: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, main)];
    for q in filters {
        // Filters narrow; they must not change the ranking.
        subs.push((
            Occur::Must,
            Box::new(ConstScoreQuery::new(q.box_clone(), 0.0)),
        ));
    }
    Box::new(BooleanQuery::new(subs))
}

/// Every match, scored (with the soft window applied), collapsed to one per group unless
/// all versions are wanted, best first.
fn collect(
    searcher: &Searcher,
    store: &Store,
    q: Box<dyn Query>,
    req: &Request,
) -> Result<Vec<Cand>> {
    let n = (searcher.num_docs() as usize).max(1);
    let top = searcher
        .search(&*q, &TopDocs::with_limit(n).order_by_score())
        .map_err(|e| ierr(&store.dir, e))?;
    let mut cols = Vec::with_capacity(searcher.segment_readers().len());
    for seg in searcher.segment_readers() {
        let ff = seg.fast_fields();
        let g = ff.u64("group").map_err(|e| ierr(&store.dir, e))?;
        let d = ff.i64("date").map_err(|e| ierr(&store.dir, e))?;
        let l = ff.u64("linked").map_err(|e| ierr(&store.dir, e))?;
        let e = ff.u64("entry_at").map_err(|e| ierr(&store.dir, e))?;
        cols.push((g, d, l, e));
    }
    let mut cands = Vec::with_capacity(top.len());
    for (score, addr) in top {
        let (g, d, l, e) = &cols[addr.segment_ord as usize];
        let date = d.first(addr.doc_id).unwrap_or(0);
        let group = store
            .renames
            .resolve(g.first(addr.doc_id).unwrap_or(0), date);
        let linked = l.first(addr.doc_id).unwrap_or(0) == 1;
        let score = match req.around {
            Some((centre, half)) => soft_window(score, date, centre, half),
            None => score,
        };
        cands.push(Cand {
            score,
            addr,
            group,
            date,
            versions: 1,
            linked,
            entry: e.first(addr.doc_id).unwrap_or(0),
        });
    }
    // Best first; among equals the newer version.
    cands.sort_by(|a, b| b.score.total_cmp(&a.score).then(b.date.cmp(&a.date)));
    if req.all_versions {
        return Ok(cands);
    }
    let mut index: HashMap<u64, usize> = HashMap::with_capacity(cands.len());
    let mut out: Vec<Cand> = Vec::with_capacity(cands.len());
    for c in cands {
        match index.get(&c.group) {
            Some(&i) => {
                let rep = &mut out[i];
                rep.versions += 1;
                // Show the doc version itself rather than a mail that carries one; the
                // group keeps its best score for ranking.
                if rep.linked && !c.linked {
                    (rep.addr, rep.date, rep.linked, rep.entry) = (c.addr, c.date, false, c.entry);
                }
            }
            None => {
                index.insert(c.group, out.len());
                out.push(c);
            }
        }
    }
    Ok(out)
}

/// Inside the window ranks above everything outside it, nearer higher; outside, the
/// further away the lower, but nothing is cut off.
pub fn soft_window(score: f32, date: i64, centre: i64, half: i64) -> f32 {
    let half = half.max(1) as f32;
    let d = (date - centre).unsigned_abs() as f32;
    if d <= half {
        10_000.0 + score * (2.0 - d / half)
    } else {
        score / (1.0 + (d - half) / half)
    }
}

pub(crate) fn read_record(f: &Fields, doc: &TantivyDocument) -> Record {
    let s = |field| {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    };
    Record {
        kind_of_record: s(f.kind_of_record),
        key: s(f.key),
        date: doc.get_first(f.date).and_then(|v| v.as_i64()).unwrap_or(0),
        path: s(f.path),
        title: s(f.title),
        commit: s(f.commit),
        message_id: s(f.message_id),
        from: s(f.from),
        subject: s(f.subject),
        kind: s(f.kind),
        tags: doc
            .get_all(f.tags)
            .filter_map(|v| v.as_str())
            .map(str::to_string)
            .collect(),
        body: (
            doc.get_first(f.body_at)
                .and_then(|v| v.as_u64())
                .unwrap_or(0),
            doc.get_first(f.body_len)
                .and_then(|v| v.as_u64())
                .unwrap_or(0),
        ),
        text: String::new(),
        path_then: None,
    }
}

/// The record with this key or Message-ID, if indexed.
pub fn find(
    store: &Store,
    field: tantivy::schema::Field,
    value: &str,
) -> Result<Option<(Record, DocAddress)>> {
    let searcher = store.searcher()?;
    let q = TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    );
    let top = searcher
        .search(&q, &TopDocs::with_limit(1).order_by_score())
        .map_err(|e| ierr(&store.dir, e))?;
    let Some((_, addr)) = top.into_iter().next() else {
        return Ok(None);
    };
    let doc: TantivyDocument = searcher.doc(addr).map_err(|e| ierr(&store.dir, e))?;
    let mut r = read_record(&store.fields, &doc);
    r.text = store.bodies.get(r.body.0, r.body.1);
    Ok(Some((r, addr)))
}

/// Records whose date is in `[start, end)`, oldest first.
pub fn in_period(store: &Store, start: i64, end: i64) -> Result<Vec<Record>> {
    let searcher = store.searcher()?;
    let q = query::date_query(store.fields.date, start, end);
    let n = (searcher.num_docs() as usize).max(1);
    let top = searcher
        .search(&*q, &TopDocs::with_limit(n).order_by_score())
        .map_err(|e| ierr(&store.dir, e))?;
    let mut out = Vec::with_capacity(top.len());
    for (_, addr) in top {
        let doc: TantivyDocument = searcher.doc(addr).map_err(|e| ierr(&store.dir, e))?;
        out.push(read_record(&store.fields, &doc));
    }
    out.sort_by_key(|r| r.date);
    Ok(out)
}

/// Records like the given text: its most telling words as a query (MoreLikeThis).
pub fn similar(
    store: &Store,
    text: &str,
    exclude_group: Option<u64>,
    limit: usize,
) -> Result<Vec<Hit>> {
    use tantivy::query::MoreLikeThisQuery;
    use tantivy::schema::OwnedValue;
    let f = &store.fields;
    let searcher = store.searcher()?;
    let q = MoreLikeThisQuery::builder()
        .with_min_doc_frequency(1)
        // Words in over a quarter of the records say little, but a small doc root must
        // still find its alike docs.
        .with_max_doc_frequency((searcher.num_docs() / 4).max(10))
        .with_min_term_frequency(1)
        .with_max_query_terms(30)
        .with_min_word_length(3)
        .with_document_fields(vec![(f.text, vec![OwnedValue::Str(text.to_string())])]);
    let req = Request {
        limit,
        ..Request::default()
    };
    let cands = collect(&searcher, store, Box::new(q), &req)?;
    let mut out = Vec::new();
    for c in cands
        .into_iter()
        .filter(|c| Some(c.group) != exclude_group)
        .take(limit)
    {
        let doc: TantivyDocument = searcher.doc(c.addr).map_err(|e| ierr(&store.dir, e))?;
        let mut record = read_record(f, &doc);
        record.text = store.bodies.get(record.body.0, record.body.1);
        let snippet = snippet::make(&record.text, &[], &[], 160);
        out.push(Hit {
            record,
            score: c.score,
            loose: false,
            snippet,
            versions: c.versions,
        });
    }
    Ok(out)
}

/// Doc renames by the group of the old path: (group of the new path, rename time, new path).
#[derive(Debug, Clone, Default)]
pub struct Renames(HashMap<u64, Vec<(u64, i64, String)>>);

impl Renames {
    pub fn new(list: Vec<super::state::Rename>) -> Renames {
        let mut map: HashMap<u64, Vec<(u64, i64, String)>> = HashMap::new();
        for r in list {
            map.entry(group_of_doc(&r.from))
                .or_default()
                .push((group_of_doc(&r.to), r.time, r.to));
        }
        Renames(map)
    }

    /// Follow the renames of a record dated `date` in group `group`: a version from before
    /// its doc was renamed joins the doc under its new name (and later names). A doc that
    /// re-uses an old name after the rename keeps its own group. Returns the final group
    /// and, when renamed, the final path.
    fn follow(&self, mut group: u64, date: i64) -> (u64, Option<&str>) {
        let (mut after, mut path) = (date, None);
        // Rename times only grow along the chain, so renaming back and forth ends.
        while let Some((g, t, p)) = self.0.get(&group).and_then(|l| {
            l.iter()
                .filter(|(_, t, _)| *t >= after)
                .min_by_key(|(_, t, _)| *t)
        }) {
            (group, after, path) = (*g, *t + 1, Some(p.as_str()));
        }
        (group, path)
    }

    pub fn resolve(&self, group: u64, date: i64) -> u64 {
        self.follow(group, date).0
    }

    /// The doc's later name, when a record of `path` dated `date` was renamed since.
    pub fn final_path(&self, path: &str, date: i64) -> Option<&str> {
        self.follow(group_of_doc(path), date).1
    }
}

/// The collapse key of a doc path or a Message-ID, as the indexer computes it.
pub fn group_of_doc(path: &str) -> u64 {
    crate::hash::fnv1a64(format!("doc:{path}").as_bytes())
}

/// The collapse key of a mail, and whether it is an update mail: one that carries a doc
/// version (`X-Worklog-Path` and `X-Worklog-Commit`) belongs to that doc's result.
pub fn mail_group(id: &str, path: Option<&str>, commit: Option<&str>) -> (u64, bool) {
    match (path, commit) {
        (Some(p), Some(_)) => (group_of_doc(p), true),
        _ => (group_of_mail(id), false),
    }
}

fn group_of_mail(id: &str) -> u64 {
    crate::hash::fnv1a64(format!("mail:{id}").as_bytes())
}
