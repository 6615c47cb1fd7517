//! A parsed doc: front matter, title, and task items with their lines.

use std::fmt;

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use super::front_matter::{self, FrontMatter};
use super::markdown;

/// One `- [ ]` / `- [x]` item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    /// 1-based line in the file.
    pub line: usize,
    /// Byte offset of the `[` of the marker.
    pub marker: usize,
    pub done: bool,
    /// The item's own text (first paragraph, inline markup dropped).
    pub text: String,
    /// 0 for a top-level item, 1 for an item nested in another, ...
    pub depth: usize,
    /// The nearest heading above the item.
    pub section: Option<String>,
}

/// A doc's text, read and understood.
#[derive(Debug, Clone)]
pub struct Document {
    /// Path relative to the doc root, with `/` separators.
    pub path: String,
    pub text: String,
    pub front: FrontMatter,
    pub title: String,
    pub tasks: Vec<Task>,
}

/// Why a file could not be read as a doc: names the file and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocError {
    pub path: String,
    pub line: Option<usize>,
    pub msg: String,
}

impl fmt::Display for DocError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}: {}", self.path, self.msg),
            None => write!(f, "{}: {}", self.path, self.msg),
        }
    }
}

impl std::error::Error for DocError {}

impl From<DocError> for crate::error::Error {
    fn from(e: DocError) -> Self {
        crate::error::Error::user(e.to_string())
    }
}

impl Document {
    /// Parse a doc from its bytes. `path` is relative to the root.
    pub fn parse(path: &str, bytes: &[u8]) -> Result<Document, DocError> {
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t.to_string(),
            Err(e) => {
                let line = bytes[..e.valid_up_to()]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
                    + 1;
                return Err(DocError {
                    path: path.to_string(),
                    line: Some(line),
                    msg: format!("not UTF-8 text (bad byte at offset {})", e.valid_up_to()),
                });
            }
        };
        Self::parse_str(path, text)
    }

    pub fn parse_str(path: &str, text: String) -> Result<Document, DocError> {
        let front = match front_matter::locate(&text) {
            Some(span) => front_matter::parse(&text, span).map_err(|e| DocError {
                path: path.to_string(),
                line: Some(e.line),
                msg: e.msg,
            })?,
            None => FrontMatter::default(),
        };
        let (heading, tasks) = scan(&text);
        let title = front
            .title
            .clone()
            .filter(|t| !t.trim().is_empty())
            .or(heading)
            .unwrap_or_else(|| file_stem(path).to_string());
        Ok(Document {
            path: path.to_string(),
            text,
            front,
            title,
            tasks,
        })
    }

    /// The doc's kind: its top folder (`None` for files at the root).
    pub fn kind(&self) -> Option<&str> {
        kind_of(&self.path)
    }

    /// Ticked and total task items.
    pub fn progress(&self) -> (usize, usize) {
        (
            self.tasks.iter().filter(|t| t.done).count(),
            self.tasks.len(),
        )
    }

    /// The body after the front matter.
    pub fn body(&self) -> &str {
        match front_matter::locate(&self.text) {
            Some(span) => &self.text[span.body_start..],
            None => &self.text,
        }
    }
}

/// The top folder of a root-relative path, if it has one.
pub fn kind_of(path: &str) -> Option<&str> {
    path.split_once('/').map(|(k, _)| k)
}

/// True for a root-relative path that is a doc: a `.md` file outside hidden folders and
/// `templates/` (the rule `list_docs` walks by, for paths that come from git).
pub fn is_doc_path(p: &str) -> bool {
    p.ends_with(".md") && !p.starts_with("templates/") && !p.split('/').any(|c| c.starts_with('.'))
}

/// True for completed checklists under `checklists/archive/`.
pub fn is_archived(path: &str) -> bool {
    path.starts_with("checklists/archive/")
}

/// The file name without directories and without `.md`.
pub fn file_stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".md").unwrap_or(name)
}

/// Accept the singular spelling of the built-in kinds.
pub fn normalize_kind(kind: &str) -> String {
    match kind.trim_end_matches('/') {
        "checklist" => "checklists".to_string(),
        k => k.to_string(),
    }
}

/// First level-1 heading and every task item, in one pass.
fn scan(text: &str) -> (Option<String>, Vec<Task>) {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |off: usize| line_starts.partition_point(|&s| s <= off);

    let mut title: Option<String> = None;
    let mut tasks: Vec<Task> = Vec::new();
    let mut section: Option<String> = None;
    let mut heading: Option<(HeadingLevel, String)> = None;
    let mut list_depth = 0usize;
    // Index of the task whose text we are collecting, and the item depth it lives at.
    let mut collecting: Option<(usize, usize)> = None;
    let mut in_metadata = false;

    for (ev, range) in markdown::parser(text).into_offset_iter() {
        match ev {
            Event::Start(Tag::MetadataBlock(_)) => in_metadata = true,
            Event::End(TagEnd::MetadataBlock(_)) => in_metadata = false,
            _ if in_metadata => {}
            Event::Start(Tag::Heading { level, .. }) => heading = Some((level, String::new())),
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, h)) = heading.take() {
                    let h = h.trim().to_string();
                    if level == HeadingLevel::H1 && title.is_none() && !h.is_empty() {
                        title = Some(h.clone());
                    }
                    section = Some(h);
                }
            }
            Event::Start(Tag::List(_)) => list_depth += 1,
            Event::End(TagEnd::List(_)) => list_depth = list_depth.saturating_sub(1),
            Event::Start(Tag::Item) => {
                // A nested item ends the text of its parent.
                collecting = None;
            }
            Event::End(TagEnd::Item) => collecting = None,
            Event::End(TagEnd::Paragraph) => collecting = None,
            Event::TaskListMarker(done) => {
                let marker = text[range.start..]
                    .find('[')
                    .map_or(range.start, |i| range.start + i);
                tasks.push(Task {
                    line: line_of(marker),
                    marker,
                    done,
                    text: String::new(),
                    depth: list_depth.saturating_sub(1),
                    section: section.clone(),
                });
                collecting = Some((tasks.len() - 1, list_depth));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, h)) = heading.as_mut() {
                    h.push_str(&t);
                } else if let Some((i, _)) = collecting {
                    tasks[i].text.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((i, _)) = collecting {
                    tasks[i].text.push(' ');
                }
            }
            _ => {}
        }
    }
    for t in &mut tasks {
        t.text = t.text.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    (title, tasks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_falls_back_from_front_matter_to_heading_to_name() {
        let d = Document::parse("howto/x.md", b"---\ntitle: From FM\n---\n# Heading\n").unwrap();
        assert_eq!(d.title, "From FM");
        let d = Document::parse("howto/x.md", b"intro\n\n## Sub\n# Real *title*\n").unwrap();
        assert_eq!(d.title, "Real title");
        let d = Document::parse("howto/restore-db.md", b"no heading\n").unwrap();
        assert_eq!(d.title, "restore-db");
        assert_eq!(d.kind(), Some("howto"));
    }

    #[test]
    fn tasks_with_lines_depth_and_sections() {
        let text = "---\ntags: [a]\n---\n# Migrate\n\n## Prepare\n\n- [ ] snapshot `tank/home`\n  - [x] check free space\n    on the pool\n- [X] tell users\n\n## Cut over\n\n1. [ ] zfs send\n* not a task\n";
        let d = Document::parse("checklists/m.md", text.as_bytes()).unwrap();
        let got: Vec<_> = d
            .tasks
            .iter()
            .map(|t| {
                (
                    t.line,
                    t.done,
                    t.text.as_str(),
                    t.depth,
                    t.section.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (8, false, "snapshot tank/home", 0, Some("Prepare")),
                (9, true, "check free space on the pool", 1, Some("Prepare")),
                (11, true, "tell users", 0, Some("Prepare")),
                (15, false, "zfs send", 0, Some("Cut over")),
            ]
        );
        for t in &d.tasks {
            assert_eq!(&text[t.marker..t.marker + 1], "[");
        }
        assert_eq!(d.progress(), (2, 4));
    }

    #[test]
    fn non_utf8_names_file_and_line() {
        let err = Document::parse("howto/bad.md", b"ok\nline two \xff\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "howto/bad.md:2: not UTF-8 text (bad byte at offset 12)"
        );
    }

    #[test]
    fn broken_front_matter_names_file_and_line() {
        let err =
            Document::parse("build/h.md", b"---\ntitle: x\ntags: [a\n---\nbody\n").unwrap_err();
        assert!(err.to_string().starts_with("build/h.md:"), "{err}");
        assert!(err.line.is_some());
    }
}
