//! `similar`'s target: a doc (its text now, or its last indexed version when deleted) or
//! a mail by Message-ID, and the collapse key that keeps it out of its own results.

use std::path::Path;

use super::Store;
use super::searcher::{self, group_of_doc, mail_group};
use crate::error::{Error, Result};

/// The text to compare with and the group to leave out.
pub fn target(store: &Store, root: &Path, cwd: &Path, input: &str) -> Result<(String, u64)> {
    let f = &store.fields;
    let id = input.trim().trim_matches(|c| c == '<' || c == '>');
    if id.contains('@')
        && let Some((r, _)) = searcher::find(store, f.message_id, id)?
    {
        // An update mail shares its doc's group: leave both out.
        let (group, _) = mail_group(id, non_empty(&r.path), non_empty(&r.commit));
        return Ok((r.text, group));
    }
    match crate::doc::resolve(root, cwd, input) {
        Ok(d) if d.exists => {
            let text = std::fs::read_to_string(&d.abs)
                .map_err(|e| Error::from(e).context(d.abs.display()))?;
            Ok((text, group_of_doc(&d.path)))
        }
        Ok(d) => {
            let q = super::query::words_query(f.path, &d.path);
            let s = store.searcher()?;
            let top = s
                .search(
                    &*q,
                    &tantivy::collector::TopDocs::with_limit(1).order_by_score(),
                )
                .map_err(|e| super::ierr(&store.dir, e))?;
            let Some((_, addr)) = top.into_iter().next() else {
                return Err(Error::user(format!(
                    "{}: no such doc, and none in the index",
                    d.path
                )));
            };
            let doc: tantivy::TantivyDocument =
                s.doc(addr).map_err(|e| super::ierr(&store.dir, e))?;
            use tantivy::schema::Value;
            let num = |fld| doc.get_first(fld).and_then(|v| v.as_u64()).unwrap_or(0);
            let text = store.bodies.get(num(f.body_at), num(f.body_len));
            Ok((text, group_of_doc(&d.path)))
        }
        Err(e) if id.contains('@') => Err(Error::user(format!(
            "{id}: no doc and no indexed message with this Message-ID"
        ))
        .with_detail(e.message().to_string())),
        Err(e) => Err(e),
    }
}

fn non_empty(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}
