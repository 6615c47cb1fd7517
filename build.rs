//! Link the `worklog` binary as a fixed-address (non-PIE) executable on Linux with glibc.
//!
//! Why: a position-independent build of worklog carries about 37,000 start-up relocations
//! (vtables, panic locations, tables of strings in the dependencies). The dynamic loader
//! applies them on every run and copies the ~170 pages they touch, about 0.6 ms per run.
//! That is a tenth of a whole `worklog search` printing every hit, a command that is
//! run often and should return at once (benches/RESULTS.md).
//!
//! Cost: the executable's own image loses address-space randomisation. Shared libraries,
//! heap, stack and mmaps are still randomised. To build a PIE anyway, set
//! `WORKLOG_PIE=1` at build time.
fn main() {
    println!("cargo:rerun-if-env-changed=WORKLOG_PIE");
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    let pie = std::env::var_os("WORKLOG_PIE").is_some_and(|v| !v.is_empty() && v != "0");
    if os == "linux" && env == "gnu" && !pie {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
