//! Delivering a composed mail: SMTP (lettre, rustls), the local MTA's `sendmail`, or the
//! built-in local Maildir. Secrets are fetched only when needed and never shown.

use std::cell::RefCell;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

use lettre::Transport;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{
    Certificate, CertificateStore, Tls as LettreTls, TlsParameters,
};

use super::compose::Composed;
use crate::config::{PasswordSource, SmtpSettings, Tls, TransportSettings};
use crate::env::Env;
use crate::error::{Error, IoContext, Result};

/// A configured way out for mail. The SMTP password is fetched once, on first use.
pub struct Mailer {
    settings: TransportSettings,
    env: Env,
    password: RefCell<Option<String>>,
}

impl Mailer {
    pub fn new(settings: &TransportSettings, env: &Env) -> Mailer {
        Mailer {
            settings: settings.clone(),
            env: env.clone(),
            password: RefCell::new(None),
        }
    }

    /// Where mail goes, for messages: `smtp 127.0.0.1:2525`, `maildir /path`, ...
    pub fn describe(&self) -> String {
        match &self.settings {
            TransportSettings::Maildir(p) => format!("the local Maildir {}", p.display()),
            TransportSettings::Sendmail(cmd) => format!("sendmail ({cmd})"),
            TransportSettings::Smtp(s) => format!("smtp {}:{}", s.host, s.port),
        }
    }

    /// Deliver `mail`. The error is one line and never holds the password.
    pub fn send(&self, mail: &Composed) -> Result<()> {
        match &self.settings {
            TransportSettings::Maildir(dir) => deliver_maildir(dir, &mail.lf()),
            TransportSettings::Sendmail(cmd) => self.sendmail(cmd, mail),
            TransportSettings::Smtp(s) => self.smtp(s, mail).map_err(|e| self.scrub(e)),
        }
    }

    fn sendmail(&self, cmd: &str, mail: &Composed) -> Result<()> {
        let mut command = Command::new(cmd);
        command
            .arg("-i")
            .arg("-f")
            .arg(mail.from_address())
            .arg("--");
        command.args(mail.to_addresses());
        let mut child = command
            .env_clear()
            .envs(self.env.vars())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| Error::failed(format!("sendmail: could not run {cmd}: {e}")))?;
        let written = child.stdin.take().map(|mut s| s.write_all(&mail.lf()));
        let out = child
            .wait_with_output()
            .map_err(|e| Error::failed(format!("sendmail: {cmd}: {e}")))?;
        if !out.status.success() {
            let why = String::from_utf8_lossy(&out.stderr);
            let why = why
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("no message");
            return Err(Error::failed(format!(
                "sendmail: {cmd} failed ({}): {why}",
                out.status
            )));
        }
        if let Some(Err(e)) = written {
            return Err(Error::failed(format!(
                "sendmail: {cmd} did not take the whole message: {e}"
            )));
        }
        Ok(())
    }

    fn smtp(&self, s: &SmtpSettings, mail: &Composed) -> Result<()> {
        let mut builder = lettre::SmtpTransport::builder_dangerous(&s.host)
            .port(s.port)
            .timeout(Some(s.timeout));
        let tls = match s.tls {
            Tls::None => LettreTls::None,
            Tls::StartTls => LettreTls::Required(tls_parameters(s)?),
            Tls::Wrapper => LettreTls::Wrapper(tls_parameters(s)?),
        };
        builder = builder.tls(tls);
        if let Some(user) = &s.username {
            let password = self.password(&s.password)?;
            builder = builder.credentials(Credentials::new(user.clone(), password));
        }
        let transport = builder.build();
        // SMTP's end of data (CRLF . CRLF) ends the last line itself: without this cut
        // every mail would gain an empty last line.
        let raw = mail.crlf();
        let raw = raw.strip_suffix(b"\r\n").unwrap_or(&raw);
        transport
            .send_raw(mail.message.envelope(), raw)
            .map_err(|e| {
                let why = if timed_out(&e) {
                    format!(
                        "no answer within {} s (transport.timeout-secs)",
                        s.timeout.as_secs()
                    )
                } else {
                    one_line(&e.to_string())
                };
                Error::failed(format!("smtp {}:{}: {why}", s.host, s.port))
            })?;
        Ok(())
    }

    /// The SMTP password: `WORKLOG_SMTP_PASSWORD`, or the first line a command prints.
    fn password(&self, source: &PasswordSource) -> Result<String> {
        if let Some(p) = self.password.borrow().as_ref() {
            return Ok(p.clone());
        }
        let p = match source {
            PasswordSource::None => {
                return Err(Error::user("transport.username is set but no password is")
                    .with_hint("set transport.password-command in your worklog config, or WORKLOG_SMTP_PASSWORD"));
            }
            PasswordSource::Env(p) => p.clone(),
            PasswordSource::Command(cmd) => {
                let out = Command::new("sh")
                    .arg("-c")
                    .arg(cmd)
                    .env_clear()
                    .envs(self.env.vars())
                    .stdin(Stdio::null())
                    .stderr(Stdio::inherit())
                    .output()
                    .map_err(|e| {
                        Error::failed(format!("transport.password-command: could not run it: {e}"))
                    })?;
                if !out.status.success() {
                    return Err(Error::failed(format!(
                        "transport.password-command failed ({})",
                        out.status
                    ))
                    .with_hint(format!("try it by hand: {cmd}")));
                }
                let text = String::from_utf8_lossy(&out.stdout);
                let first = text.lines().next().unwrap_or("").to_string();
                if first.is_empty() {
                    return Err(
                        Error::failed("transport.password-command printed no password")
                            .with_hint(format!("try it by hand: {cmd}")),
                    );
                }
                first
            }
        };
        *self.password.borrow_mut() = Some(p.clone());
        Ok(p)
    }

    /// Belt and braces: no server reply or library message may echo the password.
    fn scrub(&self, e: Error) -> Error {
        let Some(p) = self.password.borrow().clone() else {
            return e;
        };
        if p.is_empty() || !e.message().contains(&p) {
            return e;
        }
        Error::new(e.kind(), e.message().replace(&p, "********"))
    }
}

/// A socket read or write that hit the configured timeout (EAGAIN on Linux).
fn timed_out(e: &lettre::transport::smtp::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return matches!(
                io.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            );
        }
        source = s.source();
    }
    e.is_timeout()
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// rustls parameters: with `ca_file`, that CA is the only trusted root (a team's own CA or
/// a test CA); otherwise the platform's trust store.
fn tls_parameters(s: &SmtpSettings) -> Result<TlsParameters> {
    let mut b = TlsParameters::builder(s.host.clone());
    if let Some(ca) = &s.ca_file {
        let pem = std::fs::read(ca).with_path(ca)?;
        let cert = Certificate::from_pem(&pem)
            .map_err(|e| Error::user(format!("{}: not a PEM certificate ({e})", ca.display())))?;
        b = b
            .certificate_store(CertificateStore::None)
            .add_root_certificate(cert);
    }
    b.build_rustls()
        .map_err(|e| Error::failed(format!("smtp {}:{}: TLS setup failed: {e}", s.host, s.port)))
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// Write `message` into the Maildir `dir` the way delivery agents do: into `tmp/` under a
/// unique name, then renamed into `new/`, so readers never see half a mail.
pub fn deliver_maildir(dir: &Path, message: &[u8]) -> Result<()> {
    for sub in ["cur", "new", "tmp"] {
        let d = dir.join(sub);
        std::fs::create_dir_all(&d).with_path(&d)?;
    }
    let name = unique_name();
    let tmp: PathBuf = dir.join("tmp").join(&name);
    let new = dir.join("new").join(&name);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .with_path(&tmp)?;
    f.write_all(message).with_path(&tmp)?;
    f.sync_all().with_path(&tmp)?;
    drop(f);
    std::fs::rename(&tmp, &new).with_path(&new)?;
    Ok(())
}

/// `<secs>.M<micros>P<pid>Q<n>.<host>`, the usual Maildir unique name.
fn unique_name() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let host: String = gethostname::gethostname()
        .to_string_lossy()
        .chars()
        .map(|c| if c == '/' || c == ':' { '_' } else { c })
        .collect();
    format!(
        "{}.M{:06}P{}Q{}.{host}",
        now.as_secs(),
        now.subsec_micros(),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}
