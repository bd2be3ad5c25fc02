//! Writes the fully qualified std paths of generated code the way people write them:
//! `Option<String>` for `::std::option::Option<::std::string::String>`. The prelude names
//! resolve to the same items, and the types read (and wrap) like hand-written code; this
//! halves the lines of a typical builder field.
//!
//! A name stays qualified when the module defines an item of that name (a spec schema called
//! `Result` would otherwise shadow the prelude), or imports one with a glob.

use std::collections::BTreeSet;

use syn::visit_mut::VisitMut;

use super::{SynPass, Target};
use crate::plan::Plan;

/// `(module, name)` under `::std::` whose name is in the Rust 2021 prelude.
const PRELUDE: &[(&str, &str)] = &[
    ("option", "Option"),
    ("result", "Result"),
    ("string", "String"),
    ("vec", "Vec"),
    ("boxed", "Box"),
    ("default", "Default"),
    ("convert", "TryFrom"),
    ("convert", "TryInto"),
    ("convert", "From"),
    ("convert", "Into"),
];

pub(crate) struct ShortPaths;

impl SynPass for ShortPaths {
    fn name(&self) -> &'static str {
        "short-paths"
    }

    fn target(&self) -> Target {
        Target::Every
    }

    fn run(&self, file: &mut syn::File, _: &Plan) -> Result<(), String> {
        shorten(file);
        Ok(())
    }
}

/// Shortens the paths of a generated file, module by module.
fn shorten(file: &mut syn::File) {
    shorten_items(&mut file.items);
}

fn shorten_items(items: &mut [syn::Item]) {
    let has_glob = items.iter().any(|item| matches!(item, syn::Item::Use(u) if uses_glob(&u.tree)));
    let shadowed: BTreeSet<String> = items.iter().filter_map(item_name).collect();
    let names = PRELUDE.iter().filter(|(_, name)| !has_glob && !shadowed.contains(*name)).copied().collect::<Vec<_>>();
    for item in items.iter_mut() {
        match item {
            syn::Item::Mod(inner) => {
                if let Some((_, items)) = &mut inner.content {
                    shorten_items(items);
                }
            }
            other => Shorten { names: &names }.visit_item_mut(other),
        }
    }
}

fn item_name(item: &syn::Item) -> Option<String> {
    Some(
        match item {
            syn::Item::Struct(s) => &s.ident,
            syn::Item::Enum(e) => &e.ident,
            syn::Item::Type(t) => &t.ident,
            syn::Item::Trait(t) => &t.ident,
            syn::Item::Mod(m) => &m.ident,
            syn::Item::Union(u) => &u.ident,
            _ => return None,
        }
        .to_string(),
    )
}

fn uses_glob(tree: &syn::UseTree) -> bool {
    match tree {
        syn::UseTree::Glob(_) => true,
        syn::UseTree::Path(p) => uses_glob(&p.tree),
        syn::UseTree::Group(g) => g.items.iter().any(uses_glob),
        syn::UseTree::Name(_) | syn::UseTree::Rename(_) => false,
    }
}

struct Shorten<'a> {
    names: &'a [(&'a str, &'a str)],
}

impl VisitMut for Shorten<'_> {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if path.leading_colon.is_some()
            && segments.len() >= 3
            && segments[0] == "std"
            && self.names.contains(&(segments[1].as_str(), segments[2].as_str()))
        {
            // `::std::option::Option<T>` -> `Option<T>`; `::std::option::Option::is_none` -> `Option::is_none`.
            path.leading_colon = None;
            path.segments = path.segments.iter().skip(2).cloned().collect();
        }
        syn::visit_mut::visit_path_mut(self, path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shortened(source: &str) -> String {
        let mut file: syn::File = syn::parse_str(source).unwrap();
        shorten(&mut file);
        prettyplease::unparse(&file)
    }

    #[test]
    fn prelude_paths_in_types_lose_their_std_prefix() {
        let out = shortened(
            "pub mod types {
                pub struct A { pub b: ::std::option::Option<::std::vec::Vec<::std::string::String>> }
                pub mod builder {
                    pub struct A { b: ::std::result::Result<::std::option::Option<i64>, ::std::string::String> }
                    impl ::std::convert::TryFrom<A> for super::A { }
                }
            }
            pub struct Outside { pub b: ::std::option::Option<i64> }",
        );
        assert!(out.contains("pub b: Option<Vec<String>>"), "{out}");
        assert!(out.contains("b: Result<Option<i64>, String>"), "{out}");
        assert!(out.contains("impl TryFrom<A> for super::A"), "{out}");
        assert!(out.contains("pub struct Outside {\n    pub b: Option<i64>"), "{out}");
    }

    #[test]
    fn a_name_the_module_defines_or_globs_stays_qualified() {
        let out = shortened(
            "pub mod types {
                pub struct Result { pub a: ::std::result::Result<(), ()>, pub b: ::std::option::Option<i64> }
                pub mod builder {
                    use super::*;
                    pub struct X { b: ::std::option::Option<i64> }
                }
            }",
        );
        assert!(out.contains("pub a: ::std::result::Result<(), ()>"), "{out}");
        assert!(out.contains("pub b: Option<i64>"), "{out}");
        assert!(out.contains("b: ::std::option::Option<i64>"), "a glob import may shadow the prelude: {out}");
    }
}
