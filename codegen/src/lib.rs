//! Everything that turns `spec/opentact.yaml` into Rust: loading with precise error locations,
//! the project's lint rules, and generation (progenitor plus what progenitor cannot do by
//! itself). It reads the spec and returns file contents; it never writes files.

mod boxing;
mod emit;
mod generate;
mod lint;
mod load;
mod passes;
mod plan;
mod timestamps;

pub use generate::{GENERATED_DIR, generate};
pub use lint::{Diagnostic, RULES, Rule, RuleInfo, Severity, UUID_PATTERN, lint};
pub use load::{Spec, SpecError, load, parse};
