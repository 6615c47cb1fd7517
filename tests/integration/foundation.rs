//! Integration tests: doc root, document model, list/show/log/tag. (more to come)
#[allow(unused_imports)]
use crate::harness::*;
