//! Integration tests: cycle. (tests to come)
#[allow(unused_imports)]
use crate::harness::*;
