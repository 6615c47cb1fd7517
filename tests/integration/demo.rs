//! Integration tests: demo. (tests to come)
#[allow(unused_imports)] use crate::harness::*;
