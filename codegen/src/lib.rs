//! The generator: turns `spec/opentact.yaml` into the `opentact-client` crate's generated code.
//! It loads the spec with precise error locations and lints it (`spec`), reads it once into a
//! plan (`plan`), prepares a copy for progenitor (`prepare`), runs progenitor, rewrites its
//! output (`rewrite`), and emits what progenitor cannot (`emit`). It reads the spec and
//! returns file contents; it never writes files. The doc-pages check, the spec diff and the
//! reference live in `opentact-spec-tools`, which builds on this crate's model.

mod emit;
mod error;
mod generate;
mod plan;
mod prepare;
mod rewrite;
pub mod spec;
mod tool_schema;

pub use error::GenerateError;
pub use generate::{CLI_GENERATED_DIR, GENERATED_DIR, MCP_GENERATED_DIR, generate};
pub use spec::{
    Diagnostic, RULES, Rule, RuleInfo, Severity, Spec, SpecError, UUID_PATTERN, escape_token, lint, load, parse,
};
