//! Listing a Maildir's messages: `cur/` and `new/` of the top folder and of every
//! Maildir++ `.folder`, skipping `tmp/`, Dovecot's index files and anything else that is
//! not a message file.

use std::path::{Path, PathBuf};

/// One message file: its stable name (the part before `:2,flags`, which stays the same
/// when a reader moves it from new/ to cur/ or changes flags) and where it is now.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: String,
    pub path: PathBuf,
}

/// Every message file under `root`.
pub fn list(root: &Path) -> Vec<Entry> {
    let mut out = Vec::new();
    list_folder(root, "", &mut out);
    if let Ok(rd) = std::fs::read_dir(root) {
        let mut subs: Vec<_> = rd
            .filter_map(|e| e.ok())
            .filter(|e| {
                let n = e.file_name();
                let n = n.to_string_lossy();
                n.starts_with('.')
                    && n != "."
                    && n != ".."
                    && e.file_type().map(|t| t.is_dir()).unwrap_or(false)
            })
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        subs.sort();
        for s in subs {
            list_folder(&root.join(&s), &s, &mut out);
        }
    }
    out
}

fn list_folder(dir: &Path, folder: &str, out: &mut Vec<Entry>) {
    for sub in ["cur", "new"] {
        let Ok(rd) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for e in rd.filter_map(|e| e.ok()) {
            let fname = e.file_name();
            let Some(fname) = fname.to_str() else {
                continue;
            };
            if !is_message_name(fname) || !e.file_type().map(|t| t.is_file()).unwrap_or(false) {
                continue;
            }
            let stable = fname.split(':').next().unwrap_or(fname);
            let name = if folder.is_empty() {
                stable.to_string()
            } else {
                format!("{folder}/{stable}")
            };
            out.push(Entry {
                name,
                path: e.path(),
            });
        }
    }
}

/// Dovecot (`dovecot.index*`, `dovecot-uidlist`, `dovecot-keywords`), Courier
/// (`courierimap*`), `maildirfolder`, `subscriptions` and hidden files are not messages.
fn is_message_name(n: &str) -> bool {
    !(n.starts_with('.')
        || n.starts_with("dovecot")
        || n.starts_with("courier")
        || n == "maildirfolder"
        || n == "subscriptions"
        || n.ends_with(".lock"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_messages_and_skips_the_rest() {
        let t = tempfile::tempdir().unwrap();
        let r = t.path();
        for d in ["cur", "new", "tmp", ".Sent/cur", ".Sent/new", ".Sent/tmp"] {
            std::fs::create_dir_all(r.join(d)).unwrap();
        }
        std::fs::write(r.join("new/1.a.host"), "x").unwrap();
        std::fs::write(r.join("cur/2.b.host:2,S"), "x").unwrap();
        std::fs::write(r.join("tmp/3.c.host"), "x").unwrap();
        std::fs::write(r.join("cur/dovecot.index.log"), "x").unwrap();
        std::fs::write(r.join("dovecot-uidlist"), "x").unwrap();
        std::fs::write(r.join(".Sent/cur/4.d.host:2,"), "x").unwrap();
        std::fs::write(r.join(".Sent/maildirfolder"), "").unwrap();
        let mut names: Vec<String> = list(r).into_iter().map(|e| e.name).collect();
        names.sort();
        assert_eq!(names, vec![".Sent/4.d.host", "1.a.host", "2.b.host"]);
    }
}
