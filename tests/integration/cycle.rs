//! Integration tests: the edit → commit → mail cycle, its safety checks and its metrics.
//!
//! Delivery tests use the private Postfix of `tests/servers/start.sh DIR` on loopback,
//! found through `WORKLOG_TEST_SERVERS=DIR` (see [`servers`]). Every test mails to its own
//! recipient address and picks its mails out of the shared Maildir by that address.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use mail_parser::MimeHeaders;

use crate::harness::*;

/// The loopback servers' settings: the `KEY=VALUE` lines of `DIR/env`.
pub(crate) struct Servers {
    vars: HashMap<String, String>,
}

impl Servers {
    pub(crate) fn get(&self, key: &str) -> &str {
        self.vars
            .get(key)
            .unwrap_or_else(|| panic!("{key} missing from the servers' env file"))
    }

    /// The shared Maildir every `*@example.test` mail lands in.
    pub(crate) fn maildir(&self) -> PathBuf {
        PathBuf::from(self.get("MAILDIR"))
    }

    /// Point `env` at the plain SMTP listener (no TLS, no AUTH).
    pub(crate) fn use_plain_smtp(&self, env: &mut TestEnv) {
        env.set("WORKLOG_TRANSPORT", "smtp")
            .set("WORKLOG_SMTP_HOST", self.get("SMTP_HOST"))
            .set("WORKLOG_SMTP_PORT", self.get("SMTP_PORT_PLAIN"))
            .set("WORKLOG_SMTP_TLS", "none")
            .set("WORKLOG_SMTP_TIMEOUT", "20");
    }
}

/// The loopback mail servers, when `WORKLOG_TEST_SERVERS` names their directory. Without
/// it the test is skipped, unless `WORKLOG_REQUIRE_SERVERS` is set (CI): then it fails.
pub(crate) fn servers() -> Option<Servers> {
    let Some(dir) = std::env::var_os("WORKLOG_TEST_SERVERS") else {
        if std::env::var_os("WORKLOG_REQUIRE_SERVERS").is_some() {
            panic!(
                "WORKLOG_REQUIRE_SERVERS is set but WORKLOG_TEST_SERVERS is not: run tests/run.sh"
            );
        }
        eprintln!(
            "skipped: no mail servers (run tests/servers/start.sh DIR, set WORKLOG_TEST_SERVERS=DIR)"
        );
        return None;
    };
    let file = Path::new(&dir).join("env");
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let vars = text
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Some(Servers { vars })
}

/// A recipient address no other test uses.
pub(crate) fn unique_address(tag: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{tag}-{}-{nanos}@example.test", std::process::id())
}

/// The raw messages in `maildir` (new/ and cur/) whose To is `to`, oldest first.
pub(crate) fn mails_to(maildir: &Path, to: &str) -> Vec<Vec<u8>> {
    let mut files: Vec<PathBuf> = ["new", "cur"]
        .iter()
        .flat_map(|sub| std::fs::read_dir(maildir.join(sub)).into_iter().flatten())
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    files
        .iter()
        .filter_map(|f| std::fs::read(f).ok())
        .filter(|raw| {
            let msg = mail_parser::MessageParser::default().parse(raw);
            msg.and_then(|m| {
                m.to()
                    .and_then(|a| a.first())
                    .and_then(|a| a.address().map(str::to_string))
            })
            .is_some_and(|a| a.eq_ignore_ascii_case(to))
        })
        .collect()
}

/// Wait until `n` messages to `to` have been delivered into `maildir` (the MTA delivers
/// asynchronously); fails when more arrive or the count is not reached in a minute.
pub(crate) fn wait_for_mails(maildir: &Path, to: &str, n: usize) -> Vec<Vec<u8>> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let found = mails_to(maildir, to);
        assert!(
            found.len() <= n,
            "expected {n} mails to {to}, found {}",
            found.len()
        );
        if found.len() == n {
            return found;
        }
        assert!(
            Instant::now() < deadline,
            "expected {n} mails to {to} in {}, found {} after a minute",
            maildir.display(),
            found.len()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A doc holding everything transports are known to mangle.
fn tricky_doc() -> String {
    let long: String = (0..300)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect();
    format!(
        "---\ntitle: Restore from backup\ntags: [backup, mail]\n---\n# Restore from backup\n\n{long}\ntrailing spaces   \nFrom the old days: a line mbox would quote.\n.\na = sign, Grüße und ünïcödé\n\tindented with a tab\t\n..two dots\nlast line\n"
    )
}

/// Check one delivered mail against the commit it carries, byte for byte.
fn check_mail(env: &TestEnv, raw: &[u8], to: &str, path: &str, summary: &str, text: &str) {
    let msg = mail_parser::MessageParser::default()
        .parse(raw)
        .expect("a parsable mail");
    let commit = env
        .git(&["log", "-1", "--format=%H", "--", path])
        .trim()
        .to_string();
    let from = msg.from().and_then(|a| a.first()).expect("From");
    assert_eq!(from.address(), Some("ann@example.test"));
    assert_eq!(from.name(), Some("Ann Admin"));
    let rcpt = msg.to().and_then(|a| a.first()).expect("To");
    assert_eq!(rcpt.address(), Some(to));
    let label = path.strip_suffix(".md").unwrap();
    assert_eq!(
        msg.subject(),
        Some(format!("[worklog] {label}: {summary}").as_str())
    );
    assert_eq!(msg.header_raw("X-Worklog-Path").map(str::trim), Some(path));
    assert_eq!(
        msg.header_raw("X-Worklog-Commit").map(str::trim),
        Some(commit.as_str())
    );
    assert_eq!(
        msg.header_raw("X-Worklog-Kind").map(str::trim),
        Some(path.split('/').next().unwrap())
    );
    let id = msg.message_id().expect("Message-ID");
    assert!(id.starts_with(&format!("worklog.{commit}.")), "{id}");
    assert!(id.ends_with("@example.test"), "{id}");
    // WORKLOG_NOW of the harness: 2015-02-02T10:00:00+01:00.
    assert_eq!(msg.date().map(|d| d.to_timestamp()), Some(1_422_867_600));
    let part = msg.text_part(0).expect("a text part");
    assert_eq!(part.content_type().map(|c| c.ctype()), Some("text"));
    assert_eq!(part.content_type().and_then(|c| c.subtype()), Some("plain"));
    assert_eq!(
        part.content_type()
            .and_then(|c| c.attribute("charset"))
            .map(str::to_ascii_lowercase),
        Some("utf-8".into())
    );
    let body = String::from_utf8(part.contents().to_vec()).unwrap();
    assert_eq!(
        body,
        format!("{summary}\n\n{text}"),
        "body not byte-identical"
    );
}

/// Commit the tricky doc via `transport`, wait for its mail and check it.
fn deliver_tricky_doc(mut env: TestEnv, tag: &str, maildir: &Path) {
    let to = unique_address(tag);
    env.set("WORKLOG_MAIL_TO", &to);
    let text = tricky_doc();
    env.write("howto/restore.md", &text);
    let r = env.ok(&["commit", "howto/restore", "-m", "add restore notes"]);
    assert!(
        r.stderr
            .contains(&format!("mailed howto/restore.md to {to}")),
        "{}",
        r.stderr
    );
    let mails = wait_for_mails(maildir, &to, 1);
    check_mail(
        &env,
        &mails[0],
        &to,
        "howto/restore.md",
        "add restore notes",
        &text,
    );
    // Recorded in the notes: nothing is pending.
    assert!(env.ok(&["status", "--json"]).json().is_empty());
    let log = env.ok(&["log", "howto/restore", "--json"]).json();
    assert_eq!(log[0]["mailed"], true);
}

#[test]
fn delivers_over_plain_smtp() {
    let Some(s) = servers() else { return };
    let mut env = TestEnv::init();
    s.use_plain_smtp(&mut env);
    deliver_tricky_doc(env, "plain", &s.maildir());
}

#[test]
fn delivers_over_starttls_with_auth() {
    let Some(s) = servers() else { return };
    let mut env = TestEnv::init();
    env.set("WORKLOG_TRANSPORT", "smtp")
        .set("WORKLOG_SMTP_HOST", s.get("SMTP_HOST"))
        .set("WORKLOG_SMTP_PORT", s.get("SMTP_PORT_STARTTLS"))
        .set("WORKLOG_SMTP_TLS", "starttls")
        .set("WORKLOG_SMTP_USERNAME", s.get("SMTP_USERNAME"))
        .set("WORKLOG_SMTP_PASSWORD", s.get("SMTP_PASSWORD"))
        .set("WORKLOG_SMTP_CA_FILE", s.get("CA_FILE"));
    deliver_tricky_doc(env, "starttls", &s.maildir());
}

#[test]
fn delivers_over_implicit_tls_with_auth_and_password_command() {
    let Some(s) = servers() else { return };
    let mut env = TestEnv::init();
    env.set("WORKLOG_TRANSPORT", "smtp")
        .set("WORKLOG_SMTP_HOST", s.get("SMTP_HOST"))
        .set("WORKLOG_SMTP_PORT", s.get("SMTP_PORT_TLS"))
        .set("WORKLOG_SMTP_TLS", "tls")
        .set("WORKLOG_SMTP_USERNAME", s.get("SMTP_USERNAME"))
        .set(
            "WORKLOG_SMTP_PASSWORD_COMMAND",
            format!("printf '%s\\n' {} extra-line", s.get("SMTP_PASSWORD")),
        )
        .set("WORKLOG_SMTP_CA_FILE", s.get("CA_FILE"));
    deliver_tricky_doc(env, "tls", &s.maildir());
}

#[test]
fn delivers_through_sendmail() {
    let Some(s) = servers() else { return };
    let mut env = TestEnv::init();
    env.set("WORKLOG_TRANSPORT", "sendmail")
        .set("WORKLOG_SENDMAIL", s.get("SENDMAIL"));
    deliver_tricky_doc(env, "sendmail", &s.maildir());
}

#[test]
fn sendmail_failure_keeps_the_commit_unmailed() {
    let mut env = TestEnv::init();
    env.set("WORKLOG_TRANSPORT", "sendmail")
        .set("WORKLOG_SENDMAIL", "/bin/false");
    env.write("howto/x.md", "# X\n");
    let r = env.code(3, &["commit", "howto/x", "-m", "add x"]);
    assert!(r.stderr.contains("kept but not mailed"), "{}", r.stderr);
    assert!(r.stderr.contains("sendmail"), "{}", r.stderr);
    assert_eq!(env.git(&["log", "-1", "--format=%s"]).trim(), "add x");
    let unmailed = env.ok(&["status", "--json"]).json();
    assert_eq!(unmailed.len(), 1);
    assert_eq!(unmailed[0]["type"], "unmailed");
}

/// A port on loopback where nothing listens.
fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// After a failed mail: the commit is there, `status` and `check` show it unmailed.
fn assert_kept_unmailed(env: &TestEnv, r: &Run, summary: &str) {
    assert_eq!(r.code, 3, "expected exit 3: {r:?}");
    assert!(r.stderr.contains("kept but not mailed"), "{}", r.stderr);
    assert!(r.stderr.contains("worklog mail --pending"), "{}", r.stderr);
    assert_eq!(
        r.stderr.lines().filter(|l| l.contains("error:")).count(),
        1,
        "{}",
        r.stderr
    );
    assert_eq!(env.git(&["log", "-1", "--format=%s"]).trim(), summary);
    let st = env.ok(&["status", "--json"]).json();
    assert!(
        st.iter()
            .any(|v| v["type"] == "unmailed" && v["summary"] == summary),
        "{st:?}"
    );
    let check = env.code(1, &["check"]);
    assert!(check.stdout.contains("unmailed:"), "{}", check.stdout);
}

#[test]
fn server_down_then_pending_delivers_each_once_oldest_first() {
    let Some(s) = servers() else { return };
    let mut env = TestEnv::init();
    let to = unique_address("down");
    s.use_plain_smtp(&mut env);
    env.set("WORKLOG_MAIL_TO", &to)
        .set("WORKLOG_SMTP_PORT", closed_port().to_string());
    env.write("howto/a.md", "# A\n");
    let r = env.run(&["commit", "howto/a", "-m", "first"]);
    assert_kept_unmailed(&env, &r, "first");
    env.now("2015-02-02T11:00:00+01:00");
    env.write("howto/b.md", "# B\n");
    let r = env.run(&["commit", "howto/b", "-m", "second"]);
    assert_kept_unmailed(&env, &r, "second");
    assert_eq!(
        env.code(1, &["check"]).stdout.matches("unmailed:").count(),
        2
    );

    // The server is back.
    env.set("WORKLOG_SMTP_PORT", s.get("SMTP_PORT_PLAIN"));
    let r = env.ok(&["mail", "--pending"]);
    let sent: Vec<&str> = r.lines();
    assert_eq!(sent.len(), 2, "{}", r.stdout);
    assert!(
        sent[0].ends_with("howto/a.md") && sent[1].ends_with("howto/b.md"),
        "{sent:?}"
    );
    let mails = wait_for_mails(&s.maildir(), &to, 2);
    let subjects: Vec<String> = mails
        .iter()
        .map(|m| {
            mail_parser::MessageParser::default()
                .parse(m)
                .unwrap()
                .subject()
                .unwrap()
                .to_string()
        })
        .collect();
    assert!(
        subjects.contains(&"[worklog] howto/a: first".to_string()),
        "{subjects:?}"
    );
    assert!(
        subjects.contains(&"[worklog] howto/b: second".to_string()),
        "{subjects:?}"
    );
    // Run twice: the second sends nothing.
    let again = env.ok(&["mail", "--pending"]);
    assert!(again.stdout.is_empty(), "{}", again.stdout);
    assert!(again.stderr.contains("nothing to mail"), "{}", again.stderr);
    env.ok(&["check"]);
    assert_eq!(mails_to(&s.maildir(), &to).len(), 2);
}

#[test]
fn wrong_password_is_never_shown_and_pending_delivers_after_the_fix() {
    let Some(s) = servers() else { return };
    let mut env = TestEnv::init();
    let to = unique_address("authfail");
    let wrong = "Wr0ng-pa55word-7f3a";
    env.set("WORKLOG_MAIL_TO", &to)
        .set("WORKLOG_TRANSPORT", "smtp")
        .set("WORKLOG_SMTP_HOST", s.get("SMTP_HOST"))
        .set("WORKLOG_SMTP_PORT", s.get("SMTP_PORT_STARTTLS"))
        .set("WORKLOG_SMTP_TLS", "starttls")
        .set("WORKLOG_SMTP_USERNAME", s.get("SMTP_USERNAME"))
        .set("WORKLOG_SMTP_PASSWORD", wrong)
        .set("WORKLOG_SMTP_CA_FILE", s.get("CA_FILE"))
        .set("WORKLOG_LOG", "trace");
    env.write("howto/a.md", "# A\n");
    let r = env.run(&["commit", "howto/a", "-m", "first"]);
    assert_kept_unmailed(&env, &r, "first");
    assert!(
        r.stderr.contains("535"),
        "the server's refusal is shown: {}",
        r.stderr
    );
    for out in [&r.stdout, &r.stderr] {
        assert!(!out.contains(wrong), "password leaked: {out}");
    }
    let cfg = env.ok(&["config"]);
    assert!(
        !cfg.stdout.contains(wrong) && !cfg.stderr.contains(wrong),
        "{}",
        cfg.stdout
    );

    // A password command that fails is a clear error, and shows nothing secret either.
    env.unset("WORKLOG_SMTP_PASSWORD").set(
        "WORKLOG_SMTP_PASSWORD_COMMAND",
        format!("echo {wrong}; exit 3"),
    );
    let r = env.code(3, &["mail", "--pending"]);
    assert!(r.stderr.contains("password-command failed"), "{}", r.stderr);
    assert!(!r.stdout.contains(wrong), "{}", r.stdout);

    env.unset("WORKLOG_SMTP_PASSWORD_COMMAND")
        .set("WORKLOG_SMTP_PASSWORD", s.get("SMTP_PASSWORD"));
    env.ok(&["mail", "--pending"]);
    let mails = wait_for_mails(&s.maildir(), &to, 1);
    check_mail(&env, &mails[0], &to, "howto/a.md", "first", "# A\n");
    assert!(env.ok(&["mail", "--pending"]).stdout.is_empty());
    assert_eq!(mails_to(&s.maildir(), &to).len(), 1);
}

#[test]
fn untrusted_certificate_fails_then_pending_delivers_after_the_fix() {
    let Some(s) = servers() else { return };
    let mut env = TestEnv::init();
    let to = unique_address("untrusted");
    env.set("WORKLOG_MAIL_TO", &to)
        .set("WORKLOG_TRANSPORT", "smtp")
        .set("WORKLOG_SMTP_HOST", s.get("SMTP_HOST"))
        .set("WORKLOG_SMTP_PORT", s.get("SMTP_PORT_TLS"))
        .set("WORKLOG_SMTP_TLS", "tls")
        .set("WORKLOG_SMTP_USERNAME", s.get("SMTP_USERNAME"))
        .set("WORKLOG_SMTP_PASSWORD", s.get("SMTP_PASSWORD"))
        .set("WORKLOG_SMTP_CA_FILE", s.get("OTHER_CA_FILE"));
    env.write("howto/a.md", "# A\n");
    let r = env.run(&["commit", "howto/a", "-m", "first"]);
    assert_kept_unmailed(&env, &r, "first");
    assert!(
        r.stderr.to_lowercase().contains("certificate"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains(s.get("SMTP_PASSWORD")));
    // No CA file at all: the system's roots do not know the test CA either.
    env.unset("WORKLOG_SMTP_CA_FILE");
    env.code(3, &["mail", "--pending"]);

    env.set("WORKLOG_SMTP_CA_FILE", s.get("CA_FILE"));
    env.ok(&["mail", "--pending"]);
    wait_for_mails(&s.maildir(), &to, 1);
    assert!(env.ok(&["mail", "--pending"]).stdout.is_empty());
    assert_eq!(mails_to(&s.maildir(), &to).len(), 1);
}

#[test]
fn silent_server_fails_after_the_configured_timeout() {
    // A server that accepts and never says a word.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for c in listener.incoming() {
            held.push(c);
        }
    });
    let mut env = TestEnv::init();
    env.set("WORKLOG_TRANSPORT", "smtp")
        .set("WORKLOG_SMTP_HOST", "127.0.0.1")
        .set("WORKLOG_SMTP_PORT", port.to_string())
        .set("WORKLOG_SMTP_TLS", "none")
        .set("WORKLOG_SMTP_TIMEOUT", "1");
    env.write("howto/a.md", "# A\n");
    let r = env.run(&["commit", "howto/a", "-m", "first"]);
    assert_kept_unmailed(&env, &r, "first");
    assert!(r.stderr.contains("no answer within 1 s"), "{}", r.stderr);
}

/// The built-in default transport's Maildir for a TestEnv.
fn default_maildir(env: &TestEnv) -> PathBuf {
    let base = env.home.join(".local/share/worklog");
    let dirs: Vec<PathBuf> = std::fs::read_dir(&base)
        .unwrap_or_else(|e| panic!("{}: {e}", base.display()))
        .map(|e| e.unwrap().path().join("Maildir"))
        .collect();
    assert_eq!(dirs.len(), 1, "{dirs:?}");
    dirs[0].clone()
}

#[test]
fn default_maildir_needs_no_configuration() {
    let env = TestEnv::init();
    let text = tricky_doc();
    env.write("howto/restore.md", &text);
    env.ok(&["commit", "-m", "add restore notes"]);
    let maildir = default_maildir(&env);
    assert!(maildir.join("cur").is_dir() && maildir.join("tmp").is_dir());
    let mails = mails_to(&maildir, ADDRESS);
    assert_eq!(mails.len(), 1);
    check_mail(
        &env,
        &mails[0],
        ADDRESS,
        "howto/restore.md",
        "add restore notes",
        &text,
    );
    let first_id = mail_parser::MessageParser::default()
        .parse(&mails[0])
        .unwrap()
        .message_id()
        .unwrap()
        .to_string();

    // --dry-run prints, sends nothing.
    let dry = env.ok(&["mail", "howto/restore", "--dry-run"]);
    assert!(
        dry.stdout
            .contains("Subject: [worklog] howto/restore: add restore notes"),
        "{}",
        dry.stdout
    );
    assert_eq!(mails_to(&maildir, ADDRESS).len(), 1);
    // A resend carries the same Message-ID.
    env.ok(&["mail", "howto/restore"]);
    let mails = mails_to(&maildir, ADDRESS);
    assert_eq!(mails.len(), 2);
    let ids: Vec<String> = mails
        .iter()
        .map(|m| {
            mail_parser::MessageParser::default()
                .parse(m)
                .unwrap()
                .message_id()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(ids, [first_id.clone(), first_id]);

    // A deleted doc's commit is mailed too, saying so.
    std::fs::remove_file(env.root.join("howto/restore.md")).unwrap();
    env.ok(&["commit", "howto/restore", "-m", "obsolete"]);
    let mails = mails_to(&maildir, ADDRESS);
    assert_eq!(mails.len(), 3);
    let msg = mail_parser::MessageParser::default()
        .parse(&mails[2])
        .unwrap();
    let body = msg.body_text(0).unwrap();
    assert!(
        body.starts_with("obsolete\n\n[worklog] howto/restore.md was removed in commit "),
        "{body}"
    );
    assert!(env.ok(&["status", "--json"]).json().is_empty());
}

#[test]
fn missing_address_is_a_clear_error_and_the_commit_stays_unmailed() {
    let env = TestEnv::new();
    env.run_in(env.tmp.path(), &["init", "docs"]);
    env.write("howto/x.md", "# X\n");
    let r = env.code(2, &["commit", "howto/x", "-m", "add x"]);
    assert!(r.stderr.contains("[mail] to is not set"), "{}", r.stderr);
    assert!(r.stderr.contains("worklog.toml"), "{}", r.stderr);
    assert_eq!(env.git(&["log", "-1", "--format=%s"]).trim(), "add x");
    assert_eq!(env.ok(&["status", "--json"]).json()[0]["type"], "unmailed");
    let r = env.code(2, &["mail", "--pending"]);
    assert!(r.stderr.contains("hint:"), "{}", r.stderr);
}

#[test]
fn pending_skips_history_and_imports_and_log_shows_mail_state() {
    let env = TestEnv::new();
    // Docs that were there before worklog: the init commit (the baseline) adopts them.
    env.write("howto/old.md", "# Old\n");
    env.run_in(env.tmp.path(), &["init", "docs", "--address", ADDRESS]);
    assert!(env.ok(&["status", "--json"]).json().is_empty());
    // Imported history is never mailed either.
    env.write("howto/imported.md", "# Imported\n");
    env.git(&["add", "howto/imported.md"]);
    env.git(&[
        "commit",
        "-q",
        "-m",
        "import 1998 notes\n\nWorklog-Import: rcs howto/imported.md,v 1.1",
    ]);
    assert!(env.ok(&["status", "--json"]).json().is_empty());

    // Committed with plain git, not worklog: nobody mailed it.
    env.write("howto/old.md", "# Old\n\nnew line\n");
    env.git(&["commit", "-q", "-am", "update"]);
    let st = env.ok(&["status", "--json"]).json();
    assert_eq!(st.len(), 1);
    assert_eq!(st[0]["path"], "howto/old.md");
    let log = env.ok(&["log", "howto/old", "--json"]).json();
    assert_eq!(log[0]["mail_state"], "unmailed");
    assert_eq!(log[0]["mailed"], false);
    assert_eq!(log[1]["mail_state"], "history");
    let text = env.ok(&["log", "howto/old"]).stdout;
    assert!(text.lines().next().unwrap().contains("unmailed"), "{text}");

    env.ok(&["mail", "--pending"]);
    let log = env.ok(&["log", "howto/old", "--json"]).json();
    assert_eq!(log[0]["mailed"], true);
    assert_eq!(log[0]["mailed_at"], "2015-02-02T10:00:00+01:00");
    // The note travels with the repo: plain git sees it.
    let note = env.git(&["notes", "--ref=refs/notes/worklog", "show", "HEAD"]);
    assert!(
        note.contains("\"path\":\"howto/old.md\"") && note.contains(ADDRESS),
        "{note}"
    );
}

/// Prometheus' own checker, when installed (CI installs it: tests/servers/install.sh).
fn promtool(args: &[&str], stdin: Option<&Path>) -> bool {
    if Command::new("promtool").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("WORKLOG_REQUIRE_SERVERS").is_none(),
            "promtool is missing: run tests/servers/install.sh"
        );
        eprintln!("skipped: promtool not installed");
        return false;
    }
    let mut c = Command::new("promtool");
    c.args(args);
    if let Some(f) = stdin {
        c.stdin(std::fs::File::open(f).unwrap());
    }
    let o = c.output().unwrap();
    assert!(
        o.status.success(),
        "promtool {args:?}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    true
}

fn metric(text: &str, name: &str) -> f64 {
    text.lines()
        .find(|l| l.starts_with(&format!("{name}{{")))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{name} missing from:\n{text}"))
}

#[test]
fn hand_edit_story_status_check_edit_commit() {
    let mut env = TestEnv::init();
    env.write("howto/x.md", "# X\n\nfirst\n");
    env.ok(&["commit", "howto/x", "-m", "add x"]);
    let metrics = env.tmp.path().join("textfile/worklog.prom");
    std::fs::create_dir_all(metrics.parent().unwrap()).unwrap();
    let metrics_arg = metrics.display().to_string();
    env.ok(&["check", "--textfile", &metrics_arg]);

    // Edited by hand and left uncommitted.
    env.write("howto/x.md", "# X\n\nfirst\nsecond\n");
    let st = env.ok(&["status", "--json"]).json();
    assert_eq!(st.len(), 1, "{st:?}");
    assert_eq!(st[0]["type"], "uncommitted");
    assert_eq!(st[0]["path"], "howto/x.md");
    assert!(env.ok(&["status"]).stdout.contains("howto/x.md"));
    let check = env.code(1, &["check", "--textfile", &metrics_arg]);
    assert!(
        check.stdout.contains("uncommitted: howto/x.md"),
        "{}",
        check.stdout
    );
    let text = std::fs::read_to_string(&metrics).unwrap();
    assert_eq!(metric(&text, "worklog_uncommitted_docs"), 1.0);
    assert_eq!(metric(&text, "worklog_unmailed_commits"), 0.0);
    assert_eq!(
        metric(&text, "worklog_check_timestamp_seconds"),
        1_422_867_600.0
    );
    assert!(
        text.contains(&format!(
            "root=\"{}\"",
            env.root.canonicalize().unwrap().display()
        )),
        "{text}"
    );
    // Atomic replacement leaves no temp files behind.
    assert_eq!(
        std::fs::read_dir(metrics.parent().unwrap())
            .unwrap()
            .count(),
        1
    );
    promtool(&["check", "metrics"], Some(&metrics));

    env.set("EDITOR", "true");
    let r = env.code(2, &["edit", "howto/x", "-m", "more"]);
    assert!(
        r.stderr
            .contains("uncommitted changes that worklog did not make"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("howto/x.md | 1 +"),
        "diffstat shown: {}",
        r.stderr
    );
    assert!(
        r.stderr.contains("worklog commit howto/x.md"),
        "{}",
        r.stderr
    );

    env.ok(&["commit", "howto/x", "-m", "add second line"]);
    env.ok(&["check", "--textfile", &metrics_arg]);
    let text = std::fs::read_to_string(&metrics).unwrap();
    assert_eq!(metric(&text, "worklog_uncommitted_docs"), 0.0);
    assert_eq!(metric(&text, "worklog_stale_locks"), 0.0);
}

#[test]
fn unmailed_metrics_carry_the_oldest_commit_time() {
    let mut env = TestEnv::init();
    // Committed with plain git: unmailed. (GIT_COMMITTER_DATE sets the commit time.)
    env.write("howto/a.md", "# A\n");
    env.set("GIT_COMMITTER_DATE", "2015-02-02T10:00:00+01:00");
    env.git(&["add", "howto/a.md"]);
    env.git(&["commit", "-q", "-m", "a"]);
    env.write("howto/b.md", "# B\n");
    env.set("GIT_COMMITTER_DATE", "2015-02-03T10:00:00+01:00");
    env.git(&["add", "howto/b.md"]);
    env.git(&["commit", "-q", "-m", "b"]);
    let f = env.tmp.path().join("m.prom");
    env.code(1, &["check", "--textfile", &f.display().to_string()]);
    let text = std::fs::read_to_string(&f).unwrap();
    assert_eq!(metric(&text, "worklog_unmailed_commits"), 2.0);
    assert_eq!(
        metric(&text, "worklog_oldest_unmailed_commit_timestamp_seconds"),
        1_422_867_600.0
    );
    promtool(&["check", "metrics"], Some(&f));
}

#[test]
fn alert_rules_pass_promtool() {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/alerts.yml");
    assert!(rules.is_file());
    let text = std::fs::read_to_string(&rules).unwrap();
    assert!(text.contains("for:"), "the rules wait before firing");
    promtool(&["check", "rules", &rules.display().to_string()], None);
}

#[test]
fn edit_commits_and_mails_only_real_changes() {
    let mut env = TestEnv::init();
    env.write("howto/x.md", "# X\n");
    env.ok(&["commit", "howto/x", "-m", "add x"]);
    let before = env_commits(&env);

    env.set("EDITOR", "true");
    let r = env.ok(&["edit", "howto/x", "-m", "nothing"]);
    assert!(
        r.stderr.contains("unchanged; nothing committed or mailed"),
        "{}",
        r.stderr
    );
    env.set("EDITOR", "false");
    let r = env.code(2, &["edit", "howto/x", "-m", "nothing"]);
    assert!(
        r.stderr.contains("nothing committed or mailed"),
        "{}",
        r.stderr
    );
    assert_eq!(env_commits(&env), before);

    // No -m: the message is asked for; an empty answer keeps the edit uncommitted.
    let script = env.script("append.sh", "echo 'appended line' >> \"$1\"\n");
    env.set("EDITOR", script.display().to_string());
    let r = run_with_stdin(&env, &["edit", "howto/x"], "\n");
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr
            .contains("empty commit message; the edit is kept, uncommitted"),
        "{}",
        r.stderr
    );
    assert_eq!(env_commits(&env), before);
    assert!(env.read("howto/x.md").contains("appended line"));
    env.ok(&["commit", "howto/x", "-m", "keep the appended line"]);

    let r = run_with_stdin(&env, &["edit", "howto/x"], "document the flag\n");
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        env.git(&["log", "-1", "--format=%s"]).trim(),
        "document the flag"
    );
    assert_eq!(env_commits(&env), before + 2);
    let maildir = default_maildir(&env);
    let last = mails_to(&maildir, ADDRESS).pop().unwrap();
    let msg = mail_parser::MessageParser::default().parse(&last).unwrap();
    assert_eq!(msg.subject(), Some("[worklog] howto/x: document the flag"));
    // --no-mail: committed, deliberately not mailed, so not pending either; an explicit
    // `mail DOC` still sends it.
    let mails = mails_to(&maildir, ADDRESS).len();
    let r = env.ok(&["edit", "howto/x", "-m", "quiet", "--no-mail"]);
    assert!(r.stderr.contains("not mailed (--no-mail)"), "{}", r.stderr);
    assert_eq!(mails_to(&maildir, ADDRESS).len(), mails);
    assert!(env.ok(&["status", "--json"]).json().is_empty());
    env.ok(&["check"]);
    let log = env.ok(&["log", "howto/x", "--json"]).json();
    assert_eq!(log[0]["mail_state"], "skipped");
    assert_eq!(log[0]["mailed"], false);
    assert!(env.ok(&["mail", "--pending"]).stdout.is_empty());
    env.ok(&["mail", "howto/x"]);
    assert_eq!(mails_to(&maildir, ADDRESS).len(), mails + 1);
    assert_eq!(
        env.ok(&["log", "howto/x", "--json"]).json()[0]["mail_state"],
        "mailed"
    );
}

fn env_commits(env: &TestEnv) -> usize {
    env.git(&["rev-list", "--count", "HEAD"])
        .trim()
        .parse()
        .unwrap()
}

fn run_with_stdin(env: &TestEnv, args: &[&str], input: &str) -> Run {
    use std::io::Write;
    let mut c = env.command(args);
    c.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

#[test]
fn second_edit_of_a_doc_is_refused_naming_the_holder() {
    let mut env = TestEnv::init();
    env.write("howto/x.md", "# X\n");
    env.ok(&["commit", "howto/x", "-m", "add x"]);
    let sync = env.waiting_editor();
    let mut first = env.command(&["edit", "howto/x", "-m", "first edit"]);
    let first = first
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_file(&sync.join("started"));

    let r = env.code(2, &["edit", "howto/x", "-m", "second edit"]);
    let host = gethostname();
    assert!(
        r.stderr.contains(&format!(
            "being edited by Ann Admin on {host} (pid {})",
            first.id()
        )),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("since 2015-02-02T10:00:00+01:00"),
        "{}",
        r.stderr
    );
    // `commit` does not commit a doc that is open in an edit either.
    let r = env.code(2, &["commit", "howto/x", "-m", "sneaky"]);
    assert!(r.stderr.contains("being edited by"), "{}", r.stderr);
    let st = env.ok(&["status", "--json"]).json();
    let lock = st
        .iter()
        .find(|v| v["type"] == "lock")
        .expect("a lock in status");
    assert_eq!(lock["stale"], false);
    assert_eq!(lock["pid"], first.id());
    // A held lock is someone at work: not a problem for check.
    let f = env.tmp.path().join("m.prom");
    env.ok(&["check", "--textfile", &f.display().to_string()]);
    let text = std::fs::read_to_string(&f).unwrap();
    assert_eq!(metric(&text, "worklog_held_locks"), 1.0);
    assert_eq!(metric(&text, "worklog_stale_locks"), 0.0);

    std::fs::write(sync.join("go"), "").unwrap();
    let out = first.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(env.git(&["log", "-1", "--format=%s"]).trim(), "first edit");
    assert!(
        env.ok(&["status", "--json"]).json().is_empty(),
        "lock released, all mailed"
    );
    env.ok(&["check"]);
}

/// This machine's name as gethostname(2) gives it (the kernel's nodename).
fn gethostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .unwrap()
        .trim()
        .to_string()
}

#[test]
fn stale_lock_is_taken_over_with_a_warning() {
    let mut env = TestEnv::init();
    env.write("howto/x.md", "# X\n");
    env.ok(&["commit", "howto/x", "-m", "add x"]);
    let sync = env.waiting_editor();
    let mut crashed = env.command(&["edit", "howto/x", "-m", "never"]);
    let mut crashed = crashed
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for_file(&sync.join("started"));
    let pid = crashed.id();
    crashed.kill().unwrap(); // SIGKILL: no Drop, the lock file stays
    crashed.wait().unwrap();
    std::fs::write(sync.join("quit"), "").unwrap(); // the orphaned editor leaves too

    let st = env.ok(&["status", "--json"]).json();
    let lock = st
        .iter()
        .find(|v| v["type"] == "lock")
        .expect("the lock is left");
    assert_eq!(lock["stale"], true);
    assert_eq!(lock["pid"], pid);
    let f = env.tmp.path().join("m.prom");
    let check = env.code(1, &["check", "--textfile", &f.display().to_string()]);
    assert!(
        check.stdout.contains("stale lock: howto/x.md"),
        "{}",
        check.stdout
    );
    assert_eq!(
        metric(&std::fs::read_to_string(&f).unwrap(), "worklog_stale_locks"),
        1.0
    );

    let script = env.script("append.sh", "echo 'appended' >> \"$1\"\n");
    env.set("EDITOR", script.display().to_string());
    let r = env.ok(&["edit", "howto/x", "-m", "after the crash"]);
    assert!(
        r.stderr
            .contains("warning: howto/x.md: took over a stale edit lock"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains(&format!("(pid {pid})")), "{}", r.stderr);
    assert_eq!(
        env.git(&["log", "-1", "--format=%s"]).trim(),
        "after the crash"
    );
    assert!(env.ok(&["status", "--json"]).json().is_empty());
}

#[test]
fn eight_concurrent_commits_all_land() {
    let env = TestEnv::init();
    let before = env_commits(&env);
    for i in 0..8 {
        env.write(&format!("howto/doc{i}.md"), &format!("# Doc {i}\n"));
    }
    let children: Vec<_> = (0..8)
        .map(|i| {
            let doc = format!("howto/doc{i}");
            let msg = format!("add doc{i}");
            env.command(&["commit", &doc, "-m", &msg])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let o = c.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    assert_eq!(env_commits(&env), before + 8);
    let subjects = env.git(&["log", "--format=%s", "-8"]);
    for i in 0..8 {
        assert!(
            subjects.lines().any(|s| s == format!("add doc{i}")),
            "{subjects}"
        );
    }
    assert!(env.git(&["status", "--porcelain"]).trim().is_empty());
    // Each mailed once, each recorded: nothing pending.
    assert_eq!(mails_to(&default_maildir(&env), ADDRESS).len(), 8);
    assert!(env.ok(&["status", "--json"]).json().is_empty());
    assert!(env.ok(&["mail", "--pending"]).stdout.is_empty());
}

#[test]
fn commit_without_names_takes_every_dirty_doc_in_one_commit() {
    let env = TestEnv::init();
    env.write("howto/a.md", "# A\n");
    env.write("build/b.md", "# B\n");
    let before = env_commits(&env);
    env.ok(&["commit", "-m", "two docs"]);
    assert_eq!(env_commits(&env), before + 1);
    assert_eq!(
        mails_to(&default_maildir(&env), ADDRESS).len(),
        2,
        "one mail per doc"
    );
    let r = env.code(2, &["commit", "howto/a", "-m", "again"]);
    assert!(r.stderr.contains("no uncommitted changes"), "{}", r.stderr);
    env.code(2, &["commit", "-m", "nothing"]);
}

#[test]
fn refused_by_the_server_then_pending_delivers_after_the_fix() {
    let Some(s) = servers() else { return };
    let mut env = TestEnv::init();
    let to = unique_address("refused");
    // The submission port refuses clients that do not authenticate.
    env.set("WORKLOG_MAIL_TO", &to)
        .set("WORKLOG_TRANSPORT", "smtp")
        .set("WORKLOG_SMTP_HOST", s.get("SMTP_HOST"))
        .set("WORKLOG_SMTP_PORT", s.get("SMTP_PORT_STARTTLS"))
        .set("WORKLOG_SMTP_TLS", "starttls")
        .set("WORKLOG_SMTP_CA_FILE", s.get("CA_FILE"));
    env.write("howto/a.md", "# A\n");
    env.write("howto/b.md", "# B\n");
    let r = env.run(&["commit", "-m", "two at once"]);
    assert_kept_unmailed(&env, &r, "two at once");
    assert!(r.stderr.contains("permanent error (554)"), "{}", r.stderr);
    assert_eq!(env.ok(&["status", "--json"]).json().len(), 2);

    env.set("WORKLOG_SMTP_USERNAME", s.get("SMTP_USERNAME"))
        .set("WORKLOG_SMTP_PASSWORD", s.get("SMTP_PASSWORD"));
    assert_eq!(env.ok(&["mail", "--pending"]).lines().len(), 2);
    wait_for_mails(&s.maildir(), &to, 2);
    assert!(env.ok(&["mail", "--pending"]).stdout.is_empty());
    assert_eq!(mails_to(&s.maildir(), &to).len(), 2);
}
