//! Checklist lifecycle on a doc's text: pick an item, tick or untick it, add a note, mark
//! skipped items when archiving, and make a fresh copy for the next run. Pure text in,
//! text out; the commands commit the results.

use crate::doc::{Document, Task, front_matter};
use crate::error::{Error, Result};

/// Marker appended to items left unticked by `archive --force`.
const SKIPPED: &str = " _(skipped when archived ";

/// Which item a `tick` means.
pub fn select<'d>(doc: &'d Document, item: Option<&str>, undo: bool) -> Result<(usize, &'d Task)> {
    if doc.tasks.is_empty() {
        return Err(Error::user(format!(
            "{}: has no task items (`- [ ] ...`)",
            doc.path
        )));
    }
    let numbered = || doc.tasks.iter().enumerate().map(|(i, t)| (i + 1, t));
    let Some(item) = item else {
        let found = if undo {
            numbered().rfind(|(_, t)| t.done)
        } else {
            numbered().find(|(_, t)| !t.done)
        };
        return found.ok_or_else(|| {
            Error::user(format!(
                "{}: {}",
                doc.path,
                if undo {
                    "no ticked item to untick"
                } else {
                    "every item is ticked already"
                }
            ))
            .with_hint(format!(
                "`worklog checklist archive {}` files it as completed",
                doc.path
            ))
        });
    };
    if let Ok(n) = item.trim().parse::<usize>() {
        return doc
            .tasks
            .get(n.wrapping_sub(1))
            .map(|t| (n, t))
            .ok_or_else(|| {
                Error::user(format!(
                    "{}: no item {n} (it has {})",
                    doc.path,
                    doc.tasks.len()
                ))
            });
    }
    let needle = item.to_lowercase();
    let exact: Vec<_> = numbered()
        .filter(|(_, t)| t.text.to_lowercase() == needle)
        .collect();
    let matches = if exact.len() == 1 {
        exact
    } else {
        numbered()
            .filter(|(_, t)| t.text.to_lowercase().contains(&needle))
            .collect()
    };
    match matches.len() {
        1 => Ok(matches[0]),
        0 => Err(
            Error::user(format!("{}: no item matches {item:?}", doc.path)).with_hint(format!(
                "`worklog checklist show {}` lists the items with numbers",
                doc.path
            )),
        ),
        n => {
            let mut err = Error::user(format!(
                "{}: {item:?} matches {n} items; name one by number",
                doc.path
            ));
            for (i, t) in matches {
                err = err.with_detail(format!(
                    "  {i}. [{}] {}",
                    if t.done { 'x' } else { ' ' },
                    t.text
                ));
            }
            Err(err)
        }
    }
}

/// Set the item's box to ticked or not.
pub fn set_done(text: &str, task: &Task, done: bool) -> String {
    let mut out = text.to_string();
    let at = task.marker + 1;
    out.replace_range(at..at + 1, if done { "x" } else { " " });
    out
}

/// Insert a note as a nested bullet under the item (after the item's own paragraph).
pub fn add_note(text: &str, task: &Task, note_line: &str) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let item_idx = task.line - 1;
    let indent = task.marker - line_start(text, task.marker);
    // The item's paragraph continues on following lines that are not blank, not a new list
    // item and not less indented than the item's text.
    let mut end = item_idx + 1;
    while end < lines.len() {
        let l = lines[end];
        let t = l.trim_start();
        let lead = l.len() - t.len();
        if t.trim().is_empty() || starts_list_item(t) || t.starts_with('#') || lead < indent.min(2)
        {
            break;
        }
        end += 1;
    }
    let mut out = String::with_capacity(text.len() + note_line.len() + indent + 4);
    for l in &lines[..end] {
        out.push_str(l);
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&format!("{}- {note_line}\n", " ".repeat(indent)));
    for l in &lines[end..] {
        out.push_str(l);
    }
    out
}

fn line_start(text: &str, off: usize) -> usize {
    text[..off].rfind('\n').map_or(0, |i| i + 1)
}

fn starts_list_item(t: &str) -> bool {
    if t.starts_with("- ") || t.starts_with("* ") || t.starts_with("+ ") {
        return true;
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && (t[digits..].starts_with(". ") || t[digits..].starts_with(") "))
}

/// The note line `tick --note` adds.
pub fn note_line(date: &str, user: &str, note: &str) -> String {
    format!("note {date} ({user}): {}", note.replace('\n', " "))
}

/// Mark every unticked item as skipped (for `archive --force`); returns the new text and
/// the skipped items' texts.
pub fn mark_skipped(doc: &Document, date: &str) -> (String, Vec<String>) {
    let mut text = doc.text.clone();
    let mut skipped = Vec::new();
    // Back to front, so earlier offsets stay valid.
    for t in doc.tasks.iter().rev().filter(|t| !t.done) {
        let end = text[t.marker..]
            .find('\n')
            .map_or(text.len(), |i| t.marker + i);
        text.insert_str(end, &format!("{SKIPPED}{date})_"));
        skipped.push(t.text.clone());
    }
    skipped.reverse();
    (text, skipped)
}

/// A fresh copy for the next run: every item unticked, notes and skip marks dropped, and
/// the front matter's run keys replaced.
pub fn fresh_copy(doc: &Document, started: &str, derived_from: &str, tags: &[String]) -> String {
    let mut text = doc.text.clone();
    for t in doc.tasks.iter().rev().filter(|t| t.done) {
        text.replace_range(t.marker + 1..t.marker + 2, " ");
    }
    let text: String = text
        .split_inclusive('\n')
        .filter(|l| !is_note_line(l))
        .map(|l| match l.find(SKIPPED) {
            Some(i) => {
                let rest = &l[i + SKIPPED.len()..];
                let close = rest.find(")_").map_or(rest.len(), |j| j + 2);
                format!("{}{}", &l[..i], &rest[close..])
            }
            None => l.to_string(),
        })
        .collect();
    let text = front_matter::set(&text, "completed", &front_matter::Value::Remove);
    let text = front_matter::set(&text, "skipped", &front_matter::Value::Remove);
    let text = front_matter::set(
        &text,
        "started",
        &front_matter::Value::Scalar(started.to_string()),
    );
    let text = front_matter::set(
        &text,
        "derived-from",
        &front_matter::Value::Scalar(derived_from.to_string()),
    );
    if tags.is_empty() {
        text
    } else {
        front_matter::set(&text, "tags", &front_matter::Value::List(tags.to_vec()))
    }
}

fn is_note_line(l: &str) -> bool {
    let t = l.trim_start();
    let Some(rest) = t.strip_prefix("- note ") else {
        return false;
    };
    rest.len() > 11
        && rest.as_bytes()[4] == b'-'
        && rest.as_bytes()[7] == b'-'
        && rest[10..].starts_with(" (")
}

/// Where an archived checklist goes: `checklists/archive/YYYY/YYYY-MM-DD-NAME.md`.
pub fn archive_path(date: &str, name: &str) -> String {
    format!("checklists/archive/{}/{date}-{name}.md", &date[..4])
}

/// The checklist's name for a new run: an archived `2015-02-14-fs-migration` is `fs-migration`.
pub fn base_name(path: &str) -> String {
    let stem = crate::doc::file_stem(path);
    let b = stem.as_bytes();
    let dated = b.len() > 11
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'-'
        && stem[..4].chars().all(|c| c.is_ascii_digit());
    if dated {
        stem[11..].to_string()
    } else {
        stem.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = "---\ntitle: Migrate\ntags: [zfs]\nstarted: 2015-02-01\n---\n# Migrate\n\n## Prepare\n\n- [x] snapshot tank\n- [ ] check free space\n  on the new pool\n  - [ ] nested: zpool list\n\n## Cut over\n\n1. [ ] zfs send tank\n2. [ ] zfs receive\n";

    fn doc(text: &str) -> Document {
        Document::parse("checklists/m.md", text.as_bytes()).unwrap()
    }

    #[test]
    fn select_by_default_number_text_and_ambiguity() {
        let d = doc(LIST);
        assert_eq!(select(&d, None, false).unwrap().0, 2);
        assert_eq!(select(&d, None, true).unwrap().0, 1);
        assert_eq!(
            select(&d, Some("4"), false).unwrap().1.text,
            "zfs send tank"
        );
        assert_eq!(select(&d, Some("ZPOOL"), false).unwrap().0, 3);
        let err = select(&d, Some("zfs"), false).unwrap_err();
        assert_eq!(
            err.details(),
            ["  4. [ ] zfs send tank", "  5. [ ] zfs receive"]
        );
        assert!(select(&d, Some("9"), false).is_err());
        assert!(
            select(&doc("# none\n"), None, false)
                .unwrap_err()
                .message()
                .contains("no task items")
        );
    }

    #[test]
    fn notes_go_under_the_item_paragraph_and_fresh_copy_removes_them() {
        let d = doc(LIST);
        let (_, t) = select(&d, Some("2"), false).unwrap();
        let ticked = set_done(&d.text, t, true);
        let noted = add_note(&ticked, t, &note_line("2015-02-03", "Ann", "480G free"));
        assert!(noted.contains("- [x] check free space\n  on the new pool\n  - note 2015-02-03 (Ann): 480G free\n  - [ ] nested"), "{noted}");
        let d2 = doc(&noted);
        assert_eq!(d2.tasks.len(), 5, "a note is not a task");
        assert_eq!(d2.progress(), (2, 5));
        let (skipped_text, skipped) = mark_skipped(&d2, "2015-02-14");
        assert_eq!(
            skipped,
            ["nested: zpool list", "zfs send tank", "zfs receive"]
        );
        let fresh = fresh_copy(
            &doc(&skipped_text),
            "2026-12-04",
            "checklists/archive/x.md@abc",
            &["zfs".into(), "again".into()],
        );
        let f = doc(&fresh);
        assert_eq!(f.progress(), (0, 5));
        assert!(
            !fresh.contains("note 2015") && !fresh.contains("skipped"),
            "{fresh}"
        );
        assert_eq!(f.front.started.as_deref(), Some("2026-12-04"));
        assert_eq!(
            f.front.derived_from.as_deref(),
            Some("checklists/archive/x.md@abc")
        );
        assert_eq!(f.front.tags, ["zfs", "again"]);
        assert_eq!(
            f.tasks.iter().map(|t| t.text.as_str()).collect::<Vec<_>>(),
            d.tasks.iter().map(|t| t.text.as_str()).collect::<Vec<_>>()
        );
    }

    #[test]
    fn names_and_archive_paths() {
        assert_eq!(
            archive_path("2015-02-14", "fs-migration"),
            "checklists/archive/2015/2015-02-14-fs-migration.md"
        );
        assert_eq!(
            base_name("checklists/archive/2015/2015-02-14-fs-migration.md"),
            "fs-migration"
        );
        assert_eq!(base_name("checklists/fs-migration.md"), "fs-migration");
    }
}
