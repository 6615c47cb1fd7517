//! The search index: a tantivy index under the cache dir over the docs in the work tree,
//! every doc version in git history and the mail archives, plus the record of what has
//! been indexed so the next run only does what is new.

pub mod bodies;
pub mod indexer;
pub mod print;
pub mod query;
pub mod schema;
pub mod searcher;
pub mod similar;
pub mod snippet;
pub mod state;
pub mod timeline;

use std::path::{Path, PathBuf};

use tantivy::Index;

use crate::error::{Error, Result};
pub use schema::Fields;

/// An opened index and its fields.
pub struct Store {
    pub index: Index,
    pub bodies: bodies::Bodies,
    pub fields: Fields,
    pub dir: PathBuf,
    /// Doc renames from history, to keep a renamed doc one result.
    pub renames: searcher::Renames,
    /// What had been indexed when the store was opened (read once per run).
    pub state: state::State,
}

fn tantivy_dir(dir: &Path) -> PathBuf {
    dir.join("tantivy")
}

pub(crate) fn ierr(dir: &Path, e: impl std::fmt::Display) -> Error {
    Error::failed(format!("{}: search index: {e}", dir.display()))
        .with_hint("`worklog index --rebuild` builds it anew")
}

impl Store {
    /// Open the index when it exists and has this version's schema.
    pub fn open(dir: &Path) -> Result<Option<Store>> {
        let tdir = tantivy_dir(dir);
        if !tdir.join("meta.json").is_file() {
            return Ok(None);
        }
        let Some(st) = state::State::load(dir).filter(|s| s.schema == schema::SCHEMA_VERSION)
        else {
            return Ok(None);
        };
        let index = Index::open_in_dir(&tdir).map_err(|e| ierr(dir, e))?;
        let (_, fields) = schema::build();
        index
            .tokenizers()
            .register(schema::WORDS, schema::analyzer());
        Ok(Some(Store {
            index,
            fields,
            bodies: bodies::Bodies::open(dir),
            dir: dir.to_path_buf(),
            renames: searcher::Renames::new(st.renames.clone()),
            state: st,
        }))
    }

    /// Make an empty index, throwing away whatever was there.
    pub fn create(dir: &Path) -> Result<Store> {
        let tdir = tantivy_dir(dir);
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(|e| ierr(dir, e))?;
        }
        std::fs::create_dir_all(&tdir).map_err(|e| ierr(dir, e))?;
        let (schema, fields) = schema::build();
        // The stored fields are small (the texts live in the body store): uncompressed
        // small blocks make reading a page of results cheap.
        let settings = tantivy::IndexSettings {
            docstore_compression: tantivy::store::Compressor::None,
            docstore_blocksize: 4096,
            ..tantivy::IndexSettings::default()
        };
        let index = Index::builder()
            .schema(schema)
            .settings(settings)
            .create_in_dir(&tdir)
            .map_err(|e| ierr(dir, e))?;
        index
            .tokenizers()
            .register(schema::WORDS, schema::analyzer());
        Ok(Store {
            index,
            fields,
            bodies: bodies::Bodies::open(dir),
            dir: dir.to_path_buf(),
            renames: searcher::Renames::default(),
            state: state::State::default(),
        })
    }

    pub fn searcher(&self) -> Result<tantivy::Searcher> {
        let reader = self
            .index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| ierr(&self.dir, e))?;
        Ok(reader.searcher())
    }
}
