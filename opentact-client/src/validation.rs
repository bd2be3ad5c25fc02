//! Checking a request against the spec's rules before it is sent.

use std::fmt;
use std::sync::Mutex;

use serde::Serialize;

use crate::error::{Error, Result, Violation};

/// Parses a constrained path parameter (a pattern-checked string), so that nothing a caller
/// passes can change the request path.
pub(crate) fn parse_param<T: std::str::FromStr>(operation: &'static str, name: &str, value: &str) -> Result<T>
where
    T::Err: fmt::Display,
{
    value.parse().map_err(|e: T::Err| {
        Error::invalid_request(operation, vec![Violation { field: name.to_string(), problem: e.to_string() }])
    })
}

/// One step from a JSON value to a nested one.
#[derive(Debug)]
pub(crate) enum Step {
    /// An object member.
    Key(&'static str),
    /// Every item of an array.
    Each,
}

/// A constraint of the spec.
#[derive(Debug)]
#[allow(dead_code)] // codegen emits the checks the spec uses; today no body has maxItems
pub(crate) enum Check {
    Minimum(f64),
    Maximum(f64),
    MinLength(usize),
    MaxLength(usize),
    MinItems(usize),
    MaxItems(usize),
    Pattern(&'static str),
    Url,
}

/// A constraint on the value(s) at a path of a request body.
#[derive(Debug)]
pub(crate) struct Rule {
    pub path: &'static [Step],
    pub check: Check,
}

/// Checks a request body against the spec's rules before it is sent. Works on the JSON the
/// body serialises to, which is exactly what the service would see.
pub(crate) fn validate<T: Serialize>(operation: &'static str, body: &T, rules: &[Rule]) -> Result<()> {
    let json = serde_json::to_value(body).map_err(|e| {
        Error::invalid_request(
            operation,
            vec![Violation { field: String::new(), problem: format!("cannot be serialised: {e}") }],
        )
    })?;
    let mut violations = Vec::new();
    for rule in rules {
        visit(&json, rule.path, String::new(), &mut |value, pointer| {
            if let Some(problem) = broken(&rule.check, value) {
                violations.push(Violation { field: pointer, problem });
            }
        });
    }
    if violations.is_empty() { Ok(()) } else { Err(Error::invalid_request(operation, violations)) }
}

fn visit(value: &serde_json::Value, path: &[Step], pointer: String, found: &mut dyn FnMut(&serde_json::Value, String)) {
    match path.split_first() {
        None => found(value, if pointer.is_empty() { "/".into() } else { pointer }),
        Some((Step::Key(key), rest)) => {
            if let Some(child) = value.get(*key).filter(|v| !v.is_null()) {
                visit(child, rest, format!("{pointer}/{key}"), found);
            }
        }
        Some((Step::Each, rest)) => {
            for (i, item) in value.as_array().into_iter().flatten().enumerate() {
                visit(item, rest, format!("{pointer}/{i}"), found);
            }
        }
    }
}

fn broken(check: &Check, value: &serde_json::Value) -> Option<String> {
    let chars = || value.as_str().map(|s| s.chars().count());
    let items = || value.as_array().map(Vec::len);
    match *check {
        Check::Minimum(min) => value.as_f64().filter(|v| *v < min).map(|v| format!("is {v}, below the minimum {min}")),
        Check::Maximum(max) => value.as_f64().filter(|v| *v > max).map(|v| format!("is {v}, above the maximum {max}")),
        Check::MinLength(n) => chars().filter(|c| *c < n).map(|c| format!("has {c} characters, fewer than {n}")),
        Check::MaxLength(n) => chars().filter(|c| *c > n).map(|c| format!("has {c} characters, more than {n}")),
        Check::MinItems(n) => items().filter(|c| *c < n).map(|c| format!("has {c} items, fewer than {n}")),
        Check::MaxItems(n) => items().filter(|c| *c > n).map(|c| format!("has {c} items, more than {n}")),
        Check::Pattern(pattern) => {
            let text = value.as_str()?;
            // codegen's `pattern-supported` lint rule guarantees that the spec's patterns compile.
            let matches = with_regex(pattern, |regex| regex.is_match(text))?;
            (!matches).then(|| format!("does not match {pattern}"))
        }
        Check::Url => {
            let text = value.as_str()?;
            match reqwest::Url::parse(text) {
                Ok(url) if matches!(url.scheme(), "http" | "https") => None,
                Ok(url) => Some(format!("has the scheme {}; use http or https", url.scheme())),
                Err(e) => Some(format!("is not an absolute URL ({e})")),
            }
        }
    }
}

/// Runs `f` with the compiled `pattern`, compiling each of the spec's few patterns once.
/// `None` if it does not compile (codegen rejects such a spec).
fn with_regex<R>(pattern: &'static str, f: impl FnOnce(&regex_lite::Regex) -> R) -> Option<R> {
    static COMPILED: Mutex<Vec<(&str, regex_lite::Regex)>> = Mutex::new(Vec::new());
    // A panic while the lock was held cannot leave the list half-written: keep using it.
    let mut compiled = COMPILED.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, regex)) = compiled.iter().find(|(p, _)| *p == pattern) {
        return Some(f(regex));
    }
    let regex = regex_lite::Regex::new(pattern).ok()?;
    let result = f(&regex);
    compiled.push((pattern, regex));
    Some(result)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const UUID: &str = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";

    #[test]
    fn a_pattern_accepts_what_matches_and_names_itself_when_it_does_not() {
        let check = Check::Pattern(UUID);
        assert_eq!(broken(&check, &json!("1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a")), None);
        assert_eq!(
            broken(&check, &json!("1D2E3F4A-5B6C-4D7E-8F9A-0B1C2D3E4F5A")),
            Some(format!("does not match {UUID}"))
        );
        // Checked again from the compiled list: same answers.
        assert_eq!(broken(&check, &json!("x")), Some(format!("does not match {UUID}")));
        assert_eq!(broken(&check, &json!(12)), None, "not a string: the type check is serde's");
    }

    #[test]
    fn a_generated_pattern_type_rejects_what_does_not_match() {
        let ok: std::result::Result<crate::types::CallUuid, _> = "1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a".parse();
        assert!(ok.is_ok());
        let bad: std::result::Result<crate::types::CallUuid, _> = "not-a-uuid".parse();
        assert!(bad.unwrap_err().to_string().contains("doesn't match pattern"));
    }
}
