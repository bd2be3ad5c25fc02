//! typify checks a string's `pattern` with `regress` (an ECMA-262 backtracking engine); the
//! client uses `regex-lite` instead: linear-time matching, no dependencies (regress brings
//! hashbrown), a quicker build. The calls typify makes (`Regex::new(..)`, `.find(..)`) are the
//! same in both, so only the paths change. The lint rule `pattern-supported` guarantees that
//! every pattern of the spec compiles with regex-lite.

use syn::visit_mut::VisitMut;

use super::{SynPass, Target};
use crate::plan::Plan;

pub(crate) struct UseRegexLite;

impl SynPass for UseRegexLite {
    fn name(&self) -> &'static str {
        "patterns-use-regex-lite"
    }

    fn target(&self) -> Target {
        Target::Client
    }

    fn run(&self, file: &mut syn::File, _: &Plan) -> Result<(), String> {
        use_regex_lite(file);
        match super::any_path(file, |path| path.segments.first().is_some_and(|s| s.ident == "regress")) {
            true => Err("a regress path is left".into()),
            false => Ok(()),
        }
    }
}

/// Rewrites `::regress::X` to `::regex_lite::X`; returns how many paths changed.
fn use_regex_lite(file: &mut syn::File) -> usize {
    let mut visitor = Rewrite { changed: 0 };
    visitor.visit_file_mut(file);
    visitor.changed
}

struct Rewrite {
    changed: usize,
}

impl VisitMut for Rewrite {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if path.leading_colon.is_some() && path.segments.first().is_some_and(|s| s.ident == "regress") {
            path.segments[0].ident = syn::Ident::new("regex_lite", path.segments[0].ident.span());
            self.changed += 1;
        }
        syn::visit_mut::visit_path_mut(self, path);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn regress_paths_become_regex_lite() {
        let mut file: syn::File = syn::parse_str(
            r#"static P: ::std::sync::LazyLock<::regress::Regex> = ::std::sync::LazyLock::new(|| ::regress::Regex::new("^a$").unwrap());"#,
        )
        .unwrap();
        assert_eq!(super::use_regex_lite(&mut file), 2);
        let out = prettyplease::unparse(&file);
        assert!(
            out.contains("LazyLock<::regex_lite::Regex>") && out.contains("::regex_lite::Regex::new(\"^a$\")"),
            "{out}"
        );
        assert!(!out.contains("regress"), "{out}");
    }
}
