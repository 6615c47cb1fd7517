//! Integration tests: rcs. (tests to come)
#[allow(unused_imports)] use crate::harness::*;
