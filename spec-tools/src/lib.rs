//! The project's tools around the spec that are not the generator: the check of Opentact's
//! doc pages against the spec (`docs`, behind `cargo xtask docs-check`), the classified diff of
//! two versions of the spec (`diff`, behind `cargo xtask diff`) and the spec as the HTML
//! reference shows it (`reference_spec`, behind `cargo xtask docs`). They read the generator's
//! model (`opentact_codegen`); the generator does not depend on them.

mod diff;
pub mod docs;
mod reference;

pub use diff::{
    ApiSurface, Category, Group, ItemKind, Report, RustChange, SemverLevel, SurfaceItem, WireChange, api_surface, diff,
    diff_from_surface, operation_surface, surface_of,
};
pub use reference::reference_spec;
