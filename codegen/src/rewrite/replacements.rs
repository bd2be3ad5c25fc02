//! The components progenitor replaces with hand-written types (`with_replacement`), and the
//! check that every replacement took: typify silently ignores a key that matches no type, and
//! would then emit its own (strict) type.

use crate::plan::{Plan, type_name};

use super::{SynPass, Target};

/// Hand-written types that components are replaced with (the open enums are added per enum).
pub(crate) const REPLACEMENTS: &[(&str, &str)] = &[
    ("UUID", "::uuid::Uuid"),
    ("FlexibleNumber", "crate::runtime::FlexibleNumber"),
    ("FlexibleBoolean", "crate::runtime::FlexibleBoolean"),
];

pub(crate) struct ReplacementsApplied;

impl SynPass for ReplacementsApplied {
    fn name(&self) -> &'static str {
        "replacements-applied"
    }

    fn target(&self) -> Target {
        Target::Client
    }

    fn run(&self, file: &mut syn::File, plan: &Plan) -> Result<(), String> {
        let keys: Vec<String> = plan
            .enums
            .iter()
            .map(|e| type_name(&e.schema))
            .chain(REPLACEMENTS.iter().map(|(s, _)| type_name(s)))
            .collect();
        let types = super::module_items(file, "types").ok_or("progenitor's output has no `types` module")?;
        for inner in types.iter() {
            let ident = match inner {
                syn::Item::Struct(s) => &s.ident,
                syn::Item::Enum(e) => &e.ident,
                syn::Item::Type(t) => &t.ident,
                _ => continue,
            };
            if keys.iter().any(|k| ident == k) {
                return Err(format!("the replacement of {ident} did not apply; typify generated its own type"));
            }
        }
        Ok(())
    }
}
