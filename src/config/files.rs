//! The two TOML files as written on disk: the team's `worklog.toml` and the user's `config.toml`.
//! Unknown keys are rejected with the file and key named.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, IoContext, Result};

/// `<root>/worklog.toml`, committed with the docs.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TeamFile {
    #[serde(default)]
    pub mail: MailSection,
    #[serde(default)]
    pub archive: ArchiveSection,
    #[serde(default)]
    pub checklist: ChecklistSection,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct MailSection {
    pub to: Option<String>,
    pub subject_prefix: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ArchiveSection {
    pub sources: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ChecklistSection {
    pub mail_on_tick: Option<bool>,
}

/// `$XDG_CONFIG_HOME/worklog/config.toml` (or `WORKLOG_CONFIG`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct UserFile {
    pub root: Option<PathBuf>,
    pub name: Option<String>,
    pub email: Option<String>,
    #[serde(default)]
    pub mail: MailSection,
    #[serde(default)]
    pub archive: ArchiveSection,
    #[serde(default)]
    pub transport: TransportSection,
    #[serde(default)]
    pub index: IndexSection,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TransportSection {
    pub kind: Option<String>,
    pub host: Option<String>,
    pub port: Option<u16>,
    pub tls: Option<String>,
    pub username: Option<String>,
    pub password_command: Option<String>,
    pub timeout_secs: Option<u64>,
    /// Extra trusted CA certificate (PEM) for SMTP TLS, e.g. a site CA.
    pub ca_file: Option<PathBuf>,
    /// The sendmail binary for `kind = "sendmail"`.
    pub sendmail_command: Option<String>,
    /// The Maildir for `kind = "maildir"`.
    pub maildir: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct IndexSection {
    pub dir: Option<PathBuf>,
}

/// Read and parse a TOML file; errors name the file and the offending key or line.
pub fn read_toml<T: for<'de> Deserialize<'de> + Default>(path: &Path) -> Result<Option<T>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_path(path),
    };
    parse_toml(path, &text).map(Some)
}

pub fn parse_toml<T: for<'de> Deserialize<'de>>(path: &Path, text: &str) -> Result<T> {
    toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| {
                format!(
                    ":{}",
                    text[..s.start.min(text.len())].matches('\n').count() + 1
                )
            })
            .unwrap_or_default();
        let msg = e.message().replace('\n', " ");
        Error::user(format!("{}{line}: {msg}", path.display()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_names_file_and_key() {
        let err = parse_toml::<TeamFile>(
            Path::new("/r/worklog.toml"),
            "[mail]\nto = \"a@b\"\nsubjet-prefix = \"x\"\n",
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("/r/worklog.toml:3:"), "{msg}");
        assert!(msg.contains("subjet-prefix"), "{msg}");
    }
}
