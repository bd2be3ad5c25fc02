//! The `opentact` binary; everything is in the library (so tests can read its command table).

fn main() -> std::process::ExitCode {
    opentact_cli::main()
}
