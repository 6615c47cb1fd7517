//! Integration tests: completions. (tests to come)
#[allow(unused_imports)] use crate::harness::*;
