//! Resolved configuration: flags over `WORKLOG_*` environment over the user file over the
//! team file over built-in defaults. Everything below the commands sees only [`Config`].

mod files;

pub use files::{TeamFile, UserFile, parse_toml, read_toml};

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::env::Env;
use crate::error::{Error, Result};

/// The name of the team settings file that also marks a doc root.
pub const TEAM_FILE: &str = "worklog.toml";

/// Where a setting's value came from, for `worklog config`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Default,
    Flag(&'static str),
    Env(&'static str),
    UserFile(PathBuf),
    TeamFile(PathBuf),
    Git,
    Discovered,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => write!(f, "default"),
            Origin::Flag(n) => write!(f, "flag {n}"),
            Origin::Env(n) => write!(f, "env {n}"),
            Origin::UserFile(p) => write!(f, "user config {}", p.display()),
            Origin::TeamFile(p) => write!(f, "team config {}", p.display()),
            Origin::Git => write!(f, "git config"),
            Origin::Discovered => write!(f, "found from the working directory"),
        }
    }
}

/// One effective setting, for display.
#[derive(Debug, Clone)]
pub struct Setting {
    pub key: &'static str,
    pub value: String,
    pub origin: Origin,
}

/// How `--tls` is done for SMTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tls {
    StartTls,
    Wrapper,
    None,
}

/// Where a password comes from; the value itself is fetched only when sending.
#[derive(Debug, Clone)]
pub enum PasswordSource {
    None,
    /// Taken from `WORKLOG_SMTP_PASSWORD`.
    Env(String),
    /// The first line printed by this shell command.
    Command(String),
}

#[derive(Debug, Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub tls: Tls,
    pub username: Option<String>,
    pub password: PasswordSource,
    pub timeout: Duration,
    pub ca_file: Option<PathBuf>,
}

/// How mail leaves worklog.
#[derive(Debug, Clone)]
pub enum TransportSettings {
    /// Delivery into a local Maildir (the default): works with no mail server.
    Maildir(PathBuf),
    /// The local MTA's sendmail binary.
    Sendmail(String),
    Smtp(SmtpSettings),
}

/// Everything a command needs to know, resolved.
#[derive(Debug, Clone)]
pub struct Config {
    pub root: PathBuf,
    /// The worklog address; `None` means mail cannot be sent.
    pub mail_to: Option<String>,
    pub subject_prefix: String,
    pub archive_sources: Vec<PathBuf>,
    pub mail_on_tick: bool,
    pub transport: TransportSettings,
    /// The built-in local Maildir archive (always indexed).
    pub default_maildir: PathBuf,
    pub index_dir: PathBuf,
    /// Identity overrides; git's `user.name`/`user.email` otherwise.
    pub name: Option<String>,
    pub email: Option<String>,
    pub settings: Vec<Setting>,
}

/// The user's own file, located and parsed (no root needed).
#[derive(Debug, Default)]
pub struct UserConfig {
    pub path: PathBuf,
    pub file: UserFile,
    pub exists: bool,
}

impl UserConfig {
    pub fn load(env: &Env) -> Result<Self> {
        let path = env
            .path("WORKLOG_CONFIG")
            .unwrap_or_else(|| env.config_home().join("worklog/config.toml"));
        let file: Option<UserFile> = read_toml(&path)?;
        if file.is_none() && env.get("WORKLOG_CONFIG").is_some() {
            return Err(Error::user(format!(
                "{}: WORKLOG_CONFIG names a file that does not exist",
                path.display()
            )));
        }
        Ok(UserConfig {
            path,
            exists: file.is_some(),
            file: file.unwrap_or_default(),
        })
    }
}

/// Find the doc root: `--root`, `WORKLOG_ROOT`, user config `root`, then walk up from `cwd`.
pub fn find_root(
    flag: Option<&Path>,
    env: &Env,
    user: &UserConfig,
    cwd: &Path,
) -> Result<(PathBuf, Origin)> {
    let given = if let Some(p) = flag {
        Some((p.to_path_buf(), Origin::Flag("--root")))
    } else if let Some(p) = env.path("WORKLOG_ROOT") {
        Some((p, Origin::Env("WORKLOG_ROOT")))
    } else {
        user.file
            .root
            .clone()
            .map(|p| (p, Origin::UserFile(user.path.clone())))
    };
    if let Some((p, origin)) = given {
        let p = if p.is_absolute() { p } else { cwd.join(p) };
        if !p.is_dir() {
            return Err(Error::user(format!(
                "doc root {} ({origin}) is not a directory",
                p.display()
            ))
            .with_hint("run `worklog init DIR` to make one"));
        }
        return Ok((p.canonicalize().unwrap_or(p), origin));
    }
    let mut dir = Some(cwd);
    while let Some(d) = dir {
        if d.join(TEAM_FILE).is_file() {
            return Ok((d.to_path_buf(), Origin::Discovered));
        }
        dir = d.parent();
    }
    Err(Error::user(format!(
        "no doc root: no {TEAM_FILE} in {} or above",
        cwd.display()
    ))
    .with_hint("run `worklog init DIR`, or point --root / WORKLOG_ROOT at your docs"))
}

/// A short stable name for a root, used to keep per-root caches apart.
pub fn root_id(root: &Path) -> String {
    let h = crate::hash::fnv1a64(root.as_os_str().as_encoded_bytes());
    let name: String = root
        .file_name()
        .map(|n| {
            n.to_string_lossy()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect()
        })
        .unwrap_or_default();
    format!("{name}-{:08x}", h as u32)
}

struct Resolver<'a> {
    env: &'a Env,
    user: &'a UserConfig,
    team_path: PathBuf,
    settings: Vec<Setting>,
}

impl Resolver<'_> {
    /// Env over user file over team file over default, recording the origin.
    fn pick(
        &mut self,
        key: &'static str,
        env_key: &'static str,
        user: Option<String>,
        team: Option<String>,
        default: Option<String>,
    ) -> Option<String> {
        let (value, origin) = if let Some(v) = self.env.get(env_key) {
            (Some(v.to_string()), Origin::Env(env_key))
        } else if let Some(v) = user {
            (Some(v), Origin::UserFile(self.user.path.clone()))
        } else if let Some(v) = team {
            (Some(v), Origin::TeamFile(self.team_path.clone()))
        } else {
            (default, Origin::Default)
        };
        if let Some(v) = &value {
            self.settings.push(Setting {
                key,
                value: v.clone(),
                origin,
            });
        }
        value
    }

    fn note(&mut self, key: &'static str, value: impl Into<String>, origin: Origin) {
        self.settings.push(Setting {
            key,
            value: value.into(),
            origin,
        });
    }
}

impl Config {
    /// Resolve the configuration for the doc root `root`.
    pub fn load(
        root: PathBuf,
        root_origin: Origin,
        env: &Env,
        user: &UserConfig,
    ) -> Result<Config> {
        let team_path = root.join(TEAM_FILE);
        let team: TeamFile = read_toml(&team_path)?.unwrap_or_default();
        let u = &user.file;
        let mut r = Resolver {
            env,
            user,
            team_path,
            settings: Vec::new(),
        };
        r.note("root", root.display().to_string(), root_origin);

        let mail_to = r.pick(
            "mail.to",
            "WORKLOG_MAIL_TO",
            u.mail.to.clone(),
            team.mail.to.clone(),
            None,
        );
        let subject_prefix = r
            .pick(
                "mail.subject-prefix",
                "WORKLOG_SUBJECT_PREFIX",
                u.mail.subject_prefix.clone(),
                team.mail.subject_prefix.clone(),
                Some("[worklog]".into()),
            )
            .unwrap_or_default();
        let mail_on_tick = r
            .pick(
                "checklist.mail-on-tick",
                "WORKLOG_MAIL_ON_TICK",
                None,
                team.checklist.mail_on_tick.map(|b| b.to_string()),
                Some("false".into()),
            )
            .map(|v| parse_bool("WORKLOG_MAIL_ON_TICK", &v))
            .transpose()?
            .unwrap_or(false);

        let rid = root_id(&root);
        let default_maildir = match env.path("WORKLOG_MAILDIR") {
            Some(p) => p,
            None => env.data_home().join("worklog").join(&rid).join("Maildir"),
        };
        let index_dir = r
            .pick(
                "index.dir",
                "WORKLOG_INDEX_DIR",
                u.index.dir.as_ref().map(|p| p.display().to_string()),
                None,
                Some(
                    env.cache_home()
                        .join("worklog")
                        .join(&rid)
                        .join("index")
                        .display()
                        .to_string(),
                ),
            )
            .map(PathBuf::from)
            .unwrap_or_default();

        let t = &u.transport;
        let kind = r
            .pick(
                "transport.kind",
                "WORKLOG_TRANSPORT",
                t.kind.clone(),
                None,
                Some("maildir".into()),
            )
            .unwrap_or_default();
        let transport = match kind.as_str() {
            "maildir" => {
                let dir = r
                    .pick(
                        "transport.maildir",
                        "WORKLOG_MAILDIR",
                        t.maildir.as_ref().map(|p| p.display().to_string()),
                        None,
                        Some(default_maildir.display().to_string()),
                    )
                    .map(PathBuf::from)
                    .unwrap_or_else(|| default_maildir.clone());
                TransportSettings::Maildir(dir)
            }
            "sendmail" => TransportSettings::Sendmail(
                r.pick(
                    "transport.sendmail-command",
                    "WORKLOG_SENDMAIL",
                    t.sendmail_command.clone(),
                    None,
                    Some("/usr/sbin/sendmail".into()),
                )
                .unwrap_or_default(),
            ),
            "smtp" => {
                let host = r
                    .pick(
                        "transport.host",
                        "WORKLOG_SMTP_HOST",
                        t.host.clone(),
                        None,
                        None,
                    )
                    .ok_or_else(|| {
                        Error::user(format!(
                            "{}: transport.kind is \"smtp\" but no host is set",
                            user.path.display()
                        ))
                    })?;
                let tls_s = r
                    .pick(
                        "transport.tls",
                        "WORKLOG_SMTP_TLS",
                        t.tls.clone(),
                        None,
                        Some("starttls".into()),
                    )
                    .unwrap_or_default();
                let tls = match tls_s.as_str() {
                    "starttls" => Tls::StartTls,
                    "tls" => Tls::Wrapper,
                    "none" => Tls::None,
                    other => {
                        return Err(Error::user(format!(
                            "transport.tls: unknown value {other:?} (expected starttls, tls or none)"
                        )));
                    }
                };
                let default_port = match tls {
                    Tls::StartTls => 587,
                    Tls::Wrapper => 465,
                    Tls::None => 25,
                };
                let port_s = r
                    .pick(
                        "transport.port",
                        "WORKLOG_SMTP_PORT",
                        t.port.map(|p| p.to_string()),
                        None,
                        Some(default_port.to_string()),
                    )
                    .unwrap_or_default();
                let port = port_s.parse().map_err(|_| {
                    Error::user(format!("transport.port: not a port number: {port_s}"))
                })?;
                let username = r.pick(
                    "transport.username",
                    "WORKLOG_SMTP_USERNAME",
                    t.username.clone(),
                    None,
                    None,
                );
                let password = if let Some(p) = env.get("WORKLOG_SMTP_PASSWORD") {
                    r.note(
                        "transport.password",
                        "********",
                        Origin::Env("WORKLOG_SMTP_PASSWORD"),
                    );
                    PasswordSource::Env(p.to_string())
                } else if let Some(c) = r.pick(
                    "transport.password-command",
                    "WORKLOG_SMTP_PASSWORD_COMMAND",
                    t.password_command.clone(),
                    None,
                    None,
                ) {
                    PasswordSource::Command(c)
                } else {
                    PasswordSource::None
                };
                let timeout_s = r
                    .pick(
                        "transport.timeout-secs",
                        "WORKLOG_SMTP_TIMEOUT",
                        t.timeout_secs.map(|v| v.to_string()),
                        None,
                        Some("20".into()),
                    )
                    .unwrap_or_default();
                let timeout = Duration::from_secs(timeout_s.parse().map_err(|_| {
                    Error::user(format!("transport.timeout-secs: not a number: {timeout_s}"))
                })?);
                let ca_file = r
                    .pick(
                        "transport.ca-file",
                        "WORKLOG_SMTP_CA_FILE",
                        t.ca_file.as_ref().map(|p| p.display().to_string()),
                        None,
                        None,
                    )
                    .map(PathBuf::from);
                TransportSettings::Smtp(SmtpSettings {
                    host,
                    port,
                    tls,
                    username,
                    password,
                    timeout,
                    ca_file,
                })
            }
            other => {
                return Err(Error::user(format!(
                    "transport.kind: unknown value {other:?} (expected smtp, sendmail or maildir)"
                )));
            }
        };

        let mut archive_sources: Vec<PathBuf> = match env.get("WORKLOG_ARCHIVE_SOURCES") {
            Some(v) => {
                r.note("archive.sources", v, Origin::Env("WORKLOG_ARCHIVE_SOURCES"));
                std::env::split_paths(v).collect()
            }
            None => {
                let (list, origin) = match (&u.archive.sources, &team.archive.sources) {
                    (Some(l), _) => (l.clone(), Origin::UserFile(user.path.clone())),
                    (None, Some(l)) => (l.clone(), Origin::TeamFile(r.team_path.clone())),
                    (None, None) => (Vec::new(), Origin::Default),
                };
                if !list.is_empty() {
                    r.note("archive.sources", list.join(", "), origin);
                }
                list.into_iter().map(|s| expand_tilde(&s, env)).collect()
            }
        };
        // The built-in local archive is always a source, so the default cycle is searchable.
        if !archive_sources.contains(&default_maildir) {
            archive_sources.push(default_maildir.clone());
        }
        r.note(
            "archive.local-maildir",
            default_maildir.display().to_string(),
            Origin::Default,
        );

        let name = r.pick("name", "WORKLOG_NAME", u.name.clone(), None, None);
        let email = r.pick("email", "WORKLOG_EMAIL", u.email.clone(), None, None);

        Ok(Config {
            root,
            mail_to,
            subject_prefix,
            archive_sources,
            mail_on_tick,
            transport,
            default_maildir,
            index_dir,
            name,
            email,
            settings: r.settings,
        })
    }
}

fn parse_bool(what: &str, v: &str) -> Result<bool> {
    match v {
        "true" | "yes" | "1" | "on" => Ok(true),
        "false" | "no" | "0" | "off" => Ok(false),
        _ => Err(Error::user(format!("{what}: not a boolean: {v}"))),
    }
}

fn expand_tilde(s: &str, env: &Env) -> PathBuf {
    match s.strip_prefix("~/") {
        Some(rest) => env.home().join(rest),
        None => PathBuf::from(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user_with(text: &str) -> UserConfig {
        UserConfig {
            path: PathBuf::from("/u/config.toml"),
            file: parse_toml(Path::new("/u/config.toml"), text).unwrap(),
            exists: true,
        }
    }

    #[test]
    fn env_beats_user_file_and_password_is_masked() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(TEAM_FILE), "[mail]\nto = \"team@x\"\n").unwrap();
        let user = user_with(
            "[transport]\nkind = \"smtp\"\nhost = \"file-host\"\nport = 2525\ntls = \"none\"\n",
        );
        let env = Env::from_pairs([
            ("HOME", "/h"),
            ("WORKLOG_SMTP_HOST", "env-host"),
            ("WORKLOG_SMTP_PASSWORD", "s3cret"),
        ]);
        let c = Config::load(dir.path().to_path_buf(), Origin::Default, &env, &user).unwrap();
        let TransportSettings::Smtp(s) = &c.transport else {
            panic!("not smtp")
        };
        assert_eq!(s.host, "env-host");
        assert_eq!(s.port, 2525);
        assert_eq!(c.mail_to.as_deref(), Some("team@x"));
        assert!(c.settings.iter().all(|s| !s.value.contains("s3cret")));
        let host = c
            .settings
            .iter()
            .find(|s| s.key == "transport.host")
            .unwrap();
        assert_eq!(host.origin, Origin::Env("WORKLOG_SMTP_HOST"));
        assert!(c.archive_sources.contains(&c.default_maildir));
    }

    #[test]
    fn root_walks_up_to_team_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(TEAM_FILE), "").unwrap();
        let sub = dir.path().join("howto/deep");
        std::fs::create_dir_all(&sub).unwrap();
        let (root, origin) =
            find_root(None, &Env::default(), &UserConfig::default(), &sub).unwrap();
        assert_eq!(root, dir.path());
        assert_eq!(origin, Origin::Discovered);
        let err = find_root(
            None,
            &Env::default(),
            &UserConfig::default(),
            Path::new("/"),
        )
        .unwrap_err();
        assert!(err.hints()[0].contains("worklog init"));
    }
}
