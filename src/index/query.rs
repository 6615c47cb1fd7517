//! The query language (notmuch-like): words ANDed, `"phrases"`, `OR`, `NOT`, `-word`,
//! parentheses, `field:value` for tag kind path title from to subject system id, and
//! `date:` ranges. Parsed into a small tree first (unit-testable), then compiled into a
//! tantivy query. A word with punctuation (`/var/mail`, `write-intent`) is the phrase of
//! its words.

use std::ops::Bound;

use chrono::{DateTime, FixedOffset};
use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, EmptyQuery, Occur, PhraseQuery, Query, RangeQuery, RegexQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::{Language, Stemmer, TextAnalyzer, TokenStream};

use super::schema::{Fields, analyzer};
use crate::error::{Error, Result};

/// The parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    /// A word or phrase, in a field or the default text.
    Text {
        field: Option<String>,
        value: String,
        phrase: bool,
    },
}

const FIELDS: [&str; 10] = [
    "tag", "kind", "path", "title", "from", "to", "subject", "system", "date", "id",
];

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Open,
    Close,
    Or,
    And,
    Not,
    /// Negated (`-x`), field, value, quoted.
    Item(bool, Option<String>, String, bool),
}

fn lex(q: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let cs: Vec<char> = q.chars().collect();
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '(' {
            out.push(Tok::Open);
            i += 1;
            continue;
        }
        if c == ')' {
            out.push(Tok::Close);
            i += 1;
            continue;
        }
        let neg = c == '-' && i + 1 < cs.len() && !cs[i + 1].is_whitespace();
        if neg {
            i += 1;
        }
        if cs[i] == '"' {
            let start = i + 1;
            let mut j = start;
            while j < cs.len() && cs[j] != '"' {
                j += 1;
            }
            out.push(Tok::Item(neg, None, cs[start..j].iter().collect(), true));
            i = j + 1;
            continue;
        }
        let start = i;
        while i < cs.len() && !cs[i].is_whitespace() && cs[i] != '(' && cs[i] != ')' && cs[i] != '"'
        {
            i += 1;
        }
        let word: String = cs[start..i].iter().collect();
        if let Some((f, v)) = word.split_once(':') {
            let f = f.to_ascii_lowercase();
            if FIELDS.contains(&f.as_str()) {
                if v.is_empty() && i < cs.len() && cs[i] == '"' {
                    let s = i + 1;
                    let mut j = s;
                    while j < cs.len() && cs[j] != '"' {
                        j += 1;
                    }
                    out.push(Tok::Item(neg, Some(f), cs[s..j].iter().collect(), true));
                    i = j + 1;
                } else {
                    out.push(Tok::Item(neg, Some(f), v.to_string(), false));
                }
                continue;
            }
        }
        match (neg, word.as_str()) {
            (false, "OR") => out.push(Tok::Or),
            (false, "AND") => out.push(Tok::And),
            (false, "NOT") => out.push(Tok::Not),
            _ => out.push(Tok::Item(neg, None, word, false)),
        }
    }
    out
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }
    fn or(&mut self) -> Option<Node> {
        let mut parts = Vec::new();
        if let Some(n) = self.and() {
            parts.push(n);
        }
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            if let Some(n) = self.and() {
                parts.push(n);
            }
        }
        match parts.len() {
            0 => None,
            1 => parts.pop(),
            _ => Some(Node::Or(parts)),
        }
    }
    fn and(&mut self) -> Option<Node> {
        let mut parts = Vec::new();
        loop {
            match self.peek() {
                None | Some(Tok::Or) | Some(Tok::Close) => break,
                Some(Tok::And) => self.pos += 1,
                _ => {
                    if let Some(n) = self.unary() {
                        parts.push(n);
                    }
                }
            }
        }
        match parts.len() {
            0 => None,
            1 => parts.pop(),
            _ => Some(Node::And(parts)),
        }
    }
    fn unary(&mut self) -> Option<Node> {
        match self.toks.get(self.pos).cloned() {
            Some(Tok::Not) => {
                self.pos += 1;
                self.unary().map(|n| Node::Not(Box::new(n)))
            }
            Some(Tok::Open) => {
                self.pos += 1;
                let n = self.or();
                if self.peek() == Some(&Tok::Close) {
                    self.pos += 1;
                }
                n
            }
            Some(Tok::Item(neg, field, value, phrase)) => {
                self.pos += 1;
                let n = Node::Text {
                    field,
                    value,
                    phrase,
                };
                Some(if neg { Node::Not(Box::new(n)) } else { n })
            }
            // A stray `)` or keyword: skip it rather than fail the whole query.
            _ => {
                self.pos += 1;
                None
            }
        }
    }
}

/// Parse a query string; None when it holds nothing to search for.
pub fn parse(q: &str) -> Option<Node> {
    let mut p = Parser {
        toks: lex(q),
        pos: 0,
    };
    let mut parts = Vec::new();
    while p.pos < p.toks.len() {
        if let Some(n) = p.or() {
            parts.push(n);
        }
        if p.peek() == Some(&Tok::Close) {
            p.pos += 1;
        }
    }
    match parts.len() {
        0 => None,
        1 => parts.pop(),
        _ => Some(Node::And(parts)),
    }
}

/// Words of `s` as the index cut them.
pub fn tokens(s: &str) -> Vec<String> {
    let mut a: TextAnalyzer = analyzer();
    let mut ts = a.token_stream(s);
    let mut out = Vec::new();
    while ts.advance() {
        out.push(ts.token().text.clone());
    }
    out
}

/// Turns the tree into tantivy queries.
pub struct Compiler<'a> {
    pub f: &'a Fields,
    pub now: DateTime<FixedOffset>,
}

impl Compiler<'_> {
    pub fn compile(&self, n: &Node) -> Result<Box<dyn Query>> {
        Ok(match n {
            Node::And(parts) => {
                let mut subs: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for p in parts {
                    match p {
                        Node::Not(inner) => subs.push((Occur::MustNot, self.compile(inner)?)),
                        _ => subs.push((Occur::Must, self.compile(p)?)),
                    }
                }
                if subs.iter().all(|(o, _)| *o == Occur::MustNot) {
                    subs.push((Occur::Must, Box::new(AllQuery)));
                }
                Box::new(BooleanQuery::new(subs))
            }
            Node::Or(parts) => {
                let subs = parts
                    .iter()
                    .map(|p| self.compile(p).map(|q| (Occur::Should, q)))
                    .collect::<Result<Vec<_>>>()?;
                Box::new(BooleanQuery::new(subs))
            }
            Node::Not(inner) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery)),
                (Occur::MustNot, self.compile(inner)?),
            ])),
            Node::Text { field, value, .. } => self.text(field.as_deref(), value)?,
        })
    }

    fn text(&self, field: Option<&str>, value: &str) -> Result<Box<dyn Query>> {
        let f = self.f;
        let exact = |fld: Field, v: String| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(fld, &v),
                IndexRecordOption::Basic,
            ))
        };
        Ok(match field {
            None => {
                let subs = [f.text, f.path, f.title]
                    .into_iter()
                    .map(|fld| (Occur::Should, words_query(fld, value)))
                    .collect::<Vec<_>>();
                Box::new(BooleanQuery::new(subs))
            }
            Some("tag") => exact(f.tags, value.to_lowercase()),
            Some("system") => exact(f.systems, value.to_lowercase()),
            Some("kind") => exact(f.kind, crate::doc::normalize_kind(&value.to_lowercase())),
            Some("id") => exact(
                f.message_id,
                value.trim_matches(|c| c == '<' || c == '>').to_string(),
            ),
            Some("path") => words_query(f.path, value),
            Some("title") => words_query(f.title, value),
            Some("from") => words_query(f.from, value),
            Some("to") => words_query(f.to, value),
            Some("subject") => words_query(f.subject, value),
            Some("date") => {
                let r = crate::dates::parse_range(value, self.now)?;
                date_query(f.date, r.start.timestamp(), r.end.timestamp())
            }
            Some(other) => {
                return Err(Error::user(format!(
                    "{other}: not a search field (try {})",
                    FIELDS.join(", ")
                )));
            }
        })
    }
}

/// Dates `[start, end)` in Unix seconds.
pub fn date_query(field: Field, start: i64, end: i64) -> Box<dyn Query> {
    Box::new(RangeQuery::new(
        Bound::Included(Term::from_field_i64(field, start)),
        Bound::Excluded(Term::from_field_i64(field, end)),
    ))
}

/// One word: a term; several (after cutting at punctuation): a phrase; none: nothing.
pub fn words_query(field: Field, value: &str) -> Box<dyn Query> {
    let toks = tokens(value);
    match toks.len() {
        0 => Box::new(EmptyQuery),
        1 => Box::new(TermQuery::new(
            Term::from_field_text(field, &toks[0]),
            IndexRecordOption::WithFreqs,
        )),
        _ => Box::new(PhraseQuery::new(
            toks.iter()
                .map(|t| Term::from_field_text(field, t))
                .collect(),
        )),
    }
}

/// The words a person typed outside fields and negations (for loose matching and for
/// marking snippets).
pub fn plain_words(n: &Node, out: &mut Vec<String>) {
    match n {
        Node::And(ps) | Node::Or(ps) => ps.iter().for_each(|p| plain_words(p, out)),
        Node::Not(_) => {}
        Node::Text {
            field: None, value, ..
        } => out.extend(tokens(value)),
        Node::Text { .. } => {}
    }
}

/// The words of the first multi-word phrase (or punctuated word) outside fields.
pub fn first_phrase(n: &Node) -> Vec<String> {
    match n {
        Node::And(ps) | Node::Or(ps) => ps
            .iter()
            .map(first_phrase)
            .find(|v| !v.is_empty())
            .unwrap_or_default(),
        Node::Text {
            field: None, value, ..
        } => {
            let t = tokens(value);
            if t.len() > 1 { t } else { Vec::new() }
        }
        _ => Vec::new(),
    }
}

/// True when the query is only unquoted words and ANDs (where "found too little" means
/// the words were misremembered, so looser matches help; a quoted phrase is meant exactly).
pub fn is_simple(n: &Node) -> bool {
    match n {
        Node::And(ps) => ps.iter().all(is_simple),
        Node::Text {
            field: None,
            phrase,
            ..
        } => !phrase,
        _ => false,
    }
}

const STOP: [&str; 40] = [
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "had", "has", "have",
    "how", "i", "if", "in", "into", "is", "it", "of", "on", "or", "that", "the", "their", "then",
    "there", "this", "to", "was", "we", "what", "when", "where", "which", "with", "why", "did",
];

/// Any of the words, each also by its English stem as a prefix (`degraded` finds
/// `degrade`, `degradation`): the fallback when the words ANDed find little.
pub fn loose_query(f: &Fields, words: &[String]) -> Option<Box<dyn Query>> {
    let mut stem = TextAnalyzer::builder(tantivy::tokenizer::RawTokenizer::default())
        .filter(Stemmer::new(Language::English))
        .build();
    let mut subs: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for w in words {
        if STOP.contains(&w.as_str()) || !seen.insert(w.clone()) {
            continue;
        }
        subs.push((
            Occur::Should,
            Box::new(TermQuery::new(
                Term::from_field_text(f.text, w),
                IndexRecordOption::WithFreqs,
            )),
        ));
        let mut ts = stem.token_stream(w);
        let stemmed = if ts.advance() {
            ts.token().text.clone()
        } else {
            w.clone()
        };
        // The stem as a prefix, cut where it departs from the word and before a final
        // `i` (the stemmer's y/i: `history` → `histori`, which `history` does not start with).
        let common = w
            .chars()
            .zip(stemmed.chars())
            .take_while(|(a, b)| a == b)
            .count();
        let mut s: String = stemmed.chars().take(common.max(4)).collect();
        if s.ends_with('i') && s.chars().count() > 4 {
            s.pop();
        }
        if s.chars().count() >= 4 && s.chars().all(|c| c.is_alphanumeric()) {
            let re = format!("{}.*", regex_escape(&s));
            if let Ok(q) = RegexQuery::from_pattern(&re, f.text) {
                // As much as the word itself: an exact match counts twice (it matches both).
                subs.push((Occur::Should, Box::new(q)));
            }
        }
    }
    (!subs.is_empty()).then(|| Box::new(BooleanQuery::new(subs)) as Box<dyn Query>)
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            if c.is_alphanumeric() {
                vec![c]
            } else {
                vec!['\\', c]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(field: Option<&str>, v: &str, phrase: bool) -> Node {
        Node::Text {
            field: field.map(str::to_string),
            value: v.to_string(),
            phrase,
        }
    }

    #[test]
    fn words_phrases_fields_and_operators() {
        assert_eq!(
            parse("zpool history"),
            Some(Node::And(vec![
                t(None, "zpool", false),
                t(None, "history", false)
            ]))
        );
        assert_eq!(
            parse("\"write intent bitmap\""),
            Some(t(None, "write intent bitmap", true))
        );
        assert_eq!(
            parse("a OR b -c"),
            Some(Node::Or(vec![
                t(None, "a", false),
                Node::And(vec![
                    t(None, "b", false),
                    Node::Not(Box::new(t(None, "c", false)))
                ])
            ]))
        );
        assert_eq!(
            parse("(a OR b) NOT tag:old"),
            Some(Node::And(vec![
                Node::Or(vec![t(None, "a", false), t(None, "b", false)]),
                Node::Not(Box::new(t(Some("tag"), "old", false)))
            ]))
        );
        assert_eq!(
            parse("from:song@kernel.org"),
            Some(t(Some("from"), "song@kernel.org", false))
        );
        assert_eq!(
            parse("subject:\"md raid\""),
            Some(t(Some("subject"), "md raid", true))
        );
        assert_eq!(
            parse("date:2015-02..2015-03"),
            Some(t(Some("date"), "2015-02..2015-03", false))
        );
        // Not a field: an ordinary word with a colon, and paths.
        assert_eq!(parse("note:x"), Some(t(None, "note:x", false)));
        assert_eq!(parse("/var/mail"), Some(t(None, "/var/mail", false)));
        assert_eq!(
            parse("work/Old/cssite-mail-migration"),
            Some(t(None, "work/Old/cssite-mail-migration", false))
        );
        assert_eq!(parse("  "), None);
        // Unbalanced parentheses do not lose the words.
        assert_eq!(
            parse("(a b"),
            Some(Node::And(vec![t(None, "a", false), t(None, "b", false)]))
        );
        assert_eq!(parse("a)"), Some(t(None, "a", false)));
    }

    #[test]
    fn punctuation_splits_words_into_phrases() {
        assert_eq!(
            tokens("write-intent bitmap"),
            vec!["write", "intent", "bitmap"]
        );
        assert_eq!(tokens("/var/mail"), vec!["var", "mail"]);
        assert_eq!(
            tokens("work/Old/cssite-mail-migration"),
            vec!["work", "old", "cssite", "mail", "migration"]
        );
    }

    #[test]
    fn plain_words_skip_fields_and_negations() {
        let mut w = Vec::new();
        plain_words(
            &parse("raid -foo tag:x \"degraded array\"").unwrap(),
            &mut w,
        );
        assert_eq!(w, vec!["raid", "degraded", "array"]);
        assert!(is_simple(&parse("a b/c").unwrap()));
        assert!(!is_simple(&parse("a \"b c\"").unwrap()));
        assert!(!is_simple(&parse("a OR b").unwrap()));
    }
}

#[cfg(test)]
mod loose_tests {
    use super::*;
    use tantivy::collector::Count;

    #[test]
    fn stems_find_other_forms() {
        let t = tempfile::tempdir().unwrap();
        let store = crate::index::Store::create(t.path()).unwrap();
        let mut w: tantivy::IndexWriter<tantivy::TantivyDocument> =
            store.index.writer_with_num_threads(1, 15_000_000).unwrap();
        let mut d = tantivy::TantivyDocument::default();
        d.add_text(store.fields.text, "the pool history was degraded");
        w.add_document(d).unwrap();
        w.commit().unwrap();
        let s = store.searcher().unwrap();
        for word in ["histori", "histories", "degrading", "degradation"] {
            let q = loose_query(&store.fields, &[word.to_string()]).unwrap();
            assert_eq!(s.search(&*q, &Count).unwrap(), 1, "{word}");
        }
    }
}
