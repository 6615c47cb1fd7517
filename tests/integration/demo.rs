//! Integration tests: `worklog demo` on a machine with no configuration and no network.

use crate::harness::*;

#[test]
fn demo_runs_with_no_config_and_its_searches_hit() {
    let mut env = TestEnv::new();
    // A fresh machine: no git identity, no worklog config, no mail server.
    for k in ["GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "WORKLOG_NOW"] {
        env.unset(k);
    }
    let dir = env.tmp.path().join("tour");
    let r = env.ok(&["demo", dir.to_str().unwrap()]);
    let out = &r.stdout;
    // Each search in the tour printed hits: the doc each one is about.
    let sections: Vec<&str> = out.split("\n# ").collect();
    let find = |title: &str| sections.iter().find(|s| s.starts_with(title)).unwrap_or_else(|| panic!("no section {title}: {out}"));
    assert!(find("A phrase").contains("build/mailhost"), "{out}");
    assert!(find("A vague memory").contains("2015-02-14-fs-migration"), "{out}");
    assert!(find("Everything tagged zfs").contains("fs-migration"), "{out}");
    assert!(find("Text that only an old version").contains("2015-01-20"), "{out}");
    assert!(find("What happened around").contains("completed"), "{out}");
    assert!(out.contains("Try next"), "{out}");
    // History spans the years with explicit dates, and every update was mailed.
    let mut env2 = TestEnv::new();
    env2.root = dir.clone();
    let years = env2.git(&["log", "--format=%cd", "--date=format:%Y"]);
    assert!(years.lines().any(|y| y == "2014") && years.lines().any(|y| y == "2026"), "{years}");
    let status = env.run_in(&dir, &["status", "--json"]);
    assert_eq!(status.code, 0, "{}", status.stderr);
    assert!(!status.stdout.contains("unmailed"), "{}", status.stdout);
    // A second run into the same folder refuses instead of overwriting.
    let r = env.code(2, &["demo", dir.to_str().unwrap()]);
    assert!(r.stderr.contains("not empty"), "{}", r.stderr);
}
