//! Response types are `#[non_exhaustive]`: the service adds fields to what it returns, and a
//! new optional field must not break a user's build (a struct literal would stop compiling).
//! They keep public fields and `Default`, so a test that fakes a response writes
//! `let mut app = SipControlApp::default(); app.name = Some(..);`. Request types stay
//! exhaustive: users build them, through their builders or as literals.

use std::collections::BTreeSet;

use super::{SynPass, Target};
use crate::plan::{Plan, type_name};

pub(crate) struct NonExhaustiveResponses;

impl SynPass for NonExhaustiveResponses {
    fn name(&self) -> &'static str {
        "non-exhaustive-responses"
    }

    fn target(&self) -> Target {
        Target::Client
    }

    fn run(&self, file: &mut syn::File, plan: &Plan) -> Result<(), String> {
        let requests: BTreeSet<String> = plan.request_schemas.iter().map(|s| type_name(s)).collect();
        let types = super::module_items(file, "types").ok_or("progenitor's output has no `types` module")?;
        let mut marked = 0;
        for item in types.iter_mut() {
            let syn::Item::Struct(s) = item else { continue };
            let named = matches!(s.fields, syn::Fields::Named(_));
            let already = s.attrs.iter().any(|a| a.path().is_ident("non_exhaustive"));
            if named && !already && !requests.contains(&s.ident.to_string()) {
                s.attrs.push(syn::parse_quote!(#[non_exhaustive]));
                marked += 1;
            }
        }
        let responses = plan.response_only_objects.len();
        match (marked, responses) {
            (0, n) if n > 0 => Err(format!("no response struct was found to mark ({n} expected)")),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_structs_are_marked_and_request_structs_are_not() {
        let mut file: syn::File = syn::parse_str(
            "pub mod types { pub struct App { pub name: Option<String> } pub struct AppNewParams { pub name: String } pub struct Name(String); }",
        )
        .unwrap();
        let mut plan = Plan::default();
        plan.request_schemas.insert("AppNewParams".into());
        plan.response_only_objects.insert("App".into());
        NonExhaustiveResponses.run(&mut file, &plan).unwrap();
        let out = prettyplease::unparse(&file);
        assert!(out.contains("#[non_exhaustive]\n    pub struct App {"), "{out}");
        assert!(!out.contains("#[non_exhaustive]\n    pub struct AppNewParams"), "{out}");
        assert!(!out.contains("#[non_exhaustive]\n    pub struct Name"), "{out}");
    }
}
