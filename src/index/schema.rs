//! The index's fields: one tantivy document per record (a doc version, an uncommitted doc
//! in the work tree, or a mail), and the tokenizer they share.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer};

/// Bumped when the fields change: an index of another version is rebuilt.
pub const SCHEMA_VERSION: u32 = 5;

/// The tokenizer name: words of letters and digits, lower-cased. Punctuation separates
/// words, so `write-intent` and `/var/mail` become word sequences searched as phrases.
pub const WORDS: &str = "worklog_words";

#[derive(Debug, Clone)]
pub struct Fields {
    /// Unique id of a record, for delete-then-add: `v:<blob>:<path>`, `w:<path>`, `m:<id>`.
    pub key: Field,
    /// `doc` or `mail`.
    pub kind_of_record: Field,
    /// Records with the same group are one result unless `--all-versions`: a doc's path,
    /// shared by the update mails that carry one of its versions.
    pub group: Field,
    /// 1 for an update mail that carries a doc version (`X-Worklog-Commit`), else 0.
    pub linked: Field,
    pub path: Field,
    pub title: Field,
    /// Indexed only; the text itself is in the body store (bodies.rs).
    pub text: Field,
    /// Where the record's text starts in the body store, and its length.
    pub body_at: Field,
    pub body_len: Field,
    /// Where the record's entry (header, then text) starts in the body store.
    pub entry_at: Field,
    pub tags: Field,
    pub systems: Field,
    pub kind: Field,
    pub from: Field,
    pub to: Field,
    pub subject: Field,
    /// Unix seconds.
    pub date: Field,
    pub commit: Field,
    pub message_id: Field,
    /// The archive source a mail was read from (for re-reading a rewritten mbox).
    pub source: Field,
}

pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(64))
        .filter(LowerCaser)
        .build()
}

fn text(stored: bool) -> TextOptions {
    let idx = TextFieldIndexing::default()
        .set_tokenizer(WORDS)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let o = TextOptions::default().set_indexing_options(idx);
    if stored { o.set_stored() } else { o }
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let f = Fields {
        key: b.add_text_field("key", STRING | STORED),
        kind_of_record: b.add_text_field("type", STRING | STORED),
        group: b.add_u64_field("group", FAST),
        linked: b.add_u64_field("linked", FAST),
        path: b.add_text_field("path", text(true)),
        title: b.add_text_field("title", text(true)),
        text: b.add_text_field("text", text(false)),
        body_at: b.add_u64_field("body_at", STORED),
        body_len: b.add_u64_field("body_len", STORED),
        entry_at: b.add_u64_field("entry_at", FAST),
        tags: b.add_text_field("tags", STRING | STORED),
        systems: b.add_text_field("systems", STRING | STORED),
        kind: b.add_text_field("kind", STRING | STORED),
        from: b.add_text_field("from", text(true)),
        to: b.add_text_field("to", text(false)),
        subject: b.add_text_field("subject", text(true)),
        date: b.add_i64_field("date", INDEXED | FAST | STORED),
        commit: b.add_text_field("commit", STRING | STORED),
        message_id: b.add_text_field("message_id", STRING | STORED),
        source: b.add_text_field("source", STRING),
    };
    (b.build(), f)
}
