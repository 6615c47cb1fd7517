//! Integration tests: checklist. (tests to come)
#[allow(unused_imports)] use crate::harness::*;
