//! The test environment: a temp doc root and a hermetic environment (own HOME and XDG
//! dirs, no global git config, a fixed clock), running the real `worklog` binary.
#![allow(dead_code)] // some helpers serve only some feature modules

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_worklog");
pub const ADDRESS: &str = "worklog@example.test";

/// What a run of the binary left: exit code and both streams.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
    /// Non-empty stdout lines.
    pub fn lines(&self) -> Vec<&str> {
        self.stdout.lines().filter(|l| !l.is_empty()).collect()
    }
    /// stdout parsed as JSON Lines.
    pub fn json(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
            .collect()
    }
}

pub struct TestEnv {
    pub tmp: tempfile::TempDir,
    pub home: PathBuf,
    /// The doc root (`<tmp>/docs`).
    pub root: PathBuf,
    pub vars: Vec<(String, String)>,
    /// Working directory for runs (default: the root, once it exists).
    pub cwd: Option<PathBuf>,
}

impl TestEnv {
    /// A hermetic environment with no doc root yet.
    pub fn new() -> TestEnv {
        let tmp = tempfile::tempdir().expect("tempdir");
        let home = tmp.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        let root = tmp.path().join("docs");
        let vars = vec![
            ("HOME".into(), home.display().to_string()),
            (
                "PATH".into(),
                std::env::var("PATH").unwrap_or_else(|_| "/usr/bin:/bin".into()),
            ),
            ("GIT_CONFIG_GLOBAL".into(), "/dev/null".into()),
            ("GIT_CONFIG_NOSYSTEM".into(), "1".into()),
            ("GIT_AUTHOR_NAME".into(), "Ann Admin".into()),
            ("GIT_AUTHOR_EMAIL".into(), "ann@example.test".into()),
            ("GIT_COMMITTER_NAME".into(), "Ann Admin".into()),
            ("GIT_COMMITTER_EMAIL".into(), "ann@example.test".into()),
            ("WORKLOG_NOW".into(), "2015-02-02T10:00:00+01:00".into()),
            ("TZ".into(), "Europe/Berlin".into()),
            ("EDITOR".into(), "false".into()),
            ("LC_ALL".into(), "C.UTF-8".into()),
        ];
        TestEnv {
            tmp,
            home,
            root,
            vars,
            cwd: None,
        }
    }

    /// A doc root made by `worklog init docs --address worklog@example.test`.
    pub fn init() -> TestEnv {
        let env = TestEnv::new();
        let r = env.run_in(env.tmp.path(), &["init", "docs", "--address", ADDRESS]);
        assert_eq!(r.code, 0, "init failed: {r:?}");
        env
    }

    /// Set (or replace) an environment variable for later runs.
    pub fn set(&mut self, key: &str, value: impl Into<String>) -> &mut Self {
        let value = value.into();
        self.vars.retain(|(k, _)| k != key);
        self.vars.push((key.to_string(), value));
        self
    }

    pub fn unset(&mut self, key: &str) -> &mut Self {
        self.vars.retain(|(k, _)| k != key);
        self
    }

    /// Fix the clock (RFC 3339).
    pub fn now(&mut self, t: &str) -> &mut Self {
        self.set("WORKLOG_NOW", t)
    }

    /// Write a user config file and point WORKLOG_CONFIG at it.
    pub fn user_config(&mut self, toml: &str) -> &mut Self {
        let p = self.home.join("worklog-config.toml");
        std::fs::write(&p, toml).unwrap();
        self.set("WORKLOG_CONFIG", p.display().to_string())
    }

    /// A `Command` for the binary with the hermetic environment.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(BIN);
        c.args(args)
            .env_clear()
            .envs(self.vars.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null());
        let cwd = self.cwd.clone().unwrap_or_else(|| {
            if self.root.is_dir() {
                self.root.clone()
            } else {
                self.tmp.path().to_path_buf()
            }
        });
        c.current_dir(cwd);
        c
    }

    pub fn run(&self, args: &[&str]) -> Run {
        Run::from(self.command(args).output().expect("run worklog"))
    }

    pub fn run_in(&self, dir: &Path, args: &[&str]) -> Run {
        let mut c = self.command(args);
        c.current_dir(dir);
        Run::from(c.output().expect("run worklog"))
    }

    /// Run and insist on exit 0.
    pub fn ok(&self, args: &[&str]) -> Run {
        let r = self.run(args);
        assert_eq!(
            r.code, 0,
            "worklog {args:?} failed:\nstdout: {}\nstderr: {}",
            r.stdout, r.stderr
        );
        r
    }

    /// Run and insist on a given exit code.
    pub fn code(&self, code: i32, args: &[&str]) -> Run {
        let r = self.run(args);
        assert_eq!(
            r.code, code,
            "worklog {args:?}: expected exit {code}:\nstdout: {}\nstderr: {}",
            r.stdout, r.stderr
        );
        r
    }

    /// Run real git in the doc root with the same environment; returns stdout.
    pub fn git(&self, args: &[&str]) -> String {
        let o = Command::new("git")
            .args(args)
            .current_dir(&self.root)
            .env_clear()
            .envs(self.vars.iter().map(|(k, v)| (k, v)))
            .output()
            .expect("run git");
        assert!(
            o.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }
}

/// Gated tests that read ../shared/corpora: on when WORKLOG_CORPORA names that folder.
pub fn corpora() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("WORKLOG_CORPORA")?);
    assert!(
        dir.is_dir(),
        "WORKLOG_CORPORA={} is not a directory",
        dir.display()
    );
    Some(dir)
}

impl TestEnv {
    /// `git init` the root with branch main (for tests that start from a plain repo).
    pub fn git_init_plain(&self) {
        std::fs::create_dir_all(&self.root).unwrap();
        self.git(&["init", "-q", "-b", "main"]);
    }
}
