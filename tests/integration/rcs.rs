//! Integration tests: `worklog import rcs` against `,v` files made by real GNU RCS
//! (`apt-get install rcs`): texts, dates, authors, logs, order, branches, locks, damage.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::*;

/// Run a GNU RCS program in `dir`. Dates are given in UTC; locks belong to `rcsuser`.
fn rcs(dir: &Path, args: &[&str]) {
    let o = Command::new(args[0])
        .args(&args[1..])
        .current_dir(dir)
        .env("TZ", "UTC")
        .env("LOGNAME", "rcsuser")
        .env("USER", "rcsuser")
        .output()
        .unwrap_or_else(|e| panic!("{}: {e} (GNU RCS missing? apt-get install rcs)", args[0]));
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// One revision to check in: the working file's text, date (UTC), author and log.
#[derive(Clone)]
struct Rev {
    text: &'static str,
    date: &'static str,
    author: &'static str,
    log: &'static str,
}

const fn rev(
    text: &'static str,
    date: &'static str,
    author: &'static str,
    log: &'static str,
) -> Rev {
    Rev {
        text,
        date,
        author,
        log,
    }
}

/// Check in each revision of `name` in `dir` with `ci -l` (keeps it locked, as a user
/// who keeps working on it would). `extra` goes to every `ci` (e.g. `-f`).
fn checkin(dir: &Path, name: &str, revs: &[Rev], extra: &[&str]) {
    std::fs::create_dir_all(dir).unwrap();
    for (i, r) in revs.iter().enumerate() {
        let p = dir.join(name);
        if p.exists() {
            let mut perm = std::fs::metadata(&p).unwrap().permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perm.set_readonly(false);
            std::fs::set_permissions(&p, perm).unwrap();
        }
        std::fs::write(&p, r.text).unwrap();
        let d = format!("-d{} UTC", r.date);
        let w = format!("-w{}", r.author);
        let m = format!("-m{}", r.log);
        let mut args = vec!["ci", "-q", "-l", &d, &w, &m];
        if i == 0 {
            args.push("-t-description");
        }
        args.extend_from_slice(extra);
        args.push(name);
        rcs(dir, &args);
    }
}

/// Imported commits, oldest first: (commit, author, email, author date, full message).
fn imported(env: &TestEnv) -> Vec<(String, String, String, String, String)> {
    let out = env.git(&[
        "log",
        "--reverse",
        "--format=%H%x1f%an%x1f%ae%x1f%aI%x1f%B%x1e",
    ]);
    out.split('\x1e')
        .map(str::trim)
        .filter(|r| r.contains("Worklog-Import: rcs "))
        .map(|r| {
            let f: Vec<&str> = r.split('\x1f').collect();
            // git writes UTC as `Z`; RFC 3339 with an offset reads the same everywhere here.
            let date = f[3].replace('Z', "+00:00");
            (f[0].into(), f[1].into(), f[2].into(), date, f[4].into())
        })
        .collect()
}

const NOTES: [Rev; 3] = [
    rev(
        "# Notes\n\nmail: ann@example.org\nline two\nline three\n",
        "2001/01/10 12:00:00",
        "ann",
        "first notes\n\nwith a second paragraph",
    ),
    rev(
        "# Notes\n\nmail: ann@example.org\nline three\n@@ two ats @\n",
        "2001/03/10 12:00:00",
        "bob",
        "drop line two; mention @ signs",
    ),
    rev(
        "# Notes\n\nmail: ann@example.org\nline two\nline three\n@@ two ats @\n$Id$\n",
        "2001/05/10 12:00:00",
        "ann",
        "line two is back",
    ),
];
const BUILD: [Rev; 3] = [
    rev(
        "make\n",
        "1999/12/31 23:59:59",
        "carol",
        "initial build notes",
    ),
    rev("make\nmake install\n", "2001/02/10 08:30:00", "carol", ""),
    rev(
        "make\nmake install\n",
        "2001/04/10 08:30:00",
        "dave",
        "same text, checked in with -f",
    ),
];
const MOTD: [Rev; 2] = [
    rev(
        "Welcome",
        "2001/03/10 12:00:00",
        "erin",
        "motd without a final newline",
    ),
    rev(
        "Welcome\nback",
        "2001/06/01 00:00:00",
        "erin",
        "second line",
    ),
];

#[test]
fn every_trunk_revision_arrives_in_date_order() {
    let env = TestEnv::init();
    let old = env.tmp.path().join("old");
    checkin(&old, "notes.md", &NOTES, &[]);
    checkin(&old, "motd", &MOTD, &[]);
    std::fs::create_dir_all(old.join("sub/RCS")).unwrap();
    checkin(&old.join("sub"), "build.txt", &BUILD, &["-f"]);
    assert!(old.join("sub/RCS/build.txt,v").is_file() && old.join("notes.md,v").is_file());
    // RCS expanded the keyword in the working file; the stored text keeps `$Id$`.
    assert!(
        std::fs::read_to_string(old.join("notes.md"))
            .unwrap()
            .contains("$Id: notes.md,v 1.3 ")
    );

    let r = env.ok(&[
        "import",
        "rcs",
        old.to_str().unwrap(),
        "--domain",
        "example.org",
    ]);
    assert!(
        r.stdout
            .contains("imported 3 files (8 revisions, 8 commits)"),
        "{}",
        r.stdout
    );

    // (file as labelled, path in the root, revision, what RCS was given)
    let want: Vec<(&str, &str, &str, &Rev)> = vec![
        ("sub/RCS/build.txt,v", "sub/build.txt", "1.1", &BUILD[0]),
        ("notes.md,v", "notes.md", "1.1", &NOTES[0]),
        ("sub/RCS/build.txt,v", "sub/build.txt", "1.2", &BUILD[1]),
        ("motd,v", "motd", "1.1", &MOTD[0]),
        ("notes.md,v", "notes.md", "1.2", &NOTES[1]),
        ("sub/RCS/build.txt,v", "sub/build.txt", "1.3", &BUILD[2]),
        ("notes.md,v", "notes.md", "1.3", &NOTES[2]),
        ("motd,v", "motd", "1.2", &MOTD[1]),
    ];
    let got = imported(&env);
    assert_eq!(got.len(), want.len(), "{got:#?}");
    for ((commit, author, email, date, message), (label, path, revno, r)) in got.iter().zip(&want) {
        let trailer = format!("Worklog-Import: rcs {} {revno}", old.join(label).display());
        assert!(message.contains(&trailer), "{path} {revno}: {message}");
        let log = if r.log.is_empty() {
            "*** empty log message ***"
        } else {
            r.log
        };
        assert!(
            message.starts_with(&format!("{log}\n\n")),
            "{path} {revno}: {message:?}"
        );
        assert_eq!(author, r.author);
        assert_eq!(email, &format!("{}@example.org", r.author));
        let iso = format!("{}+00:00", r.date.replace('/', "-").replace(' ', "T"));
        assert_eq!(date, &iso, "{path} {revno}");
        assert_eq!(
            env.git(&["show", &format!("{commit}:{path}")]),
            r.text,
            "{path} {revno}"
        );
        // GNU RCS's own reconstruction agrees (keywords unexpanded with -ko).
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        let co = Command::new("co")
            .args(["-q", "-p", "-ko", &format!("-r{revno}"), name])
            .current_dir(old.join(dir))
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&co.stdout),
            r.text,
            "co -p {path} {revno}"
        );
    }
    // Committer dates too: `show --at` and the search index date versions by them.
    let cdates = env.git(&["log", "-1", "--format=%cI"]);
    assert_eq!(
        cdates.trim().replace('Z', "+00:00"),
        "2001-06-01T00:00:00+00:00"
    );

    // The working files differ from the head only by expanded keywords: nothing is left over.
    assert_eq!(env.git(&["status", "--porcelain"]), "");
    assert!(
        r.stderr
            .contains("notes.md,v: revision 1.3 is locked by rcsuser"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("its working file has no changes"),
        "{}",
        r.stderr
    );

    // The old versions are visible to the other commands with their real dates.
    assert_eq!(
        env.ok(&["show", "notes.md", "--at", "2001-04"]).stdout,
        NOTES[1].text
    );
    assert_eq!(
        env.ok(&["show", "notes.md", "--at", "2001-02-01"]).stdout,
        NOTES[0].text
    );
    let log = env.ok(&["log", "notes.md", "--json"]).json();
    let dates: Vec<&str> = log.iter().map(|v| v["date"].as_str().unwrap()).collect();
    assert_eq!(
        dates,
        [
            "2001-05-10T12:00:00+00:00",
            "2001-03-10T12:00:00+00:00",
            "2001-01-10T12:00:00+00:00"
        ]
    );
    assert_eq!(log[2]["author"], "ann");
    // Search sees the old versions too, dated by RCS: "line two" left in 1.2 and came back.
    let hits = env
        .ok(&["search", "\"line two\"", "--all-versions", "--json"])
        .json();
    let mut dates: Vec<&str> = hits
        .iter()
        .filter(|h| h["path"] == "notes.md")
        .map(|h| &h["date"].as_str().unwrap()[..10])
        .collect();
    dates.sort();
    assert_eq!(dates, ["2001-01-10", "2001-05-10"], "{hits:?}");
    // Imported history is history: nothing is waiting to be mailed.
    assert!(!env.ok(&["status", "--json"]).stdout.contains("unmailed"));
}

#[test]
fn branches_are_reported_and_skipped() {
    let env = TestEnv::init();
    let old = env.tmp.path().join("old");
    checkin(&old, "guide.md", &NOTES[..2], &[]);
    // A branch off 1.1: check 1.1 out locked and check a change in as 1.1.1.1.
    rcs(&old, &["co", "-q", "-f", "-l1.1", "guide.md"]);
    std::fs::write(old.join("guide.md"), "branch text\n").unwrap();
    rcs(
        &old,
        &[
            "ci",
            "-q",
            "-r1.1.1",
            "-d2001/04/01 00:00:00 UTC",
            "-wbob",
            "-mon a branch",
            "guide.md",
        ],
    );

    let r = env.ok(&["import", "rcs", old.join("guide.md,v").to_str().unwrap()]);
    assert!(
        r.stderr
            .contains("guide.md,v: skipped branch revision 1.1.1.1 (only the trunk is imported)"),
        "{}",
        r.stderr
    );
    assert!(
        r.stdout.contains("skipped 1 branch revision"),
        "{}",
        r.stdout
    );
    let got = imported(&env);
    assert_eq!(got.len(), 2);
    assert!(!env.git(&["log", "--format=%B"]).contains("on a branch"));
    assert_eq!(env.read("guide.md"), NOTES[1].text);
    assert_eq!(got[0].2, "ann@localhost");
}

#[test]
fn a_locked_file_with_changes_is_kept_uncommitted() {
    let env = TestEnv::init();
    let old = env.tmp.path().join("old");
    checkin(&old, "runbook.md", &NOTES[..2], &[]);
    checkin(&old, "plain.md", &MOTD[..1], &[]);
    // Release the lock, then check out again for editing, as a colleague did years ago.
    rcs(&old, &["rcs", "-q", "-u", "runbook.md"]);
    rcs(&old, &["co", "-q", "-f", "-l", "runbook.md"]);
    let edited = format!("{}unsaved work, never checked in\n", NOTES[1].text);
    std::fs::write(old.join("runbook.md"), &edited).unwrap();

    // Name the working file; its ,v is found beside it.
    let r = env.ok(&[
        "import",
        "rcs",
        old.join("runbook.md").to_str().unwrap(),
        old.join("plain.md").to_str().unwrap(),
    ]);
    assert!(
        r.stderr
            .contains("runbook.md,v: revision 1.2 is locked by rcsuser"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("uncommitted"), "{}", r.stderr);
    assert!(r.stdout.contains("1 left uncommitted"), "{}", r.stdout);
    assert_eq!(env.read("runbook.md"), edited);
    assert_eq!(env.git(&["show", "HEAD:runbook.md"]), NOTES[1].text);
    assert_eq!(env.git(&["status", "--porcelain"]), " M runbook.md\n");
    // worklog reports the kept work, and commits it when asked.
    let status = env.code(1, &["check"]);
    assert!(
        status.stdout.contains("uncommitted: runbook.md"),
        "{}",
        status.stdout
    );
    env.ok(&[
        "commit",
        "runbook.md",
        "-m",
        "the unsaved RCS work",
        "--no-mail",
    ]);
    assert_eq!(env.git(&["show", "HEAD:runbook.md"]), edited);
    env.ok(&["check"]);
}

#[test]
fn damaged_files_are_named_and_the_rest_import() {
    let env = TestEnv::init();
    let old = env.tmp.path().join("old");
    checkin(&old, "good.md", &NOTES, &[]);
    checkin(&old, "trunc.md", &NOTES, &[]);
    checkin(&old, "corrupt.md", &NOTES, &[]);
    std::fs::write(old.join("junk.md,v"), "# not an RCS file\n").unwrap();

    let trunc = old.join("trunc.md,v");
    let bytes = std::fs::read(&trunc).unwrap();
    std::fs::write(&trunc, &bytes[..bytes.len() * 2 / 3]).unwrap();

    // Damage the first diff command of the oldest revision (its text is the last one).
    let corrupt = old.join("corrupt.md,v");
    let mut bytes = std::fs::read(&corrupt).unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    let at = text.rfind("text\n@").unwrap() + "text\n@".len();
    assert!(
        matches!(bytes[at], b'a' | b'd'),
        "expected a diff command at {at}"
    );
    bytes[at] = b'x';
    std::fs::write(&corrupt, &bytes).unwrap();
    let line = text[..at].matches('\n').count() + 1;

    let r = env.code(1, &["import", "rcs", old.to_str().unwrap()]);
    let errors: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("worklog: error:"))
        .collect();
    assert_eq!(errors.len(), 3, "{}", r.stderr);
    let corrupt_label = corrupt.display().to_string();
    assert!(
        errors.iter().any(|e| e.contains(&format!(
            "{corrupt_label}: line {line} (byte {at}): revision 1.1: bad delta"
        ))),
        "{}",
        r.stderr
    );
    let trunc_label = trunc.display().to_string();
    assert!(
        errors
            .iter()
            .any(|e| e.contains(&format!("{trunc_label}: line ")) && e.contains("truncated")),
        "{}",
        r.stderr
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("junk.md,v: line 1 (byte 0): expected `head`")),
        "{}",
        r.stderr
    );
    assert!(
        r.stdout
            .contains("imported 1 file (3 revisions, 3 commits)")
            && r.stdout.contains("3 failed"),
        "{}",
        r.stdout
    );
    assert_eq!(imported(&env).len(), 3);
    assert_eq!(env.read("good.md"), NOTES[2].text);
    for gone in ["trunc.md", "corrupt.md", "junk.md"] {
        assert!(!env.root.join(gone).exists(), "{gone}");
    }
}

#[test]
fn never_overwrites_and_honours_into() {
    let env = TestEnv::init();
    let old = env.tmp.path().join("old");
    checkin(&old, "mine.md", &NOTES[..1], &[]);
    checkin(&old, "theirs.md", &MOTD, &[]);
    env.write("mine.md", "my own file, not committed\n");

    let r = env.code(1, &["import", "rcs", old.to_str().unwrap()]);
    assert!(
        r.stderr
            .contains("mine.md already exists in the doc root; not imported"),
        "{}",
        r.stderr
    );
    assert_eq!(env.read("mine.md"), "my own file, not committed\n");
    assert_eq!(env.read("theirs.md"), MOTD[1].text);

    // Again, now into a folder: both fit there.
    let r = env.ok(&[
        "import",
        "rcs",
        old.to_str().unwrap(),
        "--into",
        "archive/rcs",
    ]);
    assert!(
        r.stdout
            .contains("imported 2 files (3 revisions, 3 commits)"),
        "{}",
        r.stdout
    );
    assert_eq!(
        env.git(&["show", "HEAD:archive/rcs/theirs.md"]),
        MOTD[1].text
    );
    assert_eq!(
        env.git(&["show", "HEAD:archive/rcs/mine.md"]),
        NOTES[0].text
    );

    let r = env.code(
        2,
        &[
            "import",
            "rcs",
            old.to_str().unwrap(),
            "--into",
            "../elsewhere",
        ],
    );
    assert!(r.stderr.contains("--into ../elsewhere"), "{}", r.stderr);
    let r = env.code(
        2,
        &["import", "rcs", old.to_str().unwrap(), "--into", "mine.md"],
    );
    assert!(
        r.stderr.contains("--into mine.md: is a file"),
        "{}",
        r.stderr
    );
    let r = env.code(
        1,
        &[
            "import",
            "rcs",
            PathBuf::from("/nonexistent/x.md").to_str().unwrap(),
        ],
    );
    assert!(
        r.stderr.contains("/nonexistent/x.md: no RCS file for it"),
        "{}",
        r.stderr
    );
}

/// Real history round trip: every commit of the prometheus-runbooks corpus checked into
/// RCS with GNU `ci` (its dates, authors and subjects), imported back, and compared.
#[test]
fn real_docs_history_round_trips_through_rcs() {
    let Some(corpora) = corpora() else { return };
    let env = TestEnv::init();
    let src = env.tmp.path().join("runbooks");
    let o = Command::new("git")
        .args(["clone", "-q"])
        .arg(corpora.join("prometheus-runbooks.bundle"))
        .arg(&src)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let git = |args: &[&str]| {
        let o = Command::new("git")
            .args(args)
            .current_dir(&src)
            .output()
            .unwrap();
        assert!(o.status.success(), "git {args:?}");
        String::from_utf8(o.stdout).unwrap()
    };
    let log = git(&[
        "log",
        "--reverse",
        "--date-order",
        "--no-merges",
        "--format=%x01%H%x1f%ct%x1f%ae%x1f%s",
        "--name-only",
        "--diff-filter=AM",
        "--",
        "*.md",
    ]);

    // (,v path relative to the RCS tree, revision) -> (text, unix time, author, log)
    let mut want = std::collections::HashMap::new();
    let mut last: std::collections::HashMap<String, (u32, i64)> = std::collections::HashMap::new();
    let rcs_tree = env.tmp.path().join("rcs");
    for entry in log.split('\x01').filter(|e| !e.trim().is_empty()) {
        let (head, files) = entry.split_once('\n').unwrap();
        let f: Vec<&str> = head.split('\x1f').collect();
        let (commit, mut time, email, subject) = (f[0], f[1].parse::<i64>().unwrap(), f[2], f[3]);
        // An RCS id has no `.`, `@`, `:` or spaces.
        let author: String = email
            .split('@')
            .next()
            .unwrap()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let subject = if subject.trim().is_empty() {
            "(no subject)"
        } else {
            subject
        };
        for path in files.lines().filter(|l| !l.is_empty()) {
            let text = git(&["show", &format!("{commit}:{path}")]);
            let (n, prev) = last.get(path).copied().unwrap_or((0, i64::MIN));
            // ci insists that dates grow along a file's trunk.
            time = time.max(prev + 1);
            let work = rcs_tree.join(path);
            let dir = work.parent().unwrap();
            std::fs::create_dir_all(dir.join("RCS")).unwrap();
            if work.exists() {
                let mut perm = std::fs::metadata(&work).unwrap().permissions();
                #[allow(clippy::permissions_set_readonly_false)]
                perm.set_readonly(false);
                std::fs::set_permissions(&work, perm).unwrap();
            }
            std::fs::write(&work, &text).unwrap();
            let date = chrono::DateTime::from_timestamp(time, 0)
                .unwrap()
                .format("-d%Y/%m/%d %H:%M:%S UTC")
                .to_string();
            let name = work.file_name().unwrap().to_str().unwrap();
            let (w, m) = (format!("-w{author}"), format!("-m{subject}"));
            let mut args = vec!["ci", "-q", "-f", "-l", &date, &w, &m];
            if n == 0 {
                args.push("-t-runbook");
            }
            args.push(name);
            rcs(dir, &args);
            let rev = format!("1.{}", n + 1);
            let rel_rcs = Path::new(path)
                .parent()
                .unwrap()
                .join("RCS")
                .join(format!("{name},v"));
            want.insert(
                (rel_rcs.display().to_string(), rev),
                (text, time, author.clone(), subject.to_string()),
            );
            last.insert(path.to_string(), (n + 1, time));
        }
    }
    assert!(want.len() > 200, "only {} revisions", want.len());

    let r = env.ok(&["import", "rcs", "../rcs", "--into", "runbooks"]);
    assert!(
        r.stdout.contains(&format!(
            "imported {} files ({} revisions, {} commits)",
            last.len(),
            want.len(),
            want.len()
        )),
        "{}",
        r.stdout
    );
    let out = env.git(&["log", "--reverse", "--format=%H%x1f%at%x1f%an%x1f%B%x1e"]);
    let mut seen = 0;
    let mut prev_time = 0i64;
    for rec in out
        .split('\x1e')
        .map(str::trim)
        .filter(|r| r.contains("Worklog-Import: rcs "))
    {
        let f: Vec<&str> = rec.split('\x1f').collect();
        let (commit, time, author, message) = (f[0], f[1].parse::<i64>().unwrap(), f[2], f[3]);
        let trailer = message.lines().last().unwrap();
        let rest = trailer.strip_prefix("Worklog-Import: rcs ../rcs/").unwrap();
        let (label, rev) = rest.rsplit_once(' ').unwrap();
        let (text, t, a, subject) = &want[&(label.to_string(), rev.to_string())];
        let target = format!(
            "runbooks/{}",
            label.replace("RCS/", "").trim_end_matches(",v")
        );
        assert_eq!(
            &env.git(&["show", &format!("{commit}:{target}")]),
            text,
            "{label} {rev}"
        );
        assert_eq!((time, author), (*t, a.as_str()), "{label} {rev}");
        assert!(
            message.starts_with(subject.as_str()),
            "{label} {rev}: {message}"
        );
        assert!(time >= prev_time, "{label} {rev} out of date order");
        prev_time = time;
        seen += 1;
    }
    assert_eq!(seen, want.len());
}

/// CVS marks a removed file's last revision `dead`; that revision removes the file.
#[test]
fn a_dead_revision_removes_the_file() {
    let env = TestEnv::init();
    let old = env.tmp.path().join("old");
    checkin(&old, "gone.md", &NOTES, &[]);
    rcs(&old, &["rcs", "-q", "-sdead:1.3", "gone.md"]);
    std::fs::remove_file(old.join("gone.md")).unwrap();

    let r = env.ok(&["import", "rcs", old.join("gone.md,v").to_str().unwrap()]);
    assert!(
        r.stdout.contains("(3 revisions, 3 commits)"),
        "{}",
        r.stdout
    );
    assert!(!env.root.join("gone.md").exists());
    assert_eq!(env.git(&["show", "HEAD~1:gone.md"]), NOTES[1].text);
    let last = env.git(&["show", "--format=%s", "--name-status", "HEAD"]);
    assert!(
        last.starts_with("line two is back\n") && last.contains("D\tgone.md"),
        "{last}"
    );
    assert_eq!(env.git(&["status", "--porcelain"]), "");
}
