//! Integration tests: doc root discovery and init, the document model through the CLI,
//! list/show/log/tag/new/config, error format and exit codes.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use crate::harness::*;

/// The real docs repo from ../shared/corpora, cloned into the env's temp dir as the root.
fn runbooks() -> Option<TestEnv> {
    let corpora = corpora()?;
    let env = TestEnv::new();
    let st = std::process::Command::new("git")
        .args(["clone", "-q"])
        .arg(corpora.join("prometheus-runbooks.bundle"))
        .arg(&env.root)
        .status()
        .unwrap();
    assert!(st.success());
    Some(env)
}

/// Regression: merge commits that took one side unchanged were counted as changes.
#[test]
fn runbooks_list_shows_every_doc_with_its_git_date() {
    let Some(env) = runbooks() else { return };
    let root = env.root.display().to_string();
    let rows = env.ok(&["--root", &root, "list", "--json"]).json();
    assert_eq!(rows.len(), 119);
    for row in &rows {
        let path = row["path"].as_str().unwrap();
        let expected = env.git(&["log", "-1", "--format=%cI", "--", path]);
        let got = chrono::DateTime::parse_from_rfc3339(row["date"].as_str().unwrap()).unwrap();
        let want = chrono::DateTime::parse_from_rfc3339(expected.trim()).unwrap();
        assert_eq!(got, want, "{path}");
    }
    let node = rows
        .iter()
        .find(|r| r["path"] == "runbooks/node/NodeFilesystemFilesFillingUp.md")
        .unwrap();
    assert_eq!(node["kind"], "runbooks");
    assert!(!node["title"].as_str().unwrap().is_empty());
}

#[test]
fn runbooks_show_at_date_and_rev_follow_renames() {
    let Some(env) = runbooks() else { return };
    let root = env.root.display().to_string();
    let doc = "runbooks/general/TargetDown.md";
    // The version current at the end of 2022-01-01 (local time) is what git had then.
    let rev = env.git(&[
        "rev-list",
        "-1",
        "--before=2022-01-01T23:59:59+01:00",
        "HEAD",
    ]);
    let want = env.git(&["show", &format!("{}:{doc}", rev.trim())]);
    assert_eq!(
        env.ok(&["--root", &root, "show", doc, "--at", "2022-01-01"])
            .stdout,
        want
    );
    // Before the rename the doc lived under docs/: --at REV finds it there.
    let first = env.git(&["log", "--follow", "--format=%H", "--", doc]);
    let oldest = first.lines().last().unwrap();
    let want = env.git(&["show", &format!("{oldest}:docs/general/TargetDown.md")]);
    let r = env.ok(&["--root", &root, "show", "TargetDown", "--at", oldest]);
    assert_eq!(r.stdout, want);
    assert!(
        r.stderr.contains("was then docs/general/TargetDown.md"),
        "{}",
        r.stderr
    );
    env.code(2, &["--root", &root, "show", doc, "--at", "2019-01-01"]);
}

#[test]
fn runbooks_log_follows_a_renamed_file() {
    let Some(env) = runbooks() else { return };
    let root = env.root.display().to_string();
    let doc = "runbooks/general/TargetDown.md";
    let want: Vec<String> = env
        .git(&["log", "--follow", "--format=%H", "--", doc])
        .lines()
        .map(String::from)
        .collect();
    let rows = env.ok(&["--root", &root, "log", doc, "--json"]).json();
    let got: Vec<&str> = rows.iter().map(|r| r["commit"].as_str().unwrap()).collect();
    assert_eq!(got, want);
    assert!(
        rows.iter()
            .any(|r| r["renamed_from"] == "docs/general/TargetDown.md")
    );
    assert_eq!(rows.last().unwrap()["path"], "docs/general/TargetDown.md");
}

#[test]
fn closed_stdout_pipe_exits_quietly() {
    let Some(env) = runbooks() else { return };
    let root = env.root.display().to_string();
    let mut child = env
        .command(&["--root", &root, "list"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is dropped here: the pipe is closed with output still to come.
    let out = child.wait_with_output().unwrap();
    assert!(!first.is_empty());
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn init_adopts_an_existing_repo_and_loses_nothing() {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.root.join("howto")).unwrap();
    env.git_init_plain();
    env.write("howto/a.md", "# A\n");
    env.git(&["add", "howto/a.md"]);
    env.git(&["commit", "-qm", "a"]);
    env.write("howto/a.md", "# A\nhand edit in progress\n");
    env.write("howto/b.md", "# B, never committed\n");
    env.git(&["add", "howto/b.md"]);
    env.write("notes.txt", "not a doc\n");
    let before = env.git(&["status", "--porcelain"]);

    let r = env.ok(&["init"]);
    assert!(
        r.stderr.contains("uncommitted changes, left as they were"),
        "{}",
        r.stderr
    );
    assert_eq!(env.read("howto/a.md"), "# A\nhand edit in progress\n");
    assert_eq!(env.read("howto/b.md"), "# B, never committed\n");
    assert_eq!(
        env.git(&["status", "--porcelain"]),
        before,
        "init changed the work tree or index"
    );
    let files = env.git(&["show", "--name-only", "--format=", "HEAD"]);
    assert!(
        files.contains("worklog.toml") && !files.contains("howto/"),
        "{files}"
    );

    let r = env.ok(&["init"]);
    assert!(
        r.stderr.contains("already a worklog doc root"),
        "{}",
        r.stderr
    );
    assert_eq!(env.git(&["rev-list", "--count", "HEAD"]).trim(), "2");
}

#[test]
fn init_adopts_a_plain_directory_of_text_files() {
    let env = TestEnv::new();
    env.write("build/mailhost.md", "# mailhost\n");
    env.write("old-notes.md", "# notes\n");
    env.run_in(env.tmp.path(), &["init", "docs", "--address", ADDRESS]);
    assert_eq!(env.git(&["branch", "--show-current"]).trim(), "main");
    let files = env.git(&["ls-files"]);
    for f in [
        "build/mailhost.md",
        "old-notes.md",
        "worklog.toml",
        "checklists/archive/.gitkeep",
    ] {
        assert!(files.lines().any(|l| l == f), "{f} not committed: {files}");
    }
    assert!(env.read("worklog.toml").contains(ADDRESS));
    assert_eq!(env.git(&["status", "--porcelain"]), "");
    assert_eq!(
        env.git(&["log", "-1", "--format=%an <%ae> %cI"]).trim(),
        "Ann Admin <ann@example.test> 2015-02-02T10:00:00+01:00"
    );
}

#[test]
fn tag_rewrites_only_the_tags_keeping_unknown_keys_and_comments() {
    let env = TestEnv::init();
    let text = "---\n# reviewed yearly\ntitle: \"Restore: from tape\"\nowner:   ops   # who to ask\ntags:\n  - backup\nextra: {nested: [1, 2]}\n---\n# Restore\n\nbody\n";
    env.write("howto/restore.md", text);
    env.git(&["add", "."]);
    env.git(&["commit", "-qm", "restore"]);
    env.ok(&["tag", "restore", "tape", "backup", "--no-mail"]);
    let want = text.replace("  - backup\n", "  - backup\n  - tape\n");
    assert_eq!(env.read("howto/restore.md"), want);
    assert_eq!(env.git(&["log", "-1", "--format=%s"]).trim(), "tag +tape");
    env.ok(&["tag", "restore", "tape", "--remove", "--no-mail"]);
    assert_eq!(env.read("howto/restore.md"), text);
    let rows = env.ok(&["list", "--tag", "backup", "--json"]).json();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["title"], "Restore: from tape");
}

#[test]
fn tag_refuses_a_doc_with_hand_edits() {
    let env = TestEnv::init();
    env.write("howto/x.md", "# X\n");
    env.git(&["add", "."]);
    env.git(&["commit", "-qm", "x"]);
    env.write("howto/x.md", "# X\nunsaved work\n");
    let r = env.code(2, &["tag", "x", "t"]);
    assert!(
        r.stderr.contains("howto/x.md: has uncommitted changes"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("worklog commit"), "{}", r.stderr);
    assert_eq!(env.read("howto/x.md"), "# X\nunsaved work\n");
}

#[test]
fn ambiguous_doc_lists_candidates() {
    let env = TestEnv::init();
    env.write("build/restore.md", "# a\n");
    env.write("howto/restore.md", "# b\n");
    let r = env.code(2, &["show", "restore"]);
    let first = r.stderr.lines().next().unwrap();
    assert_eq!(
        first,
        "worklog: error: restore: ambiguous, 2 docs have that name: build/restore.md, howto/restore.md"
    );
    assert_eq!(env.ok(&["show", "howto/restore"]).stdout, "# b\n");
    let r = env.code(2, &["show", "nothing-like-it"]);
    assert!(
        r.stderr.contains("nothing-like-it: no such doc"),
        "{}",
        r.stderr
    );
}

#[test]
fn broken_files_are_reported_and_list_goes_on() {
    let env = TestEnv::init();
    env.write("howto/good.md", "# Good\n");
    std::fs::write(env.root.join("howto/latin1.md"), b"# Caf\xe9\n").unwrap();
    env.write(
        "howto/badfm.md",
        "---\ntitle: x\ntags: [unclosed\n---\n# Bad\n",
    );
    let r = env.code(1, &["list", "--json"]);
    let paths: Vec<_> = r
        .json()
        .iter()
        .map(|v| v["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(paths, ["howto/good.md"]);
    assert!(
        r.stderr.contains("howto/latin1.md:1: not UTF-8 text"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("howto/badfm.md:"), "{}", r.stderr);
}

#[test]
fn new_fills_the_template_commits_and_never_overwrites() {
    let mut env = TestEnv::init();
    // An editor that appends a line, as a person would.
    let editor = env.tmp.path().join("ed.sh");
    std::fs::write(
        &editor,
        "#!/bin/sh\necho 'apt-get install postfix' >> \"$1\"\n",
    )
    .unwrap();
    std::process::Command::new("chmod")
        .arg("+x")
        .arg(&editor)
        .status()
        .unwrap();
    env.set("EDITOR", editor.display().to_string());
    env.ok(&["new", "build", "mailhost", "--tag", "mail", "--no-mail"]);
    let text = env.read("build/mailhost.md");
    assert!(
        text.contains("# mailhost") && text.contains("2015-02-02") && text.contains("Ann Admin"),
        "{text}"
    );
    assert!(text.ends_with("apt-get install postfix\n"));
    assert_eq!(env.git(&["show", "HEAD:build/mailhost.md"]), text);
    assert_eq!(
        env.git(&["log", "-1", "--format=%s"]).trim(),
        "new build/mailhost"
    );

    env.write("build/mailhost.md", "precious\n");
    env.git(&["commit", "-qam", "precious"]);
    let r = env.code(2, &["new", "build", "mailhost", "--no-edit"]);
    assert!(
        r.stderr.contains("build/mailhost.md: exists already"),
        "{}",
        r.stderr
    );
    assert_eq!(env.read("build/mailhost.md"), "precious\n");

    // A root template overrides the built-in one.
    env.write("templates/howto.md", "# {{title}} by {{user}}\n");
    env.ok(&["new", "howto", "swap-disk", "--no-edit", "--no-mail"]);
    assert_eq!(env.read("howto/swap-disk.md"), "# Swap disk by Ann Admin\n");
}

#[test]
fn config_errors_name_file_and_key_and_secrets_are_masked() {
    let mut env = TestEnv::init();
    env.write(
        "worklog.toml",
        "[mail]\nto = \"x@y\"\nsubject_prefix = \"[wl]\"\n",
    );
    let r = env.code(2, &["list"]);
    assert!(
        r.stderr.contains("worklog.toml:3:") && r.stderr.contains("subject_prefix"),
        "{}",
        r.stderr
    );
    env.write("worklog.toml", "[mail]\nto = \"x@y\"\n");
    env.user_config("[transport]\nkind = \"smtp\"\nhost = \"mail.example.test\"\n");
    env.set("WORKLOG_SMTP_PASSWORD", "hunter2-secret");
    env.set("WORKLOG_SMTP_PORT", "2525");
    let r = env.ok(&["config"]);
    assert!(!r.stdout.contains("hunter2"), "{}", r.stdout);
    assert!(r.stdout.contains("transport.password") && r.stdout.contains("********"));
    let rows = env.ok(&["config", "--json"]).json();
    let port = rows.iter().find(|r| r["key"] == "transport.port").unwrap();
    assert_eq!(
        (port["value"].as_str(), port["origin"].as_str()),
        (Some("2525"), Some("env WORKLOG_SMTP_PORT"))
    );
    let host = rows.iter().find(|r| r["key"] == "transport.host").unwrap();
    assert!(host["origin"].as_str().unwrap().starts_with("user config"));
}

#[test]
fn no_root_is_a_one_line_error_with_a_hint() {
    let env = TestEnv::new();
    let r = env.run_in(env.tmp.path(), &["list"]);
    assert_eq!(r.code, 2);
    let lines: Vec<_> = r.stderr.lines().collect();
    assert!(
        lines[0].starts_with("worklog: error: no doc root: no worklog.toml in"),
        "{}",
        r.stderr
    );
    assert!(lines[1].contains("worklog init"), "{}", r.stderr);
    // Found by walking up from a sub-folder.
    let env = TestEnv::init();
    let r = env.run_in(
        &env.root.join("checklists/archive"),
        &["list", "--archived"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
}
