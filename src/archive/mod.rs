//! Mail archive readers: mbox (mboxrd and mboxo quoting), gzip'd mbox and Maildir
//! (Maildir++ folders), and the parse of one raw message into what the index keeps.

pub mod maildir;
pub mod mbox;
pub mod message;

use std::io::Read;
use std::path::Path;

pub use message::{Mail, parse as parse_mail};

/// What kind of archive a configured source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    Mbox,
    MboxGz,
    Maildir,
    /// Not there (yet): the default Maildir before the first mail, for example.
    Missing,
}

impl SourceKind {
    pub fn name(self) -> &'static str {
        match self {
            SourceKind::Mbox => "mbox",
            SourceKind::MboxGz => "mbox.gz",
            SourceKind::Maildir => "maildir",
            SourceKind::Missing => "missing",
        }
    }
}

/// Decide by looking: a directory is a Maildir, a file starting with the gzip magic is a
/// gzip'd mbox, any other file an mbox.
pub fn kind_of(path: &Path) -> SourceKind {
    let Ok(meta) = std::fs::metadata(path) else {
        return SourceKind::Missing;
    };
    if meta.is_dir() {
        return SourceKind::Maildir;
    }
    let mut magic = [0u8; 2];
    let gz = std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok()
        && magic == [0x1f, 0x8b];
    if gz {
        SourceKind::MboxGz
    } else {
        SourceKind::Mbox
    }
}
