//! A snapshot of the process environment, read once, so tests stay hermetic.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::PathBuf;

/// The environment variables worklog looks at, captured at start-up.
#[derive(Debug, Clone, Default)]
pub struct Env {
    vars: BTreeMap<String, String>,
}

impl Env {
    pub fn from_process() -> Self {
        Env {
            vars: std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect(),
        }
    }

    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Env {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    /// A variable's value; an empty value counts as unset.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.vars
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    pub fn set(&mut self, key: &str, value: impl Into<String>) {
        self.vars.insert(key.to_string(), value.into());
    }

    pub fn remove(&mut self, key: &str) {
        self.vars.remove(key);
    }

    pub fn path(&self, key: &str) -> Option<PathBuf> {
        self.get(key).map(PathBuf::from)
    }

    pub fn home(&self) -> PathBuf {
        self.path("HOME").unwrap_or_else(|| PathBuf::from("/"))
    }

    /// `$XDG_CONFIG_HOME`, or `~/.config`.
    pub fn config_home(&self) -> PathBuf {
        self.path("XDG_CONFIG_HOME")
            .filter(|p| p.is_absolute())
            .unwrap_or_else(|| self.home().join(".config"))
    }

    /// `$XDG_CACHE_HOME`, or `~/.cache`.
    pub fn cache_home(&self) -> PathBuf {
        self.path("XDG_CACHE_HOME")
            .filter(|p| p.is_absolute())
            .unwrap_or_else(|| self.home().join(".cache"))
    }

    /// `$XDG_DATA_HOME`, or `~/.local/share`.
    pub fn data_home(&self) -> PathBuf {
        self.path("XDG_DATA_HOME")
            .filter(|p| p.is_absolute())
            .unwrap_or_else(|| self.home().join(".local/share"))
    }

    /// The user's editor command: `$VISUAL`, then `$EDITOR`, then `vi`.
    pub fn editor(&self) -> String {
        self.get("VISUAL")
            .or_else(|| self.get("EDITOR"))
            .unwrap_or("vi")
            .to_string()
    }

    /// Pairs to hand to a child process (the editor, password-command, sendmail).
    pub fn vars(&self) -> impl Iterator<Item = (OsString, OsString)> + '_ {
        self.vars
            .iter()
            .map(|(k, v)| (OsString::from(k), OsString::from(v)))
    }
}
