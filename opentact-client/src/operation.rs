//! The operation table's row type.

/// One operation of the API, as the spec describes it (see [`OPERATIONS`](crate::OPERATIONS)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Operation {
    /// The spec's `operationId` (the Opentact docs' heading), e.g. `CreateTNOrder`.
    pub id: &'static str,
    /// HTTP method, upper case.
    pub method: &'static str,
    /// Path relative to the server URL, with `{name}` placeholders.
    pub path: &'static str,
    /// The name of the method on [`Client`](crate::Client) (and on the raw client).
    pub method_name: &'static str,
}

/// The `operationId` for a generated method name (progenitor reports method names to hooks).
pub(crate) fn operation_id(method_name: &str) -> &str {
    crate::OPERATIONS.iter().find(|op| op.method_name == method_name).map_or(method_name, |op| op.id)
}
