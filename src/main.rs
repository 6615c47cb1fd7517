//! Entry point: everything lives in the library so tests and `main` share it.
fn main() -> std::process::ExitCode {
    worklog::run(std::env::args_os())
}
