//! The Markdown document model: front matter, titles, task items, doc references, templates.

mod doc_ref;
mod document;
pub mod front_matter;
pub mod markdown;
pub mod template;

pub use doc_ref::{DocRef, list_docs, resolve};
pub use document::{
    DocError, Document, Task, file_stem, is_archived, is_doc_path, kind_of, normalize_kind,
};
