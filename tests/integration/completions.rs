//! Integration tests: `worklog completions SHELL` and `worklog man` load in the real bash
//! and render with the real `man` (man-db).

use std::io::Write;
use std::process::{Command, Stdio};

use crate::harness::*;

/// Subcommands every script and page must know about.
const COMMANDS: &[&str] = &[
    "init",
    "edit",
    "commit",
    "search",
    "checklist",
    "import",
    "completions",
    "man",
];

#[test]
fn bash_completion_loads_and_completes() {
    let env = TestEnv::new();
    let script = env.ok(&["completions", "bash"]).stdout;
    let path = env.tmp.path().join("worklog.bash");
    std::fs::write(&path, &script).unwrap();
    // Load it into a real bash, check it registered, and ask it to complete `worklog ch`.
    let probe = format!(
        "source {path} && complete -p worklog && COMP_WORDS=(worklog ch) COMP_CWORD=1 COMP_LINE='worklog ch' COMP_POINT=10 && _worklog worklog ch worklog && printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        path = path.display()
    );
    let o = Command::new("bash")
        .args(["--noprofile", "--norc", "-c", &probe])
        .output()
        .expect("run bash");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "bash: {}\n{out}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(out.contains("-F _worklog worklog"), "{out}");
    let replies: Vec<&str> = out.lines().skip(1).collect();
    assert!(
        replies.contains(&"check") && replies.contains(&"checklist"),
        "{replies:?}"
    );
    assert!(!replies.contains(&"search"), "{replies:?}");
}

#[test]
fn zsh_fish_elvish_powershell_scripts_name_the_commands() {
    let env = TestEnv::new();
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let out = env.ok(&["completions", shell]).stdout;
        for c in COMMANDS {
            assert!(out.contains(c), "{shell} script lacks {c}");
        }
    }
    assert!(
        env.ok(&["completions", "zsh"])
            .stdout
            .starts_with("#compdef worklog")
    );
    assert!(
        env.ok(&["completions", "fish"])
            .stdout
            .contains("complete -c worklog")
    );
    let r = env.code(2, &["completions", "tcsh"]);
    assert!(r.stderr.contains("tcsh"), "{}", r.stderr);
}

/// Render roff with the real `man -l -` and return the text.
fn render(roff: &str) -> String {
    let mut child = Command::new("man")
        .args(["-l", "-"])
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .env("MANWIDTH", "100")
        .env("LC_ALL", "C.UTF-8")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run man (apt-get install man-db)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(roff.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "man -l failed: {err}");
    assert!(!err.contains("warning"), "man warns: {err}");
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn man_page_renders_with_man() {
    let env = TestEnv::new();
    let roff = env.ok(&["man"]).stdout;
    assert!(
        roff.starts_with(".ie") || roff.starts_with(".TH"),
        "{}",
        &roff[..roff.len().min(200)]
    );
    let text = render(&roff);
    assert!(
        text.contains("NAME") && text.contains("SYNOPSIS") && text.contains("SUBCOMMANDS"),
        "{text}"
    );
    for c in COMMANDS {
        assert!(
            text.contains(&format!("worklog-{c}(1)")),
            "man page lacks {c}:\n{text}"
        );
    }

    let text = render(&env.ok(&["man", "import", "rcs"]).stdout);
    assert!(text.contains("worklog-import-rcs"), "{text}");
    assert!(
        text.contains("--into") && text.contains("--domain"),
        "{text}"
    );

    let r = env.code(2, &["man", "nosuch"]);
    assert!(r.stderr.contains("no command `nosuch`"), "{}", r.stderr);
}
