//! What a facade call accepts as its request body: the body's builder, the body, or a
//! reference to it. A builder that does not convert is an `Error::InvalidRequest` naming each
//! field that failed, returned before anything is sent.

use crate::error::{Error, Result, Violation};

/// A request body for a call of [`Client`](crate::Client): the body's builder
/// (`types::SmsNewParams::builder().to("12025550143").tn(12_025_550_100).message("Hello")`), the body itself, or a
/// reference to it.
///
/// Implemented by this crate only (its method takes a type only this crate can name).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a body of this call",
    label = "expected `{T}`, `&{T}` or `{T}::builder()...`"
)]
pub trait IntoBody<T> {
    /// The body, or the request error of the operation whose call it is for.
    #[doc(hidden)]
    fn into_body(self, context: Context) -> Result<T>;
}

/// The call a body is converted for. Public only in name: no other crate can make one, which
/// keeps [`IntoBody`] implemented by this crate alone.
#[derive(Clone, Copy, Debug)]
pub struct Context {
    operation: &'static str,
}

impl Context {
    pub(crate) fn new(operation: &'static str) -> Self {
        Context { operation }
    }

    /// The converted body, or every violation found; `convert` runs only when there is none.
    pub(crate) fn finish<T, E: std::fmt::Display>(
        self,
        violations: Vec<Violation>,
        convert: impl FnOnce() -> std::result::Result<T, E>,
    ) -> Result<T> {
        if !violations.is_empty() {
            return Err(Error::invalid_request(self.operation, violations));
        }
        convert().map_err(|e| {
            Error::invalid_request(self.operation, vec![Violation { field: String::new(), problem: e.to_string() }])
        })
    }
}

impl<T> IntoBody<T> for T {
    fn into_body(self, _: Context) -> Result<T> {
        Ok(self)
    }
}

impl<T: Clone> IntoBody<T> for &T {
    fn into_body(self, _: Context) -> Result<T> {
        Ok(self.clone())
    }
}

/// A builder field that holds an error: typify's messages ("no value supplied for tns",
/// "error converting supplied value for name: longer than 255 characters") become the problem
/// of the field at `pointer` ("is required", "longer than 255 characters").
pub(crate) fn builder_violation(pointer: &str, rust_name: &str, message: &str) -> Violation {
    let problem = if message == format!("no value supplied for {rust_name}") {
        "is required".to_string()
    } else {
        let prefix = format!("error converting supplied value for {rust_name}: ");
        message.strip_prefix(&prefix).unwrap_or(message).to_string()
    };
    Violation { field: pointer.to_string(), problem }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typify_messages_become_the_problem_of_the_field() {
        let missing = builder_violation("/tns", "tns", "no value supplied for tns");
        assert_eq!(missing, Violation { field: "/tns".into(), problem: "is required".into() });
        let long = builder_violation("/type", "type_", "error converting supplied value for type_: too long");
        assert_eq!(long, Violation { field: "/type".into(), problem: "too long".into() });
        let other = builder_violation("/x", "x", "something else");
        assert_eq!(other.problem, "something else");
    }

    #[test]
    fn violations_stop_the_conversion() {
        let context = Context::new("GetOrderPrice");
        let violation = Violation { field: "/tns".into(), problem: "is required".into() };
        let result: Result<()> = context.finish(vec![violation.clone()], || -> std::result::Result<(), String> {
            panic!("must not convert when a field failed")
        });
        match result {
            Err(Error::InvalidRequest(e)) => {
                assert_eq!(e.operation, Some("GetOrderPrice"));
                assert_eq!(e.violations, vec![violation]);
            }
            other => panic!("expected InvalidRequest, got {other:?}"),
        }
    }
}
