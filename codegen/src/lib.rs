//! Everything that turns `spec/opentact.yaml` into Rust: loading with precise error locations,
//! the project's lint rules, and generation (progenitor plus what progenitor cannot do by
//! itself). It reads the spec and returns file contents; it never writes files.

mod boxing;
mod builders;
mod diff;
pub mod docs;
mod emit;
mod examples;
mod generate;
mod lint;
mod load;
mod mock_helpers;
mod passes;
mod patterns;
mod plan;
mod reference;
mod sends;
mod short_paths;
mod timestamps;

pub use diff::{
    ApiSurface, Category, Group, ItemKind, Report, RustChange, SemverLevel, SurfaceItem, WireChange, api_surface, diff,
    operation_surface,
};
pub use generate::{GENERATED_DIR, generate};
pub use lint::{Diagnostic, RULES, Rule, RuleInfo, Severity, UUID_PATTERN, lint};
pub use load::{Spec, SpecError, load, parse};
pub use reference::reference_spec;
