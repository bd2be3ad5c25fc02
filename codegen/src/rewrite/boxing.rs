//! Boxes the relations of response entities. typify embeds related entities inline (it boxes
//! only to break cycles), which makes a TN lease ~47 KB and serde's decoding frames so large
//! that a few levels of documented nesting overflow a 2 MiB stack in debug builds. Which types
//! are boxed is `Plan::response_only_objects`.

use std::collections::BTreeSet;

use syn::visit_mut::VisitMut;

use super::{SynPass, Target};
use crate::plan::Plan;

/// Rewrites `Option<X>` to `Option<Box<X>>` for every `X` in `boxed`, and typify's own
/// cycle-breaking `Box<Option<X>>` to `Option<Box<X>>` too: that one allocates even when the
/// field is absent (a box of `None`, as large as `X`), and all relations then look alike.
fn box_relations(file: &mut syn::File, boxed: &BTreeSet<String>) {
    Boxer { boxed }.visit_file_mut(file);
}

pub(crate) struct BoxRelations;

impl SynPass for BoxRelations {
    fn name(&self) -> &'static str {
        "boxing"
    }

    fn target(&self) -> Target {
        Target::Client
    }

    /// Checks that no `Box<Option<X>>` of a boxed `X` is left.
    fn run(&self, file: &mut syn::File, plan: &Plan) -> Result<(), String> {
        box_relations(file, &plan.response_only_objects);
        struct Left<'a>(Boxer<'a>, bool);
        impl VisitMut for Left<'_> {
            fn visit_type_path_mut(&mut self, node: &mut syn::TypePath) {
                self.1 |= self.0.option_inside_box(node).is_some();
                syn::visit_mut::visit_type_path_mut(self, node);
            }
        }
        let mut left = Left(Boxer { boxed: &plan.response_only_objects }, false);
        left.visit_file_mut(file);
        match left.1 {
            true => Err("a Box<Option<_>> of a boxed relation is left".into()),
            false => Ok(()),
        }
    }
}

struct Boxer<'a> {
    boxed: &'a BTreeSet<String>,
}

impl Boxer<'_> {
    /// `Box<Option<X>>` with `X` boxed, as `Option<Box<X>>`.
    fn option_inside_box(&self, node: &syn::TypePath) -> Option<syn::TypePath> {
        let last = node.path.segments.last().filter(|s| s.ident == "Box")?;
        let option = match &last.arguments {
            syn::PathArguments::AngleBracketed(args) => match args.args.first()? {
                syn::GenericArgument::Type(syn::Type::Path(option)) => option,
                _ => return None,
            },
            _ => return None,
        };
        let option_last = option.path.segments.last().filter(|s| s.ident == "Option")?;
        let inner = match &option_last.arguments {
            syn::PathArguments::AngleBracketed(args) => match args.args.first()? {
                syn::GenericArgument::Type(syn::Type::Path(inner)) => inner,
                _ => return None,
            },
            _ => return None,
        };
        let name = inner.path.segments.last()?;
        if inner.qself.is_some() || !name.arguments.is_none() || !self.boxed.contains(&name.ident.to_string()) {
            return None;
        }
        Some(syn::parse_quote!(::std::option::Option<::std::boxed::Box<#inner>>))
    }
}

impl VisitMut for Boxer<'_> {
    fn visit_type_path_mut(&mut self, node: &mut syn::TypePath) {
        if let Some(unboxed) = self.option_inside_box(node) {
            *node = unboxed;
            return;
        }
        let Some(last) = node.path.segments.last_mut() else { return };
        if last.ident == "Box" {
            return;
        }
        if last.ident == "Option"
            && let syn::PathArguments::AngleBracketed(args) = &mut last.arguments
            && let Some(syn::GenericArgument::Type(syn::Type::Path(inner))) = args.args.first_mut()
        {
            let is_boxed_type = inner.qself.is_none()
                && inner
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| s.arguments.is_none() && self.boxed.contains(&s.ident.to_string()));
            if is_boxed_type {
                let original = inner.clone();
                *inner = syn::parse_quote!(::std::boxed::Box<#original>);
                return;
            }
        }
        syn::visit_mut::visit_type_path_mut(self, node);
    }
}
