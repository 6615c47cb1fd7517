//! Record texts, kept outside tantivy's doc store in one append-only file: listing
//! thousands of results then reads only the small stored fields, and a snippet reads
//! just its own record's text. A crash can leave unreferenced bytes at the end; they
//! are harmless and go with the next `--rebuild`.

use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, Result};

fn path(dir: &Path) -> PathBuf {
    dir.join("bodies.bin")
}

/// Appends texts; shared by the indexing threads.
pub struct BodyWriter {
    inner: Mutex<(BufWriter<File>, u64)>,
}

impl BodyWriter {
    pub fn open(dir: &Path) -> Result<BodyWriter> {
        let p = path(dir);
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&p)
            .map_err(|e| Error::from(e).context(p.display()))?;
        let end = f.seek(SeekFrom::End(0))?;
        Ok(BodyWriter {
            inner: Mutex::new((BufWriter::with_capacity(1 << 20, f), end)),
        })
    }

    /// Append `text`; returns its offset and length.
    pub fn append(&self, text: &str) -> Result<(u64, u64)> {
        let mut g = self
            .inner
            .lock()
            .map_err(|_| Error::internal("body store lock poisoned"))?;
        let at = g.1;
        g.0.write_all(text.as_bytes())?;
        g.1 += text.len() as u64;
        Ok((at, text.len() as u64))
    }

    /// Flush to the file; call before the tantivy commit that refers to the texts.
    pub fn flush(&self) -> Result<()> {
        let mut g = self
            .inner
            .lock()
            .map_err(|_| Error::internal("body store lock poisoned"))?;
        g.0.flush()?;
        g.0.get_ref().sync_data()?;
        Ok(())
    }
}

/// Reads texts back.
pub struct Bodies {
    file: Option<File>,
}

impl Bodies {
    pub fn open(dir: &Path) -> Bodies {
        Bodies {
            file: File::open(path(dir)).ok(),
        }
    }

    /// Read the text at `at`, `len` bytes long, into `buf` (reused across calls); false
    /// when it cannot be read.
    pub fn read_into(&self, at: u64, len: u64, buf: &mut Vec<u8>) -> bool {
        buf.clear();
        let Some(f) = &self.file else { return false };
        buf.resize(len as usize, 0);
        f.read_exact_at(buf, at).is_ok()
    }

    /// The text at `at`, `len` bytes long; empty when it cannot be read.
    pub fn get(&self, at: u64, len: u64) -> String {
        let Some(f) = &self.file else {
            return String::new();
        };
        let mut buf = vec![0u8; len as usize];
        match f.read_exact_at(&mut buf, at) {
            Ok(()) => String::from_utf8(buf)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            Err(_) => String::new(),
        }
    }
}
