//! Snippets: a short piece of a record's text around the first place its query words
//! occur, with the matched words' byte ranges. Scans only as far as the first match
//! (cheap for long mails), comparing words the way the index cut them.

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

/// `word` at byte `at` of `text` stands alone (no letter or digit glued to it).
fn alone(text: &str, at: usize, len: usize) -> bool {
    let before = text[..at]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric());
    let after = text[at + len..]
        .chars()
        .next()
        .is_none_or(|c| !c.is_alphanumeric());
    before && after
}

/// For ASCII query words: substring search over a lower-cased copy (same byte offsets),
/// which is much faster on long mails than walking every word.
fn fast_first(text: &str, terms: &[String], anchor: &[String]) -> Option<(usize, bool)> {
    thread_local! {
        // Reused: listing many long mails would otherwise allocate (and fault in) a
        // fresh copy for each.
        static LOWER: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    LOWER.with_borrow_mut(|lower| {
        lower.clear();
        lower.push_str(text);
        lower.make_ascii_lowercase();
        first_in(text, lower, terms, anchor)
    })
}

fn first_in(text: &str, lower: &str, terms: &[String], anchor: &[String]) -> Option<(usize, bool)> {
    if anchor.len() >= 2 {
        for (pos, _) in lower.match_indices(anchor[0].as_str()) {
            if !alone(lower, pos, anchor[0].len()) {
                continue;
            }
            let mut w = words(&text[pos..]);
            if anchor.iter().all(|t| {
                w.next()
                    .is_some_and(|(a, b)| matches(&text[pos + a..pos + b], std::slice::from_ref(t)))
            }) {
                return Some((pos, true));
            }
        }
    }
    terms
        .iter()
        .filter(|t| !t.is_empty())
        .filter_map(|t| {
            lower
                .match_indices(t.as_str())
                .map(|(p, _)| p)
                .find(|&p| alone(lower, p, t.len()))
        })
        .min()
        .map(|p| (p, false))
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
    let first = if terms.iter().chain(anchor).all(|t| t.is_ascii()) {
        fast_first(text, terms, anchor)
    } else {
        find_sequence(text, anchor)
            .map(|(s, _)| (s, true))
            .or_else(|| {
                words(text)
                    .find(|&(s, e)| matches(&text[s..e], terms))
                    .map(|(s, _)| (s, false))
            })
    };
    let phrase = anchor.len() < 2 || first.is_some_and(|(_, p)| p);
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
}
