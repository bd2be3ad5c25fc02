//! The spec as codegen reads it: loading with positions (`load`), the project's lint rules
//! (`lint`) and the words of the spec that more than one module spells (`vocabulary`).

pub mod flatten;
pub(crate) mod lint;
pub(crate) mod load;
pub mod vocabulary;

pub use lint::{Diagnostic, RULES, Rule, RuleInfo, Severity, UUID_PATTERN, lint};
pub use load::{Spec, SpecError, escape_token, load, parse};
