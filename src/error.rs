//! The crate-wide error type, its exit codes and how it is shown to a person.

use std::fmt;

/// Exit codes that scripts can rely on (see docs/guide.md, "Exit codes").
pub mod exit {
    /// Everything went fine.
    pub const OK: u8 = 0;
    /// `search` found nothing, `check` found problems, or a batch skipped bad items.
    pub const NOTHING_OR_PROBLEMS: u8 = 1;
    /// The user asked for something impossible: bad arguments, unknown doc, refused edit.
    pub const USER: u8 = 2;
    /// Something outside worklog failed: mail delivery, git, the file system.
    pub const FAILED: u8 = 3;
    /// A bug in worklog.
    pub const INTERNAL: u8 = 4;
}

/// What kind of failure an [`Error`] is; decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Bad input or a refused request (exit 2).
    User,
    /// An outside part failed: mail server, git, disk (exit 3).
    Failed,
    /// A bug (exit 4).
    Internal,
}

/// An error with a one-line message, an optional hint, and a kind.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    msg: String,
    hints: Vec<String>,
    /// Extra lines printed after the message (e.g. a diffstat or candidate list).
    details: Vec<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind, msg: impl Into<String>) -> Self {
        Error {
            kind,
            msg: msg.into(),
            hints: Vec::new(),
            details: Vec::new(),
        }
    }
    /// A user error: bad input, unknown doc, refused operation (exit 2).
    pub fn user(msg: impl Into<String>) -> Self {
        Self::new(ErrorKind::User, msg)
    }
    /// Something outside worklog failed (exit 3).
    pub fn failed(msg: impl Into<String>) -> Self {
        Self::new(ErrorKind::Failed, msg)
    }
    /// A bug (exit 4).
    pub fn internal(msg: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, msg)
    }
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }
    pub fn with_detail(mut self, line: impl Into<String>) -> Self {
        self.details.push(line.into());
        self
    }
    /// Prefix the message with context, e.g. the file it concerns.
    pub fn context(mut self, ctx: impl fmt::Display) -> Self {
        self.msg = format!("{ctx}: {}", self.msg);
        self
    }
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
    pub fn message(&self) -> &str {
        &self.msg
    }
    pub fn hints(&self) -> &[String] {
        &self.hints
    }
    pub fn details(&self) -> &[String] {
        &self.details
    }
    pub fn exit_code(&self) -> u8 {
        match self.kind {
            ErrorKind::User => exit::USER,
            ErrorKind::Failed => exit::FAILED,
            ErrorKind::Internal => exit::INTERNAL,
        }
    }
    /// True when this error is a closed stdout pipe, which ends a run quietly.
    pub fn is_broken_pipe(&self) -> bool {
        self.msg == BROKEN_PIPE
    }
}

const BROKEN_PIPE: &str = "broken pipe";

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.msg)
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return Error::failed(BROKEN_PIPE);
        }
        Error::failed(e.to_string())
    }
}

impl From<git2::Error> for Error {
    fn from(e: git2::Error) -> Self {
        Error::failed(format!("git: {}", e.message()))
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        if e.is_io() {
            return Error::from(std::io::Error::from(e));
        }
        Error::internal(format!("json: {e}"))
    }
}

/// Attach the path of a file to an I/O error: `path: No such file or directory`.
pub trait IoContext<T> {
    fn with_path(self, path: &std::path::Path) -> Result<T>;
}

impl<T> IoContext<T> for std::result::Result<T, std::io::Error> {
    fn with_path(self, path: &std::path::Path) -> Result<T> {
        self.map_err(|e| Error::from(e).context(path.display()))
    }
}
