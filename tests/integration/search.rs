//! Integration tests: search. (tests to come)
#[allow(unused_imports)]
use crate::harness::*;
