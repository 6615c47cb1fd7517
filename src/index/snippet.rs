//! Snippets: a short piece of a record's text around the first place its query words
//! occur, with the matched words' byte ranges. Scans only as far as the first match
//! (cheap for long mails), comparing words the way the index cut them.

use memchr::memmem::Finder;

/// A fragment of text and the ranges in it to mark.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    pub marks: Vec<(usize, usize)>,
    /// The window was found by the whole phrase (or there was no phrase to find).
    pub phrase: bool,
}

/// Words of `text` with their byte ranges, lower-cased, split as the index splits.
fn words(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut it = text.char_indices().peekable();
    std::iter::from_fn(move || {
        loop {
            let (start, c) = it.next()?;
            if c.is_alphanumeric() {
                let mut end = start + c.len_utf8();
                while let Some(&(i, c)) = it.peek() {
                    if !c.is_alphanumeric() {
                        break;
                    }
                    end = i + c.len_utf8();
                    it.next();
                }
                return Some((start, end));
            }
        }
    })
}

/// Finds where a text first matches the query: the phrase (`anchor`, its words in order)
/// anywhere beats an earlier lone word of `terms`. With ASCII query words the search runs
/// on the raw bytes (SIMD substring search over a lower-cased copy, no UTF-8 check of the
/// whole text), which keeps listing many long mails cheap.
pub struct Locator {
    terms: Vec<String>,
    anchor: Vec<String>,
    /// Finders for `anchor[0]` (when there is a phrase) and each term; `None` when a query
    /// word is not ASCII (the slower word-by-word walk then).
    finders: Option<(Option<Finder<'static>>, Vec<Finder<'static>>)>,
}

impl Locator {
    pub fn new(terms: &[String], anchor: &[String]) -> Locator {
        let terms: Vec<String> = terms.iter().filter(|t| !t.is_empty()).cloned().collect();
        let ascii = terms.iter().chain(anchor).all(|t| t.is_ascii());
        let finder = |w: &str| Finder::new(w.as_bytes()).into_owned();
        let finders = ascii.then(|| {
            (
                (anchor.len() >= 2).then(|| finder(&anchor[0])),
                terms.iter().map(|t| finder(t)).collect(),
            )
        });
        Locator {
            terms,
            anchor: anchor.to_vec(),
            finders,
        }
    }

    /// The query has words to look for.
    pub fn has_words(&self) -> bool {
        !self.terms.is_empty()
    }

    /// Byte offset of the first match in `bytes` and whether it is the phrase. Bytes after
    /// a broken UTF-8 sequence are not looked at by the slow (non-ASCII) walk.
    pub fn first(&self, bytes: &[u8]) -> Option<(usize, bool)> {
        let Some((phrase, terms)) = &self.finders else {
            let text = valid_prefix(bytes);
            return find_sequence(text, &self.anchor)
                .map(|(s, _)| (s, true))
                .or_else(|| {
                    words(text)
                        .find(|&(s, e)| matches(&text[s..e], &self.terms))
                        .map(|(s, _)| (s, false))
                });
        };
        thread_local! {
            // Reused: listing many long mails would otherwise allocate (and fault in) a
            // fresh copy for each.
            static LOWER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        LOWER.with_borrow_mut(|lower| {
            lower.clear();
            lower.extend_from_slice(bytes);
            lower.make_ascii_lowercase();
            if let Some(f) = phrase {
                let n = f.needle().len();
                if let Some(s) = f
                    .find_iter(lower)
                    .find(|&s| alone(lower, s, s + n) && self.phrase_at(bytes, s))
                {
                    return Some((s, true));
                }
            }
            terms
                .iter()
                .filter_map(|f| {
                    let n = f.needle().len();
                    f.find_iter(lower).find(|&s| alone(lower, s, s + n))
                })
                .min()
                .map(|p| (p, false))
        })
    }

    /// The phrase's words follow each other from byte `at` (any separators between them).
    fn phrase_at(&self, bytes: &[u8], at: usize) -> bool {
        // Separators between the words are short: a bounded look ahead is enough.
        let end = bytes.len().min(at + 1024 + 64 * self.anchor.len());
        let text = valid_prefix(&bytes[at..end]);
        let mut w = words(text);
        self.anchor.iter().all(|t| {
            w.next()
                .is_some_and(|(a, b)| matches(&text[a..b], std::slice::from_ref(t)))
        })
    }
}

/// The bytes as text: a read cut short may end inside a character, which is dropped (as
/// is anything after a broken sequence).
pub fn valid_prefix(buf: &[u8]) -> &str {
    match std::str::from_utf8(buf) {
        Ok(t) => t,
        // Cannot fail: the bytes up to `valid_up_to` are valid.
        Err(e) => std::str::from_utf8(&buf[..e.valid_up_to()]).unwrap_or_default(),
    }
}

/// The bytes `s..e` stand alone: no letter or digit glued to them on either side.
fn alone(bytes: &[u8], s: usize, e: usize) -> bool {
    let before = char_ending_at(bytes, s).is_none_or(|c| !c.is_alphanumeric());
    let after = char_starting_at(bytes, e).is_none_or(|c| !c.is_alphanumeric());
    before && after
}

fn char_ending_at(bytes: &[u8], at: usize) -> Option<char> {
    (1..=4.min(at)).find_map(|k| {
        std::str::from_utf8(&bytes[at - k..at])
            .ok()
            .and_then(|t| t.chars().next())
    })
}

fn char_starting_at(bytes: &[u8], at: usize) -> Option<char> {
    (1..=4.min(bytes.len().saturating_sub(at))).find_map(|k| {
        std::str::from_utf8(&bytes[at..at + k])
            .ok()
            .and_then(|t| t.chars().next())
    })
}

/// The first place where the words of `seq` follow each other.
fn find_sequence(text: &str, seq: &[String]) -> Option<(usize, usize)> {
    if seq.len() < 2 {
        return None;
    }
    let mut recent: std::collections::VecDeque<(usize, usize)> =
        std::collections::VecDeque::with_capacity(seq.len());
    for (s, e) in words(text) {
        if recent.len() == seq.len() {
            recent.pop_front();
        }
        recent.push_back((s, e));
        if recent.len() == seq.len()
            && recent
                .iter()
                .zip(seq)
                .all(|(&(a, b), t)| matches(&text[a..b], std::slice::from_ref(t)))
        {
            return recent.front().copied();
        }
    }
    None
}

fn matches(word: &str, terms: &[String]) -> bool {
    terms.iter().any(|t| {
        t.len() == word.len() && t.eq_ignore_ascii_case(word)
            || (!word.is_ascii() && word.to_lowercase() == *t)
    })
}

/// Up to about `width` characters around the first occurrence of `anchor` (a phrase's
/// words in order), else of any of `terms`; the start of the text (after front matter)
/// when none occurs.
pub fn make(text: &str, terms: &[String], anchor: &[String], width: usize) -> Snippet {
    let loc = Locator::new(terms, anchor);
    around(text, loc.first(text.as_bytes()), &loc, width)
}

/// How much of a record's text the bytes given to [`from_bytes`] are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Whole,
    /// The start, and more can be read: ask again with more when the match may lie
    /// further on or its surroundings are cut off.
    Start,
    /// The start, and no more will be read.
    LastStart,
}

/// [`make`] on a record's raw bytes, perhaps only its start: only the piece around the
/// match is turned into text. `None` when `part` is [`Part::Start`] and more bytes could
/// give a better snippet (no phrase match yet, or the match too near the end).
pub fn from_bytes(bytes: &[u8], part: Part, loc: &Locator, width: usize) -> Option<Snippet> {
    // Enough bytes either side for `width` characters of up to 4 bytes each.
    let reach = 4 * width + 8;
    let first = loc.first(bytes);
    let cut = part != Part::Whole;
    if part == Part::Start {
        let phrase_needed = loc.anchor.len() >= 2;
        match first {
            Some((at, phrase)) if (phrase || !phrase_needed) && at + reach <= bytes.len() => {}
            _ => return None,
        }
    }
    let ellipsis_after = |snip: &mut Snippet, to: usize| {
        if (to < bytes.len() || cut) && !snip.text.ends_with('…') {
            snip.text.push('…');
        }
    };
    let Some((at, phrase)) = first else {
        // The start after any front matter: a few KiB are plenty.
        let to = bytes.len().min(16 * 1024);
        let mut snip = around(valid_prefix(&bytes[..to]), None, loc, width);
        ellipsis_after(&mut snip, to);
        return Some(snip);
    };
    let mut from = at.saturating_sub(reach);
    while from < at && bytes[from] & 0xC0 == 0x80 {
        from += 1;
    }
    let to = bytes.len().min(at + reach);
    let text = valid_prefix(&bytes[from..to]);
    let mut snip = around(text, Some((at - from, phrase)), loc, width);
    if from > 0 && !snip.text.starts_with('…') {
        snip.text.insert(0, '…');
        snip.marks.iter_mut().for_each(|m| {
            m.0 += '…'.len_utf8();
            m.1 += '…'.len_utf8();
        });
    }
    ellipsis_after(&mut snip, to);
    Some(snip)
}

/// The snippet around `first` (a byte offset in `text` and whether the phrase is there).
fn around(text: &str, first: Option<(usize, bool)>, loc: &Locator, width: usize) -> Snippet {
    let terms = &loc.terms;
    let phrase = loc.anchor.len() < 2 || first.is_some_and(|(_, p)| p);
    let (from, to) = match first {
        Some((s, _)) => {
            let from = back_chars(text, s, width / 3);
            (from, fwd_chars(text, from, width))
        }
        None => {
            let start = body_start(text);
            (start, fwd_chars(text, start, width))
        }
    };
    let piece = &text[from..to];
    // Collapse whitespace so a snippet is one line; map marks onto the collapsed text.
    let mut out = String::with_capacity(piece.len() + 2);
    let mut marks = Vec::new();
    let mut last = 0;
    if from > 0 && first.is_some() {
        out.push('…');
    }
    let mut ws = false;
    let mut pieces = Vec::new();
    for (s, e) in words(piece) {
        pieces.push((s, e));
    }
    for (s, e) in pieces {
        let gap = &piece[last..s];
        for c in gap.chars() {
            if c.is_whitespace() {
                if !ws && !out.is_empty() {
                    out.push(' ');
                }
                ws = true;
            } else {
                out.push(c);
                ws = false;
            }
        }
        let w = &piece[s..e];
        let at = out.len();
        out.push_str(w);
        ws = false;
        if !terms.is_empty() && matches(w, terms) {
            marks.push((at, out.len()));
        }
        last = e;
    }
    for c in piece[last..].chars() {
        if c.is_whitespace() {
            if !ws {
                out.push(' ');
            }
            ws = true;
        } else {
            out.push(c);
            ws = false;
        }
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    if to < text.len() {
        out.push('…');
    }
    Snippet {
        text: out,
        marks,
        phrase,
    }
}

/// Skip YAML front matter so a snippet without a match shows the doc's words.
fn body_start(text: &str) -> usize {
    if let Some(rest) = text.strip_prefix("---\n")
        && let Some(end) = rest.find("\n---\n")
    {
        return 4 + end + 5;
    }
    0
}

fn back_chars(text: &str, at: usize, n: usize) -> usize {
    let mut i = at;
    for (count, (idx, _)) in text[..at].char_indices().rev().enumerate() {
        if count >= n {
            break;
        }
        i = idx;
    }
    // Start at a word boundary.
    if i > 0
        && i < at
        && let Some(sp) = text[i..at].find(char::is_whitespace)
    {
        return i + sp + 1;
    }
    i
}

fn fwd_chars(text: &str, from: usize, n: usize) -> usize {
    text[from..]
        .char_indices()
        .nth(n)
        .map(|(i, _)| from + i)
        .unwrap_or(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_words_around_the_first_match() {
        let text = format!(
            "{} we enabled the write-intent Bitmap on md0\nthen rebooted",
            "filler ".repeat(40)
        );
        let t: Vec<String> = vec!["write".into(), "intent".into(), "bitmap".into()];
        let s = make(&text, &t, &t, 80);
        assert!(s.text.starts_with('…'), "{}", s.text);
        let marked: Vec<&str> = s.marks.iter().map(|&(a, b)| &s.text[a..b]).collect();
        assert_eq!(marked, vec!["write", "intent", "Bitmap"]);
        assert!(!s.text.contains('\n'));
        // The phrase wins over an earlier lone word.
        let s = make(
            "title: Mail\nWe moved /var/mail away",
            &["var".into(), "mail".into()],
            &["var".into(), "mail".into()],
            20,
        );
        assert!(
            s.text.starts_with("…We moved")
                || s.text.starts_with("We moved")
                || s.text.contains("/var/mail"),
            "{}",
            s.text
        );
        assert!(!s.text.starts_with("title"), "{}", s.text);
    }

    #[test]
    fn no_match_shows_the_start_after_front_matter() {
        let s = make("---\ntitle: x\n---\n# Heading\nbody", &[], &[], 80);
        assert_eq!(s.text, "# Heading body");
        assert!(s.marks.is_empty());
    }

    fn owned(w: &[&str]) -> Vec<String> {
        w.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn locates_on_raw_bytes_like_the_index_cuts_words() {
        let phrase = owned(&["degraded", "array"]);
        let loc = Locator::new(&phrase, &phrase);
        // A letter glued on (even a non-ASCII one) is another word; the phrase later in
        // the text beats the earlier lone word; separators between its words do not matter.
        let text = "éDEGRADED array; degraded disk; then EVENT_Degraded_Array here";
        let at = text.find("Degraded_").unwrap();
        assert_eq!(loc.first(text.as_bytes()), Some((at, true)));
        // Without the phrase the first lone word is the match.
        let text = "xdegraded, a degraded disk and an array";
        assert_eq!(
            loc.first(text.as_bytes()),
            Some((text.find("a degraded").unwrap() + 2, false))
        );
        // A read cut inside a character still finds what comes before it.
        let text = "the degraded array ü";
        let cut = &text.as_bytes()[..text.len() - 1];
        assert_eq!(loc.first(cut), Some((4, true)));
        // Non-ASCII query words take the word-by-word walk, with the same answer.
        let w = owned(&["größe", "array"]);
        let loc = Locator::new(&w, &w);
        let text = "Größe x; GRÖSSE; größe array";
        assert_eq!(
            loc.first(text.as_bytes()),
            Some((text.rfind("größe").unwrap(), true))
        );
    }

    #[test]
    fn a_snippet_from_bytes_equals_one_from_the_whole_text() {
        let words = owned(&["write", "intent", "bitmap"]);
        let loc = Locator::new(&words, &words);
        let long = format!(
            "{}then the write-intent bitmap was added to md0 {}",
            "über filler text ".repeat(200),
            "and more text ".repeat(200)
        );
        let whole = make(&long, &words, &words, 160);
        let piece = from_bytes(long.as_bytes(), Part::Whole, &loc, 160).unwrap();
        assert_eq!(piece, whole);
        assert!(piece.text.starts_with('…') && piece.text.ends_with('…'));
        let marked: Vec<&str> = piece
            .marks
            .iter()
            .map(|&(a, b)| &piece.text[a..b])
            .collect();
        assert_eq!(marked, vec!["write", "intent", "bitmap"]);
        // No match: the start of the text, cut short with an ellipsis.
        let zfs = Locator::new(&owned(&["zfs"]), &[]);
        assert_eq!(from_bytes(long.as_bytes(), Part::Start, &zfs, 40), None);
        let none = from_bytes(long.as_bytes(), Part::Whole, &zfs, 40).unwrap();
        assert!(none.text.starts_with("über filler") && none.text.ends_with('…'));
        assert!(none.marks.is_empty());
    }
}
