//! The rewrites of progenitor's output (and the last touch on every generated file), as one
//! ordered table. Each pass is a [`SynPass`]: it names the file it rewrites, rewrites one
//! `syn::File` in place (the same tree goes from progenitor's tokens to prettyplease, parsed
//! once), and checks its own effect: a pass whose rewrite no longer applies (a newer
//! progenitor or typify writes the code differently) fails generation, naming itself.
//!
//! A new rewrite: a module here with a unit struct implementing [`SynPass`], a row in
//! [`POST_PASSES`] where it must run, and its unit tests beside it.

mod boxing;
mod builders;
mod mock_helpers;
mod non_exhaustive;
mod nullable;
mod patterns;
mod replacements;
mod sends;
mod short_paths;
mod timestamps;

use crate::error::GenerateError;
use crate::plan::Plan;

pub(crate) use replacements::REPLACEMENTS;

/// The generated file a pass rewrites.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// progenitor's types and raw client (`client.rs`).
    Client,
    /// progenitor's typed httpmock helpers (`httpmock.rs`).
    Mock,
    /// Every generated file, codegen's own emitters' included.
    Every,
}

/// One rewrite of generated code.
pub(crate) trait SynPass: Sync {
    /// Its name, in errors and in DEVELOPERS.md.
    fn name(&self) -> &'static str;
    /// The file it rewrites.
    fn target(&self) -> Target;
    /// Rewrites `file`. `Err` says what did not apply.
    fn run(&self, file: &mut syn::File, plan: &Plan) -> Result<(), String>;
}

/// Every pass, in the order it runs on its target.
pub(crate) const POST_PASSES: &[&dyn SynPass] = &[
    &replacements::ReplacementsApplied,
    &sends::DropApiVersionHeader,
    &sends::DecodeWithoutCloningHeaders,
    &patterns::UseRegexLite,
    &boxing::BoxRelations,
    &nullable::NullableRequestFields,
    &builders::ReshapeBuilders,
    &timestamps::FastTimestamps,
    &non_exhaustive::NonExhaustiveResponses,
    &mock_helpers::ReshapeMockHelpers,
    &short_paths::ShortPaths,
];

/// Runs the passes for `target` (then those for every file) on `file`, in table order.
pub(crate) fn apply(target: Target, file: &mut syn::File, plan: &Plan) -> Result<(), GenerateError> {
    for pass in POST_PASSES.iter().filter(|p| p.target() == target || p.target() == Target::Every) {
        pass.run(file, plan).map_err(|message| GenerateError::internal(pass.name(), message))?;
    }
    Ok(())
}

/// The items of the top-level module `name` of `file` (progenitor's `types`, `operations`).
pub(crate) fn module_items<'a>(file: &'a mut syn::File, name: &str) -> Option<&'a mut Vec<syn::Item>> {
    submodule_items(&mut file.items, name)
}

/// The items of the module `name` among `items` (`types::builder` inside `types`).
pub(crate) fn submodule_items<'a>(items: &'a mut [syn::Item], name: &str) -> Option<&'a mut Vec<syn::Item>> {
    items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == name => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// Whether any path in `file` satisfies `found` (for the passes' checks of their own effect).
/// `VisitMut`, which changes nothing here: syn's `visit` feature is not compiled in.
pub(crate) fn any_path(file: &mut syn::File, found: impl Fn(&syn::Path) -> bool) -> bool {
    struct Find<F> {
        found: F,
        hit: bool,
    }
    impl<F: Fn(&syn::Path) -> bool> syn::visit_mut::VisitMut for Find<F> {
        fn visit_path_mut(&mut self, path: &mut syn::Path) {
            self.hit |= (self.found)(path);
            syn::visit_mut::visit_path_mut(self, path);
        }
    }
    let mut find = Find { found, hit: false };
    syn::visit_mut::VisitMut::visit_file_mut(&mut find, file);
    find.hit
}
