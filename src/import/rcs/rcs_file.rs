//! `RcsFile`: the parsed contents of one RCS `,v` file (admin section, delta tree, desc
//! and delta texts), and the reconstruction of its trunk revisions.

use std::collections::{HashMap, HashSet};

use super::diff::apply_reverse_diff;
use super::lexer::{Lexer, ParseError, Pos, Tok, is_num};

/// One node of the delta tree, as the `,v` file describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delta {
    pub rev: String,
    /// As stored: `YY.MM.DD.hh.mm.ss` or `YYYY.MM.DD.hh.mm.ss`, UTC.
    pub date: String,
    pub author: String,
    pub state: String,
    pub branches: Vec<String>,
    pub next: Option<String>,
    pub pos: Pos,
}

/// The log message and text of one revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeltaText {
    pub log: Vec<u8>,
    /// The whole text (head) or a reverse diff (older trunk revisions).
    pub text: Vec<u8>,
    /// Where the text's `@`-string starts; the diff's line k is on file line `text_pos.line + k - 1`.
    pub text_pos: Pos,
}

/// A parsed `,v` file.
#[derive(Debug, Clone, Default)]
pub struct RcsFile {
    pub head: Option<String>,
    pub branch: Option<String>,
    pub access: Vec<String>,
    pub symbols: Vec<(String, String)>,
    /// (user, revision) of each lock: the revision is checked out for editing.
    pub locks: Vec<(String, String)>,
    pub strict: bool,
    pub comment: Option<Vec<u8>>,
    pub expand: Option<Vec<u8>>,
    /// In file order (RCS writes the trunk newest first, then branches).
    pub deltas: Vec<Delta>,
    pub desc: Vec<u8>,
    pub texts: HashMap<String, DeltaText>,
}

/// One reconstructed trunk revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub rev: String,
    /// Where the revision's delta is described (for errors about its date).
    pub pos: Pos,
    pub date: String,
    pub author: String,
    pub state: String,
    pub log: Vec<u8>,
    pub text: Vec<u8>,
}

/// A value in a phrase: `keyword value... ;`.
enum Value {
    Word(String),
    Str(Vec<u8>),
    Colon,
}

fn word(w: &[u8]) -> String {
    String::from_utf8_lossy(w).into_owned()
}

impl RcsFile {
    /// Parse the bytes of a `,v` file.
    pub fn parse(buf: &[u8]) -> Result<RcsFile, ParseError> {
        let mut lx = Lexer::new(buf);
        let mut f = RcsFile::default();

        match lx.peek()? {
            (_, Tok::Word(b"head")) => {}
            (pos, t) => {
                return Err(ParseError::new(
                    *pos,
                    format!(
                        "expected `head` (is this an RCS file?), found {}",
                        t.describe()
                    ),
                ));
            }
        }
        // Admin phrases run until the first delta (a num) or `desc`.
        loop {
            let (pos, tok) = lx.peek()?.clone();
            match tok {
                Tok::Word(w) if is_num(w) || w == b"desc" => break,
                Tok::Word(_) => {}
                t => {
                    return Err(ParseError::new(
                        pos,
                        format!("expected an admin keyword, found {}", t.describe()),
                    ));
                }
            }
            let (kw, values) = phrase(&mut lx)?;
            match kw.as_str() {
                "head" => f.head = single_num(&values, pos, "head")?,
                "branch" => f.branch = single_num(&values, pos, "branch")?,
                "access" => f.access = words(&values),
                "symbols" => f.symbols = pairs(&values, pos, "symbols")?,
                "locks" => f.locks = pairs(&values, pos, "locks")?,
                "strict" => f.strict = true,
                "comment" => f.comment = single_str(&values),
                "expand" => f.expand = single_str(&values),
                _ => {} // integrity and newphrases: kept by RCS, meaningless to us
            }
        }

        // The delta tree.
        loop {
            let (pos, tok) = lx.peek()?.clone();
            let rev = match tok {
                Tok::Word(b"desc") => break,
                Tok::Word(w) if is_num(w) => word(w),
                t => {
                    return Err(ParseError::new(
                        pos,
                        format!(
                            "expected a revision number or `desc`, found {}",
                            t.describe()
                        ),
                    ));
                }
            };
            lx.next_tok()?;
            let mut d = Delta {
                rev: rev.clone(),
                date: String::new(),
                author: String::new(),
                state: String::new(),
                branches: Vec::new(),
                next: None,
                pos,
            };
            let (mut has_date, mut has_author) = (false, false);
            loop {
                let (ppos, ptok) = lx.peek()?.clone();
                match ptok {
                    Tok::Word(w) if is_num(w) || w == b"desc" => break,
                    Tok::Word(_) => {}
                    t => {
                        return Err(ParseError::new(
                            ppos,
                            format!("revision {rev}: expected a keyword, found {}", t.describe()),
                        ));
                    }
                }
                let (kw, values) = phrase(&mut lx)?;
                match kw.as_str() {
                    "date" => {
                        d.date = single_num(&values, ppos, "date")?.ok_or_else(|| {
                            ParseError::new(ppos, format!("revision {rev}: empty date"))
                        })?;
                        has_date = true;
                    }
                    "author" => {
                        d.author = words(&values).into_iter().next().unwrap_or_default();
                        has_author = true;
                    }
                    "state" => d.state = words(&values).into_iter().next().unwrap_or_default(),
                    "branches" => d.branches = words(&values),
                    "next" => d.next = single_num(&values, ppos, "next")?,
                    _ => {}
                }
            }
            if !has_date || !has_author {
                return Err(ParseError::new(
                    pos,
                    format!(
                        "revision {rev}: no {}",
                        if has_date { "author" } else { "date" }
                    ),
                ));
            }
            if f.deltas.iter().any(|o| o.rev == rev) {
                return Err(ParseError::new(
                    pos,
                    format!("revision {rev} is described twice"),
                ));
            }
            f.deltas.push(d);
        }

        // desc
        lx.next_tok()?;
        f.desc = match lx.next_tok()? {
            (_, Tok::Str(s)) => s,
            (pos, t) => {
                return Err(ParseError::new(
                    pos,
                    format!("expected the description @-string, found {}", t.describe()),
                ));
            }
        };

        // Delta texts.
        loop {
            let (pos, tok) = lx.next_tok()?;
            let rev = match tok {
                Tok::Eof => break,
                Tok::Word(w) if is_num(w) => word(w),
                t => {
                    return Err(ParseError::new(
                        pos,
                        format!("expected a revision number, found {}", t.describe()),
                    ));
                }
            };
            if !f.deltas.iter().any(|d| d.rev == rev) {
                return Err(ParseError::new(
                    pos,
                    format!("text for revision {rev}, which the delta tree does not have"),
                ));
            }
            expect_word(&mut lx, b"log", &rev)?;
            let log = expect_str(&mut lx, &rev, "log")?.1;
            loop {
                match lx.peek()? {
                    (_, Tok::Word(b"text")) => break,
                    (_, Tok::Word(_)) => {
                        phrase(&mut lx)?;
                    }
                    (p, t) => {
                        return Err(ParseError::new(
                            *p,
                            format!("revision {rev}: expected `text`, found {}", t.describe()),
                        ));
                    }
                }
            }
            lx.next_tok()?;
            let (text_pos, text) = expect_str(&mut lx, &rev, "text")?;
            if f.texts
                .insert(
                    rev.clone(),
                    DeltaText {
                        log,
                        text,
                        text_pos,
                    },
                )
                .is_some()
            {
                return Err(ParseError::new(
                    pos,
                    format!("revision {rev} has two texts"),
                ));
            }
        }
        let end = lx.peek()?.0;
        for d in &f.deltas {
            if !f.texts.contains_key(&d.rev) {
                return Err(ParseError::new(
                    end,
                    format!("revision {} has no log and text (truncated?)", d.rev),
                ));
            }
        }
        if let Some(h) = &f.head
            && !f.deltas.iter().any(|d| &d.rev == h)
        {
            return Err(ParseError::new(
                Pos { line: 1, offset: 0 },
                format!("head {h} is not in the delta tree"),
            ));
        }
        Ok(f)
    }

    fn delta(&self, rev: &str) -> Option<&Delta> {
        self.deltas.iter().find(|d| d.rev == rev)
    }

    /// The trunk's revision numbers, newest (head) first, following `next`.
    pub fn trunk(&self) -> Result<Vec<&Delta>, ParseError> {
        let mut out: Vec<&Delta> = Vec::new();
        let mut seen = HashSet::new();
        let mut cur = self.head.clone();
        while let Some(rev) = cur {
            let from = out.last().map(|d| d.pos).unwrap_or_default();
            let d = self.delta(&rev).ok_or_else(|| {
                ParseError::new(
                    from,
                    format!("revision {rev} is named as next but not described"),
                )
            })?;
            if !seen.insert(rev.clone()) {
                return Err(ParseError::new(
                    d.pos,
                    format!("revision {rev}: the trunk loops back on itself"),
                ));
            }
            out.push(d);
            cur = d.next.clone();
        }
        Ok(out)
    }

    /// Revisions not on the trunk (branch revisions such as 1.2.1.1), in file order.
    pub fn branch_revisions(&self) -> Vec<&str> {
        let trunk: HashSet<&str> = self
            .trunk()
            .unwrap_or_default()
            .iter()
            .map(|d| d.rev.as_str())
            .collect();
        self.deltas
            .iter()
            .map(|d| d.rev.as_str())
            .filter(|r| !trunk.contains(r))
            .collect()
    }

    /// Every trunk revision's full text, oldest first: the head's text is whole, each
    /// older one is the reverse diff applied to the next newer one.
    pub fn trunk_revisions(&self) -> Result<Vec<Revision>, ParseError> {
        let mut out = Vec::new();
        self.for_each_trunk_revision(|r| out.push(r.clone()))?;
        out.reverse();
        Ok(out)
    }

    /// Call `f` with each trunk revision, newest (head) first. Only two texts are held at
    /// a time, so files with thousands of revisions need little memory.
    pub fn for_each_trunk_revision(&self, mut f: impl FnMut(&Revision)) -> Result<(), ParseError> {
        let trunk = self.trunk()?;
        let mut newer: Option<Vec<u8>> = None;
        for d in trunk {
            let t = &self.texts[&d.rev];
            let text = match &newer {
                None => t.text.clone(),
                Some(base) => apply_reverse_diff(base, &t.text).map_err(|e| {
                    // Each `@` in the text was doubled on disk; newlines were not touched.
                    let ats = t.text[..e.at].iter().filter(|b| **b == b'@').count();
                    let pos = Pos {
                        line: t.text_pos.line + e.line - 1,
                        offset: t.text_pos.offset + 1 + e.at + ats,
                    };
                    ParseError::new(pos, format!("revision {}: bad delta: {}", d.rev, e.msg))
                })?,
            };
            let r = Revision {
                rev: d.rev.clone(),
                pos: d.pos,
                date: d.date.clone(),
                author: d.author.clone(),
                state: d.state.clone(),
                log: t.log.clone(),
                text,
            };
            f(&r);
            newer = Some(r.text);
        }
        Ok(())
    }
}

/// `keyword value* ;`: the keyword is the next token.
fn phrase(lx: &mut Lexer<'_>) -> Result<(String, Vec<Value>), ParseError> {
    let (_, kw) = lx.next_tok()?;
    let Tok::Word(kw) = kw else {
        unreachable!("callers peeked a word")
    };
    let kw = word(kw);
    let mut values = Vec::new();
    loop {
        let (pos, t) = lx.next_tok()?;
        match t {
            Tok::Semi => return Ok((kw, values)),
            Tok::Word(w) => values.push(Value::Word(word(w))),
            Tok::Str(s) => values.push(Value::Str(s)),
            Tok::Colon => values.push(Value::Colon),
            Tok::Eof => {
                return Err(ParseError::new(
                    pos,
                    format!("`{kw}` is not ended by `;` before the end of the file (truncated?)"),
                ));
            }
        }
    }
}

fn words(values: &[Value]) -> Vec<String> {
    values
        .iter()
        .filter_map(|v| match v {
            Value::Word(w) => Some(w.clone()),
            _ => None,
        })
        .collect()
}

fn single_num(values: &[Value], pos: Pos, kw: &str) -> Result<Option<String>, ParseError> {
    match values {
        [] => Ok(None),
        [Value::Word(w)] if is_num(w.as_bytes()) => Ok(Some(w.clone())),
        _ => Err(ParseError::new(
            pos,
            format!("`{kw}` should be followed by one number"),
        )),
    }
}

fn single_str(values: &[Value]) -> Option<Vec<u8>> {
    values.iter().find_map(|v| match v {
        Value::Str(s) => Some(s.clone()),
        _ => None,
    })
}

/// `name:num name:num ...` (symbols, locks).
fn pairs(values: &[Value], pos: Pos, kw: &str) -> Result<Vec<(String, String)>, ParseError> {
    let mut out = Vec::new();
    let mut it = values.iter();
    while let Some(v) = it.next() {
        match (v, it.next(), it.next()) {
            (Value::Word(name), Some(Value::Colon), Some(Value::Word(num))) => {
                out.push((name.clone(), num.clone()))
            }
            _ => {
                return Err(ParseError::new(
                    pos,
                    format!("`{kw}` should list name:revision pairs"),
                ));
            }
        }
    }
    Ok(out)
}

fn expect_word(lx: &mut Lexer<'_>, want: &[u8], rev: &str) -> Result<(), ParseError> {
    match lx.next_tok()? {
        (_, Tok::Word(w)) if w == want => Ok(()),
        (pos, t) => Err(ParseError::new(
            pos,
            format!(
                "revision {rev}: expected `{}`, found {}",
                word(want),
                t.describe()
            ),
        )),
    }
}

fn expect_str(lx: &mut Lexer<'_>, rev: &str, what: &str) -> Result<(Pos, Vec<u8>), ParseError> {
    match lx.next_tok()? {
        (pos, Tok::Str(s)) => Ok((pos, s)),
        (pos, t) => Err(ParseError::new(
            pos,
            format!(
                "revision {rev}: expected the {what} @-string, found {}",
                t.describe()
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// As GNU RCS 5.10 writes it: three trunk revisions and one branch revision.
    const SAMPLE: &str = "head\t1.3;
access;
symbols
\tREL1:1.2;
locks
\tbob:1.3; strict;
comment\t@# @;
expand\t@kv@;


1.3
date\t2003.02.03.04.05.06;\tauthor alice;\tstate Exp;
branches;
next\t1.2;

1.2
date\t2002.02.03.04.05.06;\tauthor alice;\tstate Exp;
branches
\t1.2.1.1;
next\t1.1;

1.1
date\t99.02.03.04.05.06;\tauthor bob;\tstate Exp;
branches;
next\t;

1.2.1.1
date\t2002.03.01.00.00.00;\tauthor carol;\tstate Exp;
branches;
next\t;


desc
@desc text
@


1.3
log
@*** empty log message ***
@
text
@line1
line @@ at
line3
new
@


1.2
log
@second
@
text
@d2 1
@


1.1
log
@first @@ msg
@
text
@a1 1
line @@ at
d3 1
@


1.2.1.1
log
@on a branch
@
text
@a3 1
branch line
@
";

    #[test]
    fn parses_the_admin_section() {
        let f = RcsFile::parse(SAMPLE.as_bytes()).unwrap();
        assert_eq!(f.head.as_deref(), Some("1.3"));
        assert_eq!(f.symbols, vec![("REL1".to_string(), "1.2".to_string())]);
        assert_eq!(f.locks, vec![("bob".to_string(), "1.3".to_string())]);
        assert!(f.strict);
        assert_eq!(f.comment.as_deref(), Some(&b"# "[..]));
        assert_eq!(f.expand.as_deref(), Some(&b"kv"[..]));
        assert_eq!(f.desc, b"desc text\n");
    }

    #[test]
    fn parses_the_delta_tree() {
        let f = RcsFile::parse(SAMPLE.as_bytes()).unwrap();
        let revs: Vec<&str> = f.deltas.iter().map(|d| d.rev.as_str()).collect();
        assert_eq!(revs, ["1.3", "1.2", "1.1", "1.2.1.1"]);
        let d = &f.deltas[1];
        assert_eq!(
            (d.date.as_str(), d.author.as_str(), d.state.as_str()),
            ("2002.02.03.04.05.06", "alice", "Exp")
        );
        assert_eq!(d.branches, ["1.2.1.1"]);
        assert_eq!(d.next.as_deref(), Some("1.1"));
        assert_eq!(f.deltas[2].next, None);
        assert_eq!(f.branch_revisions(), ["1.2.1.1"]);
    }

    #[test]
    fn reconstructs_every_trunk_revision_oldest_first() {
        let f = RcsFile::parse(SAMPLE.as_bytes()).unwrap();
        let revs = f.trunk_revisions().unwrap();
        let got: Vec<(&str, &[u8], &[u8])> = revs
            .iter()
            .map(|r| (r.rev.as_str(), &r.log[..], &r.text[..]))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "1.1",
                    &b"first @ msg\n"[..],
                    &b"line1\nline @ at\nline3\n"[..]
                ),
                ("1.2", &b"second\n"[..], &b"line1\nline3\nnew\n"[..]),
                (
                    "1.3",
                    &b"*** empty log message ***\n"[..],
                    &b"line1\nline @ at\nline3\nnew\n"[..]
                ),
            ]
        );
        assert_eq!(revs[0].date, "99.02.03.04.05.06");
    }

    #[test]
    fn truncation_is_reported_with_a_position() {
        let cut = &SAMPLE.as_bytes()[..SAMPLE.find("line3").unwrap()];
        let e = RcsFile::parse(cut).unwrap_err();
        assert!(e.msg.contains("not closed"), "{e}");
        assert!(e.pos.line > 30, "{e}");

        let cut = &SAMPLE.as_bytes()[..SAMPLE.find("\n1.1\nlog").unwrap()];
        let e = RcsFile::parse(cut).unwrap_err();
        assert!(e.msg.contains("revision 1.1 has no log and text"), "{e}");

        let cut = &SAMPLE.as_bytes()[..SAMPLE.find("next\t1.2;").unwrap() + 6];
        let e = RcsFile::parse(cut).unwrap_err();
        assert!(e.msg.contains("truncated"), "{e}");
    }

    #[test]
    fn a_bad_delta_names_the_revision_and_line() {
        let bad = SAMPLE.replace("@d2 1\n@", "@d9 1\n@");
        let f = RcsFile::parse(bad.as_bytes()).unwrap();
        let e = f.trunk_revisions().unwrap_err();
        assert!(e.msg.contains("revision 1.2"), "{e}");
        let line = bad.lines().position(|l| l == "@d9 1").unwrap() + 1;
        assert_eq!(e.pos.line, line, "{e}");
        assert_eq!(e.pos.offset, bad.find("@d9 1").unwrap() + 1, "{e}");
    }

    #[test]
    fn not_an_rcs_file() {
        let e = RcsFile::parse(b"# Hello\n").unwrap_err();
        assert!(e.msg.contains("expected `head`"), "{e}");
        assert_eq!(e.pos.line, 1);
    }

    #[test]
    fn an_empty_file_has_no_revisions() {
        let f = RcsFile::parse(
            b"head\t;\naccess;\nsymbols;\nlocks; strict;\ncomment\t@# @;\n\n\ndesc\n@@\n",
        )
        .unwrap();
        assert_eq!(f.head, None);
        assert!(f.trunk_revisions().unwrap().is_empty());
    }

    #[test]
    fn unknown_phrases_are_skipped() {
        let s = SAMPLE.replace(
            "branches;\nnext\t1.2;",
            "branches;\nnext\t1.2;\ncommitid\tabc123;\nowner\t@x@ 640;",
        );
        let f = RcsFile::parse(s.as_bytes()).unwrap();
        assert_eq!(f.trunk_revisions().unwrap().len(), 3);
    }
}
