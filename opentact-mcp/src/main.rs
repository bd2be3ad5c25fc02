//! The `opentact-mcp` binary; everything is in the library (so tests can read its tool table).

fn main() -> std::process::ExitCode {
    opentact_mcp::main()
}
