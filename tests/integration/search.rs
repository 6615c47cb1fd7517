//! Integration tests: index, search, timeline, similar; real git history and real
//! mbox/Maildir archives in temp dirs (plus the gated real corpora).

use std::path::{Path, PathBuf};

use crate::harness::*;

/// A raw message.
fn mail(id: &str, from: &str, date: &str, subject: &str, body: &str) -> String {
    format!(
        "From: {from}\nTo: worklog@example.test\nSubject: {subject}\nDate: {date}\nMessage-ID: <{id}>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n{body}\n"
    )
}

/// Messages as an mboxrd file.
fn mbox(msgs: &[String]) -> String {
    let mut s = String::new();
    for m in msgs {
        s.push_str("From MAILER-DAEMON Mon Feb  2 10:00:00 2015\n");
        for line in m.lines() {
            if line.trim_start_matches('>').starts_with("From ") {
                s.push('>');
            }
            s.push_str(line);
            s.push('\n');
        }
        s.push('\n');
    }
    s
}

/// Commit `path` with `text` at a given time (real git, dated).
fn commit_at(env: &mut TestEnv, path: &str, text: Option<&str>, when: &str, msg: &str) {
    match text {
        Some(t) => {
            env.write(path, t);
            env.git(&["add", path]);
        }
        None => {
            env.git(&["rm", "-q", path]);
        }
    }
    env.set("GIT_AUTHOR_DATE", when);
    env.set("GIT_COMMITTER_DATE", when);
    env.git(&["commit", "-q", "-m", msg]);
    env.unset("GIT_AUTHOR_DATE");
    env.unset("GIT_COMMITTER_DATE");
}

fn archive_dir(env: &TestEnv) -> PathBuf {
    let d = env.tmp.path().join("archive");
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn sources(env: &mut TestEnv, paths: &[&Path]) {
    let v = paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(":");
    env.set("WORKLOG_ARCHIVE_SOURCES", v);
}

fn search_json(env: &TestEnv, args: &[&str]) -> Vec<serde_json::Value> {
    let mut a = vec!["search", "--json", "--limit", "100"];
    a.extend_from_slice(args);
    let r = env.run(&a);
    assert!(r.code == 0 || r.code == 1, "search {args:?}: {r:?}");
    r.json()
}

/// Paths (or Message-IDs) of the results that match as typed (not the loose fallback).
fn paths(hits: &[serde_json::Value]) -> Vec<String> {
    hits.iter()
        .filter(|h| h["loose"] == false)
        .map(|h| {
            h["path"]
                .as_str()
                .or(h["message_id"].as_str())
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

/// A doc root with history: a doc edited (text removed), a doc deleted, a renamed doc,
/// and an mbox archive holding a mail that exists nowhere else.
fn history_env() -> TestEnv {
    let mut env = TestEnv::init();
    commit_at(
        &mut env,
        "checklists/fs-migration.md",
        Some(
            "---\ntitle: FS migration\ntags: [storage]\n---\n# FS migration\n- [ ] copy with rsync --inplace\n- [ ] check the zpool history\n",
        ),
        "2015-02-10T12:00:00+01:00",
        "start fs migration",
    );
    commit_at(
        &mut env,
        "checklists/fs-migration.md",
        Some(
            "---\ntitle: FS migration\ntags: [storage]\n---\n# FS migration\n- [x] copy with zfs send\n- [ ] check the zpool history\n",
        ),
        "2015-02-20T12:00:00+01:00",
        "use zfs send",
    );
    commit_at(
        &mut env,
        "howto/old-printer.md",
        Some("# Old printer\nThe lpd spooler on cssite needs a kick.\n"),
        "2015-03-02T09:00:00+01:00",
        "printer",
    );
    commit_at(
        &mut env,
        "howto/old-printer.md",
        None,
        "2016-01-05T09:00:00+01:00",
        "printer gone",
    );
    let arch = archive_dir(&env);
    let mb = arch.join("worklog.mbox");
    std::fs::write(
        &mb,
        mbox(&[mail(
            "m1@example.test",
            "Bob Ops <bob@example.test>",
            "Wed, 11 Feb 2015 09:00:00 +0100",
            "tape robot jammed",
            "The tape robot in the basement jammed again.\nFrom now on call the vendor.",
        )]),
    )
    .unwrap();
    sources(&mut env, &[&mb]);
    env.ok(&["index"]);
    env
}

#[test]
fn finds_current_text_old_versions_deleted_docs_and_mail() {
    let env = history_env();
    // Current text.
    let h = search_json(&env, &["zfs", "send"]);
    assert_eq!(paths(&h), vec!["checklists/fs-migration.md"]);
    assert_eq!(h[0]["type"], "doc");
    assert_eq!(h[0]["title"], "FS migration");
    assert_eq!(h[0]["tags"], serde_json::json!(["storage"]));
    assert!(
        h[0]["date"].as_str().unwrap().starts_with("2015-02-20"),
        "{h:?}"
    );
    assert!(
        h[0]["snippet"].as_str().unwrap().contains("zfs send"),
        "{h:?}"
    );
    // Only in the old version: found, dated by that version's commit.
    let h = search_json(&env, &["rsync", "inplace"]);
    assert_eq!(paths(&h), vec!["checklists/fs-migration.md"], "{h:?}");
    assert!(
        h[0]["date"].as_str().unwrap().starts_with("2015-02-10"),
        "{h:?}"
    );
    assert_eq!(h[0]["loose"], false);
    let first = env
        .git(&["rev-list", "--reverse", "HEAD"])
        .lines()
        .nth(1)
        .unwrap()
        .to_string();
    assert_eq!(h[0]["commit"].as_str().unwrap(), first);
    // A deleted doc.
    let h = search_json(&env, &["lpd", "spooler"]);
    assert_eq!(paths(&h), vec!["howto/old-printer.md"]);
    // Only in mail; the mbox `>From` quoting is undone.
    let h = search_json(&env, &["tape", "robot"]);
    assert_eq!(h.len(), 1);
    assert_eq!(h[0]["type"], "mail");
    assert_eq!(h[0]["message_id"], "m1@example.test");
    assert_eq!(h[0]["from"], "Bob Ops <bob@example.test>");
    assert_eq!(h[0]["subject"], "tape robot jammed");
    let r = env.ok(&["search", "\"from now on\""]);
    assert!(r.stdout.contains("tape robot jammed"), "{}", r.stdout);
    // The filter flags.
    assert_eq!(
        paths(&search_json(&env, &["zpool", "--tag", "storage"])),
        vec!["checklists/fs-migration.md"]
    );
    assert_eq!(
        paths(&search_json(&env, &["zpool", "--kind", "checklist"])),
        vec!["checklists/fs-migration.md"]
    );
    assert!(paths(&search_json(&env, &["zpool", "--kind", "howto"])).is_empty());
    assert_eq!(
        paths(&search_json(&env, &["robot", "--from", "bob@example.test"])),
        vec!["m1@example.test"]
    );
    assert!(paths(&search_json(&env, &["robot", "--from", "ann"])).is_empty());
    assert_eq!(
        paths(&search_json(&env, &["zpool", "--from", "Ann Admin"])),
        vec!["checklists/fs-migration.md"]
    );
    // One result per doc by default, every matching version with --all-versions.
    assert_eq!(search_json(&env, &["zpool"]).len(), 1);
    let all = search_json(&env, &["zpool", "--all-versions"]);
    assert_eq!(all.len(), 2);
    assert_ne!(all[0]["commit"], all[1]["commit"]);
    // Nothing: exit 1.
    env.code(1, &["search", "xylophone"]);
}

#[test]
fn renamed_docs_are_one_result_under_their_new_path_with_old_versions_listed_on_request() {
    let mut env = TestEnv::init();
    commit_at(
        &mut env,
        "howto/tape.md",
        Some(
            "# Tape
the lto changer needs cleaning
",
        ),
        "2015-02-10T12:00:00+01:00",
        "tape",
    );
    env.ok(&["index"]);
    env.git(&["mv", "howto/tape.md", "howto/tape-library.md"]);
    env.set("GIT_COMMITTER_DATE", "2015-03-10T12:00:00+01:00");
    env.git(&["commit", "-q", "-m", "rename"]);
    env.unset("GIT_COMMITTER_DATE");
    // Found without `index`: the rename is a new commit.
    let h = search_json(&env, &["lto", "changer"]);
    assert_eq!(paths(&h), vec!["howto/tape-library.md"], "{h:?}");
    assert!(
        h[0]["date"].as_str().unwrap().starts_with("2015-03-10"),
        "{h:?}"
    );
    assert_eq!(h[0]["versions"], 2, "{h:?}");
    let mut all = paths(&search_json(&env, &["lto", "changer", "--all-versions"]));
    all.sort();
    assert_eq!(all, vec!["howto/tape-library.md", "howto/tape.md"]);
    assert_eq!(
        paths(&search_json(&env, &["path:tape-library"])),
        vec!["howto/tape-library.md"]
    );
}

#[test]
fn date_filters_cut_at_local_month_and_day_boundaries() {
    // TZ is Europe/Berlin: 23:30 UTC on Feb 28 is already March 1 there.
    let mut env = TestEnv::init();
    let arch = archive_dir(&env);
    let mb = arch.join("a.mbox");
    std::fs::write(
        &mb,
        mbox(&[
            mail(
                "feb@x",
                "a@x",
                "Sat, 28 Feb 2015 23:30:00 +0100",
                "disk swap one",
                "disk swap",
            ),
            mail(
                "mar@x",
                "a@x",
                "Sat, 28 Feb 2015 23:30:00 +0000",
                "disk swap two",
                "disk swap",
            ),
            mail(
                "jan@x",
                "a@x",
                "Sat, 31 Jan 2015 23:59:59 +0100",
                "disk swap zero",
                "disk swap",
            ),
        ]),
    )
    .unwrap();
    sources(&mut env, &[&mb]);
    env.ok(&["index"]);
    let ids = |args: &[&str]| {
        let mut v: Vec<String> = search_json(&env, args)
            .iter()
            .map(|h| h["message_id"].as_str().unwrap().to_string())
            .collect();
        v.sort();
        v
    };
    assert_eq!(ids(&["disk", "date:2015-02"]), vec!["feb@x"]);
    assert_eq!(ids(&["disk", "date:2015-02-28"]), vec!["feb@x"]);
    assert_eq!(ids(&["disk", "date:2015-03-01"]), vec!["mar@x"]);
    assert_eq!(
        ids(&["disk", "date:2015-01..2015-02"]),
        vec!["feb@x", "jan@x"]
    );
    assert_eq!(ids(&["disk", "date:2015-02.."]), vec!["feb@x", "mar@x"]);
    assert_eq!(ids(&["disk", "date:..2015-01"]), vec!["jan@x"]);
    assert_eq!(ids(&["disk", "date:2015"]), vec!["feb@x", "jan@x", "mar@x"]);
    assert_eq!(ids(&["disk", "--since", "2015-03"]), vec!["mar@x"]);
    assert_eq!(
        ids(&["disk", "--until", "feb 2015"]),
        vec!["feb@x", "jan@x"]
    );
    assert_eq!(
        ids(&["disk", "--since", "late-feb 2015", "--until", "2015-02-28"]),
        vec!["feb@x"]
    );
    // RFC 3339 shows the local offset.
    let h = search_json(&env, &["id:mar@x"]);
    assert_eq!(h[0]["date"], "2015-03-01T00:30:00+01:00");
}

#[test]
fn phrases_match_across_punctuation_and_paths_work_as_queries() {
    let mut env = TestEnv::init();
    commit_at(
        &mut env,
        "howto/raid.md",
        Some(
            "# RAID\nEnable the write-intent bitmap before the reshape.\nMail lives in /var/mail on cssite.\nSee work/Old/cssite-mail-migration for the story.\n",
        ),
        "2015-02-10T12:00:00+01:00",
        "raid",
    );
    commit_at(
        &mut env,
        "work/Old/cssite-mail-migration.md",
        Some("# The cssite move\nDone in 2014.\n"),
        "2015-02-11T12:00:00+01:00",
        "old",
    );
    commit_at(
        &mut env,
        "howto/other.md",
        Some("# Other\nbitmap intent write, mail var\n"),
        "2015-02-12T12:00:00+01:00",
        "other",
    );
    env.ok(&["index"]);
    assert_eq!(
        paths(&search_json(&env, &["\"write intent bitmap\""])),
        vec!["howto/raid.md"]
    );
    assert_eq!(
        paths(&search_json(&env, &["/var/mail"])),
        vec!["howto/raid.md"]
    );
    let mut p = paths(&search_json(&env, &["work/Old/cssite-mail-migration"]));
    p.sort();
    assert_eq!(
        p,
        vec!["howto/raid.md", "work/Old/cssite-mail-migration.md"]
    );
    assert_eq!(
        paths(&search_json(&env, &["path:work/Old"])),
        vec!["work/Old/cssite-mail-migration.md"]
    );
    // Operators and fields.
    let mut p = paths(&search_json(&env, &["cssite", "OR", "other"]));
    p.sort();
    assert_eq!(
        p,
        vec![
            "howto/other.md",
            "howto/raid.md",
            "work/Old/cssite-mail-migration.md"
        ]
    );
    assert_eq!(
        paths(&search_json(&env, &["bitmap -reshape"])),
        vec!["howto/other.md"]
    );
    assert_eq!(
        paths(&search_json(
            &env,
            &["bitmap", "NOT", "(reshape", "OR", "cssite)"]
        )),
        vec!["howto/other.md"]
    );
    assert_eq!(
        paths(&search_json(&env, &["title:cssite"])),
        vec!["work/Old/cssite-mail-migration.md"]
    );
    assert_eq!(
        paths(&search_json(
            &env,
            &["kind:howto", "bitmap", "--sort", "date"]
        )),
        vec!["howto/other.md", "howto/raid.md"]
    );
}

#[test]
fn around_ranks_near_dates_first_without_cutting_off() {
    let mut env = TestEnv::init();
    let arch = archive_dir(&env);
    let mb = arch.join("a.mbox");
    let msgs: Vec<String> = [
        ("a", "2014-06-01"),
        ("b", "2015-02-14"),
        ("c", "2015-02-20"),
        ("d", "2016-09-01"),
    ]
    .iter()
    .map(|(id, d)| {
        let t = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        mail(
            id,
            "x@y",
            &t.format("%a, %d %b %Y 12:00:00 +0000").to_string(),
            "backup restore",
            "backup restore notes",
        )
    })
    .collect();
    std::fs::write(&mb, mbox(&msgs)).unwrap();
    sources(&mut env, &[&mb]);
    env.ok(&["index"]);
    let order = |args: &[&str]| {
        search_json(&env, args)
            .iter()
            .map(|h| h["message_id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let o = order(&["backup", "--around", "mid-february 2015", "--window", "1w"]);
    assert_eq!(o.len(), 4, "soft: nothing cut off");
    assert_eq!(&o[..2], &["b", "c"]);
    let o = order(&["backup", "--around", "2016-08", "--window", "2w"]);
    assert_eq!(o[0], "d");
    // Hard filters do cut.
    assert_eq!(
        order(&["backup", "--since", "2015", "--until", "2015"]).len(),
        2
    );
}

#[test]
fn vague_words_fall_back_to_looser_matches_marked_as_such() {
    let mut env = TestEnv::init();
    commit_at(
        &mut env,
        "howto/restore.md",
        Some("# Restoring from tape\nThe degraded array was rebuilt from the nightly tapes.\n"),
        "2015-02-10T12:00:00+01:00",
        "r",
    );
    env.ok(&["index"]);
    // "degrading arrays tape restoration": not all words occur as typed.
    let h = search_json(&env, &["degrading", "arrays", "restoration", "nightly"]);
    assert_eq!(h.len(), 1, "{h:?}");
    assert_eq!(h[0]["path"], "howto/restore.md");
    assert_eq!(h[0]["loose"], true);
    let r = env.ok(&["search", "degrading", "arrays", "restoration"]);
    assert!(r.stdout.contains("looser matches"), "{}", r.stdout);
    assert!(r.stdout.contains("≈ "), "{}", r.stdout);
    // Exact words are not marked loose.
    assert_eq!(search_json(&env, &["degraded", "array"])[0]["loose"], false);
    // Counting counts only what matches as typed.
    assert_eq!(
        env.code(1, &["search", "--count", "degrading", "arrays"])
            .stdout
            .trim(),
        "0"
    );
}

#[test]
fn incremental_index_picks_up_commits_maildir_files_and_mbox_changes() {
    let mut env = TestEnv::init();
    let arch = archive_dir(&env);
    let md = arch.join("Maildir");
    for d in ["cur", "new", "tmp", ".Archive/cur", ".Archive/new"] {
        std::fs::create_dir_all(md.join(d)).unwrap();
    }
    std::fs::write(
        md.join("cur/1.a.host:2,S"),
        mail(
            "md1@x",
            "a@x",
            "Mon, 2 Feb 2015 10:00:00 +0100",
            "first maildir",
            "alpha words",
        ),
    )
    .unwrap();
    std::fs::write(md.join("dovecot-uidlist"), "3 V1 N2\n").unwrap();
    std::fs::write(md.join("cur/dovecot.index.cache"), [0u8, 1, 2, 3]).unwrap();
    std::fs::write(
        md.join("tmp/9.z.host"),
        mail(
            "tmp@x",
            "a@x",
            "Mon, 2 Feb 2015 10:00:00 +0100",
            "half delivered",
            "alpha tmp",
        ),
    )
    .unwrap();
    let mb = arch.join("list.mbox");
    std::fs::write(
        &mb,
        mbox(&[mail(
            "mb1@x",
            "a@x",
            "Mon, 2 Feb 2015 10:00:00 +0100",
            "first mbox",
            "alpha mbox",
        )]),
    )
    .unwrap();
    let gz = arch.join("old.mbox.gz");
    {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(
            std::fs::File::create(&gz).unwrap(),
            flate2::Compression::default(),
        );
        e.write_all(
            mbox(&[mail(
                "gz1@x",
                "a@x",
                "Mon, 2 Feb 2015 10:00:00 +0100",
                "gzipped",
                "alpha gz",
            )])
            .as_bytes(),
        )
        .unwrap();
        e.finish().unwrap();
    }
    sources(&mut env, &[&md, &mb, &gz]);
    let r = env.ok(&["index", "--json"]);
    let s = &r.json()[0];
    assert_eq!(s["mails"], 3, "{r:?}");
    fn count_in(env: &TestEnv, q: &[&str]) -> usize {
        let mut a = vec!["search", "--count"];
        a.extend_from_slice(q);
        env.run(&a).stdout.trim().parse::<usize>().unwrap()
    }
    assert_eq!(count_in(&env, &["alpha"]), 3);
    // A no-op run adds nothing.
    assert_eq!(env.ok(&["index", "--json"]).json()[0]["added"], 0);

    // New commit: found by search without running `index` (freshness check).
    commit_at(
        &mut env,
        "howto/new.md",
        Some("# New\nbravo text\n"),
        "2015-02-03T10:00:00+01:00",
        "new",
    );
    let count = |q: &[&str]| count_in(&env, q);
    assert_eq!(count(&["bravo"]), 1);
    // An uncommitted edit is found right away too.
    env.write("howto/new.md", "# New\nbravo text\ncharlie edit\n");
    assert_eq!(count(&["charlie"]), 1);

    // New Maildir file (in a Maildir++ folder, in new/), the same message again in another folder, appended mbox bytes.
    std::fs::write(
        md.join(".Archive/new/2.b.host"),
        mail(
            "md2@x",
            "a@x",
            "Tue, 3 Feb 2015 10:00:00 +0100",
            "second maildir",
            "delta words",
        ),
    )
    .unwrap();
    std::fs::write(
        md.join(".Archive/cur/3.c.host:2,S"),
        mail(
            "md1@x",
            "a@x",
            "Mon, 2 Feb 2015 10:00:00 +0100",
            "first maildir",
            "alpha words",
        ),
    )
    .unwrap();
    {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new().append(true).open(&mb).unwrap();
        f.write_all(
            mbox(&[mail(
                "mb2@x",
                "a@x",
                "Tue, 3 Feb 2015 10:00:00 +0100",
                "second mbox",
                "delta mbox",
            )])
            .as_bytes(),
        )
        .unwrap();
    }
    let s = env.ok(&["index", "--json"]).json()[0].clone();
    assert_eq!(s["added"], 3, "{s}");
    assert_eq!(count(&["delta"]), 2);
    assert_eq!(
        count(&["alpha"]),
        3,
        "the same Message-ID in two folders is one result"
    );
    // A flag change (rename in cur/) is not a new message.
    std::fs::rename(md.join("cur/1.a.host:2,S"), md.join("cur/1.a.host:2,RS")).unwrap();
    assert_eq!(env.ok(&["index", "--json"]).json()[0]["added"], 0);

    // A rewritten (shorter) mbox is read again: the old messages go, the new ones come.
    std::fs::write(
        &mb,
        mbox(&[mail(
            "mb3@x",
            "a@x",
            "Wed, 4 Feb 2015 10:00:00 +0100",
            "rewritten",
            "echo words",
        )]),
    )
    .unwrap();
    env.ok(&["index"]);
    assert_eq!(count(&["echo"]), 1);
    assert_eq!(count(&["delta"]), 1, "mb2 went with the rewrite");
    assert_eq!(count(&["id:mb1@x"]), 0);

    // --rebuild gives the same picture.
    env.ok(&["index", "--rebuild"]);
    assert_eq!(count(&["alpha"]), 2);
    assert_eq!(count(&["echo"]), 1);
    assert_eq!(count(&["charlie"]), 1);
}

#[test]
fn broken_messages_do_not_stop_a_run_and_are_counted() {
    let mut env = TestEnv::init();
    let arch = archive_dir(&env);
    let md = arch.join("Maildir");
    std::fs::create_dir_all(md.join("cur")).unwrap();
    std::fs::write(
        md.join("cur/1.a:2,"),
        "From: a@x\nSubject: no date no id\n\nfoxtrot body\n",
    )
    .unwrap();
    std::fs::write(md.join("cur/2.b:2,"), "From: a@x\nSubject: bad date\nDate: 45 Smarch 20015 99:99\nMessage-ID: <bd@x>\nContent-Type: text/plain; charset=x-no-such-charset\n\nfoxtrot \u{00ff}\n").unwrap();
    std::fs::write(md.join("cur/3.c:2,"), [0xffu8, 0xfe, 0x00, 0x13, 0x37]).unwrap();
    std::fs::write(
        md.join("cur/4.d:2,"),
        mail(
            "ok@x",
            "a@x",
            "Mon, 2 Feb 2015 10:00:00 +0100",
            "fine",
            "foxtrot fine",
        ),
    )
    .unwrap();
    sources(&mut env, &[&md]);
    let r = env.run(&["index", "--json"]);
    assert!(r.code == 0 || r.code == 1, "{r:?}");
    assert!(r.stderr.contains("bad date"), "{}", r.stderr);
    let s = &r.json()[0];
    assert_eq!(s["problems"]["bad date"], 2, "{s}");
    assert_eq!(s["problems"]["no Message-ID"], 1, "{s}");
    assert_eq!(s["skipped"]["broken messages"], 1, "{s}");
    assert_eq!(r.code, 1, "a skipped message makes the run exit 1");
    let n: usize = env
        .ok(&["search", "--count", "foxtrot"])
        .stdout
        .trim()
        .parse()
        .unwrap();
    assert_eq!(n, 3);
}

#[test]
fn mail_carrying_a_commit_is_linked_and_timeline_and_similar_work() {
    let mut env = TestEnv::init();
    commit_at(
        &mut env,
        "howto/backup.md",
        Some("# Backups\nbacula runs nightly to the tape library on bkp1\n"),
        "2015-02-10T12:00:00+01:00",
        "backup doc",
    );
    commit_at(
        &mut env,
        "howto/printers.md",
        Some("# Printers\ncups queue on prn1\n"),
        "2015-03-20T12:00:00+01:00",
        "printers",
    );
    let commit = env.git(&["rev-parse", "HEAD~1"]).trim().to_string();
    let md = env.home.join(".local/share/worklog-test-maildir");
    std::fs::create_dir_all(md.join("new")).unwrap();
    let m = format!(
        "From: Ann Admin <ann@example.test>\nTo: worklog@example.test\nSubject: [worklog] howto/backup: backup doc\nDate: Tue, 10 Feb 2015 12:00:05 +0100\nMessage-ID: <{commit}.backup@worklog>\nX-Worklog-Path: howto/backup.md\nX-Worklog-Commit: {commit}\nX-Worklog-Kind: howto\n\nbackup doc\n\n# Backups\nbacula runs nightly to the tape library on bkp1\n"
    );
    std::fs::write(md.join("new/1.x.host"), &m).unwrap();
    env.set("WORKLOG_MAILDIR", md.display().to_string());
    env.ok(&["index"]);
    let h = search_json(&env, &["subject:backup"]);
    assert_eq!(h.len(), 1, "{h:?}");
    assert_eq!(h[0]["type"], "mail");
    assert_eq!(h[0]["commit"], commit.as_str());
    assert_eq!(h[0]["path"], "howto/backup.md");

    // New mail in the local Maildir is found by the next search, without `index`.
    let m2 = m
        .replace(&format!("<{commit}.backup@worklog>"), "<second@worklog>")
        .replace("Tue, 10 Feb 2015", "Tue, 10 Mar 2015")
        .replace("bacula runs", "quokka runs");
    std::fs::write(md.join("new/2.y.host"), m2).unwrap();
    let h = search_json(&env, &["quokka"]);
    assert_eq!(h.len(), 1, "{h:?}");
    assert_eq!(h[0]["message_id"], "second@worklog");

    let r = env.ok(&[
        "timeline",
        "--around",
        "2015-02-10",
        "--window",
        "3d",
        "--json",
    ]);
    let ev = r.json();
    let kinds: Vec<&str> = ev.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, vec!["commit", "mail"], "{ev:?}");
    assert_eq!(ev[0]["id"], commit.as_str());
    env.code(1, &["timeline", "--around", "2010-01-01", "--window", "1w"]);

    // A doc's own update mails are part of its result, so `similar` leaves them out
    // and finds the doc that really is alike.
    commit_at(
        &mut env,
        "howto/restore.md",
        Some(
            "# Restore
bacula restores from the tape library on bkp1
",
        ),
        "2015-04-01T12:00:00+01:00",
        "restore doc",
    );
    env.ok(&["index"]);
    let r = env.ok(&["similar", "howto/backup", "--json"]);
    let s = r.json();
    assert_eq!(s[0]["path"], "howto/restore.md", "{s:?}");
    assert!(s.iter().all(|x| x["path"] != "howto/backup.md"), "{s:?}");
    let r = env.ok(&["similar", &format!("<{commit}.backup@worklog>"), "--json"]);
    let s = r.json();
    assert_eq!(s[0]["path"], "howto/restore.md", "{s:?}");
    assert!(s.iter().all(|x| x["path"] != "howto/backup.md"), "{s:?}");
}

#[test]
fn a_renamed_doc_is_one_result_under_its_later_name() {
    let mut env = TestEnv::init();
    let text = "# ZFS move\n- [x] zfs send the pool\n";
    commit_at(
        &mut env,
        "checklists/zfs.md",
        Some(text),
        "2015-02-02T10:00:00+01:00",
        "start",
    );
    commit_at(
        &mut env,
        "checklists/zfs.md",
        Some(&format!("{text}- [x] scrub the pool\n")),
        "2015-02-03T10:00:00+01:00",
        "tick",
    );
    std::fs::create_dir_all(env.root.join("checklists/archive/2015")).unwrap();
    env.git(&[
        "mv",
        "checklists/zfs.md",
        "checklists/archive/2015/2015-02-14-zfs.md",
    ]);
    env.set("GIT_COMMITTER_DATE", "2015-02-14T17:00:00+01:00");
    env.git(&["commit", "-qm", "archive"]);
    env.unset("GIT_COMMITTER_DATE");
    // Index before the new run exists: the rename is seen by an incremental run.
    env.ok(&["index"]);
    // A new run re-uses the old name years later: a doc of its own.
    commit_at(
        &mut env,
        "checklists/zfs.md",
        Some("# ZFS move again\n- [ ] zfs send the pool\n"),
        "2026-11-01T10:00:00+01:00",
        "again",
    );
    let hits = search_json(&env, &["\"zfs send\""]);
    let paths: Vec<&str> = hits.iter().map(|h| h["path"].as_str().unwrap()).collect();
    assert_eq!(paths.len(), 2, "{hits:?}");
    assert!(
        paths.contains(&"checklists/zfs.md")
            && paths.contains(&"checklists/archive/2015/2015-02-14-zfs.md"),
        "{hits:?}"
    );
    let old = hits
        .iter()
        .find(|h| h["path"] == "checklists/archive/2015/2015-02-14-zfs.md")
        .unwrap();
    assert!(
        old["date"].as_str().unwrap().starts_with("2015-02"),
        "{old:?}"
    );
    let new = hits
        .iter()
        .find(|h| h["path"] == "checklists/zfs.md")
        .unwrap();
    assert!(new["date"].as_str().unwrap().starts_with("2026"), "{new:?}");
    assert_eq!(new["path_then"], serde_json::Value::Null);
    // "scrub" is only in the pre-archive versions: shown under the archived name.
    let hits = search_json(&env, &["scrub"]);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0]["path"], "checklists/archive/2015/2015-02-14-zfs.md");
    // Every version stays listed under its own path with --all-versions.
    let all = search_json(&env, &["\"zfs send\"", "--all-versions"]);
    assert!(
        all.iter().any(|h| h["path"] == "checklists/zfs.md"
            && h["date"].as_str().unwrap().starts_with("2015-02-02")),
        "{all:?}"
    );
}

#[test]
fn index_shows_a_progress_bar_on_a_terminal_only() {
    let mut env = TestEnv::init();
    let mbox = env.tmp.path().join("big.mbox");
    let mut text = String::new();
    for i in 0..20_000 {
        text.push_str(&format!(
            "From x@y Mon Feb  2 10:00:00 2015\nFrom: a@x\nSubject: m{i}\nMessage-ID: <m{i}@x>\nDate: Mon, 2 Feb 2015 10:00:00 +0100\n\nbody {i}\n\n"
        ));
    }
    std::fs::write(&mbox, text).unwrap();
    sources(&mut env, &[&mbox]);
    // Into a pipe: a summary line, no bar.
    let r = env.ok(&["index"]);
    assert!(r.stderr.contains("20000 added"), "{}", r.stderr);
    assert!(!r.stderr.contains("MiB"), "{}", r.stderr);
    // On a terminal: a bar over the mbox's bytes.
    let shown = on_a_terminal(&env, &[("TERM", "xterm")], "index --rebuild");
    assert!(shown.contains("big.mbox ["), "{shown}");
    assert!(shown.contains("/2.50 MiB"), "{shown}");
}

/// linux-raid (gated on WORKLOG_CORPORA): the counts notmuch gives for the same archive.
#[test]
fn corpus_linux_raid_counts_match_notmuch() {
    let Some(dir) = corpora() else { return };
    let mut env = TestEnv::init();
    env.set("TZ", "UTC");
    let mb = env.tmp.path().join("linux-raid.mbox");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "xz -dc '{}' > '{}'",
            dir.join("linux-raid.mbox.xz").display(),
            mb.display()
        ))
        .status()
        .unwrap();
    assert!(out.success());
    sources(&mut env, &[&mb]);
    let r = env.ok(&["index", "--json"]);
    let s = &r.json()[0];
    assert_eq!(s["mails"], 19486, "{s}");
    assert_eq!(s["skipped"]["duplicate Message-IDs"], 48, "{s}");
    let count = |q: &str| {
        env.ok(&["search", "--count", q])
            .stdout
            .trim()
            .parse::<usize>()
            .unwrap()
    };
    assert_eq!(count("from:song@kernel.org"), 893);
    assert_eq!(count("date:2023-01-01..2023-12-31"), 3522);
    // notmuch says 123: see docs/search.md ("Counts against notmuch") for the difference.
    assert_eq!(count("\"degraded array\""), DEGRADED_ARRAY);
}

/// Distinct messages with the phrase "degraded array" in subject or any text part: notmuch's
/// 123 plus 12 mdadm patches where it occurs only as `EVENT_DEGRADED_ARRAY` (Xapian keeps
/// `_` inside words, worklog splits there; docs/search.md, "Counts against notmuch").
const DEGRADED_ARRAY: usize = 135;

/// SpamAssassin (gated on WORKLOG_SPAMASSASSIN, made by tests/corpora/fetch-spamassassin.sh).
#[test]
fn corpus_spamassassin_indexes_with_problems_reported() {
    let Some(dir) = std::env::var_os("WORKLOG_SPAMASSASSIN").map(PathBuf::from) else {
        return;
    };
    let mut env = TestEnv::init();
    sources(&mut env, &[&dir]);
    let r = env.run(&["index", "--json"]);
    assert!(r.code == 0 || r.code == 1, "{r:?}");
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    let s = &r.json()[0];
    assert!(s["mails"].as_u64().unwrap() > 5000, "{s}");
    assert!(s["problems"]["bad date"].as_u64().unwrap_or(0) > 0, "{s}");
    assert!(r.stderr.contains("indexed despite"), "{}", r.stderr);
    assert!(
        env.ok(&["search", "--count", "viagra OR mortgage"])
            .stdout
            .trim()
            .parse::<usize>()
            .unwrap()
            > 10
    );
}

/// kill -9 in mid-run: the index still opens, and a rerun completes it (whenever the kill
/// lands: before, during or after the tantivy commit).
#[test]
fn a_killed_index_run_is_completed_by_the_next() {
    let mut env = TestEnv::init();
    let arch = archive_dir(&env);
    let mb = arch.join("big.mbox");
    let filler = "lorem ipsum dolor sit amet consectetur adipiscing elit\n".repeat(40);
    let msgs: Vec<String> = (0..4000)
        .map(|i| {
            mail(
                &format!("k{i}@x"),
                "a@x",
                "Mon, 2 Feb 2015 10:00:00 +0100",
                &format!("kilo {i}"),
                &format!("kilo body {i}\n{filler}"),
            )
        })
        .collect();
    std::fs::write(&mb, mbox(&msgs)).unwrap();
    sources(&mut env, &[&mb]);
    for delay_ms in [150u64, 600] {
        let mut child = env
            .command(&["index"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        // Whatever state it left opens (a search may complete the index itself).
        let r = env.run(&["search", "--count", "kilo"]);
        assert!(r.code == 0 || r.code == 1, "{r:?}");
        env.ok(&["index"]);
        assert_eq!(env.ok(&["search", "--count", "kilo"]).stdout.trim(), "4000");
        // Append more and kill again on the next round.
        let more: Vec<String> = (0..10)
            .map(|i| {
                mail(
                    &format!("k{delay_ms}-{i}@x"),
                    "a@x",
                    "Mon, 2 Feb 2015 10:00:00 +0100",
                    "lima",
                    "lima",
                )
            })
            .collect();
        use std::io::Write;
        std::fs::OpenOptions::new()
            .append(true)
            .open(&mb)
            .unwrap()
            .write_all(mbox(&more).as_bytes())
            .unwrap();
    }
    env.ok(&["index"]);
    assert_eq!(env.ok(&["search", "--count", "lima"]).stdout.trim(), "20");
}

/// While one process indexes, another `index` says so (and a search uses what is there).
#[test]
fn a_second_index_run_waits_its_turn() {
    let mut env = TestEnv::init();
    let idx = env.tmp.path().join("cache/index");
    env.set("WORKLOG_INDEX_DIR", idx.display().to_string());
    commit_at(
        &mut env,
        "howto/a.md",
        Some("# A\nmike words\n"),
        "2015-02-10T12:00:00+01:00",
        "a",
    );
    env.ok(&["index"]);
    let lock = std::fs::File::create(env.tmp.path().join("cache/index.lock")).unwrap();
    lock.try_lock().unwrap();
    let r = env.code(2, &["index"]);
    assert!(r.stderr.contains("another worklog process"), "{}", r.stderr);
    // A search skips its freshness update and searches the index as it is.
    env.write("howto/a.md", "# A\nmike words\nnovember\n");
    assert_eq!(env.ok(&["search", "--count", "mike"]).stdout.trim(), "1");
    env.code(1, &["search", "november"]);
    drop(lock);
    assert_eq!(
        env.ok(&["search", "--count", "november"]).stdout.trim(),
        "1"
    );
}
