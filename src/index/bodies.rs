//! Records, kept outside tantivy's doc store in one append-only file: each entry is the
//! record's header (its stored fields as JSON, after a 4-byte length) followed by its
//! text. A page of search results then costs one read per result, header and the start of
//! the text together, instead of a doc-store lookup plus a read. A crash can leave
//! unreferenced bytes at the end; they are harmless and go with the next `--rebuild`.

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

    /// Append an entry: `head` (a record's header) then `text`. Returns the offset of
    /// the entry and of its text.
    pub fn append(&self, head: &[u8], text: &str) -> Result<(u64, u64)> {
        let n =
            u32::try_from(head.len()).map_err(|_| Error::internal("record header over 4 GiB"))?;
        let mut g = self
            .inner
            .lock()
            .map_err(|_| Error::internal("body store lock poisoned"))?;
        let at = g.1;
        g.0.write_all(&n.to_le_bytes())?;
        g.0.write_all(head)?;
        g.0.write_all(text.as_bytes())?;
        let text_at = at + 4 + u64::from(n);
        g.1 = text_at + text.len() as u64;
        Ok((at, text_at))
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

    /// Read the entry at `at` into `buf` (reused across calls): its header and up to
    /// `text` bytes of what follows it (which may run into the next entry: the caller
    /// cuts it to the record's length). Returns where the header ends in `buf`; `None`
    /// when the entry cannot be read.
    pub fn read_entry(&self, at: u64, text: usize, buf: &mut Vec<u8>) -> Option<usize> {
        let f = self.file.as_ref()?;
        // Headers are a few hundred bytes: one read usually gets header and text.
        read_upto(f, at, 4 + 1024 + text, buf).ok()?;
        let n = u32::from_le_bytes(buf.get(..4)?.try_into().ok()?) as usize;
        if buf.len() < 4 + n + text {
            read_upto(f, at, 4 + n + text, buf).ok()?;
        }
        (buf.len() >= 4 + n).then_some(4 + n)
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

/// Read up to `n` bytes at `at` (fewer at the end of the file) into `buf`.
fn read_upto(f: &File, at: u64, n: usize, buf: &mut Vec<u8>) -> std::io::Result<()> {
    buf.clear();
    buf.resize(n, 0);
    let mut got = 0;
    while got < n {
        match f.read_at(&mut buf[got..], at + got as u64) {
            Ok(0) => break,
            Ok(k) => got += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    buf.truncate(got);
    Ok(())
}
