//! Integration tests: checklists as a lifecycle — start, tick, archive, find again, reuse.

use std::path::Path;

use crate::harness::*;

/// Subjects of the messages in a Maildir, oldest first (by file name, which starts with
/// the delivery time).
fn maildir_subjects(dir: &Path) -> Vec<String> {
    let mut files: Vec<_> = ["new", "cur"]
        .iter()
        .flat_map(|sub| std::fs::read_dir(dir.join(sub)).into_iter().flatten())
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| {
            let raw = std::fs::read(f).unwrap();
            let msg = mail_parser::MessageParser::default()
                .parse(&raw)
                .expect("a parsable message");
            msg.subject().unwrap_or("").to_string()
        })
        .collect()
}

fn env_with_maildir() -> (TestEnv, std::path::PathBuf) {
    let mut env = TestEnv::init();
    let maildir = env.tmp.path().join("worklog-mail");
    env.set("WORKLOG_MAILDIR", maildir.display().to_string());
    (env, maildir)
}

#[test]
fn the_whole_story_from_2015_to_2026() {
    let (mut env, maildir) = env_with_maildir();
    env.now("2015-02-01T09:00:00+01:00");
    let r = env.ok(&[
        "checklist",
        "start",
        "checklist",
        "--as",
        "fs-migration",
        "--tag",
        "zfs",
    ]);
    assert_eq!(r.stdout.trim(), "checklists/fs-migration.md");
    let doc = "checklists/fs-migration.md";
    let total = env.ok(&["checklist", "show", doc, "--json"]).json()[0]["total"]
        .as_u64()
        .unwrap();
    assert!(total >= 5);
    // Work through it over two weeks, leaving the last item undone.
    for day in 0..total - 1 {
        env.now(&format!("2015-02-{:02}T10:00:00+01:00", 2 + day));
        env.ok(&["checklist", "tick", "fs-migration"]);
    }
    env.now("2015-02-14T17:00:00+01:00");
    let r = env.code(2, &["checklist", "archive", "fs-migration"]);
    assert!(
        r.stderr.contains("1 of") && r.stderr.contains("--force"),
        "{}",
        r.stderr
    );
    let r = env.ok(&[
        "checklist",
        "archive",
        "fs-migration",
        "--force",
        "--tag",
        "migration",
    ]);
    let archived = "checklists/archive/2015/2015-02-14-fs-migration.md";
    assert_eq!(r.stdout.trim(), archived);
    assert!(!env.root.join(doc).exists());
    let text = env.read(archived);
    assert!(
        text.contains("completed: 2015-02-14") && text.contains("skipped:"),
        "{text}"
    );
    assert!(text.contains("tags: [zfs, migration]"), "{text}");
    // git follows the move: the archived copy's history includes every tick.
    let follow = env.git(&["log", "--follow", "--format=%s", "--", archived]);
    assert_eq!(
        follow.lines().filter(|l| l.starts_with("tick ")).count() as u64,
        total - 1,
        "{follow}"
    );

    // Years later.
    env.now("2026-12-04T12:00:00+01:00");
    let rows = env
        .ok(&["list", "--archived", "--tag", "zfs", "--json"])
        .json();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["path"], archived);
    assert_eq!(rows[0]["completed"], "2015-02-14");
    let hits = env
        .ok(&["search", "--around", "feb 2015", "migration", "--json"])
        .json();
    assert_eq!(hits[0]["path"], archived, "{hits:?}");
    let hits = env.ok(&["search", "tag:zfs", "--json"]).json();
    assert!(hits.iter().any(|h| h["path"] == archived), "{hits:?}");

    // Reuse: a new run from the archived copy, every item unticked.
    let r = env.ok(&["checklist", "start", archived, "--as", "fs-migration-2026"]);
    let new = r.stdout.trim().to_string();
    assert_eq!(new, "checklists/fs-migration-2026.md");
    let show = env.ok(&["checklist", "show", &new, "--json"]).json();
    assert_eq!(
        (show[0]["done"].as_u64(), show[0]["total"].as_u64()),
        (Some(0), Some(total))
    );
    let text = env.read(&new);
    let archived_commit = env.git(&["log", "-1", "--format=%h", "--abbrev=8", "--", archived]);
    assert!(
        text.contains(&format!(
            "derived-from: {archived}@{}",
            archived_commit.trim()
        )),
        "{text}"
    );
    assert!(
        text.contains("started: 2026-12-04")
            && !text.contains("completed:")
            && !text.contains("skipped"),
        "{text}"
    );

    // Every mail of the story arrived, with subjects that say what happened.
    let subjects = maildir_subjects(&maildir);
    assert_eq!(
        subjects,
        [
            "[worklog] checklists/fs-migration: start checklists/fs-migration.md from template checklist".to_string(),
            "[worklog] checklists/archive/2015/2015-02-14-fs-migration: completed: Fs migration".to_string(),
            format!("[worklog] checklists/fs-migration-2026: start checklists/fs-migration-2026.md from {archived}@{}", archived_commit.trim()),
        ]
    );
    let status = env.ok(&["status", "--json"]).json();
    assert!(status.is_empty(), "status not clean: {status:?}");
    env.ok(&["check"]);
}

const NESTED: &str = "---\ntitle: Rebuild\n---\n# Rebuild mailhost\n\n## Disks\n\n- [ ] replace sda\n  - [ ] partition like sdb\n  - [ ] add to the mirror\n- [ ] wait for resync\n\n## Services\n\n1. [ ] start postfix\n2. [ ] send a test mail\n";

fn env_with_nested() -> TestEnv {
    let env = TestEnv::init();
    env.write("checklists/rebuild.md", NESTED);
    env.git(&["add", "."]);
    env.git(&["commit", "-qm", "rebuild"]);
    env
}

#[test]
fn tick_by_number_text_undo_and_ambiguity_in_nested_sections() {
    let env = env_with_nested();
    env.ok(&["checklist", "tick", "rebuild", "2"]);
    assert!(
        env.read("checklists/rebuild.md")
            .contains("  - [x] partition like sdb\n")
    );
    env.ok(&[
        "checklist",
        "tick",
        "rebuild",
        "test mail",
        "--note",
        "arrived in 3s",
    ]);
    let text = env.read("checklists/rebuild.md");
    assert!(
        text.contains("2. [x] send a test mail\n   - note 2015-02-02 (Ann Admin): arrived in 3s\n"),
        "{text}"
    );
    assert_eq!(
        env.git(&["log", "-1", "--format=%s"]).trim(),
        "tick 6: send a test mail"
    );
    let r = env.code(2, &["checklist", "tick", "rebuild", "s"]);
    assert!(
        r.stderr.contains("matches")
            && r.stderr.contains("1. [ ] replace sda")
            && r.stderr.contains("5. [ ] start postfix"),
        "{}",
        r.stderr
    );
    env.ok(&["checklist", "tick", "rebuild", "2", "--undo"]);
    assert!(
        env.read("checklists/rebuild.md")
            .contains("  - [ ] partition like sdb\n")
    );
    let r = env.code(2, &["checklist", "tick", "rebuild", "2", "--undo"]);
    assert!(r.stderr.contains("unticked already"), "{}", r.stderr);
    // The next item is the first unticked one, in its section.
    let show = env.ok(&["checklist", "show", "rebuild", "--json"]).json();
    assert_eq!(show[0]["next"]["text"], "replace sda");
    assert_eq!(show[0]["section"], "Disks");
    assert_eq!(show[0]["items"][4]["section"], "Services");
    let r = env.ok(&["checklist", "show", "rebuild"]);
    assert!(
        r.stdout.contains("(1/6 done)") && r.stdout.contains("next: 1. replace sda"),
        "{}",
        r.stdout
    );
    let rows = env.ok(&["list", "--kind", "checklist", "--json"]).json();
    assert_eq!(rows[0]["progress"]["done"], 1);
}

#[test]
fn edge_cases_give_clear_errors() {
    let env = env_with_nested();
    env.write("checklists/empty.md", "# Nothing to tick\n");
    env.write("howto/x.md", "- [ ] a task in a how-to\n");
    env.git(&["add", "."]);
    env.git(&["commit", "-qm", "more"]);
    let r = env.code(2, &["checklist", "tick", "empty"]);
    assert!(
        r.stderr.contains("checklists/empty.md: has no task items"),
        "{}",
        r.stderr
    );
    let r = env.code(2, &["checklist", "archive", "howto/x", "--force"]);
    assert!(
        r.stderr.contains("howto/x.md: not a checklist"),
        "{}",
        r.stderr
    );
    // Hand-edited checklist: nothing is ticked, the edit stays.
    env.write(
        "checklists/rebuild.md",
        &format!("{NESTED}- [ ] hand-added item\n"),
    );
    let r = env.code(2, &["checklist", "tick", "rebuild"]);
    assert!(r.stderr.contains("uncommitted changes"), "{}", r.stderr);
    assert!(
        env.read("checklists/rebuild.md")
            .ends_with("- [ ] hand-added item\n")
    );
    env.git(&["checkout", "checklists/rebuild.md"]);
    // A second run of the same name archived on the same day is refused.
    env.ok(&["checklist", "archive", "rebuild", "--force", "--no-mail"]);
    env.write("checklists/rebuild.md", NESTED);
    env.git(&["add", "."]);
    env.git(&["commit", "-qm", "again"]);
    let r = env.code(
        2,
        &["checklist", "archive", "rebuild", "--force", "--no-mail"],
    );
    assert!(
        r.stderr
            .contains("2015-02-02-rebuild.md: a checklist of that name was archived today already"),
        "{}",
        r.stderr
    );
    let r = env.code(2, &["checklist", "start", "checklists/rebuild"]);
    assert!(r.stderr.contains("exists already"), "{}", r.stderr);
    let r = env.code(2, &["checklist", "start", "checklist"]);
    assert!(r.stderr.contains("needs a name"), "{}", r.stderr);
}
